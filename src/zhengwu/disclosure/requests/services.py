"""The only writers of requests for information (依申请公开) and the 舆情 register (arts. 33, 36).
Each service checks who acts (access.py), validates its input naming the field, judges the facts
with the rules (rulebook/rules/info_requests.py), writes and appends the audit event in one
transaction; a status changes only through `transition`.

    request_register       the office registers a request: channel, day submitted, day received (条例 第三十一条)
    correction_notice      ONE notice to correct an unclear request, within 7 working days (第三十条)
    correction_received    the correction arrives: the clock starts again from that day
    request_abandon        none by the notice's period (info_requests.correction_reply_days): 视为放弃申请,
                           closed once by `zhengwu tick` (第三十条, R33.correction_lapsed)
    consultation_start     征求第三方意见: the clock pauses (第三十二条、第三十三条)
    consultation_end       the third party's opinion (or none by its due day): the clock runs again
    extension_request      ONE extension of 20 working days, agreed by the office director through the
                           workflow engine (route info_request.extension); the applicant is told
    request_answer         one of the 7 answers (第三十六条), separable content released in part (第三十七条)
    opinion_register       a 舆情: source, level, lead unit, response owner (art. 36)
    opinion_respond        a response with its time; a late one is marked (国办发〔2016〕61号)

The answer clock: `info_requests.answer_days` working days from `clock_start` (the day received,
or the day the correction arrived), plus `info_requests.extension_days` once agreed, with each
consultation's time left out (rulebook.clocks.due_date); no due day while the clock is stopped.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.disclosure.models import as_stored
from zhengwu.errors import Conflict, Forbidden, Refused, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import Violation, starts
from zhengwu.rulebook.clocks import due_at, due_date
from zhengwu.rulebook.rules.info_requests import (AnswerFacts, CorrectionFacts, DeadlineFacts, ExtensionFacts,
                                                  LapseFacts, OpinionFacts, ReceiptFacts, ResponseFacts)
from zhengwu.security.admins import refuse_business
from zhengwu.textcheck import date_field, text_field
from zhengwu.transitions import set_once, transition
from zhengwu.workflow import notify
from zhengwu.workflow import services as wf

from . import access
from .models import Consultation, InfoRequest, OpinionEvent, OpinionResponse, RequestNotice

OBJ = "info_requests.request"
OPINION_OBJ = "info_requests.opinion"
(EXTENSION_ROUTE,) = starts("info_request.extension")  # 条例 第三十三条, art. 33
S = InfoRequest.Status
OPEN = (S.RECEIVED, S.CORRECTING, S.CONSULTING)
KIND = "working"  # the 条例 counts its periods in 工作日


def _cal():
    from zhengwu.workcalendar.selectors import work_calendar

    return work_calendar()


def _code(value, param: str, field: str, label: str, on: dt.date) -> str:
    allowed = rules.param(param, on)
    if not isinstance(value, str) or value not in allowed:
        raise Refused(f"{label}须为{'、'.join(allowed.values())}之一", field=field)
    return value


def _day(value, field: str, label: str, default: dt.date) -> dt.date:
    day = date_field(value, field, label)
    return default if day is None else day


def _audit(actor, item: InfoRequest, action: str, ref: str, summary: str, *, on: dt.date, before=None, after=None):
    audit_append(actor=actor, action=action, obj_type=OBJ, obj_id=str(item.pk), before=before, after=after,
                 article=rules.article_of(ref, on), summary=f"{summary}：依申请公开第{item.pk}号")


# ---- the clock ---------------------------------------------------------------------------------

def pauses(item: InfoRequest) -> list[tuple[dt.date, dt.date | None]]:
    return [(c.sent_on, c.ended_on) for c in item.consultations.all()]


def compute_due(item: InfoRequest, on: dt.date) -> dt.date | None:
    """The answer's due day now: None while waiting for a correction or a third party."""
    if item.status == S.CORRECTING:
        return None
    days = int(rules.param("info_requests.answer_days", on))
    if item.extended_on is not None:
        days += int(rules.param("info_requests.extension_days", on))
    return due_date(item.clock_start, KIND, days, paused=pauses(item), cal=_cal())


