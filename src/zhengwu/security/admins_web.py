"""The web door of the separated administrators (三权分立): every request crosses
`AdministratorMiddleware`, which keeps an administrator account on the administration pages.

- An administrator (of any kind, and the installation superuser) may open only the pages below
  (`ADMIN_PATHS`): the Django admin (/admin/, where each group's permissions decide what it sees),
  the security and system administration pages, the audit pages, his own account pages, login,
  logout, the language switch and static files. The home page sends him to his own menu; any other
  page (the inbox, documents, meetings, decisions, the organisation's and the calendar's business
  pages, …) answers 403 with the reason.
- The API (/api/v1/) answers administrators 403 in its own error shape (zhengwu.api.auth), so it is
  passed through here.
- Which administrator may do what inside those pages is checked by the pages and the services
  (`roles.require`), never here.

`admin_nav(person)` is the menu an administrator sees instead of the business menu (web/context.py).
"""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from zhengwu.errors import Forbidden

from . import roles
from .admins import BUSINESS_REFUSAL

ADMIN_PATHS = ("/admin/", "/security/", "/system/", "/audit/", "/account/", "/login/", "/logout/", "/i18n/",
               "/static/", "/favicon", "/api/")

# (key, label, url name, kind or None for the installation superuser)
ADMIN_NAV = [
    ("system", _("System administration"), "system-admin", roles.SYSTEM),  # 系统管理
    ("security", _("Security administration"), "security-roles", roles.SECURITY),  # 安全管理: roles
    ("security-policy", _("Security policy"), "security-policy", roles.SECURITY),  # the identity pages
    ("security-lockouts", _("Locked accounts"), "security-lockouts", roles.SECURITY),
    ("audit", _("Audit"), "audit-trail", roles.AUDIT),  # 审计
    ("django-admin", _("Administration site"), "admin:index", None),  # 管理后台
]


def _url(name: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return None  # a page of another module not installed


def admin_nav(person) -> list[tuple[str, str, str]]:
    """The menu of an administrator: his kinds' pages; the Django admin for the system administrator
    (organisation, work calendar) and the installation superuser."""
    kinds = roles.kinds_of(person)
    superuser_only = not kinds and getattr(person, "is_superuser", False)
    rows = []
    for key, label, name, kind in ADMIN_NAV:
        wanted = kind in kinds if kind is not None else (roles.SYSTEM in kinds or superuser_only)
        url = _url(name) if wanted else None
        if url:
            rows.append((key, label, url))
    return rows


def landing(person) -> str:
    """Where an administrator's home page is: his first menu entry."""
    nav = admin_nav(person)
    return nav[0][2] if nav else "/admin/"


class AdministratorMiddleware:
    """Keeps administrator accounts on the administration pages (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and roles.is_administrator(user):
            path = request.path_info or "/"
            if path == "/":
                return HttpResponseRedirect(landing(user))
            if not path.startswith(ADMIN_PATHS):
                from django.shortcuts import render

                return render(request, "security/business_refused.html",
                              {"refusal": Forbidden(BUSINESS_REFUSAL), "landing": landing(user)}, status=403)
        return self.get_response(request)
