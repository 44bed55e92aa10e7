"""Web views of the documents app.

Views fetch through the access functions and change state only through services; a `Refused`
is shown with its message (and, for JSON/HTMX callers, as {"message", "violations", "field"}).
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from zhengwu.errors import Refused
from zhengwu.web.pagecache import cached_page
from zhengwu.web.present import refused_page

from . import attachments


# ==== attachments: upload and permission-checked download ========================================
# Stored files live outside the web root (attachments.storage_root()); this download is the only
# way to them. It checks access.document_visible, that the attachment belongs to the document,
# and the file's SHA-256 before sending a byte.

def _wants_json(request) -> bool:
    return bool(getattr(request, "htmx", False)) or "application/json" in request.headers.get("Accept", "")


def _back(request, doc_id: int) -> str:
    """Where to return after an upload from a form: ?next / POST next, the referring page, the
    document's page (when the app has one), else home."""
    for candidate in (request.POST.get("next"), request.GET.get("next"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                         require_https=request.is_secure()):
            return candidate
    try:
        return reverse("documents:detail", args=[doc_id])
    except NoReverseMatch:
        return "/"


def content_disposition(name: str) -> str:
    """attachment; with an ASCII fallback filename and the exact UTF-8 one (RFC 6266 / RFC 5987)."""
    stem, dot, ext = name.rpartition(".")
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;%' else "_" for c in name)
    if not fallback.strip("_. ") or (dot and not stem.isascii()):
        fallback = "attachment" + (f".{ext}" if dot and ext.isascii() and ext.isalnum() else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


class _SizeLimitHandler(FileUploadHandler):
    """First in the chain of upload handlers: stops keeping a file (in memory or in Django's temp
    file) once it passes the attachment size limit, so an oversized upload is not spooled to disk
    whole before the service would refuse it. The service checks the size again in any case."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large: set[str] = set()

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large.add(self.field_name)
            raise SkipFile()  # Django drops the partial file and reads past the rest of it
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temp file) provides the file


@csrf_exempt
def attachment_upload(request, doc_id: int):
    """Exempt here only so the size-limit handler is in place before the body is read (the CSRF
    middleware would read it first; Django docs, "Modifying upload handlers on the fly"): the
    CSRF check runs on `_attachment_upload` below, before anything else."""
    limit = None
    if request.method == "POST" and request.user.is_authenticated:
        limit = _SizeLimitHandler(request, attachments.max_bytes())
        request.upload_handlers.insert(0, limit)
    return _attachment_upload(request, doc_id, limit)


@csrf_protect
@login_required
@require_POST
def _attachment_upload(request, doc_id: int, limit: _SizeLimitHandler | None):
    """POST multipart field "file". 201 JSON / redirect with a message on success; on refusal 400
    (403/404) with {"message", "violations", "field"} for JSON or HTMX callers, else a redirect
    back with the message (a page with the status for 403/404)."""
    upload = request.FILES.get("file")
    try:
        if limit is not None and "file" in limit.too_large:
            attachments.refuse_too_large(limit.limit)
        if upload is None:
            raise Refused("请选择要上传的文件", field="file")
        att = attachments.attachment_add(actor=request.user, document_id=doc_id, name=upload.name or "",
                                         data=upload)
    except Refused as e:
        if _wants_json(request):
            return JsonResponse(e.as_dict(), status=e.status)
        if e.status in (403, 404):
            return refused_page(request, e)
        messages.error(request, e.message)
        return redirect(_back(request, doc_id))
    finally:
        if upload is not None:
            upload.close()
    url = reverse("documents:attachment-download", args=[doc_id, att.pk])
    if _wants_json(request):
        return JsonResponse({"id": att.pk, "name": att.name, "size": att.size, "sha256": att.sha256,
                             "content_type": att.content_type, "url": url}, status=201)
    messages.success(request, f"已上传附件“{att.name}”")
    return redirect(_back(request, doc_id))


@login_required
@require_safe
def attachment_download(request, doc_id: int, att_id: int):
    try:
        att = attachments.attachment_visible(request.user, doc_id, att_id)
    except Refused as e:
        return refused_page(request, e)
    try:
        fh = attachments.open_verified(att)
    except attachments.StoredFileCorrupt:  # logged by open_verified
        return refused_page(request, Refused("附件文件校验失败（与上传时记录的 SHA-256 不符或已丢失），为安全起见不予下载。"
                                              "该情况已记录，请联系区政府办公室。", status=500))
    response = FileResponse(fh, content_type=att.content_type)
    response["Content-Length"] = str(att.size)
    response["Content-Disposition"] = content_disposition(att.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["X-Attachment-SHA256"] = att.sha256
    return response


# ==== documents: list, compose, detail, actions, intake queue, 处理单, timeline, approval =========
# Reads go through access.* (visible_documents / document_visible / …_for_*_action) and the
# workflow selectors; every change is a service call (document_draft, compose.document_update,
# intake.*, issuing.*, services.document_number, workflow task_complete / task_return,
# signatures.signature_attach). A Refused is shown with its violations (_refusal.html) and the
# status it carries; 403/404 get the refusal page.

import datetime as dt  # noqa: E402  (kept with the section that uses it)
from dataclasses import dataclass, field  # noqa: E402

from django.core.paginator import Paginator  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.utils.translation import pgettext, pgettext_lazy  # noqa: E402
from django.views.decorators.http import require_http_methods  # noqa: E402

from zhengwu import rules  # noqa: E402
from zhengwu.audit import selectors as audit  # noqa: E402
from zhengwu.errors import Forbidden, NotFound  # noqa: E402
from zhengwu.org import selectors as org  # noqa: E402
from zhengwu.rulebook import Violation  # noqa: E402
from zhengwu.workflow import access as wf_access  # noqa: E402
from zhengwu.workflow import selectors as wf_selectors  # noqa: E402
from zhengwu.workflow import services as wf  # noqa: E402
from zhengwu.workflow.models import Task  # noqa: E402

from . import access, archiving, compose, department, disclosure, intake, issuing, plans, render as docrender, services, signatures, task_view  # noqa: E402,E501
from .models import Direction, Document  # noqa: E402

Status = Document.Status
PAGE_SIZE = 30
TABS = ("incoming", "outgoing", "drafts")
PROMINENT = ("特急", "特急重要")
OFFICE_UNIT_KIND = access.OFFICE_UNIT_KIND
ACTIONS = ("submit", "register", "return", "route", "prepare", "sign", "number", "issue", "request", "unit-sign",
           "countersign", "disclose", "archive")


def _today() -> dt.date:
    return rules.today()


def _cal():
    from zhengwu.workcalendar.selectors import work_calendar

    return work_calendar()


def _urgency(value: str) -> dict:
    return {"label": value, "prominent": value in PROMINENT, "urgent": value == "加急", "normal": value == "一般"}


def _left(due: dt.date | None, today: dt.date, cal) -> dict:
    """Due date and working days left (negative = overdue), with one calendar for the page."""
    if due is None:
        return {"due_on": None, "left": None, "overdue": False}
    left = cal.count_workdays(today, due) if due >= today else -cal.count_workdays(due, today)
    overdue = due < today
    return {"due_on": due, "left": left, "overdue": overdue, "overdue_days": -left if overdue else None,
            "due_today": due == today, "soon": 0 <= left <= 1}


def _try(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except Refused:
        return None


def _int(raw, field: str, *, default: int | None = None) -> int | None:
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Refused(_("%(field)s must be a whole number") % {"field": field}, field=field) from None


def _paras(text: str) -> list[str]:
    """A document's text as paragraphs: every line is one (as in the GB/T 9704 layout)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


# ---- the list ---------------------------------------------------------------------------------

def _tab_filter(tab: str) -> Q:
    if tab == "drafts":
        return Q(status=Status.DRAFT)
    return Q(direction=Direction.INCOMING if tab == "incoming" else Direction.OUTGOING) & ~Q(status=Status.DRAFT)


def _list_columns():
    """The documents list's columns (zhengwu.web.tables); a column is one more line here."""
    from zhengwu.web.tables import Column

    return (
        Column("number", pgettext_lazy("documents list", "No."), order=("intake_key", "doc_number"),
               cell="documents/cells/number.html", css="nowrap num"),
        Column("title", pgettext_lazy("documents list", "Title"), order=("title",), cell="documents/cells/title.html", css="title"),
        Column("unit", pgettext_lazy("documents list", "From unit"), order=("unit__name",)),
        Column("step", pgettext_lazy("documents list", "Current step")),
        Column("handler", pgettext_lazy("documents list", "With")),
        Column("due", pgettext_lazy("documents list", "Time limit"), order=("next_due",), cell="documents/cells/due.html",
               css="nowrap"),
        Column("status", pgettext_lazy("documents list", "Status"), order=("status",), cell="documents/cells/status.html",
               css="nowrap"),
        Column("created", pgettext_lazy("documents list", "Date"), order=("created_at",), cell="documents/cells/date.html",
               css="nowrap num"),
    )


def _list_filters(visible, on):
    from zhengwu.web.tables import Filter

    units = sorted({(str(pk), name) for pk, name in visible.values_list("unit_id", "unit__name").distinct()},
                   key=lambda u: u[1])
    from zhengwu.web.templatetags.zw_labels import urgency_label

    urgencies = [(u, urgency_label(u)) for u in rules.param("approval.urgencies", on)]
    return (Filter.choice("status", pgettext_lazy("documents list", "Status"), Status.choices),
            # 待归档 / 已归档 (documents.archiving); no lookup: document_list applies it (archived_on)
            Filter("filed", pgettext_lazy("documents list", "Filing"), "choice", "",
                   (("no", pgettext_lazy("documents list", "To file")), ("yes", pgettext_lazy("documents list", "Filed")))),
            Filter.choice("unit", pgettext_lazy("documents list", "Unit"), units, lookup="unit_id"),
            Filter.choice("urgency", pgettext_lazy("documents list", "Urgency"), urgencies),
            *Filter.dates("date", pgettext_lazy("documents list", "From"), pgettext_lazy("documents list", "To"),
                          "created_at__date"))


@login_required
@require_safe
def document_list(request):
    """收文 / 发文 / 草稿 as a table (zhengwu.web.tables): the documents the person may see, newest
    first unless a column header sorts them, filtered by status, unit, urgency and date, 30 to a
    page. The query count does not grow with the rows: the unit choices, the page, its open steps
    (one prefetch), the tab counts (one aggregate) and one work calendar for every row's working
    days left."""
    from zhengwu.web.tables import Table
    from django.utils.text import capfirst

    from zhengwu.web.present import book_name
    from zhengwu.web.templatetags.zw_labels import enumerate_words

    me = request.user
    today = _today()
    cal = _cal()
    tab = request.GET.get("tab", "incoming")
    if tab not in TABS:
        tab = "incoming"
    positions = _positions(me, today)
    visible = access.visible_documents(me, on=today)
    table = Table(request, _list_columns(), filters=_list_filters(visible, today), keep=("tab",), select="doc")
    counts = visible.aggregate(**{t: Count("id", distinct=True, filter=_tab_filter(t)) for t in TABS})
    open_steps = (Task.objects.filter(status=Task.Status.OPEN, kind=Task.Kind.STEP)
                  .select_related("assignee").order_by("due_on", "id"))
    next_due = (Task.objects.filter(approval_id=OuterRef("approval_id"), status=Task.Status.OPEN, kind=Task.Kind.STEP)
                .order_by("due_on").values("due_on")[:1])
    qs = (visible.filter(_tab_filter(tab)).select_related("unit", "approval")
          .annotate(next_due=Subquery(next_due))
          .prefetch_related(Prefetch("approval__tasks", queryset=open_steps, to_attr="open_steps"))
          .order_by("-created_at", "-id"))
    filed = table.values.get("filed")
    if filed:  # 待归档: handled (answered / issued) and not filed; 已归档: filed
        qs = (qs.filter(archived_on__isnull=False) if filed == "yes" else
              qs.filter(Q(status__in=list(archiving.HANDLED.values())), archived_on__isnull=True))
    page = table.page(table.apply(qs))
    book = rules.lib().current
    office = any(pos.unit_id and pos.unit.kind == OFFICE_UNIT_KIND for pos in positions)
    rows = []
    for doc in page.object_list:
        steps = list(getattr(doc.approval, "open_steps", [])) if doc.approval_id else []
        first = steps[0] if steps else None
        left = wf_selectors.workdays_left(first, today, cal) if first else None
        overdue = left is not None and left < 0
        urgency = _urgency(doc.urgency)
        rows.append({
            "doc": doc, "pk": doc.pk, "label": doc.title,
            "selectable": bool(doc.approval_id) or (office and doc.archived_on is None
                                                    and doc.status == archiving.HANDLED[doc.direction]),
            "urgency": urgency, "number": doc.doc_number or doc.intake_number,
            "unit": doc.unit.short_name or doc.unit.name,
            "step": enumerate_words(capfirst(book_name(book, a)) for a in dict.fromkeys(t.action for t in steps)),
            "handler": enumerate_words(dict.fromkeys(str(t.assignee) for t in steps)),
            "with": steps, "due": first.due_on if first else None, "left": left,
            "overdue": overdue, "overdue_days": -left if overdue else None,
            "css": " ".join(c for c in ("is-overdue" if overdue else "", "is-urgent" if urgency["prominent"] else "",
                                        "is-returned" if doc.status == Status.RETURNED else "") if c),
        })
    return render(request, "documents/list.html", {
        "tab": tab, "page": page, "rows": rows, "counts": counts, "today": today, "table": table,
        # 批量传阅 (views_batch.batch_circulate): whom to circulate to, read only if a row has an approval
        "circulate_to": (me.government.people.filter(is_active=True).order_by("username")
                         if me.government_id and any(r["selectable"] for r in rows) else []),
        "can_compose": any(pos.unit_id for pos in positions),
        "office": office,
        # 批量归档 (views_batch.batch_archive): offered to the office when a row is handled and not filed
        "can_file": office and any(r["doc"].archived_on is None and r["doc"].status == archiving.HANDLED[r["doc"].direction]
                                   for r in rows),
        "tabs": [("incoming", _("Incoming (收文)")), ("outgoing", _("Outgoing (发文)")), ("drafts", _("Drafts (草稿)"))],
    })


# ---- compose and the live pre-check -----------------------------------------------------------

def _kinds(on):
    return list(services._kinds(on))


def _compose_choices(me, today, unit) -> dict:
    gov = unit.government if unit is not None else (me.government or org.current_government())
    others = [u for u in org.units(gov)] if gov is not None else []
    if unit is not None:
        others = [u for u in others if u.pk != unit.pk]
    return {
        "kinds": _kinds(today), "urgencies": services.urgencies(today), "levels": services.classified_levels(today),
        "other_units": others, "exceptions": dict(rules.param("documents.direct_submission_exceptions", today)),
        "upward": dict(rules.param("documents.head_signs_upward_to", today)),
        "directive_purposes": dict(rules.param("documents.directive_exempt_purposes", today)),
        "step_labels": dict(rules.param("documents.normative_step_labels", today)),
        "reason_urgencies": list(rules.param("approval.reason_required_urgencies", today)),
        "plan_items": plans.items_for_drafting(me, unit, on=today),
    }


@dataclass
class Checked:
    """The pre-check shown beside the form: the form's own problems and the rules' findings."""

    errors: list = field(default_factory=list)  # Refused (no article)
    violations: list = field(default_factory=list)  # Violation

    @property
    def blocks(self) -> int:
        return len(self.errors) + sum(1 for v in self.violations if v.blocks)

    @property
    def warns(self) -> int:
        return sum(1 for v in self.violations if not v.blocks)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.violations


def _check(state: dict, *, me, unit, today, doc: Document | None = None) -> Checked:
    """预审 of the form as it stands: nothing is written, no row is needed."""
    fields, errors = compose.to_fields(state, unit=unit)
    if unit is None:
        return Checked(errors=errors)
    attachments = doc.attachments.count() if doc is not None else 0
    errors += compose.problems(fields, on=today, attachments=attachments, with_rules_covered=False)
    signer = me if fields["direction"] == Direction.INCOMING else None
    return Checked(errors=errors, violations=compose.precheck_facts(fields, on=today, signer=signer,
                                                                    attachments=attachments))


def _unit_for(me, today, state: dict, doc: Document | None):
    if doc is not None:
        return doc.unit
    units = compose.units_of(me, today)
    wanted = (state.get("unit") or "").strip()
    for u in units:
        if str(u.pk) == wanted:
            return u
    return units[0] if units else None


def _compose_page(request, *, state: dict, unit, doc: Document | None = None, refusal: Refused | None = None,
                  status: int = 200):
    me = request.user
    today = _today()
    return render(request, "documents/compose.html", {
        "doc": doc, "form": state, "unit": unit, "units": compose.units_of(me, today) if doc is None else [doc.unit],
        "check": _check(state, me=me, unit=unit, today=today, doc=doc), "refusal": refusal,
        "error_field": refusal.field if refusal else None, "today": today,
        **_compose_choices(me, today, unit),
    }, status=status)


def _form_refusal(errors: list[Refused], violations: list[Violation] = ()) -> Refused:
    """Everything wrong with the form at once: the rules' findings first (what the live pre-check
    shows, with their articles), then the entries to correct."""
    rules_found = sorted(violations, key=lambda v: not v.blocks)
    if len(errors) == 1 and not rules_found:
        return errors[0]
    found = [*rules_found, *(Violation(rule_id="form", article=0, severity="block", message=e.message, field=e.field)
                             for e in errors)]
    blocks = [v for v in found if v.blocks]
    return Refused(_("Please correct %(n)s entries first") % {"n": len(blocks)}, violations=found,
                   field=(blocks or found)[0].field)


def _all_at_once(e: Refused, state: dict, me, unit, today, doc: Document | None) -> Refused:
    """A refused save, told with everything else the pre-check finds in the form (the same checks),
    the rules first — not one problem per attempt."""
    if e.status == 409:  # changed meanwhile: that alone
        return e
    check = _check(state, me=me, unit=unit, today=today, doc=doc)
    said = {x.message for x in check.errors} | {v.message for v in check.violations}
    errors = [*check.errors, *([e] if e.message not in said and not e.violations else [])]
    violations = [*check.violations, *(v for v in e.violations if v.message not in said)]
    if len(errors) + len(violations) <= 1:
        return e
    return _form_refusal(errors, violations)


def _save(request, *, state: dict, unit, doc: Document | None):
    """Save the form (document_draft, or compose.document_update) and, for op=submit, submit it."""
    me = request.user
    today = _today()
    fields, errors = compose.to_fields(state, unit=unit)
    if errors:  # with the rules' findings on what was entered, all at once (the same pre-check)
        check = _check(state, me=me, unit=unit, today=today, doc=doc)
        return _compose_page(request, state=state, unit=unit, doc=doc, status=400,
                             refusal=_form_refusal(check.errors or errors, check.violations))
    try:
        if doc is None:
            doc = services.document_draft(actor=me, on=today, **fields)
        else:
            version = _int(state.get("version"), "version", default=doc.version)
            fields.pop("unit")
            doc = compose.document_update(actor=me, document_id=doc.pk, version=version, on=today, **fields)
    except (Forbidden, NotFound) as e:
        return refused_page(request, e)
    except Refused as e:
        return _compose_page(request, state=state, unit=unit, doc=doc, refusal=_all_at_once(e, state, me, unit, today, doc),
                             status=e.status)
    op = request.POST.get("op", "save")
    if op == "submit" and doc.direction == Direction.INCOMING:
        try:
            intake.document_submit(actor=me, document_id=doc.pk, on=today)
        except (Forbidden, NotFound) as e:
            return refused_page(request, e)
        except Refused as e:
            saved = Refused(_("Saved as a draft, but not submitted: %(why)s") % {"why": e.message},
                            violations=e.violations, field=e.field, status=e.status)
            return _compose_page(request, state=compose.form_state_of(doc), unit=doc.unit, doc=doc, refusal=saved,
                                 status=e.status)
        messages.success(request, _("Submitted to the district government office: %(title)s") % {"title": doc.title})
    else:
        messages.success(request, _("Draft saved: %(title)s") % {"title": doc.title})
    return redirect("documents:detail", doc_id=doc.pk)


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request):
    """拟稿: a unit's 请示/报告 to the 区政府 (收文), or a 发文 by the office or 代拟 by a department."""
    me = request.user
    today = _today()
    units = compose.units_of(me, today)
    if not units:
        return refused_page(request, Forbidden(_("You hold no position in a unit today, so you cannot draft a "
                                                  "document.")))
    if request.method == "GET":
        unit = units[0]
        direction = request.GET.get("direction")
        if direction not in Direction.values:
            direction = Direction.OUTGOING if unit.kind == OFFICE_UNIT_KIND else Direction.INCOMING
        return _compose_page(request, state=compose.form_state_new(direction=direction, unit=unit), unit=unit)
    state = compose.form_state(request.POST)
    return _save(request, state=state, unit=_unit_for(me, today, state, None), doc=None)


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, doc_id: int):
    me = request.user
    today = _today()
    try:
        doc = access.document_for_unit_action(me, doc_id, on=today)
        if doc.status not in compose.EDITABLE:
            raise Refused(_("This document is %(status)s and can no longer be changed.")
                          % {"status": doc.get_status_display()}, field="document_id", status=409)
    except Refused as e:
        return refused_page(request, e)
    if request.method == "GET":
        return _compose_page(request, state=compose.form_state_of(doc), unit=doc.unit, doc=doc)
    return _save(request, state=compose.form_state(request.POST), unit=doc.unit, doc=doc)


