"""API routers of the 政务公开 apps. `ROUTERS` lists (prefix, router) pairs mounted by api.py.

/disclosure: proactive disclosure (主动公开, art. 33, 35, 37, 89): the records one may see with their
lights (the queue, due within 20 working days on the official calendar), one record, the office's
actions on it (公开属性, 政策解读, 保密审查, 报批, 发布; the leader's 审定 is a step of route
disclosure.release, completed through /api/v1/tasks), and the annual report's figures. Reads through
zhengwu.disclosure.access, writes through its services."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from ninja import Field, Path, Query, Router, Schema
from pydantic import StrictBool

from zhengwu import rules
from zhengwu.disclosure import access, selectors, services
from zhengwu.disclosure.models import Record
from zhengwu.errors import Forbidden

from ..schemas import ClosedSchema, Text, responses
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
    rep = selectors.annual_report(request.auth.government_id, year, on)
    return {"year": rep.year, "due_on": rep.due_on, "department_due_on": rep.department_due_on,
            "rows": [{"label": label, "count": n} for label, n in selectors.report_rows(rep)]}


ROUTERS: list = [("/disclosure", router)]
