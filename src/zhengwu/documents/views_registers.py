"""Web pages of the two registers (收文登记簿, 发文登记簿) with their .xlsx exports, and full-text
search. Read-only: everything comes through `registers` / `search`, which list only what
`access.visible_documents(person)` allows."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from zhengwu import rules
from zhengwu.errors import Refused
from zhengwu.web.pagecache import cached_page
from zhengwu.org import selectors as org

from . import registers, search, services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _government(user):
    return user.government if user.government_id else None


def _detail_route() -> bool:
    """Whether the documents app has a detail page to link to (documents:detail)."""
    try:
        reverse("documents:detail", args=[1])
    except NoReverseMatch:
        return False
    return True


def _kinds(on) -> list[str]:
    try:
        return list(rules.param("documents.kinds", on))
    except Exception:  # pragma: no cover - every rulebook defines it
        return []


def _attachment(filename: str) -> str:
    """Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987)."""
    return f"attachment; filename=\"register.xlsx\"; filename*=UTF-8''{quote(filename, safe='')}"


def _columns(register: str):
    """The register's sortable columns (zhengwu.web.tables); labels as the template's headers."""
    from django.utils.translation import gettext_lazy as _l

    from zhengwu.web.tables import Column

    if register == registers.INCOMING:
        return (Column("number", _l("Intake no."), order=("intake_key", "intake_number")),
                Column("unit", _l("Submitting unit"), order=("unit__name",)), Column("title", _l("Title"), order=("title",)),
                Column("kind", _l("Kind"), order=("kind",)), Column("urgency", _l("Urgency"), order=("urgency",)),
                Column("submitted", _l("Submitted on"), order=("submitted_on",)),
                Column("registered", _l("Registered on"), order=("registered_on",)),
                Column("due", _l("Time limit"), order=("decision_needed_by",)),
                Column("status", _l("Document status"), order=("status",)),
                Column("answered", _l("Answered on"), order=("answered_on",)))
    return (Column("number", _l("Document number"), order=("doc_number",)), Column("title", _l("Title"), order=("title",)),
            Column("unit", _l("Drafting unit"), order=("unit__name",)), Column("signer", _l("Signed by")),
            Column("signed", _l("Signed on"), order=("signed_on",)), Column("status", _l("Document status"), order=("status",)),
            Column("public", _l("Disclosure"), order=("public",)), Column("plan", _l("Annual plan")))


def _register(request, register: str):
    person = request.user
    on = rules.today()
    government = _government(person)
    units = list(org.units(government).only("id", "name", "short_name", "government")) if government else []  # government: else one query per unit
    kinds = _kinds(on)
    context = {
        "register": register, "title": registers.TITLES[register], "units": units, "kinds": kinds,
        "statuses": registers.status_choices(register), "urgencies": services.urgencies(on),
        "params": request.GET, "today": on, "has_detail": _detail_route(),
    }
    fmt = request.GET.get("format", "")
    try:
        if fmt not in ("", "html", "xlsx"):
            raise Refused(f"不支持的导出格式：{fmt}（可用 xlsx）", field="format")
        filters = registers.parse_filters(register, request.GET, unit_ids=[u.pk for u in units], kinds=kinds)
    except Refused as e:
        return render(request, "documents/registers/register.html",
                      {**context, "refusal": e, "error_field": e.field, "page": None}, status=e.status)

    qs = registers.rows(register, person, filters, on=on)
    if fmt == "xlsx":
        data = registers.export_xlsx(register, qs.iterator(chunk_size=500),
                                     government_name=government.name if government else "",
                                     filters=filters, on=on, units={u.pk: u for u in units})
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = _attachment(registers.filename(register, filters, on))
        response["Cache-Control"] = "private, no-store"
        return response

    from zhengwu.web.tables import Table

    # sorting by a column header (whitelisted columns; an unknown ?sort= is ignored), filters kept
    table = Table(request, _columns(register), keep=tuple(registers.Filters.PARAMS.values()))
    order = table.order_by()
    if order:
        qs = qs.order_by(*order)
    page = Paginator(qs, registers.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/registers/register.html", {
        **context, "filters": filters, "page": page, "query": table.query, "table": table,
    })


@login_required
@require_safe
@cached_page
def incoming_register(request):
    """收文登记簿: /documents/registers/incoming/ (?format=xlsx for the Excel ledger)."""
    return _register(request, registers.INCOMING)


@login_required
@require_safe
@cached_page
def outgoing_register(request):
    """发文登记簿: /documents/registers/outgoing/ (?format=xlsx for the Excel ledger)."""
    return _register(request, registers.OUTGOING)


@login_required
@require_safe
def search_page(request):
    """/documents/search/?q=…: the visible documents containing every term, best first."""
    q = request.GET.get("q", "")
    context = {"q": q.strip(), "has_detail": _detail_route(), "limit": search.DEFAULT_LIMIT,
               "min_chars": search.MIN_TRIGRAM}
    try:
        found = search.results(request.user, q)
    except Refused as e:
        return render(request, "documents/search/search.html", {**context, "refusal": e, "results": None},
                      status=e.status)
    return render(request, "documents/search/search.html", {**context, "results": found})
