"""The 印信 pages: the overview (the register of seals, the cards, take-outs and letters the person
may see, with the forms to fill in), one seal (its impression, retiring it), one card (stamping),
one take-out (check-out, return), one letter (issuing, return to the stub), the 用印登记簿 and its
Excel export.

Views read through access.py and write only through services.py; a `Refused` is shown on the page
with its message and violations (status 400/403/404/409)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST, require_safe

from zhengwu import rules
from zhengwu.audit.selectors import history_for
from zhengwu.errors import Refused
from zhengwu.org.models import Person, Unit
from zhengwu.output.download import content_disposition
from zhengwu.web.present import refused_page
from zhengwu.web.tables import Column, Filter, Table

from . import access, services
from .models import Letter, Seal, SealCard, SealTakeOut

LIST_SIZE = 50


def _people(me):
    return Person.objects.filter(government_id=me.government_id, is_active=True,
                                 appointments__isnull=False).distinct().order_by("id")


def _signed_documents(me, today):
    """The signed, numbered documents of the person's units a card may name (newest first)."""
    from zhengwu.documents import access as doc_access
    from zhengwu.documents.models import Document

    return (doc_access.visible_documents(me, on=today)
            .filter(unit_id__in=access.own_unit_ids(me, today), status__in=[Document.Status.SIGNED, Document.Status.ISSUED])
            .exclude(doc_number="").order_by("-signed_on", "-id")[:50])


def _overview_context(request, today, refusal=None, form=None):
    me = request.user
    office = access.is_office(me, today)
    mine = access.own_unit_ids(me, today)
    return {
        "seals": access.visible_seals(me, on=today).select_related("unit", "custodian"),
        "cards": access.visible_cards(me, on=today).select_related("seal", "unit", "user")[:LIST_SIZE],
        "take_outs": access.visible_take_outs(me, on=today).select_related("seal", "custodian", "user")[:LIST_SIZE],
        "books": access.visible_books(me, on=today).select_related("unit", "custodian"),
        "letters": access.visible_letters(me, on=today).select_related("book__unit")[:LIST_SIZE],
        "office": office, "people": _people(me), "kinds": Seal.Kind.choices,
        "units": Unit.objects.filter(government_id=me.government_id, active=True).order_by("order", "id"),
        "my_units": Unit.objects.filter(pk__in=mine).order_by("order", "id"),
        "active_seals": access.visible_seals(me, on=today).filter(status=Seal.Status.ACTIVE).select_related("unit"),
        "documents": _signed_documents(me, today),
        "today": today, "refusal": refusal, "form": form or {},
    }


@login_required
@require_safe
def index(request):
    return render(request, "seals/index.html", _overview_context(request, rules.today()))


def _post_overview(request, form: str, call, done: str, to=None):
    today = rules.today()
    try:
        obj = call(today)
    except Refused as e:
        ctx = _overview_context(request, today, refusal=e, form={"name": form, "values": request.POST})
        return render(request, "seals/index.html", ctx, status=e.status)
    messages.success(request, done)
    return redirect(to(obj) if to else "seals:index")


@login_required
@require_POST
def seal_new(request):
    p = request.POST
    return _post_overview(request, "seal", lambda t: services.seal_register(
        actor=request.user, unit_id=p.get("unit_id"), kind=p.get("kind", ""), name=p.get("name", ""),
        custodian_id=p.get("custodian_id"), kept_locked=p.get("kept_locked") == "1", storage=p.get("storage", ""),
        cut_on=p.get("cut_on", ""), on=t), pgettext("seals", "Seal registered."), lambda s: f"/seals/{s.pk}/")


@login_required
@require_POST
def card_new(request):
    p = request.POST
    return _post_overview(request, "card", lambda t: services.card_create(
        actor=request.user, seal_id=p.get("seal_id"), unit_id=p.get("unit_id") or None, use_date=p.get("use_date", ""),
        content=p.get("content", ""), copies=p.get("copies", ""), user_id=p.get("user_id") or None,
        document_id=p.get("document_id") or None, on=t), pgettext("seals", "Card sent for approval."), lambda c: f"/seals/cards/{c.pk}/")


