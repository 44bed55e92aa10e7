"""Passwords (GB/T 22239-2019 8.1.4.1 a: 复杂度要求并定期更换): the policy validator, the forced change
of a password someone else set, expiry, and the one service that changes one's own password.

Who set a password is decided where every path passes, the `Person` save: a save that stores a
password set with `set_password` (org's `person_create`, the admin, an administrator's reset,
`createsuperuser`, `changepassword`) marks the person to change it at the next login — unless the
save is the holder's own change through `password_change` below. A hash upgrade at login (Django's
`check_password` setter) stores no new password and changes nothing here.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhengwu.audit.services import audit_append
from zhengwu.errors import Forbidden, Refused

from . import policy
from .models import PersonSecurity

OBJ = "org.person"
SELF_CHANGE = "_zw_password_by_holder"  # set on the instance by password_change before its save
_SET_FLAG = "_zw_password_was_set"


# --- the validator (settings.AUTH_PASSWORD_VALIDATORS) ---------------------------------------------

def character_classes(password: str) -> int:
    """How many of the four classes occur: upper case, lower case, digits, anything else."""
    return sum((
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ))


class PolicyPasswordValidator:
    """Length, character classes and the login name, from the security policy in force."""

    def validate(self, password, user=None):
        values = policy.current()
        errors = []
        if len(password) < values.password_min_length:
            errors.append(ValidationError(
                ngettext("Password: at least %(n)d character.", "Password: at least %(n)d characters.",
                         values.password_min_length) % {"n": values.password_min_length},
                code="password_too_short"))
        if character_classes(password) < values.password_min_classes:
            errors.append(ValidationError(
                _("Password: use at least %(n)d of the four kinds of characters: upper-case letters, "
                  "lower-case letters, digits and other characters.") % {"n": values.password_min_classes},
                code="password_too_simple"))
        username = (user.get_username() if user is not None and hasattr(user, "get_username") else "") or ""
        if username and len(username) >= 3 and username.lower() in password.lower():
            errors.append(ValidationError(_("Password: must not contain the login name."),
                                          code="password_contains_username"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        values = policy.current()
        return _("At least %(length)d characters, with at least %(classes)d of: upper-case letters, lower-case "
                 "letters, digits, other characters; not containing the login name.") % {
            "length": values.password_min_length, "classes": values.password_min_classes}


# --- state -----------------------------------------------------------------------------------------

def state_of(person) -> PersonSecurity:
    """The person's password state (created, unforced and dated now, for an account that has none:
    one that existed before this module)."""
    found = PersonSecurity.objects.filter(person_id=person.pk).first()
    if found is None:
        found, _created = PersonSecurity.objects.get_or_create(
            person_id=person.pk, defaults={"password_changed_at": timezone.now()})
    return found


def due(person, now: dt.datetime | None = None) -> str | None:
    """Why the person must change the password before anything else: "initial" (set by someone
    else), "expired" (older than the policy allows), or None."""
    state = state_of(person)
    if state.must_change_password:
        return "initial"
    days = policy.current().password_max_age_days
    if days and state.password_changed_at is not None:
        if (now or timezone.now()) - state.password_changed_at > dt.timedelta(days=days):
            return "expired"
    return None


def require_change(person, *, actor=None) -> None:
    """Mark the person to change the password at the next login (an administrator's reset, an
    initial password). Runs in the caller's transaction; the caller audits its own action."""
    PersonSecurity.objects.update_or_create(person_id=person.pk, defaults={"must_change_password": True})


def release_demo_accounts(people) -> int:
    """The demo's accounts keep their published password (the demo must stay usable): not forced to
    change it, and no change date, so it never expires (`due` counts from a date)."""
    ids = [p.pk for p in people]
    return PersonSecurity.objects.filter(person_id__in=ids).update(must_change_password=False,
                                                                   password_changed_at=None)


# --- the signal handlers (connected in identity.register) --------------------------------------------

def on_person_pre_save(sender, instance, **kwargs) -> None:
    setattr(instance, _SET_FLAG, getattr(instance, "_password", None) is not None)


def on_person_post_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    was_set = getattr(instance, _SET_FLAG, False)
    by_holder = getattr(instance, SELF_CHANGE, False)
    if created:
        PersonSecurity.objects.get_or_create(person_id=instance.pk, defaults={
            "password_changed_at": timezone.now(),
            "must_change_password": bool(was_set and not by_holder and instance.has_usable_password()),
        })
    elif was_set and not by_holder:
        require_change(instance)
    setattr(instance, _SET_FLAG, False)


# --- the service -----------------------------------------------------------------------------------

def password_change(*, actor, person, old_password: str, new_password: str, new_password_again: str | None = None):
    """The holder changes his own password: the old one checked, the new one against the policy (and
    different from the old). Audited; the password itself is never recorded."""
    if actor is None or getattr(actor, "pk", None) is None or actor.pk != person.pk:
        raise Forbidden(_("Only the holder of an account changes its password here."))
    if not isinstance(old_password, str) or not person.check_password(old_password):
        raise Refused(_("Current password: incorrect."), field="old_password")
    if not isinstance(new_password, str) or not new_password:
        raise Refused(_("New password: required."), field="new_password1")
    if new_password_again is not None and new_password != new_password_again:
        raise Refused(_("Confirm new password: the two new passwords differ."), field="new_password2")
    if new_password == old_password:
        raise Refused(_("New password: must differ from the current password."), field="new_password1")
    try:
        password_validation.validate_password(new_password, person)
    except ValidationError as e:
        raise Refused("；".join(e.messages), field="new_password1") from None
    reason = PersonSecurity.objects.filter(person_id=person.pk).values_list("must_change_password", flat=True).first()
    with transaction.atomic():
        person.set_password(new_password)
        setattr(person, SELF_CHANGE, True)
        try:
            person.save(update_fields=["password"])
        finally:
            setattr(person, SELF_CHANGE, False)
        now = timezone.now()
        PersonSecurity.objects.update_or_create(person_id=person.pk, defaults={
            "password_changed_at": now, "must_change_password": False})
        audit_append(actor=actor, action="security.password.change", obj_type=OBJ, obj_id=str(person.pk),
                     before={"must_change_password": bool(reason)},
                     after={"password_changed_at": now.isoformat(), "must_change_password": False},
                     article=None, summary=f"{person}修改了本人的登录口令")
    return person
