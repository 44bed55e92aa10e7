"""Reads of the audit trail: object history, recent events, and chain verification."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import QuerySet

from zhengwu.audit import checkpoints, hashing
from zhengwu.audit.chain import audit_key, message_of
from zhengwu.audit.models import PLATFORM, AuditEvent, ChainHead, chain_of, object_ref

VERIFY_CHUNK = 2000


def history_for(obj_type: str, obj_id: str) -> QuerySet[AuditEvent]:
    """Events about one object, newest first; `event.action_label` is the catalogue's label."""
    return AuditEvent.objects.filter(obj_type=obj_type, obj_id=str(obj_id)).order_by("-seq")


def history_for_object(instance: models.Model) -> QuerySet[AuditEvent]:
    """Events about a model instance (obj_type "<app_label>.<model_name>"), newest first."""
    return history_for(*object_ref(instance))


def by_actor(actor_id: int) -> QuerySet[AuditEvent]:
    """What one person did, newest first."""
    return AuditEvent.objects.filter(actor_id=actor_id).order_by("-seq")


def recent(limit: int = 50) -> QuerySet[AuditEvent]:
    """The latest `limit` events, newest first."""
    if limit < 1:
        raise ValueError("limit: must be at least 1")
    return AuditEvent.objects.order_by("-seq")[:limit]


@dataclass(frozen=True)
class ChainResult:
    """One chain's verification: the platform's (government_id None) or a government's."""

    government_id: int | None
    ok: bool
    checked: int  # events of the chain walked (up to and including the first bad one)
    first_bad_seq: int | None  # the place in the chain of the first bad event
    reason: str
    last_seq: int = 0  # the place of the last event walked
    first_bad_event: int | None = None  # that event's own record number (seq), where it exists

    @property
    def chain(self) -> int:
        return PLATFORM if self.government_id is None else self.government_id


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int  # events walked (of each chain, up to and including its first bad one)
    first_bad_seq: int | None  # of the first broken chain: the place in it of its first bad event
    reason: str
    algo: str = ""  # "sm3", "sha256", "sha256+sm3" for the events walked
    unchained: int = 0  # events written with AUDIT_HASH_CHAIN off
    chains: tuple[ChainResult, ...] = ()  # one per chain, the platform's first, then by government id
    government_id: int | None = None  # the first broken chain's government (None: the platform's)
    first_bad_event: int | None = None  # the record number (seq) of that event, where it exists


def _missing(first: int, last: int) -> str:
    return f"event #{first} is missing" if first == last else f"events #{first}–#{last} are missing"


class _Walk:
    __slots__ = ("bad", "bad_event", "checked", "head", "head_found", "prev_hash", "prev_seq", "reason")

    def __init__(self, head: dict | None) -> None:
        self.head = head
        self.checked = self.prev_seq = 0
        self.prev_hash: str | None = None
        self.head_found = False
        self.bad: int | None = None
        self.bad_event: int | None = None  # the record number (seq) of the bad event, where it exists
        self.reason = ""


