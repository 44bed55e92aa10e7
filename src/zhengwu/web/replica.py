"""Reads of read-only pages from a streaming replica (issue 17, docs/scaling.md).

Active only when settings.DATABASES has a "replica" alias (DATABASE_REPLICA_URL); without it the
router is not installed and nothing changes.

- `ReplicaRouter`: writes always go to "default" (the primary). Reads go to "replica" only inside
  a request that `ReplicaMiddleware` has marked as a replica read, and only until that request
  writes anything (read-your-writes within a request). Sessions are always read and written on
  the primary (a session just created at login is not on the standby yet).
- `ReplicaMiddleware`: a GET/HEAD of a page listed in settings.REPLICA_READ_PREFIXES (registers,
  dashboards, the public site, search) or decorated with `replica_reads` reads from the replica;
  a view decorated with `primary_reads` never does. A request that wrote (or any POST, PUT, PATCH,
  DELETE) sets a short cookie (settings.REPLICA_PIN_SECONDS): the pages that follow it — the
  redirect after a form, the register the clerk just added to — read from the primary, so a user
  always sees their own writes although the standby lags behind.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from django.conf import settings

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "zw_primary"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_PREFIXES = ("/documents/registers/", "/supervision/dashboard/", "/public/", "/search/")
PRIMARY_ONLY_APPS = frozenset({"sessions"})


@dataclass
class _State:
    replica: bool = False  # this request may read from the replica
    wrote: bool = False  # this request has written: read from the primary from now on


_state: contextvars.ContextVar[_State | None] = contextvars.ContextVar("zhengwu_replica", default=None)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_replica() -> bool:
    """Whether this request's reads go to the replica now (it may lag: nothing read there is cached
    for later requests, see web.context.person_context)."""
    state = _state.get()
    return bool(state is not None and state.replica and not state.wrote and configured())


def replica_reads(view):
    """Mark a read-only page as served from the replica."""
    view.replica_reads = True
    return view


def primary_reads(view):
    """Mark a page as always read from the primary (it must show what was just written)."""
    view.primary_reads = True
    return view


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _state.get()
        if (state is not None and state.replica and not state.wrote and configured()
                and model._meta.app_label not in PRIMARY_ONLY_APPS):
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: objects from either relate freely

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _State()
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote or request.method not in SAFE:
            response.set_cookie(PIN_COOKIE, "1", max_age=getattr(settings, "REPLICA_PIN_SECONDS", 10),
                                httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _state.get()
        if state is None or request.method not in SAFE or PIN_COOKIE in request.COOKIES:
            return None
        if getattr(view_func, "primary_reads", False):
            return None
        prefixes = getattr(settings, "REPLICA_READ_PREFIXES", DEFAULT_PREFIXES)
        if getattr(view_func, "replica_reads", False) or request.path.startswith(tuple(prefixes)):
            state.replica = True
        return None
