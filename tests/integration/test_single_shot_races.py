"""Single-shot actions under load (issue 11, item 3): 20+ callers at the same moment give exactly one
effect and exactly one audit event; every other caller is told, in Chinese and naming the field,
that someone else got there first.

Real threads, each with its own database connection (closed when it ends). The callers collide at
the worst moment: a barrier inside the service, right after the access function has read the
object (so every caller has read the same state and passed the same checks before any of them
writes). Only the conditional write (zhengwu.transitions.transition / set_once, or a unique
constraint) can then tell them apart, so every loser gets a Conflict (409), never the service's
own "already done" pre-check. On PostgreSQL the losers wait on the winner's row lock and find the
row changed; on SQLite the IMMEDIATE transactions run one after another and the later ones find it
changed."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from zhengwu.audit.models import AuditEvent
from zhengwu.decisions import access as decisions_access
from zhengwu.decisions import services as decisions
from zhengwu.decisions.models import Escalation, MajorDecision, ProcedureRecord
from zhengwu.errors import Refused
from zhengwu.meetings import access, services
from zhengwu.meetings.models import AgendaItem, Attendance, FollowUp, Meeting, Minutes, Opinion, Room
from zhengwu.org import demo
from zhengwu.workflow.models import Approval, Task

from meetings_support import DAY, MEETING_DAY, approve, at, item, p, schedule, sign_in

CALLERS = 24
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gov():
    return demo.load()


def race(monkeypatch, module, gate: str, call, n: int = CALLERS, once: bool = False) -> list[tuple[str, object]]:
    """Run `call` in `n` threads at once; each waits after `module.gate` has read the object until
    all have. Returns ("ok", result) or ("refused", Refused) or ("error", exception) per caller.
    `once`: each caller waits only the first time (a gate the service reads again later, e.g. a
    model's from_db when the last read before the write is a plain query)."""
    barrier = threading.Barrier(n, timeout=60)
    original = getattr(module, gate)
    waited = threading.local()

    def gated(*args, **kwargs):
        found = original(*args, **kwargs)
        if not (once and getattr(waited, "done", False)):
            waited.done = True
            barrier.wait()  # every caller has read the object and will pass the same checks
        return found

    monkeypatch.setattr(module, gate, gated)
    outcomes: list = [None] * n

    def run(i):
        try:
            outcomes[i] = ("ok", call())
        except Refused as e:
            outcomes[i] = ("refused", e)
        except Exception as e:  # noqa: BLE001 — reported by the assertion below
            outcomes[i] = ("error", e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    monkeypatch.setattr(module, gate, original)
    assert all(o is not None for o in outcomes), "a caller did not finish"
    return outcomes


def one_winner(outcomes, *, field: str, says: str, at_the_write: bool = True):
    """Exactly one caller succeeded; every other was told why, naming the field. `at_the_write`: the
    gate comes after everything the service checks was read, so every loser lost at the write."""
    errors = [o[1] for o in outcomes if o[0] == "error"]
    assert not errors, f"{len(errors)} callers failed: {errors[:3]}"
    won = [o[1] for o in outcomes if o[0] == "ok"]
    lost = [o[1] for o in outcomes if o[0] == "refused"]
    assert len(won) == 1, f"{len(won)} callers succeeded"
    assert len(lost) == len(outcomes) - 1
    for e in lost:
        if at_the_write:
            assert e.status == 409, (e.status, e.message)  # lost at the write, not at the pre-check
        assert e.field == field and says in e.message, (e.field, e.message)
    return won[0]


def audited(action: str, obj_id) -> int:
    return AuditEvent.objects.filter(action=action, obj_id=str(obj_id)).count()


# ---- meetings ----------------------------------------------------------------------------------

@pytest.fixture
def meeting(gov):
    """A 常务会议 approved for MEETING_DAY with one item confirmed."""
    m = schedule("standing")
    it = item(m, title="关于2027年城区供热价格调整方案的议题")
    services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    return approve(m)


@pytest.fixture
def open_meeting(meeting):
    sign_in(meeting, ["quzhang", "changwu", "fuqu1", "fuqu2"])
    services.meeting_open(actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING_DAY, 9))
    return meeting


def test_a_room_registered_from_many_clients_at_once_is_registered_once(monkeypatch, gov):
    outcomes = race(monkeypatch, access, "is_office", lambda: services.room_create(
        actor=p("wenshu"), name="第三会议室", capacity=40))
    one_winner(outcomes, field="name", says="会议室“第三会议室”已存在", at_the_write=False)
    [room] = Room.objects.filter(name="第三会议室")
    assert audited("meetings.room.create", room.pk) == 1


def test_an_invitee_added_from_many_clients_at_once_is_added_once(monkeypatch, meeting):
    outcomes = race(monkeypatch, access, "meeting_for_office", lambda: services.meeting_invite(
        actor=p("wenshu"), meeting_id=meeting.pk, person_ids=[p("fgj").pk]))
    # who attends is read after the gate: late readers are refused by the pre-check, the others at the
    # insert (one attendance per person and meeting)
    one_winner(outcomes, field="person_ids", says="参会人员", at_the_write=False)
    assert Attendance.objects.filter(meeting=meeting, person=p("fgj")).count() == 1
    assert audited("meetings.attendance.invite", meeting.pk) == 1


def test_a_member_signing_in_from_many_clients_at_once_is_signed_in_once(monkeypatch, meeting):
    att = Attendance.objects.get(meeting=meeting, person=p("fuqu3"))
    outcomes = race(monkeypatch, access, "attendance_of", lambda: services.sign_in(
        actor=p("fuqu3"), meeting_id=meeting.pk, at=at(MEETING_DAY, 8, 45)))
    one_winner(outcomes, field="person_id", says="已签到")
    att.refresh_from_db()
    assert (att.status, att.signed_in_at) == ("present", at(MEETING_DAY, 8, 45))
    assert audited("meetings.attendance.sign_in", att.pk) == 1


def test_the_office_signing_someone_in_from_many_clients_signs_them_in_once(monkeypatch, meeting):
    att = Attendance.objects.get(meeting=meeting, person=p("fuqu4"))
    outcomes = race(monkeypatch, access, "meeting_for_office", lambda: services.sign_in(
        actor=p("wenshu"), meeting_id=meeting.pk, person_id=p("fuqu4").pk, at=at(MEETING_DAY, 8, 50)))
    # the attendance is read after the gate: a late reader is refused by the pre-check (400), the others at the write
    one_winner(outcomes, field="person_id", says="已签到", at_the_write=False)
    assert audited("meetings.attendance.sign_in", att.pk) == 1


def test_an_item_confirmed_by_many_clicks_at_once_is_confirmed_once(monkeypatch, gov):
    m = schedule("standing")
    it = item(m)
    outcomes = race(monkeypatch, access, "item_visible", lambda: services.item_confirm(
        actor=p("quzhang"), item_id=it.pk, on=DAY))
    one_winner(outcomes, field="item_id", says="已确定")
    it.refresh_from_db()
    assert (it.status, it.confirmer_id) == ("confirmed", p("quzhang").pk)
    assert audited("meetings.item.confirm", it.pk) == 1


def test_an_item_withdrawn_by_many_clicks_at_once_is_withdrawn_once(monkeypatch, gov):
    m = schedule("standing")
    it = item(m)
    outcomes = race(monkeypatch, access, "item_visible", lambda: services.item_withdraw(
        actor=p("fuqu1"), item_id=it.pk, reason="另行研究"))
    one_winner(outcomes, field="item_id", says="已撤回")
    assert AgendaItem.objects.get(pk=it.pk).status == "withdrawn"
    assert audited("meetings.item.withdraw", it.pk) == 1


def test_one_speakers_opinion_recorded_from_many_clients_at_once_is_recorded_once(monkeypatch, open_meeting):
    it = open_meeting.items.get()
    outcomes = race(monkeypatch, access, "meeting_for_chair", lambda: services.opinion_record(
        actor=p("wenshu"), item_id=it.pk, speaker_id=p("fuqu1").pk, text="同意方案"))
    # who has spoken is read after the gate: a late reader is refused by the pre-check, the others at the
    # insert (one opinion per speaker and item, meetings_opinion_one_per_speaker)
    one_winner(outcomes, field="speaker_id", says="已就议题", at_the_write=False)
    assert list(Opinion.objects.filter(item=it).values_list("speaker__username", "order")) == [("fuqu1", 1)]
    assert audited("meetings.opinion.record", it.pk) == 1


def test_an_item_decided_by_many_clicks_at_once_is_decided_once(monkeypatch, open_meeting):
    it = open_meeting.items.get()
    outcomes = race(monkeypatch, access, "meeting_for_chair", lambda: services.item_decide(
        actor=p("quzhang"), item_id=it.pk, outcome="通过", conditions="由住建局牵头落实", at=at(MEETING_DAY, 10)))
    one_winner(outcomes, field="item_id", says="已作出决定")
    assert (AgendaItem.objects.get(pk=it.pk).status, AgendaItem.objects.get(pk=it.pk).outcome) == ("decided", "通过")
    assert audited("meetings.item.decide", it.pk) == 1


def test_a_meeting_opened_and_closed_by_many_clicks_at_once_opens_and_closes_once(monkeypatch, meeting):
    sign_in(meeting, ["quzhang", "changwu", "fuqu1", "fuqu2"])
    outcomes = race(monkeypatch, access, "meeting_for_chair", lambda: services.meeting_open(
        actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING_DAY, 9)))
    one_winner(outcomes, field="meeting_id", says="会议进行中")
    assert Meeting.objects.get(pk=meeting.pk).status == "open"
    assert audited("meetings.meeting.open", meeting.pk) == 1

    services.item_decide(actor=p("quzhang"), item_id=meeting.items.get().pk, outcome="通过", at=at(MEETING_DAY, 10))
    outcomes = race(monkeypatch, access, "meeting_for_chair", lambda: services.meeting_close(
        actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING_DAY, 11)))
    one_winner(outcomes, field="meeting_id", says="会议已结束")
    assert Meeting.objects.get(pk=meeting.pk).status == "closed"
    assert audited("meetings.meeting.close", meeting.pk) == 1
    # whoever did not come is recorded absent once, by the one close that won
    assert Attendance.objects.filter(meeting=meeting, status="absent").count() == (
        meeting.attendances.filter(signed_in_at__isnull=True).count())


