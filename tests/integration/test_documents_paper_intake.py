"""Paper intake (纸质来文登记, art. 67–68): the 区政府办公室's 文书 registers a 来文 that arrived on
paper with the day it actually arrived and its scan. The receipt date may be neither in the future
nor before the document's own date (成文日期), each refusal naming the field; the audit event
carries the received date and when it was registered; art. 68's working-day limits count from the
receipt date on the official calendar — through the service, the web page and the API."""

import datetime as dt
import json

import pytest
from django.test import Client

from zhengwu.audit.models import AuditEvent
from zhengwu.documents import intake
from zhengwu.documents.models import Attachment, Document
from zhengwu.errors import Refused
from zhengwu.org.models import Person, Unit
from zhengwu.workcalendar.selectors import work_calendar

pytestmark = pytest.mark.django_db

PASSWORD = "Zhengwu@2026"
DAY = dt.date(2026, 11, 4)  # a Wednesday
TITLE = "关于东风乡抗旱应急水源工程资金的请示"


def p(username):
    return Person.objects.get(username=username)


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
            b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def gov(org_demo, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    return org_demo


def unit():
    return Unit.objects.get(short_name="东风乡")


def receive(**kw):
    args = dict(actor=p("wenshu"), unit=unit(), kind="请示", title=TITLE, dated=DAY - dt.timedelta(days=5),
                received_on=DAY - dt.timedelta(days=1), scan_name="来文扫描件.pdf", scan=pdf_bytes(), on=DAY)
    args.update(kw)
    return intake.document_receive_paper(**args)


def test_a_paper_document_is_registered_with_its_receipt_date_and_scan(gov):
    doc = receive()
    doc.refresh_from_db()
    yesterday = DAY - dt.timedelta(days=1)
    assert (doc.status, doc.paper, doc.received_on, doc.registered_on) == ("registered", True, yesterday, DAY)
    assert doc.signed_on == DAY - dt.timedelta(days=5) and doc.intake_number.endswith("号")
    assert doc.main_recipients == ["区人民政府"] and doc.unit == unit()
    att = Attachment.objects.get(document=doc)
    assert (att.name, att.content_type) == ("来文扫描件.pdf", "application/pdf")
    event = AuditEvent.objects.filter(action="documents.document.register", obj_id=str(doc.pk)).get()
    assert event.after["received_on"] == yesterday.isoformat()
    assert event.after["registered_on"] == DAY.isoformat() and event.after["registered_at"]
    assert event.after["paper"] is True and event.after["scan"] == att.pk


def test_the_deadline_counts_from_the_receipt_date(gov):
    doc = receive(urgency="加急", received_on=DAY - dt.timedelta(days=2))
    routed_on = DAY + dt.timedelta(days=1)
    intake.document_route(actor=p("wenshu"), document_id=doc.pk, on=routed_on)
    doc.refresh_from_db()
    cal = work_calendar()
    assert doc.decision_needed_by == cal.add_workdays(DAY - dt.timedelta(days=2), 7)  # 加急: 7 working days
    assert doc.decision_needed_by != cal.add_workdays(DAY, 7)
    assert doc.approval.context["due_on"] == doc.decision_needed_by.isoformat()
    assert all(t.due_on <= doc.decision_needed_by for t in doc.approval.tasks.all() if t.due_on)


@pytest.mark.parametrize("received, field, words", [
    (DAY + dt.timedelta(days=1), "received_on", "晚于今天"),
    (DAY - dt.timedelta(days=6), "received_on", "早于来文的成文日期"),
    ("2026-13-40", "received_on", "不是有效日期"),
])
def test_a_receipt_date_in_the_future_or_before_the_document_is_refused(gov, received, field, words):
    before = (Document.objects.count(), Attachment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Refused) as e:
        receive(received_on=received)
    assert e.value.field == field and words in e.value.message
    assert (Document.objects.count(), Attachment.objects.count(), AuditEvent.objects.count()) == before


def test_other_bad_input_is_refused_naming_the_field(gov):
    cases = [({"dated": None}, "dated"), ({"dated": DAY + dt.timedelta(days=1)}, "dated"),
             ({"title": " "}, "title"), ({"kind": "便条"}, "kind"), ({"urgency": "立即"}, "urgency"),
             ({"main_recipients": ["区长"]}, "main_recipients"),
             ({"scan_name": "scan.exe", "scan": b"MZ\x90\x00"}, "file")]
    before = Document.objects.count()
    for kw, field in cases:
        with pytest.raises(Refused) as e:
            receive(**kw)
        assert e.value.field == field, (kw, e.value.message)
    assert Document.objects.count() == before  # a refused scan registers nothing either


def test_only_the_office_registers_paper(gov):
    with pytest.raises(Refused) as e:
        receive(actor=p("dfx"))
    assert e.value.status == 403


def test_receipt_date_defaults_to_today_and_the_scan_is_optional(gov):
    doc = receive(received_on=None, scan=None)
    assert doc.received_on == DAY and not doc.attachments.exists()


# ---- the web page and the API ------------------------------------------------------------------

def client_for(username) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_the_web_page_registers_and_redirects_to_the_document(gov, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for("wenshu")
    page = c.get("/documents/intake/paper/")
    assert page.status_code == 200 and "收文日期" in page.content.decode()
    today = dt.date.today()
    yesterday = today - dt.timedelta(days=1)
    form = {"unit": unit().pk, "kind": "请示", "title": TITLE, "dated": (today - dt.timedelta(days=3)).isoformat(),
            "received_on": yesterday.isoformat(), "urgency": "一般", "main_recipients": "区人民政府",
            "scan": SimpleUploadedFile("扫描件.pdf", pdf_bytes(), content_type="application/pdf")}
    r = c.post("/documents/intake/paper/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    doc = Document.objects.get(title=TITLE)
    assert r["Location"] == f"/documents/{doc.pk}/"
    assert doc.received_on == yesterday and doc.attachments.count() == 1
    detail = c.get(r["Location"]).content.decode()
    due = work_calendar().add_workdays(yesterday, 14)
    assert yesterday.isoformat() in detail and due.isoformat() in detail


def test_the_web_page_shows_a_future_date_refused_at_the_field(gov):
    c = client_for("wenshu")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    r = c.post("/documents/intake/paper/", {"unit": unit().pk, "kind": "请示", "title": TITLE,
                                            "dated": dt.date.today().isoformat(), "received_on": tomorrow.isoformat(),
                                            "urgency": "一般"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "晚于今天" in html and 'aria-invalid="true"' in html
    assert not Document.objects.filter(title=TITLE).exists()


def test_the_web_page_is_for_the_office_only(gov):
    assert client_for("dfx").get("/documents/intake/paper/").status_code == 403


def test_the_api_registers_paper_with_the_scan(gov):
    c = client_for("wenshu")
    today = dt.date.today()
    yesterday = today - dt.timedelta(days=1)
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = c.post("/api/v1/documents/paper", {
        "unit_id": unit().pk, "kind": "请示", "title": TITLE, "dated": (today - dt.timedelta(days=3)).isoformat(),
        "received_on": yesterday.isoformat(), "urgency": "一般",
        "scan": SimpleUploadedFile("扫描件.pdf", pdf_bytes(), content_type="application/pdf")})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["received_on"] == yesterday.isoformat() and body["paper"] is True
    assert body["status"] == "registered" and len(body["attachments"]) == 1
    bad = c.post("/api/v1/documents/paper", {"unit_id": unit().pk, "kind": "请示", "title": TITLE,
                                             "dated": today.isoformat(),
                                             "received_on": (today + dt.timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and json.loads(bad.content)["violations"] is not None
    assert "晚于今天" in bad.json()["message"]
    assert client_for("dfx").post("/api/v1/documents/paper", {
        "unit_id": unit().pk, "kind": "请示", "title": TITLE, "dated": today.isoformat()}).status_code == 403
