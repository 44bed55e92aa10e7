"""The 信访 register's and the consultations' services (the only writers; each checks who acts,
validates its input naming the field, runs the rules, writes and audits in one transaction).

信访 (art. 43; 《信访工作条例》):
- petition_register     登记 by the 信访 office (区政府办公室): type, petitioner, channel, date
- petition_route        转送/交办 to a unit by locality (towns, streets, zones) or competence
                        (departments) (R43.locality); late routing is flagged, not refused (R43.route_in_time)
- petition_notify       书面告知 the petitioner (R43.notice_in_time, flagged when late)
- petition_object       the unit objects within 5 working days (R43.objection_in_time); the office re-routes
- petition_accept       受理 by the unit: the 60-day clock starts (R43.handle_in_time)
- extension_request     延期 once, ≤ 30 days, with a reason (R43.extension), approved by the unit's
                        head through route petition.extension; on_extension_finished moves the due date
- petition_answer       办结 with the 处理意见书 (R43.opinion_content); single-shot
- review_request / review_decide   复查 then 复核, each asked within 30 days of the written answer
                        (R43.review_in_time) and answered within 30 days
- hard_case_mark / hard_case_to_ledger   a hard case marked by the office, put on the supervision
                        ledger by the 督查指挥中心 (source "petition")
- leader_record         领导接访日, 包案, 阅批来信
Consultations (art. 42):
- consultation_open     the window at least 30 days for a major decision (R42.comment_window)
- comment_record        a comment collected by the office while the window is open
- consultation_publish  the results (summary, how comments were taken) after the window (R42.results)

Calendar-day periods (日) run from the day after the start (民法典 第二百零一条) and, ending on a
rest day or holiday of the official calendar, end on the next working day (第二百零三条).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.disclosure.models import as_stored
from zhengwu.errors import Conflict, Refused, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import starts
from zhengwu.rulebook.rules.petitions import (ExtensionFacts, HandlingFacts, ObjectionFacts, OpinionFacts,
                                              ResultsFacts, ReviewFacts, RoutingFacts, WindowFacts)
from zhengwu.textcheck import date_field, text_field
from zhengwu.transitions import set_once, transition
from zhengwu.workflow import notify
from zhengwu.workflow import services as wf

from . import access
from .models import Comment, Consultation, LeaderRecord, Objection, Petition, PetitionReview

OBJ = "petitions.petition"
CONSULTATION_OBJ = "petitions.consultation"
(EXTENSION_ROUTE,) = starts("petition.extension")  # art. 43; 信访工作条例 第三十一条
S = Petition.Status


# ---- helpers -----------------------------------------------------------------------------------

_text = text_field


def _date(value, field: str, label: str, default: dt.date | None = None) -> dt.date:
    """A date input; empty means `default` (refused when there is none)."""
    day = date_field(value, field, label)
    if day is None:
        if default is None:
            raise Refused(f"{label}不能为空", field=field)
        return default
    return day


def _calendar():
    from zhengwu.workcalendar.selectors import work_calendar

    return work_calendar()


def period_end(start: dt.date, days: int) -> dt.date:
    """The last day of a period of `days` calendar days from `start` (the start day not counted),
    moved to the next working day when it falls on a rest day or holiday (民法典 第二百零一条、第二百零三条)."""
    return _calendar().next_workday(start + dt.timedelta(days=int(days)), include_self=True)


def _days(name: str, on: dt.date) -> int:
    return int(rules.param(name, on))


def _audit(actor, petition: Petition, action: str, ref: str, summary: str, *, after=None, before=None, on=None):
    audit_append(actor=actor, action=action, obj_type=OBJ, obj_id=str(petition.pk), before=before, after=after,
                 article=rules.article_of(ref, on), summary=f"{summary}：{petition.number} {petition.subject}")


def _choice(value, param: str, field: str, label: str, on: dt.date) -> str:
    options = rules.param(param, on)
    if not isinstance(value, str) or value not in options:
        raise Refused(f"{label}须为{'、'.join(options.values())}之一", field=field)
    return value


def _office_people(government_id: int, on: dt.date) -> list[Person]:
    from zhengwu.org.models import Position

    posts = Position.objects.filter(government_id=government_id, unit__kind=org.OFFICE_UNIT_KIND)
    return [h for h in (org.holder_of(p, on) for p in posts) if h is not None]


def routing_facts(p: Petition, on: dt.date, *, unit: Unit | None = None, basis: str | None = None,
                  routed_on: dt.date | None = None) -> RoutingFacts:
    unit = unit or p.unit
    return RoutingFacts(as_of=on, route_due_on=p.route_due_on, notice_due_on=p.notice_due_on,
                        routed_on=routed_on or p.routed_on, noticed_on=p.noticed_on,
                        basis=basis if basis is not None else p.basis,
                        unit_kind=unit.kind if unit else "", unit=unit.name if unit else "")


# ---- 登记 and 转送 -------------------------------------------------------------------------------

def petition_register(*, actor: Person, kind, channel, petitioner, subject, content, contact: str = "",
                      received_on=None, on: dt.date | None = None) -> Petition:
    """登记 by the 信访 office; the 15-day routing and notice clocks start at `received_on`."""
    on = on or rules.today()
    access.require_office(actor, on)
    kind = _choice(kind, "petitions.types", "kind", "信访事项类别", on)
    channel = _choice(channel, "petitions.channels", "channel", "信访形式", on)
    petitioner = _text(petitioner, "petitioner", "信访人", single_line=True, max_len=100)
    contact = _text(contact, "contact", "联系方式", required=False, single_line=True, max_len=200)
    subject = _text(subject, "subject", "事由", single_line=True, max_len=200)
    content = _text(content, "content", "主要诉求")
    received = _date(received_on, "received_on", "登记日期", default=on)
    if received > on:
        raise Refused("登记日期不能晚于今天", field="received_on")
    with transaction.atomic():
        p = Petition.objects.create(
            government_id=actor.government_id, kind=kind, channel=channel, petitioner=petitioner, contact=contact,
            subject=subject, content=content, received_on=received, registered_by=actor,
            route_due_on=period_end(received, _days("petitions.route_days", on)),
            notice_due_on=period_end(received, _days("petitions.notice_days", on)))
        _audit(actor, p, "petitions.petition.register", "R43.route_in_time", "登记信访事项", on=on,
               after={"kind": kind, "channel": channel, "received_on": received.isoformat(),
                      "route_due_on": p.route_due_on.isoformat()})
    return p


def petition_route(*, actor: Person, petition_id, unit_id, basis, on: dt.date | None = None) -> Petition:
    """转送/交办 to one unit by locality or competence (again after an objection). Late is flagged
    (a warning in the audit and on the page), not refused: the case must still go somewhere."""
    on = on or rules.today()
    p = access.petition_for_office(actor, petition_id, on=on)
    pk = id_field(unit_id, "unit_id", "承办单位")
    unit = Unit.objects.filter(pk=pk, government_id=actor.government_id, active=True).first()
    if unit is None:
        raise Refused(f"单位{pk}不存在", field="unit_id")
    if unit.kind == org.OFFICE_UNIT_KIND:
        raise Refused("信访事项须转送、交办有权处理的单位", field="unit_id")
    basis = basis if isinstance(basis, str) else ""
    found = rules.enforce("petitions.routing", routing_facts(p, on, unit=unit, basis=basis, routed_on=on), on=on)
    if p.status not in (S.REGISTERED, S.OBJECTED):
        raise Conflict(f"该信访事项{as_stored(p.get_status_display)}，不能再转送", field="petition_id")
    was = p.status
    with transaction.atomic():
        transition(p, expect=[S.REGISTERED, S.OBJECTED], to=S.ROUTED, unit=unit, basis=basis, routed_on=on,
                   routed_by=actor, field="petition_id")
        for person in {h.pk: h for h in [org.unit_head(unit, on)] if h}.values():
            notify.send(person=person, kind="info", title=f"转送信访事项，请受理：{p.subject}",
                        msg="petitions.transferred",
                        params={"title": p.subject, "body_msg": "petitions.case", "number": p.number,
                                "content": p.content[:120]},
                        body=f"{p.number}：{p.content[:120]}", link=f"/disclosure/petitions/cases/{p.pk}/",
                        key=f"petitions:routed:{p.pk}:{unit.pk}:{on}")
        _audit(actor, p, "petitions.petition.route", "R43.locality", "转送交办信访事项", on=on,
               before={"status": was}, after={"unit": unit.pk, "basis": basis,
                                             "late": [v.rule_id for v in found if v.rule_id == "R43.route_in_time"]})
    return p


def petition_notify(*, actor: Person, petition_id, text, noticed_on=None, on: dt.date | None = None) -> Petition:
    """书面告知 the petitioner where the case went (once; late is flagged)."""
    on = on or rules.today()
    p = access.petition_for_office(actor, petition_id, on=on)
    text = _text(text, "text", "告知内容")
    day = _date(noticed_on, "noticed_on", "告知日期", default=on)
    if day > on or day < p.received_on:
        raise Refused("告知日期须在登记日期和今天之间", field="noticed_on")
    if p.routed_on is None:
        raise Refused("转送、交办后再告知信访人去向", field="petition_id")
    with transaction.atomic():
        transition(p, expect=list(S.values), where={"noticed_on__isnull": True}, noticed_on=day, notice_text=text,
                   message="已书面告知信访人", field="petition_id")
        late = rules.check("petitions.routing", routing_facts(p, on), on=on, only=["R43.notice_in_time"])
        _audit(actor, p, "petitions.petition.notify", "R43.notice_in_time", "书面告知信访人", on=on,
               after={"noticed_on": day.isoformat(), "late": bool(late)})
    return p


def petition_object(*, actor: Person, petition_id, reason, on: dt.date | None = None) -> Objection:
    """The unit objects to the transfer within petitions.objection_workdays working days; the case
    goes back to the office to be routed again."""
    on = on or rules.today()
    p = access.petition_for_unit(actor, petition_id, on=on)
    reason = _text(reason, "reason", "异议理由", required=False)
    if p.status != S.ROUTED:
        raise Conflict(f"该信访事项{as_stored(p.get_status_display)}，不能再提出异议", field="petition_id")
    rules.enforce("petitions.objection", ObjectionFacts(
        workdays_since=_calendar().count_workdays(p.routed_on, on), reason=reason), on=on)
    with transaction.atomic():
        unit = p.unit
        transition(p, expect=[S.ROUTED], to=S.OBJECTED, field="petition_id")
        try:
            with transaction.atomic():
                obj = Objection.objects.create(petition=p, unit=unit, routed_on=p.routed_on, objected_on=on,
                                               objected_by=actor, reason=reason)
        except IntegrityError:
            raise Conflict("已对该次转送提出过异议", field="petition_id") from None
        for person in _office_people(p.government_id, on):
            notify.send(person=person, kind="info", title=f"承办单位对转送有异议，请重新转送：{p.subject}",
                        msg="petitions.objected", params={"title": p.subject},
                        body=f"{unit.name}：{reason[:150]}", link=f"/disclosure/petitions/cases/{p.pk}/",
                        key=f"petitions:objection:{obj.pk}:{person.pk}")
        _audit(actor, p, "petitions.petition.object", "R43.objection_in_time", "对转送交办提出异议", on=on,
               after={"unit": unit.pk, "reason": reason})
    return obj


def petition_accept(*, actor: Person, petition_id, on: dt.date | None = None) -> Petition:
    """受理 by the unit: due petitions.handle_days calendar days later."""
    on = on or rules.today()
    p = access.petition_for_unit(actor, petition_id, on=on)
    due = period_end(on, _days("petitions.handle_days", on))
    with transaction.atomic():
        transition(p, expect=[S.ROUTED], to=S.HANDLING, accepted_on=on, due_on=due, field="petition_id")
        _audit(actor, p, "petitions.petition.accept", "R43.handle_in_time", "受理信访事项", on=on,
               after={"accepted_on": on.isoformat(), "due_on": due.isoformat()})
    return p


# ---- 延期 (route petition.extension) -----------------------------------------------------------------

def extension_request(*, actor: Person, petition_id, days, reason, on: dt.date | None = None) -> Petition:
    on = on or rules.today()
    p = access.petition_for_unit(actor, petition_id, on=on)
    if p.status != S.HANDLING:
        raise Refused(f"该信访事项{as_stored(p.get_status_display)}，不能申请延期", field="petition_id")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise Refused("延长日数须为整数", field="days") from None
    reason = _text(reason, "reason", "延期理由", required=False)
    rules.enforce("petitions.extension", ExtensionFacts(asked_on=on, due_on=p.due_on, days=days, reason=reason,
                                                        extensions_before=1 if p.extension_status else 0), on=on)
    with transaction.atomic():
        transition(p, expect=[S.HANDLING], where={"extension_status": ""}, extension_status="pending",
                   extension_days=days, extension_reason=reason, message="该事项已申请过延期", field="petition_id")
        approval = wf.approval_start(actor=actor, route_id=EXTENSION_ROUTE, obj_type=OBJ, obj_id=str(p.pk),
                                     title=f"信访事项延期{days}日：{p.subject}", applicant_unit=p.unit, on=on)
        transition(p, expect=[S.HANDLING], extension_approval=approval, field="petition_id")
        _audit(actor, p, "petitions.extension.request", "R43.extension", "申请延长办理期限", on=on,
               after={"days": days, "reason": reason, "approval": approval.pk})
    return p


def on_extension_finished(approval, actor, on) -> None:
    """The unit head's 审批 (in the engine's transaction): 同意 moves the due date once; the
    petitioner is to be told the reason (recorded in the audit)."""
    from zhengwu.workflow.models import Task

    p = Petition.objects.filter(pk=int(approval.obj_id)).first()
    last = approval.tasks.filter(status=Task.Status.DONE, kind=Task.Kind.STEP).order_by("-id").first()
    if p is None or last is None:
        return
    granted = rules.approves(last.decision, on)
    fields = {"extension_status": "approved" if granted else "refused"}
    if granted and p.due_on:
        fields["due_on"] = p.due_on + dt.timedelta(days=int(p.extension_days or 0))
        fields["overdue_flagged_on"] = None
    transition(p, expect=list(S.values), where={"extension_status": "pending"}, versioned=False,
               field="petition_id", **fields)
    _audit(actor, p, "petitions.extension.decide", EXTENSION_ROUTE, "批准延期" if granted else "不批准延期", on=on,
           after={"approved": granted, "due_on": p.due_on.isoformat() if p.due_on else None})


# ---- 办结 -------------------------------------------------------------------------------------------

def petition_answer(*, actor: Person, petition_id, facts, basis, conclusion, review_right,
                    on: dt.date | None = None) -> Petition:
    """办结 with the 处理意见书 (every required part, R43.opinion_content); one only: of two people
    answering at once, one wins and the other gets 409."""
    on = on or rules.today()
    p = access.petition_for_unit(actor, petition_id, on=on)
    parts = {k: _text(v, k, label, required=False) for k, v, label in (
        ("facts", facts, "查明的事实"), ("basis", basis, "处理依据"), ("conclusion", conclusion, "处理意见"),
        ("review_right", review_right, "请求复查的权利"))}
    rules.enforce("petitions.opinion", OpinionFacts(**parts), on=on)
    with transaction.atomic():
        transition(p, expect=[S.HANDLING], to=S.ANSWERED, answered_on=on, answered_by=actor,
                   opinion_facts=parts["facts"], opinion_basis=parts["basis"],
                   opinion_conclusion=parts["conclusion"], opinion_review_right=parts["review_right"],
                   message=lambda now: f"该信访事项{as_stored(now.get_status_display) if now else '已不存在'}，不能再办结",
                   field="petition_id")
        late = bool(p.due_on) and bool(rules.check("petitions.handling", HandlingFacts(
            as_of=on, due_on=p.due_on, answered_on=on, extended=p.extension_status == "approved"), on=on))
        _audit(actor, p, "petitions.petition.answer", "R43.opinion_content", "信访事项办结（出具处理意见书）", on=on,
               after={"answered_on": on.isoformat(), "late": late})
    return p


# ---- 复查、复核 ----------------------------------------------------------------------------------------

def review_request(*, actor: Person, petition_id, level, reason, asked_on=None,
                   on: dt.date | None = None) -> PetitionReview:
    """The petitioner's request for 复查 (of the 处理意见书) or 复核 (of the 复查意见), recorded by the
    office (R43.review_in_time); answered within petitions.review_decide_days."""
    on = on or rules.today()
    p = access.petition_for_office(actor, petition_id, on=on)
    asked = _date(asked_on, "asked_on", "请求日期", default=on)
    reason = _text(reason, "reason", "不服的理由", required=False)
    level = level if level in PetitionReview.Level.values else ""
    if level == "review":
        answered, expect, to = (p.answered_on if p.status == S.ANSWERED else None), S.ANSWERED, S.REVIEW
    else:
        prior = p.reviews.filter(level="review", decided_on__isnull=False).first()
        answered, expect, to = (prior.decided_on if prior and p.status == S.REVIEWED else None), S.REVIEWED, S.RECHECK
    rules.enforce("petitions.review", ReviewFacts(level=level or "?", asked_on=asked, answered_on=answered,
                                                  reason=reason), on=on)
    due = period_end(asked, _days("petitions.review_decide_days", on))
    with transaction.atomic():
        transition(p, expect=[expect], to=to, field="petition_id")
        review = PetitionReview.objects.create(petition=p, level=level, asked_on=asked, reason=reason, due_on=due,
                                               recorded_by=actor)
        _audit(actor, p, "petitions.review.request", "R43.review_in_time",
               f"请求{as_stored(review.get_level_display)}", on=on, after={"level": level, "due_on": due.isoformat()})
    return review


def review_decide(*, actor: Person, petition_id, opinion, on: dt.date | None = None) -> PetitionReview:
    """The 复查意见 (by the 区政府, the office on its behalf) or the 复核意见 (the level above, recorded by the office)."""
    on = on or rules.today()
    p = access.petition_for_office(actor, petition_id, on=on)
    opinion = _text(opinion, "opinion", "复查（复核）意见")
    level = {S.REVIEW: "review", S.RECHECK: "recheck"}.get(p.status)
    review = p.reviews.filter(level=level, decided_on__isnull=True).first() if level else None
    if review is None:
        raise Conflict(f"该信访事项{as_stored(p.get_status_display)}，没有待答复的复查或复核", field="petition_id")
    with transaction.atomic():
        transition(p, expect=[p.status], to=S.REVIEWED if level == "review" else S.FINAL, field="petition_id")
        set_once(review, where={"decided_on__isnull": True}, decided_on=on, decided_by=actor, opinion=opinion,
                 field="petition_id")
        _audit(actor, p, "petitions.review.decide", "R43.review_in_time", f"作出{as_stored(review.get_level_display)}意见",
               on=on, after={"level": level, "late": on > review.due_on})
    return review


# ---- 疑难事项 and the supervision ledger -------------------------------------------------------------

def hard_case_mark(*, actor: Person, petition_id, reason, on: dt.date | None = None) -> Petition:
    """The office marks a hard case (重大疑难信访问题, art. 43: 督促解决) for the 督查指挥中心's ledger."""
    on = on or rules.today()
    p = access.petition_for_office(actor, petition_id, on=on)
    reason = _text(reason, "reason", "列为疑难事项的理由")
    with transaction.atomic():
        transition(p, expect=list(S.values), where={"hard_case": False}, hard_case=True, hard_case_reason=reason,
                   message="已列为重大疑难信访事项", field="petition_id")
        _audit(actor, p, "petitions.petition.hard_case", "R43.locality", "列为重大疑难信访事项", on=on,
               after={"reason": reason})
    return p


