"""Who may see and act on leave requests, the calendar and the organisation's records, for the web,
the API and the CLI alike. Denied by default.

- The 区政府领导同志 (区长, 常务副区长, 副区长) and the 区政府办公室 see every leave request and
  the whole calendar (the office arranges the activities, art. 94, and tells the leaders, art. 89).
- A person sees his own requests; a 分管领导 sees the 外出报告 of the heads of his units.
- The organisation (people, posts, appointments, absences, 分工) is kept by the office's authorised
  staff: a post in the 区政府办公室 and the 区政府办公室管理员 grant (org.services.office_admin_grant).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Portfolio
from zhengwu.org.services import OFFICE_ADMIN_GROUP

from .models import CalendarEvent, LeaveRequest


def _on(on):
    return on or rules.today()


def _authenticated(person) -> bool:
    return person is not None and getattr(person, "is_authenticated", False) and person.government_id is not None


def is_leader(person: Person, on: dt.date | None = None) -> bool:
    return _authenticated(person) and any(p.code in org.LEADER_CODES for p in org.positions_of(person, _on(on)))


def is_office(person: Person, on: dt.date | None = None) -> bool:
    return _authenticated(person) and org.is_office_staff(person, _on(on))


def sees_all(person: Person, on: dt.date | None = None) -> bool:
    on = _on(on)
    return is_office(person, on) or is_leader(person, on)


def may_manage_org(person: Person, on: dt.date | None = None) -> bool:
    """The office's authorised staff (a post in the 区政府办公室 and the 办公室管理员 grant)."""
    from zhengwu.security.roles import is_administrator

    if not _authenticated(person) or is_administrator(person):
        return False
    return is_office(person, on) and person.groups.filter(name=OFFICE_ADMIN_GROUP).exists()


def require_org_manager(person: Person, on: dt.date | None = None) -> None:
    if not may_manage_org(person, on):
        raise Forbidden("组织机构（人员、职务、任职、外出、分工）由区政府办公室经授权的工作人员维护")


def requests_visible(person: Person, on: dt.date | None = None) -> QuerySet:
    if not _authenticated(person):
        return LeaveRequest.objects.none()
    on = _on(on)
    qs = LeaveRequest.objects.filter(government_id=person.government_id)
    if sees_all(person, on):
        return qs
    mine = Q(person=person) | Q(created_by=person)
    units = set(Portfolio.objects.filter(position__in=org.positions_held(person, on)).values_list("units", flat=True))
    units.discard(None)
    if units:
        mine |= Q(kind=LeaveRequest.Kind.UNIT_HEAD, unit_id__in=units)
    return qs.filter(mine)


def request_visible(person: Person, request_id, on: dt.date | None = None) -> LeaveRequest:
    pk = id_field(request_id, "request_id", "请假")
    found = (requests_visible(person, on).select_related("person", "position", "unit", "substitute", "absence",
                                                          "decided_by", "created_by")
             .filter(pk=pk).first())
    if found is None:
        raise NotFound(f"请假{pk}不存在", field="request_id")
    return found


def may_act_for(person: Person, leave: LeaveRequest, on: dt.date | None = None) -> bool:
    """The person away, whoever made the request, or the office."""
    return _authenticated(person) and (person.pk in (leave.person_id, leave.created_by_id) or is_office(person, on))


def event_for_office(person: Person, event_id, on: dt.date | None = None) -> CalendarEvent:
    pk = id_field(event_id, "event_id", "活动")
    event = CalendarEvent.objects.filter(pk=pk, government_id=getattr(person, "government_id", None)).first()
    if event is None or not sees_all(person, on):
        raise NotFound(f"活动{pk}不存在", field="event_id")
    if not is_office(person, on):
        raise Forbidden("领导公务活动由区政府办公室统一安排（第九十四条）")
    return event
