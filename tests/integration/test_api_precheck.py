"""/api/v1/precheck (预审): facts in, violations with their articles out; nothing changes. A
malformed body is refused with 400 in the one error shape, naming the field."""

import pytest

from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.org import services as org_services

pytestmark = pytest.mark.django_db

DAY = "2026-09-28"
HEAD_HOLDING_FINANCE = {"holder": "张甲", "position": "district_head", "domains": ["finance"]}


@pytest.fixture
def headers():
    person = org_services.person_create(actor=None, government=None, username="clerk", full_name="郑壬")
    _token, key = api_token_create(actor=None, person=person, name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def precheck(client, headers, body):
    return client.post("/api/v1/precheck", body, content_type="application/json", **headers)


@pytest.mark.rules("R29.five_not", "R14.portfolio_holder")
def test_a_district_head_holding_finance_breaches_article_29(client, headers):
    before = AuditEvent.objects.count()
    r = precheck(client, headers, {"topic": "org.portfolio", "date": DAY, "facts": HEAD_HOLDING_FINANCE})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["ok"] is False and body["topic"] == "org.portfolio" and body["date"] == DAY
    [v] = body["violations"]
    assert (v["rule_id"], v["article"], v["severity"], v["field"]) == ("R29.five_not", 29, "block", "domains")
    assert "财务" in v["message"] and v["message"].endswith("（《工作规则》第二十九条）")
    assert AuditEvent.objects.count() == before  # a precheck changes nothing


@pytest.mark.rules("R29.five_not", "R14.portfolio_holder")
def test_an_executive_deputy_holding_finance_complies(client, headers):
    r = precheck(client, headers, {"topic": "org.portfolio", "date": DAY,
                                   "facts": {"holder": "李乙", "position": "executive_deputy", "domains": ["finance"],
                                             "units": [["区财政局", ["finance"]]]}})
    assert r.status_code == 200, r.content
    assert r.json() == {"ok": True, "topic": "org.portfolio", "date": DAY, "violations": []}


@pytest.mark.rules("R15.substitute")
def test_a_warning_alone_leaves_the_precheck_ok(client, headers):
    r = precheck(client, headers, {"topic": "org.absence", "date": DAY,
                                   "facts": {"person": "王丙", "position": "deputy_head"}})
    body = r.json()
    assert body["ok"] is True
    [v] = body["violations"]
    assert (v["rule_id"], v["article"], v["severity"]) == ("R15.substitute", 15, "warn")


def test_the_date_defaults_to_today(client, headers, monkeypatch):
    import datetime as dt

    from zhengwu import rules

    monkeypatch.setattr(rules, "today", lambda: dt.date(2026, 3, 2))
    r = precheck(client, headers, {"topic": "org.unit", "facts": {"name": "区统计局", "kind": "component_dept"}})
    assert r.status_code == 200 and r.json()["date"] == "2026-03-02" and r.json()["ok"] is True


@pytest.mark.parametrize("body, field, words", [
    ({"facts": HEAD_HOLDING_FINANCE}, "topic", "必填"),
    ({"topic": "  ", "facts": {}}, "topic", "必填"),
    ({"topic": "org.nothing", "facts": {}}, "topic", "org.nothing"),
    ({"topic": "org.term", "facts": {"start": "2022-13-01", "end": "2027-01-10"}}, "facts.start", "日期"),
    ({"topic": "org.term", "facts": {"start": 20220110, "end": "2027-01-10"}}, "facts.start", "日期"),
    ({"topic": "org.term", "facts": {"end": "2027-01-10"}}, "facts.start", "必填"),
    ({"topic": "org.portfolio", "facts": {**HEAD_HOLDING_FINANCE, "salary": 1}}, "facts.salary", "未知字段"),
    ({"topic": "org.portfolio", "facts": {**HEAD_HOLDING_FINANCE, "domains": "finance"}}, "facts.domains", "列表"),
    ({"topic": "org.portfolio", "date": "28/09/2026", "facts": HEAD_HOLDING_FINANCE}, "date", "YYYY-MM-DD"),
    ({"topic": "org.portfolio", "date": "2026-02-30", "facts": HEAD_HOLDING_FINANCE}, "date", "不存在"),
])
def test_a_malformed_body_is_400_naming_the_field_and_changes_nothing(client, headers, body, field, words):
    before = AuditEvent.objects.count()
    r = precheck(client, headers, body)
    assert r.status_code == 400, r.content
    out = r.json()
    assert set(out) == {"message", "violations", "field"} and out["violations"] == []
    assert out["field"] == field and words in out["message"]
    assert AuditEvent.objects.count() == before


def test_a_body_of_the_wrong_type_is_422_in_the_same_shape(client, headers):
    r = precheck(client, headers, {"topic": "org.unit", "facts": ["not", "an", "object"]})
    assert r.status_code == 422 and r.json()["field"] == "facts" and r.json()["violations"] == []


def test_the_topics_list_names_their_fact_fields_and_rules(client, headers):
    r = client.get("/api/v1/precheck/topics", **headers)
    assert r.status_code == 200
    topics = {t["topic"]: t for t in r.json()}
    assert {"org.portfolio", "org.term", "org.absence", "org.unit"} <= set(topics)
    fields = {f["name"]: f for f in topics["org.portfolio"]["fields"]}
    assert fields["holder"] == {"name": "holder", "type": "string", "required": True}
    assert fields["domains"] == {"name": "domains", "type": "list[string]", "required": False}
    assert fields["units"]["type"] == "list[[string, list[string]]]"
    assert {f["name"]: f["type"] for f in topics["org.term"]["fields"]}["start"] == "date"
    rules = {x["rule_id"]: x for x in topics["org.portfolio"]["rules"]}
    assert rules["R29.five_not"]["article"] == 29 and rules["R14.portfolio_holder"]["article"] == 14
