"""One error shape for every refusal (STYLE 12): a message plus the violations behind it.

Services raise `Refused`; the web shows it, the API returns {"message", "violations"}, the CLI
prints it and exits 2. Pure Python, no Django import.
"""

from __future__ import annotations

from typing import Iterable

from zhengwu.rulebook import Violation


class Refused(Exception):
    """A service refused: bad input (naming the field) or blocking rule violations."""

    def __init__(self, message: str, *, violations: Iterable[Violation] = (), field: str | None = None,
                 status: int = 400):
        super().__init__(message)
        self.message = message
        self.violations = list(violations)
        self.field = field
        self.status = status

    def as_dict(self) -> dict:
        return {"message": self.message, "field": self.field,
                "violations": [v.as_dict() for v in self.violations]}

    def __str__(self) -> str:
        lines = [self.message] + [f"- [{v.rule_id}] {v.message}" for v in self.violations if v.message != self.message]
        return "\n".join(lines)


class CommandError(Exception):
    """Bad input to the console script `zhengwu`: printed to stderr, exit code 2, nothing changed.
    Here, not in `zhengwu.cli`, so that apps' command modules need not import the entry point."""


class NotFound(Refused):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, field=field, status=404)


class Forbidden(Refused):
    def __init__(self, message: str = "无权访问该对象"):
        super().__init__(message, status=403)


class Conflict(Refused):
    """Someone else changed the object first (optimistic concurrency)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, field=field, status=409)


def refuse_if_blocking(violations: Iterable[Violation], message: str | None = None) -> list[Violation]:
    """Raise Refused when any violation blocks; otherwise return the (warning) violations."""
    found = list(violations)
    blocks = [v for v in found if v.blocks]
    if blocks:
        raise Refused(message or blocks[0].message, violations=found, field=blocks[0].field)
    return found


def id_field(value, field: str, label: str) -> int:
    """An object id from a form, a URL or JSON; anything else is refused naming the field."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Refused(f"{label}编号须为整数", field=field) from None
