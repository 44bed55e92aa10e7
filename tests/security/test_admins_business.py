"""三权分立: no administrator account — system, security, audit, nor the installation superuser — acts
in the government's business, through any door: the services (the approval engine and the domain
services that create business objects, and under them every audited business action), the web
(a middleware keeps administrators on the administration pages), the API (session and token) and
the CLI. The business accounts beside them keep working."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client

from zhengwu import cli, rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.audit.services import audit_append
from zhengwu.errors import Forbidden, Refused
from zhengwu.org import services as org_services
from zhengwu.org.models import Person, Unit
from zhengwu.security import admins, roles
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Approval, Task

pytestmark = pytest.mark.django_db

ADMINS = ("sysadmin", "secadmin", "auditadmin")
REFUSAL = "三权分立"


@pytest.fixture(autouse=True)
def _no_login_steps(settings):
    """These tests are about the remits, not the login steps (tests/security/test_identity_*)."""
    settings.SECURITY_ENFORCE_2FA = False
    settings.SECURITY_ENFORCE_PASSWORD_CHANGE = False
    settings.AXES_ENABLED = False


@pytest.fixture
def gov(org_demo):
    return org_demo


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def u(short_name: str) -> Unit:
    return Unit.objects.get(short_name=short_name)


@pytest.fixture
def root(gov):
    """The installation superuser (created by `createsuperuser`, not by the demo)."""
    return Person.objects.create_superuser(username="root", password="x", email="root@example.org")


def intake_task() -> Task:
    approval = wf.approval_start(actor=p("jyj"), route_id="doc.intake", obj_type="test.admins", obj_id="1",
                                 title="测试：三权分立", applicant_unit=u("教育局"), context={})
    return approval.tasks.get(status="open")


def web(person: Person) -> Client:
    c = Client()
    c.force_login(person)
    return c


def test_the_demo_has_three_administrators_of_one_kind_each_and_no_superuser(gov):
    assert {u: roles.kinds_of(p(u)) for u in ADMINS} == {
        "sysadmin": {roles.SYSTEM}, "secadmin": {roles.SECURITY}, "auditadmin": {roles.AUDIT}}
    assert not Person.objects.filter(is_superuser=True).exists()
    assert not Person.objects.filter(username="admin").exists()
    assert all(roles.is_administrator(p(u)) and not p(u).appointments.exists() for u in ADMINS)
    assert not roles.is_administrator(p("quzhang"))


@pytest.mark.parametrize("username", [*ADMINS, "root"])
def test_no_administrator_completes_returns_reassigns_or_receives_a_task_through_the_engine(gov, root, username):
    admin = p(username)
    task = intake_task()
    before = (list(Task.objects.values_list("pk", "status", "version")), AuditEvent.objects.count())
    for call in (
        lambda: wf.task_complete(actor=admin, task_id=task.pk, opinion="同意"),
        lambda: wf.task_return(actor=admin, task_id=task.pk, opinion="退回"),
        lambda: wf.task_reassign(actor=admin, task_id=task.pk, to=p("bgs-fuzhuren")),
        lambda: wf.task_nudge(actor=admin, task_id=task.pk),
        lambda: wf.phrase_add(actor=admin, text="同意"),
        lambda: wf.approval_start(actor=admin, route_id="doc.intake", obj_type="test.admins", obj_id="2",
                                  title="冒名发起", applicant_unit=u("教育局")),
        lambda: wf.circulation_send(actor=admin, approval_id=task.approval_id, people=[p("fuqu1")], note="阅"),
    ):
        with pytest.raises(Forbidden) as e:
            call()
        assert REFUSAL in e.value.message
    # a business matter is not handed (转办) nor circulated to an administrator either
    with pytest.raises(Forbidden) as e:
        wf.task_reassign(actor=task.assignee, task_id=task.pk, to=admin)
    assert f"{admin}是管理员账号" in e.value.message
    with pytest.raises(Forbidden):
        wf.circulation_send(actor=task.assignee, approval_id=task.approval_id, people=[admin], note="阅")
    assert (list(Task.objects.values_list("pk", "status", "version")), AuditEvent.objects.count()) == before
    # the rightful holder still completes it
    done = wf.task_complete(actor=task.assignee, task_id=task.pk, opinion="呈阅")
    assert Task.objects.get(pk=done.pk).status == "done"


@pytest.mark.parametrize("username", ADMINS)
def test_no_administrator_drafts_a_document_schedules_a_meeting_or_opens_a_dossier(gov, username):
    from zhengwu.decisions import services as decisions
    from zhengwu.documents import services as documents
    from zhengwu.meetings import services as meetings

    admin = p(username)
    count = AuditEvent.objects.count()
    draft = dict(unit=u("区政府办"), direction="outgoing", kind="通知", issuing_as="office",
                 title="关于做好节日值班工作的通知", main_recipients=["区政府各部门"], body="……")
    with pytest.raises(Forbidden) as e:
        documents.document_draft(actor=admin, **draft)
    assert REFUSAL in e.value.message
    start = dt.datetime.combine(rules.today() + dt.timedelta(days=7), dt.time(9))
    with pytest.raises(Forbidden):
        meetings.meeting_schedule(actor=admin, meeting_type="topical", title="专题会议", starts_at=start,
                                  ends_at=start + dt.timedelta(hours=1), chair_id=p("fuqu1").pk)
    with pytest.raises(Forbidden):
        decisions.dossier_create(actor=admin, data={"title": "重大项目"})
    assert AuditEvent.objects.count() == count
    doc = documents.document_draft(actor=p("wenshu"), **draft)  # the clerk drafts it
    assert doc.pk


def test_every_audited_business_action_of_an_administrator_rolls_back_whole(gov):
    """The net under every service: audit_append refuses a business action caused by an
    administrator, and the service's transaction rolls back with what it wrote."""
    unit = u("教育局")
    with pytest.raises(Forbidden):
        with transaction.atomic():
            Unit.objects.filter(pk=unit.pk).update(name="被改的名称")
            audit_append(actor=p("sysadmin"), action="documents.document.draft", obj_type="documents.document",
                         obj_id="1", summary="冒名")
    assert Unit.objects.get(pk=unit.pk).name == "区教育局"
    with transaction.atomic():  # an administrative action of the system administrator's remit is recorded
        audit_append(actor=p("sysadmin"), action="org.unit.create", obj_type="org.unit", obj_id=str(unit.pk),
                     summary="新增单位")
    with transaction.atomic():  # and a business person's business action
        audit_append(actor=p("wenshu"), action="documents.document.draft", obj_type="documents.document",
                     obj_id="1", summary="拟稿")


