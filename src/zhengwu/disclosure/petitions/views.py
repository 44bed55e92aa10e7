"""Pages of the 信访 register (art. 43) and the public consultations (art. 42): the cases with their
lights, one case with its timeline and the forms its people may use (the office: register, route,
notice, 复查/复核, hard case, 包案/阅批; the unit: accept, object, extension, 办结; the 督查指挥中心:
onto the ledger), a page per leader (接访日, 包案, 阅批), the consultations with comments and results.
Views read through access.py and write only through services.py; a `Refused` is shown on the page
with its message and violations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from zhengwu import rules
from zhengwu.audit import catalogue
from zhengwu.audit.selectors import history_for
from zhengwu.errors import Refused
from zhengwu.org import selectors as org
from zhengwu.web.present import book_name, refused_page

from . import access, selectors, services
from .models import LeaderRecord, Petition

S = Petition.Status


def _list_context(me, today, status: str = "") -> dict:
    qs = access.visible_petitions(me, on=today)
    if status in S.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    rows = selectors.with_lights(qs.order_by("-received_on", "-id")[:200], today)
    return {"rows": rows, "counts": selectors.counts(rows), "status": status, "statuses": S.choices,
            "office": access.is_office(me, today), "types": _named("petitions.types", today).items(),
            "channels": _named("petitions.channels", today).items(), "today": today}


def _named(param: str, today) -> dict[str, str]:
    """A parameter's code -> name mapping with the names in the reader's language (the book's glossary)."""
    book = rules.lib().current
    return {k: book_name(book, v) for k, v in rules.param(param, today).items()}


@login_required
@require_safe
def petition_list(request):
    today = rules.today()
    return render(request, "petitions/list.html", _list_context(request.user, today, request.GET.get("status", "")))


@login_required
@require_POST
def petition_register(request):
    today, p = rules.today(), request.POST
    try:
        item = services.petition_register(
            actor=request.user, kind=p.get("kind", ""), channel=p.get("channel", ""), petitioner=p.get("petitioner", ""),
            contact=p.get("contact", ""), subject=p.get("subject", ""), content=p.get("content", ""),
            received_on=p.get("received_on") or None, on=today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        ctx = _list_context(request.user, today)
        ctx.update(refusal=e, values=p)
        return render(request, "petitions/list.html", ctx, status=e.status)
    messages.success(request, _("Saved."))
    return redirect("disclosure:petitions:detail", item.pk)


def _detail_context(me, p: Petition, today) -> dict:
    units = access.own_unit_ids(me, today)
    office = access.is_office(me, today)
    routing = rules.check("petitions.routing", services.routing_facts(p, today), on=today,
                          only=["R43.route_in_time", "R43.notice_in_time"]) if p.status != S.ANSWERED else []
    return {
        "p": p, "light": selectors.light(p, today), "office": office,
        "unit_turn": p.unit_id is not None and p.unit_id in units,
        "center": org.is_supervision_staff(me, today),
        "kind_label": _named("petitions.types", today).get(p.kind, ""),
        "channel_label": _named("petitions.channels", today).get(p.channel, ""),
        "findings": routing, "objections": list(p.objections.select_related("unit", "objected_by")),
        "reviews": list(p.reviews.all()), "leader_records": list(p.leader_records.select_related("leader")),
        "units": org.units(me.government).exclude(kind=org.OFFICE_UNIT_KIND) if office else [],
        "leaders": access.leaders(me.government, today) if office else [],
        # what was done and when, the action named in the reader's language
        "history": [(e.at, catalogue.display_label(e.action)) for e in history_for(services.OBJ, str(p.pk))]
        if office else [],
        "opinion_fields": _named("petitions.opinion_fields", today),
        "max_extension": rules.param("petitions.extension_days", today), "today": today,
    }


@login_required
@require_safe
def petition_detail(request, petition_id):
    today = rules.today()
    try:
        p = access.petition_visible(request.user, petition_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "petitions/detail.html", _detail_context(request.user, p, today))


ACTIONS = {
    "route": lambda me, pk, p, on: services.petition_route(actor=me, petition_id=pk, unit_id=p.get("unit_id"),
                                                           basis=p.get("basis", ""), on=on),
    "notify": lambda me, pk, p, on: services.petition_notify(actor=me, petition_id=pk, text=p.get("text", ""),
                                                             noticed_on=p.get("noticed_on") or None, on=on),
    "object": lambda me, pk, p, on: services.petition_object(actor=me, petition_id=pk, reason=p.get("reason", ""), on=on),
    "accept": lambda me, pk, p, on: services.petition_accept(actor=me, petition_id=pk, on=on),
    "extend": lambda me, pk, p, on: services.extension_request(actor=me, petition_id=pk, days=p.get("days"),
                                                               reason=p.get("reason", ""), on=on),
    "answer": lambda me, pk, p, on: services.petition_answer(
        actor=me, petition_id=pk, facts=p.get("facts", ""), basis=p.get("basis", ""),
        conclusion=p.get("conclusion", ""), review_right=p.get("review_right", ""), on=on),
    "review": lambda me, pk, p, on: services.review_request(actor=me, petition_id=pk, level=p.get("level", ""),
                                                            reason=p.get("reason", ""),
                                                            asked_on=p.get("asked_on") or None, on=on),
    "review-decide": lambda me, pk, p, on: services.review_decide(actor=me, petition_id=pk,
                                                                  opinion=p.get("opinion", ""), on=on),
    "hard-case": lambda me, pk, p, on: services.hard_case_mark(actor=me, petition_id=pk, reason=p.get("reason", ""),
                                                               on=on),
    "to-ledger": lambda me, pk, p, on: services.hard_case_to_ledger(actor=me, petition_id=pk, on=on),
}


@login_required
@require_POST
def petition_act(request, petition_id, action):
    today = rules.today()
    fn = ACTIONS.get(action)
    try:
        p = access.petition_visible(request.user, petition_id, on=today)
        if fn is None:
            raise Refused(_("Unknown action."), field="action", status=404)
        fn(request.user, p.pk, request.POST, today)
    except Refused as e:
        if e.status in (403, 404) or fn is None:
            return refused_page(request, e)
        p = Petition.objects.select_related("unit").get(pk=p.pk)
        ctx = _detail_context(request.user, p, today)
        ctx.update(refusal=e, refused_action=action, values=request.POST)
        return render(request, "petitions/detail.html", ctx, status=e.status)
    messages.success(request, _("Saved."))
    return redirect("disclosure:petitions:detail", p.pk)


# ---- leaders ------------------------------------------------------------------------------------

@login_required
@require_safe
def leader_index(request):
    today = rules.today()
    leaders = access.leaders(request.user.government, today) if request.user.government_id else []
    return render(request, "petitions/leaders.html", {"leaders": leaders, "office": access.is_office(request.user, today),
                                                     "kinds": LeaderRecord.Kind.choices, "today": today})


def _leader_records(me, leader, today):
    """The leader's records; a 包案 or 阅批 shows only if the reader may see its case."""
    visible = access.visible_petitions(me, on=today).values("pk")
    return (LeaderRecord.objects.filter(government_id=me.government_id, leader=leader)
            .filter(Q(petition__isnull=True) | Q(petition__in=visible)).select_related("petition"))


@login_required
@require_safe
def leader_page(request, leader_id):
    today = rules.today()
    leader = next((x for x in access.leaders(request.user.government, today) if x.pk == leader_id), None) \
        if request.user.government_id else None
    if leader is None:
        return refused_page(request, Refused(_("Not found."), status=404))
    records = list(_leader_records(request.user, leader, today))
    return render(request, "petitions/leader.html", {
        "leader": leader, "receptions": [r for r in records if r.kind == "reception"],
        "cases": [r for r in records if r.kind == "case"], "readings": [r for r in records if r.kind == "reading"],
        "today": today})


@login_required
@require_POST
def leader_record(request):
    today, p = rules.today(), request.POST
    try:
        rec = services.leader_record(actor=request.user, leader_id=p.get("leader_id"), kind=p.get("kind", ""),
                                     on_day=p.get("on_day") or None, place=p.get("place", ""),
                                     petition_id=p.get("petition_id") or None, note=p.get("note", ""), on=today)
    except Refused as e:
        return refused_page(request, e)
    messages.success(request, _("Saved."))
    return redirect("disclosure:petitions:leader", rec.leader_id)


# ---- consultations (art. 42) ------------------------------------------------------------------------

@login_required
@require_safe
def consultation_list(request):
    today = rules.today()
    items = list(access.visible_consultations(request.user).select_related("unit"))
    return render(request, "petitions/consultations.html", {
        "items": items, "office": access.is_office(request.user, today), "today": today,
        "units": org.units(request.user.government) if request.user.government_id else [],
        "min_days": rules.param("consultations.min_days_major", today)})


@login_required
@require_POST
def consultation_open(request):
    today, p = rules.today(), request.POST
    try:
        c = services.consultation_open(actor=request.user, title=p.get("title", ""), text=p.get("text", ""),
                                       unit_id=p.get("unit_id"), opens_on=p.get("opens_on"),
                                       closes_on=p.get("closes_on"), major=p.get("major") == "1",
                                       channels=p.get("channels", ""), on=today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        items = list(access.visible_consultations(request.user).select_related("unit"))
        return render(request, "petitions/consultations.html", {
            "items": items, "office": True, "today": today, "refusal": e, "values": p,
            "units": org.units(request.user.government),
            "min_days": rules.param("consultations.min_days_major", today)}, status=e.status)
    messages.success(request, _("Saved."))
    return redirect("disclosure:petitions:consultation", c.pk)


def _consultation_context(me, c, today) -> dict:
    return {"c": c, "comments": list(c.comments.all()), "office": access.is_office(me, today), "today": today,
            "window_open": c.opens_on <= today <= c.closes_on}


@login_required
@require_safe
def consultation_detail(request, consultation_id):
    today = rules.today()
    try:
        c = access.consultation_visible(request.user, consultation_id)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "petitions/consultation.html", _consultation_context(request.user, c, today))


CONSULTATION_ACTIONS = {
    "comment": lambda me, pk, p, on: services.comment_record(actor=me, consultation_id=pk, author=p.get("author", ""),
                                                             text=p.get("text", ""),
                                                             received_on=p.get("received_on") or None, on=on),
    "publish": lambda me, pk, p, on: services.consultation_publish(actor=me, consultation_id=pk,
                                                                   summary=p.get("summary", ""),
                                                                   adoption=p.get("adoption", ""), on=on),
}


@login_required
@require_POST
def consultation_act(request, consultation_id, action):
    today = rules.today()
    fn = CONSULTATION_ACTIONS.get(action)
    try:
        c = access.consultation_visible(request.user, consultation_id)
        if fn is None:
            raise Refused(_("Unknown action."), field="action", status=404)
        fn(request.user, c.pk, request.POST, today)
    except Refused as e:
        if e.status in (403, 404) or fn is None:
            return refused_page(request, e)
        c = access.consultation_visible(request.user, consultation_id)
        ctx = _consultation_context(request.user, c, today)
        ctx.update(refusal=e, refused_action=action, values=request.POST)
        return render(request, "petitions/consultation.html", ctx, status=e.status)
    messages.success(request, _("Saved."))
    return redirect("disclosure:petitions:consultation", c.pk)