def deadline_findings(item: InfoRequest, *, on: dt.date | None = None) -> list[Violation]:
    on = on or rules.today()
    return rules.check("info_requests.deadline", DeadlineFacts(due_on=item.due_on, on=on, open=item.status in OPEN),
                       on=on)


def light(item: InfoRequest, on: dt.date) -> str:
    """green / yellow (due within 5 working days) / red (overdue) / paused / done."""
    if item.status == S.ABANDONED:
        return "abandoned"
    if item.status == S.ANSWERED:
        return "late" if item.due_when_answered and item.answered_on > item.due_when_answered else "done"
    if item.due_on is None:
        return "paused"
    if on > item.due_on:
        return "red"
    return "yellow" if _cal().count_workdays(on, item.due_on) <= 5 else "green"


def extension_pending(item: InfoRequest) -> bool:
    from zhengwu.workflow.models import Approval

    return bool(item.extension_approval_id) and Approval.objects.filter(
        pk=item.extension_approval_id, status=Approval.Status.RUNNING).exists()


def _notice(item: InfoRequest, kind: str, to: str, day: dt.date, text: str) -> RequestNotice:
    return RequestNotice.objects.create(request=item, kind=kind, to=to, sent_on=day, text=text)


# ---- requests ----------------------------------------------------------------------------------

def request_register(*, actor: Person, applicant: str, channel: str, content: str, received_on=None,
                     submitted_on=None, applicant_contact: str = "", unit_id=None, applicant_kind: str = "person",
                     on: dt.date | None = None) -> InfoRequest:
    refuse_business(actor)
    on = on or rules.today()
    if not access.is_office_staff(actor, on):
        raise Forbidden("只有区政府办公室（政府信息公开工作机构）可以登记政府信息公开申请")
    applicant = text_field(applicant, "applicant", "申请人", single_line=True, max_len=100)
    contact = text_field(applicant_contact, "applicant_contact", "申请人联系方式", required=False, single_line=True,
                         max_len=200)
    content = text_field(content, "content", "申请公开的政府信息", max_len=5000)
    applicant_kind = _code(applicant_kind or "person", "info_requests.applicant_kinds", "applicant_kind", "申请人类别", on)
    if not isinstance(channel, str):
        raise Refused("提交方式须为文字", field="channel")
    received = _day(received_on, "received_on", "收到申请之日", on)
    submitted = _day(submitted_on, "submitted_on", "提交日期", received)
    rules.enforce("info_requests.receipt", ReceiptFacts(channel=channel, submitted_on=submitted, received_on=received,
                                                         on=on), on=on, message="不能登记该申请")
    unit = None
    if unit_id not in (None, ""):
        unit = Unit.objects.filter(pk=id_field(unit_id, "unit_id", "涉及单位"), government_id=actor.government_id,
                                   active=True).first()
        if unit is None:
            raise Refused("涉及单位不存在", field="unit_id")
    with transaction.atomic():
        item = InfoRequest.objects.create(government_id=actor.government_id, applicant=applicant,
                                          applicant_contact=contact, applicant_kind=applicant_kind, channel=channel, submitted_on=submitted,
                                          received_on=received, content=content, unit=unit, clock_start=received,
                                          created_by=actor)
        set_once(item, where={"due_on__isnull": True}, versioned=False, due_on=compute_due(item, on))
        _audit(actor, item, "info_requests.request.register", "R33.receipt_date",
               f"登记政府信息公开申请（{rules.param('info_requests.channels', on)[channel]}）", on=on,
               after={"channel": channel, "received_on": received.isoformat(), "due_on": item.due_on.isoformat(),
                      "unit": unit.pk if unit else None})
    return item


