"""`zhengwu inbox` and `zhengwu task`: the same access functions and services as the web and the API."""

from __future__ import annotations

from zhengwu.errors import CommandError
from zhengwu.errors import Refused
from zhengwu.org.models import Person

from . import access, selectors, services


def _person(username: str) -> Person:
    person = Person.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise CommandError(f"username: 没有登录名为“{username}”的人员")
    return person


def _line(task) -> str:
    due = task.due_on.isoformat() if task.due_on else "—"
    flag = " 逾期" if selectors.is_overdue(task) else ""
    kind = "（传阅）" if task.kind == "circulation" else ""
    return f"#{task.pk}\t{task.action}{kind}\t{due}{flag}\t{task.approval.title}"


def run(ns) -> int:
    person = _person(ns.username)
    try:
        if ns.group == "inbox":
            rows = selectors.box(person, ns.box)[:100]
            for row in rows:
                if ns.box == "mine":
                    print(f"#{row.pk}\t{row.get_status_display()}\t{row.title}")
                else:
                    print(_line(row))
            return 0
        if ns.cmd == "show":
            task = access.task_visible(person, ns.task_id)
            print(_line(task))
            for t in selectors.approval_tasks(task.approval):
                opinion = t.decision or t.opinion or ""
                print(f"  {t.action}\t{t.assignee}\t{t.get_status_display()}\t{opinion}")
            return 0
        if ns.cmd == "complete":
            task = services.task_complete(actor=person, task_id=ns.task_id, opinion=ns.opinion, decision=ns.decision)
            print(f"#{task.pk} {task.get_status_display()}")
            return 0
        if ns.cmd == "reassign":
            to = Person.objects.filter(username=ns.to, is_active=True, government=person.government).first()
            if to is None:
                raise Refused(f"to: 没有登录名为“{ns.to}”的人员", field="to")
            new = services.task_reassign(actor=person, task_id=ns.task_id, to=to, note=ns.note)
            print(f"#{new.pk} → {new.assignee}")
            return 0
    except Refused as e:
        raise CommandError(str(e)) from None
    raise CommandError(f"unknown command {ns.group}")
