"""Follow-up of a decided dossier (art. 30, 32, 76–77): escalation to the 区委 or the 区人大,
the report to the 区委 of a matter the 区政府 decided (76(二)), the office's feedback to the 区委 on
what it agreed (76(四)), implementation tracking and the post-decision evaluation, as workflow approvals (obj_type
"decisions.followup", obj_id the dossier's id), so the engine's reminders, overdue escalation and
`zhengwu tick` apply to them as to the filing and evaluation of normative documents
(documents/issuing.py). Completing such a task — from the inbox or through
services.followup_report — is recorded on the dossier by the hook below."""

from __future__ import annotations

import datetime as dt


from zhengwu.audit.services import audit_append
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import declare, note_exercised, starts
from zhengwu.transitions import transition
from zhengwu.workflow import subjects
from zhengwu.workflow.selectors import route_article
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Approval
from zhengwu.workflow.subjects import RouteContract, Subject

from . import task_view

OBJ_FOLLOWUP = "decisions.followup"
OBJ = "decisions.major_decision"
OFFICE_UNIT_KIND = "gov_office"

ESCALATION_ROUTES = {"party_committee": "decisions.escalate_party_committee",
                     "people_congress": "decisions.escalate_people_congress"}
IMPLEMENTATION_ROUTE = "decisions.implementation"
EVALUATION_ROUTE = "decisions.evaluation"
REPORT_ROUTE = "decisions.report_party_committee"  # art. 76(二)
FEEDBACK_ROUTE = "decisions.feedback_party_committee"  # art. 76(四)
starts(*ESCALATION_ROUTES.values(), IMPLEMENTATION_ROUTE, EVALUATION_ROUTE,  # for `rules coverage`
       REPORT_ROUTE, FEEDBACK_ROUTE)

IMPLEMENTATION = declare("W32.implementation", article=32, kind="reminder",
                         summary="重大决策执行情况跟踪（办理时限、催办、逾期督办）")
EVALUATION = declare("W32.evaluation", article=32, kind="reminder", summary="重大决策执行效果评估提醒")
ESCALATION = declare("W76.escalation", article=76, kind="reminder",
                     summary="会议原则同意后报送区委常委会（或提请区人大）的提醒与督办")
REPORT = declare("W76.report", article=76, kind="reminder", summary="区政府研究决定的事项向区委报告的提醒与督办")
FEEDBACK = declare("W76.feedback", article=76, kind="reminder", summary="区委同意事项落实情况反馈区委的提醒与督办")


def lead_unit(dossier) -> Unit | None:
    """Who carries the decision out: the unit named for it, else the proposing unit, else the office."""
    return (dossier.implementation_lead or dossier.proposing_unit
            or Unit.objects.filter(government=dossier.government, kind=OFFICE_UNIT_KIND).order_by("id").first())


def start(actor: Person, dossier, route_id: str, on: dt.date, *, unit: Unit | None = None) -> Approval:
    note_exercised(ESCALATION if route_id in ESCALATION_ROUTES.values()
                   else {IMPLEMENTATION_ROUTE: IMPLEMENTATION, REPORT_ROUTE: REPORT,
                         FEEDBACK_ROUTE: FEEDBACK}.get(route_id, EVALUATION))
    return wf.approval_start(actor=actor, route_id=route_id, obj_type=OBJ_FOLLOWUP, obj_id=str(dossier.pk),
                             title=dossier.title, urgency="一般", applicant_unit=unit or lead_unit(dossier), on=on)


def start_implementation(actor: Person, dossier, on: dt.date) -> None:
    """Art. 30, 32: track how the decision is carried out, and remind of its evaluation."""
    start(actor, dossier, IMPLEMENTATION_ROUTE, on)
    start(actor, dossier, EVALUATION_ROUTE, on)


def _text(task) -> str:
    return (task.opinion or task.decision or "").strip()


def _body_of(approval: Approval) -> str:
    return next(b for b, r in ESCALATION_ROUTES.items() if r == approval.route_id)


def escalation_guard(approval: Approval, task, actor: Person, decision: str, opinion: str, on: dt.date):
    """报送区委/区人大 (art. 76, 77): who submits and on what outcome, checked whichever door completes it."""
    from zhengwu import rules

    from .models import Escalation
    from .services import _escalation_facts, _submitting_unit

    dossier = _load(approval.obj_id)
    if dossier is None or not Escalation.objects.filter(dossier=dossier, body=_body_of(approval),
                                                        status=Escalation.Status.PENDING).exists():
        return []
    name, kind = _submitting_unit(actor, on)
    return rules.check("decisions.escalation", _escalation_facts(dossier, _body_of(approval), outcome=dossier.outcome,
                                                                 unit_name=name, unit_kind=kind), on=on)


def on_escalation_submitted(approval: Approval, task, actor: Person, on: dt.date) -> None:
    """Done from the inbox (or followup_report): the office director's completion is the submission."""
    from .models import Escalation
    from .services import _mark_submitted

    dossier = _load(approval.obj_id)
    if dossier is None or task.step_id != "submit":
        return
    if Escalation.objects.filter(dossier=dossier, body=_body_of(approval), status=Escalation.Status.PENDING).exists():
        _mark_submitted(actor, dossier, _body_of(approval), _text(task) or "已报送", on)