def verify_chain(*, chunk_size: int = VERIFY_CHUNK) -> VerifyResult:
    """Walk every event in seq order (streamed, constant memory per chain) and check, for each chain
    (the platform's and each government's) on its own, that each event's HMAC matches its contents,
    its chain and its place in it, that it links to the previous event of its chain (the first to
    the chain's genesis), that no place is missing, and that the chain reaches the event its head
    names. A broken chain is reported and the others still checked (`chains`).

    Safe while others append: the heads are read before the walk, so later events are simply
    checked as part of their chains. (Within one chain, seq grows with the place: both are taken
    under the chain's head lock.)
    """
    heads = {h["id"]: h for h in ChainHead.objects.values("id", "last_seq", "last_hash", "genesis")}
    try:
        key = audit_key(required=False)
    except hashing.AuditKeyError as e:
        key, key_error = None, str(e)
    else:
        key_error = ""

    unchained = 0
    first_unchained: int | None = None
    algos: set[str] = set()
    walks: dict[int, _Walk] = {}

    def fail(w: _Walk, place: int | None, reason: str, event: int | None = None) -> None:
        w.bad, w.reason, w.bad_event = place, reason, event

    for ev in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        chain = chain_of(ev.government_id)
        w = walks.get(chain)
        if w is None:
            w = walks[chain] = _Walk(heads.get(chain))
        if w.bad is not None:
            continue
        if not ev.hash:
            if ev.prev_hash or ev.algo:
                w.checked += 1
                fail(w, ev.chain_seq or w.prev_seq + 1, "its hash has been removed", ev.seq)
            else:
                unchained += 1
                first_unchained = first_unchained or ev.seq
            continue
        w.checked += 1
        place = ev.chain_seq
        if ev.algo not in hashing.ALGORITHMS:
            fail(w, place, f"unknown hash algorithm {ev.algo!r}", ev.seq)
            continue
        if not hashing.available(ev.algo):
            fail(w, place, f"hash algorithm {ev.algo} is not available on this machine", ev.seq)
            continue
        if key is None:
            fail(w, place, key_error or "the audit key is missing, so no hash can be checked", ev.seq)
            continue
        algos.add(ev.algo)
        if place is None or place <= w.prev_seq:
            fail(w, place or w.prev_seq + 1, "its place in the chain is missing or repeated", ev.seq)
            continue
        if place != w.prev_seq + 1:
            fail(w, place, _missing(w.prev_seq + 1, place - 1), ev.seq)
            continue
        if hashing.mac_hex(ev.algo, key, message_of(ev)) != ev.hash:
            fail(w, place, "its contents do not match its hash (altered, or moved from another position)", ev.seq)
            continue
        if w.prev_hash is None:
            expected_prev = w.head["genesis"] if w.head else hashing.GENESIS
            if ev.prev_hash != expected_prev:
                fail(w, place, "its prev_hash does not match the hash of the start of the chain", ev.seq)
                continue
        elif ev.prev_hash != w.prev_hash:
            fail(w, place, f"its prev_hash does not match the hash of event #{w.prev_seq}", ev.seq)
            continue
        if w.head and place == w.head["last_seq"]:
            if ev.hash != w.head["last_hash"]:
                fail(w, place, "it does not match the chain head", ev.seq)
                continue
            w.head_found = True
        w.prev_seq, w.prev_hash = place, ev.hash

    late = None
    for chain, head in heads.items():
        if chain not in walks and head["last_seq"] > 0:
            walks[chain] = _Walk(head)
    for chain, w in walks.items():
        if w.bad is not None:
            continue
        if w.head is None and w.prev_hash is not None:
            if late is None:
                late = {h["id"]: h for h in ChainHead.objects.values("id", "last_seq", "last_hash", "genesis")}
            if chain not in late:  # not created meanwhile either
                fail(w, w.prev_seq, "the chain head is missing (cut-off events would go unseen)")
            continue
        if w.head and w.head["last_seq"] > 0 and not w.head_found:
            if w.head["last_seq"] > w.prev_seq:
                fail(w, w.prev_seq + 1, f"{_missing(w.prev_seq + 1, w.head['last_seq'])} from the end of the chain")
            else:
                fail(w, w.head["last_seq"], "the chain head names an event that is not chained")

    results = tuple(
        ChainResult(None if chain == PLATFORM else chain, w.bad is None, w.checked, w.bad, w.reason, w.prev_seq,
                    w.bad_event)
        for chain, w in sorted(walks.items()))
    algo = "+".join(sorted(algos)) or hashing.current_algorithm()
    checked = sum(r.checked for r in results) + unchained
    broken = [r for r in results if not r.ok]
    if broken:
        first = broken[0]
        return VerifyResult(False, checked, first.first_bad_seq, first.reason, algo, unchained, results,
                            first.government_id, first.first_bad_event)
    if unchained:
        return VerifyResult(False, checked, first_unchained,
                            f"{unchained} event(s) were written with AUDIT_HASH_CHAIN off and are not tamper-evident",
                            algo, unchained, results)
    return VerifyResult(True, checked, None, "", algo, unchained, results)


