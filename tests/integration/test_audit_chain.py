"""The audit trail's hash chain: verification, tamper detection, append-only triggers, the CLI."""

import hashlib
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from zhengwu import cli
from zhengwu.audit import hashing
from zhengwu.audit.catalogue import register_actions
from zhengwu.audit.models import AuditEvent, ChainHead
from zhengwu.audit.selectors import verify_chain
from zhengwu.audit.services import audit_append

register_actions({"test_audit.thing.create": "测试：新建", "test_audit.thing.change": "测试：修改"})


@pytest.fixture(autouse=True)
def _own_key(settings, tmp_path, monkeypatch):
    """A fresh key file per test; the developer's var/audit.key is never touched."""
    monkeypatch.delenv(hashing.ENV_KEY, raising=False)
    settings.AUDIT_KEY_FILE = tmp_path / "audit.key"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    settings.AUDIT_HASH_CHAIN = True
    hashing.load_key(settings.AUDIT_KEY_FILE, create=True)  # as `zhengwu init` does


def append(n: int, start: int = 1) -> list[AuditEvent]:
    events = []
    for i in range(start, start + n):
        with transaction.atomic():
            events.append(
                audit_append(
                    actor=None,
                    action="test_audit.thing.change",
                    obj_type="test_audit.thing",
                    obj_id=str(i),
                    before={"n": i - 1},
                    after={"n": i, "名称": f"事项{i}"},
                    article=60,
                    summary=f"第{i}次修改",
                )
            )
    return events


def hide_sm3(monkeypatch):
    monkeypatch.setattr(hashlib, "algorithms_available", hashlib.algorithms_available - {"sm3"})


# --- an intact chain ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_untouched_chain_verifies():
    events = append(5)
    assert [e.chain_seq for e in events] == [1, 2, 3, 4, 5]  # places in the platform's chain
    assert events[0].prev_hash == hashing.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert all(e.algo == hashing.current_algorithm() and len(e.hash) == 64 for e in events)
    head = ChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (5, events[-1].hash)
    result = verify_chain()
    assert result.ok and result.checked == 5 and result.first_bad_seq is None and result.unchained == 0


@pytest.mark.django_db
def test_an_empty_trail_verifies():
    result = verify_chain()
    assert result.ok and result.checked == 0


@pytest.mark.django_db
def test_verification_streams_in_chunks_smaller_than_the_trail():
    append(7)
    assert verify_chain(chunk_size=2).ok
    assert verify_chain(chunk_size=2).checked == 7


@pytest.mark.django_db
def test_values_that_json_and_jsonb_rewrite_still_verify():
    import datetime as dt
    from decimal import Decimal

    with transaction.atomic():
        audit_append(
            actor=None,
            action="test_audit.thing.create",
            obj_type="test_audit.thing",
            obj_id="1",
            after={
                "day": dt.date(2026, 9, 24),
                "amount": Decimal("12.50"),
                "big": 1.5e300,
                "round": 1e20,
                "tiny": 1.5e-7,
                "tuple": (1, 2),
                7: "int key",
                "text": "洮北区\n\"引号\"",
            },
        )
    event = AuditEvent.objects.get()
    assert event.after["day"] == "2026-09-24" and event.after["amount"] == "12.50"
    assert event.after["7"] == "int key" and event.after["tuple"] == [1, 2]
    assert verify_chain().ok


# --- tampering (triggers dropped to simulate someone with raw database access) ----------------


@pytest.mark.django_db
def test_a_modified_row_is_named(audit_triggers_dropped):
    append(5)
    with audit_triggers_dropped():
        AuditEvent.objects.filter(chain_seq=3).update(after={"n": 999})
        result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 3
    assert result.first_bad_event == AuditEvent.objects.get(chain_seq=3).seq  # the record number the trail shows
    assert "do not match its hash" in result.reason
    assert result.checked == 3


