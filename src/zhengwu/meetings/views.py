"""Web pages of the meetings (会议, art. 13, 29, 35, 57–66):

- the calendar (a month, the upcoming and past meetings, filter by type, room bookings) and the
  schedule form (members from the rulebook, refusals with their article on the field at fault);
- a meeting: header, approval (art. 65), attendance, agenda, minutes, follow-ups;
- the agenda builder: each item's readiness (a dossier's missing procedures with their article,
  the art. 58–63 gating for the others), propose / confirm / withdraw;
- the member's phone view: agenda and materials, sign-in, leave asked of the chair with written views;
- the chair's deliberation screen: open (quorum, art. 58/60), opinions in speaking order with the
  一把手 last on 三重一大 items (art. 29), decisions, close;
- the minutes editor with its signing chain (art. 60–62) and the 纪要 .docx;
- the follow-up documents against their 7 working days (art. 63).

Views read through access.py (deny by default: 403/404 for whoever is neither expected, office
nor leader) and write only through services.py; a Refused is shown on the page with its message,
its violations and the field at fault."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from zhengwu import rules
from zhengwu.errors import NotFound, Refused
from zhengwu.org import selectors as org_selectors
from zhengwu.org.models import Unit
from zhengwu.web.present import refused_page

from . import access, selectors, services
from . import views_support as vs
from .models import AgendaItem, Attendance, Meeting, Minutes


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _local(value: str, field: str) -> dt.datetime:
    """A datetime-local form value as an aware moment in the server's time zone."""
    try:
        moment = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        raise Refused("请填写有效的时间（YYYY-MM-DD HH:MM）", field=field) from None
    if not 1900 <= moment.year <= 2100:
        raise Refused("时间超出范围", field=field)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise Refused("请填写有效的日期（YYYY-MM-DD）", field=field) from None


def _item_of(meeting: Meeting, item_id: int) -> AgendaItem:
    item = meeting.items.filter(pk=item_id).first()
    if item is None:
        raise NotFound(f"议题{item_id}不属于该会议", field="item_id")
    return item


# ---- the calendar --------------------------------------------------------------------------

@login_required
@require_safe
def calendar(request):
    """A month of meetings (Monday first), with the upcoming and past ones beside it and the rooms'
    bookings of the month; filtered by type. The number of queries does not grow with the rows."""
    me = request.user
    today = rules.today()
    types = vs.meeting_types(today)
    mtype = request.GET.get("type", "")
    if mtype not in types and mtype != "department":
        mtype = ""
    year, month = vs.parse_month(request.GET.get("month"), today)
    start, end = vs.month_bounds(year, month)
    qs = vs.visible_meetings(me, meeting_type=mtype, on=today)
    in_month = list(qs.filter(starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "id"))
    upcoming, past = vs.upcoming_and_past(qs, vs.now())
    rows = lambda ms: [{"m": m, "type": vs.type_label(m, types)} for m in ms]  # noqa: E731
    bookings: dict = {}
    for m in in_month:
        if m.room_id and m.status != Meeting.Status.CANCELLED:
            bookings.setdefault(m.room, []).append(m)
    prev_m = (year - (month == 1), 12 if month == 1 else month - 1)
    next_m = (year + (month == 12), 1 if month == 12 else month + 1)
    return render(request, "meetings/calendar.html", {
        "weeks": vs.month_grid(year, month, in_month), "month": dt.date(year, month, 1),
        "prev": f"{prev_m[0]:04d}-{prev_m[1]:02d}", "next": f"{next_m[0]:04d}-{next_m[1]:02d}",
        "month_param": f"{year:04d}-{month:02d}", "type": mtype, "types": types.items(),
        "upcoming": rows(upcoming), "past": rows(past), "bookings": sorted(bookings.items(), key=lambda kv: kv[0].name),
        "can_schedule": access.is_office(me, today), "today": today,
    })


# ---- scheduling ----------------------------------------------------------------------------

