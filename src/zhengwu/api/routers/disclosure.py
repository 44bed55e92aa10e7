"""API routers of the 政务公开 apps. `ROUTERS` lists (prefix, router) pairs mounted by api.py.

/disclosure: proactive disclosure (主动公开, art. 33, 35, 37, 89): the records one may see with their
lights (the queue, due within 20 working days on the official calendar), one record, the office's
actions on it (公开属性, 政策解读, 保密审查, 报批, 发布; the leader's 审定 is a step of route
disclosure.release, completed through /api/v1/tasks), and the annual report's figures. Reads through
zhengwu.disclosure.access, writes through its services."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import StrictBool

from zhengwu import rules
from zhengwu.disclosure import access, selectors, services
from zhengwu.disclosure.models import AnnualReport, Challenge, Record
from zhengwu.errors import Forbidden

from ..schemas import ClosedSchema, ErrorOut, Text, responses
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET

router = Router(tags=["disclosure"])

RecordId = Path(..., ge=1, le=MAX_ID, description="公开记录编号")
RecordStatus = Literal[tuple(Record.Status.values)]
Action = Literal["classify", "interpret", "review", "request-approval", "release"]


class RecordOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    doc_number: str
    unit: str
    formed_on: dt.date
    category: str
    category_label: str
    basis: str
    reason: str
    important: bool
    normative: bool
    interpretation: str
    due_on: Optional[dt.date]
    status: str
    status_label: str
    light: str = Field(description="green / yellow / red / 空（不在队列中）")
    light_label: str
    reviewed_on: Optional[dt.date]
    approved_on: Optional[dt.date]
    released_on: Optional[dt.date]
    escalated_on: Optional[dt.date]
    version: int


class RecordPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RecordOut]


class ActionIn(ClosedSchema):
    """category/basis/reason (公开属性: disclosure.categories, disclosure.withholding_bases),
    interpretation (政策解读), passed/note (保密审查)."""
    category: Text(20) = ""
    basis: Text(10) = ""
    reason: Text(200) = ""
    interpretation: Text(4000) = ""
    passed: Optional[StrictBool] = None
    note: Text(200) = ""


class ReportRow(Schema):
    label: str
    count: int


class ReportOut(Schema):
    year: int
    due_on: dt.date
    department_due_on: dt.date
    rows: list[ReportRow]
    published_on: Optional[dt.date] = Field(None, description="公布日期（未公布为空）")
    late: Optional[bool] = Field(None, description="逾期公布")


class PublishIn(ClosedSchema):
    year: int = Field(..., ge=2020, le=2100, description="年度（年度结束后公布）")
    foreword: Text(5000) = ""


class ChallengeOut(Schema):
    id: int
    kind: str
    kind_label: str
    filed_on: dt.date
    subject: str
    request_id: Optional[int]
    result: str
    result_label: str
    decided_on: Optional[dt.date]
    note: str
    version: int


class ChallengeIn(ClosedSchema):
    kind: Literal["review", "lawsuit"] = Field(..., description="行政复议 / 行政诉讼")
    filed_on: dt.date
    subject: Text(200)
    request_id: Optional[int] = Field(None, ge=1, le=MAX_ID)
    note: Text(200) = ""


class DecideIn(ClosedSchema):
    result: Literal["upheld", "corrected", "other"] = Field(..., description="结果维持 / 结果纠正 / 其他结果")
    decided_on: Optional[dt.date] = None
    note: Text(200) = ""


def _out(r: Record, on: dt.date, cal=None) -> dict:
    lt = selectors.light(r, on, cal)
    return {"id": r.pk, "kind": r.kind, "kind_label": r.get_kind_display(), "title": r.title,
            "doc_number": r.doc_number, "unit": r.unit.name, "formed_on": r.formed_on, "category": r.category,
            "category_label": r.get_category_display(), "basis": r.basis, "reason": r.reason,
            "important": r.important, "normative": r.normative, "interpretation": r.interpretation,
            "due_on": r.due_on, "status": r.status, "status_label": r.get_status_display(), "light": lt.colour,
            "light_label": lt.label, "reviewed_on": r.reviewed_on, "approved_on": r.approved_on,
            "released_on": r.released_on, "escalated_on": r.escalated_on, "version": r.version}


@router.get("/records", response=responses(RecordPage), summary="政府信息公开记录（本人可见，队列带红黄绿灯）",
            operation_id="disclosure_list")
def record_list(request, status: Optional[RecordStatus] = Query(None, description="状态"),
                queue: bool = Query(False, description="只看待公开的队列（按公开期限）"),
                limit: int = Query(20, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """The office and the 区长 see every record; a 副区长 those of his 分工's units; a unit its own."""
    on = rules.today()
    qs = access.visible_records(request.auth, on=on).select_related("unit")
    qs = selectors.queue(qs) if queue else qs.order_by("-formed_on", "-id")
    if status:
        qs = qs.filter(status=status)
    cal = selectors.calendar()
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [_out(r, on, cal) for r in qs[offset:offset + limit]]}


