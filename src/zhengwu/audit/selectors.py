"""Reads of the audit trail: object history, recent events, and chain verification."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import QuerySet

from zhengwu.audit import checkpoints, hashing
from zhengwu.audit.chain import audit_key, message_of
from zhengwu.audit.models import AuditEvent, ChainHead, object_ref

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
class VerifyResult:
    ok: bool
    checked: int  # events walked (up to and including the first bad one)
    first_bad_seq: int | None
    reason: str
    algo: str = ""  # "sm3", "sha256", "sha256+sm3" for the events walked
    unchained: int = 0  # events written with AUDIT_HASH_CHAIN off


def _missing(first: int, last: int) -> str:
    return f"event #{first} is missing" if first == last else f"events #{first}–#{last} are missing"


def verify_chain(*, chunk_size: int = VERIFY_CHUNK) -> VerifyResult:
    """Walk every event in seq order (streamed, constant memory) and check that each one's HMAC
    matches its contents and position, that it links to the previous chained event, that no seq
    is missing between chained events, and that the chain reaches the event the chain head names.

    Safe while others append: the head is read before the walk, so later events are simply
    checked as part of the chain.
    """
    head = ChainHead.objects.filter(id=1).values("last_seq", "last_hash").first()
    try:
        key = audit_key(required=False)
    except hashing.AuditKeyError as e:
        key, key_error = None, str(e)
    else:
        key_error = ""

    checked = unchained = 0
    first_unchained: int | None = None
    prev_seq: int | None = None  # last event walked
    prev_chained: AuditEvent | None = None  # last chained event walked
    prev_was_chained = False
    head_found = False
    algos: set[str] = set()

    def result(ok: bool, bad: int | None, reason: str) -> VerifyResult:
        algo = "+".join(sorted(algos)) or hashing.current_algorithm()
        return VerifyResult(ok, checked, bad, reason, algo, unchained)

    for ev in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        checked += 1
        if not ev.hash:
            if ev.prev_hash or ev.algo:
                return result(False, ev.seq, "its hash has been removed")
            unchained += 1
            first_unchained = first_unchained or ev.seq
            prev_seq, prev_was_chained = ev.seq, False
            continue
        if ev.algo not in hashing.ALGORITHMS:
            return result(False, ev.seq, f"unknown hash algorithm {ev.algo!r}")
        if not hashing.available(ev.algo):
            return result(False, ev.seq, f"hash algorithm {ev.algo} is not available on this machine")
        if key is None:
            return result(False, ev.seq, key_error or "the audit key is missing, so no hash can be checked")
        algos.add(ev.algo)
        if prev_seq is None and ev.seq != 1:
            return result(False, ev.seq, _missing(1, ev.seq - 1))
        if prev_was_chained and ev.seq != prev_seq + 1:
            return result(False, ev.seq, _missing(prev_seq + 1, ev.seq - 1))
        if hashing.mac_hex(ev.algo, key, message_of(ev)) != ev.hash:
            return result(
                False, ev.seq, "its contents do not match its hash (altered, or moved from another position)"
            )
        expected_prev = prev_chained.hash if prev_chained else hashing.GENESIS
        if ev.prev_hash != expected_prev:
            where = f"event #{prev_chained.seq}" if prev_chained else "the start of the chain"
            return result(False, ev.seq, f"its prev_hash does not match the hash of {where}")
        if head and ev.seq == head["last_seq"]:
            if ev.hash != head["last_hash"]:
                return result(False, ev.seq, "it does not match the chain head")
            head_found = True
        prev_seq, prev_chained, prev_was_chained = ev.seq, ev, True

    if head is None and prev_chained is not None:
        head = ChainHead.objects.filter(id=1).values("last_seq", "last_hash").first()  # created meanwhile?
        if head is None:
            return result(False, prev_chained.seq, "the chain head is missing (cut-off events would go unseen)")
        head_found = True
    if head and head["last_seq"] > 0 and not head_found:
        last = prev_chained.seq if prev_chained else 0
        if head["last_seq"] > last:
            return result(False, last + 1, f"{_missing(last + 1, head['last_seq'])} from the end of the chain")
        return result(False, head["last_seq"], "the chain head names an event that is not chained")
    if unchained:
        return result(
            False,
            first_unchained,
            f"{unchained} event(s) were written with AUDIT_HASH_CHAIN off and are not tamper-evident",
        )
    return result(True, None, "")


@dataclass(frozen=True)
class AnchorResult:
    """The chain compared with its signed checkpoints (zhengwu.audit.checkpoints)."""

    ok: bool
    problems: list[tuple[str, str]] = field(default_factory=list)  # (Chinese, English), most serious first
    checkpoint: checkpoints.Checkpoint | None = None  # the latest valid one
    path: str = ""
    unanchored: bool = False  # chained events but no valid checkpoint at all (one of the problems)


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5])
    return shown + (f" (+{len(numbers) - 5})" if len(numbers) > 5 else "")


def verify_anchor(*, batch_size: int = 1000) -> AnchorResult:
    """Compare the chain with its signed checkpoints: every line must carry a valid HMAC, and for
    every valid line the event at its seq must exist and have its hash (checked in batches, the
    file streamed). Checking every line, not only the latest, also catches a chain that was cut
    back and has grown again past its old end. A missing (or empty) file is a problem once the
    trail holds chained events: whatever was cut off the end could not be noticed. Run
    `verify_chain` as well: the checkpoints vouch for the chain's end, its links for the rest."""
    path = settings.AUDIT_CHECKPOINT_FILE
    try:
        key = audit_key(required=False)
    except hashing.AuditKeyError as e:
        return AnchorResult(False, [("留痕密钥不可用，无法核对检查点", f"the audit key is unusable ({e})")], path=str(path))
    last = AuditEvent.objects.exclude(hash="").order_by("-seq").values("seq", "hash").first()
    last_seq = last["seq"] if last else 0
    if key is None:
        if last is None:
            return AnchorResult(True, path=str(path))
        return AnchorResult(False, [("留痕密钥缺失，无法核对检查点", "the audit key is missing, so no checkpoint can be checked")],
                            path=str(path))

    latest: checkpoints.Checkpoint | None = None
    beyond: checkpoints.Checkpoint | None = None  # the highest checkpoint past the chain's end
    wrong: list[tuple[checkpoints.Checkpoint, bool]] = []  # (checkpoint, event missing) inside the chain
    bad_lines: list[int] = []
    batch: list[checkpoints.Checkpoint] = []

    def check(batch: list[checkpoints.Checkpoint]) -> None:
        nonlocal beyond
        found = dict(AuditEvent.objects.filter(seq__in={c.seq for c in batch}).values_list("seq", "hash"))
        for c in batch:
            h = found.get(c.seq)
            if h is None and c.seq > last_seq:
                if beyond is None or c.seq > beyond.seq:
                    beyond = c
            elif h != c.hash:
                wrong.append((c, h is None))

    try:
        for n, cp in checkpoints.scan(path, key):
            if cp is None:
                bad_lines.append(n)
                continue
            if latest is None or cp.seq > latest.seq:
                latest = cp
            batch.append(cp)
            if len(batch) >= batch_size:
                check(batch)
                batch = []
        exists = True
    except FileNotFoundError:
        exists = False
    if batch:
        check(batch)

    def when(c: checkpoints.Checkpoint) -> str:
        return c.at[:19].replace("T", " ") + " UTC"

    problems: list[tuple[str, str]] = []
    if latest is None and last is not None:
        state_zh, state_en = ("不存在", "is missing") if not exists else ("中没有有效的检查点", "holds no valid checkpoint")
        problems.append((
            f"留痕检查点文件 {path} {state_zh}，而留痕已有 {last_seq} 条记录：从链尾删除的记录将无法发现。"
            "从备份恢复时请一并恢复该文件；确认留痕无误后，可运行 `zhengwu audit checkpoint` 记下当前链头",
            f"the checkpoint file {path} {state_en} although the trail holds {last_seq} events, so events cut "
            "off the end of the chain could not be noticed; restore it with the database backup, or record the "
            "current head with `zhengwu audit checkpoint` once the chain is known to be good"))
    if beyond is not None:
        gap_zh = f"第 {last_seq + 1} 条" if last_seq + 1 == beyond.seq else f"第 {last_seq + 1}—{beyond.seq} 条"
        gap_en = f"event #{beyond.seq} is" if last_seq + 1 == beyond.seq else f"events #{last_seq + 1}–#{beyond.seq} are"
        problems.append((
            f"链尾的{gap_zh}留痕记录缺失：{when(beyond)} 的检查点（第 {beyond.line} 行）证明第 {beyond.seq} 条记录曾经存在",
            f"{gap_en} missing from the end of the chain: the checkpoint of {when(beyond)} (line {beyond.line}) "
            f"vouches for event #{beyond.seq}"))
    if wrong:
        c, missing = min(wrong, key=lambda w: w[0].seq)
        more_zh = f"（另有 {len(wrong) - 1} 个检查点不符）" if len(wrong) > 1 else ""
        more_en = f" ({len(wrong) - 1} more checkpoint(s) disagree)" if len(wrong) > 1 else ""
        if missing:
            problems.append((f"第 {c.seq} 条留痕记录缺失（{when(c)} 的检查点，第 {c.line} 行）{more_zh}",
                             f"event #{c.seq} is missing (checkpoint of {when(c)}, line {c.line}){more_en}"))
        else:
            problems.append((
                f"第 {c.seq} 条留痕记录与 {when(c)} 的检查点（第 {c.line} 行）不符：留痕自该处或更早处被改写{more_zh}",
                f"event #{c.seq} does not match the checkpoint of {when(c)} (line {c.line}): the chain was rewritten "
                f"from there or earlier{more_en}"))
    if bad_lines:
        problems.append((
            f"留痕检查点文件 {path} 第 {_lines(bad_lines)} 行被篡改或伪造（签名不符）",
            f"checkpoint line(s) {_lines(bad_lines)} of {path} are altered or forged (the HMAC does not match)"))
    return AnchorResult(not problems, problems, latest, str(path), unanchored=latest is None and last is not None)
