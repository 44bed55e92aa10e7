"""/api/v1/documents: the document flows through the API (a town's 请示 from draft to the answer; a
normative document from 代拟 through signing to number, issue and .docx), permissions against
direct access by id (IDOR: a unit sees its own documents and those routed to it, a leader those of
their 分工, the office all), and every refusal in the one error shape with nothing changed."""

import datetime as dt
import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.documents import services
from zhengwu.documents.models import Attachment, Document
from zhengwu.org.models import Person, Unit
from zhengwu.workflow.models import Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday; the day every call is made

NORMATIVE_DONE = {"legality_review_by": "区司法局", "legality_reviewer_is_justice": True,
                  "public_participation": True, "risk_assessment": True,
                  "collective_decision_ref": "区政府常务会议纪要〔2026〕11号", "to_be_published": True,
                  "interpretation_material": True, "opinion_plan": True}


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # attachments are stored under VAR_DIR/attachments


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture(scope="module")
def demo_today():
    return DAY  # the module's data is loaded as of the day its tests run on (tests/conftest.py)


def p(username):
    return Person.objects.get(username=username)


def u(short_name):
    return Unit.objects.get(short_name=short_name)


_keys: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fresh_keys():
    _keys.clear()


def bearer(username):
    if username not in _keys:
        _token, _keys[username] = api_token_create(actor=None, person=p(username), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {_keys[username]}"}


def tokens(*usernames):
    """Make the tokens first: creating one is itself audited."""
    for username in usernames:
        bearer(username)


def get(client, username, path, **params):
    return client.get(f"/api/v1/documents{path}", params, **bearer(username))


def post(client, username, path, data=None):
    return client.post(f"/api/v1/documents{path}", data or {}, content_type="application/json", **bearer(username))


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def assert_error_shape(response, status, field="__any__"):
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"message", "violations", "field"}
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["violations"], list)
    if field != "__any__":
        assert body["field"] == field, body
    return body


TOWN_REQUEST = {"direction": "incoming", "kind": "请示", "title": "关于东风乡抗旱应急水源工程资金的请示",
                "main_recipients": ["区人民政府"], "urgency": "加急", "body": "东风乡今年旱情严重……特此请示。",
                "important": True, "collective_ref": "东风乡党委会纪要〔2026〕9号",
                "facts": {"decision_needed_by": "2026-11-10"}}


def town_request(**overrides):
    """A 东风乡 draft, made directly through the service (for the permission tests)."""
    fields = {k: v for k, v in TOWN_REQUEST.items() if k != "direction"}
    fields.update(overrides)
    return services.document_draft(actor=p("dfx"), unit=u("东风乡"), direction="incoming", on=DAY, **fields)


def complete(client, username, task_id, opinion="同意"):
    r = client.post(f"/api/v1/tasks/{task_id}/complete", {"opinion": opinion}, content_type="application/json",
                    **bearer(username))
    return ok(r)


# ---- the flows --------------------------------------------------------------------------------

@pytest.mark.rules("R67.signer", "R67.single_main", "R68.lead_time", "R89.classified_body", "W68.instruction_notice",
                   "doc.intake_urgent")
