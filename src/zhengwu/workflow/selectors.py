"""Reads of the approval engine: the inbox (待办 / 已办 / 我发起的), an approval's tasks in
rank order, notifications. Query counts do not grow with the number of rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet

from zhengwu import rules
from zhengwu.org.models import Person

from . import access
from .models import Approval, Notification, Task

PAGE = 50


def route_def(approval: Approval):
    """The approval's route, from the rulebook it runs under (not the one in force today); the
    engine's reading (`route_of` below is the pages', which tolerates a book no longer loaded)."""
    return rules.lib().get(approval.rulebook_id).route(approval.route_id)


def route_article(approval: Approval) -> int:
    """The article behind the approval's route: what its steps, refusals and audit events cite."""
    return route_def(approval).article


def todo(person: Person, *, on: dt.date | None = None, acting: list[int] | None = None) -> QuerySet:
    """Open tasks for the person, and for the positions they act for today (art. 15). Pass
    `acting` (access.acting_position_ids) when the caller has computed it already."""
    acting = access.acting_position_ids(person, on) if acting is None else acting
    cond = Q(assignee=person)
    if acting:
        cond |= Q(position_id__in=acting)
    return (Task.objects.filter(cond, status=Task.Status.OPEN)
            .select_related("approval", "approval__originator", "approval__applicant_unit", "assignee", "sender")
            .order_by(F("due_on").asc(nulls_last=True), "id"))


def done(person: Person) -> QuerySet:
    return (Task.objects.filter(completed_by=person).exclude(status=Task.Status.OPEN)
            .select_related("approval", "approval__originator", "assignee")
            .order_by("-completed_at", "-id"))


def mine(person: Person) -> QuerySet:
    return (Approval.objects.filter(originator=person).select_related("applicant_unit")
            .order_by("-started_at", "-id"))


def box(person: Person, name: str, *, on: dt.date | None = None, acting: list[int] | None = None) -> QuerySet:
    if name == "todo":
        return todo(person, on=on, acting=acting)
    if name == "done":
        return done(person)
    if name == "mine":
        return mine(person)
    raise ValueError(name)


def is_overdue(task: Task, on: dt.date | None = None) -> bool:
    return task.status == Task.Status.OPEN and task.due_on is not None and task.due_on < (on or rules.today())


def workdays_left(task: Task, on: dt.date | None = None, cal=None) -> int | None:
    """Working days from today to the due date of an open task (negative when overdue; None when
    it has no due date or is no longer open). Pass `cal` (one WorkCalendar for a whole page) so a
    list's query count does not grow with its rows."""
    if task.due_on is None or task.status != Task.Status.OPEN:
        return None
    if cal is None:
        from zhengwu.workcalendar.selectors import work_calendar

        cal = work_calendar()
    today = on or rules.today()
    if task.due_on >= today:
        return cal.count_workdays(today, task.due_on)
    return -cal.count_workdays(task.due_on, today)


def route_of(approval: Approval):
    """The route definition (from the rulebook the approval ran under), or None if unknown."""
    from zhengwu.rulebook import RulebookError

    try:
        return rules.lib().get(approval.rulebook_id).route(approval.route_id)
    except RulebookError:  # a rulebook no longer loaded: pages still show the run
        return None


def step_label(route, step_id: str) -> str:
    """A step's label from its route definition ("" when unknown)."""
    if route is None:
        return ""
    from zhengwu.rulebook import RulebookError

    try:
        return route.step(step_id).label
    except RulebookError:
        return ""


def approval_tasks(approval: Approval) -> list[Task]:
    """Step tasks in route order; within a stage, by the rank of the position (as paper 公文处理单
    show leaders' instructions by rank, not by time)."""
    tasks = list(approval.tasks.select_related("assignee", "completed_by", "position", "sender"))
    big = 10 ** 6
    return sorted(tasks, key=lambda t: (t.kind != Task.Kind.STEP, t.stage,
                                        t.position.rank if t.position_id else big, t.id))


def circulation_readers(approval: Approval) -> list[Task]:
    return [t for t in approval_tasks(approval) if t.kind == Task.Kind.CIRCULATION]


def notifications(person: Person, *, unread_only: bool = False) -> QuerySet:
    qs = Notification.objects.filter(person=person)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(person: Person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).count()