def hard_case_to_ledger(*, actor: Person, petition_id, on: dt.date | None = None):
    """The 督查指挥中心 puts a marked hard case on its ledger (source "petition", led by the unit handling it)."""
    from zhengwu.supervision import services as supervision

    on = on or rules.today()
    p = access.petition_visible(actor, petition_id, on=on)
    if not p.hard_case or p.unit_id is None:
        raise Refused("只有已转送且列为重大疑难的信访事项才能列入督查台账", field="petition_id")
    if p.supervision_item_id:
        raise Conflict("该信访事项已列入督查台账", field="petition_id")
    with transaction.atomic():
        item = supervision.item_create(
            actor=actor, title=f"督促解决信访事项：{p.subject}"[:200], source="petition", lead_units=[p.unit_id],
            basis=f"{p.hard_case_reason}（第四十三条：督促解决重大信访问题）", on=on,
            source_title=f"{p.number} {p.subject}"[:300], source_url=f"/disclosure/petitions/cases/{p.pk}/")
        transition(p, expect=list(S.values), where={"supervision_item__isnull": True}, supervision_item=item,
                   message="该信访事项已列入督查台账", field="petition_id")
        _audit(actor, p, "petitions.petition.to_ledger", "R43.locality", "重大疑难信访事项列入督查台账", on=on,
               after={"supervision_item": item.pk})
    return item


