"""/api/v1/bodies, /emergencies, /submissions: what one may not see is 404 (IDOR), the wrong person is
refused through the API as through the services (and through /api/v1/tasks for the setup's steps),
refusals cite their article, bad input names the field."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.affairs.bodies.models import CoordinationBody
from zhengwu.api.services import api_token_create
from zhengwu.org.models import Person
from zhengwu.workflow.models import Task

from test_bodies_services import DAY, BASIS, register, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def gov(org_demo):
    return org_demo


def bearer(username):
    _token, key = api_token_create(actor=None, person=Person.objects.get(username=username), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, username, path, data=None):
    return client.post(f"/api/v1{path}", data or {}, content_type="application/json", **bearer(username))


def get(client, username, path):
    return client.get(f"/api/v1{path}", **bearer(username))


def body_in(**kw):
    return {"name": "区教育督导委员会", "purpose": "统筹协调全区教育督导工作",
            "head_id": Person.objects.get(username="fuqu2").pk, **BASIS, **kw}


@pytest.mark.rules("R72.basis", "coordination_body.setup")
def test_a_setup_through_the_api_refused_without_basis_then_approved_through_the_tasks_api(gov, client):
    r = post(client, "jyj", "/bodies", body_in(basis_kind="", basis_document=""))
    assert r.status_code == 400
    assert r.json()["violations"][0]["article"] == 72 and r.json()["field"] == "basis_kind"
    r = post(client, "jyj", "/bodies", body_in())
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert post(client, "czj", f"/bodies/{pk}/submit").status_code == 404  # not theirs, not seen
    r = post(client, "jyj", f"/bodies/{pk}/submit")
    assert r.status_code == 200 and r.json()["status"] == "pending"
    approval = r.json()["approval_id"]
    review = Task.objects.get(approval_id=approval, status=Task.Status.OPEN)
    assert post(client, "jyj", f"/tasks/{review.pk}/complete", {"opinion": "自己审"}).status_code in (403, 404)
    assert post(client, "bgs-zhuren", f"/tasks/{review.pk}/complete", {"opinion": "依据充分"}).status_code == 200
    leader = Task.objects.get(approval_id=approval, status=Task.Status.OPEN)
    r = post(client, "fuqu1", f"/tasks/{leader.pk}/complete", {"opinion": "同意", "decision": "同意"})
    assert r.status_code in (403, 404)  # not the 分管副区长 of the 教育局
    assert CoordinationBody.objects.get(pk=pk).status == "pending"


def test_idor_a_unit_sees_only_its_own_bodies_reports_and_submissions(gov, client):
    mine = post(client, "jyj", "/bodies", body_in()).json()["id"]
    report = post(client, "xhjd", "/emergencies", {
        "event_kind": "fire", "level": "major", "title": "火情", "content": "底商起火",
        "occurred_at": (dt.datetime.now() - dt.timedelta(hours=2)).isoformat(timespec="minutes"),
        "phoned_at": (dt.datetime.now() - dt.timedelta(hours=1)).isoformat(timespec="minutes")})
    assert report.status_code == 201, report.content
    report = report.json()
    assert report["late"] and report["findings"][0]["article"] == 75
    sub = post(client, "fgj", "/submissions", {"body": "party_committee", "kind": "request", "title": "请示",
                                               "content": "事项"}).json()["id"]
    for username, path, seen in [("czj", f"/bodies/{mine}", False), ("jyj", f"/bodies/{mine}", True),
                                 ("quzhang", f"/bodies/{mine}", True),
                                 ("dfx", f"/emergencies/{report['id']}", False),
                                 ("bgs-fuzhuren", f"/emergencies/{report['id']}", True),
                                 ("jyj", f"/submissions/{sub}", False), ("fgj", f"/submissions/{sub}", True)]:
        assert get(client, username, path).status_code == (200 if seen else 404), (username, path)
    assert get(client, "czj", "/bodies").json()["count"] == 0
    assert get(client, "dfx", "/emergencies").json()["count"] == 0
    assert get(client, "jyj", "/submissions").json()["count"] == 0
    assert get(client, "bgs-fuzhuren", "/emergencies?late=true").json()["count"] == 1
    # the wrong person writes: 404 for what one does not see, 403 for what one sees but may not do
    assert post(client, "dfx", f"/emergencies/{report['id']}/updates", {"kind": "followup", "content": "x"}).status_code == 404
    assert post(client, "bgs-fuzhuren", f"/emergencies/{report['id']}/updates",
                {"kind": "followup", "content": "x"}).status_code == 403
    assert post(client, "fgj", f"/submissions/{sub}/response", {"response": "同意"}).status_code == 403


@pytest.mark.rules("R6.request", "R74.annual_goals")
def test_a_department_submitting_to_the_party_committee_through_the_api_is_refused(gov, client):
    sub = post(client, "fgj", "/submissions", {"body": "party_committee", "kind": "request", "title": "请示",
                                               "content": "事项"}).json()["id"]
    r = post(client, "fgj", f"/submissions/{sub}/submit")
    assert r.status_code == 400 and r.json()["violations"][0]["article"] == 6
    assert post(client, "bgs-fuzhuren", f"/submissions/{sub}/submit").json()["status"] == "submitted"
    body = register()
    r = get(client, "bgs-fuzhuren", f"/bodies/{body.pk}")
    assert [f["article"] for f in r.json()["findings"]] == [74]
    r = post(client, "bgs-fuzhuren", f"/bodies/{body.pk}/goals", {"year": 2026, "goals": "目标"})
    assert r.status_code == 201
    assert post(client, "bgs-fuzhuren", f"/bodies/{body.pk}/goals", {"year": 2026, "goals": "目标"}).status_code == 409


def test_bad_input_names_the_field(gov, client):
    r = post(client, "xhjd", "/emergencies", {"event_kind": "fire", "level": "major", "title": "火情", "content": "x",
                                              "occurred_at": "昨天"})
    assert r.status_code == 422
    r = post(client, "jyj", "/bodies", {**body_in(), "extra": 1})
    assert r.status_code == 422
    assert get(client, "jyj", "/bodies/0").status_code == 422
    assert client.get("/api/v1/bodies").status_code == 401


@pytest.mark.rules("R73.change")
def test_the_office_records_adjusts_and_abolishes_a_body_through_the_api(gov, client):
    people = {u: Person.objects.get(username=u).pk for u in ("fuqu3", "fuqu1", "czj", "dfx")}
    r = post(client, "bgs-fuzhuren", "/bodies/register", {
        "name": "区防汛抗旱指挥部", "purpose": "组织、协调、指导全区防汛抗旱工作", "basis_kind": "law",
        "basis_document": "《中华人民共和国防洪法》第三十九条", "established_on": "2022-05-10",
        "establish_document": "白洮政办发〔2022〕11号", "office_unit_id": unit("农业农村局").pk,
        "head_id": people["fuqu3"], "member_ids": [people["czj"], people["dfx"]]})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert {m["person"]["id"] for m in r.json()["members"]} == {people["fuqu3"], people["czj"], people["dfx"]}
    assert post(client, "fgj", "/bodies/register", {**r.json(), "name": "x"}).status_code == 422  # unknown keys
    r = post(client, "czj", f"/bodies/{pk}/changes", {"summary": "分工调整", "document_ref": "X",
                                                     "head_id": people["fuqu1"]})
    assert r.status_code == 403  # a member, not the body's office nor the 区政府办公室
    r = post(client, "bgs-fuzhuren", f"/bodies/{pk}/changes", {"summary": "分工调整", "document_ref": "",
                                                              "head_id": people["fuqu1"]})
    assert r.status_code == 400 and r.json()["violations"][0]["article"] == 73
    r = post(client, "bgs-fuzhuren", f"/bodies/{pk}/changes", {"summary": "分工调整", "document_ref": "白洮政办函〔2026〕30号",
                                                              "head_id": people["fuqu1"]})
    assert r.status_code == 201 and r.json()["filed_on"] == DAY.isoformat()
    assert get(client, "bgs-fuzhuren", f"/bodies/{pk}").json()["head"]["id"] == people["fuqu1"]
    assert post(client, "fuqu1", f"/bodies/{pk}/abolish", {"reason": "完成", "document_ref": "X"}).status_code == 403
    r = post(client, "bgs-fuzhuren", f"/bodies/{pk}/abolish", {"reason": "阶段性任务已完成", "document_ref": "白洮政办发〔2026〕40号"})
    assert r.status_code == 200 and r.json()["status"] == "abolished" and r.json()["members"] == []
