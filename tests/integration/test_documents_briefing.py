"""Art. 70: 各部门报送区政府的简报须经区政府办公室核准. A department's 简报 (facts.is_briefing) is
sent only after the office approves it (intake.briefing_approve); the unit cannot type the approval,
and an edit after it voids it."""

import datetime as dt

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.documents import compose, intake, services
from zhengwu.documents.models import Document
from zhengwu.errors import Forbidden, Refused
from zhengwu.org.models import Person, Unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


def p(username):
    return Person.objects.get(username=username)


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


def briefing(is_briefing=True, **facts):
    return services.document_draft(
        actor=p("czj"), unit=Unit.objects.get(short_name="财政局"), direction="incoming", kind="通报",
        title="财政工作简报（2026年第10期）", main_recipients=["区人民政府"], urgency="一般",
        body="十月份全区财政收支情况……", facts={"is_briefing": is_briefing, **facts}, on=DAY)


@pytest.mark.rules("R70.briefing_approved")
def test_a_department_briefing_is_sent_only_after_the_office_approves_it_art_70(gov):
    doc = briefing()
    with pytest.raises(Refused) as e:
        intake.document_submit(actor=p("czj"), document_id=doc.pk, on=DAY)
    assert e.value.field == "office_approved"
    assert any(v.rule_id == "R70.briefing_approved" and v.message.endswith("（《工作规则》第七十条）")
               for v in e.value.violations)
    assert Document.objects.get(pk=doc.pk).status == "draft"
    with pytest.raises(Forbidden):  # the department does not approve its own 简报
        intake.briefing_approve(actor=p("czj"), document_id=doc.pk, on=DAY)
    intake.briefing_approve(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    assert AuditEvent.objects.filter(action="documents.briefing.approve", obj_id=str(doc.pk), article=70).exists()
    doc = intake.document_submit(actor=p("czj"), document_id=doc.pk, on=DAY)
    assert doc.status == "submitted"


def test_the_unit_cannot_type_the_approval_and_an_edit_voids_it_art_70(gov):
    with pytest.raises(Refused) as e:
        briefing(office_approved=True)
    assert e.value.field == "facts.office_approved"
    doc = briefing()
    intake.briefing_approve(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    doc = compose.document_update(actor=p("czj"), document_id=doc.pk, title="财政工作简报（2026年第11期）", on=DAY)
    assert "office_approved" not in doc.facts
    with pytest.raises(Refused) as e:
        intake.document_submit(actor=p("czj"), document_id=doc.pk, on=DAY)
    assert e.value.field == "office_approved"


def test_only_a_briefing_is_approved_by_the_office(gov):
    doc = briefing(is_briefing=False)
    with pytest.raises(Refused) as e:
        intake.briefing_approve(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    assert e.value.field == "document_id"
