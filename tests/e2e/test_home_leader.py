"""The home page in a real browser (web.home): the 区长's desk on a desktop and on a phone — his
meetings this week, the agenda item awaiting his confirmation, the overdue items of his portfolio —
and a notification that clears when its task is handled (the bell counts one less). The demo is
loaded as of a fixed Monday, so its meetings fall in that week."""

import datetime as dt
import re

import pytest

from e2e_support import log_in, watched

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MONDAY = dt.date(2026, 12, 7)
READY_ITEM = "关于老旧小区改造2027年度计划的议题"  # ready, awaiting the 区长 (meetings demo)
NEXT_MEETING = "区政府第二十三次常务会议"  # he chairs it on Thursday
OVERDUE_ITEM = "落实区监委监察建议“工程招投标监管不严”问题整改"  # lead unit in his portfolio, past due


@pytest.fixture
def monday(monkeypatch):
    from zhengwu import rules

    monkeypatch.setattr(rules, "today", lambda: MONDAY)
    return MONDAY


@pytest.fixture
def site(monday, demo_site):
    return demo_site


def check_desk(page, site, *, phone: bool) -> None:
    from playwright.sync_api import expect

    problems = watched(page)
    log_in(page, site, "quzhang")
    desk = page.locator(".leader-home")
    expect(desk).to_be_visible()
    expect(desk.locator(".lh-schedule")).to_contain_text(NEXT_MEETING)
    confirm = desk.locator(".lh-confirm")
    expect(confirm).to_contain_text(READY_ITEM)
    overdue = desk.locator(".lh-overdue")
    expect(overdue).to_contain_text(OVERDUE_ITEM)
    expect(overdue).to_contain_text("逾期")
    # the agenda item is also a 待办 row of his inbox
    expect(page.locator(".pending-list .item", has_text=READY_ITEM)).to_have_count(1)
    width = page.viewport_size["width"]
    for panel in (".lh-schedule", ".lh-confirm", ".lh-overdue", ".lh-instructions", ".lh-decisions"):
        box = desk.locator(panel).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, panel  # nothing runs off the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    if phone:  # one column: the panels stack, each the full width
        a, b = desk.locator(".lh-confirm").bounding_box(), desk.locator(".lh-overdue").bounding_box()
        assert b["y"] >= a["y"] + a["height"] - 1 and a["width"] > width * 0.8
    else:  # side by side
        a, b = desk.locator(".lh-confirm").bounding_box(), desk.locator(".lh-instructions").bounding_box()
        assert abs(a["y"] - b["y"]) < 2
    # the item leads to the agenda, where it is confirmed
    with page.expect_navigation():
        confirm.get_by_role("link", name=READY_ITEM).click()
    assert re.search(r"/meetings/\d+/agenda/", page.url)
    expect(page.locator("body")).to_contain_text(READY_ITEM)
    assert page.evaluate("window.__csp") == [] and problems == []


def test_the_district_heads_desk_on_a_desktop(site, page):
    check_desk(page, site, phone=False)


def test_the_district_heads_desk_on_a_phone(site, phone):
    check_desk(phone, site, phone=True)


def test_a_notification_clears_when_its_task_is_handled(site, page):
    from playwright.sync_api import expect

    from zhengwu.org.models import Person
    from zhengwu.workflow import selectors
    from zhengwu.workflow.models import Notification, Task

    fuqu2 = Person.objects.get(username="fuqu2")
    task = next((t for t in Task.objects.filter(assignee=fuqu2, status="open", kind="step",
                                                notifications__person=fuqu2, notifications__read_at__isnull=True)
                 .distinct().order_by("id") if not t.choices), None)
    assert task is not None, "the demo gives 赵丁 a 待办 with an unread notice"
    unread = selectors.unread_count(fuqu2)
    log_in(page, site, "fuqu2")
    expect(page.locator("#notifications .bell-count")).to_have_text(str(unread))
    note = Notification.objects.filter(person=fuqu2, task=task).first()
    page.goto(site + "/notifications/")
    expect(page.locator(".note.unread", has_text=note.title)).to_have_count(1)

    page.goto(site + f"/tasks/{task.pk}/")
    page.fill("textarea[name=opinion]", "同意。请按程序办理。")
    with page.expect_navigation():
        page.locator("button[name=op][value=complete]").click()
    page.wait_for_url(re.compile(r"/\?box=todo$"))
    assert Task.objects.get(pk=task.pk).status == "done"
    assert not Notification.objects.filter(person=fuqu2, task=task, read_at__isnull=True).exists()
    left = selectors.unread_count(fuqu2)
    assert left < unread
    bell = page.locator("#notifications .bell-count")
    if left:
        expect(bell).to_have_text(str(left))
    else:
        expect(bell).to_have_count(0)
    page.goto(site + "/notifications/")
    expect(page.locator(".note", has_text=note.title).first).not_to_have_class(re.compile(r"\bunread\b"))
