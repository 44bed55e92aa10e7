"""Single-shot actions of proactive disclosure under load: 24 callers review (保密审查) or release the
same record at the same moment; exactly one succeeds with one audit event, every other is told with
a 409 naming the record (helpers of test_single_shot_races: real threads, a barrier right after the
access function has read the record)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.disclosure import access, services
from zhengwu.disclosure.models import Record
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit

from test_single_shot_races import audited, one_winner, race

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.date(2026, 12, 7)


@pytest.fixture
def record(monkeypatch):
    gov = demo.load()
    monkeypatch.setattr(rules, "today", lambda: DAY)
    office = Person.objects.get(username="bgs-zhuren")
    unit = Unit.objects.get(government=gov, short_name="司法局")
    return services._create(office, DAY, government_id=gov.pk, kind=Record.Kind.DOCUMENT, source_id=990001,
                            unit_id=unit.pk, title="关于公布行政执法主体名单的通知", formed_on=DAY,
                            category=Record.Category.PROACTIVE, basis="", reason="")


def test_a_review_from_many_clients_at_once_is_recorded_once(monkeypatch, record):
    office = Person.objects.get(username="bgs-zhuren")
    outcomes = race(monkeypatch, access, "record_for_office", lambda: services.record_review(
        actor=office, record_id=record.pk, passed=True, note="不涉密", on=DAY))
    one_winner(outcomes, field="record_id", says="")
    assert audited("disclosure.record.review", record.pk) == 1
    assert Record.objects.get(pk=record.pk).status == Record.Status.REVIEWED


def test_a_release_from_many_clients_at_once_is_released_once(monkeypatch, record):
    office = Person.objects.get(username="bgs-zhuren")
    services.record_review(actor=office, record_id=record.pk, passed=True, note="不涉密", on=DAY)
    # the source document is not in this database: the release reads it again and refuses (art. 89);
    # here the source check is taken as passed so that only the write decides
    monkeypatch.setattr(services, "_source_classified", lambda r: False)
    monkeypatch.setattr(services, "_source", lambda r: None)
    monkeypatch.setattr(services, "_public_body", lambda r, s: "正文")
    outcomes = race(monkeypatch, access, "record_for_office", lambda: services.record_release(
        actor=office, record_id=record.pk, on=DAY))
    one_winner(outcomes, field="record_id", says="")
    assert audited("disclosure.record.release", record.pk) == 1
    assert Record.objects.get(pk=record.pk).status == Record.Status.RELEASED
