"""The leader's approval screen on a phone: 钱戊 (fuqu3) opens the overdue 请示 from 东风乡, taps a
saved phrase, signs by hand on the screen, submits — the 批示 is recorded with the drawing, whose
SHA-256 is in the audit trail."""

import hashlib
import re

import pytest

from e2e_support import log_in, stroke

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OVERDUE = "关于东风乡高标准农田建设配套资金的请示"
PHRASE = "同意，请按程序办理"


def test_a_deputy_writes_and_signs_an_instruction_on_a_phone(demo_site, phone):
    from playwright.sync_api import expect

    from zhengwu.audit.models import AuditEvent
    from zhengwu.documents.models import Document, Signature

    page = phone
    doc = Document.objects.get(title=OVERDUE)
    task = doc.approval.tasks.get(status="open", step_id="leader_instruct")
    assert task.assignee.username == "fuqu3"

    log_in(page, demo_site, "fuqu3")
    page.goto(f"{demo_site}/documents/{doc.pk}/approve/")
    expect(page.locator("h1")).to_contain_text(OVERDUE)
    expect(page.locator(".ap-head")).to_contain_text("逾期")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone

    chip = page.locator(".chip", has_text=PHRASE)
    box = chip.bounding_box()
    assert box["height"] >= 40  # a thumb-sized target
    chip.tap()
    expect(page.locator("#id_opinion")).to_have_value(PHRASE)

    canvas = page.locator("[data-sig-canvas]")
    canvas.scroll_into_view_if_needed()
    expect(canvas).to_be_visible()
    c = canvas.bounding_box()  # in the viewport now
    assert c["width"] > 300 and c["height"] >= 150
    stroke(page, canvas)  # a finger's stroke: real touch events, as on a phone
    pad = page.locator("[data-sigpad]")
    expect(pad).to_have_class(re.compile(r"has-ink"))
    # the stroke has ended (the page saw the finger lift) before the next tap: a tap that overtook
    # the lift would be a second finger, not a tap
    expect(pad).not_to_have_attribute("data-drawing", "1")

    submit = page.get_by_role("button", name="提交批示")
    assert submit.bounding_box()["width"] > 300  # the primary action spans the phone's width
    # Clicked, not tapped: a synthetic tap a few hundred milliseconds after the synthetic stroke is
    # at times taken by Chromium's gesture detector as part of the earlier touches (touchstart and
    # touchend arrive, no click) — a person's tap comes seconds later. The form's submit handler,
    # which puts the drawing into the request, is the same.
    submit.click()
    page.wait_for_url(re.compile(rf"/documents/{doc.pk}/$"))
    expect(page.locator(".notice.ok")).to_contain_text("已批示")
    expect(page.locator(f"#opinion-{task.pk}")).to_contain_text(PHRASE)
    image = page.locator(f"#opinion-{task.pk} img.signature-img")
    expect(image).to_be_visible()
    # served and decoded: visible comes first, the decoded picture a moment later
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=10_000)

    task.refresh_from_db()
    assert (task.status, task.opinion, task.completed_by.username) == ("done", PHRASE, "fuqu3")
    sig = Signature.objects.get(task=task)
    assert sig.person.username == "fuqu3" and sig.sha256 == hashlib.sha256(bytes(sig.png)).hexdigest()
    event = AuditEvent.objects.get(action="documents.signature.add")
    assert event.after["sha256"] == sig.sha256 and event.obj_id == str(doc.pk)
