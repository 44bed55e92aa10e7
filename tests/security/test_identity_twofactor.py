"""Two-factor authentication (GB/T 22239-2019 8.1.4.1 d): required for the 区长, the 副区长, the
office's leaders and every administrator, optional for everyone else; a code or a single-use
recovery code after the password; enrolment before any other page where it is required."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from identity_support import code_for, device_of, events, make_admin, post_login
from zhengwu.org.models import Person
from zhengwu.security import demo_identity, roles, twofactor


@pytest.fixture
def gov(org_demo):
    return org_demo


def test_who_must_use_two_factor_authentication(gov):
    def need(username):
        return twofactor.required(Person.objects.get(username=username))

    assert all(need(u) for u in ("quzhang", "changwu", "fuqu1", "fuqu4", "bgs-zhuren", "bgs-fuzhuren"))
    assert not any(need(u) for u in ("wenshu", "czj", "dcz", "xhjd"))
    assert need(make_admin(roles.AUDIT, "audit-test").username)


def test_the_district_head_cannot_reach_the_inbox_before_the_code(client, gov):
    r = post_login(client, "quzhang")
    assert r.status_code == 302
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/login/verify/")
    assert client.get("/documents/").status_code == 302
    r = client.get("/api/v1/tasks")
    assert r.status_code == 403 and "双因素验证" in r.json()["message"]
    r = client.post("/login/verify/", {"code": "000000"})
    assert r.status_code == 400 and "验证码：不正确或已过期" in r.content.decode()
    assert client.get("/").status_code == 302
    [failed] = events("security.twofactor.fail")
    assert failed.obj_id == str(Person.objects.get(username="quzhang").pk)
    let_time_pass("quzhang")  # django-otp throttles: after a failure, the next try waits a second
    r = client.post("/login/verify/", {"code": code_for(device_of("quzhang"))})
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/tasks").status_code == 200
    [login] = events("security.login")
    assert login.after["steps"] == ["verify"]


def let_time_pass(username, seconds=60):
    import datetime as dt

    from django.db.models import F

    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user__username=username, throttling_failure_timestamp__isnull=False).update(
            throttling_failure_timestamp=F("throttling_failure_timestamp") - dt.timedelta(seconds=seconds))


def test_a_code_is_accepted_once(client, gov):
    device = device_of("quzhang")
    code = code_for(device)
    post_login(client, "quzhang")
    assert client.post("/login/verify/", {"code": code}).status_code == 302
    again = Client()
    post_login(again, "quzhang", ip="10.0.0.9")
    assert again.post("/login/verify/", {"code": code}).status_code == 400  # replayed


def enrol(client, username) -> list[str]:
    page = client.get("/account/two-factor/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and "style=" not in html  # the CSP: no inline code
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    assert twofactor.secret_base32(device) in html
    r = client.post("/account/two-factor/", {"code": "12345"})
    assert r.status_code == 400 and "6位数字" in r.content.decode()
    r = client.post("/account/two-factor/", {"code": code_for(device)})
    assert r.status_code == 200
    codes = list(r.context["codes"])
    assert len(codes) == 10 and all(c in r.content.decode() for c in codes)
    return codes


def test_an_administrator_must_enrol_before_any_other_page(client, gov):
    admin = make_admin(roles.SECURITY, "sec-test")
    assert post_login(client, admin.username).status_code == 302
    for url in ("/security/roles/", "/security/policy/", "/security/lockouts/", "/account/", "/admin/"):
        r = client.get(url)
        assert r.status_code == 302 and "/account/two-factor/" in r["Location"], url
    enrol(client, admin.username)
    assert client.get("/security/policy/").status_code == 200
    [e] = events("security.twofactor.enrol")
    assert e.actor_id == admin.pk
    # the next login asks for the code
    other = Client()
    post_login(other, admin.username, ip="10.0.0.3")
    assert other.get("/security/policy/")["Location"].startswith("/login/verify/")


def test_a_clerk_may_log_in_without_and_may_enrol_and_turn_it_off(client, gov):
    post_login(client, "wenshu")
    assert client.get("/").status_code == 200
    assert "双因素认证" in client.get("/account/").content.decode()
    enrol(client, "wenshu")
    assert twofactor.has_device(Person.objects.get(username="wenshu"))
    r = client.post("/account/two-factor/remove/")
    assert r.status_code == 302 and not twofactor.has_device(Person.objects.get(username="wenshu"))
    [e] = events("security.twofactor.remove")
    assert e.actor_id == Person.objects.get(username="wenshu").pk


def test_who_requires_it_cannot_turn_it_off(client, gov):
    quzhang = Person.objects.get(username="quzhang")
    client.force_login(quzhang)
    client.post("/login/verify/", {"code": code_for(device_of("quzhang"))})
    r = client.post("/account/two-factor/remove/")
    assert r.status_code == 403 and twofactor.has_device(quzhang)
    # a security administrator resets it (a lost phone)
    twofactor.remove(actor=make_admin(roles.SECURITY, "sec-test"), person=quzhang)
    assert not twofactor.has_device(quzhang)
    with pytest.raises(Exception, match="安全管理员"):
        twofactor.remove(actor=Person.objects.get(username="wenshu"), person=Person.objects.get(username="fuqu1"))


def test_a_recovery_code_works_once(client, gov):
    post_login(client, "wenshu")
    codes = enrol(client, "wenshu")
    client.post("/logout/")
    post_login(client, "wenshu")
    assert client.get("/")["Location"].startswith("/login/verify/")
    r = client.post("/login/verify/", {"code": codes[0]})
    assert r.status_code == 302 and client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user__username="wenshu").count() == 9
    [used] = events("security.twofactor.recovery_use")
    assert used.after == {"recovery_codes_left": 9}
    client.post("/logout/")
    post_login(client, "wenshu")
    assert client.post("/login/verify/", {"code": codes[0]}).status_code == 400
    let_time_pass("wenshu")
    assert client.post("/login/verify/", {"code": codes[1]}).status_code == 302


def test_the_demo_prints_the_secrets_and_a_current_code(gov):
    text = demo_identity.accounts_text()
    device = device_of("quzhang")
    assert twofactor.secret_base32(device) in text and "quzhang" in text and "wenshu" not in text
    assert demo_identity.current_code(device) in text or len(demo_identity.current_code(device)) == 6


def test_no_shortcut_without_the_demo(db):
    assert demo_identity.accounts_text() == ""


def test_the_setting_switches_the_step_off_for_old_tests_only(client, gov, settings):
    settings.SECURITY_ENFORCE_2FA = False
    post_login(client, "quzhang")
    assert client.get("/").status_code == 200


def test_a_security_administrator_resets_someones_two_factor_on_the_web(gov):
    from identity_support import verified_client

    admin = verified_client(make_admin(roles.SECURITY, "sec-test"))
    page = admin.get("/security/lockouts/")
    assert page.status_code == 200 and "重置双因素认证" in page.content.decode()
    r = admin.post("/security/two-factor/reset/", {"username": "quzhang"})
    assert r.status_code == 302 and not twofactor.has_device(Person.objects.get(username="quzhang"))
    [e] = events("security.twofactor.remove")
    assert e.obj_id == str(Person.objects.get(username="quzhang").pk)
    assert admin.post("/security/two-factor/reset/", {"username": "nobody"}).status_code == 400
    # the 区长 must enrol again at his next login
    client = Client()
    post_login(client, "quzhang")
    assert "/account/two-factor/" in client.get("/")["Location"]


def test_only_a_security_administrator_resets(gov):
    office = verified_client_for("wenshu")
    assert office.get("/security/lockouts/").status_code == 200
    assert "重置双因素认证" not in office.get("/security/lockouts/").content.decode()
    assert office.post("/security/two-factor/reset/", {"username": "quzhang"}).status_code == 403
    assert twofactor.has_device(Person.objects.get(username="quzhang"))


def verified_client_for(username):
    from identity_support import verified_client

    return verified_client(Person.objects.get(username=username))


def test_the_admin_sites_password_change_is_the_account_page(gov):
    client = verified_client_for("bgs-zhuren")  # staff: in the office's admin group
    r = client.get("/admin/password_change/")
    assert r.status_code == 302 and r["Location"] == "/account/password/"


def test_after_the_code_the_person_lands_where_he_was_going_and_never_off_site(client, gov):
    r = post_login(client, "quzhang", next="/documents/")
    assert r["Location"] == "/documents/"
    r = client.get("/documents/")
    assert r["Location"] == "/login/verify/?next=%2Fdocuments%2F"
    assert 'name="next" value="/documents/"' in client.get(r["Location"]).content.decode()
    r = client.post("/login/verify/", {"code": code_for(device_of("quzhang")), "next": "/documents/"})
    assert r["Location"] == "/documents/"
    other = Client()
    post_login(other, "quzhang", ip="10.0.0.4")
    r = other.post("/login/verify/", {"code": code_for(device_of("quzhang"), 1), "next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == "/"
