"""The subject contract: how the one approval engine meets each domain (DESIGN, "The subject
contract"). A domain registers, per object type it runs approvals on, a `Subject`:

- how to load (and lock) the object, its title, summary and URL, and the fragment the 办文 page
  shows for it (a template rendered with {"obj", "task", "approval", "me"} plus `fragment_context`);
- per route it runs, a `RouteContract`:
  - the callbacks the engine calls inside its own transaction (`on_task_done`, `on_finished`,
    `on_returned`, `on_cancelled`): this is where the domain's status *transitions* happen, each
    through `zhengwu.transitions.transition` on the states it expects;
  - per step, the *guards*: checks run before a step completes, whichever door is used (the inbox,
    the API, a domain page, the CLI all end in `workflow.services.task_complete`);
  - per step, an optional *eligibility* override. By default the people eligible to hold a step are
    the holder of the step's post and whoever acts for it under art. 15, and nobody else (a step
    the book marks `own` is the holder's alone). 转办 goes only to an eligible person.

The engine dispatches by (object type, route id): no domain branches on route ids by hand, and no
domain writes the engine's tables (`services.approval_cancel` exists for that).

    subjects.register(Subject(
        obj_type="meetings.minutes", load=..., title=..., url=..., fragment="meetings/_minutes_task.html",
        routes={"minutes.standing": RouteContract(on_task_done=..., guards={"head_sign": sign_guard})}))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

# (approval, task, actor, decision, opinion, on) -> iterable of Violation (blocking ones refuse the step)
Guard = Callable[..., Any]
# (approval, task, on) -> set of person ids who may hold the step, or None for the engine's default
Eligibility = Callable[..., Any]


@dataclass(frozen=True)
class RouteContract:
    """What a domain does about one route of the book."""

    on_task_done: Callable | None = None  # (approval, task, actor, on)
    on_finished: Callable | None = None  # (approval, actor, on)
    on_returned: Callable | None = None  # (approval, task, actor, on)
    on_cancelled: Callable | None = None  # (approval, actor, on)
    guards: dict[str, Guard] = field(default_factory=dict)  # step id (or "*": every step) -> guard
    eligible: dict[str, Eligibility] = field(default_factory=dict)  # step id -> override


@dataclass(frozen=True)
class Sender:
    """Whom a matter comes from, as its domain knows it — not who clicked the engine into motion:
    a 来文's submitting unit and the head who signed it (签发人), though the office's clerk started
    the approval; a draft's unit and its drafter (拟稿人)."""

    unit: str = ""
    person: str = ""
    incoming: bool = True  # a unit's submission to the government (来文单位, 签发人); else a draft (拟稿单位, 拟稿人)


@dataclass(frozen=True)
class Subject:
    """One object type the engine runs approvals on."""

    obj_type: str
    load: Callable[[str], Any]  # obj_id -> the object, or None when it is gone
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    summary: Callable[[Any], str] | None = None
    fragment: str | None = None  # template of the object's part of the 办文 page
    fragment_context: Callable[..., dict] | None = None  # (obj, task, person) -> extra context
    # keeps the 办文 page's handwriting (attach(*, actor, task_id, data_url, on)); None: no pad offered
    handwriting: Callable[..., Any] | None = None
    routes: dict[str, RouteContract] = field(default_factory=dict)
    label: str = ""  # what the object is called in the UI (公文, 会议纪要, 请假 …)
    # obj_ids -> {obj_id: Sender} for those the domain knows a sender of (one query for many rows);
    # None: the page shows the approval's unit and originator
    senders: Callable[[list[str]], dict[str, Sender]] | None = None


_SUBJECTS: dict[str, Subject] = {}


def register(subject: Subject) -> Subject:
    _SUBJECTS[subject.obj_type] = subject
    return subject


def get(obj_type: str) -> Subject | None:
    return _SUBJECTS.get(obj_type)


def contract(approval) -> RouteContract | None:
    """The contract of the approval's route, from its object type's subject."""
    subject = _SUBJECTS.get(approval.obj_type)
    return subject.routes.get(approval.route_id) if subject else None


def dispatch(approval, name: str, *args) -> bool:
    """Call the route's callback `name` (the engine's only way into a domain); whether there was one."""
    found = contract(approval)
    fn = getattr(found, name, None) if found else None
    if fn is not None:
        fn(approval, *args)
    return fn is not None


def guards_for(approval, step_id: str) -> list[Guard]:
    found = contract(approval)
    if found is None:
        return []
    return [g for key, g in found.guards.items() if key in (step_id, "*")]


def eligibility_override(approval, step_id: str) -> Eligibility | None:
    found = contract(approval)
    return found.eligible.get(step_id) if found else None
