"""Pages of coordination bodies (arts. 71-74), emergency reports (75) and submissions to the 区委,
人大 and 政协 (6, 38, 76-78): lists with the forms to start one, a page per object with the forms its
people may use. Views read through access.py / selectors.py and write only through services.py; a
`Refused` is shown on the page with its message and violations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhengwu import rules
from zhengwu.errors import Refused
from zhengwu.org.models import Person, Unit
from zhengwu.web.present import refused_page
from zhengwu.web.tables import Column, Filter, Table

from . import access, selectors, services
from .models import CoordinationBody, EmergencyReport, Submission

PAGE_SIZE = 30


def _people(request):
    return Person.objects.filter(government_id=request.user.government_id, is_active=True,
                                 appointments__isnull=False).distinct().order_by("id")


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _form_error(request, template, ctx, e: Refused, values):
    ctx.update(refusal=e, values=values)
    return render(request, template, ctx, status=e.status)


# ---- bodies ------------------------------------------------------------------------------------

def _list_context(request, today):
    me = request.user
    qs = access.visible_bodies(me, on=today).select_related("head", "office_unit").prefetch_related("goals")
    page = _page(request, qs)
    to_adjust = selectors.bodies_needing_adjustment(me.government, today)  # once, for the rows and the office
    why = {b.pk: reason for b, reason in to_adjust}
    rows = [{"b": b, "goals_missing": any(v.blocks for v in selectors.goals_findings(b, today)),
             "adjust": why.get(b.pk, "")} for b in page.object_list]
    office = access.is_office_staff(me, today)
    return {"page": page, "rows": rows, "query": "", "office": office,
            "to_adjust": to_adjust if office else [],
            "basis_kinds": rules.param("coordination_body.basis_kinds", today).items(),
            "people": _people(request), "today": today,
            "units": Unit.objects.filter(government_id=me.government_id, active=True),
            "spare_units": Unit.objects.filter(government_id=me.government_id, active=True, kind="coordination_body",
                                               coordination_body__isnull=True)}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def body_list(request):
    today = rules.today()
    if request.method == "POST":
        p, me = request.POST, request.user
        try:
            if p.get("action") == "register":
                body = services.body_register(
                    actor=me, name=p.get("name"), purpose=p.get("purpose"), basis_kind=p.get("basis_kind"),
                    basis_document=p.get("basis_document"), established_on=p.get("established_on"),
                    establish_document=p.get("establish_document"), office_unit_id=p.get("office_unit_id"),
                    unit_id=p.get("unit_id") or None, head_id=p.get("head_id") or None,
                    member_ids=[v for v in p.getlist("member_ids") if v],
                    head_required_by_higher=p.get("head_required_by_higher") == "1", on=today)
            else:
                body = services.body_propose(
                    actor=me, name=p.get("name"), purpose=p.get("purpose"), basis_kind=p.get("basis_kind"),
                    basis_document=p.get("basis_document"), head_id=p.get("head_id") or None,
                    head_required_by_higher=p.get("head_required_by_higher") == "1", on=today)
        except Refused as e:
            return _form_error(request, "bodies/list.html", _list_context(request, today), e, p)
        messages.success(request, _("Saved."))
        return redirect("affairs:bodies:detail", body.pk)
    return render(request, "bodies/list.html", _list_context(request, today))


def _detail(request, pk, visible, template, context):
    """One object's page: read through its access function (404 for what one may not see)."""
    today = rules.today()
    try:
        obj = visible(request.user, pk, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, template, context(request, obj, today))


@login_required
@require_safe
def body_detail(request, body_id):
    return _detail(request, body_id, access.body_visible, "bodies/detail.html", _body_ctx)


