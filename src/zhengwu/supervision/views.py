"""Web pages of the supervision ledger (督查台账): the ledger with filters and lights, the
dashboard (counts by unit, on-time rates), the Excel export, one item with its timeline and the
actions the person may take, the form to open an item, and the 督查指挥中心's list of sources
(meeting decisions and leaders' 批示 not yet in the ledger).

Views read through access.py/selectors.py and write only through services.py; a `Refused` is
shown on the page with its message and violations (status 400/403/404/409)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST, require_safe

from zhengwu import rules
from zhengwu.audit.selectors import history_for
from zhengwu.errors import Refused
from zhengwu.org.models import Unit
from zhengwu.output.download import content_disposition
from zhengwu.web.present import book_name, refused_page
from zhengwu.web.tables import Column, Filter, Table

from . import access, selectors, services, sources
from .models import Extension, ItemUnit, SupervisionItem

PAGE_SIZE = 30
S = SupervisionItem.Status


LIGHTS = (("green", pgettext_lazy("supervision light", "On time")),
          ("yellow", pgettext_lazy("supervision light", "Due soon")),
          ("red", pgettext_lazy("supervision light", "Overdue")),
          ("listed", pgettext_lazy("supervision light", "Listed")))


def _columns():
    """The ledger's columns (zhengwu.web.tables): the light is judged per row, not sortable."""
    return (
        Column("number", pgettext_lazy("supervision ledger", "Number"), order=("year", "seq"),
               cell="supervision/cells/number.html", css="nowrap num"),
        Column("title", pgettext_lazy("supervision ledger", "Item"), order=("title",),
               cell="supervision/cells/title.html", css="title"),
        Column("lead", pgettext_lazy("supervision ledger", "Lead unit"), order=("lead_name",)),
        Column("assigned", pgettext_lazy("supervision ledger", "Assigned on"), order=("assigned_on",),
               cell="cells/date.html", css="nowrap num"),
        Column("due", pgettext_lazy("supervision ledger", "Due"), order=("due_on",), cell="cells/date.html",
               css="nowrap num"),
        Column("status", pgettext_lazy("supervision ledger", "Status"), order=("status",), css="nowrap"),
        Column("light", pgettext_lazy("supervision ledger", "Light"), cell="supervision/cells/light.html",
               css="nowrap"),
    )


def _sources(today) -> dict[str, str]:
    """Where ledger items come from (the book's supervision.sources), in the reader's language."""
    return {k: book_name(rules.lib().current, v) for k, v in rules.param("supervision.sources", today).items()}


def _table(request, today) -> Table:
    """The ledger's table: status, light, lead unit, source and a due-date range; sorted by a column
    (newest number first by default); 30 to a page. The light and the lead unit are filtered here,
    not by a plain lookup."""
    me = request.user
    units = Unit.objects.filter(government_id=me.government_id, active=True).order_by("order", "id")
    filters = (
        Filter.choice("status", pgettext_lazy("supervision ledger", "Status"), S.choices),
        Filter("light", pgettext_lazy("supervision ledger", "Light"), "choice", "", LIGHTS),
        Filter("unit", pgettext_lazy("supervision ledger", "Lead unit"), "choice", "",
               tuple((str(pk), name) for pk, name in units.values_list("pk", "name"))),
        Filter.choice("source", pgettext_lazy("supervision ledger", "Source"), _sources(today).items()),
        *Filter.dates("due", pgettext_lazy("supervision ledger", "Due from"),
                      pgettext_lazy("supervision ledger", "Due to"), "due_on"),
    )
    return Table(request, _columns(), filters=filters, default="-number", page_size=PAGE_SIZE)


def _ledger_qs(request, today, table: Table):
    lead = ItemUnit.objects.filter(item_id=OuterRef("pk"), role=ItemUnit.Role.LEAD).order_by("id")
    qs = access.visible_items(request.user, on=today).annotate(
        lead_name=Subquery(lead.values("unit__name")[:1]))
    unit = table.values.get("unit")
    if unit:
        qs = qs.filter(pk__in=ItemUnit.objects.filter(unit_id=int(unit), role=ItemUnit.Role.LEAD).values("item_id"))
    return selectors.ledger(table.apply(qs, tiebreak=("-id",)))


