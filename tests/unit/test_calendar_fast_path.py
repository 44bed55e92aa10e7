"""The add_workdays hot path (`calendar._fast_add_workdays`): the optional C type
(`zhengwu.rulebook._fastcal.FastAdd`) and the pure-Python closure it replaces give the same
answers and the same errors as the general `WorkCalendar.add_workdays`, input by input."""

import datetime as dt
import gc
import random
import weakref

import pytest

from zhengwu.rulebook import calendar as calmod
from zhengwu.rulebook.calendar import FAST_SPAN, MAX_WORKDAYS, CalendarError, WorkCalendar, from_holidays_package

D = dt.date
ONE = dt.timedelta(days=1)
C_MISSING = "zhengwu.rulebook._fastcal is not built (pip install -e . compiles it from _fastcal.c)"

PATHS = [
    pytest.param("c", marks=pytest.mark.skipif(calmod._FastAdd is None, reason=C_MISSING)),
    "python",
]


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    # index: 2024-01-01 … 2028-12-31 (margin 2), arithmetic beyond, supported to 2076-12-31
    return from_holidays_package(2024, 2026).calendar()


def hot_path(cal: WorkCalendar, path: str):
    return calmod._fast_add_workdays(cal, accelerated=path == "c")


def general(cal: WorkCalendar, d, n):
    return WorkCalendar.add_workdays(cal, d, n)


