"""Login failure handling (GB/T 22239-2019 8.1.4.1 b): lockout per account and address after the
policy's limit, the message, and the unlock by the right people only (web and CLI, one service)."""

from __future__ import annotations

import pytest
from django.test import Client

from identity_support import PASSWORD, events, make_admin, post_login
from zhengwu import cli
from zhengwu.org.models import Person
from zhengwu.security import identity, lockout, roles

IP = "10.0.0.7"


@pytest.fixture
def gov(org_demo):
    return org_demo


def fail(client, username, times, ip=IP):
    for _ in range(times):
        r = post_login(client, username, "wrong-Password1", ip=ip)
        assert r.status_code in (200, 429)
    return r


def test_the_right_password_logs_in(client, gov):
    r = post_login(client, "czj", ip=IP)
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get("/").status_code == 200
    [e] = events("security.login")
    assert e.actor_id == Person.objects.get(username="czj").pk and e.after["ip_address"] == IP


def test_five_wrong_then_the_right_password_is_refused_with_a_clear_message(client, gov):
    r = fail(client, "czj", 4)
    assert r.status_code == 200 and "lockout" not in r.content.decode()
    r = fail(client, "czj", 1)
    assert r.status_code == 429
    r = post_login(client, "czj", PASSWORD, ip=IP)  # the right password, now refused
    html = r.content.decode()
    assert r.status_code == 429 and 'id="lockout"' in html
    assert "已被锁定" in html and "分钟" in html and "安全管理员或区政府办公室" in html
    assert client.get("/").status_code == 302  # not logged in
    person = Person.objects.get(username="czj")
    assert len(events("security.login_failed", obj_id=str(person.pk))) == 6
    [locked] = events("security.lockout")
    assert locked.actor_id is None and locked.obj_id == str(person.pk) and locked.after["ip_address"] == IP
    assert events("security.login") == []


def test_the_lockout_is_per_account_and_address(client, gov):
    fail(client, "czj", 5)
    assert post_login(Client(), "czj", ip="10.0.0.8").status_code == 302  # same account, another address
    assert post_login(Client(), "sfj", ip=IP).status_code == 302  # same address, another account
    assert post_login(Client(), "czj", ip=IP).status_code == 429


def test_an_unknown_login_name_is_audited_with_no_actor(client, gov):
    post_login(client, "nobody-here", "x", ip=IP)
    [e] = events("security.login_failed")
    assert e.actor_id is None and (e.obj_type, e.obj_id) == ("security.login", "nobody-here")
    assert "password" not in str(e.after) and "x" not in e.after.values()


def test_the_limit_is_the_policys(client, gov):
    secadmin = make_admin(roles.SECURITY, "sec-test")
    identity.policy_update(actor=secadmin, failure_limit="3", lockout_minutes="10")
    fail(client, "czj", 3)
    r = post_login(client, "czj", ip=IP)
    assert r.status_code == 429 and "10" in r.content.decode()


def office_admin():
    return Person.objects.get(username="wenshu")  # in the office's admin group (demo)


def test_the_office_unlocks_through_the_web_page(client, gov):
    fail(Client(), "czj", 5)
    assert lockout.is_locked("czj")
    client.force_login(office_admin())
    page = client.get("/security/lockouts/")
    assert page.status_code == 200 and "czj" in page.content.decode()
    r = client.post("/security/lockouts/", {"username": "czj"})
    assert r.status_code == 302 and not lockout.is_locked("czj")
    [e] = events("security.unlock")
    assert e.actor_id == office_admin().pk and e.obj_id == str(Person.objects.get(username="czj").pk)
    assert post_login(Client(), "czj", ip=IP).status_code == 302


def test_a_security_administrator_unlocks(gov):
    fail(Client(), "czj", 5)
    secadmin = make_admin(roles.SECURITY, "sec-test")
    assert lockout.unlock(actor=secadmin, username="czj") == 1
    assert not lockout.is_locked("czj")


def test_others_may_not_unlock(client, gov):
    fail(Client(), "czj", 5)
    client.force_login(Person.objects.get(username="sfj"))  # a department head, not the office's admin
    assert client.get("/security/lockouts/").status_code == 403
    r = client.post("/security/lockouts/", {"username": "czj"})
    assert r.status_code == 403 and lockout.is_locked("czj")
    assert events("security.unlock") == []


def test_nobody_unlocks_himself_and_the_office_not_an_administrator(gov):
    from zhengwu.errors import Forbidden

    fail(Client(), "wenshu", 5)
    with pytest.raises(Forbidden):
        lockout.unlock(actor=office_admin(), username="wenshu")
    secadmin = make_admin(roles.SECURITY, "sec-test")
    fail(Client(), secadmin.username, 5)
    with pytest.raises(Forbidden, match="安全管理员"):
        lockout.unlock(actor=office_admin(), username=secadmin.username)
    assert lockout.is_locked(secadmin.username)


def test_bad_input_names_the_field(client, gov):
    client.force_login(office_admin())
    r = client.post("/security/lockouts/", {"username": "czj"})  # not locked
    assert r.status_code == 409 and "未被锁定" in r.content.decode()
    r = client.post("/security/lockouts/", {"username": "no-such-person"})
    assert r.status_code == 400 and "no-such-person" in r.content.decode()
    assert events("security.unlock") == []


def test_the_cli_unlocks_as_the_office_and_refuses_others(gov, capsys):
    fail(Client(), "czj", 5)
    assert cli.main(["security", "unlock", "czj", "--as", "sfj"]) == 2
    assert "区政府办公室" in capsys.readouterr().err and lockout.is_locked("czj")
    assert cli.main(["security", "unlock", "czj", "--as", "nobody"]) == 2
    assert "as:" in capsys.readouterr().err
    assert cli.main(["security", "unlock", "czj", "--as", "wenshu"]) == 0
    assert "unlocked czj" in capsys.readouterr().out and not lockout.is_locked("czj")
    assert len(events("security.unlock")) == 1


def test_the_api_has_no_password_login(client, gov):
    """The API authenticates by bearer token or an existing session only: a password gets nowhere
    (so there is no password door for a guesser to bypass the lockout through)."""
    import base64

    basic = base64.b64encode(f"czj:{PASSWORD}".encode()).decode()
    assert client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Basic {basic}").status_code == 401
    assert client.post("/api/v1/login", {"username": "czj", "password": PASSWORD}).status_code in (401, 404, 405)
    from zhengwu.api.api import api

    paths = api.get_openapi_schema()["paths"]
    assert paths and not any("login" in path or "password" in path or "token" in path for path in paths)
