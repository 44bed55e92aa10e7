"""Demo documents: a living office — documents in every state, in every demo account's inbox."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf

from . import intake, issuing, services

NORMATIVE_DONE = {"legality_review_by": "区司法局", "legality_reviewer_is_justice": True,
                  "public_participation": True, "risk_assessment": True,
                  "collective_decision_ref": "区政府常务会议纪要〔2026〕11号", "to_be_published": True,
                  "interpretation_material": True, "opinion_plan": True}


def load(on: dt.date | None = None) -> None:
    from zhengwu.workcalendar.selectors import work_calendar

    cal = work_calendar()
    today = on or rules.today()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}

    def request(user, unit, title, *, urgency="一般", days_needed=10, when=today, **kw):
        needed = cal.add_workdays(when, days_needed)
        return services.document_draft(
            actor=p[user], unit=u[unit], direction="incoming", kind="请示", title=title, main_recipients=["区人民政府"],
            urgency=urgency, body=kw.pop("body", f"{title[2:-3]}有关情况如下……妥否，请批示。"),
            important=True, collective_ref=f"{unit}党组会议纪要〔{when.year}〕{len(title) % 17 + 1}号",
            facts={"decision_needed_by": needed.isoformat(), **kw.pop("facts", {})}, on=when, **kw)

    def submitted(doc, user, when=today):
        return intake.document_submit(actor=p[user], document_id=doc.pk, on=when)

    def routed(doc, *, when=today, major=False, parallel=False):
        intake.document_register(actor=p["wenshu"], document_id=doc.pk, on=when)
        intake.document_route(actor=p["wenshu"], document_id=doc.pk, major=major, parallel=parallel, on=when)
        doc.refresh_from_db()
        return doc

    def step(doc, opinion, when=today):
        doc.refresh_from_db()
        task = doc.approval.tasks.filter(status="open", kind="step").order_by("id").first()
        wf.task_complete(actor=task.assignee, task_id=task.pk, opinion=opinion, on=when)

    past = cal.add_workdays(today, -25)
    # overdue: routed five weeks ago, still with the 分管副区长 (东风乡 → 钱戊)
    doc = request("dfx", "东风乡", "关于东风乡高标准农田建设配套资金的请示", when=past)
    routed(submitted(doc, "dfx", when=past), when=past)
    step(doc, "拟请钱戊副区长阅示", when=past)
    # answered (教育局)
    doc = routed(submitted(request("jyj", "教育局", "关于组织开展中小学生研学实践活动的请示", when=past), "jyj", when=past),
                 when=past)
    step(doc, "拟请赵丁副区长阅示", when=past)
    step(doc, "同意。请教育局制定安全预案，确保学生安全。", when=past)

    # issued: a normative document drafted by the 司法局 on the government's behalf (代拟)
    norm = services.document_draft(
        actor=p["sfj"], unit=u["司法局"], direction="outgoing", kind="通知", issuing_as="government",
        title="洮北区行政执法公示办法", is_normative=True, main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"],
        body="第一条 为规范行政执法公示工作，根据有关法律法规，结合本区实际，制定本办法。\n"
             "第二条 本区各行政执法机关应当在执法决定作出之日起7个工作日内公开执法信息。\n"
             "第三条 本办法自印发之日起施行。",
        facts={"normative": NORMATIVE_DONE, "in_annual_plan": True}, on=past)
    issuing.document_send_for_signing(actor=p["sfj"], document_id=norm.pk, on=past)
    for _ in range(4):
        step(norm, "同意", when=past)
    services.document_number(actor=p["wenshu"], document_id=norm.pk, on=past)
    issuing.document_issue(actor=p["wenshu"], document_id=norm.pk, on=past)
    # drafted, not yet submitted (教育局)
    request("jyj", "教育局", "关于申请校园安全设施改造资金的请示")
    # submitted, waiting for registration (新华街道)
    submitted(request("xhjd", "新华街道", "关于新华街道社区养老服务站建设的请示"), "xhjd")
    # returned with reasons (东风乡)
    back = submitted(request("dfx", "东风乡", "关于东风乡村级道路维修的请示"), "dfx")
    intake.document_return(actor=p["wenshu"], document_id=back.pk, on=today,
                           reasons="请补充道路维修里程和资金测算依据，并附乡党委会议纪要（《工作规则》第六十七条）")
    # awaiting the office director's review (拟办)
    routed(submitted(request("sfj", "司法局", "关于开展法治政府建设示范创建的请示"), "sfj"))
    # awaiting the 分管副区长 (赵丁, 教育局)
    doc = routed(submitted(request("jyj", "教育局", "关于调整城区学校学区划分的请示"), "jyj"))
    step(doc, "拟请赵丁副区长阅示")
    # awaiting the 区长 after the 分管领导 (major matter, 发改局)
    doc = routed(submitted(request("fgj", "发改局", "关于申报2027年中央预算内投资项目的请示"), "fgj"), major=True)
    step(doc, "拟请孙己副区长审核后报张甲区长审批")
    doc.refresh_from_db()
    # urgent, 串并联: the 常务副区长 and the 区长 at once (财政局)
    doc = routed(submitted(request("czj", "财政局", "关于提前下达农村公路养护资金的请示", urgency="加急",
                                   days_needed=4), "czj"), parallel=True)
    step(doc, "情况紧急，拟请李乙常务副区长、张甲区长同时阅示")
    # awaiting signature: an office notice with the 常务副区长
    notice = services.document_draft(
        actor=p["wenshu"], unit=u["区政府办"], direction="outgoing", kind="通知", issuing_as="office",
        title="关于做好元旦春节期间值班值守工作的通知", main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"],
        body="一、高度重视值班工作\n各单位要严格执行24小时值班和领导带班制度。\n二、及时报告突发事件\n遇有重大突发事件，要按规定及时报告。",
        facts={"in_annual_plan": True}, on=today)
    issuing.document_send_for_signing(actor=p["wenshu"], document_id=notice.pk, on=today)
    step(notice, "同意")
    step(notice, "同意")
