"""建议提案's single-shot actions of the 答复函 (art. 39) under load (the pattern of
test_single_shot_races.py): the letter drafted from many clicks at once is drafted once (one
document, one audit event; the losers' documents roll back with them), and the answer recorded from
many clicks at once is recorded once (one answer, one audit event). Real threads; run on PostgreSQL too."""

from __future__ import annotations

import pytest

from zhengwu import rules
from zhengwu.documents.models import Document
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.proposals import access, services
from zhengwu.proposals.models import Answer

from proposals_support import signed_letter
from test_single_shot_races import audited, one_winner, race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gov():
    return demo.load()


def p(username):
    return Person.objects.get(username=username)


def handled(today):
    office = p("bgs-fuzhuren")
    batch = services.batch_create(actor=office, body="npc", session="区第十九届人大第五次会议", period="session",
                                  year=today.year, on=today)
    item = services.proposal_create(actor=office, batch_id=batch.pk, number="1", title="关于改善城区停车的建议",
                                    content="城区停车难。", proposers=[{"name": "王代表"}], on=today)
    services.proposal_assign(actor=office, proposal_id=item.pk, lead_unit_id=Unit.objects.get(short_name="教育局").pk,
                             on=today)
    services.contact_record(actor=p("jyj"), proposal_id=item.pk, way="phone", contacted_on=today, note="沟通", on=today)
    return item


def test_the_letter_drafted_from_many_clicks_at_once_is_drafted_once(monkeypatch, gov):
    today = rules.today()
    item = handled(today)
    outcomes = race(monkeypatch, access, "for_lead_unit",  # every caller has read the item without a letter
                    lambda: services.reply_draft(actor=p("jyj"), proposal_id=item.pk, on=today))
    won = one_winner(outcomes, field="proposal_id", says="答复函已由他人起草")
    item.refresh_from_db()
    assert item.letter_id == won.pk
    assert Document.objects.filter(kind="函", unit__short_name="教育局").count() == 1
    assert audited("proposals.item.letter", item.pk) == 1


def test_the_answer_recorded_from_many_clicks_at_once_is_recorded_once(monkeypatch, gov):
    today = rules.today()
    item = handled(today)
    signed_letter(item, p("jyj"), today)
    outcomes = race(monkeypatch, services, "_letter_signer",  # every caller has judged the signed letter
                    lambda: services.proposal_answer(actor=p("jyj"), proposal_id=item.pk, outcome="solved", on=today))
    one_winner(outcomes, field="proposal_id", says="")
    assert Answer.objects.filter(proposal=item).count() == 1
    assert audited("proposals.item.answer", item.pk) == 1
