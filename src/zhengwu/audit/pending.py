"""Audit events chained at commit: the chain-head locks held for a few statements, not the whole
service transaction; one chain (and head) per government, so governments never wait on each other.

`audit_append` validates an event and hands it to its connection's `AuditBuffer`. The events are
numbered, hashed and inserted — under the chain-head lock — when the transaction commits, in the
same transaction as the change they record (the database wrappers in `zhengwu.audit.backends`
call `flush` from `commit()`), or earlier, when anything reads the trail inside the transaction
(`AuditEvent.objects` flushes first). Before this, each append took the lock at once and held it
until the service's transaction ended, so concurrent services ran one at a time from their first
audit event on (measured as P6 in docs/performance.md).

After the COMMIT has succeeded, the new chain head is appended to the signed checkpoint file
(zhengwu.audit.checkpoints): never before, so a transaction that rolls back leaves no checkpoint.

Savepoints are honoured both ways: events appended inside a savepoint that rolls back are dropped,
and events flushed inside it (their rows rolled back with it) are chained again at the next flush.
"""

from __future__ import annotations

from django.db import DatabaseError, connections

# The models are imported inside the functions: this module is loaded with the database wrapper,
# which may happen before the app registry is ready.


class AuditBuffer:
    """The events appended in one connection's current transaction, in order; `flushed` of them
    are already rows in the database (inside this transaction)."""

    __slots__ = ("events", "flushed", "key", "marks")

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []
        self.flushed = 0
        self.marks: dict[str, tuple[int, int]] = {}
        self.key: bytes | None = None  # the audit key the events were chained with (for the checkpoint)

    @property
    def waiting(self) -> bool:
        return self.flushed < len(self.events)

    def clear(self) -> None:
        self.events.clear()
        self.flushed = 0
        self.marks.clear()
        self.key = None

    def savepoint(self, sid: str) -> None:
        self.marks[sid] = (len(self.events), self.flushed)

    def savepoint_rollback(self, sid: str) -> None:
        mark = self.marks.get(sid)
        if mark is not None:
            appended, flushed = mark
            del self.events[appended:]
            self.flushed = min(self.flushed, flushed)

    def savepoint_commit(self, sid: str) -> None:
        self.marks.pop(sid, None)


