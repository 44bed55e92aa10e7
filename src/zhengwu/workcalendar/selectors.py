"""Reads of the work calendar.

`work_calendar()` is what every deadline computation uses: the pure
`zhengwu.rulebook.calendar.WorkCalendar` built from the tables, cached in-process. Each call
costs one small query (row counts and latest change times of both tables) to notice changes
made by any process; call it once per request or job and reuse the object for many dates.

The tables override, per schedule year, a baseline read from the `holidays` package for
2004 … next year: on a fresh database (nothing seeded) the answers still come from the
package, and a year the table does not hold (e.g. the year after next, before `seed` has run
again) falls back to the package too.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.utils import timezone

from zhengwu.errors import NotFound
from zhengwu.rulebook.calendar import (
    CalendarSource,
    WorkCalendar,
    from_holidays_package,
    missing_schedule_message,
    schedule_year,
)

from .models import CalendarDay, CalendarYear, Source

FIRST_YEAR = 2004  # the first year whose 调休 the `holidays` package knows reliably

_lock = threading.Lock()
_cache: dict[str, object] = {"key": None, "calendar": None, "source": None}


def default_last_year(today: dt.date | None = None) -> int:
    """Next year: the furthest year whose (provisional) holidays are worth loading."""
    return (today or timezone.localdate()).year + 1


@lru_cache(maxsize=4)
def package_baseline(first_year: int = FIRST_YEAR, last_year: int | None = None) -> CalendarSource:
    """The `holidays` package's view of first_year..last_year (cached per process)."""
    return from_holidays_package(first_year, last_year or default_last_year())


# One calendar per request (see `pinned`): the change check runs once, however many dates the
# page computes (the intake queue's pre-check asks for the calendar once per document).
_pinned: contextvars.ContextVar[list | None] = contextvars.ContextVar("zhengwu_pinned_calendar", default=None)


@contextlib.contextmanager
def pinned():
    """Within the block, `work_calendar()` checks the tables for changes once and then returns the
    same calendar (the web middleware wraps each request in it)."""
    token = _pinned.set([])
    try:
        yield
    finally:
        _pinned.reset(token)


def clear_cache() -> None:
    """Forget the built calendar (the services call this on commit)."""
    with _lock:
        _cache.update(key=None, calendar=None, source=None)
    box = _pinned.get()
    if box:
        box.clear()


def signature_sql(qn) -> str:
    """The select list of the tables' change signature (row counts and latest change times of both
    tables), `qn` the connection's quote_name; also read by web.pagecache in its data version."""
    day, year = qn(CalendarDay._meta.db_table), qn(CalendarYear._meta.db_table)
    return (f"(SELECT COUNT(*) FROM {day}), (SELECT MAX({qn('updated')}) FROM {day}),"
            f" (SELECT COUNT(*) FROM {year}), (SELECT MAX({qn('loaded_at')}) FROM {year})")