def correction_notice(*, actor: Person, request_id, text: str, on: dt.date | None = None) -> InfoRequest:
    """一次性告知补正, within info_requests.correction_days working days of receipt; the clock stops."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.request_for_office(actor, request_id, on=on)
    if item.status != S.RECEIVED:
        raise Refused(f"该申请{as_stored(item.get_status_display)}，不能告知补正", field="request_id", status=409)
    text = text_field(text, "text", "需要补正的事项", required=False, max_len=5000)
    days = _cal().count_workdays(item.received_on, on) if on > item.received_on else 0
    rules.enforce("info_requests.correction", CorrectionFacts(corrections_before=item.corrections,
                                                              working_days_since=days, text=text),
                  on=on, message="不能告知补正")
    reply_by = _cal().add_workdays(on, int(rules.param("info_requests.correction_reply_days", on)))
    with transaction.atomic():
        transition(item, expect=[S.RECEIVED], to=S.CORRECTING, field="request_id", where={"corrections": 0},
                   message="该申请已告知过补正", corrections=1, correction_noticed_on=on, due_on=None,
                   correction_due_on=reply_by)
        _notice(item, RequestNotice.Kind.CORRECTION, item.applicant, on,
                f"{text}\n请于{reply_by.isoformat()}前补正；无正当理由逾期不补正的，视为放弃申请。")
        _audit(actor, item, "info_requests.request.correction_notice", "R33.one_correction", "一次性告知申请人补正",
               on=on, before={"status": S.RECEIVED},
               after={"status": S.CORRECTING, "text": text, "correction_due_on": reply_by.isoformat()})
    return item


def correction_received(*, actor: Person, request_id, corrected_on=None, on: dt.date | None = None) -> InfoRequest:
    """The correction arrives: the answer's clock counts again from that day (条例 第三十条)."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.request_for_office(actor, request_id, on=on)
    if item.status != S.CORRECTING:
        raise Refused(f"该申请{as_stored(item.get_status_display)}，不在等待补正", field="request_id", status=409)
    day = _day(corrected_on, "corrected_on", "收到补正日期", on)
    if day > on or day < item.correction_noticed_on:
        raise Refused("收到补正日期须在告知补正之日与今天之间", field="corrected_on")
    with transaction.atomic():
        transition(item, expect=[S.CORRECTING], to=S.RECEIVED, field="request_id", corrected_on=day, clock_start=day)
        transition(item, expect=[S.RECEIVED], versioned=False, due_on=compute_due(item, on))
        _audit(actor, item, "info_requests.request.corrected", "info_requests.correction_days",
               "收到补正，答复期限重新起算", on=on, before={"status": S.CORRECTING},
               after={"status": S.RECEIVED, "corrected_on": day.isoformat(), "due_on": item.due_on.isoformat()})
    return item


def lapse_findings(item: InfoRequest, *, on: dt.date) -> list[Violation]:
    return rules.check("info_requests.lapse", LapseFacts(correction_due_on=item.correction_due_on, on=on,
                                                         correcting=item.status == S.CORRECTING), on=on)


def request_abandon(item: InfoRequest, on: dt.date) -> bool:
    """Tick's single shot: no correction by the notice's period (R33.correction_lapsed): 视为放弃申请,
    the request is closed and no longer handled. False if it is not lapsed or another run closed it."""
    found = lapse_findings(item, on=on)
    if not found:
        return False
    with transaction.atomic():
        try:
            transition(item, expect=[S.CORRECTING], to=S.ABANDONED, versioned=False,
                       where={"correction_due_on__lt": on}, abandoned_on=on, due_on=None)
        except Conflict:
            return False
        audit_append(actor=None, action="info_requests.request.abandon", obj_type=OBJ, obj_id=str(item.pk),
                     before={"status": S.CORRECTING},
                     after={"status": S.ABANDONED, "correction_due_on": item.correction_due_on.isoformat(),
                            "abandoned_on": on.isoformat()},
                     article=rules.article_of("R33.correction_lapsed", on),
                     summary=f"逾期未补正，视为放弃申请：依申请公开第{item.pk}号")
    return True


