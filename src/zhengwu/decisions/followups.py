"""Follow-up of a decided dossier (art. 30, 32, 76–77): escalation to the 区委 or the 区人大,
implementation tracking and the post-decision evaluation, as workflow approvals (obj_type
"decisions.followup", obj_id the dossier's id), so the engine's reminders, overdue escalation and
`zhengwu tick` apply to them as to the filing and evaluation of normative documents
(documents/issuing.py). Completing such a task — from the inbox or through
services.followup_report — is recorded on the dossier by the hook below."""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from zhengwu.audit.services import audit_append
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import declare, note_exercised
from zhengwu.workflow import hooks
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Approval

OBJ_FOLLOWUP = "decisions.followup"
OBJ = "decisions.major_decision"
OFFICE_UNIT_KIND = "gov_office"

ESCALATION_ROUTES = {"party_committee": "decisions.escalate_party_committee",
                     "people_congress": "decisions.escalate_people_congress"}
IMPLEMENTATION_ROUTE = "decisions.implementation"
EVALUATION_ROUTE = "decisions.evaluation"

IMPLEMENTATION = declare("W32.implementation", article=32, kind="reminder",
                         summary="重大决策执行情况跟踪（办理时限、催办、逾期督办）")
EVALUATION = declare("W32.evaluation", article=32, kind="reminder", summary="重大决策执行效果评估提醒")
ESCALATION = declare("W76.escalation", article=76, kind="reminder",
                     summary="会议原则同意后报送区委常委会（或提请区人大）的提醒与督办")


def lead_unit(dossier) -> Unit | None:
    """Who carries the decision out: the unit named for it, else the proposing unit, else the office."""
    return (dossier.implementation_lead or dossier.proposing_unit
            or Unit.objects.filter(government=dossier.government, kind=OFFICE_UNIT_KIND).order_by("id").first())


def start(actor: Person, dossier, route_id: str, on: dt.date, *, unit: Unit | None = None) -> Approval:
    note_exercised(ESCALATION if route_id in ESCALATION_ROUTES.values()
                   else IMPLEMENTATION if route_id == IMPLEMENTATION_ROUTE else EVALUATION)
    return wf.approval_start(actor=actor, route_id=route_id, obj_type=OBJ_FOLLOWUP, obj_id=str(dossier.pk),
                             title=dossier.title, urgency="一般", applicant_unit=unit or lead_unit(dossier), on=on)


def start_implementation(actor: Person, dossier, on: dt.date) -> None:
    """Art. 30, 32: track how the decision is carried out, and remind of its evaluation."""
    start(actor, dossier, IMPLEMENTATION_ROUTE, on)
    start(actor, dossier, EVALUATION_ROUTE, on)


def _on_task_done(approval: Approval, task, actor: Person, on: dt.date) -> None:
    from .models import Escalation, MajorDecision

    dossier = MajorDecision.objects.filter(pk=int(approval.obj_id)).first()
    if dossier is None:
        return
    text = (task.opinion or task.decision or "").strip()
    if approval.route_id in ESCALATION_ROUTES.values() and task.step_id == "submit":
        body = next(b for b, r in ESCALATION_ROUTES.items() if r == approval.route_id)
        esc = Escalation.objects.filter(dossier=dossier, body=body, status=Escalation.Status.PENDING).first()
        if esc is not None:  # done from the inbox: the office director's completion is the submission
            from .services import _escalation_facts, _submitting_unit
            from zhengwu import rules

            name, kind = _submitting_unit(actor, on)
            rules.enforce("decisions.escalation", _escalation_facts(dossier, body, outcome=dossier.outcome,
                                                                   unit_name=name, unit_kind=kind), on=on)
            from .services import _mark_submitted

            _mark_submitted(actor, dossier, body, text or "已报送", on)
    elif approval.route_id == IMPLEMENTATION_ROUTE:
        note = f"{dossier.implementation_note}\n{on.isoformat()} {text}".strip()
        MajorDecision.objects.filter(pk=dossier.pk).update(implementation_note=note, version=F("version") + 1)
        audit_append(actor=actor, action="decisions.dossier.implementation", obj_type=OBJ, obj_id=str(dossier.pk),
                     after={"implementation_note": text, "on": on.isoformat()}, article=32,
                     summary=f"登记执行情况：{dossier.title}")
    elif approval.route_id == EVALUATION_ROUTE:
        MajorDecision.objects.filter(pk=dossier.pk).update(
            evaluation_note=text, evaluated_on=on, status=MajorDecision.Status.EVALUATED, version=F("version") + 1)
        audit_append(actor=actor, action="decisions.dossier.evaluate", obj_type=OBJ, obj_id=str(dossier.pk),
                     before={"status": dossier.status}, after={"evaluation_note": text, "evaluated_on": on.isoformat(),
                                                               "status": MajorDecision.Status.EVALUATED},
                     article=32, summary=f"决策执行效果评估：{dossier.title}")


hooks.register(OBJ_FOLLOWUP, on_task_done=_on_task_done)
