"""The 区长 agrees a 副区长's leave on a phone (art. 89): 张甲 (quzhang) opens his 待办, sees who goes
where and who would act, signs 同意 — the absence is recorded and the substitute acts (art. 15).
The leaders' week fits the phone (art. 94)."""

import re

import pytest

from e2e_support import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leave_site(live_server):
    from zhengwu.affairs.leave import demo
    from zhengwu.org import demo as org_demo

    org_demo.load()
    demo.load()
    return live_server.url


def test_the_district_head_agrees_a_deputys_leave_on_a_phone(leave_site, phone):
    from playwright.sync_api import expect

    from zhengwu import rules
    from zhengwu.affairs.leave.models import LeaveRequest
    from zhengwu.org import selectors as org
    from zhengwu.workflow.models import Task

    page = phone
    leave = LeaveRequest.objects.get(person__username="fuqu1", status="pending")
    task = Task.objects.get(approval_id=leave.approval_id, step_id="head_agree", status="open")
    assert task.assignee.username == "quzhang"

    log_in(page, leave_site, "quzhang")
    page.goto(f"{leave_site}/affairs/leave/calendar/")
    expect(page.locator("h1")).to_contain_text("领导活动安排")
    expect(page.locator(".lv-week")).to_contain_text("孙己补位")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone

    page.goto(f"{leave_site}/tasks/{task.pk}/")
    fragment = page.locator(".task-leave")
    expect(fragment).to_contain_text("省委党校")
    expect(fragment).to_contain_text("赵丁")  # the substitute proposed
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("label.choice", has_text="同意").first.click()
    page.get_by_role("button", name=re.compile("办理完毕")).click()
    page.wait_for_load_state()

    leave.refresh_from_db()
    assert leave.status == "approved" and leave.decided_by.username == "quzhang"
    assert org.acting_for(leave.position, leave.start).username == "fuqu2"
    assert rules.today() <= leave.start
    page.goto(f"{leave_site}/affairs/leave/{leave.pk}/")
    expect(page.locator(".sub")).to_contain_text("区长已同意")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