def _schedule_context(request, today, values=None, refusal=None):
    me = request.user
    gov = me.government
    values = values or {}
    mtype = values.get("meeting_type") or request.GET.get("meeting_type") or "standing"
    day = today
    if values.get("starts_at"):
        try:
            day = dt.datetime.fromisoformat(values["starts_at"]).date()
        except ValueError:
            pass
    return {
        "values": values, "refusal": refusal, "types": vs.meeting_types(today).items(), "mtype": mtype,
        "rooms": selectors.rooms(gov), "chairs": vs.leaders(gov, today), "people": vs.people(gov),
        "units": Unit.objects.filter(government=gov, active=True).order_by("order", "id"),
        "prefill": vs.rulebook_members(gov, mtype, day),
        "chosen_members": [str(v) for v in values.get("member_ids", [])],
        "chosen_invitees": [str(v) for v in values.get("invitee_ids", [])],
    }


@login_required
def schedule(request):
    """The office calls a meeting: type, time, room, chair, members (from the rulebook where it
    names them), invitees (列席). A refusal comes back on the field, with its article."""
    today = rules.today()
    if request.method == "POST":
        p = request.POST
        values = {k: p.get(k, "") for k in ("meeting_type", "title", "number", "starts_at", "ends_at", "room_id",
                                             "place", "chair_id", "organizing_unit_id")}
        values["member_ids"] = [v for v in p.getlist("member_ids") if v]
        values["invitee_ids"] = [v for v in p.getlist("invitee_ids") if v]
        values["delegated"] = p.get("delegated") == "on"
        values["important"] = p.get("important") == "on"
        try:
            m = services.meeting_schedule(
                actor=request.user, meeting_type=values["meeting_type"], title=values["title"],
                starts_at=_local(values["starts_at"], "starts_at"), ends_at=_local(values["ends_at"], "ends_at"),
                chair_id=values["chair_id"] or None, delegated=values["delegated"], room_id=values["room_id"] or None,
                place=values["place"], member_ids=values["member_ids"] or None, invitee_ids=values["invitee_ids"],
                number=values["number"], organizing_unit_id=values["organizing_unit_id"] or None,
                important=values["important"], on=today)
        except Refused as e:
            if e.status in (403, 404):
                return refused_page(request, e)
            return render(request, "meetings/schedule.html", _schedule_context(request, today, values, e),
                          status=e.status)
        for w in getattr(m, "warnings", []) or []:
            messages.warning(request, w.message)
        messages.success(request, _("Meeting scheduled."))
        return redirect("meetings:detail", m.pk)
    if not access.is_office(request.user, today):
        return refused_page(request, Refused("区政府会议由区政府办公室安排", status=403))
    return render(request, "meetings/schedule.html", _schedule_context(request, today))


@login_required
@require_safe
def schedule_members(request):
    """HTMX: the members the rulebook gives the chosen type on the chosen day (or the choice)."""
    today = rules.today()
    values = {"meeting_type": request.GET.get("meeting_type", ""), "starts_at": request.GET.get("starts_at", "")}
    return render(request, "meetings/_members.html", _schedule_context(request, today, values))


# ---- one meeting ---------------------------------------------------------------------------

def _detail_context(request, meeting: Meeting, today, refusal=None, form=None):
    me = request.user
    r = vs.rights(me, meeting, today)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    approval_tasks = []
    if meeting.approval_id:
        from zhengwu.workflow.models import Task

        approval_tasks = list(Task.objects.filter(approval_id=meeting.approval_id, kind=Task.Kind.STEP)
                              .select_related("assignee").order_by("id"))
    return {
        "m": meeting, "type_label": vs.type_label(meeting, vs.meeting_types(today)), "r": r,
        "att": selectors.attendance_summary(meeting),
        "items": list(meeting.items.exclude(status=AgendaItem.Status.WITHDRAWN).select_related("proposer")
                      .order_by("order", "id")),
        "minutes": minutes, "followups": vs.followup_rows(me, meeting=meeting, on=today),
        "leaves": vs.pending_leaves(meeting) if r.chair else [],
        "approval": meeting.approval if meeting.approval_id else None, "approval_tasks": approval_tasks,
        "routes": rules.param("meetings.approval_routes", today), "refusal": refusal, "form": form or {},
        "decided_items": [i for i in meeting.items.all() if i.status == AgendaItem.Status.DECIDED],
        "today": today,
        # the 督查指挥中心 puts decisions on its ledger (art. 49; zhengwu.supervision checks it again)
        "supervision_center": org_selectors.is_supervision_staff(me, today),
    }


