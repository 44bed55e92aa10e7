"""Reads the meetings pages and API need besides selectors.py (owned by the web/API layer): the
clock they pass to the services, the month grid, the rulebook members a schedule form starts from,
what a person may do on an item, the follow-ups a person may see with the working days left.

Nothing here writes; access is checked through access.py."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from zhengwu import rules
from zhengwu.org.models import Person

from . import access, facts
from .models import AgendaItem, Attendance, FollowUp, Meeting


def now() -> dt.datetime:
    """The moment the pages and the API act at (sign-in, opening, leave). Tests may replace it."""
    return timezone.now()


def meeting_types(on: dt.date | None = None) -> dict:
    return dict(rules.param("meetings.types", on or rules.today()))


def type_label(meeting: Meeting, types: dict) -> str:
    if meeting.is_department_meeting or not meeting.meeting_type:
        return "部门工作会议"
    return types.get(meeting.meeting_type, meeting.meeting_type)


# ---- the calendar --------------------------------------------------------------------------

def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    nxt = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, nxt


def parse_month(value: str | None, today: dt.date) -> tuple[int, int]:
    try:
        y, m = (int(x) for x in (value or "").split("-"))
        if 1900 <= y <= 2100 and 1 <= m <= 12:
            return y, m
    except ValueError:
        pass
    return today.year, today.month


def month_grid(year: int, month: int, meetings: list[Meeting]) -> list[list[dict]]:
    """Weeks (Monday first) of days, each with the meetings starting on it."""
    by_day: dict[dt.date, list[Meeting]] = {}
    for m in meetings:
        by_day.setdefault(timezone.localtime(m.starts_at).date(), []).append(m)
    weeks = []
    for week in _calendar.Calendar(0).monthdatescalendar(year, month):
        weeks.append([{"day": d, "in_month": d.month == month, "meetings": by_day.get(d, [])} for d in week])
    return weeks


def visible_meetings(person, *, meeting_type: str = "", on: dt.date | None = None):
    qs = access.visible_meetings(person, on=on)
    if meeting_type == "department":
        qs = qs.filter(is_department_meeting=True)
    elif meeting_type:
        qs = qs.filter(meeting_type=meeting_type)
    return qs.select_related("room", "chair")


# ---- the schedule form ---------------------------------------------------------------------

def rulebook_members(government, meeting_type: str, day: dt.date) -> list[tuple[Person, str]] | None:
    """The members the service will take from the rulebook for that type on that day (None when
    the rulebook names none and the convener names them)."""
    if not meeting_type or meeting_type not in meeting_types(day):
        return None
    found = facts.rulebook_members(government, meeting_type, day)
    if found is None:
        return None
    return [(p, pos.title) for p, pos in found]


def people(government):
    return Person.objects.filter(government=government, is_active=True).order_by("username")


def leaders(government, on: dt.date) -> list[Person]:
    return [p for p in people(government) if facts.is_leader(p, on)]


# ---- what a person may do ------------------------------------------------------------------

@dataclass
class MeetingRights:
    office: bool
    chair: bool
    attendance: Attendance | None
    sees_all: bool

    @property
    def runs(self) -> bool:  # open, opinions, decisions, close
        return self.chair or self.office


def rights(person, meeting: Meeting, on: dt.date | None = None) -> MeetingRights:
    on = on or rules.today()
    office = access.is_office(person, on)
    if not office and meeting.is_department_meeting and meeting.organizing_unit_id:
        office = any(p.unit_id == meeting.organizing_unit_id for p in facts.positions_held(person, on))
    att = meeting.attendances.select_related("person").filter(person=person).first()
    return MeetingRights(office=office, chair=meeting.chair_id == person.pk, attendance=att,
                         sees_all=access.sees_all(person, on))


def confirmer_codes(meeting: Meeting, on: dt.date) -> list[str]:
    name = f"meetings.{meeting.meeting_type}.agenda_confirmed_by"
    if meeting.meeting_type and facts.has_param(name, on):
        return [rules.param(name, on)]
    if meeting.meeting_type == "party_group" and facts.has_param("meetings.party_group.agenda_set_by", on):
        return [rules.param("meetings.party_group.agenda_set_by", on)]
    return []


def item_actions(person, item: AgendaItem, r: MeetingRights, on: dt.date) -> dict:
    agenda_open = item.meeting.status in (Meeting.Status.PLANNED, Meeting.Status.PENDING, Meeting.Status.APPROVED)
    proposed = item.status == AgendaItem.Status.PROPOSED
    codes = set(facts.codes_of(person, on))
    may_confirm = agenda_open and proposed and (
        r.chair or r.office or bool(codes & set(confirmer_codes(item.meeting, on))))
    may_withdraw = agenda_open and item.status in (AgendaItem.Status.PROPOSED, AgendaItem.Status.CONFIRMED) and (
        item.proposer_id == person.pk or r.office or r.chair)
    return {"confirm": may_confirm, "withdraw": may_withdraw}


def may_propose(person, meeting: Meeting, r: MeetingRights, on: dt.date) -> bool:
    open_ = meeting.status in (Meeting.Status.PLANNED, Meeting.Status.PENDING, Meeting.Status.APPROVED)
    return open_ and (r.office or r.sees_all or r.attendance is not None)


# ---- the signing chain of the minutes (art. 60–62) ----------------------------------------

def minutes_next(minutes, on: dt.date) -> dict:
    """Who acts next on the minutes: the step, and the people holding its open task."""
    from zhengwu.workflow.models import Task

    if minutes is None:
        return {"step": "draft", "who": []}
    if minutes.status == minutes.Status.DRAFT:
        return {"step": "submit", "who": []}
    if minutes.status == minutes.Status.SIGNED:
        return {"step": "done", "who": []}
    if minutes.approval_id is None:
        return {"step": "sign", "who": [minutes.meeting.chair] if minutes.meeting.chair_id else []}
    tasks = list(Task.objects.filter(approval_id=minutes.approval_id, kind=Task.Kind.STEP, status=Task.Status.OPEN)
                 .select_related("assignee").order_by("id"))
    step = "sign" if any(t.step_id == "head_sign" for t in tasks) else "review"
    return {"step": step, "who": [t.assignee for t in tasks if t.assignee_id], "tasks": tasks}


# ---- follow-ups (art. 63) ------------------------------------------------------------------

@dataclass
class FollowUpRow:
    followup: FollowUp
    days_limit: int
    days_used: int
    days_left: int
    overdue: bool


def followup_rows(person, *, meeting: Meeting | None = None, open_only: bool = False,
                  on: dt.date | None = None) -> list[FollowUpRow]:
    """The follow-up documents of the meetings the person may see, with the working days used and
    left against meetings.document_issue_days (art. 63)."""
    from zhengwu.workcalendar.selectors import work_calendar

    on = on or rules.today()
    qs = FollowUp.objects.filter(meeting__in=access.visible_meetings(person, on=on).values("pk"))
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    if open_only:
        qs = qs.filter(issued_on__isnull=True)
    cal = work_calendar()
    limit = int(rules.param("meetings.document_issue_days", on))
    out = []
    for f in qs.select_related("meeting", "item", "lead_unit", "document").order_by("due_on", "id"):
        end = f.issued_on or max(on, f.decided_on)
        used = cal.count_workdays(f.decided_on, end)
        left = cal.count_workdays(on, f.due_on) if f.issued_on is None else 0
        out.append(FollowUpRow(f, limit, used, left, (f.issued_on or on) > f.due_on))
    return out


def pending_leaves(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.filter(status=Attendance.Status.LEAVE_REQUESTED).select_related("person"))


def upcoming_and_past(qs, at: dt.datetime, n: int = 10) -> tuple[list[Meeting], list[Meeting]]:
    upcoming = list(qs.filter(ends_at__gte=at).exclude(status=Meeting.Status.CANCELLED).order_by("starts_at", "id")[:n])
    past = list(qs.filter(Q(ends_at__lt=at) | Q(status=Meeting.Status.CANCELLED)).order_by("-starts_at", "-id")[:n])
    return upcoming, past
