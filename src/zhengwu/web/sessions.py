"""Sessions read from the cache, written through to the database (issue 17: the logged-in ceiling).

`SESSION_ENGINE = "zhengwu.web.sessions"`: Django's cached_db store. With a shared cache (Redis,
settings.CACHES from REDIS_URL) every worker sees a logout or a rotated key at once. With the
default per-process local-memory cache a worker cannot see another worker's logout in its own
cache, so there each cached copy lives at most settings.SESSION_LOCAL_CACHE_SECONDS (5 s): a
session ended in one worker is refused by every other within that time, while a page's
session read still comes from memory on every request but the first of each window.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends import cached_db


class _Capped:
    """The cache, with every timeout cut to `cap` seconds."""

    __slots__ = ("_cache", "_cap")

    def __init__(self, cache, cap: int) -> None:
        self._cache, self._cap = cache, cap

    def set(self, key, value, timeout=None, version=None):
        timeout = self._cap if timeout is None else min(timeout, self._cap)
        return self._cache.set(key, value, timeout, version=version)

    async def aset(self, key, value, timeout=None, version=None):
        timeout = self._cap if timeout is None else min(timeout, self._cap)
        return await self._cache.aset(key, value, timeout, version=version)

    def __getattr__(self, name):
        return getattr(self._cache, name)

    def __contains__(self, key) -> bool:
        return key in self._cache


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        cap = getattr(settings, "SESSION_LOCAL_CACHE_SECONDS", 0)
        if cap and "locmem" in settings.CACHES[settings.SESSION_CACHE_ALIAS]["BACKEND"]:
            self._cache = _Capped(self._cache, cap)
