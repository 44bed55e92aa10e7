"""The official work calendar (工作日历): working days with the 国务院办公厅 调休 schedule.

Pure Python (no Django). A day is a working day when it is Monday–Friday and not a declared
holiday, or when it is a declared make-up working day (调休上班) on a weekend. Only these
*exceptions* to the Monday–Friday rule are data; everything else is arithmetic.

Counting (民法典 第201条, see ARTICLES.md): "N working days after D" is the N-th working day
strictly after D — the count starts the next day; D itself never counts.

Speed: `WorkCalendar` precomputes, for `first_year` … `last_year + margin_years`, the sorted
array of working-day ordinals and, per day, the running count of working days (the value
`bisect_right` on that array would give — tabulated, because a list look-up is about twice as fast
as a bisect). `add_workdays` and `count_workdays` are then two list look-ups, O(1), no day-by-day
walking. Beyond the index (up to `last_year + horizon_years`) they use closed-form Monday–Friday
arithmetic (`weekdays_through`, `nth_weekday`) — still O(1). The common `add_workdays(d, n)` with
n > 0 inside the index is a per-instance callable (`_fast_add_workdays`) over a dict from each day to
the tuple of the working days after it: one dict and one tuple look-up — in C (`_fastcal.FastAdd`,
≈ 0.06 µs a call) where the optional extension is built, else a Python closure (≈ 0.1 µs).

Official years: each answer can report the years whose official holiday schedule it depended
on but which are not loaded (`unofficial_years`). A day belongs to the schedule of
`schedule_year(day)`: the year itself, except 25–31 December, which the *next* year's notice
may change (the 元旦 arrangement: the 2019 notice made 2018-12-29 a working day and 2018-12-31 a
holiday).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

try:  # optional C accelerator for the add_workdays hot path (setup.py builds it when it can)
    from zhengwu.rulebook._fastcal import FastAdd as _FastAdd
except ImportError:  # not built: the pure-Python closure in `_fast_add_workdays`
    _FastAdd = None

__all__ = [
    "MAX_WORKDAYS", "CalendarAnswer", "CalendarError", "CalendarSource", "WorkCalendar",
    "from_holidays_package", "missing_schedule_message", "nth_weekday", "parse_date",
    "parse_workdays", "schedule_year", "schedule_year_span", "weekdays_through",
]

# "Absurdly large": no period in any rules text comes near this (10 000 working days ≈ 40 years).
MAX_WORKDAYS = 10_000
# Late December belongs to the next year's 元旦 arrangement (see module docstring).
NEXT_SCHEDULE_FROM_DECEMBER = 25
WEEKDAY_NAMES = "一二三四五六日"

T = TypeVar("T")
_date = dt.date
_fromordinal = dt.date.fromordinal
_ONE_DAY = dt.timedelta(days=1)


class CalendarError(ValueError):
    """Bad input to the calendar; the message (Chinese) names the field; `field` is its key."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- closed-form arithmetic ----

def weekdays_through(ordinal: int) -> int:
    """Number of Monday–Friday days with proleptic ordinal 1..`ordinal` (0001-01-01 is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def nth_weekday(k: int) -> int:
    """Ordinal of the k-th Monday–Friday day counting from 0001-01-01 (k >= 1); inverse of
    `weekdays_through` on weekdays."""
    weeks, rest = divmod(k - 1, 5)
    return weeks * 7 + rest + 1


def schedule_year(day: dt.date) -> int:
    """The year whose official holiday notice governs `day` (25–31 Dec → next year)."""
    if day.month == 12 and day.day >= NEXT_SCHEDULE_FROM_DECEMBER:
        return day.year + 1
    return day.year


def schedule_year_span(year: int) -> tuple[dt.date, dt.date]:
    """First and last day governed by `year`'s notice."""
    return (dt.date(year - 1, 12, NEXT_SCHEDULE_FROM_DECEMBER),
            dt.date(year, 12, NEXT_SCHEDULE_FROM_DECEMBER - 1))


def missing_schedule_message(year: int) -> str:
    return f"{year} 年的国务院办公厅放假安排尚未载入"


