"""Requests for information (依申请公开, art. 33, 政府信息公开条例 arts. 29-45) and the 舆情 register
(art. 36). Every read goes through zhengwu.disclosure.requests.access (the office sees every
request, the unit concerned sees its own without the applicant's contact; 舆情: the office and
the leaders all, the lead unit and the owner theirs), every write through its services. The
extension's agreement is a workflow step, completed through /api/v1/tasks like every step."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional

from ninja import Field, Path, Query, Router, Schema, Status

from zhengwu import rules
from zhengwu.disclosure.requests import access, selectors, services
from zhengwu.disclosure.requests.models import InfoRequest, OpinionEvent

from ..schemas import ClosedSchema, ErrorOut, IsoDate, Text, ViolationOut, responses
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET

router = Router(tags=["requests"])
opinion_router = Router(tags=["opinion"])

RequestId = Path(..., ge=1, le=MAX_ID, description="政府信息公开申请编号")
EventId = Path(..., ge=1, le=MAX_ID, description="政务舆情编号")
WRITE = (400, 403, 404, 409)


class UnitOut(Schema):
    id: int
    name: str


class ConsultationOut(Schema):
    party: str
    sent_on: dt.date
    due_on: dt.date
    ended_on: Optional[dt.date]
    opinion: str


class RequestOut(Schema):
    id: int
    applicant: str
    applicant_contact: Optional[str] = Field(None, description="申请人联系方式：仅区政府办公室可见")
    channel: str
    submitted_on: dt.date
    received_on: dt.date
    content: str
    unit: Optional[UnitOut]
    status: str
    status_label: str
    clock_start: dt.date
    due_on: Optional[dt.date] = Field(description="答复期限；等待补正或征求意见时为空（期限暂停）")
    light: str = Field(description="green / yellow / red / paused / done / late")
    corrections: int
    extended: bool
    extension_pending: bool
    consultations: list[ConsultationOut]
    answer_type: str
    answer_text: str
    partial: bool
    basis: str
    withheld_reason: str
    answered_on: Optional[dt.date]
    escalated_on: Optional[dt.date]
    correction_due_on: Optional[dt.date] = Field(None, description="补正期限（逾期不补正视为放弃申请）")
    abandoned_on: Optional[dt.date] = Field(None, description="视为放弃申请之日")
    findings: list[ViolationOut]


class RequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RequestOut]


class RequestIn(ClosedSchema):
    applicant: Text(100)
    applicant_contact: Text(200) = ""
    applicant_kind: Text(20) = Field("person", description="申请人类别：info_requests.applicant_kinds 的代码")
    channel: Text(12) = Field(description="提交方式：info_requests.channels 的代码")
    submitted_on: Optional[IsoDate] = None
    received_on: Optional[IsoDate] = Field(None, description="收到申请之日（条例第三十一条），默认今天")
    content: Text(5000)
    unit_id: Optional[int] = Field(None, ge=1, le=MAX_ID)


class TextIn(ClosedSchema):
    text: Text(5000)


class CorrectedIn(ClosedSchema):
    corrected_on: Optional[IsoDate] = None


class ConsultIn(ClosedSchema):
    party: Text(200)
    text: Text(5000)
    sent_on: Optional[IsoDate] = None


class ConsultEndIn(ClosedSchema):
    opinion: Text(5000) = ""
    ended_on: Optional[IsoDate] = None


class ReasonIn(ClosedSchema):
    reason: Text(2000)


class AnswerIn(ClosedSchema):
    answer_type: Text(16) = Field(description="答复类型：info_requests.answer_types 的代码（条例第三十六条）")
    text: Text(20000)
    basis: Text(10) = Field("", description="不予公开的依据：info_requests.refusal_bases 的代码")
    partial: bool = Field(False, description="部分公开（条例第三十七条）")
    withheld_reason: Text(5000) = ""


def _out(request, item: InfoRequest) -> dict:
    item = InfoRequest.objects.select_related("unit").get(pk=item.pk)
    return selectors.request_dict(request.auth, item, rules.today())


@router.get("", response=responses(RequestPage, 400), summary="本人可见的政府信息公开申请", operation_id="requests_list")
def request_list(request, status: Optional[Literal[tuple(InfoRequest.Status.values)]] = None, overdue: bool = False,
                 limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    on = rules.today()
    qs = access.visible_requests(request.auth, on=on).select_related("unit").order_by("-id")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=services.OPEN, due_on__lt=on)
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [selectors.request_dict(request.auth, r, on) for r in qs[offset:offset + limit]]}


@router.post("", response={201: RequestOut, **{c: ErrorOut for c in (400, 401, 403, 404, 422)}},
             summary="登记政府信息公开申请（区政府办公室）", operation_id="requests_create")
def request_create(request, data: RequestIn):
    item = services.request_register(actor=request.auth, applicant=data.applicant,
                                     applicant_contact=data.applicant_contact, channel=data.channel,
                                     submitted_on=data.submitted_on, received_on=data.received_on,
                                     content=data.content, unit_id=data.unit_id,
                                     applicant_kind=data.applicant_kind)
    return Status(201, _out(request, item))


@router.get("/{request_id}", response=responses(RequestOut, 403, 404), summary="一件政府信息公开申请",
            operation_id="requests_get")
def request_get(request, request_id: int = RequestId):
    return _out(request, access.request_visible(request.auth, request_id))


@router.post("/{request_id}/correction", response=responses(RequestOut, *WRITE),
             summary="一次性告知补正（收到申请之日起7个工作日内）", operation_id="requests_correction")
def request_correction(request, data: TextIn, request_id: int = RequestId):
    return _out(request, services.correction_notice(actor=request.auth, request_id=request_id, text=data.text))


@router.post("/{request_id}/corrected", response=responses(RequestOut, *WRITE),
             summary="收到补正（答复期限重新起算）", operation_id="requests_corrected")
def request_corrected(request, data: CorrectedIn, request_id: int = RequestId):
    return _out(request, services.correction_received(actor=request.auth, request_id=request_id,
                                                      corrected_on=data.corrected_on))


@router.post("/{request_id}/consultation", response=responses(RequestOut, *WRITE),
             summary="征求第三方意见（答复期限暂停）", operation_id="requests_consult")
def request_consult(request, data: ConsultIn, request_id: int = RequestId):
    services.consultation_start(actor=request.auth, request_id=request_id, party=data.party, text=data.text,
                                sent_on=data.sent_on)
    return _out(request, access.request_visible(request.auth, request_id))


@router.post("/{request_id}/consultation/end", response=responses(RequestOut, *WRITE),
             summary="登记第三方意见，征求意见结束（期限继续计算）", operation_id="requests_consult_end")
def request_consult_end(request, data: ConsultEndIn, request_id: int = RequestId):
    return _out(request, services.consultation_end(actor=request.auth, request_id=request_id, opinion=data.opinion,
                                                   ended_on=data.ended_on))


@router.post("/{request_id}/extension", response=responses(RequestOut, *WRITE),
             summary="报政府信息公开工作机构负责人同意延长答复期限（一次）", operation_id="requests_extension")
def request_extension(request, data: ReasonIn, request_id: int = RequestId):
    return _out(request, services.extension_request(actor=request.auth, request_id=request_id, reason=data.reason))


@router.post("/{request_id}/answer", response=responses(RequestOut, *WRITE),
             summary="答复申请人（条例第三十六条的七种答复之一）", operation_id="requests_answer")
def request_answer(request, data: AnswerIn, request_id: int = RequestId):
    return _out(request, services.request_answer(actor=request.auth, request_id=request_id,
                                                 answer_type=data.answer_type, text=data.text, basis=data.basis,
                                                 partial=data.partial, withheld_reason=data.withheld_reason))


# ---- 舆情 ---------------------------------------------------------------------------------------

class ResponseOut(Schema):
    kind: str
    due_at: dt.datetime
    responded_at: Optional[dt.datetime]
    late: Optional[bool]
    channel: str
    text: str


class EventOut(Schema):
    id: int
    title: str
    summary: str
    source: str
    level: str
    found_at: dt.datetime
    lead_unit: UnitOut
    owner: UnitOut
    status: str
    status_label: str
    light: str
    late_flagged_at: Optional[dt.datetime]
    responses: list[ResponseOut]
    findings: list[ViolationOut] = Field(description="第三十六条的审查结果（回应逾期）")


class EventPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EventOut]


class EventIn(ClosedSchema):
    title: Text(200)
    summary: Text(5000)
    source: Text(10) = Field(description="opinion.sources 的代码")
    level: Text(10) = Field(description="opinion.levels 的代码：major 重大、general 一般")
    found_at: Optional[dt.datetime] = Field(None, description="发现时间，默认现在")
    lead_unit_id: int = Field(ge=1, le=MAX_ID, description="牵头部门（回应主体）")
    owner_id: int = Field(ge=1, le=MAX_ID, description="回应责任人")


class RespondIn(ClosedSchema):
    kind: Text(20) = Field(description="opinion.response_kinds 的代码")
    channel: Text(100)
    text: Text(10000)
    responded_at: Optional[dt.datetime] = Field(None, description="回应时间，默认现在")


def _event(event: OpinionEvent) -> dict[str, Any]:
    event = OpinionEvent.objects.select_related("lead_unit", "owner").get(pk=event.pk)
    return selectors.event_dict(event, services.clock_now())


@opinion_router.get("", response=responses(EventPage, 400), summary="本人可见的政务舆情", operation_id="opinion_list")
def opinion_list(request, limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    now = services.clock_now()
    qs = (access.visible_events(request.auth).select_related("lead_unit", "owner").prefetch_related("responses")
          .order_by("-found_at"))
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [selectors.event_dict(e, now) for e in qs[offset:offset + limit]]}


@opinion_router.post("", response={201: EventOut, **{c: ErrorOut for c in (400, 401, 403, 422)}},
                     summary="登记政务舆情（区政府办公室）", operation_id="opinion_create")
def opinion_create(request, data: EventIn):
    event = services.opinion_register(actor=request.auth, title=data.title, summary=data.summary, source=data.source,
                                      level=data.level, found_at=data.found_at, lead_unit_id=data.lead_unit_id,
                                      owner_id=data.owner_id)
    return Status(201, _event(event))


@opinion_router.get("/{event_id}", response=responses(EventOut, 403, 404), summary="一条政务舆情",
                    operation_id="opinion_get")
def opinion_get(request, event_id: int = EventId):
    return _event(access.event_visible(request.auth, event_id))


@opinion_router.post("/{event_id}/responses", response=responses(EventOut, *WRITE),
                     summary="登记舆情回应（回应责任人、牵头部门或区政府办公室）", operation_id="opinion_respond")
def opinion_respond(request, data: RespondIn, event_id: int = EventId):
    services.opinion_respond(actor=request.auth, event_id=event_id, kind=data.kind, channel=data.channel,
                             text=data.text, responded_at=data.responded_at)
    return _event(access.event_visible(request.auth, event_id))


ROUTERS = [("/requests", router), ("/opinion", opinion_router)]