@login_required
@require_POST
def document_precheck(request):
    """HTMX: the form posted as the person types; answers the pre-check panel. Writes nothing."""
    me = request.user
    today = _today()
    state = compose.form_state(request.POST)
    doc = None
    raw = (request.POST.get("document") or "").strip()
    if raw:
        try:
            doc = access.document_for_unit_action(me, raw, on=today)
        except Refused as e:
            return render(request, "documents/_precheck.html", {"check": Checked(errors=[e])}, status=e.status)
    unit = _unit_for(me, today, state, doc)
    return render(request, "documents/_precheck.html",
                  {"check": _check(state, me=me, unit=unit, today=today, doc=doc), "oob": True})


# ---- one document -----------------------------------------------------------------------------

def _positions(me, today):
    return org.positions_of(me, today)


def _my_open_task(me, doc: Document, today) -> Task | None:
    """The person's open step on the document's approval: their own, or a position they act for."""
    if doc.approval_id is None:
        return None
    acting = wf_access.acting_position_ids(me, today)
    cond = Q(assignee=me)
    if acting:
        cond |= Q(position_id__in=acting)
    task = (doc.approval.tasks.filter(cond, status=Task.Status.OPEN, kind=Task.Kind.STEP)
            .order_by("stage", "id").first())
    return task if task is not None and _try(wf_access.task_for_action, me, task.pk, on=today) else None


