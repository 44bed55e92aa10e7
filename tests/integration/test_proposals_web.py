"""建议提案 pages: the list with its overdue marks and filters, the item page with its timeline,
the reply form for the lead unit's head only, and the wrong people refused through the web."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.proposals import services
from zhengwu.proposals.models import Proposal

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


def login(client, username):
    client.force_login(who(username))
    return client


def test_the_list_marks_overdue_items_and_filters_them(client, gov):
    late = assigned(assigned_on=dt.date(2026, 7, 31), number="1")
    on_time = assigned(assigned_on=dt.date(2026, 9, 1), number="2")
    page = login(client, "bgs-fuzhuren").get("/proposals/")
    assert page.status_code == 200
    text = page.content.decode()
    assert late.title in text and text.count("tag pp-overdue") == 1
    assert "<h1>建议提案</h1>" in text and ">逾期</span>" in text  # Chinese through the app's catalogue
    client.cookies["django_language"] = "en"
    english = client.get("/proposals/").content.decode()
    assert "NPC and CPPCC proposals" in english
    only = client.get("/proposals/?overdue=1").content.decode()
    assert f"/proposals/{late.pk}/" in only and f"/proposals/{on_time.pk}/" not in only


def test_a_unit_sees_only_its_own_items(client, gov):
    mine = assigned(number="1")  # 教育局 leads, 财政局 helps
    other = new_item(number="2")
    services.proposal_assign(actor=who("bgs-fuzhuren"), proposal_id=other.pk, lead_unit_id=services.Unit.objects.get(
        short_name="发改局").pk, on=DAY)
    login(client, "czj")
    text = client.get("/proposals/").content.decode()
    assert f"/proposals/{mine.pk}/" in text and f"/proposals/{other.pk}/" not in text
    assert client.get(f"/proposals/{other.pk}/").status_code == 403
    page = client.get(f"/proposals/{mine.pk}/").content.decode()
    assert "13912345678" not in page  # a co-unit does not see the proposers' contacts


def test_the_reply_is_a_letter_the_head_signs_and_the_answer_needs_it_and_a_contact(client, gov):
    item = assigned()
    login(client, "jyj")
    page = client.get(f"/proposals/{item.pk}/").content.decode()
    assert 'id="reply"' in page and "13912345678" in page
    r = client.post(f"/proposals/{item.pk}/answer/", {"outcome": "solved"})
    assert r.status_code == 400 and "第三十九条" in r.content.decode()
    assert not item.answers.exists()
    r = client.post(f"/proposals/{item.pk}/reply/")  # the letter is drafted and opened in the documents flow
    item.refresh_from_db()
    assert r.status_code == 302 and r["Location"] == f"/documents/{item.letter_id}/"
    assert client.post(f"/documents/{item.letter_id}/unit-sign/").status_code == 302  # the head signs as the unit
    assert client.post(f"/documents/{item.letter_id}/number/").status_code == 302
    client.post(f"/proposals/{item.pk}/contact/", {"way": "meeting", "contacted_on": "2026-11-02", "note": "面商"})
    pks = [str(x.pk) for x in item.proposers.all()]
    item.letter.refresh_from_db()
    assert item.letter.doc_number and item.letter.doc_number in client.get(f"/proposals/{item.pk}/").content.decode()
    r = client.post(f"/proposals/{item.pk}/answer/", {"outcome": "solved", "sent_to": pks})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == Proposal.Status.ANSWERED
    timeline = client.get(f"/proposals/{item.pk}/").content.decode()
    assert "答复代表委员" in timeline and "登记与代表委员沟通" in timeline


def test_wrong_people_are_refused_through_the_web(client, gov):
    item = assigned()
    login(client, "czj")  # a co-unit's head
    assert 'id="reply"' not in client.get(f"/proposals/{item.pk}/").content.decode()
    r = client.post(f"/proposals/{item.pk}/answer/", {"outcome": "solved"})
    assert r.status_code == 403
    assert client.post(f"/proposals/{item.pk}/reply/").status_code == 403
    login(client, "fgj")  # neither lead nor co-unit
    assert client.post(f"/proposals/{item.pk}/contact/", {"way": "phone", "contacted_on": "2026-11-02",
                                                          "note": "x"}).status_code == 403
    login(client, "jyj")
    assert client.post(f"/proposals/{item.pk}/publish/", {}).status_code == 403
    assert client.post(f"/proposals/{item.pk}/nonsense/", {}).status_code == 404
    assert not item.contacts.exists()


def test_bad_input_through_the_web_is_refused_naming_it_never_a_500(client, gov):
    item = assigned()
    big = "9" * 25
    login(client, "bgs-fuzhuren")
    assert client.get(f"/proposals/{big}/").status_code == 404
    assert client.get("/proposals/?page=abc&status=zzz&body=q").status_code == 200
    assert client.get("/proposals/report/?year=abc").status_code == 200
    r = client.post(f"/proposals/{item.pk}/extend/", {"new_due_on": "", "reason": "x"})
    assert r.status_code == 400 and "新的答复期限须为日期" in r.content.decode()
    login(client, "jyj")
    for data in ({"way": "phone", "contacted_on": "2026-11-02", "note": "x", "proposer_id": big},
                 {"way": "phone", "contacted_on": "99999-01-01", "note": "x"},
                 {"way": "pigeon", "contacted_on": "2026-11-02", "note": "x"},
                 {"way": "phone", "contacted_on": "2026-11-02", "note": ""}):
        assert client.post(f"/proposals/{item.pk}/contact/", data).status_code == 400, data
    assert client.post(f"/proposals/{item.pk}/answer/", {"outcome": "solved",
                                                         "sent_to": [big]}).status_code == 400
    assert not item.contacts.exists() and not item.answers.exists()