@login_required
@require_safe
def detail(request, meeting_id: int):
    today = rules.today()
    try:
        m = access.meeting_visible(request.user, meeting_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    # opened: the person's notices about it (会议通知, 取消, 提醒, its approval's tasks) are read, and the bell shows it
    from zhengwu.workflow.notices import notifications_seen

    notifications_seen(person=request.user, obj=(services.OBJ_MEETING, str(m.pk)), link=f"/meetings/{m.pk}/")
    return render(request, "meetings/detail.html", _detail_context(request, m, today))


def _act(request, meeting_id: int, page: str, call, form: str = ""):
    """Run a service for a page of the meeting; on refusal show that page again with it."""
    today = rules.today()
    try:
        m = access.meeting_visible(request.user, meeting_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    try:
        call(m, today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        m.refresh_from_db()
        return _page(request, m, page, today, refusal=e, form={"name": form, "values": request.POST})
    return redirect(f"meetings:{page}", m.pk)


def _page(request, m, page, today, refusal=None, form=None):
    status = refusal.status if refusal else 200
    if page == "detail":
        return render(request, "meetings/detail.html", _detail_context(request, m, today, refusal, form), status=status)
    if page == "agenda":
        return render(request, "meetings/agenda.html", _agenda_context(request, m, today, refusal, form), status=status)
    if page == "phone":
        return render(request, "meetings/phone.html", _phone_context(request, m, today, refusal, form), status=status)
    if page == "chair":
        return render(request, "meetings/chair.html", _chair_context(request, m, today, refusal, form), status=status)
    if page == "minutes":
        return render(request, "meetings/minutes.html", _minutes_context(request, m, today, refusal, form),
                      status=status)
    raise ValueError(page)


@login_required
@require_POST
def submit(request, meeting_id: int):
    p = request.POST

    def call(m, today):
        services.meeting_submit(actor=request.user, meeting_id=m.pk, approval_route=p.get("approval_route", "office"),
                                special_reason=p.get("special_reason", ""), on=today)
        messages.success(request, _("Sent for approval."))
    return _act(request, meeting_id, "detail", call, "submit")


@login_required
@require_POST
def cancel(request, meeting_id: int):
    def call(m, today):
        services.meeting_cancel(actor=request.user, meeting_id=m.pk, reason=request.POST.get("reason", ""))
        messages.success(request, _("Meeting cancelled."))
    return _act(request, meeting_id, "detail", call, "cancel")


@login_required
@require_POST
def leave_decide(request, meeting_id: int, attendance_id: int):
    def call(m, today):
        att = m.attendances.filter(pk=attendance_id).first()
        if att is None:
            raise NotFound("该请假不属于本次会议", field="attendance_id")
        services.leave_decide(actor=request.user, attendance_id=att.pk, approve=request.POST.get("approve") == "yes",
                              opinion=request.POST.get("opinion", ""), on=today)
        messages.success(request, _("Leave answered."))
    return _act(request, meeting_id, "detail", call, "leave")


# ---- the agenda builder --------------------------------------------------------------------

def _agenda_context(request, m: Meeting, today, refusal=None, form=None):
    from zhengwu.decisions import selectors as dsel
    from zhengwu.decisions.access import visible_dossiers

    me = request.user
    r = vs.rights(me, m, today)
    rows = []
    for ready in selectors.agenda_readiness(m, on=today):
        item = ready.item
        missing = dsel.missing_steps(item.dossier, on=today) if item.dossier_id else []
        rows.append({"ready": ready, "item": item, "missing": missing,
                     "gating": [v for v in ready.violations if v.rule_id.startswith(("R58", "R59", "R60", "R61",
                                                                                     "R62", "R63"))],
                     "others": [v for v in ready.violations if not v.rule_id.startswith(("R58", "R59", "R60", "R61",
                                                                                         "R62", "R63"))],
                     "blocking": [v for v in ready.violations if v.blocks],  # what confirming would meet
                     "can": vs.item_actions(me, item, r, today)})
    # the 事项材料 link only where the person may open the dossier: art. 58–61 let units' heads 列席
    # a meeting, but no article opens the dossiers to them (decisions.access.visible_dossiers decides)
    linked = {row["item"].dossier_id for row in rows if row["item"].dossier_id}
    readable = set(visible_dossiers(me, on=today).filter(pk__in=linked).values_list("pk", flat=True)) if linked else set()
    dossiers = []
    if vs.may_propose(me, m, r, today):
        dossiers = list(visible_dossiers(me, on=today).filter(status__in=("assembling", "ready", "deferred"))
                        .order_by("-created_at")[:50])
    return {"m": m, "type_label": vs.type_label(m, vs.meeting_types(today)), "r": r, "rows": rows,
            "may_propose": vs.may_propose(me, m, r, today), "dossiers": dossiers, "readable_dossiers": readable,
            "matter_types": {**rules.param("decisions.dossier_types", today),
                             **rules.param("decisions.last_speaker_matters", today)}.items(),
            "units": Unit.objects.filter(government=m.government, active=True).order_by("order", "id"),
            "types": vs.meeting_types(today).items(), "refusal": refusal, "form": form or {}, "today": today}


@login_required
@require_safe
def agenda(request, meeting_id: int):
    today = rules.today()
    try:
        m = access.meeting_visible(request.user, meeting_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "meetings/agenda.html", _agenda_context(request, m, today))


ITEM_FLAG_FIELDS = ("has_substantive_content", "has_clear_proposal", "prior_procedure_complete", "legally_required",
                    "concerns_whole_district", "departments_disagree", "consensus_reached")


@login_required
@require_POST
def item_propose(request, meeting_id: int):
    p = request.POST

    def call(m, today):
        flags = {f: p.get(f) == "on" for f in ITEM_FLAG_FIELDS}
        services.item_propose(actor=request.user, meeting_id=m.pk, title=p.get("title", ""),
                              summary=p.get("summary", ""),
                              materials=[line for line in p.get("materials", "").splitlines() if line.strip()],
                              matter_type=p.get("matter_type", ""), dossier_id=p.get("dossier_id") or None,
                              lead_unit_id=p.get("lead_unit_id") or None,
                              prior_topical_meeting_ref=p.get("prior_topical_meeting_ref", ""), on=today, **flags)
        messages.success(request, _("Item proposed."))
    return _act(request, meeting_id, "agenda", call, "propose")


@login_required
@require_POST
def item_confirm(request, meeting_id: int, item_id: int):
    def call(m, today):
        item = _item_of(m, item_id)
        services.item_confirm(actor=request.user, item_id=item.pk, by_meeting=request.POST.get("by_meeting", ""),
                              by_meeting_ref=request.POST.get("by_meeting_ref", ""), on=today)
        messages.success(request, _("Item confirmed onto the agenda."))
    return _act(request, meeting_id, "agenda", call, f"confirm-{item_id}")


@login_required
@require_POST
def item_withdraw(request, meeting_id: int, item_id: int):
    def call(m, today):
        item = _item_of(m, item_id)
        services.item_withdraw(actor=request.user, item_id=item.pk, reason=request.POST.get("reason", ""))
        messages.success(request, _("Item withdrawn."))
    return _act(request, meeting_id, "agenda", call, f"withdraw-{item_id}")


# ---- the member's phone view ---------------------------------------------------------------

def _phone_context(request, m: Meeting, today, refusal=None, form=None):
    me = request.user
    r = vs.rights(me, m, today)
    att = r.attendance
    moment = vs.now()
    meeting_day = timezone.localtime(m.starts_at).date()
    return {
        "m": m, "type_label": vs.type_label(m, vs.meeting_types(today)), "r": r, "att": att,
        "items": list(m.items.filter(status__in=(AgendaItem.Status.CONFIRMED, AgendaItem.Status.DECIDED))
                      .order_by("order", "id")),
        "may_sign_in": att is not None and att.signed_in_at is None and timezone.localtime(moment).date() == meeting_day
        and m.status in (Meeting.Status.APPROVED, Meeting.Status.OPEN),
        "may_leave": att is not None and not r.chair and moment < m.starts_at and att.signed_in_at is None
        and att.status not in (Attendance.Status.LEAVE_REQUESTED, Attendance.Status.ON_LEAVE)
        and m.status not in (Meeting.Status.OPEN, Meeting.Status.CLOSED, Meeting.Status.CANCELLED),
        "may_views": att is not None and moment < m.starts_at
        and m.status not in (Meeting.Status.OPEN, Meeting.Status.CLOSED, Meeting.Status.CANCELLED),
        "refusal": refusal, "form": form or {}, "today": today,
    }


@login_required
@require_safe
def phone(request, meeting_id: int):
    """The agenda and materials on a phone, with sign-in, leave and written views."""
    today = rules.today()
    try:
        m = access.meeting_visible(request.user, meeting_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "meetings/phone.html", _phone_context(request, m, today))


@login_required
@require_POST
def sign_in(request, meeting_id: int):
    def call(m, today):
        services.sign_in(actor=request.user, meeting_id=m.pk, person_id=request.POST.get("person_id") or None,
                         at=vs.now())
        messages.success(request, _("Signed in."))
    page = "chair" if request.POST.get("person_id") else "phone"
    return _act(request, meeting_id, page, call, "sign_in")


@login_required
@require_POST
def leave_request(request, meeting_id: int):
    def call(m, today):
        services.leave_request(actor=request.user, meeting_id=m.pk, reason=request.POST.get("reason", ""),
                               views=request.POST.get("views", ""), at=vs.now())
        messages.success(request, _("Leave requested from the chair."))
    return _act(request, meeting_id, "phone", call, "leave")


@login_required
@require_POST
def views_submit(request, meeting_id: int):
    def call(m, today):
        services.views_submit(actor=request.user, meeting_id=m.pk, text=request.POST.get("text", ""), at=vs.now())
        messages.success(request, _("Written views submitted."))
    return _act(request, meeting_id, "phone", call, "views")


# ---- the chair's deliberation screen -------------------------------------------------------

def _chair_item(m: Meeting, item: AgendaItem, present_ids: set[int]) -> dict:
    spoken = selectors.speaking_order(item)
    waiting = selectors.next_speakers(item) if item.status == AgendaItem.Status.CONFIRMED else []
    others_waiting = [a for a in waiting if a.person_id != m.chair_id]
    chair_spoke = any(o.speaker_id == m.chair_id for o in spoken)
    major = bool(item.matter_type)
    return {"item": item, "spoken": spoken, "waiting": waiting, "major": major,
            "chair_blocked": major and bool(others_waiting),
            "chair_may_speak": not chair_spoke and item.status == AgendaItem.Status.CONFIRMED,
            "decide_blocked": major and not chair_spoke}


def _chair_context(request, m: Meeting, today, refusal=None, form=None):
    me = request.user
    r = vs.rights(me, m, today)
    summary = selectors.attendance_summary(m)
    present_ids = {a.person_id for a in summary["present"]}
    items = m.items.filter(status__in=(AgendaItem.Status.CONFIRMED, AgendaItem.Status.DECIDED)).order_by("order", "id")
    open_refusal = services.meeting_open_refusal(m) if m.status in services.NOT_HELD else None
    return {"m": m, "type_label": vs.type_label(m, vs.meeting_types(today)), "r": r, "att": summary,
            "rows": [_chair_item(m, i, present_ids) for i in items],
            "outcomes": rules.param("decisions.outcomes", today), "refusal": refusal, "form": form or {},
            "not_signed": [a for a in summary["members"] + summary["attendees"] if a.signed_in_at is None
                           and a.status != Attendance.Status.ON_LEAVE],
            # what opening now would meet (the service's own checks, dry run): the button says why it is off
            "open_refusal": open_refusal, "open_ok": open_refusal is None,
            "today": today}


@login_required
@require_safe
def chair(request, meeting_id: int):
    today = rules.today()
    try:
        m = access.meeting_for_chair(request.user, meeting_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "meetings/chair.html", _chair_context(request, m, today))


def _chair_act(request, meeting_id: int, call, item_id: int | None = None):
    """As _act, for the chair's screen; an HTMX request gets the one item's panel back (200 even
    on a refusal, so that htmx swaps it)."""
    today = rules.today()
    try:
        m = access.meeting_for_chair(request.user, meeting_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    refusal = None
    try:
        call(m, today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        refusal = e
    m.refresh_from_db()
    if item_id is not None and _htmx(request):
        item = m.items.filter(pk=item_id).first()
        if item is not None:
            present = {a.person_id for a in m.attendances.filter(signed_in_at__isnull=False)}
            return render(request, "meetings/_chair_item.html",
                          {"row": _chair_item(m, item, present), "m": m, "refusal": refusal,
                           "outcomes": rules.param("decisions.outcomes", today)})
    if refusal is not None:
        return _page(request, m, "chair", today, refusal=refusal,
                     form={"item_id": item_id, "values": request.POST})
    return redirect(reverse("meetings:chair", args=[m.pk]) + (f"#item-{item_id}" if item_id else ""))


@login_required
@require_POST
def meeting_open(request, meeting_id: int):
    def call(m, today):
        services.meeting_open(actor=request.user, meeting_id=m.pk, at=vs.now())
        messages.success(request, _("The meeting is open."))
    return _chair_act(request, meeting_id, call)


@login_required
@require_POST
def opinion(request, meeting_id: int, item_id: int):
    def call(m, today):
        item = _item_of(m, item_id)
        services.opinion_record(actor=request.user, item_id=item.pk, speaker_id=request.POST.get("speaker_id"),
                                text=request.POST.get("text", ""))
    return _chair_act(request, meeting_id, call, item_id)


@login_required
@require_POST
def decide(request, meeting_id: int, item_id: int):
    def call(m, today):
        item = _item_of(m, item_id)
        services.item_decide(actor=request.user, item_id=item.pk, outcome=request.POST.get("outcome", ""),
                             conditions=request.POST.get("conditions", ""),
                             non_disclosure_reason=request.POST.get("non_disclosure_reason", ""), at=vs.now())
    return _chair_act(request, meeting_id, call, item_id)


@login_required
@require_POST
def meeting_close(request, meeting_id: int):
    today = rules.today()
    try:
        access.meeting_for_chair(request.user, meeting_id, on=today)
        services.meeting_close(actor=request.user, meeting_id=meeting_id, at=vs.now())
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        m = Meeting.objects.get(pk=meeting_id)
        return _page(request, m, "chair", today, refusal=e)
    messages.success(request, _("The meeting is closed."))
    return redirect("meetings:detail", meeting_id)


# ---- minutes -------------------------------------------------------------------------------

def _minutes_context(request, m: Meeting, today, refusal=None, form=None):
    me = request.user
    r = vs.rights(me, m, today)
    minutes = Minutes.objects.filter(meeting=m).select_related("drafted_by", "reviewed_by", "signed_by").first()
    nxt = vs.minutes_next(minutes, today)
    mine = any(p.pk == me.pk for p in nxt["who"])
    return {"m": m, "type_label": vs.type_label(m, vs.meeting_types(today)), "r": r, "minutes": minutes,
            "next": nxt, "mine": mine, "refusal": refusal, "form": form or {},
            "may_draft": r.office and minutes is None and m.status == Meeting.Status.CLOSED,
            "may_edit": r.office and minutes is not None and minutes.status == Minutes.Status.DRAFT,
            "decided": list(m.items.filter(status=AgendaItem.Status.DECIDED).order_by("order", "id")),
            "chain": _chain_states(_chain(m, today), minutes), "today": today}


def _chain_states(labels: list[str], minutes) -> list[tuple[str, str]]:
    """Each step of the chain with its state: done, now (the step waiting) or todo."""
    if minutes is None or minutes.status == Minutes.Status.DRAFT:
        current = 0
    elif minutes.status == Minutes.Status.SIGNED:
        current = len(labels)
    elif minutes.status == Minutes.Status.REVIEWED or minutes.reviewed_by_id or len(labels) < 3:
        current = len(labels) - 1
    else:
        current = 1
    return [(label, "done" if i < current else "now" if i == current else "todo") for i, label in enumerate(labels)]


def _chain(m: Meeting, today) -> list[str]:
    """The signing chain this type's minutes follow (art. 60–62), as labels."""
    route = f"minutes.{m.meeting_type}"
    if m.meeting_type and route in rules.book(today).routes:
        steps = [s.label or s.action for stage in rules.book(today).routes[route].stages for s in stage.steps]
        return [pgettext("minutes chain", "Drafting (district government office)")] + steps
    return [pgettext("minutes chain", "Drafting (district government office)"),
            pgettext("minutes chain", "Sign-off (the meeting's chair)")]


@login_required
@require_safe
def minutes(request, meeting_id: int):
    today = rules.today()
    try:
        m = access.meeting_visible(request.user, meeting_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "meetings/minutes.html", _minutes_context(request, m, today))


@login_required
@require_POST
def minutes_save(request, meeting_id: int):
    p = request.POST

    def call(m, today):
        existing = Minutes.objects.filter(meeting=m).first()
        if existing is None:
            services.minutes_draft(actor=request.user, meeting_id=m.pk, body=p.get("body", ""),
                                   title=p.get("title", ""), number=p.get("number", ""))
        else:
            services.minutes_update(actor=request.user, minutes_id=existing.pk, body=p.get("body", ""),
                                    title=p.get("title") or None)
        if p.get("op") == "submit":
            services.minutes_submit(actor=request.user, minutes_id=Minutes.objects.get(meeting=m).pk, on=today)
            messages.success(request, _("Minutes sent for review."))
        else:
            messages.success(request, _("Minutes saved."))
    return _act(request, meeting_id, "minutes", call, "edit")


@login_required
@require_POST
def minutes_act(request, meeting_id: int, op: str):
    def call(m, today):
        minutes = Minutes.objects.filter(meeting=m).first()
        if minutes is None:
            raise Refused("该会议尚无纪要", field="minutes_id")
        if op == "submit":
            services.minutes_submit(actor=request.user, minutes_id=minutes.pk, on=today)
            messages.success(request, _("Minutes sent for review."))
        elif op == "review":
            services.minutes_review(actor=request.user, minutes_id=minutes.pk, opinion=request.POST.get("opinion", ""),
                                    on=today)
            messages.success(request, _("Minutes reviewed."))
        elif op == "sign":
            services.minutes_sign(actor=request.user, minutes_id=minutes.pk, opinion=request.POST.get("opinion", ""),
                                  on=today)
            messages.success(request, _("Minutes signed."))
        else:
            raise NotFound("未知操作", field="op")
    return _act(request, meeting_id, "minutes", call, op)


@login_required
@require_safe
def minutes_docx(request, meeting_id: int):
    from zhengwu.output.download import DOCX, content_disposition

    from .minutes_docx import render_minutes_docx

    today = rules.today()
    try:
        m = access.meeting_visible(request.user, meeting_id, on=today)
        minutes_ = Minutes.objects.filter(meeting=m).first()
        if minutes_ is None:
            raise NotFound("该会议尚无纪要", field="minutes_id")
        data = render_minutes_docx(minutes_)
    except Refused as e:
        return refused_page(request, e)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition(f"{minutes_.title}.docx", f"minutes-{minutes_.pk}.docx")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---- follow-ups (art. 63) ------------------------------------------------------------------

@login_required
@require_safe
def followups(request):
    today = rules.today()
    open_only = request.GET.get("open") == "1"
    return render(request, "meetings/followups.html", {
        "rows": vs.followup_rows(request.user, open_only=open_only, on=today), "open_only": open_only,
        "office": access.is_office(request.user, today), "today": today,
        "limit": int(rules.param("meetings.document_issue_days", today))})


@login_required
@require_POST
def followup_create(request, meeting_id: int):
    p = request.POST

    def call(m, today):
        services.followup_create(actor=request.user, meeting_id=m.pk, title=p.get("title", ""),
                                 item_id=p.get("item_id") or None, lead_unit_id=p.get("lead_unit_id") or None)
        messages.success(request, _("Follow-up document registered."))
    return _act(request, meeting_id, "detail", call, "followup")


@login_required
@require_POST
def followup_issued(request, followup_id: int):
    today = rules.today()
    try:
        f = access.followup_visible(request.user, followup_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    try:
        f = services.followup_issued(actor=request.user, followup_id=f.pk,
                                     issued_on=_date(request.POST.get("issued_on", ""), "issued_on"))
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        return render(request, "meetings/followups.html", {
            "rows": vs.followup_rows(request.user, on=today), "office": access.is_office(request.user, today),
            "refusal": e, "today": today, "limit": int(rules.param("meetings.document_issue_days", today))},
            status=e.status)
    for w in getattr(f, "warnings", []) or []:
        messages.warning(request, w.message)
    messages.success(request, _("Issue recorded."))
    return redirect("meetings:followups")
