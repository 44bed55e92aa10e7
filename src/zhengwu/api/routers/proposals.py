"""NPC suggestions and CPPCC proposals (建议提案, art. 39): the items one may see and one item, the
office's intake (batches, items, 交办, extension, the proposer's view, publication) and the units'
handling (send-back, co-unit opinion, contact, answer). Every read goes through
zhengwu.proposals.access (a unit sees the items it leads or helps with; the office and the
government leaders all), every write through zhengwu.proposals.services."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from ninja import Field, Path, Query, Router, Schema, Status

from zhengwu import rules
from zhengwu.errors import Refused
from zhengwu.proposals import access, selectors, services
from zhengwu.proposals.models import Proposal

from ..schemas import ClosedSchema, ErrorOut, IsoDate, Text, ViolationOut, responses
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET

router = Router(tags=["proposals"])

ProposalId = Path(..., ge=1, le=MAX_ID, description="建议提案编号")
Ids = list[int]


class UnitOut(Schema):
    id: int
    name: str


class BatchOut(Schema):
    id: int
    session: str
    period: str
    year: int


class CoUnitOut(UnitOut):
    due_on: Optional[dt.date]
    opinion: str
    opinion_on: Optional[dt.date]


class ProposerOut(Schema):
    id: int
    name: str
    group: str
    leading: bool
    contact: Optional[str] = Field(None, description="联系方式：仅区政府办公室和主办单位可见")


class ContactOut(Schema):
    way: str
    contacted_on: dt.date
    round: int
    note: str


class AnswerOut(Schema):
    round: int
    outcome: str
    outcome_label: str
    answered_on: dt.date
    signed_by: str
    satisfaction: str
    text: str = Field(description="答复全文（会办单位看到的是隐去联系方式的公开文本）")
    doc_number: str = Field("", description="答复函的发文字号")


class LetterRef(Schema):
    id: int = Field(description="公文编号：以 /api/v1/documents/{id} 查看、由主办单位主要负责人 sign-as-unit 签发、编号")
    title: str
    status: str
    status_label: str
    doc_number: str = Field(description="发文字号（本单位序列），编号后才有")
    signer: str
    signed_on: Optional[dt.date]


class LedgerItemRef(Schema):
    id: int
    number: str = Field(description="立项号")
    status: str
    status_label: str


class ProposalOut(Schema):
    id: int
    number: str
    title: str
    content: str
    body: str
    body_label: str
    batch: BatchOut
    status: str
    status_label: str
    round: int
    lead_unit: Optional[UnitOut]
    co_units: list[CoUnitOut]
    assigned_on: Optional[dt.date]
    due_on: Optional[dt.date]
    extended: bool
    overdue: bool
    proposers: list[ProposerOut]
    contacts: list[ContactOut]
    answers: list[AnswerOut]
    answered_on: Optional[dt.date]
    published_on: Optional[dt.date]
    publish_withheld_reason: str
    escalated_on: Optional[dt.date]
    findings: list[ViolationOut] = Field(description="第三十九条的审查结果（逾期未答复、逾期未公开）")
    letter: Optional[LetterRef] = Field(None, description="本轮的答复函（以主办单位名义的公文）")
    ledger_item: Optional[LedgerItemRef] = Field(None, description="“列入计划”答复转入的督查事项（本人可见时）")


class ProposalPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProposalOut]


class CountOut(Schema):
    code: str
    label: str
    count: int


class ReportRowOut(Schema):
    body: str
    label: str
    total: int
    assigned: int
    answered: int
    on_time: int
    on_time_rate: Optional[int] = Field(None, description="按时答复率（%），无答复时为空")
    overdue: int
    outcomes: list[CountOut]
    satisfaction: list[CountOut]
    reopened: int
    published: int
    withheld: int
    unpublished_late: int


class BatchIn(ClosedSchema):
    body: Text(10) = Field(description="来源：proposals.bodies 的代码")
    session: Text(100) = Field(description="届次")
    period: Text(10) = Field(description="提出时间：proposals.periods 的代码")
    year: int = Field(ge=2000, le=2100)


class ProposerIn(ClosedSchema):
    name: Text(50)
    group: Text(100) = ""
    contact: Text(100) = ""
    leading: bool = False


class ProposalIn(ClosedSchema):
    batch_id: int = Field(ge=1, le=MAX_ID)
    number: Text(20)
    title: Text(200)
    content: Text(20000)
    proposers: list[ProposerIn] = Field(min_length=1, max_length=services.MAX_PROPOSERS)


class AssignIn(ClosedSchema):
    lead_unit_id: int = Field(ge=1, le=MAX_ID, description="主办单位（只能一个）")
    co_unit_ids: Ids = Field(default_factory=list, max_length=50, description="会办单位")
    assigned_on: Optional[IsoDate] = Field(None, description="交办日期，默认今天")


class ReasonIn(ClosedSchema):
    reason: Text(2000)


class ExtendIn(ClosedSchema):
    reason: Text(2000)
    new_due_on: IsoDate


class OpinionIn(ClosedSchema):
    opinion: Text(5000)


class ContactIn(ClosedSchema):
    way: Text(10) = Field(description="方式：proposals.contact_ways 的代码")
    contacted_on: IsoDate
    note: Text(5000)
    proposer_id: Optional[int] = Field(None, ge=1, le=MAX_ID)


class AnswerIn(ClosedSchema):
    outcome: Text(10) = Field(description="办理结果：proposals.outcomes 的代码")
    sent_to: Optional[Ids] = Field(None, max_length=services.MAX_PROPOSERS, description="送达的代表委员，默认全部")


class SatisfactionIn(ClosedSchema):
    satisfaction: Text(12) = Field(description="proposals.satisfaction 的代码")
    note: Text(5000) = ""


class PublishIn(ClosedSchema):
    published_on: Optional[IsoDate] = None


def _out(request, item: Proposal) -> dict:
    item = Proposal.objects.select_related("batch", "lead_unit").get(pk=item.pk)
    return selectors.as_dict(request.auth, item, rules.today())


@router.get("", response=responses(ProposalPage, 400), summary="本人可见的建议提案", operation_id="proposals_list")
def proposal_list(request, status: Optional[Literal[tuple(Proposal.Status.values)]] = None,
                  body: Optional[str] = Query(None, max_length=10, description="来源：proposals.bodies 的代码"),
                  overdue: bool = False,
                  limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    on = rules.today()
    qs = access.visible_proposals(request.auth, on=on).select_related("batch", "lead_unit").order_by("-id")
    if status:
        qs = qs.filter(status=status)
    if body:
        if body not in rules.param("proposals.bodies", on):
            raise Refused("来源须为人大代表建议或政协委员提案", field="body")
        qs = qs.filter(batch__body=body)
    if overdue:
        qs = qs.filter(status__in=services.OPEN, due_on__lt=on)
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [selectors.as_dict(request.auth, p, on) for p in qs[offset:offset + limit]]}


@router.get("/report", response=responses(list[ReportRowOut], 400), summary="年度办理情况报告（本人可见的建议提案）",
            operation_id="proposals_report")
def proposal_report(request, year: int = Query(..., ge=2000, le=2100, description="年度")):
    return selectors.year_report(request.auth, year, rules.today())


@router.post("/batches", response={201: BatchOut, **{c: ErrorOut for c in (400, 401, 403, 409, 422)}},
             summary="登记建议提案批次（区政府办公室）", operation_id="proposals_batch_create")
def batch_create(request, data: BatchIn):
    b = services.batch_create(actor=request.auth, body=data.body, session=data.session, period=data.period,
                              year=data.year)
    return Status(201, {"id": b.pk, "session": b.session, "period": b.period, "year": b.year})


@router.get("/{proposal_id}", response=responses(ProposalOut, 403, 404), summary="一件建议提案",
            operation_id="proposals_get")
def proposal_get(request, proposal_id: int = ProposalId):
    return _out(request, access.proposal_visible(request.auth, proposal_id))


@router.post("", response={201: ProposalOut, **{c: ErrorOut for c in (400, 401, 403, 404, 409, 422)}},
             summary="登记建议提案（区政府办公室）", operation_id="proposals_create")
def proposal_create(request, data: ProposalIn):
    item = services.proposal_create(actor=request.auth, batch_id=data.batch_id, number=data.number, title=data.title,
                                    content=data.content, proposers=[p.dict() for p in data.proposers])
    return Status(201, _out(request, item))


@router.post("/{proposal_id}/assign", response=responses(ProposalOut, 400, 403, 404, 409),
             summary="交办（区政府办公室）", operation_id="proposals_assign")
def proposal_assign(request, data: AssignIn, proposal_id: int = ProposalId):
    return _out(request, services.proposal_assign(actor=request.auth, proposal_id=proposal_id,
                                                  lead_unit_id=data.lead_unit_id, co_unit_ids=data.co_unit_ids,
                                                  assigned_on=data.assigned_on))


@router.post("/{proposal_id}/send-back", response=responses(ProposalOut, 400, 403, 404, 409),
             summary="退回交办不当的建议提案（主办单位）", operation_id="proposals_send_back")
def proposal_send_back(request, data: ReasonIn, proposal_id: int = ProposalId):
    return _out(request, services.proposal_send_back(actor=request.auth, proposal_id=proposal_id, reason=data.reason))


@router.post("/{proposal_id}/extend", response=responses(ProposalOut, 400, 403, 404, 409),
             summary="批准延长答复期限（区政府办公室）", operation_id="proposals_extend")
def proposal_extend(request, data: ExtendIn, proposal_id: int = ProposalId):
    return _out(request, services.proposal_extend(actor=request.auth, proposal_id=proposal_id, reason=data.reason,
                                                  new_due_on=data.new_due_on))


@router.post("/{proposal_id}/opinion", response=responses(ProposalOut, 400, 403, 404, 409),
             summary="会办意见（会办单位）", operation_id="proposals_opinion")
def proposal_opinion(request, data: OpinionIn, proposal_id: int = ProposalId):
    services.co_unit_opinion(actor=request.auth, proposal_id=proposal_id, opinion=data.opinion)
    return _out(request, access.proposal_visible(request.auth, proposal_id))


@router.post("/{proposal_id}/contacts", response=responses(ProposalOut, 400, 403, 404, 409),
             summary="登记与代表委员沟通（主办单位）", operation_id="proposals_contact")
def proposal_contact(request, data: ContactIn, proposal_id: int = ProposalId):
    services.contact_record(actor=request.auth, proposal_id=proposal_id, way=data.way, contacted_on=data.contacted_on,
                            note=data.note, proposer_id=data.proposer_id)
    return _out(request, access.proposal_visible(request.auth, proposal_id))


class ReplyLetterIn(ClosedSchema):
    body: Optional[Text(20000)] = Field(None, description="答复函正文；不填则按建议提案生成草稿，可在公文中修改")


@router.post("/{proposal_id}/reply-letter", response=responses(ProposalOut, 400, 403, 404, 409),
             summary="起草答复函（主办单位；以本单位名义的公文，由本单位主要负责人签发）",
             operation_id="proposals_reply_letter")
def proposal_reply_letter(request, data: Optional[ReplyLetterIn] = None, proposal_id: int = ProposalId):
    services.reply_draft(actor=request.auth, proposal_id=proposal_id, body=data.body if data else None)
    return _out(request, access.proposal_visible(request.auth, proposal_id))


@router.post("/{proposal_id}/answer", response=responses(ProposalOut, 400, 403, 404, 409),
             summary="答复代表委员（答复函经主办单位主要负责人签发、编号后登记）", operation_id="proposals_answer")
def proposal_answer(request, data: AnswerIn, proposal_id: int = ProposalId):
    services.proposal_answer(actor=request.auth, proposal_id=proposal_id, outcome=data.outcome, sent_to=data.sent_to)
    return _out(request, access.proposal_visible(request.auth, proposal_id))


@router.post("/{proposal_id}/satisfaction", response=responses(ProposalOut, 400, 403, 404, 409),
             summary="登记代表委员对答复的意见（区政府办公室）", operation_id="proposals_satisfaction")
def proposal_satisfaction(request, data: SatisfactionIn, proposal_id: int = ProposalId):
    return _out(request, services.satisfaction_record(actor=request.auth, proposal_id=proposal_id,
                                                      satisfaction=data.satisfaction, note=data.note))


@router.post("/{proposal_id}/publish", response=responses(ProposalOut, 400, 403, 404, 409),
             summary="公开办理结果（区政府办公室）", operation_id="proposals_publish")
def proposal_publish(request, data: PublishIn, proposal_id: int = ProposalId):
    return _out(request, services.proposal_publish(actor=request.auth, proposal_id=proposal_id,
                                                   published_on=data.published_on))


@router.post("/{proposal_id}/withhold", response=responses(ProposalOut, 400, 403, 404, 409),
             summary="登记不公开办理结果的理由（区政府办公室）", operation_id="proposals_withhold")
def proposal_withhold(request, data: ReasonIn, proposal_id: int = ProposalId):
    return _out(request, services.proposal_withhold(actor=request.auth, proposal_id=proposal_id, reason=data.reason))
