"""`zhengwu tick`: reminders (催办) before a task is due and escalations (督办) to the 办公室 when
it is overdue (art. 68: 公文限时办理和催办、督办制度). Idempotent: every message has a key, so
running it twice (or from two cron hosts) sends nothing twice. Meant for cron or a systemd timer.
It ends by e-mailing the pending notifications (notify.send_pending_mail)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.org import selectors as org
from zhengwu.rulebook import declare, note_exercised

from . import notify
from .models import Task

REMINDER = declare("W68.reminder", article=68, kind="reminder", summary="到期前催办")
ESCALATION = declare("W68.escalation", article=68, kind="reminder", summary="逾期督办，报区政府办公室")


@dataclass
class TickResult:
    reminders: int = 0
    escalations: int = 0


def tick(*, on: dt.date | None = None) -> TickResult:
    from zhengwu.workcalendar.selectors import work_calendar

    on = on or rules.today()
    cal = work_calendar()
    ahead = int(rules.param("workflow.reminder_days_before_due", on))
    horizon = cal.add_workdays(on, ahead) if ahead > 0 else on
    result = TickResult()
    due_soon = (Task.objects.filter(kind=Task.Kind.STEP, status=Task.Status.OPEN, due_on__isnull=False,
                                    due_on__gte=on, due_on__lte=horizon)
                .select_related("approval", "assignee", "position"))
    for task in due_soon.iterator(chunk_size=500):
        note_exercised(REMINDER)
        with transaction.atomic():
            people = [task.assignee]
            if task.position_id and org.absence_on(task.assignee, on) is not None:
                acting = org.acting_for(task.position, on)  # the assignee is away: whoever acts for the post
                if acting is not None and acting.pk != task.assignee_id:
                    people.append(acting)
            sent = [n.person for n in notify.send_all(
                notify.build(person=p, kind="reminder", task=task, key=f"reminder:{task.pk}:{task.due_on}:{p.pk}",
                             title=f"催办：{task.approval.title}", msg="workflow.reminder",
                             params={"title": task.approval.title},
                             body=f"请于{task.due_on.isoformat()}前办理（{task.action}）")
                for p in people)]
            if sent:
                result.reminders += 1
                audit_append(actor=None, action="workflow.task.remind", obj_type="workflow.approval",
                             obj_id=str(task.approval_id), after={"task": task.pk, "to": [p.pk for p in sent]},
                             article=rules.article_of(REMINDER, on), summary=f"到期前催办{'、'.join(str(p) for p in sent)}")
    overdue = (Task.objects.filter(kind=Task.Kind.STEP, status=Task.Status.OPEN, due_on__lt=on)
               .select_related("approval", "assignee", "position", "approval__originator",
                               "approval__applicant_unit"))
    for task in overdue.iterator(chunk_size=500):
        note_exercised(ESCALATION)
        gov = task.approval.originator.government
        director = org.acting_for_code(gov, "office_director", on) if gov else None
        with transaction.atomic():
            notes = []
            if director is not None:
                notes.append(notify.build(person=director, kind="escalation", task=task, key=f"escalation:{task.pk}",
                                          title=f"督办：{task.approval.title}已逾期", msg="workflow.overdue",
                                          params={"title": task.approval.title},
                                          body=f"{task.assignee}的{task.action}应于{task.due_on.isoformat()}前完成"))
            notes.append(notify.build(person=task.assignee, kind="escalation", task=task,
                                      key=f"escalation-assignee:{task.pk}", title=f"督办：{task.approval.title}已逾期",
                                      msg="workflow.overdue", params={"title": task.approval.title},
                                      body=f"应于{task.due_on.isoformat()}前完成，已转区政府办公室督办"))
            if notify.send_all(notes):
                result.escalations += 1
                audit_append(actor=None, action="workflow.task.escalate", obj_type="workflow.approval",
                             obj_id=str(task.approval_id),
                             after={"task": task.pk, "due_on": task.due_on.isoformat(),
                                    "to": director.pk if director else None},
                             article=rules.article_of(ESCALATION, on), summary=f"逾期督办：{task.assignee}{task.action}")
    return result


_EXTENSIONS: dict[str, Callable[[dt.date], str]] = {}


def register_tick(name: str, fn: Callable[[dt.date], str]) -> None:
    """Let a domain app add its own periodic job to `zhengwu tick` (call from AppConfig.ready()).
    `fn(on)` must be idempotent like `tick` (keyed notifications) and returns a one-line summary."""
    _EXTENSIONS[name] = fn


def run_tick() -> int:
    on = rules.today()
    r = tick(on=on)
    print(f"tick: {r.reminders} reminders, {r.escalations} escalations sent")
    for name, fn in _EXTENSIONS.items():
        print(f"tick {name}: {fn(on)}")
    # last, so that what this run wrote goes out with it (also `zhengwu mail send`, more often)
    print(f"tick mail: {notify.send_pending_mail()}")
    # the periodic root over every government's audit chain head (zhengwu.audit.checkpoints)
    from zhengwu.audit.checkpoints import tick_root

    print(f"tick audit: {tick_root()}")
    return 0
