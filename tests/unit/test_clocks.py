"""The statutory clock helper (rulebook/clocks.py): working and calendar days, pauses left out."""

import datetime as dt

import pytest

from zhengwu.rulebook.calendar import WorkCalendar
from zhengwu.rulebook.clocks import days_used, due_at, due_date

# a calendar with one holiday week: 2026-10-01 … 10-07 off, Saturday 10-10 worked
EXC = {**{dt.date(2026, 10, d): False for d in range(1, 8)}, dt.date(2026, 10, 10): True}
CAL = WorkCalendar(EXC, official_years=[2026], first_year=2026, last_year=2026)
D = dt.date(2026, 9, 28)  # a Monday


def test_working_days_skip_weekends_and_holidays_and_count_the_made_up_saturday():
    assert due_date(D, "working", 3, cal=CAL) == dt.date(2026, 10, 8)  # 29, 30, (holiday), 8
    assert due_date(D, "working", 5, cal=CAL) == dt.date(2026, 10, 10)  # the worked Saturday
    assert due_date(D, "working", 0, cal=CAL) == D


def test_calendar_days_count_every_day():
    assert due_date(D, "calendar", 15) == dt.date(2026, 10, 13)
    assert due_date(D, "calendar", 60) == D + dt.timedelta(days=60)


def test_a_pause_moves_the_due_day_by_its_days_of_the_same_kind():
    # paused after 09-29 until 10-09: the working days in (09-29, 10-09] are 09-30, 10-08, 10-09
    assert due_date(D, "working", 3, paused=[(dt.date(2026, 9, 29), dt.date(2026, 10, 9))], cal=CAL) == \
        CAL.add_workdays(dt.date(2026, 10, 8), 3)
    assert due_date(D, "calendar", 10, paused=[(D + dt.timedelta(days=2), D + dt.timedelta(days=7))]) == \
        D + dt.timedelta(days=15)
    # a pause that starts after the clock ran out changes nothing
    assert due_date(D, "calendar", 10, paused=[(D + dt.timedelta(days=20), D + dt.timedelta(days=30))]) == \
        D + dt.timedelta(days=10)
    # two pauses add up; a pause before the start is clipped to the start
    assert due_date(D, "calendar", 10, paused=[(D - dt.timedelta(days=5), D + dt.timedelta(days=1)),
                                               (D + dt.timedelta(days=3), D + dt.timedelta(days=5))]) == \
        D + dt.timedelta(days=13)


def test_a_running_pause_stops_the_clock():
    assert due_date(D, "working", 20, paused=[(D + dt.timedelta(days=1), None)], cal=CAL) is None


def test_days_used_leave_the_pause_out():
    on = D + dt.timedelta(days=20)
    assert days_used(D, on, "calendar", paused=[(D + dt.timedelta(days=2), D + dt.timedelta(days=7))]) == 15
    assert days_used(D, dt.date(2026, 10, 9), "working", cal=CAL) == 4


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        due_date(D, "lunar", 3)
    with pytest.raises(ValueError):
        due_date(D, "working", 3)  # no calendar
    with pytest.raises(ValueError):
        due_date(D, "calendar", -1)


def test_hours():
    t = dt.datetime(2026, 9, 28, 22, 0)
    assert due_at(t, 5) == dt.datetime(2026, 9, 29, 3, 0)
