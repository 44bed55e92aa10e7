"""Session lifetimes (GB/T 22239-2019 8.1.4.1 b: 登录连接超时自动退出): the idle timeout and the absolute
lifetime of the security policy, in the middleware every request crosses; no sleeping — the
session's timestamps are moved back."""

from __future__ import annotations

import pytest

from identity_support import events, make_admin, post_login
from zhengwu.security import gate, identity, roles


@pytest.fixture
def gov(org_demo):
    return org_demo


def shift(client, key, seconds):
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def test_an_active_session_goes_on(client, gov):
    post_login(client, "czj")
    shift(client, gate.SEEN_AT, 29 * 60)
    shift(client, gate.LOGIN_AT, 7 * 3600)
    assert client.get("/").status_code == 200


def test_an_idle_session_is_logged_out_with_a_message(client, gov):
    post_login(client, "czj")
    shift(client, gate.SEEN_AT, 31 * 60)
    r = client.get("/documents/")
    assert r.status_code == 302 and r["Location"] == "/login/?next=%2Fdocuments%2F"
    page = client.get(r["Location"])
    assert "30分钟没有操作" in page.content.decode()
    assert client.get("/").status_code == 302  # logged out for good
    [out] = events("security.logout")
    assert out.after["reason"] == "idle"


def test_a_session_ends_after_its_absolute_lifetime_even_when_used(client, gov):
    post_login(client, "czj")
    shift(client, gate.LOGIN_AT, 8 * 3600 + 1)
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert "登录已满8小时" in client.get(r["Location"]).content.decode()
    [out] = events("security.logout")
    assert out.after["reason"] == "absolute"


def test_the_api_session_is_told_401(client, gov):
    post_login(client, "czj")
    assert client.get("/api/v1/tasks").status_code == 200
    shift(client, gate.SEEN_AT, 31 * 60)
    r = client.get("/api/v1/tasks")
    assert r.status_code == 401 and "重新登录" in r.json()["message"]


def test_the_limits_are_the_policys(client, gov):
    identity.policy_update(actor=make_admin(roles.SECURITY, "sec-test"), idle_minutes="5")
    post_login(client, "czj")
    shift(client, gate.SEEN_AT, 6 * 60)
    assert client.get("/")["Location"].startswith("/login/")
