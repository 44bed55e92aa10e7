"""Single-shot actions of coordination bodies, emergency reports and submissions under load: 24
callers at the same moment give exactly one effect and one audit event; the others are told (409,
naming the field) that someone else got there first. See test_single_shot_races.py for the method."""

from __future__ import annotations

import pytest

from zhengwu.affairs.bodies import access, services
from zhengwu.affairs.bodies.models import CoordinationBody, EmergencyReport, Goals, Submission
from zhengwu.org import demo

from test_bodies_services import DAY, at, register, report, who
from test_single_shot_races import audited, one_winner, race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gov():
    return demo.load()


def test_one_office_clerk_submits_an_item_once(gov, monkeypatch):
    item = services.submission_create(actor=who("bgs-fuzhuren"), body="cppcc", kind="briefing", title="通报",
                                      content="政府工作情况", on=DAY)
    outcomes = race(monkeypatch, access, "submission_visible",
                    lambda: services.submission_submit(actor=who("bgs-fuzhuren"), submission_id=item.pk, on=DAY))
    one_winner(outcomes, field="submission_id", says="已被他人办理")
    assert Submission.objects.get(pk=item.pk).status == Submission.Status.SUBMITTED
    assert audited("bodies.submission.submit", item.pk) == 1


def test_a_years_goals_are_submitted_once(gov, monkeypatch):
    body = register()
    outcomes = race(monkeypatch, access, "body_for_office_or_body_office",
                    lambda: services.goals_submit(actor=who("bgs-fuzhuren"), body_id=body.pk, year=2026, goals="目标",
                                                  on=DAY))
    one_winner(outcomes, field="year", says="已经报送")
    assert Goals.objects.filter(body=body).count() == 1
    assert audited("bodies.goals.submit", body.pk) == 1


def test_a_body_is_abolished_once(gov, monkeypatch):
    body = register()
    outcomes = race(monkeypatch, access, "body_visible",
                    lambda: services.body_abolish(actor=who("bgs-fuzhuren"), body_id=body.pk, reason="任务完成",
                                                  document_ref="白洮政办发〔2026〕40号", on=DAY))
    one_winner(outcomes, field="body_id", says="已被他人办理")
    assert CoordinationBody.objects.get(pk=body.pk).status == CoordinationBody.Status.ABOLISHED
    assert audited("bodies.body.abolish", body.pk) == 1


def test_the_written_report_is_recorded_once(gov, monkeypatch):
    r = report(written_at=None)
    outcomes = race(monkeypatch, access, "report_for_unit",
                    lambda: services.report_written(actor=who("xhjd"), report_id=r.pk, written_at=at(9, 0),
                                                    now=at(9, 30), on=DAY))
    one_winner(outcomes, field="written_at", says="已被他人办理")
    assert EmergencyReport.objects.get(pk=r.pk).written_at == at(9, 0)
    assert audited("bodies.emergency.written", r.pk) == 1
