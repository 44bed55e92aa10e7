"""Who sees and who acts on requests for information and 舆情 (for the web, the API and the CLI).

Denied by default. Requests for information (依申请公开) carry an applicant's personal data, so:
- the 区政府办公室 — the 政府信息公开工作机构 that registers, handles and answers them in the 区政府's
  name — sees every request and acts on it; its director (or whoever acts for him) agrees to an
  extension through the workflow engine;
- the unit a request concerns (涉及单位, which holds the information and supplies it) sees that
  request, without the applicant's contact details, and acts on nothing;
- nobody else, government leaders included: a request is the office's work, not a leader's
  decision (an overdue one is escalated to the office's director and the unit's head).
舆情 (art. 36) are the government's concern, so the office and the government leaders see all;
the lead unit (牵头部门, the 回应主体) and the response owner see theirs; the office registers
them; the owner, the lead unit's people and the office record responses.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person

from .models import InfoRequest, OpinionEvent


def is_office_staff(person: Person, on: dt.date | None = None) -> bool:
    return getattr(person, "government_id", None) is not None and org.is_office_staff(person, on or rules.today())


def own_unit_ids(person: Person, on: dt.date | None = None) -> set[int]:
    return {p.unit_id for p in org.positions_held(person, on or rules.today()) if p.unit_id}


def is_leader(person: Person, on: dt.date | None = None) -> bool:
    return any(p.code in org.LEADER_CODES for p in org.positions_held(person, on or rules.today()))


# ---- requests for information ----------------------------------------------------------------

def visible_requests(person: Person, *, on: dt.date | None = None) -> QuerySet:
    on = on or rules.today()
    if getattr(person, "government_id", None) is None:
        return InfoRequest.objects.none()
    qs = InfoRequest.objects.filter(government_id=person.government_id)
    if is_office_staff(person, on):
        return qs
    units = own_unit_ids(person, on)
    return qs.filter(unit_id__in=units) if units else qs.none()


def request_visible(person: Person, request_id, *, on: dt.date | None = None) -> InfoRequest:
    pk = id_field(request_id, "request_id", "政府信息公开申请")
    found = InfoRequest.objects.select_related("unit").filter(pk=pk).first()
    if found is None or found.government_id != getattr(person, "government_id", None):
        raise NotFound(f"政府信息公开申请{pk}不存在", field="request_id")
    if not visible_requests(person, on=on).filter(pk=pk).exists():
        raise Forbidden("无权查看该政府信息公开申请")
    return found


def request_for_office(person: Person, request_id, *, on: dt.date | None = None) -> InfoRequest:
    on = on or rules.today()
    item = request_visible(person, request_id, on=on)
    if not is_office_staff(person, on):
        raise Forbidden("只有区政府办公室（政府信息公开工作机构）可以办理政府信息公开申请")
    return item


def sees_applicant_contact(person: Person, on: dt.date | None = None) -> bool:
    return is_office_staff(person, on)


# ---- 舆情 ---------------------------------------------------------------------------------------

def visible_events(person: Person, *, on: dt.date | None = None) -> QuerySet:
    on = on or rules.today()
    if getattr(person, "government_id", None) is None:
        return OpinionEvent.objects.none()
    qs = OpinionEvent.objects.filter(government_id=person.government_id)
    if is_office_staff(person, on) or is_leader(person, on):
        return qs
    return qs.filter(Q(lead_unit_id__in=own_unit_ids(person, on)) | Q(owner_id=person.pk))


def event_visible(person: Person, event_id, *, on: dt.date | None = None) -> OpinionEvent:
    pk = id_field(event_id, "event_id", "政务舆情")
    found = OpinionEvent.objects.select_related("lead_unit", "owner").filter(pk=pk).first()
    if found is None or found.government_id != getattr(person, "government_id", None):
        raise NotFound(f"政务舆情{pk}不存在", field="event_id")
    if not visible_events(person, on=on).filter(pk=pk).exists():
        raise Forbidden("无权查看该政务舆情")
    return found


def may_respond(person: Person, event: OpinionEvent, on: dt.date | None = None) -> bool:
    on = on or rules.today()
    return (event.owner_id == person.pk or event.lead_unit_id in own_unit_ids(person, on)
            or is_office_staff(person, on))


def event_for_responder(person: Person, event_id, *, on: dt.date | None = None) -> OpinionEvent:
    on = on or rules.today()
    event = event_visible(person, event_id, on=on)
    if not may_respond(person, event, on):
        raise Forbidden("只有回应责任人、牵头部门或区政府办公室可以登记舆情回应")
    return event