def consultation_start(*, actor: Person, request_id, party: str, text: str, sent_on=None,
                       on: dt.date | None = None) -> Consultation:
    """征求第三方意见: the clock pauses from the day the letter is sent (条例 第三十二条、第三十三条)."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.request_for_office(actor, request_id, on=on)
    if item.status != S.RECEIVED:
        raise Refused(f"该申请{as_stored(item.get_status_display)}，不能征求第三方意见", field="request_id", status=409)
    party = text_field(party, "party", "第三方", single_line=True, max_len=200)
    text = text_field(text, "text", "征求意见书", max_len=5000)
    day = _day(sent_on, "sent_on", "发出日期", on)
    if day > on or day < item.clock_start:
        raise Refused("发出日期须在期限起算日与今天之间", field="sent_on")
    due = _cal().add_workdays(day, int(rules.param("info_requests.consultation_days", on)))
    with transaction.atomic():
        transition(item, expect=[S.RECEIVED], to=S.CONSULTING, field="request_id", due_on=None)
        c = Consultation.objects.create(request=item, party=party, sent_on=day, due_on=due, created_by=actor)
        _notice(item, RequestNotice.Kind.CONSULTATION, party, day, text)
        _audit(actor, item, "info_requests.request.consult", "info_requests.consultation_days",
               f"征求{party}意见，答复期限暂停", on=on, before={"status": S.RECEIVED},
               after={"status": S.CONSULTING, "party": party, "sent_on": day.isoformat(), "opinion_due": due.isoformat()})
    return c


def consultation_end(*, actor: Person, request_id, opinion: str = "", ended_on=None,
                     on: dt.date | None = None) -> InfoRequest:
    """The third party's opinion (empty: none came by its due day, the office decides, 第三十二条); the
    clock runs again, the consultation's days not counted."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.request_for_office(actor, request_id, on=on)
    if item.status != S.CONSULTING:
        raise Refused(f"该申请{as_stored(item.get_status_display)}，没有进行中的征求意见", field="request_id", status=409)
    c = item.consultations.filter(ended_on__isnull=True).order_by("-id").first()
    opinion = text_field(opinion, "opinion", "第三方意见", required=False, max_len=5000)
    day = _day(ended_on, "ended_on", "结束日期", on)
    if day > on or day < c.sent_on:
        raise Refused("结束日期须在发出征求意见书之日与今天之间", field="ended_on")
    if not opinion and day <= c.due_on:
        raise Refused(f"第三方提出意见的期限至{c.due_on.isoformat()}，期限内须登记其意见", field="opinion")
    with transaction.atomic():
        set_once(c, where={"ended_on__isnull": True}, versioned=False, field="request_id", ended_on=day, opinion=opinion)
        transition(item, expect=[S.CONSULTING], to=S.RECEIVED, field="request_id")
        transition(item, expect=[S.RECEIVED], versioned=False, due_on=compute_due(item, on))
        _audit(actor, item, "info_requests.request.consult_end", "info_requests.consultation_days",
               "征求意见结束，答复期限继续计算" + ("" if opinion else "（第三方逾期未提出意见）"), on=on,
               before={"status": S.CONSULTING},
               after={"status": S.RECEIVED, "ended_on": day.isoformat(), "due_on": item.due_on.isoformat() if item.due_on else None})
    return item