def _elements(doc: Document, attachments) -> list[dict]:
    """The format elements of the 2012 条例 that apply to this document, as they stand. A row's
    value that is content (names of units and people, numbers, titles, what was typed) is marked
    `zh` (the template sets it apart with lang="zh"); the labels and stored words (the urgency,
    the classification) read in the reader's language."""
    from zhengwu.web.present import book_name
    from zhengwu.web.templatetags.zw_labels import enumerate_words, semicolon, urgency_label

    gov = doc.government
    book = rules.lib().current
    outgoing = doc.direction == Direction.OUTGOING
    if outgoing:
        issuer = {"government": gov.name, "office": f"{gov.name}办公室"}.get(doc.issuing_as, doc.unit.name)
    else:
        issuer = doc.unit.name
    rows = [
        (_("Classification and period (密级和保密期限)"), f"{book_name(book, doc.classification)}{'★' + doc.secrecy_period if doc.secrecy_period else ''}" if doc.classification else _("not classified")),
        (_("Urgency (紧急程度)"), urgency_label(doc.urgency)),
        (_("Issuing authority (发文机关标志)"), issuer, True),
        (_("Document number (发文字号)") if outgoing else _("Intake number (收文号)"),
         (doc.doc_number if outgoing else doc.intake_number) or "—", True),
        (_("Signed by (签发人)"), str(doc.signer) if doc.signer_id else "—", True),
        (_("Main recipients (主送机关)"), enumerate_words(doc.main_recipients) or "—", True),
        (_("Attachments (附件说明)"), semicolon().join(f"{i}. {a.name}" for i, a in enumerate(attachments, 1)) or _("none"),
         bool(attachments)),
        (_("Issued in the name of (发文机关署名)"), issuer, True),
        (_("Date (成文日期)"), doc.signed_on.isoformat() if doc.signed_on else "—"),
        (_("Note (附注)"), doc.note or "—", True),
        (_("Copied to (抄送机关)"), enumerate_words(doc.cc) or "—", True),
    ]
    if outgoing:
        item = doc.plan_item
        if department.is_department_document(doc) and doc.is_normative:
            f = department.procedure_facts(doc)
            done = [label for key, label in (("prior_written_request", _("written request")),
                                             ("legality_review_by", _("legality review")),
                                             ("leader_reviewed", _("leader's review")),
                                             ("head_approved", _("district head's approval"))) if f[key]]
            rows.append((_("Department normative procedure (art. 25)"), "、".join(str(x) for x in done) or _("not begun")))
        rows.append((_("Annual document plan (年度发文计划)"),
                     f"{item.plan.year} {item.plan.unit.short_name or item.plan.unit.name} · {item.period} · {item.title}"
                     if item else _("not in the plan (unplanned document)"), bool(item)))
        rows.append((_("Printed by, on (印发机关和印发日期)"),
                     f"{doc.unit.name if department.is_department_document(doc) else gov.name + '办公室'} "
                     f"{doc.signed_on.isoformat()}" if doc.status == Status.ISSUED and doc.signed_on
                     else "—", True))
    return [{"label": row[0], "value": row[1], "zh": len(row) > 2 and row[2]} for row in rows]


