"""`zhengwu tick` for meetings: the reminder the working day before (idempotent), the regular
meetings falling due with none scheduled (R58/R60.frequency), and the CLI wiring."""

import datetime as dt

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.meetings import selectors, services
from zhengwu.meetings.tick import meetings_tick
from zhengwu.workflow.models import Notification
from zhengwu.workflow.tick import run_tick

from meetings_support import approve, held, p, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


def reminders(meeting):
    return Notification.objects.filter(title=f"会议提醒：{meeting.title}")


@pytest.mark.rules("W65.meeting_reminder")
def test_the_reminder_goes_out_the_working_day_before_once(gov):
    monday = approve(schedule("standing", day=dt.date(2026, 11, 9)))
    meetings_tick(on=dt.date(2026, 11, 5))  # Thursday: too early
    assert reminders(monday).count() == 0
    meetings_tick(on=dt.date(2026, 11, 7))  # Saturday: no reminders on a day off
    assert reminders(monday).count() == 0
    meetings_tick(on=dt.date(2026, 11, 6))  # Friday: the working day before Monday
    meetings_tick(on=dt.date(2026, 11, 6))
    assert sorted(n.person.username for n in reminders(monday)) == sorted(
        ["quzhang", "changwu", "fuqu1", "fuqu2", "fuqu3", "fuqu4"])
    assert "议题" in reminders(monday).first().body
    assert AuditEvent.objects.filter(action="meetings.meeting.remind", obj_id=str(monday.pk)).count() == 1


def test_a_planned_meeting_not_yet_approved_gets_no_reminder(gov):
    m = schedule("standing", day=dt.date(2026, 11, 9))
    meetings_tick(on=dt.date(2026, 11, 6))
    assert reminders(m).count() == 0


@pytest.mark.rules("R60.frequency")
def test_the_office_is_alerted_when_the_monthly_standing_meeting_falls_due_unscheduled_art_60(gov):
    held("standing", day=dt.date(2026, 10, 15))
    held("plenary", day=dt.date(2026, 10, 16))
    # 每月 is the calendar month (art. 60): November may still have its meeting until the 30th
    assert selectors.frequency_status(gov, on=dt.date(2026, 11, 30)) == []
    [late] = selectors.frequency_status(gov, on=dt.date(2026, 12, 1))
    assert (late.rule_id, late.field) == ("R60.frequency", "last_held") and "2026年11月未召开，尚未安排" in late.message
    assert late.message.endswith("（《工作规则》第六十条）")
    meetings_tick(on=dt.date(2026, 12, 1))
    meetings_tick(on=dt.date(2026, 12, 2))
    alerts = Notification.objects.filter(title__startswith="例会提醒")
    assert [(n.person.username, n.title) for n in alerts] == [("bgs-zhuren", "例会提醒：区政府常务会议")]


@pytest.mark.rules("R60.frequency")
def test_a_next_standing_meeting_scheduled_in_time_raises_no_alert_one_too_late_does(gov):
    held("standing", day=dt.date(2026, 10, 15))
    held("plenary", day=dt.date(2026, 10, 16))
    on_time = schedule("standing", day=dt.date(2026, 11, 12))
    assert selectors.frequency_status(gov, on=dt.date(2026, 11, 2)) == []
    services.meeting_cancel(actor=p("wenshu"), meeting_id=on_time.pk, reason="改期")
    # more than a month after 10-15, but in November: each calendar month has its meeting (art. 60)
    still = schedule("standing", day=dt.date(2026, 11, 20), title="区政府第二十四次常务会议")
    assert selectors.frequency_status(gov, on=dt.date(2026, 11, 2)) == []
    services.meeting_cancel(actor=p("wenshu"), meeting_id=still.pk, reason="改期")
    schedule("standing", day=dt.date(2026, 12, 3), title="区政府第二十四次常务会议")
    [late] = selectors.frequency_status(gov, on=dt.date(2026, 11, 2))
    assert (late.rule_id, late.field, late.severity) == ("R60.frequency", "next_scheduled", "warn")
    assert "下次排定2026-12-03，2026年11月将没有召开" in late.message


@pytest.mark.rules("R58.frequency")
def test_a_half_yearly_plenary_meeting_falls_due_art_58(gov):
    held("plenary", day=dt.date(2026, 4, 16))
    held("standing", day=dt.date(2026, 10, 15))
    # 每半年 is the calendar half-year (art. 58): the second half of 2026 runs to 31 December
    plenary = lambda on: [v for v in selectors.frequency_status(gov, on=on) if v.rule_id == "R58.frequency"]  # noqa: E731
    assert plenary(dt.date(2026, 10, 19)) == [] and plenary(dt.date(2026, 12, 31)) == []
    [late] = plenary(dt.date(2027, 1, 4))
    assert late.message.endswith("（《工作规则》第五十八条）")
    assert "上次于2026-04-16召开，2026年下半年未召开" in late.message


def test_zhengwu_tick_runs_the_meetings_job(gov, capsys):
    assert run_tick() == 0
    out = capsys.readouterr().out
    assert "tick meetings:" in out and "frequency alerts" in out
