"""The ledger's art. 51 single-shot action under load (see test_single_shot_races.py for the pattern):
a 表扬/问责建议 for a unit and year proposed from many clients at once is proposed once (one pending
proposal, one approval for the 区长, one audit event); every other caller is told, naming the unit.
Real threads; run on PostgreSQL too."""

from __future__ import annotations

import pytest

from zhengwu import rules
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.supervision import selectors, services
from zhengwu.supervision.models import AccountabilityProposal
from zhengwu.workflow.models import Approval

from test_single_shot_races import audited, one_winner, race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gov():
    return demo.load()


def p(username):
    return Person.objects.get(username=username)


def test_a_proposal_sent_from_many_clients_at_once_is_sent_once(monkeypatch, gov):
    today = rules.today()
    czj = Unit.objects.get(short_name="财政局")
    item = services.item_create(actor=p("dcz"), title="推进政府采购电子化", basis="年内完成", source="annual_report",
                                lead_units=[czj.pk], on=today)
    services.item_assign(actor=p("dcz"), item_id=item.pk, on=today)
    outcomes = race(monkeypatch, selectors, "performance",  # every caller has read the scores
                    lambda: services.accountability_propose(actor=p("dcz"), unit_id=czj.pk, year=today.year,
                                                            kind="praise", reasons="按期办结"))
    won = one_winner(outcomes, field="unit_id", says="已有待审批的表扬建议")
    assert AccountabilityProposal.objects.filter(unit=czj, year=today.year, status="pending").count() == 1
    assert Approval.objects.filter(obj_type="supervision.accountability").count() == 1
    assert audited("supervision.accountability.propose", won.pk) == 1
