"""The separated administrators (三权分立, GB/T 22239-2019 8.1.4.4 c/d): their accounts, their
remits, and the one refusal of every business action.

- `refuse_business(actor)`: an administrator account (of any kind, and the installation superuser)
  acts in no business. Called first by the approval engine's services and the domain services that
  create business objects; and, as the net under them, by `audit_append` for every audited action
  outside the administrative apps (`check_audited_action`, registered in SecurityConfig.ready()):
  a service that writes and audits in one transaction rolls back whole.
- `ensure_groups()`: the three groups with exactly their Django permissions (idempotent; called by
  the demo and by `zhengwu admins create`). No model of its own: the groups are Django's.
- The system administrator's services: `account_create`, `account_deactivate`,
  `account_password_reset` (business accounts only; administrator accounts are made and kept from
  the server's shell: `zhengwu admins …`).
- The security administrator's services: `role_grant`, `role_revoke` (the three administrator
  groups and the office admin group; nobody changes his own roles; audited).
- `admin_create`: an administrator account, by the system (the installation door, the CLI).

The audit administrator's reads are in `views_audit.py` (through zhengwu.audit.selectors).
"""

from __future__ import annotations

import re
import secrets

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from zhengwu.audit.services import audit_append
from zhengwu.errors import Forbidden, Refused

from . import roles

BUSINESS_REFUSAL = ("管理员账号不能办理业务：系统管理员、安全管理员和审计管理员只做各自的管理工作（三权分立），"
                    "办理公文、会议和审批须使用本人的业务账号")

# Apps whose audited actions are administration, not the government's business: an administrator may
# cause them (each within his remit, checked by the service itself).
ADMINISTRATIVE_APPS = frozenset({"org", "calendar", "workcalendar", "security", "audit", "api", "account", "auth"})

# The Django permissions of each group (app labels, or (app label, codename) pairs).
SYSTEM_APPS = ("org", "workcalendar")  # the organisation and the work calendar, through their admin's services
SECURITY_APPS = ("security", "axes", "otp_totp", "otp_static")  # the security policy, lockouts, devices
AUDIT_PERMISSIONS = (("audit", "view_auditevent"),)

OFFICE_ADMIN = "office_admin"  # the 区政府办公室管理员 group (zhengwu.org.services.OFFICE_ADMIN_GROUP)
ROLES = (*roles.KINDS, OFFICE_ADMIN)


def role_label(role: str) -> str:
    from zhengwu.org.services import OFFICE_ADMIN_GROUP

    return OFFICE_ADMIN_GROUP if role == OFFICE_ADMIN else roles.LABELS[role]


# ---- the one refusal of business actions ---------------------------------------------------------

def refuse_business(actor) -> None:
    """Raise Forbidden if `actor` is an administrator account (None, the system, passes)."""
    if actor is not None and roles.is_administrator(actor):
        raise Forbidden(BUSINESS_REFUSAL)


def refuse_receiver(person) -> None:
    """Raise Forbidden if a business matter would be handed to an administrator account."""
    if person is not None and roles.is_administrator(person):
        raise Forbidden(f"{person}是管理员账号，不能承办业务（三权分立）")


def check_audited_action(actor, action: str) -> None:
    """audit_append's actor check: an administrator causes no audited action of a business app."""
    if action.split(".", 1)[0] not in ADMINISTRATIVE_APPS:
        refuse_business(actor)


# ---- the groups ------------------------------------------------------------------------------------

def _permissions(kind: str):
    if kind == roles.SYSTEM:
        return Permission.objects.filter(content_type__app_label__in=SYSTEM_APPS)
    if kind == roles.SECURITY:
        return Permission.objects.filter(content_type__app_label__in=SECURITY_APPS)
    from django.db.models import Q

    q = Q(pk__in=[])
    for app, codename in AUDIT_PERMISSIONS:
        q |= Q(content_type__app_label=app, codename=codename)
    return Permission.objects.filter(q)