def test_a_meeting_in_approval_cancelled_by_many_clicks_at_once_is_cancelled_once_through_the_engine(
        monkeypatch, gov):
    m = schedule("standing")
    services.meeting_submit(actor=p("wenshu"), meeting_id=m.pk, on=DAY)
    m.refresh_from_db()
    outcomes = race(monkeypatch, access, "meeting_for_office", lambda: services.meeting_cancel(
        actor=p("wenshu"), meeting_id=m.pk, reason="区长赴省开会"))
    one_winner(outcomes, field="meeting_id", says="会议已取消")
    assert Meeting.objects.get(pk=m.pk).status == "cancelled"
    assert audited("meetings.meeting.cancel", m.pk) == 1
    # its approval withdrawn once, by the engine (approval_cancel), its open tasks with it
    assert Approval.objects.get(pk=m.approval_id).status == "cancelled"
    assert audited("workflow.approval.cancel", m.approval_id) == 1
    assert not Task.objects.filter(approval_id=m.approval_id, status="open").exists()


def test_leave_asked_from_many_clients_at_once_is_asked_once(monkeypatch, meeting):
    att = Attendance.objects.get(meeting=meeting, person=p("fuqu3"))
    outcomes = race(monkeypatch, access, "attendance_of", lambda: services.leave_request(
        actor=p("fuqu3"), meeting_id=meeting.pk, reason="赴省农业农村厅汇报", at=at(DAY, 15)))
    one_winner(outcomes, field="meeting_id", says="已请假待批")
    assert Attendance.objects.get(pk=att.pk).status == "leave_requested"
    assert Approval.objects.filter(route_id="meeting.leave", obj_id=str(att.pk)).count() == 1
    assert audited("meetings.attendance.leave_request", att.pk) == 1


