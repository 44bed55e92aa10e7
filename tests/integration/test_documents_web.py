"""The documents pages: the list, compose with the live pre-check (HTMX, writes nothing), save and
submit, the office's intake queue (登记 / 退回 / 呈批 inline), the leader's approval screen (typed,
saved phrase, handwritten), the printable 公文处理单 in rank order, the journey against its limits,
and access denied by default (IDOR) — through the web, with the demo government loaded on a fixed day."""

import base64
import datetime as dt
import hashlib
import re
import struct
import zlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.documents import intake, services
from zhengwu.documents.models import Document, Signature
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday; the demo's traffic is laid out around it
OVERDUE = "关于东风乡高标准农田建设配套资金的请示"  # routed 25 working days ago, with 钱戊 (fuqu3)
SUBMITTED = "关于新华街道社区养老服务站建设的请示"  # waiting for 登记
URGENT = "关于提前下达农村公路养护资金的请示"  # 串并联: 常务副区长 and 区长 at once
ISSUED = "洮北区行政执法公示办法"
DRAFT = "关于申请校园安全设施改造资金的请示"  # 教育局's draft


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture(scope="module")
def demo_today():
    return DAY  # the full demo is loaded once for the module, as of DAY (tests/conftest.py)


@pytest.fixture
def gov(full_demo):
    return full_demo


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def doc_titled(title: str) -> Document:
    return Document.objects.get(title=title)


@pytest.fixture
def login(client, gov):
    def as_(username: str):
        client.force_login(p(username))
        return client
    return as_


def html(response) -> str:
    return response.content.decode()


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]


def request_form(**overrides) -> dict:
    """The compose form of a town's 请示 that complies, as the browser posts it."""
    form = {"direction": "incoming", "kind": "请示", "title": "关于东风乡农田水利设施维修资金的请示",
            "main_recipients": "区人民政府", "urgency": "一般", "decision_needed_by": "2026-11-20",
            "matters_count": "1", "body": "东风乡农田水利设施老化……妥否，请批示。", "important": "1",
            "collective_ref": "东风乡党委会纪要〔2026〕12号", "public": "1", "within_unit_powers": "0",
            "addressed_to_leader_personally": "0", "skips_level": "0", "is_normative": "0"}
    form.update(overrides)
    return form


def findings(page: str) -> dict[str, str]:
    """rule id -> the <li> of that finding in the pre-check panel."""
    return {m.group(1): m.group(0) for m in re.finditer(r'<li class="finding [^"]*" data-rule="([^"]+)">.*?</li>',
                                                         page, re.S)}


# ---- the list -------------------------------------------------------------------------------------

def test_the_list_shows_what_the_person_may_see_by_tab_with_status_urgency_and_working_days(login):
    page = html(login("fuqu3").get("/documents/"))
    assert OVERDUE in page and "已退回" in page  # 东风乡 is in 钱戊's 分工
    assert SUBMITTED not in page and URGENT not in page  # 新华街道, 财政局: not his
    at = page.index(OVERDUE)
    row = page[page.rindex("<tr", 0, at):page.index("</tr>", at)]  # the table row of that document
    assert "is-overdue" in row and "逾期" in row and re.search(r"已逾期\d+个工作日", row)
    office = html(login("wenshu").get("/documents/?tab=outgoing"))
    assert ISSUED in office and OVERDUE not in office and "白洮政发〔2026〕1号" in office
    drafts = html(login("jyj").get("/documents/?tab=drafts"))
    assert DRAFT in drafts and "拟稿" in drafts
    for link in ("/documents/registers/incoming/", "/documents/registers/outgoing/", "/documents/search/"):
        assert f'href="{link}"' in page


