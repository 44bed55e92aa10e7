"""One audit chain per government (issue 17): each government's events on its own head, the
platform's (no government) on another; verified chain by chain; a root over every head anchors
them together; and on PostgreSQL two governments never wait on each other's lock.

These tests commit for real (transaction=True): checkpoints are written after a real COMMIT, and
the concurrency test needs two connections that see each other's commits.
"""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from zhengwu import cli
from zhengwu.audit import checkpoints, hashing
from zhengwu.audit.catalogue import register_actions
from zhengwu.audit.chain import audit_key
from zhengwu.audit.models import PLATFORM, AuditEvent, ChainHead
from zhengwu.audit.selectors import verify_anchor, verify_chain
from zhengwu.audit.services import audit_append, government_chain
from zhengwu.org.models import Government, Person

register_actions({"test_govchain.thing.change": "测试：修改"})

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _own_files(settings, tmp_path, monkeypatch):
    monkeypatch.delenv(hashing.ENV_KEY, raising=False)
    settings.AUDIT_KEY_FILE = tmp_path / "audit.key"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    settings.AUDIT_HASH_CHAIN = True
    hashing.load_key(settings.AUDIT_KEY_FILE, create=True)


@pytest.fixture
def govs():
    a = Government.objects.create(name="测试甲区人民政府", short_name="甲区")
    b = Government.objects.create(name="测试乙区人民政府", short_name="乙区")
    return a, b


def commit(n: int, *, actor=None, government=None, tag: str = "x") -> list[AuditEvent]:
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(audit_append(actor=actor, government=government, action="test_govchain.thing.change",
                                    obj_type="test_govchain.thing", obj_id=f"{tag}{i}", after={"i": i}))
    return out


def by_chain(result):
    return {c.government_id: c for c in result.chains}


def test_each_government_has_its_own_chain_and_each_verifies(govs):
    a, b = govs
    clerk = Person.objects.create(username="govchain_clerk", full_name="甲区文书", government=a)
    ea = commit(2, actor=clerk, tag="a")  # the actor's government
    eb = commit(3, government=b, tag="b")  # given
    with government_chain(a):  # a system event in a pass over one government
        ea += commit(1, tag="sys")
    ep = commit(2, tag="p")  # no government: the platform's chain
    assert [(e.government_id, e.chain_seq) for e in ea] == [(a.pk, 1), (a.pk, 2), (a.pk, 3)]
    assert [(e.government_id, e.chain_seq) for e in eb] == [(b.pk, 1), (b.pk, 2), (b.pk, 3)]
    assert [(e.government_id, e.chain_seq) for e in ep] == [(None, 1), (None, 2)]
    for chain in (ea, eb, ep):  # each links to its own predecessor, the first to the genesis
        assert chain[0].prev_hash == hashing.GENESIS
        assert all(y.prev_hash == x.hash for x, y in zip(chain, chain[1:], strict=False))
    heads = dict(ChainHead.objects.values_list("id", "last_seq"))
    assert heads == {a.pk: 3, b.pk: 3, PLATFORM: 2}
    result = verify_chain()
    assert result.ok and result.checked == 8
    assert {g: (c.ok, c.checked) for g, c in by_chain(result).items()} == {None: (True, 2), a.pk: (True, 3),
                                                                             b.pk: (True, 3)}


def test_tampering_with_one_governments_event_fails_only_its_chain(govs, audit_triggers_dropped, capsys):
    a, b = govs
    commit(3, government=a, tag="a")
    eb = commit(3, government=b, tag="b")
    with audit_triggers_dropped():
        AuditEvent.objects.filter(seq=eb[1].seq).update(summary="改写")
    result = verify_chain()
    assert not result.ok and result.government_id == b.pk and result.first_bad_seq == 2
    chains = by_chain(result)
    assert chains[a.pk].ok and chains[a.pk].checked == 3
    assert not chains[b.pk].ok and "do not match its hash" in chains[b.pk].reason
    assert cli.main(["audit", "verify"]) == 1
    out, err = capsys.readouterr()
    assert "甲区的留痕链：完整，3 条记录" in out
    assert "乙区的留痕链：在第 2 条记录处断裂" in err and "1 条留痕链断裂" in err