def _intake_due(doc: Document, today: dt.date) -> dict:
    """A registered 来文 not yet routed: when art. 68's limit ends, counted from the day received."""
    start = doc.received_on or doc.registered_on or today
    return {"due_on": intake.overall_due(doc, today), "start": start,
            "limit": rules.param("approval.limit_days", start)[doc.urgency]}


def _return_reasons(events) -> str:
    for ev in events:  # newest first
        if ev.action == "documents.document.return" and isinstance(ev.after, dict) and ev.after.get("reasons"):
            return str(ev.after["reasons"])
    return ""


def _doc_precheck(doc: Document, me, today) -> list[Violation] | None:
    """The rules on the document at its stage, for the detail page (None when it is past them)."""
    if doc.direction == Direction.INCOMING and doc.status in (Status.DRAFT, Status.RETURNED, Status.SUBMITTED,
                                                              Status.REGISTERED):
        submitted = doc.status in (Status.SUBMITTED, Status.REGISTERED)
        signer = doc.signer if (submitted and doc.signer_id) else me
        found = intake.precheck(doc, on=(doc.submitted_on if submitted and doc.submitted_on else today), signer=signer)
        if doc.paper:  # signed on the paper original the office registered: no signer to check here
            found = [v for v in found if v.field != "signer_role"]
        return found
    if doc.direction == Direction.OUTGOING and doc.status in (Status.DRAFT, Status.RETURNED, Status.SIGNED,
                                                              Status.APPROVED):
        return intake.precheck(doc, on=today, stage="issuing" if doc.status == Status.SIGNED else "signing")
    return None


