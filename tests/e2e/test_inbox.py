"""The inbox in a real browser: a 副区长 logs in and sees their own tasks; the 区长, on a phone,
approves a leave request with one choice and sees it move to 已办."""

import re

import pytest

from e2e_support import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCHOOL = "关于第三小学新建教学楼项目立项的请示"
HEATING = "关于拨付冬季供暖补贴资金的请示"


def leave_title() -> str:
    """The 区长's 待办 of the leave demo: 王丙's 请假 (art. 89)."""
    from zhengwu.affairs.leave.models import LeaveRequest

    return LeaveRequest.objects.filter(person__username="fuqu1").order_by("id").first().approval.title


def test_a_deputy_logs_in_and_sees_their_own_inbox(demo_site, page):
    from playwright.sync_api import expect

    from zhengwu.org.models import Person
    from zhengwu.workflow import selectors

    hers = selectors.todo(Person.objects.get(username="fuqu2")).count()
    log_in(page, demo_site, "fuqu2")
    expect(page.locator(".inbox-list .item")).to_have_count(hers)
    row = page.locator(".inbox-list .item", has_text=SCHOOL)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("批示")
    expect(row).to_contain_text(re.compile(r"剩\d+个工作日"))
    expect(page.locator("body")).not_to_contain_text(HEATING)  # the 区长's and 常务副区长's task
    expect(page.locator("body")).not_to_contain_text(leave_title())
    expect(page.locator(".tabs [aria-current=page]")).to_contain_text("待办")
    unread = selectors.unread_count(Person.objects.get(username="fuqu2"))
    expect(page.locator("#notifications .bell-count")).to_have_text(str(unread))


def test_the_district_head_approves_a_leave_request_on_a_phone(demo_site, phone):
    from playwright.sync_api import expect

    from zhengwu.workflow.models import Task

    page = phone
    leave = leave_title()
    log_in(page, demo_site, "quzhang")
    leave_row = page.locator(".inbox-list .item-link", has_text=leave)
    box = leave_row.bounding_box()
    assert box["width"] <= 375 and box["height"] >= 44  # a card, one big tap target
    leave_row.tap()
    page.wait_for_url(re.compile(r"/tasks/\d+/$"))
    expect(page.locator("h1")).to_contain_text(leave)

    agree = page.locator("label.choice", has=page.locator("input[value='同意']"))
    agree.tap()
    expect(page.locator("input[name=decision][value='同意']")).to_be_checked()
    done = page.get_by_role("button", name="办理完毕")
    assert done.bounding_box()["width"] > 300  # the primary action spans the phone's width
    done.tap()

    page.wait_for_url(re.compile(r"/\?box=todo$"))
    expect(page.locator(".notice.ok")).to_contain_text("已办理：" + leave)
    expect(page.locator(".inbox-list:not(.pending-list)")).not_to_contain_text(leave)
    page.locator(".tabs a", has_text="已办").tap()
    page.wait_for_url(re.compile(r"box=done"))
    done_row = page.locator(".inbox-list .item", has_text=leave)
    expect(done_row).to_contain_text("同意")

    task = Task.objects.get(approval__title=leave, step_id="head_agree")
    assert (task.status, task.decision, task.completed_by.username) == ("done", "同意", "quzhang")
