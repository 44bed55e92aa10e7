"""The separated administrators (三权分立, GB/T 22239-2019 8.1.4.4): who is which kind.

Three kinds, each a Django group, none of them able to act in the government's business:
- SYSTEM   系统管理员: users, the organisation, the work calendar;
- SECURITY 安全管理员: roles, the security policy, lockouts and two-factor devices;
- AUDIT    审计管理员: reads, verifies and exports the audit trail, changes nothing.

This module is the one place that answers "is this person an administrator, of which kind";
pages, the API and the services ask it (`require`, `is_administrator`). The superuser created at
installation is treated as an administrator of no business kind (see docs/security.md).
"""

from __future__ import annotations

from zhengwu.errors import Forbidden

SYSTEM = "system"
SECURITY = "security"
AUDIT = "audit"
KINDS = (SYSTEM, SECURITY, AUDIT)

GROUP_NAMES = {
    SYSTEM: "系统管理员",
    SECURITY: "安全管理员",
    AUDIT: "审计管理员",
}
_KIND_OF_GROUP = {name: kind for kind, name in GROUP_NAMES.items()}

LABELS = GROUP_NAMES  # the Chinese label of each kind, for pages and messages


def kinds_of(person) -> frozenset[str]:
    """The administrator kinds a person holds (empty for everyone else, and for anonymous)."""
    if person is None or not getattr(person, "is_authenticated", False) or getattr(person, "pk", None) is None:
        return frozenset()
    cached = getattr(person, "_zw_admin_kinds", None)
    if cached is None:
        names = person.groups.filter(name__in=list(_KIND_OF_GROUP)).values_list("name", flat=True)
        cached = frozenset(_KIND_OF_GROUP[n] for n in names)
        person._zw_admin_kinds = cached
    return cached


def is_administrator(person) -> bool:
    """An administrator account (of any kind, or the installation superuser): no business action.

    Every administrator is staff (security.admins sets is_staff with the group and keeps it while
    any kind is held; no page edits groups otherwise), so a person who is not staff is answered
    without a query: this runs on every request and every audited write."""
    if getattr(person, "is_superuser", False):
        return True
    if not getattr(person, "is_staff", False):
        return False
    return bool(kinds_of(person))


def require(person, kind: str) -> None:
    """Raise Forbidden unless the person is an administrator of this kind."""
    if kind not in KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {KINDS}")
    if kind not in kinds_of(person):
        raise Forbidden(f"仅{LABELS[kind]}可以进行此操作")
