"""三权分立: each administrator works inside his remit and is refused outside it.

- the system administrator: business accounts (create, deactivate, reset the password to one that
  must be changed), the organisation and the work calendar in the administration site;
- the security administrator: roles (grant, revoke; never his own; one kind per person; audited);
- the audit administrator: reads (paged, filtered), verifies and exports the trail, changes nothing.
Nobody else opens their pages; the installation superuser reads no trail."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Forbidden, Refused
from zhengwu.org.models import Person
from zhengwu.security import admins, roles

pytestmark = pytest.mark.django_db

EVERYONE = ("sysadmin", "secadmin", "auditadmin", "quzhang", "bgs-zhuren", "root")


@pytest.fixture(autouse=True)
def _no_login_steps(settings):
    """These tests are about the remits, not the login steps (tests/security/test_identity_*)."""
    settings.SECURITY_ENFORCE_2FA = False
    settings.SECURITY_ENFORCE_PASSWORD_CHANGE = False
    settings.AXES_ENABLED = False


@pytest.fixture
def gov(org_demo):
    Person.objects.create_superuser(username="root", password="x", email="root@example.org")
    return org_demo


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def web(username: str) -> Client:
    c = Client()
    c.force_login(p(username))
    return c


def events(action: str):
    return AuditEvent.objects.filter(action=action).order_by("-seq")


@pytest.mark.parametrize("url,owner", [("/system/", "sysadmin"), ("/security/roles/", "secadmin"),
                                       ("/audit/", "auditadmin"), ("/audit/verify/", "auditadmin"),
                                       ("/audit/export.xlsx", "auditadmin")])
def test_each_administration_page_opens_for_its_kind_only(gov, url, owner):
    for username in EVERYONE:
        r = web(username).get(url)
        if username == owner:
            assert r.status_code == 200, (url, username)
        else:
            assert r.status_code == 403, (url, username)
            assert "仅" in r.content.decode() or "三权分立" in r.content.decode()


# ---- the system administrator --------------------------------------------------------------------

def test_the_system_administrator_creates_a_business_account_with_a_one_time_password(gov):
    r = web("sysadmin").post("/system/", {"op": "create", "username": "xiaoli", "full_name": "李新", "email": ""})
    assert r.status_code == 200
    person = p("xiaoli")
    html = r.content.decode()
    assert 'id="one-time"' in html and not roles.is_administrator(person)
    password = html.split('id="one-time"')[1].split("<code>")[1].split("</code>")[0]
    assert person.check_password(password) and len(password) >= 12
    created = events("org.person.create").first()
    assert created.actor_id == p("sysadmin").pk and password not in str(created.after)
    try:
        from zhengwu.security import passwords
    except ImportError:
        passwords = None
    if passwords is not None and hasattr(passwords, "due"):
        assert passwords.due(person) == "initial"  # to be changed at the first login
    # bad input names the field and writes nothing
    before = Person.objects.count()
    r = web("sysadmin").post("/system/", {"op": "create", "username": "有 空格", "full_name": "某"})
    assert r.status_code == 400 and 'id="c-username" name="username" required maxlength="150" value="有 空格" aria-invalid="true"' in r.content.decode()
    r = web("sysadmin").post("/system/", {"op": "create", "username": "xiaoli", "full_name": "李新"})
    assert r.status_code == 400 and "已被使用" in r.content.decode()
    assert Person.objects.count() == before


def test_the_system_administrator_deactivates_and_resets_business_accounts_but_not_administrators(gov):
    sys_ = p("sysadmin")
    wenshu = p("wenshu")
    admins.account_deactivate(actor=sys_, person=wenshu)
    assert not p("wenshu").is_active and events("security.account.deactivate").first().actor_id == sys_.pk
    with pytest.raises(Refused) as e:
        admins.account_password_reset(actor=sys_, person=p("wenshu"))
    assert e.value.field == "person"
    admins.account_activate(actor=sys_, person=p("wenshu"))
    password = admins.account_password_reset(actor=sys_, person=p("wenshu"))
    assert p("wenshu").check_password(password)
    reset = events("security.account.password_reset").first()
    assert reset.actor_id == sys_.pk and password not in f"{reset.before}{reset.after}{reset.summary}"
    for other in ("secadmin", "auditadmin", "sysadmin"):  # administrators are kept from the server's shell
        with pytest.raises(Forbidden):
            admins.account_deactivate(actor=sys_, person=p(other))
        with pytest.raises(Forbidden):
            admins.account_password_reset(actor=sys_, person=p(other))
    assert p("auditadmin").is_active
    for outsider in ("secadmin", "auditadmin", "bgs-zhuren"):
        with pytest.raises(Forbidden):
            admins.account_deactivate(actor=p(outsider), person=p("fuqu1"))
        with pytest.raises(Forbidden):
            admins.account_create(actor=p(outsider), username="x1", full_name="某")
    assert p("fuqu1").is_active and not Person.objects.filter(username="x1").exists()


def test_the_system_administrators_deactivate_and_activate_redirect_and_say_so(gov):
    c = web("sysadmin")
    r = c.post("/system/?q=wenshu", {"op": "deactivate", "person": p("wenshu").pk})
    assert r.status_code == 302 and r["Location"] == "/system/?q=wenshu"  # Post/Redirect/Get, the search kept
    assert not p("wenshu").is_active
    page = c.get(r["Location"]).content.decode()
    assert str(p("wenshu")) in page and 'role="status"' in page
    r = c.post("/system/", {"op": "activate", "person": p("wenshu").pk})
    assert r.status_code == 302 and r["Location"] == "/system/" and p("wenshu").is_active
    # the one-time password is shown on the answer itself (kept nowhere to be shown after a redirect)
    r = c.post("/system/", {"op": "reset", "person": p("wenshu").pk})
    assert r.status_code == 200 and 'id="one-time"' in r.content.decode()


def test_the_system_administrator_keeps_the_organisation_and_calendar_in_the_admin_and_nothing_else(gov):
    sys_, sec, aud = web("sysadmin"), web("secadmin"), web("auditadmin")
    for url in ("/admin/org/unit/add/", "/admin/workcalendar/"):
        assert sys_.get(url).status_code == 200, url
        assert sec.get(url).status_code in (403, 404) and aud.get(url).status_code in (403, 404), url
    r = sys_.post("/admin/org/unit/add/", {"government": p("quzhang").government_id, "name": "区统计局",
                                            "short_name": "统计局", "kind": "component_dept", "order": 50})
    assert r.status_code == 302 and events("org.unit.create").first().actor_id == p("sysadmin").pk
    assert sys_.get("/admin/auth/group/").status_code == 403  # roles are the security administrator's
    assert sys_.get("/admin/audit/auditevent/").status_code == 403  # the trail is the auditor's


# ---- the security administrator ------------------------------------------------------------------

def test_the_security_administrator_grants_and_revokes_roles_audited_never_his_own(gov):
    sec = p("secadmin")
    newcomer = admins.account_create(actor=p("sysadmin"), username="anquan2", full_name="安全员二")[0]
    c = web("secadmin")
    r = c.post("/security/roles/", {"op": "grant", "username": "anquan2", "role": "security"})
    assert r.status_code == 302 and r["Location"] == "/security/roles/"  # Post/Redirect/Get
    assert "安全员二" in c.get(r["Location"]).content.decode()  # the message, once, on the page it lands on
    assert roles.kinds_of(Person.objects.get(pk=newcomer.pk)) == {roles.SECURITY}
    grant = events("security.role.grant").first()
    assert grant.actor_id == sec.pk and grant.obj_id == str(newcomer.pk) and "安全管理员" in grant.summary
    # nobody changes his own roles: not the grant of another kind, not the revoke
    for op, role in (("grant", "audit"), ("revoke", "security")):
        with pytest.raises(Forbidden) as e:
            getattr(admins, f"role_{op}")(actor=sec, person=p("secadmin"), role=role)
        assert "本人" in e.value.message
    r = web("secadmin").post("/security/roles/", {"op": "grant", "username": "secadmin", "role": "audit"})
    assert r.status_code == 403
    # one kind per person; no administrator role for a business post holder
    with pytest.raises(Refused) as e:
        admins.role_grant(actor=sec, person=p("auditadmin"), role=roles.SYSTEM)
    assert e.value.field == "role" and "一种" in e.value.message
    with pytest.raises(Refused) as e:
        admins.role_grant(actor=sec, person=p("bgs-zhuren"), role=roles.SECURITY)
    assert e.value.field == "person"
    with pytest.raises(Refused) as e:
        admins.role_grant(actor=sec, person=p("sysadmin"), role=admins.OFFICE_ADMIN)
    assert e.value.field == "person"
    # the other security administrator revokes the first one's role
    admins.role_revoke(actor=Person.objects.get(pk=newcomer.pk), person=sec, role=roles.SECURITY)
    assert roles.kinds_of(p("secadmin")) == frozenset() and not p("secadmin").is_staff
    assert events("security.role.revoke").first().actor_id == newcomer.pk
    # the office admin role of a business account
    admins.role_revoke(actor=Person.objects.get(pk=newcomer.pk), person=p("wenshu"), role=admins.OFFICE_ADMIN)
    assert not p("wenshu").groups.filter(name="区政府办公室管理员").exists()
    admins.role_grant(actor=Person.objects.get(pk=newcomer.pk), person=p("wenshu"), role=admins.OFFICE_ADMIN)
    assert p("wenshu").groups.filter(name="区政府办公室管理员").exists()


def test_only_the_security_administrator_grants_roles_and_bad_input_names_the_field(gov):
    count = AuditEvent.objects.filter(action__in=["security.role.grant", "org.person.office_admin"]).count()
    for outsider in ("sysadmin", "auditadmin", "bgs-zhuren", "root"):
        with pytest.raises(Forbidden):
            admins.role_grant(actor=p(outsider), person=p("fuqu1"), role=admins.OFFICE_ADMIN)
    r = web("secadmin").post("/security/roles/", {"op": "grant", "username": "nobody", "role": "audit"})
    assert r.status_code == 400 and "nobody" in r.content.decode()
    with pytest.raises(Refused) as e:
        admins.role_grant(actor=p("secadmin"), person=p("fuqu1"), role="root")
    assert e.value.field == "role"
    assert AuditEvent.objects.filter(action__in=["security.role.grant", "org.person.office_admin"]).count() == count
    assert not p("fuqu1").groups.exists()


# ---- the audit administrator ---------------------------------------------------------------------

def test_the_audit_administrator_reads_the_trail_in_words_filtered_and_paged(gov):
    client = web("auditadmin")
    html = client.get("/audit/").content.decode()
    assert "新增人员" in html and "人员" in html  # the action's label and the object's name
    last = AuditEvent.objects.order_by("-seq").first()
    assert last.hash not in html and "org.person.create" not in html.split("<select")[0]
    assert html.count("<tr>") == 51  # 50 rows and the header
    older = client.get("/audit/?before=%d" % (last.seq - 10)).content.decode()
    assert "Newest" in older or "最新" in older
    only = client.get("/audit/?action=security.role.grant").content.decode()
    assert only.count("<tr>") == 1 + AuditEvent.objects.filter(action="security.role.grant").count()
    r = client.get("/audit/?from=2026-13-01")
    assert r.status_code == 400 and 'id="f-from" name="from" type="date" value="2026-13-01" aria-invalid="true"' in r.content.decode()
    assert client.get("/audit/?action=no.such.action").status_code == 400


def test_the_audit_administrator_verifies_the_chain_and_is_told_in_words(gov):
    client = web("auditadmin")
    page = client.get("/audit/verify/").content.decode()
    assert 'id="verdict"' not in page
    r = client.post("/audit/verify/")
    assert r.status_code == 302 and r["Location"] == "/audit/verify/"  # Post/Redirect/Get
    html = client.get(r["Location"]).content.decode()
    assert 'id="verdict"' in html
    assert 'id="verdict"' not in client.get("/audit/verify/").content.decode()  # shown once; a refresh checks nothing
    assert ("完整" in html or "intact" in html) and "sm3" not in html.lower() and "sha256" not in html.lower()
    assert events("audit.chain.verify").first().actor_id == p("auditadmin").pk


def test_the_audit_administrator_exports_the_trail_to_excel_as_text(gov):
    from openpyxl import load_workbook

    from zhengwu.org import services as org_services

    org_services.person_create(actor=None, government=gov, username="eq", full_name="=HYPERLINK(1)")
    r = web("auditadmin").get("/audit/export.xlsx?action=org.person.create")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert len(rows) == AuditEvent.objects.filter(action="org.person.create").count()
    assert all(row[2] == "新增人员" for row in rows)
    injected = [row for row in rows if "HYPERLINK" in str(row[5])]
    assert injected and all(ws.cell(row=r, column=6).data_type != "f" for r in range(4, ws.max_row + 1))
    hashes = {e.hash for e in AuditEvent.objects.all()[:50]}
    assert not any(h and h in str(row) for row in rows for h in hashes)
    assert events("audit.trail.export").first().actor_id == p("auditadmin").pk


def test_the_admin_site_shows_the_trail_to_the_audit_administrator_only_read_only(gov):
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert web("auditadmin").get("/admin/audit/auditevent/").status_code == 200
    assert web("auditadmin").post(f"/admin/audit/auditevent/{seq}/delete/", {"post": "yes"}).status_code == 403
    for username in ("sysadmin", "secadmin", "root"):
        assert web(username).get("/admin/audit/auditevent/").status_code == 403, username


def test_a_tampered_trail_is_reported_in_words_naming_the_record(gov, audit_triggers_dropped):
    client = web("auditadmin")
    seq = AuditEvent.objects.order_by("seq").values_list("seq", flat=True)[5]
    with audit_triggers_dropped():
        AuditEvent.objects.filter(seq=seq).update(summary="改过的摘要")
        html = client.post("/audit/verify/", follow=True).content.decode()
    assert 'id="verdict"' in html and ("篡改" in html or "tampered" in html) and f"{seq}" in html
    assert "<strong>完整</strong>" not in html and "<strong>Intact</strong>" not in html
    assert "<strong>不完整</strong>" in html or "<strong>Not intact</strong>" in html


def test_a_grant_without_a_person_names_the_field(gov):
    for call in (admins.role_grant, admins.role_revoke):
        with pytest.raises(Refused) as e:
            call(actor=p("secadmin"), person=None, role=roles.AUDIT)
        assert e.value.field == "person"


def test_each_group_has_exactly_its_permissions_again_after_a_change(gov):
    from django.contrib.auth.models import Group, Permission

    system = Group.objects.get(name=roles.GROUP_NAMES[roles.SYSTEM])
    assert {p.content_type.app_label for p in system.permissions.all()} == {"org", "workcalendar"}
    audit = Group.objects.get(name=roles.GROUP_NAMES[roles.AUDIT])
    assert list(audit.permissions.values_list("codename", flat=True)) == ["view_auditevent"]
    system.permissions.add(Permission.objects.get(codename="view_auditevent"))  # someone widened it by hand
    admins._refresh_groups(sender=None)  # what `migrate` runs
    assert not system.permissions.filter(codename="view_auditevent").exists()


@pytest.mark.parametrize("url", ["/system/", "/security/roles/", "/audit/", "/audit/verify/", "/audit/export.xlsx"])
def test_the_administration_pages_need_a_login(gov, url):
    r = Client().get(url)
    assert r.status_code == 302 and r["Location"].startswith("/login/")
