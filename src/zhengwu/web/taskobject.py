"""The object part of the 办文 page (/tasks/<id>/): what the task is about, shown before the action.

The page does not know the domains. It asks the subject contract (`workflow.subjects`) for the
object of the task's approval: its title, summary and URL, and — when the domain registered one —
the fragment template and `fragment_context(obj, task, person)`, which also checks the person may see
the object (a `Refused` from it shows its message instead of the object). An object type nobody
registered still gets its title and, where known, a link.

The handwriting pad (手写签批) is offered on the page for the object types that registered a way to
keep the drawing (`Subject.handwriting`, e.g. documents: `documents.task_view`); the view calls it
and the engine's service in one transaction.

History in sentences ("3月2日 王丙批示：同意……") is built here from the approval's tasks and, for
a domain that adds them, its own audit events (`event_sentence`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from django.template.loader import render_to_string
from django.utils import timezone

from zhengwu.errors import Refused
from zhengwu.workflow import subjects
from zhengwu.workflow.models import Task

HANDWRITTEN_OPINION = "（见手写签批）"  # the opinion recorded when only a drawing was given


def handwriting_for(obj_type: str) -> Callable[..., Any] | None:
    """How the object's domain keeps a drawing (a PNG data URL) for the open task — refusing naming
    the field "signature", None when nothing was drawn — or None: no pad for this object type."""
    subject = subjects.get(obj_type)
    return subject.handwriting if subject else None


@dataclass
class ObjectPart:
    """The object of a task as the page shows it."""

    label: str = ""  # 公文, 会议纪要, 请假 …
    title: str = ""
    summary: str = ""
    url: str = ""
    html: str = ""  # the domain's fragment, rendered
    refusal: Refused | None = None  # the domain refused to show the object to this person
    registered: bool = False  # a subject is registered for the object type
    found: bool = False  # the object was loaded


def object_part(request, task: Task, person, *, extra: dict | None = None) -> ObjectPart:
    """The object part of `task`'s page for `person`. `extra` is added to the fragment's context
    (the page passes the approval's history sentences as `step_history`)."""
    approval = task.approval
    subject = subjects.get(approval.obj_type)
    part = ObjectPart(title=approval.title, registered=subject is not None)
    if subject is None:
        return part
    part.label = subject.label
    obj = subject.load(approval.obj_id)
    if obj is None:
        return part
    part.found = True
    part.title = subject.title(obj) or approval.title
    part.summary = subject.summary(obj) if subject.summary else ""
    if not subject.fragment:
        part.url = subject.url(obj)
        return part
    try:
        ctx = dict(subject.fragment_context(obj, task, person)) if subject.fragment_context else {}
    except Refused as e:  # the person may see the task but not the object (e.g. 涉密, another unit)
        part.refusal = e
        return part
    part.url = subject.url(obj)
    part.html = render_to_string(subject.fragment, {
        "obj": obj, "task": task, "approval": approval, "me": person, **(extra or {}), **ctx}, request=request)
    return part


# ---- history in sentences -------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    at: dt.datetime
    text: str  # without the date
    kind: str = ""  # "step", "return", "reassign", "read", "event"
    seq: int = 0  # an audit event's place in the trail (ties of time)

    @property
    def day(self) -> str:
        local = timezone.localtime(self.at) if timezone.is_aware(self.at) else self.at
        return f"{local.month}月{local.day}日"


def _who(task: Task) -> str:
    who = task.completed_by or task.assignee
    if task.completed_by_id and task.completed_by_id != task.assignee_id:
        return f"{who}（代{task.assignee}）"
    return str(who)


def task_sentence(task: Task) -> Sentence | None:
    """One finished task as a sentence: "王丙批示：同意……", "钱戊退回：……", "孙己已阅"."""
    if task.completed_at is None:
        return None
    who = _who(task)
    if task.status == Task.Status.DONE and task.kind == Task.Kind.CIRCULATION:
        return Sentence(task.completed_at, f"{who}已阅", "read")
    if task.status == Task.Status.DONE:
        said = "，".join(x for x in (task.decision, task.opinion) if x)
        return Sentence(task.completed_at, f"{who}{task.action}" + (f"：{said}" if said else ""), "step")
    if task.status == Task.Status.RETURNED:
        return Sentence(task.completed_at, f"{who}退回" + (f"：{task.opinion}" if task.opinion else ""), "return")
    if task.status == Task.Status.REASSIGNED:
        return Sentence(task.completed_at, f"{who}将{task.action}转办" + (f"：{task.opinion}" if task.opinion else ""),
                        "reassign")
    return None


def step_sentences(tasks: Iterable[Task]) -> list[Sentence]:
    found = [s for s in (task_sentence(t) for t in tasks) if s is not None]
    return sorted(found, key=lambda s: s.at)


_HASH = re.compile(r"[，,]?\s*SHA-256 [0-9a-f]{16,}")


def event_sentence(event) -> Sentence:
    """An audit event as a sentence: its summary, led by who acted when the summary does not say it."""
    actor = event.actor_label.split("（")[0] if event.actor_id is not None else "系统"  # "郑壬（wenshu）" -> 郑壬
    text = _HASH.sub("", event.summary or event.action_label).replace("（）", "").strip("，、 ")
    if not text.startswith(actor):
        text = actor + text
    return Sentence(event.at, text, "event", event.seq)


def merge(*groups: Iterable[Sentence]) -> list[Sentence]:
    """Sentences of several sources in the order they happened (events of one moment in their
    order in the audit trail)."""
    return sorted((s for g in groups for s in g), key=lambda s: (s.at, s.seq))
