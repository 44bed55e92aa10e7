"""A decision's follow-up on the 办文 page (/tasks/<id>/): the object part of the tasks the
decisions app runs through the engine over a decided dossier (obj_type "decisions.followup": its
implementation, its evaluation, its escalation to the 区委 or the 区人大; art. 30, 32, 76–77).

`FRAGMENT` and `fragment_context` are what the decisions subject registers
(`workflow.subjects.Subject(fragment=…, fragment_context=…)`). `fragment_context` checks that the
person may see the dossier (`access.dossier_visible`)."""

from __future__ import annotations

from zhengwu import rules

from . import access
from .models import MajorDecision

FRAGMENT = "decisions/_task_followup.html"


def fragment_context(dossier: MajorDecision, task, person) -> dict:
    """The decided matter: what it is, what the meeting decided and on what conditions, who carries
    it out, what has been reported so far."""
    on = rules.today()
    dossier = access.dossier_visible(person, dossier.pk, on=on)
    label = dict(rules.param("decisions.dossier_types", on)).get(dossier.matter_type, dossier.matter_type)
    return {"dossier": dossier, "matter_label": label}
