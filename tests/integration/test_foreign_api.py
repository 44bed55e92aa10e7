"""/api/v1/invitations, /visits, /gifts, /research, /speeches (arts. 79-81, 93, 96): create, read and
act through the API, the approval steps through /api/v1/tasks (the same guards), with IDOR tests
(someone who may not see a record gets 403, an unknown one 404) and the rules refused citing their
articles."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.affairs.foreign.models import Gift, Invitation, ResearchPlan, Speech, Visit
from zhengwu.api.services import api_token_create
from zhengwu.org.models import Person, Unit
from zhengwu.workcalendar.selectors import work_calendar
from zhengwu.workflow.models import Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday
_keys: dict[str, str] = {}


@pytest.fixture
def gov(org_demo, monkeypatch):
    _keys.clear()
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return org_demo


def p(username):
    return Person.objects.get(username=username)


def bearer(username):
    if username not in _keys:
        _token, _keys[username] = api_token_create(actor=None, person=p(username), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {_keys[username]}"}


def get(client, username, path):
    return client.get(f"/api/v1{path}", **bearer(username))


def post(client, username, path, data=None):
    return client.post(f"/api/v1{path}", data or {}, content_type="application/json", **bearer(username))


def refused(r, status, article):
    assert r.status_code == status, r.content.decode()
    body = r.json()
    assert {v["article"] for v in body["violations"]} == {article}, body
    return body


def task_of(obj_type, obj_id, step):
    return Task.objects.get(approval__obj_type=obj_type, approval__obj_id=str(obj_id), step_id=step,
                            status=Task.Status.OPEN)


def invitation(days):
    return {"unit_id": Unit.objects.get(short_name="财政局").pk, "leader_id": p("quzhang").pk,
            "title": "日本友好城市代表团来访", "foreign_party": "日本某市代表团",
            "event_on": work_calendar().add_workdays(DAY, days).isoformat(), "text": "请区长出席会见。"}


@pytest.mark.rules("R79.lead_time", "foreign_affairs.invitation")
def test_invitations_through_the_api_5_working_days_refused_7_filed_and_only_theirs_see_it(gov, client):
    refused(post(client, "czj", "/invitations", invitation(5)), 400, 79)
    r = post(client, "czj", "/invitations", invitation(7))
    assert r.status_code == 201, r.content.decode()
    inv = r.json()
    assert inv["working_days_ahead"] == 7 and inv["status"] == "filing"
    task = task_of("foreign.invitation", inv["id"], "office_file")
    r = post(client, "bgs-zhuren", f"/tasks/{task.pk}/complete", {"opinion": "已备案"})
    assert r.status_code == 200, r.content.decode()
    assert get(client, "quzhang", f"/invitations/{inv['id']}").json()["status"] == "filed"
    assert get(client, "jyj", f"/invitations/{inv['id']}").status_code == 403  # another department
    assert get(client, "jyj", "/invitations").json()["count"] == 0
    assert get(client, "czj", "/invitations/999999").status_code == 404
    assert post(client, "jyj", "/invitations", invitation(7)).status_code == 403  # not its department
    r = post(client, "czj", "/invitations", {**invitation(7), "surprise": 1})
    assert r.status_code in (400, 422)
    assert Invitation.objects.count() == 1


VISIT = {"purpose": "考察友好城市财政管理", "countries": ["日本"], "departs_on": "2026-11-20", "returns_on": "2026-11-24",
         "group_size": 4}


@pytest.mark.rules("R80.chain", "R81.trip_limits", "visit.unit_head")
def test_a_visit_approved_only_by_the_leader_in_charge_is_refused_through_the_api_art_80(gov, client):
    refused(post(client, "czj", "/visits", {**VISIT, "group_size": 9}), 400, 81)
    r = post(client, "czj", "/visits", VISIT)
    assert r.status_code == 201, r.content.decode()
    visit = r.json()
    assert visit["route_id"] == "visit.unit_head" and [s["step"] for s in visit["chain"]] == ["分管副区长同意", "区长审批"]
    agree = task_of("foreign.visit", visit["id"], "leader_agree")
    assert post(client, "changwu", f"/tasks/{agree.pk}/complete", {"decision": "同意"}).status_code == 200
    refused(post(client, "czj", f"/visits/{visit['id']}/leave"), 400, 80)
    head = task_of("foreign.visit", visit["id"], "head_approve")
    refused(post(client, "changwu", f"/tasks/{head.pk}/complete", {"decision": "批准"}), 403, 80)  # the wrong person
    assert get(client, "jyj", f"/visits/{visit['id']}").status_code == 403
    assert post(client, "jyj", f"/visits/{visit['id']}/leave").status_code == 403
    assert post(client, "quzhang", f"/tasks/{head.pk}/complete", {"decision": "批准"}).status_code == 200
    r = post(client, "czj", f"/visits/{visit['id']}/leave")
    assert r.status_code == 200 and r.json()["status"] == "left"
    assert Visit.objects.get().status == Visit.Status.LEFT


@pytest.mark.rules("R81.gift_handover")
def test_the_gift_register_through_the_api(gov, client):
    r = post(client, "czj", "/gifts", {"description": "青瓷花瓶", "giver": "日本某市代表团", "value": 600,
                                       "received_on": "2026-09-20"})
    assert r.status_code == 201, r.content.decode()
    gift = r.json()
    assert gift["due_on"] == "2026-10-20" and [v["article"] for v in gift["findings"]] == [81]
    assert get(client, "jyj", f"/gifts/{gift['id']}").status_code == 403
    assert post(client, "czj", f"/gifts/{gift['id']}/hand-over", {}).status_code == 403  # not the custodian
    r = post(client, "bgs-zhuren", f"/gifts/{gift['id']}/hand-over", {"handed_on": "2026-10-30"})
    assert r.status_code == 200 and r.json()["status"] == "handed"
    assert Gift.objects.get().handed_on == dt.date(2026, 10, 30)


@pytest.mark.rules("R93.key_topics", "R93.grassroots")
def test_research_plans_through_the_api(gov, client):
    refused(post(client, "fuqu1", "/research", {"year": 2026, "topics": ["a", "b", "c"], "planned_days": 30}), 400, 93)
    r = post(client, "fuqu1", "/research", {"year": 2026, "topics": ["城市更新"], "planned_days": 30})
    assert r.status_code == 201, r.content.decode()
    plan = r.json()
    r = post(client, "fuqu1", f"/research/{plan['id']}/trips", {"starts_on": "2026-05-06", "ends_on": "2026-05-15",
                                                              "place": "新华街道", "topic": "城市更新"})
    assert r.status_code == 201 and r.json()["grassroots_days"] == 10
    assert get(client, "czj", f"/research/{plan['id']}").status_code == 403  # not a leader, not his
    assert post(client, "fuqu2", f"/research/{plan['id']}/trips", {"starts_on": "2026-05-06", "ends_on": "2026-05-06",
                                                                 "place": "x"}).status_code == 403
    assert post(client, "fuqu2", f"/research/{plan['id']}/reports", {"topic": "城市更新", "title": "x",
                                                                   "text": "y"}).status_code == 403
    assert ResearchPlan.objects.get().trips.count() == 1


@pytest.mark.rules("R96.no_inscriptions", "R96.prior_approval", "speech.leader")
def test_speeches_through_the_api_inscriptions_refused_delivery_after_approval(gov, client):
    data = {"kind": "inscription", "title": "为某协会成立题词", "occasion": "某协会成立大会", "text": "……"}
    refused(post(client, "quzhang", "/speeches", data), 400, 96)
    r = post(client, "quzhang", "/speeches", {**data, "kind": "speech", "title": "在招商推介会上的讲话"})
    assert r.status_code == 201, r.content.decode()
    speech = r.json()
    refused(post(client, "quzhang", f"/speeches/{speech['id']}/deliver"), 400, 96)
    assert get(client, "czj", f"/speeches/{speech['id']}").status_code == 403
    city = task_of("foreign.speech", speech["id"], "city_approve")
    assert post(client, "quzhang", f"/tasks/{city.pk}/complete", {"decision": "批准"}).status_code == 403
    assert post(client, "bgs-zhuren", f"/tasks/{city.pk}/complete",
                {"decision": "批准", "opinion": "市政府办公室通知同意"}).status_code == 200
    r = post(client, "quzhang", f"/speeches/{speech['id']}/deliver")
    assert r.status_code == 200 and r.json()["status"] == "delivered"
    assert Speech.objects.get().status == Speech.Status.DELIVERED
