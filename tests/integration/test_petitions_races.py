"""Single-shot 办结 of a 信访 case under load (the helpers of test_single_shot_races.py): 24 callers
answer the same case at the same moment, exactly one 处理意见书 is recorded and audited, every other
caller gets 409 naming the case. Run on PostgreSQL too."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.disclosure.petitions import access, services
from zhengwu.disclosure.petitions.models import Petition
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit

from test_single_shot_races import audited, one_winner, race

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.date(2026, 11, 2)


@pytest.fixture
def case():
    demo.load()
    office = Person.objects.get(username="bgs-fuzhuren")
    c = services.petition_register(actor=office, kind="claim", channel="letter", petitioner="刘某", subject="排水",
                                   content="请求疏通", received_on=DAY, on=DAY)
    services.petition_route(actor=office, petition_id=c.pk, unit_id=Unit.objects.get(short_name="新华街道").pk,
                            basis="locality", on=DAY)
    return services.petition_accept(actor=Person.objects.get(username="xhjd"), petition_id=c.pk, on=DAY)


def test_one_answer_wins(case, monkeypatch):
    xhjd = Person.objects.get(username="xhjd")
    outcomes = race(monkeypatch, access, "petition_for_unit", lambda: services.petition_answer(
        actor=xhjd, petition_id=case.pk, facts="属实", basis="条例", conclusion="疏通", review_right="30日内可请求复查",
        on=DAY + dt.timedelta(days=10)))
    one_winner(outcomes, field="petition_id", says="不能再办结")
    assert Petition.objects.get(pk=case.pk).status == Petition.Status.ANSWERED
    assert audited("petitions.petition.answer", case.pk) == 1