def extension_request(*, actor: Person, request_id, reason: str, on: dt.date | None = None) -> InfoRequest:
    """Ask the office director (the 政府信息公开工作机构负责人) to agree to ONE extension (R33.one_extension)."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.request_for_office(actor, request_id, on=on)
    if item.status not in OPEN:
        raise Refused(f"该申请{as_stored(item.get_status_display)}，不能延长答复期限", field="request_id", status=409)
    reason = text_field(reason, "reason", "延期理由", required=False, max_len=2000)
    rules.enforce("info_requests.extension", ExtensionFacts(
        already_extended=item.extended_on is not None, pending=extension_pending(item), reason=reason,
        before_due=item.due_on is None or on <= item.due_on), on=on, message="不能延长答复期限")
    with transaction.atomic():
        # claim the request first (versioned): of callers at the same moment one goes on to the engine
        transition(item, expect=list(OPEN), field="request_id", where={"extended_on__isnull": True},
                   message="答复期限已延长过或已在审批中", extension_reason=reason)
        approval = wf.approval_start(actor=actor, route_id=EXTENSION_ROUTE, obj_type=OBJ, obj_id=str(item.pk),
                                     title=f"延长答复期限：依申请公开第{item.pk}号", on=on)
        transition(item, expect=[item.status], versioned=False, field="request_id", extension_approval=approval)
        _audit(actor, item, "info_requests.request.extension_request", "R33.one_extension",
               "报政府信息公开工作机构负责人同意延长答复期限", on=on, after={"approval": approval.pk, "reason": reason})
    return item


def on_extension_finished(approval, actor, on) -> None:
    """The director's decision (in the engine's transaction): 同意 extends the clock once and records
    the notice to the applicant; 不同意 leaves the clock as it was."""
    from zhengwu.workflow.models import Task

    item = InfoRequest.objects.filter(pk=int(approval.obj_id)).first()
    if item is None:
        return
    last = approval.tasks.filter(status=Task.Status.DONE, kind=Task.Kind.STEP).order_by("-id").first()
    granted = last is not None and rules.approves(last.decision, on)
    if granted and item.status in OPEN:
        transition(item, expect=list(OPEN), versioned=False, where={"extended_on__isnull": True}, extended_on=on,
                   escalated_on=None)
        transition(item, expect=[item.status], versioned=False, due_on=compute_due(item, on))
        days = rules.param("info_requests.extension_days", on)
        _notice(item, RequestNotice.Kind.EXTENSION, item.applicant, on,
                f"经政府信息公开工作机构负责人同意，答复期限延长{days}个工作日"
                + (f"，至{item.due_on.isoformat()}" if item.due_on else "") + f"。理由：{item.extension_reason}")
    _audit(actor, item, "info_requests.request.extend", "R33.one_extension",
           "政府信息公开工作机构负责人" + ("同意延长答复期限并告知申请人" if granted else "不同意延长答复期限"), on=on,
           after={"granted": granted, "decision": last.decision if last else "",
                  "due_on": item.due_on.isoformat() if item.due_on else None})


def request_answer(*, actor: Person, request_id, answer_type: str, text: str, basis: str = "",
                   partial: bool = False, withheld_reason: str = "", on: dt.date | None = None) -> InfoRequest:
    """One answer, once (a single-shot transition from 办理中): one of the 7 types of 第三十六条,
    separable content released in part with the reason for the rest (第三十七条)."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.request_for_office(actor, request_id, on=on)
    if item.status != S.RECEIVED:
        hint = "，请先结束征求意见或等待补正" if item.status in OPEN else ""
        raise Refused(f"该申请{as_stored(item.get_status_display)}，不能答复{hint}", field="request_id", status=409)
    if not isinstance(answer_type, str):
        raise Refused("答复类型须为文字", field="answer_type")
    text = text_field(text, "text", "答复内容", required=False, max_len=20000)
    basis = text_field(basis, "basis", "不予公开的依据", required=False, single_line=True, max_len=10)
    withheld_reason = text_field(withheld_reason, "withheld_reason", "不予公开部分的理由", required=False, max_len=5000)
    if not isinstance(partial, bool):
        raise Refused("部分公开须为是或否", field="partial")
    rules.enforce("info_requests.answer", AnswerFacts(answer_type=answer_type, text=text, basis=basis, partial=partial,
                                                      withheld_reason=withheld_reason), on=on, message="不能答复")
    late = item.due_on is not None and on > item.due_on
    label = rules.param("info_requests.answer_types", on)[answer_type]
    with transaction.atomic():
        transition(item, expect=[S.RECEIVED], to=S.ANSWERED, field="request_id",
                   message=lambda now: f"该申请已于{now.answered_on}答复" if now and now.answered_on else "该申请已变化",
                   answer_type=answer_type, answer_text=text, basis=basis if answer_type == "refused" or partial else "",
                   partial=partial, withheld_reason=withheld_reason if partial else "", answered_on=on,
                   answered_by=actor, due_when_answered=item.due_on)
        _notice(item, RequestNotice.Kind.ANSWER, item.applicant, on, text)
        _audit(actor, item, "info_requests.request.answer", "R33.answer_type",
               f"答复（{label}{'，部分公开' if partial else ''}）" + ("（逾期）" if late else ""), on=on,
               before={"status": S.RECEIVED},
               after={"status": S.ANSWERED, "answer_type": answer_type, "partial": partial, "late": late})
    return item