def test_an_event_moved_to_another_governments_chain_breaks_it(govs, audit_triggers_dropped):
    a, b = govs
    commit(1, government=a, tag="a")
    eb = commit(2, government=b, tag="b")
    with audit_triggers_dropped():  # the government is part of what the hash covers
        AuditEvent.objects.filter(seq=eb[1].seq).update(government_id=a.pk, chain_seq=2, prev_hash=
                                                        AuditEvent.objects.get(government_id=a.pk).hash)
        ChainHead.objects.filter(id=b.pk).update(last_seq=1, last_hash=eb[0].hash)
        ChainHead.objects.filter(id=a.pk).update(last_seq=2, last_hash=eb[1].hash)
    result = verify_chain()
    chains = by_chain(result)
    assert not chains[a.pk].ok and chains[a.pk].first_bad_seq == 2
    assert chains[b.pk].ok


def test_the_root_anchors_every_chain_and_a_cut_government_chain_is_named(govs, settings, audit_triggers_dropped,
                                                                         capsys):
    a, b = govs
    commit(3, government=a, tag="a")
    commit(2, government=b, tag="b")
    commit(1, tag="p")
    assert cli.main(["audit", "checkpoint"]) == 0
    root = settings.AUDIT_CHECKPOINT_FILE.read_text(encoding="ascii").splitlines()[-1]
    assert root.startswith("r1\t")
    assert [h.split(":")[:2] for h in root.split("\t")[3].split(",")] == [["0", "1"], [str(a.pk), "3"],
                                                                         [str(b.pk), "2"]]
    assert "root digest" in capsys.readouterr().out
    anchor = verify_anchor()
    assert anchor.ok and {c: cp.seq for c, cp in anchor.chains.items()} == {PLATFORM: 1, a.pk: 3, b.pk: 2}
    # someone with database access cuts a's chain back to #1 and rewrites its head: the chain alone
    # cannot tell, the checkpoints (each commit's and the root) do, and name the chain
    with audit_triggers_dropped():
        AuditEvent.objects.filter(government_id=a.pk, chain_seq__gt=1).delete()
        first = AuditEvent.objects.get(government_id=a.pk, chain_seq=1)
        ChainHead.objects.filter(id=a.pk).update(last_seq=1, last_hash=first.hash)
    assert verify_chain().ok
    anchor = verify_anchor()
    assert not anchor.ok
    assert len(anchor.problems) == 1
    assert anchor.problems[0][1].startswith(f"the chain of government {a.pk} (甲区): events #2–#3 are missing")


def test_a_root_line_cannot_be_forged(govs, settings):
    a, _b = govs
    commit(1, government=a)
    line, _digest = checkpoints.root_line_for(b"a guess at the key, 32 bytes....", [(a.pk, 9, "ab" * 32)])
    with open(settings.AUDIT_CHECKPOINT_FILE, "ab") as f:
        f.write(line)
    anchor = verify_anchor()
    assert not anchor.ok and "forged" in anchor.problems[0][1]
    assert checkpoints.parse_all(line.decode().strip(), audit_key(), 1) is None


def test_postgresql_two_governments_never_wait_on_each_others_head(govs):
    """One connection holds government a's head lock in an open transaction (as a flush of a's
    events does until its COMMIT); government b's events commit meanwhile. Then: a third event of a
    would have to wait (NOWAIT says so at once), so each chain still serialises its own appends."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer per database; row locks exist on PostgreSQL")
    a, b = govs
    commit(1, government=a, tag="a")
    commit(1, government=b, tag="b")
    locked, release, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold_a() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("SELECT last_seq FROM audit_chainhead WHERE id = %s FOR UPDATE", [a.pk])
                locked.set()
                release.wait(60)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            done.set()
            connections.close_all()

    holder = threading.Thread(target=hold_a)
    holder.start()
    try:
        assert locked.wait(60)
        with transaction.atomic():
            with connection.cursor() as cur:  # fail instead of hanging if b ever waited on a's lock
                cur.execute("SET LOCAL lock_timeout = '30s'")
            (eb,) = [audit_append(actor=None, government=b, action="test_govchain.thing.change",
                                  obj_type="test_govchain.thing", obj_id="b-while-a-locked")]
        assert eb.chain_seq == 2 and AuditEvent.objects.filter(seq=eb.seq).exists()
        assert not done.is_set()  # a's lock was held throughout b's commit
        with pytest.raises(OperationalError), transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT 1 FROM audit_chainhead WHERE id = %s FOR UPDATE NOWAIT", [a.pk])
    finally:
        release.set()
        holder.join(60)
    assert errors == []
    commit(1, government=a, tag="a-after")
    assert verify_chain().ok
