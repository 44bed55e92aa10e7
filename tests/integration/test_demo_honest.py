"""An honest demo (issue 16): every 待办 of every demo account is a real object whose pages open for
that person, every business account has something to do, search finds the matters in the inboxes;
the 办文 page's head names whom a matter comes from (a 来文's unit and 签发人, not the clerk who
registered it); the login page mentions the demo only where the demo is loaded, in the words of its
form (登录名).

The full demo is loaded once for the module (tests/conftest.py); the login tests that need no demo
run first, on the empty database."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from zhengwu import rules
from zhengwu.org import demo as org_demo
from zhengwu.org import services as org_services
from zhengwu.org.models import Person
from zhengwu.security import roles
from zhengwu.workflow import selectors, subjects
from zhengwu.workflow.models import Approval, Task

pytestmark = pytest.mark.django_db

ADMINISTRATORS = {username for username, _name, _kind in org_demo.ADMINISTRATORS}
# each administrator's own work (三权分立: they hold no post and act in no business, so no 待办)
ADMIN_PAGES = {"sysadmin": "/system/", "secadmin": "/security/roles/", "auditadmin": "/audit/"}
# the matters of the leaders' and the office's 待办 that were once approvals over no object
DEMO_MATTERS = {
    "关于第三小学新建教学楼项目立项的请示": ("教育局", "fuqu2"),
    "关于拨付冬季供暖补贴资金的请示": ("财政局", "quzhang"),
    "关于开展“八五”普法总结验收工作的请示": ("司法局", "bgs-zhuren"),
    "关于新华街道老旧小区改造资金的请示": ("新华街道", "bgs-zhuren"),
}
HINT = 'id="demo-hint"'


@pytest.fixture(autouse=True)
def _no_login_steps(settings):
    """The pages, not the login steps (tests/security/test_identity_*), except where a test says."""
    settings.SECURITY_ENFORCE_2FA = False
    settings.SECURITY_ENFORCE_PASSWORD_CHANGE = False
    settings.AXES_ENABLED = False


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def web(username: str) -> Client:
    c = Client()
    c.force_login(p(username))
    return c


# ---- the login page (the first tests: no demo loaded yet) ---------------------------------------

def test_without_the_demo_the_login_page_has_no_demo_hint(client):
    html = client.get("/login/").content.decode()
    assert "登录名" in html and HINT not in html and "Zhengwu@2026" not in html
    # a real government set up through the services is no demo either
    org_services.government_create(actor=None, name="某市某区人民政府", short_name="某区")
    html = client.get("/login/").content.decode()
    assert HINT not in html and "make run" not in html and "演示" not in html


def test_a_failed_login_says_login_name_as_the_form_does(client):
    org_services.person_create(actor=None, government=org_services.government_create(
        actor=None, name="某市某区人民政府", short_name="某区"), username="kezhang", full_name="某科长", password="Right@2026x")
    r = client.post("/login/", {"username": "kezhang", "password": "wrong"})
    html = r.content.decode()
    assert r.status_code == 200 and "登录名或密码不正确" in html and "用户名" not in html
    client.cookies["django_language"] = "en"
    english = client.post("/login/", {"username": "kezhang", "password": "wrong"})
    assert "The login name or the password is not correct" in english.content.decode()


def test_demo_reset_never_empties_a_database_holding_a_government_the_demo_did_not_load(capsys):
    from zhengwu.cli import main
    from zhengwu.org.models import Government

    gov = org_services.government_create(actor=None, name="某市某区人民政府", short_name="某区")
    assert main(["demo", "reset"]) == 2 and "--yes" in capsys.readouterr().err  # asks to be sure first
    assert main(["demo", "reset", "--yes"]) == 2
    assert "某市某区人民政府" in capsys.readouterr().err
    assert Government.objects.filter(pk=gov.pk).exists()  # nothing was changed


def test_with_the_demo_the_login_page_says_how_to_log_in(full_demo, client):
    html = client.get("/login/").content.decode()
    hint = re.search(r'<p class="hint" id="demo-hint">(.*?)</p>', html, re.S)
    assert hint and org_demo.PASSWORD in hint.group(1) and "zhengwu demo accounts" in hint.group(1)
    assert "make run" not in html


# ---- every 待办 is a real object, every account has something to do ------------------------------

def accounts() -> list[Person]:
    """Every demo account with a login (`zhengwu demo accounts` prints the same list)."""
    people = list(Person.objects.filter(is_active=True).order_by("username"))
    assert {x.username for x in people} == {row[0] for row in org_demo.PEOPLE} | ADMINISTRATORS
    assert all(x.has_usable_password() for x in people)
    return people


def test_no_approval_of_the_demo_is_over_an_object_nobody_registered(full_demo):
    kinds = set(Approval.objects.values_list("obj_type", flat=True))
    assert kinds and all(subjects.get(k) is not None for k in kinds), kinds
    assert not Approval.objects.filter(obj_type__startswith="demo.").exists()


def test_every_open_task_of_every_account_is_a_real_object_whose_pages_open_for_that_person(full_demo):
    today = rules.today()
    checked = 0
    for person in accounts():
        client = web(person.username)
        for task in selectors.todo(person, on=today):
            subject = subjects.get(task.approval.obj_type)
            obj = subject.load(task.approval.obj_id) if subject else None
            where = f"{person.username}: {task.approval.title}"
            assert obj is not None, where
            assert client.get(f"/tasks/{task.pk}/").status_code == 200, where
            assert client.get(subject.url(obj)).status_code == 200, f"{where}: {subject.url(obj)}"
            checked += 1
    assert checked >= 40  # the demo's inboxes are full, not a token few


def test_every_business_account_has_something_to_do_and_each_administrator_his_own_work(full_demo):
    today = rules.today()
    idle = []
    for person in accounts():
        open_tasks = list(selectors.todo(person, on=today))
        if roles.is_administrator(person):
            # 三权分立: no business work, so never a 待办; his remit's page instead
            assert open_tasks == [] and person.username in ADMINISTRATORS
            client = web(person.username)
            assert client.get("/", follow=True).status_code == 200
            assert client.get(ADMIN_PAGES[person.username]).status_code == 200
            continue
        if not open_tasks:
            idle.append(person.username)
        html = web(person.username).get("/").content.decode()
        assert "暂无待办" not in html, person.username
    assert idle == []
    kinds = {t.kind for t in Task.objects.filter(status=Task.Status.OPEN)}
    assert kinds == {Task.Kind.STEP, Task.Kind.CIRCULATION}  # 待办 and 待阅 both in the demo


def text(response) -> str:
    """The page without its tags (search marks the terms it found)."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