# ----------------------------------------------------------------------- input parsing ----

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: object, *, field: str = "date", label: str = "日期") -> dt.date:
    """A `YYYY-MM-DD` string (or a date) → date; CalendarError naming the field otherwise."""
    if isinstance(text, dt.datetime):
        raise CalendarError(f"{label}必须是日期（YYYY-MM-DD），收到带时间的 {text.isoformat()}", field=field)
    if isinstance(text, dt.date):
        return text
    s = str(text).strip()
    if not _ISO.fullmatch(s):
        raise CalendarError(f"{label} {s!r} 格式不对，应为 YYYY-MM-DD（例如 2026-09-24）", field=field)
    y, m, d = (int(p) for p in s.split("-"))
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise CalendarError(f"{label} {s} 不存在（{y} 年 {m} 月没有 {d} 日）"
                            if 1 <= m <= 12 and y >= 1 else f"{label} {s} 不存在", field=field) from None


def parse_workdays(text: object, *, field: str = "n", allow_zero: bool = False,
                   allow_negative: bool = False) -> int:
    """A count of working days N from text (CLI/forms); by default a positive integer ≤ MAX_WORKDAYS."""
    s = str(text).strip()
    if not re.fullmatch(r"[+-]?\d{1,20}", s):
        raise CalendarError(f"工作日数 N 必须是正整数，收到 {s!r}", field=field)
    n = int(s)
    if n < 0 and not allow_negative or n == 0 and not allow_zero:
        raise CalendarError(f"工作日数 N 必须是正整数，收到 {n}", field=field)
    if abs(n) > MAX_WORKDAYS:
        raise CalendarError(f"工作日数 N={n} 过大（上限 {MAX_WORKDAYS} 个工作日）", field=field)
    return n


# -------------------------------------------------------------------------- the calendar ----

class CalendarAnswer(NamedTuple, Generic[T]):
    """An answer and the schedule years it depended on whose official notice is not loaded
    (a tuple, so `value, years = cal.add_workdays_checked(d, n)` works)."""

    value: T
    unofficial_years: tuple[int, ...] = ()

    @property
    def warnings(self) -> list[str]:
        return [missing_schedule_message(y) for y in self.unofficial_years]