def ensure_groups() -> dict[str, Group]:
    """The three administrator groups with exactly their permissions (idempotent)."""
    groups = {}
    for kind in roles.KINDS:
        group, _ = Group.objects.get_or_create(name=roles.GROUP_NAMES[kind])
        group.permissions.set(_permissions(kind))
        groups[kind] = group
    return groups


def _refresh_groups(sender, using="default", **kwargs) -> None:
    """After `migrate`: groups that exist get the permissions of models added since (an upgrade)."""
    from django.db import DEFAULT_DB_ALIAS

    if using != DEFAULT_DB_ALIAS or not Group.objects.filter(name__in=list(roles.GROUP_NAMES.values())).exists():
        return
    with transaction.atomic():
        ensure_groups()


# ---- helpers ---------------------------------------------------------------------------------------

def _forget_kinds(person) -> None:
    if hasattr(person, "_zw_admin_kinds"):
        del person._zw_admin_kinds


def _holds_business_post(person) -> bool:
    from zhengwu import rules
    from zhengwu.org import selectors as org

    return bool(org.positions_of(person, rules.today()))


def _is_office_admin(person) -> bool:
    from zhengwu.org.services import OFFICE_ADMIN_GROUP

    return person.groups.filter(name=OFFICE_ADMIN_GROUP).exists()


def _check_password(password: str, person=None) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if not isinstance(password, str) or not password:
        raise Refused("密码不能为空", field="password")
    try:
        validate_password(password, person)
    except ValidationError as e:
        raise Refused("；".join(e.messages), field="password") from None


USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{1,150}$")


def _check_account_fields(username, full_name) -> None:
    if not isinstance(username, str) or not username.strip():
        raise Refused("登录名不能为空", field="username")
    if not USERNAME_RE.match(username.strip()):
        raise Refused("登录名只能由字母、数字和 _ . @ + - 组成，不超过150个字符", field="username")
    if not isinstance(full_name, str) or not full_name.strip():
        raise Refused("姓名不能为空", field="full_name")
    if len(full_name.strip()) > 40:
        raise Refused("姓名不能超过40个字", field="full_name")


