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
# One chain per government (issue 17): "v2 <TAB> chain <TAB> seq <TAB> hash <TAB> time <TAB> algo <TAB> HMAC"
# names the chain (0 = the platform's, else the government's id; seq is the place in that chain).
# v1 lines (before) name the single chain, which became the platform's chain.
LINE_V2_RE = re.compile(r"^v2\t(0|[1-9][0-9]{0,18})\t([1-9][0-9]{0,18})\t([0-9a-f]{64})\t([0-9T:.+\-]{20,40})"
                        r"\t([a-z0-9]{1,10})\t([0-9a-f]{64})$")
# The root: every chain's head at one moment, in one signed line ("r1 <TAB> time <TAB> algo <TAB>
# chain:seq:hash,… <TAB> HMAC"), written by `zhengwu audit checkpoint` and by every `zhengwu tick`:
# it anchors the chains together (its HMAC is the digest to publish or hand to a time-stamping
# service), and names chains that had no commit since the last root.
ROOT_RE = re.compile(r"^r1\t([0-9T:.+\-]{20,40})\t([a-z0-9]{1,10})\t((?:(?:0|[1-9][0-9]{0,18}):[1-9][0-9]{0,18}:[0-9a-f]{64},?)*)"
                     r"\t([0-9a-f]{64})$")
MAX_LINE = 400
MAX_ROOT_LINE = 1 << 20

log = logging.getLogger("zhengwu.audit")


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # the place in its chain
    hash: str
    at: str  # UTC, ISO 8601
    line: int  # 1-based line number in the file
    chain: int = 0  # ChainHead.id: 0 the platform's chain, else the government's id


def _message(seq: int, hash_hex: str, at: str, algo: str, chain: int | None = None) -> bytes:
    if chain is None:  # v1
        return PREFIX + f"{FORMAT}|{seq}|{hash_hex}|{at}|{algo}".encode("ascii")
    return PREFIX + f"v2|{chain}|{seq}|{hash_hex}|{at}|{algo}".encode("ascii")


def _root_message(at: str, algo: str, heads: str) -> bytes:
    return PREFIX + f"r1|{at}|{algo}|{heads}".encode("ascii")


def _check_head(chain: int, seq: int, hash_hex: str) -> None:
    if isinstance(chain, bool) or not isinstance(chain, int) or chain < 0:
        raise ValueError(f"chain: {chain!r} is not a chain")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError(f"seq: {seq!r} is not an event number")
    if not re.fullmatch(r"[0-9a-f]{64}", hash_hex or ""):
        raise ValueError("hash: must be 64 lower-case hex digits")


def chain_line_for(key: bytes, chain: int, seq: int, hash_hex: str, *, at: dt.datetime | None = None,
                   algo: str | None = None) -> bytes:
    """The signed v2 line for "event #seq of chain `chain` has hash hash_hex"."""
    _check_head(chain, seq, hash_hex)
    algo = algo or hashing.current_algorithm()
    stamp = hashing.canonical_at(at or dt.datetime.now(dt.UTC))
    mac = hashing.mac_hex(algo, key, _message(seq, hash_hex, stamp, algo, chain))
    return f"v2\t{chain}\t{seq}\t{hash_hex}\t{stamp}\t{algo}\t{mac}\n".encode("ascii")


def root_line_for(key: bytes, heads: list[tuple[int, int, str]], *, at: dt.datetime | None = None,
                  algo: str | None = None) -> tuple[bytes, str]:
    """(the signed root line over every chain's head (chain, seq, hash), its HMAC: the root digest)."""
    for chain, seq, hash_hex in heads:
        _check_head(chain, seq, hash_hex)
    algo = algo or hashing.current_algorithm()
    stamp = hashing.canonical_at(at or dt.datetime.now(dt.UTC))
    listed = ",".join(f"{c}:{s}:{h}" for c, s, h in sorted(heads))
    mac = hashing.mac_hex(algo, key, _root_message(stamp, algo, listed))
    return f"r1\t{stamp}\t{algo}\t{listed}\t{mac}\n".encode("ascii"), mac


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


