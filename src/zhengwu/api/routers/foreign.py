"""API routers of zhengwu.affairs.foreign. `ROUTERS` lists (prefix, router) pairs mounted by api.py."""

from __future__ import annotations

ROUTERS: list = []