def _append_dated(approval: Approval, task, actor: Person, on: dt.date, field: str, action: str, summary: str,
                  **also) -> None:
    """Add the task's text, dated, to a running record of the dossier (`field`), audited."""
    dossier = _load(approval.obj_id)
    if dossier is None:
        return
    text = _text(task)
    note = f"{getattr(dossier, field)}\n{on.isoformat()} {text}".strip()
    transition(dossier, expect=[dossier.status], versioned=False, **{field: note}, **also)
    audit_append(actor=actor, action=action, obj_type=OBJ, obj_id=str(dossier.pk),
                 after={field: text, "on": on.isoformat()}, article=route_article(approval),
                 summary=f"{summary}：{dossier.title}")


def on_implementation_reported(approval: Approval, task, actor: Person, on: dt.date) -> None:
    _append_dated(approval, task, actor, on, "implementation_note", "decisions.dossier.implementation", "登记执行情况")


def on_evaluated(approval: Approval, task, actor: Person, on: dt.date) -> None:
    from .models import MajorDecision

    dossier = _load(approval.obj_id)
    if dossier is None:
        return
    text, was = _text(task), dossier.status
    transition(dossier, expect=[MajorDecision.Status.DECIDED, MajorDecision.Status.IMPLEMENTING,
                                MajorDecision.Status.EVALUATED],
               to=MajorDecision.Status.EVALUATED, versioned=False, evaluation_note=text, evaluated_on=on)
    audit_append(actor=actor, action="decisions.dossier.evaluate", obj_type=OBJ, obj_id=str(dossier.pk),
                 before={"status": was}, after={"evaluation_note": text, "evaluated_on": on.isoformat(),
                                                "status": MajorDecision.Status.EVALUATED},
                 article=route_article(approval), summary=f"决策执行效果评估：{dossier.title}")


def _report_facts(approval: Approval, actor: Person, opinion: str, on: dt.date):
    from zhengwu.rulebook.rules.decisions import FEEDBACK, PARTY_COMMITTEE

    from .services import report_facts

    dossier = _load(approval.obj_id)
    if dossier is None:
        return None, None
    if approval.route_id == REPORT_ROUTE:
        return dossier, report_facts(dossier, actor, content=opinion or "", reported_on=on)
    agreed = dossier.escalations.filter(body=PARTY_COMMITTEE).values_list("decided_on", flat=True).first()
    return dossier, report_facts(dossier, actor, content=opinion or "", reported_on=on, kind=FEEDBACK, since=agreed)


def report_guard(approval: Approval, task, actor: Person, decision: str, opinion: str, on: dt.date):
    """向区委报告 / 落实情况反馈区委 (art. 76(二), (四)): by the office, with what it reports, after the
    decision it follows -- checked whichever door completes the task."""
    from zhengwu import rules

    opinion = (opinion or "").strip()
    dossier, facts = _report_facts(approval, actor, opinion, on)
    if facts is None or (approval.route_id == REPORT_ROUTE and dossier.committee_reported_on):
        return []
    found = rules.check("decisions.report", facts, on=on)
    if not opinion:  # asked before any opinion (who may act: workflow.access): not yet about what is reported
        found = [v for v in found if v.field not in ("reference", "note")]
    return found


def on_reported(approval: Approval, task, actor: Person, on: dt.date) -> None:
    """The office director's completion of the report task is the report (unless already recorded)."""
    from .services import mark_reported

    dossier = _load(approval.obj_id)
    if dossier is not None and not dossier.committee_reported_on:
        mark_reported(actor, dossier, _text(task), on)


def on_feedback(approval: Approval, task, actor: Person, on: dt.date) -> None:
    """The office's feedback to the 区委 (art. 76(四)), recorded on the dossier."""
    _append_dated(approval, task, actor, on, "committee_feedback", "decisions.dossier.committee_feedback",
                  "落实情况反馈区委", committee_feedback_on=on)


def _load(obj_id):
    from .models import MajorDecision

    return MajorDecision.objects.filter(pk=int(obj_id)).first()


subjects.register(Subject(
    obj_type=OBJ_FOLLOWUP, label="“三重一大”事项落实", load=_load, title=lambda d: d.title,
    url=lambda d: f"/decisions/{d.pk}/", summary=lambda d: d.summary[:120],
    fragment=task_view.FRAGMENT, fragment_context=task_view.fragment_context,
    routes={**{route: RouteContract(on_task_done=on_escalation_submitted, guards={"submit": escalation_guard})
               for route in ESCALATION_ROUTES.values()},
            IMPLEMENTATION_ROUTE: RouteContract(on_task_done=on_implementation_reported),
            EVALUATION_ROUTE: RouteContract(on_task_done=on_evaluated),
            REPORT_ROUTE: RouteContract(on_task_done=on_reported, guards={"report": report_guard}),
            FEEDBACK_ROUTE: RouteContract(on_task_done=on_feedback, guards={"feedback": report_guard})}))
