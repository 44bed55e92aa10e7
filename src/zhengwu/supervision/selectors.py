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


COUNTS = ("open", "week", "month", "overdue", "listed")


def _leader_label(unit, on: dt.date, cache: dict) -> str:
    """The 分管 leader of a lead unit (art. 46): "常务副区长 李乙"; "—" when none is in charge."""
    from zhengwu.org import selectors as org

    if unit.pk not in cache:
        pos = org.leader_position_of_unit(unit)
        person = org.acting_for(pos, on) if pos else None
        cache[unit.pk] = f"{pos.title} {person}" if pos and person else (pos.title if pos else "—")
    return cache[unit.pk]


def dashboard(qs: QuerySet, on: dt.date | None = None) -> dict:
    """Open, due this week, due this month, overdue (red) and 挂牌督办 items, by lead unit, by the
    lead unit's 分管 leader and by source; and the totals. Over the items `qs` (the person's own)."""
    on = on or rules.today()
    week_end = on + dt.timedelta(days=6 - on.weekday())
    month_end = (on.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    sources = rules.param("supervision.sources", on)

    def board():
        return defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    by_unit, by_leader, by_source, leaders = board(), board(), board(), {}
    for item, lt in with_lights(ledger(qs.filter(status__in=OPEN)), on):
        lead = lead_of(item)
        rows = (by_unit[lead.unit.name if lead else "—"], by_leader[_leader_label(lead.unit, on, leaders) if lead else "—"],
                by_source[sources.get(item.source, item.source)])
        for row in rows:
            row["open"] += 1
            if item.due_on and item.status in WITH_UNIT:
                row["week"] += on <= item.due_on <= week_end
                row["month"] += on <= item.due_on <= month_end
            row["overdue"] += lt.colour == RED
            row["listed"] += lt.listed
    total = {k: sum(r[k] for r in by_unit.values()) for k in COUNTS}
    return {"rows": sorted(by_unit.items()), "by_leader": sorted(by_leader.items()),
            "by_source": sorted(by_source.items()), "total": total}


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


SCORES = declare("W51.performance", article=51, kind="report",
                 summary="各单位督查绩效年度评分：按期办结率、核查一次通过率、退回整改事项（权重为参数）")


def verification_history(item_ids) -> dict[int, list[tuple[dt.date, bool, bool]]]:
    """Per item, its 核查 conclusions in order: (day, passed, overturned on 复核). One query for the
    verification steps, one for the 复核 that overturned a conclusion."""
    from zhengwu.workflow.models import Task

    from .models import Review

    ids = [str(i) for i in item_ids]
    overturned = set(Review.objects.filter(item_id__in=item_ids, status=Review.Status.OVERTURNED)
                     .values_list("item_id", "concluded_on"))
    out: dict[int, list] = defaultdict(list)
    steps = (Task.objects.filter(approval__obj_type="supervision.item", approval__obj_id__in=ids,
                                 approval__route_id="supervision.verification", kind=Task.Kind.STEP,
                                 status=Task.Status.DONE)
             .order_by("done_on", "id").values_list("approval__obj_id", "done_on", "decision"))
    for obj_id, day, decision in steps:
        passed = rules.approves(decision, day)
        out[int(obj_id)].append((day, passed, not passed and (int(obj_id), day) in overturned))
    return out


def performance(qs: QuerySet, year: int, on: dt.date | None = None) -> list[dict]:
    """Art. 51: per lead unit, the yearly scores over its items of `year` (handed to it):
    - on time: of the items whose completion was reported, those reported by the due date;
    - first pass (核查一次通过率): of the items verified at least once, those whose first 核查
      passed (or whose 不通过 was overturned on 复核);
    - re-opened: 核查不通过 conclusions (not overturned) that sent an item back to rectify;
    - score = on-time rate × weight + pass rate × weight − re-opened × penalty (0 … 100), the
      weights and the penalty the book's supervision.performance_weights / reopened_penalty;
    - a mark for a 表扬 or 问责 proposal by supervision.praise_min_score / accountability_below_score."""
    on = on or rules.today()
    note_exercised(SCORES)
    weights = rules.param("supervision.performance_weights", on)
    penalty = float(rules.param("supervision.reopened_penalty", on))
    praise_min = float(rules.param("supervision.praise_min_score", on))
    blame_below = float(rules.param("supervision.accountability_below_score", on))
    items = list(ledger(qs.filter(year=year).exclude(status__in=(S.DRAFT, S.RETURNED))))
    history = verification_history([i.pk for i in items])
    per: dict[int, dict] = {}
    for item in items:
        lead = lead_of(item)
        if lead is None:
            continue
        row = per.setdefault(lead.unit_id, {"unit_id": lead.unit_id, "unit": lead.unit.name, "items": 0,
                                            "completed": 0, "on_time": 0, "verified": 0, "first_pass": 0,
                                            "reopened": 0})
        row["items"] += 1
        if item.closure_asked_on and item.due_on:
            row["completed"] += 1
            row["on_time"] += item.closure_asked_on <= item.due_on
        checks = history.get(item.pk, [])
        if checks:
            row["verified"] += 1
            first_day, first_passed, first_overturned = checks[0]
            row["first_pass"] += first_passed or first_overturned
            row["reopened"] += sum(1 for _d, passed, overturned in checks if not passed and not overturned)
    out = []
    for row in sorted(per.values(), key=lambda r: r["unit"]):
        on_time = 100.0 * row["on_time"] / row["completed"] if row["completed"] else None
        first = 100.0 * row["first_pass"] / row["verified"] if row["verified"] else None
        score = None
        if on_time is not None or first is not None:
            parts = [(on_time, weights["on_time"]), (first, weights["first_pass"])]
            weight = sum(w for v, w in parts if v is not None)
            score = sum(v * w for v, w in parts if v is not None) / weight - penalty * row["reopened"]
            score = round(max(0.0, min(100.0, score)), 1)
        mark = "" if score is None else ("praise" if score >= praise_min else "accountability" if score < blame_below else "")
        out.append({**row, "on_time_rate": None if on_time is None else round(on_time, 1),
                    "first_pass_rate": None if first is None else round(first, 1), "score": score, "mark": mark})
    return out
