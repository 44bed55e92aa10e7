"""Shared helpers of the meetings tests (tests/integration/test_meetings_*.py)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from zhengwu.meetings import services
from zhengwu.meetings.models import Meeting
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task

TZ = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 2)  # a Monday: the office prepares
MEETING_DAY = dt.date(2026, 11, 4)  # a Wednesday: the meeting
LEADERS = ["quzhang", "changwu", "fuqu1", "fuqu2", "fuqu3", "fuqu4"]


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def u(short_name: str) -> Unit:
    return Unit.objects.get(short_name=short_name)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def schedule(meeting_type: str = "standing", day: dt.date = MEETING_DAY, *, chair: str = "quzhang",
             start: int = 9, end: int = 11, actor: str = "wenshu", **kw) -> Meeting:
    title = kw.pop("title", {"plenary": "区政府第五次全体会议", "standing": "区政府第二十三次常务会议",
                             "head_office": "区长办公会议", "party_group": "区政府党组会议",
                             "topical": "城北物流园区建设专题会议"}.get(meeting_type, "会议"))
    return services.meeting_schedule(actor=p(actor), meeting_type=meeting_type, title=title,
                                     starts_at=at(day, start), ends_at=at(day, end),
                                     chair_id=p(chair).pk if chair else None, on=DAY, **kw)


def open_task(approval_id: int, username: str | None = None) -> Task:
    qs = Task.objects.filter(approval_id=approval_id, status="open", kind="step").order_by("id")
    if username:
        qs = qs.filter(assignee__username=username)
    return qs.first()


def approve(meeting: Meeting, *, decision: str = "同意", on: dt.date = DAY) -> Meeting:
    """Art. 65: the office reviews, the 区长 decides."""
    services.meeting_submit(actor=p("wenshu"), meeting_id=meeting.pk, on=on)
    meeting.refresh_from_db()
    review = open_task(meeting.approval_id, "bgs-zhuren")
    wf.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="拟同意", on=on)
    head = open_task(meeting.approval_id, "quzhang")
    wf.task_complete(actor=p("quzhang"), task_id=head.pk, decision=decision, on=on)
    meeting.refresh_from_db()
    return meeting


def sign_in(meeting: Meeting, usernames, *, hour: int = 8, minute: int = 50) -> None:
    day = meeting.starts_at.astimezone(TZ).date()
    for name in usernames:
        services.sign_in(actor=p(name), meeting_id=meeting.pk, at=at(day, hour, minute))


def item(meeting: Meeting, title: str = "关于2027年城区供热价格调整方案的议题", proposer: str = "fuqu1", **flags):
    fields = dict(has_substantive_content=True, has_clear_proposal=True, prior_procedure_complete=True,
                  concerns_whole_district=True)
    fields.update(flags)
    return services.item_propose(actor=p(proposer), meeting_id=meeting.pk, title=title, on=DAY, **fields)


def held(meeting_type: str = "standing", chair: str = "quzhang", day: dt.date = MEETING_DAY, **kw) -> Meeting:
    """A meeting of the type held on `day`: one item confirmed and decided (通过), four members in."""
    m = schedule(meeting_type, chair=chair, day=day, **kw)
    topical = meeting_type == "topical"
    it = item(m, proposer=chair if topical else "fuqu1", concerns_whole_district=True)
    services.item_confirm(actor=p(chair if topical else "quzhang"), item_id=it.pk, on=DAY)
    m = approve(m)
    present = [a.person.username for a in m.attendances.filter(role="member").select_related("person")]
    sign_in(m, present[:6] if meeting_type == "plenary" else present[:4])
    services.meeting_open(actor=p(chair), meeting_id=m.pk, at=at(day, 9))
    services.item_decide(actor=p(chair), item_id=it.pk, outcome="通过", conditions="由住建局牵头落实", at=at(day, 10))
    return services.meeting_close(actor=p(chair), meeting_id=m.pk, at=at(day, 11))