@login_required
@require_POST
def take_out_new(request):
    p = request.POST
    return _post_overview(request, "take_out", lambda t: services.take_out_request(
        actor=request.user, seal_id=p.get("seal_id"), purpose=p.get("purpose", ""), user_id=p.get("user_id") or None,
        on=t), pgettext("seals", "Sent to the office director for signature."), lambda x: f"/seals/take-outs/{x.pk}/")


@login_required
@require_POST
def book_new(request):
    p = request.POST
    return _post_overview(request, "book", lambda t: services.letter_book_create(
        actor=request.user, unit_id=p.get("unit_id"), custodian_id=p.get("custodian_id"),
        kept_locked=p.get("kept_locked") == "1", on=t), pgettext("seals", "Letter book opened."))


@login_required
@require_POST
def letter_new(request):
    p = request.POST
    return _post_overview(request, "letter", lambda t: services.letter_request(
        actor=request.user, book_id=p.get("book_id"), valid_until=p.get("valid_until", ""),
        bearer_id=p.get("bearer_id") or None, bearer_name=p.get("bearer_name", ""), addressee=p.get("addressee", ""),
        matter=p.get("matter", ""), important=p.get("important") == "1", blank=p.get("blank") == "1",
        reason=p.get("reason", ""), on=t), pgettext("seals", "Letter sent for approval."), lambda x: f"/seals/letters/{x.pk}/")


# ---- one object --------------------------------------------------------------------------------

PAGES = {
    "seal": (access.seal_visible, "seals/seal.html", "seals.seal"),
    "card": (access.card_visible, "seals/card.html", access.CARD),
    "take_out": (access.take_out_visible, "seals/take_out.html", access.TAKE_OUT),
    "letter": (access.letter_visible, "seals/letter.html", access.LETTER),
}


def _steps(approval_id):
    """The approval's steps as signed (who, what, when) for the object's page."""
    from zhengwu.workflow.models import Task

    if not approval_id:
        return []
    return list(Task.objects.filter(approval_id=approval_id, kind=Task.Kind.STEP)
                .select_related("assignee", "completed_by").order_by("id"))


def _detail(request, kind: str, pk: int, refusal=None, status: int = 200):
    visible, template, obj_type = PAGES[kind]
    today = rules.today()
    try:
        obj = visible(request.user, pk, on=today)
    except Refused as e:
        return refused_page(request, e)
    me = request.user
    ctx = {"o": obj, "refusal": refusal, "today": today, "office": access.is_office(me, today),
           "events": list(history_for(obj_type, str(obj.pk)).order_by("at", "seq")),
           "steps": _steps(getattr(obj, "approval_id", None))}
    if kind == "seal":
        ctx["cards"] = access.visible_cards(me, on=today).filter(seal=obj).select_related("unit")[:LIST_SIZE]
    if kind == "card":
        ctx["can_stamp"] = obj.status == SealCard.Status.APPROVED and me.pk == obj.seal.custodian_id
    if kind == "take_out":
        ctx["can_check_out"] = obj.status == SealTakeOut.Status.APPROVED and me.pk in (obj.custodian_id, obj.user_id)
        ctx["can_return"] = obj.status == SealTakeOut.Status.OUT and me.pk in (obj.custodian_id, obj.user_id)
    if kind == "letter":
        custodian = me.pk == obj.book.custodian_id
        ctx["can_issue"] = custodian and obj.status == Letter.Status.APPROVED
        ctx["can_return"] = custodian and obj.status == Letter.Status.ISSUED
    return render(request, template, ctx, status=status)


@login_required
@require_safe
def seal_detail(request, seal_id: int):
    return _detail(request, "seal", seal_id)


@login_required
@require_safe
def card_detail(request, card_id: int):
    return _detail(request, "card", card_id)


@login_required
@require_safe
def take_out_detail(request, take_out_id: int):
    return _detail(request, "take_out", take_out_id)