def outcome(fn, *args, **kwargs):
    """What a call gives: ("ok", value) or ("error", type, CalendarError.field or None, message)."""
    try:
        return ("ok", fn(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 — the exact error is the point
        return ("error", type(e), getattr(e, "field", None), str(e))


class DateSub(dt.date):
    """A date subclass: equal to (and hashed like) the plain date, so it hits the index."""


class BadHash:
    def __hash__(self):
        raise ValueError("no hash")


def last_indexed(cal: WorkCalendar) -> D:
    return D.fromordinal(cal._index_end)


# ------------------------------------------------------------------------- which is which ----

@pytest.mark.parametrize("path", PATHS)
def test_the_hot_path_is_the_kind_asked_for(cal, path):
    fn = hot_path(cal, path)
    if path == "c":
        assert type(fn) is calmod._FastAdd
    else:
        assert type(fn).__name__ == "function" and fn.__name__ == "add_workdays"
    assert fn.__doc__ == WorkCalendar.add_workdays.__doc__


@pytest.mark.skipif(calmod._FastAdd is None, reason=C_MISSING)
def test_a_calendar_uses_the_c_type_when_it_is_built(cal):
    assert type(cal.add_workdays) is calmod._FastAdd
    assert "after[d][n]" in calmod._FastAdd.__doc__


# --------------------------------------------------------------------- same answers ----

@pytest.mark.parametrize("path", PATHS)
def test_random_valid_inputs_give_the_general_answer(cal, path):
    fn = hot_path(cal, path)
    rng = random.Random(20260)
    lo = cal.min_date - ONE  # the day before the start is indexed too
    span = (last_indexed(cal) - lo).days
    for _ in range(5000):
        d = lo + dt.timedelta(days=rng.randrange(span + 1))
        n = rng.randint(1, FAST_SPAN + 8)
        assert fn(d, n) == general(cal, d, n), (d, n)


@pytest.mark.parametrize("path", PATHS)
def test_fourteen_working_days_after_24_september_2026(cal, path):
    assert hot_path(cal, path)(D(2026, 9, 24), 14) == D(2026, 10, 21)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("n", [0, -1, -7, -FAST_SPAN, FAST_SPAN - 1, FAST_SPAN, FAST_SPAN + 1, 250, MAX_WORKDAYS,
                               MAX_WORKDAYS + 1, -MAX_WORKDAYS - 1, 2**70, -(2**70), True, False, 1.0, "1", None])
def test_every_n_gives_the_general_answer_or_error(cal, path, n):
    fn = hot_path(cal, path)
    for d in (D(2026, 9, 24), D(2026, 10, 1), cal.min_date, cal.min_date - ONE, last_indexed(cal)):
        assert outcome(fn, d, n) == outcome(general, cal, d, n), (d, n)


@pytest.mark.parametrize("path", PATHS)
def test_n_zero_is_the_day_itself_and_bad_n_is_a_calendar_error_on_n(cal, path):
    fn = hot_path(cal, path)
    assert fn(D(2026, 10, 3), 0) == D(2026, 10, 3)  # a holiday stays put
    for bad in (True, 1.0, "1", MAX_WORKDAYS + 1):
        with pytest.raises(CalendarError) as err:
            fn(D(2026, 9, 24), bad)
        assert err.value.field == "n"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("d", [
    dt.datetime(2026, 9, 24), dt.datetime(2026, 9, 24, 12, 30), [2026, 9, 24], {"y": 2026}, "2026-09-24", None,
    20260924, D(2023, 12, 30), D(1999, 1, 1), D(2029, 1, 1), D(2050, 6, 1), D(2076, 12, 30), D(2077, 1, 1),
    DateSub(2026, 9, 24), DateSub(2029, 3, 1),
])
@pytest.mark.parametrize("n", [1, 5, FAST_SPAN - 1, FAST_SPAN, 300, -3, 0])
def test_every_d_gives_the_general_answer_or_error(cal, path, d, n):
    assert outcome(hot_path(cal, path), d, n) == outcome(general, cal, d, n)


@pytest.mark.parametrize("path", PATHS)
def test_bad_dates_are_calendar_errors_on_date(cal, path):
    fn = hot_path(cal, path)
    for bad in (dt.datetime(2026, 9, 24), [2026, 9, 24], D(2023, 12, 30), D(2077, 1, 1)):
        with pytest.raises(CalendarError) as err:
            fn(bad, 1)
        assert err.value.field == "date"


@pytest.mark.parametrize("path", PATHS)
def test_results_beyond_the_index(cal, path):
    fn = hot_path(cal, path)
    end = last_indexed(cal)
    for k in range(1, 12):  # days near the end of the index, results just past it
        d = end - dt.timedelta(days=k)
        for n in range(1, FAST_SPAN):
            assert fn(d, n) == general(cal, d, n)
            assert fn(d, n) > d
    # past the supported end: the general error, on n
    near_max = cal.max_date - dt.timedelta(days=3)
    assert outcome(fn, near_max, 10) == outcome(general, cal, near_max, 10)
    with pytest.raises(CalendarError) as err:
        fn(near_max, 10)
    assert err.value.field == "n"


@pytest.mark.parametrize("path", PATHS)
def test_keyword_calls_go_to_the_general_method(cal, path):
    fn = hot_path(cal, path)
    d = D(2026, 9, 24)
    assert fn(d=d, n=14) == fn(d, n=14) == fn(d, 14) == D(2026, 10, 21)
    assert outcome(fn, d, n=True) == outcome(general, cal, d, True)
    assert outcome(fn, d=[1], n=1)[1:3] == (CalendarError, "date")


def test_c_and_python_agree_on_errors_the_general_method_never_sees(cal):
    # the closure lets an error from hashing d through unless it is a TypeError; so does the C type
    if calmod._FastAdd is None:
        pytest.skip(C_MISSING)
    c, py, bad = hot_path(cal, "c"), hot_path(cal, "python"), BadHash()
    assert outcome(c, bad, 3) == outcome(py, bad, 3) == ("error", ValueError, None, "no hash")
    # with n that never reaches the look-up, the general method answers (here: refuses the date)
    assert outcome(c, bad, 0) == outcome(py, bad, 0) == outcome(general, cal, bad, 0)
    assert outcome(c, bad, 0)[1:3] == (CalendarError, "date")


# ------------------------------------------------------------------- only misses go general ----

@pytest.mark.parametrize("path", PATHS)
def test_only_misses_reach_the_general_method(cal, path, monkeypatch):
    calls = []
    real = WorkCalendar.add_workdays

    def spy(self, d, n):
        calls.append((d, n))
        return real(self, d, n)

    monkeypatch.setattr(WorkCalendar, "add_workdays", spy)
    fn = hot_path(cal, path)
    hits = [(D(2026, 9, 24), 14), (D(2026, 1, 1), 1), (cal.min_date - ONE, FAST_SPAN - 1)]
    for d, n in hits:
        assert fn(d, n) == real(cal, d, n)
    assert calls == []
    misses = [(D(2026, 9, 24), 0), (D(2026, 9, 24), -1), (D(2026, 9, 24), FAST_SPAN), (D(2026, 9, 24), 2**70),
              (D(2050, 1, 3), 1), (last_indexed(cal), 1)]
    for d, n in misses:
        assert outcome(fn, d, n) == outcome(real, cal, d, n)
    assert calls == misses


# ------------------------------------------------------------------------------- the C type ----

@pytest.mark.skipif(calmod._FastAdd is None, reason=C_MISSING)
def test_the_c_type_checks_its_arguments_and_is_collected_with_its_calendar():
    FastAdd = calmod._FastAdd
    with pytest.raises(TypeError):
        FastAdd([], print)
    with pytest.raises(TypeError):
        FastAdd({}, "not callable")
    with pytest.raises(TypeError):
        FastAdd(type("D", (dict,), {})(), print)  # a dict subclass could change the look-up
    seen = []
    fa = FastAdd({D(2026, 1, 1): (None, D(2026, 1, 5))}, lambda d, n: seen.append((d, n)) or "general")
    assert fa(D(2026, 1, 1), 1) == D(2026, 1, 5)
    assert fa(D(2026, 1, 1), 2) == "general" and seen == [(D(2026, 1, 1), 2)]
    with pytest.raises(TypeError):
        fa(D(2026, 1, 1))  # the lambda's own error: a wrong argument count is not swallowed

    # the calendar holds the FastAdd, which holds the bound general method: a cycle the GC frees
    c = from_holidays_package(2025, 2025).calendar(margin_years=0, horizon_years=1)
    ref = weakref.ref(c)
    del c
    gc.collect()
    assert ref() is None