BODY_ACTIONS = {
    "submit": lambda me, pk, p, on: services.body_submit(actor=me, body_id=pk, on=on),
    "change": lambda me, pk, p, on: services.body_change(
        actor=me, body_id=pk, summary=p.get("summary", ""), document_ref=p.get("document_ref", ""),
        head_id=p.get("head_id") or None, add_ids=p.getlist("add_ids"), remove_ids=p.getlist("remove_ids"), on=on),
    "goals": lambda me, pk, p, on: services.goals_submit(actor=me, body_id=pk, year=p.get("year"),
                                                         goals=p.get("goals", ""), on=on),
    "abolish": lambda me, pk, p, on: services.body_abolish(actor=me, body_id=pk, reason=p.get("reason", ""),
                                                           document_ref=p.get("document_ref", ""), on=on),
}


def _act(request, pk, action, table, visible, template, context):
    today = rules.today()
    fn = table.get(action)
    try:
        obj = visible(request.user, pk, on=today)
        if fn is None:
            raise Refused(_("Unknown action."), field="action", status=404)
        fn(request.user, pk, request.POST, today)
    except Refused as e:
        if e.status in (403, 404) or fn is None:
            return refused_page(request, e)
        obj = visible(request.user, obj.pk, on=today)
        ctx = context(request, obj, today)
        ctx.update(refusal=e, refused_action=action, values=request.POST)
        return render(request, template, ctx, status=e.status)
    messages.success(request, _("Saved."))
    return obj


def _body_ctx(request, body, today):
    ctx = selectors.body_context(request.user, body, today)
    ctx["people"] = _people(request)
    return ctx


@login_required
@require_POST
def body_act(request, body_id, action):
    out = _act(request, body_id, action, BODY_ACTIONS, access.body_visible, "bodies/detail.html", _body_ctx)
    return out if not isinstance(out, CoordinationBody) else redirect("affairs:bodies:detail", out.pk)


# ---- emergency reports -------------------------------------------------------------------------

def _report_table(request, today) -> Table:
    """The reports as a table: level, status, unit and the day of the event to filter by; the
    latest event first unless a header sorts them."""
    from zhengwu.web.templatetags.zw import book_name

    ctx = "bodies list"
    visible = access.visible_reports(request.user, on=today)
    units = sorted(set(visible.values_list("unit_id", "unit__name").distinct()), key=lambda x: (x[1], x[0]))
    levels = [(code, book_name(label)) for code, label in rules.param("affairs.emergency_levels", today).items()]
    columns = (
        Column("title", pgettext_lazy(ctx, "Event"), order=("title",), cell="bodies/cells/report_title.html",
               css="title"),
        Column("level", pgettext_lazy(ctx, "Level"), order=("level",), css="nowrap"),
        Column("unit", pgettext_lazy(ctx, "Reporting unit"), order=("unit__name",)),
        Column("occurred", pgettext_lazy(ctx, "Time of the event"), order=("occurred_at",),
               cell="bodies/cells/occurred.html", css="nowrap num"),
        Column("status", pgettext_lazy(ctx, "Status"), order=("status",), cell="bodies/cells/report_status.html",
               css="nowrap"),
    )
    filters = (
        Filter.choice("status", pgettext_lazy(ctx, "Status"), EmergencyReport.Status.choices),
        Filter.choice("level", pgettext_lazy(ctx, "Level"), levels),
        Filter.choice("unit", pgettext_lazy(ctx, "Reporting unit"), units, lookup="unit_id"),
        *Filter.dates("occurred", pgettext_lazy(ctx, "Event from"), pgettext_lazy(ctx, "Event to"),
                      "occurred_at__date"),
    )
    return Table(request, columns, filters=filters, default="-occurred", page_size=PAGE_SIZE)


