"""/disclosure/: the index of the 政务公开 sections, each declared by an AppConfig of this package
as `disclosure_sections = [(url_name, label, description), ...]` (labels lazy translations); the
proactive disclosure queue with its lights (主动公开, 条例 art. 26), one record with its actions
(公开属性, 政策解读, 保密审查, 报批, 发布), and the annual report (年度报告) with its Excel export.

Views read through access.py/selectors.py and write only through services.py; a `Refused` is shown
on the page with its message and violations."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from zhengwu import rules
from zhengwu.audit.selectors import history_for
from zhengwu.errors import Refused
from zhengwu.output.download import content_disposition
from zhengwu.web.present import refused_page

from . import access, selectors, services
from .models import Record

S = Record.Status


# Sections only those who see every record may open (the office and the leaders): the index does not
# offer them to anyone else, who would only be refused.
SEES_ALL_SECTIONS = {"disclosure:report", "disclosure:challenges"}


def sections(person=None) -> list[dict]:
    sees_all = person is None or access.sees_all(person, rules.today())
    out = []
    for config in apps.get_app_configs():
        if config.name == "zhengwu.disclosure" or config.name.startswith("zhengwu.disclosure."):
            for url_name, label, description in getattr(config, "disclosure_sections", ()):
                if url_name in SEES_ALL_SECTIONS and not sees_all:
                    continue
                out.append({"url": reverse(url_name), "label": label, "description": description})
    return out


@login_required
def index(request):
    return render(request, "disclosure/index.html", {"sections": sections(request.user)})


@login_required
@require_safe
def queue(request):
    today = rules.today()
    visible = access.visible_records(request.user, on=today)
    show = request.GET.get("show", "")
    if show == "released":
        rows = [(r, selectors.Light("", None)) for r in visible.filter(status=S.RELEASED).select_related("unit")
                .order_by("-released_on", "-id")[:200]]
    elif show == "not_public":
        rows = [(r, selectors.Light("", None)) for r in visible.filter(status=S.NOT_PUBLIC).select_related("unit")
                .order_by("-formed_on", "-id")[:200]]
    else:
        show = ""
        rows = selectors.with_lights(selectors.queue(visible), today)
    return render(request, "disclosure/queue.html", {"rows": rows, "show": show, "today": today,
                                                     "office": access.is_office(request.user, today),
                                                     "sees_report": access.sees_all(request.user, today)})


def _detail_context(request, record, today, refusal=None):
    office = access.is_office(request.user, today)
    open_ = record.status in (S.QUEUED, S.REVIEWED)
    return {"r": record, "light": selectors.light(record, today), "refusal": refusal, "office": office,
            "events": list(history_for(services.OBJ, str(record.pk)).order_by("at", "seq")),
            "bases": list(rules.param("disclosure.withholding_bases", today).items()),
            "categories": list(rules.param("disclosure.categories", today).items()),
            "basis_label": rules.param("disclosure.withholding_bases", today).get(record.basis, ""),
            "can": {"classify": office and record.status in (S.QUEUED, S.REVIEWED, S.NOT_PUBLIC),
                    "interpret": office and open_ and record.normative,
                    "review": office and record.status == S.QUEUED,
                    "request_approval": office and record.status == S.REVIEWED and record.important
                    and record.approved_on is None,
                    "release": office and record.status == S.REVIEWED}}


@login_required
@require_safe
def record_detail(request, record_id: int):
    today = rules.today()
    try:
        record = access.record_visible(request.user, record_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "disclosure/record.html", _detail_context(request, record, today))


ACTIONS = {
    "classify": lambda r, i, t: services.record_classify(actor=r.user, record_id=i, category=r.POST.get("category", ""),
                                                         basis=r.POST.get("basis", ""), reason=r.POST.get("reason", ""),
                                                         on=t),
    "interpret": lambda r, i, t: services.record_interpret(actor=r.user, record_id=i,
                                                           interpretation=r.POST.get("interpretation", ""), on=t),
    "review": lambda r, i, t: services.record_review(actor=r.user, record_id=i,
                                                     passed={"1": True, "0": False}.get(r.POST.get("passed")),
                                                     note=r.POST.get("note", ""), on=t),
    "request-approval": lambda r, i, t: services.record_request_approval(actor=r.user, record_id=i, on=t),
    "release": lambda r, i, t: services.record_release(actor=r.user, record_id=i, on=t),
}


@login_required
@require_POST
def record_action(request, record_id: int, action: str):
    fn = ACTIONS.get(action)
    if fn is None:
        return refused_page(request, Refused(_("Unknown action"), status=404))
    today = rules.today()
    try:
        access.record_visible(request.user, record_id, on=today)
        fn(request, record_id, today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        record = access.record_visible(request.user, record_id, on=today)
        return render(request, "disclosure/record.html", _detail_context(request, record, today, refusal=e),
                      status=e.status)
    messages.success(request, _("Done."))
    return redirect("disclosure:record", record_id)


def _year(request, today) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2020 <= int(value) <= today.year else today.year - 1


def _report_refused(request, today):
    if not access.sees_all(request.user, today):
        return refused_page(request, Refused(_("Only the government office may see the annual report"), status=403))
    return None


@login_required
@require_safe
def report(request):
    today = rules.today()
    if (refused := _report_refused(request, today)) is not None:
        return refused
    year = _year(request, today)
    return render(request, "disclosure/report.html", _report_context(request, year, today))


def _challenge_names() -> dict:
    """The report's 行政复议/行政诉讼 rows carry the stored Chinese names (frozen and exported as such):
    each in the reader's language for the page."""
    from .models import Challenge, as_stored

    names = {as_stored(label): label for _, label in [*Challenge.Kind.choices, *Challenge.Result.choices]}
    names["总计"] = pgettext("disclosure annual report", "Total")
    return names


