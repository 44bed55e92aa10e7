"""/api/v1/requests and /api/v1/opinion: the office sees every request, the unit it concerns only
its own and without the applicant's contact, nobody else (IDOR: 403 / 404); writes by the office
only; the extension agreed through /api/v1/tasks by the office director only; refusals name the
field and cite the article."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.disclosure.requests import services
from zhengwu.org.models import Person, Unit
from zhengwu.workflow.models import Task

from test_info_requests_services import MONDAY, new_event, new_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: MONDAY)


@pytest.fixture
def gov(org_demo):
    return org_demo


def bearer(username):
    _token, key = api_token_create(actor=None, person=Person.objects.get(username=username), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, username, path, data):
    return client.post(f"/api/v1{path}", data, content_type="application/json", **bearer(username))


def test_who_sees_a_request_idor(client, gov):
    mine = new_request()  # concerns 财政局
    other = new_request(unit_id=Unit.objects.get(short_name="教育局").pk)
    for username, expected in [("bgs-fuzhuren", {mine.pk, other.pk}), ("czj", {mine.pk}), ("jyj", {other.pk}),
                               ("quzhang", set()), ("xhjd", set())]:
        r = client.get("/api/v1/requests", **bearer(username))
        assert r.status_code == 200, r.content
        assert {x["id"] for x in r.json()["items"]} == expected, username
    assert client.get(f"/api/v1/requests/{other.pk}", **bearer("czj")).status_code == 403
    assert client.get(f"/api/v1/requests/{mine.pk}", **bearer("quzhang")).status_code == 403
    assert client.get("/api/v1/requests/999999", **bearer("czj")).status_code == 404
    seen = client.get(f"/api/v1/requests/{mine.pk}", **bearer("czj")).json()
    assert seen["applicant_contact"] is None  # the applicant's contact: the office only
    assert client.get(f"/api/v1/requests/{mine.pk}", **bearer("wenshu")).json()["applicant_contact"] == "13900000000"
    # the unit concerned cannot act on it, another unit cannot even see it
    assert post(client, "czj", f"/requests/{mine.pk}/answer", {"answer_type": "disclosed", "text": "x"}).status_code == 403
    assert post(client, "jyj", f"/requests/{mine.pk}/answer", {"answer_type": "disclosed", "text": "x"}).status_code == 403


def test_the_office_registers_and_answers_and_refusals_cite_the_article(client, gov):
    r = post(client, "wenshu", "/requests", {"applicant": "王某", "channel": "online", "content": "2026年财政预算",
                                               "received_on": "2026-09-14", "submitted_on": "2026-09-15"})
    assert r.status_code == 400 and r.json()["field"] in ("received_on", None)
    assert any(v["rule_id"] == "R33.receipt_date" and v["article"] == 33 for v in r.json()["violations"])
    r = post(client, "wenshu", "/requests", {"applicant": "王某", "channel": "online", "content": "2026年财政预算",
                                               "received_on": "2026-09-14", "submitted_on": "2026-09-13"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["due_on"] == "2026-10-16" and body["light"] == "green"
    assert post(client, "czj", "/requests", {"applicant": "王某", "channel": "online", "content": "x"}).status_code == 403
    r = post(client, "wenshu", f"/requests/{body['id']}/answer", {"answer_type": "refused", "text": "不予公开"})
    assert r.status_code == 400 and r.json()["violations"][0]["field"] == "basis"
    r = post(client, "wenshu", f"/requests/{body['id']}/answer",
             {"answer_type": "already_public", "text": "已在政府网站公开：财政预决算栏目"})
    assert r.status_code == 200 and r.json()["status"] == "answered"
    assert post(client, "wenshu", f"/requests/{body['id']}/answer",
                {"answer_type": "disclosed", "text": "再答"}).status_code == 409


@pytest.mark.rules("info_request.extension")
def test_the_extension_is_agreed_through_the_tasks_api_by_the_director_only(client, gov):
    item = new_request()
    r = post(client, "wenshu", f"/requests/{item.pk}/extension", {"reason": "需汇总多个单位材料"})
    assert r.status_code == 200 and r.json()["extension_pending"] and not r.json()["extended"]
    task = Task.objects.get(approval__obj_type="info_requests.request", approval__obj_id=str(item.pk), status="open")
    r = post(client, "wenshu", f"/tasks/{task.pk}/complete", {"decision": "同意"})
    assert r.status_code in (403, 404), r.content
    r = post(client, "bgs-zhuren", f"/tasks/{task.pk}/complete", {"decision": "同意", "opinion": "同意"})
    assert r.status_code == 200, r.content
    got = client.get(f"/api/v1/requests/{item.pk}", **bearer("wenshu")).json()
    assert got["extended"] and got["due_on"] == "2026-11-13"
    r = post(client, "wenshu", f"/requests/{item.pk}/extension", {"reason": "再延"})
    assert r.status_code == 400 and any(v["rule_id"] == "R33.one_extension" for v in r.json()["violations"])


def test_who_sees_an_opinion_event_idor(client, gov):
    now = services.clock_now()
    event = new_event(now - dt.timedelta(hours=1))  # 东风乡 leads, its 乡长 owns the response
    for username, sees in [("bgs-fuzhuren", True), ("quzhang", True), ("dfx", True), ("jyj", False), ("czj", False)]:
        r = client.get("/api/v1/opinion", **bearer(username))
        assert (event.pk in {x["id"] for x in r.json()["items"]}) == sees, username
        assert client.get(f"/api/v1/opinion/{event.pk}", **bearer(username)).status_code == (200 if sees else 403)
    assert client.get("/api/v1/opinion/999999", **bearer("dfx")).status_code == 404
    r = post(client, "jyj", f"/opinion/{event.pk}/responses", {"kind": "response", "channel": "网站", "text": "x"})
    assert r.status_code == 403
    assert post(client, "quzhang", f"/opinion/{event.pk}/responses",
                {"kind": "response", "channel": "网站", "text": "x"}).status_code == 403  # sees, does not respond
    r = post(client, "dfx", f"/opinion/{event.pk}/responses", {"kind": "response", "channel": "政府网站", "text": "已回应",
                                                          "responded_at": now.isoformat()})
    assert r.status_code == 200 and r.json()["status"] == "responded" and r.json()["responses"][0]["late"] is False
    r = post(client, "wenshu", "/opinion", {"title": "x", "summary": "y", "source": "online", "level": "huge",
                                             "lead_unit_id": Unit.objects.get(short_name="东风乡").pk,
                                             "owner_id": Person.objects.get(username="dfx").pk})
    assert r.status_code == 400 and r.json()["violations"][0]["article"] == 36
