"""Reads of the disclosure queue: lights on the official calendar, the public catalogue, the annual
report's counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from zhengwu import rules
from zhengwu.rulebook import declare, note_exercised

from .models import Record, as_stored

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


def published_reports() -> QuerySet:
    """The annual reports the office has published (the public site's 年度报告 pages)."""
    from .models import AnnualReport

    return AnnualReport.objects.order_by("-year")


def public_consultations(on: dt.date | None = None) -> QuerySet:
    """Public consultations (art. 42) once their window has opened: open for comment, closed awaiting
    results, or with their results published. Never the comments themselves (private people's words)."""
    from zhengwu.disclosure.petitions.models import Consultation

    on = on or rules.today()
    return (Consultation.objects.filter(opens_on__lte=on).select_related("unit")
            .only("id", "title", "text", "unit__name", "major", "opens_on", "closes_on", "channels", "status",
                  "summary", "adoption", "published_on")
            .order_by("-opens_on", "-id"))


def consultation_phase(c, on: dt.date) -> str:
    """open (comments welcome) / closed (results to come) / published."""
    if c.status == "published":
        return "published"
    return "open" if on <= c.closes_on else "closed"


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
    # 依申请公开 (条例 art. 50 (二)): received, by channel and applicant kind, closed, carried
    requests_carried_in: int = 0
    requests_received: int = 0
    requests_by_channel: list[tuple[str, int]] = ()
    requests_by_applicant: list[tuple[str, int]] = ()
    requests_answered: int = 0
    answers_by_type: list[tuple[str, int]] = ()
    answers_partial: int = 0
    answers_late: int = 0
    requests_corrections: int = 0
    requests_abandoned: int = 0
    requests_extended: int = 0
    requests_carried_out: int = 0
    # 行政复议、行政诉讼 (art. 50 (三)): filed in the year, by kind, each by its result now
    challenges: list[tuple[str, list[tuple[str, int]]]] = ()


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


def _request_figures(government_id: int, year: int, on: dt.date) -> dict:
    from zhengwu.disclosure.requests.models import InfoRequest

    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    qs = InfoRequest.objects.filter(government_id=government_id)

    def open_at(day):  # received before `day`, neither answered nor given up before it
        return (qs.filter(received_on__lt=day).exclude(answered_on__lt=day).exclude(abandoned_on__lt=day).count())

    received = qs.filter(received_on__gte=start, received_on__lt=end)
    answered = qs.filter(status=InfoRequest.Status.ANSWERED, answered_on__gte=start, answered_on__lt=end)
    by_channel = dict(received.values_list("channel").annotate(n=Count("id")))
    by_kind = dict(received.values_list("applicant_kind").annotate(n=Count("id")))
    by_type = dict(answered.values_list("answer_type").annotate(n=Count("id")))
    return {
        "requests_carried_in": open_at(start), "requests_received": received.count(),
        "requests_by_channel": [(label, by_channel.get(k, 0))
                                for k, label in rules.param("info_requests.channels", on).items()],
        "requests_by_applicant": [(label, by_kind.get(k, 0))
                                  for k, label in rules.param("info_requests.applicant_kinds", on).items()],
        "requests_answered": answered.count(),
        "answers_by_type": [(label, by_type.get(k, 0))
                            for k, label in rules.param("info_requests.answer_types", on).items()],
        "answers_partial": answered.filter(partial=True).count(),
        "answers_late": sum(1 for a, d in answered.values_list("answered_on", "due_when_answered") if d and a > d),
        "requests_corrections": qs.filter(correction_noticed_on__gte=start, correction_noticed_on__lt=end).count(),
        "requests_abandoned": qs.filter(status=InfoRequest.Status.ABANDONED, abandoned_on__gte=start,
                                        abandoned_on__lt=end).count(),
        "requests_extended": qs.filter(extended_on__gte=start, extended_on__lt=end).count(),
        "requests_carried_out": open_at(min(end, on + dt.timedelta(days=1))),
    }


def _challenge_figures(government_id: int, year: int) -> list:
    from .models import Challenge

    filed = Challenge.objects.filter(government_id=government_id, filed_on__year=year)
    counts = {(k, r): n for k, r, n in filed.values_list("kind", "status").annotate(n=Count("id"))}
    results = [(Challenge.Result.UPHELD, "结果维持"), (Challenge.Result.CORRECTED, "结果纠正"),
               (Challenge.Result.OTHER, "其他结果"), (Challenge.Result.PENDING, "尚未审结")]
    out = []
    for kind, label in Challenge.Kind.choices:
        row = [(rl, counts.get((kind, r), 0)) for r, rl in results]
        out.append((as_stored(label), row + [("总计", sum(n for _, n in row))]))  # frozen and exported as stored
    return out


def full_report(government_id: int, year: int, on: dt.date | None = None) -> AnnualReport:
    """The year's report with the requests' and the reviews'/lawsuits' figures (条例 art. 50)."""
    from dataclasses import replace

    on = on or rules.today()
    rep = annual_report(government_id, year, on)
    return replace(rep, **_request_figures(government_id, year, on),
                   challenges=_challenge_figures(government_id, year))


def report_rows(rep) -> list[tuple[str, int]]:
    rows = [("本年形成的政府信息", rep.formed), ("其中主动公开", rep.proactive), ("本年主动公开发布", rep.released),
            ("发布的公文", rep.released_documents), ("发布的会议决定事项", rep.released_decisions),
            ("发布的规范性文件", rep.released_normative), ("附政策解读发布", rep.released_with_interpretation),
            ("重要信息经报批审定发布", rep.approvals), ("逾期发布", rep.released_late),
            ("依申请公开", rep.on_request), ("不予公开", rep.withheld)]
    rows += [(f"不予公开：{label}", n) for label, n in rep.withheld_by_basis]
    rows += [("年末逾期未公开", rep.open_overdue)]
    rows += [(f"发布机构：{name}", n) for name, n in rep.by_unit]
    rows += [("依申请公开：上年结转申请", rep.requests_carried_in), ("依申请公开：本年新收申请", rep.requests_received)]
    rows += [(f"依申请公开：{label}", n) for label, n in rep.requests_by_channel]
    rows += [(f"申请人：{label}", n) for label, n in rep.requests_by_applicant]
    rows += [("依申请公开：本年答复", rep.requests_answered)]
    rows += [(f"答复：{label}", n) for label, n in rep.answers_by_type]
    rows += [("答复：其中部分公开", rep.answers_partial), ("答复：其中逾期答复", rep.answers_late),
             ("依申请公开：告知补正", rep.requests_corrections),
             ("依申请公开：逾期未补正视为放弃", rep.requests_abandoned),
             ("依申请公开：延长答复期限", rep.requests_extended),
             ("依申请公开：结转下年度继续办理", rep.requests_carried_out)]
    for kind, results in rep.challenges:
        rows += [(f"{kind}：{label}", n) for label, n in results]
    return rows