# ---- 领导接访、包案、阅批 ---------------------------------------------------------------------------------

def leader_record(*, actor: Person, leader_id, kind, on_day=None, place: str = "", petition_id=None, note: str = "",
                  on: dt.date | None = None) -> LeaderRecord:
    """A leader's reception day, 包案 (one leader per case) or reading of an important letter, recorded by the office."""
    on = on or rules.today()
    access.require_office(actor, on)
    pk = id_field(leader_id, "leader_id", "区政府领导")
    leader = next((x for x in access.leaders(actor.government, on) if x.pk == pk), None)
    if leader is None:
        raise Refused("须为区政府领导（区长、常务副区长、副区长）", field="leader_id")
    if kind not in LeaderRecord.Kind.values:
        raise Refused("类别须为接访日、包案或阅批来信", field="kind")
    day = _date(on_day, "on_day", "日期", default=on)
    place = _text(place, "place", "地点", required=False, single_line=True, max_len=100)
    note = _text(note, "note", "情况或批示", required=kind == "reading")
    petition = None
    if kind in ("case", "reading"):
        if petition_id in (None, ""):
            raise Refused("包案、阅批须指明信访事项", field="petition_id")
        petition = access.petition_visible(actor, petition_id, on=on)
    elif not place:
        raise Refused("接访日须写明地点", field="place")
    with transaction.atomic():
        try:
            with transaction.atomic():
                rec = LeaderRecord.objects.create(government_id=actor.government_id, leader=leader, kind=kind, on=day,
                                                  place=place, petition=petition, note=note, recorded_by=actor)
        except IntegrityError:
            raise Conflict("该信访事项已有包案领导", field="petition_id") from None
        audit_append(actor=actor, action=f"petitions.leader.{kind}", obj_type="petitions.leader_record",
                     obj_id=str(rec.pk), article=43, summary=f"{leader}{as_stored(rec.get_kind_display)}（{day.isoformat()}）",
                     after={"leader": leader.pk, "petition": petition.pk if petition else None})
    return rec


