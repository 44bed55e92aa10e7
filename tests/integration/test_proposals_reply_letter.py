"""建议提案 (art. 39): the answer is a 答复函 in the documents flow. The lead unit drafts it from the
proposal (a 函 in its own name, addressed to every proposer, copied to the body's office); its
主要负责人 signs it in the unit's name (documents.department.document_sign_as_unit, the path every
document in a unit's own name takes — no separate signing route) and the unit numbers it in its own
series; only then is the answer recorded, with its outcome. An unsigned or unnumbered letter is
refused citing art. 39; the wrong person is refused at every door (services, API, web)."""

import datetime as dt

import pytest
from django.test import Client

from proposals_support import signed_letter
from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.documents import department
from zhengwu.documents import services as documents
from zhengwu.documents.models import Document
from zhengwu.errors import Forbidden, Refused
from zhengwu.org.demo import PASSWORD
from zhengwu.org.models import Person, Unit
from zhengwu.proposals import services
from zhengwu.proposals.models import Proposal
from zhengwu.workflow.models import Notification

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def gov(org_demo):
    return org_demo


def who(username):
    return Person.objects.get(username=username)


def contacted(number="1", body="npc", lead="教育局", contact_by="jyj"):
    office = who("bgs-fuzhuren")
    batch = services.batch_create(actor=office, body=body, session=f"区第十九届第{number}次会议{body}", period="session",
                                  year=2026, on=DAY)
    item = services.proposal_create(actor=office, batch_id=batch.pk, number=number, title="关于改善城区停车的建议",
                                    content="城区停车难。", proposers=[{"name": "王代表", "leading": True},
                                                                   {"name": "李代表"}], on=DAY)
    services.proposal_assign(actor=office, proposal_id=item.pk, lead_unit_id=Unit.objects.get(short_name=lead).pk,
                             on=DAY)
    services.contact_record(actor=who(contact_by), proposal_id=item.pk, way="meeting", contacted_on=DAY,
                            note="面商。", on=DAY)
    return Proposal.objects.get(pk=item.pk)


def test_the_letter_is_a_unit_document_drafted_from_the_proposal_and_the_head_is_told(gov):
    item = contacted()
    doc = services.reply_draft(actor=who("jyj"), proposal_id=item.pk, on=DAY)
    item.refresh_from_db()
    assert item.letter_id == doc.pk
    assert (doc.kind, doc.direction, doc.issuing_as, doc.unit.short_name, doc.status) == (
        "函", "outgoing", "unit", "教育局", "draft")
    assert doc.title == "关于对区第十九届第1次会议npc第1号建议的答复"
    assert doc.body.startswith("王代表、李代表：") and doc.cc == ["区人大常委会办公室"]
    with pytest.raises(Refused) as e:  # one letter per round
        services.reply_draft(actor=who("jyj"), proposal_id=item.pk, on=DAY)
    assert e.value.status == 409
    with pytest.raises(Forbidden):  # only the lead unit drafts it
        services.reply_draft(actor=who("czj"), proposal_id=item.pk, on=DAY)
    assert AuditEvent.objects.filter(obj_id=str(item.pk), action="proposals.item.letter", article=39).exists()


@pytest.mark.rules("R39.answer_content")
def test_an_answer_without_a_signed_numbered_letter_is_refused_citing_art_39(gov):
    item = contacted()
    with pytest.raises(Refused) as e:  # no letter at all
        services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="solved", on=DAY)
    assert [(v.rule_id, v.article, v.field) for v in e.value.violations] == [("R39.answer_content", 39, "letter")]
    assert "第三十九条" in e.value.violations[0].message
    doc = services.reply_draft(actor=who("jyj"), proposal_id=item.pk, on=DAY)
    with pytest.raises(Refused) as e:  # drafted, unsigned
        services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="solved", on=DAY)
    assert [v.field for v in e.value.violations] == ["letter"]
    with pytest.raises(Forbidden):  # in the unit's name only its head signs (the documents domain's own check)
        department.document_sign_as_unit(actor=who("czj"), document_id=doc.pk, on=DAY)
    department.document_sign_as_unit(actor=who("jyj"), document_id=doc.pk, on=DAY)
    with pytest.raises(Refused) as e:  # signed, not yet numbered
        services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="solved", on=DAY)
    assert [v.field for v in e.value.violations] == ["letter"]
    item.refresh_from_db()
    assert item.status == "assigned" and not item.answers.exists()


