"""Sessions read from the cache, written through to the database (issue 17: the logged-in ceiling).

`SESSION_ENGINE = "zhengwu.web.sessions"`: Django's cached_db store. With a shared cache (Redis,
settings.CACHES from REDIS_URL) every worker sees a logout, a second factor just entered or a
rotated key at once. The default per-process local-memory cache cannot: a worker would go on
reading its own copy of a session another worker changed (the soak caught a worker sending a
person back to the second-factor page for seconds after he had entered his code in another). So
with it sessions are read from the database, as Django's db store does, unless
settings.SESSION_LOCAL_CACHE_SECONDS (default 0) is set for a single-process installation, where
each cached copy then lives at most that long.
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


class _NoCache:
    """No cache: every read misses (the database answers), every write and delete does nothing."""

    __slots__ = ()

    def get(self, key, default=None, version=None):
        return default

    async def aget(self, key, default=None, version=None):
        return default

    def set(self, *args, **kwargs):
        return None

    async def aset(self, *args, **kwargs):
        return None

    def delete(self, *args, **kwargs):
        return False

    async def adelete(self, *args, **kwargs):
        return False

    def __contains__(self, key) -> bool:
        return False


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        if "locmem" in settings.CACHES[settings.SESSION_CACHE_ALIAS]["BACKEND"]:
            cap = getattr(settings, "SESSION_LOCAL_CACHE_SECONDS", 0)
            self._cache = _Capped(self._cache, cap) if cap else _NoCache()
