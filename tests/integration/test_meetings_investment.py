"""One 三重一大 investment item end to end (art. 28–30, 57–66): the dossier is assembled; it is
refused from the 常务会议 agenda while incomplete, then accepted; the meeting opens with its
quorum; the opinions are recorded with the chair (一把手) last; it is decided; the minutes are
signed; the follow-up document is tracked against its 7 working days on the official calendar."""

import datetime as dt

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.decisions import services as decisions
from zhengwu.decisions.models import MajorDecision
from zhengwu.errors import Refused
from zhengwu.meetings import minutes_docx, selectors, services
from zhengwu.meetings.models import AgendaItem, Opinion
from zhengwu.meetings.tick import meetings_tick
from zhengwu.workflow.models import Notification

from meetings_support import approve, at, p, schedule, sign_in, u

pytestmark = pytest.mark.django_db

PREP = dt.date(2026, 9, 14)  # Monday: the dossier is assembled and the meeting called
MEETING = dt.date(2026, 9, 24)  # Thursday: the 常务会议 (中秋 on 9-25, National Day 10-01..10-07)
STEPS = [("public_participation", dt.date(2026, 8, 3), "网上征求意见公告及采纳情况说明"),
         ("expert_argument", dt.date(2026, 8, 10), "专家论证会纪要"),
         ("risk_assessment", dt.date(2026, 8, 17), "社会稳定和投资风险评估报告"),
         ("legality_review", dt.date(2026, 8, 24), "区司法局合法性审查意见书")]
# the fifth procedure, the 集体讨论决定, is the 常务会议's own discussion and decision (art. 28, 29)


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


def record(dossier, steps):
    for code, day, evidence in steps:
        decisions.procedure_record(actor=p("fgj"), dossier_id=dossier.pk, step=code, done_on=day, evidence=evidence,
                                   legality_reviewer="justice_bureau" if code == "legality_review" else None, on=PREP)


@pytest.mark.rules("R28.procedures", "R28.collective_decision", "R60.agenda", "R63.gating", "R60.quorum",
                   "R29.last_speaker", "R60.minutes", "R63.issue_within", "W63.issue_reminder", "minutes.standing",
                   "meeting.approval")
