"""A coordination body's setup on a phone (art. 71): 赵丁 (fuqu2), the 分管副区长 of the 教育局, opens
his 待办 for the 区教育督导委员会 the office has reviewed, sees its basis (art. 72), signs 同意 — the
request goes on to the 区长. The bodies and emergency pages fit the phone; the late fire report is
flagged (art. 75)."""

import re

import pytest

from e2e_support import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bodies_site(live_server):
    from zhengwu.affairs.bodies import demo
    from zhengwu.org import demo as org_demo

    org_demo.load()
    demo.load()
    return live_server.url


def test_the_deputy_head_approves_a_body_setup_on_a_phone(bodies_site, phone):
    from playwright.sync_api import expect

    from zhengwu.affairs.bodies.models import CoordinationBody
    from zhengwu.workflow.models import Task

    page = phone
    body = CoordinationBody.objects.get(name="区教育督导委员会")
    task = Task.objects.get(approval_id=body.approval_id, status="open")
    assert task.assignee.username == "fuqu2"

    log_in(page, bodies_site, "fuqu2")
    page.goto(f"{bodies_site}/affairs/bodies/")
    expect(page.locator("h1")).to_contain_text("议事协调机构")
    expect(page.locator("main")).to_contain_text("未报送年度工作目标")  # the 防汛抗旱指挥部 (art. 74)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.goto(f"{bodies_site}/tasks/{task.pk}/")
    expect(page.locator("main")).to_contain_text("教育督导条例")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("label.choice", has_text="同意").first.click()
    page.locator("#id_opinion").fill("同意设置")
    page.get_by_role("button", name=re.compile("办理完毕")).click()
    page.wait_for_load_state()
    task.refresh_from_db()
    assert task.status == "done" and task.completed_by.username == "fuqu2"
    nxt = Task.objects.get(approval_id=body.approval_id, status="open")
    assert (nxt.step_id, nxt.assignee.username) == ("head_approve", "quzhang")

    page.goto(f"{bodies_site}/affairs/bodies/emergencies/")
    expect(page.locator("main")).to_contain_text("迟报")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
