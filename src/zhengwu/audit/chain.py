"""What the writer (services) and the checker (selectors) share: the key and an event's message.

The key is never created on use: `zhengwu init` creates it once (`init_key`). A write that needs it
while it is missing raises `AuditKeyError` (a deployment problem), so a database restored without
its key cannot go on with a new key that no earlier event verifies against.
"""

from __future__ import annotations

import os

from django.conf import settings

from zhengwu.audit import hashing
from zhengwu.audit.models import AuditEvent

MISSING_KEY = (
    "the audit key is missing ({where}): run `zhengwu init` on a new installation, or restore the key "
    "with the database it belongs to / 留痕密钥缺失（{where}）：新安装请先运行 `zhengwu init`；"
    "从备份恢复的，请一并恢复该密钥"
)


def audit_key(*, required: bool = True) -> bytes | None:
    """The HMAC key (hex in env ZHENGWU_AUDIT_KEY, else the bytes of settings.AUDIT_KEY_FILE).

    Missing: raises AuditKeyError naming `zhengwu init` when `required`, else returns None (the
    checker reports it). Never creates the key."""
    key = hashing.load_key(settings.AUDIT_KEY_FILE, create=False)
    if key is None and required:
        raise hashing.AuditKeyError(MISSING_KEY.format(where=settings.AUDIT_KEY_FILE))
    return key


def init_key() -> tuple[str, bool]:
    """Create the key file (32 random bytes, mode 0600) unless a key exists; for `zhengwu init`.
    Returns (where the key comes from, whether it was created now)."""
    if os.environ.get(hashing.ENV_KEY, "").strip():
        hashing.load_key(settings.AUDIT_KEY_FILE, create=False)  # validates the variable
        return hashing.ENV_KEY, False
    path = settings.AUDIT_KEY_FILE
    existed = path.exists()
    hashing.load_key(path, create=True)
    return str(path), not existed


def message_of(event: AuditEvent) -> bytes:
    """The canonical bytes the event's HMAC covers (its place in its chain, not its global seq)."""
    return hashing.event_message(
        seq=event.chain_seq,
        government=event.government_id,
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