def _count_list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_takes_the_same_number_of_queries_whatever_the_rows(login):
    office = login("wenshu")
    few = _count_list_queries(office, "/documents/")
    for i in range(6):  # six more 请示, submitted, registered and sent to the leaders
        doc = services.document_draft(actor=p("dfx"), unit=Unit.objects.get(short_name="东风乡"),
                                      direction="incoming", kind="请示", title=f"关于东风乡第{i}批项目的请示",
                                      main_recipients=["区人民政府"], body="……", on=DAY)
        intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
        intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
        intake.document_route(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    office.force_login(p("wenshu"))
    assert _count_list_queries(office, "/documents/") == few
    assert few <= 26, few  # pinned: session, person, shell, the person's scope (补位 lookups), counts, page, prefetch
    leader = login("fuqu3")
    assert _count_list_queries(leader, "/documents/") <= few + 4


# ---- compose and the live pre-check ------------------------------------------------------------

@pytest.mark.rules("R67.single_main", "R67.one_matter", "R68.urgent_reason", "R67.unit_powers", "R68.lead_time")
def test_the_precheck_shows_every_problem_at_once_with_its_article_and_writes_nothing(login):
    client = login("dfx")
    before = (Document.objects.count(), AuditEvent.objects.count())
    form = request_form(main_recipients="区人民政府\n区农业农村局", matters_count="2", urgency="特急",
                        within_unit_powers="1", decision_needed_by="2026-11-04")
    with CaptureQueriesContext(connection) as ctx:
        r = client.post("/documents/precheck/", form, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and writes(ctx.captured_queries) == []
    assert (Document.objects.count(), AuditEvent.objects.count()) == before
    page = html(r)
    found = findings(page)
    assert {"R67.single_main", "R67.one_matter", "R68.urgent_reason", "R67.unit_powers"} <= set(found)
    assert "R68.lead_time" not in found  # 特急 has no minimum lead time: the reason is asked instead
    single = found["R67.single_main"]
    assert "finding block" in single and "（《工作规则》第六十七条）" in single
    assert 'href="/rulebook/#a67"' in single and "第六十七条</a>" in single
    assert 'href="/rulebook/#a68"' in found["R68.urgent_reason"]
    assert 'href="#f-main_recipients"' in single  # points at the field to correct
    assert re.search(r"\d+处须纠正", page)
    assert "未知的主送机关“区农业农村局”" in page  # the drafting service's own check, shown at once too
    # 一般, decision asked in 2 working days: the lead time rule (art. 68) fires
    slow = findings(html(client.post("/documents/precheck/", request_form(decision_needed_by="2026-11-04"))))
    assert set(slow) == {"R68.lead_time"} and 'href="/rulebook/#a68"' in slow["R68.lead_time"]


@pytest.mark.rules("R67.single_main", "R89.classified_body", "R33.default_public")
def test_a_form_that_complies_is_said_to_and_a_classified_one_is_told_why(login):
    client = login("dfx")
    ok = html(client.post("/documents/precheck/", request_form()))
    assert findings(ok) == {} and "符合工作规则" in ok
    classified = findings(html(client.post("/documents/precheck/", request_form(classification="机密"))))
    assert "（《工作规则》第八十九条）" in classified["R89.classified_body"]
    private = findings(html(client.post("/documents/precheck/", request_form(public="0"))))
    assert "不公开须说明理由" in private["R33.default_public"]
    assert findings(html(client.post("/documents/precheck/", request_form(public="0", non_disclosure_reason="涉及个人隐私")))) == {}


def test_the_form_s_own_problems_are_listed_without_an_article(login):
    page = html(login("dfx").post("/documents/precheck/", request_form(title="", matters_count="两个",
                                                                         decision_needed_by="2026-13-40")))
    assert "标题不能为空" in page and "请示事项数须为正整数" in page and "须为有效日期" in page
    assert page.count("form-error") == 3


def test_the_compose_page_asks_plain_questions_and_checks_as_you_type(login):
    page = html(login("dfx").get("/documents/new/"))
    for question in ("是否属本部门事权？", "需区政府何时决策？", "是否涉及其他部门职权？", "主动公开"):
        assert question in page
    assert 'hx-post="/documents/precheck/"' in page and "delay:500ms" in page
    assert 'data-show-when="classification="' in page  # the body hides for a classified document
    assert "区农业农村局" in page  # the unit picker lists the other units
    assert "标题不能为空" in page  # the pre-check of the empty form, rendered with the page


def test_someone_without_a_unit_cannot_draft(login):
    assert login("fuqu3").get("/documents/new/").status_code == 403


def test_save_then_edit_then_submit(login):
    client = login("dfx")
    r = client.post("/documents/new/", {**request_form(note="联系人：杨午"), "op": "save"})
    doc = Document.objects.get(title="关于东风乡农田水利设施维修资金的请示")
    assert r.status_code == 302 and r["Location"] == f"/documents/{doc.pk}/"
    assert (doc.status, doc.note, doc.facts["decision_needed_by"], doc.facts["matters_count"]) == (
        "draft", "联系人：杨午", "2026-11-20", 1)
    assert doc.important and doc.collective_ref.startswith("东风乡党委会纪要")
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert "草稿已保存" in page and "签发报送" in page and f'/documents/{doc.pk}/edit/' in page

    edit = html(client.get(f"/documents/{doc.pk}/edit/"))
    assert "联系人：杨午" in edit and 'name="version" value="0"' in edit
    r = client.post(f"/documents/{doc.pk}/edit/", {**request_form(title="关于东风乡农田水利设施维修补助资金的请示"),
                                                   "version": "0", "op": "submit", "document": str(doc.pk)})
    assert r.status_code == 302
    doc.refresh_from_db()
    assert (doc.status, doc.title, doc.signer.username) == ("submitted", "关于东风乡农田水利设施维修补助资金的请示", "dfx")
    update = AuditEvent.objects.filter(action="documents.document.update", obj_id=str(doc.pk)).order_by("-seq")[0]
    assert update.before["title"] == "关于东风乡农田水利设施维修资金的请示"
    assert update.after["title"] == "关于东风乡农田水利设施维修补助资金的请示"
    assert "note" in update.before and update.after["note"] == ""  # cleared in the second form
    assert client.get(f"/documents/{doc.pk}/edit/").status_code == 409  # submitted: no longer editable


def test_an_edit_from_a_stale_form_is_refused_and_changes_nothing(login):
    client = login("jyj")
    doc = doc_titled(DRAFT)
    form = {**request_form(title="新标题的请示"), "version": str(doc.version), "op": "save"}
    assert client.post(f"/documents/{doc.pk}/edit/", form).status_code == 302
    r = client.post(f"/documents/{doc.pk}/edit/", {**form, "title": "另一个标题的请示"})  # the same, old version
    assert r.status_code == 409 and "已被他人修改" in html(r)
    doc.refresh_from_db()
    assert doc.title == "新标题的请示"


@pytest.mark.rules("R67.single_main", "R67.one_matter")
def test_a_refused_submission_re_renders_the_form_with_every_violation(login):
    client = login("dfx")
    before = AuditEvent.objects.filter(action="documents.document.submit").count()
    r = client.post("/documents/new/", {**request_form(main_recipients="区人民政府\n区政府", matters_count="3"),
                                        "op": "submit"})
    assert r.status_code == 400
    page = html(r)
    assert "已保存为草稿，但未能报送" in page and 'class="refusal notice' in page
    refusal = page.split('id="refusal"')[1].split("</div>")[0]
    assert "R67.single_main" in refusal and "R67.one_matter" in refusal and "第六十七条" in refusal
    doc = Document.objects.get(title="关于东风乡农田水利设施维修资金的请示")
    assert doc.status == "draft"  # saved, not submitted
    assert f'action="/documents/{doc.pk}/edit/"' in page  # the form now edits the saved draft
    assert AuditEvent.objects.filter(action="documents.document.submit").count() == before


def test_a_body_on_a_classified_document_is_refused_citing_article_89(login):
    r = login("dfx").post("/documents/new/", {**request_form(classification="秘密"), "op": "save"})
    assert r.status_code == 400 and "涉密" in html(r) and "第八十九条" in html(r)
    assert not Document.objects.filter(title="关于东风乡农田水利设施维修资金的请示").exists()
    r = login("dfx").post("/documents/new/", {**request_form(classification="秘密", body=""), "op": "save"})
    assert r.status_code == 302
    assert Document.objects.get(title="关于东风乡农田水利设施维修资金的请示").classification == "秘密"


# ---- the office's intake queue ---------------------------------------------------------------------

def test_the_intake_queue_is_the_office_s_and_lists_the_oldest_first_with_the_precheck(login):
    page = html(login("wenshu").get("/documents/intake/"))
    assert SUBMITTED in page and "待登记" in page and "登记" in page
    assert "符合规定" in page  # the submitted demo document complies
    for username in ("dfx", "fuqu3", "quzhang"):
        assert login(username).get("/documents/intake/").status_code == 403


def test_the_queue_counts_the_precheck_in_bulk(login):
    client = login("wenshu")
    with CaptureQueriesContext(connection) as one:
        client.get("/documents/intake/")
    for i in range(5):
        doc = services.document_draft(actor=p("xhjd"), unit=Unit.objects.get(short_name="新华街道"), direction="incoming",
                                      kind="请示", title=f"关于新华街道第{i}项工作的请示", main_recipients=["区人民政府"],
                                      body="……", on=DAY)
        intake.document_submit(actor=p("xhjd"), document_id=doc.pk, on=DAY)
    with CaptureQueriesContext(connection) as six:
        page = html(client.get("/documents/intake/"))
    assert page.count('class="q-row') == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_register_and_return_inline_from_the_queue(login):
    client = login("wenshu")
    doc = doc_titled(SUBMITTED)
    r = client.post(f"/documents/{doc.pk}/register/", {"from": "intake"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    row = html(r)
    doc.refresh_from_db()
    assert doc.status == "registered" and doc.intake_number in row and row.startswith(f'<tr id="q-{doc.pk}"')
    assert "已登记为" in row and "呈批" in row  # now it can be sent to the leaders, from the same row

    r = client.post(f"/documents/{doc.pk}/return/", {"from": "intake", "reasons": "  "}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "退回须写明理由" in html(r)
    doc.refresh_from_db()
    assert doc.status == "registered"

    r = client.post(f"/documents/{doc.pk}/return/", {"from": "intake", "reasons": "请补充选址论证材料（第六十七条）"},
                    HTTP_HX_REQUEST="true")
    doc.refresh_from_db()
    assert doc.status == "returned" and "q-gone" in html(r) and "已退回" in html(r)
    ev = AuditEvent.objects.filter(action="documents.document.return", obj_id=str(doc.pk)).get()
    assert ev.after["reasons"] == "请补充选址论证材料（第六十七条）"
    page = html(login("xhjd").get(f"/documents/{doc.pk}/"))
    assert "退回理由" in page and "请补充选址论证材料" in page


def test_without_htmx_the_queue_actions_redirect_back(login):
    client = login("wenshu")
    doc = doc_titled(SUBMITTED)
    r = client.post(f"/documents/{doc.pk}/register/", {"from": "intake"})
    assert r.status_code == 302 and r["Location"] == "/documents/intake/"
    r = client.post(f"/documents/{doc.pk}/route/", {"from": "intake", "major": "1"})
    doc.refresh_from_db()
    assert r.status_code == 302 and doc.status == "in_approval" and doc.approval.context["major"] is True
    assert doc.decision_needed_by is not None


def test_only_the_office_registers(login):
    doc = doc_titled(SUBMITTED)
    r = login("xhjd").post(f"/documents/{doc.pk}/register/")
    assert r.status_code == 403
    doc.refresh_from_db()
    assert doc.status == "submitted"


def test_office_actions_from_the_detail_page(login):
    client = login("wenshu")
    doc = doc_titled(SUBMITTED)
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert "收文登记" in page and "退回报送单位" in page
    client.post(f"/documents/{doc.pk}/register/")
    r = client.post(f"/documents/{doc.pk}/route/", {"parallel": "1"})  # 一般: not urgent, no 串并联
    assert r.status_code == 400 and "只有紧急公文可以串并联分送" in html(r)
    client.post(f"/documents/{doc.pk}/route/")
    doc.refresh_from_db()
    assert doc.status == "in_approval"
    unit = Unit.objects.get(short_name="教育局")  # its head is 沈辰 (jyj)
    r = client.post(f"/documents/{doc.pk}/prepare/", {"units": [str(unit.pk)], "note": "请先行准备选址"})
    assert r.status_code == 302
    assert "已通知1个单位先行准备" in html(client.get(r["Location"]))


def test_the_issued_document_downloads_as_docx_and_a_draft_does_not(login):
    client = login("wenshu")
    r = client.get(f"/documents/{doc_titled(ISSUED).pk}/docx/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert r.content[:2] == b"PK" and "filename*=UTF-8''" in r["Content-Disposition"]
    assert client.get(f"/documents/{doc_titled(DRAFT).pk}/docx/").status_code == 400


# ---- the leader's approval screen ---------------------------------------------------------------

def _png_with_a_stroke(width=160, height=60) -> bytes:
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for x in range(width):
            raw += bytes((20, 20, 20, 255)) if abs(x - 2 * y) <= 2 else bytes(4)

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))


def _data_url(data: bytes, mime="image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def leader_task(title=OVERDUE, step="leader_instruct") -> Task:
    return doc_titled(title).approval.tasks.get(status="open", step_id=step)


def test_the_approval_screen_shows_the_document_phrases_and_the_signing_pad(login):
    doc = doc_titled(OVERDUE)
    page = html(login("fuqu3").get(f"/documents/{doc.pk}/approve/"))
    assert OVERDUE in page and "逾期" in page and re.search(r"已逾期\d+个工作日", page)
    assert "拟请钱戊副区长阅示" in page  # the office's 拟办, shown before writing
    assert 'data-insert="同意，请按程序办理"' in page  # saved phrases as chips
    assert "data-sig-canvas" in page and 'name="signature"' in page
    assert 'value="instruct"' in page and 'value="agree"' in page and 'value="return"' in page
    detail = html(login("fuqu3").get(f"/documents/{doc.pk}/"))
    assert f'href="/documents/{doc.pk}/approve/"' in detail


@pytest.mark.rules("W68.instruction_notice")
def test_a_typed_instruction_completes_the_task(login):
    client = login("fuqu3")
    doc = doc_titled(OVERDUE)
    task = leader_task()
    r = client.post(f"/documents/{doc.pk}/approve/", {"op": "instruct", "opinion": "同意，请农业农村局指导实施",
                                                      "version": str(task.version), "signature": ""})
    assert r.status_code == 302 and r["Location"] == f"/documents/{doc.pk}/"
    task.refresh_from_db()
    assert (task.status, task.opinion, task.completed_by.username) == ("done", "同意，请农业农村局指导实施", "fuqu3")
    assert not Signature.objects.exists()
    page = html(client.get(r["Location"]))
    assert "已批示" in page and "同意，请农业农村局指导实施" in page
    assert client.get(f"/documents/{doc.pk}/approve/").status_code == 403  # nothing left for him


def test_agree_with_an_empty_box_records_agreed_and_a_saved_phrase_works_without_js(login):
    client = login("fuqu3")
    doc = doc_titled(OVERDUE)
    r = client.post(f"/documents/{doc.pk}/approve/", {"op": "agree", "opinion": "", "phrase": ""})
    assert r.status_code == 302
    assert leader_task_done(doc).opinion == "同意"


def leader_task_done(doc) -> Task:
    return doc.approval.tasks.get(step_id="leader_instruct")


def test_a_phrase_chosen_from_the_select_is_the_opinion_when_the_box_is_empty(login):
    doc = doc_titled(OVERDUE)
    login("fuqu3").post(f"/documents/{doc.pk}/approve/", {"op": "instruct", "opinion": "",
                                                          "phrase": "请办公室牵头研究后报我"})
    assert leader_task_done(doc).opinion == "请办公室牵头研究后报我"


def test_a_handwritten_instruction_is_kept_with_its_hash_and_shown_on_the_sheet(login):
    client = login("fuqu3")
    doc = doc_titled(OVERDUE)
    blob = _png_with_a_stroke()
    r = client.post(f"/documents/{doc.pk}/approve/", {"op": "instruct", "opinion": "",
                                                      "signature": _data_url(blob)})
    assert r.status_code == 302
    sig = Signature.objects.get()
    task = leader_task_done(doc)
    assert (task.status, sig.task_id, sig.person.username) == ("done", task.pk, "fuqu3")
    assert sig.sha256 == hashlib.sha256(blob).hexdigest() and task.opinion == "（手写批示，见签批）"
    ev = AuditEvent.objects.get(action="documents.signature.add")
    assert ev.after["sha256"] == sig.sha256 and ev.obj_id == str(doc.pk)
    complete = AuditEvent.objects.filter(action="workflow.task.complete").order_by("-seq")[0]
    assert complete.seq > ev.seq and complete.after["task"] == task.pk  # one transaction: signed, then done

    img = f"/documents/{doc.pk}/signatures/{sig.pk}.png"
    sheet = html(client.get(f"/documents/{doc.pk}/sheet/"))
    assert f'src="{img}"' in sheet and "钱戊" in sheet
    served = client.get(img)
    assert served.status_code == 200 and served["Content-Type"] == "image/png" and served.content == blob
    assert served["X-Content-Type-Options"] == "nosniff"
    assert login("fuqu2").get(img).status_code == 403  # not her portfolio


@pytest.mark.parametrize("value,words", [
    (_data_url(b"GIF89a" + b"\x00" * 64), "不是 PNG"),
    (_data_url(b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg"), "须为 PNG"),
    ("not a data url", "须为 PNG"),
])
def test_a_signature_that_is_not_a_png_is_refused_naming_the_field_and_nothing_changes(login, value, words):
    client = login("fuqu3")
    doc = doc_titled(OVERDUE)
    task = leader_task()
    events = AuditEvent.objects.count()
    r = client.post(f"/documents/{doc.pk}/approve/", {"op": "instruct", "opinion": "同意", "signature": value})
    assert r.status_code == 400
    page = html(r)
    assert words in page and 'class="sigpad invalid" data-sigpad hidden id="f-signature"' in page
    task.refresh_from_db()
    assert task.status == "open" and not Signature.objects.exists() and AuditEvent.objects.count() == events


def test_a_blank_signature_is_refused_and_the_instruction_is_not_recorded(login):
    client = login("fuqu3")
    doc = doc_titled(OVERDUE)
    width, height = 80, 30
    raw = b"".join(b"\x00" + bytes(width * 4) for _ in range(height))
    blank = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
             + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b""))
    r = client.post(f"/documents/{doc.pk}/approve/", {"op": "instruct", "opinion": "同意", "signature": _data_url(blank)})
    assert r.status_code == 400 and "空白" in html(r) and "sigpad invalid" in html(r)
    assert leader_task().status == "open" and not Signature.objects.exists()
    assert "同意" in html(r).split('id="id_opinion"')[1].split("</textarea>")[0]  # the typed text is kept


def _chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def test_a_return_needs_a_reason_and_sends_the_document_back(login):
    client = login("fuqu3")
    doc = doc_titled(OVERDUE)
    r = client.post(f"/documents/{doc.pk}/approve/", {"op": "return", "opinion": ""})
    assert r.status_code == 400 and "退回须写明理由" in html(r)
    r = client.post(f"/documents/{doc.pk}/approve/", {"op": "return", "opinion": "请补充资金测算"})
    assert r.status_code == 302
    doc.refresh_from_db()
    assert doc.status == "returned"
    assert "请补充资金测算" in html(login("dfx").get(f"/documents/{doc.pk}/"))


# ---- the 公文处理单 and the journey ------------------------------------------------------------------

def test_the_sheet_lists_the_instructions_in_rank_order_not_time_order(login):
    doc = doc_titled(URGENT)
    tasks = {t.assignee.username: t for t in doc.approval.tasks.filter(status="open", kind="step")}
    assert set(tasks) == {"changwu", "quzhang"}
    # the 常务副区长 (rank 2) writes first, the 区长 (rank 1) second
    wf.task_complete(actor=p("changwu"), task_id=tasks["changwu"].pk, opinion="同意，由财政局先行垫付", on=DAY)
    wf.task_complete(actor=p("quzhang"), task_id=tasks["quzhang"].pk, opinion="同意，尽快下达", on=DAY)
    page = html(login("wenshu").get(f"/documents/{doc.pk}/sheet/"))
    section = page.split("领导批示")[1].split("办理结果")[0]
    assert section.index("同意，尽快下达") < section.index("同意，由财政局先行垫付")
    assert section.index("张甲") < section.index("李乙")
    assert "收文处理单" in page and doc.intake_number in page and "财政局" in page
    assert "情况紧急，拟请李乙常务副区长、张甲区长同时阅示" in page.split("拟办意见")[1].split("领导批示")[0]
    assert "@media print" in open(_static("documents/documents.css"), encoding="utf-8").read()


def _static(path):
    from django.contrib.staticfiles import finders

    return finders.find(path)


def test_the_sheet_of_an_issued_document_shows_its_review_and_signature(login):
    page = html(login("wenshu").get(f"/documents/{doc_titled(ISSUED).pk}/sheet/"))
    assert "发文稿纸" in page and "白洮政发〔2026〕1号" in page
    sign = page.split("签发</th>")[1].split("</tr>")[0]
    assert "张甲" in sign


@pytest.mark.rules("doc.intake")
def test_the_journey_shows_each_step_against_its_limit(login):
    doc = doc_titled(OVERDUE)
    page = html(login("wenshu").get(f"/documents/{doc.pk}/timeline/"))
    assert "办理进程与时限" in page and "第六十八条" in page
    assert "规定14个工作日" in page  # approval.leader_sign_days for 一般
    assert re.search(r"超期\d+个工作日", page) and "g-row" in page and "is-late" in page
    assert "按区政府领导分工呈批" in page and "钱戊" in page
    # a fresh document routed today is within its limits
    fresh = services.document_draft(actor=p("dfx"), unit=Unit.objects.get(short_name="东风乡"), direction="incoming",
                                    kind="请示", title="关于东风乡新项目的请示", main_recipients=["区人民政府"], body="……",
                                    on=DAY)
    intake.document_submit(actor=p("dfx"), document_id=fresh.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=fresh.pk, on=DAY)
    intake.document_route(actor=p("wenshu"), document_id=fresh.pk, on=DAY)
    page = html(login("wenshu").get(f"/documents/{fresh.pk}/timeline/"))
    assert "is-late" not in page and "用时0 / 14个工作日" in page
    assert "已用0个工作日，时限14个工作日" in page


# ---- access denied by default (IDOR) --------------------------------------------------------------

def test_another_deputy_cannot_open_a_document_outside_her_portfolio(login):
    doc = doc_titled(OVERDUE)  # 东风乡: 钱戊's 分工, not 赵丁's
    client = login("fuqu2")
    for suffix in ("", "approve/", "sheet/", "timeline/", "docx/", "edit/"):
        assert client.get(f"/documents/{doc.pk}/{suffix}").status_code == 403, suffix
    task = leader_task()
    r = client.post(f"/documents/{doc.pk}/approve/", {"op": "instruct", "opinion": "同意"})
    assert r.status_code == 403
    task.refresh_from_db()
    assert task.status == "open"
    assert OVERDUE not in html(client.get("/documents/"))
    assert client.get("/documents/999999/").status_code == 404


def test_a_unit_sees_only_its_own_documents_and_cannot_act_on_others(login):
    other = doc_titled(SUBMITTED)  # 新华街道's
    client = login("jyj")
    assert client.get(f"/documents/{other.pk}/").status_code == 403
    assert client.post(f"/documents/{other.pk}/submit/").status_code == 403
    assert client.post(f"/documents/{other.pk}/register/").status_code == 403
    own = doc_titled(DRAFT)
    assert client.get(f"/documents/{own.pk}/").status_code == 200
    assert login("dfx").get(f"/documents/{own.pk}/edit/").status_code == 403


def test_the_precheck_of_someone_else_s_document_is_refused(login):
    own = doc_titled(DRAFT)
    r = login("dfx").post("/documents/precheck/", {**request_form(), "document": str(own.pk)})
    assert r.status_code == 403


# ---- one document ----------------------------------------------------------------------------------

def test_the_detail_page_shows_elements_opinions_attachments_and_history(login):
    doc = doc_titled(OVERDUE)
    page = html(login("wenshu").get(f"/documents/{doc.pk}/"))
    for text in ("公文格式要素", "主送机关", "区人民政府", "拟请钱戊副区长阅示", "公文处理单", "办理进程与时限",
                 "留痕记录", "收文登记", doc.intake_number, "通知落实单位先行准备"):
        assert text in page, text
    assert f'action="/documents/{doc.pk}/attachments/"' in page


def _detail_queries(client, doc) -> int:
    client.get(f"/documents/{doc.pk}/")  # warm: the shell's header comes from the cache after a first page
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/documents/{doc.pk}/").status_code == 200
    return len(ctx.captured_queries)


def test_the_detail_page_takes_the_same_number_of_queries_whatever_its_history(login, settings, tmp_path):
    from zhengwu.documents import attachments

    settings.VAR_DIR = tmp_path
    client = login("dfx")
    doc = doc_titled(OVERDUE)
    before = _detail_queries(client, doc)
    for i in range(4):
        attachments.attachment_add(actor=p("dfx"), document_id=doc.pk, name=f"附件{i}.txt",
                                   data=f"说明材料{i}".encode())
    assert _detail_queries(client, doc) == before
    assert before <= 50, before


# ---- 发文: compose, pre-check of art. 70 and 25, send for signing ----------------------------------

def notice_form(**overrides) -> dict:
    form = {"direction": "outgoing", "kind": "通知", "issuing_as": "office", "title": "关于做好冬季安全生产工作的通知",
            "main_recipients": "区政府各部门", "urgency": "一般", "body": "一、……\n二、……", "public": "1",
            "in_annual_plan": "1", "is_normative": "0"}
    form.update(overrides)
    return form


@pytest.mark.rules("R70.annual_plan", "R70.no_reprint", "R25.legality_review")
def test_an_outgoing_draft_is_prechecked_for_art_70_and_a_normative_one_for_art_25(login):
    from zhengwu.documents import plans

    client = login("wenshu")
    from zhengwu.documents.models import DocumentPlan

    office_plan = DocumentPlan.objects.get(unit__short_name="区政府办", year=rules.today().year)  # the demo's
    item = plans.plan_item_add(actor=Person.objects.get(username="wenshu"), plan_id=office_plan.pk,
                               title="关于做好冬季安全生产工作的通知", kind="通知", quarter=4, reason="年度安全生产工作安排")
    ok = html(client.post("/documents/precheck/", notice_form(plan_item=str(item.pk))))
    assert findings(ok) == {}
    # not linked to a plan item: unplanned, whatever the old yes/no said (the link alone decides)
    plan = findings(html(client.post("/documents/precheck/", notice_form(in_annual_plan="1",
                                                                          republishes_higher_level_published="1"))))
    assert "finding warn" in plan["R70.annual_plan"] and "第七十条" in plan["R70.annual_plan"]  # 原则上: amber
    assert "finding block" in plan["R70.no_reprint"]  # red
    normative = findings(html(client.post("/documents/precheck/", notice_form(issuing_as="government",
                                                                               is_normative="1"))))
    assert "finding block" in normative["R25.legality_review"] and 'href="/rulebook/#a25"' in normative[
        "R25.legality_review"]


@pytest.mark.rules("doc.issue_office")
def test_the_office_drafts_a_notice_and_sends_it_for_signature(login):
    client = login("wenshu")
    r = client.post("/documents/new/", {**notice_form(), "op": "save"})
    doc = Document.objects.get(title="关于做好冬季安全生产工作的通知")
    assert r.status_code == 302 and (doc.direction, doc.issuing_as, doc.plan_item_id) == ("outgoing", "office", None)
    assert "in_annual_plan" not in doc.facts  # derived from the plan link, no longer typed
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert "送核稿、签发" in page and "分管领导报请区长签发" in page
    r = client.post(f"/documents/{doc.pk}/sign/")
    assert r.status_code == 302
    doc.refresh_from_db()
    assert doc.status == "in_approval" and doc.approval.route_id == "doc.issue_office"
    assert "已送核稿签发" in html(client.get(r["Location"]))


# ---- the update service ----------------------------------------------------------------------------

@pytest.mark.rules("R89.classified_body")
def test_document_update_validates_as_drafting_does_and_records_only_what_changed(gov, settings, tmp_path):
    from zhengwu.documents import attachments, compose
    from zhengwu.errors import Refused

    settings.VAR_DIR = tmp_path
    doc = doc_titled(DRAFT)
    with pytest.raises(Refused) as e:
        compose.document_update(actor=p("jyj"), document_id=doc.pk, title=" ")
    assert e.value.field == "title"
    with pytest.raises(Refused) as e:
        compose.document_update(actor=p("jyj"), document_id=doc.pk, main_recipients=["区教育局"])
    assert e.value.field == "main_recipients" and "未知的主送机关" in e.value.message
    with pytest.raises(Refused) as e:
        compose.document_update(actor=p("dfx"), document_id=doc.pk, title="别人的请示")
    assert e.value.status == 403
    attachments.attachment_add(actor=p("jyj"), document_id=doc.pk, name="测算表.txt", data="测算".encode())
    with pytest.raises(Refused) as e:  # marking it 秘密 would leave a body and a file on this system
        compose.document_update(actor=p("jyj"), document_id=doc.pk, classification="秘密", body="")
    assert e.value.field == "attachments" and "第八十九条" in e.value.violations[0].message
    events = AuditEvent.objects.filter(action="documents.document.update").count()
    same = compose.document_update(actor=p("jyj"), document_id=doc.pk, title=doc.title)
    assert same.version == doc.version and AuditEvent.objects.filter(action="documents.document.update").count() == events
    changed = compose.document_update(actor=p("jyj"), document_id=doc.pk, version=doc.version, urgency="加急",
                                      urgency_reason="开学前须完工")
    assert (changed.urgency, changed.version) == ("加急", doc.version + 1)
    ev = AuditEvent.objects.filter(action="documents.document.update").order_by("-seq")[0]
    assert ev.before == {"urgency": "一般", "urgency_reason": ""} and ev.after == {"urgency": "加急",
                                                                                  "urgency_reason": "开学前须完工"}
    with pytest.raises(Refused) as e:
        compose.document_update(actor=p("jyj"), document_id=doc.pk, version=doc.version, urgency="一般")
    assert e.value.status == 409


def test_submit_is_offered_disabled_with_the_services_reason_and_article_when_it_cannot_succeed(login):
    """Guide rather than refuse: 报送 shown disabled with the reason and article of the service's dry
    run (intake.submit_refusal, the checks document_submit itself runs); enabled when it complies."""
    client = login("dfx")
    client.post("/documents/new/", {**request_form(), "op": "save"})
    doc = Document.objects.get(title="关于东风乡农田水利设施维修资金的请示")
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert f'action="/documents/{doc.pk}/submit/"' in page and 'disabled id="submit-doc"' not in page
    Document.objects.filter(pk=doc.pk).update(facts={**doc.facts, "matters_count": 2})  # 一文一事 breached
    doc.refresh_from_db()
    refusal = intake.submit_refusal(actor=p("dfx"), doc=doc)
    first = next(v for v in refusal.violations if v.blocks)
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert 'disabled id="submit-doc"' in page and f'action="/documents/{doc.pk}/submit/"' not in page
    assert first.message in page and first.article and f'href="/rulebook/#a{first.article}"' in page
    r = client.post(f"/documents/{doc.pk}/submit/")  # posted anyway: the same reason, nothing changed
    assert r.status_code == refusal.status and first.message in html(r)
    assert Document.objects.get(pk=doc.pk).status == "draft"
