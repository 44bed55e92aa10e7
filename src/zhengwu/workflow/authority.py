"""Who is eligible to hold a step, and how the person who acts stands to its post (DESIGN: "per route
step the eligible holders: the resolver's post and whoever acts for it under art. 15, nobody else").

- A step task carries the post (`Task.position`) it was opened for. Eligible: the post's holder on
  the day, and whoever acts for it that day (补位, art. 15). A step the book marks `own` has no
  substitute: the holder only.
- A step the office took over because nobody held or acted for the post (`Task.fallback`) belongs to
  the posts the step's resolver names *now*: the office hands it on (转办) once someone is there; it
  does not complete it in the leader's place.
- A task without a post (named people, e.g. readers) belongs to its assignee.
- A domain may override the set per step in its subject contract (`RouteContract.eligible`).

Checked through the rule R15.step_holder, citing the article behind the route."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhengwu import rules
from zhengwu.errors import Forbidden, refuse_if_blocking
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Position
from zhengwu.rulebook import StepDef
from zhengwu.rulebook.rules.workflow import StepAuthorityFacts

from . import selectors, subjects
from .models import Approval, Task
from .resolvers import context_of, resolve

TOPIC = "workflow.step_authority"


@dataclass(frozen=True)
class Eligible:
    holders: frozenset[int]
    acting: frozenset[int]
    own: bool
    post: str  # what the UI calls the post: 区长, 财政局局长 …

    def allows(self, person_id: int) -> bool:
        return person_id in self.holders or (not self.own and person_id in self.acting)

    @property
    def people(self) -> frozenset[int]:
        return self.holders if self.own else self.holders | self.acting


def step_of(approval: Approval, task: Task) -> StepDef | None:
    return selectors.route_def(approval).step(task.step_id) if task.kind == Task.Kind.STEP else None


def of_posts(positions: list[Position], on: dt.date, *, own: bool = False, post: str = "") -> Eligible:
    """Who may hold a step of these posts on `on`: their holders and, unless the step is the holder's
    own, whoever acts for each (one query per post). `post`: what the UI calls them."""
    holders, acting = set(), set()
    for pos in positions:
        holder, actor = org.holder_and_acting(pos, on)
        if holder is not None:
            holders.add(holder.pk)
        if actor is not None and not own:
            acting.add(actor.pk)
    return Eligible(frozenset(holders), frozenset(acting), own, post or _post_label(positions))


def _post_label(positions: list[Position]) -> str:
    titles = list(dict.fromkeys(p.title for p in positions))
    return "、".join(titles) or "该岗位"


def eligible(approval: Approval, task: Task, on: dt.date) -> Eligible:
    """Who may hold `task` on `on`."""
    step = step_of(approval, task)
    own = bool(step and step.own)
    if step is not None:
        override = subjects.eligibility_override(approval, task.step_id)
        if override is not None:
            found = override(approval, task, on)
            if found is not None:
                return found
    if step is None:  # a circulation (传阅): its reader
        return Eligible(frozenset({task.assignee_id}), frozenset(), True, str(task.assignee))
    if task.fallback:
        positions = _step_posts(approval, step, on)
    elif task.position_id is not None:
        positions = [task.position]
    else:
        return Eligible(frozenset({task.assignee_id}), frozenset(), True, str(task.assignee))
    return of_posts(positions, on, own=own)


def stands_as(approval: Approval, task: Task, person: Person, on: dt.date) -> str:
    """How `person` stands to the task's post: "holder", "acting" or "" (neither)."""
    return _standing(eligible(approval, task, on), person)


def _standing(found: Eligible, person: Person) -> str:
    if person.pk in found.holders:
        return "holder"
    return "acting" if found.allows(person.pk) else ""


def check(approval: Approval, task: Task, person: Person, on: dt.date, *, door: str) -> str:
    """How `person` stands to the step ("holder" or "acting"); refused (R15.step_holder, citing the
    route's article) when neither."""
    found = eligible(approval, task, on)
    step = step_of(approval, task)
    facts = StepAuthorityFacts(person=str(person), person_id=person.pk,
                               step=(step.label or step.action) if step else task.action, post=found.post,
                               holders=tuple(sorted(found.holders)), acting=tuple(sorted(found.acting)),
                               own=found.own, article=selectors.route_article(approval), door=door)
    found_violations = rules.check(TOPIC, facts, on=on)
    blocks = [v for v in found_violations if v.blocks]
    if blocks:
        refusal = Forbidden(blocks[0].message)
        refusal.violations, refusal.field = found_violations, blocks[0].field
        raise refusal
    return _standing(found, person)


def guards(approval: Approval, task: Task, person: Person, decision: str, opinion: str, on: dt.date) -> None:
    """The domain's guards for this step (its rule topics), whichever door completes it."""
    found = []
    for guard in subjects.guards_for(approval, task.step_id):
        found += list(guard(approval, task, person, decision, opinion, on) or ())
    refuse_if_blocking(found)


def _step_posts(approval: Approval, step: StepDef, on: dt.date) -> list[Position]:
    return [t.position for t in resolve(step.resolver, context_of(approval, on)) if t.position is not None]


def post_of(approval: Approval, task: Task, person: Person, on: dt.date) -> Position | None:
    """For a task the office took over: which of the step's posts `person` holds or acts for."""
    step = step_of(approval, task)
    if step is None:
        return None
    return next((pos for pos in _step_posts(approval, step, on)
                 if of_posts([pos], on, own=step.own).allows(person.pk)), None)
