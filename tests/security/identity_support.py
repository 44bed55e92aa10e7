"""Helpers of the identity tests (tests/security/test_identity_*.py): logging in through the real
login form (django-axes sees the request and its address), the TOTP code of a person's device."""

from __future__ import annotations

import time

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengwu.audit.models import AuditEvent
from zhengwu.org import demo

PASSWORD = demo.PASSWORD


def post_login(client: Client, username: str, password: str = PASSWORD, ip: str = "10.0.0.1", next: str = ""):
    data = {"username": username, "password": password}
    if next:
        data["next"] = next
    return client.post("/login/", data, REMOTE_ADDR=ip)


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    t.time = time.time() + steps_ahead * device.step
    return str(t.token()).zfill(device.digits)


def device_of(username: str, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.get(user__username=username, confirmed=confirmed)


def events(action: str, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("seq"))


def make_admin(kind: str, username: str):
    """An administrator account of `kind` (its Django group), password PASSWORD, not forced to change."""
    from zhengwu.org.models import Person
    from zhengwu.security import admins, passwords, roles

    # as the product makes one (zhengwu admins create): the group, and staff with it
    person, _ = admins.admin_create(actor=None, kind=kind, username=username, full_name=f"{roles.LABELS[kind]}甲",
                                    password=PASSWORD)
    passwords.release_demo_accounts([person])
    return Person.objects.get(pk=person.pk)


def verified_client(person):
    """A client logged in as `person` who has an authenticator and has entered its code."""
    client = Client()
    device = TOTPDevice.objects.filter(user=person, confirmed=True).first() or TOTPDevice.objects.create(
        user=person, name="authenticator", confirmed=True)
    client.force_login(person)
    r = client.post("/login/verify/", {"code": code_for(device)})
    assert r.status_code == 302, r.content.decode()[:500]
    return client
