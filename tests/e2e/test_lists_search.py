"""Lists as tables and the global search in a real browser: the 文书 searches from the header's box,
follows a hit, then sorts the documents list by a column header (both ways) and reads it stacked on
a phone; no policy violation or script error on the way."""

import pytest

from e2e_support import log_in, watched

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def titles(page) -> list[str]:
    return page.locator(".zw-table tbody td.title > a").all_inner_texts()


def test_header_search_and_a_sorted_table(demo_site, page):
    from playwright.sync_api import expect

    problems = watched(page)
    log_in(page, demo_site, "wenshu")
    box = page.locator("header form.hdr-search input[name=q]")
    expect(box).to_be_visible()
    box.fill("关于")
    with page.expect_navigation():
        box.press("Enter")
    assert "/search/?q=" in page.url
    expect(page.locator(".search-group[data-kind=documents] li").first).to_be_visible()
    first = page.locator(".search-group li a").first
    href = first.get_attribute("href")
    with page.expect_navigation():
        first.click()
    assert page.url.endswith(href)

    page.goto(demo_site + "/documents/")
    head = page.locator(".zw-table thead a[data-sort=title]")
    with page.expect_navigation():
        head.click()
    assert "sort=title" in page.url
    expect(page.locator(".zw-table thead th[aria-sort=ascending]")).to_have_count(1)
    up = titles(page)
    assert up == sorted(up) and len(up) > 1
    with page.expect_navigation():
        page.locator(".zw-table thead a[data-sort=title]").click()
    assert "sort=-title" in page.url
    down = titles(page)
    assert down == sorted(down, reverse=True)
    assert page.evaluate("window.__csp") == [] and problems == []


def test_the_table_stacks_on_a_phone(demo_site, phone):
    from playwright.sync_api import expect

    log_in(phone, demo_site, "wenshu")
    phone.goto(demo_site + "/documents/")
    expect(phone.locator(".zw-table thead")).to_be_hidden()
    row = phone.locator(".zw-table tbody tr").first
    box = row.bounding_box()
    assert box["width"] <= 375
    assert phone.evaluate("document.documentElement.scrollWidth") <= 380  # no sideways scrolling
