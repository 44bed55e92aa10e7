"""Pending work that is not an engine task: what a person has to do on a domain's own objects.

The inbox lists the engine's tasks. Some work waits on a domain object without any task: a 来文 in
the intake queue waiting for the 文书 to register it, an agenda item (议题) waiting for the 区长 to
confirm it. Domains contribute such rows here, as the leaders' calendar gathers its sources:

    from zhengwu.workflow.pending import register_pending_source
    register_pending_source(my_source)

A source is a function `(person, on) -> iterable of Pending`: every row is backed by a real object
the source has just read, and the source applies its own access check (the same access function its
pages use), so a row never leads to a page that refuses the person. A source that has nothing for
the person should answer with as few queries as possible (most people are not the 文书).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable

TODO = "todo"  # something to act on (待办)
TO_READ = "toread"  # something to read (待阅)


@dataclass(frozen=True)
class Pending:
    obj_type: str  # the domain object behind the row ("documents.document", "meetings.agenda_item" …)
    obj_id: str
    title: str  # the object's title, as its page shows it
    action: str  # what is to be done, in the UI's words (登记, 确定议题 …)
    url: str  # the page where it is done
    kind: str = TODO
    detail: str = ""  # one line of context (来文单位, the meeting …)
    due_on: dt.date | None = None
    since: dt.date | None = None  # waiting since


Source = Callable[..., Iterable[Pending]]
_SOURCES: dict[str, Source] = {}


def register_pending_source(fn: Source, name: str | None = None) -> Source:
    """Add a source of pending rows (idempotent per name, by default the function's qualified name)."""
    _SOURCES[name or f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def sources() -> dict[str, Source]:
    return dict(_SOURCES)


def pending_for(person, on: dt.date, *, kind: str | None = None) -> list[Pending]:
    """Every source's rows for `person` on `on` (of one kind if given): those with a due date
    first, earliest first, then the oldest waiting."""
    if person is None or not getattr(person, "is_authenticated", False):
        return []
    found: list[Pending] = []
    for fn in _SOURCES.values():
        found.extend(r for r in fn(person, on) if kind is None or r.kind == kind)
    return sorted(found, key=lambda r: (r.due_on is None, r.due_on or dt.date.max, r.since or dt.date.max,
                                        r.obj_type, r.obj_id))
