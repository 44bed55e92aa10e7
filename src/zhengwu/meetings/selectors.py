"""Reads of meetings, for the web, the API and the CLI (access is checked by the caller through
access.py, or by the functions taking a `person`).

    meetings_between(person, start, end) -> list[Meeting]          the calendar (what the person may see)
    meeting_detail(meeting) -> dict                                 attendance, agenda, minutes, follow-ups
    attendance_summary(meeting) -> dict                             members, present, on leave, absent, quorum
    agenda_readiness(meeting, on=None) -> list[ItemReadiness]       each item and what keeps it off the agenda
    speaking_order(item) -> list[Opinion]
    next_speakers(item) -> list[Attendance]                         members present yet to speak (chair last)
    followups(government, on=None, open_only=False) -> list[FollowUpStatus]
    decisions_export(government, since=None, until=None) -> list[dict]   addressable decided items
    frequency_status(government, on=None) -> list[Violation]        R58/R60.frequency findings
    rooms(government) -> QuerySet[Room]
    room_schedule(room, day) -> list[Meeting]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


from django.utils import timezone

from zhengwu import rules
from zhengwu.rulebook import Violation

from . import access, dossiers, facts
from .models import AgendaItem, Attendance, FollowUp, Meeting, Minutes, Opinion, Room


def meetings_between(person, start: dt.datetime, end: dt.datetime) -> list[Meeting]:
    qs = access.visible_meetings(person).filter(starts_at__lt=end, ends_at__gt=start)
    return list(qs.select_related("room", "chair").order_by("starts_at", "id"))


def attendance_summary(meeting: Meeting) -> dict:
    rows = list(meeting.attendances.select_related("person").order_by("role", "order", "id"))
    members = [a for a in rows if a.role == Attendance.Role.MEMBER]
    present = [a for a in members if a.signed_in_at is not None]
    day = facts.day_of(meeting.starts_at)
    quorum = rules.check("meetings.meeting", facts.meeting_facts(meeting, members=len(members), present=len(present)),
                         on=day, only=("R58.quorum", "R60.quorum"))
    return {
        "members": members, "participants": [a for a in rows if a.role == Attendance.Role.PARTICIPANT],
        "attendees": [a for a in rows if a.role == Attendance.Role.ATTENDEE],
        "present": present, "on_leave": [a for a in rows if a.status == Attendance.Status.ON_LEAVE],
        "leave_requested": [a for a in rows if a.status == Attendance.Status.LEAVE_REQUESTED],
        "absent": [a for a in rows if a.status == Attendance.Status.ABSENT],
        "quorum": quorum,  # empty when the members present are enough to open (or no quorum rule)
    }


@dataclass
class ItemReadiness:
    item: AgendaItem
    ready: bool
    violations: list[Violation] = field(default_factory=list)  # each with its article

    @property
    def state(self) -> str:
        if self.item.status != AgendaItem.Status.PROPOSED:
            return self.item.status
        return "ready" if self.ready else "incomplete"


def item_readiness(item: AgendaItem, on: dt.date | None = None) -> ItemReadiness:
    """What keeps a proposed item off the agenda (art. 58–63 and the dossier's procedures); an
    item not yet confirmed is `ready` when confirming it is all that is missing."""
    on = on or rules.today()
    readiness = dossiers.readiness(item.dossier, on=on) if getattr(item, "dossier_id", None) else None
    f = facts.item_facts(item, prior_procedure_complete=(readiness.ready if readiness else None))
    found = [v for v in rules.check("meetings.agenda_item", f, on=on)
             if item.status != AgendaItem.Status.PROPOSED or v.field not in ("confirmer", "confirmed_by_meeting",
                                                                             "confirmer_is_chair")]
    if readiness is not None:
        found += readiness.violations
    return ItemReadiness(item=item, ready=not any(v.blocks for v in found), violations=found)


def agenda_readiness(meeting: Meeting, on: dt.date | None = None) -> list[ItemReadiness]:
    items = meeting.items.exclude(status=AgendaItem.Status.WITHDRAWN).select_related("proposer", "confirmer")
    return [item_readiness(item, on) for item in items.order_by("order", "id")]


def speaking_order(item: AgendaItem) -> list[Opinion]:
    return list(item.opinions.select_related("speaker").order_by("order"))


def next_speakers(item: AgendaItem) -> list[Attendance]:
    """Members present who have not spoken on the item, in precedence order; the chair (一把手) is put
    last on a 三重一大 item (art. 29)."""
    meeting = item.meeting
    spoken = set(item.opinions.values_list("speaker_id", flat=True))
    waiting = list(meeting.attendances.filter(role=Attendance.Role.MEMBER, signed_in_at__isnull=False)
                   .exclude(person_id__in=spoken).select_related("person").order_by("order", "id"))
    chair = [a for a in waiting if a.person_id == meeting.chair_id]
    others = [a for a in waiting if a.person_id != meeting.chair_id]
    return others + chair if item.matter_type else chair + others


@dataclass
class FollowUpStatus:
    followup: FollowUp
    working_days_since: int
    overdue: bool
    findings: list[Violation]


def followups(government, on: dt.date | None = None, open_only: bool = False) -> list[FollowUpStatus]:
    from zhengwu.workcalendar.selectors import work_calendar

    from .tick import followup_facts

    on = on or rules.today()
    cal = work_calendar()
    qs = FollowUp.objects.filter(meeting__government=government).select_related("meeting", "item", "lead_unit",
                                                                                "document")
    if open_only:
        qs = qs.filter(issued_on__isnull=True)
    out = []
    for f in qs.order_by("due_on", "id"):
        end = f.issued_on or max(on, f.decided_on)
        found = rules.check("meetings.followup", followup_facts(f, on, cal), on=on)
        out.append(FollowUpStatus(f, cal.count_workdays(f.decided_on, end), bool(found), found))
    return out


def item_ref(item: AgendaItem) -> str:
    return f"meetings.item:{item.pk}"


def decisions_export(government, since: dt.date | None = None, until: dt.date | None = None) -> list[dict]:
    """Every decided item as an addressable record (ref "meetings.item:<id>"), with its follow-up
    documents (ref "meetings.followup:<id>", due date, issued or not), for the supervision ledger
    (督查督办) to take over."""
    qs = AgendaItem.objects.filter(meeting__government=government, status=AgendaItem.Status.DECIDED).select_related(
        "meeting", "lead_unit")
    if since:
        qs = qs.filter(decided_at__date__gte=since)
    if until:
        qs = qs.filter(decided_at__date__lte=until)
    out = []
    for item in qs.prefetch_related("followups").order_by("decided_at", "id"):
        meeting = item.meeting
        out.append({
            "ref": item_ref(item), "meeting_ref": f"meetings.meeting:{meeting.pk}", "meeting": meeting.title,
            "meeting_type": meeting.meeting_type, "title": item.title, "outcome": item.outcome,
            "conditions": item.conditions, "decided_on": timezone.localdate(item.decided_at).isoformat(),
            "matter_type": item.matter_type, "dossier_id": getattr(item, "dossier_id", None),
            "lead_unit": item.lead_unit.name if item.lead_unit_id else "",
            "publish": item.publish, "non_disclosure_reason": item.non_disclosure_reason,
            "followups": [{"ref": f"meetings.followup:{f.pk}", "title": f.title, "due_on": f.due_on.isoformat(),
                           "issued_on": f.issued_on.isoformat() if f.issued_on else None,
                           "document_id": f.document_id} for f in item.followups.all()],
        })
    return out


def frequency_status(government, on: dt.date | None = None) -> list[Violation]:
    from .tick import frequency_findings

    return [v for _t, _d, v in frequency_findings(government, on or rules.today())]


def rooms(government):
    return Room.objects.filter(government=government, active=True).order_by("name")


def room_schedule(room: Room, day: dt.date) -> list[Meeting]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return list(room.meetings.filter(starts_at__lt=start + dt.timedelta(days=1), ends_at__gt=start)
                .exclude(status=Meeting.Status.CANCELLED).order_by("starts_at"))


def meeting_detail(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "attendance": attendance_summary(meeting),
        "items": list(meeting.items.exclude(status=AgendaItem.Status.WITHDRAWN).order_by("order", "id")),
        "minutes": Minutes.objects.filter(meeting=meeting).first(),
        "followups": list(meeting.followups.order_by("due_on", "id")),
    }


