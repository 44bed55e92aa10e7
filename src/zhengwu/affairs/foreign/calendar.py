"""This section's entries on the leaders' calendar (art. 94, zhengwu.affairs.leave.calendar): the
foreign-affairs events a leader was invited to (filed or being filed), the leaders' approved visits
abroad and their days at the grassroots (art. 93)."""

from __future__ import annotations

import datetime as dt
from typing import Iterable


def _days(start: dt.date, end: dt.date, lo: dt.date, hi: dt.date):
    day = max(start, lo)
    while day <= min(end, hi):
        yield day
        day += dt.timedelta(days=1)


def foreign_source(government, start: dt.date, end: dt.date, leader_ids: set[int]) -> Iterable:
    from zhengwu.affairs.leave.calendar import Entry

    from .models import Invitation, ResearchTrip, Visit

    for inv in (Invitation.objects.filter(government=government, leader_id__in=leader_ids, event_on__gte=start,
                                          event_on__lte=end)
                .exclude(status=Invitation.Status.RETURNED).select_related("unit")):
        yield Entry(leader_id=inv.leader_id, day=inv.event_on, title=f"外事活动：{inv.title}（{inv.unit.name}邀请）",
                    kind="外事", place=inv.place, url=f"/affairs/foreign/invitations/{inv.pk}/",
                    arranged_by_office=inv.status == Invitation.Status.FILED)
    for v in Visit.objects.filter(government=government, traveller_id__in=leader_ids, departs_on__lte=end,
                                  returns_on__gte=start, status__in=[Visit.Status.APPROVED, Visit.Status.LEFT]):
        for day in _days(v.departs_on, v.returns_on, start, end):
            yield Entry(leader_id=v.traveller_id, day=day, title=f"出访{'、'.join(v.countries)}", kind="出访",
                        url=f"/affairs/foreign/visits/{v.pk}/")
    for t in ResearchTrip.objects.filter(plan__government=government, plan__leader_id__in=leader_ids,
                                         starts_on__lte=end, ends_on__gte=start).select_related("plan"):
        for day in _days(t.starts_on, t.ends_on, start, end):
            yield Entry(leader_id=t.plan.leader_id, day=day, title=f"基层调研{('：' + t.topic) if t.topic else ''}",
                        kind="调研", place=t.place, url=f"/affairs/foreign/research/{t.plan_id}/")


def register() -> None:
    """Add this source to the leaders' calendar when the calendar is there."""
    try:
        from zhengwu.affairs.leave.calendar import register_calendar_source
    except ImportError:  # the leaders' calendar is not installed
        return
    register_calendar_source(foreign_source, name="foreign")