def _detail_context(request, doc: Document, *, refusal: Refused | None = None, op: str = "") -> dict:
    me = request.user
    today = _today()
    cal = _cal()
    positions = _positions(me, today)
    office = any(p.unit_id and p.unit.kind == OFFICE_UNIT_KIND for p in positions)
    member = any(p.unit_id == doc.unit_id for p in positions)
    incoming = doc.direction == Direction.INCOMING
    editable = doc.status in compose.EDITABLE
    events = list(audit.history_for("documents.document", str(doc.pk)))
    atts = list(doc.attachments.select_related("uploaded_by"))
    my_task = _my_open_task(me, doc, today)
    tasks = wf_selectors.approval_tasks(doc.approval) if doc.approval_id else []
    own_name = department.is_department_document(doc)  # a department's document in its own name (art. 25)
    unit_head = org.unit_head(doc.unit, today) if own_name else None
    can = {
        "request": member and own_name and doc.is_normative and editable,
        "unit_sign": own_name and unit_head is not None and unit_head.pk == me.pk and (
            doc.status == Status.APPROVED or (editable and not doc.is_normative)),
        "unit_number": member and own_name and doc.status == Status.SIGNED and not doc.doc_number,
        "unit_issue": member and own_name and doc.status == Status.SIGNED and bool(doc.doc_number),
        "edit": member and editable,
        "submit": member and editable and incoming,
        "countersign": member and editable and incoming and bool((doc.facts or {}).get("touches_other_units"))
        and not (doc.approval_id and doc.approval.route_id == intake.COUNTERSIGN_ROUTE
                 and doc.approval.status == "running"),
        "sign": (not incoming) and not own_name and editable and (office or doc.created_by_id == me.pk),
        "register": office and doc.status == Status.SUBMITTED,
        "return": office and doc.status in (Status.SUBMITTED, Status.REGISTERED),
        "route": office and doc.status == Status.REGISTERED,
        "prepare": office and incoming and doc.status == Status.IN_APPROVAL,
        "number": office and (not incoming) and not own_name and doc.status == Status.SIGNED and not doc.doc_number,
        "issue": office and not own_name and doc.status == Status.SIGNED and bool(doc.doc_number),
        # art. 33: the unit that issued it records how and when a public document was disclosed
        "disclose": ((office and not own_name) or (member and own_name)) and doc.status == Status.ISSUED
        and doc.public and doc.disclosed_on is None,
        # 归档 (documents.archiving): a handled document not filed yet, offered to the office and to
        # its unit; the button is disabled with the reason for whoever may not file it
        "archive": (office or member) and doc.archived_on is None
        and doc.status == archiving.HANDLED[doc.direction],
        "docx": bool(doc.doc_number and doc.signed_on and not doc.classified),
        "attach": (member or office) and not doc.classified,
        "approve": my_task is not None,
    }
    gov = doc.government
    found = _doc_precheck(doc, me, today)
    # guide rather than refuse: 报送 shown disabled with the reason the service's own dry run gives
    submit_refusal = intake.submit_refusal(actor=me, doc=doc, on=today) if can["submit"] else None
    # … and so are 送签, 部门签发 and 印发 (issuing.signing_refusal, department.unit_sign_refusal,
    # issuing.issue_refusal run the services' own checks, writing nothing)
    guided = {
        "sign": issuing.signing_refusal(doc=doc, on=today) if can["sign"] else None,
        "unit_sign": department.unit_sign_refusal(actor=me, doc=doc, on=today) if can["unit_sign"] else None,
        "issue": issuing.issue_refusal(doc=doc, on=today) if (can["issue"] or can["unit_issue"]) else None,
        "archive": archiving.archive_refusal(actor=me, doc=doc, on=today) if can["archive"] else None,
    }
    channels = disclosure.channels(today)
    return {
        "doc": doc, "urgency": _urgency(doc.urgency), "elements": _elements(doc, atts), "attachments": atts,
        "body_paras": _paras(doc.body),
        "events": events, "return_reasons": _return_reasons(events) if doc.status == Status.RETURNED else "",
        "precheck": found, "precheck_check": Checked(violations=found) if found is not None else None,
        "can": can, "my_task": my_task, "submit_ok": submit_refusal is None, "submit_refusal": submit_refusal,
        "guided": guided, "guided_ok": {k: v is None for k, v in guided.items()},
        "sheet": _sheet_rows(doc, tasks), "journey": _journey(doc, today, cal, tasks),
        "units": [u for u in org.units(gov) if u.pk != doc.unit_id] if (can["prepare"] or can["sign"]) else [],
        "parallel_ok": doc.urgency in rules.param("approval.parallel_urgencies", today),
        # the 呈批 form's choices, only where it is shown (the leaders are a query)
        "domains": sorted(rules.param("org.domain_labels", today).items()) if can["route"] else [],
        "leaders": [(person, pos) for person, pos in org.government_members(gov, today)
                    if pos.code in org.LEADER_CODES and pos.code != "district_head"] if can["route"] else [],
        "disclosure_channels": channels,
        "disclosure_label": channels.get(doc.disclosure_channel, doc.disclosure_channel),
        "referable": doc.issuing_as == "office", "followups": issuing.followups(doc) if doc.status == Status.ISSUED else [],
        "refusal": refusal, "error_field": refusal.field if refusal else None, "op": op, "today": today,
        "overall": _left(doc.decision_needed_by, today, cal) if doc.status == Status.IN_APPROVAL else None,
        "intake_due": _intake_due(doc, today) if incoming and doc.status == Status.REGISTERED else None,
        # the approval's own page admits its originator, the office's directors and those with a task
        # in it (workflow.access.approval_visible); worked out here from what is loaded already
        "can_see_approval": bool(doc.approval_id) and (
            doc.approval.originator_id == me.pk or my_task is not None
            or any(p.code in wf_access.OFFICE_CODES for p in positions)
            or any(t.assignee_id == me.pk for t in tasks)),
    }


