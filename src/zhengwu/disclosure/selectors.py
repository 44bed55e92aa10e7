"""Reads of the disclosure queue: lights on the official calendar, the public catalogue, the annual
report's counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from zhengwu import rules
from zhengwu.rulebook import declare, note_exercised

from .models import Record

GREEN, YELLOW, RED = "green", "yellow", "red"
LIGHTS = declare("W33.queue_lights", article=33, kind="register",
                 summary="主动公开队列按公开期限（20个工作日）亮灯：绿、黄（临近）、红（逾期）")
S = Record.Status
OPEN = (S.QUEUED, S.REVIEWED, S.PENDING)


@dataclass(frozen=True)
class Light:
    colour: str  # "" (not in the queue) / green / yellow / red
    days_left: int | None

    @property
    def label(self) -> str:
        return {GREEN: "按期", YELLOW: "临近期限", RED: "逾期"}.get(self.colour, "")


def calendar():
    from zhengwu.workcalendar.selectors import work_calendar

    return work_calendar()


def light(record: Record, on: dt.date | None = None, cal=None) -> Light:
    on = on or rules.today()
    if record.status not in OPEN or record.due_on is None:
        return Light("", None)
    cal = cal or calendar()
    note_exercised(LIGHTS)
    if on > record.due_on:
        return Light(RED, -cal.count_workdays(record.due_on, on))
    left = cal.count_workdays(on, record.due_on)
    if left <= int(rules.param("disclosure.yellow_days_before_due", on)):
        return Light(YELLOW, left)
    return Light(GREEN, left)


def with_lights(records, on: dt.date | None = None) -> list[tuple[Record, Light]]:
    on, cal = on or rules.today(), calendar()
    return [(r, light(r, on, cal)) for r in records]


def queue(qs: QuerySet) -> QuerySet:
    return qs.filter(status__in=OPEN).select_related("unit").order_by("due_on", "pk")


# ---- the public site: released, 主动公开, unclassified records only -------------------------------

def released() -> QuerySet:
    """What the public site may show: nothing else is ever read by its views."""
    return (Record.objects.filter(status=S.RELEASED, category=Record.Category.PROACTIVE, classified=False,
                                  released_on__isnull=False)
            .order_by("-released_on", "-id"))


def public_search(q: str) -> QuerySet:
    q = (q or "").strip()[:50]
    if not q:
        return released().none()
    return released().filter(Q(public_title__icontains=q) | Q(public_body__icontains=q) | Q(doc_number__icontains=q))


# ---- the annual report (条例 art. 49-50) ------------------------------------------------------

@dataclass(frozen=True)
class AnnualReport:
    year: int
    due_on: dt.date
    department_due_on: dt.date
    formed: int  # records formed in the year
    proactive: int
    released: int
    released_documents: int
    released_decisions: int
    released_normative: int
    released_late: int
    released_with_interpretation: int
    approvals: int  # important information released after 报批审定
    on_request: int
    withheld: int
    withheld_by_basis: list[tuple[str, int]]
    open_overdue: int
    by_unit: list[tuple[str, int]]


def _month_day(value: str, year: int) -> dt.date:
    month, day = (int(x) for x in str(value).split("-"))
    return dt.date(year, month, day)


def annual_report(government_id: int, year: int, on: dt.date | None = None) -> AnnualReport:
    on = on or rules.today()
    formed = Record.objects.filter(government_id=government_id, formed_on__year=year)
    rel = Record.objects.filter(government_id=government_id, status=S.RELEASED, released_on__year=year)
    bases = rules.param("disclosure.withholding_bases", on)
    by_basis = dict(formed.filter(category=Record.Category.WITHHELD).values_list("basis").annotate(n=Count("id")))
    by_unit = list(rel.values_list("unit__name").annotate(n=Count("id")).order_by("-n", "unit__name"))
    next_year = dt.date(year + 1, 1, 1)
    return AnnualReport(
        year=year, due_on=_month_day(rules.param("disclosure.annual_report_due", next_year), year + 1),
        department_due_on=_month_day(rules.param("disclosure.department_report_due", next_year), year + 1),
        formed=formed.count(), proactive=formed.filter(category=Record.Category.PROACTIVE).count(),
        released=rel.count(), released_documents=rel.filter(kind=Record.Kind.DOCUMENT).count(),
        released_decisions=rel.filter(kind=Record.Kind.DECISION).count(),
        released_normative=rel.filter(normative=True).count(),
        released_late=sum(1 for r in rel.only("released_on", "due_on") if r.due_on and r.released_on > r.due_on),
        released_with_interpretation=rel.exclude(interpretation="").count(),
        approvals=rel.filter(important=True, approved_on__isnull=False).count(),
        on_request=formed.filter(category=Record.Category.ON_REQUEST).count(),
        withheld=formed.filter(category=Record.Category.WITHHELD).count(),
        withheld_by_basis=[(label, by_basis.get(key, 0)) for key, label in bases.items()]
        + ([("未注明依据", by_basis[""])] if by_basis.get("") else []),
        open_overdue=formed.filter(status__in=OPEN, due_on__lt=min(on, next_year)).count(),
        by_unit=by_unit)


def report_rows(rep) -> list[tuple[str, int]]:
    rows = [("本年形成的政府信息", rep.formed), ("其中主动公开", rep.proactive), ("本年主动公开发布", rep.released),
            ("发布的公文", rep.released_documents), ("发布的会议决定事项", rep.released_decisions),
            ("发布的规范性文件", rep.released_normative), ("附政策解读发布", rep.released_with_interpretation),
            ("重要信息经报批审定发布", rep.approvals), ("逾期发布", rep.released_late),
            ("依申请公开", rep.on_request), ("不予公开", rep.withheld)]
    rows += [(f"不予公开：{label}", n) for label, n in rep.withheld_by_basis]
    rows += [("年末逾期未公开", rep.open_overdue)]
    rows += [(f"发布机构：{name}", n) for name, n in rep.by_unit]
    return rows