@login_required
@require_safe
def letter_detail(request, letter_id: int):
    return _detail(request, "letter", letter_id)


def _act(request, kind: str, pk: int, call, done: str):
    visible = PAGES[kind][0]
    today = rules.today()
    try:
        visible(request.user, pk, on=today)
    except Refused as e:
        return refused_page(request, e)
    try:
        call(today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        return _detail(request, kind, pk, refusal=e, status=e.status)
    messages.success(request, done)
    return redirect(request.path.rsplit("/", 2)[0] + "/")


@login_required
@require_POST
def seal_impression(request, seal_id: int):
    f = request.FILES.get("file")
    return _act(request, "seal", seal_id, lambda t: services.seal_impression(
        actor=request.user, seal_id=seal_id, name=f.name if f else "", data=f if f else b"", on=t),
        pgettext("seals", "Impression uploaded."))


@login_required
@require_POST
def seal_retire(request, seal_id: int):
    return _act(request, "seal", seal_id, lambda t: services.seal_retire(
        actor=request.user, seal_id=seal_id, retired_on=request.POST.get("retired_on", ""), on=t), pgettext("seals", "Seal retired."))


@login_required
@require_safe
def seal_image(request, seal_id: int):
    try:
        seal = access.seal_visible(request.user, seal_id)
    except Refused as e:
        return refused_page(request, e)
    if not seal.impression_sha256:
        return refused_page(request, Refused(pgettext("seals", "No impression on record."), status=404))
    fh = services.open_impression(seal)
    response = FileResponse(fh, content_type=seal.impression_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def card_stamp(request, card_id: int):
    return _act(request, "card", card_id, lambda t: services.card_stamp(
        actor=request.user, card_id=card_id, copies=request.POST.get("copies") or None, on=t), pgettext("seals", "Stamped."))


@login_required
@require_POST
def take_out_check_out(request, take_out_id: int):
    return _act(request, "take_out", take_out_id, lambda t: services.take_out_check_out(
        actor=request.user, take_out_id=take_out_id, on=t), pgettext("seals", "Seal checked out."))


@login_required
@require_POST
def take_out_return(request, take_out_id: int):
    return _act(request, "take_out", take_out_id, lambda t: services.take_out_return(
        actor=request.user, take_out_id=take_out_id, on=t), pgettext("seals", "Seal returned."))


@login_required
@require_POST
def letter_issue(request, letter_id: int):
    return _act(request, "letter", letter_id, lambda t: services.letter_issue(
        actor=request.user, letter_id=letter_id, on=t), pgettext("seals", "Letter issued."))


@login_required
@require_POST
def letter_return(request, letter_id: int):
    return _act(request, "letter", letter_id, lambda t: services.letter_return(
        actor=request.user, letter_id=letter_id, note=request.POST.get("note", ""), on=t),
        pgettext("seals", "Unused letter attached back to its stub."))


# ---- 用印登记簿 ------------------------------------------------------------------------------------

def _cards_qs(me, today):
    return (access.visible_cards(me, on=today)
            .select_related("seal", "unit", "handler", "user", "approver", "stamped_by", "document"))


def _log_rows(me, today):
    return _cards_qs(me, today).filter(status=SealCard.Status.STAMPED).order_by("-stamped_at", "-id")


def _card_columns(*, log: bool):
    """The columns of the 用印登记簿 (`log`) and of the list of seal-use cards (zhengwu.web.tables)."""
    ctx = "seals list"
    cols = [
        Column("use_date", pgettext_lazy("seals", "Date of use"), order=("use_date",), cell="cells/date.html",
               css="nowrap num"),
        Column("seal", pgettext_lazy("seals", "Seal"), order=("seal__name",)),
        Column("unit", pgettext_lazy("seals", "Unit"), order=("unit__name",)),
        Column("content", pgettext_lazy("seals", "Content"), cell="seals/cells/content.html", css="title"),
        Column("copies", pgettext_lazy("seals", "Copies"), order=("stamped_copies" if log else "copies",), css="num"),
        Column("approver", pgettext_lazy("seals", "Approver"), order=("approver__full_name",)),
        Column("handler", pgettext_lazy("seals", "Handler"), order=("handler__full_name",)),
        Column("user", pgettext_lazy("seals", "User"), order=("user__full_name",)),
    ]
    if log:
        cols.append(Column("stamped", pgettext_lazy("seals", "Stamped"), order=("stamped_at",),
                           cell="seals/cells/stamped.html", css="nowrap"))
    else:
        cols.append(Column("status", pgettext_lazy(ctx, "Status"), order=("status",), css="nowrap"))
    return tuple(cols)


def _card_table(request, today, *, log: bool) -> Table:
    """Filters a clerk uses: the seal, the unit, the date of use (and, for the cards, the status);
    only the seals and units of the cards the person may see are offered."""
    ctx = "seals list"
    visible = access.visible_cards(request.user, on=today)
    seals = sorted(set(visible.values_list("seal_id", "seal__name").distinct()), key=lambda x: (x[1], x[0]))
    units = sorted(set(visible.values_list("unit_id", "unit__name").distinct()), key=lambda x: (x[1], x[0]))
    filters = [
        Filter.choice("seal", pgettext_lazy("seals", "Seal"), seals, lookup="seal_id"),
        Filter.choice("unit", pgettext_lazy("seals", "Unit"), units, lookup="unit_id"),
        *Filter.dates("used", pgettext_lazy(ctx, "Used from"), pgettext_lazy(ctx, "Used to"), "use_date"),
    ]
    if not log:
        filters.insert(0, Filter.choice("status", pgettext_lazy(ctx, "Status"), SealCard.Status.choices))
    return Table(request, _card_columns(log=log), filters=filters, default="-stamped" if log else "-use_date",
                 page_size=LIST_SIZE)


def _card_rows(cards) -> list[dict]:
    return [{"c": c, "pk": c.pk, "use_date": c.use_date, "seal": c.seal.name, "unit": c.unit.name,
             "copies": c.stamped_copies if c.status == SealCard.Status.STAMPED else c.copies,
             "approver": str(c.approver or ""), "handler": str(c.handler), "user": str(c.user),
             "status": c.get_status_display()} for c in cards]


def _card_list(request, *, log: bool):
    today = rules.today()
    table = _card_table(request, today, log=log)
    qs = _log_rows(request.user, today) if log else _cards_qs(request.user, today).order_by("-use_date", "-id")
    page = table.page(table.apply(qs))
    return render(request, "seals/log.html", {"rows": _card_rows(page.object_list), "page": page, "table": table,
                                              "log": log, "today": today})


@login_required
@require_safe
def use_log(request):
    """用印登记簿 as a table: the stamped cards the person may see, sorted, filtered and paged."""
    return _card_list(request, log=True)


@login_required
@require_safe
def card_list(request):
    """用印审批单 (every status) as a table: the cards the person may see (access.visible_cards)."""
    return _card_list(request, log=False)


@login_required
@require_safe
def use_log_export(request):
    from openpyxl import Workbook

    from zhengwu.output.excel import safe_cell, workbook_bytes

    today = rules.today()
    wb = Workbook()
    ws = wb.active
    ws.title = "用印登记簿"
    ws.append(["用章日期", "印章", "用印单位", "用章内容", "份数", "审批人", "经手人", "用章人", "用印人（保管人）",
               "用印时间", "所用公文"])
    table = _card_table(request, today, log=True)
    for c in table.apply(_log_rows(request.user, today)):
        ws.append([safe_cell(v) for v in (
            c.use_date, c.seal.name, c.unit.name, c.content, c.stamped_copies, str(c.approver or ""), str(c.handler),
            str(c.user), str(c.stamped_by or ""), c.stamped_at.strftime("%Y-%m-%d %H:%M") if c.stamped_at else "",
            f"{c.document.doc_number} {c.document.title}" if c.document else "")])
    response = HttpResponse(workbook_bytes(wb),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(f"用印登记簿-{today.isoformat()}.xlsx",
                                                          f"seal-use-{today.isoformat()}.xlsx")
    return response
