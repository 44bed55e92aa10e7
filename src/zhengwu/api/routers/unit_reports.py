"""Reports a 区政府组成部门 owes the 区政府 (art. 89 请示报告制度): record the matter, then the day it
was reported. Each answer carries the rule findings (a late report: R89.report_timely, a warning)."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict, Field

from zhengwu import rules
from zhengwu.documents import unit_reports
from zhengwu.documents.models import UnitReport
from zhengwu.errors import Refused
from zhengwu.org import selectors as org

from ..schemas import ErrorOut, Text, ViolationOut, responses
from .tasks import MAX_ID

router = Router(tags=["unit-reports"])

ReportId = Path(..., ge=1, le=MAX_ID, description="报告事项编号")


class UnitReportIn(Schema):
    model_config = ConfigDict(extra="forbid")
    unit_id: Optional[int] = Field(None, ge=1, le=MAX_ID, description="报告单位；默认本人所在单位")
    kind: Text(30) = Field(description="报告事项类别：documents.unit_report_kinds 的代码")
    subject: Text(200) = Field(description="事项")
    occurred_on: dt.date = Field(description="收到、接到、作出、启动或发生之日（不晚于今天）")


class ReportedIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reported_on: dt.date = Field(description="向区政府报告之日（不早于发生日期，不晚于今天）")


class UnitReportOut(Schema):
    id: int
    unit_id: int
    unit: str
    kind: str
    kind_label: str
    subject: str
    occurred_on: dt.date
    reported_on: Optional[dt.date] = None
    findings: list[ViolationOut] = Field(description="第八十九条的审查结果（逾期报告为提醒）")


def _out(report: UnitReport, on: dt.date) -> dict:
    kinds = rules.param("documents.unit_report_kinds", on)
    return {"id": report.pk, "unit_id": report.unit_id, "unit": report.unit.name, "kind": report.kind,
            "kind_label": kinds.get(report.kind, report.kind), "subject": report.subject,
            "occurred_on": report.occurred_on, "reported_on": report.reported_on,
            "findings": [v.as_dict() for v in unit_reports.report_findings(report, on=on)]}


@router.get("", response=responses(list[UnitReportOut]), summary="须向区政府报告的事项（本人可见的）",
            operation_id="unit_reports_list")
def unit_report_list(request):
    on = rules.today()
    return [_out(r, on) for r in unit_reports.visible_reports(request.auth, on=on)[:500]]


@router.post("", response={201: UnitReportOut, **{c: ErrorOut for c in (400, 401, 403, 422)}}, summary="登记须向区政府报告的事项",
             operation_id="unit_reports_create")
def unit_report_create(request, data: UnitReportIn):
    person, on = request.auth, rules.today()
    own = [p.unit for p in org.positions_of(person, on) if p.unit_id]
    if data.unit_id is None:
        if not own:
            raise Refused("本人不在任何单位任职，请指定报告单位（unit_id）", field="unit_id")
        unit = own[0]
    else:
        unit = next((u for u in own if u.pk == data.unit_id), None)
        if unit is None:
            raise Refused("只能登记本人任职单位的报告事项", field="unit_id", status=403)
    report, _ = unit_reports.unit_report_record(actor=person, unit=unit, kind=data.kind, subject=data.subject,
                                                occurred_on=data.occurred_on, on=on)
    return Status(201, _out(report, on))


@router.post("/{report_id}/reported", response=responses(UnitReportOut, 400, 403, 404, 409),
             summary="登记已向区政府报告", operation_id="unit_reports_reported")
def unit_report_reported(request, data: ReportedIn, report_id: int = ReportId):
    on = rules.today()
    report, _ = unit_reports.unit_report_report(actor=request.auth, report_id=report_id, reported_on=data.reported_on,
                                                on=on)
    return _out(report, on)
