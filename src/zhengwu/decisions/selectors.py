"""Reads of the 三重一大 dossiers: their facts for the rulebook, their readiness for the agenda,
the procedures still missing (for the agenda builder), and the decisions exported as addressable
items with their follow-up tasks (for the supervision ledger).

    dossier_facts(dossier, *, on) -> DossierFacts
    readiness(dossier, *, on) -> list[Violation]          all findings; blocking ones keep it off the agenda
    is_ready(dossier, *, on) -> bool
    missing_steps(dossier, *, on=None) -> list[MissingStep]  which mandatory procedure is missing, with its article
    followup_tasks(dossier) -> list[Task]
    decisions_export(government, *, since=None, person=None) -> list[dict]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from zhengwu import rules
from zhengwu.rulebook import Violation
from zhengwu.rulebook.rules.decisions import DossierFacts
from zhengwu.workflow.models import Task

from .followups import OBJ_FOLLOWUP
from .models import MajorDecision

OBJ = "decisions.major_decision"  # audit object type and the export's addressable type


def dossier_facts(dossier: MajorDecision, *, on: dt.date) -> DossierFacts:
    """The dossier as the rulebook sees it (topic decisions.dossier)."""
    unit = dossier.proposing_unit
    affected = [(a.unit.name, a.unit.kind) for a in dossier.affected_units.select_related("unit")]
    consultations = [(c.unit.name, c.asked_on, c.reply or "") for c in dossier.consultations.select_related("unit")]
    return DossierFacts(
        dossier_type=dossier.matter_type,
        title=dossier.title,
        amount_yuan=dossier.amount_yuan,
        steps=tuple((p.step, p.done_on, p.evidence) for p in dossier.procedures.all()),
        legality_reviewer=dossier.legality_reviewer,
        meeting_type=dossier.meeting_type,
        proposed_by_department=dossier.proposed_by_department,
        proposing_unit=unit.name if unit else "",
        research_done=dossier.research_done,
        unit_collective_discussion_ref=dossier.unit_collective_discussion_ref,
        evaluations=tuple(dossier.evaluations or ()),
        evaluated_by=dossier.evaluated_by,
        affected_units=tuple(affected),
        consultations=tuple(consultations),
        submitted_on=dossier.submitted_on,
        to_party_committee=bool(dossier.committee_matter),
        org_rank=dossier.org_rank,
        public_interest=dossier.public_interest,
        stability_risk_assessment=dossier.stability_risk_assessment,
        hearing_held=dossier.hearing_held,
    )


def readiness(dossier: MajorDecision, *, on: dt.date) -> list[Violation]:
    """Every finding of the rules of art. 13, 28, 29 and 30 on the dossier; a blocking one means it
    may not go on a meeting's agenda on `on`."""
    return rules.check("decisions.dossier", dossier_facts(dossier, on=on), on=on)


def is_ready(dossier: MajorDecision, *, on: dt.date) -> bool:
    return not any(v.blocks for v in readiness(dossier, on=on))


@dataclass(frozen=True)
class MissingStep:
    """One thing the dossier still lacks, for the agenda builder: what, and which article asks it."""

    code: str  # a step code of decisions.required_steps, or the art. 30 item (research, consultation …)
    label: str
    article: int
    detail: str = ""  # the aspects still lacking, in the reader's language; or a unit's name
    content: bool = False  # `detail` is content (a unit's name), shown as recorded (lang="zh")


def steps_before_agenda(on: dt.date) -> list[str]:
    """The art. 28 procedures recorded before the agenda: all the mandatory ones except the deciding
    meeting's own (decisions.meeting_steps: its 集体讨论决定, recorded when it decides)."""
    at_meeting = set(rules.param("decisions.meeting_steps", on))
    return [code for code in rules.param("decisions.required_steps", on) if code not in at_meeting]