@login_required
@require_safe
def document_detail(request, doc_id: int):
    try:
        doc = access.document_visible(request.user, doc_id)
    except Refused as e:
        return refused_page(request, e)
    # opened: the person's notices about it (新收文, 退回, its tasks) are read, and the bell shows it
    from zhengwu.workflow.notices import notifications_seen

    notifications_seen(person=request.user, obj=("documents.document", str(doc.pk)), link=f"/documents/{doc.pk}/")
    return render(request, "documents/detail.html", _detail_context(request, doc))


def _posted(request, name: str, get, unknown) -> list:
    """The objects a form posts as ids under `name` (units, people of the government); an unknown
    one is refused naming the field."""
    out = []
    for raw in request.POST.getlist(name):
        found = get(raw) if str(raw).isdigit() else None
        if found is None:
            raise Refused(unknown(raw), field=name)
        out.append(found)
    return out


def _units_posted(request, doc: Document, name: str) -> list:
    return _posted(request, name, lambda raw: org.unit_get(doc.government, raw),
                   lambda raw: _("Unknown unit: %(unit)s") % {"unit": raw})


def _people_posted(request, name: str) -> list:
    gov = request.user.government if request.user.government_id else org.current_government()
    return _posted(request, name, lambda raw: org.person_get(gov, raw),
                   lambda raw: _("Unknown person: %(person)s") % {"person": raw})


def _perform(request, doc: Document, op: str) -> str:
    """Run one action through its service; the success message."""
    me = request.user
    post = request.POST
    today = _today()
    if op == "submit":
        intake.document_submit(actor=me, document_id=doc.pk, on=today)
        return _("Submitted to the district government office: %(title)s") % {"title": doc.title}
    if op == "register":
        done = intake.document_register(actor=me, document_id=doc.pk, on=today)
        return _("Registered as %(number)s: %(title)s") % {"number": done.intake_number, "title": doc.title}
    if op == "return":
        intake.document_return(actor=me, document_id=doc.pk, reasons=post.get("reasons", ""), on=today)
        return _("Returned to the unit with the reasons: %(title)s") % {"title": doc.title}
    if op == "route":
        intake.document_route(actor=me, document_id=doc.pk, major=bool(post.get("major")),
                              parallel=bool(post.get("parallel")), domain=post.get("domain", ""),
                              concerned=_people_posted(request, "concerned"), on=today)
        return _("Sent to the leaders for their instructions: %(title)s") % {"title": doc.title}
    if op == "prepare":
        access.document_for_office_action(me, doc.pk, on=today)
        units = _units_posted(request, doc, "units")
        if not units:
            raise Refused(_("Choose the units to notify"), field="units")
        n = intake.document_notify_prepare(actor=me, document_id=doc.pk, units=units, note=post.get("note", ""))
        return _("Notified %(n)s unit(s) to prepare: %(title)s") % {"n": n, "title": doc.title}
    if op == "sign":
        access.document_visible(me, doc.pk, on=today)
        units = _units_posted(request, doc, "countersign")
        issuing.document_send_for_signing(actor=me, document_id=doc.pk, referred_to_head=bool(post.get("referred")),
                                          countersign_units=units, on=today)
        return _("Sent for review and signature: %(title)s") % {"title": doc.title}
    if op == "countersign":
        intake.document_countersign_request(actor=me, document_id=doc.pk, on=today)
        return _("Sent to the units concerned for countersigning (会签): %(title)s") % {"title": doc.title}
    if op == "request":
        department.document_request_approval(actor=me, document_id=doc.pk, on=today)
        return _("Asked the district government in writing for approval (art. 25): %(title)s") % {"title": doc.title}
    if op == "unit-sign":
        department.document_sign_as_unit(actor=me, document_id=doc.pk, on=today)
        return _("Signed in the name of %(unit)s: %(title)s") % {"unit": doc.unit.name, "title": doc.title}
    if op == "number":
        done = services.document_number(actor=me, document_id=doc.pk, on=today)
        return _("Numbered %(number)s: %(title)s") % {"number": done.doc_number, "title": doc.title}
    if op == "issue":
        issuing.document_issue(actor=me, document_id=doc.pk, on=today)
        return _("Issued: %(title)s") % {"title": doc.title}
    if op == "archive":
        archiving.document_archive(actor=me, document_id=doc.pk, on=today)
        return pgettext("filing", "Filed: %(title)s") % {"title": doc.title}
    if op == "disclose":
        try:
            day = dt.date.fromisoformat((post.get("disclosed_on") or "").strip())
        except ValueError:
            raise Refused(_("Enter the date of disclosure (YYYY-MM-DD)"), field="disclosed_on") from None
        disclosure.document_disclose(actor=me, document_id=doc.pk, channel=post.get("channel", ""), disclosed_on=day,
                                     on=today)
        return _("Disclosure recorded: %(title)s") % {"title": doc.title}
    raise Refused(_("Unknown action"), field="op")


@login_required
@require_POST
def document_act(request, doc_id: int, op: str):
    """One action on a document (POST). From the intake queue with HTMX, answers the queue's row."""
    me = request.user
    row = request.POST.get("from") == "intake"
    try:
        doc = access.document_visible(me, doc_id)
    except Refused as e:
        return refused_page(request, e)
    try:
        message = _perform(request, doc, op)
    except Refused as e:
        if row and _is_htmx(request):
            return _intake_row_response(request, doc, refusal=e)  # 200: htmx 2 swaps only 2xx answers
        if e.status in (403, 404):
            return refused_page(request, e)
        if row:
            messages.error(request, e.message)
            return redirect("documents:intake")
        doc = access.document_visible(me, doc.pk)  # fresh state
        return render(request, "documents/detail.html", _detail_context(request, doc, refusal=e, op=op),
                      status=e.status)
    if row and _is_htmx(request):
        return _intake_row_response(request, doc, done=message)
    messages.success(request, message)
    return redirect("documents:intake" if row else "documents:detail", **({} if row else {"doc_id": doc.pk}))


