"""The identity pages: the two-factor step of the login, the account page (password change,
two-factor enrolment and removal), the unlock page and the security policy page. Views read and
render; every change goes through the services (passwords, twofactor, lockout, identity)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from zhengwu.errors import Forbidden, Refused

from . import gate, identity, lockout, passwords, policy, roles, twofactor


def _next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _after_step(request):
    """The next step still owed, or the page the person was going to."""
    steps, target = gate.pending(request), _next(request)
    if steps:
        return redirect(gate.STEP_URLS[steps[0]] + (f"?{urlencode({'next': target})}" if target != "/" else ""))
    return redirect(target)


def _refused(request, e: Refused):
    from zhengwu.web.present import refused_page

    return refused_page(request, e)


# --- the two-factor step of the login ------------------------------------------------------------

@login_required
def verify_page(request):
    if "verify" not in gate.pending(request):
        return redirect(_next(request))
    error = None
    if request.method == "POST":
        try:
            device = twofactor.verify(person=request.user, code=request.POST.get("code", ""), request=request)
        except Refused as e:
            error = e
        else:
            otp_login(request, device)
            gate.step_done(request, "verify")
            left = twofactor.recovery_left(request.user)
            if device.__class__.__name__ == "StaticDevice":
                messages.warning(request, _("You used a recovery code; %(n)d are left. Each works only once.") % {
                    "n": left})
            return _after_step(request)
    return render(request, "security/verify.html", {"error": error, "next": _next(request, "")},
                  status=400 if error else 200)


# --- the account page ------------------------------------------------------------------------------

@login_required
def account_page(request):
    person = request.user
    state = passwords.state_of(person)
    return render(request, "security/account.html", {
        "two_factor_on": twofactor.has_device(person),
        "two_factor_required": twofactor.required(person),
        "recovery_left": twofactor.recovery_left(person),
        "password_changed_at": state.password_changed_at,
        "max_age_days": policy.current().password_max_age_days,
        "may_unlock": lockout.may_unlock(person),
        "may_set_policy": roles.SECURITY in roles.kinds_of(person),
    })


@login_required
def password_page(request):
    person = request.user
    reason = request.session.get(gate.REASON) if "password" in gate.pending(request) else None
    error = None
    if request.method == "POST":
        try:
            passwords.password_change(actor=person, person=person, old_password=request.POST.get("old_password", ""),
                                      new_password=request.POST.get("new_password1", ""),
                                      new_password_again=request.POST.get("new_password2", ""))
        except Refused as e:
            if isinstance(e, Forbidden):
                return _refused(request, e)
            error = e
        else:
            update_session_auth_hash(request, person)
            gate.step_done(request, "password")
            messages.success(request, _("Your password has been changed."))
            return _after_step(request) if gate.pending(request) or _next(request, "") else redirect("account")
    return render(request, "security/password.html", {
        "reason": reason, "error": error, "next": _next(request, ""),
        "help": passwords.PolicyPasswordValidator().get_help_text(),
        "max_age_days": policy.current().password_max_age_days,
    }, status=400 if error else 200)


@login_required
def enrol_page(request):
    person = request.user
    if twofactor.has_device(person):
        return redirect("account")
    error = None
    if request.method == "POST":
        try:
            device, codes = twofactor.enrol_confirm(actor=person, person=person, code=request.POST.get("code", ""))
        except Refused as e:
            error = e
        else:
            otp_login(request, device)
            gate.step_done(request, "enrol")
            return render(request, "security/recovery_codes.html", {"codes": codes, "next": _next(request, "")})
    try:
        device = twofactor.enrol_start(actor=person, person=person)
    except Refused as e:
        return _refused(request, e)
    return render(request, "security/enrol.html", {
        "qr": twofactor.qr_svg(device), "secret": twofactor.secret_base32(device), "error": error,
        "required": twofactor.required(person), "next": _next(request, ""),
    }, status=400 if error else 200)


@login_required
@require_POST
def twofactor_remove(request):
    try:
        twofactor.remove(actor=request.user, person=request.user)
    except Refused as e:
        return _refused(request, e)
    messages.success(request, _("Two-factor authentication is off for your account."))
    return redirect("account")


def _position_labels() -> list[str]:
    from zhengwu import rules

    labels = rules.param("org.positions")
    return [labels.get(code, code) for code in policy.TWO_FACTOR_POSITIONS]


# --- security administration -------------------------------------------------------------------------

@login_required
def lockouts_page(request):
    person = request.user
    if not lockout.may_unlock(person):
        return _refused(request, Forbidden(_("Only a security administrator or the district government office may "
                                             "unlock accounts.")))
    error = None
    if request.method == "POST":
        username = request.POST.get("username", "")
        try:
            lockout.unlock(actor=person, username=username)
        except Refused as e:
            error = e
        else:
            messages.success(request, _("%(name)s is unlocked.") % {"name": username.strip()})
            return redirect("security-lockouts")
    return render(request, "security/lockouts.html", {"rows": lockout.lockouts(), "error": error,
                                                      "values": policy.current(),
                                                      "may_reset": roles.SECURITY in roles.kinds_of(person)},
                  status=error.status if error else 200)


@login_required
@require_POST
def twofactor_reset(request):
    """A security administrator turns off someone's two-factor authentication (a lost phone); the
    person enrols again at the next login where it is required."""
    from zhengwu.org.models import Person

    actor = request.user
    if roles.SECURITY not in roles.kinds_of(actor):
        return _refused(request, Forbidden(_("Only a security administrator may reset another person's two-factor "
                                             "authentication.")))
    username = (request.POST.get("username") or "").strip()
    person = Person.objects.filter(username=username).first() if username else None
    try:
        if person is None:
            raise Refused(_("Login name: no account is called %(name)s.") % {"name": username}, field="username")
        twofactor.remove(actor=actor, person=person)
    except Refused as e:
        return _refused(request, e)
    messages.success(request, _("Two-factor authentication of %(name)s has been reset.") % {"name": username})
    return redirect("security-lockouts")


@login_required
def policy_page(request):
    person = request.user
    if roles.SECURITY not in roles.kinds_of(person):
        return _refused(request, Forbidden(_("Only a security administrator may change the security policy.")))
    error = None
    values = policy.current().as_dict()
    if request.method == "POST":
        submitted = {name: request.POST.get(name, "") for name in policy.FIELDS}
        try:
            identity.policy_update(actor=person, **submitted)
        except Refused as e:
            error, values = e, submitted
        else:
            messages.success(request, _("The security policy has been saved."))
            return redirect("security-policy")
    rows = [{"name": name, "label_zh": zh, "label_en": en, "low": low, "high": high, "clause": clause,
             "value": values[name], "default": getattr(policy.DEFAULTS, name)}
            for name, zh, en, low, high, clause in policy.PARAMETERS]
    return render(request, "security/policy.html", {"rows": rows, "error": error,
                                                    "two_factor_positions": _position_labels()},
                  status=400 if error else 200)
