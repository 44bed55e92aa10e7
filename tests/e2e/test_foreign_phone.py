"""Foreign affairs on a phone (arts. 80, 81, 93): the 区长 (quzhang) opens the 财政局局长's visit waiting
for his approval, sees the trip and the chain on his 办文 page and approves it; the traveller then
records the departure. The lists (visits, gifts, research) fit the phone under the CSP."""

import re

import pytest

from e2e_support import log_in, watched

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def foreign_site(live_server):
    from zhengwu.affairs.foreign import demo
    from zhengwu.org import demo as org_demo

    org_demo.load()
    demo.load()
    return live_server.url


def test_the_district_head_approves_a_department_heads_visit_on_a_phone(foreign_site, phone):
    from playwright.sync_api import expect

    from zhengwu.affairs.foreign.models import Visit
    from zhengwu.workflow.models import Task

    page = phone
    watched(page)
    visit = Visit.objects.get(traveller__username="czj")
    task = Task.objects.get(approval_id=visit.approval_id, step_id="head_approve", status="open")
    assert task.assignee.username == "quzhang"

    log_in(page, foreign_site, "quzhang")
    for path in ("/affairs/foreign/visits/", "/affairs/foreign/gifts/", "/affairs/foreign/research/",
                 "/affairs/foreign/speeches/", "/affairs/foreign/invitations/"):
        page.goto(foreign_site + path)
        expect(page.locator("h1")).to_contain_text("外事、调研与讲话")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path  # nothing wider than the phone
    page.goto(f"{foreign_site}/tasks/{task.pk}/")
    expect(page.locator(".object-fragment")).to_contain_text("考察友好城市地方财政预算绩效管理")
    expect(page.locator(".object-fragment")).to_contain_text("分管副区长同意 ✓")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("label.choice", has_text="批准").first.click()
    page.get_by_role("button", name=re.compile("办理完毕")).click()
    page.wait_for_load_state()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.APPROVED
    assert page.evaluate("window.__csp") == []

    page.context.clear_cookies()  # the traveller, on the same phone
    log_in(page, foreign_site, "czj")
    page.goto(f"{foreign_site}/affairs/foreign/visits/{visit.pk}/")
    expect(page.locator(".page-head .sub")).to_contain_text("已批准")
    with page.expect_navigation():
        page.get_by_role("button", name="已成行").click()
    expect(page.locator(".page-head .sub")).to_contain_text("已成行")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    visit.refresh_from_db()
    assert visit.status == Visit.Status.LEFT and page.evaluate("window.__csp") == []
