"""The home page by who the person is (web.home): a leader's desk (his week from the leaders'
calendar, the agenda items awaiting his confirmation, his 批示, the overdue items of his portfolio,
三重一大 awaiting decision, 待阅), the office clerk's counts; the registry of pending work that is no
engine task (zhengwu.workflow.pending) and its rows in the inbox; notices read when their page is
opened, when their task is handled, and "mark all read" (only one's own). The full demo, on a Monday."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.documents import desk as documents_desk
from zhengwu.errors import Refused
from zhengwu.documents.models import Document
from zhengwu.meetings import desk as meetings_desk
from zhengwu.meetings import services as meetings
from zhengwu.meetings.models import AgendaItem
from zhengwu.org.models import Person
from zhengwu.supervision.models import SupervisionItem
from zhengwu.workflow import pending, selectors, services
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 7)  # a Monday
READY_ITEM = "关于老旧小区改造2027年度计划的议题"  # proposed by 王丙, ready: awaits the 区长 (meetings demo)
NOT_READY_ITEM = "关于农业生产托管服务试点的议题"  # no clear proposal (art. 63): its proposer's, not the 区长's
NEXT_MEETING = "区政府第二十三次常务会议"
OVERDUE_ITEM = "落实区监委监察建议“工程招投标监管不严”问题整改"  # lead unit in the 区长's portfolio, past due


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture(scope="module")
def demo_today():
    return DAY


def p(username: str) -> Person:
    return Person.objects.get(username=username)


@pytest.fixture
def login(client, full_demo):
    def as_(username: str):
        client.force_login(p(username))
        return client
    return as_


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, css: str) -> str:
    """The <section class="… css …"> of the page (to its closing tag)."""
    start = html.index(f'class="panel {css}"')
    return html[start:html.index("</section>", start)]


def waiting_registration() -> list[Document]:
    return list(Document.objects.filter(direction="incoming", status="submitted").order_by("id"))


# ---- a leader's home --------------------------------------------------------------------------------

def test_the_district_heads_home_shows_his_week_the_item_awaiting_him_and_his_portfolios_overdue_items(login):
    html = html_of(login("quzhang").get("/"))
    week = section(html, "lh-schedule")
    assert NEXT_MEETING in week  # he chairs it, later this week (the leaders' calendar, art. 94)
    confirm = section(html, "lh-confirm")
    item = AgendaItem.objects.get(title=READY_ITEM)
    assert READY_ITEM in confirm and f'href="/meetings/{item.meeting_id}/agenda/#item-{item.pk}"' in confirm
    assert NOT_READY_ITEM not in confirm  # incomplete (art. 63): nothing for him to confirm yet
    overdue = section(html, "lh-overdue")
    sv = SupervisionItem.objects.get(title=OVERDUE_ITEM)
    assert OVERDUE_ITEM in overdue and f'href="/supervision/{sv.pk}/"' in overdue and "逾期" in overdue
    assert "专项资金拨付滞后" not in overdue  # on time, and not in his portfolio
    decisions = section(html, "lh-decisions")
    assert "2027年农村公路养护补助资金安排" in decisions  # on the agenda, awaiting the meeting's decision
    instructions = section(html, "lh-instructions")
    for t in selectors.todo(p("quzhang"), on=DAY).filter(kind="step", due_on__isnull=False)[:3]:
        assert f'href="/tasks/{t.pk}/"' in instructions
    # the agenda item is also a 待办 row of his inbox, leading to where it is confirmed
    pending_list = html.split('class="pending-list inbox-list box-todo"')[1].split("</ul>")[0]
    assert READY_ITEM in pending_list and "确定议题" in pending_list
    assert 'href="/static/web/home.css"' in html or "web/home.css" in html


def test_a_deputy_sees_his_own_portfolio_and_no_item_to_confirm(login):
    html = html_of(login("fuqu1").get("/"))
    assert "lh-schedule" in html
    assert READY_ITEM not in section(html, "lh-confirm")  # the 区长 confirms items of a 常务会议 (art. 60)
    assert OVERDUE_ITEM not in section(html, "lh-overdue")  # not a unit he is in charge of


def test_staff_without_a_leader_post_get_no_leader_panels(login):
    html = html_of(login("jyj").get("/"))
    assert "leader-home" not in html and "desk-counts" not in html


def test_the_todo_tab_puts_circulations_under_to_read(login):
    html = html_of(login("fuqu3").get("/"))
    html = html[html.index('class="inbox-main"'):]  # the inbox (the leader's 待阅 panel above lists it too)
    circ = Task.objects.filter(assignee__username="fuqu3", kind="circulation", status="open").first()
    if circ is None:
        pytest.skip("the demo gives 钱戊 no circulation on this day")
    head = html.index('class="toread-title"')
    assert html.index(f'href="/tasks/{circ.pk}/"') > head
    for t in Task.objects.filter(assignee__username="fuqu3", kind="step", status="open"):
        assert html.index(f'href="/tasks/{t.pk}/"') < head


# ---- the clerk's home ---------------------------------------------------------------------------------

def test_the_clerks_counts_match_the_lists_and_link_to_them(login):
    html = html_of(login("wenshu").get("/"))
    desk = html.split('class="desk-counts"')[1].split("</section>")[0]
    docs = Document.objects.all()
    expect = {
        "to_register": docs.filter(direction="incoming", status="submitted").count(),
        "to_present": docs.filter(direction="incoming", status="registered").count(),
        "to_issue": docs.filter(direction="outgoing", status="signed").count(),
        "to_file": docs.filter(direction="incoming", status="answered").count()
        + docs.filter(direction="outgoing", status="issued").count(),
    }
    assert expect["to_register"] >= 1  # the demo's intake queue holds a 来文 to register
    for key, n in expect.items():
        block = desk.split(f"desk-{key}")[1].split('<div class="desk-count')[0]
        assert f'<span class="desk-n">{n}</span>' in block, key
    assert 'href="/documents/intake/#q-sub"' in desk and "待登记" in desk
    assert 'href="/documents/?tab=outgoing&amp;status=signed"' in desk and "待印发" in desk


def test_the_counts_take_one_query_whatever_the_number_of_documents(full_demo):
    clerk = p("wenshu")
    with CaptureQueriesContext(connection) as queries:
        counts = documents_desk.office_counts(clerk, DAY)
    counting = [q for q in queries.captured_queries if "documents_document" in q["sql"]]
    assert len(counting) == 1, [q["sql"] for q in queries.captured_queries]
    assert len(queries.captured_queries) == 2  # + the person's positions (is he office staff?)
    assert counts["to_register"] == len(waiting_registration())


def test_counts_are_for_the_office_only(full_demo):
    assert documents_desk.office_counts(p("jyj"), DAY) is None
    assert documents_desk.office_counts(p("quzhang"), DAY) is None


# ---- the registry of pending work ------------------------------------------------------------------------

def test_the_registry_has_the_intake_queue_and_the_agenda_confirmation(full_demo):
    names = set(pending.sources())
    assert {"documents.intake", "meetings.agenda_confirm"} <= names
    clerk_rows = pending.pending_for(p("wenshu"), DAY)
    assert {(r.obj_type, r.obj_id) for r in clerk_rows if r.obj_type == "documents.document"} == {
        ("documents.document", str(d.pk)) for d in waiting_registration()}
    assert all(r.action == "登记" and r.url.startswith("/documents/intake/") for r in clerk_rows)
    head_rows = pending.pending_for(p("quzhang"), DAY)
    item = AgendaItem.objects.get(title=READY_ITEM)
    assert ("meetings.agenda_item", str(item.pk)) in {(r.obj_type, r.obj_id) for r in head_rows}
    assert not any(r.obj_type == "documents.document" for r in head_rows)  # the 区长 does not register 来文
    for someone in ("jyj", "czj", "fuqu1"):  # neither clerks nor the 区长: nothing pending
        assert pending.pending_for(p(someone), DAY) == []


def test_a_row_goes_when_its_work_is_done(full_demo):
    item = AgendaItem.objects.get(title=READY_ITEM)
    meetings.item_confirm(actor=p("quzhang"), item_id=item.pk, on=DAY)
    assert str(item.pk) not in {r.obj_id for r in meetings_desk.confirmation_pending(p("quzhang"), DAY)}
    from zhengwu.documents import intake

    doc = waiting_registration()[0]
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    assert str(doc.pk) not in {r.obj_id for r in pending.pending_for(p("wenshu"), DAY)}


def test_a_source_registered_by_a_domain_shows_in_the_inbox(login):
    def source(person, on):
        if person.username == "jyj":
            yield pending.Pending(obj_type="test.thing", obj_id="1", title="测试待办事项", action="核对",
                                  url="/org/", detail="测试")
    pending.register_pending_source(source, name="test.source")
    try:
        html = html_of(login("jyj").get("/"))
        rows = html.split('class="pending-list inbox-list box-todo"')[1].split("</ul>")[0]
        assert "测试待办事项" in rows and 'href="/org/"' in rows and "核对" in rows
        assert "测试待办事项" not in html_of(login("czj").get("/"))
        assert "测试待办事项" not in html_of(login("jyj").get("/?box=done"))
    finally:
        pending._SOURCES.pop("test.source")


def test_the_clerks_inbox_lists_the_intake_queue(login):
    html = html_of(login("wenshu").get("/"))
    rows = html.split('class="pending-list inbox-list box-todo"')[1].split("</ul>")[0]
    for doc in waiting_registration():
        assert doc.title in rows and f'href="/documents/intake/#q-{doc.pk}"' in rows


# ---- notifications that clear ------------------------------------------------------------------------------

def unread(username: str, **filters) -> list[Notification]:
    return list(Notification.objects.filter(person__username=username, read_at__isnull=True, **filters))


def test_opening_a_task_reads_its_notices_and_only_those(login):
    task = Task.objects.filter(assignee__username="quzhang", status="open", notifications__read_at__isnull=True,
                               notifications__person__username="quzhang").first()
    others = [n.pk for n in unread("quzhang") if n.task_id != task.pk]
    theirs = [n.pk for n in unread("changwu")]
    client = login("quzhang")
    before = selectors.unread_count(p("quzhang"))
    html = html_of(client.get(f"/tasks/{task.pk}/"))
    assert unread("quzhang", task=task) == []
    assert {n.pk for n in unread("quzhang")} == set(others)  # the rest stay unread
    assert {n.pk for n in unread("changwu")} == set(theirs)  # nobody else's changes
    after = selectors.unread_count(p("quzhang"))
    assert after < before
    bell = html.split('id="notifications"')[1].split("</div>")[0]
    assert (f'<span class="bell-count">{after}</span>' in bell) if after else "bell-count" not in bell
    assert task.status == "open"  # opening reads the notices; the task is still to be done


def test_opening_a_document_reads_the_notices_linked_to_it(login):
    note = (Notification.objects.filter(read_at__isnull=True, link__regex=r"^/documents/[0-9]+/$")
            .select_related("person").order_by("id").first())
    assert note is not None, "the demo leaves someone a notice about a document (新收文 …)"
    who = note.person.username
    others = {n.pk for n in unread(who) if n.link != note.link and n.task_id is None}
    doc_id = int(re.match(r"/documents/(\d+)/", note.link).group(1))
    assert login(who).get(f"/documents/{doc_id}/").status_code == 200
    note.refresh_from_db()
    assert note.read_at is not None
    assert not unread(who, link=f"/documents/{doc_id}/")
    assert others <= {n.pk for n in unread(who)}  # notices about other things stay unread


def test_handling_a_task_reads_its_notices_in_the_same_step(full_demo):
    task = Task.objects.filter(assignee__username="fuqu2", status="open", kind="step").first()
    Notification.objects.filter(task=task).update(read_at=None)
    assert unread("fuqu2", task=task)
    with pytest.raises(Refused):  # a refused step (someone else's task) marks nothing
        services.task_complete(actor=p("jyj"), task_id=task.pk, opinion="同意。")
    assert unread("fuqu2", task=task)
    choices = task.choices or []
    services.task_complete(actor=p("fuqu2"), task_id=task.pk, opinion="同意。", decision=choices[0] if choices else "")
    assert unread("fuqu2", task=task) == []


def test_mark_all_read_marks_only_ones_own(login):
    mine = len(unread("bgs-fuzhuren"))
    theirs = {n.pk for n in unread("bgs-zhuren")}
    assert mine and theirs
    client = login("bgs-fuzhuren")
    page = html_of(client.get("/notifications/"))
    assert "全部标为已读" in page
    r = client.post("/notifications/", {})
    assert r.status_code == 302 and r["Location"] == "/notifications/"  # PRG
    assert unread("bgs-fuzhuren") == []
    assert {n.pk for n in unread("bgs-zhuren")} == theirs
    assert "bell-count" not in html_of(client.get(r["Location"])).split('id="notifications"')[1].split("</div>")[0]
