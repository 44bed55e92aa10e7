"""Context for the calendar year page, from zhengwu.workcalendar.selectors (year_view, official_years)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import get_language, gettext, pgettext

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
    # the stored warnings are Chinese sentences naming a year: each is said again in the reader's language
    missing = {missing_schedule_message(y): y for y in range(year - 1, year + 2)}
    ctx["other_warnings"] = [_missing_schedule(missing[w]) if w in missing else w for w in view.warnings if w != own]
    ctx["note"], ctx["note_is_content"] = _note(view)
    ctx["kind_labels"] = kind_labels()
    ctx["months"] = [{"m": m, "first": dt.date(year, m.month, 1), "marks": _month_marks(m)} for m in view.months]
    # The first day of each named run carries the name in its cell; the others only their colour.
    ctx["run_starts"] = {dt.date(year, mo["m"].month, mk["days"][0]): mk["name"]
                         for mo in ctx["months"] for mk in mo["marks"] if mk["kind"] == "holiday"}
    ctx["holiday_days"] = sum(1 for m in view.months for w in m.weeks for c in w if c and c.kind == "holiday")
    ctx["makeup_days"] = sum(1 for m in view.months for w in m.weeks for c in w if c and c.kind == "makeup")
    ctx["ban"] = pgettext("calendar mark of a make-up working day (Chinese: 班)", "W")
    return ctx


def kind_labels() -> dict[str, str]:
    """A day's kind in the reader's language (workcalendar.selectors.KIND_LABELS holds the Chinese)."""
    return {"workday": pgettext("calendar day", "working day"), "weekend": pgettext("calendar day", "rest day"),
            "holiday": pgettext("calendar day", "holiday"), "makeup": pgettext("calendar day", "make-up working day")}


def _missing_schedule(year: int) -> str:
    return gettext("The State Council General Office's holiday schedule for %(year)s has not been loaded") % {"year": year}


_HOLIDAYS_NOTE = "holidays 程序包"


def _note(view) -> tuple[str, bool]:
    """The year's note in the reader's language, and whether it is recorded content (typed by the
    office or taken from a notice: shown as written, lang="zh"). The note the holidays package
    import writes (workcalendar.services) is said again from the year's official flag."""
    note = view.note or ""
    if view.source == "holidays" and note.startswith(_HOLIDAYS_NOTE):
        if view.official:
            return gettext("from the holidays package (official schedule)"), False
        return gettext("from the holidays package (provisional: no make-up days until the "
                       "State Council General Office's notice is imported)"), False
    return note, True


def base_name(name: str) -> str:
    """春节（调休） -> 春节: the days of one holiday block under one name."""
    return name.split("（")[0].split("(")[0].strip() or name


def _span(days: list[int]) -> str:
    """1–3日 in Chinese, 1–3 in English (the month is the heading above)."""
    day = "" if (get_language() or "").lower().startswith("en") else "日"
    return f"{days[0]}{day}" if len(days) == 1 else f"{days[0]}–{days[-1]}{day}"


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
