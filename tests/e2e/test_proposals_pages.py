"""建议提案 in a real browser under the Content-Security-Policy: the office's list (overdue marked, the
filter <select> sends its form), an item page, the report; then the lead unit's head records a
contact, follows the item's 答复函 (drafted in the demo) into the documents flow, signs it in his
unit's name and numbers it there, and records the answer back on the item page (art. 39)."""

import pytest

from e2e_support import log_in, watched
from test_csp_pages import visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_proposals_pages_work_under_the_policy_and_the_head_answers(demo_site, page, browser):
    from zhengwu.proposals.models import Proposal

    problems = watched(page)
    log_in(page, demo_site, "bgs-zhuren")
    item = Proposal.objects.filter(status="assigned", lead_unit__short_name="教育局").order_by("pk").first()
    for url in ["/proposals/", f"/proposals/{item.pk}/", "/proposals/report/", "/proposals/?overdue=1"]:
        assert visit(page, demo_site + url, problems) == [], url
    visit(page, demo_site + "/proposals/", problems)
    assert page.locator(".pp-overdue").count() >= 1
    with page.expect_navigation():
        page.select_option("select[name=status]", "sent_back")
    assert "status=sent_back" in page.url and page.locator(".pp-list li").count() == 1

    head = browser.new_page()
    problems = watched(head)
    log_in(head, demo_site, "jyj")
    assert visit(head, demo_site + f"/proposals/{item.pk}/", problems) == []
    head.fill("form[action$='/contact/'] textarea[name=note]", "与代表面商，听取意见。")
    with head.expect_navigation():
        head.click("form[action$='/contact/'] button[type=submit]")
    assert head.locator("form[action$='/answer/']").count() == 0  # the letter is not signed yet
    with head.expect_navigation():
        head.click("#reply a[href^='/documents/']")
    with head.expect_navigation():
        head.click("form[action$='/unit-sign/'] button[type=submit]")
    with head.expect_navigation():
        head.click("form[action$='/number/'] button[type=submit]")
    assert visit(head, demo_site + f"/proposals/{item.pk}/", problems) == []
    head.select_option("form[action$='/answer/'] select[name=outcome]", "planned")
    with head.expect_navigation():
        head.click("form[action$='/answer/'] button[type=submit]")
    item.refresh_from_db()
    assert item.status == "answered" and item.answers.get().letter.doc_number
    assert head.evaluate("window.__csp") == []
