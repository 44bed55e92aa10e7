"""The 区政府办公室's desk: what waits on the office's clerks (文书, 秘书) in the documents.

- `office_counts(person, on)`: 待登记 (来文 submitted, to register), 待呈批 (registered, to send to
  the leaders), 待印发 (signed, to issue) and 待归档 (handled: answered 来文 and issued 发文) in one
  aggregate query over the documents the person may see; None for anyone outside the office.
- `intake_pending`: a pending-work source (zhengwu.workflow.pending): each 来文 waiting in the
  intake queue is a 待办 row of every office clerk, leading to the intake queue where it is
  registered. No engine task stands for it (the intake starts no approval before 登记).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from zhengwu.org import selectors as org
from zhengwu.workflow.pending import Pending, register_pending_source

from . import access
from .models import Direction, Document

Status = Document.Status

OBJ = "documents.document"

# key -> the documents it counts (Q over Document)
COUNTS = {
    "to_register": Q(direction=Direction.INCOMING, status=Status.SUBMITTED),
    "to_present": Q(direction=Direction.INCOMING, status=Status.REGISTERED),
    "to_issue": Q(direction=Direction.OUTGOING, status=Status.SIGNED),
    # 待归档: handled and not filed yet (documents.archiving.document_archive files them)
    "to_file_in": Q(direction=Direction.INCOMING, status=Status.ANSWERED, archived_on__isnull=True),
    "to_file_out": Q(direction=Direction.OUTGOING, status=Status.ISSUED, archived_on__isnull=True),
}


def office_counts(person, on: dt.date) -> dict[str, int] | None:
    """The office's four counts (the last split into 收文/发文), or None when the person is not
    office staff. Two queries: the person's positions, one aggregate."""
    if person is None or not getattr(person, "is_authenticated", False) or person.government_id is None:
        return None
    if not any(p.unit_id and p.unit.kind == access.OFFICE_UNIT_KIND for p in org.positions_of(person, on)):
        return None  # access.is_office_staff, from the one positions query
    # the office sees every document of its government (access.document_scope): no scope to apply
    qs = Document.objects.filter(government_id=person.government_id)
    found = qs.aggregate(**{k: Count("id", filter=q) for k, q in COUNTS.items()})
    found["to_file"] = found["to_file_in"] + found["to_file_out"]
    return found


def intake_pending(person, on: dt.date):
    """来文 in the intake queue, to register (登记): for the office's staff only."""
    if not access.is_office_staff(person, on):
        return
    docs = (access.visible_documents(person, on=on).filter(COUNTS["to_register"])
            .select_related("unit").order_by("submitted_on", "id"))
    for doc in docs:
        yield Pending(obj_type=OBJ, obj_id=str(doc.pk), title=doc.title, action="登记",
                      url=f"/documents/intake/#q-{doc.pk}", detail=doc.unit.short_name or doc.unit.name,
                      since=doc.submitted_on, due_on=None)


register_pending_source(intake_pending, name="documents.intake")
