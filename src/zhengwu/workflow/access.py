"""One access function per object (STYLE 7): fetch, check permission, refuse with a reason.
The web pages, the API and the CLI all go through these, so a permission bug is fixed once.

Denied by default: a person sees and acts on their own tasks and on the tasks of the positions
they act for today (补位, art. 15); the originator and the 办公室 may view an approval and nudge."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Person

from .models import Approval, Task

OFFICE_CODES = ("office_director", "office_deputy_director")


def is_office(person: Person, on: dt.date | None = None) -> bool:
    """The 区政府办公室's directors: the hub of intake, reminders and escalation (art. 16, 68)."""
    return any(p.code in OFFICE_CODES for p in org.positions_of(person, on or rules.today()))


def acting_position_ids(person: Person, on: dt.date | None = None) -> list[int]:
    return [p.pk for p in org.acted_for_by(person, on or rules.today())]


def _get_task(task_id) -> Task:
    try:
        task_id = int(task_id)
    except (TypeError, ValueError):
        raise Refused("待办编号须为整数", field="task_id") from None
    try:  # get(), not first(): no ORDER BY to build over the ~60 columns of a pk look-up
        return Task.objects.select_related("approval", "approval__originator", "assignee", "position").get(pk=task_id)
    except Task.DoesNotExist:
        raise NotFound(f"待办{task_id}不存在", field="task_id") from None


def _acts_on(person: Person, task: Task, on: dt.date) -> bool:
    if task.assignee_id == person.pk:
        return True
    return task.position_id is not None and task.position_id in acting_position_ids(person, on)


def task_visible(person: Person, task_id, *, on: dt.date | None = None) -> Task:
    """A task its assignee, the person acting for it, the originator or the office may see."""
    on = on or rules.today()
    task = _get_task(task_id)
    if _acts_on(person, task, on) or task.approval.originator_id == person.pk or task.completed_by_id == person.pk \
            or is_office(person, on):
        return task
    if task.kind == Task.Kind.STEP and task.status == Task.Status.OPEN:
        from . import authority

        if authority.stands_as(task.approval, task, person, on):  # e.g. the post's holder back from an absence
            return task
    raise Forbidden("无权查看他人的待办")


def task_for_action(person: Person, task_id, *, on: dt.date | None = None) -> Task:
    """An open task `person` may complete: their own, or one of a position they act for today."""
    on = on or rules.today()
    task = _get_task(task_id)
    if not _acts_on(person, task, on):
        if task.kind != Task.Kind.STEP or task.status != Task.Status.OPEN:
            raise Forbidden("只能办理本人或本人补位的待办")
        # not theirs: eligible anyway (the post's holder back from an absence), or refused citing the
        # article behind the step (R15.step_holder) — the same answer at every door
        from . import authority

        authority.guards(task.approval, task, person, "", "", on)  # the domain's own refusal first
        authority.check(task.approval, task, person, on, door="complete")
    if task.status != Task.Status.OPEN:
        raise Refused(f"该待办的状态为“{task.get_status_display()}”，不能再办理", field="task_id", status=409)
    return task


def task_for_reassign(person: Person, task_id, *, on: dt.date | None = None) -> Task:
    on = on or rules.today()
    task = _get_task(task_id)
    if not (_acts_on(person, task, on) or is_office(person, on)):
        from . import authority, selectors  # here: selectors imports this module

        if not (task.kind == Task.Kind.STEP and authority.stands_as(task.approval, task, person, on)):
            cite = rules.book(on).cite(selectors.route_article(task.approval))
            raise Forbidden(f"只能转办本人或本人补位的待办（或由区政府办公室转办）{cite}")
    if task.status != Task.Status.OPEN:
        raise Refused(f"该待办的状态为“{task.get_status_display()}”，不能转办", field="task_id", status=409)
    return task


def task_for_resign(person: Person, task_id) -> Task:
    """A finished step of one's own, while its approval still runs: its opinion may be re-signed."""
    task = task_visible(person, task_id)
    if task.kind != Task.Kind.STEP or task.status != Task.Status.DONE or task.completed_by_id != person.pk:
        raise Forbidden("只能重新签署本人已办理的审批意见")
    if task.approval.status != Approval.Status.RUNNING:
        raise Refused("审批已结束，不能再修改意见", field="task_id")
    return task


def task_for_nudge(person: Person, task_id) -> Task:
    task = _get_task(task_id)
    if not (task.approval.originator_id == person.pk or is_office(person)):
        raise Forbidden("只有发起人或区政府办公室可以催办")
    if task.status != Task.Status.OPEN:
        raise Refused("该待办已办理，无需催办", field="task_id", status=409)
    return task


def approval_visible(person: Person, approval_id, *, on: dt.date | None = None) -> Approval:
    """An approval its originator, anyone with a task in it, or the office may see."""
    on = on or rules.today()
    try:
        approval_id = int(approval_id)
    except (TypeError, ValueError):
        raise Refused("审批编号须为整数", field="approval_id") from None
    approval = Approval.objects.select_related("originator", "applicant_unit").filter(pk=approval_id).first()
    if approval is None:
        raise NotFound(f"审批{approval_id}不存在", field="approval_id")
    if approval.originator_id == person.pk or is_office(person, on):
        return approval
    acting = acting_position_ids(person, on)
    if approval.tasks.filter(assignee=person).exists() or (acting and approval.tasks.filter(position_id__in=acting).exists()):
        return approval
    raise Forbidden("无权查看该审批")
