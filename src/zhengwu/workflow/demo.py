"""Demo traffic for the approval engine: a few matters in flight, so inboxes are not empty."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.org.models import Person, Unit

from . import services


def load(on: dt.date | None = None) -> None:
    on = on or rules.today()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}

    # 教育局's request: the office has reviewed it; it waits for the 分管副区长 (赵丁).
    a = services.approval_start(actor=p["jyj"], route_id="doc.intake", obj_type="demo.request", obj_id="1",
                                title="关于第三小学新建教学楼项目立项的请示", applicant_unit=u["教育局"], on=on)
    t = a.tasks.get(status="open")
    services.task_complete(actor=p["bgs-zhuren"], task_id=t.pk, opinion="拟请赵丁副区长阅示", on=on)

    # 财政局's urgent request, 串并联: office review done; the 常务副区长 and the 区长 in parallel.
    b = services.approval_start(actor=p["czj"], route_id="doc.intake_urgent", obj_type="demo.request", obj_id="2",
                                title="关于拨付冬季供暖补贴资金的请示", urgency="加急", applicant_unit=u["财政局"],
                                context={"major": True}, on=on)
    t = b.tasks.get(status="open")
    services.task_complete(actor=p["bgs-zhuren"], task_id=t.pk, opinion="情况紧急，拟请区长、常务副区长阅示", on=on)

    # Two matters waiting for the office director's review.
    services.approval_start(actor=p["sfj"], route_id="doc.intake", obj_type="demo.request", obj_id="3",
                            title="关于开展“八五”普法总结验收工作的请示", applicant_unit=u["司法局"], on=on)
    services.approval_start(actor=p["xhjd"], route_id="doc.intake", obj_type="demo.request", obj_id="4",
                            title="关于新华街道老旧小区改造资金的请示", applicant_unit=u["新华街道"], on=on)

    # (A 副区长's leave waiting for the 区长, art. 89, is a real request of the leave demo.)

    # A circulation (传阅) from the office to two 副区长.
    services.circulation_send(actor=p["bgs-zhuren"], approval_id=a.pk, people=[p["fuqu3"], p["fuqu4"]],
                              note="涉及农村学校布局调整，请阅知")
    for name in ("quzhang", "changwu", "fuqu1", "fuqu2", "fuqu3", "fuqu4"):
        for text in ("同意", "同意，请按程序办理", "请办公室牵头研究后报我"):
            services.phrase_add(actor=p[name], text=text)
