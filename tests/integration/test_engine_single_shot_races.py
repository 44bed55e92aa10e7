"""Single-shot actions that are approval steps (issue 11, item 3): a leave decision and the minutes'
review and signing, each tried by 24 devices of the rightful person at the same moment, give exactly
one effect and one audit event; the others are told someone got there first (409, naming the task).
The domain pages call the engine's task_complete, whose conditional claim on the task decides."""

from __future__ import annotations

import pytest

from zhengwu.meetings import services
from zhengwu.meetings.models import Attendance, Minutes
from zhengwu.org import demo
from zhengwu.workflow import access as wf_access
from zhengwu.workflow.models import Task

from meetings_support import DAY, MEETING_DAY, at, held, p, schedule
from test_single_shot_races import audited, one_winner, race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gov():
    return demo.load()


def test_a_leave_decided_from_many_devices_at_once_is_decided_once(monkeypatch, gov):
    meeting = schedule("topical", chair="fuqu1", member_ids=[p("fuqu2").pk, p("czj").pk])
    att = services.leave_request(actor=p("fuqu2"), meeting_id=meeting.pk, reason="赴省开会", at=at(DAY, 10))
    outcomes = race(monkeypatch, wf_access, "task_for_action", lambda: services.leave_decide(
        actor=p("fuqu1"), attendance_id=att.pk, approve=True, on=DAY))
    one_winner(outcomes, field="task_id", says="已由")
    assert Attendance.objects.get(pk=att.pk).status == "on_leave"
    assert audited("meetings.attendance.leave_decide", att.pk) == 1
    assert Task.objects.filter(approval_id=att.leave_approval_id, status="done").count() == 1


def test_minutes_reviewed_and_signed_from_many_devices_at_once_are_reviewed_and_signed_once(monkeypatch, gov):
    meeting = held("standing")
    minutes = services.minutes_draft(actor=p("wenshu"), meeting_id=meeting.pk, number="〔2026〕23号", body="一、……")
    minutes = services.minutes_submit(actor=p("wenshu"), minutes_id=minutes.pk, on=MEETING_DAY)
    outcomes = race(monkeypatch, wf_access, "task_for_action", lambda: services.minutes_review(
        actor=p("bgs-zhuren"), minutes_id=minutes.pk, on=MEETING_DAY))
    one_winner(outcomes, field="task_id", says="已由")
    assert Minutes.objects.get(pk=minutes.pk).status == "reviewed"
    assert audited("meetings.minutes.review", minutes.pk) == 1

    outcomes = race(monkeypatch, wf_access, "task_for_action", lambda: services.minutes_sign(
        actor=p("quzhang"), minutes_id=minutes.pk, on=MEETING_DAY))
    one_winner(outcomes, field="task_id", says="已由")
    signed = Minutes.objects.get(pk=minutes.pk)
    assert (signed.status, signed.signed_by.username) == ("signed", "quzhang")
    assert audited("meetings.minutes.sign", minutes.pk) == 1
    assert Task.objects.filter(approval_id=minutes.approval_id, status="done").count() == 2