def test_minutes_drafted_and_sent_from_many_clients_at_once_exist_and_go_once(monkeypatch, open_meeting):
    services.item_decide(actor=p("quzhang"), item_id=open_meeting.items.get().pk, outcome="通过",
                         at=at(MEETING_DAY, 10))
    services.meeting_close(actor=p("quzhang"), meeting_id=open_meeting.pk, at=at(MEETING_DAY, 11))
    outcomes = race(monkeypatch, access, "meeting_for_office", lambda: services.minutes_draft(
        actor=p("wenshu"), meeting_id=open_meeting.pk, body="会议研究了供热价格调整方案。"))
    # whether minutes exist is read after the gate: late readers are refused by the pre-check, the
    # others at the insert (one minutes per meeting)
    minutes = one_winner(outcomes, field="meeting_id", says="该会议已有纪要", at_the_write=False)
    assert Minutes.objects.filter(meeting=open_meeting).count() == 1
    assert audited("meetings.minutes.draft", minutes.pk) == 1

    outcomes = race(monkeypatch, access, "meeting_for_office", lambda: services.minutes_submit(
        actor=p("wenshu"), minutes_id=minutes.pk, on=MEETING_DAY))
    one_winner(outcomes, field="minutes_id", says="不能再送核")
    assert Minutes.objects.get(pk=minutes.pk).status == "in_review"
    assert Approval.objects.filter(obj_type="meetings.minutes", obj_id=str(minutes.pk)).count() == 1
    assert audited("meetings.minutes.submit", minutes.pk) == 1


