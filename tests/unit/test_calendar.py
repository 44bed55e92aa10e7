"""The pure work calendar (zhengwu.rulebook.calendar): examples a clerk can check on a wall calendar."""

import datetime as dt

import pytest

from zhengwu.rulebook.calendar import (
    MAX_WORKDAYS,
    CalendarError,
    WorkCalendar,
    from_holidays_package,
    nth_weekday,
    parse_date,
    parse_workdays,
    schedule_year,
    weekdays_through,
)

D = dt.date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return from_holidays_package(2004, 2027).calendar()


# ---------------------------------------------------------------------- the check values ----

def test_fourteen_working_days_after_24_september_2026_is_21_october(cal):
    # 2026-09-25 中秋, 10-01..10-07 国庆 (10-05..07 调休), 10-10 (Sat) is a make-up working day
    assert cal.add_workdays(D(2026, 9, 24), 14) == D(2026, 10, 21)


def test_2026_has_248_working_days(cal):
    assert cal.workdays_in_year(2026) == 248
    assert cal.count_workdays(D(2025, 12, 31), D(2026, 12, 31)) == 248


def test_sunday_4_january_2026_is_a_make_up_working_day(cal):
    assert D(2026, 1, 4).weekday() == 6
    assert cal.is_workday(D(2026, 1, 4)) is True


def test_national_day_week_2026_is_off_and_thursday_8_october_is_back_at_work(cal):
    # 国庆节 10-01 (Thu) … 10-07 (Wed) 放假调休; 10-08 (Thu) is an ordinary working day — as it must
    # be for the check values above (with 10-08 off, 14 working days after 09-24 would be 10-22
    # and 2026 would have 247 working days).
    assert [cal.is_workday(D(2026, 10, d)) for d in range(1, 11)] == [
        False, False, False, False, False, False, False, True, True, True]


def test_the_2026_make_up_working_days_are_exactly_the_notices(cal):
    weekend_workdays = [d for d in _days(D(2026, 1, 1), D(2026, 12, 31)) if d.weekday() >= 5 and cal.is_workday(d)]
    assert weekend_workdays == [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9),
                                D(2026, 9, 20), D(2026, 10, 10)]


def test_a_plain_weekday_and_a_plain_weekend(cal):
    assert cal.is_workday(D(2026, 3, 2)) is True  # Monday
    assert cal.is_workday(D(2026, 3, 7)) is False  # Saturday


# ------------------------------------------------------------------------- counting rules ----

def test_counting_starts_the_next_day_so_the_start_day_never_counts(cal):
    # Friday 2026-03-06: the 1st working day after it is Monday 03-09, not the Friday itself
    assert cal.add_workdays(D(2026, 3, 6), 1) == D(2026, 3, 9)
    # from a Monday, the 1st working day after is the Tuesday
    assert cal.add_workdays(D(2026, 3, 2), 1) == D(2026, 3, 3)


def test_count_is_half_open_start_excluded_end_included(cal):
    assert cal.count_workdays(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert cal.count_workdays(D(2026, 3, 2), D(2026, 3, 3)) == 1
    assert cal.count_workdays(D(2026, 3, 1), D(2026, 3, 2)) == 1  # Sunday → Monday
    assert cal.count_workdays(D(2026, 3, 3), D(2026, 3, 2)) == -1  # antisymmetric


def test_zero_working_days_after_a_date_is_the_date_itself(cal):
    assert cal.add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 3)  # even on a day off: no rounding


def test_negative_n_counts_back_to_the_nth_working_day_before(cal):
    # lead times ("提前7个工作日"): 7 working days before Thursday 2026-10-15
    r = cal.add_workdays(D(2026, 10, 15), -7)
    assert r == D(2026, 9, 30)  # 10-14, 13, 12, 10 (Sat, make-up), 09, 08, then 09-30
    assert cal.is_workday(r)
    assert cal.count_workdays(r - dt.timedelta(days=1), D(2026, 10, 14)) == 7  # [r, d) holds 7


def test_next_and_previous_workday(cal):
    assert cal.next_workday(D(2026, 9, 30)) == D(2026, 10, 8)  # 10-01..10-07 off
    assert cal.next_workday(D(2026, 9, 30), include_self=True) == D(2026, 9, 30)
    assert cal.next_workday(D(2026, 10, 3), include_self=True) == D(2026, 10, 8)
    assert cal.previous_workday(D(2026, 10, 8)) == D(2026, 9, 30)


# ------------------------------------------------------------------------ official years ----

def test_an_answer_in_2027_reports_that_2027_is_not_official(cal):
    assert 2027 not in cal.official_years and 2026 in cal.official_years
    ans = cal.is_workday_checked(D(2027, 3, 1))
    assert ans.unofficial_years == (2027,)
    assert ans.warnings == ["2027 年的国务院办公厅放假安排尚未载入"]


def test_an_answer_inside_2026_reports_nothing(cal):
    value, years = cal.add_workdays_checked(D(2026, 9, 24), 14)
    assert value == D(2026, 10, 21) and years == ()


def test_a_span_into_2027_reports_2027(cal):
    ans = cal.add_workdays_checked(D(2026, 12, 20), 10)
    assert ans.value == D(2027, 1, 4)  # 12-21..12-31 has 9 working days; Fri 2027-01-01 is 元旦
    assert ans.unofficial_years == (2027,)
    assert cal.count_workdays_checked(D(2026, 11, 1), D(2027, 2, 1)).unofficial_years == (2027,)
    assert cal.count_workdays_checked(D(2026, 11, 1), D(2026, 12, 1)).unofficial_years == ()


