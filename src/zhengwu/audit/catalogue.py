"""The one catalogue of audit actions (code → Chinese label).

Each app registers its actions in `AppConfig.ready()`:

    from zhengwu.audit.catalogue import register_actions
    register_actions({"org.unit.create": "新增单位", ...})

`audit_append` refuses an action that is not registered (as Wagtail's log entries do), so a typo
cannot put an unreadable row into the trail.
"""

from __future__ import annotations

import re
import threading

ACTION_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")  # "app.entity.verb", lower case
MAX_ACTION_LEN = 100

_actions: dict[str, str] = {}
_lock = threading.Lock()


def register_actions(mapping: dict[str, str]) -> None:
    """Add actions. Registering a code again with the same label is a no-op (ready() may run twice);
    with a different label it is an error, so two apps cannot claim one code."""
    checked: dict[str, str] = {}
    for code, text in mapping.items():
        if not isinstance(code, str) or len(code) > MAX_ACTION_LEN or not ACTION_RE.match(code):
            raise ValueError(f"action: {code!r} is not a dotted lower-case code such as 'org.unit.create'")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"action {code}: label must be a non-empty string")
        checked[code] = text.strip()
    with _lock:
        for code, text in checked.items():
            old = _actions.get(code)
            if old is not None and old != text:
                raise ValueError(f"action {code}: already registered as {old!r}, not {text!r}")
        _actions.update(checked)


def is_registered(action: str) -> bool:
    return action in _actions


def label(action: str) -> str:
    """The Chinese label; the code itself for an action no longer registered (old rows stay readable)."""
    return _actions.get(action, action)


def display_label(action: str) -> str:
    """The label in the active language: the English of `labels_en.ACTIONS` for a reader in English,
    else the Chinese label (the code itself for an action no longer registered)."""
    from django.utils.translation import get_language

    from .labels_en import ACTIONS

    if (get_language() or "").startswith("en") and action in ACTIONS:
        return ACTIONS[action]
    return label(action)


def object_name(obj_type: str, default: str = "") -> str:
    """The kind of object ("documents.document") in the active language: English from
    `labels_en.OBJECTS` for a reader in English, else `default` (the model's name)."""
    from django.utils.translation import get_language

    from .labels_en import OBJECTS

    if (get_language() or "").startswith("en") and obj_type in OBJECTS:
        return OBJECTS[obj_type]
    return default


def actions() -> dict[str, str]:
    """A copy of the catalogue, sorted by code."""
    return dict(sorted(_actions.items()))
