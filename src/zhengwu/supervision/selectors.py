"""Reading the ledger: traffic lights on the official calendar (art. 50: 限期报告), the dashboard's
counts by unit and the yearly on-time rates per unit (art. 51: 绩效考评).

Lights, for an item still with its lead unit (交办, 签收, 办理, 阶段性办结):
- green while on time;
- yellow from `supervision.yellow_days_before_due` working days before the due date (the working
  days left, (today, due], are at most that many);
- red once the due date has passed; red for more than `supervision.listed_after_overdue_days`
  working days makes it 挂牌督办 (set by `zhengwu tick`, supervision/tick.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from zhengwu import rules
from zhengwu.rulebook import declare, note_exercised

from .models import ItemUnit, SupervisionItem

S = SupervisionItem.Status
WITH_UNIT = (S.ASSIGNED, S.SIGNED, S.IN_PROGRESS, S.STAGE_DONE)
OPEN = (*WITH_UNIT, S.CLOSURE_ASKED, S.VERIFIED)
LIGHTS = declare("W50.lights", article=50, kind="register",
                 summary="督查台账红黄绿灯（按法定工作日历：到期前预警、逾期、挂牌督办）")
PERFORMANCE = declare("W51.on_time_rate", article=51, kind="report", summary="各单位督查事项按期办结率（绩效考评）")

GREEN, YELLOW, RED = "green", "yellow", "red"
LIGHT_LABELS = {GREEN: "正常", YELLOW: "临期", RED: "逾期"}


def calendar():
    from zhengwu.workcalendar.selectors import work_calendar

    return work_calendar()


@dataclass(frozen=True)
class Light:
    colour: str  # green / yellow / red / "" (not with the unit)
    days_left: int | None  # working days in (on, due]; negative when overdue
    listed: bool  # red past the limit: 挂牌督办

    @property
    def label(self) -> str:
        return "挂牌督办" if self.listed else LIGHT_LABELS.get(self.colour, "")


def light(item: SupervisionItem, on: dt.date | None = None, cal=None) -> Light:
    on = on or rules.today()
    if item.status not in WITH_UNIT or item.due_on is None:
        return Light("", None, False)
    cal = cal or calendar()
    note_exercised(LIGHTS)
    if on > item.due_on:
        late = cal.count_workdays(item.due_on, on)
        listed = late > int(rules.param("supervision.listed_after_overdue_days", on)) or item.listed_on is not None
        return Light(RED, -late, listed)
    left = cal.count_workdays(on, item.due_on)
    if left <= int(rules.param("supervision.yellow_days_before_due", on)):
        return Light(YELLOW, left, False)
    return Light(GREEN, left, False)


def with_lights(items, on: dt.date | None = None) -> list[tuple[SupervisionItem, Light]]:
    on, cal = on or rules.today(), calendar()
    return [(i, light(i, on, cal)) for i in items]


def ledger(qs: QuerySet) -> QuerySet:
    return qs.select_related("supervising_unit").prefetch_related("units__unit", "units__head")


def lead_of(item: SupervisionItem) -> ItemUnit | None:
    return next((u for u in item.units.all() if u.role == ItemUnit.Role.LEAD), None)


def dashboard(qs: QuerySet, on: dt.date | None = None) -> dict:
    """Per lead unit: open, due this week, due this month, overdue (red), 挂牌督办; and the totals."""
    on = on or rules.today()
    week_end = on + dt.timedelta(days=6 - on.weekday())
    month_end = (on.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    rows: dict[str, dict] = defaultdict(lambda: {"open": 0, "week": 0, "month": 0, "overdue": 0, "listed": 0})
    for item, lt in with_lights(ledger(qs.filter(status__in=OPEN)), on):
        lead = lead_of(item)
        row = rows[lead.unit.name if lead else "—"]
        row["open"] += 1
        if item.due_on and item.status in WITH_UNIT:
            row["week"] += on <= item.due_on <= week_end
            row["month"] += on <= item.due_on <= month_end
        row["overdue"] += lt.colour == RED
        row["listed"] += lt.listed
    total = {k: sum(r[k] for r in rows.values()) for k in ("open", "week", "month", "overdue", "listed")}
    return {"rows": sorted(rows.items()), "total": total}


def on_time_rates(qs: QuerySet, year: int) -> list[dict]:
    """Art. 51: per lead unit, of the items of `year` whose closure was asked, the share asked by the due date."""
    note_exercised(PERFORMANCE)
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in ledger(qs.filter(year=year, closure_asked_on__isnull=False, due_on__isnull=False)):
        lead = lead_of(item)
        row = per[lead.unit.name if lead else "—"]
        row[1] += 1
        row[0] += item.closure_asked_on <= item.due_on
    return [{"unit": u, "on_time": a, "total": b, "rate": round(100 * a / b, 1) if b else 0.0}
            for u, (a, b) in sorted(per.items())]
