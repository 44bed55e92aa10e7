"""The keyed hash of the audit chain: HMAC-SM3 where OpenSSL has SM3, else HMAC-SHA-256.

Pure Python (no Django import): `zhengwu.audit.services` and `selectors` pass in the key, which
lives outside the database (settings.AUDIT_KEY_FILE, or the hex key in env ZHENGWU_AUDIT_KEY), so
someone who can write to the database cannot recompute the chain after altering a row.

The message hashed for an event is a canonical JSON text of its fields (see `event_message`).
Both algorithms give 32 bytes, so `hash` and `prev_hash` are always 64 hex digits; the algorithm
of each event is stored beside it (`AuditEvent.algo`) so verification uses the same one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

GENESIS = "0" * 64  # prev_hash of the first event
KEY_BYTES = 32
MIN_KEY_BYTES = 16
ENV_KEY = "ZHENGWU_AUDIT_KEY"
ALGORITHMS = ("sm3", "sha256")


class AuditKeyError(Exception):
    """The audit key is missing or unusable (a deployment problem, not bad input)."""


def current_algorithm() -> str:
    """'sm3' (GB/T 32905) where this Python's OpenSSL provides it, else 'sha256'."""
    return "sm3" if "sm3" in hashlib.algorithms_available else "sha256"


def available(algo: str) -> bool:
    return algo == "sha256" or (algo == "sm3" and "sm3" in hashlib.algorithms_available)


def digest_hex(algo: str, data: bytes) -> str:
    """The plain (unkeyed) digest; used for the published test vectors."""
    if algo not in ALGORITHMS:
        raise ValueError(f"algo: unknown hash algorithm {algo!r}")
    return hashlib.new(algo, data).hexdigest()


def mac_hex(algo: str, key: bytes, message: bytes) -> str:
    if algo not in ALGORITHMS:
        raise ValueError(f"algo: unknown hash algorithm {algo!r}")
    if not available(algo):
        raise AuditKeyError(f"hash algorithm {algo} is not available in this Python/OpenSSL")
    return hmac.new(key, message, algo).hexdigest()


# --- canonical form ------------------------------------------------------------------------------


def json_default(value: Any) -> Any:
    """How values JSON does not know are written into before/after (and the hashed message)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def to_json_value(value: Any, field: str) -> Any:
    """`value` as JSON would give it back (tuples → lists, dates → ISO strings, keys → str).

    What is stored and what is hashed must be what the database returns later, so values are
    normalised once, before both. NaN and infinities are refused: JSON cannot hold them.
    """
    try:
        return json.loads(json.dumps(value, default=json_default, allow_nan=False, ensure_ascii=False))
    except ValueError as e:
        raise ValueError(f"{field}: not storable as JSON ({e})") from e


def _canon(value: Any) -> Any:
    # PostgreSQL jsonb keeps numbers as decimals and returns an integral float such as 1.5e300 as
    # the integer 15 followed by 299 zeros. Hash every integral float as the integer its shortest
    # decimal form denotes, so the message is the same before and after that round trip.
    if isinstance(value, float) and value.is_integer():
        return int(Decimal(repr(value)))
    if isinstance(value, Mapping):
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canon(v) for v in value]
    return value


def canonical_at(at: dt.datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("at: must be timezone-aware")
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_message(
    *,
    seq: int,
    at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    obj_type: str,
    obj_id: str,
    before: Any,
    after: Any,
    article: int | None,
    summary: str,
    prev_hash: str,
    government: int | None = None,
) -> bytes:
    """The bytes the HMAC covers. seq (the event's place in its chain) is included, so moving a row
    to another place breaks it; so is the government of a government's chain (the platform's chain,
    and the single chain of before it, have none), so moving a row to another chain breaks it too."""
    doc = {
        "seq": seq,
        "at": canonical_at(at),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "obj_type": obj_type,
        "obj_id": obj_id,
        "before": _canon(before),
        "after": _canon(after),
        "article": article,
        "summary": summary,
        "prev_hash": prev_hash,
    }
    if government is not None:
        doc["government"] = government
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


# --- the key -------------------------------------------------------------------------------------


def load_key(path: Path | str, *, create: bool, env: Mapping[str, str] | None = None) -> bytes | None:
    """The HMAC key: hex in env ZHENGWU_AUDIT_KEY if set, else the bytes of the key file.

    With create=True a missing file is created with 32 random bytes, mode 0600 (atomically:
    written to a private temporary file, then linked into place, so two processes starting at
    once agree on one key). With create=False a missing file gives None.
    """
    env = os.environ if env is None else env
    hex_key = env.get(ENV_KEY, "").strip()
    if hex_key:
        try:
            key = bytes.fromhex(hex_key)
        except ValueError as e:
            raise AuditKeyError(f"{ENV_KEY}: not a hex string") from e
        if len(key) < MIN_KEY_BYTES:
            raise AuditKeyError(f"{ENV_KEY}: key too short ({len(key)} bytes, need at least {MIN_KEY_BYTES})")
        return key
    path = Path(path)
    if not path.exists():
        if not create:
            return None
        _create_key_file(path)
    key = path.read_bytes()
    if len(key) < MIN_KEY_BYTES:
        raise AuditKeyError(f"audit key file {path}: too short ({len(key)} bytes, need at least {MIN_KEY_BYTES})")
    return key


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(KEY_BYTES))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # fails if another process got there first: then its key is used
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