class WorkCalendar:
    """Working days on the official calendar.

    `exceptions` maps a date to True (a make-up working day on a weekend) or False (a holiday on
    a weekday); entries that agree with the Monday–Friday rule are harmless no-ops.
    `official_years` are the schedule years whose 国务院办公厅 notice is loaded.
    Supported dates: 1 Jan `first_year` … 31 Dec `last_year + horizon_years`; exceptions must lie
    in `first_year`…`last_year`. Years after `last_year` are plain Monday–Friday years.
    """

    def __init__(self, exceptions: Mapping[dt.date, bool], official_years: Iterable[int],
                 first_year: int, last_year: int, *, names: Mapping[dt.date, str] | None = None,
                 margin_years: int = 2, horizon_years: int = 50):
        for label, v in (("first_year", first_year), ("last_year", last_year),
                         ("margin_years", margin_years), ("horizon_years", horizon_years)):
            if type(v) is not int:
                raise CalendarError(f"{label} 必须是整数，收到 {v!r}", field=label)
        if not 1 <= first_year <= last_year or last_year + max(margin_years, horizon_years) > 9998:
            raise CalendarError(f"工作日历年份范围无效：{first_year}–{last_year}", field="last_year")
        if margin_years < 0 or horizon_years < margin_years:
            raise CalendarError("margin_years / horizon_years 无效", field="horizon_years")
        self.first_year = first_year
        self.last_year = last_year
        self.min_date = dt.date(first_year, 1, 1)
        self.max_date = dt.date(last_year + horizon_years, 12, 31)
        self._exc: dict[int, bool] = {}
        lo, hi = self.min_date, dt.date(last_year, 12, 31)
        for day, work in exceptions.items():
            if type(day) is not dt.date:
                raise CalendarError(f"例外日期必须是 datetime.date，收到 {day!r}", field="exceptions")
            if not lo <= day <= hi:
                raise CalendarError(f"例外日期 {day} 不在 {first_year}–{last_year} 年之内", field="exceptions")
            if bool(work) != (day.weekday() < 5):  # keep only real exceptions
                self._exc[day.toordinal()] = bool(work)
        self.official_years = frozenset(int(y) for y in official_years)
        self.names: dict[dt.date, str] = dict(names or {})

        start = self.min_date.toordinal()
        self._start_ord = start
        self._index_end = dt.date(last_year + margin_years, 12, 31).toordinal()  # last indexed ordinal
        self._max_ord = self.max_date.toordinal()
        exc = self._exc
        # _ords: ordinals of the working days, sorted; _cum[i]: working days in [start, start-1+i]
        ords: list[int] = []
        cum = [0]
        for o in range(start, self._index_end + 1):
            if exc.get(o, (o - 1) % 7 < 5):
                ords.append(o)
            cum.append(len(ords))
        self._ords = ords
        self._cum_tab = cum
        self._base = start - 1
        self._tab_last = len(cum) - 1
        self._n_indexed = len(ords)
        # weekdays_through at the end of the index, for the arithmetic beyond it
        self._wd_at_end = weekdays_through(self._index_end)
        # the hot path: `add_workdays` for small n > 0 inside the index as a closure over a
        # date → next-working-days dict (no ordinal arithmetic, no date construction, no
        # attribute look-ups); anything else goes to the class method
        self.add_workdays = _fast_add_workdays(self)

    # -- internals: W(x) = number of working days with ordinal in [start, x]; K(k) = its inverse
    def _cum(self, o: int) -> int:
        if o <= self._index_end:
            return self._cum_tab[o - self._base] if o >= self._base else 0
        return self._n_indexed + weekdays_through(o) - self._wd_at_end

    def _kth(self, k: int) -> int:
        if k <= self._n_indexed:
            return self._ords[k - 1]
        return nth_weekday(self._wd_at_end + k - self._n_indexed)

    def _check_date(self, d: object, field: str, label: str, *, allow_day_before: bool = False) -> int:
        if type(d) is not dt.date:
            if isinstance(d, dt.datetime) or not isinstance(d, dt.date):
                raise CalendarError(f"{label}必须是日期（datetime.date），收到 {d!r}", field=field)
        o = d.toordinal()
        lo = self._start_ord - 1 if allow_day_before else self._start_ord
        if o < lo:
            raise CalendarError(f"{label} {d} 早于工作日历起点 {self.min_date}", field=field)
        if o > self._max_ord:
            raise CalendarError(f"{label} {d} 晚于工作日历终点 {self.max_date}", field=field)
        return o

    @staticmethod
    def _check_n(n: object, field: str = "n") -> int:
        if type(n) is not int:
            raise CalendarError(f"工作日数 N 必须是整数，收到 {n!r}", field=field)
        if abs(n) > MAX_WORKDAYS:
            raise CalendarError(f"工作日数 N={n} 过大（上限 {MAX_WORKDAYS} 个工作日）", field=field)
        return n

    # -- public API
    def is_workday(self, d: dt.date) -> bool:
        o = self._check_date(d, "date", "日期")
        w = self._exc.get(o)
        return ((o - 1) % 7 < 5) if w is None else w

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after d (n ≥ 1; 民法典 第201条).

        n == 0 returns d unchanged (an empty period; use `next_workday` to round to a working
        day). n < 0 returns the |n|-th working day strictly before d (for lead times such as
        "提前7个工作日"): the result r is a working day and there are exactly |n| working days in
        [r, d).
        """
        # fast path: two list look-ups inside the precomputed index
        if type(d) is _date and type(n) is int and 0 < n <= MAX_WORKDAYS:
            i = d.toordinal() - self._base
            if 0 <= i <= self._tab_last:
                k = self._cum_tab[i] + n
                if k <= self._n_indexed:
                    return _fromordinal(self._ords[k - 1])
        return self._add_workdays_slow(d, n)

    def _add_workdays_slow(self, d: dt.date, n: int) -> dt.date:
        n = self._check_n(n)
        o = self._check_date(d, "date", "日期", allow_day_before=n > 0)
        if n > 0:
            k = self._cum(o) + n
        elif n < 0:
            k = self._cum(o - 1) + n + 1
            if k < 1:
                raise CalendarError(f"{d} 之前第 {-n} 个工作日早于工作日历起点 {self.min_date}", field="n")
        else:
            return d
        r = self._kth(k)
        if r > self._max_ord:
            raise CalendarError(f"{d} 之后第 {n} 个工作日晚于工作日历终点 {self.max_date}", field="n")
        return dt.date.fromordinal(r)

    def count_workdays(self, a: dt.date, b: dt.date) -> int:
        """Number of working days in (a, b] — a excluded, b included; −count(b, a) when a > b."""
        if type(a) is _date and type(b) is _date:
            ia, ib, last = a.toordinal() - self._base, b.toordinal() - self._base, self._tab_last
            if 0 <= ia <= last and 0 <= ib <= last:
                return self._cum_tab[ib] - self._cum_tab[ia]
        oa = self._check_date(a, "a", "起始日期", allow_day_before=True)
        ob = self._check_date(b, "b", "截止日期", allow_day_before=True)
        return self._cum(ob) - self._cum(oa)

    def next_workday(self, d: dt.date, *, include_self: bool = False) -> dt.date:
        """The first working day after d (or d itself if `include_self` and d is one)."""
        if include_self and self.is_workday(d):
            return d
        return self.add_workdays(d, 1)

    def previous_workday(self, d: dt.date, *, include_self: bool = False) -> dt.date:
        if include_self and self.is_workday(d):
            return d
        return self.add_workdays(d, -1)

    def workdays_in_year(self, year: int) -> int:
        return self.count_workdays(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))

    def name_of(self, d: dt.date) -> str:
        return self.names.get(d, "")

    # -- dependency on official schedules
    def unofficial_years(self, a: dt.date, b: dt.date | None = None) -> list[int]:
        """Schedule years (see `schedule_year`) touched by the days a..b (inclusive, either
        order) whose official notice is not loaded."""
        if b is None:
            b = a
        if b < a:
            a, b = b, a
        return self._unofficial(a, b)

    def _unofficial(self, a: dt.date, b: dt.date) -> list[int]:
        ya = a.year + 1 if (a.month == 12 and a.day >= NEXT_SCHEDULE_FROM_DECEMBER) else a.year
        yb = b.year + 1 if (b.month == 12 and b.day >= NEXT_SCHEDULE_FROM_DECEMBER) else b.year
        off = self.official_years
        if ya == yb:
            return [] if ya in off else [ya]
        return [y for y in range(ya, yb + 1) if y not in off]

    def is_workday_checked(self, d: dt.date) -> CalendarAnswer[bool]:
        w = self.is_workday(d)
        return CalendarAnswer(w, tuple(self._unofficial(d, d)))

    def add_workdays_checked(self, d: dt.date, n: int) -> CalendarAnswer[dt.date]:
        """`add_workdays` plus the unofficial schedule years of the days it consulted:
        (d, r] going forward, [r, d) going back, none for n == 0."""
        r = self.add_workdays(d, n)
        if r > d:
            return CalendarAnswer(r, tuple(self._unofficial(d + _ONE_DAY, r)))
        if r < d:
            return CalendarAnswer(r, tuple(self._unofficial(r, d - _ONE_DAY)))
        return CalendarAnswer(r, ())

    def count_workdays_checked(self, a: dt.date, b: dt.date) -> CalendarAnswer[int]:
        """`count_workdays` plus the unofficial schedule years of the days (a, b] (or (b, a])."""
        c = self.count_workdays(a, b)
        lo, hi = (a, b) if a <= b else (b, a)
        if lo == hi:
            return CalendarAnswer(c, ())
        return CalendarAnswer(c, tuple(self._unofficial(lo + _ONE_DAY, hi)))

    def __repr__(self) -> str:
        return (f"WorkCalendar({self.first_year}–{self.last_year}, {len(self._exc)} exceptions, "
                f"official {len(self.official_years)} years)")


# `add_workdays` answers n < FAST_SPAN from a per-day tuple; larger n take the general path
FAST_SPAN = 32


def _fast_add_workdays(cal: WorkCalendar, *, accelerated: bool = True):
    """`cal.add_workdays` for the common case (a date in the index, 0 < n < FAST_SPAN, the result
    in the index) in one dict and one tuple look-up: `after[d][n]` is the n-th working day after
    d, the tuples sharing one date object per working day. Everything else (n ≤ 0, a large n, a
    datetime, a date outside the index, a result beyond it, bad input) falls back to
    `WorkCalendar.add_workdays`, with the same answer or error.

    With the optional C extension (`_fastcal.FastAdd`, built by setup.py) that look-up is a
    vectorcall type; without it (or with `accelerated=False`) it is the Python closure below,
    ≈ 0.08 µs a call on top of the call itself, about 3× faster than the ordinal arithmetic."""
    base = cal._base
    days = [None, *map(_fromordinal, cal._ords)]  # days[k]: the k-th working day of the index
    # after[d][i] = days[rank(d) + i], rank(d) = working days in [start, d]; every indexed day
    # and the day before start
    after = {_fromordinal(base + i): tuple(days[c:c + FAST_SPAN])
             for i, c in enumerate(cal._cum_tab) if base + i >= 1}
    general = WorkCalendar.add_workdays.__get__(cal)

    if accelerated and _FastAdd is not None:
        fast = _FastAdd(after, general)  # the closure's semantics, in C (see _fastcal.c)
        fast.__doc__ = WorkCalendar.add_workdays.__doc__
        return fast

    def add_workdays(d: dt.date, n: int, _int=int) -> dt.date:
        if n.__class__ is _int and n > 0:
            try:
                return after[d][n]
            except (KeyError, IndexError, TypeError):  # TypeError: an unhashable d
                pass
        return general(d, n)

    add_workdays.__doc__ = WorkCalendar.add_workdays.__doc__
    return add_workdays


# ------------------------------------------------------------ the `holidays` package seed ----

@dataclass
class CalendarSource:
    """Exceptions to the Monday–Friday rule with names, and which schedule years are official."""

    first_year: int
    last_year: int
    days: dict[dt.date, tuple[bool, str]] = field(default_factory=dict)  # date -> (is_workday, name)
    official_years: set[int] = field(default_factory=set)

    def calendar(self, **kw) -> WorkCalendar:
        return WorkCalendar({d: w for d, (w, _) in self.days.items()}, self.official_years,
                            self.first_year, self.last_year,
                            names={d: n for d, (_, n) in self.days.items()}, **kw)


_SHIFTED = re.compile(r"休息日（由 (\d{4}-\d{2}-\d{2}) 调休）")
_OBSERVED = re.compile(r"（补假）$")


def from_holidays_package(first_year: int, last_year: int) -> CalendarSource:
    """Read the exceptions for schedule years first_year..last_year from the `holidays` package
    (China, `public` category only, names in zh_CN). A year counts as official iff the package
    knows make-up working days for it (it guesses the statutory days of years whose notice is
    not out yet, without 调休). `weekend_workdays` always holds a few old dates whatever years
    are asked for: they are filtered by schedule year.
    """
    import holidays  # a pure library; imported lazily so the calendar core needs no dependency

    cn = holidays.China(years=range(first_year, last_year + 2), language="zh_CN", categories=("public",))
    lo, hi = dt.date(first_year, 1, 1), schedule_year_span(last_year)[1]
    src = CalendarSource(first_year, last_year)
    festivals = sorted((d, _OBSERVED.sub("", n)) for d, n in cn.items() if not _SHIFTED.fullmatch(n))

    def festival_near(day: dt.date) -> str:
        best = min(festivals, key=lambda f: abs((f[0] - day).days), default=None)
        return best[1] if best and abs((best[0] - day).days) <= 10 else ""

    made_up_for: dict[dt.date, dt.date] = {}  # make-up working day -> the weekday it frees
    for d, n in cn.items():
        if lo <= d <= hi and d.weekday() < 5:
            m = _SHIFTED.fullmatch(n)
            if m:
                made_up_for[dt.date.fromisoformat(m.group(1))] = d
                fest = festival_near(d)
                n = f"{fest}（调休）" if fest else "调休休息"
            src.days[d] = (False, n)
    for d in cn.weekend_workdays:
        if lo <= d <= hi and d.weekday() >= 5:
            fest = festival_near(made_up_for.get(d, d))
            src.days[d] = (True, f"{fest}调休上班" if fest else "调休上班")
            src.official_years.add(schedule_year(d))
    src.official_years &= set(range(first_year, last_year + 1))
    return src