def test_the_inbox_matters_are_documents_of_their_units_and_search_finds_them(full_demo):
    from zhengwu.documents.models import Document

    office = web("bgs-zhuren")
    for title, (unit, holder) in DEMO_MATTERS.items():
        doc = Document.objects.get(title=title)
        assert doc.unit.short_name == unit and doc.direction == "incoming" and doc.intake_number
        assert doc.approval.obj_type == "documents.document" and doc.approval.obj_id == str(doc.pk)
        assert Task.objects.filter(approval=doc.approval, assignee__username=holder, status="open").exists()
        assert title in text(office.get("/documents/search/", {"q": title[2:10]})), title
        assert title in text(web(holder).get("/documents/search/", {"q": title[2:10]})), holder
    # the 传阅 of the 教育局's request reaches the two 副区长 the office chose
    school = Document.objects.get(title="关于第三小学新建教学楼项目立项的请示")
    readers = set(Task.objects.filter(approval=school.approval, kind=Task.Kind.CIRCULATION)
                  .values_list("assignee__username", flat=True))
    assert readers == {"fuqu3", "fuqu4"}


# ---- the task head names the sender ----------------------------------------------------------------

def head_of(html: str) -> str:
    return html.split('<header class="task-head', 1)[1].split("</header>", 1)[0]


def test_the_task_head_names_the_sending_unit_and_its_signer_not_the_registering_clerk(full_demo):
    task = Task.objects.get(approval__title="关于拨付冬季供暖补贴资金的请示", assignee__username="quzhang",
                            status="open")
    assert task.approval.originator.username == "wenshu"  # the clerk routed it (呈批) …
    head = head_of(web("quzhang").get(f"/tasks/{task.pk}/").content.decode())
    # … but it comes from the 财政局, signed off by its head
    assert "来文单位" in head and "区财政局 · 签发人 陈子" in head
    assert "郑壬" not in head and "发起人" not in head
    # the inbox row and the approval's page say the same
    row = [c for c in web("quzhang").get("/").content.decode().split("<li")
           if "关于拨付冬季供暖补贴资金的请示" in c and "/tasks/" in c and "lh-row" not in c]  # the inbox's row, not the desk's
    assert row and "陈子" in row[0] and "郑壬" not in row[0]
    head = head_of(web("bgs-zhuren").get(f"/approvals/{task.approval_id}/").content.decode())
    assert "区财政局 · 签发人 陈子" in head


def test_a_drafts_task_head_names_its_drafting_unit_and_drafter(full_demo):
    task = Task.objects.get(approval__title="关于印发洮北区2027年度重点工作任务分工的通知", status="open")
    head = head_of(web(task.assignee.username).get(f"/tasks/{task.pk}/").content.decode())
    assert "拟稿单位" in head and "拟稿人 郑壬" in head and "来文单位" not in head


def test_a_matter_whose_domain_names_no_sender_shows_its_unit_and_originator(full_demo):
    task = (Task.objects.filter(status="open", kind="step").exclude(approval__obj_type="documents.document")
            .select_related("approval__originator").first())
    head = head_of(web(task.assignee.username).get(f"/tasks/{task.pk}/").content.decode())
    assert "发起人" in head and str(task.approval.originator) in head