def test_a_follow_up_recorded_issued_from_many_clients_at_once_is_recorded_once(monkeypatch, open_meeting):
    it = open_meeting.items.get()
    services.item_decide(actor=p("quzhang"), item_id=it.pk, outcome="通过", at=at(MEETING_DAY, 10))
    services.meeting_close(actor=p("quzhang"), meeting_id=open_meeting.pk, at=at(MEETING_DAY, 11))
    followup = services.followup_create(actor=p("wenshu"), meeting_id=open_meeting.pk, item_id=it.pk,
                                        title="关于调整城区供热价格的通知")
    issued_on = MEETING_DAY + dt.timedelta(days=5)
    outcomes = race(monkeypatch, access, "meeting_for_office", lambda: services.followup_issued(
        actor=p("wenshu"), followup_id=followup.pk, issued_on=issued_on))
    one_winner(outcomes, field="followup_id", says=f"已于{issued_on.isoformat()}印发")
    assert FollowUp.objects.get(pk=followup.pk).issued_on == issued_on
    assert audited("meetings.followup.issued", followup.pk) == 1


# ---- decisions ---------------------------------------------------------------------------------

def dossier(**data) -> MajorDecision:
    fields = dict(title="城北物流园区基础设施建设项目", matter_type="major_project", amount_yuan=86_000_000,
                  committee_matter="major_measures")
    fields.update(data)
    return decisions.dossier_create(actor=p("wenshu"), data=fields, on=DAY)


def escalated() -> MajorDecision:
    """A dossier the 常务会议 approved and that now goes to the 区委 (set up directly: the race is
    about what follows)."""
    d = dossier()
    MajorDecision.objects.filter(pk=d.pk).update(status="escalated", outcome="通过", decided_on=DAY,
                                                 meeting_type="standing")
    Escalation.objects.create(dossier=d, body="party_committee")
    return d


def test_a_procedure_recorded_from_many_clients_at_once_is_recorded_once(monkeypatch, gov):
    d = dossier()
    outcomes = race(monkeypatch, decisions_access, "dossier_for_edit", lambda: decisions.procedure_record(
        actor=p("wenshu"), dossier_id=d.pk, step="expert_argument", done_on="2026-10-08", evidence="专家论证会纪要",
        on=DAY))
    # the procedure's record is read after the gate (a plain query that finds nothing, so no later gate): a
    # late reader is refused by the repeat pre-check, with the same 409 and text as the write's loser
    one_winner(outcomes, field="step", says="已于2026-10-08登记")
    assert list(ProcedureRecord.objects.filter(dossier=d).values_list("step", flat=True)) == ["expert_argument"]
    assert audited("decisions.procedure.record", d.pk) == 1