def mark_escalated(item: InfoRequest, on: dt.date) -> bool:
    """Tick's single shot: an overdue request escalated once (False if another run did)."""
    try:
        transition(item, expect=list(OPEN), where={"escalated_on__isnull": True}, versioned=False, escalated_on=on)
    except Conflict:
        return False
    return True


# ---- 舆情 (art. 36) ---------------------------------------------------------------------------

def _moment(value, field: str, label: str, default: dt.datetime) -> dt.datetime:
    if value in (None, ""):
        return default
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise Refused(f"{label}须为时间（如2026-03-31 09:30）", field=field) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def clock_now(on: dt.date | None = None) -> dt.datetime:
    """The moment the 舆情 clocks are read at: now, or the end of `on` when the system's day
    (rules.today()) is not the real one (a demo or test day)."""
    on = on or rules.today()
    now = timezone.now()
    if on == timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(on, dt.time(23, 59)))


def responses_of(event: OpinionEvent) -> tuple[tuple[str, dt.datetime], ...]:
    return tuple((r.kind, r.responded_at) for r in event.responses.all())


def owed(event: OpinionEvent, on: dt.date | None = None) -> dict[str, dt.datetime]:
    """The responses the event's level owes, each with its due time."""
    hours = rules.param("opinion.response_hours", on or rules.today()).get(event.level, {})
    return {kind: due_at(event.found_at, h) for kind, h in hours.items()}


def opinion_findings(event: OpinionEvent, *, now: dt.datetime | None = None) -> list[Violation]:
    now = now or clock_now()
    on = timezone.localdate(now)
    return rules.check("opinion.response", ResponseFacts(level=event.level, found_at=event.found_at,
                                                         responses=responses_of(event), now=now), on=on)


def opinion_light(event: OpinionEvent, now: dt.datetime) -> str:
    if opinion_findings(event, now=now):
        return "red"
    if event.status == OpinionEvent.Status.RESPONDED:
        return "done"
    soon = [due for kind, due in owed(event, timezone.localdate(now)).items()
            if kind not in {k for k, _ in responses_of(event)}]
    return "yellow" if soon and min(soon) - now <= dt.timedelta(hours=2) else "green"


