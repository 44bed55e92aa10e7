"""Properties of the work calendar (hypothesis), checked against a slow day-by-day reference
that exists only here: the calendar itself never walks."""

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from zhengwu.rulebook.calendar import WorkCalendar, from_holidays_package, nth_weekday, weekdays_through

D = dt.date
ONE = dt.timedelta(days=1)
CAL = from_holidays_package(2004, 2027).calendar()  # index to 2029, arithmetic beyond, horizon 2077

dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2040, 12, 31))
ns = st.integers(min_value=1, max_value=2000)


def reference_add(cal, d, n):
    step = ONE if n > 0 else -ONE
    left = abs(n)
    while left:
        d += step
        if cal.is_workday(d):
            left -= 1
    return d


def reference_count(cal, a, b):
    return sum(1 for o in range(a.toordinal() + 1, b.toordinal() + 1) if cal.is_workday(D.fromordinal(o)))


@given(dates, ns)
def test_counting_the_days_back_gives_n(d, n):
    r = CAL.add_workdays(d, n)
    assert CAL.count_workdays(d, r) == n


@given(dates, ns)
def test_the_result_is_never_a_day_off_and_the_day_before_it_leaves_one_to_go(d, n):
    r = CAL.add_workdays(d, n)
    assert r > d
    assert CAL.is_workday(r)
    assert CAL.count_workdays(d, r - ONE) == n - 1


@given(dates, ns, ns)
def test_monotonic_in_n(d, n1, n2):
    assume(n1 != n2)
    lo, hi = sorted((n1, n2))
    assert CAL.add_workdays(d, lo) < CAL.add_workdays(d, hi)


@given(dates, dates, ns)
def test_monotonic_in_the_start_date(d1, d2, n):
    lo, hi = sorted((d1, d2))
    assert CAL.add_workdays(lo, n) <= CAL.add_workdays(hi, n)


@given(dates, st.integers(min_value=1, max_value=60))
def test_agrees_with_walking_day_by_day(d, n):
    assert CAL.add_workdays(d, n) == reference_add(CAL, d, n)
    later = d + ONE * 120  # at least 60 working days after the calendar starts
    assert CAL.add_workdays(later, -n) == reference_add(CAL, later, -n)


@given(dates, st.integers(min_value=0, max_value=400))
def test_count_agrees_with_walking_day_by_day(a, span):
    b = a + ONE * span
    assert CAL.count_workdays(a, b) == reference_count(CAL, a, b)
    assert CAL.count_workdays(b, a) == -CAL.count_workdays(a, b)


@given(st.dates(min_value=D(2004, 3, 1), max_value=D(2040, 12, 31)), st.integers(min_value=1, max_value=20))
def test_counting_back_lands_on_a_working_day_with_n_working_days_before_the_date(d, n):
    r = CAL.add_workdays(d, -n)
    assert r < d and CAL.is_workday(r)
    assert CAL.count_workdays(r - ONE, d - ONE) == n  # exactly n working days in [r, d)


@given(dates, ns)
def test_adding_zero_then_n_is_adding_n(d, n):
    assert CAL.add_workdays(CAL.add_workdays(d, 0), n) == CAL.add_workdays(d, n)


exceptions = st.dictionaries(st.dates(min_value=D(2020, 1, 1), max_value=D(2021, 12, 31)), st.booleans(), max_size=60)


@settings(max_examples=60)
@given(exceptions, st.dates(min_value=D(2020, 1, 1), max_value=D(2025, 12, 31)), st.integers(min_value=1, max_value=300))
def test_any_set_of_exceptions_gives_the_same_answers_as_walking(exc, d, n):
    cal = WorkCalendar(exc, [2020], 2020, 2021, margin_years=1, horizon_years=10)
    for day, work in exc.items():
        assert cal.is_workday(day) is work
    r = cal.add_workdays(d, n)
    assert r == reference_add(cal, d, n)
    assert cal.count_workdays(d, r) == n


@given(st.integers(min_value=1, max_value=weekdays_through(D.max.toordinal())))
def test_closed_form_weekday_count_is_inverse_of_nth_weekday(k):
    o = nth_weekday(k)
    assert weekdays_through(o) == k
    assert D.fromordinal(o).weekday() < 5


@given(dates, ns)
def test_an_answer_reports_exactly_the_unofficial_years_it_touched(d, n):
    ans = CAL.add_workdays_checked(d, n)
    assert ans.value == CAL.add_workdays(d, n)
    touched = set(CAL.unofficial_years(d + ONE, ans.value))
    assert set(ans.unofficial_years) == touched
    assert all(y >= 2027 for y in ans.unofficial_years)  # 2004–2026 are official in the package


@pytest.mark.parametrize("d, n, expected", [
    (D(2026, 9, 24), 14, D(2026, 10, 21)),
    (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Saturday 02-14 is a make-up working day
    (D(2026, 2, 14), 1, D(2026, 2, 24)),  # 春节 02-15 … 02-23
    (D(2025, 12, 31), 1, D(2026, 1, 4)),  # 元旦 01-01 … 01-03, Sunday 01-04 works
])
def test_examples_agree_with_walking(d, n, expected):
    assert CAL.add_workdays(d, n) == expected == reference_add(CAL, d, n)
