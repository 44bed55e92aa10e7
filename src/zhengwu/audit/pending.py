"""Audit events chained at commit: the chain-head lock held for a few statements, not the whole
service transaction.

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
        # The last event of the transaction is the chain head it leaves (events are chained in order).
        head = (buffer.events[-1].seq, buffer.events[-1].hash, buffer.key) if buffer.events else None
        buffer.clear()
        result = super().commit()
        if head is not None and head[0] is not None and head[1]:
            # Only now, after COMMIT: a rolled-back transaction never leaves a checkpoint beyond the chain.
            from zhengwu.audit.checkpoints import record

            record(*head)
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
    """Number, hash and insert the waiting events under the chain-head lock, in the connection's
    open transaction. PostgreSQL: two statements (lock the head and read the max; insert the events,
    update the head and level the sequence). SQLite (whose IMMEDIATE transaction already holds the
    write lock): the ORM's lock, max, one INSERT and the head update."""
    from django.db.models import Max
    from django.utils import timezone

    from zhengwu.audit import hashing
    from zhengwu.audit.chain import audit_key, message_of
    from zhengwu.audit.models import AuditEvent, ChainHead

    buffer = connection.audit_buffer
    events = buffer.events[buffer.flushed:]
    if not events:
        return
    using = connection.alias
    key = audit_key()  # raises AuditKeyError when missing (`zhengwu init` creates it): never made here
    postgresql = connection.vendor == "postgresql"
    found = _lock_head_postgresql(connection) if postgresql else None
    if found is None:
        head = _lock_head(using)
        # Normally head.last_seq is the largest seq; the max also steps over rows written unchained.
        last = AuditEvent._base_manager.using(using).aggregate(m=Max("seq"))["m"] or 0
        found = (head.last_seq, head.last_hash, last)
    last_seq, prev, last = found
    seq = max(last_seq, last or 0)
    at = timezone.now()  # taken under the lock, so time never runs backwards along the chain
    algo = hashing.current_algorithm()
    for event in events:
        seq += 1
        event.seq, event.at, event.prev_hash, event.algo = seq, at, prev, algo
        event.hash = prev = hashing.mac_hex(algo, key, message_of(event))
    try:
        if postgresql:
            _write_postgresql(connection, events, seq, prev)
        else:
            AuditEvent._base_manager.using(using).bulk_create(events)
            ChainHead._base_manager.using(using).filter(id=1).update(last_seq=seq, last_hash=prev)
    except DatabaseError:
        for event in events:
            event.seq = None
        raise
    for event in events:
        event._state.adding, event._state.db = False, using
    buffer.flushed = len(buffer.events)
    buffer.key = key


def _lock_head_postgresql(connection) -> tuple | None:
    """(last_seq, last_hash, max seq) with the head row locked, in one statement; None when the
    head row does not exist yet (then `_lock_head` creates it)."""
    from zhengwu.audit.models import AuditEvent, ChainHead

    q = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"SELECT h.last_seq, h.last_hash, (SELECT max(seq) FROM {q(AuditEvent._meta.db_table)}) "
                    f"FROM {q(ChainHead._meta.db_table)} h WHERE h.id = 1 FOR UPDATE OF h")
        return cur.fetchone()


def _write_postgresql(connection, events, seq: int, last_hash: str) -> None:
    """The events, the head and the identity sequence in one round trip (a statement with two
    data-modifying CTEs). The sequence is kept level with the chain so rows written with
    AUDIT_HASH_CHAIN off (numbered by it) cannot collide with chained ones."""
    import json

    from django.db import models

    from zhengwu.audit.models import AuditEvent, ChainHead

    q = connection.ops.quote_name
    fields = AuditEvent._meta.concrete_fields
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    row = "(" + ", ".join("%s::jsonb" if f.attname in json_fields else "%s" for f in fields) + ")"
    params: list = []
    for event in events:
        for f in fields:
            value = getattr(event, f.attname)
            if f.attname in json_fields and value is not None:
                value = json.dumps(value)
            params.append(value)
    table = AuditEvent._meta.db_table
    sql = (f"WITH ins AS (INSERT INTO {q(table)} ({', '.join(q(f.column) for f in fields)}) "
           f"VALUES {', '.join([row] * len(events))}), "
           f"head AS (UPDATE {q(ChainHead._meta.db_table)} SET last_seq = %s, last_hash = %s WHERE id = 1) "
           f"SELECT setval(pg_get_serial_sequence(%s, 'seq'), %s)")
    with connection.cursor() as cur:
        cur.execute(sql, [*params, seq, last_hash, table, seq])


def _lock_head(using: str):
    """Lock the chain head row (PostgreSQL: SELECT … FOR UPDATE; SQLite: the IMMEDIATE
    transaction already holds the write lock), creating it on first use."""
    from zhengwu.audit import hashing
    from zhengwu.audit.models import AuditEvent, ChainHead

    qs = ChainHead._base_manager.using(using).select_for_update()
    head = qs.filter(id=1).first()
    if head is None:
        # First event, or the head row was lost: start it from the last chained event.
        last = (AuditEvent._base_manager.using(using).exclude(hash="").order_by("-seq")
                .values("seq", "hash").first())
        seed = ChainHead(id=1, last_seq=last["seq"] if last else 0, last_hash=last["hash"] if last else hashing.GENESIS)
        ChainHead._base_manager.using(using).bulk_create([seed], ignore_conflicts=True)  # ON CONFLICT DO NOTHING
        head = qs.get(id=1)
    return head
