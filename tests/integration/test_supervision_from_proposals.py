"""Issue 13, 建议提案 "After the answer": a "列入计划" answer (supervision.from_proposal_outcomes, art. 39)
becomes a ledger item led by the proposal's lead unit, due supervision.proposal_limit_days working days
after the answer, in the answer's transaction and audited; one item per proposal; other outcomes
create nothing."""

import pytest

from proposals_support import signed_letter
from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Refused
from zhengwu.proposals import services
from zhengwu.supervision import selectors
from zhengwu.supervision import services as sv
from zhengwu.supervision.models import SupervisionItem
from zhengwu.workflow.models import Notification

from test_proposals_services import DAY, assigned, who

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture
def gov(org_demo):
    return org_demo


def answer(item, outcome, text="已列入明年计划。"):
    services.contact_record(actor=who("jyj"), proposal_id=item.pk, way="meeting", contacted_on=DAY,
                            note="与王代表面商，听取意见。", on=DAY)
    signed_letter(item, who("jyj"), DAY, body=text)  # the 答复函 signed and numbered (documents flow, art. 39)
    return services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome=outcome, on=DAY)


def test_a_planned_answer_becomes_one_ledger_item_led_by_the_proposals_lead_unit(gov):
    item = assigned()
    answer(item, "planned")
    [ledger] = SupervisionItem.objects.filter(proposal=item)
    assert (ledger.source, ledger.status) == ("proposal", SupervisionItem.Status.DRAFT)
    lead = selectors.lead_of(ledger)
    assert lead.unit == item.lead_unit and lead.head.username == "jyj"
    days = rules.param("supervision.proposal_limit_days", DAY)
    assert ledger.limit_days == days and ledger.due_on == sv._calendar().add_workdays(DAY, days)
    assert ledger.source_url == f"/proposals/{item.pk}/" and "列入计划" in ledger.basis
    assert AuditEvent.objects.filter(action="supervision.item.from_proposal", obj_id=str(ledger.pk), article=39).exists()
    assert Notification.objects.filter(person__username="dcz", link=f"/supervision/{ledger.pk}/").exists()
    # unsatisfied, re-opened and answered "planned" again: still one item (idempotent)
    services.satisfaction_record(actor=who("bgs-fuzhuren"), proposal_id=item.pk, satisfaction="unsatisfied",
                                 note="希望加快", on=DAY)
    answer(item, "planned", "已列入计划并提前实施。")
    assert SupervisionItem.objects.filter(proposal=item).count() == 1
    # the center assigns it like any item: due stays the parameter's date
    sv.item_assign(actor=who("dcz"), item_id=ledger.pk, on=DAY)
    assert SupervisionItem.objects.get(pk=ledger.pk).due_on == ledger.due_on


@pytest.mark.parametrize("outcome", ["solved", "later", "reference"])
def test_other_outcomes_create_no_ledger_item(gov, outcome):
    item = assigned()
    answer(item, outcome)
    assert not SupervisionItem.objects.filter(proposal=item).exists()
    assert not SupervisionItem.objects.exists()


def test_a_refused_answer_creates_no_ledger_item(gov):
    item = assigned()
    with pytest.raises(Refused):  # no contact before the answer (R39.contact_before_answer)
        services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="planned", on=DAY)
    assert not SupervisionItem.objects.exists()


def test_the_ledger_item_rolls_back_with_a_failing_answer(gov, monkeypatch):
    from zhengwu.proposals.models import Answer

    item = assigned()
    services.contact_record(actor=who("jyj"), proposal_id=item.pk, way="meeting", contacted_on=DAY, note="面商", on=DAY)
    signed_letter(item, who("jyj"), DAY, body="已列入计划")

    def boom(*a, **kw):
        raise RuntimeError("audit down")

    monkeypatch.setattr("zhengwu.supervision.services._audit", boom)
    with pytest.raises(RuntimeError):
        services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="planned", on=DAY)
    assert not SupervisionItem.objects.exists() and not Answer.objects.filter(proposal=item).exists()