class BufferedAuditMixin:
    """Mixed into the database wrappers (`zhengwu.audit.backends.*`): flush before COMMIT, forget
    on ROLLBACK, follow savepoints."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit_buffer = AuditBuffer()

    def commit(self):
        buffer = self.audit_buffer
        if buffer.waiting:
            try:
                flush(self)
            except BaseException:
                self._rollback()  # nothing half-written: the change goes with its events (and the buffer)
                raise
        # The last event of each chain the transaction wrote to is the head it leaves there.
        heads = {}
        for event in buffer.events:
            if event.chain_seq is not None and event.hash:
                heads[event.government_id] = (event.government_id, event.chain_seq, event.hash)
        key = buffer.key
        buffer.clear()
        result = super().commit()
        if heads and key is not None:
            # Only now, after COMMIT: a rolled-back transaction never leaves a checkpoint beyond the chain.
            from zhengwu.audit.checkpoints import record

            record(list(heads.values()), key)
        return result

    def _rollback(self):
        self.audit_buffer.clear()
        return super()._rollback()

    def _close(self):
        self.audit_buffer.clear()
        return super()._close()

    def _savepoint(self, sid):
        self.audit_buffer.savepoint(sid)
        return super()._savepoint(sid)

    def _savepoint_rollback(self, sid):
        self.audit_buffer.savepoint_rollback(sid)
        return super()._savepoint_rollback(sid)

    def _savepoint_commit(self, sid):
        if self.audit_buffer.waiting and self.atomic_blocks and all(
                getattr(block, "_from_testcase", False) for block in self.atomic_blocks):
            # The outermost block a service opened inside a TestCase's own blocks: chain now, as
            # its COMMIT would outside a test (and still inside the savepoint, so a failure rolls
            # back to it).
            flush(self)
        self.audit_buffer.savepoint_commit(sid)
        return super()._savepoint_commit(sid)


def buffer_of(connection) -> AuditBuffer:
    buffer = getattr(connection, "audit_buffer", None)
    if buffer is None:
        raise RuntimeError(
            f"database {connection.alias!r}: its ENGINE must be one of zhengwu.audit.backends.* "
            "(the audit trail is chained when the transaction commits)"
        )
    return buffer


def flush_all() -> None:
    """Chain what waits on every open connection (called before the trail is read)."""
    for connection in connections.all(initialized_only=True):
        buffer = getattr(connection, "audit_buffer", None)
        if buffer is not None and buffer.waiting and connection.in_atomic_block:
            flush(connection)


def flush(connection) -> None:
    """Number, hash and insert the waiting events, each on its government's chain, under the head
    locks of those chains only (taken in chain order, so two flushes never deadlock), in the
    connection's open transaction. PostgreSQL: two statements (lock the heads; insert the events and
    update the heads); a chain's first event creates its head. SQLite (whose IMMEDIATE transaction
    already holds the write lock): the heads, one INSERT and the head updates."""
    from django.utils import timezone

    from zhengwu.audit import hashing
    from zhengwu.audit.chain import audit_key, message_of
    from zhengwu.audit.models import AuditEvent, ChainHead, chain_of

    buffer = connection.audit_buffer
    events = buffer.events[buffer.flushed:]
    if not events:
        return
    using = connection.alias
    key = audit_key()  # raises AuditKeyError when missing (`zhengwu init` creates it): never made here
    chains = sorted({chain_of(e.government_id) for e in events})
    postgresql = connection.vendor == "postgresql"
    heads = _lock_heads_postgresql(connection, chains) if postgresql else {}
    for chain in chains:
        if chain not in heads:
            head = _lock_head(using, chain)
            heads[chain] = (head.last_seq, head.last_hash)
    at = timezone.now()  # taken under the locks, so time never runs backwards along a chain
    algo = hashing.current_algorithm()
    state = dict(heads)
    for event in events:
        chain = chain_of(event.government_id)
        pos, prev = state[chain]
        event.chain_seq, event.at, event.prev_hash, event.algo = pos + 1, at, prev, algo
        event.hash = hashing.mac_hex(algo, key, message_of(event))
        state[chain] = (pos + 1, event.hash)
    try:
        if postgresql:
            _write_postgresql(connection, events, state)
        else:
            AuditEvent._base_manager.using(using).bulk_create(events)
            for chain, (pos, last) in state.items():
                ChainHead._base_manager.using(using).filter(id=chain).update(last_seq=pos, last_hash=last)
    except DatabaseError:
        for event in events:
            event.seq = event.chain_seq = None
        raise
    for event in events:
        event._state.adding, event._state.db = False, using
    buffer.flushed = len(buffer.events)
    buffer.key = key


def _lock_heads_postgresql(connection, chains: list[int]) -> dict[int, tuple[int, str]]:
    """{chain: (last_seq, last_hash)} of the chains' heads that exist, locked in chain order, in one
    statement (the missing ones are created by `_lock_head`)."""
    from zhengwu.audit.models import ChainHead

    q = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, last_seq, last_hash FROM {q(ChainHead._meta.db_table)} "
                    f"WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [chains])
        return {row[0]: (row[1], row[2]) for row in cur.fetchall()}


def _write_postgresql(connection, events, heads: dict[int, tuple[int, str]]) -> None:
    """The events and the heads in one round trip (a statement with two data-modifying CTEs); the
    database numbers the rows (seq), which come back in the order of the VALUES."""
    import json

    from django.db import models

    from zhengwu.audit.models import AuditEvent, ChainHead

    q = connection.ops.quote_name
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    row = "(" + ", ".join("%s::jsonb" if f.attname in json_fields else "%s" for f in fields) + ")"
    params: list = []
    for event in events:
        for f in fields:
            value = getattr(event, f.attname)
            if f.attname in json_fields and value is not None:
                value = json.dumps(value)
            params.append(value)
    ids = sorted(heads)
    table = AuditEvent._meta.db_table
    sql = (f"WITH ins AS (INSERT INTO {q(table)} ({', '.join(q(f.column) for f in fields)}) "
           f"VALUES {', '.join([row] * len(events))} RETURNING {q('seq')}, {q('government_id')}, {q('chain_seq')}), "
           f"head AS (UPDATE {q(ChainHead._meta.db_table)} h SET last_seq = v.s, last_hash = v.l "
           f"FROM (VALUES {', '.join(['(%s::bigint, %s::bigint, %s)'] * len(ids))}) v(i, s, l) WHERE h.id = v.i) "
           f"SELECT * FROM ins")
    for chain in ids:
        params += [chain, *heads[chain]]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        numbered = {(g, c): seq for seq, g, c in cur.fetchall()}
    for event in events:
        event.seq = numbered[(event.government_id, event.chain_seq)]


def _lock_head(using: str, chain: int):
    """Lock one chain's head row (PostgreSQL: SELECT … FOR UPDATE; SQLite: the IMMEDIATE
    transaction already holds the write lock), creating it on the chain's first event."""
    from zhengwu.audit import hashing
    from zhengwu.audit.models import PLATFORM, AuditEvent, ChainHead

    qs = ChainHead._base_manager.using(using).select_for_update()
    head = qs.filter(id=chain).first()
    if head is None:
        # The chain's first event, or its head row was lost: start it from its last chained event.
        events = AuditEvent._base_manager.using(using).exclude(hash="")
        events = events.filter(government_id__isnull=True) if chain == PLATFORM else events.filter(government_id=chain)
        last = events.order_by("-chain_seq").values("chain_seq", "hash").first()
        seed = ChainHead(id=chain, last_seq=last["chain_seq"] if last else 0,
                         last_hash=last["hash"] if last else hashing.GENESIS, genesis=hashing.GENESIS)
        ChainHead._base_manager.using(using).bulk_create([seed], ignore_conflicts=True)  # ON CONFLICT DO NOTHING
        head = qs.get(id=chain)
    return head
