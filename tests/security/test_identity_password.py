"""Passwords (GB/T 22239-2019 8.1.4.1 a): the policy validator, the forced change of a password
someone else set, expiry, and the password-change page (audited, the password never recorded)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from identity_support import PASSWORD, events, make_admin, post_login
from zhengwu.org.models import Person
from zhengwu.org.services import person_create
from zhengwu.security import identity, passwords, roles
from zhengwu.security.models import PersonSecurity

GOOD = "Lanse-Tiankong7"


@pytest.fixture
def gov(org_demo):
    return org_demo


def messages_of(password, user=None) -> list[str]:
    with pytest.raises(ValidationError) as e:
        validate_password(password, user)
    return e.value.messages


def test_a_good_password_passes(db):
    validate_password(GOOD)
    validate_password(PASSWORD)  # the demo's published password is compliant too


def test_one_character_fails(db):
    assert any("至少8位" in m for m in messages_of("1"))


@pytest.mark.parametrize("password, expected", [
    ("Ab1!", "口令：至少8位"),                     # too short
    ("abcdefgh12", "口令：须包含大写字母、小写字母、数字、其他字符四类中的至少3类"),  # two classes
    ("ABCDEFGH!!", "口令：须包含"),                # two classes
    ("abcdefghij", "口令：须包含"),                # one class
])
def test_each_weak_kind_is_refused_with_a_message_naming_the_field(db, password, expected):
    assert any(m.startswith(expected) for m in messages_of(password)), messages_of(password)


def test_a_password_containing_the_login_name_is_refused(gov):
    czj = Person.objects.get(username="fuqu1")
    assert "口令：不得包含登录名。" in messages_of("Fuqu1-abc!", czj)
    validate_password(GOOD, czj)


def test_the_minimum_length_is_the_policys(gov):
    secadmin = make_admin(roles.SECURITY, "sec-test")
    identity.policy_update(actor=secadmin, password_min_length="12")
    assert any("至少12位" in m for m in messages_of(GOOD[:11]))
    validate_password(GOOD + "xy")


def test_an_account_created_with_a_password_must_change_it_at_first_login(client, gov):
    person_create(actor=None, government=gov, username="newclerk", full_name="新人甲", password=GOOD)
    assert PersonSecurity.objects.get(person__username="newclerk").must_change_password
    r = post_login(client, "newclerk", GOOD)
    assert r.status_code == 302
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/account/password/")
    page = client.get("/account/password/")
    assert "他人设置的初始口令" in page.content.decode()
    assert client.get("/documents/").status_code == 302
    assert client.get("/api/v1/tasks").status_code == 403  # the API's session door as well
    # a weak new password is refused, naming the field; nothing changes
    r = client.post("/account/password/", {"old_password": GOOD, "new_password1": "short",
                                           "new_password2": "short"})
    assert r.status_code == 400 and "口令：至少8位" in r.content.decode()
    assert client.get("/").status_code == 302
    r = client.post("/account/password/", {"old_password": "wrong", "new_password1": "Other-Pass9",
                                           "new_password2": "Other-Pass9"})
    assert r.status_code == 400 and "当前口令：不正确" in r.content.decode()
    r = client.post("/account/password/", {"old_password": GOOD, "new_password1": "Other-Pass9",
                                           "new_password2": "Other-Pass9"})
    assert r.status_code == 302
    assert client.get("/").status_code == 200  # still logged in, and through
    state = PersonSecurity.objects.get(person__username="newclerk")
    assert not state.must_change_password and state.password_changed_at is not None
    [e] = events("security.password.change")
    assert e.actor_id == state.person_id and "Other-Pass9" not in str(e.after) + str(e.before) + e.summary
    assert Person.objects.get(username="newclerk").check_password("Other-Pass9")


def test_a_password_reset_by_someone_else_must_be_changed(gov):
    person = Person.objects.get(username="czj")
    assert passwords.due(person) is None
    person.set_password("Reset-By-Admin1")
    person.save()
    assert passwords.due(person) == "initial"


def test_the_demo_accounts_are_not_forced(client, gov):
    assert post_login(client, "czj").status_code == 302
    assert client.get("/").status_code == 200
    assert passwords.due(Person.objects.get(username="czj"), now=timezone.now() + dt.timedelta(days=400)) is None
    # an account of a real installation has a change date, and expires
    person_create(actor=None, government=gov, username="later", full_name="后来甲", password=GOOD)
    later = Person.objects.get(username="later")
    PersonSecurity.objects.filter(person=later).update(must_change_password=False)
    assert passwords.due(later, now=timezone.now() + dt.timedelta(days=91)) == "expired"


def test_an_expired_password_must_be_changed(client, gov):
    person = Person.objects.get(username="czj")
    PersonSecurity.objects.filter(person=person).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    assert passwords.due(person) == "expired"
    post_login(client, "czj")
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/account/password/")
    assert "90天未更换" in client.get("/account/password/").content.decode()
    # with expiry off (0 days), the same account goes through
    identity.policy_update(actor=make_admin(roles.SECURITY, "sec-test"), password_max_age_days="0")
    assert passwords.due(person) is None
    other = Client()
    post_login(other, "czj", ip="10.0.0.2")
    assert other.get("/").status_code == 200


def test_a_recent_password_has_not_expired(gov):
    person = Person.objects.get(username="czj")
    PersonSecurity.objects.filter(person=person).update(password_changed_at=timezone.now() - dt.timedelta(days=89))
    assert passwords.due(person) is None


def test_everyone_may_change_their_password(client, gov):
    client.force_login(Person.objects.get(username="czj"))
    assert client.get("/account/").status_code == 200
    assert client.get("/account/password/").status_code == 200
    r = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD + "x"})
    assert r.status_code == 400 and "两次输入的新口令不一致" in r.content.decode()
    r = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": PASSWORD,
                                           "new_password2": PASSWORD})
    assert r.status_code == 400 and "不能与当前口令相同" in r.content.decode()
    assert events("security.password.change") == []
    r = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD})
    assert r.status_code == 302 and len(events("security.password.change")) == 1


def test_the_policy_page_is_the_security_administrators_and_refuses_bad_values(client, gov):
    client.force_login(Person.objects.get(username="czj"))
    assert client.get("/security/policy/").status_code == 403
    with pytest.raises(Exception, match="安全管理员"):
        identity.policy_update(actor=Person.objects.get(username="czj"), failure_limit="3")
    secadmin = make_admin(roles.SECURITY, "sec-test")
    with pytest.raises(Exception, match="口令最小长度：须在8至64之间"):
        identity.policy_update(actor=secadmin, password_min_length="6")
    with pytest.raises(Exception, match="请填写整数"):
        identity.policy_update(actor=secadmin, idle_minutes="half an hour")
    assert events("security.policy.update") == []
    identity.policy_update(actor=secadmin, idle_minutes="15")
    [e] = events("security.policy.update")
    assert e.before["idle_minutes"] == 30 and e.after["idle_minutes"] == 15 and "空闲超时" in e.summary
