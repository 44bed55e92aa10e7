"""The leaders' calendar (领导活动安排, art. 94: 区政府领导同志所有公务活动均由区政府办公室统一安排).

The calendar gathers entries from registered sources. Each source is a function
`(government, start, end, leader_ids) -> iterable of Entry` for the days start..end (inclusive).
This app contributes the activities the office arranges here, the leaders' absences (leave, art.
89/15) and their meetings; other sections add theirs from their AppConfig.ready():

    from zhengwu.affairs.leave.calendar import register_calendar_source
    register_calendar_source(my_visits_source)

An entry a source knows was not arranged through the office says so (`arranged_by_office=False`):
the calendar shows it flagged, citing art. 94. Activities put on the calendar here are arranged by
the office by construction (R94.office_arranged refuses anyone else).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable

from django.utils.translation import pgettext

from zhengwu.rulebook import declare, note_exercised

CALENDAR = declare("W94.leaders_calendar", article=94, kind="register",
                   summary="区政府领导同志公务活动安排（会议、外出、调研、接待等），按领导和全体领导按周查看")


@dataclass(frozen=True)
class Entry:
    leader_id: int
    day: dt.date
    title: str
    kind: str  # what the UI calls it: 会议, 外出, 活动 …
    time: str = ""  # "09:30" or "09:30–11:00"; "" = all day
    place: str = ""
    url: str = ""
    arranged_by_office: bool = True  # False: flagged (art. 94)

    @property
    def kind_label(self) -> str:
        """The kind in the reader's language ("away", "meeting", "activity" in English); a kind
        another source names stays as it is."""
        from django.utils.translation import pgettext

        labels = {"外出": pgettext("leaders calendar", "away"), "会议": pgettext("leaders calendar", "meeting"),
                  "活动": pgettext("leaders calendar", "activity")}
        return labels.get(self.kind, self.kind)


Source = Callable[..., Iterable[Entry]]
_SOURCES: dict[str, Source] = {}


def register_calendar_source(fn: Source, name: str | None = None) -> Source:
    """Add a source of calendar entries (idempotent per name, by default the function's qualified name)."""
    _SOURCES[name or f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def sources() -> dict[str, Source]:
    return dict(_SOURCES)


def _time(start, end) -> str:
    if start is None:
        return ""
    return f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}"


def events_source(government, start: dt.date, end: dt.date, leader_ids: set[int]) -> Iterable[Entry]:
    """The activities the office arranged here (CalendarEvent)."""
    from .models import CalendarEvent

    for e in CalendarEvent.objects.filter(government=government, cancelled=False, day__gte=start, day__lte=end,
                                          leader_id__in=leader_ids):
        yield Entry(leader_id=e.leader_id, day=e.day, title=e.title, kind="活动", time=_time(e.start_time, e.end_time),
                    place=e.place, url=f"/affairs/leave/calendar/?week={e.day.isoformat()}&leader={e.leader_id}")


def absences_source(government, start: dt.date, end: dt.date, leader_ids: set[int]) -> Iterable[Entry]:
    """The leaders' absences (外出/休假, recorded from an agreed 请假 or by the office), with who acts."""
    from zhengwu.org.models import Absence

    from .models import LeaveRequest

    links = dict(LeaveRequest.objects.filter(absence__isnull=False, person_id__in=leader_ids)
                 .values_list("absence_id", "pk"))
    for a in (Absence.objects.filter(person_id__in=leader_ids, cancelled=False, start__lte=end, end__gte=start)
              .select_related("substitute")):
        day = max(a.start, start)
        while day <= min(a.end, end):
            acting = pgettext("leaders calendar", ", %(who)s acts") % {"who": a.substitute} if a.substitute_id else ""
            yield Entry(leader_id=a.person_id, day=day, title=f"{a.reason}{acting}", kind="外出",
                        url=f"/affairs/leave/{links[a.pk]}/" if a.pk in links else "")
            day += dt.timedelta(days=1)


def meetings_source(government, start: dt.date, end: dt.date, leader_ids: set[int]) -> Iterable[Entry]:
    """The meetings a leader chairs or attends (arranged and approved through the office, art. 65)."""
    from django.db.models import Q
    from django.utils import timezone

    from zhengwu.meetings.models import Attendance, Meeting

    live = (Meeting.Status.PENDING, Meeting.Status.APPROVED, Meeting.Status.OPEN, Meeting.Status.CLOSED)
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    meetings = (Meeting.objects.filter(government=government, status__in=live, starts_at__gte=begin, starts_at__lt=stop)
                .filter(Q(chair_id__in=leader_ids) | Q(attendances__person_id__in=leader_ids)).distinct()
                .select_related("room"))  # the place of each: not a query per meeting
    people = {}
    for att in Attendance.objects.filter(meeting__in=meetings, person_id__in=leader_ids).exclude(
            status=Attendance.Status.ON_LEAVE).values_list("meeting_id", "person_id"):
        people.setdefault(att[0], set()).add(att[1])
    for m in meetings:
        at, until = timezone.localtime(m.starts_at, tz), timezone.localtime(m.ends_at, tz)
        for pid in sorted(people.get(m.pk, set()) | ({m.chair_id} if m.chair_id in leader_ids else set())):
            yield Entry(leader_id=pid, day=at.date(), title=m.title, kind="会议", time=_time(at.time(), until.time()),
                        place=m.place or (str(m.room) if m.room_id else ""), url=f"/meetings/{m.pk}/")


register_calendar_source(events_source)
register_calendar_source(absences_source)
register_calendar_source(meetings_source)


def leaders(government, on: dt.date) -> list:
    """The 区政府领导同志 (区长, 常务副区长, 副区长) on `on`, in rank order: [(person, position)]."""
    from zhengwu.org import selectors as org
    from zhengwu.org.models import Appointment

    seen, out = set(), []
    for a in (org._active(Appointment.objects.filter(position__government=government,
                                                     position__code__in=org.LEADER_CODES), on)
              .select_related("person", "position").order_by("position__rank", "position_id")):
        if a.person_id not in seen:
            seen.add(a.person_id)
            out.append((a.person, a.position))
    return out


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def entries(government, start: dt.date, end: dt.date, leader_ids: Iterable[int]) -> list[Entry]:
    """Every source's entries for the leaders and days, sorted by day, leader and time."""
    ids = set(leader_ids)
    note_exercised(CALENDAR)
    found: list[Entry] = []
    for fn in _SOURCES.values():
        found.extend(e for e in fn(government, start, end, ids) if e.leader_id in ids and start <= e.day <= end)
    return sorted(found, key=lambda e: (e.day, e.leader_id, e.time == "", e.time, e.title))
