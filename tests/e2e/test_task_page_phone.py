"""Issue 11 "Done when": on a phone, the 区长 (张甲) opens his 批示 from the inbox, reads the 正文 and
the attachment on the 办文 page, writes with the pad, submits; the clerk (文书 郑壬) is notified."""

import re

import pytest

from e2e_support import log_in, stroke

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

URGENT = "关于提前下达农村公路养护资金的请示"  # demo: 串并联, the 区长 and the 常务副区长 at once
TABLE = "农村公路养护资金测算表.xlsx"  # its attachment (demo)
PHRASE = "同意，请按程序办理"


def test_the_district_head_reads_writes_by_hand_and_submits_his_instruction_on_a_phone(demo_site, phone):
    from playwright.sync_api import expect

    from zhengwu.audit.models import AuditEvent
    from zhengwu.documents.models import Document, Signature
    from zhengwu.workflow.models import Notification, Task

    page = phone
    doc = Document.objects.get(title=URGENT)
    task = Task.objects.get(approval=doc.approval, status="open", assignee__username="quzhang")
    assert task.action == "批示" and doc.attachments.filter(name=TABLE).exists()

    # the inbox links the row straight to the 办文 page
    log_in(page, demo_site, "quzhang")
    row = page.locator(".inbox-list .item-link", has_text=URGENT)
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("href", f"/tasks/{task.pk}/")
    row.tap()
    page.wait_for_url(re.compile(rf"/tasks/{task.pk}/$"))

    # the object first: the 正文 and the attachment, which downloads
    expect(page.locator("h1")).to_contain_text(URGENT)
    expect(page.locator("#doc-body")).to_contain_text("提前下达农村公路养护资金有关情况如下")
    expect(page.locator("#doc-body")).to_be_visible()
    link = page.locator("#doc-attachments a", has_text=TABLE)
    expect(link).to_be_visible()
    download = page.request.get(demo_site + link.get_attribute("href"))
    assert download.status == 200 and download.body()[:2] == b"PK"  # the .xlsx itself
    expect(page.locator(".sentences")).to_contain_text("审核：情况紧急")  # the history, in sentences
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    body_y = page.locator("#doc-body").bounding_box()["y"]
    assert page.locator("#id_opinion").bounding_box()["y"] > body_y  # the action comes after the object

    # the action: a saved phrase, the pad, one submit
    page.locator("[data-phrase]", has_text=PHRASE).first.tap()
    expect(page.locator("#id_opinion")).to_have_value(PHRASE)
    canvas = page.locator("[data-sig-canvas]")
    expect(canvas).to_be_visible()
    assert canvas.bounding_box()["width"] > 300
    stroke(page, canvas)
    pad = page.locator("[data-sigpad]")
    expect(pad).to_have_class(re.compile(r"has-ink"))
    expect(pad).not_to_have_attribute("data-drawing", "1")  # the finger has lifted
    submit = page.get_by_role("button", name="办理完毕")
    assert submit.bounding_box()["width"] > 300  # the primary action spans the phone's width
    submit.click()  # clicked, not tapped: see test_documents_phone (a synthetic tap right after a stroke)

    page.wait_for_url(re.compile(r"/\?box=todo$"))
    expect(page.locator(".notice.ok")).to_contain_text(URGENT)
    expect(page.locator(".inbox-list:not(.pending-list)")).not_to_contain_text(URGENT)

    task.refresh_from_db()
    assert (task.status, task.opinion, task.completed_by.username) == ("done", PHRASE, "quzhang")
    sig = Signature.objects.get(task=task)
    assert sig.person.username == "quzhang" and sig.width > 0
    assert AuditEvent.objects.filter(action="documents.signature.add", obj_id=str(doc.pk)).count() == 1
    assert not Notification.objects.filter(task=task, person__username="quzhang", read_at__isnull=True).exists()

    # the clerk is told of the 批示
    told = Notification.objects.filter(person__username="wenshu", title__startswith="张甲已批示",
                                       title__contains=URGENT)
    assert told.count() == 1
    page.context.clear_cookies()  # log out
    log_in(page, demo_site, "wenshu")
    page.goto(demo_site + "/notifications/")
    expect(page.locator("body")).to_contain_text("张甲已批示")