def _signature() -> tuple:
    """Row counts and latest change times of both tables, in one query."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT {signature_sql(connection.ops.quote_name)}")
        return tuple(cur.fetchone())


@dataclass
class _Merged:
    source: CalendarSource
    years: dict[int, CalendarYear] = field(default_factory=dict)
    day_sources: dict[dt.date, str] = field(default_factory=dict)


def _merge() -> _Merged:
    base = package_baseline(FIRST_YEAR, default_last_year())
    years = {y.year: y for y in CalendarYear.objects.all()}
    rows = list(CalendarDay.objects.all())
    days = {d: v for d, v in base.days.items() if schedule_year(d) not in years}
    day_sources = {d: Source.HOLIDAYS.value for d in days}
    for r in rows:
        days[r.date] = (r.is_workday, r.name)
        day_sources[r.date] = r.source
    official = {y for y in base.official_years if y not in years} | {y for y, r in years.items() if r.official}
    all_years = [base.first_year, base.last_year, *years, *(r.date.year for r in rows)]
    src = CalendarSource(min(all_years), max(all_years), days, official)
    return _Merged(src, years, day_sources)


def _current() -> tuple[WorkCalendar, _Merged]:
    box = _pinned.get()
    if box:
        return box[0]
    found = _current_checked()
    if box is not None:
        box.append(found)
    return found


def _current_checked() -> tuple[WorkCalendar, _Merged]:
    key = (_signature(), default_last_year())
    with _lock:
        if _cache["key"] == key:
            return _cache["calendar"], _cache["source"]  # type: ignore[return-value]
    merged = _merge()
    cal = merged.source.calendar()
    with _lock:
        _cache.update(key=key, calendar=cal, source=merged)
    return cal, merged


def work_calendar() -> WorkCalendar:
    """The official work calendar as it stands in the database (cached; see module doc)."""
    return _current()[0]


def official_years() -> list[int]:
    """Schedule years whose official 国务院办公厅 holiday schedule is loaded."""
    return sorted(work_calendar().official_years)


def calendar_years() -> list[dict]:
    """Every known schedule year with its status, for the calendar index page."""
    cal, merged = _current()
    out = []
    for y in range(cal.first_year, cal.last_year + 1):
        row = merged.years.get(y)
        out.append({
            "year": y,
            "official": y in cal.official_years,
            "source": row.source if row else Source.HOLIDAYS.value,
            "in_table": row is not None,
            "note": row.note if row else "",
            "loaded_at": row.loaded_at if row else None,
            "workdays": cal.workdays_in_year(y),
        })
    return out


# ------------------------------------------------------------------------------ year view ----

KIND_LABELS = {"workday": "工作日", "weekend": "休息日", "holiday": "放假", "makeup": "调休上班"}


@dataclass(frozen=True)
class DayCell:
    date: dt.date
    is_workday: bool
    kind: str  # workday | weekend | holiday | makeup
    name: str  # 春节, 国庆节调休上班 … (weekends inside a holiday block carry the holiday's name)
    source: str  # holidays | notice | office, or "" for days that follow the Monday–Friday rule

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def is_exception(self) -> bool:
        return self.kind in ("holiday", "makeup")


@dataclass(frozen=True)
class MonthView:
    month: int
    weeks: list[list[DayCell | None]]  # Monday-first rows; None pads days of other months
    workdays: int


@dataclass(frozen=True)
class YearView:
    year: int
    official: bool
    source: str
    note: str
    workdays: int
    warnings: list[str]
    months: list[MonthView]


def year_view(year: int) -> YearView:
    """A year's days with workday / holiday / make-up marks and names, month by month."""
    cal, merged = _current()
    if type(year) is not int or not cal.first_year <= year <= cal.max_date.year:
        raise NotFound(f"年份 {year} 不在工作日历范围（{cal.first_year}–{cal.max_date.year}）之内", field="year")
    row = merged.years.get(year)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cells: dict[dt.date, DayCell] = {}
    d = first
    while d <= last:  # building a display grid, not counting: one cell per day
        work = cal.is_workday(d)
        weekend = d.weekday() >= 5
        kind = ("makeup" if weekend else "workday") if work else ("weekend" if weekend else "holiday")
        exception = kind in ("makeup", "holiday")
        cells[d] = DayCell(d, work, kind, cal.name_of(d) if exception else "",
                           merged.day_sources.get(d, "") if exception else "")
        d += dt.timedelta(days=1)
    _name_holiday_weekends(cells, cal)
    months = []
    for m in range(1, 13):
        start = dt.date(year, m, 1)
        end = (dt.date(year, m + 1, 1) if m < 12 else dt.date(year + 1, 1, 1)) - dt.timedelta(days=1)
        weeks: list[list[DayCell | None]] = []
        week: list[DayCell | None] = [None] * start.weekday()
        d = start
        while d <= end:
            week.append(cells[d])
            if len(week) == 7:
                weeks.append(week)
                week = []
            d += dt.timedelta(days=1)
        if week:
            weeks.append(week + [None] * (7 - len(week)))
        months.append(MonthView(m, weeks, cal.count_workdays(start - dt.timedelta(days=1), end)))
    warnings = [missing_schedule_message(y) for y in cal.unofficial_years(first, last)]
    return YearView(
        year=year,
        official=year in cal.official_years,
        source=row.source if row else Source.HOLIDAYS.value,
        note=row.note if row else "",
        workdays=cal.workdays_in_year(year),
        warnings=warnings,
        months=months,
    )


def _name_holiday_weekends(cells: dict[dt.date, DayCell], cal: WorkCalendar) -> None:
    """Give a weekend that adjoins a weekday holiday the holiday's name (display only: the
    10-03/10-04 weekend inside 国庆节 10-01…10-07)."""
    days = sorted(cells)
    one = dt.timedelta(days=1)
    for d in days:
        c = cells[d]
        if c.kind != "weekend" or c.name:
            continue
        for step in (-one, one):
            e = d + step
            while e in cells and cells[e].kind == "weekend":
                e += step
            if e in cells and cells[e].kind == "holiday":
                base = cells[e].name.split("（")[0]
                cells[d] = DayCell(d, False, "weekend", base, "")
                break
