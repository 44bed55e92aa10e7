"""The proposals demo: the 区人大 and 区政协 session batches with items in every state, an overdue NPC
suggestion that tick escalates, an unpublished result flagged (art. 39), and every notification
it leaves pointing at a real item the person may open."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.proposals import services
from zhengwu.proposals.models import Proposal
from zhengwu.proposals.tick import proposals_tick
from zhengwu.workflow.models import Notification

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture(scope="module")
def demo_today():
    return DAY


def test_the_demo_has_every_state_in_two_batches(full_demo):
    states = set(Proposal.objects.values_list("status", flat=True))
    assert states == set(Proposal.Status.values)
    assert set(Proposal.objects.values_list("batch__body", flat=True)) == {"npc", "cppcc"}
    assert Proposal.objects.filter(extended=True).exists()
    assert Proposal.objects.exclude(publish_withheld_reason="").exists()
    assert Proposal.objects.filter(published_on__isnull=False).exists()


def test_every_demo_answer_is_a_signed_numbered_letter_of_the_lead_units_head(full_demo):
    from zhengwu.org import selectors as org
    from zhengwu.proposals.models import Answer

    answers = list(Answer.objects.select_related("letter", "letter__unit", "proposal"))
    assert answers
    for a in answers:  # art. 39: through the documents flow, in the unit's own name
        doc = a.letter
        assert (doc.kind, doc.issuing_as, doc.unit_id, doc.status) == ("函", "unit", a.proposal.lead_unit_id, "signed")
        assert doc.doc_number and doc.signer_id == a.signed_by_id == org.unit_head(doc.unit, doc.signed_on).pk
        assert a.text == doc.body.strip()
    waiting = Proposal.objects.filter(status="assigned", letter__status="draft")
    assert waiting.count() == 1  # one letter drafted, waiting for the head's signature


@pytest.mark.rules("R39.answer_deadline", "R39.publish_results", "W39.overdue_escalation", "W39.publication_flag")
def test_the_overdue_suggestion_is_escalated_and_the_unpublished_result_flagged(full_demo, client):
    overdue = [p for p in Proposal.objects.select_related("batch") if services.is_overdue(p, DAY)]
    assert [p.batch.body for p in overdue] == ["npc"]
    flagged = [p for p in Proposal.objects.all() if services.publication_findings(p, on=DAY)]
    assert len(flagged) == 1 and all(v.article == 39 for v in services.publication_findings(flagged[0], on=DAY))
    result = proposals_tick(on=DAY)
    assert (result.escalations, result.publication_flags) == (1, 1)
    assert (proposals_tick(on=DAY).escalations, proposals_tick(on=DAY).publication_flags) == (0, 0)
    for note in Notification.objects.filter(link__startswith="/proposals/").select_related("person"):
        pk = int(note.link.strip("/").split("/")[1])
        assert Proposal.objects.filter(pk=pk).exists()
        client.force_login(note.person)
        assert client.get(note.link).status_code == 200, (note.person.username, note.title)


def test_the_years_handling_report_counts_what_the_person_may_see(full_demo, client):
    from zhengwu.api.services import api_token_create
    from zhengwu.org.models import Person

    office = Person.objects.get(username="bgs-fuzhuren")
    client.force_login(office)
    page = client.get("/proposals/report/?year=2026")
    assert page.status_code == 200 and "2026年办理情况报告" in page.content.decode()
    _t, key = api_token_create(actor=None, person=office, name="测试")
    rows = {r["body"]: r for r in client.get("/api/v1/proposals/report?year=2026",
                                             HTTP_AUTHORIZATION=f"Bearer {key}").json()}
    npc = rows["npc"]
    assert (npc["total"], npc["overdue"], npc["reopened"], npc["published"], npc["unpublished_late"]) == (8, 1, 1, 1, 1)
    assert sum(o["count"] for o in npc["outcomes"]) == 4 and rows["cppcc"]["withheld"] == 1
    _t, key = api_token_create(actor=None, person=Person.objects.get(username="jyj"), name="测试")
    mine = {r["body"]: r for r in client.get("/api/v1/proposals/report?year=2026",
                                             HTTP_AUTHORIZATION=f"Bearer {key}").json()}
    assert mine["npc"]["total"] == Proposal.objects.filter(lead_unit__short_name="教育局").count() == 2
    assert mine["cppcc"]["total"] == 0