# ---- 公开征求意见 (art. 42) ------------------------------------------------------------------------------

def _caudit(actor, c: Consultation, action: str, ref: str, summary: str, *, after=None, on=None):
    audit_append(actor=actor, action=action, obj_type=CONSULTATION_OBJ, obj_id=str(c.pk), after=after,
                 article=rules.article_of(ref, on), summary=f"{summary}：{c.title}")


def consultation_open(*, actor: Person, title, text, unit_id, opens_on, closes_on, major: bool = True,
                      channels="", on: dt.date | None = None) -> Consultation:
    on = on or rules.today()
    access.require_office(actor, on)
    title = _text(title, "title", "事项", single_line=True, max_len=200)
    text = _text(text, "text", "征求意见稿说明")
    channels = _text(channels, "channels", "意见反馈渠道", required=False, max_len=1000)
    pk = id_field(unit_id, "unit_id", "起草单位")
    unit = Unit.objects.filter(pk=pk, government_id=actor.government_id, active=True).first()
    if unit is None:
        raise Refused(f"单位{pk}不存在", field="unit_id")
    if not isinstance(major, bool):
        raise Refused("须写明是否为重大行政决策", field="major")
    opens, closes = _date(opens_on, "opens_on", "开始日期"), _date(closes_on, "closes_on", "截止日期")
    rules.enforce("consultations.window", WindowFacts(opens_on=opens, closes_on=closes, major=major), on=on)
    with transaction.atomic():
        c = Consultation.objects.create(government_id=actor.government_id, title=title, text=text, unit=unit,
                                        major=major, opens_on=opens, closes_on=closes, channels=channels,
                                        created_by=actor)
        _caudit(actor, c, "petitions.consultation.open", "R42.comment_window", "公开征求意见", on=on,
                after={"opens_on": opens.isoformat(), "closes_on": closes.isoformat(), "major": major})
    return c


