"""The Content-Security-Policy in a real browser (issue 12, "Defaults"): the main pages load with no
policy violation and no script error, and what used to be inline still works — the org chart
(ECharts, SVG), the journey's bars (positions as classes), a filter <select> that sends its form,
the rulebook's live search (htmx) and the API docs (Swagger UI)."""

import pytest

from e2e_support import log_in, watched

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def visit(page, url, problems):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__csp") + problems
    problems.clear()
    return found


def test_the_main_pages_report_no_policy_violation_and_keep_working(demo_site, page):
    from playwright.sync_api import expect

    from zhengwu.decisions.models import MajorDecision
    from zhengwu.documents.models import Document
    from zhengwu.meetings.models import Meeting

    problems = watched(page)
    assert visit(page, demo_site + "/login/", problems) == []
    # the watch itself works: a style="" set by script is refused and reported
    page.evaluate("() => { const d = document.createElement('div'); d.setAttribute('style', 'color: red'); document.body.append(d); }")
    page.wait_for_function("window.__csp.length > 0")
    assert "style-src" in page.evaluate("window.__csp")[0]
    problems.clear()
    response = page.request.get(demo_site + "/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    log_in(page, demo_site, "bgs-zhuren")
    doc = Document.objects.filter(title__endswith="请示").exclude(submitted_on=None).order_by("pk").first()
    pages = ["/", "/documents/", f"/documents/{doc.pk}/", f"/documents/{doc.pk}/timeline/", "/documents/search/",
             "/documents/registers/incoming/", "/documents/plans/", "/meetings/", "/meetings/followups/",
             f"/meetings/{Meeting.objects.order_by('pk').first().pk}/", "/decisions/",
             f"/decisions/{MajorDecision.objects.order_by('pk').first().pk}/", "/org/", "/rulebook/",
             "/rulebook/params/", "/calendar/", "/notifications/", "/api/v1/docs"]
    seen = {url: visit(page, demo_site + url, problems) for url in pages}
    assert {url: found for url, found in seen.items() if found} == {}

    # the org chart: ECharts draws its SVG without inline script or style
    visit(page, demo_site + "/org/", problems)
    expect(page.locator("#org-chart svg")).to_have_count(1)
    assert page.locator("#org-chart svg text").count() > 10
    assert page.locator(".chart-legend span").first.evaluate(
        "e => getComputedStyle(e, '::before').backgroundColor") not in ("", "rgb(153, 153, 153)")

    # the journey: bars placed by class, not style=""
    for candidate in Document.objects.filter(title__endswith="请示").exclude(submitted_on=None).order_by("pk")[:8]:
        visit(page, demo_site + f"/documents/{candidate.pk}/timeline/", problems)
        bars = page.locator(".g-bar")
        if bars.count() > 0:
            break
    assert bars.count() > 0 and page.evaluate("window.__csp") == []
    track = page.locator(".g-track").first.bounding_box()
    bar = bars.first.bounding_box()
    assert 0 < bar["width"] <= track["width"] + 1 and track["x"] - 1 <= bar["x"] <= track["x"] + track["width"]

    # a filter select sends its form (was onchange="this.form.submit()")
    visit(page, demo_site + "/decisions/", problems)
    select = page.locator("select[name=status]")
    value = select.locator("option").nth(1).get_attribute("value")
    select.select_option(value)
    page.wait_for_url(f"**/decisions/?status={value}")

    # htmx still swaps (no inline indicator <style>, no eval)
    visit(page, demo_site + "/rulebook/", problems)
    page.locator("input[type=search]").first.fill("督查")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#rb-articles")).to_contain_text("督查")

    # Swagger UI renders the schema for a signed-in person
    visit(page, demo_site + "/api/v1/docs", problems)
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert page.evaluate("window.__csp") + problems == []
