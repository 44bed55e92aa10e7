"""Pages of foreign affairs, research and speeches (arts. 79-81, 93, 96): per section a list with the
form to add one, and a page per record with its approval steps, its history and the actions its
people may take. Views read through access.py and write only through services.py; a `Refused` is
shown on the page with its message and violations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from zhengwu import rules
from zhengwu.audit.selectors import history_for
from zhengwu.errors import Refused
from zhengwu.web.present import refused_page

from . import access, selectors, services

LIMIT = 200  # rows on a list page (the newest)


def _steps(approval):
    if approval is None:
        return []
    from zhengwu.workflow.models import Task

    return list(approval.tasks.filter(kind=Task.Kind.STEP).select_related("assignee", "completed_by").order_by("id"))


# ---- lists -------------------------------------------------------------------------------------------

def _list(request, section: str, *, refusal=None, values=None, status=200):
    me, today = request.user, rules.today()
    ctx = selectors.list_context(me, section, today)
    ctx.update(section=section, refusal=refusal, values=values or {}, today=today)
    return render(request, "foreign/list.html", ctx, status=status)


def _list_view(section):
    @login_required
    @require_safe
    def view(request):
        return _list(request, section)
    view.__name__ = f"{section}_list"
    return view


invitations = _list_view("invitations")
visits = _list_view("visits")
gifts = _list_view("gifts")
research = _list_view("research")
speeches = _list_view("speeches")


def _flag(p, name) -> bool:
    return p.get(name) in ("1", "on", "true")


CREATE = {
    "invitations": lambda me, p, on: services.invitation_file(
        actor=me, unit_id=p.get("unit_id"), leader_id=p.get("leader_id"), title=p.get("title", ""),
        foreign_party=p.get("foreign_party", ""), event_on=p.get("event_on"), place=p.get("place", ""),
        text=p.get("text", ""), on=on),
    "visits": lambda me, p, on: services.visit_apply(
        actor=me, traveller_id=p.get("traveller_id") or None, purpose=p.get("purpose", ""),
        countries=p.get("countries", ""), departs_on=p.get("departs_on"), returns_on=p.get("returns_on"),
        group_size=p.get("group_size"), on=on),
    "gifts": lambda me, p, on: services.gift_register(
        actor=me, recipient_id=p.get("recipient_id") or None, visit_id=p.get("visit_id") or None,
        description=p.get("description", ""), giver=p.get("giver", ""), value=p.get("value"),
        received_on=p.get("received_on"), on=on),
    "research": lambda me, p, on: services.plan_set(
        actor=me, leader_id=p.get("leader_id") or None, year=p.get("year"), topics=p.getlist("topics"),
        planned_days=p.get("planned_days"), on=on),
    "speeches": lambda me, p, on: services.speech_submit(
        actor=me, speaker_id=p.get("speaker_id") or None, kind=p.get("kind", ""), title=p.get("title", ""),
        occasion=p.get("occasion", ""), text=p.get("text", ""), on_behalf=_flag(p, "on_behalf"),
        major_undecided=_flag(p, "major_undecided"), on=on),
}


@login_required
@require_POST
def create(request, section):
    fn = CREATE.get(section)
    if fn is None:
        return refused_page(request, Refused(_("Unknown action."), field="section", status=404))
    try:
        obj = fn(request.user, request.POST, rules.today())
    except Refused as e:
        if e.status == 404:
            return refused_page(request, e)
        return _list(request, section, refusal=e, values=request.POST, status=e.status)
    messages.success(request, _("Saved."))
    return redirect(f"affairs:foreign:{selectors.DETAIL[section]}", obj.pk)


# ---- one record --------------------------------------------------------------------------------------

GETTERS = {
    "invitation": access.invitation_visible, "visit": access.visit_visible, "gift": access.gift_visible,
    "plan": access.plan_visible, "speech": access.speech_visible,
}
OBJ_TYPES = {"invitation": access.OBJ_INVITATION, "visit": access.OBJ_VISIT, "gift": services.OBJ_GIFT,
             "plan": services.OBJ_PLAN, "speech": access.OBJ_SPEECH}


def _detail(request, kind, pk, *, refusal=None, values=None, status=200):
    today = rules.today()
    try:
        obj = GETTERS[kind](request.user, pk, on=today)
    except Refused as e:
        return refused_page(request, e)
    ctx = selectors.detail_context(request.user, kind, obj, today)
    ctx.update(kind=kind, obj=obj, steps=_steps(getattr(obj, "approval", None)), refusal=refusal,
               values=values or {}, today=today,
               events=list(history_for(OBJ_TYPES[kind], str(obj.pk)).order_by("at", "seq")))
    return render(request, "foreign/detail.html", ctx, status=status)


def _detail_view(kind):
    @login_required
    @require_safe
    def view(request, pk):
        return _detail(request, kind, pk)
    view.__name__ = f"{kind}_detail"
    return view


invitation = _detail_view("invitation")
visit = _detail_view("visit")
gift = _detail_view("gift")
plan = _detail_view("plan")
speech = _detail_view("speech")


ACTIONS = {
    ("visit", "leave"): lambda me, pk, p, on: services.visit_leave(actor=me, visit_id=pk, on=on),
    ("gift", "hand-over"): lambda me, pk, p, on: services.gift_hand_over(
        actor=me, gift_id=pk, handed_on=p.get("handed_on") or None, on=on),
    ("plan", "trip"): lambda me, pk, p, on: services.trip_add(
        actor=me, plan_id=pk, starts_on=p.get("starts_on"), ends_on=p.get("ends_on"), place=p.get("place", ""),
        topic=p.get("topic", ""), on=on),
    ("plan", "report"): lambda me, pk, p, on: services.report_add(
        actor=me, plan_id=pk, topic=p.get("topic", ""), title=p.get("title", ""), text=p.get("text", ""), on=on),
    ("speech", "deliver"): lambda me, pk, p, on: services.speech_deliver(actor=me, speech_id=pk, on=on),
}


def _act_view(kind):
    @login_required
    @require_POST
    def view(request, pk, action):
        today = rules.today()
        fn = ACTIONS.get((kind, action))
        try:
            GETTERS[kind](request.user, pk, on=today)
            if fn is None:
                raise Refused(_("Unknown action."), field="action", status=404)
            fn(request.user, pk, request.POST, today)
        except Refused as e:
            if e.status in (403, 404):
                return refused_page(request, e)
            return _detail(request, kind, pk, refusal=e, values=request.POST, status=e.status)
        messages.success(request, _("Saved."))
        return redirect(f"affairs:foreign:{kind}", pk)
    view.__name__ = f"{kind}_act"
    return view


visit_act = _act_view("visit")
gift_act = _act_view("gift")
plan_act = _act_view("plan")
speech_act = _act_view("speech")