def _ledger_rows(request, today, table: Table):
    rows = selectors.with_lights(_ledger_qs(request, today, table), today)
    light = table.values.get("light")
    if light == "listed":
        rows = [r for r in rows if r[1].listed]
    elif light:
        rows = [r for r in rows if r[1].colour == light]
    return rows


@login_required
@require_safe
def ledger(request):
    """督查台账 as a table: the items the person may see (access.visible_items), filtered, sorted and
    paged; the query count does not grow with the rows (one prefetch of the units, the lead unit's
    name as a subquery, one work calendar for the lights)."""
    me, today = request.user, rules.today()
    table = _table(request, today)
    if table.values.get("light"):  # a light is computed, not stored: judge every row, then page
        page = table.page(_ledger_rows(request, today, table))
        rows = page.object_list
    else:  # page first, light only the rows shown
        page = table.page(_ledger_qs(request, today, table))
        rows = selectors.with_lights(page.object_list, today)
    sources_param = _sources(today)
    out = []
    for i, lt in rows:
        lead = selectors.lead_of(i)
        out.append({"i": i, "pk": i.pk, "light": lt, "lead": lead.unit.name if lead else "",
                    "source": sources_param.get(i.source, ""), "number": i.number, "title": i.title,
                    "assigned": i.assigned_on, "due": i.due_on, "status": i.get_status_display(),
                    "css": "is-overdue" if lt.colour == "red" else ""})
    return render(request, "supervision/ledger.html", {
        "page": page, "rows": out, "table": table,
        "center": access.is_center(me, today), "query": table.query,
    })


@login_required
@require_safe
def dashboard(request):
    me, today = request.user, rules.today()
    qs = access.visible_items(me, on=today)
    board = selectors.dashboard(qs, today)
    rates = selectors.on_time_rates(qs, today.year)
    chart = {"units": [r["unit"] for r in rates], "rates": [r["rate"] for r in rates],
             "label": _("On-time rate (%)")}
    return render(request, "supervision/dashboard.html", {
        "board": board, "rates": rates, "chart": chart, "year": today.year, "today": today,
    })


@login_required
@require_safe
def export(request):
    from openpyxl import Workbook

    from zhengwu.output.excel import safe_cell

    me, today = request.user, rules.today()
    rows = _ledger_rows(request, today, _table(request, today))
    sources_param = rules.param("supervision.sources", today)
    wb = Workbook()
    ws = wb.active
    ws.title = "督查台账"
    ws.append(["立项号", "督查事项", "来源", "牵头单位", "协办单位", "责任人", "交办日期", "办结期限", "状态", "灯号"])
    for item, lt in rows:
        lead = selectors.lead_of(item)
        cos = "、".join(u.unit.name for u in item.units.all() if u.role == ItemUnit.Role.CO)
        ws.append([safe_cell(v) for v in (
            item.number, item.title, sources_param.get(item.source, ""), lead.unit.name if lead else "", cos,
            str(lead.head) if lead else "", item.assigned_on, item.due_on, item.get_status_display(), lt.label)])
    return _xlsx(wb, f"督查台账-{today.isoformat()}.xlsx", f"supervision-{today.isoformat()}.xlsx")


