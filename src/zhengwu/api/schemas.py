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


# ==== documents (公文, art. 25, 33, 67–70, 89) =================================================
# Shapes of /api/v1/documents. Every text is checked for what the databases refuse (NUL, broken
# Unicode) and held to the model's length, so bad input is a 422 naming the field, never a 500.
# The facts (报送情况 …) are typed here after zhengwu.documents.facts: an unknown key is refused
# naming it, so a misspelt fact cannot silently leave a rule unchecked.

from pydantic import AfterValidator, ConfigDict, StrictBool, StringConstraints, model_validator  # noqa: E402
from pydantic_core import PydanticCustomError  # noqa: E402


def _plain_text(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "不能含有空字符（U+0000）")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("bad_unicode", "含有无效的 Unicode 字符") from None
    return value


def Text(max_length: int):  # noqa: N802 - a type factory
    """A string of at most `max_length` characters that both databases can store."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_plain_text)]


DocId = Annotated[StrictInt, Field(ge=1, le=2 ** 63 - 1)]


def _valid_date(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_invalid", "不是有效的日期（YYYY-MM-DD）") from None
    return value


IsoDate = Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_valid_date),
                    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN})]


class ClosedSchema(Schema):
    """A schema that refuses keys it does not know, naming the first one (in Chinese)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(str(k) for k in data if k not in cls.model_fields)
            if unknown:
                raise PydanticCustomError("unknown_field", "未知字段“{name}”（可用：{known}）",
                                          {"name": unknown[0], "known": "、".join(cls.model_fields)})
        return data


class NormativeFactsIn(ClosedSchema):
    """规范性文件的制定程序（第二十五条）：done or not; a step not done needs a stated reason."""

    legality_review_by: Text(200) = Field("", description="合法性审查机关（空 = 未审查）", examples=["区司法局"])
    legality_reviewer_is_justice: StrictBool = Field(False, description="审查机关是司法部门")
    public_participation: StrictBool = Field(False, description="已履行公众参与程序")
    risk_assessment: StrictBool = Field(False, description="已进行风险评估")
    collective_decision_ref: Text(200) = Field("", description="集体审议决定（会议纪要）；不填取公文的集体讨论依据")
    touches_market: StrictBool = Field(False, description="涉及市场主体经济活动")
    fair_competition_review: StrictBool = Field(False, description="已进行公平竞争审查")
    to_be_published: StrictBool = Field(False, description="依法应当主动公开")
    interpretation_material: StrictBool = Field(False, description="一并报送政策解读材料")
    opinion_plan: StrictBool = Field(False, description="一并报送舆情应对方案")
    skipped_steps: list[tuple[Text(50), Text(500)]] = Field(
        [], max_length=20, description="按规定不履行的程序及具体理由：[[程序代码, 理由], …]")
    prior_written_request: StrictBool = Field(False, description="部门规范性文件：事先书面请示区政府")
    leader_reviewed: StrictBool = Field(False, description="部门规范性文件：区政府分管领导已审核")
    head_approved: StrictBool = Field(False, description="部门规范性文件：区长已批准")
    departments_involved: StrictInt = Field(1, ge=1, le=1000, description="涉及职权的部门数（含起草部门）")
    departments_consulted: StrictBool = Field(False, description="已充分听取相关部门意见")
    joint: StrictBool = Field(False, description="相关部门联合制定")