def _report_list_context(request, today):
    table = _report_table(request, today)
    qs = access.visible_reports(request.user, on=today).select_related("unit").order_by("-occurred_at", "-id")
    page = table.page(table.apply(qs))
    levels = rules.param("affairs.emergency_levels", today)
    from zhengwu.web.templatetags.zw import book_name

    rows = [{"r": r, "pk": r.pk, "title": r.title, "level": book_name(levels.get(r.level, r.level)),
             "unit": r.unit.name, "occurred": r.occurred_at, "status": r.get_status_display(),
             "css": "is-overdue" if r.late else ""} for r in page.object_list]
    return {"page": page, "query": table.query, "rows": rows, "table": table, "today": today,
            "events": rules.param("affairs.emergency_report_events", today).items(),
            "levels": rules.param("affairs.emergency_levels", today).items(),
            "level_labels": rules.param("affairs.emergency_levels", today),
            "phone_minutes": rules.param("affairs.emergency_phone_minutes", today),
            "written_minutes": rules.param("affairs.emergency_written_minutes", today)}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_list(request):
    today = rules.today()
    if request.method == "POST":
        p = request.POST
        try:
            report = services.report_create(
                actor=request.user, event_kind=p.get("event_kind"), level=p.get("level"), title=p.get("title"),
                content=p.get("content"), place=p.get("place", ""), occurred_at=p.get("occurred_at"),
                phoned_at=p.get("phoned_at") or None, written_at=p.get("written_at") or None, on=today)
        except Refused as e:
            return _form_error(request, "bodies/emergencies.html", _report_list_context(request, today), e, p)
        messages.success(request, _("Saved."))
        return redirect("affairs:bodies:emergency", report.pk)
    return render(request, "bodies/emergencies.html", _report_list_context(request, today))


def _report_ctx(request, report, today):
    return {"r": report, "updates": list(report.updates.select_related("by")),
            "event_label": rules.param("affairs.emergency_report_events", today).get(report.event_kind, ""),
            "level_label": rules.param("affairs.emergency_levels", today).get(report.level, ""),
            "kinds": rules.param("affairs.emergency_report_kinds", today).items(),
            "findings": (findings := selectors.report_findings(report, today)),
            # the lateness recorded in late_note, said again from the rule in the reader's language
            "late_findings": [v for v in findings if services.report_late_at(v, report)],
            "can_update": report.status == EmergencyReport.Status.OPEN
            and report.unit_id in access.own_unit_ids(request.user, today)}


@login_required
@require_safe
def report_detail(request, report_id):
    return _detail(request, report_id, access.report_visible, "bodies/emergency.html", _report_ctx)


REPORT_ACTIONS = {
    "written": lambda me, pk, p, on: services.report_written(actor=me, report_id=pk, written_at=p.get("written_at"),
                                                             on=on),
    "update": lambda me, pk, p, on: services.report_update(actor=me, report_id=pk, kind=p.get("kind", ""),
                                                           content=p.get("content", ""), at=p.get("at") or None,
                                                           on=on),
}


@login_required
@require_POST
def report_act(request, report_id, action):
    out = _act(request, report_id, action, REPORT_ACTIONS, access.report_visible, "bodies/emergency.html",
               _report_ctx)
    return out if not isinstance(out, EmergencyReport) else redirect("affairs:bodies:emergency", out.pk)


# ---- submissions -------------------------------------------------------------------------------

def _kind_choices(today):
    bodies = rules.param("affairs.submission_bodies", today)
    return [(b, bodies[b], list(kinds.items())) for b, kinds in rules.param("affairs.submission_kinds", today).items()]


def _submission_table(request, today) -> Table:
    """The submissions as a table: status, to whom and the day submitted to filter by."""
    from zhengwu.web.templatetags.zw import book_name

    ctx = "bodies list"
    bodies = [(code, book_name(label)) for code, label in rules.param("affairs.submission_bodies", today).items()]
    columns = (
        Column("title", pgettext_lazy(ctx, "Item"), order=("title",), cell="bodies/cells/submission_title.html",
               css="title"),
        Column("body", pgettext_lazy(ctx, "To"), order=("body",), css="nowrap"),
        Column("unit", pgettext_lazy(ctx, "Drafting unit"), order=("drafting_unit__name",)),
        Column("submitted", pgettext_lazy(ctx, "Submitted on"), order=("submitted_on",), cell="cells/date.html",
               css="nowrap num"),
        Column("status", pgettext_lazy(ctx, "Status"), order=("status",), css="nowrap"),
    )
    filters = (
        Filter.choice("status", pgettext_lazy(ctx, "Status"), Submission.Status.choices),
        Filter.choice("body", pgettext_lazy(ctx, "To"), bodies),
        *Filter.dates("submitted", pgettext_lazy(ctx, "Submitted from"), pgettext_lazy(ctx, "Submitted to"),
                      "submitted_on"),
    )
    return Table(request, columns, filters=filters, default="", page_size=PAGE_SIZE)


