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
