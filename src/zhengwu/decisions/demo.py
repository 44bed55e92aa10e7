"""Demo 三重一大 dossiers (through the services, as a person would): a 重大项目投资 of the 发改局
half-way through its procedures, a 大额资金使用 of the 财政局 complete and ready for the 常务会议,
and the government's own 重大项目投资 decided three weeks ago, now tracked (implementation report
due, evaluation reminder). Wire it after the documents demo: `decisions_demo.load()`.

Art. 28: four procedures are recorded before the agenda; the fifth, the 集体讨论决定, is the
deciding 常务会议's own (art. 29): the decided dossier goes through a 常务会议 of its own where the
members speak, the 区长 last, and the meeting decides."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.org.models import Person, Unit

from . import services
from .models import MajorDecision

FIVE = ("legality", "necessity", "scientific", "feasibility", "controllability")


EVIDENCE = {  # what a clerk records as the evidence of each art. 28 procedure done before the agenda
    "public_participation": "区政府网站征求意见公告及意见采纳情况说明（卷宗附件1）",
    "expert_argument": "专家论证会纪要及论证意见（卷宗附件2）",
    "risk_assessment": "社会稳定风险评估报告（卷宗附件3）",
    "legality_review": "合法性审查意见书（卷宗附件4）",
}  # the 集体讨论决定 is the deciding meeting's own (decisions.meeting_steps): never recorded beforehand
BEFORE_AGENDA = tuple(EVIDENCE)


def load(on: dt.date | None = None) -> list[MajorDecision]:
    today = on or rules.today()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def steps(d, actor, codes, start=90):
        for i, code in enumerate(codes):
            services.procedure_record(actor=p[actor], dossier_id=d.pk, step=code, done_on=ago(start - 12 * i),
                                      evidence=EVIDENCE[code],
                                      legality_reviewer="justice_bureau" if code == "legality_review" else None,
                                      on=today)

    def consult(d, actor, unit, asked, reply=None, replied=None):
        c = services.consultation_ask(actor=p[actor], dossier_id=d.pk, unit_id=u[unit].pk, asked_on=ago(asked),
                                      on=today)
        if reply:
            services.consultation_reply(actor=p[actor], consultation_id=c.pk, reply=reply, replied_on=ago(replied),
                                        on=today)

    # 1. Half-way: two procedures done, a street asked but not yet answered.
    halfway = services.dossier_create(actor=p["fgj"], data={
        "title": "城北物流园区基础设施建设项目", "matter_type": "major_project", "amount_yuan": 86_000_000,
        "summary": "园区道路、给排水和供热管网一期工程，总投资8600万元。", "proposing_unit_id": u["发改局"].pk,
        "research_done": True, "research_ref": "项目可行性研究报告", "committee_matter": "major_measures",
        "affected_unit_ids": [u["财政局"].pk, u["新华街道"].pk]}, on=today)
    steps(halfway, "fgj", ("public_participation", "expert_argument"), start=40)
    consult(halfway, "fgj", "财政局", 20, "原则同意，资金纳入2027年预算统筹安排", 15)
    consult(halfway, "fgj", "新华街道", 10)

    # 2. Complete and ready for the 常务会议.
    ready = services.dossier_create(actor=p["czj"], data={
        "title": "2027年农村公路养护补助资金安排", "matter_type": "large_fund", "amount_yuan": 3_600_000,
        "summary": "对东风乡等乡镇农村公路日常养护给予补助。", "proposing_unit_id": u["财政局"].pk,
        "submitted_on": ago(5).isoformat(), "research_done": True, "research_ref": "农村公路养护情况调研报告",
        "unit_collective_discussion_ref": "区财政局2026年第18次局党组会议纪要", "evaluations": list(FIVE),
        "evaluated_by": "区政府发展研究中心", "affected_unit_ids": [u["东风乡"].pk]}, on=today)
    steps(ready, "czj", BEFORE_AGENDA, start=70)
    consult(ready, "czj", "东风乡", 30, "同意，建议按里程分配", 25)

    # 3. Decided at a 常务会议 three weeks ago (its 集体讨论决定, the 区长 speaking last); implementation
    #    tracked, evaluation reminded.
    decided = services.dossier_create(actor=p["wenshu"], data={
        "title": "城区集中供热管网改造工程", "matter_type": "major_project", "amount_yuan": 42_000_000,
        "summary": "改造老旧供热管网38公里。", "implementation_lead_id": u["发改局"].pk}, on=ago(60))
    for i, code in enumerate(BEFORE_AGENDA):
        services.procedure_record(actor=p["wenshu"], dossier_id=decided.pk, step=code, done_on=ago(120 - 12 * i),
                                  evidence=EVIDENCE[code],
                                  legality_reviewer="legal_adviser" if code == "legality_review" else None,
                                  on=ago(60))
    _decide_at_a_standing_meeting(p, decided, today, outcome="原则通过", conditions="分两年实施，2026年完成主干管网")
    for d in (halfway, ready, decided):
        d.refresh_from_db()
    return [halfway, ready, decided]


def _decide_at_a_standing_meeting(p, dossier, today: dt.date, *, outcome: str, conditions: str) -> None:
    """The 常务会议 that decides the dossier (art. 28, 29), through the meetings services as the office
    and the leaders would: called and approved (art. 65), the item proposed by the 区长 and
    confirmed (art. 60), a quorum signed in, the members' opinions with the 区长 last (末位表态), the
    decision, the minutes reviewed by the 办公室主任 and signed by the 区长."""
    from django.utils import timezone

    from zhengwu.meetings import services as meetings
    from zhengwu.workcalendar.selectors import work_calendar
    from zhengwu.workflow import services as wf
    from zhengwu.workflow.models import Task

    cal = work_calendar()
    tz = timezone.get_current_timezone()
    day = cal.add_workdays(today, -15)  # three weeks ago
    prep = cal.add_workdays(day, -5)

    def at(d: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(d, dt.time(hour, minute), tzinfo=tz)

    office, head = p["wenshu"], p["quzhang"]
    meeting = meetings.meeting_schedule(actor=office, meeting_type="standing", title="区政府第二十一次常务会议",
                                        number=f"{day.year}年第21次", starts_at=at(day, 9), ends_at=at(day, 11),
                                        chair_id=head.pk, place="区政府第一会议室", on=prep)
    item = meetings.item_propose(actor=head, meeting_id=meeting.pk, dossier_id=dossier.pk, on=prep,
                                 has_substantive_content=True, has_clear_proposal=True, concerns_whole_district=True,
                                 lead_unit_id=dossier.implementation_lead_id)
    meetings.item_confirm(actor=head, item_id=item.pk, on=prep)
    meetings.meeting_submit(actor=office, meeting_id=meeting.pk, on=prep)
    meeting.refresh_from_db()
    for who, decision in (("bgs-zhuren", ""), ("quzhang", "同意")):
        task = Task.objects.filter(approval_id=meeting.approval_id, status="open", assignee=p[who]).first()
        wf.task_complete(actor=p[who], task_id=task.pk, opinion="" if decision else "拟同意", decision=decision, on=prep)
    for who in ("quzhang", "changwu", "fuqu1", "fuqu2", "fuqu3"):
        meetings.sign_in(actor=p[who], meeting_id=meeting.pk, at=at(day, 8, 50))
    meetings.meeting_open(actor=head, meeting_id=meeting.pk, at=at(day, 9))
    for who, text in (("changwu", "前期程序完备，同意分两年实施"), ("fuqu1", "同意，注意冬季施工期间保障供热"),
                      ("fuqu2", "同意"), ("fuqu3", "同意"), ("quzhang", "综合大家意见，原则同意，分两年实施")):
        meetings.opinion_record(actor=office, item_id=item.pk, speaker_id=p[who].pk, text=text)
    meetings.item_decide(actor=head, item_id=item.pk, outcome=outcome, conditions=conditions, at=at(day, 10))
    meetings.meeting_close(actor=head, meeting_id=meeting.pk, at=at(day, 11))
    minutes = meetings.minutes_draft(actor=office, meeting_id=meeting.pk, number=f"〔{day.year}〕21号",
                                     body=f"会议研究了{dossier.title}。\n会议原则同意，{conditions}。")
    signed_on = cal.add_workdays(day, 2)
    meetings.minutes_submit(actor=office, minutes_id=minutes.pk, on=signed_on)
    meetings.minutes_review(actor=p["bgs-zhuren"], minutes_id=minutes.pk, on=signed_on)
    meetings.minutes_sign(actor=head, minutes_id=minutes.pk, on=signed_on)