def _report_context(request, year, today, refusal=None) -> dict:
    from .models import AnnualReport

    return {"rep": selectors.full_report(request.user.government_id, year, today), "today": today,
            "challenge_names": _challenge_names(),
            "years": list(range(today.year, 2019, -1)), "refusal": refusal,
            "published": AnnualReport.objects.filter(government_id=request.user.government_id, year=year).first(),
            "office": access.is_office(request.user, today)}


@login_required
@require_POST
def report_publish(request):
    today = rules.today()
    value = request.POST.get("year", "")
    year = int(value) if value.isdigit() and 2020 <= int(value) <= today.year else today.year - 1
    try:
        services.report_publish(actor=request.user, year=value, foreword=request.POST.get("foreword", ""), on=today)
    except Refused as e:
        if e.status in (403, 404) or not access.sees_all(request.user, today):
            return refused_page(request, e)
        return render(request, "disclosure/report.html", _report_context(request, year, today, refusal=e),
                      status=e.status)
    messages.success(request, _("The annual report is published on the public site."))
    return redirect(f"{reverse('disclosure:report')}?year={year}")


@login_required
@require_safe
def challenges(request):
    return _challenges_page(request)


def _challenges_page(request, refusal=None, status=200):
    from .models import Challenge

    today = rules.today()
    if (refused := _report_refused(request, today)) is not None:
        return refused
    items = list(Challenge.objects.filter(government_id=request.user.government_id).select_related("request")[:300])
    from .requests import access as requests_access

    linked = set(requests_access.visible_requests(request.user, on=today)
                 .filter(pk__in=[c.request_id for c in items if c.request_id]).values_list("pk", flat=True))
    for c in items:
        c.request_linked = c.request_id in linked  # the request's page only where the person may open it
    return render(request, "disclosure/challenges.html",
                  {"items": items, "refusal": refusal, "today": today, "office": access.is_office(request.user, today),
                   "kinds": Challenge.Kind.choices,
                   "results": [c for c in Challenge.Result.choices if c[0] != Challenge.Result.PENDING]},
                  status=status)


@login_required
@require_POST
def challenge_new(request):
    p = request.POST
    try:
        services.challenge_register(actor=request.user, kind=p.get("kind", ""), filed_on=p.get("filed_on", ""),
                                    subject=p.get("subject", ""), request_id=p.get("request_id") or None,
                                    note=p.get("note", ""), on=rules.today())
    except Refused as e:
        if e.status == 403:
            return refused_page(request, e)
        return _challenges_page(request, refusal=e, status=e.status)
    messages.success(request, _("Done."))
    return redirect("disclosure:challenges")


@login_required
@require_POST
def challenge_decide(request, challenge_id: int):
    p = request.POST
    try:
        services.challenge_decide(actor=request.user, challenge_id=challenge_id, result=p.get("result", ""),
                                  decided_on=p.get("decided_on") or None, note=p.get("note", ""), on=rules.today())
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        return _challenges_page(request, refusal=e, status=e.status)
    messages.success(request, _("Done."))
    return redirect("disclosure:challenges")


@login_required
@require_safe
def report_export(request):
    from openpyxl import Workbook

    from zhengwu.output.excel import safe_cell, workbook_bytes

    today = rules.today()
    if (refused := _report_refused(request, today)) is not None:
        return refused
    rep = selectors.full_report(request.user.government_id, _year(request, today), today)
    wb = Workbook()
    ws = wb.active
    ws.title = "年度报告"
    ws.append(["项目", "数量"])
    for label, value in selectors.report_rows(rep):
        ws.append([safe_cell(label), value])
    response = HttpResponse(workbook_bytes(wb),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(f"政府信息公开工作年度报告-{rep.year}.xlsx",
                                                          f"disclosure-report-{rep.year}.xlsx")
    return response