def test_a_towns_request_goes_from_draft_to_the_answer_through_the_api(client, gov):
    doc = ok(post(client, "dfx", "", TOWN_REQUEST), 201)
    assert (doc["status"], doc["unit"]["name"], doc["kind"]) == ("draft", "东风乡人民政府", "请示")  # the unit by default
    assert doc["facts"] == {"decision_needed_by": "2026-11-10"} and doc["created_by"]["username"] == "dfx"
    doc_id = doc["id"]

    # the pre-check: every rule with its article, and nothing changes
    before = (AuditEvent.objects.count(), Document.objects.get(pk=doc_id).version)
    check = ok(post(client, "dfx", f"/{doc_id}/precheck"))
    assert (check["ok"], check["stage"], check["document_id"]) == (True, "submission", doc_id)
    assert all(v["severity"] == "warn" for v in check["violations"])
    assert (AuditEvent.objects.count(), Document.objects.get(pk=doc_id).version) == before

    submitted = ok(post(client, "dfx", f"/{doc_id}/submit"))
    assert (submitted["status"], submitted["signer"]["username"], submitted["submitted_on"]) == (
        "submitted", "dfx", "2026-11-02")
    registered = ok(post(client, "wenshu", f"/{doc_id}/register"))
    assert (registered["status"], registered["intake_number"]) == ("registered", "白洮政收〔2026〕1号")

    routed = ok(post(client, "wenshu", f"/{doc_id}/route", {"major": True, "parallel": True}))
    # art. 68: 加急 — the government's approval within 7 working days of intake
    assert (routed["status"], routed["due_on"]) == ("in_approval", "2026-11-11")
    assert routed["approval"]["route_id"] == "doc.intake_urgent"
    [review] = routed["approval"]["open_steps"]
    assert review["assignee"]["username"] == "bgs-zhuren"
    complete(client, "bgs-zhuren", review["task_id"], "拟请钱戊副区长、张甲区长阅示")

    steps = {s["assignee"]["username"]: s["task_id"] for s in ok(get(client, "wenshu", f"/{doc_id}"))["approval"]["open_steps"]}
    assert set(steps) == {"fuqu3", "quzhang"}  # 东风乡 is in 钱戊's 分工; a major matter goes on to the 区长
    complete(client, "fuqu3", steps["fuqu3"], "同意，请农业农村局指导实施")  # the 副区长 writes first
    complete(client, "quzhang", steps["quzhang"], "同意，财政局统筹解决资金")
    [collect] = ok(get(client, "wenshu", f"/{doc_id}"))["approval"]["open_steps"]
    complete(client, "bgs-zhuren", collect["task_id"], "已汇总")

    answered = ok(get(client, "dfx", f"/{doc_id}"))  # the unit reads the answer
    assert (answered["status"], answered["answered_on"]) == ("answered", "2026-11-02")
    # the 批示 in the order of rank (区长 before 副区长), not of time, each addressable by its task
    assert [(i["by"]["username"], i["opinion"]) for i in answered["instructions"]] == [
        ("quzhang", "同意，财政局统筹解决资金"), ("fuqu3", "同意，请农业农村局指导实施")]
    assert [i["task_id"] for i in answered["instructions"]] == [steps["quzhang"], steps["fuqu3"]]
    assert answered["instructions"][0]["position"] == "区长"
    assert answered["answer"].splitlines()[0].startswith("张甲")
    actions = [e["action"] for e in answered["history"]]
    assert actions[:4] == ["documents.document.draft", "documents.document.submit", "documents.document.register",
                           "documents.document.route"] and actions[-1] == "documents.document.answer"
    assert answered["docx_url"] is None  # an incoming document has no 发文字号


@pytest.mark.rules("R25.legality_review", "R69.government_issue", "doc.issue_government", "W25.filing",
                   "W25.post_evaluation")