def _submission_list_context(request, today):
    from zhengwu.web.templatetags.zw import book_name

    table = _submission_table(request, today)
    qs = access.visible_submissions(request.user, on=today).select_related("drafting_unit").order_by("-id")
    page = table.page(table.apply(qs))
    names = rules.param("affairs.submission_bodies", today)
    rows = [{"s": x, "pk": x.pk, "title": x.title, "body": book_name(names.get(x.body, x.body)),
             "unit": x.drafting_unit.name if x.drafting_unit_id else "", "submitted": x.submitted_on,
             "status": x.get_status_display()} for x in page.object_list]
    from zhengwu.meetings.models import AgendaItem

    prior = AgendaItem.objects.filter(meeting__government_id=request.user.government_id,
                                      meeting__meeting_type__in=rules.param("affairs.party_committee_prior_meetings",
                                                                            today),
                                      outcome__in=rules.param("decisions.approving_outcomes", today)) \
        .select_related("meeting").order_by("-id")[:50]
    return {"page": page, "query": table.query, "rows": rows, "table": table, "kinds": _kind_choices(today),
            "bodies": rules.param("affairs.submission_bodies", today),
            "matters": rules.param("affairs.party_committee_matters", today).items(), "prior_items": prior}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def submission_list(request):
    today = rules.today()
    if request.method == "POST":
        p = request.POST
        body, _sep, kind = (p.get("body_kind") or "").partition(":")
        try:
            item = services.submission_create(
                actor=request.user, body=body, kind=kind, title=p.get("title"), content=p.get("content"),
                suggestions=p.get("suggestions", ""), committee_matter=p.get("committee_matter", ""),
                prior_item_id=p.get("prior_item_id") or None, on=today)
        except Refused as e:
            return _form_error(request, "bodies/submissions.html", _submission_list_context(request, today), e, p)
        messages.success(request, _("Saved."))
        return redirect("affairs:bodies:submission", item.pk)
    return render(request, "bodies/submissions.html", _submission_list_context(request, today))


def _submission_ctx(request, item, today):
    kinds = rules.param("affairs.submission_kinds", today).get(item.body, {})
    office = access.is_office_staff(request.user, today)
    return {"s": item, "body_label": rules.param("affairs.submission_bodies", today).get(item.body, ""),
            "kind_label": kinds.get(item.kind, ""),
            "matter_label": rules.param("affairs.party_committee_matters", today).get(item.committee_matter, ""),
            "can": {"submit": item.status == Submission.Status.DRAFT,
                    "response": office and item.status == Submission.Status.SUBMITTED,
                    "feedback": office and item.status == Submission.Status.ANSWERED and item.body == "party_committee"}}


@login_required
@require_safe
def submission_detail(request, submission_id):
    return _detail(request, submission_id, access.submission_visible, "bodies/submission.html", _submission_ctx)


SUBMISSION_ACTIONS = {
    "submit": lambda me, pk, p, on: services.submission_submit(actor=me, submission_id=pk, on=on),
    "response": lambda me, pk, p, on: services.submission_response(
        actor=me, submission_id=pk, response=p.get("response", ""), response_on=p.get("response_on") or None, on=on),
    "feedback": lambda me, pk, p, on: services.submission_feedback(actor=me, submission_id=pk,
                                                                   feedback=p.get("feedback", ""), on=on),
}


@login_required
@require_POST
def submission_act(request, submission_id, action):
    out = _act(request, submission_id, action, SUBMISSION_ACTIONS, access.submission_visible,
               "bodies/submission.html", _submission_ctx)
    return out if not isinstance(out, Submission) else redirect("affairs:bodies:submission", out.pk)