class DocumentFactsIn(ClosedSchema):
    """What only the drafter can say about a document (报送情况); the rules read these. Leave out
    what does not apply. Incoming (报送区政府, art. 67–68), outgoing (发文, art. 69–70)."""

    # -- incoming: submission (art. 67, 68)
    decision_needed_by: Optional[IsoDate] = Field(None, description="要求区政府作出决定的日期（提前量按工作日计）")
    signer_authorised: StrictBool = Field(False, description="分管负责人签发已经主要负责人授权（有记录）")
    cc: list[tuple[Text(100), Literal["higher", "same", "lower"]]] = Field(
        [], max_length=50, description="抄送机关及其层级：[[名称, higher|same|lower], …]；不填按同级")
    addressed_to_leader_personally: StrictBool = Field(False, description="直接报送领导个人")
    exception: Text(40) = Field("", description="可直接报送的事项代码（leader_assigned / top_secret / emergency）")
    skips_level: StrictBool = Field(False, description="越级行文")
    matters_count: StrictInt = Field(1, ge=1, le=1000, description="所请示的事项数（请示应一文一事）")
    within_unit_powers: StrictBool = Field(False, description="属本部门职权范围内的事项")
    touches_other_units: list[Text(100)] = Field([], max_length=50, description="涉及职权的其他单位")
    asks_government_issue: StrictBool = Field(False, description="申请以区政府或区政府办公室名义上报或下发公文")
    site_verified: StrictBool = Field(False, description="已做好实地考察和情况核实")
    consulted_in_writing: list[Text(100)] = Field([], max_length=50, description="已书面征求意见的单位")
    countersigned_by: list[Text(100)] = Field([], max_length=50, description="已会签的单位（意见仍不一致时）")
    disagreement: StrictBool = Field(False, description="有关单位意见不一致")
    head_negotiated: StrictBool = Field(False, description="主办部门主要负责人已主动沟通协商")
    reasons_listed: StrictBool = Field(False, description="已列明各方理据")
    proposal: StrictBool = Field(False, description="已提出办理建议")
    emergency_event: StrictBool = Field(False, description="属突发事件")
    # -- normative documents (art. 25)
    normative: Optional[NormativeFactsIn] = Field(None, description="规范性文件的制定程序")
    # -- outgoing: signing (art. 69)
    head_signs_kind: Text(30) = Field("", description="由区长签署的事项代码（regulation / report_to_higher / "
                                                      "motion_to_npc / appointment）；填写则走区长签署路线")
    is_regulation: StrictBool = Field(False, description="区政府公布的规章")
    upward_to: Text(30) = Field("", description="上报机关代码（province / city / party_committee）")
    is_motion_to_npc: StrictBool = Field(False, description="向区人大及其常委会提出的议案")
    is_personnel: StrictBool = Field(False, description="人员任免")
    upward: StrictBool = Field(False, description="上行文（版式中标注签发人）")
    # -- outgoing: fewer documents (art. 70)
    in_annual_plan: StrictBool = Field(True, description="已停用（仍接受）：是否列入年度发文计划以 plan_item_id "
                                                         "关联的计划条目为准（第七十条）")
    republishes_higher_level_published: StrictBool = Field(False, description="翻印、转发已公开发布的上级文件")
    within_department_powers: StrictBool = Field(False, description="属部门职权范围内事务")
    within_coordination_body_remit: StrictBool = Field(False, description="属议事协调机构职责范围内事项")
    issued_with_government_consent: StrictBool = Field(False, description="部门经区政府同意发文")
    states_consent: StrictBool = Field(False, description="文中注明“经区政府同意”")
    directive_to_towns: StrictBool = Field(False, description="向乡镇、街道发布指令性公文或提出指令性要求")
    requires_towns_to_report: StrictBool = Field(False, description="要求乡镇、街道报文")
    directive_purpose: Text(30) = Field("", description="可不经批准向乡镇、街道行文的事项代码")
    directive_approved: StrictBool = Field(False, description="经区政府批准")
    law_already_provides: StrictBool = Field(False, description="法律、行政法规已作出明确规定")
    current_document_applies: StrictBool = Field(False, description="现行文件规定仍适用")
    no_new_content: StrictBool = Field(False, description="没有新内容、新举措")


class DocumentIn(Schema):
    """拟稿. `unit_id` defaults to the caller's own unit; a person drafts only for a unit they hold a
    position in. A 涉密 document (classification) is registered as metadata only: no body (art. 89)."""

    direction: Literal["incoming", "outgoing"] = Field(description="incoming 报送区政府（收文）；outgoing 发文（含代拟）")
    kind: Text(8) = Field(description="文种（《党政机关公文处理工作条例》15种之一）", examples=["请示"])
    title: Text(200) = Field(description="标题", examples=["关于东风乡抗旱应急水源工程资金的请示"])
    unit_id: Optional[DocId] = Field(None, description="拟稿（报送）单位；默认本人所在单位")
    issuing_as: Literal["", "government", "office", "unit"] = Field(
        "", description="发文名义：government 区政府 / office 区政府办公室 / unit 部门")
    main_recipients: list[Text(200)] = Field([], max_length=50, description="主送机关", examples=[["区人民政府"]])
    cc: list[Text(200)] = Field([], max_length=100, description="抄送机关")
    urgency: Literal["一般", "加急", "特急", "特急重要"] = Field("一般", description="紧急程度")
    urgency_reason: Text(2000) = Field("", description="紧急原因说明（特急须写明）")
    classification: Literal["", "秘密", "机密", "绝密"] = Field("", description="密级；涉密公文只登记元数据，不录入正文")
    secrecy_period: Text(20) = Field("", description="保密期限")
    body: Text(200_000) = Field("", description="正文")
    is_normative: StrictBool = Field(False, description="规范性文件")
    important: StrictBool = Field(False, description="重要事项（须有集体讨论依据）")
    collective_ref: Text(200) = Field("", description="集体讨论依据（会议纪要）")
    public: StrictBool = Field(True, description="主动公开（以公开为常态）")
    non_disclosure_reason: Text(200) = Field("", description="不公开的理由")
    plan_item_id: Optional[DocId] = Field(None, description="年度发文计划条目（发文；不填即计划外发文，第七十条）")
    facts: DocumentFactsIn = Field(default_factory=DocumentFactsIn, description="报送情况（规则所需的事实）")


class ReturnReasonsIn(Schema):
    reasons: Text(5000) = Field(description="退回理由（必填，写明所依据的条款）", examples=["请示一文多事，请分别行文（第六十七条）"])