@pytest.mark.django_db
@pytest.mark.parametrize("field, value", [("actor_label", "某人"), ("summary", ""), ("article", 61),
                                          ("action", "test_audit.thing.create"), ("obj_id", "99")])
def test_any_altered_field_breaks_the_chain(audit_triggers_dropped, field, value):
    append(3)
    with audit_triggers_dropped():
        AuditEvent.objects.filter(chain_seq=2).update(**{field: value})
    assert verify_chain().first_bad_seq == 2


@pytest.mark.django_db
def test_a_deleted_middle_row_is_named_by_the_next_seq(audit_triggers_dropped):
    append(5)
    with audit_triggers_dropped():
        AuditEvent.objects.filter(chain_seq=3).delete()
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 4
    assert result.reason == "event #3 is missing"


@pytest.mark.django_db
def test_a_deleted_first_row_is_noticed(audit_triggers_dropped):
    append(3)
    with audit_triggers_dropped():
        AuditEvent.objects.filter(chain_seq=1).delete()
    result = verify_chain()
    assert (result.ok, result.first_bad_seq, result.reason) == (False, 2, "event #1 is missing")


@pytest.mark.django_db
def test_rows_cut_off_the_end_are_noticed_through_the_chain_head(audit_triggers_dropped):
    append(5)
    with audit_triggers_dropped():
        AuditEvent.objects.filter(chain_seq__gte=4).delete()
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 4
    assert "events #4–#5 are missing from the end" in result.reason


@pytest.mark.django_db
def test_swapped_rows_are_named_at_the_first_moved_one(audit_triggers_dropped):
    append(5)
    with audit_triggers_dropped():
        AuditEvent.objects.filter(chain_seq=2).update(chain_seq=-2)
        AuditEvent.objects.filter(chain_seq=3).update(chain_seq=2)
        AuditEvent.objects.filter(chain_seq=-2).update(chain_seq=3)
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 3  # the row now claiming place 3 comes first (seq order): place 2 is missing there


@pytest.mark.django_db
def test_a_rehashed_row_is_caught_without_the_key(audit_triggers_dropped):
    """A forger who alters a row and recomputes its hash with any key but ours is caught."""
    events = append(3)
    forged = events[1]
    forged.after = {"n": 999}
    new_hash = hashing.mac_hex(forged.algo, b"a guess at the key", _message(forged))
    with audit_triggers_dropped():
        AuditEvent.objects.filter(chain_seq=2).update(after=forged.after, hash=new_hash)
        AuditEvent.objects.filter(chain_seq=3).update(prev_hash=new_hash)
        ChainHead.objects.update(last_hash=AuditEvent.objects.get(chain_seq=3).hash)
    assert verify_chain().first_bad_seq == 2


@pytest.mark.django_db
def test_a_row_inserted_at_the_end_without_the_key_is_caught():
    events = append(2)
    AuditEvent.objects.create(
        chain_seq=3, at=events[-1].at, actor_label="system", action="test_audit.thing.create", obj_type="test_audit.thing",
        obj_id="x", summary="forged", algo=events[-1].algo, prev_hash=events[-1].hash, hash="ab" * 32,
    )
    result = verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 3)


@pytest.mark.django_db
def test_a_row_whose_hash_was_blanked_is_caught(audit_triggers_dropped):
    append(3)
    with audit_triggers_dropped():
        AuditEvent.objects.filter(chain_seq=3).update(hash="")
    result = verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 3)


@pytest.mark.django_db
def test_a_lost_chain_head_is_reported_and_the_next_append_restarts_it_from_the_last_event():
    events = append(3)
    ChainHead.objects.all().delete()  # not append-only: it is updated on every append
    result = verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert "chain head is missing" in result.reason
    (fourth,) = append(1, start=4)
    assert (fourth.chain_seq, fourth.prev_hash) == (4, events[-1].hash)
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_different_key_fails_verification(monkeypatch):
    append(2)
    monkeypatch.setenv(hashing.ENV_KEY, "11" * 32)
    result = verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 1)


