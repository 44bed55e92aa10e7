"""Context for the calendar year page, from zhengwu.workcalendar.selectors (year_view, official_years)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import pgettext

from zhengwu.errors import Refused
from zhengwu.rulebook.calendar import missing_schedule_message



def weekday_headers() -> list[str]:
    """Monday-first column headers: 一 … 日 in Chinese, Mo … Su in English."""
    return [pgettext("weekday column", "Mo"), pgettext("weekday column", "Tu"), pgettext("weekday column", "We"),
            pgettext("weekday column", "Th"), pgettext("weekday column", "Fr"), pgettext("weekday column", "Sa"),
            pgettext("weekday column", "Su")]


def year_context(year: int, today: dt.date) -> dict:
    from zhengwu.workcalendar import selectors as cal

    ctx: dict = {"year": year, "today": today, "prev_year": year - 1, "next_year": year + 1,
                 "weekday_headers": weekday_headers(), "view": None, "error": ""}
    official = cal.official_years()
    ctx["official_years"] = official
    ctx["recent_official"] = [y for y in official if y >= today.year - 5]
    ctx["older_official"] = [y for y in official if y < today.year - 5]
    try:
        view = cal.year_view(year)
    except Refused as e:
        ctx["error"] = e.message
        return ctx
    ctx["view"] = view
    own = missing_schedule_message(year)
    ctx["other_warnings"] = [w for w in view.warnings if w != own]
    ctx["months"] = [{"m": m, "first": dt.date(year, m.month, 1), "marks": _month_marks(m)} for m in view.months]
    # The first day of each named run carries the name in its cell; the others only their colour.
    ctx["run_starts"] = {dt.date(year, mo["m"].month, mk["days"][0]): mk["name"]
                         for mo in ctx["months"] for mk in mo["marks"] if mk["kind"] == "holiday"}
    ctx["holiday_days"] = sum(1 for m in view.months for w in m.weeks for c in w if c and c.kind == "holiday")
    ctx["makeup_days"] = sum(1 for m in view.months for w in m.weeks for c in w if c and c.kind == "makeup")
    ctx["ban"] = pgettext("calendar mark of a make-up working day (Chinese: 班)", "W")
    return ctx


def base_name(name: str) -> str:
    """春节（调休） -> 春节: the days of one holiday block under one name."""
    return name.split("（")[0].split("(")[0].strip() or name


def _span(days: list[int]) -> str:
    return f"{days[0]}日" if len(days) == 1 else f"{days[0]}–{days[-1]}日"


def _month_marks(month) -> list[dict]:
    """Named days of a month: holidays (with the weekends inside them) and make-up working days,
    consecutive days of one name merged: [{"kind": "holiday", "name": "国庆节", "span": "1–7日"}]."""
    marks: list[dict] = []
    cells = [c for week in month.weeks for c in week if c is not None]
    for c in cells:
        if not c.name or c.kind == "workday":
            continue
        kind = "makeup" if c.kind == "makeup" else "holiday"
        name = c.name if kind == "makeup" else base_name(c.name)
        last = marks[-1] if marks else None
        if last and last["kind"] == kind and last["name"] == name and last["days"][-1] == c.date.day - 1:
            last["days"].append(c.date.day)
        else:
            marks.append({"kind": kind, "name": name, "days": [c.date.day]})
    for m in marks:
        m["span"] = _span(m["days"])
    return marks
