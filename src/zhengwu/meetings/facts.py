"""From records to the pure rules' facts (rulebook/rules/meetings.py), and the org lookups they
need: who holds which position on a day, the members of a meeting type from the rulebook."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.db.models import Q
from django.utils import timezone

from zhengwu import rules
from zhengwu.org import selectors as org
from zhengwu.org.models import Appointment, Government, Person, Portfolio, Position
from zhengwu.rulebook.rules.meetings import (
    AgendaItemFacts,
    AttendanceFacts,
    DeliberationFacts,
    MeetingFacts,
    MinutesFacts,
    TopicalAttendanceFacts,
)

from .models import AgendaItem, Attendance, Meeting, Minutes

LEADER_CODES = org.LEADER_CODES


def day_of(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def has_param(name: str, on: dt.date) -> bool:
    return name in rules.book(on).parameters


positions_held = org.positions_held
is_office_staff = org.is_office_staff


def codes_of(person: Person, on: dt.date) -> list[str]:
    return [p.code for p in positions_held(person, on)]


def code_for(person: Person | None, on: dt.date, prefer: Iterable[str] = ()) -> str:
    """The position code under which `person` acts: the first of `prefer` they hold (or act for)
    that day, else their first position, else "" (no government position)."""
    if person is None:
        return ""
    held = codes_of(person, on)
    for code in prefer:
        if code in held:
            return code
    return held[0] if held else ""


def position_for(person: Person, on: dt.date, code: str) -> Position | None:
    return next((p for p in positions_held(person, on) if p.code == code), None)


def is_leader(person: Person, on: dt.date) -> bool:
    return any(p.code in LEADER_CODES for p in positions_held(person, on))


def _active(qs, on: dt.date):
    return qs.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))


def members_param(meeting_type: str) -> str:
    return f"meetings.{meeting_type}.members"


def rulebook_members(government: Government, meeting_type: str, on: dt.date) -> list[tuple[Person, Position]] | None:
    """The members (组成人员) of a meeting type from the rulebook's parameter
    meetings.<type>.members ({positions, unit_heads_of_kinds}), resolved to the people holding
    those positions on `on`; None when the rulebook names no members for the type (党组会议,
    专题会议: the convener names them)."""
    name = members_param(meeting_type)
    if not meeting_type or not has_param(name, on):
        return None
    spec = rules.param(name, on)
    cond = Q(position__code__in=list(spec.get("positions", ())))
    kinds = list(spec.get("unit_heads_of_kinds", ()))
    if kinds:
        cond |= Q(position__code="unit_head", position__unit__kind__in=kinds)
    qs = _active(Appointment.objects.filter(position__government=government), on).filter(cond).select_related(
        "person", "position", "position__unit").order_by("position__rank", "position__id")
    seen, out = set(), []
    for a in qs:
        if a.person_id not in seen:
            seen.add(a.person_id)
            out.append((a.person, a.position))
    return out


def unit_heads_of_kinds(government: Government, kinds: Iterable[str], on: dt.date) -> list[tuple[Person, Position]]:
    qs = _active(Appointment.objects.filter(position__government=government, position__code="unit_head",
                                            position__unit__kind__in=list(kinds)), on)
    return [(a.person, a.position) for a in qs.select_related("person", "position").order_by("position__rank")]


# ---- facts ---------------------------------------------------------------------------------

def convener_code(meeting: Meeting, on: dt.date) -> str:
    """Who convenes (召集) the meeting, apart from who chairs it (主持). Where the book names the
    type's chairs apart from its conveners (常务会议 art. 60, 区长办公会议 art. 61: the 区长 may
    delegate only the 主持), the meeting is convened by its conveners' post (the 区长, art. 13)
    whoever chairs it; otherwise (全体会议 art. 58, 党组会议 art. 13: 召集和主持; 专题会议 art. 62:
    主持召开) the chair convenes it."""
    t = meeting.meeting_type
    chairs, conveners = f"meetings.{t}.chairs", f"meetings.{t}.conveners"
    if t and has_param(chairs, on) and has_param(conveners, on):
        allowed = list(rules.param(conveners, on))
        if meeting.chair_position in allowed or not allowed:
            return meeting.chair_position
        return allowed[0]
    return meeting.chair_position


def meeting_facts(meeting: Meeting, *, members: int | None = None, present: int | None = None,
                  government_leader_attends: bool = False, approved: bool | None = None) -> MeetingFacts:
    if members is None:
        members = meeting.attendances.filter(role=Attendance.Role.MEMBER).count()
    if present is None:
        present = meeting.attendances.filter(role=Attendance.Role.MEMBER, signed_in_at__isnull=False).count()
    return MeetingFacts(
        meeting_type=meeting.meeting_type, title=meeting.title,
        convener=convener_code(meeting, day_of(meeting.starts_at)), chair=meeting.chair_position,
        delegated=meeting.delegated, members=members, present=present,
        held_in_government_name=meeting.held_in_government_name, held_in_office_name=meeting.held_in_office_name,
        approval_route=meeting.approval_route or "office",
        approved=(meeting.status in (Meeting.Status.APPROVED, Meeting.Status.OPEN, Meeting.Status.CLOSED)
                  if approved is None else approved),
        special_reason=meeting.special_reason, important=meeting.important,
        standing_meeting_ref=meeting.standing_meeting_ref, is_department_meeting=meeting.is_department_meeting,
        government_leader_attends=government_leader_attends)


def lead_unit_of(item: AgendaItem):
    """The unit that leads the item's matter: the one named on the item, else its dossier's."""
    if item.lead_unit_id:
        return item.lead_unit
    dossier = getattr(item, "dossier", None) if getattr(item, "dossier_id", None) else None
    return getattr(dossier, "proposing_unit", None) if dossier is not None else None


def in_charge_of(person: Person | None, unit, on: dt.date) -> bool:
    """Whether `unit` is in the 分工 (Portfolio.units) of a position `person` holds or acts for on `on`."""
    if person is None or unit is None:
        return False
    positions = [p.pk for p in positions_held(person, on)]
    return Portfolio.objects.filter(position_id__in=positions, units=unit).exists()


def item_facts(item: AgendaItem, *, prior_procedure_complete: bool | None = None,
               on: dt.date | None = None) -> AgendaItemFacts:
    meeting = item.meeting
    unit = lead_unit_of(item)
    on = on or day_of(meeting.starts_at)
    return AgendaItemFacts(
        meeting_type=meeting.meeting_type, title=item.title, proposer=item.proposer_position,
        confirmer=item.confirmer_position, confirmed_by_meeting=item.confirmed_by_meeting,
        confirmer_is_chair=bool(item.confirmer_id and item.confirmer_id == meeting.chair_id),
        has_substantive_content=item.has_substantive_content, has_clear_proposal=item.has_clear_proposal,
        prior_procedure_complete=(item.prior_procedure_complete if prior_procedure_complete is None
                                  else prior_procedure_complete),
        legally_required=item.legally_required, concerns_whole_district=item.concerns_whole_district,
        departments_disagree=item.departments_disagree, prior_topical_meeting_ref=item.prior_topical_meeting_ref,
        consensus_reached=item.consensus_reached, lead_unit=unit.name if unit is not None else "",
        proposer_in_charge=(unit is not None and _proposes_in_charge(item.proposer_position, on)
                            and in_charge_of(item.proposer if item.proposer_id else None, unit, on)),
        prior_topical_convener=str(item.prior_topical_convener) if item.prior_topical_convener_id else "",
        prior_topical_convener_in_charge=(item.prior_topical_convener_id is not None
                                          and in_charge_of(item.prior_topical_convener, unit, on)))


def _proposes_in_charge(code: str, on: dt.date) -> bool:
    name = "meetings.agenda_proposers_in_charge"
    return bool(code) and has_param(name, on) and code in rules.param(name, on)


def deliberation_facts(item: AgendaItem, order: list[tuple[str, bool]], *, complete: bool = False) -> DeliberationFacts:
    return DeliberationFacts(matter_type=item.matter_type, item=item.title, speaking_order=tuple(order),
                             complete=complete)


def attendance_facts(att: Attendance, *, before: bool, requested_from: str) -> AttendanceFacts:
    meeting = att.meeting
    return AttendanceFacts(meeting_type=meeting.meeting_type, chair=meeting.chair_position, member=str(att.person),
                           leave_requested_before=before, leave_requested_from=requested_from)


def topical_attendance_facts(meeting: Meeting, on: dt.date) -> TopicalAttendanceFacts:
    """The units a 专题会议 concerns (the lead units of its items) and whether their heads and their
    分管副区长 are among those expected at it, members or invitees (art. 62). A post nobody holds
    is not asked for."""
    expected = set(meeting.attendances.values_list("person_id", flat=True)) | {meeting.chair_id}
    units, seen = [], set()
    for item in meeting.items.exclude(status=AgendaItem.Status.WITHDRAWN).select_related(
            "lead_unit", "dossier__proposing_unit").order_by("order", "id"):
        unit = lead_unit_of(item)
        if unit is None or unit.pk in seen:
            continue
        seen.add(unit.pk)
        head, leader = org.unit_head(unit, on), org.leader_of_unit(unit, on)
        if leader is not None and leader.pk == meeting.chair_id:
            leader = None  # the chair is himself the leader in charge
        units.append((unit.name, head is None or head.pk in expected, str(leader) if leader else "",
                      leader is not None and leader.pk in expected))
    return TopicalAttendanceFacts(chair=meeting.chair_position, title=meeting.title, units=tuple(units))


def minutes_facts(minutes: Minutes, *, reviewed_by: str | None = None, signed_by: str | None = None) -> MinutesFacts:
    meeting = minutes.meeting
    return MinutesFacts(meeting_type=meeting.meeting_type, chair=meeting.chair_position,
                        reviewed_by=minutes.reviewed_position if reviewed_by is None else reviewed_by,
                        signed_by=minutes.signed_position if signed_by is None else signed_by)


def minutes_reviewer_code(meeting, on: dt.date) -> str:
    """Who reviews (核报) the meeting's minutes, as a position code: the book's
    meetings.<type>.minutes_reviewed_by, or for a 专题会议 its chair's post (art. 60–62)."""
    name = f"meetings.{meeting.meeting_type}.minutes_reviewed_by"
    if has_param(name, on):
        return rules.param(name, on)
    return meeting.chair_position if meeting.meeting_type == "topical" else ""
