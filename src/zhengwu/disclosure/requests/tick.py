"""The requests' and 舆情's part of `zhengwu tick` (idempotent: keyed notifications, single-shot marks):
- a request past its answer day (R33.answer_deadline) is escalated once per due day: the office's
  director and the head of the unit it concerns are told, the request marked;
- a request waiting for a correction none came by the notice's period is closed once as 视为放弃申请
  (条例 第三十条, R33.correction_lapsed), audited; the office's staff who sent the notice is told;
- a consultation whose third party has not answered by its due day is put back to the office once;
- a 舆情 whose response is late or missing past its clock (R36.response_clock) is flagged once: the
  response owner, the lead unit's head and the office's director are told (art. 36)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.org import selectors as org
from zhengwu.rulebook import declare, note_exercised
from zhengwu.workflow import notify

from . import services
from .models import Consultation, InfoRequest, OpinionEvent

ESCALATION = declare("W33.request_overdue", article=33, kind="reminder",
                     summary="政府信息公开申请逾期未答复的督办（通知办公室主任和涉及单位负责人）")
CONSULTATION = declare("W33.consultation_due", article=33, kind="reminder",
                       summary="第三方逾期未提出意见的提醒（由行政机关决定是否公开）")
OPINION = declare("W36.response_late", article=36, kind="reminder",
                  summary="政务舆情逾期未回应或回应超时的提醒（回应责任人、牵头部门、办公室）")


@dataclass
class RequestsTickResult:
    escalations: int = 0
    consultations: int = 0
    opinions: int = 0
    abandoned: int = 0

    def __str__(self) -> str:
        return (f"{self.escalations} overdue information requests escalated, {self.abandoned} closed as given up "
                f"(no correction), {self.consultations} consultations "
                f"past due, {self.opinions} late 舆情 responses flagged")


def escalate_overdue(on: dt.date, result: RequestsTickResult) -> None:
    overdue = (InfoRequest.objects.filter(status__in=services.OPEN, due_on__lt=on, escalated_on__isnull=True)
               .select_related("government", "unit"))
    for item in overdue.iterator(chunk_size=200):
        if not services.deadline_findings(item, on=on):
            continue
        note_exercised(ESCALATION)
        with transaction.atomic():
            if not services.mark_escalated(item, on):
                continue
            people = org.distinct_people(org.acting_for_code(item.government, "office_director", on),
                             org.unit_head(item.unit, on) if item.unit_id else None)
            notify.send_all(notify.build(person=p, kind="escalation", key=f"info-request-overdue:{item.pk}:{item.due_on}:{p.pk}",
                                         title=f"督办：依申请公开第{item.pk}号已逾期未答复",
                                         msg="info_requests.overdue", params={"n": item.pk},
                                         body=f"应于{item.due_on.isoformat()}前答复申请人{rules.cite('R33.answer_deadline', on)}",
                                         link=f"/disclosure/requests/{item.pk}/") for p in people)
            audit_append(actor=None, action="info_requests.request.escalate", obj_type=services.OBJ, obj_id=str(item.pk),
                         after={"due_on": item.due_on.isoformat(), "escalated_on": on.isoformat()},
                         article=rules.article_of(ESCALATION, on), summary=f"逾期督办：依申请公开第{item.pk}号")
            result.escalations += 1


def abandon_lapsed(on: dt.date, result: RequestsTickResult) -> None:
    lapsed = InfoRequest.objects.filter(status=InfoRequest.Status.CORRECTING, correction_due_on__lt=on)
    for item in lapsed.iterator(chunk_size=200):
        if services.request_abandon(item, on):
            result.abandoned += 1
            notify.send(person=item.created_by, kind="info", key=f"info-request-abandoned:{item.pk}",
                        title=f"逾期未补正，视为放弃申请：依申请公开第{item.pk}号",
                        msg="info_requests.abandoned", params={"n": item.pk},
                        body=f"补正期限{item.correction_due_on.isoformat()}{rules.cite('R33.correction_lapsed', on)}",
                        link=f"/disclosure/requests/{item.pk}/")


def remind_consultations(on: dt.date, result: RequestsTickResult) -> None:
    late = Consultation.objects.filter(ended_on__isnull=True, due_on__lt=on).select_related("request")
    for c in late.iterator(chunk_size=200):
        note_exercised(CONSULTATION)
        if notify.send(person=c.created_by, kind="reminder", key=f"info-request-consult:{c.pk}",
                       title=f"第三方逾期未提出意见：依申请公开第{c.request_id}号",
                       msg="info_requests.consultation_late", params={"n": c.request_id},
                       body=f"{c.party}应于{c.due_on.isoformat()}前提出意见，请登记并决定是否公开{rules.cite(CONSULTATION, on)}",
                       link=f"/disclosure/requests/{c.request_id}/") is not None:
            result.consultations += 1


def flag_late_opinions(now: dt.datetime, result: RequestsTickResult) -> None:
    events = (OpinionEvent.objects.filter(late_flagged_at__isnull=True, found_at__lt=now)
              .select_related("government", "lead_unit", "owner").prefetch_related("responses"))
    on = timezone.localdate(now)
    for event in events.iterator(chunk_size=200):
        found = services.opinion_findings(event, now=now)
        if not found:
            continue
        note_exercised(OPINION)
        with transaction.atomic():
            if not services.mark_opinion_flagged(event, now):
                continue
            people = org.distinct_people(event.owner, org.unit_head(event.lead_unit, on),
                             org.acting_for_code(event.government, "office_director", on))
            notify.send_all(notify.build(person=p, kind="escalation", key=f"opinion-late:{event.pk}:{p.pk}",
                                         title=f"舆情回应逾期：{event.title}", body=found[0].message,
                                         msg="opinion.overdue", params={"title": event.title},
                                         link=f"/disclosure/requests/opinion/{event.pk}/") for p in people)
            audit_append(actor=None, action="info_requests.opinion.flag_late", obj_type=services.OPINION_OBJ,
                         obj_id=str(event.pk), after={"findings": [v.message for v in found]},
                         article=rules.article_of(OPINION, on), summary=f"舆情回应逾期：{event.title}")
            result.opinions += 1


def requests_tick(on: dt.date | None = None) -> RequestsTickResult:
    on = on or rules.today()
    result = RequestsTickResult()
    escalate_overdue(on, result)
    abandon_lapsed(on, result)
    remind_consultations(on, result)
    flag_late_opinions(services.clock_now(on), result)
    return result
