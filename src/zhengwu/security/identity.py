"""Identity (GB/T 22239-2019 8.1.4.1 身份鉴别): the audit actions, the signal connections, and the
security policy's service. The parts: policy.py (the parameters), passwords.py, lockout.py,
twofactor.py, gate.py (login steps, session lifetimes), views_identity.py, cli_identity.py,
demo_identity.py. See docs/security.md, section "Identity"."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.audit.services import audit_append
from zhengwu.errors import Refused

from . import policy, roles
from .models import SecurityPolicy

ACTIONS = {
    "security.login": "登录",
    "security.logout": "退出登录",
    "security.login_failed": "登录失败",
    "security.lockout": "账号锁定",
    "security.unlock": "解除账号锁定",
    "security.password.change": "修改口令",
    "security.twofactor.enrol": "启用双因素认证",
    "security.twofactor.remove": "停用双因素认证",
    "security.twofactor.recovery_use": "使用恢复码",
    "security.twofactor.fail": "双因素验证失败",
    "security.policy.update": "修改安全策略",
}


LABELS = {p[0]: p[1] for p in policy.PARAMETERS}


def register() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
    from django.db.models.signals import post_save, pre_save

    from zhengwu.audit.catalogue import register_actions

    from . import gate, lockout, passwords

    register_actions(ACTIONS)
    person = get_user_model()
    pre_save.connect(passwords.on_person_pre_save, sender=person, dispatch_uid="zw-security-pw-pre")
    post_save.connect(passwords.on_person_post_save, sender=person, dispatch_uid="zw-security-pw-post")
    user_logged_in.connect(gate.on_logged_in, dispatch_uid="zw-security-login")
    user_logged_out.connect(gate.on_logged_out, dispatch_uid="zw-security-logout")
    user_login_failed.connect(lockout.on_login_failed, dispatch_uid="zw-security-login-failed")
    user_locked_out.connect(lockout.on_locked_out, dispatch_uid="zw-security-locked-out")
    _admin_password_change_is_the_account_page()


def _admin_password_change_is_the_account_page() -> None:
    """The admin site's own "change password" would save the holder's new password as if someone
    else had set it (and skip the audit): it sends the person to /account/password/ instead."""
    from django.contrib import admin
    from django.shortcuts import redirect

    def password_change(request, extra_context=None):
        return redirect("account-password")

    admin.site.password_change = password_change


def policy_update(*, actor, **values) -> SecurityPolicy:
    """A security administrator sets the identity parameters (each within its bounds, named on error)."""
    roles.require(actor, roles.SECURITY)
    clean = {}
    for name, label_zh, _label_en, low, high, _clause in policy.PARAMETERS:
        if name not in values:
            continue
        raw = values[name]
        try:
            number = int(str(raw).strip())
        except (TypeError, ValueError):
            raise Refused(_("%(field)s: enter a whole number.") % {"field": label_zh}, field=name) from None
        if not low <= number <= high:
            raise Refused(_("%(field)s: between %(low)d and %(high)d.") % {"field": label_zh, "low": low, "high": high},
                          field=name)
        clean[name] = number
    unknown = sorted(set(values) - set(policy.FIELDS))
    if unknown:
        raise Refused(_("%(field)s: not a parameter of the security policy.") % {"field": unknown[0]}, field=unknown[0])
    with transaction.atomic():
        row = SecurityPolicy.objects.select_for_update().filter(pk=SecurityPolicy.SINGLETON).first()
        if row is None:
            row = SecurityPolicy.objects.create(pk=SecurityPolicy.SINGLETON)
        before = {name: getattr(row, name) for name in policy.FIELDS}
        for name, number in clean.items():
            setattr(row, name, number)
        after = {name: getattr(row, name) for name in policy.FIELDS}
        row.updated_at, row.updated_by = timezone.now(), actor
        row.save()
        changed = {k: (before[k], after[k]) for k in policy.FIELDS if before[k] != after[k]}
        audit_append(actor=actor, action="security.policy.update", obj_type="security.policy",
                     obj_id=str(row.pk), before=before, after=after,
                     summary="修改安全策略：" + ("，".join(f"{LABELS[k]} {a}→{b}" for k, (a, b) in changed.items())
                                             or "无变化"))
        transaction.on_commit(policy.forget)
    policy.forget()
    return row
