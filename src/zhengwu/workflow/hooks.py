"""Domain apps react to their approvals without a second mechanism: they register callbacks per
object type, which the engine calls inside the same transaction as the change.

    hooks.register("documents.document", on_task_done=…, on_finished=…, on_returned=…)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass
class Hooks:
    on_task_done: Callable | None = None  # (approval, task, actor, on)
    on_finished: Callable | None = None  # (approval, actor, on)
    on_returned: Callable | None = None  # (approval, task, actor, on)


_HOOKS: dict[str, Hooks] = {}


def register(obj_type: str, **callbacks) -> None:
    _HOOKS[obj_type] = Hooks(**callbacks)


def call(obj_type: str, name: str, *args) -> None:
    hooks = _HOOKS.get(obj_type)
    fn = getattr(hooks, name, None) if hooks else None
    if fn is not None:
        fn(*args)
