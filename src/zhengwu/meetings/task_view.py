"""Meetings on the 办文 page (/tasks/<id>/): the object part of the tasks the meetings app runs
through the engine — a meeting's approval (art. 65: its agenda), a leave request (art. 64), the
review and signing of minutes (art. 60–62).

The fragment templates and `*_context(obj, task, person)` functions are what the meetings subjects
register (`workflow.subjects.Subject(fragment=…, fragment_context=…)`):

    meetings.meeting     MEETING_FRAGMENT   meeting_context
    meetings.attendance  LEAVE_FRAGMENT     leave_context
    meetings.minutes     MINUTES_FRAGMENT   minutes_context

Each checks that the person may see the meeting (`access.meeting_visible`) and refuses otherwise.
"""

from __future__ import annotations

from zhengwu import rules

from . import access
from .models import AgendaItem, Attendance, Meeting, Minutes
from .views_support import meeting_types, type_label

MEETING_FRAGMENT = "meetings/_task_meeting.html"
LEAVE_FRAGMENT = "meetings/_task_leave.html"
MINUTES_FRAGMENT = "meetings/_task_minutes.html"


def _meeting_facts(meeting: Meeting) -> dict:
    today = rules.today()
    return {"m": meeting, "type_label": type_label(meeting, meeting_types(today))}


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.items.exclude(status=AgendaItem.Status.WITHDRAWN)
                .select_related("proposer", "lead_unit").order_by("order", "id"))


def meeting_context(meeting: Meeting, task, person) -> dict:
    """A meeting submitted for approval: when, where, who chairs, its agenda and who attends."""
    meeting = access.meeting_visible(person, meeting.pk, on=rules.today())
    attendances = list(meeting.attendances.select_related("person").order_by("order", "id"))
    return {**_meeting_facts(meeting), "agenda": _agenda(meeting),
            "members": [a for a in attendances if a.role == Attendance.Role.MEMBER],
            "invitees": [a for a in attendances if a.role != Attendance.Role.MEMBER]}


def leave_context(attendance: Attendance, task, person) -> dict:
    """A request for leave from a meeting: who, from which meeting, why, their written views."""
    meeting = access.meeting_visible(person, attendance.meeting_id, on=rules.today())
    attendance = Attendance.objects.select_related("person").get(pk=attendance.pk)
    return {**_meeting_facts(meeting), "att": attendance, "agenda": _agenda(meeting)}


def minutes_context(minutes: Minutes, task, person) -> dict:
    """Minutes to review or sign: the text, the meeting they record, its decisions."""
    meeting = access.meeting_visible(person, minutes.meeting_id, on=rules.today())
    minutes = Minutes.objects.select_related("reviewed_by", "signed_by").get(pk=minutes.pk)
    return {**_meeting_facts(meeting), "minutes": minutes,
            "paras": [line.strip() for line in (minutes.body or "").splitlines() if line.strip()],
            "decided": [i for i in _agenda(meeting) if i.status == AgendaItem.Status.DECIDED]}
