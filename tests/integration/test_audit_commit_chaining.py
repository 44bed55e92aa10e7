"""Audit events are chained when their transaction commits (zhengwu.audit.pending): the chain-head
lock is taken for a few statements at the end, not from the first append to the end."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zhengwu.audit import hashing
from zhengwu.audit.catalogue import register_actions
from zhengwu.audit.models import AuditEvent, ChainHead
from zhengwu.audit.selectors import verify_chain
from zhengwu.audit.services import audit_append
from zhengwu.org.models import Government

register_actions({"test_audit.thing.create": "测试：新建"})


@pytest.fixture(autouse=True)
def _own_key(settings, tmp_path, monkeypatch):
    monkeypatch.delenv(hashing.ENV_KEY, raising=False)
    settings.AUDIT_KEY_FILE = tmp_path / "audit.key"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    settings.AUDIT_HASH_CHAIN = True
    hashing.load_key(settings.AUDIT_KEY_FILE, create=True)  # as `zhengwu init` does


def append(obj_id: str) -> AuditEvent:
    return audit_append(actor=None, action="test_audit.thing.create", obj_type="test_audit.thing", obj_id=obj_id)


def chain_statements(queries) -> list[str]:
    return [q["sql"] for q in queries if "audit_" in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_events_are_chained_at_commit_in_one_insert_and_the_lock_comes_last():
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        events = [append(str(i)) for i in range(3)]
        assert [e.seq for e in events] == [None, None, None]  # waiting for the commit
        assert chain_statements(ctx.captured_queries) == []  # nothing locked, nothing written yet
    assert [e.chain_seq for e in events] == [1, 2, 3] and all(e.seq for e in events)
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    inserts = [s for s in chain_statements(ctx.captured_queries) if 'INSERT INTO "audit_auditevent"' in s]
    assert len(inserts) == 1  # the three events in one statement
    assert ChainHead.objects.get().last_seq == 3
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_reading_the_trail_inside_the_transaction_sees_what_was_appended():
    with transaction.atomic():
        append("a")
        assert list(AuditEvent.objects.values_list("obj_id", flat=True)) == ["a"]
        append("b")
    assert list(AuditEvent.objects.order_by("seq").values_list("obj_id", flat=True)) == ["a", "b"]
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_drops_its_events_and_rechains_what_it_had_flushed():
    with transaction.atomic():
        append("before")
        try:
            with transaction.atomic():  # a savepoint
                append("inside")
                assert AuditEvent.objects.count() == 2  # flushed inside the savepoint …
                raise ValueError
        except ValueError:
            pass
        append("after")  # … rolled back with it: "before" waits again, "inside" is gone
    assert list(AuditEvent.objects.order_by("seq").values_list("chain_seq", "obj_id")) == [(1, "before"), (2, "after")]
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_chaining_rolls_back_the_change_with_its_events(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no key")

    monkeypatch.setattr(hashing, "mac_hex", broken)
    with pytest.raises(RuntimeError, match="no key"), transaction.atomic():
        Government.objects.create(name="测试区人民政府", short_name="测试区")
        append("x")
    assert not Government.objects.filter(name="测试区人民政府").exists()  # nothing half-written
    assert AuditEvent.objects.count() == 0
    monkeypatch.undo()
    with transaction.atomic():  # the connection is usable and the chain starts cleanly
        append("y")
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_an_open_transaction_does_not_hold_the_chain_head_on_postgresql():
    """Before, the first append locked the head until commit: a second service waited behind it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole write transactions (BEGIN IMMEDIATE)")
    from django.db import connections

    appended, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_service() -> None:
        try:
            with transaction.atomic():
                append("slow")
                appended.set()
                release.wait(10)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connections.close_all()

    t = threading.Thread(target=slow_service)
    t.start()
    try:
        assert appended.wait(10)
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '2s'")  # would fail, not hang, if the head were held
            append("fast")
    finally:
        release.set()
        t.join()
    assert errors == []
    assert list(AuditEvent.objects.order_by("seq").values_list("obj_id", flat=True)) == ["fast", "slow"]
    assert verify_chain().ok
