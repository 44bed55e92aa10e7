"""The requests-for-information queue in a real browser (issue 15): the office's deputy director opens the list
— lights for overdue, due soon, on time and a stopped clock, no policy violation — opens the overdue
request and answers it (条例 第三十六条); the page then shows it answered late. On a phone the list
fits the screen."""

import pytest

from e2e_support import log_in, watched

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_office_answers_the_overdue_request_from_its_queue(demo_site, page):
    from playwright.sync_api import expect

    from zhengwu.disclosure.requests.models import InfoRequest

    problems = watched(page)
    log_in(page, demo_site, "bgs-fuzhuren")
    page.goto(demo_site + "/disclosure/requests/")
    overdue = InfoRequest.objects.get(content="区卫生健康局2025年公务接待费明细")
    expect(page.locator("h1")).to_contain_text("依申请公开")
    for light in ("l-red", "l-yellow", "l-green", "l-paused", "l-done", "l-late"):
        expect(page.locator(f"#requests .ir-light.{light}").first).to_be_visible()
    assert page.locator("#requests .ir-light.l-red").count() == 1
    page.locator(f"a[href='/disclosure/requests/{overdue.pk}/']").click()
    expect(page.locator("h1")).to_contain_text(f"依申请公开第{overdue.pk}号")
    expect(page.locator(".notice.warn").first).to_contain_text("第三十三条")
    page.select_option("select[name=answer_type]", "disclosed")
    page.fill("#answer textarea[name=text]", "现提供2025年公务接待费明细表。")
    with page.expect_navigation():
        page.locator("#answer button[type=submit]").click()
    expect(page.locator(".page-head .sub")).to_contain_text("已答复")
    expect(page.locator(".page-head .ir-light.l-late")).to_be_visible()
    overdue.refresh_from_db()
    assert overdue.status == "answered" and overdue.answered_by.username == "bgs-fuzhuren"
    assert page.evaluate("window.__csp") == [] and problems == []


def test_the_queue_fits_a_phone(demo_site, phone):
    from playwright.sync_api import expect

    log_in(phone, demo_site, "bgs-zhuren")
    phone.goto(demo_site + "/disclosure/requests/")
    expect(phone.locator("#requests li").first).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"] + 1, width
    phone.goto(demo_site + "/disclosure/requests/opinion/")
    expect(phone.locator("#events .ir-light.l-red").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"] + 1
