"""Tasks (待办): the inbox, one task, and acting on it — always through the workflow's access
functions and services (a person sees and acts only on their own tasks and those of the
positions they act for, art. 15)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from ninja import Field, Path, Query, Router

from zhengwu import rules
from zhengwu.errors import Refused
from zhengwu.org.models import Person
from zhengwu.rulebook.calendar import WorkCalendar
from zhengwu.workcalendar.selectors import work_calendar
from zhengwu.workflow import access, services
from zhengwu.workflow import selectors as workflow
from zhengwu.workflow.models import Approval, Task

from .. import selectors
from ..schemas import (ApprovalPage, CompleteIn, ReassignIn, ReturnIn, TaskOut, TaskPage,
                       responses)

router = Router(tags=["tasks"])

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000  # far beyond any inbox; keeps the number within what the database accepts
MAX_ID = 2 ** 63 - 1  # the largest id a database row can have
TaskId = Path(..., ge=1, le=MAX_ID, description="待办编号")
Inbox = Annotated[Union[TaskPage, ApprovalPage], Field(discriminator="box")]


def person_ref(p: Person | None) -> dict | None:
    if p is None:
        return None
    return {"id": p.pk, "username": p.username, "full_name": p.full_name}


def task_out(t: Task, *, today: dt.date, cal: WorkCalendar) -> dict:
    a = t.approval
    return {
        "id": t.pk, "kind": t.kind, "action": t.action, "title": a.title, "approval_id": a.pk,
        "route_id": a.route_id, "urgency": a.urgency, "assignee": person_ref(t.assignee), "note": t.note,
        "due_on": t.due_on, "workdays_left": workflow.workdays_left(t, today, cal), "overdue": workflow.is_overdue(t, today),
        "version": t.version, "status": t.status, "status_label": t.get_status_display(),
        "choices": list(t.choices or []), "decision": t.decision, "opinion": t.opinion,
        "completed_at": t.completed_at, "completed_by": person_ref(t.completed_by) if t.completed_by_id else None,
    }


def approval_out(a: Approval) -> dict:
    return {
        "id": a.pk, "route_id": a.route_id, "title": a.title, "urgency": a.urgency, "status": a.status,
        "status_label": a.get_status_display(), "started_on": a.started_on, "finished_at": a.finished_at,
        "version": a.version,
        "open_steps": [{"task_id": t.pk, "action": t.action, "assignee": person_ref(t.assignee), "due_on": t.due_on}
                       for t in a.open_steps],
    }


def _one(task: Task) -> dict:
    return task_out(task, today=rules.today(), cal=work_calendar())


@router.get("", response=responses(Inbox), summary="收件箱：待办、已办、我发起的", operation_id="tasks_inbox")
def inbox(request, box: Literal["todo", "done", "mine"] = "todo",
          limit: int = Query(20, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """`todo`: open tasks of the person and of the positions they act for today (补位, art. 15), the
    most urgent first; `done`: tasks the person completed; `mine`: approvals the person started.
    The number of database queries does not grow with the number of rows."""
    person = request.auth
    today = rules.today()
    page = {"box": box, "limit": limit, "offset": offset}
    if box == "mine":
        qs = selectors.inbox_approvals(person)
        return {**page, "count": qs.count(), "items": [approval_out(a) for a in qs[offset:offset + limit]]}
    qs = selectors.inbox_tasks(person, box, on=today)
    rows = list(qs[offset:offset + limit])
    cal = work_calendar()
    return {**page, "count": qs.count(), "items": [task_out(t, today=today, cal=cal) for t in rows]}


@router.get("/{task_id}", response=responses(TaskOut, 403, 404), summary="查看一件待办",
            operation_id="tasks_get")
def task_get(request, task_id: int = TaskId):
    """Its assignee, the person acting for the position, the originator and the 办公室 may see it."""
    return _one(access.task_visible(request.auth, task_id, on=rules.today()))


@router.post("/{task_id}/complete", response=responses(TaskOut, 400, 403, 404, 409), summary="办理（签署意见）",
             operation_id="tasks_complete")
def task_complete(request, data: CompleteIn, task_id: int = TaskId):
    """Complete a step with an opinion, or with one of its fixed `choices` as `decision`. The
    route moves on when its stage is done. A finished task, or a stale `version`, answers 409."""
    task = services.task_complete(actor=request.auth, task_id=task_id, opinion=data.opinion,
                                  decision=data.decision, version=data.version)
    return _one(task)


@router.post("/{task_id}/return", response=responses(TaskOut, 400, 403, 404, 409), summary="退回（须写明理由）",
             operation_id="tasks_return")
def task_return(request, data: ReturnIn, task_id: int = TaskId):
    """Send the matter back to its originator with reasons; the approval ends as returned."""
    task = services.task_return(actor=request.auth, task_id=task_id, opinion=data.opinion, version=data.version)
    return _one(task)


@router.post("/{task_id}/reassign", response=responses(TaskOut, 400, 403, 404, 409), summary="转办给他人",
             operation_id="tasks_reassign")
def task_reassign(request, data: ReassignIn, task_id: int = TaskId):
    """Hand an open task to someone else (by login name); returns the new task. Its assignee, the
    person acting for it, or the 办公室 may do so."""
    try:
        to = selectors.person_by_username(request.auth, data.to, field="to")
    except Refused:
        access.task_for_reassign(request.auth, task_id)  # no permission / no such task comes first
        raise
    new = services.task_reassign(actor=request.auth, task_id=task_id, to=to, note=data.note, version=data.version)
    return _one(new)


@router.post("/{task_id}/acknowledge", response=responses(TaskOut, 400, 403, 404, 409),
             summary="传阅件已阅", operation_id="tasks_acknowledge")
def task_acknowledge(request, task_id: int = TaskId):
    """Acknowledge a circulated matter (传阅): it leaves the inbox; approval opinions are untouched."""
    return _one(services.circulation_ack(actor=request.auth, task_id=task_id))