def test_late_december_belongs_to_the_next_years_notice(cal):
    # the 2019 notice made 2018-12-29 (Sat) a working day and 2018-12-31 (Mon) a holiday
    assert schedule_year(D(2018, 12, 29)) == 2019 and schedule_year(D(2018, 12, 24)) == 2018
    assert cal.is_workday(D(2018, 12, 29)) is True and cal.is_workday(D(2018, 12, 31)) is False
    assert cal.is_workday_checked(D(2026, 12, 28)).unofficial_years == (2027,)
    assert cal.is_workday_checked(D(2026, 12, 24)).unofficial_years == ()


def test_years_beyond_the_loaded_ones_are_plain_weekdays_and_unofficial(cal):
    assert cal.is_workday(D(2035, 10, 1)) is True  # a Monday: no notice known, so Monday–Friday
    assert cal.add_workdays(D(2035, 1, 4), 5) == D(2035, 1, 11)  # Thursday + 5 → next Thursday
    assert cal.unofficial_years(D(2029, 6, 1), D(2031, 6, 1)) == [2029, 2030, 2031]


# ----------------------------------------------------------------------------- bad input ----

@pytest.mark.parametrize("n", [1.5, "3", None, True, 2.0])
def test_n_must_be_an_integer(cal, n):
    with pytest.raises(CalendarError, match="工作日数 N") as e:
        cal.add_workdays(D(2026, 3, 2), n)
    assert e.value.field == "n"


def test_n_must_not_be_absurdly_large(cal):
    with pytest.raises(CalendarError, match="过大") as e:
        cal.add_workdays(D(2026, 3, 2), MAX_WORKDAYS + 1)
    assert e.value.field == "n"
    assert cal.add_workdays(D(2026, 3, 2), MAX_WORKDAYS) > D(2060, 1, 1)  # the cap itself is fine


def test_a_result_beyond_the_calendar_range_is_refused():
    small = WorkCalendar({}, [], 2020, 2021, horizon_years=2)
    with pytest.raises(CalendarError, match="晚于工作日历终点") as e:
        small.add_workdays(D(2023, 12, 1), 100)
    assert e.value.field == "n"
    with pytest.raises(CalendarError, match="早于工作日历起点"):
        small.add_workdays(D(2020, 1, 10), -20)


@pytest.mark.parametrize("bad", [D(2003, 12, 30), dt.datetime(2026, 3, 2, 9, 0), "2026-03-02", 20260302])
def test_dates_must_be_dates_inside_the_calendar(cal, bad):
    with pytest.raises(CalendarError, match="日期") as e:
        cal.is_workday(bad)
    assert e.value.field == "date"


def test_count_names_which_date_is_wrong(cal):
    with pytest.raises(CalendarError, match="截止日期") as e:
        cal.count_workdays(D(2026, 1, 1), D(2200, 1, 1))
    assert e.value.field == "b"


def test_parse_date_names_the_field_and_the_impossible_day():
    assert parse_date("2026-09-24") == D(2026, 9, 24)
    with pytest.raises(CalendarError, match="2026-02-30 不存在") as e:
        parse_date("2026-02-30", field="date")
    assert e.value.field == "date"
    for bad in ("2026-9-24", "24/09/2026", "", "2026-13-01"):
        with pytest.raises(CalendarError, match="日期"):
            parse_date(bad)


def test_parse_workdays_accepts_positive_integers_only_by_default():
    assert parse_workdays("14") == 14 and parse_workdays(" 7 ") == 7
    for bad in ("0", "-3", "1.5", "abc", "", "1e3", str(MAX_WORKDAYS + 1)):
        with pytest.raises(CalendarError, match="工作日数 N"):
            parse_workdays(bad)
    assert parse_workdays("0", allow_zero=True) == 0 and parse_workdays("-3", allow_negative=True) == -3


def test_exceptions_outside_the_years_are_refused():
    with pytest.raises(CalendarError, match="不在 2020–2021 年之内"):
        WorkCalendar({D(2022, 1, 3): False}, [], 2020, 2021)


# ----------------------------------------------------------------- closed-form arithmetic ----

def test_weekday_arithmetic_matches_the_real_weekdays():
    for o in range(D(2026, 1, 1).toordinal(), D(2026, 3, 1).toordinal()):
        d = D.fromordinal(o)
        assert weekdays_through(o) - weekdays_through(o - 1) == (1 if d.weekday() < 5 else 0)
        if d.weekday() < 5:
            assert nth_weekday(weekdays_through(o)) == o


# ------------------------------------------------------------------- the holidays package ----

def test_the_package_reader_filters_old_dates_and_keeps_public_holidays_only():
    src = from_holidays_package(2025, 2027)
    assert min(src.days) >= D(2025, 1, 1)  # no 2001/2005/2006/2011 leftovers of weekend_workdays
    assert D(2026, 3, 8) not in src.days  # 妇女节 half day is not a public holiday
    assert src.official_years == {2025, 2026}  # 2027: the package knows no make-up days yet
    assert src.days[D(2026, 1, 4)] == (True, "元旦调休上班")
    assert src.days[D(2026, 10, 1)] == (False, "国庆节")
    assert src.days[D(2026, 10, 6)] == (False, "国庆节（调休）")


def _days(a, b):
    return [D.fromordinal(o) for o in range(a.toordinal(), b.toordinal() + 1)]