def generate_password(length: int = 16) -> str:
    """A one-time password (shown once, never stored in clear): upper- and lower-case letters, digits
    and a sign, at least one of each (no look-alikes such as O/0, l/1), so it meets the policy."""
    groups = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "-_.!#%+")
    chars = [secrets.choice(g) for g in groups]
    alphabet = "".join(groups)
    chars += [secrets.choice(alphabet) for _ in range(max(length, 12) - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _must_change_password(person, actor) -> bool:
    """Mark the person to change the password at the next login, through the identity module's
    function where it exists (zhengwu.security.passwords). False when it does not exist yet."""
    try:
        from zhengwu.security import passwords  # type: ignore[attr-defined]
    except ImportError:
        return False
    mark = getattr(passwords, "require_change", None) or getattr(passwords, "must_change", None)
    if mark is None:
        return False
    try:
        mark(person, actor=actor)
    except TypeError:
        mark(person)
    return True


# ---- the installation door: administrator accounts --------------------------------------------------

def admin_create(*, actor, kind: str, username: str, full_name: str, password: str | None = None,
                 government=None, email: str = "", check_policy: bool = True) -> tuple[object, str]:
    """An administrator account of `kind`; returns it and its password (generated when not given,
    to be shown once). Only the system (actor None: the server's shell, the demo) or a security
    administrator creates one; the account holds no post and acts in no business. A given password
    meets the password policy (check_policy=False only for the demo's published one)."""
    from zhengwu.org import services as org_services

    if kind not in roles.KINDS:
        raise Refused(f"管理员类别须为 {', '.join(roles.KINDS)} 之一", field="kind")
    if actor is not None:
        roles.require(actor, roles.SECURITY)
    _check_account_fields(username, full_name)
    generated = password is None
    password = generate_password() if generated else password
    if check_policy:
        _check_password(password)
    elif not isinstance(password, str) or not password:
        raise Refused("密码不能为空", field="password")
    with transaction.atomic():
        ensure_groups()
        person = org_services.person_create(actor=actor, government=government, username=username,
                                            full_name=full_name, password=password, email=email)
        _grant(actor=actor, person=person, role=kind)
        if generated:
            _must_change_password(person, actor)
    return person, password


# ---- the security administrator: roles ----------------------------------------------------------------

def _check_role(role: str) -> str:
    if role not in ROLES:
        raise Refused(f"角色须为 {', '.join(ROLES)} 之一", field="role")
    return role


def _check_role_change(actor, person, role: str) -> None:
    if actor is not None:
        roles.require(actor, roles.SECURITY)
    if person is None or getattr(person, "pk", None) is None:
        raise Refused("请指定人员", field="person")
    if actor is not None and actor.pk == person.pk:
        raise Forbidden("不能变更本人的角色：须由另一位安全管理员办理")
    if not person.is_active:
        raise Refused(f"{person}已停用", field="person")


def _grant(*, actor, person, role: str) -> None:
    from zhengwu.org.models import Person

    Person.objects.select_for_update().filter(pk=person.pk).first()  # two grants at once: one after the other
    _forget_kinds(person)
    kinds = roles.kinds_of(person)
    if role in roles.KINDS:
        if role in kinds:
            raise Refused(f"{person}已是{role_label(role)}", field="role")
        if kinds:
            held = "、".join(role_label(k) for k in sorted(kinds))
            raise Refused(f"{person}已是{held}：一人只能担任一种管理员（三权分立）", field="role")
        if _holds_business_post(person) or _is_office_admin(person):
            raise Refused(f"{person}有业务职务或办公室管理权限：管理员须使用单独的管理员账号", field="person")
        group = ensure_groups()[role]
        Person.objects.filter(pk=person.pk).update(is_staff=True)
        person.groups.add(group)
    _forget_kinds(person)
    person.refresh_from_db()
    audit_append(actor=actor, action="security.role.grant", obj_type="org.person", obj_id=str(person.pk),
                 after={"role": role_label(role)}, summary=f"授予{person}{role_label(role)}角色")


def role_grant(*, actor, person, role: str):
    """Grant an administrator kind, or the office admin group (区政府办公室管理员), to `person`."""
    role = _check_role(role)
    _check_role_change(actor, person, role)
    if role == OFFICE_ADMIN:
        from zhengwu.org import services as org_services

        if roles.is_administrator(person):
            raise Refused(f"{person}是管理员账号：办公室管理权限属于业务账号", field="person")
        if _is_office_admin(person):
            raise Refused(f"{person}已有{role_label(role)}权限", field="role")
        return org_services.office_admin_grant(actor=actor, person=person)  # audited there
    with transaction.atomic():
        _grant(actor=actor, person=person, role=role)
    return person


def role_revoke(*, actor, person, role: str):
    """Take an administrator kind, or the office admin group, from `person` (audited)."""
    from zhengwu.org.models import Person
    from zhengwu.org.services import OFFICE_ADMIN_GROUP

    role = _check_role(role)
    _check_role_change(actor, person, role)
    name = OFFICE_ADMIN_GROUP if role == OFFICE_ADMIN else roles.GROUP_NAMES[role]
    with transaction.atomic():
        group = Group.objects.filter(name=name).first()
        if group is None or not person.groups.filter(pk=group.pk).exists():
            raise Refused(f"{person}没有{role_label(role)}角色", field="role")
        person.groups.remove(group)
        _forget_kinds(person)
        still_staff = bool(roles.kinds_of(person)) or _is_office_admin(person) or person.is_superuser
        Person.objects.filter(pk=person.pk).update(is_staff=still_staff)
        person.refresh_from_db()
        audit_append(actor=actor, action="security.role.revoke", obj_type="org.person", obj_id=str(person.pk),
                     before={"role": role_label(role)}, summary=f"撤销{person}的{role_label(role)}角色")
    return person


def role_holders() -> list[tuple[str, str, list]]:
    """(role, label, people) for each role the security administrator manages."""
    from zhengwu.org.models import Person
    from zhengwu.org.services import OFFICE_ADMIN_GROUP

    out = []
    for role in ROLES:
        name = OFFICE_ADMIN_GROUP if role == OFFICE_ADMIN else roles.GROUP_NAMES[role]
        people = list(Person.objects.filter(groups__name=name).order_by("username"))
        out.append((role, role_label(role), people))
    return out


# ---- the system administrator: business accounts ------------------------------------------------------

def _business_account(actor, person):
    """The system administrator acts on business accounts, never his own nor an administrator's;
    the system (actor None: the server's shell, `zhengwu admins`) on any account."""
    if actor is not None:
        roles.require(actor, roles.SYSTEM)
    if person is None or getattr(person, "pk", None) is None:
        raise Refused("请指定人员", field="person")
    if actor is None:
        return person
    if person.pk == actor.pk:
        raise Forbidden("不能对本人的账号进行此操作")
    if roles.is_administrator(person):
        raise Forbidden("管理员账号只能在服务器上用 zhengwu admins 命令管理（三权分立）")
    return person


def account_create(*, actor, username: str, full_name: str, email: str = "", phone: str = "",
                   government=None) -> tuple[object, str]:
    """A business account (the system administrator); returns it and a one-time password that the
    person must change at the first login. Posts are given in the organisation (任职)."""
    from zhengwu.org import selectors as org
    from zhengwu.org import services as org_services

    roles.require(actor, roles.SYSTEM)
    _check_account_fields(username, full_name)
    password = generate_password()
    with transaction.atomic():
        person = org_services.person_create(actor=actor, government=government or org.current_government(),
                                            username=username, full_name=full_name, password=password,
                                            email=email, phone=phone)
        _must_change_password(person, actor)
    return person, password


def account_deactivate(*, actor, person):
    """Disable a business account's login (the record and its history stay)."""
    from zhengwu.org.models import Person

    _business_account(actor, person)
    with transaction.atomic():
        if not Person.objects.filter(pk=person.pk, is_active=True).update(is_active=False):
            raise Refused(f"{person}已停用", field="person")
        person.refresh_from_db()
        audit_append(actor=actor, action="security.account.deactivate", obj_type="org.person",
                     obj_id=str(person.pk), before={"is_active": True}, after={"is_active": False},
                     summary=f"停用{person}的账号")
    return person


def account_activate(*, actor, person):
    """Enable a business account's login again."""
    from zhengwu.org.models import Person

    _business_account(actor, person)
    with transaction.atomic():
        if not Person.objects.filter(pk=person.pk, is_active=False).update(is_active=True):
            raise Refused(f"{person}未停用", field="person")
        person.refresh_from_db()
        audit_append(actor=actor, action="security.account.activate", obj_type="org.person",
                     obj_id=str(person.pk), before={"is_active": False}, after={"is_active": True},
                     summary=f"启用{person}的账号")
    return person


def account_password_reset(*, actor, person) -> str:
    """Give a business account a one-time password (returned, shown once) that the person must change
    at the next login. The password itself is never recorded."""
    _business_account(actor, person)
    if not person.is_active:
        raise Refused(f"{person}已停用，请先启用", field="person")
    password = generate_password()
    with transaction.atomic():
        person.set_password(password)
        person.save(update_fields=["password"])
        _must_change_password(person, actor)
        audit_append(actor=actor, action="security.account.password_reset", obj_type="org.person",
                     obj_id=str(person.pk), summary=f"重置{person}的密码")
    return password


ACTIONS = {
    "security.role.grant": "授予角色",
    "security.role.revoke": "撤销角色",
    "security.account.deactivate": "停用账号",
    "security.account.activate": "启用账号",
    "security.account.password_reset": "重置密码",
    "audit.chain.verify": "校验留痕",
    "audit.trail.export": "导出留痕",
}


def register() -> None:
    """Called by SecurityConfig.ready(): the actions above, and the audit trail's actor check."""
    from zhengwu.audit.catalogue import register_actions
    from zhengwu.audit.services import register_actor_check

    register_actions(ACTIONS)
    register_actor_check(check_audited_action)
    from django.db.models.signals import post_migrate

    post_migrate.connect(_refresh_groups, dispatch_uid="zhengwu.security.admins.refresh_groups")