def _xlsx(wb, name: str, ascii_name: str) -> HttpResponse:
    from zhengwu.output.excel import workbook_bytes

    response = HttpResponse(workbook_bytes(wb),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(name, ascii_name)
    return response


def _may(check, person, item, on) -> bool:
    try:
        check(person, item.pk, on=on)
        return True
    except Refused:
        return False


def _detail_context(request, item, today, refusal=None, form=None):
    me = request.user
    center = access.is_center(me, today)
    lead = access.may_act_as_lead(me, item, today)
    events = list(history_for(services.OBJ, str(item.pk)).order_by("at", "seq"))
    reviews = list(item.reviews.select_related("asked_by", "concluded_by", "decided_by"))
    return {
        "i": item, "light": selectors.light(item, today), "refusal": refusal, "form": form or {},
        "source": _sources(today).get(item.source, ""),
        "cycle": book_name(rules.lib().current,
                           rules.param("supervision.reporting_cycles", today).get(item.reporting_cycle, "")),
        "units": list(item.units.all()), "reports": list(item.reports.select_related("reported_by", "unit")),
        "extensions": list(item.extensions.select_related("asked_by", "decided_by")), "reviews": reviews,
        "events": events, "center": center, "lead": lead, "today": today,
        "can": {
            "request_approval": center and item.in_government_name and not item.approved_on and item.approval_id is None
            and item.status in (S.DRAFT, S.RETURNED),
            "assign": center and item.status in (S.DRAFT, S.RETURNED),
            "sign": lead and item.status == S.ASSIGNED,
            "opinion": access.may_act_as_co(me, item, today) and item.status in selectors.WITH_UNIT,
            "return": lead and item.status == S.ASSIGNED,
            "report": lead and item.status in (S.SIGNED, S.IN_PROGRESS, S.STAGE_DONE),
            "extension": lead and item.status in selectors.WITH_UNIT
            and not any(e.status == Extension.Status.PENDING for e in item.extensions.all()),
            "rectification_report": lead and item.source in rules.param("supervision.report_to_government_sources", today)
            and item.status in (S.SIGNED, S.IN_PROGRESS, S.STAGE_DONE, S.CLOSURE_ASKED, S.VERIFIED),
            "verify": center and item.status == S.CLOSURE_ASKED,
            "close": center and item.status == S.VERIFIED,
            "suspend": center and item.status not in (S.CLOSED, S.SUSPENDED),
            "decide_extension": center,
            "review": lead and item.concluded_passed is False and item.status in selectors.WITH_UNIT
            and not any(r.concluded_on == item.concluded_on and r.concluded_by_id == item.concluded_by_id
                        for r in reviews),
            "decide_review": services.may_decide_review(me, item, today),
        },
    }


@login_required
@require_safe
def item_detail(request, item_id: int):
    today = rules.today()
    try:
        item = access.item_visible(request.user, item_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    # opened: the person's notices about it (交办, 退回, 黄灯/红灯, its approvals' tasks) are read, and the bell shows it
    from zhengwu.workflow.notices import notifications_seen

    notifications_seen(person=request.user, obj=(services.OBJ, str(item.pk)), link=f"/supervision/{item.pk}/")
    return render(request, "supervision/item.html", _detail_context(request, item, today))


def _act(request, item_id: int, form: str, call):
    today = rules.today()
    try:
        item = access.item_visible(request.user, item_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    try:
        call(today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        item = access.item_visible(request.user, item_id, on=today)
        ctx = _detail_context(request, item, today, refusal=e, form={"name": form, "values": request.POST})
        return render(request, "supervision/item.html", ctx, status=e.status)
    return redirect("supervision:item", item.pk)


def _yes(value) -> bool | None:
    return {"1": True, "yes": True, "0": False, "no": False}.get(value)


ACTIONS = {
    "request-approval": lambda r, i, t: services.item_request_approval(actor=r.user, item_id=i, on=t),
    "assign": lambda r, i, t: services.item_assign(actor=r.user, item_id=i, on=t),
    "sign": lambda r, i, t: services.item_sign(actor=r.user, item_id=i, on=t),
    "return": lambda r, i, t: services.item_return(actor=r.user, item_id=i, reason=r.POST.get("reason", ""), on=t),
    "opinion": lambda r, i, t: services.co_unit_opinion(actor=r.user, item_id=i, text=r.POST.get("text", ""),
                                                        evidence=r.POST.get("evidence", ""), on=t),
    "report": lambda r, i, t: services.item_report(actor=r.user, item_id=i, text=r.POST.get("text", ""),
                                                   evidence=r.POST.get("evidence", ""),
                                                   stage=r.POST.get("stage") == "1", on=t),
    "closure": lambda r, i, t: services.item_request_closure(actor=r.user, item_id=i, text=r.POST.get("text", ""),
                                                             evidence=r.POST.get("evidence", ""),
                                                             mechanism=r.POST.get("mechanism", ""), on=t),
    "rectification-report": lambda r, i, t: services.item_rectification_report(
        actor=r.user, item_id=i, text=r.POST.get("text", ""), evidence=r.POST.get("evidence", ""), on=t),
    "verify": lambda r, i, t: services.item_verify(actor=r.user, item_id=i, passed=_yes(r.POST.get("passed")),
                                                   note=r.POST.get("note", ""), on=t),
    "close": lambda r, i, t: services.item_close(actor=r.user, item_id=i, on=t),
    "suspend": lambda r, i, t: services.item_suspend(actor=r.user, item_id=i, reason=r.POST.get("reason", ""), on=t),
    "review": lambda r, i, t: services.review_request(actor=r.user, item_id=i, reason=r.POST.get("reason", ""), on=t),
    "extension": lambda r, i, t: services.extension_request(actor=r.user, item_id=i,
                                                            new_due_on=r.POST.get("new_due_on", ""),
                                                            reason=r.POST.get("reason", ""), on=t),
}
DONE = {"request-approval": _("Sent to the leader for approval."), "assign": _("Item assigned."),
        "sign": _("Item signed for."), "opinion": _("Opinion sent to the lead unit."), "return": _("Item returned."), "report": _("Progress reported."),
        "closure": _("Completion reported; the supervision center will verify it."),
        "rectification-report": _("Rectification report sent to the district government."),
        "verify": _("Verification recorded."), "close": _("Item closed."), "suspend": _("Item suspended."),
        "extension": _("Extension requested."), "review": _("Review requested.")}


@login_required
@require_POST
def item_action(request, item_id: int, action: str):
    fn = ACTIONS.get(action)
    if fn is None:
        return refused_page(request, Refused(_("Unknown action"), status=404))

    def call(today):
        fn(request, item_id, today)
        messages.success(request, str(DONE[action]))
    return _act(request, item_id, action, call)


@login_required
@require_POST
def extension_decide(request, item_id: int, extension_id: int):
    def call(today):
        services.extension_decide(actor=request.user, extension_id=extension_id,
                                  approve=_yes(request.POST.get("approve")), on=today)
        messages.success(request, _("Extension decided."))
    return _act(request, item_id, "decide", call)


@login_required
@require_POST
def review_decide(request, item_id: int, review_id: int):
    def call(today):
        services.review_decide(actor=request.user, review_id=review_id, overturn=_yes(request.POST.get("overturn")),
                               note=request.POST.get("note", ""), on=today)
        messages.success(request, _("Review decided."))
    return _act(request, item_id, "decide-review", call)


def _form_context(request, today, values=None, refusal=None):
    me = request.user
    return {"values": values or {}, "refusal": refusal,
            "units": Unit.objects.filter(government_id=me.government_id, active=True).order_by("order", "id"),
            "sources": rules.param("supervision.sources", today).items(),
            "cycles": rules.param("supervision.reporting_cycles", today).items(),
            "default_days": rules.param("supervision.default_limit_days", today)}


@login_required
def item_new(request):
    me, today = request.user, rules.today()
    if not access.is_center(me, today):
        return refused_page(request, Refused(_("Only the supervision center opens ledger items."), status=403))
    if request.method != "POST":
        return render(request, "supervision/new.html", _form_context(request, today))
    p = request.POST
    try:
        item = services.item_create(
            actor=me, title=p.get("title", ""), basis=p.get("basis", ""), source=p.get("source", ""),
            lead_units=p.getlist("lead_unit"), co_units=p.getlist("co_units"), limit_days=p.get("limit_days") or None,
            due_on=p.get("due_on") or None, in_government_name=p.get("in_government_name") == "1",
            reporting_cycle=p.get("reporting_cycle", "monthly"), on=today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        return render(request, "supervision/new.html", _form_context(request, today, p, e), status=e.status)
    messages.success(request, _("Ledger item opened."))
    return redirect("supervision:item", item.pk)


@login_required
@require_safe
def source_list(request):
    me, today = request.user, rules.today()
    if not access.is_center(me, today):
        return refused_page(request, Refused(_("Only the supervision center takes items from sources."), status=403))
    return render(request, "supervision/sources.html", {
        "decisions": sources.open_decisions(me, today), "instructions": sources.open_instructions(me, today),
        "units": Unit.objects.filter(government_id=me.government_id, active=True).order_by("order", "id"),
    })


@login_required
@require_POST
def take_decision(request, agenda_item_id: int):
    return _take(request, lambda today: services.item_from_meeting_decision(
        actor=request.user, agenda_item_id=agenda_item_id, lead_unit=request.POST.get("lead_unit") or None,
        limit_days=request.POST.get("limit_days") or None, on=today))


@login_required
@require_POST
def take_instruction(request, task_id: int):
    return _take(request, lambda today: services.item_from_instruction(
        actor=request.user, task_id=task_id, lead_unit=request.POST.get("lead_unit") or None,
        limit_days=request.POST.get("limit_days") or None, on=today))


def _take(request, call):
    today = rules.today()
    try:
        item = call(today)
    except Refused as e:
        return refused_page(request, e)
    messages.success(request, _("Ledger item opened from its source; check it and assign it."))
    return redirect("supervision:item", item.pk)


def chart_json(chart) -> str:
    return json.dumps(chart, ensure_ascii=False)


# ---- 绩效考评 and 表扬/问责建议 (art. 51) ------------------------------------------------------------

def _year(request, today) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= today.year else today.year


def _performance_context(request, today, year, refusal=None, values=None):
    me = request.user
    center = access.is_center(me, today)
    return {"year": year, "years": list(range(today.year, today.year - 5, -1)), "today": today,
            "rows": selectors.performance(access.visible_items(me, on=today), year, today),
            "weights": rules.param("supervision.performance_weights", today),
            "penalty": rules.param("supervision.reopened_penalty", today),
            "praise_min": rules.param("supervision.praise_min_score", today),
            "blame_below": rules.param("supervision.accountability_below_score", today),
            "kinds": rules.param("supervision.accountability_kinds", today).items(), "center": center,
            "proposals": list(access.visible_accountability(me, on=today).filter(year=year)),
            "refusal": refusal, "values": values or {}}


@login_required
@require_safe
def performance(request):
    today = rules.today()
    return render(request, "supervision/performance.html", _performance_context(request, today, _year(request, today)))


@login_required
@require_safe
def performance_export(request):
    from openpyxl import Workbook

    from zhengwu.output.excel import safe_cell

    today = rules.today()
    year = _year(request, today)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度督查绩效"
    ws.append(["牵头单位", "督查事项", "申请办结", "按期", "按期办结率(%)", "已核查", "一次通过", "核查一次通过率(%)",
               "退回整改", "得分", "建议"])
    marks = {"praise": "表扬", "accountability": "问责", "": ""}
    for r in selectors.performance(access.visible_items(request.user, on=today), year, today):
        ws.append([safe_cell(v) for v in (r["unit"], r["items"], r["completed"], r["on_time"], r["on_time_rate"],
                                          r["verified"], r["first_pass"], r["first_pass_rate"], r["reopened"],
                                          r["score"], marks[r["mark"]])])
    return _xlsx(wb, f"督查绩效-{year}.xlsx", f"supervision-performance-{year}.xlsx")


@login_required
@require_POST
def accountability_new(request):
    today = rules.today()
    p = request.POST
    try:
        proposal = services.accountability_propose(actor=request.user, unit_id=p.get("unit_id", ""),
                                                   year=p.get("year", ""), kind=p.get("kind", ""),
                                                   reasons=p.get("reasons", ""), on=today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        year = int(p["year"]) if p.get("year", "").isdigit() and 2000 <= int(p["year"]) <= today.year else today.year
        return render(request, "supervision/performance.html",
                      _performance_context(request, today, year, refusal=e, values=p), status=e.status)
    messages.success(request, _("Proposal sent to the district head for approval."))
    return redirect("supervision:accountability", proposal.pk)


def _accountability_context(request, proposal, today, refusal=None):
    from zhengwu.workflow.models import Task

    task = (Task.objects.filter(approval_id=proposal.approval_id, kind=Task.Kind.STEP, status=Task.Status.OPEN)
            .select_related("assignee").first() if proposal.approval_id else None)
    return {"proposal": proposal, "task": task, "refusal": refusal,
            "events": list(history_for(services.ACCOUNTABILITY_OBJ, str(proposal.pk)).order_by("at", "seq")),
            "can_decide": task is not None and task.assignee_id == request.user.pk}


@login_required
@require_safe
def accountability_detail(request, proposal_id: int):
    today = rules.today()
    try:
        proposal = access.accountability_visible(request.user, proposal_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "supervision/accountability.html", _accountability_context(request, proposal, today))


@login_required
@require_POST
def accountability_decide(request, proposal_id: int):
    today = rules.today()
    try:
        proposal = access.accountability_visible(request.user, proposal_id, on=today)
        services.accountability_decide(actor=request.user, proposal_id=proposal.pk,
                                       approve=_yes(request.POST.get("approve")),
                                       opinion=request.POST.get("opinion", ""), on=today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        proposal = access.accountability_visible(request.user, proposal_id, on=today)
        return render(request, "supervision/accountability.html",
                      _accountability_context(request, proposal, today, refusal=e), status=e.status)
    messages.success(request, _("Decision recorded."))
    return redirect("supervision:accountability", proposal_id)
