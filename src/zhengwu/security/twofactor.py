"""Two-factor authentication (GB/T 22239-2019 8.1.4.1 d: 两种或两种以上组合的鉴别技术, one of them
cryptographic): a TOTP authenticator (django-otp TOTPDevice, RFC 6238 over HMAC) plus ten single-use
recovery codes (StaticDevice).

Required (`required`) for the posts of policy.TWO_FACTOR_POSITIONS (区长, 常务副区长, 副区长, the
office's 主任/副主任) and every administrator (roles.is_administrator); anyone else may enrol from
the account page. `settings.SECURITY_ENFORCE_2FA` (default True) switches the whole step off — for
the old tests only (tests/conftest.py); a production instance keeps it on.

The login gate (gate.py) asks for a code when a confirmed device exists, and makes a person who
needs 2FA and has none enrol before any other page. These services write the devices and audit.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Forbidden, Refused

from . import policy, roles

OBJ = "org.person"
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"
RECOVERY_CODES = 10


def enforced() -> bool:
    return bool(getattr(settings, "SECURITY_ENFORCE_2FA", True))


def required(person) -> bool:
    """Must this person use a second factor? (administrators and the leading posts)"""
    if person is None or getattr(person, "pk", None) is None:
        return False
    if roles.is_administrator(person):
        return True
    from zhengwu.org import selectors as org

    return any(p.code in policy.TWO_FACTOR_POSITIONS for p in org.positions_of(person, rules.today()))


def totp_device(person, confirmed: bool | None = True) -> TOTPDevice | None:
    qs = TOTPDevice.objects.filter(user_id=person.pk)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("-id").first()


def has_device(person) -> bool:
    return TOTPDevice.objects.filter(user_id=person.pk, confirmed=True).exists()


def recovery_left(person) -> int:
    return StaticToken.objects.filter(device__user_id=person.pk, device__confirmed=True).count()


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (no external request, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


def enrol_start(*, actor, person) -> TOTPDevice:
    """An unconfirmed authenticator for the person (the same one until confirmed)."""
    if actor is None or actor.pk != person.pk:
        raise Forbidden(_("Only the holder of an account enrols his own authenticator."))
    if has_device(person):
        raise Refused(_("Two-factor authentication is already on for this account."), field="device", status=409)
    found = totp_device(person, confirmed=False)
    if found is not None:
        return found
    with transaction.atomic():
        return TOTPDevice.objects.create(user=person, name=TOTP_NAME, confirmed=False)


def _new_recovery_codes(person) -> list[str]:
    StaticDevice.objects.filter(user_id=person.pk).delete()
    device = StaticDevice.objects.create(user=person, name=RECOVERY_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def enrol_confirm(*, actor, person, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with a code it shows; returns the device and the recovery codes
    (shown once: only they are never stored anywhere but as the single-use tokens)."""
    if actor is None or actor.pk != person.pk:
        raise Forbidden(_("Only the holder of an account enrols his own authenticator."))
    code = (code or "").strip().replace(" ", "") if isinstance(code, str) else ""
    if not code.isdigit() or len(code) != 6:
        raise Refused(_("Code: enter the 6 digits the authenticator shows."), field="code")
    device = totp_device(person, confirmed=False)
    if device is None:
        raise Refused(_("Code: start the enrolment first."), field="code")
    if not device.verify_token(code):
        raise Refused(_("Code: incorrect or expired; enter the code the authenticator shows now."), field="code")
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=person.pk).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = _new_recovery_codes(person)
        audit_append(actor=actor, action="security.twofactor.enrol", obj_type=OBJ, obj_id=str(person.pk),
                     before={"two_factor": False}, after={"two_factor": True, "recovery_codes": len(codes)},
                     summary=f"{person}启用双因素认证（认证器和{len(codes)}个恢复码）")
    return device, codes


def verify(*, person, code: str, request=None):
    """Check a code (authenticator) or a recovery code (used up). Returns the device or raises
    Refused naming the field. Every failure and every recovery code used is audited."""
    code = (code or "").strip().replace(" ", "").lower() if isinstance(code, str) else ""
    if not code:
        raise Refused(_("Code: required."), field="code")
    matched = None
    totp = totp_device(person)
    if totp is not None and code.isdigit() and totp.verify_token(code):
        matched = totp
    else:
        static = StaticDevice.objects.filter(user_id=person.pk, confirmed=True).first()
        if static is not None and static.verify_token(code):
            matched = static
    ip = (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:45]
    with transaction.atomic():
        if matched is None:
            audit_append(actor=None, action="security.twofactor.fail", obj_type=OBJ, obj_id=str(person.pk),
                         after={"ip_address": ip}, summary=f"{person}的双因素验证码错误（{ip}）")
        elif isinstance(matched, StaticDevice):
            left = matched.token_set.count()
            audit_append(actor=person, action="security.twofactor.recovery_use", obj_type=OBJ, obj_id=str(person.pk),
                         after={"recovery_codes_left": left}, summary=f"{person}使用了一个恢复码登录（剩余{left}个）")
    if matched is None:
        raise Refused(_("Code: incorrect or expired."), field="code")
    return matched


def remove(*, actor, person) -> None:
    """Turn two-factor authentication off for a person: the holder where it is optional for him, a
    security administrator for someone else (a lost phone: the person enrols again at next login)."""
    if actor is None or getattr(actor, "pk", None) is None:
        raise Forbidden(_("Removing two-factor authentication needs a named person."))
    if actor.pk == person.pk:
        if enforced() and required(person):
            raise Forbidden(_("Two-factor authentication is required for this account; a security administrator "
                              "can reset it if the authenticator is lost."))
    elif roles.SECURITY not in roles.kinds_of(actor):
        raise Forbidden(_("Only a security administrator may reset another person's two-factor authentication."))
    with transaction.atomic():
        had = TOTPDevice.objects.filter(user_id=person.pk, confirmed=True).exists()
        TOTPDevice.objects.filter(user_id=person.pk).delete()
        StaticDevice.objects.filter(user_id=person.pk).delete()
        if not had:
            raise Refused(_("Two-factor authentication is not on for this account."), field="device", status=409)
        audit_append(actor=actor, action="security.twofactor.remove", obj_type=OBJ, obj_id=str(person.pk),
                     before={"two_factor": True}, after={"two_factor": False},
                     summary=f"{actor}停用了{person}的双因素认证" if actor.pk != person.pk
                     else f"{person}停用了本人的双因素认证")
