"""The login gate and the session lifetimes (GB/T 22239-2019 8.1.4.1 b, d), kept in the session so
that an ordinary request costs no query.

At login (`on_logged_in`, Django's user_logged_in signal: every login passes it — the login page,
the admin's, `force_login`) the steps still owed are written to the session, in order:
  "verify"   a confirmed two-factor device exists: enter a code or a recovery code;
  "password" the password was set by someone else, or is older than the policy allows: change it;
  "enrol"    two-factor authentication is required and no device exists: enrol one.
`GateMiddleware` lets a session with steps owed reach only the page of the first step (and log
out); any other page redirects there, and `/api/` answers 403 — so neither the inbox nor the API's
session door is reachable half logged in. `SessionLifetimeMiddleware` ends a session idle longer
than the policy's idle timeout or older than its absolute lifetime: logged out, audited, sent to
/login/ with a message (the API: 401).

Bearer tokens of the API (zhengwu.api) are not sessions and pass neither gate: they are issued only
from the server's shell (`zhengwu manage api_token`, actor: the system), shown once, stored hashed,
revocable; see docs/security.md.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.audit.services import audit_append

from . import passwords, policy, twofactor

GATE = "zw_gate"
LOGIN_AT = "zw_login_at"
SEEN_AT = "zw_seen_at"
REASON = "zw_password_reason"
MIN_LIFETIME = 3600
TOUCH_SECONDS = 60  # the last-seen stamp is rewritten at most once a minute (one session write)

STEP_URLS = {"verify": "/login/verify/", "password": "/account/password/", "enrol": "/account/two-factor/"}
ALWAYS_OPEN = ("/logout/", "/static/", "/i18n/", "/favicon.ico")


def audit_logins() -> bool:
    """settings.SECURITY_AUDIT_LOGINS (True): off only in the old tests, which log in between counting
    the audit events and acting (tests/conftest.py)."""
    return bool(getattr(settings, "SECURITY_AUDIT_LOGINS", True))


def enforce_password_change() -> bool:
    return bool(getattr(settings, "SECURITY_ENFORCE_PASSWORD_CHANGE", True))


def steps_for(person) -> tuple[list[str], str | None]:
    steps, reason = [], None
    if twofactor.enforced() and twofactor.has_device(person):
        steps.append("verify")
    if enforce_password_change():
        reason = passwords.due(person)
        if reason:
            steps.append("password")
    if twofactor.enforced() and "verify" not in steps and twofactor.required(person):
        steps.append("enrol")
    return steps, reason


def _now() -> float:
    return timezone.now().timestamp()


def _ip(request) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:45]


def on_logged_in(sender, request, user, **kwargs) -> None:
    steps, reason = steps_for(user)
    if request is not None and hasattr(request, "session"):
        now = _now()
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now
        request.session[GATE] = steps
        request.session[REASON] = reason
    if not audit_logins():
        return
    ip = _ip(request)
    with transaction.atomic():
        audit_append(actor=user, action="security.login", obj_type="org.person", obj_id=str(user.pk),
                     after={"ip_address": ip, "steps": steps},
                     summary=f"{user}登录（{ip}）" + (f"，待完成：{'、'.join(STEP_LABELS[s] for s in steps)}" if steps else ""))


STEP_LABELS = {"verify": "双因素验证", "password": "修改口令", "enrol": "启用双因素认证"}


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is None or getattr(user, "pk", None) is None or not audit_logins():
        return
    reason = getattr(request, "_zw_logout_reason", None) if request is not None else None
    with transaction.atomic():
        audit_append(actor=user, action="security.logout", obj_type="org.person", obj_id=str(user.pk),
                     after={"reason": reason or "user", "ip_address": _ip(request)},
                     summary=f"{user}退出登录" + ({"idle": "（空闲超时）", "absolute": "（会话到期）"}.get(reason, "")))


def step_done(request, step: str) -> None:
    steps = [s for s in request.session.get(GATE, []) if s != step]
    request.session[GATE] = steps


def pending(request) -> list[str]:
    return list(request.session.get(GATE) or [])


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


class SessionLifetimeMiddleware:
    """Idle timeout and absolute lifetime of a logged-in session (the policy's values)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            session = request.session
            now = _now()
            login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
            if not isinstance(login_at, (int, float)) or not isinstance(seen_at, (int, float)):
                session[LOGIN_AT] = session[SEEN_AT] = now  # a session from before this module
            elif now - seen_at > TOUCH_SECONDS or now - login_at > MIN_LIFETIME:
                # (within a minute of the last request, and in a session's first hour, no policy
                # value can have run out: the smallest idle timeout is 1 minute, lifetime 1 hour)
                values = policy.current()
                reason = None
                if now - login_at > values.session_max.total_seconds():
                    reason = "absolute"
                elif now - seen_at > values.idle.total_seconds():
                    reason = "idle"
                if reason:
                    return self._expire(request, reason, values)
                if now - seen_at > TOUCH_SECONDS:
                    session[SEEN_AT] = now
        return self.get_response(request)

    def _expire(self, request, reason, values):
        request._zw_logout_reason = reason
        logout(request)
        if reason == "idle":
            text = _("You were logged out after %(n)d minutes without activity. Please log in again.") % {
                "n": values.idle_minutes}
        else:
            text = _("Your session ended %(n)d hours after you logged in. Please log in again.") % {
                "n": values.session_max_hours}
        if _wants_json(request):
            return JsonResponse({"message": text, "violations": []}, status=401)
        messages.info(request, text)
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect("/login/" + (f"?{query}" if query else ""))


class GateMiddleware:
    """A session with login steps owed reaches only the first step's page (see the module's doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            if GATE not in request.session:  # a session from before this module: work out its steps now
                request.session[GATE], request.session[REASON] = steps_for(user)
            steps = request.session.get(GATE) or []
            if steps:
                path = request.path
                target = STEP_URLS[steps[0]]
                if path != target and not path.startswith(ALWAYS_OPEN):
                    if _wants_json(request):
                        return JsonResponse({"message": _("Finish logging in on the web page first (%(step)s).") % {
                            "step": step_text()[steps[0]]}, "violations": []}, status=403)
                    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                    return redirect(target + (f"?{query}" if query else ""))
        return self.get_response(request)


def step_text() -> dict[str, str]:
    return {"verify": _("two-factor verification"), "password": _("change of password"),
            "enrol": _("enrolment in two-factor authentication")}