def comment_record(*, actor: Person, consultation_id, author, text, received_on=None,
                   on: dt.date | None = None) -> Comment:
    on = on or rules.today()
    c = access.consultation_visible(actor, consultation_id)
    access.require_office(actor, on)
    author = _text(author, "author", "提出人", single_line=True, max_len=100)
    text = _text(text, "text", "意见")
    day = _date(received_on, "received_on", "收到日期", default=on)
    if not c.opens_on <= day <= c.closes_on or day > on:
        raise Refused(f"意见须在征求意见期间（{c.opens_on.isoformat()}至{c.closes_on.isoformat()}）收到", field="received_on")
    if c.status != Consultation.Status.OPEN:
        raise Conflict("结果已公布，不再收集意见", field="consultation_id")
    with transaction.atomic():
        comment = Comment.objects.create(consultation=c, author=author, text=text, received_on=day, recorded_by=actor)
        _caudit(actor, c, "petitions.consultation.comment", "R42.comment_window", "收集公众意见", on=on,
                after={"comment": comment.pk})
    return comment


def consultation_publish(*, actor: Person, consultation_id, summary, adoption,
                         on: dt.date | None = None) -> Consultation:
    """向社会公布处理结果 (art. 42): after the window, with the comments' summary and how they were taken."""
    on = on or rules.today()
    c = access.consultation_visible(actor, consultation_id)
    access.require_office(actor, on)
    summary = _text(summary, "summary", "意见汇总", required=False)
    adoption = _text(adoption, "adoption", "采纳情况及理由", required=False)
    rules.enforce("consultations.results", ResultsFacts(published_on=on, closes_on=c.closes_on, summary=summary,
                                                        adoption=adoption), on=on)
    with transaction.atomic():
        transition(c, expect=[Consultation.Status.OPEN], to=Consultation.Status.PUBLISHED, summary=summary,
                   adoption=adoption, published_on=on, published_by=actor, field="consultation_id")
        _caudit(actor, c, "petitions.consultation.publish", "R42.results", "公布征求意见结果", on=on,
                after={"comments": c.comments.count()})
    return c