@pytest.mark.rules("R39.answer_content")
def test_a_signed_numbered_letter_is_the_answer(gov):
    item = contacted()
    doc = signed_letter(item, who("jyj"), DAY, body="王代表、李代表：\n经研究，今年新建停车场两处。")
    assert doc.doc_number == f"白洮教育发〔2026〕{doc.doc_number.split('〕')[1].removesuffix('号')}号"
    answer = services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="solved", on=DAY)
    item.refresh_from_db()
    assert item.status == "answered" and answer.letter_id == doc.pk
    assert (answer.signed_by.username, answer.signer_acting, answer.text) == (
        "jyj", False, "王代表、李代表：\n经研究，今年新建停车场两处。")
    assert AuditEvent.objects.filter(obj_id=str(item.pk), action="proposals.item.answer",
                                     summary__contains=doc.doc_number).exists()


def test_an_unsatisfied_proposer_needs_a_new_letter_for_the_second_answer(gov):
    item = contacted()
    signed_letter(item, who("jyj"), DAY)
    services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="later", on=DAY)
    services.satisfaction_record(actor=who("bgs-fuzhuren"), proposal_id=item.pk, satisfaction="unsatisfied",
                                 note="不满意。", on=DAY)
    item.refresh_from_db()
    assert item.status == "reopened" and item.letter_id is None
    services.contact_record(actor=who("jyj"), proposal_id=item.pk, way="phone", contacted_on=DAY, note="再沟通。", on=DAY)
    with pytest.raises(Refused) as e:
        services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="planned", on=DAY)
    assert [v.field for v in e.value.violations] == ["letter"]
    second = signed_letter(item, who("jyj"), DAY, body="再次答复：已列入计划。")
    answer = services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="planned", on=DAY)
    assert (answer.round, answer.letter_id) == (2, second.pk)


@pytest.mark.rules("R39.answer_content")
def test_a_staff_member_drafts_the_head_signs_and_the_staff_member_records_the_answer(gov):
    item = contacted(lead="财政局", contact_by="czj-ke")
    doc = services.reply_draft(actor=who("czj-ke"), proposal_id=item.pk, on=DAY)
    assert Notification.objects.filter(person=who("czj"), link=f"/documents/{doc.pk}/").exists()
    with pytest.raises(Forbidden):  # the drafter is not the unit's head
        department.document_sign_as_unit(actor=who("czj-ke"), document_id=doc.pk, on=DAY)
    department.document_sign_as_unit(actor=who("czj"), document_id=doc.pk, on=DAY)
    documents.document_number(actor=who("czj-ke"), document_id=doc.pk, on=DAY)
    answer = services.proposal_answer(actor=who("czj-ke"), proposal_id=item.pk, outcome="reference", on=DAY)
    assert answer.signed_by.username == "czj"  # the letter's signer, not who recorded it


def test_the_api_and_web_doors(gov, client):
    item = contacted()
    def token(u):
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=None, person=who(u), name='测试')[1]}"}

    api = Client()
    url = f"/api/v1/proposals/{item.pk}/reply-letter"
    assert api.post(url, content_type="application/json").status_code == 401
    assert api.post(url, content_type="application/json", **token("czj")).status_code in (403, 404)
    r = api.post(f"/api/v1/proposals/{item.pk}/answer", {"outcome": "solved"}, content_type="application/json",
                 **token("jyj"))
    assert r.status_code == 400 and r.json()["violations"][0]["field"] == "letter"
    r = api.post(url, content_type="application/json", **token("jyj"))
    assert r.status_code == 200, r.content
    letter = r.json()["letter"]
    assert letter["status"] == "draft" and letter["id"] == Proposal.objects.get(pk=item.pk).letter_id
    # the unit head signs through the documents API's own door; someone else of another unit may not
    assert api.post(f"/api/v1/documents/{letter['id']}/sign-as-unit", **token("czj")).status_code in (403, 404)
    assert api.post(f"/api/v1/documents/{letter['id']}/sign-as-unit", **token("jyj")).status_code == 200
    assert api.post(f"/api/v1/documents/{letter['id']}/number", **token("jyj")).status_code == 200

    # the web: the wrong person cannot record the answer; the lead unit can
    client.login(username="czj", password=PASSWORD)
    r = client.post(f"/proposals/{item.pk}/answer/", {"outcome": "solved"})
    assert r.status_code == 403
    client.login(username="jyj", password=PASSWORD)
    page = client.get(f"/proposals/{item.pk}/").content.decode()
    assert Document.objects.get(pk=letter["id"]).doc_number in page
    pks = [str(x.pk) for x in item.proposers.all()]
    r = client.post(f"/proposals/{item.pk}/answer/", {"outcome": "solved", "sent_to": pks})
    assert r.status_code == 302
    assert Proposal.objects.get(pk=item.pk).status == "answered"
    got = api.get(f"/api/v1/proposals/{item.pk}", **token("jyj")).json()
    assert got["answers"][0]["doc_number"] == got["letter"]["doc_number"] != ""
