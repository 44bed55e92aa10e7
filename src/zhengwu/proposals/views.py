"""Pages of 建议提案 (art. 39): the list (filters, overdue marks) and one item with its timeline
and the forms its people may use (contact, answer, send back, co-unit opinion; the office's
assignment, extension, proposer's view, publication). Views read through access.py and write only
through services.py; a `Refused` is shown on the page with its message and violations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from zhengwu import rules
from zhengwu.errors import Refused
from zhengwu.web.present import refused_page

from . import access, selectors, services
from .models import Proposal

PAGE_SIZE = 30


@login_required
@require_safe
def proposal_list(request):
    me, today = request.user, rules.today()
    qs = access.visible_proposals(me, on=today).select_related("batch", "lead_unit").order_by("-id")
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    body = request.GET.get("body", "")
    bodies = rules.param("proposals.bodies", today)
    if body in bodies:
        qs = qs.filter(batch__body=body)
    else:
        body = ""
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        qs = qs.filter(status__in=services.OPEN, due_on__lt=today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"p": p, "body": bodies.get(p.batch.body, ""), "overdue": services.is_overdue(p, today),
             "unpublished": bool(services.publication_findings(p, on=today))} for p in page.object_list]
    query = f"status={status}&body={body}&overdue={'1' if overdue else ''}&"
    return render(request, "proposals/list.html", {
        "page": page, "rows": rows, "status": status, "statuses": Proposal.Status.choices,
        "body": body, "bodies": bodies.items(), "overdue": overdue, "query": query, "today": today,
    })


@login_required
@require_safe
def proposal_detail(request, proposal_id):
    today = rules.today()
    try:
        item = access.proposal_visible(request.user, proposal_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "proposals/detail.html", selectors.detail_context(request.user, item, today))


@login_required
@require_safe
def year_report(request):
    """The year's handling report over the items the person may see (the office and leaders: all)."""
    today = rules.today()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    return render(request, "proposals/report.html", {
        "year": year, "years": range(today.year, today.year - 5, -1),
        "rows": selectors.year_report(request.user, year, today)})


ACTIONS = {
    "assign": lambda me, pk, p, on: services.proposal_assign(
        actor=me, proposal_id=pk, lead_unit_id=p.get("lead_unit_id"),
        co_unit_ids=[v for v in p.getlist("co_unit_ids") if v], assigned_on=p.get("assigned_on"), on=on),
    "send-back": lambda me, pk, p, on: services.proposal_send_back(actor=me, proposal_id=pk,
                                                                   reason=p.get("reason", ""), on=on),
    "extend": lambda me, pk, p, on: services.proposal_extend(actor=me, proposal_id=pk, reason=p.get("reason", ""),
                                                             new_due_on=p.get("new_due_on"), on=on),
    "opinion": lambda me, pk, p, on: services.co_unit_opinion(actor=me, proposal_id=pk,
                                                              opinion=p.get("opinion", ""), on=on),
    "contact": lambda me, pk, p, on: services.contact_record(
        actor=me, proposal_id=pk, way=p.get("way", ""), contacted_on=p.get("contacted_on"), note=p.get("note", ""),
        proposer_id=p.get("proposer_id") or None, on=on),
    "reply": lambda me, pk, p, on: services.reply_draft(actor=me, proposal_id=pk, on=on),
    "answer": lambda me, pk, p, on: services.proposal_answer(
        actor=me, proposal_id=pk, outcome=p.get("outcome", ""), sent_to=p.getlist("sent_to"), on=on),
    "satisfaction": lambda me, pk, p, on: services.satisfaction_record(
        actor=me, proposal_id=pk, satisfaction=p.get("satisfaction", ""), note=p.get("note", ""), on=on),
    "publish": lambda me, pk, p, on: services.proposal_publish(actor=me, proposal_id=pk,
                                                               published_on=p.get("published_on"), on=on),
    "withhold": lambda me, pk, p, on: services.proposal_withhold(actor=me, proposal_id=pk,
                                                                 reason=p.get("reason", ""), on=on),
}


@login_required
@require_POST
def proposal_act(request, proposal_id, action):
    today = rules.today()
    fn = ACTIONS.get(action)
    try:
        item = access.proposal_visible(request.user, proposal_id, on=today)
        if fn is None:
            raise Refused(_("Unknown action."), field="action", status=404)
        made = fn(request.user, proposal_id, request.POST, today)
    except Refused as e:
        if e.status in (403, 404) or fn is None:
            return refused_page(request, e)
        item = Proposal.objects.select_related("batch", "lead_unit").get(pk=item.pk)
        ctx = selectors.detail_context(request.user, item, today)
        ctx.update(refusal=e, refused_action=action, values=request.POST)
        return render(request, "proposals/detail.html", ctx, status=e.status)
    if action == "reply":  # the letter is edited, signed and numbered in the documents flow
        messages.success(request, _("The reply letter is drafted: edit it here; your unit's head signs it."))
        return redirect(f"/documents/{made.pk}/")
    messages.success(request, _("Saved."))
    return redirect("proposals:detail", item.pk)



