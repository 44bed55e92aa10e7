"""信访 cases (art. 43) and public consultations (art. 42). Every read goes through
zhengwu.disclosure.petitions.access (a unit sees the cases routed to it; the 信访 office — the
区政府办公室 — and the 区长 all; a 副区长 those of his 分工), every write through its services. The
extension's approval step is completed through /api/v1/tasks (the same guards as every door)."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from ninja import Field, Path, Query, Router, Schema, Status

from zhengwu import rules
from zhengwu.disclosure.petitions import access, selectors, services
from zhengwu.disclosure.petitions.models import Consultation, Petition

from ..schemas import ClosedSchema, ErrorOut, IsoDate, Text, responses
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET

router = Router(tags=["petitions"])
consultations_router = Router(tags=["consultations"])

PetitionId = Path(..., ge=1, le=MAX_ID, description="信访事项编号")
ConsultationId = Path(..., ge=1, le=MAX_ID, description="征求意见事项编号")
WRITE = (400, 403, 404, 409)


class UnitOut(Schema):
    id: int
    name: str


class ReviewOut(Schema):
    level: str
    asked_on: dt.date
    due_on: dt.date
    decided_on: Optional[dt.date]
    opinion: str


class PetitionOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    channel: str
    petitioner: str
    subject: str
    content: str
    received_on: dt.date
    status: str
    status_label: str
    unit: Optional[UnitOut]
    basis: str
    route_due_on: dt.date
    routed_on: Optional[dt.date]
    notice_due_on: dt.date
    noticed_on: Optional[dt.date]
    accepted_on: Optional[dt.date]
    due_on: Optional[dt.date]
    extension_status: str = Field(description="延期：空、pending（待审批）、approved、refused")
    answered_on: Optional[dt.date]
    overdue_flagged_on: Optional[dt.date]
    hard_case: bool
    light: str = Field(description="当前期限的灯：green、yellow、red 或空")
    clock_due_on: Optional[dt.date]
    reviews: list[ReviewOut]


class PetitionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PetitionOut]


class RegisterIn(ClosedSchema):
    kind: Text(20) = Field(description="petitions.types 的代码")
    channel: Text(20) = Field(description="petitions.channels 的代码")
    petitioner: Text(100)
    contact: Text(200) = ""
    subject: Text(200)
    content: Text(20000)
    received_on: Optional[IsoDate] = None


class RouteIn(ClosedSchema):
    unit_id: int = Field(ge=1, le=MAX_ID)
    basis: Literal["locality", "competence"]


class NoticeIn(ClosedSchema):
    text: Text(5000)
    noticed_on: Optional[IsoDate] = None


class ReasonIn(ClosedSchema):
    reason: Text(5000)


class ExtendIn(ClosedSchema):
    days: int = Field(ge=0, le=365)
    reason: Text(5000)


class AnswerIn(ClosedSchema):
    facts: Text(20000) = ""
    basis: Text(20000) = ""
    conclusion: Text(20000) = ""
    review_right: Text(5000) = ""


class ReviewIn(ClosedSchema):
    level: Literal["review", "recheck"]
    reason: Text(5000)
    asked_on: Optional[IsoDate] = None


class OpinionIn(ClosedSchema):
    opinion: Text(20000)


def _out(p: Petition, on: dt.date) -> dict:
    lt = selectors.light(p, on)
    return {
        "id": p.pk, "number": p.number, "kind": p.kind, "kind_label": rules.param("petitions.types", on).get(p.kind, ""),
        "channel": p.channel, "petitioner": p.petitioner, "subject": p.subject, "content": p.content,
        "received_on": p.received_on, "status": p.status, "status_label": p.get_status_display(),
        "unit": {"id": p.unit.pk, "name": p.unit.name} if p.unit_id else None, "basis": p.basis,
        "route_due_on": p.route_due_on, "routed_on": p.routed_on, "notice_due_on": p.notice_due_on,
        "noticed_on": p.noticed_on, "accepted_on": p.accepted_on, "due_on": p.due_on,
        "extension_status": p.extension_status, "answered_on": p.answered_on,
        "overdue_flagged_on": p.overdue_flagged_on, "hard_case": p.hard_case, "light": lt.colour,
        "clock_due_on": lt.due_on,
        "reviews": [{"level": r.level, "asked_on": r.asked_on, "due_on": r.due_on, "decided_on": r.decided_on,
                     "opinion": r.opinion} for r in p.reviews.all()],
    }


def _fresh(request, pk: int) -> dict:
    on = rules.today()
    return _out(access.petition_visible(request.auth, pk, on=on), on)


@router.get("", response=responses(PetitionPage, 400), summary="本人可见的信访事项", operation_id="petitions_list")
def petition_list(request, status: Optional[Literal[tuple(Petition.Status.values)]] = None,
                  limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    on = rules.today()
    qs = access.visible_petitions(request.auth, on=on).select_related("unit").prefetch_related("reviews") \
        .order_by("-received_on", "-id")
    if status:
        qs = qs.filter(status=status)
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [_out(p, on) for p in qs[offset:offset + limit]]}


@router.post("", response={201: PetitionOut, **{c: ErrorOut for c in (400, 401, 403, 409, 422)}},
             summary="登记信访事项（区政府办公室）", operation_id="petitions_register")
def petition_register(request, data: RegisterIn):
    p = services.petition_register(actor=request.auth, kind=data.kind, channel=data.channel, petitioner=data.petitioner,
                                   contact=data.contact, subject=data.subject, content=data.content,
                                   received_on=data.received_on)
    return Status(201, _fresh(request, p.pk))


@router.get("/{petition_id}", response=responses(PetitionOut, 403, 404), summary="一件信访事项",
            operation_id="petitions_get")
def petition_get(request, petition_id: int = PetitionId):
    return _fresh(request, petition_id)


@router.post("/{petition_id}/route", response=responses(PetitionOut, *WRITE),
             summary="按属地或职责转送、交办（区政府办公室）", operation_id="petitions_route")
def petition_route(request, data: RouteIn, petition_id: int = PetitionId):
    services.petition_route(actor=request.auth, petition_id=petition_id, unit_id=data.unit_id, basis=data.basis)
    return _fresh(request, petition_id)


@router.post("/{petition_id}/notice", response=responses(PetitionOut, *WRITE),
             summary="书面告知信访人（区政府办公室）", operation_id="petitions_notice")
def petition_notice(request, data: NoticeIn, petition_id: int = PetitionId):
    services.petition_notify(actor=request.auth, petition_id=petition_id, text=data.text, noticed_on=data.noticed_on)
    return _fresh(request, petition_id)


@router.post("/{petition_id}/object", response=responses(PetitionOut, *WRITE),
             summary="对转送、交办提出异议（承办单位，5个工作日内）", operation_id="petitions_object")
def petition_object(request, data: ReasonIn, petition_id: int = PetitionId):
    services.petition_object(actor=request.auth, petition_id=petition_id, reason=data.reason)
    return _fresh(request, petition_id)


@router.post("/{petition_id}/accept", response=responses(PetitionOut, *WRITE),
             summary="受理（承办单位）", operation_id="petitions_accept")
def petition_accept(request, petition_id: int = PetitionId):
    services.petition_accept(actor=request.auth, petition_id=petition_id)
    return _fresh(request, petition_id)


@router.post("/{petition_id}/extension", response=responses(PetitionOut, *WRITE),
             summary="申请延长办理期限（承办单位，一次，报单位负责人审批）", operation_id="petitions_extension")
def petition_extension(request, data: ExtendIn, petition_id: int = PetitionId):
    services.extension_request(actor=request.auth, petition_id=petition_id, days=data.days, reason=data.reason)
    return _fresh(request, petition_id)


@router.post("/{petition_id}/answer", response=responses(PetitionOut, *WRITE),
             summary="办结并出具处理意见书（承办单位）", operation_id="petitions_answer")
def petition_answer(request, data: AnswerIn, petition_id: int = PetitionId):
    services.petition_answer(actor=request.auth, petition_id=petition_id, facts=data.facts, basis=data.basis,
                             conclusion=data.conclusion, review_right=data.review_right)
    return _fresh(request, petition_id)


@router.post("/{petition_id}/reviews", response=responses(PetitionOut, *WRITE),
             summary="登记复查或复核请求（区政府办公室）", operation_id="petitions_review_request")
def petition_review(request, data: ReviewIn, petition_id: int = PetitionId):
    services.review_request(actor=request.auth, petition_id=petition_id, level=data.level, reason=data.reason,
                            asked_on=data.asked_on)
    return _fresh(request, petition_id)


@router.post("/{petition_id}/reviews/decide", response=responses(PetitionOut, *WRITE),
             summary="登记复查或复核意见（区政府办公室）", operation_id="petitions_review_decide")
def petition_review_decide(request, data: OpinionIn, petition_id: int = PetitionId):
    services.review_decide(actor=request.auth, petition_id=petition_id, opinion=data.opinion)
    return _fresh(request, petition_id)


# ---- consultations (art. 42) -----------------------------------------------------------------------

class ConsultationOut(Schema):
    id: int
    title: str
    text: str
    unit: UnitOut
    major: bool
    opens_on: dt.date
    closes_on: dt.date
    channels: str = Field("", description="意见反馈渠道（公开网站上显示）")
    status: str
    comments: int
    summary: str
    adoption: str
    published_on: Optional[dt.date]


class ConsultationIn(ClosedSchema):
    title: Text(200)
    text: Text(20000)
    unit_id: int = Field(ge=1, le=MAX_ID)
    major: bool = True
    opens_on: IsoDate
    closes_on: IsoDate
    channels: Text(1000) = ""


class CommentIn(ClosedSchema):
    author: Text(100)
    text: Text(20000)
    received_on: Optional[IsoDate] = None


class ResultsIn(ClosedSchema):
    summary: Text(20000) = ""
    adoption: Text(20000) = ""


def _cout(c: Consultation) -> dict:
    return {"id": c.pk, "title": c.title, "text": c.text, "unit": {"id": c.unit_id, "name": c.unit.name},
            "major": c.major, "opens_on": c.opens_on, "closes_on": c.closes_on, "channels": c.channels,
            "status": c.status,
            "comments": c.comments.count(), "summary": c.summary, "adoption": c.adoption,
            "published_on": c.published_on}


@consultations_router.get("", response=responses(list[ConsultationOut]), summary="公开征求意见事项",
                          operation_id="consultations_list")
def consultation_list(request):
    return [_cout(c) for c in access.visible_consultations(request.auth).select_related("unit")]


@consultations_router.post("", response={201: ConsultationOut, **{c: ErrorOut for c in (400, 401, 403, 409, 422)}},
                           summary="公开征求意见（区政府办公室；重大行政决策不少于30日）",
                           operation_id="consultations_open")
def consultation_open(request, data: ConsultationIn):
    c = services.consultation_open(actor=request.auth, title=data.title, text=data.text, unit_id=data.unit_id,
                                   major=data.major, opens_on=data.opens_on, closes_on=data.closes_on,
                                   channels=data.channels)
    return Status(201, _cout(c))


@consultations_router.get("/{consultation_id}", response=responses(ConsultationOut, 404),
                          summary="一件征求意见事项", operation_id="consultations_get")
def consultation_get(request, consultation_id: int = ConsultationId):
    return _cout(access.consultation_visible(request.auth, consultation_id))


@consultations_router.post("/{consultation_id}/comments", response=responses(ConsultationOut, *WRITE),
                           summary="登记收到的公众意见（区政府办公室）", operation_id="consultations_comment")
def consultation_comment(request, data: CommentIn, consultation_id: int = ConsultationId):
    services.comment_record(actor=request.auth, consultation_id=consultation_id, author=data.author, text=data.text,
                            received_on=data.received_on)
    return _cout(access.consultation_visible(request.auth, consultation_id))


@consultations_router.post("/{consultation_id}/publish", response=responses(ConsultationOut, *WRITE),
                           summary="公布征求意见结果（期满后）", operation_id="consultations_publish")
def consultation_publish(request, data: ResultsIn, consultation_id: int = ConsultationId):
    return _cout(services.consultation_publish(actor=request.auth, consultation_id=consultation_id,
                                               summary=data.summary, adoption=data.adoption))


ROUTERS = [("/petitions", router), ("/consultations", consultations_router)]
