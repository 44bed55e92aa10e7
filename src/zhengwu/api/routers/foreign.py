"""Foreign affairs, research and speeches (arts. 79-81, 93, 96): invitations of leaders to
foreign-affairs events, outbound visits, the gift register, the leaders' research plans and the
speeches and articles submitted for approval. Every read goes through
zhengwu.affairs.foreign.access, every write through zhengwu.affairs.foreign.services; the approval
steps themselves are completed through /api/v1/tasks (the same guards as every other door).
`ROUTERS` lists (prefix, router) pairs mounted by api.py."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from ninja import Field, Path, Query, Router, Schema, Status

from zhengwu import rules
from zhengwu.affairs.foreign import access, services
from zhengwu.affairs.foreign.models import Gift, Invitation, ResearchPlan, Speech, Visit

from ..schemas import ClosedSchema, ErrorOut, IsoDate, Text, ViolationOut, responses
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET

invitations_router = Router(tags=["invitations"])
visits_router = Router(tags=["visits"])
gifts_router = Router(tags=["gifts"])
research_router = Router(tags=["research"])
speeches_router = Router(tags=["speeches"])

CREATED = {201: None, **{c: ErrorOut for c in (400, 401, 403, 404, 409, 422)}}


def _created(schema):
    return {**CREATED, 201: schema}


def _violations(found) -> list[dict]:
    return [v.as_dict() for v in found]


def _page(qs, limit, offset, fn):
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": [fn(x) for x in qs[offset:offset + limit]]}


class Page(Schema):
    count: int
    limit: int
    offset: int


Limit = Query(50, ge=1, le=MAX_LIMIT)
Offset = Query(0, ge=0, le=MAX_OFFSET)


# ---- invitations (art. 79) ----------------------------------------------------------------------------

class InvitationOut(Schema):
    id: int
    unit: str
    leader_id: int
    leader: str
    title: str
    foreign_party: str
    event_on: dt.date
    place: str
    text: str
    filed_on: dt.date
    working_days_ahead: int
    status: str
    status_label: str
    approval_id: Optional[int]


class InvitationPage(Page):
    items: list[InvitationOut]


class InvitationIn(ClosedSchema):
    unit_id: int = Field(ge=1, le=MAX_ID, description="邀请部门（本人所在部门）")
    leader_id: int = Field(ge=1, le=MAX_ID, description="邀请出席的区政府领导")
    title: Text(200)
    foreign_party: Text(200)
    event_on: IsoDate = Field(description="活动日期：至少提前 foreign_affairs.invitation_lead_days 个工作日")
    place: Text(200) = ""
    text: Text(20000) = Field(description="书面报告")


def invitation_out(i: Invitation) -> dict:
    return {"id": i.pk, "unit": i.unit.name, "leader_id": i.leader_id, "leader": str(i.leader), "title": i.title,
            "foreign_party": i.foreign_party, "event_on": i.event_on, "place": i.place, "text": i.text,
            "filed_on": i.filed_on, "working_days_ahead": i.working_days_ahead, "status": i.status,
            "status_label": i.get_status_display(), "approval_id": i.approval_id}


@invitations_router.get("", response=responses(InvitationPage, 400), summary="本人可见的外事活动邀请报备",
                        operation_id="invitations_list")
def invitation_list(request, limit: int = Limit, offset: int = Offset):
    qs = access.visible_invitations(request.auth).select_related("unit", "leader").order_by("-id")
    return _page(qs, limit, offset, invitation_out)


@invitations_router.post("", response=_created(InvitationOut),
                         summary="邀请区政府领导出席外事活动，书面报区政府办公室备案（第七十九条）",
                         operation_id="invitations_create")
def invitation_create(request, data: InvitationIn):
    inv = services.invitation_file(actor=request.auth, unit_id=data.unit_id, leader_id=data.leader_id,
                                   title=data.title, foreign_party=data.foreign_party, event_on=data.event_on,
                                   place=data.place, text=data.text)
    return Status(201, invitation_out(access.invitation_visible(request.auth, inv.pk)))


@invitations_router.get("/{invitation_id}", response=responses(InvitationOut, 403, 404), summary="一件外事活动邀请报备",
                        operation_id="invitations_get")
def invitation_get(request, invitation_id: int = Path(..., ge=1, le=MAX_ID)):
    return invitation_out(access.invitation_visible(request.auth, invitation_id))


# ---- visits (art. 80, 81) -------------------------------------------------------------------------------

class StepOut(Schema):
    step: str
    approved_by: Optional[int]
    acting: bool


class VisitOut(Schema):
    id: int
    traveller_id: int
    traveller: str
    post: str
    route_id: str
    purpose: str
    countries: list[str]
    departs_on: dt.date
    returns_on: dt.date
    days: int
    group_size: int
    status: str
    status_label: str
    approval_id: Optional[int]
    approved_on: Optional[dt.date]
    left_on: Optional[dt.date]
    chain: list[StepOut] = Field(description="审批链（第八十条），按顺序")


class VisitPage(Page):
    items: list[VisitOut]


class VisitIn(ClosedSchema):
    traveller_id: Optional[int] = Field(None, ge=1, le=MAX_ID, description="出访人，默认本人（区政府办公室可代为申请）")
    purpose: Text(4000)
    countries: list[Text(100)] = Field(min_length=1, max_length=services.MAX_LIST)
    departs_on: IsoDate
    returns_on: IsoDate
    group_size: int = Field(ge=1, le=999)


def visit_out(v: Visit) -> dict:
    chain = services.chain_facts(v, v.approval).steps if v.approval_id else ()
    return {"id": v.pk, "traveller_id": v.traveller_id, "traveller": str(v.traveller), "post": v.post.title,
            "route_id": v.route_id, "purpose": v.purpose, "countries": v.countries, "departs_on": v.departs_on,
            "returns_on": v.returns_on, "days": v.days, "group_size": v.group_size, "status": v.status,
            "status_label": v.get_status_display(), "approval_id": v.approval_id, "approved_on": v.approved_on,
            "left_on": v.left_on,
            "chain": [{"step": s, "approved_by": who or None, "acting": acting} for s, who, acting in chain]}


@visits_router.get("", response=responses(VisitPage, 400), summary="本人可见的出国访问", operation_id="visits_list")
def visit_list(request, limit: int = Limit, offset: int = Offset):
    qs = access.visible_visits(request.auth).select_related("traveller", "post", "approval").order_by("-id")
    return _page(qs, limit, offset, visit_out)


@visits_router.post("", response=_created(VisitOut), summary="申请出国访问（按出访人职务逐级审批，第八十条、第八十一条）",
                    operation_id="visits_create")
def visit_create(request, data: VisitIn):
    v = services.visit_apply(actor=request.auth, traveller_id=data.traveller_id, purpose=data.purpose,
                             countries=list(data.countries), departs_on=data.departs_on, returns_on=data.returns_on,
                             group_size=data.group_size)
    return Status(201, visit_out(access.visit_visible(request.auth, v.pk)))


@visits_router.get("/{visit_id}", response=responses(VisitOut, 403, 404), summary="一次出国访问",
                   operation_id="visits_get")
def visit_get(request, visit_id: int = Path(..., ge=1, le=MAX_ID)):
    return visit_out(access.visit_visible(request.auth, visit_id))


@visits_router.post("/{visit_id}/leave", response=responses(VisitOut, 400, 403, 404, 409),
                    summary="登记成行（审批链完整后，出访人或区政府办公室）", operation_id="visits_leave")
def visit_leave(request, visit_id: int = Path(..., ge=1, le=MAX_ID)):
    return visit_out(services.visit_leave(actor=request.auth, visit_id=visit_id))


# ---- gifts (art. 81) ------------------------------------------------------------------------------------------

class GiftOut(Schema):
    id: int
    recipient_id: int
    recipient: str
    visit_id: Optional[int]
    description: str
    giver: str
    value: int
    received_on: dt.date
    due_on: Optional[dt.date] = Field(description="须上交的礼品的上交期限；无需上交的为空")
    handed_on: Optional[dt.date]
    flagged_on: Optional[dt.date]
    status: str
    status_label: str
    findings: list[ViolationOut] = Field(description="第八十一条的审查结果（逾期未上交）")


class GiftPage(Page):
    items: list[GiftOut]


class GiftIn(ClosedSchema):
    recipient_id: Optional[int] = Field(None, ge=1, le=MAX_ID, description="受礼人，默认本人")
    visit_id: Optional[int] = Field(None, ge=1, le=MAX_ID)
    description: Text(200)
    giver: Text(200)
    value: int = Field(ge=0, le=10**7, description="价值（元，按我国市价折合）")
    received_on: IsoDate = Field(description="接受日期（境外接受的为回国日期）")


class HandOverIn(ClosedSchema):
    handed_on: Optional[IsoDate] = Field(None, description="上交日期，默认今天")


def gift_out(g: Gift) -> dict:
    on = rules.today()
    return {"id": g.pk, "recipient_id": g.recipient_id, "recipient": str(g.recipient), "visit_id": g.visit_id,
            "description": g.description, "giver": g.giver, "value": g.value, "received_on": g.received_on,
            "due_on": g.due_on, "handed_on": g.handed_on, "flagged_on": g.flagged_on, "status": g.status,
            "status_label": g.get_status_display(),
            "findings": _violations(rules.check("foreign.gift", services.gift_facts(g, on), on=on))}


@gifts_router.get("", response=responses(GiftPage, 400), summary="外事礼品登记簿（本人可见）", operation_id="gifts_list")
def gift_list(request, limit: int = Limit, offset: int = Offset):
    qs = access.visible_gifts(request.auth).select_related("recipient").order_by("-id")
    return _page(qs, limit, offset, gift_out)


@gifts_router.post("", response=_created(GiftOut), summary="登记外事活动中接收的礼品（第八十一条）",
                   operation_id="gifts_create")
def gift_create(request, data: GiftIn):
    g = services.gift_register(actor=request.auth, recipient_id=data.recipient_id, visit_id=data.visit_id,
                               description=data.description, giver=data.giver, value=data.value,
                               received_on=data.received_on)
    return Status(201, gift_out(g))


@gifts_router.get("/{gift_id}", response=responses(GiftOut, 403, 404), summary="一件外事礼品", operation_id="gifts_get")
def gift_get(request, gift_id: int = Path(..., ge=1, le=MAX_ID)):
    return gift_out(access.gift_visible(request.auth, gift_id))


@gifts_router.post("/{gift_id}/hand-over", response=responses(GiftOut, 400, 403, 404, 409),
                   summary="登记礼品上交外事办公室（外事办公室或区政府办公室）", operation_id="gifts_hand_over")
def gift_hand_over(request, data: HandOverIn, gift_id: int = Path(..., ge=1, le=MAX_ID)):
    return gift_out(services.gift_hand_over(actor=request.auth, gift_id=gift_id, handed_on=data.handed_on))


# ---- research (art. 93) --------------------------------------------------------------------------------------------

class TripOut(Schema):
    id: int
    starts_on: dt.date
    ends_on: dt.date
    days: int
    place: str
    topic: str


class ReportOut(Schema):
    id: int
    topic: str
    title: str
    text: str
    submitted_on: dt.date


class PlanOut(Schema):
    id: int
    leader_id: int
    leader: str
    year: int
    topics: list[str]
    planned_days: int
    grassroots_days: int
    trips: list[TripOut]
    reports: list[ReportOut]
    findings: list[ViolationOut] = Field(description="第九十三条的审查结果（年终不足、课题报告缺失）")


class PlanPage(Page):
    items: list[PlanOut]


class PlanIn(ClosedSchema):
    leader_id: Optional[int] = Field(None, ge=1, le=MAX_ID, description="区政府领导，默认本人（区政府办公室可代为登记）")
    year: int = Field(ge=2000, le=2100)
    topics: list[Text(100)] = Field(min_length=1, max_length=services.MAX_LIST, description="重点课题")
    planned_days: int = Field(ge=0, le=366, description="计划基层调研天数")


class TripIn(ClosedSchema):
    starts_on: IsoDate
    ends_on: IsoDate
    place: Text(200)
    topic: Text(200) = ""


class ReportIn(ClosedSchema):
    topic: Text(200) = Field(description="计划中的重点课题")
    title: Text(200)
    text: Text(20000)


def plan_out(plan: ResearchPlan) -> dict:
    on = rules.today()
    facts = services.research_facts(plan.leader, plan.year, plan, on, year_end=plan.year < on.year)
    return {"id": plan.pk, "leader_id": plan.leader_id, "leader": str(plan.leader), "year": plan.year,
            "topics": plan.topics, "planned_days": plan.planned_days, "grassroots_days": facts.grassroots_days,
            "trips": [{"id": t.pk, "starts_on": t.starts_on, "ends_on": t.ends_on, "days": t.days, "place": t.place,
                       "topic": t.topic} for t in plan.trips.all()],
            "reports": [{"id": r.pk, "topic": r.topic, "title": r.title, "text": r.text, "submitted_on": r.submitted_on}
                        for r in plan.reports.all()],
            "findings": _violations(rules.check("foreign.research", facts, on=on))}


@research_router.get("", response=responses(PlanPage, 400), summary="区政府领导年度调研计划（本人可见）",
                     operation_id="research_list")
def plan_list(request, year: Optional[int] = Query(None, ge=2000, le=2100), limit: int = Limit, offset: int = Offset):
    qs = access.visible_plans(request.auth).select_related("leader").prefetch_related("trips", "reports")
    if year:
        qs = qs.filter(year=year)
    return _page(qs.order_by("-year", "leader_id"), limit, offset, plan_out)


@research_router.post("", response=_created(PlanOut), summary="登记年度调研计划（第九十三条）",
                      operation_id="research_create")
def plan_create(request, data: PlanIn):
    plan = services.plan_set(actor=request.auth, leader_id=data.leader_id, year=data.year, topics=list(data.topics),
                             planned_days=data.planned_days)
    return Status(201, plan_out(plan))


@research_router.get("/{plan_id}", response=responses(PlanOut, 403, 404), summary="一份年度调研计划",
                     operation_id="research_get")
def plan_get(request, plan_id: int = Path(..., ge=1, le=MAX_ID)):
    return plan_out(access.plan_visible(request.auth, plan_id))


@research_router.post("/{plan_id}/trips", response=_created(PlanOut), summary="登记基层调研（领导本人或区政府办公室）",
                      operation_id="research_trip")
def plan_trip(request, data: TripIn, plan_id: int = Path(..., ge=1, le=MAX_ID)):
    services.trip_add(actor=request.auth, plan_id=plan_id, starts_on=data.starts_on, ends_on=data.ends_on,
                      place=data.place, topic=data.topic)
    return Status(201, plan_out(access.plan_visible(request.auth, plan_id)))


@research_router.post("/{plan_id}/reports", response=_created(PlanOut), summary="报送重点课题调研报告",
                      operation_id="research_report")
def plan_report(request, data: ReportIn, plan_id: int = Path(..., ge=1, le=MAX_ID)):
    services.report_add(actor=request.auth, plan_id=plan_id, topic=data.topic, title=data.title, text=data.text)
    return Status(201, plan_out(access.plan_visible(request.auth, plan_id)))


# ---- speeches (art. 96) -------------------------------------------------------------------------------------------

class SpeechOut(Schema):
    id: int
    speaker_id: int
    speaker: str
    post: str
    kind: str
    kind_label: str
    title: str
    occasion: str
    text: str
    on_behalf: bool
    major_undecided: bool
    route_id: str
    status: str
    status_label: str
    approval_id: Optional[int]
    approved_on: Optional[dt.date]
    delivered_on: Optional[dt.date]


class SpeechPage(Page):
    items: list[SpeechOut]


class SpeechIn(ClosedSchema):
    speaker_id: Optional[int] = Field(None, ge=1, le=MAX_ID, description="讲话人，默认本人（区政府办公室可代为报批）")
    kind: Text(30) = Field(description="种类：speeches.kinds 的代码（贺信、贺电、题词等不受理）")
    title: Text(200)
    occasion: Text(200)
    text: Text(20000)
    on_behalf: bool = Field(False, description="代表区政府")
    major_undecided: bool = Field(False, description="涉及未经区政府研究决定的重大问题及事项")


def speech_out(s: Speech) -> dict:
    return {"id": s.pk, "speaker_id": s.speaker_id, "speaker": str(s.speaker), "post": s.post.title, "kind": s.kind,
            "kind_label": rules.param("speeches.kinds").get(s.kind, ""), "title": s.title, "occasion": s.occasion,
            "text": s.text, "on_behalf": s.on_behalf, "major_undecided": s.major_undecided, "route_id": s.route_id,
            "status": s.status, "status_label": s.get_status_display(), "approval_id": s.approval_id,
            "approved_on": s.approved_on, "delivered_on": s.delivered_on}


@speeches_router.get("", response=responses(SpeechPage, 400), summary="本人可见的讲话和文章报批",
                     operation_id="speeches_list")
def speech_list(request, limit: int = Limit, offset: int = Offset):
    qs = access.visible_speeches(request.auth).select_related("speaker", "post").order_by("-id")
    return _page(qs, limit, offset, speech_out)


@speeches_router.post("", response=_created(SpeechOut),
                      summary="报批讲话或文章（贺信、贺电、题词不受理，第九十六条）", operation_id="speeches_create")
def speech_create(request, data: SpeechIn):
    s = services.speech_submit(actor=request.auth, speaker_id=data.speaker_id, kind=data.kind, title=data.title,
                               occasion=data.occasion, text=data.text, on_behalf=data.on_behalf,
                               major_undecided=data.major_undecided)
    return Status(201, speech_out(s))


@speeches_router.get("/{speech_id}", response=responses(SpeechOut, 403, 404), summary="一篇讲话或文章",
                     operation_id="speeches_get")
def speech_get(request, speech_id: int = Path(..., ge=1, le=MAX_ID)):
    return speech_out(access.speech_visible(request.auth, speech_id))


@speeches_router.post("/{speech_id}/deliver", response=responses(SpeechOut, 400, 403, 404, 409),
                      summary="登记发表（须已批准或无需报批）", operation_id="speeches_deliver")
def speech_deliver(request, speech_id: int = Path(..., ge=1, le=MAX_ID)):
    return speech_out(services.speech_deliver(actor=request.auth, speech_id=speech_id))


ROUTERS: list = [("/invitations", invitations_router), ("/visits", visits_router), ("/gifts", gifts_router),
                 ("/research", research_router), ("/speeches", speeches_router)]

