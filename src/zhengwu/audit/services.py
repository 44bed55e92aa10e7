"""The only writer of the audit trail.

Every service of every app calls `audit_append(...)` inside its own `transaction.atomic()`, after
making its change, so the change and its audit row commit or roll back together (the row is
chained and inserted as the transaction commits: zhengwu.audit.pending):

    with transaction.atomic():
        before = snapshot(unit)
        ...change unit...
        audit_append(actor=actor, action="org.unit.rename", obj_type="org.unit", obj_id=str(unit.pk),
                     before=before, after=snapshot(unit), article=rules.article_of("R97.unit_kind"),
                     summary="…")
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, router
from django.utils import timezone

from zhengwu.audit import catalogue, hashing
from zhengwu.audit.models import AuditEvent
from zhengwu.audit.pending import buffer_of

SYSTEM = "system"
REDACTED = "<redacted>"
SECRET_FIELDS = frozenset({"password"})  # never copied into the trail, even when asked for
MAX_LABEL = 200
MAX_REF = 100


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None:
        return None, SYSTEM
    if getattr(actor, "is_anonymous", False) or getattr(actor, "pk", None) is None:
        raise ValueError("actor: must be a saved person, or None for the system")
    name = str(actor).strip()
    username = actor.get_username() if hasattr(actor, "get_username") else ""
    if username and name and name != username:
        label = f"{name}（{username}）"
    else:
        label = name or username or f"#{actor.pk}"
    return int(actor.pk), label[:MAX_LABEL]


def _check_ref(field: str, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field}: must be a non-empty string")
    if len(value) > MAX_REF:
        raise ValueError(f"{field}: longer than {MAX_REF} characters")
    return value


def _check_values(field: str, value: Any) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"{field}: must be a dict (use snapshot(instance)) or None")
    return hashing.to_json_value(value, field)


_chain_government: contextvars.ContextVar[int | None] = contextvars.ContextVar("zhengwu_audit_government", default=None)


@contextlib.contextmanager
def government_chain(government: Any):
    """Within the block, events whose actor has no government (the system's, in a tick's pass over
    one government) go on `government`'s chain (a Government or its id)."""
    token = _chain_government.set(_government_id(government))
    try:
        yield
    finally:
        _chain_government.reset(token)


def _government_id(government: Any) -> int | None:
    if government is None:
        return None
    gid = getattr(government, "pk", government)
    if isinstance(gid, bool) or not isinstance(gid, int) or gid < 1:
        raise ValueError(f"government: {government!r} is not a government")
    return gid


def chain_government(actor: Any, government: Any = None) -> int | None:
    """The government whose chain an event goes on: the one given, else the block's
    (`government_chain`), else the actor's; None (the platform's chain) when there is none."""
    gid = _government_id(government)
    if gid is None:
        gid = _chain_government.get()
    if gid is None and actor is not None:
        gid = getattr(actor, "government_id", None)
    return gid


_actor_checks: list = []


def register_actor_check(check) -> None:
    """Add a check `check(actor, action)` that audit_append runs before queuing an event; it raises
    (e.g. zhengwu.errors.Forbidden) to refuse the action, and the caller's transaction rolls back
    with everything the service wrote. zhengwu.security registers the refusal of business actions by
    administrator accounts (三权分立) here, under every service that audits."""
    if check not in _actor_checks:
        _actor_checks.append(check)


def audit_append(
    *,
    actor: Any,
    action: str,
    obj_type: str,
    obj_id: str,
    before: dict | None = None,
    after: dict | None = None,
    article: int | None = None,
    summary: str = "",
    government: Any = None,
) -> AuditEvent:
    """Append one event to its government's chain (`chain_government`), in the caller's transaction (chained and inserted when it
    commits, or when the trail is read before that; until then the event's seq is None).

    actor: a Person (or any user instance) or None for the system. action: a registered code
    (zhengwu.audit.catalogue). Raises RuntimeError outside a transaction, ValueError/TypeError
    naming the field on bad input (and then writes nothing).
    """
    using = router.db_for_write(AuditEvent)
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError(
            "audit_append must run inside the caller's transaction.atomic(), "
            "so the change and its audit event commit or roll back together"
        )
    if not isinstance(action, str) or not catalogue.is_registered(action):
        raise ValueError(f"action: {action!r} is not in the audit catalogue (register it in AppConfig.ready())")
    obj_type = _check_ref("obj_type", obj_type)
    obj_id = _check_ref("obj_id", obj_id)
    if article is not None and (isinstance(article, bool) or not isinstance(article, int) or not 1 <= article <= 32767):
        raise ValueError(f"article: {article!r} is not an article number")
    if not isinstance(summary, str):
        raise TypeError("summary: must be a string")
    actor_id, actor_label = _actor_fields(actor)
    for check in _actor_checks:
        check(actor, action)
    event = AuditEvent(
        government_id=chain_government(actor, government),
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        obj_type=obj_type,
        obj_id=obj_id,
        before=_check_values("before", before),
        after=_check_values("after", after),
        article=article,
        summary=summary,
    )

    if not settings.AUDIT_HASH_CHAIN:
        # Benchmark mode only: no lock, no hash; the database numbers the row; verify_chain
        # reports such rows as unchained.
        event.at = timezone.now()
        event.save(using=using, force_insert=True)
        return event

    # Numbered, hashed and inserted under its chain's head lock when the transaction commits
    # (zhengwu.audit.pending): event.seq is None until then.
    buffer_of(connection).events.append(event)
    return event


def snapshot(instance: models.Model, fields: list[str] | tuple[str, ...] | None = None) -> dict[str, Any]:
    """The values of a model instance's fields, ready for `before`/`after`.

    fields: names (or attnames, e.g. "unit_id") to take; default all concrete fields. A foreign
    key is recorded as its id under the field name; a many-to-many field (only when named) as
    the sorted list of ids. Dates become ISO strings, decimals strings. Password fields are
    recorded as "<redacted>".
    """
    meta = instance._meta
    if fields is None:
        chosen = list(meta.concrete_fields)
    else:
        chosen = []
        for name in fields:
            try:
                chosen.append(meta.get_field(name))
            except FieldDoesNotExist:
                match = [f for f in meta.concrete_fields if f.attname == name]
                if not match:
                    raise ValueError(f"fields: {meta.label} has no field {name!r}") from None
                chosen.append(match[0])
    out: dict[str, Any] = {}
    for field in chosen:
        if field.name in SECRET_FIELDS:
            out[field.name] = REDACTED
        elif field.many_to_many and not field.auto_created:
            ids = getattr(instance, field.name).values_list("pk", flat=True) if instance.pk is not None else []
            out[field.name] = sorted(ids)
        elif field.concrete:
            out[field.name] = field.value_from_object(instance)
        else:
            raise ValueError(f"fields: {meta.label}.{field.name} is not a stored field")
    return hashing.to_json_value(out, "snapshot")
