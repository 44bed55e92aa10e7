"""Login failure handling (GB/T 22239-2019 8.1.4.1 b: 限制非法登录次数): django-axes counts failures per
account and address (AXES_LOCKOUT_PARAMETERS [["username", "ip_address"]]); the limit and the
lockout time are the security policy's (policy.axes_failure_limit / axes_cooloff). After the limit
even the right password is refused with `lockout_response`, which says for how long and whom to ask.

`unlock` is the one door to end a lockout early (the web page /security/lockouts/ and
`zhengwu security unlock USERNAME --as ACTOR` both call it): a security administrator, or a member
of the office's admin group (art. 16: the 办公室 handles the daily work), may unlock; an
administrator's account only a security administrator; nobody his own. Audited.
"""

from __future__ import annotations

import math

from axes.models import AccessAttempt
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.audit.services import audit_append
from zhengwu.errors import Forbidden, Refused
from zhengwu.org.models import Person

from . import policy, roles

MAX_USERNAME = 150


def is_office_admin(person) -> bool:
    from zhengwu.org.services import OFFICE_ADMIN_GROUP

    if person is None or getattr(person, "pk", None) is None:
        return False
    return person.groups.filter(name=OFFICE_ADMIN_GROUP).exists()


def may_unlock(actor) -> bool:
    """The security administrators and the office's admin group (art. 16)."""
    return roles.SECURITY in roles.kinds_of(actor) or is_office_admin(actor)


def _locked_rows(username: str | None = None):
    values = policy.current()
    since = timezone.now() - values.lockout
    rows = AccessAttempt.objects.filter(failures_since_start__gte=values.failure_limit, attempt_time__gte=since)
    if username is not None:
        rows = rows.filter(username=username)
    return rows


def lockouts() -> list[dict]:
    """The lockouts in force: username, address, failures, until (one entry per username and address)."""
    lock = policy.current().lockout
    return [{"username": a.username, "ip_address": a.ip_address, "failures": a.failures_since_start,
             "until": a.attempt_time + lock, "person": Person.objects.filter(username=a.username).first()}
            for a in _locked_rows().order_by("-attempt_time")]


def is_locked(username: str) -> bool:
    return _locked_rows(username).exists()


def unlock(*, actor, username: str) -> int:
    """End every lockout of an account (all addresses). Returns how many were ended."""
    if actor is None or getattr(actor, "pk", None) is None:
        raise Forbidden(_("Unlocking needs a named person (a security administrator or the office)."))
    username = (username or "").strip() if isinstance(username, str) else ""
    if not username:
        raise Refused(_("Login name: required."), field="username")
    if len(username) > MAX_USERNAME:
        raise Refused(_("Login name: too long."), field="username")
    if not may_unlock(actor):
        raise Forbidden(_("Only a security administrator or the district government office may unlock accounts."))
    target = Person.objects.filter(username=username).first()
    if target is None:
        raise Refused(_("Login name: no account is called %(name)s.") % {"name": username}, field="username")
    if target.pk == actor.pk:
        raise Forbidden(_("Nobody unlocks his own account."))
    if roles.is_administrator(target) and roles.SECURITY not in roles.kinds_of(actor):
        raise Forbidden(_("Only a security administrator may unlock an administrator's account."))
    with transaction.atomic():
        rows = list(_locked_rows(username).values("ip_address", "failures_since_start"))
        if not rows:
            raise Refused(_("Login name: %(name)s is not locked.") % {"name": username}, field="username", status=409)
        AccessAttempt.objects.filter(username=username).delete()
        audit_append(actor=actor, action="security.unlock", obj_type="org.person", obj_id=str(target.pk),
                     before={"locked": [r["ip_address"] for r in rows]}, after={"locked": []},
                     summary=f"解除{target}（{username}）的登录锁定")
    return len(rows)


# --- axes hooks ----------------------------------------------------------------------------------

def _ip(request) -> str:
    return (getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or "")[:45]


def _obj(username: str | None):
    person = Person.objects.filter(username=username).first() if username else None
    if person is not None:
        return person, "org.person", str(person.pk)
    name = (username or "").strip()[:MAX_REF] or "?"
    return None, "security.login", name


MAX_REF = 100


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Audit every failed login, unknown login names too (actor: the system)."""
    username = credentials.get("username") if isinstance(credentials, dict) else None
    username = username if isinstance(username, str) else None
    person, obj_type, obj_id = _obj(username)
    ip = _ip(request) if request is not None else ""
    locked = bool(request is not None and getattr(request, "axes_locked_out", False))
    with transaction.atomic():
        audit_append(actor=None, action="security.login_failed", obj_type=obj_type, obj_id=obj_id,
                     after={"username": (username or "")[:MAX_REF], "ip_address": ip, "locked": locked},
                     summary=(f"登录失败：{person}" if person else f"登录失败：未知登录名“{(username or '')[:40]}”")
                     + (f"（{ip}）" if ip else "") + ("，账号处于锁定中" if locked else ""))


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """Audit the moment an account is locked (not each refused attempt during the lockout)."""
    if request is not None and getattr(request, "axes_failures_since_start", None) is None:
        return  # an attempt during a lockout: the failed login is audited, the lockout was already
    values = policy.current()
    person, obj_type, obj_id = _obj(username)
    with transaction.atomic():
        audit_append(actor=None, action="security.lockout", obj_type=obj_type, obj_id=obj_id,
                     after={"username": (username or "")[:MAX_REF], "ip_address": (ip_address or "")[:45],
                            "minutes": values.lockout_minutes},
                     summary=f"连续{values.failure_limit}次登录失败，锁定{person or username}"
                             f"（{ip_address}）{values.lockout_minutes}分钟")


def minutes_left(username: str | None, ip_address: str | None) -> int:
    lock = policy.current().lockout
    last = (AccessAttempt.objects.filter(username=username or "", ip_address=ip_address)
            .order_by("-attempt_time").values_list("attempt_time", flat=True).first())
    if last is None:
        return int(lock.total_seconds() // 60)
    return max(1, math.ceil((last + lock - timezone.now()).total_seconds() / 60))


def lockout_message(username: str | None, ip_address: str | None) -> str:
    values = policy.current()
    return _("This account is locked after %(n)d failed logins from this address. Even the right password "
             "is refused for %(minutes)d more minutes. To be unlocked sooner, ask a security administrator "
             "or the district government office.") % {
        "n": values.failure_limit, "minutes": minutes_left(username, ip_address)}


def lockout_response(request, original_response=None, credentials=None):
    """settings.AXES_LOCKOUT_CALLABLE: the login page again, saying why, for how long and whom to ask."""
    from django.contrib.auth.forms import AuthenticationForm

    username = (credentials or {}).get("username") if isinstance(credentials, dict) else None
    if not isinstance(username, str):
        username = request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    return render(request, "login.html", {"form": form, "lockout_message": lockout_message(username, _ip(request)),
                                          "next": request.POST.get("next", "")}, status=429)