@dataclass(frozen=True)
class AnchorResult:
    """The chain compared with its signed checkpoints (zhengwu.audit.checkpoints)."""

    ok: bool
    problems: list[tuple[str, str]] = field(default_factory=list)  # (Chinese, English), most serious first
    checkpoint: checkpoints.Checkpoint | None = None  # the latest valid one
    path: str = ""
    unanchored: bool = False  # chained events but no valid checkpoint at all (one of the problems)
    chains: dict[int, checkpoints.Checkpoint] = field(default_factory=dict)  # the latest of each chain


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5])
    return shown + (f" (+{len(numbers) - 5})" if len(numbers) > 5 else "")


def _chain_name(chain: int) -> tuple[str, str]:
    """How a problem names a chain: nothing for the platform's (as before there were several)."""
    if chain == PLATFORM:
        return "", ""
    from django.apps import apps

    name = apps.get_model("org", "Government").objects.filter(pk=chain).values_list("short_name", flat=True).first()
    return f"{name or chain}的留痕链：", f"the chain of government {chain}{f' ({name})' if name else ''}: "


def verify_anchor(*, batch_size: int = 1000) -> AnchorResult:
    """Compare each chain with its signed checkpoints: every line must carry a valid HMAC, and for
    every valid line (a chain's checkpoint, or a root naming every chain's head) the event at its
    place must exist and have its hash (checked in batches, the file streamed). Checking every
    line, not only the latest, also catches a chain that was cut back and has grown again past its
    old end. A missing (or empty) file is a problem once the trail holds chained events: whatever
    was cut off the end could not be noticed. Run `verify_chain` as well: the checkpoints vouch for
    the chains' ends, their links for the rest."""
    from django.db.models import Max, Q

    path = settings.AUDIT_CHECKPOINT_FILE
    try:
        key = audit_key(required=False)
    except hashing.AuditKeyError as e:
        return AnchorResult(False, [("留痕密钥不可用，无法核对检查点", f"the audit key is unusable ({e})")], path=str(path))
    ends = {chain_of(g): m for g, m in AuditEvent.objects.exclude(hash="").values("government_id")
            .annotate(m=Max("chain_seq")).values_list("government_id", "m")}
    total = sum(ends.values())
    if key is None:
        if not ends:
            return AnchorResult(True, path=str(path))
        return AnchorResult(False, [("留痕密钥缺失，无法核对检查点", "the audit key is missing, so no checkpoint can be checked")],
                            path=str(path))

    by_chain: dict[int, checkpoints.Checkpoint] = {}  # the latest checkpoint of each chain
    beyond: dict[int, checkpoints.Checkpoint] = {}  # per chain, the highest checkpoint past its end
    wrong: list[tuple[checkpoints.Checkpoint, bool]] = []  # (checkpoint, event missing) inside a chain
    bad_lines: list[int] = []
    batch: list[checkpoints.Checkpoint] = []

    def check(batch: list[checkpoints.Checkpoint]) -> None:
        wanted: dict[int, set[int]] = {}
        for c in batch:
            wanted.setdefault(c.chain, set()).add(c.seq)
        where = Q()
        for chain, places in wanted.items():
            where |= (Q(government_id__isnull=True) if chain == PLATFORM else Q(government_id=chain)) & Q(chain_seq__in=places)
        found = {(chain_of(g), p): h for g, p, h in
                 AuditEvent.objects.filter(where).values_list("government_id", "chain_seq", "hash")}
        for c in batch:
            h = found.get((c.chain, c.seq))
            if h is None and c.seq > ends.get(c.chain, 0):
                if c.chain not in beyond or c.seq > beyond[c.chain].seq:
                    beyond[c.chain] = c
            elif h != c.hash:
                wrong.append((c, h is None))

    try:
        for n, cps in checkpoints.scan(path, key):
            if cps is None:
                bad_lines.append(n)
                continue
            for cp in cps:
                if cp.chain not in by_chain or cp.seq > by_chain[cp.chain].seq:
                    by_chain[cp.chain] = cp
                batch.append(cp)
            if len(batch) >= batch_size:
                check(batch)
                batch = []
        exists = True
    except FileNotFoundError:
        exists = False
    if batch:
        check(batch)
    # The one to show: the platform's (the chain of before), else the first government's.
    latest = by_chain[min(by_chain)] if by_chain else None

    def when(c: checkpoints.Checkpoint) -> str:
        return c.at[:19].replace("T", " ") + " UTC"

    problems: list[tuple[str, str]] = []
    if latest is None and ends:
        state_zh, state_en = ("不存在", "is missing") if not exists else ("中没有有效的检查点", "holds no valid checkpoint")
        problems.append((
            f"留痕检查点文件 {path} {state_zh}，而留痕已有 {total} 条记录：从链尾删除的记录将无法发现。"
            "从备份恢复时请一并恢复该文件；确认留痕无误后，可运行 `zhengwu audit checkpoint` 记下当前链头",
            f"the checkpoint file {path} {state_en} although the trail holds {total} events, so events cut "
            "off the end of the chain could not be noticed; restore it with the database backup, or record the "
            "current head with `zhengwu audit checkpoint` once the chain is known to be good"))
    for chain, c in sorted(beyond.items()):
        last_seq = ends.get(chain, 0)
        nz, ne = _chain_name(chain)
        gap_zh = f"第 {last_seq + 1} 条" if last_seq + 1 == c.seq else f"第 {last_seq + 1}—{c.seq} 条"
        gap_en = f"event #{c.seq} is" if last_seq + 1 == c.seq else f"events #{last_seq + 1}–#{c.seq} are"
        problems.append((
            f"{nz}链尾的{gap_zh}留痕记录缺失：{when(c)} 的检查点（第 {c.line} 行）证明第 {c.seq} 条记录曾经存在",
            f"{ne}{gap_en} missing from the end of the chain: the checkpoint of {when(c)} (line {c.line}) "
            f"vouches for event #{c.seq}"))
    if wrong:
        c, missing = min(wrong, key=lambda w: (w[0].chain, w[0].seq))
        nz, ne = _chain_name(c.chain)
        more_zh = f"（另有 {len(wrong) - 1} 个检查点不符）" if len(wrong) > 1 else ""
        more_en = f" ({len(wrong) - 1} more checkpoint(s) disagree)" if len(wrong) > 1 else ""
        if missing:
            problems.append((f"{nz}第 {c.seq} 条留痕记录缺失（{when(c)} 的检查点，第 {c.line} 行）{more_zh}",
                             f"{ne}event #{c.seq} is missing (checkpoint of {when(c)}, line {c.line}){more_en}"))
        else:
            problems.append((
                f"{nz}第 {c.seq} 条留痕记录与 {when(c)} 的检查点（第 {c.line} 行）不符：留痕自该处或更早处被改写{more_zh}",
                f"{ne}event #{c.seq} does not match the checkpoint of {when(c)} (line {c.line}): the chain was rewritten "
                f"from there or earlier{more_en}"))
    if bad_lines:
        problems.append((
            f"留痕检查点文件 {path} 第 {_lines(bad_lines)} 行被篡改或伪造（签名不符）",
            f"checkpoint line(s) {_lines(bad_lines)} of {path} are altered or forged (the HMAC does not match)"))
    return AnchorResult(not problems, problems, latest, str(path), unanchored=latest is None and bool(ends),
                        chains=by_chain)
