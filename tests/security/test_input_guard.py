"""Bad input never crashes and writes nothing (issue 12): control characters, bodies too large,
broken multipart and over-long file names are refused with 400/413 naming the field, on the web
pages and the API alike (zhengwu.web.input_guard, zhengwu.textcheck); legitimate text — body text
with newlines, a tab, CRLF from a textarea — still saves."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.documents.models import Attachment, Document
from zhengwu.org.models import Person

DAY = dt.date(2026, 11, 2)
PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
DRAFT = {"direction": "incoming", "kind": "请示", "title": "关于东风乡农田水利设施维修资金的请示",
         "main_recipients": ["区人民政府"], "body": "东风乡农田水利设施老化。\n妥否，请批示。"}


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # attachments are stored under VAR_DIR/attachments


@pytest.fixture
def gov(org_demo):
    return org_demo


@pytest.fixture
def api(client, gov):
    _token, key = api_token_create(actor=None, person=Person.objects.get(username="jyj"), name="测试")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    class Api:
        def get(self, path, params=None):
            return client.get(f"/api/v1{path}", params or {}, **headers)

        def post_json(self, path, data):
            body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False)
            return client.post(f"/api/v1{path}", body, content_type="application/json", **headers)

        def post(self, path, data=None, **extra):
            return client.post(f"/api/v1{path}", data, **{**headers, **extra})
    return Api()


@pytest.fixture
def web(client, gov):
    client.force_login(Person.objects.get(username="jyj"))
    return client


def counts():
    return Document.objects.count(), Attachment.objects.count(), AuditEvent.objects.count()


def assert_api_refusal(response, status, field):
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"message", "field", "violations"}
    assert body["field"] == field, body
    assert body["message"]
    return body


def draft(api, **overrides) -> int:
    r = api.post_json("/documents", {**DRAFT, **overrides})
    assert r.status_code == 201, r.content.decode()
    return r.json()["id"]


# ---- the four former 500s ---------------------------------------------------------------------------

def test_a_nul_in_a_query_parameter_is_a_400_naming_it(api):
    r = api.get("/org/people", {"q": "张\x00三"})
    body = assert_api_refusal(r, 400, "q")
    assert "U+0000" in body["message"]
    assert api.get("/org/people", {"q": "张三"}).status_code == 200


def test_invalid_utf8_in_a_query_string_is_a_400_naming_the_parameter(client, api, gov):
    r = api.get("/org/people?q=%ff%fe")
    assert_api_refusal(r, 400, "q")


def test_multipart_without_a_boundary_is_a_400_and_writes_nothing(api):
    doc = draft(api)
    before = counts()
    r = api.post(f"/documents/{doc}/attachments", b"--x\r\nhello", content_type="multipart/form-data")
    assert_api_refusal(r, 400, "body")
    r = api.post(f"/documents/{doc}/attachments", b"garbage without parts",
                 content_type="multipart/form-data; boundary=zzz")
    assert r.status_code in (400, 422), r.content.decode()
    assert r.status_code != 500
    assert counts() == before


def test_a_json_body_over_the_limit_is_a_413_and_writes_nothing(api, settings):
    before = counts()
    big = json.dumps({**DRAFT, "body": "a" * 3_000_000}).encode()
    assert len(big) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert_api_refusal(api.post_json("/documents", big), 413, "body")
    assert counts() == before
    # a long but legitimate body (200,000 characters, the schema's limit) still saves
    draft(api, body="政" * 200_000)


def test_a_file_name_over_200_characters_is_refused_naming_the_field(api):
    doc = draft(api)
    before = counts()
    for name in ("a" * 1000 + ".pdf", "x." + "文" * 998):
        upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
        assert_api_refusal(api.post(f"/documents/{doc}/attachments", {"file": upload}), 400, "file")
    for name in ("x." + "文" * 998, "a." + "文" * 100):
        # over 2.5 MB: Django spools it to a temporary file named with the extension (was a 500)
        big = SimpleUploadedFile(name, PDF + b"%" + b"0" * 3_000_000 + b"\n", content_type="application/pdf")
        assert_api_refusal(api.post(f"/documents/{doc}/attachments", {"file": big}), 400, "file")
    assert counts() == before
    ok = SimpleUploadedFile("经费测算" + "表" * 190 + ".pdf", PDF, content_type="application/pdf")
    r = api.post(f"/documents/{doc}/attachments", {"file": ok})
    assert r.status_code == 201, r.content.decode()


def test_a_control_character_in_a_file_name_never_reaches_the_store(api):
    doc = draft(api)
    # Django's multipart parser drops non-printable characters from a file name before any code
    # sees it (MultiPartParser.sanitize_file_name); the name stored is the clean one
    upload = SimpleUploadedFile("报告\x07\x0b.pdf", PDF, content_type="application/pdf")
    r = api.post(f"/documents/{doc}/attachments", {"file": upload})
    assert r.status_code == 201, r.content.decode()
    assert Attachment.objects.get(pk=r.json()["id"]).name == "报告.pdf"


# ---- control characters in JSON, both ways ------------------------------------------------------------

@pytest.mark.parametrize("payload, field", [
    ({**DRAFT, "title": "关于\x0b资金的请示"}, "title"),
    ({**DRAFT, "body": "正文\x00"}, "body"),
    ({**DRAFT, "main_recipients": ["区人民政府", "区\x1b政府"]}, "main_recipients[1]"),
    ({**DRAFT, "facts": {"decision_needed_by": "2026-11-20\x7f"}}, "facts.decision_needed_by"),
])
def test_a_control_character_anywhere_in_a_json_body_is_a_400_naming_the_field(api, payload, field):
    before = counts()
    assert_api_refusal(api.post_json("/documents", payload), 400, field)
    assert counts() == before


def test_a_lone_surrogate_or_invalid_utf8_in_json_is_refused(api):
    before = counts()
    r = api.post_json("/documents", json.dumps({**DRAFT, "title": "x\ud800"}).encode())
    assert_api_refusal(r, 400, "title")
    r = api.post_json("/documents", json.dumps(DRAFT, ensure_ascii=False).encode().replace("东风乡".encode(), b"\xff\xfe", 1))
    assert_api_refusal(r, 400, "body")
    assert counts() == before


def test_json_nested_too_deep_is_a_400_not_a_crash(api):
    r = api.post_json("/documents", b"[" * 100_000 + b"]" * 100_000)
    assert_api_refusal(r, 400, "body")


def test_body_text_keeps_its_newlines_tabs_and_crlf(api):
    body = "一、基本情况\r\n\t东风乡农田水利设施老化。\n二、请示事项\n妥否，请批示。"
    doc = draft(api, body=body)
    assert Document.objects.get(pk=doc).body == body


def test_a_title_is_one_line(api):
    before = counts()
    assert_api_refusal(api.post_json("/documents", {**DRAFT, "title": "关于资金的\n请示"}), 400, "title")
    assert counts() == before


# ---- the web pages -------------------------------------------------------------------------------------

WEB_FORM = {"direction": "incoming", "kind": "请示", "title": "关于东风乡农田水利设施维修资金的请示",
            "main_recipients": "区人民政府", "urgency": "一般", "decision_needed_by": "2026-11-20",
            "matters_count": "1", "body": "情况说明。\r\n妥否，请批示。", "important": "0", "public": "1",
            "op": "save"}


def test_a_control_character_in_a_web_form_is_a_readable_400_page_and_saves_nothing(web):
    before = counts()
    r = web.post("/documents/new/", {**WEB_FORM, "title": "关于\x0b资金的请示"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "控制字符" in page and "标题" in page  # the field by its label, not its key
    assert "<html" in page.lower()
    assert counts() == before


def test_a_control_character_in_a_web_query_is_a_400_page(web):
    r = web.get("/documents/", {"q": "x\x01"})
    assert r.status_code == 400
    assert "控制字符" in r.content.decode()


def test_the_web_form_with_crlf_in_the_body_still_saves(web):
    n = Document.objects.count()
    r = web.post("/documents/new/", WEB_FORM)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Document.objects.count() == n + 1
    assert Document.objects.latest("id").body.replace("\r\n", "\n") == "情况说明。\n妥否，请批示。"


def test_a_too_large_web_form_is_a_413_page(web, settings):
    r = web.post("/documents/new/", {**WEB_FORM, "body": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    assert r.status_code == 413
    assert "<html" in r.content.decode().lower()


def test_a_web_upload_with_a_bad_name_or_broken_multipart_is_a_400_page(web, api):
    doc = draft(api)
    before = counts()
    upload = SimpleUploadedFile("a" * 300 + ".pdf", PDF, content_type="application/pdf")
    r = web.post(f"/documents/{doc}/attachments/", {"file": upload})
    assert r.status_code == 400
    assert "文件名过长" in r.content.decode()
    r = web.post(f"/documents/{doc}/attachments/", b"junk", content_type="multipart/form-data")
    assert r.status_code == 400
    assert counts() == before


# ---- the CLI ---------------------------------------------------------------------------------------

def test_a_control_character_in_a_cli_argument_is_refused_before_anything_runs(gov, capsys):
    from zhengwu.cli import main
    from zhengwu.org.models import Unit
    from zhengwu.workflow import services as wf
    from zhengwu.workflow.models import Task

    approval = wf.approval_start(actor=Person.objects.get(username="jyj"), route_id="doc.intake_urgent",
                                 obj_type="test.request", obj_id="1", title="请示", context={"major": True},
                                 applicant_unit=Unit.objects.get(short_name="教育局"))
    task = Task.objects.filter(approval=approval, status="open").select_related("assignee").first()
    before = counts()
    code = main(["task", "complete", str(task.pk), "--as", task.assignee.username, "--opinion", "同意\x1b[2J"])
    err = capsys.readouterr().err
    assert code == 2 and "opinion" in err and "U+001B" in err
    task.refresh_from_db()
    assert task.status == "open" and counts() == before
    code = main(["task", "complete", str(task.pk), "--as", task.assignee.username, "--opinion", "同意。\n请财政局办理。"])
    assert code == 0, capsys.readouterr().err
    task.refresh_from_db()
    assert task.status != "open"
