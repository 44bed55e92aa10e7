"""Single-shot actions of foreign affairs, research and speeches under load (see
test_single_shot_races.py for the pattern): a gift handed over, a visit's departure, a speech's
delivery and a leader's plan for the year, each from many clients at once, happen once with one
audit event; every other caller is told, naming the field. Real threads; run on PostgreSQL too."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.affairs.foreign import access, services
from zhengwu.affairs.foreign.models import Gift, ResearchPlan, Speech, Visit
from zhengwu.org import demo
from zhengwu.org.models import Person
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task

from test_single_shot_races import audited, one_winner, race

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.date(2026, 11, 2)


@pytest.fixture
def gov(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return demo.load()


def p(username):
    return Person.objects.get(username=username)


def test_a_gift_handed_over_from_many_clients_at_once_is_handed_over_once(monkeypatch, gov):
    gift = services.gift_register(actor=p("czj"), description="青瓷花瓶", giver="日本某市代表团", value=600,
                                  received_on=dt.date(2026, 10, 20), on=DAY)
    outcomes = race(monkeypatch, access, "gift_for_custodian",
                    lambda: services.gift_hand_over(actor=p("bgs-zhuren"), gift_id=gift.pk))
    one_winner(outcomes, field="gift_id", says="已被他人办理")
    assert Gift.objects.get(pk=gift.pk).status == Gift.Status.HANDED
    assert audited("foreign.gift.hand_over", gift.pk) == 1


def test_a_visit_recorded_as_left_from_many_clients_at_once_leaves_once(monkeypatch, gov):
    visit = services.visit_apply(actor=p("czj"), purpose="考察", countries=["日本"], departs_on=dt.date(2026, 11, 20),
                                 returns_on=dt.date(2026, 11, 24), group_size=3, on=DAY)
    for who, decision in (("changwu", "同意"), ("quzhang", "批准")):
        task = Task.objects.get(approval__obj_type="foreign.visit", approval__obj_id=str(visit.pk), status="open")
        wf.task_complete(actor=p(who), task_id=task.pk, decision=decision, on=DAY)
    outcomes = race(monkeypatch, access, "visit_for_traveller",
                    lambda: services.visit_leave(actor=p("czj"), visit_id=visit.pk))
    one_winner(outcomes, field="visit_id", says="已被他人办理")
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.LEFT
    assert audited("foreign.visit.leave", visit.pk) == 1


def test_a_speech_delivered_from_many_clients_at_once_is_delivered_once(monkeypatch, gov):
    speech = services.speech_submit(actor=p("czj"), kind="speech", title="在局务会上的讲话", occasion="局务会",
                                    text="……", on=DAY)
    outcomes = race(monkeypatch, access, "speech_for_speaker",
                    lambda: services.speech_deliver(actor=p("czj"), speech_id=speech.pk))
    one_winner(outcomes, field="speech_id", says="已被他人办理")
    assert Speech.objects.get(pk=speech.pk).status == Speech.Status.DELIVERED
    assert audited("foreign.speech.deliver", speech.pk) == 1


def test_a_plan_saved_from_many_clients_at_once_is_saved_once(monkeypatch, gov):
    outcomes = race(monkeypatch, services, "_leader",
                    lambda: services.plan_set(actor=p("fuqu1"), year=2026, topics=["城市更新"], planned_days=30))
    one_winner(outcomes, field="year", says="年度调研计划已登记")
    plan = ResearchPlan.objects.get()
    assert audited("foreign.research.plan", plan.pk) == 1
