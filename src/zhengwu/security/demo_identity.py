"""The demo's identity: its published password stays usable (not forced to change), and the demo
accounts that must use two-factor authentication get an authenticator secret created at load time,
printed with a current code by `zhengwu demo accounts` (run by `make run`).

Only devices named DEMO_DEVICE are printed, and only the demo loader names a device so: a
production instance (no demo loaded) has no such device and no shortcut.
"""

from __future__ import annotations

from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengwu.org.models import Person

from . import passwords, twofactor

DEMO_DEVICE = "demo-authenticator"


def load() -> list[str]:
    """Release every account (the demo loads into an empty database) from the forced change, and
    give those who need 2FA a confirmed authenticator. Idempotent; returns the usernames enrolled."""
    enrolled = []
    with transaction.atomic():
        people = list(Person.objects.filter(is_active=True).order_by("pk"))
        passwords.release_demo_accounts(people)
        for person in people:
            if twofactor.required(person) and not TOTPDevice.objects.filter(user=person).exists():
                TOTPDevice.objects.create(user=person, name=DEMO_DEVICE, confirmed=True)
                enrolled.append(person.username)
    return enrolled


def current_code(device: TOTPDevice) -> str:
    """The code the device's authenticator shows now (django_otp.oath.totp over its key)."""
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)


def accounts_text() -> str:
    devices = list(TOTPDevice.objects.filter(name=DEMO_DEVICE, confirmed=True).select_related("user")
                   .order_by("user__pk"))
    if not devices:
        return ""
    lines = ["", "", "双因素认证 Two-factor authentication (区长、副区长、办公室主任/副主任和管理员必须使用):",
             "  登录后输入认证器显示的6位验证码。把下面的密钥加入手机上的认证器应用（TOTP），",
             "  或直接使用这里打印的当前验证码（30秒内有效，可再次运行 `zhengwu demo accounts` 获取）。",
             "  After the password, enter the 6-digit code: add the key to an authenticator app (TOTP),",
             "  or use the current code printed here (valid for 30 seconds; run `zhengwu demo accounts` again).", ""]
    for d in devices:
        lines.append(f"  {d.user.username:<14} {twofactor.secret_base32(d)}  当前验证码 code now: {current_code(d)}")
    return "\n".join(lines)