def test_a_normative_document_goes_from_drafting_on_behalf_to_the_docx_through_the_api(client, gov):
    draft = {"direction": "outgoing", "kind": "通知", "issuing_as": "government", "title": "洮北区行政执法公示办法",
             "is_normative": True, "main_recipients": ["各乡镇人民政府、各街道办事处，区政府各部门"],
             "body": "第一条 为规范行政执法公示……\n第二条 本办法自印发之日起施行。",
             "facts": {"normative": {**NORMATIVE_DONE, "legality_review_by": "", "legality_reviewer_is_justice": False},
                       "in_annual_plan": True}}
    missing = ok(post(client, "sfj", "", draft), 201)  # 代拟 by the 司法局, without the legality review
    check = ok(post(client, "sfj", f"/{missing['id']}/precheck"))
    assert check["stage"] == "signing" and check["ok"] is False
    assert "R25.legality_review" in {v["rule_id"] for v in check["violations"]}
    refused = assert_error_shape(post(client, "sfj", f"/{missing['id']}/send-for-signing"), 400)
    [legality] = [v for v in refused["violations"] if v["rule_id"] == "R25.legality_review"]
    assert legality["article"] == 25 and legality["message"].endswith("（《工作规则》第二十五条）")
    assert ok(get(client, "sfj", f"/{missing['id']}"))["status"] == "draft"

    doc = ok(post(client, "sfj", "", {**draft, "facts": {"normative": NORMATIVE_DONE, "in_annual_plan": True}}), 201)
    doc_id = doc["id"]
    assert doc["unit"]["name"] == "区司法局" and doc["facts"]["normative"]["legality_review_by"] == "区司法局"
    assert_error_shape(get(client, "czj", f"/{doc_id}"), 403)  # not yet routed to the 财政局
    sent = ok(post(client, "sfj", f"/{doc_id}/send-for-signing", {"countersign_unit_ids": [u("财政局").pk]}))
    assert (sent["status"], sent["approval"]["route_id"]) == ("in_approval", "doc.issue_government")

    order = []
    while True:
        current = ok(get(client, "wenshu", f"/{doc_id}"))
        if current["status"] != "in_approval":
            break
        [step] = current["approval"]["open_steps"]
        who = step["assignee"]["username"]
        order.append((step["action"], who))
        if who == "czj":  # routed to the 财政局 for 会签: now its head sees it, by id and in the list
            assert ok(get(client, "czj", f"/{doc_id}"))["id"] == doc_id
            assert doc_id in [d["id"] for d in ok(get(client, "czj", ""))["items"]]
        complete(client, who, step["task_id"])
    # art. 69: 办公室副主任, 主任, 会签, 分管领导 (孙己 has the 司法局), then the 区长 signs
    assert order == [("审核", "bgs-fuzhuren"), ("审核", "bgs-zhuren"), ("会签", "czj"), ("审核", "fuqu4"),
                     ("签发", "quzhang")]
    assert (current["status"], current["signer"]["username"], current["signed_on"]) == ("signed", "quzhang",
                                                                                       "2026-11-02")
    assert_error_shape(get(client, "wenshu", f"/{doc_id}/docx"), 400, "doc_number")  # not numbered yet
    assert_error_shape(post(client, "sfj", f"/{doc_id}/number"), 403)  # only the office numbers

    numbered = ok(post(client, "wenshu", f"/{doc_id}/number"))
    assert numbered["doc_number"] == "白洮政发〔2026〕1号"
    assert_error_shape(post(client, "wenshu", f"/{doc_id}/number"), 409)  # a number is given once
    issued = ok(post(client, "wenshu", f"/{doc_id}/issue"))
    assert (issued["status"], issued["docx_url"]) == ("issued", f"/api/v1/documents/{doc_id}/docx")
    # after issuing: filing with the 区人大常委会 and the evaluation, as tasks (art. 25)
    assert [(f["action"], f["assignee"]["username"], f["due_on"]) for f in issued["followups"]] == [
        ("备案", "bgs-zhuren", "2026-12-02"), ("评估", "sfj", issued["followups"][1]["due_on"])]

    r = get(client, "sfj", f"/{doc_id}/docx")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = r["Content-Disposition"]
    assert disposition.startswith("attachment;") and f'filename="document-{doc_id}.docx"' in disposition
    utf8_name = unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1))
    assert utf8_name == "白洮政发〔2026〕1号洮北区行政执法公示办法.docx"
    xml = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode()
    assert "白洮政发〔2026〕1号" in xml and "洮北区行政执法公示办法" in xml and "仿宋_GB2312" in xml
    assert get(client, "fuqu4", f"/{doc_id}/docx").status_code == 200  # the 分管领导 of the 司法局
    assert_error_shape(get(client, "fuqu2", f"/{doc_id}/docx"), 403)  # not in 赵丁's 分工
    assert_error_shape(get(client, "jyj", f"/{doc_id}/docx"), 403)


# ---- permissions (IDOR) -------------------------------------------------------------------------

