"""The supervision ledger in a real browser (issue 13): the 督查指挥中心主任 (dcz) opens the dashboard —
its on-time-rate chart drawn by the vendored ECharts from a static script, no policy violation —
then the ledger, finds the item waiting for his 核查, verifies it and closes it (销号)."""

import pytest

from e2e_support import log_in, watched

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_center_director_opens_the_dashboard_and_verifies_an_item(demo_site, page):
    from playwright.sync_api import expect

    from zhengwu.supervision.models import SupervisionItem

    problems = watched(page)
    title = "落实市委巡察反馈“行政执法公示不到位”问题整改"
    item = SupervisionItem.objects.get(title=title)
    assert item.status == SupervisionItem.Status.CLOSURE_ASKED

    log_in(page, demo_site, "dcz")
    page.goto(demo_site + "/supervision/dashboard/")
    expect(page.locator("h1")).to_contain_text("督查看板")
    expect(page.locator("[data-sv-chart] svg")).to_be_visible()  # ECharts drew the on-time rates
    expect(page.locator("table.sv-counts").first).to_contain_text("区教育局")
    assert page.evaluate("window.__csp") == [] and problems == []

    page.goto(demo_site + "/supervision/")
    expect(page.locator(".sv-light.l-listed").first).to_be_visible()  # the overdue 批示 item, 挂牌督办
    page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_contain_text(title)
    page.fill("textarea[name=note]", "实地抽查三个执法机关，公示到位")
    with page.expect_navigation():
        page.get_by_role("button", name="核查通过").click()
    expect(page.locator(".sv-layout")).to_contain_text("实地抽查三个执法机关")
    with page.expect_navigation():
        page.get_by_role("button", name="销号").click()
    expect(page.locator(".page-head .sub")).to_contain_text("已销号")
    item.refresh_from_db()
    assert (item.status, item.verified_by.username) == (SupervisionItem.Status.CLOSED, "dcz")
    assert page.evaluate("window.__csp") == [] and problems == []


def test_the_district_head_reads_the_scores_and_approves_the_praise_proposal(demo_site, page):
    """Art. 51 in the browser: the 区长 opens the performance page (the year's scores, no policy
    violation), then the 表扬建议 waiting for him, and approves it on its page."""
    from playwright.sync_api import expect

    from zhengwu.supervision.models import AccountabilityProposal

    problems = watched(page)
    proposal = AccountabilityProposal.objects.get(unit__short_name="财政局", status="pending")
    log_in(page, demo_site, "quzhang")
    page.goto(demo_site + f"/supervision/performance/?year={proposal.year}")
    expect(page.locator("table.sv-counts")).to_contain_text("区财政局")
    expect(page.locator("table.sv-counts")).to_contain_text("区教育局")
    page.get_by_role("link", name=str(proposal)).click()
    expect(page.locator("h1")).to_contain_text("表扬建议")
    page.fill("textarea[name=opinion]", "同意通报表扬")
    with page.expect_navigation():
        page.get_by_role("button", name="同意", exact=True).click()
    expect(page.locator(".page-head .sub")).to_contain_text("区长已批准")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by.username) == ("approved", "quzhang")
    assert page.evaluate("window.__csp") == [] and problems == []