def test_an_administrator_holds_no_post_and_a_post_holder_is_no_administrator(gov):
    office = org_services.position_create(actor=None, government=gov, code="clerk", title="文书（二）",
                                          unit=u("区政府办"), rank=30)
    with pytest.raises(Refused) as e:
        org_services.appointment_create(actor=None, position=office, person=p("sysadmin"), start=rules.today())
    assert e.value.field == "person" and REFUSAL in e.value.message
    with pytest.raises(Refused) as e:
        admins.role_grant(actor=p("secadmin"), person=p("wenshu"), role=roles.AUDIT)
    assert e.value.field == "person"
    newcomer = org_services.person_create(actor=None, government=gov, username="xinwenshu", full_name="新文书")
    assert org_services.appointment_create(actor=None, position=office, person=newcomer, start=rules.today())


# ---- the web door --------------------------------------------------------------------------------

BUSINESS_PAGES = ["/tasks/1/", "/documents/", "/documents/new/", "/meetings/", "/decisions/", "/org/", "/calendar/",
                  "/rulebook/", "/notifications/"]


@pytest.mark.parametrize("username", [*ADMINS, "root"])
def test_the_web_sends_an_administrator_to_his_menu_and_refuses_every_business_page(gov, root, username):
    client = web(p(username))
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] in ("/system/", "/security/roles/", "/audit/", "/admin/")
    for url in BUSINESS_PAGES:
        r = client.get(url)
        assert r.status_code == 403, url
        assert REFUSAL in r.content.decode(), url
        assert f'href="{home["Location"]}"' in r.content.decode()  # back to his own pages, not an inbox
    r = client.post("/documents/new/", {"title": "冒名拟稿"})
    assert r.status_code == 403
    assert client.get(home["Location"]).status_code == 200


