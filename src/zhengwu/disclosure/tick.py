"""Proactive disclosure's part of `zhengwu tick` (idempotent: keyed notifications, the escalation set once):
- yellow: the office is reminded before the due date (条例 art. 26: 20 working days);
- red: the record is marked 逾期 (`escalated_on`, audited) and the office's director and the issuing
  unit's head are told.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu.org import selectors as org
from zhengwu.rulebook import declare, note_exercised
from zhengwu.workflow import notify

from . import selectors, services
from .models import Record

REMINDER = declare("W33.queue_reminder", article=33, kind="reminder",
                   summary="主动公开信息临近公开期限提醒、逾期督办")


def disclosure_tick(on: dt.date) -> str:
    reminded = escalated = 0
    records = selectors.queue(Record.objects.filter(due_on__isnull=False)).select_related("government", "unit")
    offices: dict[int, object] = {}
    for record, lt in selectors.with_lights(records, on):
        if record.government_id not in offices:
            office = services.office_unit(record.government)
            offices[record.government_id] = org.unit_head(office, on) if office else None
        director = offices[record.government_id]
        link = f"/disclosure/queue/{record.pk}/"
        with transaction.atomic():
            if lt.colour == selectors.YELLOW and director is not None:
                if notify.send(person=director, kind="reminder", title=f"主动公开临近期限：{record.title}",
                               msg="disclosure.due_soon", params={"title": record.title},
                               body=f"公开期限{record.due_on.isoformat()}，还有{lt.days_left}个工作日", link=link,
                               key=f"disclosure:yellow:{record.pk}:{record.due_on}"):
                    reminded += 1
                    note_exercised(REMINDER)
            elif lt.colour == selectors.RED:
                if services.record_escalate(record, on):
                    escalated += 1
                    note_exercised(REMINDER)
                for person in {director, org.unit_head(record.unit, on)} - {None}:
                    notify.send(person=person, kind="escalation", title=f"主动公开已逾期：{record.title}",
                                msg="disclosure.overdue", params={"title": record.title},
                                body=f"公开期限{record.due_on.isoformat()}，已逾期{-lt.days_left}个工作日", link=link,
                                key=f"disclosure:red:{record.pk}:{record.due_on}:{person.pk}")
    return f"disclosure: {reminded} reminded, {escalated} overdue"
