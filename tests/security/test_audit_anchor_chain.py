"""The audit chain anchored outside the database (issue 12): signed checkpoints, appended after each
COMMIT, reveal events cut off the end of the chain even when the chain head was rewritten to match.

These tests commit for real (transaction=True): a checkpoint is written only after a real COMMIT.
"""

import os
import stat
import threading

import pytest
from django.db import connections, transaction

from zhengwu import cli
from zhengwu.audit import checkpoints, hashing
from zhengwu.audit.catalogue import register_actions
from zhengwu.audit.chain import audit_key
from zhengwu.audit.models import AuditEvent, ChainHead
from zhengwu.audit.selectors import verify_anchor, verify_chain
from zhengwu.audit.services import audit_append

register_actions({"test_anchor.thing.change": "测试：修改"})

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _own_files(settings, tmp_path, monkeypatch):
    monkeypatch.delenv(hashing.ENV_KEY, raising=False)
    settings.AUDIT_KEY_FILE = tmp_path / "audit.key"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    settings.AUDIT_HASH_CHAIN = True
    hashing.load_key(settings.AUDIT_KEY_FILE, create=True)


def commit(n: int, *, per_transaction: int = 1) -> None:
    for i in range(n):
        with transaction.atomic():
            for j in range(per_transaction):
                audit_append(actor=None, action="test_anchor.thing.change", obj_type="test_anchor.thing",
                             obj_id=f"{i}-{j}", after={"n": i})


def lines(settings) -> list[str]:
    return settings.AUDIT_CHECKPOINT_FILE.read_text(encoding="ascii").splitlines()


def cut_off_after(seq: int, audit_triggers_dropped) -> None:
    """What someone with write access to the database does: delete the last events and make the
    chain head name the event before them, so that the chain itself verifies."""
    last = AuditEvent.objects.get(chain_seq=seq)
    with audit_triggers_dropped():
        AuditEvent.objects.filter(chain_seq__gt=seq).delete()
        ChainHead.objects.filter(id=0).update(last_seq=seq, last_hash=last.hash)


def test_each_commit_appends_one_private_signed_checkpoint_and_an_untouched_chain_verifies(settings, capsys):
    commit(3)
    commit(1, per_transaction=2)  # one COMMIT, one line, naming its last event
    text = lines(settings)
    assert [line.split("\t")[:3] for line in text] == [["v2", "0", str(n)] for n in (1, 2, 3, 5)]  # the platform's chain
    assert stat.S_IMODE(os.stat(settings.AUDIT_CHECKPOINT_FILE).st_mode) == 0o600
    assert text[-1].split("\t")[3] == AuditEvent.objects.get(chain_seq=5).hash
    result = verify_anchor()
    assert result.ok and result.problems == [] and result.checkpoint.seq == 5
    assert cli.main(["audit", "verify"]) == 0
    out, err = capsys.readouterr()
    assert "agrees with the checkpoint of event #5" in out and err == ""


def test_a_rolled_back_transaction_leaves_no_checkpoint(settings):
    commit(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_append(actor=None, action="test_anchor.thing.change", obj_type="test_anchor.thing", obj_id="x")
        assert AuditEvent.objects.count() == 2  # chained (flushed) inside the transaction…
        raise RuntimeError("the service fails after reading the trail")
    assert AuditEvent.objects.count() == 1  # …and rolled back with it
    assert [line.split("\t")[2] for line in lines(settings)] == ["1"]
    commit(1)  # the next event takes seq 2 again, and its checkpoint agrees
    assert verify_anchor().ok


def test_events_cut_off_the_end_with_a_rewritten_chain_head_are_detected(settings, capsys, audit_triggers_dropped):
    commit(5)
    cut_off_after(3, audit_triggers_dropped)
    assert verify_chain().ok  # the chain alone cannot tell: this is what the checkpoints are for
    result = verify_anchor()
    assert not result.ok
    assert result.problems[0][1].startswith("events #4–#5 are missing from the end of the chain")
    assert cli.main(["audit", "verify"]) == 1
    out, err = capsys.readouterr()
    assert "链尾的第 4—5 条留痕记录缺失" in err and "events #4–#5 are missing from the end of the chain" in err
    assert cli.main(["audit", "checkpoint"]) == 1  # a cut chain is never blessed with a new checkpoint
    assert len(lines(settings)) == 5


def test_a_chain_cut_back_and_grown_again_past_its_old_end_is_detected(audit_triggers_dropped):
    commit(5)
    cut_off_after(3, audit_triggers_dropped)
    commit(3)  # the product goes on: #4–#6 are new events, and the latest checkpoint (#6) agrees
    assert verify_chain().ok
    result = verify_anchor()
    assert not result.ok
    assert result.problems[0][1].startswith("event #4 does not match the checkpoint of")
    assert "(1 more checkpoint(s) disagree)" in result.problems[0][1]


def test_a_forged_or_altered_checkpoint_line_is_detected(settings, capsys):
    commit(2)
    forged = checkpoints.line_for(b"a guess at the key, 32 bytes....", 9, "ab" * 32)
    with open(settings.AUDIT_CHECKPOINT_FILE, "ab") as f:
        f.write(forged)
    result = verify_anchor()
    assert not result.ok
    assert len(result.problems) == 1  # the forged #9 does not count as events missing from the end
    assert "line(s) 3 " in result.problems[0][1] and "forged" in result.problems[0][1]
    # an altered genuine line: event #2 claimed to have another hash
    text = lines(settings)
    fields = text[1].split("\t")
    fields[3] = "cd" * 32
    settings.AUDIT_CHECKPOINT_FILE.write_text("\n".join([text[0], "\t".join(fields)]) + "\n", encoding="ascii")
    problems = verify_anchor().problems
    assert [en for _zh, en in problems] == [f"checkpoint line(s) 2 of {settings.AUDIT_CHECKPOINT_FILE} are altered or "
                                            "forged (the HMAC does not match)"]
    assert cli.main(["audit", "verify"]) == 1
    assert "被篡改或伪造" in capsys.readouterr().err


def test_a_missing_checkpoint_file_is_reported_until_the_head_is_recorded(settings, capsys):
    assert verify_anchor().ok  # an empty trail needs no checkpoint
    commit(2)
    settings.AUDIT_CHECKPOINT_FILE.unlink()
    result = verify_anchor()
    assert not result.ok and result.unanchored
    assert "is missing although the trail holds 2 events" in result.problems[0][1]
    assert cli.main(["audit", "verify"]) == 1
    assert "zhengwu audit checkpoint" in capsys.readouterr().err
    assert cli.main(["audit", "checkpoint"]) == 0  # checks the chain, then anchors its head
    (root,) = lines(settings)  # a root line over every chain's head: here the platform's, at #2
    assert root.startswith("r1\t") and root.split("\t")[3] == f"0:2:{AuditEvent.objects.get(chain_seq=2).hash}"
    assert verify_anchor().ok


def test_concurrent_commits_write_whole_lines_and_the_highest_seq_is_the_latest(settings):
    threads_n, per_thread = 6, 5
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def worker(t: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit_append(actor=None, action="test_anchor.thing.change", obj_type="test_anchor.thing",
                                 obj_id=f"{t}-{i}")
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
    key = audit_key()
    found = list(checkpoints.scan(settings.AUDIT_CHECKPOINT_FILE, key))
    assert len(found) == threads_n * per_thread and all(cps is not None and len(cps) == 1 for _n, cps in found)
    assert sorted(cps[0].seq for _n, cps in found) == list(range(1, threads_n * per_thread + 1))
    result = verify_anchor()
    assert result.ok and result.checkpoint.seq == threads_n * per_thread
