"""The proposals' part of `zhengwu tick` (idempotent: keyed notifications, a single-shot mark):
- the lead unit's head reminded once per deadline when the answer falls due within
  proposals.reminder_days working days (W39.reminder); a co-unit's head once when its opinion to
  the lead is late;
- an item past its answer deadline (R39.answer_deadline) is escalated once per deadline: the
  office director, the lead unit's head and its 分管 leader are told (督办), the item marked;
- an answered item not published within proposals.publish_days working days and with no reason
  recorded (R39.publish_results) is flagged to the office once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.org import selectors as org
from zhengwu.rulebook import declare, note_exercised
from zhengwu.workflow import notify

from . import services
from .models import Proposal

ESCALATION = declare("W39.overdue_escalation", article=39, kind="reminder",
                     summary="建议提案逾期未答复的督办（通知办公室、主办单位及其分管领导）")
REMINDER = declare("W39.reminder", article=39, kind="reminder",
                   summary="建议提案答复期限前提醒主办单位，会办意见逾期提醒会办单位")
PUBLICATION = declare("W39.publication_flag", article=39, kind="reminder",
                      summary="办理结果逾期未公开的提醒（主动公开办理结果）")


@dataclass
class ProposalsTickResult:
    escalations: int = 0
    publication_flags: int = 0
    reminders: int = 0

    def __str__(self) -> str:
        return (f"{self.escalations} overdue proposals escalated, {self.publication_flags} unpublished results "
                f"flagged, {self.reminders} reminders")


def remind(on: dt.date, result: ProposalsTickResult) -> None:
    from zhengwu.workcalendar.selectors import work_calendar

    from .models import CoUnit

    horizon = work_calendar().add_workdays(on, int(rules.param("proposals.reminder_days", on)))
    due_soon = (Proposal.objects.filter(status__in=services.OPEN, due_on__gte=on, due_on__lte=horizon)
                .select_related("lead_unit"))
    for item in due_soon.iterator(chunk_size=200):
        note_exercised(REMINDER)
        head = org.unit_head(item.lead_unit, on) if item.lead_unit_id else None
        if head is not None and notify.send(person=head, kind="reminder", key=f"proposal-remind:{item.pk}:{item.due_on}",
                                            title=f"催办：{item.title}",
                                            msg="proposals.reminder", params={"title": item.title},
                                            body=f"请于{item.due_on.isoformat()}前答复代表委员{rules.cite(REMINDER, on)}",
                                            link=f"/proposals/{item.pk}/") is not None:
            result.reminders += 1
    late = (CoUnit.objects.filter(opinion_on__isnull=True, due_on__lt=on, proposal__status__in=services.OPEN)
            .select_related("unit", "proposal"))
    for co in late.iterator(chunk_size=200):
        note_exercised(REMINDER)
        head = org.unit_head(co.unit, on)
        if head is not None and notify.send(person=head, kind="reminder", key=f"proposal-co-late:{co.pk}:{co.due_on}",
                                            title=f"催办会办意见：{co.proposal.title}",
                                            msg="proposals.co_reminder", params={"title": co.proposal.title},
                                            body=f"会办意见应于{co.due_on.isoformat()}前送主办单位{rules.cite(REMINDER, on)}",
                                            link=f"/proposals/{co.proposal_id}/") is not None:
            result.reminders += 1


def _people(item: Proposal, on: dt.date) -> list:
    found = [org.acting_for_code(item.government, "office_director", on)]
    if item.lead_unit_id:
        found += [org.unit_head(item.lead_unit, on), org.leader_of_unit(item.lead_unit, on)]
    return org.distinct_people(*found)


def escalate_overdue(on: dt.date, result: ProposalsTickResult) -> None:
    overdue = (Proposal.objects.filter(status__in=services.OPEN, due_on__lt=on, escalated_on__isnull=True)
               .select_related("government", "lead_unit", "batch"))
    for item in overdue.iterator(chunk_size=200):
        found = services.deadline_findings(item, on=on)
        if not found:
            continue
        note_exercised(ESCALATION)
        with transaction.atomic():
            if not services.mark_escalated(item, on):
                continue
            label = services.body_label(item, on)
            notify.send_all(notify.build(person=p, kind="escalation", key=f"proposal-overdue:{item.pk}:{item.due_on}:{p.pk}",
                                         title=f"督办：{label}“{item.title}”已逾期未答复",
                                         body=f"{item.lead_unit.name if item.lead_unit else ''}应于{item.due_on.isoformat()}前答复"
                                              f"{rules.cite('R39.answer_deadline', on)}",
                                         link=f"/proposals/{item.pk}/") for p in _people(item, on))
            audit_append(actor=None, action="proposals.item.escalate", obj_type=services.OBJ, obj_id=str(item.pk),
                         after={"due_on": item.due_on.isoformat(), "escalated_on": on.isoformat()},
                         article=rules.article_of(ESCALATION, on), summary=f"逾期督办：{item.title}")
            result.escalations += 1


def flag_unpublished(on: dt.date, result: ProposalsTickResult) -> None:
    answered = (Proposal.objects.filter(status__in=[Proposal.Status.ANSWERED, Proposal.Status.CLOSED],
                                        published_on__isnull=True, publish_withheld_reason="")
                .select_related("government"))
    for item in answered.iterator(chunk_size=200):
        if not services.publication_findings(item, on=on):
            continue
        note_exercised(PUBLICATION)
        director = org.acting_for_code(item.government, "office_director", on)
        if director is None:
            continue
        with transaction.atomic():
            sent = notify.send(person=director, kind="reminder", key=f"proposal-unpublished:{item.pk}:{item.answered_on}",
                               title=f"办理结果未公开：{item.title}",
                               msg="proposals.unpublished", params={"title": item.title},
                               body=f"{item.answered_on.isoformat()}答复，已超过公开时限{rules.cite('R39.publish_results', on)}",
                               link=f"/proposals/{item.pk}/")
            if sent is not None:
                result.publication_flags += 1


def proposals_tick(on: dt.date | None = None) -> ProposalsTickResult:
    on = on or rules.today()
    result = ProposalsTickResult()
    remind(on, result)
    escalate_overdue(on, result)
    flag_unpublished(on, result)
    return result
