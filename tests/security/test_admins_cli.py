"""三权分立: the installation door. `zhengwu admins create` (the server's shell) makes the first
administrators, audited as the system; the password is read from stdin or generated and printed
once; bad input names the field, exits 2 and writes nothing."""

from __future__ import annotations

import io

import pytest

from zhengwu import cli
from zhengwu.audit.models import AuditEvent
from zhengwu.org.models import Person
from zhengwu.security import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(org_demo):
    return org_demo


def test_create_an_administrator_with_a_generated_password_printed_once(gov, capsys):
    assert cli.main(["admins", "create", "--kind", "audit", "shenji2", "--full-name", "审计员二"]) == 0
    out, err = capsys.readouterr()
    first, password = out.strip().splitlines()
    assert "shenji2" in first and len(password) >= 12 and "shown only this once" in err
    person = Person.objects.get(username="shenji2")
    assert person.check_password(password) and roles.kinds_of(person) == {roles.AUDIT} and person.is_staff
    assert not person.is_superuser and not person.appointments.exists()
    grant = AuditEvent.objects.filter(action="security.role.grant", obj_id=str(person.pk)).get()
    assert grant.actor_id is None and grant.actor_label == "system"
    assert password not in str(AuditEvent.objects.filter(obj_id=str(person.pk)).values_list("after", "summary"))


def test_create_with_the_password_from_stdin_checked_against_the_policy(gov, capsys, monkeypatch, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                                          "OPTIONS": {"min_length": 12}}]
    monkeypatch.setattr("sys.stdin", io.StringIO("Xt7#pq-Lm29z!k\n"))
    assert cli.main(["admins", "create", "--kind", "security", "anquan3", "--full-name", "安全员三",
                     "--password-stdin"]) == 0
    out, _err = capsys.readouterr()
    assert "Xt7#pq-Lm29z!k" not in out
    assert Person.objects.get(username="anquan3").check_password("Xt7#pq-Lm29z!k")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["admins", "create", "--kind", "security", "anquan4", "--full-name", "安全员四",
                     "--password-stdin"]) == 2
    assert capsys.readouterr().err.startswith("zhengwu: password:")
    assert not Person.objects.filter(username="anquan4").exists()


@pytest.mark.parametrize("args,field", [
    (["--kind", "system", "sysadmin", "--full-name", "重名"], "username"),
    (["--kind", "system", "bad name", "--full-name", "某"], "username"),
    (["--kind", "system", "xitong2", "--full-name", "  "], "full_name"),
])
def test_bad_input_names_the_field_exits_2_and_writes_nothing(gov, capsys, args, field):
    people, events = Person.objects.count(), AuditEvent.objects.count()
    assert cli.main(["admins", "create", *args]) == 2
    assert capsys.readouterr().err.startswith(f"zhengwu: {field}:")
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)


def test_an_unknown_kind_is_refused_by_the_parser(gov, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["admins", "create", "--kind", "root", "x", "--full-name", "某"])
    assert e.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_list_shows_the_administrators(gov, capsys):
    assert cli.main(["admins", "list"]) == 0
    out = capsys.readouterr().out
    assert "系统管理员\tsysadmin" in out and "安全管理员\tsecadmin" in out and "审计管理员\tauditadmin" in out
    assert "wenshu" not in out  # the office admins are business accounts


def test_demo_accounts_lists_the_three_administrators_and_no_superuser(gov, capsys):
    assert cli.main(["demo", "accounts"]) == 0
    out = capsys.readouterr().out
    for line in ("sysadmin       系统管理员", "secadmin       安全管理员", "auditadmin     审计管理员"):
        assert line in out
    assert " admin " not in out


def test_the_shell_keeps_administrator_accounts_audited_as_the_system(gov, capsys):
    auditor = Person.objects.get(username="auditadmin")
    assert cli.main(["admins", "reset-password", "auditadmin"]) == 0
    password = capsys.readouterr().out.strip()
    assert Person.objects.get(pk=auditor.pk).check_password(password)
    assert cli.main(["admins", "deactivate", "auditadmin"]) == 0
    assert not Person.objects.get(pk=auditor.pk).is_active
    assert cli.main(["admins", "deactivate", "auditadmin"]) == 2  # already: refused, naming the field
    assert capsys.readouterr().err.startswith("zhengwu: person:")
    assert cli.main(["admins", "activate", "auditadmin"]) == 0 and Person.objects.get(pk=auditor.pk).is_active
    done = AuditEvent.objects.filter(obj_id=str(auditor.pk), action__startswith="security.account.")
    assert [e.action for e in done.order_by("seq")] == [
        "security.account.password_reset", "security.account.deactivate", "security.account.activate"]
    assert all(e.actor_id is None for e in done) and password not in str(list(done.values("after", "summary")))
    assert cli.main(["admins", "deactivate", "nobody"]) == 2
    assert "username" in capsys.readouterr().err
