"""Version tokens for what a person's page header shows (issue 17): the shell's per-person context
(zhengwu.web.context: the government, the posts held today, the unread count of the bell) is cached
under these tokens and recomputed as soon as one of them changes.

- The organisation's token (`organisation_changed`): any change to a government, unit, post,
  appointment or absence — through the model's save or delete (the signals below) or the org
  services' conditional updates (which call it). Such changes are rare (a 任免, a leave recorded),
  so one token for all is enough.
- A person's token (`people_changed`): their notifications created or read (zhengwu.workflow.notify
  and notices call it), and any save of the person (their government).

A token is a random value, not a counter: a token lost from the cache (evicted, or a restarted
Redis) is replaced by a new one, never by one an old entry was stored under. Every change bumps
its token at once (so a page later in the same transaction, and a test, sees it) and again when
the transaction commits: a page that read the old rows while the change was in flight stored its
entry under the token of before the commit, which no longer matches.
"""

from __future__ import annotations

import logging
import secrets
from typing import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)

ORGANISATION = "zw:shell:org"


def person_key(pk: int) -> str:
    return f"zw:shell:v:{pk}"


def _bump(keys: list[str]) -> None:
    if not keys:
        return

    def bump():
        try:
            cache.set_many({k: secrets.token_hex(8) for k in keys}, None)
        except Exception:  # a cache server away must not undo the change (a 批示 committed or not)
            log.exception("shell tokens not bumped: %s", keys)

    bump()
    transaction.on_commit(bump)  # at once outside a transaction


def organisation_changed() -> None:
    _bump([ORGANISATION])


def people_changed(pks: Iterable[int | None]) -> None:
    _bump([person_key(pk) for pk in sorted({pk for pk in pks if pk is not None})])


def tokens(pk: int) -> tuple[str, str]:
    """(the organisation's token, the person's), each created if missing; one cache read when both
    exist (see `read`)."""
    found = cache.get_many([ORGANISATION, person_key(pk)])
    return ensure(ORGANISATION, found), ensure(person_key(pk), found)


def ensure(key: str, found: dict) -> str:
    value = found.get(key)
    if value is None:
        cache.add(key, secrets.token_hex(8), None)
        value = cache.get(key)
    return value


def _on_org_change(sender, **kwargs) -> None:
    organisation_changed()


def _on_person_change(sender, instance, **kwargs) -> None:
    people_changed([instance.pk])  # their government, say (a login's last_login too: harmless)


def connect() -> None:
    """Bump the organisation's token on every save and delete of what the header shows or acting
    depends on, and a person's on a save of the person (called once by the org app's ready())."""
    from .models import Absence, Appointment, Government, Person, Position, Unit

    for model in (Government, Unit, Position, Appointment, Absence):
        post_save.connect(_on_org_change, sender=model, dispatch_uid=f"zw-shell-{model.__name__}-save")
        post_delete.connect(_on_org_change, sender=model, dispatch_uid=f"zw-shell-{model.__name__}-delete")
    post_save.connect(_on_person_change, sender=Person, dispatch_uid="zw-shell-Person-save")
