"""Every identity event is in the audit chain (GB/T 22239-2019 8.1.4.3 安全审计 over 8.1.4.1): login,
logout, failed login (unknown names too), lockout, unlock, 2FA enrolment, use of a recovery code,
a wrong code, removal, password change, policy change — and the chain verifies. No password, code
or secret is ever written into it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from identity_support import PASSWORD, code_for, make_admin, post_login
from zhengwu.audit.models import AuditEvent
from zhengwu.audit.selectors import verify_chain
from zhengwu.org.models import Person
from zhengwu.security import identity, lockout, roles, twofactor


@pytest.fixture
def gov(org_demo):
    return org_demo


def test_every_identity_event_is_in_the_chain(client, gov):
    seq0 = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    secadmin = make_admin(roles.SECURITY, "sec-test")
    secrets_seen = [PASSWORD]

    post_login(Client(), "ghost-user", "Whatever-1")                    # failed login, unknown name
    for _ in range(5):
        post_login(Client(), "czj", "Wrong-Pass-1")                      # failed logins → lockout
    lockout.unlock(actor=Person.objects.get(username="wenshu"), username="czj")   # unlock

    post_login(client, "czj")                                           # login
    device = twofactor.enrol_start(actor=Person.objects.get(username="czj"), person=Person.objects.get(username="czj"))
    code = code_for(device)
    r = client.post("/account/two-factor/", {"code": code})              # enrolment
    codes = list(r.context["codes"])
    secrets_seen += [code, twofactor.secret_base32(device), *codes]
    client.post("/logout/")                                             # logout
    post_login(client, "czj")
    client.post("/login/verify/", {"code": "999999"})                   # a wrong code
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user__username="czj").update(throttling_failure_timestamp=None)
    client.post("/login/verify/", {"code": codes[0]})                   # recovery code
    client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "Neue-Kennwort8",
                                       "new_password2": "Neue-Kennwort8"})   # password change
    secrets_seen.append("Neue-Kennwort8")
    client.post("/account/two-factor/remove/")                          # removal
    identity.policy_update(actor=secadmin, lockout_minutes="20")        # policy

    new = list(AuditEvent.objects.filter(seq__gt=seq0).order_by("seq"))
    actions = {e.action for e in new}
    assert set(identity.ACTIONS) <= actions, set(identity.ACTIONS) - actions
    ghost = [e for e in new if e.action == "security.login_failed" and e.obj_type == "security.login"]
    assert [(e.actor_id, e.obj_id) for e in ghost] == [(None, "ghost-user")]
    text = json.dumps([[e.summary, e.before, e.after] for e in new], ensure_ascii=False)
    for secret in secrets_seen:
        assert secret not in text
    result = verify_chain()
    assert result.ok, result.reason