def test_who_sees_a_towns_document_by_id_and_in_the_list(client, gov):
    doc = town_request()
    other = services.document_draft(actor=p("jyj"), unit=u("教育局"), direction="incoming", kind="请示",
                                    title="关于新建第三小学的请示", main_recipients=["区人民政府"], on=DAY)
    for username in ("dfx", "fuqu3", "wenshu", "bgs-zhuren", "quzhang"):  # its unit, its 分管领导, the office, the 区长
        assert ok(get(client, username, f"/{doc.pk}"))["title"] == doc.title, username
        assert doc.pk in [d["id"] for d in ok(get(client, username, ""))["items"]], username
    for username in ("fuqu2", "jyj", "sfj"):  # a 副区长 not in charge of 东风乡; other units
        body = assert_error_shape(get(client, username, f"/{doc.pk}"), 403)
        assert body["message"] == "无权查看该公文" and doc.title not in body["message"]
        assert doc.pk not in [d["id"] for d in ok(get(client, username, ""))["items"]], username
        for path in ("/docx", "/attachments/1"):
            assert_error_shape(get(client, username, f"/{doc.pk}{path}"), 403)
        assert_error_shape(post(client, username, f"/{doc.pk}/precheck"), 403)
    # each sees exactly their own: the unit its document, the 副区长 of 教育 the 教育局's
    assert [d["id"] for d in ok(get(client, "dfx", ""))["items"]] == [doc.pk]
    assert [d["id"] for d in ok(get(client, "fuqu2", ""))["items"]] == [other.pk]
    assert {d["id"] for d in ok(get(client, "wenshu", ""))["items"]} == {doc.pk, other.pk}  # the office: all
    listed = ok(get(client, "wenshu", "", direction="incoming", q="东风乡 抗旱"))  # full text, every term
    assert (listed["count"], listed["items"][0]["id"]) == (1, doc.pk)
    assert ok(get(client, "fuqu2", "", q="东风乡"))["count"] == 0  # search only what one may see
    assert ok(get(client, "fuqu3", "", q="东风乡 抗旱"))["count"] == 1
    assert ok(get(client, "wenshu", "", status="submitted"))["count"] == 0
    assert ok(get(client, "wenshu", "", direction="outgoing"))["count"] == 0


def test_an_unknown_document_is_a_404_and_a_bad_id_a_422(client, gov):
    missing = Document.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for path in ("", "/docx", "/attachments/1"):
        body = assert_error_shape(get(client, "wenshu", f"/{missing + 1000}{path}"), 404, "document_id")
        assert str(missing + 1000) in body["message"]
    assert_error_shape(post(client, "dfx", f"/{missing + 1000}/submit"), 404)
    assert_error_shape(get(client, "wenshu", "/abc"), 422, "document_id")
    assert_error_shape(get(client, "wenshu", "/0"), 422, "document_id")
    assert client.get(f"/api/v1/documents/{missing + 1000}").status_code == 401  # no token


def test_submitting_someone_elses_document_is_refused_and_changes_nothing(client, gov):
    doc = town_request()
    tokens("jyj", "fuqu3", "dfx")
    before = (AuditEvent.objects.count(), doc.version)
    assert_error_shape(post(client, "jyj", f"/{doc.pk}/submit"), 403)  # another unit: cannot even see it
    body = assert_error_shape(post(client, "fuqu3", f"/{doc.pk}/submit"), 403)  # sees it, but is not its unit
    assert "拟稿单位" in body["message"]
    assert_error_shape(post(client, "dfx", f"/{doc.pk}/register"), 403)  # only the office registers
    assert_error_shape(post(client, "dfx", f"/{doc.pk}/route"), 403)
    doc.refresh_from_db()
    assert (doc.status, doc.signer_id, doc.submitted_on) == ("draft", None, None)
    assert (AuditEvent.objects.count(), doc.version) == before


def test_a_draft_is_made_only_in_the_name_of_ones_own_unit(client, gov):
    count = Document.objects.count()
    body = assert_error_shape(post(client, "jyj", "", {**TOWN_REQUEST, "unit_id": u("东风乡").pk}), 403, "unit_id")
    assert "东风乡" in body["message"]
    assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "unit_id": 10 ** 9}), 400, "unit_id")
    assert_error_shape(post(client, "fuqu3", "", TOWN_REQUEST), 400, "unit_id")  # a 副区长 holds no unit post
    assert Document.objects.count() == count
    mine = ok(post(client, "dfx", "", {**TOWN_REQUEST, "unit_id": u("东风乡").pk}), 201)
    assert mine["unit"]["id"] == u("东风乡").pk


# ---- bad input: a clear error naming the field, nothing written -----------------------------