def record(heads: list[tuple[int | None, int, str]], key: bytes) -> bool:
    """Append the checkpoints of the chain heads a commit left ((government id or None, seq, hash)
    each) to settings.AUDIT_CHECKPOINT_FILE, in one write.

    Called after COMMIT: the change is already durable, so a failure here is logged (and the next
    commit writes a later checkpoint), never raised at the person whose change was saved."""
    from django.conf import settings

    try:
        at = dt.datetime.now(dt.UTC)
        lines = b"".join(chain_line_for(key, 0 if g is None else g, seq, h, at=at) for g, seq, h in heads)
        append(settings.AUDIT_CHECKPOINT_FILE, lines, fsync=settings.AUDIT_CHECKPOINT_FSYNC)
    except (OSError, ValueError, hashing.AuditKeyError) as e:
        log.error("audit checkpoint of %s not written to %s: %s", heads, settings.AUDIT_CHECKPOINT_FILE, e)
        return False
    return True


def record_root(key: bytes, *, fsync: bool = True) -> tuple[int, str] | None:
    """Append a root line over the heads of every chain (read from ChainHead); (chains, root digest),
    or None when no chain has an event yet. For `zhengwu audit checkpoint` and `zhengwu tick`."""
    from django.conf import settings

    from zhengwu.audit.models import ChainHead

    heads = [(c, s, h) for c, s, h in ChainHead.objects.order_by("id").values_list("id", "last_seq", "last_hash")
             if s > 0]
    if not heads:
        return None
    line, digest = root_line_for(key, heads)
    append(settings.AUDIT_CHECKPOINT_FILE, line, fsync=fsync)
    return len(heads), digest


def parse_all(text: str, key: bytes, line_no: int) -> list[Checkpoint] | None:
    """The checkpoints a line states (one for v1/v2 lines, one per chain for a root line), or None
    when its format or its HMAC is wrong."""
    if text.startswith("v2\t"):
        m = LINE_V2_RE.match(text)
        if not m:
            return None
        chain_s, seq_s, hash_hex, at, algo, mac = m.groups()
        if algo not in hashing.ALGORITHMS or not hashing.available(algo):
            return None
        expected = hashing.mac_hex(algo, key, _message(int(seq_s), hash_hex, at, algo, int(chain_s)))
        if not hmac.compare_digest(expected, mac):
            return None
        return [Checkpoint(int(seq_s), hash_hex, at, line_no, int(chain_s))]
    if text.startswith("r1\t"):
        m = ROOT_RE.match(text)
        if not m:
            return None
        at, algo, listed, mac = m.groups()
        if algo not in hashing.ALGORITHMS or not hashing.available(algo):
            return None
        if not hmac.compare_digest(hashing.mac_hex(algo, key, _root_message(at, algo, listed)), mac):
            return None
        out = []
        for item in filter(None, listed.split(",")):
            chain_s, seq_s, hash_hex = item.split(":")
            out.append(Checkpoint(int(seq_s), hash_hex, at, line_no, int(chain_s)))
        return out
    cp = parse(text, key, line_no)
    return None if cp is None else [cp]


def parse(text: str, key: bytes, line_no: int) -> Checkpoint | None:
    """The checkpoint a v1 line states, or None when its format or its HMAC is wrong."""
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


def scan(path: Path | str, key: bytes) -> Iterator[tuple[int, list[Checkpoint] | None]]:
    """(line number, its checkpoints or None when its format or HMAC is wrong) for every non-blank
    line, streamed. Raises FileNotFoundError when there is no file."""
    with open(path, "rb") as f:
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            limit = MAX_ROOT_LINE if raw.startswith(b"r1\t") else MAX_LINE
            try:
                text = raw[:limit].decode("ascii").rstrip("\r\n")
            except UnicodeDecodeError:
                text = ""
            yield n, (parse_all(text, key, n) if len(raw) <= limit else None)


def tick_root() -> str:
    """`zhengwu tick`'s periodic root over every chain's head; a one-line summary (never raises:
    the tick goes on, and the chains' own checkpoints still anchor each chain)."""
    from zhengwu.audit.chain import audit_key

    try:
        key = audit_key(required=False)
        if key is None:
            return "no audit key: no root recorded"
        root = record_root(key)
    except (OSError, ValueError, hashing.AuditKeyError) as e:
        log.error("audit root not recorded: %s", e)
        return f"root not recorded ({e})"
    return "the trail is empty" if root is None else f"root over {root[0]} chain(s) recorded ({root[1][:16]}…)"
