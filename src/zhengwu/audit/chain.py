"""What the writer (services) and the checker (selectors) share: the key and an event's message."""

from __future__ import annotations

from django.conf import settings

from zhengwu.audit import hashing
from zhengwu.audit.models import AuditEvent


def audit_key(*, create: bool = True) -> bytes | None:
    """The HMAC key (env ZHENGWU_AUDIT_KEY, else settings.AUDIT_KEY_FILE, created on first use
    when create=True; None when missing and create=False)."""
    return hashing.load_key(settings.AUDIT_KEY_FILE, create=create)


def message_of(event: AuditEvent) -> bytes:
    """The canonical bytes the event's HMAC covers."""
    return hashing.event_message(
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        obj_type=event.obj_type,
        obj_id=event.obj_id,
        before=event.before,
        after=event.after,
        article=event.article,
        summary=event.summary,
        prev_hash=event.prev_hash,
    )
