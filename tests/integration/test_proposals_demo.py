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
