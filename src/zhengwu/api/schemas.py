"""Request and response shapes of /api/v1/ (they are the OpenAPI schema clients and fuzzers read)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Optional

from ninja import Field, Schema
from pydantic import StrictInt, WithJsonSchema

# Text the calendar's own parsers check (so bad input is a 400 naming the field, and a date
# outside the calendar is caught the same way); the schema documents the expected form.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DateText = Annotated[str, WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN})]
WorkdaysText = Annotated[str, WithJsonSchema({"type": "string", "pattern": r"^\+?\d{1,5}$"})]


# ---- errors ----------------------------------------------------------------------------------

class ViolationOut(Schema):
    """A rule's finding (不符合项), citing its article."""

    rule_id: str = Field(examples=["R29.five_not"])
    article: int = Field(examples=[29])
    severity: Literal["block", "warn"]
    message: str
    field: Optional[str] = None


class ErrorOut(Schema):
    """The one shape of every refusal: a message, the violations behind it, and the field at fault."""

    message: str = Field(examples=["请填写办理意见"])
    violations: list[ViolationOut] = []
    field: Optional[str] = Field(None, examples=["opinion"])


def responses(ok: Any, *codes: int) -> dict:
    """An endpoint's response schemas: `ok` for 200, ErrorOut for 401, 422 and `codes`."""
    return {200: ok, **{c: ErrorOut for c in sorted({401, 422, *codes})}}


# ---- people and tasks ------------------------------------------------------------------------

class PersonRef(Schema):
    id: int
    username: str
    full_name: str


class TaskOut(Schema):
    """A 待办 (a step of an approval) or a 传阅 (read and acknowledge)."""

    id: int
    kind: Literal["step", "circulation"]
    action: str = Field(description="办理事项：审核、签发、批示、阅知……", examples=["审核"])
    title: str = Field(description="审批标题")
    approval_id: int
    route_id: str
    urgency: str
    assignee: PersonRef
    note: str = ""
    due_on: Optional[dt.date] = Field(None, description="办理时限（工作日计算）")
    workdays_left: Optional[int] = Field(None, description="距办理时限的工作日数；逾期为负数")
    overdue: bool
    version: int = Field(description="乐观锁版本：办理时带上，他人已改动则返回 409")
    status: str
    status_label: str
    choices: list[str] = Field(description="固定意见选项（如 同意／不同意）；为空时填写意见")
    decision: str = ""
    opinion: str = ""
    completed_at: Optional[dt.datetime] = None
    completed_by: Optional[PersonRef] = None


class OpenStepOut(Schema):
    task_id: int
    action: str
    assignee: PersonRef
    due_on: Optional[dt.date] = None


class ApprovalOut(Schema):
    """An approval the person started (我发起的)."""

    id: int
    route_id: str
    title: str
    urgency: str
    status: str
    status_label: str
    started_on: dt.date
    finished_at: Optional[dt.datetime] = None
    version: int
    open_steps: list[OpenStepOut] = Field(description="正在办理的环节")


class TaskPage(Schema):
    box: Literal["todo", "done"]
    count: int
    limit: int
    offset: int
    items: list[TaskOut]


class ApprovalPage(Schema):
    box: Literal["mine"]
    count: int
    limit: int
    offset: int
    items: list[ApprovalOut]


class CompleteIn(Schema):
    opinion: str = Field("", max_length=5000, description="办理意见")
    decision: str = Field("", max_length=20, description="固定选项之一（见 choices）")
    version: Optional[StrictInt] = Field(None, description="读取时的版本；不一致返回 409")


class ReturnIn(Schema):
    opinion: str = Field(max_length=5000, description="退回理由（必填）")
    version: Optional[StrictInt] = Field(None, description="读取时的版本；不一致返回 409")


class ReassignIn(Schema):
    to: str = Field(max_length=150, description="转办对象的登录名", examples=["bgs-fuzhuren"])
    note: str = Field("", max_length=200)
    version: Optional[StrictInt] = Field(None, description="读取时的版本；不一致返回 409")


# ---- precheck --------------------------------------------------------------------------------

class PrecheckIn(Schema):
    """`topic` and `facts` are checked by the rulebook itself, so that a missing or unknown one is
    answered with a 400 naming it (see GET /precheck/topics)."""

    topic: Optional[str] = Field(None, max_length=100, examples=["org.portfolio"])
    date: Optional[DateText] = Field(None, description="按该日有效的工作规则审查（YYYY-MM-DD，默认今天）",
                                     examples=["2026-09-28"])
    facts: dict[str, Any] = Field(default_factory=dict,
                                  examples=[{"holder": "张甲", "position": "district_head", "domains": ["finance"]}])


class PrecheckOut(Schema):
    ok: bool = Field(description="没有阻断性的不符合项")
    topic: str
    date: dt.date
    violations: list[ViolationOut]


class FactFieldOut(Schema):
    name: str
    type: str = Field(examples=["date", "string", "list[string]"])
    required: bool


class RuleOut(Schema):
    rule_id: str
    article: int
    severity: Literal["block", "warn"]
    summary: str


class TopicOut(Schema):
    topic: str
    description: str
    fields: list[FactFieldOut]
    rules: list[RuleOut]


# ---- calendar --------------------------------------------------------------------------------

class AddWorkdaysOut(Schema):
    date: dt.date
    n: int
    result: dt.date
    unofficial_years: list[int] = Field(description="结果所依据、尚未载入官方放假安排的年份")
    warnings: list[str]


class IsWorkdayOut(Schema):
    date: dt.date
    workday: bool
    name: str = Field(description="节假日或调休上班日的名称；普通日期为空")
    unofficial_years: list[int]
    warnings: list[str]


# ---- organisation ----------------------------------------------------------------------------

class UnitRef(Schema):
    id: int
    name: str
    short_name: str


class PositionRef(Schema):
    id: int
    code: str
    title: str


class UnitLeaderOut(Schema):
    position: PositionRef
    holder: Optional[PersonRef] = None


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    leader: Optional[UnitLeaderOut] = Field(None, description="分管区领导（按分工）")


class DomainOut(Schema):
    code: str
    label: str


class LeaderOut(Schema):
    position: PositionRef
    code_label: str
    rank: int
    holder: Optional[PersonRef] = None
    away: bool = Field(description="今天外出或休假")
    acting: Optional[PersonRef] = Field(None, description="今天实际主持该职务工作的人（补位）")
    units: list[UnitRef]
    domains: list[DomainOut]


class PersonPositionOut(Schema):
    id: int
    code: str
    title: str
    unit: Optional[UnitRef] = None


class PersonOut(Schema):
    id: int
    username: str
    full_name: str
    positions: list[PersonPositionOut]


class PeoplePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]
