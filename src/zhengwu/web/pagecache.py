"""Whole pages served again while nothing they show can have changed (issue 17: page throughput).

`cached_page` wraps the busiest read-only pages (the inbox and the leader's desk, the intake queue,
the registers). The rendered page is kept in the cache under a key made of:

- who asks and how: the session (a page is never served to another session), the CSRF cookie
  (the page's forms carry a token made from it), the language, the address with its query;
- the day (rules.today(): the lights of time limits change with it);
- a **data version** read from the database in one small query on every request:
  - the head of the person's government's audit chain and of the platform's chain. Services are
    the only writers, and every service writes its audit event in the same transaction as its
    change (DESIGN.md), so the head moves in the very commit that changes any document, task,
    meeting, item or post of that government — a page read after it gets a new key;
  - the person's notifications (the last one's id and how many are unread): notices created or
    read are not audited events, and the bell and the 待阅 show them;
  - the work calendar's change signature (the same as `workcalendar.selectors`);
- the build: the code, templates, catalogues and rulebooks this process runs (`build_digest`), so
  a deploy or a new rulebook never serves a page made by the code or the rules of before, even
  from a cache shared by servers (Redis) that outlives the processes.

  The version is read before the page: a change committed while the page is being rendered may be
  in the stored page under the older key — that entry is never asked for again, since everyone
  after the commit reads the new version. Because the version comes from the database, not from
  a per-process token, every worker and every server agrees on it whatever the cache backend.

Access: a kept page is served to its own session only, after the login and the gate middleware
(second factor, lifetime); the view's own access check ran when the page was kept, and what could
change its answer (an appointment, an absence, a role) is an audited change that moves a head. Only
200 answers are kept, never a refusal.

Off (the view runs every time) for: anything but GET/HEAD, an htmx request, a person with no
government, a request carrying a flash message, a request without a CSRF cookie (its page would
set one), and whenever the audit chain is off (AUDIT_HASH_CHAIN, the benchmark's P6 only: no head
moves then). Only a 200 HTML answer the view made itself is stored, without its cookies.
settings.PAGE_CACHE_SECONDS (default 300) bounds an entry's life; 0 turns the cache off.

What it cannot see: a change written to the database outside the services (SQL by hand, a
migration's data step) shows when the government's next event is written, or after
PAGE_CACHE_SECONDS. `tests/integration/test_web_page_cache.py` checks each covered page after the
services that change it, and that such a raw write is indeed not shown (so the cache is used).
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpResponse

log = logging.getLogger(__name__)

PREFIX = "zw:page:"
PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)  # the zhengwu package (its build digest)
BUILD_SUFFIXES = (".py", ".html", ".txt", ".mo", ".yaml", ".json", ".js", ".css", ".so")


@lru_cache(maxsize=4)
def build_digest(dirs: tuple[str, ...]) -> str:
    """A digest of the files under `dirs` (name, size, modification time): the package and the
    rulebook directories. Read once per process (a few milliseconds)."""
    h = hashlib.sha256()
    for d in dirs:
        for path in sorted(Path(d).rglob("*")):
            if path.suffix in BUILD_SUFFIXES and path.is_file():
                st = path.stat()
                h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def _build() -> str:
    return build_digest(tuple(sorted({PACKAGE_DIR, *(str(d) for d in getattr(settings, "RULEBOOK_DIRS", []))})))


def seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 300))


def data_version(person) -> tuple:
    """(government head, platform head, the person's last notification id, unread notifications,
    calendar rows, calendar change, calendar years, calendar load) in one query, read where the
    page's own reads go (the primary, or the replica for a replica page)."""
    from zhengwu.audit.models import PLATFORM, ChainHead
    from zhengwu.workcalendar.selectors import signature_sql
    from zhengwu.workflow.models import Notification

    alias = router.db_for_read(ChainHead)
    connection = connections[alias]
    qn = connection.ops.quote_name
    head, note = qn(ChainHead._meta.db_table), qn(Notification._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT (SELECT last_seq FROM {head} WHERE id = %s), (SELECT last_seq FROM {head} WHERE id = %s),"
            f" (SELECT MAX(id) FROM {note} WHERE person_id = %s),"
            f" (SELECT COUNT(*) FROM {note} WHERE person_id = %s AND read_at IS NULL), {signature_sql(qn)}",
            [person.government_id, PLATFORM, person.pk, person.pk])
        return tuple(cur.fetchone())


def _has_messages(request) -> bool:
    """A flash message waits for this request (the page would show it, and must consume it)."""
    from django.contrib.messages.storage.cookie import CookieStorage

    if request.COOKIES.get(CookieStorage.cookie_name):  # (an emptied one may still be sent)
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))


def _queued_messages(request) -> bool:
    """The view added a flash message (shown on the next page: this one is not kept)."""
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and getattr(storage, "_queued_messages", None))


def _eligible(request) -> bool:
    user = getattr(request, "user", None)
    return bool(
        seconds() > 0 and getattr(settings, "AUDIT_HASH_CHAIN", True)
        and request.method in ("GET", "HEAD")
        and user is not None and user.is_authenticated and getattr(user, "government_id", None)
        and not request.headers.get("HX-Request")
        and getattr(request, "session", None) is not None and request.session.session_key
        and not _has_messages(request))


def _key(request, name: str, csrf_secret: str, version: tuple) -> str:
    from django.utils.translation import get_language

    from zhengwu import rules

    parts = (name, request.get_full_path(), get_language(), request.session.session_key, csrf_secret,
             rules.today().isoformat(), request.user.pk, version, _build())
    return PREFIX + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_page(view):
    """Serve the view's page from the cache while its key (see the module) is unchanged."""
    name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _eligible(request):
            return view(request, *args, **kwargs)
        try:
            version = data_version(request.user)
        except Exception:  # noqa: BLE001 — never fail a page over its cache
            log.exception("page cache: data version not read")
            return view(request, *args, **kwargs)
        cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        if cookie:
            try:
                entry = cache.get(_key(request, name, cookie, version))
            except Exception:  # noqa: BLE001 — the cache server away: render
                entry = None
            if entry is not None:
                content, headers = entry
                response = HttpResponse(content)
                for header, value in headers:
                    response[header] = value
                return response
        response = view(request, *args, **kwargs)
        secret = request.META.get("CSRF_COOKIE", "")  # the secret the page's forms were made with
        if (response.status_code == 200 and not response.streaming and not response.cookies and secret
                and response.get("Content-Type", "").startswith("text/html") and not _queued_messages(request)):
            headers = [(h, v) for h, v in response.items() if h.lower() not in ("set-cookie", "content-length")]
            try:
                cache.set(_key(request, name, secret, version), (response.content, headers), seconds())
            except Exception:  # noqa: BLE001
                log.exception("page cache: page not stored")
        return response

    wrapper.page_cache = True
    return wrapper
