"""Sessions (zhengwu.web.sessions): with the per-process local-memory cache a session is read from
the database, so a change another worker made (a second factor entered, a logout) is seen at once;
a local copy is kept only when SESSION_LOCAL_CACHE_SECONDS asks for it (one process)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from zhengwu.web import sessions

pytestmark = pytest.mark.django_db


def _another_worker_writes(key: str, **data) -> None:
    """What a second gunicorn worker's save does: the row changes, this process's cache does not."""
    other = sessions.SessionStore(key)
    other.load()
    row = Session.objects.get(session_key=key)
    decoded = other.decode(row.session_data)
    decoded.update(data)
    row.session_data = other.encode(decoded)
    row.save()


def test_a_change_made_by_another_worker_is_seen_at_once(settings):
    settings.SESSION_LOCAL_CACHE_SECONDS = 0
    mine = sessions.SessionStore()
    mine["verified"] = False
    mine.save()
    assert sessions.SessionStore(mine.session_key)["verified"] is False  # read once: a cache would keep it
    _another_worker_writes(mine.session_key, verified=True)
    assert sessions.SessionStore(mine.session_key)["verified"] is True
    Session.objects.filter(session_key=mine.session_key).delete()  # a logout elsewhere
    assert sessions.SessionStore(mine.session_key).load() == {}


def test_a_local_copy_only_when_asked_for(settings):
    settings.SESSION_LOCAL_CACHE_SECONDS = 5
    mine = sessions.SessionStore()
    mine["verified"] = False
    mine.save()
    _another_worker_writes(mine.session_key, verified=True)
    assert sessions.SessionStore(mine.session_key)["verified"] is False  # this process's copy, for up to 5 s
