"""/api/v1/proposals: a unit sees only the items it leads or helps with (IDOR), the office and the
leaders all; the answer without a contact refused with article 39; wrong people refused; contacts
hidden from co-units; bad input names the field."""

import pytest

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.org.models import Person, Unit
from proposals_support import signed_letter
from zhengwu.proposals import services

from test_proposals_services import DAY, assigned, new_item, who

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


def post(client, username, path, data):
    return client.post(f"/api/v1/proposals{path}", data, content_type="application/json", **bearer(username))


@pytest.fixture
def items(gov):
    mine = assigned(number="1")  # 教育局 leads, 财政局 helps
    other = new_item(number="2")
    services.proposal_assign(actor=who("bgs-fuzhuren"), proposal_id=other.pk,
                             lead_unit_id=Unit.objects.get(short_name="发改局").pk, on=DAY)
    return mine, other


def test_a_unit_lists_and_reads_only_its_own_items(client, items):
    mine, other = items
    for username, expected in [("jyj", {mine.pk}), ("czj", {mine.pk}), ("fgj", {other.pk}), ("xhjd", set()),
                               ("bgs-fuzhuren", {mine.pk, other.pk}), ("quzhang", {mine.pk, other.pk})]:
        r = client.get("/api/v1/proposals", **bearer(username))
        assert r.status_code == 200, r.content
        assert {x["id"] for x in r.json()["items"]} == expected, username
    assert client.get(f"/api/v1/proposals/{other.pk}", **bearer("jyj")).status_code == 403
    assert client.get(f"/api/v1/proposals/{mine.pk}", **bearer("fgj")).status_code == 403
    assert client.get("/api/v1/proposals/999999", **bearer("jyj")).status_code == 404


def test_contacts_are_shown_to_the_lead_and_the_office_not_to_a_co_unit(client, items):
    mine, _ = items
    lead = client.get(f"/api/v1/proposals/{mine.pk}", **bearer("jyj")).json()
    co = client.get(f"/api/v1/proposals/{mine.pk}", **bearer("czj")).json()
    assert lead["proposers"][0]["contact"] == "13912345678"
    assert co["proposers"][0]["contact"] is None and "13912345678" not in str(co)


@pytest.mark.rules("R39.contact_before_answer")
def test_the_answer_without_a_contact_is_refused_then_accepted(client, items):
    mine, _ = items
    signed_letter(mine, who("jyj"), rules.today(), body="已解决")  # the 答复函, signed and numbered
    r = post(client, "jyj", f"/{mine.pk}/answer", {"outcome": "solved"})
    assert r.status_code == 400
    assert [(v["rule_id"], v["article"]) for v in r.json()["violations"]] == [("R39.contact_before_answer", 39)]
    r = post(client, "jyj", f"/{mine.pk}/contacts", {"way": "meeting", "contacted_on": "2026-11-02", "note": "面商"})
    assert r.status_code == 200, r.content
    r = post(client, "jyj", f"/{mine.pk}/answer", {"outcome": "solved"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "answered" and r.json()["answers"][0]["outcome_label"] == "解决或基本解决"


def test_wrong_people_are_refused_through_the_api(client, items):
    mine, other = items
    post(client, "jyj", f"/{mine.pk}/contacts", {"way": "phone", "contacted_on": "2026-11-02", "note": "沟通"})
    assert post(client, "czj", f"/{mine.pk}/answer", {"outcome": "solved"}).status_code == 403
    assert post(client, "czj", f"/{mine.pk}/reply-letter", {}).status_code == 403  # a co-unit drafts no letter
    assert post(client, "jyj", f"/{other.pk}/contacts",
                {"way": "phone", "contacted_on": "2026-11-02", "note": "x"}).status_code == 403
    assert post(client, "jyj", f"/{mine.pk}/assign", {"lead_unit_id": mine.lead_unit_id}).status_code == 403
    assert post(client, "czj", f"/{mine.pk}/send-back", {"reason": "x"}).status_code == 403
    assert post(client, "fgj", f"/{mine.pk}/opinion", {"opinion": "x"}).status_code == 403
    assert post(client, "czj", f"/{mine.pk}/opinion", {"opinion": "同意主办单位意见"}).status_code == 200
    assert not mine.answers.exists()


def test_bad_input_names_the_field(client, items):
    mine, _ = items
    r = post(client, "jyj", f"/{mine.pk}/contacts", {"way": "pigeon", "contacted_on": "2026-11-02", "note": "x"})
    assert r.status_code == 400 and r.json()["field"] == "way"
    r = post(client, "jyj", f"/{mine.pk}/contacts", {"way": "phone", "contacted_on": "2026-13-40", "note": "x"})
    assert r.status_code in (400, 422) and "contacted_on" in str(r.json())
    r = client.get("/api/v1/proposals?body=xyz", **bearer("jyj"))
    assert r.status_code == 400 and r.json()["field"] == "body"
    r = post(client, "bgs-fuzhuren", "/batches", {"body": "npc", "session": "s", "period": "session", "year": 2026,
                                                  "extra": 1})
    assert r.status_code in (400, 422)


def test_the_office_registers_and_assigns_through_the_api(client, gov):
    r = post(client, "bgs-fuzhuren", "/batches", {"body": "cppcc", "session": "区政协第九届第五次会议",
                                                  "period": "session", "year": 2026})
    assert r.status_code == 201, r.content
    r = post(client, "bgs-fuzhuren", "", {"batch_id": r.json()["id"], "number": "7", "title": "关于发展托育服务的提案",
                                          "content": "建议……", "proposers": [{"name": "赵委员", "contact": "13700000000"}]})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = post(client, "bgs-fuzhuren", f"/{pk}/assign", {"lead_unit_id": Unit.objects.get(short_name="卫健局").pk,
                                                      "assigned_on": "2026-10-30"})
    assert r.status_code == 200 and r.json()["due_on"] == "2027-01-30"


@pytest.mark.rules("R39.sendback_window")
def test_send_back_through_the_api_inside_the_window_and_refused_after_it(client, gov):
    import datetime as dt

    inside = assigned(assigned_on=dt.date(2026, 10, 26), number="1")
    late = assigned(assigned_on=dt.date(2026, 10, 23), number="2")
    r = post(client, "jyj", f"/{late.pk}/send-back", {"reason": "不属于本单位职责"})
    assert r.status_code == 400
    assert [(v["rule_id"], v["article"]) for v in r.json()["violations"]] == [("R39.sendback_window", 39)]
    assert "第三十九条" in r.json()["violations"][0]["message"]
    r = post(client, "jyj", f"/{inside.pk}/send-back", {"reason": "不属于本单位职责"})
    assert r.status_code == 200 and r.json()["status"] == "sent_back"