def test_a_repeated_procedure_record_is_refused_and_a_correction_is_recorded(gov):
    d = dossier()
    kw = dict(actor=p("wenshu"), dossier_id=d.pk, step="expert_argument", on=DAY)
    decisions.procedure_record(done_on="2026-10-08", evidence="专家论证会纪要", **kw)
    with pytest.raises(Refused) as e:  # the same again: a repeat
        decisions.procedure_record(done_on="2026-10-08", evidence="专家论证会纪要", **kw)
    assert e.value.field == "step" and "不能重复登记" in e.value.message
    assert audited("decisions.procedure.record", d.pk) == 1
    record = decisions.procedure_record(done_on="2026-10-09", evidence="专家论证会纪要（修订）", **kw)  # a correction
    assert (record.done_on, ProcedureRecord.objects.filter(dossier=d).count()) == (dt.date(2026, 10, 9), 1)
    assert audited("decisions.procedure.record", d.pk) == 2


def test_an_escalation_submitted_from_many_clients_at_once_is_submitted_once(monkeypatch, gov):
    d = escalated()
    outcomes = race(monkeypatch, decisions_access, "dossier_for_followup", lambda: decisions.escalation_submit(
        actor=p("bgs-zhuren"), dossier_id=d.pk, body="party_committee", reference="洮北政报〔2026〕15号", on=DAY))
    # the escalation is read inside the write's transaction (no gate there): a late reader is refused by
    # that pre-check, with the same 409 and text (_submitted) as the write's loser
    one_winner(outcomes, field="body", says="不能重复报送")
    esc = Escalation.objects.get(dossier=d)
    assert (esc.status, esc.submitted_by.username) == ("submitted", "bgs-zhuren")
    assert audited("decisions.dossier.escalate", d.pk) == 1


def test_the_party_committees_result_recorded_from_many_clients_at_once_is_recorded_once(monkeypatch, gov):
    d = escalated()
    decisions.escalation_submit(actor=p("bgs-zhuren"), dossier_id=d.pk, body="party_committee",
                                reference="洮北政报〔2026〕15号", on=DAY)
    day = DAY + dt.timedelta(days=10)
    # the gate is the read of the escalation, the service's last read before the write (a plain query, so
    # at Escalation.from_db; once: a loser's message reads it again). Gated at the dossier's read, a caller
    # scheduled late read the escalation after the winner committed and lost at the pre-check
    # ("报送状态为“已同意”，不能登记审议结果")
    outcomes = race(monkeypatch, Escalation, "from_db", lambda: decisions.escalation_record_result(
        actor=p("wenshu"), dossier_id=d.pk, body="party_committee", agreed=True, result="区委常委会同意",
        decided_on=day, on=day), once=True)
    one_winner(outcomes, field="body", says="不能重复登记")
    assert Escalation.objects.get(dossier=d).status == "agreed"
    assert MajorDecision.objects.get(pk=d.pk).status == "implementing"
    assert audited("decisions.dossier.escalation_result", d.pk) == 1
    # implementation tracking started once, by the one that won
    assert Approval.objects.filter(obj_type="decisions.followup", obj_id=str(d.pk),
                                   route_id="decisions.implementation").count() == 1


# ---- documents ---------------------------------------------------------------------------------

def test_a_plan_item_withdrawn_from_many_clients_at_once_is_withdrawn_once(monkeypatch, gov):
    from zhengwu.documents import plans
    from zhengwu.documents.models import PlanItem
    from zhengwu.org.models import Unit

    plan = plans.plan_create(actor=p("wenshu"), unit=Unit.objects.get(short_name="区政府办"), year=2026,
                             items=[{"title": "关于做好2026年度冬季供暖工作的通知", "kind": "通知", "quarter": 4,
                                     "month": None, "reason": "年度重点工作安排"}], on=DAY)
    item = plan.items.get()
    outcomes = race(monkeypatch, plans, "_item_for_edit", lambda: plans.plan_item_withdraw(
        actor=p("wenshu"), item_id=item.pk, reason="并入年度工作要点", on=DAY))
    one_winner(outcomes, field="item_id", says="该条目已撤销")
    assert PlanItem.objects.get(pk=item.pk).withdrawn
    assert AuditEvent.objects.filter(action="documents.plan.item_withdraw", obj_id=str(plan.pk)).count() == 1
