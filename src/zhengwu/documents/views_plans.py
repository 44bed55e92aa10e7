"""Web pages of the annual document plans (年度发文计划, art. 70): the counts of planned and
unplanned documents per unit and year (with the .xlsx), one plan with its items, and the forms
that make and edit a plan. Reads through access/plans, writes through the plans services."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from zhengwu import rules
from zhengwu.errors import Refused
from zhengwu.org import selectors as org
from zhengwu.web.present import refused_page

from . import access, plans
from .models import Direction, Document

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request, today) -> int:
    raw = (request.GET.get("year") or "").strip()
    if not raw:
        return today.year
    try:
        year = int(raw)
    except ValueError:
        raise Refused(_("The year must be a number"), field="year") from None
    if not 2000 <= year <= 2100:
        raise Refused(_("The year must be between 2000 and 2100"), field="year")
    return year


@login_required
@require_safe
def plan_list(request):
    """/documents/plans/?year=: each visible unit's plan and its planned / unplanned documents
    (?format=xlsx for the sheet)."""
    me = request.user
    today = rules.today()
    try:
        year = _year(request, today)
        fmt = request.GET.get("format", "")
        if fmt not in ("", "html", "xlsx"):
            raise Refused(_("Unsupported format: %(fmt)s") % {"fmt": fmt}, field="format")
    except Refused as e:
        return refused_page(request, e)
    rows = plans.counts(me, year, on=today)
    if fmt == "xlsx":
        gov = me.government
        data = plans.counts_xlsx(rows, year=year, government_name=gov.name if gov else "", on=today)
        response = HttpResponse(data, content_type=XLSX)
        name = f"{year}年度发文计划执行情况-{today:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f"attachment; filename=\"plans.xlsx\"; filename*=UTF-8''{quote(name)}"
        response["Cache-Control"] = "private, no-store"
        return response
    own = [u for u in org.units(me.government) if u.pk in access.own_unit_ids(me, today)] if me.government else []
    have = set(plans.plans_of_year(me, year, on=today).values_list("unit_id", flat=True))
    return render(request, "documents/plans/list.html", {
        "year": year, "rows": rows, "years": [today.year - 1, today.year, today.year + 1],
        "can_create": [u for u in own if u.pk not in have] if today.year - 1 <= year <= today.year + 1 else [],
        "totals": {"planned": sum(r.planned for r in rows), "unplanned": sum(r.unplanned for r in rows),
                   "items": sum(r.items for r in rows)},
    })


@login_required
@require_POST
def plan_new(request):
    me = request.user
    today = rules.today()
    raw = request.POST.get("unit", "")
    unit = org.unit_get(me.government, raw) if me.government and str(raw).isdigit() else None
    try:
        if unit is None:
            raise Refused(_("Choose the unit"), field="unit")
        plan = plans.plan_create(actor=me, unit=unit, year=request.POST.get("year", ""),
                                 note=request.POST.get("note", ""), on=today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        messages.error(request, e.message)
        return redirect(f"/documents/plans/?year={request.POST.get('year', '')}")
    messages.success(request, _("Plan made: %(plan)s") % {"plan": plan})
    return redirect("documents:plan", plan_id=plan.pk)


def _item_rows(plan):
    items = list(plan.items.all())
    docs = {}
    for d in (Document.objects.filter(plan_item__plan=plan).only("id", "title", "status", "doc_number", "plan_item_id")
              .order_by("id")):
        docs.setdefault(d.plan_item_id, []).append(d)
    return [{"item": i, "documents": docs.get(i.pk, [])} for i in items]


def _detail(request, plan, *, refusal: Refused | None = None, status: int = 200, form=None):
    me = request.user
    today = rules.today()
    unplanned = (Document.objects.filter(unit=plan.unit, direction=Direction.OUTGOING, plan_item__isnull=True,
                                         status__in=plans.COUNTED).filter(plans._in_year(plan.year))
                 .only("id", "title", "status", "doc_number").order_by("-id"))
    return render(request, "documents/plans/detail.html", {
        "plan": plan, "rows": _item_rows(plan), "unplanned": list(unplanned),
        "can_edit": access.may_edit_plan_of(me, plan.unit, on=today),
        "kinds": list(rules.param("documents.kinds", today)), "quarters": [1, 2, 3, 4], "months": range(1, 13),
        "refusal": refusal, "error_field": refusal.field if refusal else None, "form": form or {},
    }, status=status)


@login_required
@require_safe
def plan_detail(request, plan_id: int):
    try:
        plan = access.plan_visible(request.user, plan_id)
    except Refused as e:
        return refused_page(request, e)
    return _detail(request, plan)


def _item_fields(post) -> dict:
    return {k: post.get(k, "") for k in plans.ITEM_FIELDS}


@login_required
@require_POST
def plan_item_add(request, plan_id: int):
    me = request.user
    try:
        plan = access.plan_for_edit(me, plan_id)
    except Refused as e:
        return refused_page(request, e)
    try:
        item = plans.plan_item_add(actor=me, plan_id=plan.pk, **_item_fields(request.POST))
    except Refused as e:
        return _detail(request, plan, refusal=e, status=e.status, form=request.POST)
    messages.success(request, _("Added to the plan: %(title)s") % {"title": item.title})
    return redirect("documents:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_item_edit(request, plan_id: int, item_id: int):
    me = request.user
    try:
        plan = access.plan_for_edit(me, plan_id)
        if not plan.items.filter(pk=item_id).exists():
            raise Refused(_("No such item in this plan"), field="item_id", status=404)
    except Refused as e:
        return refused_page(request, e)
    try:
        if request.POST.get("op") == "withdraw":
            plans.plan_item_withdraw(actor=me, item_id=item_id, reason=request.POST.get("reason", ""))
            messages.success(request, _("Item withdrawn"))
        else:
            fields = _item_fields(request.POST)
            if not fields["month"]:
                fields["month"] = None
            plans.plan_item_update(actor=me, item_id=item_id, **fields)
            messages.success(request, _("Item saved"))
    except Refused as e:
        return _detail(request, plan, refusal=e, status=e.status)
    return redirect("documents:plan", plan_id=plan.pk)
