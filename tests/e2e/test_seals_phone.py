"""The office signs a seal's entry in the seal-use register on a phone (art. 83 (三): a seal taken out
is entered in the register beforehand and signed by the 办公室主任): 周庚 (bgs-zhuren) opens his 待办,
sees the seal, the matter and the two people who carry it, signs 同意 — the entry is approved and
the custodian may check the seal out. The 印信 pages fit the phone."""

import re

import pytest

from e2e_support import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seals_site(live_server):
    from zhengwu.org import demo as org_demo
    from zhengwu.seals import demo

    import urllib.request

    org_demo.load()
    demo.load()
    # the live server's first answer (templates, the rulebook) is slow on a loaded machine: warm it
    # before the browser's 10 s navigation timeout counts
    urllib.request.urlopen(f"{live_server.url}/login/", timeout=120).read()
    return live_server.url


def test_the_office_director_approves_a_seal_entry_on_a_phone(seals_site, phone):
    from playwright.sync_api import expect

    from zhengwu.seals.models import SealTakeOut
    from zhengwu.workflow.models import Task

    page = phone
    t = SealTakeOut.objects.get(status=SealTakeOut.Status.PENDING)
    task = Task.objects.get(approval_id=t.approval_id, status="open")
    assert task.assignee.username == "bgs-zhuren"

    log_in(page, seals_site, "bgs-zhuren")
    page.goto(f"{seals_site}/seals/")
    expect(page.locator("h1")).to_contain_text("印信")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone

    page.goto(f"{seals_site}/tasks/{task.pk}/")
    fragment = page.locator(".task-seal-take-out")
    expect(fragment).to_contain_text(t.seal.name)
    expect(fragment).to_contain_text(t.purpose)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("label.choice", has_text="同意").first.click()
    page.locator("#id_opinion").fill("同意带出，当日归还")
    page.get_by_role("button", name=re.compile("办理完毕")).click()
    page.wait_for_load_state()

    t.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "done" and task.completed_by.username == "bgs-zhuren"
    assert t.status == SealTakeOut.Status.APPROVED and t.signed_by.username == "bgs-zhuren"
    page.goto(f"{seals_site}/seals/take-outs/{t.pk}/")
    expect(page.locator(".sub")).to_contain_text("已批准待带出")
    expect(page.locator("main")).to_contain_text("周庚")


def test_the_office_approves_a_seal_card_on_a_phone(seals_site, phone):
    """The office's own card for the 区政府公章: its 办公室主任 signs as the unit's 主要负责人 (art. 83),
    on a phone; the card moves on to the 分管副区长."""
    from playwright.sync_api import expect

    from zhengwu.seals.models import SealCard
    from zhengwu.workflow.models import Task

    page = phone
    card = SealCard.objects.get(unit__kind="gov_office", status=SealCard.Status.PENDING)
    task = Task.objects.get(approval_id=card.approval_id, status="open")
    assert task.assignee.username == "bgs-zhuren"

    log_in(page, seals_site, "bgs-zhuren")
    page.goto(f"{seals_site}/tasks/{task.pk}/")
    fragment = page.locator(".task-seal-card")
    expect(fragment).to_contain_text(card.content)
    expect(fragment).to_contain_text("白城市洮北区人民政府")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("label.choice", has_text="同意").first.click()
    page.get_by_role("button", name=re.compile("办理完毕")).click()
    page.wait_for_load_state()

    task.refresh_from_db()
    assert task.status == "done" and task.completed_by.username == "bgs-zhuren"
    nxt = Task.objects.get(approval_id=card.approval_id, status="open")
    assert nxt.assignee.username == "changwu"  # the office's 分管副区长 next
    page.goto(f"{seals_site}/seals/cards/{card.pk}/")
    expect(page.locator("main")).to_contain_text("周庚")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
