"""Demo ledger (through the services, as the 督查指挥中心 and the units would), laid out around
today on the official calendar: items taken from the demo 常务会议's and 区长办公会议's decisions and
from a 副区长's 批示 on the 教育局's request, and items in every state — a draft, one in the 区政府's
name waiting for the 分管领导's approval, assigned, signed with progress, due soon (yellow), overdue
and 挂牌督办 (red), an extension waiting for the center, a completion waiting for the center's 核查
(the 督查指挥中心主任's 待办), verified, closed and suspended; art. 40 findings (one waiting for its
整改报告, one with a pending 复核 of a failed 核查, one re-opened and checked again); and a 表扬建议 for
the 财政局 waiting for the 区长 (his 待办, art. 51).

Wire it after the meetings demo: `supervision_demo.load()`."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.org.models import Person, Unit
from zhengwu.workflow.models import Task

from . import services
from .tick import supervision_tick


def load(on: dt.date | None = None) -> None:
    from zhengwu.documents.models import Document
    from zhengwu.meetings.models import AgendaItem
    from zhengwu.workcalendar.selectors import work_calendar

    cal = work_calendar()
    today = on or rules.today()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}
    dcz = p["dcz"]

    def back(n: int) -> dt.date:
        return cal.add_workdays(today, -n)

    def assign(item, day):
        return services.item_assign(actor=dcz, item_id=item.pk, on=day)

    def new(title, source, lead, day, *, co=(), limit=20, basis=None, **kw):
        return services.item_create(actor=dcz, title=title, source=source, lead_units=[u[lead].pk],
                                    co_units=[u[c].pk for c in co], limit_days=limit, on=day,
                                    basis=basis or f"{title}，按期报送办理情况", **kw)

    # from the 常务会议's decision (供热价格): 发改局 leads, 财政局 co-operates; signed, progress reported
    heating = AgendaItem.objects.filter(title="关于2027年城区供热价格调整方案的议题", status="decided").first()
    if heating is not None:
        day = back(8)
        item = services.item_from_meeting_decision(actor=dcz, agenda_item_id=heating.pk, lead_unit=u["发改局"].pk,
                                                   co_units=[u["财政局"].pk], limit_days=20, on=day)
        assign(item, day)
        services.item_sign(actor=p["fgj"], item_id=item.pk, on=day)
        services.item_report(actor=p["fgj"], item_id=item.pk, text="已完成成本监审，正在起草调价通知",
                             evidence="供热成本监审报告", on=back(2))
    # from the 区长办公会议's decision (抗旱水源): 东风乡 leads, due in two working days (yellow)
    drought = AgendaItem.objects.filter(title="研究东风乡抗旱应急水源工程有关问题", status="decided").first()
    if drought is not None:
        day = back(18)
        item = services.item_from_meeting_decision(actor=dcz, agenda_item_id=drought.pk, lead_unit=u["东风乡"].pk,
                                                   co_units=[u["财政局"].pk], limit_days=20, on=day)
        assign(item, day)
        services.item_sign(actor=p["dfx"], item_id=item.pk, on=day)
    # from 赵丁's 批示 on the 教育局's request: overdue past the limit (挂牌督办 by tick below)
    doc = Document.objects.filter(title="关于组织开展中小学生研学实践活动的请示").first()
    task = (Task.objects.filter(approval__obj_type="documents.document", approval__obj_id=str(doc.pk),
                                step_id="leader_instruct", status="done").first() if doc else None)
    if task is not None:
        day = back(30)
        item = services.item_from_instruction(actor=dcz, task_id=task.pk, limit_days=20, on=day,
                                              basis="赵丁副区长批示：请教育局制定安全预案，确保学生安全。预案报区政府备案。")
        assign(item, day)
        services.item_sign(actor=p["jyj"], item_id=item.pk, on=day)

    # an inspection finding: completion reported, waiting for the center's 核查 (dcz's 待办)
    item = new("落实市委巡察反馈“行政执法公示不到位”问题整改", "inspection", "司法局", back(25),
               basis="市委第三巡察组反馈意见第5条：行政执法公示不到位。限期整改并建立长效机制。")
    assign(item, back(25))
    services.item_sign(actor=p["sfj"], item_id=item.pk, on=back(24))
    services.item_report(actor=p["sfj"], item_id=item.pk, text="已印发《洮北区行政执法公示办法》", evidence="办法文本",
                         stage=True, on=back(10))
    services.item_request_closure(actor=p["sfj"], item_id=item.pk, text="各执法机关已按办法公示执法信息",
                                  evidence="公示平台截图", mechanism="每季度抽查执法公示情况并通报", on=back(1))
    # a 政府工作报告 task: verified and closed
    item = new("政府工作报告重点任务：完成政府采购电子化平台建设", "annual_report", "财政局", back(40), limit=25)
    assign(item, back(40))
    services.item_sign(actor=p["czj"], item_id=item.pk, on=back(39))
    services.item_request_closure(actor=p["czj"], item_id=item.pk, text="平台已上线运行", evidence="验收报告", on=back(20))
    services.item_verify(actor=dcz, item_id=item.pk, passed=True, note="实地核查，平台运行正常", on=back(18))
    services.item_close(actor=dcz, item_id=item.pk, on=back(18))
    # a higher-level instruction: an extension asked in time, waiting for the center
    item = new("落实市政府关于老旧小区改造的督查要求", "higher_instruction", "新华街道", back(15), limit=18)
    assign(item, back(15))
    services.item_sign(actor=p["xhjd"], item_id=item.pk, on=back(14))
    services.extension_request(actor=p["xhjd"], item_id=item.pk, new_due_on=cal.add_workdays(today, 20),
                               reason="冬季停工，外墙保温施工顺延至明年春季", on=back(1))
    # in the 区政府's name: waiting for the 分管领导's (李乙's) approval
    item = new("全区安全生产大检查专项督查", "higher_instruction", "发改局", today, co=("财政局",), limit=15,
               in_government_name=True)
    services.item_request_approval(actor=dcz, item_id=item.pk, on=today)
    # a draft the center has not yet assigned, and a suspended one
    new("政府工作报告重点任务：城区学校扩容", "annual_report", "教育局", today, limit=30)
    item = new("推进城北物流园区征地", "meeting_decision", "财政局", back(12), limit=20)
    assign(item, back(12))
    services.item_suspend(actor=dcz, item_id=item.pk, reason="项目规划调整，按市政府要求暂停", on=back(3))
    _oversight_findings(p, u, new, assign, back, today)
    supervision_tick(today)  # the overdue one becomes 挂牌督办, its 分管领导 told
    # art. 51: the 财政局's on-time, first-pass year; the center proposes praise, the 区长 decides (his 待办)
    year = back(18).year
    services.accountability_propose(actor=dcz, unit_id=u["财政局"].pk, year=year, kind="praise", on=today,
                                    reasons="政府采购电子化平台按期建成，核查一次通过；审计整改按要求推进")


def _oversight_findings(p, u, new, assign, back, today) -> None:
    """Art. 40 items (监察、审计 findings): one waiting for its 整改报告 to the 区政府, one whose 核查
    failed and whose 复核 is pending, one rectified after a failed 核查 and checked again (re-opened)."""
    dcz = p["dcz"]
    # an 审计 finding: signed and in progress; the 整改报告 to the 区政府 is still due before 销号
    item = new("落实区审计局审计发现“专项资金拨付滞后”问题整改", "audit_finding", "财政局", back(12), limit=25,
               basis="区审计局审计报告第3条：专项资金拨付滞后。限期整改，整改情况报区政府。")
    assign(item, back(12))
    services.item_sign(actor=p["czj"], item_id=item.pk, on=back(11))
    services.item_report(actor=p["czj"], item_id=item.pk, text="已拨付滞留资金的80%，其余资金正在履行审批程序",
                         evidence="拨付凭证", on=back(3))
    # a 监察 finding: 核查 not passed, the lead unit objects and asks for a 复核 (pending, the 分管 leader decides)
    item = new("落实区监委监察建议“工程招投标监管不严”问题整改", "supervisory_finding", "发改局", back(24), limit=20,
               basis="区监委监察建议书：工程招投标监管不严。限期整改，整改情况报区政府。")
    assign(item, back(24))
    services.item_sign(actor=p["fgj"], item_id=item.pk, on=back(23))
    services.item_rectification_report(actor=p["fgj"], item_id=item.pk, text="已修订招投标监管办法并报区政府",
                                       evidence="监管办法", on=back(14))
    services.item_request_closure(actor=p["fgj"], item_id=item.pk, text="整改已完成", evidence="监管办法",
                                  on=back(12))
    services.item_verify(actor=dcz, item_id=item.pk, passed=False, note="抽查两个项目仍未执行新办法", on=back(10))
    services.review_request(actor=p["fgj"], item_id=item.pk, on=back(8),
                            reason="抽查的两个项目在新办法施行前已开标，不应适用新办法")
    # an 审计 finding re-opened: 核查 not passed, rectified, reported to the 区政府, checked again and closed
    item = new("落实区审计局审计发现“学校食堂经费管理不规范”问题整改", "audit_finding", "教育局", back(30), limit=20,
               basis="区审计局审计报告第5条：学校食堂经费管理不规范。限期整改，整改情况报区政府。")
    assign(item, back(30))
    services.item_sign(actor=p["jyj"], item_id=item.pk, on=back(29))
    services.item_request_closure(actor=p["jyj"], item_id=item.pk, text="已下发规范通知", evidence="通知", on=back(20))
    services.item_verify(actor=dcz, item_id=item.pk, passed=False, note="仅下发通知，未见各校台账", on=back(18))
    services.item_report(actor=p["jyj"], item_id=item.pk, text="各校已建立食堂经费台账并公示", evidence="台账", on=back(12))
    services.item_rectification_report(actor=p["jyj"], item_id=item.pk, text="整改完成，各校台账已建立",
                                       evidence="整改报告", on=back(11))
    services.item_request_closure(actor=p["jyj"], item_id=item.pk, text="整改完成", evidence="台账", on=back(10))
    services.item_verify(actor=dcz, item_id=item.pk, passed=True, note="抽查三所学校，台账规范", on=back(8))
    services.item_close(actor=dcz, item_id=item.pk, on=back(8))