def opinion_register(*, actor: Person, title: str, summary: str, source: str, level: str, lead_unit_id, owner_id,
                     found_at=None, on: dt.date | None = None) -> OpinionEvent:
    refuse_business(actor)
    on = on or rules.today()
    if not access.is_office_staff(actor, on):
        raise Forbidden("只有区政府办公室可以登记政务舆情")
    title = text_field(title, "title", "舆情", single_line=True, max_len=200)
    summary = text_field(summary, "summary", "舆情概要", max_len=5000)
    now = timezone.now()
    found = _moment(found_at, "found_at", "发现时间", now)
    if found > now + dt.timedelta(minutes=5):
        raise Refused("发现时间不能晚于现在", field="found_at")
    unit = person = None
    if lead_unit_id not in (None, ""):
        unit = Unit.objects.filter(pk=id_field(lead_unit_id, "lead_unit_id", "牵头部门"),
                                   government_id=actor.government_id, active=True).first()
        if unit is None:
            raise Refused("牵头部门不存在", field="lead_unit_id")
    if owner_id not in (None, ""):
        person = Person.objects.filter(pk=id_field(owner_id, "owner_id", "回应责任人"),
                                       government_id=actor.government_id, is_active=True).first()
        if person is None:
            raise Refused("回应责任人不存在", field="owner_id")
    rules.enforce("opinion.record", OpinionFacts(source=source if isinstance(source, str) else "",
                                                 level=level if isinstance(level, str) else "",
                                                 lead_unit=unit.name if unit else "", owner=str(person or "")),
                  on=on, message="不能登记该舆情")
    with transaction.atomic():
        event = OpinionEvent.objects.create(government_id=actor.government_id, title=title, summary=summary,
                                            source=source, level=level, found_at=found, lead_unit=unit, owner=person,
                                            created_by=actor)
        audit_append(actor=actor, action="info_requests.opinion.register", obj_type=OPINION_OBJ, obj_id=str(event.pk),
                     after={"level": level, "source": source, "lead_unit": unit.pk, "owner": person.pk,
                            "found_at": found.isoformat()},
                     article=rules.article_of("R36.lead_unit", on), summary=f"登记政务舆情：{title}")
        dues = owed(event, on)
        kinds = rules.param("opinion.response_kinds", on)
        for p in {person.pk: person, **({h.pk: h} if (h := org.unit_head(unit, on)) else {})}.values():
            notify.send(person=p, kind="info", title=f"政务舆情待回应：{title}",
                        msg="opinion.to_respond", params={"title": title},
                        body="；".join(f"{kinds[k]}：{timezone.localtime(d):%m-%d %H:%M}前" for k, d in dues.items()),
                        key=f"opinion-new:{event.pk}:{p.pk}", link=f"/disclosure/requests/opinion/{event.pk}/")
    return event


def opinion_respond(*, actor: Person, event_id, kind: str, channel: str, text: str, responded_at=None,
                    on: dt.date | None = None) -> OpinionResponse:
    """A response, once per kind; late against its clock is marked (and the event flagged by tick)."""
    refuse_business(actor)
    on = on or rules.today()
    event = access.event_for_responder(actor, event_id, on=on)
    dues = owed(event, on)
    kind = _code(kind, "opinion.response_kinds", "kind", "回应方式", on)
    if kind not in dues:
        kinds = rules.param("opinion.response_kinds", on)
        raise Refused(f"该级别舆情的回应方式为{'、'.join(kinds[k] for k in dues)}", field="kind")
    channel = text_field(channel, "channel", "发布渠道", single_line=True, max_len=100)
    text = text_field(text, "text", "回应内容", max_len=10000)
    now = timezone.now()
    at = _moment(responded_at, "responded_at", "回应时间", now)
    if at > now + dt.timedelta(minutes=5) or at < event.found_at:
        raise Refused("回应时间须在发现舆情之后、现在之前", field="responded_at")
    late = at > dues[kind]
    with transaction.atomic():
        try:
            with transaction.atomic():
                r = OpinionResponse.objects.create(event=event, kind=kind, responded_at=at, channel=channel, text=text,
                                                   late=late, recorded_by=actor)
        except IntegrityError:
            raise Conflict("该回应方式已登记", field="kind") from None
        done = {k for k, _ in responses_of(event)}
        if set(dues) <= done:
            transition(event, expect=[OpinionEvent.Status.OPEN], to=OpinionEvent.Status.RESPONDED, field="event_id",
                       versioned=False)
        label = rules.param("opinion.response_kinds", on)[kind]
        audit_append(actor=actor, action="info_requests.opinion.respond", obj_type=OPINION_OBJ, obj_id=str(event.pk),
                     after={"kind": kind, "responded_at": at.isoformat(), "late": late},
                     article=rules.article_of("R36.response_clock", on),
                     summary=f"{label}：{event.title}" + ("（逾期）" if late else ""))
    return r


def mark_opinion_flagged(event: OpinionEvent, now: dt.datetime) -> bool:
    try:
        set_once(event, where={"late_flagged_at__isnull": True}, versioned=False, late_flagged_at=now)
    except Conflict:
        return False
    return True
