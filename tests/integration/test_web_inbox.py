"""The inbox (待办 / 已办 / 我发起的), a task's page and its action form, an approval's page with the
公文处理单, 传阅 and 催办, the notifications, and access denied by default — through the web pages,
with the demo government and its traffic loaded on a fixed day."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.org import services as org_services
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import selectors, services
from zhengwu.workflow.models import Approval, Notification, Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)  # a Monday: the demo's traffic starts today
PAST = dt.date(2026, 1, 5)  # a Monday long enough ago for a 14-working-day limit to have run out

SCHOOL = "关于第三小学新建教学楼项目立项的请示"  # 赵丁's 批示 (demo)
HEATING = "关于拨付冬季供暖补贴资金的请示"  # 区长 and 常务副区长 in parallel (demo)
def leave_title() -> str:
    """The 区长's 待办 of the leave demo: 王丙's 请假 (art. 89), fixed choices 同意/不同意."""
    from zhengwu.affairs.leave.models import LeaveRequest

    return LeaveRequest.objects.filter(person__username="fuqu1").order_by("id").first().approval.title


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture(scope="module")
def demo_today():
    return DAY  # the full demo is loaded once for the module, as of DAY (tests/conftest.py)


@pytest.fixture
def gov(full_demo):
    return full_demo


def p(username: str) -> Person:
    return Person.objects.get(username=username)


@pytest.fixture
def login(client, gov):
    def as_(username: str):
        client.force_login(p(username))
        return client
    return as_


def html_of(response) -> str:
    return response.content.decode()


def task_titled(title: str, username: str, **filters) -> Task:
    return Task.objects.get(approval__title=title, assignee__username=username, **filters)


def rows_with(html: str, title: str) -> list[str]:
    """The inbox rows (each one <tr class="item…"> of the tab's table, or <li class="item…"> of the
    pending list) that hold `title`."""
    chunks = re.split(r'<(?:li|tr) class="item', html)[1:]
    return [re.split(r"</li>|</tr>", chunk)[0] for chunk in chunks if title in chunk]


def row_with(html: str, title: str) -> str:
    rows = rows_with(html, title)
    assert len(rows) == 1, f"expected one row with {title!r}, found {len(rows)}"
    return rows[0]


def task_links(html: str) -> set[int]:
    return {int(x) for x in re.findall(r'href="/tasks/(\d+)/"', html)}


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def overdue_approval(urgency: str = "特急") -> Approval:
    """教育局's urgent request started on PAST: the office reviewed it the same day, so the 赵丁 and
    区长 steps (5 working days for 特急) have long run out by DAY."""
    a = services.approval_start(actor=p("jyj"), route_id="doc.intake_urgent", obj_type="test.request", obj_id="late",
                                title="关于校舍安全隐患整改的紧急请示", urgency=urgency, context={"major": True},
                                applicant_unit=Unit.objects.get(short_name="教育局"), on=PAST)
    review = a.tasks.get(status="open")
    services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="请阅示", on=PAST)
    return a


# ---- the inbox ------------------------------------------------------------------------------------

def test_home_is_the_inbox_and_lists_exactly_the_persons_open_tasks_with_due_dates(login):
    html = html_of(login("fuqu2").get("/"))
    mine = list(selectors.todo(p("fuqu2"), on=DAY))
    assert SCHOOL in [t.approval.title for t in mine]
    assert task_links(html) == {t.pk for t in mine}  # her open tasks, each once, and nobody else's
    assert HEATING not in html and leave_title() not in html  # the 区长's and 常务副区长's tasks are not hers
    row = row_with(html, SCHOOL)
    task = task_titled(SCHOOL, "fuqu2")
    left = selectors.workdays_left(task, DAY)
    assert left == 14  # 一般: 14 working days (art. 68), counted from tomorrow
    assert ">批示<" in row and "教育局" in row and "沈辰" in row
    assert task.due_on.isoformat() in row and f"剩{left}个工作日" in row
    assert "逾期" not in row
    assert re.search(r'class="tab tab-todo" aria-current="page">待办', html)  # the 待办 tab is open


def test_the_tabs_show_what_the_person_handled_and_what_they_started(login):
    client = login("bgs-zhuren")
    done = html_of(client.get("/?box=done"))
    for title, opinion in ((SCHOOL, "拟请赵丁副区长阅示"), (HEATING, "情况紧急，拟请区长、常务副区长阅示")):
        row = row_with(done, title)
        assert opinion in row and "已办" in row
    assert "关于开展“八五”普法总结验收工作的请示" not in done  # still open: 待办, not 已办

    # the 文书 started the 教育局's request's approval (呈批, after registering it)
    mine = html_of(login("wenshu").get("/?box=mine"))
    row = row_with(mine, SCHOOL)
    assert "办理中" in row and "赵丁（批示）" in row and f'href="/approvals/{Approval.objects.get(title=SCHOOL).pk}/"' in row
    assert leave_title() not in mine  # started by 王丙
    assert "暂无待办" not in mine
    org_services.person_create(actor=None, government=p("jyj").government, username="xinren", full_name="新人")
    assert "暂无待办" in html_of(login("xinren").get("/?box=todo"))  # every demo role has something to do; a newcomer not
    assert login("jyj").get("/?box=nonsense").status_code == 200  # an unknown tab falls back to 待办


# No "doc.intake_urgent" mark: overdue_approval starts the route itself over a stand-in object, and a
# route mark means the code that starts it (documents.intake) ran (tests/conftest.py).
def test_an_overdue_task_has_the_red_badge_and_the_working_days_it_is_late(login):
    a = overdue_approval("特急")
    late = a.tasks.get(assignee__username="fuqu2", status="open")
    assert selectors.is_overdue(late, DAY)
    html = html_of(login("fuqu2").get("/"))
    row = row_with(html, a.title)
    late_days = -selectors.workdays_left(late, DAY)
    assert late_days > 0
    assert '<span class="badge overdue">逾期</span>' in row
    assert f"已逾期{late_days}个工作日" in row
    assert '<span class="badge urgency-top">特急</span>' in row  # 特急 stands out
    assert "逾期" not in row_with(html, SCHOOL)  # the other task is on time
    assert "1件待办已超过办理时限" in html


def test_a_circulation_is_marked_and_read_with_one_tap(login):
    client = login("fuqu3")
    html = html_of(client.get("/"))
    row = row_with(html, SCHOOL)
    assert "（传阅）" in row and "周庚传阅" in row and "涉及农村学校布局调整，请阅知" in row
    circ = task_titled(SCHOOL, "fuqu3", kind="circulation")
    page = html_of(client.get(f"/tasks/{circ.pk}/"))
    assert 'name="op" value="ack"' in page and "已阅" in page
    assert 'value="complete"' not in page  # a circulation has no opinion form
    r = client.post(f"/tasks/{circ.pk}/", {"op": "ack"})
    assert r.status_code == 302
    circ.refresh_from_db()
    assert (circ.status, circ.completed_by.username) == ("done", "fuqu3")
    assert "已阅：" + SCHOOL in html_of(client.get("/"))  # the message after the redirect
    assert SCHOOL not in html_of(client.get("/"))  # gone from 待办
    # the sender sees who has read it
    sender = html_of(login("bgs-zhuren").get(f"/approvals/{circ.approval_id}/"))
    readers = sender.split('class="readers"')[1].split("</ul>")[0]
    assert re.search(r"钱戊</span>\s*<span class=\"tag status-done\">已阅", readers)
    assert re.search(r"孙己</span>\s*<span class=\"tag unread\">未阅", readers)
    assert "已阅1人 · 未阅1人" in sender


def test_a_task_of_the_leader_one_acts_for_is_marked_and_can_be_done(login):
    org_services.absence_create(actor=None, person=p("quzhang"), designated_by=p("quzhang"), start=DAY, end=DAY, reason="赴省城开会")
    client = login("changwu")
    html = html_of(client.get("/"))
    assert "今日补位" in html and "区长" in html
    leave = task_titled(leave_title(), "quzhang")
    row = row_with(html, leave_title())
    assert "代张甲办理" in row
    # the 加急 request waits for both of them: his own 批示, and the 区长's, which he does today
    heating = rows_with(html, HEATING)
    assert sorted("代张甲办理" in r for r in heating) == [False, True]
    r = client.post(f"/tasks/{leave.pk}/", {"op": "complete", "decision": "同意", "version": leave.version})
    assert r.status_code == 302
    leave.refresh_from_db()
    assert (leave.status, leave.decision, leave.completed_by.username, leave.assignee.username) == (
        "done", "同意", "changwu", "quzhang")


# ---- the task page and its form ----------------------------------------------------------------------

def test_the_task_page_shows_the_route_the_deadline_and_the_sheet_in_rank_order(login):
    task = task_titled(HEATING, "quzhang")
    html = html_of(login("quzhang").get(f"/tasks/{task.pk}/"))
    assert HEATING in html and "紧急公文串并联审批" in html and "第六十八条" in html  # route title from the rulebook
    assert '<span class="badge urgency-mid">加急</span>' in html
    assert task.due_on.isoformat() in html and "剩7个工作日" in html  # 加急: 7 working days
    sheet = html.split('class="sheet"')[1].split("</ol>")[0]
    # the office's review first; then the parallel stage by rank: 区长 (1) before 常务副区长 (2)
    order = [sheet.index(x) for x in ("周庚", "情况紧急，拟请区长、常务副区长阅示", "张甲", "李乙")]
    assert order == sorted(order)
    assert "第1环节" in sheet and "第2环节" in sheet and "并行办理" in sheet
    # the person's saved phrases as one-tap buttons, and as a select without JS
    for text in ("同意", "同意，请按程序办理", "请办公室牵头研究后报我"):
        assert f'data-phrase="{text}"' in html and f'<option value="{text}">' in html
    assert f'name="version" value="{task.version}"' in html
    assert 'value="complete"' in html and 'value="return"' in html


@pytest.mark.rules("leave.deputy_head")
def test_completing_with_a_fixed_choice_moves_the_task_to_done(login):
    client = login("quzhang")
    leave_name = leave_title()
    leave = task_titled(leave_name, "quzhang")
    page = html_of(client.get(f"/tasks/{leave.pk}/"))
    assert 'type="radio" name="decision" value="同意"' in page and 'value="不同意"' in page
    r = client.post(f"/tasks/{leave.pk}/", {"op": "complete", "decision": "同意", "opinion": "",
                                            "version": leave.version})
    assert r.status_code == 302 and r["Location"] == "/?box=todo"
    leave.refresh_from_db()
    assert (leave.status, leave.decision) == ("done", "同意")
    todo = html_of(client.get(r["Location"]))
    assert f"已办理：{leave_name}" in todo  # the message after the redirect
    assert leave_name not in todo.split('class="inbox-list')[1]  # still 待办: the 加急 批示, not the leave
    done = html_of(client.get("/?box=done"))
    assert "同意" in row_with(done, leave_name)


def test_a_missing_choice_shows_the_form_again_with_the_error_and_changes_nothing(login):
    client = login("quzhang")
    leave_name = leave_title()
    leave = task_titled(leave_name, "quzhang")
    before = AuditEvent.objects.count()
    r = client.post(f"/tasks/{leave.pk}/", {"op": "complete", "opinion": "请补充行程安排", "version": leave.version})
    assert r.status_code == 400
    html = html_of(r)
    assert 'role="alert"' in html and "请选择意见：同意／不同意" in html
    assert re.search(r'<fieldset class="choices invalid" aria-invalid="true">', html)  # the field is marked
    assert "请补充行程安排</textarea>" in html  # what was typed is kept
    leave.refresh_from_db()
    assert leave.status == "open" and AuditEvent.objects.count() == before


def test_a_saved_phrase_chosen_without_js_is_the_opinion(login):
    client = login("fuqu2")
    task = task_titled(SCHOOL, "fuqu2")
    r = client.post(f"/tasks/{task.pk}/", {"op": "complete", "opinion": "", "phrase": "同意，请按程序办理",
                                           "version": task.version})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.opinion == "同意，请按程序办理"


def test_resigning_shows_the_earlier_opinion_and_replaces_it(login):
    client = login("bgs-zhuren")
    review = task_titled(SCHOOL, "bgs-zhuren")
    page = html_of(client.get(f"/tasks/{review.pk}/"))
    earlier = page.split('class="earlier"')[1].split("</blockquote>")[0]
    assert "拟请赵丁副区长阅示" in earlier
    assert page.index('class="earlier"') < page.index('id="id_resign_opinion"')  # the old one above the new
    r = client.post(f"/tasks/{review.pk}/", {"op": "resign", "opinion": "请赵丁副区长阅示，并报区长阅知"})
    assert r.status_code == 302 and r["Location"] == f"/tasks/{review.pk}/"
    review.refresh_from_db()
    assert review.opinion == "请赵丁副区长阅示，并报区长阅知"
    [ev] = events("workflow.task.resign")
    assert ev.before["opinion"] == "拟请赵丁副区长阅示" and ev.after["opinion"] == review.opinion
    page = html_of(client.get(f"/tasks/{review.pk}/"))
    sheet = page.split('class="sheet"')[1].split("</ol>")[0]
    assert "请赵丁副区长阅示，并报区长阅知" in sheet and "拟请赵丁副区长阅示" not in sheet
    # the earlier opinion stays in the approval's history
    history = html_of(client.get(f"/approvals/{review.approval_id}/")).split('class="history')[1]
    assert "拟请赵丁副区长阅示" in history and "重新签署意见" in history
    # someone else cannot re-sign it
    other = login("fuqu2").post(f"/tasks/{review.pk}/", {"op": "resign", "opinion": "改"})
    assert other.status_code == 403
    review.refresh_from_db()
    assert review.opinion == "请赵丁副区长阅示，并报区长阅知"


def test_returning_needs_a_reason(login):
    client = login("fuqu2")
    task = task_titled(SCHOOL, "fuqu2")
    r = client.post(f"/tasks/{task.pk}/", {"op": "return", "opinion": "  ", "version": task.version})
    assert r.status_code == 400
    html = html_of(r)
    assert "退回须写明理由" in html and re.search(r'id="id_opinion"[^>]*aria-invalid="true"', html)
    task.refresh_from_db()
    assert task.status == "open"
    r = client.post(f"/tasks/{task.pk}/", {"op": "return", "opinion": "请补充项目可行性研究报告", "version": task.version})
    assert r.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.opinion) == ("returned", "请补充项目可行性研究报告")
    assert task.approval.status == "returned"
    assert Notification.objects.filter(person=p("wenshu"), title__startswith="已退回").exists()  # who routed it


def test_reassigning_hands_the_task_to_a_person_of_the_government(login):
    client = login("bgs-zhuren")
    task = task_titled("关于开展“八五”普法总结验收工作的请示", "bgs-zhuren")
    deputy = p("bgs-fuzhuren")
    # 转办 only to someone who may hold the step (art. 15): the deputy is offered once he acts for the director
    page = html_of(client.get(f"/tasks/{task.pk}/"))
    assert f'<option value="{deputy.pk}">' not in page and f'<option value="{p("fuqu1").pk}">' not in page
    r = client.post(f"/tasks/{task.pk}/", {"op": "reassign", "to": p("fuqu1").pk, "version": task.version})
    assert r.status_code == 403 and "（《工作规则》第六十八条）" in html_of(r)
    today = rules.today()
    org_services.absence_create(actor=None, person=p("bgs-zhuren"), start=today, end=today, reason="出差",
                                substitute=deputy)
    page = html_of(client.get(f"/tasks/{task.pk}/"))
    assert f'<option value="{deputy.pk}">吴辛（区政府办公室副主任）</option>' in page
    r = client.post(f"/tasks/{task.pk}/", {"op": "reassign", "to": "", "version": task.version})
    assert r.status_code == 400 and "请选择转办对象" in html_of(r)
    assert re.search(r'<select name="to" id="id_to" aria-invalid="true">', html_of(r))
    r = client.post(f"/tasks/{task.pk}/", {"op": "reassign", "to": deputy.pk, "note": "请代为审核",
                                           "version": task.version})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.status == "reassigned"
    new = Task.objects.get(approval=task.approval, status="open")
    assert (new.assignee, new.sender.username, new.note) == (deputy, "bgs-zhuren", "请代为审核")
    assert new.pk in task_links(html_of(login("bgs-fuzhuren").get("/")))


def test_a_stale_form_is_a_conflict_with_a_message(login):
    client = login("fuqu2")
    task = task_titled(SCHOOL, "fuqu2")
    before = AuditEvent.objects.count()
    r = client.post(f"/tasks/{task.pk}/", {"op": "complete", "opinion": "同意", "version": task.version + 1})
    assert r.status_code == 409
    assert "该待办已被他人修改，请刷新后再办理" in html_of(r)
    task.refresh_from_db()
    assert task.status == "open" and AuditEvent.objects.count() == before
    # two tabs: the first submit wins, the second is told
    assert client.post(f"/tasks/{task.pk}/", {"op": "complete", "opinion": "同意", "version": task.version}).status_code == 302
    r = client.post(f"/tasks/{task.pk}/", {"op": "complete", "opinion": "再次同意", "version": task.version})
    assert r.status_code == 409 and "不能再办理" in html_of(r)
    task.refresh_from_db()
    assert task.opinion == "同意"


# ---- access denied by default ---------------------------------------------------------------------

def test_another_persons_task_by_url_is_forbidden_and_nothing_changes(login):
    task = task_titled(SCHOOL, "fuqu2")
    client = login("fuqu1")
    r = client.get(f"/tasks/{task.pk}/")
    assert r.status_code == 403
    html = html_of(r)
    assert "无权查看他人的待办" in html and SCHOOL not in html
    before = AuditEvent.objects.count()
    r = client.post(f"/tasks/{task.pk}/", {"op": "complete", "opinion": "同意", "version": task.version})
    assert r.status_code == 403
    task.refresh_from_db()
    assert task.status == "open" and AuditEvent.objects.count() == before
    assert client.get(f"/approvals/{task.approval_id}/").status_code == 403


def test_unknown_tasks_and_approvals_are_404(login):
    client = login("quzhang")
    r = client.get("/tasks/999999/")
    assert r.status_code == 404 and "待办999999不存在" in html_of(r)
    assert client.get("/approvals/999999/").status_code == 404
    assert client.post("/tasks/999999/", {"op": "complete"}).status_code == 404


def test_every_new_page_needs_a_logged_in_person(client, gov):
    task = Task.objects.first()
    for url in ("/", f"/tasks/{task.pk}/", f"/approvals/{task.approval_id}/", "/notifications/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/?next="), url


# ---- the approval page: 催办, 传阅 ----------------------------------------------------------------------

def test_the_originator_and_the_office_can_nudge_and_each_nudge_is_recorded(login):
    approval = Approval.objects.get(title=SCHOOL)
    task = task_titled(SCHOOL, "fuqu2")
    client = login("wenshu")  # the originator (the 文书 routed it, 呈批)
    page = html_of(client.get(f"/approvals/{approval.pk}/"))
    assert f'name="task" value="{task.pk}"' in page and "催办" in page and "记入留痕" in page
    r = client.post(f"/approvals/{approval.pk}/", {"op": "nudge", "task": task.pk})
    assert r.status_code == 302
    r = login("bgs-fuzhuren").post(f"/approvals/{approval.pk}/", {"op": "nudge", "task": task.pk})  # the office
    assert r.status_code == 302
    nudges = events("workflow.task.nudge")
    assert [(e.actor_id, e.after["task"]) for e in nudges] == [(p("wenshu").pk, task.pk), (p("bgs-fuzhuren").pk, task.pk)]
    assert all(e.article == 68 for e in nudges)
    assert Notification.objects.filter(person=p("fuqu2"), kind="nudge").count() == 2
    page = html_of(login("wenshu").get(f"/approvals/{approval.pk}/"))
    assert "已催办2次" in page and "最近一次由吴辛" in page
    # someone who may see the approval (a reader of the circulation) but not nudge
    reader = login("fuqu3")
    page = html_of(reader.get(f"/approvals/{approval.pk}/"))
    assert f'name="task" value="{task.pk}"' not in page
    r = reader.post(f"/approvals/{approval.pk}/", {"op": "nudge", "task": task.pk})
    assert r.status_code == 403 and "只有发起人或区政府办公室可以催办" in html_of(r)
    assert len(events("workflow.task.nudge")) == 2


def test_the_sender_cancels_unread_circulations_and_read_ones_stay(login):
    approval = Approval.objects.get(title=SCHOOL)
    services.circulation_ack(actor=p("fuqu3"), task_id=task_titled(SCHOOL, "fuqu3", kind="circulation").pk)
    unread = task_titled(SCHOOL, "fuqu4", kind="circulation")
    # the originator did not send them: no cancel form, and a cancel does nothing
    client = login("wenshu")
    assert 'value="cancel_circulation"' not in html_of(client.get(f"/approvals/{approval.pk}/"))
    client.post(f"/approvals/{approval.pk}/", {"op": "cancel_circulation", "task": unread.pk})
    unread.refresh_from_db()
    assert unread.status == "open"
    # the sender
    client = login("bgs-zhuren")
    page = html_of(client.get(f"/approvals/{approval.pk}/"))
    assert f'name="task" value="{unread.pk}"' in page
    r = client.post(f"/approvals/{approval.pk}/", {"op": "cancel_circulation", "task": unread.pk})
    assert r.status_code == 302
    statuses = {t.assignee.username: t.status for t in selectors.circulation_readers(approval)}
    assert statuses == {"fuqu3": "done", "fuqu4": "cancelled"}
    assert "已撤销1件未阅传阅" in html_of(client.get(f"/approvals/{approval.pk}/"))
    assert len(events("workflow.circulation.cancel")) == 1


def test_circulating_from_the_approval_page_needs_people_and_a_purpose(login):
    approval = Approval.objects.get(title=SCHOOL)
    client = login("wenshu")  # the originator
    fuqu1 = p("fuqu1")
    r = client.post(f"/approvals/{approval.pk}/", {"op": "circulate", "people": [fuqu1.pk], "note": ""})
    assert r.status_code == 400
    html = html_of(r)
    assert "请说明传阅目的" in html and re.search(r'id="id_circ_note"[^>]*aria-invalid="true"', html)
    assert f'value="{fuqu1.pk}" checked' in html  # the choice is kept
    r = client.post(f"/approvals/{approval.pk}/", {"op": "circulate", "people": [], "note": "请阅知"})
    assert r.status_code == 400 and "请选择传阅对象" in html_of(r)
    r = client.post(f"/approvals/{approval.pk}/", {"op": "circulate", "people": [fuqu1.pk], "note": "供参考"})
    assert r.status_code == 302
    assert "（传阅）" in row_with(html_of(login("fuqu1").get("/")), SCHOOL)


# ---- notifications ----------------------------------------------------------------------------------

def test_the_bell_counts_unread_notifications_and_the_page_marks_them_read(login):
    client = login("bgs-zhuren")
    unread = selectors.unread_count(p("bgs-zhuren"))
    # at least the 新待办 of the two approvals demo matters still waiting for his review; those of the
    # tasks he has handled were marked read when he handled them (notify.mark_task_handled)
    assert unread >= 2
    assert not Notification.objects.filter(person=p("bgs-zhuren"), task__status="done", read_at__isnull=True).exists()
    html = html_of(client.get("/org/"))
    bell = html.split('id="notifications"')[1].split("</div>")[0]
    assert f'<span class="bell-count">{unread}</span>' in bell and 'href="/notifications/"' in bell
    page = html_of(client.get("/notifications/"))
    notes = list(selectors.notifications(p("bgs-zhuren"))[:selectors.PAGE])  # the first page
    assert page.index(notes[0].title) < page.index(notes[-1].title)  # newest first
    for n in notes:
        assert f'href="{n.link}"' in page
    # one of them, then all; another person's id is ignored
    others = Notification.objects.filter(person=p("fuqu2"), read_at__isnull=True).values_list("pk", flat=True)
    first_unread = next(n for n in notes if n.read_at is None)
    r = client.post("/notifications/", {"id": [first_unread.pk, *others]})
    assert r.status_code == 302
    assert selectors.unread_count(p("bgs-zhuren")) == unread - 1
    assert selectors.unread_count(p("fuqu2")) == len(others)
    assert client.post("/notifications/", {}).status_code == 302
    assert selectors.unread_count(p("bgs-zhuren")) == 0
    reads = events("workflow.notification.read")
    assert [e.after["count"] for e in reads] == [1, unread - 1]
    assert 'class="bell-count"' not in html_of(client.get("/org/"))
    r = client.post("/notifications/", {"id": "x"})
    assert r.status_code == 400 and "通知编号须为整数" in html_of(r)


# ---- query counts do not grow with the rows (STYLE 11) -----------------------------------------------

def count_queries(client, url: str) -> int:
    """The queries of rendering the page (not of serving it again from zhengwu.web.pagecache)."""
    client.get(url)  # warm: the shell's header comes from the cache after a first page (web.context)
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, url
    return len(ctx.captured_queries)


def start_requests(n: int, actor: str = "jyj", *, review_some: bool = True) -> None:
    unit = Unit.objects.get(short_name="教育局")
    for i in range(n):
        a = services.approval_start(actor=p(actor), route_id="doc.intake", obj_type="test.request",
                                    obj_id=f"q{i}", title=f"关于第{i}项工作的请示", applicant_unit=unit,
                                    urgency="加急" if i % 2 else "一般", on=DAY)
        if review_some and i % 3 == 0:  # some done by the office, waiting for 赵丁
            services.task_complete(actor=p("bgs-zhuren"), task_id=a.tasks.get().pk, opinion="请阅示", on=DAY)


def test_the_inbox_costs_the_same_queries_for_1_and_15_tasks(login):
    client = login("bgs-zhuren")
    urls = ["/?box=todo", "/?box=done", "/?box=mine"]
    jyj = login("jyj")
    mine_before = count_queries(jyj, "/?box=mine")
    client = login("bgs-zhuren")
    before = {u: count_queries(client, u) for u in urls}
    fuqu2_before = count_queries(login("fuqu2"), "/")
    start_requests(15)
    client = login("bgs-zhuren")
    assert selectors.todo(p("bgs-zhuren")).count() >= 12
    after = {u: count_queries(client, u) for u in urls}
    assert after == before
    assert count_queries(login("fuqu2"), "/") == fuqu2_before  # 1 vs 6 批示 tasks
    assert count_queries(login("jyj"), "/?box=mine") == mine_before  # 1 vs 16 approvals started


def test_the_notifications_page_costs_the_same_queries_for_1_and_15(login):
    client = login("fuqu2")
    Notification.objects.filter(person=p("fuqu2")).exclude(pk=Notification.objects.filter(
        person=p("fuqu2")).order_by("id").values("pk")[:1]).delete()  # start from one (other demos add more)
    assert Notification.objects.filter(person=p("fuqu2")).count() == 1
    before = count_queries(client, "/notifications/")
    for i in range(14):
        services.task_nudge(actor=p("wenshu"), task_id=task_titled(SCHOOL, "fuqu2").pk, note=f"第{i}次催办")
    assert Notification.objects.filter(person=p("fuqu2")).count() == 15
    assert count_queries(client, "/notifications/") == before


def test_the_inbox_shows_50_tasks_a_page(login):
    start_requests(52, actor="czj", review_some=False)
    client = login("bgs-zhuren")
    total = selectors.todo(p("bgs-zhuren")).count()
    assert total > 50
    first = html_of(client.get("/"))
    assert len(task_links(first.split('class="inbox-list')[1])) == 50
    assert 'href="?box=todo&amp;page=2"' in first and "第1页，共2页" in first
    second = html_of(client.get("/?box=todo&page=2"))
    assert len(task_links(second.split('class="inbox-list')[1])) == total - 50


def test_the_new_pages_reference_no_external_url(login):
    task = task_titled(SCHOOL, "fuqu2")
    client = login("bgs-zhuren")
    for url in ("/", "/?box=done", "/?box=mine", f"/tasks/{task.pk}/", f"/approvals/{task.approval_id}/",
                "/notifications/"):
        html = html_of(client.get(url))
        assert not re.search(r"https?://", html), url


def test_the_inbox_in_english(login):
    client = login("fuqu2")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = html_of(client.get("/"))
    assert ">To do" in html and ">Done<" in html and ">Started by me<" in html
    assert "14 working days left" in html
    task = task_titled(SCHOOL, "fuqu2")
    page = html_of(client.get(f"/tasks/{task.pk}/"))
    assert "Processing sheet (公文处理单)" in page and "Done (办理完毕)" in page
    assert SCHOOL in page  # data stays Chinese


def test_the_task_pages_belong_to_the_inbox_in_the_navigation(login):
    task = task_titled(SCHOOL, "fuqu2")
    html = html_of(login("fuqu2").get(f"/tasks/{task.pk}/"))
    assert 'href="/" aria-current="page">待办</a>' in html
