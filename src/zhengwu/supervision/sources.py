"""Where the 督查指挥中心 finds what to put on the ledger (art. 49-50): the meetings' decisions
(decided, approving agenda items) and the leaders' 批示 on documents (completed 批示 steps) not yet
taken into the ledger, newest first. Read only; taking one is services.item_from_*."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules

from .models import SupervisionItem

LIMIT = 50


def open_decisions(person, on: dt.date) -> list:
    from zhengwu.meetings import access as meetings_access
    from zhengwu.meetings.models import AgendaItem

    taken = SupervisionItem.objects.filter(meeting_item__isnull=False).values("meeting_item_id")
    return list(AgendaItem.objects.filter(
        meeting__in=meetings_access.visible_meetings(person, on=on), status=AgendaItem.Status.DECIDED,
        outcome__in=rules.param("decisions.approving_outcomes", on)).exclude(pk__in=taken)
        .select_related("meeting", "lead_unit").order_by("-decided_at", "-id")[:LIMIT])


def open_instructions(person, on: dt.date) -> list:
    from zhengwu.documents.intake import INSTRUCTION_STEPS, OBJ as DOC
    from zhengwu.documents.models import Document
    from zhengwu.workflow.models import Task

    taken = SupervisionItem.objects.filter(instruction__isnull=False).values("instruction_id")
    tasks = list(Task.objects.filter(approval__obj_type=DOC, kind=Task.Kind.STEP, status=Task.Status.DONE,
                                     step_id__in=INSTRUCTION_STEPS,
                                     approval__originator__government_id=person.government_id)
                 .exclude(pk__in=taken).select_related("approval", "completed_by", "assignee")
                 .order_by("-completed_at", "-id")[:LIMIT])
    docs = Document.objects.select_related("unit").in_bulk([int(t.approval.obj_id) for t in tasks])
    return [{"task": t, "doc": docs.get(int(t.approval.obj_id)), "leader": t.completed_by or t.assignee}
            for t in tasks if docs.get(int(t.approval.obj_id))]
