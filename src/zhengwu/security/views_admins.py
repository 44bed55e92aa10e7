"""The system administrator's and the security administrator's pages (三权分立).

- /system/ (系统管理员): business accounts — create (a one-time password shown once, to be changed at
  the first login), deactivate / activate, reset the password; links to the organisation and the
  work calendar in the administration site (their service-backed forms).
- /security/roles/ (安全管理员): who holds each administrator role and the office admin role;
  grant and revoke (never one's own; audited).

Views only read and call the services of zhengwu.security.admins, which check the remit again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhengwu.errors import Refused
from zhengwu.org.models import Person

from . import admins, roles


def _refused(request, e: Refused):
    from zhengwu.web.present import refused_page

    return refused_page(request, e)


def _person(value, field: str = "person") -> Person:
    from zhengwu.errors import id_field

    pk = id_field(value, field, _("Person"))
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Refused(_("No such person"), field=field)
    return person


def _by_username(value: str, field: str = "username") -> Person:
    username = (value or "").strip()
    if not username:
        raise Refused(_("Enter a login name"), field=field)
    person = Person.objects.filter(username=username).first()
    if person is None:
        raise Refused(_("No person has the login name “%(name)s”") % {"name": username}, field=field)
    return person


# ---- 系统管理 --------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def system_page(request):
    try:
        roles.require(request.user, roles.SYSTEM)
    except Refused as e:
        return _refused(request, e)
    refusal, done, one_time = None, "", None
    form = {}
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "create":
                form = {k: request.POST.get(k, "") for k in ("username", "full_name", "email", "phone")}
                person, password = admins.account_create(actor=request.user, **form)
                one_time = {"person": person, "password": password}
                form = {}
            elif op in ("deactivate", "activate", "reset"):
                person = _person(request.POST.get("person"))
                if op == "deactivate":
                    admins.account_deactivate(actor=request.user, person=person)
                    done = _("%(person)s can no longer log in.") % {"person": person}
                elif op == "activate":
                    admins.account_activate(actor=request.user, person=person)
                    done = _("%(person)s can log in again.") % {"person": person}
                else:
                    password = admins.account_password_reset(actor=request.user, person=person)
                    one_time = {"person": person, "password": password}
            else:
                raise Refused(_("Unknown operation"), field="op")
        except Refused as e:
            refusal = e
        if done:  # Post/Redirect/Get; a one-time password is shown once, on this answer, and kept nowhere
            messages.success(request, done)
            return redirect(request.get_full_path())
    q = (request.GET.get("q") or "").strip()[:50]
    people = Person.objects.order_by("username").prefetch_related("groups")
    if q:
        people = people.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    rows = [{"person": p, "kinds": [roles.LABELS[k] for k in sorted(_kinds(p))],
             "administrator": roles.is_administrator(p)} for p in page.object_list]
    ctx = {"page": page, "rows": rows, "q": q, "query": f"q={q}&" if q else "", "refusal": refusal,
           "error_field": refusal.field if refusal else None, "done": done, "one_time": one_time, "form": form}
    return render(request, "security/system.html", ctx, status=refusal.status if refusal else 200)


def _kinds(person) -> set[str]:
    names = {g.name for g in person.groups.all()}
    return {kind for kind, name in roles.GROUP_NAMES.items() if name in names}


# ---- 安全管理: roles ---------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def roles_page(request):
    try:
        roles.require(request.user, roles.SECURITY)
    except Refused as e:
        return _refused(request, e)
    refusal, done = None, ""
    if request.method == "POST":
        op = request.POST.get("op", "")
        role = request.POST.get("role", "")
        try:
            if op == "grant":
                person = _by_username(request.POST.get("username", ""))
                admins.role_grant(actor=request.user, person=person, role=role)
                done = _("Granted %(role)s to %(person)s.") % {"role": admins.role_label(role), "person": person}
            elif op == "revoke":
                person = _person(request.POST.get("person"))
                admins.role_revoke(actor=request.user, person=person, role=role)
                done = _("Revoked %(role)s from %(person)s.") % {"role": admins.role_label(role), "person": person}
            else:
                raise Refused(_("Unknown operation"), field="op")
        except Refused as e:
            refusal = e
        else:  # Post/Redirect/Get
            messages.success(request, done)
            return redirect("security-roles")
    ctx = {"holders": admins.role_holders(), "choices": [(r, admins.role_label(r)) for r in admins.ROLES],
           "refusal": refusal, "error_field": refusal.field if refusal else None, "done": done}
    return render(request, "security/roles.html", ctx, status=refusal.status if refusal else 200)
