"""Art. 68's clock: the 14 / 7 / 5 / 3 working days of the government's approval count from the
office's receipt (收文登记), not from the day the document is routed (呈批); a decision date asked
for before the day of submission is refused, never silently dropped."""

import datetime as dt

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.documents import intake, services
from zhengwu.documents.models import Document
from zhengwu.errors import Refused
from zhengwu.org.models import Person, Unit
from zhengwu.workcalendar.selectors import work_calendar

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


def p(username):
    return Person.objects.get(username=username)


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


def request(needed: str):
    return services.document_draft(
        actor=p("dfx"), unit=Unit.objects.get(short_name="东风乡"), direction="incoming", kind="请示",
        title="关于东风乡抗旱应急水源工程资金的请示", main_recipients=["区人民政府"], urgency="一般",
        body="东风乡今年旱情严重……特此请示。", important=True, collective_ref="东风乡党委会纪要〔2026〕9号",
        facts={"decision_needed_by": needed}, on=DAY)


@pytest.mark.rules("R68.lead_time", "doc.intake")
def test_the_approval_period_counts_from_registration_not_from_routing(gov):
    doc = request("2026-11-30")
    intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    routed_on = dt.date(2026, 11, 5)  # three working days later
    intake.document_route(actor=p("wenshu"), document_id=doc.pk, on=routed_on)
    doc.refresh_from_db()
    cal = work_calendar()
    assert doc.decision_needed_by == cal.add_workdays(DAY, 14)  # 一般: 14 working days from receipt
    assert doc.decision_needed_by != cal.add_workdays(routed_on, 14)
    assert doc.approval.context["due_on"] == doc.decision_needed_by.isoformat()


@pytest.mark.rules("R68.lead_time")
def test_a_decision_date_before_the_submission_is_refused_not_dropped(gov):
    doc = request("2026-10-30")
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as e:
        intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    assert e.value.field == "facts.decision_needed_by"
    assert e.value.message.endswith("（《工作规则》第六十八条）") and "2026-10-30" in e.value.message
    assert (Document.objects.get(pk=doc.pk).status, AuditEvent.objects.count()) == ("draft", events)
    ok = request("2026-11-13")  # 9 working days ahead: more than the 7 of a 一般 matter
    intake.document_submit(actor=p("dfx"), document_id=ok.pk, on=DAY)
    assert Document.objects.get(pk=ok.pk).status == "submitted"
