"""Paper intake in the browser: the 文书 (wenshu) registers a 来文 that arrived on paper yesterday,
with its scan, from the intake queue — and the document's deadline counts from yesterday (art. 68:
14 working days for a 一般 matter, on the official calendar), not from today."""

import datetime as dt
import re

import pytest

from e2e_support import log_in, watched

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "关于东风乡冬季道路除雪设备购置资金的请示"
PDF = (b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
       b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")


def test_the_clerk_registers_a_paper_document_received_yesterday_with_its_scan(demo_site, page):
    from playwright.sync_api import expect

    from zhengwu import rules
    from zhengwu.documents.models import Document
    from zhengwu.workcalendar.selectors import work_calendar

    today = rules.today()
    yesterday = today - dt.timedelta(days=1)
    due = work_calendar().add_workdays(yesterday, rules.param("approval.limit_days", yesterday)["一般"])
    problems = watched(page)

    log_in(page, demo_site, "wenshu")
    page.goto(f"{demo_site}/documents/intake/")
    page.get_by_role("link", name="纸质来文登记").click()
    page.wait_for_url(re.compile(r"/documents/intake/paper/$"))
    expect(page.locator("h1")).to_have_text("纸质来文登记")
    page.locator("#id_unit").select_option(label="东风乡人民政府")
    page.locator("#id_kind").select_option("请示")
    page.fill("#id_title", TITLE)
    page.fill("#id_dated", (yesterday - dt.timedelta(days=3)).isoformat())
    page.fill("#id_received_on", yesterday.isoformat())
    page.locator("#id_urgency").select_option("一般")
    page.locator("#id_scan").set_input_files(files=[{"name": "来文扫描件.pdf", "mimeType": "application/pdf",
                                                    "buffer": PDF}])
    page.get_by_role("button", name="登记", exact=True).click()

    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    doc = Document.objects.get(title=TITLE)
    assert page.url.endswith(f"/documents/{doc.pk}/")
    assert (doc.status, doc.paper, doc.received_on, doc.registered_on) == ("registered", True, yesterday, today)
    expect(page.locator(".received-fact")).to_contain_text(yesterday.isoformat())
    deadline = page.locator(".deadline-fact")
    expect(deadline).to_contain_text(due.isoformat())
    expect(deadline).to_contain_text(f"自{yesterday.isoformat()}起14个工作日")
    expect(page.get_by_text("来文扫描件.pdf").first).to_be_visible()
    assert page.evaluate("window.__csp || []") == [] and problems == []
