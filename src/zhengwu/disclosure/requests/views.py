"""Office pages of requests for information (依申请公开) and the 舆情 register (arts. 33, 36): the
lists with their lights (green on time, yellow due soon, red overdue, grey paused), one request
with its clock, notices, timeline and the office's forms (correction, consultation, extension,
answer), one 舆情 with its response clocks. Views read through access.py and write only through
services.py; a `Refused` is shown on the page with its message and violations."""

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
from .models import InfoRequest, OpinionEvent

PAGE_SIZE = 30


def _list_context(request, today, **extra):
    me = request.user
    qs = access.visible_requests(me, on=today).select_related("unit").order_by("-id")
    status = request.GET.get("status", "")
    if status in InfoRequest.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        qs = qs.filter(status__in=services.OPEN, due_on__lt=today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "rows": [selectors.request_row(r, today) for r in page.object_list], "status": status,
            "statuses": InfoRequest.Status.choices, "overdue": overdue, "today": today,
            "query": f"status={status}&overdue={'1' if overdue else ''}&",
            "may_register": access.is_office_staff(me, today), **selectors.form_choices(me, today),
            "refusal": None, "values": {}, **extra}


@login_required
@require_safe
def request_list(request):
    return render(request, "info_requests/list.html", _list_context(request, rules.today()))


@login_required
@require_POST
def request_new(request):
    today, p = rules.today(), request.POST
    try:
        item = services.request_register(actor=request.user, applicant=p.get("applicant", ""),
                                         applicant_contact=p.get("applicant_contact", ""),
                                         applicant_kind=p.get("applicant_kind") or "person",
                                         channel=p.get("channel", ""), content=p.get("content", ""),
                                         submitted_on=p.get("submitted_on") or None,
                                         received_on=p.get("received_on") or None, unit_id=p.get("unit_id") or None,
                                         on=today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        return render(request, "info_requests/list.html", _list_context(request, today, refusal=e, values=p),
                      status=e.status)
    messages.success(request, _("Saved."))
    return redirect("disclosure:info_requests:detail", item.pk)


@login_required
@require_safe
def request_detail(request, request_id):
    today = rules.today()
    try:
        item = access.request_visible(request.user, request_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "info_requests/detail.html", selectors.request_context(request.user, item, today))


ACTIONS = {
    "correct": lambda me, pk, p, on: services.correction_notice(actor=me, request_id=pk, text=p.get("text", ""), on=on),
    "corrected": lambda me, pk, p, on: services.correction_received(
        actor=me, request_id=pk, corrected_on=p.get("corrected_on") or None, on=on),
    "consult": lambda me, pk, p, on: services.consultation_start(
        actor=me, request_id=pk, party=p.get("party", ""), text=p.get("text", ""), sent_on=p.get("sent_on") or None,
        on=on),
    "consult-end": lambda me, pk, p, on: services.consultation_end(
        actor=me, request_id=pk, opinion=p.get("opinion", ""), ended_on=p.get("ended_on") or None, on=on),
    "extend": lambda me, pk, p, on: services.extension_request(actor=me, request_id=pk, reason=p.get("reason", ""),
                                                               on=on),
    "answer": lambda me, pk, p, on: services.request_answer(
        actor=me, request_id=pk, answer_type=p.get("answer_type", ""), text=p.get("text", ""),
        basis=p.get("basis", ""), partial=p.get("partial") == "1", withheld_reason=p.get("withheld_reason", ""), on=on),
}


@login_required
@require_POST
def request_act(request, request_id, action):
    today = rules.today()
    fn = ACTIONS.get(action)
    try:
        item = access.request_visible(request.user, request_id, on=today)
        if fn is None:
            raise Refused(_("Unknown action."), field="action", status=404)
        fn(request.user, item.pk, request.POST, today)
    except Refused as e:
        if e.status in (403, 404) or fn is None:
            return refused_page(request, e)
        item = InfoRequest.objects.select_related("unit").get(pk=item.pk)
        ctx = selectors.request_context(request.user, item, today)
        ctx.update(refusal=e, refused_action=action, values=request.POST)
        return render(request, "info_requests/detail.html", ctx, status=e.status)
    messages.success(request, _("Saved."))
    return redirect("disclosure:info_requests:detail", item.pk)


# ---- 舆情 -------------------------------------------------------------------------------------

def _opinion_list_context(request, **extra):
    me, now = request.user, services.clock_now()
    today = rules.today()
    qs = (access.visible_events(me, on=today).select_related("lead_unit", "owner").prefetch_related("responses")
          .order_by("-found_at"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "query": "", "now": now,
            "rows": [{"e": e, "light": services.opinion_light(e, now)} for e in page.object_list],
            "may_register": access.is_office_staff(me, today), **selectors.form_choices(me, today),
            "refusal": None, "values": {}, **extra}


@login_required
@require_safe
def opinion_list(request):
    return render(request, "info_requests/opinion_list.html", _opinion_list_context(request))


@login_required
@require_POST
def opinion_new(request):
    p = request.POST
    try:
        event = services.opinion_register(actor=request.user, title=p.get("title", ""), summary=p.get("summary", ""),
                                          source=p.get("source", ""), level=p.get("level", ""),
                                          lead_unit_id=p.get("lead_unit_id") or None, owner_id=p.get("owner_id") or None,
                                          found_at=p.get("found_at") or None)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        return render(request, "info_requests/opinion_list.html", _opinion_list_context(request, refusal=e, values=p),
                      status=e.status)
    messages.success(request, _("Saved."))
    return redirect("disclosure:info_requests:opinion_detail", event.pk)


@login_required
@require_safe
def opinion_detail(request, event_id):
    try:
        event = access.event_visible(request.user, event_id)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "info_requests/opinion_detail.html",
                  selectors.event_context(request.user, event, services.clock_now()))


@login_required
@require_POST
def opinion_respond(request, event_id):
    p = request.POST
    try:
        event = access.event_visible(request.user, event_id)
        services.opinion_respond(actor=request.user, event_id=event.pk, kind=p.get("kind", ""),
                                 channel=p.get("channel", ""), text=p.get("text", ""),
                                 responded_at=p.get("responded_at") or None)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        event = OpinionEvent.objects.select_related("lead_unit", "owner").get(pk=event.pk)
        ctx = selectors.event_context(request.user, event, services.clock_now())
        ctx.update(refusal=e, values=p)
        return render(request, "info_requests/opinion_detail.html", ctx, status=e.status)
    messages.success(request, _("Saved."))
    return redirect("disclosure:info_requests:opinion_detail", event.pk)