@pytest.mark.django_db
def test_a_missing_key_is_reported_not_recreated(settings, tmp_path):
    append(1)
    settings.AUDIT_KEY_FILE = tmp_path / "elsewhere" / "audit.key"
    result = verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 1)
    assert "key is missing" in result.reason
    assert not settings.AUDIT_KEY_FILE.exists()


def _message(event):
    from zhengwu.audit.chain import message_of

    return message_of(event)


# --- append-only triggers ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_to_update_an_event():
    (event,) = append(1)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=event.seq).update(summary="改写")
    event.summary = "改写"
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        event.save()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET summary = 'raw'")
    assert AuditEvent.objects.get().summary == "第1次修改"


@pytest.mark.django_db
def test_the_database_refuses_to_delete_an_event():
    (event,) = append(1)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        event.delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_postgresql_refuses_to_truncate_the_trail():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE FROM is refused, see above)")
    append(1)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("TRUNCATE audit_auditevent")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("TRUNCATE audit_auditevent CASCADE")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_migrate_puts_lost_triggers_back():
    """A SQLite table rebuild (any later AlterField) drops triggers; post_migrate re-creates them."""
    from django.core.management.sql import emit_post_migrate_signal

    from zhengwu.audit import triggers

    expected = set(triggers.expected(connection.vendor))
    assert triggers.installed(connection) == expected
    with connection.cursor() as cur:
        for name in expected:
            cur.execute(f"DROP TRIGGER {name}" + (f" ON {triggers.TABLE}" if connection.vendor == "postgresql" else ""))
    assert triggers.installed(connection) == set()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    assert triggers.installed(connection) == expected


@pytest.mark.django_db(transaction=True)
def test_migration_0002_installs_and_its_reverse_removes_the_triggers():
    from django.core.management import call_command

    from zhengwu.audit import triggers

    expected = set(triggers.expected(connection.vendor))
    call_command("migrate", "audit", "0001", verbosity=0)
    try:
        assert triggers.installed(connection) == set()  # and post_migrate left them off
        with connection.cursor() as cur:  # the table as 0001 made it (the model has grown since)
            cur.execute("INSERT INTO audit_auditevent (at, actor_label, action, obj_type, obj_id, summary, algo, "
                        "prev_hash, hash) VALUES (CURRENT_TIMESTAMP, 'system', 'test_audit.thing.create', "
                        "'test_audit.thing', '1', '', '', '', '')")
            cur.execute("UPDATE audit_auditevent SET summary = 'now editable'")
    finally:
        call_command("migrate", "audit", verbosity=0)
    assert triggers.installed(connection) == expected
    with pytest.raises(IntegrityError):
        AuditEvent.objects.update(summary="refused again")