@pytest.mark.rules("R89.classified_body")
def test_a_classified_body_is_refused_citing_article_89(client, gov):
    tokens("dfx")
    count, events = Document.objects.count(), AuditEvent.objects.count()
    body = assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "classification": "机密"}), 400, "body")
    [v] = [v for v in body["violations"] if v["rule_id"] == "R89.classified_body"]
    assert v["article"] == 89 and v["severity"] == "block" and "涉密" in body["message"]
    assert v["message"].endswith("（《工作规则》第八十九条）")
    assert (Document.objects.count(), AuditEvent.objects.count()) == (count, events)
    meta = ok(post(client, "dfx", "", {**TOWN_REQUEST, "classification": "机密", "body": ""}), 201)
    assert (meta["classification"], meta["body"]) == ("机密", "")  # metadata only


def test_a_missing_or_bad_field_is_named_and_nothing_is_written(client, gov):
    count = Document.objects.count()
    no_title = {k: v for k, v in TOWN_REQUEST.items() if k != "title"}
    body = assert_error_shape(post(client, "dfx", "", no_title), 422, "title")
    assert body["message"] == "title: 必填"
    assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "title": "  "}), 400, "title")
    body = assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "kind": "便函"}), 400, "kind")
    assert "便函" in body["message"]
    assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "urgency": "十万火急"}), 422, "urgency")
    assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "title": "x" * 201}), 422, "title")
    # a control character is refused before the schema is read (zhengwu.web.input_guard): 400
    assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "body": "正文\x00"}), 400, "body")
    body = assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "facts": {"matter_count": 2}}), 422, "facts")
    assert "matter_count" in body["message"]  # a misspelt fact is named, not ignored
    assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "facts": {"matters_count": "two"}}), 422,
                       "facts.matters_count")
    assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "facts": {"decision_needed_by": "11月10日"}}), 422,
                       "facts.decision_needed_by")
    assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "facts": {"cc": [["某村", "below"]]}}), 422,
                       "facts.cc[0][1]")
    assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "public": False}), 400, "non_disclosure_reason")
    body = assert_error_shape(post(client, "dfx", "", {**TOWN_REQUEST, "main_recipients": ["张甲区长"]}), 400,
                              "main_recipients")  # an unknown recipient; to a leader personally (art. 67)
    assert "张甲区长" in body["message"] and "第六十七条" in body["message"]
    r = client.post("/api/v1/documents", "{not json", content_type="application/json", **bearer("dfx"))
    assert_error_shape(r, 400)
    assert Document.objects.count() == count


@pytest.mark.rules("R67.single_main", "R67.via_office", "R68.urgent_reason")
def test_a_submission_that_breaks_the_rules_is_refused_with_every_article_and_nothing_changes(client, gov):
    doc = ok(post(client, "dfx", "", {**TOWN_REQUEST, "main_recipients": ["区人民政府", "区政府"],
                                      "urgency": "特急",
                                      "facts": {"decision_needed_by": "2026-11-03",
                                                "addressed_to_leader_personally": True}}), 201)
    before = AuditEvent.objects.count()
    check = ok(post(client, "dfx", f"/{doc['id']}/precheck"))
    body = assert_error_shape(post(client, "dfx", f"/{doc['id']}/submit"), 400)
    found = {v["rule_id"]: v for v in body["violations"]}
    assert {"R67.single_main", "R67.via_office", "R68.urgent_reason"} <= set(found)
    assert {v["rule_id"] for v in check["violations"]} == set(found) and check["ok"] is False
    assert (found["R67.single_main"]["article"], found["R68.urgent_reason"]["article"]) == (67, 68)
    assert found["R67.single_main"]["message"].endswith("（《工作规则》第六十七条）")
    assert ok(get(client, "dfx", f"/{doc['id']}"))["status"] == "draft" and AuditEvent.objects.count() == before


def test_the_office_returns_with_reasons_and_the_unit_reads_them(client, gov):
    doc = town_request()
    ok(post(client, "dfx", f"/{doc.pk}/submit"))
    assert_error_shape(post(client, "wenshu", f"/{doc.pk}/return", {}), 422, "reasons")
    assert_error_shape(post(client, "wenshu", f"/{doc.pk}/return", {"reasons": "  "}), 400, "reasons")
    assert_error_shape(post(client, "dfx", f"/{doc.pk}/return", {"reasons": "自己退回"}), 403)
    returned = ok(post(client, "wenshu", f"/{doc.pk}/return", {"reasons": "请补充资金测算依据"}))
    assert returned["status"] == "returned"
    seen = ok(get(client, "dfx", f"/{doc.pk}"))
    assert (seen["status"], seen["return_reasons"]) == ("returned", "请补充资金测算依据")
    assert ok(post(client, "dfx", f"/{doc.pk}/submit"))["return_reasons"] == ""  # submitted again
    assert_error_shape(post(client, "dfx", f"/{doc.pk}/submit"), 409)  # not twice


