"""The Django side's door to the pure rulebook: books come from settings.RULEBOOK_DIRS."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from django.conf import settings
from django.utils import timezone

from zhengwu import rulebook as rb
from zhengwu.errors import refuse_if_blocking


def lib() -> rb.Library:
    return rb.library(settings.RULEBOOK_DIRS)


def today() -> dt.date:
    return timezone.localdate()


def book(on: dt.date | None = None) -> rb.Rulebook:
    """The rulebook in force on `on` (today by default); the latest one if none is."""
    found = lib().in_force(on or today())
    return found or lib().current


def param(name: str, on: dt.date | None = None) -> Any:
    return book(on).param(name, on or today())


def check(topic: str, facts: Any, *, on: dt.date | None = None, only: Iterable[str] | None = None) -> list[rb.Violation]:
    return rb.check(topic, facts, on=on or today(), lib=lib(), only=only)


def enforce(topic: str, facts: Any, *, on: dt.date | None = None, message: str | None = None) -> list[rb.Violation]:
    """Check and raise `Refused` if anything blocks; return the warnings otherwise."""
    return refuse_if_blocking(check(topic, facts, on=on), message)


def article_of(ref: str, on: dt.date | None = None) -> int:
    """The article a route id, parameter name, rule id or declared id stands on, from the book in
    force on `on`: services cite by id, never by a literal number."""
    from zhengwu.rulebook.citations import article_of as _article_of

    return _article_of(book(on), ref)


def cite(ref: str, on: dt.date | None = None) -> str:
    """（《工作规则》第六十八条） for `ref` (see article_of), in the wording of the book in force."""
    from zhengwu.rulebook.citations import cite as _cite

    return _cite(book(on), ref)


def approves(choice: str, on: dt.date | None = None) -> bool:
    """Whether a route step's fixed choice (同意, 批准, 通过 …) grants what was asked: the book's
    `workflow.approving_choices`."""
    return choice in param("workflow.approving_choices", on)


def choice_for(choices, approve: bool, on: dt.date | None = None) -> str:
    """The first of a step's fixed `choices` that grants (`approve`) or refuses what was asked."""
    for c in choices:
        if approves(c, on) == approve:
            return c
    raise ValueError(f"no {'approving' if approve else 'refusing'} choice among {list(choices)!r}")