# --- one chain under concurrent appends ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain():
    from django.db import connections

    threads_n, per_thread = 6, 5
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def worker(t: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit_append(actor=None, action="test_audit.thing.change", obj_type="test_audit.thing",
                                 obj_id=f"{t}-{i}", after={"t": t, "i": i})
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(threads_n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("chain_seq", flat=True))
    assert seqs == list(range(1, threads_n * per_thread + 1))  # in seq order, the places with no gap
    result = verify_chain()
    assert result.ok and result.checked == threads_n * per_thread


@pytest.mark.django_db
def test_postgresql_appends_lock_the_chain_head():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers with BEGIN IMMEDIATE; SELECT … FOR UPDATE does not exist there")
    append(1)
    with CaptureQueriesContext(connection) as ctx:
        append(1, start=2)
    assert any("audit_chainhead" in q["sql"] and "FOR UPDATE" in q["sql"] for q in ctx.captured_queries)


# --- algorithms -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_sm3_events_are_chained_with_sha256_and_verify_says_which(monkeypatch):
    hide_sm3(monkeypatch)
    events = append(2)
    assert {e.algo for e in events} == {"sha256"}
    result = verify_chain()
    assert result.ok and result.algo == "sha256"


@pytest.mark.django_db
def test_a_chain_moving_from_sha256_to_sm3_verifies_each_event_with_its_own_algorithm(monkeypatch):
    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("this OpenSSL has no SM3")
    with monkeypatch.context() as m:
        hide_sm3(m)
        append(2)
    append(1, start=3)
    assert list(AuditEvent.objects.order_by("seq").values_list("algo", flat=True)) == ["sha256", "sha256", "sm3"]
    result = verify_chain()
    assert result.ok and result.algo == "sha256+sm3"
    hide_sm3(monkeypatch)  # a machine without SM3 cannot check the SM3 events, and says so
    result = verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert "sm3 is not available" in result.reason


# --- AUDIT_HASH_CHAIN off (benchmark only) -----------------------------------------------------


@pytest.mark.django_db
def test_unchained_events_are_written_and_reported_as_unchained(settings):
    events = append(2)
    settings.AUDIT_HASH_CHAIN = False
    with transaction.atomic():
        loose = audit_append(actor=None, action="test_audit.thing.create", obj_type="test_audit.thing", obj_id="u")
    assert (loose.hash, loose.prev_hash, loose.algo) == ("", "", "")
    assert loose.seq > events[-1].seq and loose.chain_seq is None
    assert ChainHead.objects.get().last_seq == 2  # no lock, no head update
    settings.AUDIT_HASH_CHAIN = True
    (after,) = append(1, start=9)
    assert after.seq > loose.seq and after.chain_seq == 3
    assert after.prev_hash == AuditEvent.objects.get(chain_seq=2).hash  # the chain skips the unchained row

    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == loose.seq
    assert result.unchained == 1 and result.checked == 4
    assert "AUDIT_HASH_CHAIN off" in result.reason


@pytest.mark.django_db
def test_a_real_break_outranks_unchained_rows(settings, audit_triggers_dropped):
    append(1)
    settings.AUDIT_HASH_CHAIN = False
    with transaction.atomic():
        audit_append(actor=None, action="test_audit.thing.create", obj_type="test_audit.thing", obj_id="u")
    settings.AUDIT_HASH_CHAIN = True
    (last,) = append(1, start=5)
    with audit_triggers_dropped():
        AuditEvent.objects.filter(seq=last.seq).update(summary="altered")
    result = verify_chain()
    assert result.first_bad_seq == last.chain_seq
    assert "do not match its hash" in result.reason


# --- the CLI ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cli_audit_verify_says_intact_and_exits_0(capsys):
    append(3)
    _checkpoint_the_head()  # as the COMMIT would have (this test's transaction never commits)
    assert cli.main(["audit", "verify"]) == 0
    out, err = capsys.readouterr()
    algo = hashing.current_algorithm()
    assert out.splitlines()[0] == f"留痕链完整：3 条记录（{algo}）/ audit chain intact: 3 events ({algo})"
    assert "agrees with the checkpoint of event #3" in out.splitlines()[1]
    assert err == ""


@pytest.mark.django_db
def test_cli_audit_verify_names_the_first_bad_event_and_exits_1(capsys, audit_triggers_dropped):
    append(4)
    with audit_triggers_dropped():
        AuditEvent.objects.filter(chain_seq=2).delete()
    _checkpoint_the_head()
    assert cli.main(["audit", "verify"]) == 1
    out, err = capsys.readouterr()
    assert "audit chain intact" not in out
    assert err.strip() == "留痕链在第 3 条记录处断裂 / audit chain broken at event #3: event #2 is missing"


def _checkpoint_the_head():
    from zhengwu.audit import checkpoints
    from zhengwu.audit.chain import audit_key

    head = ChainHead.objects.get()
    assert checkpoints.record([(None, head.last_seq, head.last_hash)], audit_key())