def test_routing_needs_registration_and_parallel_needs_urgency(client, gov):
    doc = town_request(urgency="一般", facts={"decision_needed_by": "2026-11-20"})
    ok(post(client, "dfx", f"/{doc.pk}/submit"))
    assert_error_shape(post(client, "wenshu", f"/{doc.pk}/route"), 409, "document_id")
    ok(post(client, "wenshu", f"/{doc.pk}/register"))
    assert_error_shape(post(client, "wenshu", f"/{doc.pk}/route", {"parallel": True}), 400, "parallel")
    routed = ok(post(client, "wenshu", f"/{doc.pk}/route"))
    assert routed["approval"]["route_id"] == "doc.intake"
    body = assert_error_shape(post(client, "wenshu", f"/{doc.pk}/notify-prepare", {"unit_ids": [10 ** 9]}), 400)
    assert body["field"] == "unit_ids[0]"
    assert_error_shape(post(client, "dfx", f"/{doc.pk}/notify-prepare", {"unit_ids": [u("农业农村局").pk]}), 403)
    sent = ok(post(client, "wenshu", f"/{doc.pk}/notify-prepare", {"unit_ids": [u("财政局").pk]}))
    assert sent == {"sent": 1}


def test_send_for_signing_names_an_unknown_countersigning_unit(client, gov):
    doc = ok(post(client, "wenshu", "", {"direction": "outgoing", "kind": "通知", "issuing_as": "office",
                                         "title": "关于做好元旦春节期间值班工作的通知", "main_recipients": ["区政府各部门"],
                                         "body": "……", "facts": {"in_annual_plan": True}}), 201)
    tokens("jyj")
    before = AuditEvent.objects.count()
    assert_error_shape(post(client, "wenshu", f"/{doc['id']}/send-for-signing", {"countersign_unit_ids": [10 ** 9]}),
                       400, "countersign_unit_ids[0]")
    assert_error_shape(post(client, "jyj", f"/{doc['id']}/send-for-signing", {"countersign_unit_ids": [10 ** 9]}),
                       403)  # no permission comes before the unknown unit
    assert AuditEvent.objects.count() == before
    sent = ok(post(client, "wenshu", f"/{doc['id']}/send-for-signing"))
    assert sent["approval"]["route_id"] == "doc.issue_office"


# ---- attachments ------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(client, username, doc_id, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/api/v1/documents/{doc_id}/attachments", {"file": SimpleUploadedFile(name, data)},
                       **bearer(username))


def test_attachments_through_the_api_are_checked_and_served_only_to_those_who_see_the_document(client, gov):
    doc = town_request()
    att = ok(upload(client, "dfx", doc.pk, "资金测算表.pdf", PDF), 201)
    assert (att["name"], att["size"], att["content_type"]) == ("资金测算表.pdf", len(PDF), "application/pdf")
    assert AuditEvent.objects.filter(action="documents.attachment.add", after__sha256=att["sha256"]).exists()
    listed = ok(get(client, "fuqu3", f"/{doc.pk}"))["attachments"]
    assert [(a["id"], a["url"]) for a in listed] == [(att["id"], f"/api/v1/documents/{doc.pk}/attachments/{att['id']}")]

    r = get(client, "fuqu3", f"/{doc.pk}/attachments/{att['id']}")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf" and r["X-Attachment-SHA256"] == att["sha256"]
    assert "filename*=UTF-8''%E8%B5%84" in r["Content-Disposition"]
    assert_error_shape(get(client, "fuqu2", f"/{doc.pk}/attachments/{att['id']}"), 403)
    other = town_request(title="关于东风乡修缮村部的请示")
    assert_error_shape(get(client, "dfx", f"/{other.pk}/attachments/{att['id']}"), 404, "attachment_id")

    count = Attachment.objects.count()
    body = assert_error_shape(upload(client, "dfx", doc.pk, "伪装.pdf", b"MZ\x90\x00" + b"\x00" * 100), 400, "file")
    assert "扩展名" in body["message"] or "内容" in body["message"]
    assert_error_shape(upload(client, "jyj", doc.pk, "a.pdf", PDF), 403)
    assert Attachment.objects.count() == count


