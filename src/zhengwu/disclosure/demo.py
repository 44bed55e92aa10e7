"""Demo disclosure (through the services). Wired in zhengwu.demo."""

from __future__ import annotations


def load() -> None:
    return None