@login_required
@require_safe
def document_docx(request, doc_id: int):
    """The signed and numbered document in the GB/T 9704-2012 layout (.docx)."""
    try:
        doc = access.document_visible(request.user, doc_id)
        data = docrender.render_docx(doc)
    except Refused as e:
        return refused_page(request, e)
    name = f"{doc.doc_number}{doc.title}".replace("/", "_")[:150] + ".docx"
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---- the office's intake queue ----------------------------------------------------------------

def _queue_rows(docs: list[Document], today, cal) -> list[dict]:
    checks = compose.precheck_many(docs, on=today)
    rows = []
    for d in docs:
        found = checks.get(d.pk, [])
        if d.paper:  # signed on the paper original, which the office registered: no signer to check here
            found = [v for v in found if v.field != "signer_role"]
        since = d.submitted_on or today
        rows.append({"doc": d, "urgency": _urgency(d.urgency), "age": max(0, cal.count_workdays(since, today)),
                     "blocks": sum(1 for v in found if v.blocks), "warns": sum(1 for v in found if not v.blocks),
                     "parallel_ok": d.urgency in rules.param("approval.parallel_urgencies", today)})
    return rows


def _queue_docs(me, today, *, pk: int | None = None) -> list[Document]:
    qs = (access.visible_documents(me, on=today)
          .filter(direction=Direction.INCOMING, status__in=[Status.SUBMITTED, Status.REGISTERED])
          .select_related("unit", "signer").annotate(n_attachments=Count("attachments", distinct=True))
          .order_by("submitted_on", "id"))
    if pk is not None:
        qs = qs.filter(pk=pk)
    return list(qs)


@login_required
@require_safe
@cached_page
def intake_queue(request):
    """The office's intake queue (收文初审): submitted documents awaiting 登记 and registered ones
    awaiting 呈批, oldest first, each with its pre-check (counted in bulk)."""
    me = request.user
    today = _today()
    if not access.is_office_staff(me, today):
        return refused_page(request, Forbidden(_("Only the district government office handles the intake queue.")))
    cal = _cal()
    rows = _queue_rows(_queue_docs(me, today), today, cal)
    return render(request, "documents/intake.html", {
        "submitted": [r for r in rows if r["doc"].status == Status.SUBMITTED],
        "registered": [r for r in rows if r["doc"].status == Status.REGISTERED], "today": today,
    })


def _intake_row_response(request, doc: Document, *, refusal: Refused | None = None, done: str = "",
                         status: int = 200):
    me = request.user
    today = _today()
    docs = _queue_docs(me, today, pk=doc.pk)
    row = _queue_rows(docs, today, _cal())[0] if docs else None
    fresh = Document.objects.select_related("unit").get(pk=doc.pk)
    return render(request, "documents/_intake_row.html",
                  {"r": row, "gone": fresh, "refusal": refusal, "done": done}, status=status)


# ---- the 公文处理单 ------------------------------------------------------------------------------

def _sheet_rows(doc: Document, tasks: list[Task] | None = None) -> dict:
    """Everyone's opinion on the document in sheet order: the 拟办 (office review), the leaders'
    批示 in rank order (intake.instructions), the review and signing steps of a 发文; each with
    its handwritten signature, if any."""
    if doc.approval_id is None:
        return {"review": [], "instructions": [], "steps": [], "signatures": {}}
    tasks = wf_selectors.approval_tasks(doc.approval) if tasks is None else tasks
    sigs = signatures.signatures_by_task(doc)
    done = [t for t in tasks if t.kind == Task.Kind.STEP and t.status in (Task.Status.DONE, Task.Status.RETURNED)]

    def row(t: Task) -> dict:
        return {"task": t, "who": t.completed_by or t.assignee, "position": t.position, "action": t.action,
                "opinion": t.opinion, "decision": t.decision, "at": t.completed_at, "status": t.status,
                "signature": sigs.get(t.pk),
                "on_behalf": t.assignee if (t.completed_by_id and t.completed_by_id != t.assignee_id) else None}

    instr = intake.instructions(doc) if doc.direction == Direction.INCOMING else []
    returned = [t for t in done if t.status == Task.Status.RETURNED and t.step_id != "office_review"]
    return {
        "review": [row(t) for t in done if t.step_id == "office_review"],
        "instructions": [row(t) for t in instr] + [row(t) for t in returned],
        "collect": [row(t) for t in done if t.step_id == "collect"],
        "steps": [row(t) for t in done] if doc.direction == Direction.OUTGOING else [],
        "open": [t for t in tasks if t.kind == Task.Kind.STEP and t.status == Task.Status.OPEN],
    }


@login_required
@require_safe
def document_sheet(request, doc_id: int):
    """The 公文处理单, printable on A4: registration data, 拟办, every 批示 with signer and date in
    the leaders' rank order, the outcome; handwritten signatures as images."""
    try:
        doc = access.document_visible(request.user, doc_id)
    except Refused as e:
        return refused_page(request, e)
    today = _today()
    return render(request, "documents/sheet.html", {
        "doc": doc, "urgency": _urgency(doc.urgency), "sheet": _sheet_rows(doc), "today": today,
        "attachments": list(doc.attachments.all()),
    })


