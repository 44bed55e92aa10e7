"""The bodies' part of `zhengwu tick` (idempotent: every notification is keyed, flags set once):
- art. 74: an established body whose goals for the year are missing after the due day is flagged
  (R74.annual_goals) and the 区政府办公室 told, once per body and year;
- art. 73: the bodies whose head left the post or whose 分管 leader changed are listed for
  adjustment and the office told, once per body and day the change was found;
- art. 75: an open emergency report of a clocked level whose phone or written report is past its
  clock and still missing is flagged as late (R75.on_time) and the office told.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhengwu import rules
from zhengwu.errors import Conflict
from zhengwu.rulebook import declare, note_exercised
from zhengwu.transitions import set_once

from . import selectors, services
from .models import CoordinationBody, EmergencyReport

ADJUST = declare("W73.adjust", article=73, kind="reminder",
                 summary="区政府领导分工或任职变化后，列出其担任负责人的议事协调机构并提示区政府办公室调整")
GOALS = declare("W74.goals", article=74, kind="reminder",
                summary="议事协调机构年底前未报送下一年度工作目标和任务的提示")


def bodies_tick(on: dt.date) -> str:
    goals = adjust = late = 0
    bodies = CoordinationBody.objects.filter(status=CoordinationBody.Status.ESTABLISHED) \
        .select_related("government", "unit", "office_unit", "head").prefetch_related("goals")
    for body in bodies:
        for year, v in selectors.goals_by_year(body, on):
            if v.blocks:
                with transaction.atomic():
                    if services._tell_office(body.government, on, kind="escalation",
                                             title=f"议事协调机构未报送年度工作目标：{body.name}", body=v.message,
                                             msg="bodies.goals_missing", params={"title": body.name},
                                             link=f"/affairs/bodies/{body.pk}/",
                                             key=f"bodies:goals:{body.pk}:{year}"):
                        goals += 1
                        note_exercised(GOALS)
    for body, why in _adjustments(on):
        with transaction.atomic():
            try:
                set_once(body, where={"adjust_flagged_on__isnull": True}, adjust_flagged_on=on, field="body_id")
            except Conflict:
                continue
            services._tell_office(body.government, on, title=f"议事协调机构负责人需调整：{body.name}", body=why,
                                  msg="bodies.head_to_adjust", params={"title": body.name},
                                  link=f"/affairs/bodies/{body.pk}/", key=f"bodies:adjust:{body.pk}:{on}")
            adjust += 1
            note_exercised(ADJUST)
    now = timezone.now() if on >= rules.today() else timezone.make_aware(dt.datetime.combine(on, dt.time.max))
    for report in EmergencyReport.objects.filter(status=EmergencyReport.Status.OPEN, late=False).select_related("government"):
        if services.flag_overdue(report, now, on):
            late += 1
    return f"{goals} bodies without annual goals, {adjust} bodies to adjust, {late} late emergency reports"


def _adjustments(on: dt.date):
    from zhengwu.org.models import Government

    for gov in Government.objects.all():
        for body, why in selectors.bodies_needing_adjustment(gov, on):
            if body.adjust_flagged_on is None:
                yield body, why
