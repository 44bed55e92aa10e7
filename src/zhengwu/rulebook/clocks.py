"""Statutory clocks in both kinds of day, and in hours. Pure Python (no Django).

A clock runs from a start day for a number of days of one kind:
- "working": working days on the official calendar (a `WorkCalendar`), as the 政府信息公开条例
  counts (第三十条、第三十三条 "个工作日");
- "calendar": calendar days, as sources that say "日" or "天" count (信访工作条例).

Counting follows 民法典 第201条 like the calendar: the start day itself never counts; "N days from
D" ends on the N-th day strictly after D.

A clock may be paused (征求第三方意见所需时间不计算在期限内, 条例 第三十三条). A pause (a, b) means
the clock stopped after day a and ran again after day b: the days in (a, b] are not counted and
the due day moves later by the days of that kind in the part of the pause that falls before it.
A pause still running (b is None) stops the clock: there is no due day until it ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

KINDS = ("working", "calendar")


def _add(cal, kind: str, day: dt.date, n: int) -> dt.date:
    if kind == "working":
        return cal.add_workdays(day, n)
    return day + dt.timedelta(days=n)


def _count(cal, kind: str, a: dt.date, b: dt.date) -> int:
    """Days of `kind` in (a, b]."""
    if b <= a:
        return 0
    if kind == "working":
        return cal.count_workdays(a, b)
    return (b - a).days


def due_date(start: dt.date, kind: str, days: int, *, paused: Iterable[tuple[dt.date, dt.date | None]] = (),
             cal=None) -> dt.date | None:
    """The due day of a clock of `days` days of `kind` from `start`, with `paused` intervals left
    out; None while a pause that began before the due day is still running. `cal` (a WorkCalendar)
    is needed for working days."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    if kind == "working" and cal is None:
        raise ValueError("working days need the work calendar")
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ValueError("days must be a whole number ≥ 0")
    due = _add(cal, kind, start, days)
    for a, b in sorted(paused, key=lambda p: p[0]):
        a = max(a, start)
        if a >= due:
            continue  # a pause after the clock ran out changes nothing
        if b is None:
            return None
        if b > a:
            due = _add(cal, kind, due, _count(cal, kind, a, b))
    return due


def days_used(start: dt.date, on: dt.date, kind: str, *, paused: Iterable[tuple[dt.date, dt.date | None]] = (),
              cal=None) -> int:
    """Days of `kind` the clock has run in (start, on], pauses left out."""
    used = _count(cal, kind, start, on)
    for a, b in paused:
        a, b = max(a, start), min(b or on, on)
        used -= _count(cal, kind, a, b)
    return max(used, 0)


def due_at(start: dt.datetime, hours: int) -> dt.datetime:
    """A clock in hours (国办发〔2016〕61号: 5, 24 or 48 hours from the time a 舆情 is found)."""
    return start + dt.timedelta(hours=hours)