# ---- cost -------------------------------------------------------------------------------------

def test_the_list_costs_the_same_number_of_queries_for_one_document_as_for_ten(client, gov,
                                                                             django_assert_num_queries):
    for username in ("fuqu3", "wenshu"):
        headers = bearer(username)
        town_request(title=f"关于东风乡事项的请示{username}0")
        client.get("/api/v1/documents", **headers)  # warm up: the token's last_used stamp
        with CaptureQueriesContext(connection) as one:
            r = client.get("/api/v1/documents", **headers)
        n = r.json()["count"]
        for i in range(1, 10):
            town_request(title=f"关于东风乡事项的请示{username}{i}")
        with django_assert_num_queries(len(one.captured_queries)):
            r = client.get("/api/v1/documents", **headers)
        assert r.json()["count"] == n + 9 and len(r.json()["items"]) == min(n + 9, 20)


# ---- the schema -------------------------------------------------------------------------------

DOCUMENT_OPERATIONS = {
    ("get", "/api/v1/documents"), ("post", "/api/v1/documents"), ("get", "/api/v1/documents/{document_id}"),
    ("post", "/api/v1/documents/paper"),  # a paper 来文 with the day it arrived and its scan
    *(("post", f"/api/v1/documents/{{document_id}}/{action}")
      for action in ("precheck", "submit", "register", "return", "route", "notify-prepare", "send-for-signing",
                     "number", "issue", "archive", "attachments")),
    ("get", "/api/v1/documents/{document_id}/docx"), ("get", "/api/v1/documents/{document_id}/attachments/{attachment_id}"),
    # annual document plans (art. 70)
    ("get", "/api/v1/documents/plans"), ("post", "/api/v1/documents/plans"), ("get", "/api/v1/documents/plans/counts"),
    ("get", "/api/v1/documents/plans/{plan_id}"), ("post", "/api/v1/documents/plans/{plan_id}/items"),
    ("patch", "/api/v1/documents/plans/{plan_id}/items/{item_id}"),
    ("post", "/api/v1/documents/plans/{plan_id}/items/{item_id}/withdraw"),
    ("put", "/api/v1/documents/{document_id}/plan-item"),
    # a department's own (normative) documents (art. 25)
    ("post", "/api/v1/documents/{document_id}/request-approval"), ("post", "/api/v1/documents/{document_id}/sign-as-unit"),
    ("post", "/api/v1/documents/{document_id}/countersign-request"),
    # the disclosure record (art. 33)
    ("post", "/api/v1/documents/{document_id}/disclosure"),
}


def test_the_documents_endpoints_are_in_the_openapi_schema(client, gov):
    schema = client.get("/api/v1/openapi.json", **bearer("wenshu")).json()  # token holders only
    ops = {(method, path): op for path, methods in schema["paths"].items() if path.startswith("/api/v1/documents")
           for method, op in methods.items()}
    assert set(ops) == DOCUMENT_OPERATIONS
    for (method, path), op in ops.items():
        assert op["tags"] == ["documents"] and op["summary"], (method, path)
        assert {"200", "201"} & set(op["responses"]), (method, path)
        for code in ("401", "422"):
            assert op["responses"][code]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    docx = ops[("get", "/api/v1/documents/{document_id}/docx")]["responses"]["200"]["content"]
    assert docx == {"application/vnd.openxmlformats-officedocument.wordprocessingml.document":
                    {"schema": {"type": "string", "format": "binary"}}}
    create = ops[("post", "/api/v1/documents")]
    assert create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/DocumentOut")
    body = schema["components"]["schemas"]["DocumentIn"]
    assert set(body["required"]) == {"direction", "kind", "title"}
    facts = schema["components"]["schemas"]["DocumentFactsIn"]
    assert facts["additionalProperties"] is False and {"decision_needed_by", "normative", "in_annual_plan"} <= set(
        facts["properties"])