@login_required
@require_safe
def signature_image(request, doc_id: int, sig_id: int):
    """A handwritten signature's PNG: only for those who may see the document, and only if its
    bytes still have the SHA-256 recorded when it was signed."""
    try:
        sig = signatures.signature_visible(request.user, doc_id, sig_id)
        data = signatures.verified_png(sig)
    except Refused as e:
        return refused_page(request, e)
    except signatures.SignatureCorrupt:
        return refused_page(request, Refused(_("The signature image fails its integrity check and is not shown."),
                                              status=500))
    response = HttpResponse(data, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Signature-SHA256"] = sig.sha256
    return response


# ---- the journey (timeline) --------------------------------------------------------------------

def _journey(doc: Document, today: dt.date, cal, tasks: list[Task] | None = None) -> dict | None:
    """Each step of the document's approval: opened, completed, its due date, working days used
    against the working days it was given, overdue marked; placed on one working-day axis for
    the bars. Dates are those the engine stamped (a step opens when its row is created); the
    first stage opens on the approval's start date."""
    if doc.approval_id is None:
        return None
    approval = doc.approval
    route = wf_selectors.route_of(approval)
    tasks = [t for t in (wf_selectors.approval_tasks(approval) if tasks is None else tasks)
             if t.kind == Task.Kind.STEP and t.status not in (Task.Status.CANCELLED, Task.Status.SKIPPED)]
    start = approval.started_on
    finished = approval.finished_on or (timezone.localdate(approval.finished_at) if approval.finished_at else None)
    steps = []
    for t in tasks:
        # the business days the engine recorded (opened_on / done_on), else the clock
        opened = t.opened_on or (start if t.stage == 0 else max(start, min(timezone.localdate(t.created_at), today)))
        closed = t.done_on or (timezone.localdate(t.completed_at) if t.completed_at else None)
        if closed is not None:
            closed = max(opened, min(closed, today))
        end = closed or today
        used = max(0, cal.count_workdays(opened, end))
        given = cal.count_workdays(opened, t.due_on) if t.due_on else None
        overdue = bool(t.due_on and end > t.due_on)
        rule = _step_rule(route, t, approval.urgency, opened)
        steps.append({
            "task": t, "label": wf_selectors.step_label(route, t.step_id) or t.action, "who": t.completed_by or t.assignee,
            "opened": opened, "closed": closed, "due": t.due_on, "used": used,
            "given": max(given, 0) if given is not None else None, "rule": rule, "open": t.status == Task.Status.OPEN,
            "overdue": overdue, "late_by": cal.count_workdays(t.due_on, end) if overdue else 0,
            "status": t.get_status_display(), "status_code": t.status,
        })
    overall_due = doc.decision_needed_by if doc.direction == Direction.INCOMING else None
    overall_limit = None
    if doc.direction == Direction.INCOMING:
        try:
            overall_limit = rules.param("approval.limit_days", start)[doc.urgency]
        except Exception:
            overall_limit = None
    end_all = finished or today
    marks = [end_all] + [s["due"] for s in steps if s["due"]] + ([overall_due] if overall_due else [])
    last = max(marks + [start])
    span = max(1, cal.count_workdays(start, last))

    def x(d: dt.date) -> float:
        return round(100 * max(0, min(span, cal.count_workdays(start, d))) / span, 2)

    for s in steps:
        s["x0"] = x(s["opened"])
        s["x1"] = max(s["x0"] + 0.8, x(s["closed"] or today))
        s["w"] = round(s["x1"] - s["x0"], 2)
        s["xdue"] = x(s["due"]) if s["due"] else None
    used_all = max(0, cal.count_workdays(start, end_all))
    return {
        "start": start, "finished": finished, "steps": steps, "today": today, "span": span,
        "xtoday": x(today) if not finished else None, "overall_due": overall_due, "overall_limit": overall_limit,
        "xoverall": x(overall_due) if overall_due else None, "used": used_all,
        "overdue": bool(overall_due and end_all > overall_due),
        "late_by": cal.count_workdays(overall_due, end_all) if (overall_due and end_all > overall_due) else 0,
        "route_title": route.title if route else approval.route_id, "article": route.article if route else None,
        "submitted_on": doc.submitted_on,
    }


def _step_rule(route, task: Task, urgency: str, on: dt.date) -> dict | None:
    """The limit the rulebook sets for the step: {"n", "calendar"} (None: no own limit)."""
    if route is None:
        return None
    try:
        found = wf.step_limit(route.step(task.step_id), urgency, on)
    except Exception:
        return None
    return {"n": found[0], "calendar": found[1]} if found else None


@login_required
@require_safe
def document_timeline(request, doc_id: int):
    try:
        doc = access.document_visible(request.user, doc_id)
    except Refused as e:
        return refused_page(request, e)
    today = _today()
    return render(request, "documents/timeline.html",
                  {"doc": doc, "urgency": _urgency(doc.urgency), "journey": _journey(doc, today, _cal())})


# ---- the leader's approval screen (phone first) -------------------------------------------------

def _approve_context(request, doc: Document, task: Task, *, form: dict | None = None,
                     refusal: Refused | None = None) -> dict:
    me = request.user
    today = _today()
    cal = _cal()
    route = wf_selectors.route_of(doc.approval)
    on_behalf = task.assignee if task.assignee_id != me.pk else None
    return {
        "doc": doc, "task": task, "urgency": _urgency(doc.urgency), "deadline": _left(task.due_on, today, cal),
        "body_paras": _paras(doc.body),
        "step_label": wf_selectors.step_label(route, task.step_id) or task.action, "on_behalf": on_behalf,
        "attachments": list(doc.attachments.all()), "sheet": _sheet_rows(doc),
        "phrases": list(me.saved_phrases.all()), "form": form or {}, "refusal": refusal,
        "error_field": refusal.field if refusal else None, "today": today,
    }


@login_required
@require_http_methods(["GET", "POST"])
def document_approve(request, doc_id: int):
    """批示 on a phone: read the document, write (typed, a saved phrase, or by hand on the screen),
    agree / instruct (task_complete) or return (task_return). The handwritten PNG is attached
    (signatures.signature_attach) in the same transaction as the task's completion."""
    me = request.user
    today = _today()
    try:
        doc = access.document_visible(me, doc_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    task = _my_open_task(me, doc, today)
    if task is None:
        return refused_page(request, Forbidden(_("Nothing on this document is waiting for you.")))
    if request.method == "GET":
        return render(request, "documents/approve.html", _approve_context(request, doc, task))

    post = request.POST
    op = post.get("op", "")
    opinion = (post.get("opinion") or "").strip()
    if not opinion and (post.get("phrase") or "").strip():
        opinion = post["phrase"].strip()  # a saved phrase chosen without JS
    form = {"op": op, "opinion": opinion, "decision": post.get("decision", "")}
    try:
        version = _int(post.get("version"), "version", default=task.version)
        with transaction.atomic():  # the drawing and the step commit together, or neither
            drawn = task_view.attach_handwriting(actor=me, task_id=task.pk, data_url=post.get("signature", ""),
                                                 on=today) is not None
            if op == "agree":
                wf.task_complete(actor=me, task_id=task.pk, opinion=opinion or _("Agreed (同意)"),
                                 decision=form["decision"], version=version, on=today)
            elif op == "instruct":
                if not opinion and drawn:
                    opinion = _("(handwritten instruction, see the signature)")
                wf.task_complete(actor=me, task_id=task.pk, opinion=opinion, decision=form["decision"],
                                 version=version, on=today)
            elif op == "return":
                wf.task_return(actor=me, task_id=task.pk, opinion=opinion, version=version, on=today)
            else:
                raise Refused(_("Choose agree, instruct or return"), field="op")
    except (Forbidden, NotFound) as e:
        return refused_page(request, e)
    except Refused as e:
        fresh = _my_open_task(me, doc, today)
        if fresh is None:
            return refused_page(request, e)
        return render(request, "documents/approve.html",
                      _approve_context(request, doc, fresh, form=form, refusal=e), status=e.status)
    if op == "return":
        messages.success(request, _("Returned: %(title)s") % {"title": doc.title})
    else:
        messages.success(request, _("Instruction recorded: %(title)s") % {"title": doc.title})
    if _try(access.document_visible, me, doc.pk, on=today) is None:
        return redirect("home")
    return redirect("documents:detail", doc_id=doc.pk)
