"""Meeting notices (会议通知) through the workflow's notifications: once a meeting is approved its
members and 列席 invitees are told the time, the place, the agenda and the materials; each message
has a key, so sending twice sends nothing twice."""

from __future__ import annotations

from typing import Iterable

from django.utils import timezone

from zhengwu import rules
from zhengwu.workflow import notify

from .models import AgendaItem, Attendance, Meeting


def link(meeting: Meeting) -> str:
    return f"/meetings/{meeting.pk}/"


def notice_body(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    lines = [f"时间：{start:%Y年%m月%d日 %H:%M}—{end:%H:%M}", f"地点：{meeting.place or '另行通知'}",
             f"主持：{meeting.chair or '另行通知'}", "议题："]
    items = list(meeting.items.exclude(status=AgendaItem.Status.WITHDRAWN).order_by("order", "id"))
    lines += [f"  {i}. {item.title}" for i, item in enumerate(items, 1)] or ["  另行通知"]
    materials = [m for item in items for m in item.materials]
    lines.append("材料：" + ("；".join(materials) if materials else "无"))
    lines.append(f"因故不能参加的，请会前向主持会议的区政府领导请假{rules.cite('R64.leave', timezone.localdate(meeting.starts_at))}。")
    return "\n".join(lines)


def notice_params(meeting: Meeting) -> dict:
    """The notice body's facts for a reader in another language (Notification.display_body)."""
    items = list(meeting.items.exclude(status=AgendaItem.Status.WITHDRAWN).order_by("order", "id"))
    return {"body_msg": "meetings.notice",
            "start": timezone.localtime(meeting.starts_at).isoformat(), "end": timezone.localtime(meeting.ends_at).isoformat(),
            "place": meeting.place or "", "chair": str(meeting.chair) if meeting.chair_id else "",
            "items": [item.title for item in items], "materials": [m for item in items for m in item.materials],
            "article": rules.article_of("R64.leave", timezone.localdate(meeting.starts_at))}


def send_notices(meeting: Meeting, *, changed: bool = False, only: Iterable | None = None) -> int:
    """The notice to everyone expected (not those on leave); `changed` for a moved meeting."""
    people = [a.person for a in meeting.attendances.exclude(status=Attendance.Status.ON_LEAVE).select_related("person")]
    if meeting.chair_id and meeting.chair_id not in {p.pk for p in people}:
        people.append(meeting.chair)
    if only is not None:
        wanted = {p.pk for p in only}
        people = [p for p in people if p.pk in wanted]
    head = "会议变更通知" if changed else "会议通知"
    sent = 0
    for person in people:
        if notify.send(person=person, kind="info", title=f"{head}：{meeting.title}", body=notice_body(meeting),
                       link=link(meeting), key=f"meetings.notice:{meeting.pk}:v{meeting.version}:{person.pk}",
                       msg="meetings.changed" if changed else "meetings.notice",
                       params={"title": meeting.title, **notice_params(meeting)}):
            sent += 1
    return sent


def send_cancelled(meeting: Meeting, reason: str) -> int:
    sent = 0
    for att in meeting.attendances.select_related("person"):
        if notify.send(person=att.person, kind="info", title=f"会议取消：{meeting.title}", body=reason,
                       link=link(meeting), key=f"meetings.cancel:{meeting.pk}:{att.person_id}",
                       msg="meetings.cancelled", params={"title": meeting.title}):
            sent += 1
    return sent


def send_reminder(meeting: Meeting) -> int:
    """The reminder the working day before (keyed per meeting, start time and person)."""
    sent = 0
    stamp = timezone.localtime(meeting.starts_at).strftime("%Y%m%d%H%M")
    for att in meeting.attendances.exclude(status=Attendance.Status.ON_LEAVE).select_related("person"):
        if notify.send(person=att.person, kind="reminder", title=f"会议提醒：{meeting.title}", body=notice_body(meeting),
                       link=link(meeting), key=f"meetings.reminder:{meeting.pk}:{stamp}:{att.person_id}",
                       msg="meetings.reminder", params={"title": meeting.title, **notice_params(meeting)}):
            sent += 1
    return sent
