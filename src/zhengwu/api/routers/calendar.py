"""The official work calendar (工作日历): working days counted as the rules count them (the
day after the start date first), with a warning for any year whose official 国务院办公厅 holiday
schedule is not loaded yet."""

from __future__ import annotations

from ninja import Query, Router

from zhengwu.rulebook.calendar import parse_date, parse_workdays
from zhengwu.workcalendar.selectors import work_calendar

from ..schemas import AddWorkdaysOut, DateText, IsWorkdayOut, WorkdaysText, responses

router = Router(tags=["calendar"])


@router.get("/add-workdays", response=responses(AddWorkdaysOut, 400), summary="某日之后第 N 个工作日",
            operation_id="calendar_add_workdays")
def add_workdays(request,
                 date: DateText = Query(..., description="起算日期 YYYY-MM-DD（不含当日）", example="2026-09-24"),
                 n: WorkdaysText = Query(..., description="工作日数（正整数）", example="14")):
    """The n-th working day after `date` (the count starts the day after, as the rules count it)."""
    day = parse_date(date, field="date")
    count = parse_workdays(n, field="n")
    answer = work_calendar().add_workdays_checked(day, count)
    return {"date": day, "n": count, "result": answer.value, "unofficial_years": list(answer.unofficial_years),
            "warnings": answer.warnings}


@router.get("/is-workday", response=responses(IsWorkdayOut, 400), summary="某日是否工作日",
            operation_id="calendar_is_workday")
def is_workday(request, date: DateText = Query(..., description="日期 YYYY-MM-DD", example="2026-10-10")):
    """Whether `date` is a working day on the official calendar (调休 included), and the name of
    the holiday or make-up day it is."""
    day = parse_date(date, field="date")
    cal = work_calendar()
    answer = cal.is_workday_checked(day)
    return {"date": day, "workday": answer.value, "name": cal.name_of(day),
            "unofficial_years": list(answer.unofficial_years), "warnings": answer.warnings}
