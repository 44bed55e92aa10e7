"""Leave's single-shot actions under load (the helpers of test_single_shot_races): the 区长's answer to
a 副区长's 请假 given many times at once records one answer, one absence and one audit event; a
request withdrawn many times at once is withdrawn once. Run on PostgreSQL too."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.affairs.leave import access, services
from zhengwu.affairs.leave.models import LeaveRequest
from zhengwu.org import demo
from zhengwu.org.models import Absence, Person
from zhengwu.workflow import access as wf_access

from test_single_shot_races import audited, one_winner, race

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.date(2026, 9, 14)


@pytest.fixture
def gov():
    return demo.load()


def p(username):
    return Person.objects.get(username=username)


@pytest.fixture
def leave(gov):
    return services.leave_request(actor=p("fuqu1"), start=DAY + dt.timedelta(days=3), end=DAY + dt.timedelta(days=4),
                                  destination="长春市", reason="省住建厅会议", substitute_id=p("fuqu2").pk, on=DAY)


def test_the_district_heads_answer_given_at_once_is_recorded_once(leave, monkeypatch):
    quzhang = p("quzhang")
    # the gate is the engine's read of the task (as test_engine_single_shot_races): gated at the request's
    # read, a caller scheduled late read the task after the winner committed and lost at the pre-check
    outcomes = race(monkeypatch, wf_access, "task_for_action",
                    lambda: services.leave_decide(actor=quzhang, request_id=leave.pk, agree=True, on=DAY))
    one_winner(outcomes, field="task_id", says="已由")
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    assert Absence.objects.filter(person=p("fuqu1")).count() == 1
    assert audited("leave.request.decide", leave.pk) == 1


def test_a_request_withdrawn_at_once_is_withdrawn_once(leave, monkeypatch):
    fuqu1 = p("fuqu1")
    outcomes = race(monkeypatch, access, "request_visible",
                    lambda: services.leave_cancel(actor=fuqu1, request_id=leave.pk, reason="会议延期", on=DAY))
    one_winner(outcomes, field="request_id", says="")
    assert audited("leave.request.cancel", leave.pk) == 1
