"""A document on the 办文 page (/tasks/<id>/): the object part of every task on a document (批示,
审核, 会签, 签发, 传阅, and the filing/evaluation follow-ups of a normative document).

`FRAGMENT` and `fragment_context` are what the documents subject registers with the engine
(`workflow.subjects.Subject(fragment=…, fragment_context=…)`): the 正文, the attachments, the
处理单 summary (numbers, unit, urgency, the deadline in working days, who has done what) and the
history in sentences ("3月2日 王丙批示：同意……"). `fragment_context` checks that the person may
see the document (`access.document_visible`); a 涉密 document shows its registration data only.

`attach_handwriting` keeps a drawing from the page's handwriting pad (signatures.signature_attach),
registered for documents with the page at import (the app's ready() imports this module).
"""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.audit import selectors as audit
from zhengwu.web import taskobject
from zhengwu.workflow.models import Task

from . import access, signatures
from .models import Direction, Document

OBJ = "documents.document"
FRAGMENT = "documents/_task_object.html"


def _left(due: dt.date | None, today: dt.date, cal) -> dict | None:
    """A due date with the working days left (negative: overdue)."""
    if due is None:
        return None
    left = cal.count_workdays(today, due) if due >= today else -cal.count_workdays(due, today)
    return {"due_on": due, "left": left, "overdue": due < today, "overdue_days": -left if due < today else None,
            "due_today": due == today, "soon": 0 <= left <= 1}


def _paras(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _tasks(doc: Document, task: Task) -> list[Task]:
    """Every task of the document's approvals that concern this page: the task's own approval and
    the document's current one (they differ for a 会签 or a follow-up)."""
    ids = {task.approval_id} | ({doc.approval_id} if doc.approval_id else set())
    return list(Task.objects.filter(approval_id__in=ids)
                .select_related("assignee", "completed_by", "position").order_by("id"))


def fragment_context(doc: Document, task: Task, person) -> dict:
    """The document part of the 办文 page; refuses (403/404) a person who may not see the document."""
    from zhengwu.workcalendar.selectors import work_calendar

    today = rules.today()
    doc = access.document_visible(person, doc.pk, on=today)
    cal = work_calendar()
    tasks = _tasks(doc, task)
    steps = [t for t in tasks if t.kind == Task.Kind.STEP]
    done = [t for t in steps if t.status in (Task.Status.DONE, Task.Status.RETURNED)]
    waiting = [t for t in steps if t.status == Task.Status.OPEN]
    events = [] if doc.classified else list(audit.history_for(OBJ, doc.pk))
    history = taskobject.merge(taskobject.step_sentences(tasks),
                               (taskobject.event_sentence(e) for e in events))
    incoming = doc.direction == Direction.INCOMING
    return {
        "doc": doc, "incoming": incoming,
        "number": (doc.intake_number if incoming else doc.doc_number) or "",
        "body_paras": [] if doc.classified else _paras(doc.body),
        "attachments": [] if doc.classified else list(doc.attachments.all()),
        "task_due": _left(task.due_on, today, cal) if task.status == Task.Status.OPEN else None,
        "overall_due": _left(doc.decision_needed_by, today, cal)
        if incoming and doc.status == Document.Status.IN_APPROVAL else None,
        "done_steps": done, "waiting_steps": waiting, "history": history,
    }


def attach_handwriting(*, actor, task_id, data_url: str, on: dt.date | None = None):
    """The page's drawing (a PNG data URL) kept beside the task: None when nothing was drawn."""
    png = signatures.png_from_data_url(data_url)
    if png is None:
        return None
    return signatures.signature_attach(actor=actor, task_id=task_id, png_bytes=png, on=on)

