"""API routers of the 政务公开 apps. `ROUTERS` lists (prefix, router) pairs mounted by api.py."""

from __future__ import annotations

ROUTERS: list = []
