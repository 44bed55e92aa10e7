"""The supervision ledger (督查台账, art. 45-51): the items one may see (with their lights on the
official calendar), one item with its units, reports and extensions, opening an item (the
督查指挥中心), from a meeting's decision or a leader's 批示, and the actions on it.

Every read goes through zhengwu.supervision.access (a unit sees its own items, a 副区长 those of his
分工, the 区长, the office and the 督查指挥中心 all), every write through the ledger's services, which
check who acts and the rules (art. 47, 48, 49, 50)."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import StrictBool

from zhengwu import rules
from zhengwu.supervision import access, selectors, services
from zhengwu.supervision.models import SupervisionItem

from ..schemas import ClosedSchema, DocId, ErrorOut, IsoDate, PersonRef, Text, responses
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET, person_ref

router = Router(tags=["supervision"])

ItemId = Path(..., ge=1, le=MAX_ID, description="督查事项编号")
ExtensionId = Path(..., ge=1, le=MAX_ID, description="延期申请编号")
ReviewId = Path(..., ge=1, le=MAX_ID, description="复核申请编号")
ItemStatus = Literal[tuple(SupervisionItem.Status.values)]
LightCode = Literal["green", "yellow", "red", "listed"]
Action = Literal["assign", "request-approval", "sign", "return", "opinion", "report", "closure", "verify", "close", "suspend",
                 "extension", "rectification-report", "review"]


class UnitOut(Schema):
    id: int
    name: str
    role: str
    role_label: str
    head: Optional[PersonRef]


class ItemSummary(Schema):
    id: int
    number: str
    title: str
    source: str
    source_label: str
    status: str
    status_label: str
    lead_unit: Optional[str]
    assigned_on: Optional[dt.date]
    due_on: Optional[dt.date]
    light: str = Field(description="green / yellow / red / 空（不在承办阶段）")
    light_label: str
    listed: bool = Field(description="挂牌督办")
    version: int


class ItemPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ItemSummary]


class ReportOut(Schema):
    kind: str
    kind_label: str
    text: str
    evidence: str
    reported_on: dt.date
    reported_by: Optional[PersonRef]


class ExtensionOut(Schema):
    id: int
    asked_on: dt.date
    reason: str
    old_due_on: dt.date
    new_due_on: dt.date
    status: str
    status_label: str


class ItemOut(ItemSummary):
    basis: str
    source_title: str
    source_url: str
    in_government_name: bool
    approved_on: Optional[dt.date]
    limit_days: int
    reporting_cycle: str
    milestones: list[dict]
    mechanism: str
    verify_note: str
    verified_on: Optional[dt.date]
    closed_on: Optional[dt.date]
    listed_on: Optional[dt.date]
    reason: str
    units: list[UnitOut]
    reports: list[ReportOut]
    extensions: list[ExtensionOut]


class ItemIn(ClosedSchema):
    """A new item (草稿). Codes: source of supervision.sources; reporting_cycle of
    supervision.reporting_cycles. Exactly one lead unit (art. 48); heads default to each unit's
    主要负责人 (art. 47)."""

    title: Text(200) = Field(..., examples=["推进政府采购电子化"])
    basis: Text(4000) = Field(..., description="督查依据和要求")
    source: Text(30) = Field(..., examples=["higher_instruction"])
    lead_unit_ids: list[DocId] = Field(..., max_length=20, description="牵头单位（只能一个，第四十八条）")
    co_unit_ids: list[DocId] = Field([], max_length=50, description="协办单位")
    limit_days: Optional[int] = Field(None, ge=1, le=500, description="办理时限（工作日）")
    in_government_name: StrictBool = False
    reporting_cycle: Text(20) = "monthly"


class FromDecisionIn(ClosedSchema):
    agenda_item_id: DocId = Field(..., description="会议已决定的议题")
    lead_unit_id: Optional[DocId] = None
    limit_days: Optional[int] = Field(None, ge=1, le=500)


class FromInstructionIn(ClosedSchema):
    task_id: DocId = Field(..., description="区政府领导已完成的批示步骤")
    lead_unit_id: Optional[DocId] = None
    limit_days: Optional[int] = Field(None, ge=1, le=500)


class ActionIn(ClosedSchema):
    """The fields an action takes: reason (退回, 中止, 延期, 复核: the objection to a 核查 conclusion), text/evidence (进展, 申请办结, 整改报告 to the
    区政府 of an oversight finding, art. 40; stage: 阶段性办结),
    mechanism (申请办结 of a rectification item, art. 45), passed/note (核查), new_due_on (延期)."""

    reason: Text(4000) = ""
    text: Text(4000) = ""
    evidence: Text(4000) = ""
    mechanism: Text(4000) = ""
    stage: StrictBool = False
    passed: Optional[StrictBool] = None
    note: Text(4000) = ""
    new_due_on: Optional[IsoDate] = None


class DecideIn(ClosedSchema):
    approve: StrictBool


class ReviewDecideIn(ClosedSchema):
    """复核决定: overturn = 撤销核查结论 (the item passes 核查); false = 维持."""

    overturn: StrictBool
    note: Text(4000) = Field(..., description="复核意见")


class ReviewOut(Schema):
    id: int
    item_id: int
    concluded_on: dt.date
    asked_on: dt.date
    reason: str
    due_on: dt.date
    status: str
    status_label: str
    decided_on: Optional[dt.date]
    note: str


def _summary(item: SupervisionItem, on: dt.date, cal, sources) -> dict:
    lt = selectors.light(item, on, cal)
    lead = selectors.lead_of(item)
    return {"id": item.pk, "number": item.number, "title": item.title, "source": item.source,
            "source_label": sources.get(item.source, ""), "status": item.status,
            "status_label": item.get_status_display(), "lead_unit": lead.unit.name if lead else None,
            "assigned_on": item.assigned_on, "due_on": item.due_on, "light": lt.colour, "light_label": lt.label,
            "listed": lt.listed, "version": item.version}


def _detail(item: SupervisionItem) -> dict:
    on = rules.today()
    item = selectors.ledger(SupervisionItem.objects.filter(pk=item.pk)).get()
    out = _summary(item, on, selectors.calendar(), rules.param("supervision.sources", on))
    out.update({
        "basis": item.basis, "source_title": item.source_title, "source_url": item.source_url,
        "in_government_name": item.in_government_name, "approved_on": item.approved_on, "limit_days": item.limit_days,
        "reporting_cycle": item.reporting_cycle, "milestones": item.milestones, "mechanism": item.mechanism,
        "verify_note": item.verify_note, "verified_on": item.verified_on, "closed_on": item.closed_on,
        "listed_on": item.listed_on, "reason": item.reason,
        "units": [{"id": u.unit_id, "name": u.unit.name, "role": u.role, "role_label": u.get_role_display(),
                   "head": person_ref(u.head)} for u in item.units.all()],
        "reports": [{"kind": r.kind, "kind_label": r.get_kind_display(), "text": r.text, "evidence": r.evidence,
                     "reported_on": r.reported_on, "reported_by": person_ref(r.reported_by)}
                    for r in item.reports.select_related("reported_by")],
        "extensions": [{"id": e.pk, "asked_on": e.asked_on, "reason": e.reason, "old_due_on": e.old_due_on,
                        "new_due_on": e.new_due_on, "status": e.status, "status_label": e.get_status_display()}
                       for e in item.extensions.all()],
    })
    return out


@router.get("/items", response=responses(ItemPage), summary="督查台账（本人可见的事项，带红黄绿灯）",
            operation_id="supervision_list")
def item_list(request, status: Optional[ItemStatus] = Query(None, description="状态"),
              light: Optional[LightCode] = Query(None, description="灯号；listed = 挂牌督办"),
              limit: int = Query(20, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """Newest first. A unit sees the items it leads or co-operates on, a 副区长 those of his 分工, the
    区长, the office and the 督查指挥中心 all of them."""
    on = rules.today()
    qs = access.visible_items(request.auth, on=on).order_by("-year", "-seq")
    if status:
        qs = qs.filter(status=status)
    rows = selectors.with_lights(selectors.ledger(qs), on) if light else None
    if rows is not None:
        ids = [i.pk for i, lt in rows if (lt.listed if light == "listed" else lt.colour == light)]
        qs = qs.filter(pk__in=ids)
    cal, sources = selectors.calendar(), rules.param("supervision.sources", on)
    page = selectors.ledger(qs)[offset:offset + limit]
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [_summary(i, on, cal, sources) for i in page]}


@router.get("/items/{item_id}", response=responses(ItemOut, 400, 403, 404), summary="查看一个督查事项",
            operation_id="supervision_get")
def item_get(request, item_id: int = ItemId):
    return _detail(access.item_visible(request.auth, item_id))


@router.post("/items", response={201: ItemOut, **{c: ErrorOut for c in (400, 401, 403, 409, 422)}},
             summary="督查立项（区督查指挥中心）", operation_id="supervision_create")
def item_create(request, data: ItemIn):
    item = services.item_create(actor=request.auth, title=data.title, basis=data.basis, source=data.source,
                                lead_units=data.lead_unit_ids, co_units=data.co_unit_ids, limit_days=data.limit_days,
                                in_government_name=data.in_government_name, reporting_cycle=data.reporting_cycle)
    return Status(201, _detail(item))


@router.post("/from-decision", response={201: ItemOut, **{c: ErrorOut for c in (400, 401, 403, 409, 422)}},
             summary="会议议定事项立项督查", operation_id="supervision_from_decision")
def item_from_decision(request, data: FromDecisionIn):
    item = services.item_from_meeting_decision(actor=request.auth, agenda_item_id=data.agenda_item_id,
                                               lead_unit=data.lead_unit_id, limit_days=data.limit_days)
    return Status(201, _detail(item))


@router.post("/from-instruction", response={201: ItemOut, **{c: ErrorOut for c in (400, 401, 403, 409, 422)}},
             summary="领导批示立项督查", operation_id="supervision_from_instruction")
def item_from_instruction(request, data: FromInstructionIn):
    item = services.item_from_instruction(actor=request.auth, task_id=data.task_id, lead_unit=data.lead_unit_id,
                                          limit_days=data.limit_days)
    return Status(201, _detail(item))


@router.post("/items/{item_id}/{action}", response=responses(ItemOut, 400, 403, 404, 409),
             summary="办理督查事项（交办、报批、签收、退回、报告进展、申请办结、报送整改报告、核查、申请复核、销号、中止、申请延期）",
             operation_id="supervision_act")
def item_act(request, data: ActionIn, action: Action = Path(..., description="操作"), item_id: int = ItemId):
    me, i = request.auth, item_id
    call = {
        "assign": lambda: services.item_assign(actor=me, item_id=i),
        "request-approval": lambda: services.item_request_approval(actor=me, item_id=i),
        "sign": lambda: services.item_sign(actor=me, item_id=i),
        "return": lambda: services.item_return(actor=me, item_id=i, reason=data.reason),
        "opinion": lambda: services.co_unit_opinion(actor=me, item_id=i, text=data.text, evidence=data.evidence),
        "report": lambda: services.item_report(actor=me, item_id=i, text=data.text, evidence=data.evidence,
                                               stage=data.stage),
        "closure": lambda: services.item_request_closure(actor=me, item_id=i, text=data.text, evidence=data.evidence,
                                                         mechanism=data.mechanism),
        "rectification-report": lambda: services.item_rectification_report(actor=me, item_id=i, text=data.text,
                                                                           evidence=data.evidence),
        "verify": lambda: services.item_verify(actor=me, item_id=i, passed=data.passed, note=data.note),
        "close": lambda: services.item_close(actor=me, item_id=i),
        "suspend": lambda: services.item_suspend(actor=me, item_id=i, reason=data.reason),
        "extension": lambda: services.extension_request(actor=me, item_id=i, new_due_on=data.new_due_on,
                                                        reason=data.reason),
        "review": lambda: services.review_request(actor=me, item_id=i, reason=data.reason),
    }[action]
    call()
    return _detail(access.item_visible(me, item_id))


@router.post("/extensions/{extension_id}/decide", response=responses(ItemOut, 400, 403, 404, 409),
             summary="审批延期申请（区督查指挥中心）", operation_id="supervision_extension_decide")
def extension_decide(request, data: DecideIn, extension_id: int = ExtensionId):
    ext = services.extension_decide(actor=request.auth, extension_id=extension_id, approve=data.approve)
    return _detail(access.item_visible(request.auth, ext.item_id))


@router.post("/reviews/{review_id}/decide", response=responses(ReviewOut, 400, 403, 404, 409),
             summary="作出复核决定（区督查指挥中心或其分管领导，作出核查结论的人员回避）",
             operation_id="supervision_review_decide")
def review_decide(request, data: ReviewDecideIn, review_id: int = ReviewId):
    r = services.review_decide(actor=request.auth, review_id=review_id, overturn=data.overturn, note=data.note)
    return {"id": r.pk, "item_id": r.item_id, "concluded_on": r.concluded_on, "asked_on": r.asked_on,
            "reason": r.reason, "due_on": r.due_on, "status": r.status, "status_label": r.get_status_display(),
            "decided_on": r.decided_on, "note": r.note}


# ---- dashboard, performance and 表扬/问责建议 (art. 46, 50, 51) -----------------------------------

class CountsRow(Schema):
    name: str = Field(description="牵头单位、分管领导或来源")
    open: int
    week: int = Field(description="本周到期")
    month: int = Field(description="本月到期")
    overdue: int = Field(description="逾期（红灯）")
    listed: int = Field(description="挂牌督办")


class DashboardOut(Schema):
    on: dt.date
    by_unit: list[CountsRow]
    by_leader: list[CountsRow]
    by_source: list[CountsRow]
    total: CountsRow


class ScoreRow(Schema):
    unit_id: int
    unit: str
    items: int = Field(description="本年度牵头的督查事项")
    completed: int = Field(description="已申请办结")
    on_time: int
    on_time_rate: Optional[float] = Field(description="按期办结率（%）")
    verified: int = Field(description="已核查")
    first_pass: int
    first_pass_rate: Optional[float] = Field(description="核查一次通过率（%）")
    reopened: int = Field(description="核查不通过退回整改（未经复核撤销）")
    score: Optional[float] = Field(description="得分（0–100，权重见 supervision.performance_weights）")
    mark: str = Field(description="praise（建议表扬）/ accountability（建议问责）/ 空")


class PerformanceOut(Schema):
    year: int
    rows: list[ScoreRow]


class AccountabilityIn(ClosedSchema):
    """A 表扬 or 问责 proposal (art. 51) by the 区督查指挥中心; kind of supervision.accountability_kinds."""

    unit_id: DocId
    year: int = Field(..., ge=2000, le=2100)
    kind: Literal["praise", "accountability"]
    reasons: Text(4000) = Field(..., description="事实和理由")


class AccountabilityDecideIn(ClosedSchema):
    approve: StrictBool
    opinion: Text(4000) = ""


class AccountabilityOut(Schema):
    id: int
    unit_id: int
    unit: str
    year: int
    kind: str
    kind_label: str
    reasons: str
    scores: dict
    status: str
    status_label: str
    drafted_on: dt.date
    decided_on: Optional[dt.date]
    decided_by: Optional[PersonRef]
    opinion: str


ProposalId = Path(..., ge=1, le=MAX_ID, description="表扬问责建议编号")


def _counts(rows) -> list[dict]:
    return [{"name": name, **r} for name, r in rows]


def _accountability(p) -> dict:
    return {"id": p.pk, "unit_id": p.unit_id, "unit": p.unit.name, "year": p.year, "kind": p.kind,
            "kind_label": p.get_kind_display(), "reasons": p.reasons, "scores": p.scores, "status": p.status,
            "status_label": p.get_status_display(), "drafted_on": p.drafted_on, "decided_on": p.decided_on,
            "decided_by": person_ref(p.decided_by) if p.decided_by_id else None, "opinion": p.opinion}


@router.get("/dashboard", response=responses(DashboardOut), summary="督查看板：按牵头单位、分管领导、来源统计在办、本周本月到期、逾期、挂牌督办",
            operation_id="supervision_dashboard")
def dashboard(request):
    """Over the items the person may see: the 区长 his whole government, a 副区长 his portfolio, a unit its own."""
    on = rules.today()
    board = selectors.dashboard(access.visible_items(request.auth, on=on), on)
    return {"on": on, "by_unit": _counts(board["rows"]), "by_leader": _counts(board["by_leader"]),
            "by_source": _counts(board["by_source"]), "total": {"name": "合计", **board["total"]}}


@router.get("/performance", response=responses(PerformanceOut, 400), summary="各单位督查绩效年度评分（第五十一条）",
            operation_id="supervision_performance")
def performance(request, year: Optional[int] = Query(None, ge=2000, le=2100, description="考评年度，默认今年")):
    on = rules.today()
    year = year or on.year
    return {"year": year, "rows": selectors.performance(access.visible_items(request.auth, on=on), year, on)}


@router.post("/accountability", response={201: AccountabilityOut, **{c: ErrorOut for c in (400, 401, 403, 404, 409, 422)}},
             summary="提出表扬、问责建议（区督查指挥中心，报区长审批）", operation_id="supervision_accountability_create")
def accountability_create(request, data: AccountabilityIn):
    p = services.accountability_propose(actor=request.auth, unit_id=data.unit_id, year=data.year, kind=data.kind,
                                        reasons=data.reasons)
    return Status(201, _accountability(access.accountability_visible(request.auth, p.pk)))


@router.get("/accountability/{proposal_id}", response=responses(AccountabilityOut, 400, 403, 404),
            summary="查看一项表扬、问责建议", operation_id="supervision_accountability_get")
def accountability_get(request, proposal_id: int = ProposalId):
    return _accountability(access.accountability_visible(request.auth, proposal_id))


@router.post("/accountability/{proposal_id}/decide", response=responses(AccountabilityOut, 400, 403, 404, 409),
             summary="区长审批表扬、问责建议（第五十一条；仅区长本人）", operation_id="supervision_accountability_decide")
def accountability_decide(request, data: AccountabilityDecideIn, proposal_id: int = ProposalId):
    access.accountability_visible(request.auth, proposal_id)
    p = services.accountability_decide(actor=request.auth, proposal_id=proposal_id, approve=data.approve,
                                       opinion=data.opinion)
    return _accountability(access.accountability_visible(request.auth, p.pk))