class RouteIn(Schema):
    major: StrictBool = Field(False, description="重大事项：分管领导审批后报区长")
    parallel: StrictBool = Field(False, description="紧急公文串并联分送分管领导和区长（第六十八条）")
    domain: str = Field("", max_length=40, description="事项领域（org.domain_labels 的代码）：按分管该领域的区政府领导呈批；"
                                                       "留空则按报送单位的分管领导")
    concerned_ids: list[DocId] = Field([], max_length=10, description="同时分送批示的其他相关区政府领导（人员编号）")


class SendForSigningIn(Schema):
    referred_to_head: StrictBool = Field(False, description="以办公室名义发文时，分管领导报请区长签发")
    countersign_unit_ids: list[DocId] = Field([], max_length=50, description="须会签的单位")


class NotifyPrepareIn(Schema):
    unit_ids: list[DocId] = Field(min_length=1, max_length=50, description="须先行准备的落实单位")
    note: Text(500) = Field("", description="通知内容（默认：该事项正在呈报区政府领导审批，请先做好落实准备）")


class NotifyPrepareOut(Schema):
    sent: int = Field(description="已通知的单位负责人数")


class DocumentSummaryOut(Schema):
    id: int
    direction: Literal["incoming", "outgoing"]
    direction_label: str
    kind: str
    title: str
    unit: UnitRef
    urgency: str
    classification: str = Field(description="密级；空 = 非涉密")
    status: str
    status_label: str
    intake_number: str = Field(description="收文号")
    doc_number: str = Field(description="发文字号")
    submitted_on: Optional[dt.date] = None
    due_on: Optional[dt.date] = Field(None, description="办理时限（第六十八条，工作日计算）")
    signed_on: Optional[dt.date] = Field(None, description="签发日期（成文日期）")
    archived_on: Optional[dt.date] = Field(None, description="归档日期；空 = 未归档")
    created_at: dt.datetime
    version: int


class DocumentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DocumentSummaryOut]


class InstructionOut(Schema):
    """A leader's 批示 (or a reviewer's opinion), addressable by its task id."""

    task_id: int
    step_id: str
    action: str
    by: PersonRef
    position: str = Field(description="批示人职务")
    rank: Optional[int] = Field(None, description="职务排序（批示按此排列，不按时间）")
    opinion: str
    decision: str
    completed_at: Optional[dt.datetime] = None


class DocumentApprovalOut(Schema):
    id: int
    route_id: str
    status: str
    status_label: str
    open_steps: list[OpenStepOut] = Field(description="正在办理的环节（待办编号用于 /tasks/{id}/complete）")


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: PersonRef
    uploaded_at: dt.datetime
    url: str = Field(description="下载地址（校验权限和 SHA-256）")


class FollowupOut(Schema):
    """After issuing a normative document: filing (备案) and evaluation (评估) tasks (art. 25)."""

    task_id: int
    action: str
    assignee: PersonRef
    due_on: Optional[dt.date] = None
    status: str


class DocumentEventOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    summary: str
    article: Optional[int] = None


class DocumentOut(DocumentSummaryOut):
    issuing_as: str
    main_recipients: list[str]
    cc: list[str]
    urgency_reason: str
    secrecy_period: str
    body: str
    note: str
    is_normative: bool
    important: bool
    collective_ref: str
    facts: dict[str, Any]
    public: bool
    non_disclosure_reason: str
    disclosure_channel: str = Field("", description="公开形式（disclosure.channels 的代码；未登记公开为空）")
    disclosed_on: Optional[dt.date] = Field(None, description="公开日期（第三十三条）")
    signer: Optional[PersonRef] = Field(None, description="签发人")
    answer: str = Field(description="答复（合并的批示）")
    answered_on: Optional[dt.date] = None
    return_reasons: str = Field(description="最近一次退回的理由（已退回时）")
    created_by: PersonRef
    updated_at: dt.datetime
    approval: Optional[DocumentApprovalOut] = None
    instructions: list[InstructionOut] = Field(description="批示，按领导职务排序（如纸质公文处理单）")
    attachments: list[AttachmentOut]
    followups: list[FollowupOut]
    history: list[DocumentEventOut] = Field(description="办理过程（留痕），按时间先后")
    docx_url: Optional[str] = Field(None, description="版式文件（.docx）下载地址；签发并编号后提供")
    plan_item: Optional[dict[str, Any]] = Field(None, description="关联的年度发文计划条目（第七十条）；空 = 计划外发文")
    received_on: Optional[dt.date] = Field(None, description="收文日期：来文送达区政府办公室之日（纸质来文据实登记）；"
                                                          "第六十八条的办理时限自此日起算")
    paper: bool = Field(False, description="纸质来文（由区政府办公室据纸质原件登记并附扫描件）")


class DocumentPrecheckOut(Schema):
    ok: StrictBool = Field(description="没有阻断性的不符合项")
    document_id: int
    stage: Literal["submission", "signing", "issuing"]
    date: dt.date
    violations: list[ViolationOut]
