"""Signed checkpoints of the chain head, kept outside the database (settings.AUDIT_CHECKPOINT_FILE).

Why: the chain's HMACs reveal any altered or removed event *before* the chain head, but someone
who can write to the database can delete the last events and rewrite `ChainHead` to the event
before them; what is left is a perfectly valid, shorter chain. A line appended to a file outside
the database after every commit ("event #N had hash H") is the anchor that reveals it:
`zhengwu audit verify` (`selectors.verify_anchor`) compares the chain with the latest checkpoint.

A line (ASCII, tab-separated, one `write()` on a descriptor opened O_APPEND, so lines from
concurrent processes never interleave):

    v1 <TAB> seq <TAB> hash <TAB> time (UTC ISO) <TAB> algo <TAB> HMAC(key, prefix + the other fields)

The HMAC uses the audit key (zhengwu.audit.chain), so a line cannot be forged or altered without
it. Processes append in the order their COMMITs finish, not in seq order, so the checker never
trusts the last line to be the latest: it checks every line (the event at its seq must exist
with its hash), which also catches a chain cut back and grown again past the old end.

Written only after the transaction has committed (`BufferedAuditMixin.commit`), so a rolled-back
transaction never leaves a checkpoint beyond the committed chain. A crash between the COMMIT and
the write only leaves the chain a little ahead of its latest checkpoint, which is not an error.
No fsync by default: the page cache survives a crash of the process, only a crash of the machine
can lose the latest lines, which again only weakens the anchor, never raises a false alarm (the
measured cost is in docs/security.md); settings.AUDIT_CHECKPOINT_FSYNC (env ZHENGWU_AUDIT_CHECKPOINT_FSYNC=1)
syncs every line.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zhengwu.audit import hashing

FORMAT = "v1"
PREFIX = b"zhengwu-audit-checkpoint\n"  # domain separation: an event's message is JSON ("{…")
LINE_RE = re.compile(r"^v1\t([1-9][0-9]{0,18})\t([0-9a-f]{64})\t([0-9T:.+\-]{20,40})\t([a-z0-9]{1,10})\t([0-9a-f]{64})$")
MAX_LINE = 400

log = logging.getLogger("zhengwu.audit")


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # UTC, ISO 8601
    line: int  # 1-based line number in the file


def _message(seq: int, hash_hex: str, at: str, algo: str) -> bytes:
    return PREFIX + f"{FORMAT}|{seq}|{hash_hex}|{at}|{algo}".encode("ascii")


def line_for(key: bytes, seq: int, hash_hex: str, *, at: dt.datetime | None = None, algo: str | None = None) -> bytes:
    """The signed line for "event #seq has hash hash_hex", as bytes ending in a newline."""
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError(f"seq: {seq!r} is not an event number")
    if not re.fullmatch(r"[0-9a-f]{64}", hash_hex or ""):
        raise ValueError("hash: must be 64 lower-case hex digits")
    algo = algo or hashing.current_algorithm()
    stamp = hashing.canonical_at(at or dt.datetime.now(dt.UTC))
    mac = hashing.mac_hex(algo, key, _message(seq, hash_hex, stamp, algo))
    return f"{FORMAT}\t{seq}\t{hash_hex}\t{stamp}\t{algo}\t{mac}\n".encode("ascii")


def append(path: Path | str, line: bytes, *, fsync: bool = False) -> None:
    """Append one line with a single write() on an O_APPEND descriptor; the file is created 0600."""
    path = Path(path)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o600)
    try:
        written = os.write(fd, line)
        if written != len(line):  # a regular file takes the whole line or fails (disk full)
            raise OSError(f"short write to {path} ({written} of {len(line)} bytes)")
        if fsync:
            os.fsync(fd)
    finally:
        os.close(fd)


def record(seq: int, hash_hex: str, key: bytes) -> bool:
    """Append the checkpoint of a committed chain head to settings.AUDIT_CHECKPOINT_FILE.

    Called after COMMIT: the change is already durable, so a failure here is logged (and the next
    commit writes a later checkpoint), never raised at the person whose change was saved."""
    from django.conf import settings

    try:
        append(settings.AUDIT_CHECKPOINT_FILE, line_for(key, seq, hash_hex),
               fsync=settings.AUDIT_CHECKPOINT_FSYNC)
    except (OSError, ValueError, hashing.AuditKeyError) as e:
        log.error("audit checkpoint of event #%s not written to %s: %s", seq, settings.AUDIT_CHECKPOINT_FILE, e)
        return False
    return True


def parse(text: str, key: bytes, line_no: int) -> Checkpoint | None:
    """The checkpoint a line states, or None when its format or its HMAC is wrong."""
    m = LINE_RE.match(text)
    if not m:
        return None
    seq_s, hash_hex, at, algo, mac = m.groups()
    if algo not in hashing.ALGORITHMS or not hashing.available(algo):
        return None
    expected = hashing.mac_hex(algo, key, _message(int(seq_s), hash_hex, at, algo))
    if not hmac.compare_digest(expected, mac):
        return None
    return Checkpoint(int(seq_s), hash_hex, at, line_no)


def scan(path: Path | str, key: bytes) -> Iterator[tuple[int, Checkpoint | None]]:
    """(line number, its checkpoint or None when its format or HMAC is wrong) for every non-blank
    line, streamed. Raises FileNotFoundError when there is no file."""
    with open(path, "rb") as f:
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                text = raw[:MAX_LINE].decode("ascii").rstrip("\r\n")
            except UnicodeDecodeError:
                text = ""
            yield n, (parse(text, key, n) if len(raw) <= MAX_LINE else None)
