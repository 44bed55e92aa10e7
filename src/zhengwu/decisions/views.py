"""Web pages of the 三重一大 dossiers: the list, one dossier with its procedure checklist and its
readiness for the agenda (each missing procedure with its article), and the forms to open a
dossier, record a procedure, ask a unit's views and record its reply.

Views read through access.py and write only through services.py; a `Refused` is shown on the page
with its message and violations (status 400/403/404/409)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from zhengwu import rules
from zhengwu.errors import Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Unit
from zhengwu.web.present import refused_page

from . import access, selectors, services
from .models import MajorDecision

PAGE_SIZE = 30


@login_required
@require_safe
def dossier_list(request):
    """The dossiers the person may see, newest first, 30 to a page, filtered by status."""
    me = request.user
    today = rules.today()
    status = request.GET.get("status", "")
    qs = access.visible_dossiers(me, on=today).select_related("proposing_unit").order_by("-created_at", "-id")
    if status in MajorDecision.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    types = rules.param("decisions.dossier_types", today)
    return render(request, "decisions/list.html", {
        "page": page, "rows": [{"d": d, "type": types.get(d.matter_type, d.matter_type)} for d in page.object_list],
        "status": status, "statuses": MajorDecision.Status.choices,
        "can_create": access.is_office_staff(me, today) or any(p.unit_id for p in org.positions_of(me, today)),
    })


def _form_context(request, today, values=None, refusal=None):
    me = request.user
    gov = me.government
    office = access.is_office_staff(me, today)
    own = [p.unit for p in org.positions_of(me, today) if p.unit_id]
    units = list(Unit.objects.filter(government=gov, active=True).order_by("order", "id")) if gov else []
    return {
        "values": values or {}, "refusal": refusal, "office": office,
        "proposing_units": units if office else [u for u in own if u.kind != access.OFFICE_UNIT_KIND],
        "units": units,
        "types": rules.param("decisions.dossier_types", today).items(),
        "aspects": rules.param("decisions.evaluation_aspects", today).items(),
        "committee_matters": rules.param("affairs.party_committee_matters", today).items(),
        "congress_matters": rules.param("decisions.congress_matters", today).items(),
        "org_ranks": rules.param("affairs.org_ranks", today).items(),
    }


def _payload(post) -> dict:
    data = {
        "title": post.get("title", ""), "matter_type": post.get("matter_type", ""),
        "summary": post.get("summary", ""), "research_done": post.get("research_done") == "on",
        "research_ref": post.get("research_ref", ""),
        "unit_collective_discussion_ref": post.get("unit_collective_discussion_ref", ""),
        "evaluations": post.getlist("evaluations"), "evaluated_by": post.get("evaluated_by", ""),
        "public_interest": post.get("public_interest") == "on",
        "committee_matter": post.get("committee_matter", ""), "congress_matter": post.get("congress_matter", ""),
        "org_rank": post.get("org_rank", ""), "report_to_committee": post.get("report_to_committee") == "on",
        "affected_unit_ids": [v for v in post.getlist("affected_unit_ids") if v],
    }
    amount = post.get("amount_yuan", "").strip()
    if amount:
        try:
            data["amount_yuan"] = int(amount)
        except ValueError:
            raise Refused("金额须为整数（元）", field="amount_yuan") from None
    if post.get("proposing_unit_id"):
        data["proposing_unit_id"] = post.get("proposing_unit_id")
    if post.get("submitted_on"):
        data["submitted_on"] = post.get("submitted_on")
    return data


@login_required
def dossier_new(request):
    """Open a dossier: in the name of one's unit, or (the office) the government's own."""
    today = rules.today()
    if request.method == "POST":
        try:
            d = services.dossier_create(actor=request.user, data=_payload(request.POST), on=today)
        except Refused as e:
            if e.status in (403, 404):
                return refused_page(request, e)
            return render(request, "decisions/new.html", _form_context(request, today, request.POST, e), status=400)
        messages.success(request, _("Dossier opened."))
        return redirect("decisions:detail", d.pk)
    return render(request, "decisions/new.html", _form_context(request, today))


def _detail_context(request, dossier, today, refusal=None, form=None):
    me = request.user
    labels = rules.param("decisions.step_labels", today)
    required = rules.param("decisions.required_steps", today)
    before = selectors.steps_before_agenda(today)
    done = {p.step: p for p in dossier.procedures.select_related("recorded_by")}
    missing = selectors.missing_steps(dossier, on=today)
    try:
        found = selectors.readiness(dossier, on=today)
    except Exception:  # noqa: BLE001 - facts the rulebook cannot judge yet (e.g. no amount)
        found = []
    can_edit = dossier.status in services.EDITABLE and _may(access.dossier_for_edit, me, dossier, today)
    said = {m.article for m in missing}
    others = [v for v in found if v.article not in said]
    return {
        "d": dossier, "refusal": refusal, "form": form or {},
        "type_label": rules.param("decisions.dossier_types", today).get(dossier.matter_type, dossier.matter_type),
        "meeting_label": rules.param("meetings.types", today).get(dossier.meeting_type, dossier.meeting_type),
        "checklist": [{"code": c, "label": labels.get(c, c), "record": done.get(c), "at_meeting": c not in before}
                      for c in required],
        "missing": missing, "missing_30": [m for m in missing if m.article == 30],
        # the ✗ list says each missing piece once with its article; the rules' own findings are shown
        # besides only where no ✗ item already says it (another article), and the count is of both
        "violations": others, "blocks": [*missing, *(v for v in others if v.blocks)],
        "aspects": [(code, label, code in (dossier.evaluations or []))
                    for code, label in rules.param("decisions.evaluation_aspects", today).items()],
        "reviewers": rules.param("decisions.legality_reviewers", today).items(),
        "steps": [(c, labels.get(c, c)) for c in before],  # the meeting's own is recorded when it decides
        "consultations": list(dossier.consultations.select_related("unit")),
        "affected": [a.unit for a in dossier.affected_units.select_related("unit")],
        "units": Unit.objects.filter(government=dossier.government, active=True).exclude(pk=dossier.proposing_unit_id)
                 .order_by("order", "id"),
        "escalations": list(dossier.escalations.all()),
        "bodies": rules.param("decisions.escalation_bodies", today),
        "followups": selectors.followup_tasks(dossier),
        "can_edit": can_edit, "today": today, "office": access.is_office_staff(me, today),
    }


def _may(check, person, dossier, on) -> bool:
    try:
        check(person, dossier.pk, on=on)
        return True
    except Refused:
        return False


@login_required
@require_safe
def dossier_detail(request, dossier_id: int):
    today = rules.today()
    try:
        d = access.dossier_visible(request.user, dossier_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    return render(request, "decisions/detail.html", _detail_context(request, d, today))


def _act(request, dossier_id: int, form: str, call, form_id: int | None = None):
    today = rules.today()
    try:
        d = access.dossier_visible(request.user, dossier_id, on=today)
    except Refused as e:
        return refused_page(request, e)
    try:
        call(today)
    except Refused as e:
        if e.status in (403, 404):
            return refused_page(request, e)
        d.refresh_from_db()
        ctx = _detail_context(request, d, today, refusal=e, form={"name": form, "id": form_id, "values": request.POST})
        return render(request, "decisions/detail.html", ctx, status=e.status)
    return redirect("decisions:detail", d.pk)


@login_required
@require_POST
def procedure_record(request, dossier_id: int):
    p = request.POST

    def call(today):
        services.procedure_record(actor=request.user, dossier_id=dossier_id, step=p.get("step", ""),
                                  done_on=p.get("done_on", ""), evidence=p.get("evidence", ""),
                                  legality_reviewer=(p.get("legality_reviewer") or None)
                                  if p.get("step") == "legality_review" else None, on=today)
        messages.success(request, _("Procedure recorded."))
    return _act(request, dossier_id, "procedure", call)


@login_required
@require_POST
def consultation_ask(request, dossier_id: int):
    p = request.POST

    def call(today):
        services.consultation_ask(actor=request.user, dossier_id=dossier_id, unit_id=p.get("unit_id"),
                                  asked_on=p.get("asked_on", ""), on=today)
        messages.success(request, _("Consultation recorded."))
    return _act(request, dossier_id, "consult", call)


@login_required
@require_POST
def consultation_reply(request, dossier_id: int, consultation_id: int):
    p = request.POST

    def call(today):
        c = services.consultation_reply(actor=request.user, consultation_id=consultation_id,
                                        reply=p.get("reply", ""), replied_on=p.get("replied_on", ""), on=today)
        if c.dossier_id != dossier_id:
            raise Refused("该征求意见不属于此事项", field="consultation_id")
        messages.success(request, _("Reply recorded."))
    return _act(request, dossier_id, "reply", call, consultation_id)


@login_required
@require_POST
def preparation_update(request, dossier_id: int):
    """Art. 30 preparation: research, the unit's collective discussion, the evaluation, the
    stability assessment and hearing."""
    p = request.POST

    def call(today):
        services.dossier_update(actor=request.user, dossier_id=dossier_id, data={
            "research_done": p.get("research_done") == "on", "research_ref": p.get("research_ref", ""),
            "unit_collective_discussion_ref": p.get("unit_collective_discussion_ref", ""),
            "evaluations": p.getlist("evaluations"), "evaluated_by": p.get("evaluated_by", ""),
            "public_interest": p.get("public_interest") == "on",
            "stability_risk_assessment": p.get("stability_risk_assessment") == "on",
            "stability_ref": p.get("stability_ref", ""), "hearing_held": p.get("hearing_held") == "on",
            "hearing_ref": p.get("hearing_ref", "")}, on=today)
        messages.success(request, _("Preparation updated."))
    return _act(request, dossier_id, "preparation", call)


@login_required
@require_POST
def escalation_result(request, dossier_id: int, body: str):
    """The office records the 区委's (区人大's) decision on a submitted matter (art. 76(四), 77)."""
    p = request.POST

    def call(today):
        agreed = {"yes": True, "no": False}.get(p.get("agreed", ""))
        if agreed is None:
            raise Refused("请选择是否同意", field="agreed")
        services.escalation_record_result(actor=request.user, dossier_id=dossier_id, body=body, agreed=agreed,
                                          result=p.get("result", ""), decided_on=p.get("decided_on", ""), on=today)
        messages.success(request, _("Result recorded."))
    return _act(request, dossier_id, "escalation", call)
