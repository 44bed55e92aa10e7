"""The meetings' part of `zhengwu tick` (idempotent: every message is keyed):
- the reminder to everyone expected, the working day before an approved meeting
  (workflow.reminder_days_before_due working days ahead, the office's setting);
- the office alerted when a regular meeting falls due and none is scheduled in time: 全体会议
  half-yearly, 常务会议 monthly (R58.frequency, R60.frequency);
- documents a meeting decided to issue: a reminder before their due date, and the office told once
  they are late (R63.issue_within: 7 working days after the meeting, on the official calendar).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.org import selectors as org
from zhengwu.org.models import Government
from zhengwu.rulebook import declare, note_exercised
from zhengwu.rulebook.rules.meetings import FollowupFacts, FrequencyFacts
from zhengwu.workflow import notify

from . import notices
from .models import FollowUp, Meeting

# the reminder follows the notice of a meeting the 区长 (or the 常务会议) approved: art. 65, not art.
# 64 (which is about leave)
MEETING_REMINDER = declare("W65.meeting_reminder", article=65, kind="reminder",
                           summary="会前一个工作日提醒参会人员（时间、地点、议题、材料）")
FOLLOWUP_REMINDER = declare("W63.issue_reminder", article=63, kind="reminder",
                            summary="会议决定印发的文件到期前催办、逾期报办公室")
REGULAR_TYPES = ("plenary", "standing")  # the types whose frequency the rulebook sets (R58/R60.frequency)


@dataclass
class MeetingsTickResult:
    reminders: int = 0
    frequency_alerts: int = 0
    followup_reminders: int = 0
    followup_overdue: int = 0

    def __str__(self) -> str:
        return (f"{self.reminders} meeting reminders, {self.frequency_alerts} frequency alerts, "
                f"{self.followup_reminders} follow-up reminders, {self.followup_overdue} overdue follow-ups")


def _office_people(government: Government, on: dt.date) -> list:
    pos = org.position_by_code(government, "office_director")
    person = org.acting_for(pos, on) if pos else None
    return [person] if person else []


def _local_range(day: dt.date):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def remind_meetings(on: dt.date, cal, result: MeetingsTickResult) -> None:
    """On a working day, remind about approved meetings held after today and no later than the
    next working day(s) ahead (so Friday's tick covers Monday's meeting)."""
    if not cal.is_workday(on):
        return
    ahead = max(1, int(rules.param("workflow.reminder_days_before_due", on)))
    last = cal.add_workdays(on, ahead)
    start, _ = _local_range(on + dt.timedelta(days=1))
    _, end = _local_range(last)
    for meeting in Meeting.objects.filter(status=Meeting.Status.APPROVED, starts_at__gte=start, starts_at__lt=end):
        note_exercised(MEETING_REMINDER)
        with transaction.atomic():
            sent = notices.send_reminder(meeting)
            if sent:
                result.reminders += sent
                audit_append(actor=None, action="meetings.meeting.remind", obj_type="meetings.meeting",
                             obj_id=str(meeting.pk), after={"sent": sent, "on": on.isoformat()},
                             article=rules.article_of(MEETING_REMINDER, on),
                             summary=f"会前提醒：{meeting.title}（{sent}人）")


def frequency_findings(government: Government, on: dt.date) -> list:
    """The R58/R60.frequency findings for the regular meetings of a government on `on`."""
    term = org.term_on(government, on)
    found = []
    for meeting_type in REGULAR_TYPES:
        meetings = Meeting.objects.filter(government=government, meeting_type=meeting_type).exclude(
            status=Meeting.Status.CANCELLED)
        held = meetings.filter(status=Meeting.Status.CLOSED).order_by("-starts_at").first()
        last_held = timezone.localdate(held.starts_at) if held else (term.start if term else None)
        if last_held is None or last_held > on:
            continue
        nxt = meetings.exclude(status=Meeting.Status.CLOSED).filter(
            starts_at__gte=_local_range(last_held)[1]).order_by("starts_at").first()
        facts = FrequencyFacts(meeting_type=meeting_type, last_held=last_held, today=on,
                               next_scheduled=timezone.localdate(nxt.starts_at) if nxt else None)
        found += [(meeting_type, last_held, v) for v in rules.check("meetings.frequency", facts, on=on)]
    return found


def alert_frequency(on: dt.date, result: MeetingsTickResult) -> None:
    for government in Government.objects.all():
        for meeting_type, last_held, v in frequency_findings(government, on):
            with transaction.atomic():
                sent = [p for p in _office_people(government, on) if notify.send(
                    person=p, kind="reminder", title=f"例会提醒：{rules.param('meetings.types', on)[meeting_type]}",
                    body=v.message, link="/meetings/",
                    key=f"meetings.frequency:{government.pk}:{meeting_type}:{last_held.isoformat()}:{v.field}")]
                if sent:
                    result.frequency_alerts += 1
                    audit_append(actor=None, action="meetings.frequency.alert", obj_type="meetings.frequency",
                                 obj_id=f"{government.pk}:{meeting_type}", after={"message": v.message},
                                 article=v.article, summary=v.message[:200])


def followup_facts(followup: FollowUp, on: dt.date, cal) -> FollowupFacts:
    if followup.issued_on is not None:
        return FollowupFacts(decided_on=followup.decided_on, document=followup.title, issued_on=followup.issued_on,
                             working_days_between=cal.count_workdays(followup.decided_on, followup.issued_on))
    return FollowupFacts(decided_on=followup.decided_on, document=followup.title,
                         today_working_days_since=cal.count_workdays(followup.decided_on, max(on, followup.decided_on)))


def remind_followups(on: dt.date, cal, result: MeetingsTickResult) -> None:
    ahead = int(rules.param("workflow.reminder_days_before_due", on))
    horizon = cal.add_workdays(on, ahead) if ahead > 0 else on
    for followup in FollowUp.objects.filter(issued_on__isnull=True, decided_on__lte=on).select_related(
            "meeting", "meeting__government", "lead_unit"):
        note_exercised(FOLLOWUP_REMINDER)
        government = followup.meeting.government
        people = _office_people(government, on)
        if followup.lead_unit_id:
            head = org.unit_head(followup.lead_unit, on)
            if head is not None and head not in people:
                people.append(head)
        late = [v for v in rules.check("meetings.followup", followup_facts(followup, on, cal), on=on)]
        with transaction.atomic():
            if late:
                sent = [p for p in people if notify.send(
                    person=p, kind="escalation", title=f"逾期未印发：{followup.title}", body=late[0].message,
                    link=notices.link(followup.meeting), key=f"meetings.followup.overdue:{followup.pk}:{p.pk}",
                    msg="meetings.followup_overdue", params={"title": followup.title})]
                if sent:
                    result.followup_overdue += 1
                    audit_append(actor=None, action="meetings.followup.remind", obj_type="meetings.followup",
                                 obj_id=str(followup.pk), after={"overdue": True, "to": [p.pk for p in sent]},
                                 article=rules.article_of(FOLLOWUP_REMINDER, on), summary=late[0].message[:200])
            elif followup.due_on <= horizon:
                sent = [p for p in people if notify.send(
                    person=p, kind="reminder", title=f"催办：{followup.title}",
                    body=f"会议决定印发的文件应于{followup.due_on.isoformat()}前印发{rules.cite('R63.issue_within', on)}",
                    link=notices.link(followup.meeting), key=f"meetings.followup.remind:{followup.pk}:{p.pk}",
                    msg="workflow.reminder", params={"title": followup.title})]
                if sent:
                    result.followup_reminders += 1
                    audit_append(actor=None, action="meetings.followup.remind", obj_type="meetings.followup",
                                 obj_id=str(followup.pk), after={"due_on": followup.due_on.isoformat(),
                                                                 "to": [p.pk for p in sent]},
                                 article=rules.article_of(FOLLOWUP_REMINDER, on), summary=f"催办印发《{followup.title}》")


def meetings_tick(on: dt.date | None = None) -> MeetingsTickResult:
    from zhengwu.workcalendar.selectors import work_calendar

    on = on or rules.today()
    cal = work_calendar()
    result = MeetingsTickResult()
    remind_meetings(on, cal, result)
    alert_frequency(on, result)
    remind_followups(on, cal, result)
    return result