def test_an_administrator_completing_a_task_on_its_page_is_refused_and_nothing_changes(gov):
    task = intake_task()
    client = web(p("sysadmin"))  # logins are audited: before the snapshot
    before = (Task.objects.get(pk=task.pk).status, AuditEvent.objects.count())
    r = client.post(f"/tasks/{task.pk}/", {"op": "complete", "version": task.version, "opinion": "同意"})
    assert r.status_code == 403 and REFUSAL in r.content.decode()
    assert (Task.objects.get(pk=task.pk).status, AuditEvent.objects.count()) == before
    r = web(task.assignee).post(f"/tasks/{task.pk}/", {"op": "complete", "version": task.version, "opinion": "呈阅"})
    assert r.status_code < 400 and Task.objects.get(pk=task.pk).status == "done"


def test_administrators_see_their_own_menu_and_business_people_the_business_menu(gov):
    html = web(p("sysadmin")).get("/system/").content.decode()
    assert 'href="/system/"' in html and 'href="/admin/"' in html
    assert 'href="/documents/"' not in html and 'href="/audit/"' not in html and 'href="/security/roles/"' not in html
    html = web(p("auditadmin")).get("/audit/").content.decode()
    assert 'href="/audit/"' in html and 'href="/system/"' not in html and 'href="/documents/"' not in html
    html = web(p("secadmin")).get("/security/roles/").content.decode()
    assert 'href="/security/roles/"' in html and 'href="/audit/"' not in html and 'href="/meetings/"' not in html
    from django.urls import NoReverseMatch, reverse

    try:  # the identity pages of the security administrator, where installed
        assert f'href="{reverse("security-policy")}"' in html
    except NoReverseMatch:
        pass
    assert f'href="/org/people/{p("secadmin").pk}/"' not in html  # no link to a business page he may not open
    html = web(p("quzhang")).get("/").content.decode()
    assert 'href="/documents/"' in html and 'href="/system/"' not in html and 'href="/audit/"' not in html


# ---- the API door ----------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ADMINS)
def test_the_api_refuses_an_administrators_session(gov, username):
    task = intake_task()
    client = web(p(username))
    for method, url, body in (("get", "/api/v1/tasks", None), ("get", "/api/v1/org/units", None),
                              ("post", f"/api/v1/tasks/{task.pk}/complete", {"opinion": "同意"}),
                              ("post", "/api/v1/documents", {"title": "冒名拟稿"})):
        r = getattr(client, method)(url, body, content_type="application/json") if body else client.get(url)
        assert r.status_code == 403, url
        assert REFUSAL in r.json()["message"], url
    assert Task.objects.get(pk=task.pk).status == "open"
    assert web(p("fuqu1")).get("/api/v1/tasks").status_code == 200


def test_an_administrator_gets_no_token_and_a_token_from_before_the_role_is_refused(gov):
    with pytest.raises(Refused) as e:
        api_token_create(actor=None, person=p("auditadmin"), name="脚本")
    assert e.value.field == "person" and REFUSAL in e.value.message
    # someone holding no post gets a token, then becomes the audit administrator: the token stops working
    person = org_services.person_create(actor=None, government=gov, username="shenjiyuan", full_name="审计员")
    _t, key = api_token_create(actor=None, person=person, name="脚本")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert Client().get("/api/v1/tasks", **bearer).status_code == 200
    admins.role_grant(actor=p("secadmin"), person=person, role=roles.AUDIT)
    r = Client().get("/api/v1/tasks", **bearer)
    assert r.status_code == 403 and REFUSAL in r.json()["message"]


# ---- the CLI door ------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ADMINS)
def test_the_cli_refuses_an_administrator_completing_or_reassigning_a_task(gov, capsys, username):
    task = intake_task()
    before = AuditEvent.objects.count()
    assert cli.main(["task", "complete", str(task.pk), "--as", username, "--opinion", "同意"]) == 2
    assert REFUSAL in capsys.readouterr().err
    assert cli.main(["task", "reassign", str(task.pk), "--as", task.assignee.username, "--to", username]) == 2
    assert "不能承办业务" in capsys.readouterr().err
    assert Task.objects.get(pk=task.pk).status == "open" and AuditEvent.objects.count() == before
    assert cli.main(["task", "complete", str(task.pk), "--as", task.assignee.username, "--opinion", "呈阅"]) == 0
    assert Approval.objects.get(pk=task.approval_id).tasks.get(pk=task.pk).status == "done"
