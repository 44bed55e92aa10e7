"""Web pages of leave (arts. 89, 15), the leaders' calendar (94) and the office's organisation page
(arts. 10-15, 29): the requests one may see with the form to ask (or report), one request with the
区长's answer, 撤销 and 销假; the leadership's week, per leader or all, with the office's activities;
the leaders with their 分工 and absences, and the office's forms to keep them.

Views read through access.py and write only through services.py / orgwrite.py; a `Refused` is shown
on the page with its message and violations (status 400/403/404/409)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST, require_safe

from zhengwu import rules
from zhengwu.audit.selectors import history_for
from zhengwu.errors import Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Absence, Appointment, Person, Position, Unit
from zhengwu.web.present import refused_page
from zhengwu.web.tables import Column, Filter, Table
from zhengwu.workcalendar.selectors import work_calendar

from . import access, calendar, orgwrite, services
from .models import CalendarEvent, LeaveRequest


def _people(me):
    return Person.objects.filter(government_id=me.government_id, is_active=True).order_by("username")


def _requests_table(request) -> Table:
    """The requests as a table (zhengwu.web.tables): sorted by a column (the latest leave first by
    default), filtered by status, kind and the dates of leave, 30 to a page."""
    ctx = "leave list"
    columns = (
        Column("who", pgettext_lazy("leave", "Who"), order=("person__full_name", "person__username"),
               cell="leave/cells/who.html"),
        Column("kind", pgettext_lazy(ctx, "Kind"), order=("kind",), css="nowrap"),
        Column("start", pgettext_lazy(ctx, "From"), order=("start",), cell="cells/date.html", css="nowrap num"),
        Column("end", pgettext_lazy(ctx, "To"), order=("end",), cell="cells/date.html", css="nowrap num"),
        Column("destination", _("Destination"), order=("destination",), cell="leave/cells/destination.html"),
        Column("status", _("Status"), order=("status",), css="nowrap"),
        Column("created", pgettext_lazy(ctx, "Filed on"), order=("created_on",), cell="cells/date.html",
               css="nowrap num"),
    )
    filters = (
        Filter.choice("status", _("Status"), LeaveRequest.Status.choices),
        Filter.choice("kind", pgettext_lazy(ctx, "Kind"), LeaveRequest.Kind.choices),
        *Filter.dates("on", pgettext_lazy(ctx, "Away from"), pgettext_lazy(ctx, "Away to"), "start"),
    )
    return Table(request, columns, filters=filters, default="-start")


def _request_rows(page) -> list[dict]:
    return [{"r": r, "pk": r.pk, "kind": r.get_kind_display(), "start": r.start, "end": r.end,
             "destination": r.destination, "status": r.get_status_display(), "created": r.created_on}
            for r in page.object_list]


def _index_context(request, today, values=None, refusal=None):
    me = request.user
    leaders = calendar.leaders(me.government, today)
    table = _requests_table(request)
    page = table.page(table.apply(access.requests_visible(me, today)
                                  .select_related("person", "position", "substitute").order_by("-start", "-id")))
    return {"requests": _request_rows(page), "page": page, "table": table,
            "values": values or {}, "refusal": refusal, "is_office": access.is_office(me, today),
            "sees_all": access.sees_all(me, today),
            "deputies": [p for p, pos in leaders if pos.code in rules.param("org.deputy_positions", today)],
            "people": _people(me) if access.is_office(me, today) else [], "today": today}


@login_required
def index(request):
    me, today = request.user, rules.today()
    if request.method != "POST":
        return render(request, "leave/index.html", _index_context(request, today))
    p = request.POST
    try:
        leave = services.leave_request(actor=me, start=p.get("start", ""), end=p.get("end", ""),
                                       destination=p.get("destination", ""), reason=p.get("reason", ""),
                                       person_id=p.get("person_id") or None, substitute_id=p.get("substitute_id") or None,
                                       on=today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        return render(request, "leave/index.html", _index_context(request, today, p, e), status=e.status)
    for w in getattr(leave, "warnings", []):
        messages.warning(request, w.message)
    messages.success(request, _("Leave request sent.") if leave.kind == LeaveRequest.Kind.DEPUTY else _("Absence reported."))
    return redirect("affairs:leave:request", leave.pk)


def _detail_context(request, leave, today, refusal=None):
    me = request.user
    pending_head = leave.status == LeaveRequest.Status.PENDING
    facts = services.decision_facts(leave, me, today) if pending_head else None
    return {"r": leave, "refusal": refusal, "events": history_for(services.OBJ, str(leave.pk)),
            "can": {"decide": pending_head and facts is not None and not facts.decider_is_applicant
                    and bool(facts.decider_holds or facts.decider_acts_for),
                    "cancel": access.may_act_for(me, leave, today) and leave.status in services.LIVE,
                    "return": access.may_act_for(me, leave, today) and leave.start <= today <= leave.end
                    and leave.status in (LeaveRequest.Status.APPROVED, LeaveRequest.Status.REPORTED,
                                         LeaveRequest.Status.READ)}}


@login_required
@require_safe
def detail(request, request_id: int):
    today = rules.today()
    try:
        leave = access.request_visible(request.user, request_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "leave/request.html", _detail_context(request, leave, today))


ACTIONS = {
    "decide": lambda r, i, t: services.leave_decide(actor=r.user, request_id=i, agree=r.POST.get("agree") == "1",
                                                    note=r.POST.get("note", ""), on=t),
    "cancel": lambda r, i, t: services.leave_cancel(actor=r.user, request_id=i, reason=r.POST.get("reason", ""), on=t),
    "return": lambda r, i, t: services.leave_return(actor=r.user, request_id=i, on=t),
}


@login_required
@require_POST
def action(request, request_id: int, name: str):
    today = rules.today()
    fn = ACTIONS.get(name)
    try:
        if fn is None:
            raise Refused(_("Unknown action"), status=404)
        leave = access.request_visible(request.user, request_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    try:
        fn(request, request_id, today)
    except Refused as e:
        if e.status in (403, 404) and not e.violations:
            return refused_page(request, e)
        leave = access.request_visible(request.user, request_id, on=today)
        return render(request, "leave/request.html", _detail_context(request, leave, today, e), status=e.status)
    messages.success(request, _("Done."))
    return redirect("affairs:leave:request", leave.pk)


# ---- the leaders' calendar (art. 94) ------------------------------------------------------------

def _calendar_context(request, today, refusal=None, values=None):
    me = request.user
    try:
        day = dt.date.fromisoformat(request.GET.get("week", "")) if request.GET.get("week") else today
    except ValueError:
        day = today
    start, end = calendar.week_of(day)
    leaders = calendar.leaders(me.government, today)
    leader_id = request.GET.get("leader", "")
    shown = [(p, pos) for p, pos in leaders if not leader_id or str(p.pk) == leader_id]
    found = calendar.entries(me.government, start, end, [p.pk for p, _ in shown])
    days = [start + dt.timedelta(days=i) for i in range(7)]
    cal = work_calendar()
    grid = [{"day": d, "workday": cal.is_workday(d), "today": d == today,
             "rows": [{"leader": p, "position": pos, "entries": [e for e in found if e.day == d and e.leader_id == p.pk]}
                      for p, pos in shown]} for d in days]
    events = (CalendarEvent.objects.filter(government_id=me.government_id, day__gte=start, day__lte=end, cancelled=False)
              .select_related("leader") if access.is_office(me, today) else [])
    return {"grid": grid, "start": start, "end": end, "leaders": leaders, "leader_id": leader_id,
            "prev": (start - dt.timedelta(days=7)).isoformat(), "next": (start + dt.timedelta(days=7)).isoformat(),
            "is_office": access.is_office(me, today), "events": events, "refusal": refusal, "values": values or {}}


@login_required
def leaders_calendar(request):
    me, today = request.user, rules.today()
    if not access.sees_all(me, today):
        return refused_page(request, Refused(_("The leaders' calendar is for the leaders and the office."), status=403))
    if request.method != "POST":
        return render(request, "leave/calendar.html", _calendar_context(request, today))
    p = request.POST
    try:
        if p.get("cancel"):
            services.event_cancel(actor=me, event_id=p.get("cancel"), on=today)
        else:
            services.event_create(actor=me, leader_id=p.get("leader_id", ""), title=p.get("title", ""),
                                  day=p.get("day", ""), start_time=p.get("start_time") or None,
                                  end_time=p.get("end_time") or None, place=p.get("place", ""), on=today)
    except Refused as e:
        if e.status == 404:
            return refused_page(request, e)
        return render(request, "leave/calendar.html", _calendar_context(request, today, e, p), status=e.status)
    messages.success(request, _("Done."))
    return redirect(request.get_full_path())


# ---- the organisation, kept by the office (arts. 10-15, 29) -------------------------------------

def _org_context(request, today, refusal=None, form=""):
    me = request.user
    gov = me.government
    labels = rules.param("org.positions", today)
    leaders = []
    for pos in Position.objects.filter(government=gov, code__in=org.LEADER_CODES).order_by("rank", "id"):
        holder = org.holder_of(pos, today)
        pf = getattr(pos, "portfolio", None) if hasattr(pos, "portfolio") else None
        leaders.append({"position": pos, "holder": holder, "acting": org.acting_for(pos, today),
                        "units": list(pf.units.all()) if pf else [], "domains": pf.domains if pf else []})
    return {
        "leaders": leaders, "refusal": refusal, "form": form, "values": request.POST if refusal else {},
        "can_manage": access.may_manage_org(me, today), "today": today,
        "absences": (Absence.objects.filter(person__government=gov, cancelled=False, end__gte=today)
                     .select_related("person", "substitute", "designated_by").order_by("start")),
        "appointments": (org._active(Appointment.objects.filter(position__government=gov), today)
                         .select_related("person", "position", "position__unit").order_by("position__rank", "id")),
        "positions": Position.objects.filter(government=gov).select_related("unit").order_by("rank", "id"),
        "units": Unit.objects.filter(government=gov, active=True).order_by("order", "id"),
        "people": _people(me), "codes": labels.items(),
        "domains": rules.param("org.domain_labels", today).items(),
    }


ORG_FORMS = {
    "absence": lambda me, p: orgwrite.absence_create(
        actor=me, person_id=p.get("person_id"), start=p.get("start", ""), end=p.get("end", ""), reason=p.get("reason", ""),
        substitute_id=p.get("substitute_id") or None, designated_by_id=p.get("designated_by_id") or None),
    "absence-cancel": lambda me, p: orgwrite.absence_cancel(actor=me, absence_id=p.get("absence_id")),
    "appointment": lambda me, p: orgwrite.appointment_create(actor=me, position_id=p.get("position_id"),
                                                             person_id=p.get("person_id"), start=p.get("start", "")),
    "appointment-end": lambda me, p: orgwrite.appointment_end(actor=me, appointment_id=p.get("appointment_id"),
                                                              end=p.get("end", "")),
    "position": lambda me, p: orgwrite.position_create(actor=me, code=p.get("code", ""), title=p.get("title", ""),
                                                       unit_id=p.get("unit_id") or None,
                                                       rank=int(p.get("rank") or 100) if (p.get("rank") or "100").isdigit() else -1),
    "person": lambda me, p: orgwrite.person_create(actor=me, username=p.get("username", ""),
                                                   full_name=p.get("full_name", ""), phone=p.get("phone", "")),
    "portfolio": lambda me, p: orgwrite.portfolio_set(actor=me, position_id=p.get("position_id"),
                                                      unit_ids=p.getlist("unit_ids"), domains=p.getlist("domains"),
                                                      note=p.get("note", "")),
}


@login_required
def org_page(request):
    me, today = request.user, rules.today()
    if not access.sees_all(me, today):
        return refused_page(request, Refused(_("The organisation page is for the leaders and the office."), status=403))
    if request.method != "POST":
        return render(request, "leave/org.html", _org_context(request, today))
    form = request.POST.get("form", "")
    try:
        fn = ORG_FORMS.get(form)
        if fn is None:
            raise Refused(_("Unknown action"), status=404)
        result = fn(me, request.POST)
    except Refused as e:
        if e.status in (403, 404) and not e.violations:
            return refused_page(request, e)
        return render(request, "leave/org.html", _org_context(request, today, e, form), status=e.status)
    warnings = result[1] if isinstance(result, tuple) else getattr(result, "warnings", [])
    for w in warnings or []:
        messages.warning(request, w.message)
    messages.success(request, _("Saved."))
    return redirect("affairs:leave:org")
