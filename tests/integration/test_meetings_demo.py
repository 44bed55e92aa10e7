"""The meetings demo loads through the services on top of the org and decisions demos: a past
meeting of each type with decisions and signed minutes, an upcoming 常务会议 with items in every
readiness state, rooms; and the audit chain stays intact."""

import datetime as dt

import pytest

from zhengwu.audit.selectors import verify_chain
from zhengwu.decisions import demo as decisions_demo
from zhengwu.meetings import demo, selectors
from zhengwu.meetings.models import Meeting, Room
from zhengwu.org import demo as org_demo

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)  # a Wednesday


def test_the_meetings_demo_covers_every_type_and_every_readiness_state():
    gov = org_demo.load()
    decisions_demo.load(on=TODAY)
    made = demo.load(on=TODAY)
    past = [m for m in made if m.status == "closed"]
    assert sorted(m.meeting_type for m in past) == sorted(["plenary", "party_group", "standing", "head_office",
                                                           "topical"])
    for m in past:
        assert m.minutes.status == "signed" and m.items.filter(status="decided").exists()
    nxt = Meeting.objects.get(status="approved", meeting_type="standing")
    states = {r.item.title: r.state for r in selectors.agenda_readiness(nxt, on=TODAY)}
    assert set(states.values()) == {"confirmed", "ready", "incomplete"}
    incomplete = [r for r in selectors.agenda_readiness(nxt, on=TODAY) if r.state == "incomplete"]
    assert {v.rule_id for r in incomplete for v in r.violations} >= {"R63.gating", "R63.prior_topical",
                                                                      "R28.procedures"}
    assert Room.objects.filter(government=gov).count() == 3
    assert nxt.attendances.filter(status="leave_requested").count() == 1
    assert any(f.overdue is False and f.followup.issued_on is None for f in selectors.followups(gov, on=TODAY))
    assert verify_chain().ok