def missing_steps(dossier: MajorDecision, *, on: dt.date | None = None) -> list[MissingStep]:
    """The mandatory procedures (art. 28) due before the agenda not yet recorded, then what a
    department's proposal still lacks (art. 30), each with its article. Empty when nothing is missing."""
    from zhengwu.web.present import book_name
    from zhengwu.web.templatetags.zw_labels import enumerate_words

    on = on or rules.today()
    labels = rules.param("decisions.step_labels", on)
    done = {p.step for p in dossier.procedures.all()}
    missing = [MissingStep(code, labels.get(code, code), 28) for code in steps_before_agenda(on) if code not in done]
    if dossier.proposed_by_department:
        if not dossier.research_done:
            missing.append(MissingStep("research", "深入调查研究", 30))
        if not (dossier.unit_collective_discussion_ref or "").strip():
            missing.append(MissingStep("unit_collective_discussion", "本单位集体讨论决定", 30))
        aspects = rules.param("decisions.evaluation_aspects", on)
        lacking = [label for code, label in aspects.items() if code not in (dossier.evaluations or ())]
        if lacking or not (dossier.evaluated_by or "").strip():
            book = rules.lib().current
            missing.append(MissingStep("evaluation", "评估论证", 30,
                                       enumerate_words(book_name(book, x) for x in lacking)))
        replied = {c.unit_id for c in dossier.consultations.all() if (c.reply or "").strip()}
        for a in dossier.affected_units.select_related("unit"):
            if a.unit_id != dossier.proposing_unit_id and a.unit_id not in replied:
                missing.append(MissingStep("consultation", "征求意见", 30, a.unit.name, content=True))
        if dossier.public_interest:
            if not dossier.stability_risk_assessment:
                missing.append(MissingStep("stability_risk_assessment", "社会稳定风险评估", 30))
            if not dossier.hearing_held:
                missing.append(MissingStep("hearing", "听证", 30))
    return missing


def followup_tasks(dossier: MajorDecision) -> list[Task]:
    """The workflow tasks that follow the decision: escalation, implementation, evaluation."""
    return list(Task.objects.filter(approval__obj_type=OBJ_FOLLOWUP, approval__obj_id=str(dossier.pk))
                .select_related("approval", "assignee").order_by("id"))


def decided(government) -> QuerySet:
    return (MajorDecision.objects.filter(government=government, decided_on__isnull=False)
            .select_related("proposing_unit", "implementation_lead")
            .prefetch_related("escalations"))


def decisions_export(government, *, since: dt.date | None = None, dossiers: QuerySet | None = None) -> list[dict]:
    """Every decision taken on a dossier as an addressable item ("decisions.major_decision:<id>")
    with its escalations and follow-up tasks, so a supervision ledger can take them over."""
    qs = dossiers if dossiers is not None else decided(government)
    qs = qs.filter(decided_on__isnull=False)
    if since:
        qs = qs.filter(decided_on__gte=since)
    items = list(qs.order_by("-decided_on", "-id"))
    tasks: dict[str, list[Task]] = {}
    for t in (Task.objects.filter(approval__obj_type=OBJ_FOLLOWUP, approval__obj_id__in=[str(d.pk) for d in items])
              .select_related("approval", "assignee").order_by("id")):
        tasks.setdefault(t.approval.obj_id, []).append(t)
    out = []
    for d in items:
        out.append({
            "id": d.pk,
            "ref": f"{OBJ}:{d.pk}",
            "title": d.title,
            "matter_type": d.matter_type,
            "outcome": d.outcome,
            "conditions": d.conditions,
            "decided_on": d.decided_on,
            "meeting_id": d.decision_meeting_id,
            "status": d.status,
            "proposing_unit": d.proposing_unit.name if d.proposing_unit else "",
            "implementation_lead": d.implementation_lead.name if d.implementation_lead else "",
            "escalations": [{"body": e.body, "status": e.status, "submitted_on": e.submitted_on,
                             "result": e.result, "decided_on": e.decided_on} for e in d.escalations.all()],
            "tasks": [{"id": t.pk, "ref": f"workflow.task:{t.pk}", "route": t.approval.route_id, "step": t.step_id,
                       "action": t.action, "assignee": {"id": t.assignee.pk, "username": t.assignee.username,
                                                       "full_name": t.assignee.full_name},
                       "due_on": t.due_on, "status": t.status, "done_on": t.done_on, "opinion": t.opinion}
                      for t in tasks.get(str(d.pk), [])],
        })
    return out
