"""A document decided at a meeting and linked to its follow-up is recorded as issued the moment the
documents service issues it (art. 63), in the same transaction and with its own audit event."""

import datetime as dt

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.documents import issuing, services as documents
from zhengwu.documents.models import Document
from zhengwu.meetings import services
from zhengwu.org.models import Unit

from meetings_support import MEETING_DAY, held, p

pytestmark = pytest.mark.django_db


def signed_notice(title: str, on: dt.date) -> Document:
    doc = documents.document_draft(actor=p("wenshu"), unit=Unit.objects.get(short_name="区政府办"),
                                   direction="outgoing", kind="通知", title=title, issuing_as="government",
                                   main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"], body="正文", on=on)
    Document.objects.filter(pk=doc.pk).update(status="signed", signed_on=on)  # test setup: signing is tested elsewhere
    documents.document_number(actor=p("wenshu"), document_id=doc.pk, on=on)
    return doc


@pytest.mark.parametrize("issued_on, late", [(dt.date(2026, 11, 12), False), (dt.date(2026, 11, 16), True)])
def test_issuing_a_linked_document_records_its_follow_up(issued_on, late, org_demo):
    meeting = held()
    item = meeting.items.get()
    doc = signed_notice("关于城区供热价格调整的通知", issued_on)
    linked = services.followup_create(actor=p("wenshu"), meeting_id=meeting.pk, item_id=item.pk,
                                      title=doc.title, document_id=doc.pk)
    other = services.followup_create(actor=p("wenshu"), meeting_id=meeting.pk, item_id=item.pk,
                                     title="关于供热管网改造的通知")
    assert linked.due_on == dt.date(2026, 11, 13)  # 7 working days after Wednesday 4 November

    issuing.document_issue(actor=p("wenshu"), document_id=doc.pk, on=issued_on)

    linked.refresh_from_db()
    other.refresh_from_db()
    assert linked.issued_on == issued_on and other.issued_on is None
    event = AuditEvent.objects.get(action="meetings.followup.issued", obj_id=str(linked.pk))
    assert event.article == 63 and event.after["late"] is late and event.actor_id == p("wenshu").pk
    assert MEETING_DAY < issued_on