def test_a_major_investment_item_from_dossier_to_issued_follow_up(gov):
    # 1. the dossier: a 重大项目投资 proposed by the 发改局, consulted, three of the four procedures due
    #    before the agenda done
    dossier = decisions.dossier_create(actor=p("fgj"), on=PREP, data=dict(
        title="城北物流园区基础设施建设项目", matter_type="major_project", amount_yuan=86_000_000,
        proposing_unit_id=u("发改局").pk, submitted_on="2026-09-07", research_done=True,
        research_ref="项目可行性研究报告", unit_collective_discussion_ref="区发改局2026年第12次局党组会议纪要",
        evaluations=["legality", "necessity", "scientific", "feasibility", "controllability"],
        evaluated_by="区政府发展研究中心", affected_unit_ids=[u("财政局").pk, u("新华街道").pk]))
    for name in ("财政局", "新华街道"):
        c = decisions.consultation_ask(actor=p("fgj"), dossier_id=dossier.pk, unit_id=u(name).pk,
                                       asked_on=dt.date(2026, 9, 3), on=PREP)
        decisions.consultation_reply(actor=p("fgj"), consultation_id=c.pk, reply=f"{name}：同意",
                                     replied_on=dt.date(2026, 9, 8), on=PREP)
    record(dossier, STEPS[:3])

    # 2. the 常务会议 and the item: proposed by the 区长, who keeps the 发改局 in his own 分工 (art. 60:
    #    a 副区长 proposes only items of his units -- changed with issue 11 item 5), refused while incomplete
    meeting = schedule("standing", day=MEETING, room_id=services.room_create(
        actor=p("wenshu"), name="区政府第一会议室", capacity=40).pk, invitee_ids=[p("fgj").pk, p("czj").pk])
    item = services.item_propose(actor=p("quzhang"), meeting_id=meeting.pk, dossier_id=dossier.pk,
                                 materials=["项目可行性研究报告", "合法性审查意见书"], lead_unit_id=u("发改局").pk,
                                 has_substantive_content=True, has_clear_proposal=True,
                                 concerns_whole_district=True, on=PREP)
    assert (item.matter_type, item.title) == ("major_project", "城北物流园区基础设施建设项目")
    [r] = selectors.agenda_readiness(meeting, on=PREP)
    assert r.state == "incomplete"
    assert {v.rule_id for v in r.violations if v.blocks} >= {"R63.gating", "R28.procedures"}
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as e:
        services.item_confirm(actor=p("quzhang"), item_id=item.pk, on=PREP)
    rules = {v.rule_id: v for v in e.value.violations if v.blocks}
    assert rules["R28.procedures"].message.endswith("（《工作规则》第二十八条）")
    assert "尚缺合法性审查，" in rules["R28.procedures"].message  # the 集体讨论决定 is the meeting's own
    assert rules["R63.gating"].message.endswith("（《工作规则》第六十三条）")
    assert AgendaItem.objects.get(pk=item.pk).status == "proposed" and AuditEvent.objects.count() == events
    assert MajorDecision.objects.get(pk=dossier.pk).status == "assembling"

    record(dossier, STEPS[3:])  # the legality review: now accepted
    item = services.item_confirm(actor=p("quzhang"), item_id=item.pk, on=PREP)
    assert (item.status, item.prior_procedure_complete) == ("confirmed", True)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.agenda_meeting_id) == ("on_agenda", meeting.pk)

    # 3. approved (art. 65) — the notices go out; the reminder the working day before (tick)
    meeting = approve(meeting, on=PREP)
    assert Notification.objects.filter(title__startswith="会议通知", person__username="fgj").exists()
    meetings_tick(on=dt.date(2026, 9, 23))
    meetings_tick(on=dt.date(2026, 9, 23))  # idempotent
    assert Notification.objects.filter(title__startswith="会议提醒", person__username="quzhang").count() == 1

    # 4. opens with its quorum: 3 of 6 members (half or more, art. 60); 孙己 asked for leave
    services.leave_request(actor=p("fuqu4"), meeting_id=meeting.pk, reason="赴省司法厅参加培训",
                           views="同意项目实施，建议加强合同合法性审查", at=at(dt.date(2026, 9, 22), 16))
    services.leave_decide(actor=p("quzhang"), attendance_id=meeting.attendances.get(person=p("fuqu4")).pk,
                          approve=True, on=dt.date(2026, 9, 22))
    sign_in(meeting, ["quzhang", "changwu", "fuqu1", "fgj"])
    meeting = services.meeting_open(actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING, 9))
    assert meeting.status == "open"

    # 5. opinions with the chair last (末位表态)
    def speak(who, text):
        return services.opinion_record(actor=p("wenshu"), item_id=item.pk, speaker_id=p(who).pk, text=text)

    speak("changwu", "项目前期程序完备，建议分期实施")
    with pytest.raises(Refused) as e:
        speak("quzhang", "同意")
    assert "R29.last_speaker" in [v.rule_id for v in e.value.violations]
    assert e.value.message.endswith("（《工作规则》第二十九条）")
    speak("fuqu1", "同意，注意施工安全")
    speak("quzhang", "综合大家意见，同意分期实施")
    assert [o.speaker.username for o in Opinion.objects.filter(item=item).order_by("order")] == [
        "changwu", "fuqu1", "quzhang"]

    # 6. decided: the collective decision of art. 28 is this meeting's, after its members spoke, the chair
    #    last; the dossier records the decision
    item = services.item_decide(actor=p("quzhang"), item_id=item.pk, outcome="原则通过",
                                conditions="分期实施，首期投资不超过8600万元；发改局牵头", at=at(MEETING, 10, 30))
    dossier.refresh_from_db()
    assert (dossier.outcome, dossier.decided_on, dossier.decision_meeting_id) == ("原则通过", MEETING, meeting.pk)
    assert not dossier.procedures.filter(step="collective_decision").exists()
    meeting = services.meeting_close(actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING, 11))
    assert meeting.attendances.get(person=p("fuqu2")).status == "absent"  # no leave asked
    assert meeting.attendances.get(person=p("fuqu4")).status == "on_leave"

    # 7. the minutes: drafted by the office, reviewed by the 办公室主任, signed by the 区长
    minutes = services.minutes_draft(actor=p("wenshu"), meeting_id=meeting.pk, number="〔2026〕23号",
                                     body="会议研究了城北物流园区基础设施建设项目。\n会议原则同意……分期实施。")
    services.minutes_submit(actor=p("wenshu"), minutes_id=minutes.pk, on=MEETING)
    services.minutes_review(actor=p("bgs-zhuren"), minutes_id=minutes.pk, on=dt.date(2026, 9, 28))
    minutes = services.minutes_sign(actor=p("quzhang"), minutes_id=minutes.pk, on=dt.date(2026, 9, 28))
    assert minutes.status == "signed"
    assert minutes_docx.render_minutes_docx(minutes)[:2] == b"PK"  # a .docx (zip)

    # 8. the follow-up document: 7 working days on the official calendar (中秋, National Day, 10-10 worked)
    followup = services.followup_create(actor=p("wenshu"), meeting_id=meeting.pk, item_id=item.pk,
                                        title="关于实施城北物流园区基础设施建设项目的通知")
    assert (followup.due_on, followup.lead_unit.short_name) == (dt.date(2026, 10, 12), "发改局")
    meetings_tick(on=dt.date(2026, 10, 10))  # the working day before it is due: a reminder
    assert Notification.objects.filter(title=f"催办：{followup.title}", person__username="bgs-zhuren").count() == 1
    meetings_tick(on=dt.date(2026, 10, 13))  # late: the office is told, once, citing art. 63
    meetings_tick(on=dt.date(2026, 10, 14))
    late = Notification.objects.filter(title=f"逾期未印发：{followup.title}")
    assert {n.person.username for n in late} == {"bgs-zhuren", "fgj"} and late.count() == 2
    assert late.first().body.endswith("（《工作规则》第六十三条）")
    exported = selectors.decisions_export(gov)
    assert exported[0]["ref"] == f"meetings.item:{item.pk}" and exported[0]["dossier_id"] == dossier.pk
    assert exported[0]["followups"][0]["due_on"] == "2026-10-12"
    assert AuditEvent.objects.filter(action="meetings.followup.remind", obj_id=str(followup.pk)).count() == 2
