"""The object part of the 办文 page (/tasks/<id>/): what the task is about, shown before the action.

The page does not know the domains. It asks the subject contract (`workflow.subjects`) for the
object of the task's approval: its title, summary and URL, and — when the domain registered one —
the fragment template and `fragment_context(obj, task, person)`, which also checks the person may see
the object (a `Refused` from it shows its message instead of the object). An object type nobody
registered still gets its title and, where known, a link.

The handwriting pad (手写签批) is offered on the page for the object types that registered a way to
keep the drawing (`Subject.handwriting`, e.g. documents: `documents.task_view`); the view calls it
and the engine's service in one transaction.

History in sentences ("王丙 03-02 10:15 批示：同意……") is built here from the approval's tasks and, for
a domain that adds them, its own audit events (`event_sentence`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import pgettext

from zhengwu import rules
from zhengwu.audit import catalogue

from zhengwu.errors import Refused
from zhengwu.web import present, trail
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
    part.label = catalogue.object_name(approval.obj_type, subject.label)  # English for an English reader
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


def senders_of(approvals: Iterable) -> dict[int, subjects.Sender]:
    """approval id -> whom its matter comes from, as the object's domain knows it (`Subject.senders`:
    a 来文's unit and 签发人 rather than the clerk who registered it); approvals whose domain says
    nothing are left out (the page shows the approval's unit and originator). One query per object
    type, whatever the number of rows."""
    by_type: dict[str, list] = {}
    for a in approvals:
        by_type.setdefault(a.obj_type, []).append(a)
    found = {}
    for obj_type, group in by_type.items():
        subject = subjects.get(obj_type)
        if subject is None or subject.senders is None:
            continue
        known = subject.senders([a.obj_id for a in group])
        found.update({a.pk: known[a.obj_id] for a in group if a.obj_id in known})
    return found


# ---- history in sentences -------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    at: dt.datetime
    text: str  # what was done and said, after the name and the time ("审核：同意")
    kind: str = ""  # "step", "return", "reassign", "read", "event"
    seq: int = 0  # an audit event's place in the trail (ties of time)
    who: str = ""  # the person's name ("周庚", "周庚（代张甲）")
    # the same in the reader's language: what was done (UI words), the decision, and what was said
    # as recorded (an opinion: content); an English page shows these, a Chinese page `text`
    head: str = ""
    decision: str = ""
    said: str = ""

    @property
    def local(self) -> dt.datetime:
        return timezone.localtime(self.at) if timezone.is_aware(self.at) else self.at

    @property
    def day(self) -> str:
        local = self.local
        return f"{local.month}月{local.day}日"

    @property
    def when(self) -> str:
        """"12-06 22:11": the month, day and time of the sentence."""
        return f"{self.local:%m-%d %H:%M}"


def _who(task: Task) -> str:
    who = task.completed_by or task.assignee
    if task.completed_by_id and task.completed_by_id != task.assignee_id:
        return pgettext("task sentence", "%(who)s (for %(holder)s)") % {"who": who, "holder": task.assignee}
    return str(who)


def task_sentence(task: Task) -> Sentence | None:
    """One finished task as a sentence: "王丙 03-02 10:15 批示：同意……", "钱戊 … 退回：……",
    "孙己 … 已阅"."""
    if task.completed_at is None:
        return None
    who = _who(task)
    action = capfirst(present.book_name(rules.lib().current, task.action))
    if task.status == Task.Status.DONE and task.kind == Task.Kind.CIRCULATION:
        return Sentence(task.completed_at, "已阅", "read", who=who, head=pgettext("task sentence", "Read"))
    if task.status == Task.Status.DONE:
        said = "，".join(x for x in (task.decision, task.opinion) if x)
        return Sentence(task.completed_at, task.action + (f"：{said}" if said else ""), "step", who=who, head=action,
                        decision=capfirst(present.book_name(rules.lib().current, task.decision or "")),
                        said=task.opinion)
    if task.status == Task.Status.RETURNED:
        return Sentence(task.completed_at, "退回" + (f"：{task.opinion}" if task.opinion else ""), "return", who=who,
                        head=pgettext("task sentence", "Returned"), said=task.opinion)
    if task.status == Task.Status.REASSIGNED:
        return Sentence(task.completed_at, f"将{task.action}转办" + (f"：{task.opinion}" if task.opinion else ""),
                        "reassign", who=who, head=pgettext("task sentence", "Reassigned (%(action)s)") % {"action": action},
                        said=task.opinion)
    return None


def step_sentences(tasks: Iterable[Task]) -> list[Sentence]:
    found = [s for s in (task_sentence(t) for t in tasks) if s is not None]
    return sorted(found, key=lambda s: s.at)


def event_sentence(event) -> Sentence:
    """An audit event as a sentence: who, and what its summary says, without the actor's name, the
    action's label repeated or any digest (zhengwu.web.trail)."""
    ln = trail.line(event)
    return Sentence(event.at, ln.text, "event", event.seq, who=ln.who, head=ln.head, said=ln.said)


def merge(*groups: Iterable[Sentence]) -> list[Sentence]:
    """Sentences of several sources in the order they happened (events of one moment in their
    order in the audit trail)."""
    return sorted((s for g in groups for s in g), key=lambda s: (s.at, s.seq))
