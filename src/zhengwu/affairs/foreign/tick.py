"""This section's part of `zhengwu tick` (idempotent: every notification is keyed; the flags are set once):

- gifts of foreign_affairs.gift_value_threshold or more not handed to the 外事办公室 by their due date
  are flagged (R81.gift_handover): the recipient, the 外事办公室 and the 办公室主任 are told, once;
- each 区政府领导's research (art. 93): a missing plan once research.plan_due_month has passed, and at
  year end (on 31 December, and through January for the year just ended) the shortfalls — days at
  the grassroots under the month, key topics without a report (R93.grassroots, R93.key_topics) — are
  flagged to the leader and the 办公室主任, once per leader, year and rule.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Conflict
from zhengwu.org import selectors as org
from zhengwu.org.models import Government, Position
from zhengwu.rulebook import declare, note_exercised
from zhengwu.transitions import set_once
from zhengwu.workflow import notify

from . import access, services
from .models import Gift, ResearchPlan

GIFTS = declare("W81.gift_register", article=81, kind="register",
                summary="外事礼品登记簿：须上交的礼品限期交外事办公室，逾期提示")
RESEARCH = declare("W93.research_plans", article=93, kind="register",
                   summary="区政府领导年度调研计划、基层调研和调研报告，年终不足提示")


def foreign_tick(on: dt.date) -> str:
    gifts = _gifts(on)
    research = _research(on)
    return f"{gifts} late gifts flagged, {research} research shortfalls flagged"


def _gifts(on: dt.date) -> int:
    flagged = 0
    late = Gift.objects.filter(status=Gift.Status.DUE, due_on__lt=on, flagged_on__isnull=True).select_related("recipient")
    for gift in late:
        found = [v for v in rules.check("foreign.gift", services.gift_facts(gift, on), on=on) if v.blocks]
        if not found:
            continue
        note_exercised(GIFTS)
        with transaction.atomic():
            try:
                set_once(gift, where={"flagged_on__isnull": True}, versioned=False, flagged_on=on)
            except Conflict:
                continue  # another run flagged it
            people = {gift.recipient}
            gov = gift.recipient.government
            director = org.acting_for_code(gov, "office_director", on)
            if director is not None:
                people.add(director)
            for unit in access.custodian_units(gov.pk):
                head = org.unit_head(unit, on)
                if head is not None:
                    people.add(head)
            for person in people:
                notify.send(person=person, kind="escalation", title=f"外事礼品逾期未上交：{gift.description}",
                            msg="foreign.gift_overdue", params={"title": gift.description},
                            body=found[0].message, link=f"/affairs/foreign/gifts/{gift.pk}/",
                            key=f"foreign:gift:late:{gift.pk}:{person.pk}")
            audit_append(actor=None, action="foreign.gift.flag", obj_type=services.OBJ_GIFT, obj_id=str(gift.pk),
                         after={"due_on": gift.due_on.isoformat(), "flagged_on": on.isoformat()},
                         article=found[0].article, summary=f"外事礼品逾期未上交：{gift.description}")
            flagged += 1
    return flagged


def _years(on: dt.date) -> list[tuple[int, bool]]:
    """(year, at year end?) to check on `on`: this year, and in January the year just ended."""
    years = [(on.year, on >= dt.date(on.year, 12, 31))]
    if on.month == 1:
        years.append((on.year - 1, True))
    return years


def leaders(government: Government, on: dt.date) -> list:
    """The 区政府领导同志 holding their posts on `on`, in rank order."""
    out = []
    for pos in Position.objects.filter(government=government, code__in=org.LEADER_CODES).order_by("rank", "id"):
        holder = org.holder_of(pos, on)
        if holder is not None and holder not in out:
            out.append(holder)
    return out


def _research(on: dt.date) -> int:
    flagged = 0
    for gov in Government.objects.all():
        people = leaders(gov, on)
        director = org.acting_for_code(gov, "office_director", on)
        for year, year_end in _years(on):
            plans = {p.leader_id: p for p in ResearchPlan.objects.filter(government=gov, year=year)
                     .prefetch_related("trips", "reports")}
            for leader in people:
                plan = plans.get(leader.pk)
                facts = services.research_facts(leader, year, plan, on, year_end=year_end)
                for v in rules.check("foreign.research", facts, on=on):
                    note_exercised(RESEARCH)
                    with transaction.atomic():
                        sent = notify.send(person=leader, kind="reminder", title=f"{year}年度调研：{leader}",
                                           body=v.message, link="/affairs/foreign/research/",
                                           key=f"foreign:research:{leader.pk}:{year}:{v.rule_id}:{v.field}")
                        if not sent:
                            continue
                        if director is not None and director.pk != leader.pk:
                            notify.send(person=director, kind="reminder", title=f"{year}年度调研：{leader}",
                                        body=v.message, link="/affairs/foreign/research/",
                                        key=f"foreign:research:{leader.pk}:{year}:{v.rule_id}:{v.field}:office")
                        if plan is not None and year_end and plan.flagged_on is None:
                            set_once(plan, where={"flagged_on__isnull": True}, versioned=False, flagged_on=on)
                        audit_append(actor=None, action="foreign.research.flag", obj_type=services.OBJ_PLAN,
                                     obj_id=str(plan.pk) if plan else f"{leader.pk}:{year}",
                                     after={"leader": leader.pk, "year": year, "rule": v.rule_id},
                                     article=v.article, summary=v.message[:200])
                        flagged += 1
    return flagged
