"""The audit key is created only by `zhengwu init`, never on use (issue 12): a database restored
without its key must not go on under a new key that no earlier event verifies against."""

import os
import stat

import pytest
from django.db import transaction

from zhengwu import cli
from zhengwu.audit import hashing
from zhengwu.audit.catalogue import register_actions
from zhengwu.audit.models import AuditEvent
from zhengwu.audit.services import audit_append
from zhengwu.org.models import Government

register_actions({"test_anchor.key.change": "测试：修改"})


@pytest.fixture(autouse=True)
def _no_key(settings, tmp_path, monkeypatch):
    """A key file that does not exist (yet), and no key in the environment."""
    monkeypatch.delenv(hashing.ENV_KEY, raising=False)
    settings.AUDIT_KEY_FILE = tmp_path / "var" / "audit.key"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "var" / "audit-checkpoints.log"
    settings.AUDIT_HASH_CHAIN = True


@pytest.mark.django_db(transaction=True)
def test_an_audited_write_without_the_key_raises_rolls_back_and_creates_no_key(settings):
    with pytest.raises(hashing.AuditKeyError, match="run `zhengwu init`"), transaction.atomic():
        gov = Government.objects.create(name="某区人民政府", short_name="某区")
        audit_append(actor=None, action="test_anchor.key.change", obj_type="org.government", obj_id=str(gov.pk))
    assert not Government.objects.filter(name="某区人民政府").exists()  # the change went with its event
    assert AuditEvent.objects.count() == 0
    assert not settings.AUDIT_KEY_FILE.exists() and not settings.AUDIT_KEY_FILE.parent.exists()
    assert not settings.AUDIT_CHECKPOINT_FILE.exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_key_made_by_init_the_same_write_commits(settings, capsys):
    assert cli.main(["init", "--no-migrate"]) == 0
    with transaction.atomic():
        gov = Government.objects.create(name="某区人民政府", short_name="某区")
        audit_append(actor=None, action="test_anchor.key.change", obj_type="org.government", obj_id=str(gov.pk))
    assert AuditEvent.objects.get().hash
    assert settings.AUDIT_CHECKPOINT_FILE.exists()


@pytest.mark.django_db
def test_init_creates_the_key_once_private_and_keeps_it(settings, capsys):
    assert cli.main(["init", "--no-migrate"]) == 0
    key = settings.AUDIT_KEY_FILE.read_bytes()
    assert len(key) == 32
    assert stat.S_IMODE(os.stat(settings.AUDIT_KEY_FILE).st_mode) == 0o600
    assert "created the audit key" in capsys.readouterr().out
    assert cli.main(["init", "--no-migrate"]) == 0  # idempotent: the key is kept, never replaced
    assert settings.AUDIT_KEY_FILE.read_bytes() == key
    assert "audit key present, kept" in capsys.readouterr().out
    assert sorted(p.name for p in settings.AUDIT_KEY_FILE.parent.iterdir()) == ["audit.key"]


@pytest.mark.django_db
def test_init_refuses_to_replace_a_lost_key_under_an_existing_trail(settings, tmp_path, capsys):
    hashing.load_key(tmp_path / "old.key", create=True)
    settings.AUDIT_KEY_FILE = tmp_path / "old.key"
    with transaction.atomic():
        audit_append(actor=None, action="test_anchor.key.change", obj_type="org.government", obj_id="1")
    settings.AUDIT_KEY_FILE = tmp_path / "var" / "audit.key"  # restored without its key
    assert cli.main(["init", "--no-migrate"]) == 2
    err = capsys.readouterr().err
    assert "restore it from the backup" in err and "请从备份恢复该密钥" in err
    assert not settings.AUDIT_KEY_FILE.exists()
    assert cli.main(["audit", "verify"]) == 1  # and verification says the key is missing, creating nothing
    assert "the audit key is missing" in capsys.readouterr().err
    assert not settings.AUDIT_KEY_FILE.exists()
    assert cli.main(["init", "--no-migrate", "--new-key"]) == 0  # knowingly
    assert settings.AUDIT_KEY_FILE.exists()
    assert "will fail verification" in capsys.readouterr().err


def test_a_bad_key_in_the_environment_is_refused_by_init(monkeypatch, capsys):
    monkeypatch.setenv(hashing.ENV_KEY, "not hex")
    assert cli.main(["init", "--no-migrate"]) == 2
    assert "ZHENGWU_AUDIT_KEY: not a hex string" in capsys.readouterr().err


def test_the_system_check_warns_at_start_up_while_the_key_is_missing(settings, capsys):
    from zhengwu.audit.apps import _audit_key_check

    assert [w.id for w in _audit_key_check()] == ["zhengwu.audit.W001"]
    hashing.load_key(settings.AUDIT_KEY_FILE, create=True)
    assert _audit_key_check() == []