@router.get("/records/{record_id}", response=responses(RecordOut, 400, 403, 404), summary="查看一条公开记录",
            operation_id="disclosure_get")
def record_get(request, record_id: int = RecordId):
    return _out(access.record_visible(request.auth, record_id), rules.today())


@router.post("/records/{record_id}/{action}", response=responses(RecordOut, 400, 403, 404, 409),
             summary="办理公开记录（确定公开属性、登记政策解读、保密审查、重要信息报批、发布）", operation_id="disclosure_act")
def record_act(request, data: ActionIn, action: Action = Path(..., description="操作"), record_id: int = RecordId):
    me, i = request.auth, record_id
    call = {
        "classify": lambda: services.record_classify(actor=me, record_id=i, category=data.category, basis=data.basis,
                                                     reason=data.reason),
        "interpret": lambda: services.record_interpret(actor=me, record_id=i, interpretation=data.interpretation),
        "review": lambda: services.record_review(actor=me, record_id=i, passed=data.passed, note=data.note),
        "request-approval": lambda: services.record_request_approval(actor=me, record_id=i),
        "release": lambda: services.record_release(actor=me, record_id=i),
    }[action]
    record = call()
    record.refresh_from_db()
    return _out(record, rules.today())


@router.get("/report", response=responses(ReportOut, 400, 403), summary="政府信息公开工作年度报告（统计）",
            operation_id="disclosure_report")
def report(request, year: int = Query(..., ge=2020, le=2100, description="年度")):
    on = rules.today()
    if not access.sees_all(request.auth, on):
        raise Forbidden("只有区政府办公室和区长可以查看年度报告")
    rep = selectors.full_report(request.auth.government_id, year, on)
    published = AnnualReport.objects.filter(government_id=request.auth.government_id, year=year).first()
    rows = published.rows if published else selectors.report_rows(rep)
    return {"year": rep.year, "due_on": rep.due_on, "department_due_on": rep.department_due_on,
            "rows": [{"label": label, "count": n} for label, n in rows],
            "published_on": published.published_on if published else None,
            "late": published.late if published else None}


@router.post("/report/publish", response=responses(ReportOut, 400, 403, 409),
             summary="公布年度报告（区政府办公室；年度结束后，3月31日前，逾期标注）", operation_id="disclosure_report_publish")
def report_publish(request, data: PublishIn):
    services.report_publish(actor=request.auth, year=data.year, foreword=data.foreword)
    return report(request, year=data.year)


def _challenge(c: Challenge) -> dict:
    return {"id": c.pk, "kind": c.kind, "kind_label": c.get_kind_display(), "filed_on": c.filed_on,
            "subject": c.subject, "request_id": c.request_id, "result": c.status, "result_label": c.get_status_display(),
            "decided_on": c.decided_on, "note": c.note, "version": c.version}


@router.get("/challenges", response=responses(list[ChallengeOut], 403), summary="政府信息公开行政复议、行政诉讼登记",
            operation_id="disclosure_challenges")
def challenge_list(request, year: Optional[int] = Query(None, ge=2020, le=2100, description="申请（起诉）年度")):
    if not access.sees_all(request.auth, rules.today()):
        raise Forbidden("只有区政府办公室和区长可以查看")
    qs = Challenge.objects.filter(government_id=request.auth.government_id)
    if year:
        qs = qs.filter(filed_on__year=year)
    return [_challenge(c) for c in qs[:500]]


@router.post("/challenges", response={201: ChallengeOut, **{c: ErrorOut for c in (400, 401, 403, 422)}},
             summary="登记政府信息公开行政复议、行政诉讼（区政府办公室）", operation_id="disclosure_challenge_create")
def challenge_create(request, data: ChallengeIn):
    c = services.challenge_register(actor=request.auth, kind=data.kind, filed_on=data.filed_on, subject=data.subject,
                                    request_id=data.request_id, note=data.note)
    return Status(201, _challenge(c))


@router.post("/challenges/{challenge_id}/result", response=responses(ChallengeOut, 400, 403, 404, 409),
             summary="登记审结结果（结果维持、结果纠正、其他结果）", operation_id="disclosure_challenge_decide")
def challenge_decide(request, data: DecideIn, challenge_id: int = Path(..., ge=1, le=MAX_ID, description="案件编号")):
    return _challenge(services.challenge_decide(actor=request.auth, challenge_id=challenge_id, result=data.result,
                                                decided_on=data.decided_on, note=data.note))


ROUTERS: list = [("/disclosure", router)]
