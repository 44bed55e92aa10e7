"""Proactive disclosure in a real browser (issue 15): a visitor with no account reads the public site
/public/ (the catalogue, a document's page, search; no cookie, no policy violation, no link into the
office), and the 区政府办公室主任 works the disclosure queue: the overdue normative document is
refused without its 政策解读 (art. 67, shown on the page), then reviewed, interpreted and released, and
appears on the public site."""

import pytest

from e2e_support import log_in, watched

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_the_catalogue_a_document_and_searches(demo_site, page):
    from playwright.sync_api import expect

    problems = watched(page)
    page.goto(demo_site + "/public/", timeout=60000)
    expect(page.locator("h1")).to_contain_text("主动公开的政府信息")
    expect(page.locator(".pub-list")).to_contain_text("关于做好2026年冬季城区供热保障工作的通知")
    expect(page.locator(".pub-list")).to_contain_text("全体会议决定事项")
    expect(page.locator(".pub-list")).not_to_contain_text("内部机构职责分工")
    assert page.locator("a[href^='/disclosure'], a[href^='/tasks'], a[href^='/login']").count() == 0
    page.get_by_role("link", name="关于做好2026年冬季城区供热保障工作的通知").click()
    expect(page.locator("h1")).to_contain_text("冬季城区供热保障")
    expect(page.locator(".pub-body")).to_contain_text("供热服务热线")
    page.fill("input[name=q]", "森林草原")
    with page.expect_navigation():
        page.get_by_role("button", name="检索").click()
    expect(page.locator(".pub-list")).to_contain_text("森林草原防灭火")
    assert page.context.cookies() == []
    assert page.evaluate("window.__csp") == [] and problems == []


def test_the_office_works_the_queue_and_the_release_reaches_the_public_site(demo_site, page):
    from playwright.sync_api import expect

    from zhengwu.disclosure.models import Record

    problems = watched(page)
    title = "洮北区行政执法公示办法"
    log_in(page, demo_site, "bgs-zhuren")
    page.goto(demo_site + "/disclosure/queue/")
    expect(page.locator("h1")).to_contain_text("主动公开队列")
    row = page.locator("tr", has_text=title)
    expect(row.locator(".dc-light.l-red")).to_be_visible()  # overdue
    row.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_contain_text(title)
    with page.expect_navigation():
        page.get_by_role("button", name="登记审查结论").click()
    with page.expect_navigation():
        page.get_by_role("button", name="在政府网站发布").click()
    expect(page.locator(".refusal, [role=alert]").first).to_contain_text("第六十七条")
    assert problems == ["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    problems.clear()  # the refusal is answered with its status (400), as every refused form
    page.fill("textarea[name=interpretation]", "一、制定背景：推行行政执法公示制度。")
    with page.expect_navigation():
        page.get_by_role("button", name="保存政策解读").click()
    with page.expect_navigation():
        page.get_by_role("button", name="在政府网站发布").click()
    expect(page.locator(".page-head .sub")).to_contain_text("已发布")
    record = Record.objects.get(title=title)
    assert record.status == Record.Status.RELEASED
    page.goto(demo_site + f"/public/{record.pk}/")
    expect(page.locator(".pub-interpretation")).to_contain_text("推行行政执法公示制度")
    assert page.evaluate("window.__csp") == [] and problems == []


def test_a_visitor_reads_the_annual_report_and_a_consultations_result(demo_site, page):
    from playwright.sync_api import expect

    problems = watched(page)
    page.goto(demo_site + "/public/", timeout=60000)
    page.get_by_role("link", name="年度报告").first.click()
    expect(page.locator("h1")).to_contain_text("政府信息公开工作年度报告")
    page.locator(".pub-list a").first.click()
    expect(page.locator(".pub-table")).to_contain_text("本年新收申请")
    expect(page.locator(".pub-table")).to_contain_text("行政复议：结果维持")
    page.get_by_role("link", name="公开征求意见").first.click()
    expect(page.locator(".pub-list")).to_contain_text("洮北区城区停车设施规划")
    page.get_by_role("link", name="洮北区中小学校布局调整方案（征求意见稿）").click()
    expect(page.locator(".pub-article")).to_contain_text("采纳保留东风乡中心小学的意见")
    expect(page.locator(".pub-article")).not_to_contain_text("家长周某")
    page.go_back()
    page.get_by_role("link", name="洮北区城区停车设施规划（2026—2030年）（征求意见稿）").click()
    expect(page.locator(".pub-article")).to_contain_text("tbzjj@taobei.gov.cn")
    assert page.locator("form[method=post], textarea").count() == 0
    assert page.context.cookies() == []
    assert page.evaluate("window.__csp") == [] and problems == []
