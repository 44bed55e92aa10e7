"""The API of art. 33 disclosure records and art. 89 reports: POST /documents/{id}/disclosure,
/unit-reports, and the precheck topics documents.briefing / documents.unit_report."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.documents.models import UnitReport
from zhengwu.org.models import Person

from test_documents_disclosure_reports import issued_office_notice

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture
def gov(org_demo):
    return org_demo


@pytest.fixture(scope="module")
def demo_today():
    return DAY


def bearer(username):
    _token, key = api_token_create(actor=None, person=Person.objects.get(username=username), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, headers, path, data):
    return client.post(f"/api/v1{path}", data, content_type="application/json", **headers)


@pytest.mark.rules("R89.report_before_briefing")
@pytest.mark.parametrize("facts,ok,field", [
    ({"briefing_body": "congress", "reported_to_government_first": True, "government_decided": True}, True, None),
    ({"briefing_body": "party_committee", "government_decided": True}, False, "reported_to_government_first"),
    ({"briefing_body": "cppcc", "reported_to_government_first": True}, False, "leaders_consulted"),
])
def test_the_briefing_precheck_blocks_a_department_that_did_not_report_first_or_consult(client, gov, facts, ok,
                                                                                         field):
    r = post(client, bearer("jyj"), "/precheck", {"topic": "documents.briefing", "date": "2026-11-02", "facts": facts})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["ok"] is ok
    assert [(v["rule_id"], v["article"], v["field"]) for v in body["violations"]] == (
        [] if ok else [("R89.report_before_briefing", 89, field)])


def test_the_precheck_lists_the_article_89_topics(client, gov):
    r = client.get("/api/v1/precheck/topics", **bearer("jyj"))
    topics = {t["topic"]: t for t in r.json()}
    assert {f["name"] for f in topics["documents.briefing"]["fields"]} == {
        "briefing_body", "reported_to_government_first", "government_decided", "leaders_consulted"}
    assert [x["rule_id"] for x in topics["documents.unit_report"]["rules"]] == ["R89.report_kind", "R89.report_timely"]


def test_the_disclosure_endpoint_records_once_and_refuses_a_channel_not_in_the_book(client, gov):
    doc = issued_office_notice()
    office = bearer("wenshu")
    r = post(client, office, f"/documents/{doc.pk}/disclosure", {"channel": "blog", "disclosed_on": "2026-11-02"})
    assert r.status_code == 400 and r.json()["violations"][0]["article"] == 33
    r = post(client, office, f"/documents/{doc.pk}/disclosure", {"channel": "gazette", "disclosed_on": "2026-11-02"})
    assert r.status_code == 200, r.content
    assert (r.json()["disclosure_channel"], r.json()["disclosed_on"]) == ("gazette", "2026-11-02")
    r = post(client, office, f"/documents/{doc.pk}/disclosure", {"channel": "website", "disclosed_on": "2026-11-02"})
    assert r.status_code == 409


def test_a_unit_records_a_report_and_its_late_reporting_carries_the_warning(client, gov):
    jyj = bearer("jyj")
    r = post(client, jyj, "/unit-reports", {"kind": "assigned_matter", "subject": "区人大常委会交办的议案办理",
                                            "occurred_on": "2026-10-01"})
    assert r.status_code == 201, r.content
    report = r.json()
    assert report["unit"] and report["kind_label"].startswith("接到区委") and report["reported_on"] is None
    assert [(v["rule_id"], v["severity"]) for v in report["findings"]] == [("R89.report_timely", "warn")]  # owed
    r = post(client, jyj, f"/unit-reports/{report['id']}/reported", {"reported_on": "2026-11-02"})
    assert r.status_code == 200, r.content
    assert r.json()["reported_on"] == "2026-11-02" and r.json()["findings"][0]["rule_id"] == "R89.report_timely"
    r = post(client, bearer("czj"), f"/unit-reports/{report['id']}/reported", {"reported_on": "2026-11-02"})
    assert r.status_code == 403  # only the unit records its report
    r = post(client, jyj, "/unit-reports", {"kind": "rumour", "subject": "x", "occurred_on": "2026-10-01"})
    assert r.status_code == 400 and r.json()["violations"][0]["field"] == "kind"
    assert UnitReport.objects.count() == 1
    assert [x["id"] for x in client.get("/api/v1/unit-reports", **jyj).json()] == [report["id"]]
    assert client.get("/api/v1/unit-reports", **bearer("czj")).json() == []
