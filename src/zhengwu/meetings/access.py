"""One access function per meeting object (STYLE 7), for the web, the API and the CLI alike.

Denied by default. A person sees a meeting when:
- they are expected at it (a member or a 列席 invitee) or chair it;
- it is their own unit's department meeting (art. 66);
- they work in the 区政府办公室, or are a 区政府领导 (区长, 常务副区长, 副区长, or act for one
  today): they see every meeting of their government;
- the 区督查指挥中心 reads every meeting and its minutes, to take ledger items from their decisions
  (art. 49-50; it acts on none of them);
- nobody else sees anything (an unknown id and a forbidden one are told apart only by 404/403).
The office arranges meetings (schedule, agenda records, minutes drafts, follow-ups); the chair or
the office runs the meeting itself (open, opinions, decisions, close).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person

from . import facts
from .models import AgendaItem, Attendance, FollowUp, Meeting, Minutes


def sees_all(person: Person, on: dt.date | None = None) -> bool:
    on = on or rules.today()
    return facts.is_office_staff(person, on) or facts.is_leader(person, on)


def is_office(person: Person, on: dt.date | None = None) -> bool:
    return facts.is_office_staff(person, on or rules.today())


def visible_meetings(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if person is None or not getattr(person, "is_authenticated", False) or person.government_id is None:
        return Meeting.objects.none()
    qs = Meeting.objects.filter(government_id=person.government_id)
    on = on or rules.today()
    if sees_all(person, on):
        return qs
    units = {p.unit_id for p in facts.positions_held(person, on) if p.unit_id}
    return qs.filter(Q(attendances__person=person) | Q(chair=person)
                     | Q(is_department_meeting=True, organizing_unit_id__in=units)
                     | org.in_supervision_center(person.government_id, units)).distinct()  # it reads (art. 49-50)


def meeting_visible(person: Person, meeting_id, *, on: dt.date | None = None) -> Meeting:
    meeting_id = id_field(meeting_id, "meeting_id", "会议")
    meeting = Meeting.objects.select_related("government", "room", "chair").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(f"会议{meeting_id}不存在", field="meeting_id")
    if not visible_meetings(person, on=on).filter(pk=meeting.pk).exists():
        raise Forbidden("无权查看该会议")
    return meeting


def meeting_for_office(person: Person, meeting_id, *, on: dt.date | None = None) -> Meeting:
    """A meeting the 区政府办公室 arranges (or, for a department's own meeting, its unit)."""
    on = on or rules.today()
    meeting = meeting_visible(person, meeting_id, on=on)
    if is_office(person, on):
        return meeting
    if meeting.is_department_meeting and meeting.organizing_unit_id and any(
            p.unit_id == meeting.organizing_unit_id for p in facts.positions_held(person, on)):
        return meeting
    raise Forbidden("只有区政府办公室可以办理该操作")


def meeting_for_chair(person: Person, meeting_id, *, on: dt.date | None = None) -> Meeting:
    """A meeting its chair (or the office, recording for the chair) runs: open, opinions, decisions, close."""
    on = on or rules.today()
    meeting = meeting_visible(person, meeting_id, on=on)
    if meeting.chair_id == person.pk or is_office(person, on):
        return meeting
    raise Forbidden("只有会议主持人或区政府办公室可以办理该操作")


def attendance_of(person: Person, meeting_id, *, on: dt.date | None = None) -> Attendance:
    """The person's own place at a meeting (for leave, written views, sign-in)."""
    meeting = meeting_visible(person, meeting_id, on=on)
    att = meeting.attendances.select_related("person", "meeting").filter(person=person).first()
    if att is None:
        raise Forbidden("您不是该会议的参会人员")
    return att


def item_visible(person: Person, item_id, *, on: dt.date | None = None) -> AgendaItem:
    item_id = id_field(item_id, "item_id", "议题")
    item = AgendaItem.objects.select_related("meeting").filter(pk=item_id).first()
    if item is None:
        raise NotFound(f"议题{item_id}不存在", field="item_id")
    meeting_visible(person, item.meeting_id, on=on)
    return item


def minutes_visible(person: Person, minutes_id, *, on: dt.date | None = None) -> Minutes:
    minutes_id = id_field(minutes_id, "minutes_id", "纪要")
    minutes = Minutes.objects.select_related("meeting").filter(pk=minutes_id).first()
    if minutes is None:
        raise NotFound(f"纪要{minutes_id}不存在", field="minutes_id")
    meeting_visible(person, minutes.meeting_id, on=on)
    return minutes


def followup_visible(person: Person, followup_id, *, on: dt.date | None = None) -> FollowUp:
    followup_id = id_field(followup_id, "followup_id", "印发文件")
    followup = FollowUp.objects.select_related("meeting").filter(pk=followup_id).first()
    if followup is None:
        raise NotFound(f"会议决定印发文件{followup_id}不存在", field="followup_id")
    meeting_visible(person, followup.meeting_id, on=on)
    return followup
