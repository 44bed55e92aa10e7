"""Official documents (公文): art. 25 (normative documents), 33 (disclosure), 67 (submission to the
区政府), 68 (lead time), 69 (who signs), 70 (fewer documents) and 89 (classified documents).

Pure rules over plain facts: the documents app builds the facts of a topic from its records and
calls `zhengwu.rulebook.check(topic, facts, on=date)`. Every number and closed list comes from the
rulebook's parameters (`documents.*`, `approval.*`, `disclosure.*`); the codes of the facts'
own fields (issuer, relation …) are the facts' schema and are checked when the facts are built,
so a bad value is refused as `FactsError` naming the field (the API answers 400).

Topics and their facts:
    documents.submission      SubmissionFacts      art. 67, 68, 70  a unit's document to the 区政府
    documents.normative       NormativeFacts       art. 25, 67   a normative document before issue
    documents.signing         SigningFacts         art. 69       who reviews and signs an issue
    documents.issuing         IssuingFacts         art. 70       whether a document should be issued
    documents.disclosure      DisclosureFacts      art. 33       public by default
    documents.classification  ClassificationFacts  art. 89       classified documents: metadata only
    documents.unit_report     UnitReportFacts      art. 89       reports a 组成部门 owes the 区政府
    documents.briefing        BriefingFacts        art. 89       report to the 区政府 before briefing

After-issue obligations of a normative document are data, not rules: filing with the 区人大常委会
within `documents.normative_filing_days` of publication (body `documents.normative_filing_body`)
and the post-implementation evaluation (`documents.normative_post_evaluation`); the documents app
turns them into reminders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import FactsError, topic
from ..model import RulebookError
from ..registry import RuleContext, rule

# Codes of the facts' own fields (their schema, not the rules' content).
CC_RELATIONS = {"higher": "上级机关", "same": "同级机关", "lower": "下级机关"}
ISSUING_AS = {"government": "以区政府名义", "office": "以区政府办公室名义"}
NORMATIVE_ISSUERS = {"government": "区政府", "department": "部门"}
ISSUERS = {"government": "区政府", "office": "区政府办公室", "department": "部门", "coordination_body": "议事协调机构"}
GOVERNMENT_ISSUERS = ("government", "office")  # the 区政府 itself or its 办公室 (art. 70: 区政府批转或区政府办公室转发)


def _one_of(value: str, allowed: dict, name: str) -> None:
    if value not in allowed:
        raise FactsError(f"facts.{name}: 须为 {' / '.join(allowed)} 之一（{'、'.join(allowed.values())}），"
                         f"收到 {value!r}", f"facts.{name}")


def _at_least(value: int, least: int, name: str) -> None:
    if value < least:
        raise FactsError(f"facts.{name}: 不能小于{least}，收到 {value}", f"facts.{name}")


def _done(text: str) -> bool:
    return bool(text and text.strip())


# ---- facts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SubmissionFacts:
    """报送区政府的公文（收文，第六十七条、第六十八条）。

    A document a department, town or street submits to the 区政府.

    `working_days_between` is computed by the caller on the official work calendar (the rule is
    pure and never computes calendars): the number of working days in (submitted_on,
    decision_needed_by], i.e. `WorkCalendar.count_workdays(submitted_on, decision_needed_by)`.
    It is required when `decision_needed_by` is given. Urgency 加急 is the text's 紧急.
    """
    kind: str  # 文种, one of documents.kinds
    unit: str = ""  # the submitting unit's name, for messages
    signer_role: str = ""  # unit_head / unit_deputy / anything else (other, "" = unsigned)
    signer_authorised: bool = False  # the 分管负责人 holds a recorded authorisation (经授权)
    main_recipients: tuple[str, ...] = ()  # 主送机关
    cc: tuple[tuple[str, str], ...] = ()  # 抄送机关: (name, relation higher/same/lower)
    addressed_to_leader_personally: bool = False  # sent to a leader in person, not through the 办公室
    exception: str = ""  # a key of documents.direct_submission_exceptions, or ""
    skips_level: bool = False  # 越级行文
    matters_count: int = 1  # matters carried (a 请示 carries one)
    within_unit_powers: bool = False  # 属部门事权事项
    important: bool = False  # 重要事项
    collective_ref: str = ""  # the 党(委)组会/办公会 record (会议纪要 …) it rests on (集体讨论依据)
    asks_government_issue: bool = False  # 申请以区政府或区政府办公室名义上报或下发公文
    site_verified: bool = False  # … after 实地考察和情况核实
    touches_other_units: tuple[str, ...] = ()  # units whose powers the matter involves
    consulted_in_writing: tuple[str, ...] = ()  # units asked for their views in writing (书面征求意见)
    countersigned_by: tuple[str, ...] = ()  # units that countersigned (会签), where disagreement persisted
    disagreement: bool = False  # the units still disagree
    head_negotiated: bool = False  # … after the lead unit's head talked it through with them (主动沟通协商)
    reasons_listed: bool = False  # … and the document lists each side's reasons (列明各方理据)
    proposal: bool = False  # … and the lead unit's proposal (办理建议)
    urgency: str = "一般"  # one of approval.urgencies: 一般 / 加急 / 特急 / 特急重要
    urgency_reason: str = ""  # 紧急原因说明
    emergency_event: bool = False  # the matter is a 突发事件
    submitted_on: dt.date | None = None
    decision_needed_by: dt.date | None = None  # when the unit needs the decision; None = no date asked
    working_days_between: int | None = None  # see the class docstring
    is_briefing: bool = False  # a 简报 the unit sends the 区政府 (art. 70)
    office_approved: bool = False  # … and the 区政府办公室 has approved (核准) it: set by the office only

    def __post_init__(self):
        for i, (_name, relation) in enumerate(self.cc):
            _one_of(relation, CC_RELATIONS, f"cc[{i}][1]")
        _at_least(self.matters_count, 1, "matters_count")
        if self.decision_needed_by is not None:
            if self.submitted_on is None:
                raise FactsError("facts.submitted_on: 填写要求办结日期时必填", "facts.submitted_on")
            if self.decision_needed_by < self.submitted_on:
                raise FactsError("facts.decision_needed_by: 要求办结日期不能早于报送日期", "facts.decision_needed_by")
            if self.working_days_between is None:
                raise FactsError("facts.working_days_between: 填写要求办结日期时必填（按工作日历计算报送日之后至"
                                 "要求办结日的工作日数）", "facts.working_days_between")
        if self.working_days_between is not None:
            _at_least(self.working_days_between, 0, "working_days_between")


@dataclass(frozen=True)
class NormativeFacts:
    """规范性文件制定程序（第二十五条、第六十七条第三款）。

    A normative document (规范性文件) before it is submitted or issued. `issuer` "government":
    a document of the 区政府 (incl. one a department asks the government to make, 代拟);
    "department": a department's own normative document.
    """
    issuer: str  # government / department
    legality_review_by: str = ""  # who reviewed its legality ("" = not reviewed)
    legality_reviewer_is_justice: bool = False  # … and that reviewer is the 司法部门
    public_participation: bool = False  # 公众参与 done
    risk_assessment: bool = False  # 风险评估 done
    collective_decision_ref: str = ""  # the collective decision (meeting decision reference)
    touches_market: bool = False  # 涉及市场主体经济活动
    fair_competition_review: bool = False  # 公平竞争审查 done
    to_be_published: bool = False  # 依法应当主动公开
    interpretation_material: bool = False  # 政策解读材料 submitted with it
    opinion_plan: bool = False  # 舆情应对方案 submitted with it
    skipped_steps: tuple[tuple[str, str], ...] = ()  # (step code, stated reason) not performed 按规定
    prior_written_request: bool = False  # department: 事先书面请示区政府
    leader_reviewed: bool = False  # department: 区政府分管领导审核
    head_approved: bool = False  # department: 区长批准
    departments_involved: int = 1  # departments whose powers the matter involves (incl. the drafter)
    departments_consulted: bool = False  # 充分听取相关部门的意见
    joint: bool = False  # made jointly by the departments concerned (联合制定)

    def __post_init__(self):
        _one_of(self.issuer, NORMATIVE_ISSUERS, "issuer")
        _at_least(self.departments_involved, 1, "departments_involved")


@dataclass(frozen=True)
class SigningFacts:
    """区政府、区政府办公室发文的审核和签发（第六十九条）。

    `signer_role` is the position code of who signs (org.positions: district_head,
    executive_deputy, deputy_head …); "" = not yet signed, so only the reviews are checked.
    `reviews_done` lists the review codes done, in order (office_deputy_director, office_director,
    unit_leader = the 区政府分管领导).
    """
    issuing_as: str  # government / office
    kind: str = ""  # 文种, for messages
    is_regulation: bool = False  # 区政府公布的规章
    upward_to: str = ""  # a key of documents.head_signs_upward_to (省政府/市政府/区委), or ""
    is_motion_to_npc: bool = False  # 向区人大及其常委会提出的议案
    is_personnel: bool = False  # 人员任免
    reviews_done: tuple[str, ...] = ()
    signer_role: str = ""
    referred_to_head: bool = False  # the 分管领导 referred it to the 区长 (必要时报请区长签发)

    def __post_init__(self):
        _one_of(self.issuing_as, ISSUING_AS, "issuing_as")


@dataclass(frozen=True)
class IssuingFacts:
    """精简文件：是否应当制发（第七十条）。

    A document about to be issued by the 区政府, its 办公室, a department or a coordination body.
    """
    issuer: str  # government / office / department / coordination_body
    in_annual_plan: bool = True  # listed in the issuer's annual document plan
    republishes_higher_level_published: bool = False  # 翻印、转发已公开发布的上级文件
    within_department_powers: bool = False  # 属部门职权范围内事务
    within_coordination_body_remit: bool = False  # 属区政府议事协调机构职责范围内事项
    issued_with_government_consent: bool = False  # a department issuing on a matter the 区政府 approved
    states_consent: bool = False  # … whose text states 经区政府同意
    directive_to_towns: bool = False  # 向乡(镇)政府、街道办事处发布指令性公文或提出指令性要求
    requires_towns_to_report: bool = False  # 要求乡(镇)政府、街道办事处报文
    directive_purpose: str = ""  # a key of documents.directive_exempt_purposes, or ""
    directive_approved: bool = False  # 经区政府批准
    law_already_provides: bool = False  # 法律、行政法规已作出明确规定
    current_document_applies: bool = False  # 现行文件规定仍适用
    no_new_content: bool = False  # 没有新内容、新举措，照搬照抄上级文件

    def __post_init__(self):
        _one_of(self.issuer, ISSUERS, "issuer")


@dataclass(frozen=True)
class DisclosureFacts:
    """公文是否主动公开，及其公开记录（第三十三条）。

    A disclosure record is given by `channel` and/or `disclosed_on`; `issued_on` is the
    document's date of issue (成文日期), when known.
    """
    public: bool = True
    non_disclosure_reason: str = ""
    channel: str = ""  # a key of disclosure.channels, or "" (no disclosure recorded)
    disclosed_on: dt.date | None = None
    issued_on: dt.date | None = None


@dataclass(frozen=True)
class UnitReportFacts:
    """组成部门向区政府报告（第八十九条请示报告制度）。

    `working_days_between` is computed by the caller on the work calendar: the working days in
    (occurred_on, reported_on], or up to today when not yet reported (`reported_on` empty).
    """
    kind: str  # a key of documents.unit_report_kinds
    occurred_on: dt.date | None = None
    reported_on: dt.date | None = None
    working_days_between: int | None = None

    def __post_init__(self):
        if self.working_days_between is not None:
            _at_least(self.working_days_between, 0, "working_days_between")


@dataclass(frozen=True)
class BriefingFacts:
    """组成部门代表区政府向区委、区人大及其常委会、区政协汇报或通报（第八十九条）。"""
    briefing_body: str  # a key of documents.briefing_bodies
    reported_to_government_first: bool = False  # 先行报告区政府
    government_decided: bool = False  # 区政府已研究议定（无争议）
    leaders_consulted: bool = False  # 已请示区政府领导同志并形成一致意见


@dataclass(frozen=True)
class ClassificationFacts:
    """公文密级：依第八十九条的保密纪律，本系统只登记涉密公文的元数据（系统的规定）。"""
    classification: str = ""  # "" or one of documents.classified_levels (秘密 / 机密 / 绝密)
    has_body: bool = False  # a body (正文) is entered in this system
    attachments_count: int = 0  # attachments uploaded to this system

    def __post_init__(self):
        _at_least(self.attachments_count, 0, "attachments_count")


@dataclass(frozen=True)
class FormatFacts:
    """公文格式（第六十七条：公文符合《党政机关公文处理工作条例》）：the 主送机关 is printed by the
    layout itself, above the 正文; `first_line` is the 正文's first line as typed."""
    main_recipients: tuple[str, ...] = ()  # 主送机关
    first_line: str = ""  # the 正文's first non-empty line


_SALUTATION_END = "：:，,"


def repeated_salutation(body: str, recipients) -> bool:
    """Whether the 正文 opens with the 主送机关 as a salutation line ("区人民政府：" when 主送 is
    区人民政府): the layout prints the 主送 already, so it would appear twice."""
    lines = [ln.strip() for ln in (body or "").splitlines() if ln.strip()]
    if not lines or not recipients:
        return False
    first = lines[0]
    if len(first) > 120 or first[-1] not in _SALUTATION_END:
        return False
    said = first.rstrip(_SALUTATION_END).strip()
    names = [str(n).strip() for n in recipients if str(n).strip()]
    return bool(said) and said in ("、".join(names), "，".join(names), ",".join(names), *names)


# ---- helpers -------------------------------------------------------------------------------

def _position(r: RuleContext, code: str) -> str:
    return r.param("org.positions").get(code) or "其他人员"


def _skip_reasons(steps: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {code: reason for code, reason in steps}


def _procedure(r: RuleContext, f: NormativeFacts, code: str, done: bool, *, field: str,
               lead: str = "提请区政府制发规范性文件，上报前"):
    """A procedure not done must be skipped with a stated reason (按规定可不履行的，应说明具体理由)."""
    if done:
        return
    label = r.param("documents.normative_step_labels").get(code, code)
    reasons = _skip_reasons(f.skipped_steps)
    if code not in reasons:
        yield r.violation(f"{lead}须履行{label}程序；按规定可不履行的，应说明具体理由", field=field)
    elif not _done(reasons[code]):
        yield r.violation(f"未履行{label}程序，须说明按规定可不履行的具体理由", field="skipped_steps")


# ---- art. 67: submission -------------------------------------------------------------------

@rule("R67.kind", article=67, topic="documents.submission")
def kind_is_known(f: SubmissionFacts, r: RuleContext):
    """文种须为《党政机关公文处理工作条例》规定的公文种类。"""
    kinds = r.param("documents.kinds")
    if f.kind not in kinds:
        yield r.violation(f"文种“{f.kind}”不是《党政机关公文处理工作条例》规定的公文种类（{'、'.join(kinds)}）",
                          field="kind", en=f"“{f.kind}” is not a document kind defined by the Regulations on the "
                                           f"Handling of Official Documents")


@rule("R67.signer", article=67, topic="documents.submission")
def signed_by_head(f: SubmissionFacts, r: RuleContext):
    """报送区政府的公文由主要负责人或经授权的分管负责人签发。"""
    signers = r.param("documents.submission_signers")
    need_authority = set(r.param("documents.submission_authorised_signers"))
    labels = "或".join(("经授权的" if s in need_authority else "") + _position(r, s) for s in signers)
    if not f.signer_role:
        yield r.violation(f"报送区政府的公文应由{labels}签发，尚未签发", field="signer_role",
                          en="A document submitted to the district government must be signed off by the unit's "
                             "principal head or an authorised deputy head; it has not been signed off")
    elif f.signer_role not in signers:
        yield r.violation(f"报送区政府的公文应由{labels}签发，不能由{_position(r, f.signer_role)}签发",
                          field="signer_role", en="A document submitted to the district government must be signed off "
                                                  "by the unit's principal head or an authorised deputy head, not by "
                                                  "this signer")
    elif f.signer_role in need_authority and not f.signer_authorised:
        yield r.violation(f"{_position(r, f.signer_role)}签发报送区政府的公文须经授权，未见授权记录",
                          field="signer_authorised", en="A deputy head signing a submission to the district government "
                                                        "needs an authorisation; none is recorded")


@rule("R67.via_office", article=67, topic="documents.submission")
def through_the_office(f: SubmissionFacts, r: RuleContext):
    """上报区政府的公文由区政府办公室统一办理，不得直接向领导个人报送。"""
    exceptions = r.param("documents.direct_submission_exceptions")
    if f.exception and f.exception not in exceptions:
        yield r.violation(f"“{f.exception}”不是可直接报送的事项（{'、'.join(exceptions.values())}）", field="exception",
                          en=f"“{f.exception}” is not a matter that may be submitted directly")
    elif f.addressed_to_leader_personally and not f.exception:
        yield r.violation(f"上报区政府的公文由区政府办公室按规定程序统一办理，不得直接向领导个人报送"
                          f"（{'、'.join(exceptions.values())}除外）", field="addressed_to_leader_personally",
                          en="Documents to the district government go through the district government office by the "
                             "set procedure, not to a leader personally (save the listed exceptions)")


@rule("R67.single_main", article=67, topic="documents.submission")
def single_main_recipient(f: SubmissionFacts, r: RuleContext):
    """报送区政府的公文只写一个主送机关，不得多头主送。"""
    most = r.param("documents.main_recipients_max")
    if not f.main_recipients:
        yield r.violation("报送区政府的公文须写明主送机关", field="main_recipients",
                          en="A document submitted to the district government must name its main recipient")
    elif len(f.main_recipients) > most:
        yield r.violation(f"不得多头主送：主送机关限{most}个，现为{len(f.main_recipients)}个"
                          f"（{'、'.join(f.main_recipients)}），其他机关需要知晓的用抄送", field="main_recipients",
                          en=f"Only {most} main recipient(s) allowed, {len(f.main_recipients)} given; copy the other "
                             f"bodies that need to know")


@rule("R67.no_skip_level", article=67, topic="documents.submission")
def no_skip_level(f: SubmissionFacts, r: RuleContext):
    """不得越级行文。"""
    if f.skips_level:
        yield r.violation("报送区政府的公文不得越级行文", field="skips_level",
                          en="A document submitted to the district government may not skip a level")


@rule("R67.one_matter", article=67, topic="documents.submission")
def one_matter(f: SubmissionFacts, r: RuleContext):
    """请示应当一文一事（《党政机关公文处理工作条例》第十五条）。"""
    most = r.param("documents.request_matters_max")
    if f.kind in r.param("documents.request_kinds") and f.matters_count > most:
        yield r.violation(f"按《党政机关公文处理工作条例》第十五条，{f.kind}应当一文一事：一件{f.kind}限{most}个事项，"
                          f"现为{f.matters_count}个，请分别行文", field="matters_count",
                          en=f"A request deals with one matter only (at most {most}); this one has "
                             f"{f.matters_count}: submit them separately")


@rule("R67.no_cc_lower", article=67, topic="documents.submission")
def no_cc_to_lower(f: SubmissionFacts, r: RuleContext):
    """向上级机关行文不抄送下级机关（《党政机关公文处理工作条例》第十五条）。"""
    forbidden = set(r.param("documents.upward_cc_forbidden_relations"))
    names = [name for name, relation in f.cc if relation in forbidden]
    if names:
        levels = "、".join(CC_RELATIONS[x] for x in sorted(forbidden))
        yield r.violation(f"按《党政机关公文处理工作条例》第十五条，向上级机关行文不抄送{levels}：报送区政府的"
                          f"{f.kind or '公文'}不能抄送{'、'.join(names)}", field="cc",
                          en=f"A document to a higher authority is not copied to lower bodies: remove "
                             f"{', '.join(names)} from the copies")


@rule("R67.unit_powers", article=67, topic="documents.submission")
def not_within_unit_powers(f: SubmissionFacts, r: RuleContext):
    """属部门事权事项，不得报区政府。"""
    if f.within_unit_powers:
        who = f.unit or "本单位"
        yield r.violation(f"该事项属{who}事权范围，不得报区政府，由{who}依职权自行办理", field="within_unit_powers",
                          en="The matter is within the unit's own powers: the unit handles it itself and does not "
                             "submit it to the district government")


@rule("R67.collective_record", article=67, topic="documents.submission")
def collective_record(f: SubmissionFacts, r: RuleContext):
    """重要事项须经本部门集体讨论，形成会议纪要等可追溯的依据并在请示中说明。"""
    if f.important and not _done(f.collective_ref):
        yield r.violation("重要事项须经本部门党(委)组会、办公会等形式集体讨论，形成会议纪要等可追溯的依据，"
                          "并在请示文件中加以说明：未注明集体讨论依据", field="collective_ref",
                          en="An important matter must be discussed collectively (party group or office meeting) "
                             "with a traceable record such as minutes cited in the request: none is cited")


@rule("R67.site_verification", article=67, topic="documents.submission")
def site_verification(f: SubmissionFacts, r: RuleContext):
    """申请以区政府或区政府办公室名义上报或下发公文，要认真做好实地考察和情况核实。"""
    if f.asks_government_issue and not f.site_verified:
        yield r.violation("申请以区政府或区政府办公室名义上报或下发公文，要认真做好实地考察和情况核实：未见记录",
                          field="site_verified", en="Asking to submit or issue a document in the name of the district "
                                                    "government or its office needs on-site inspection and "
                                                    "verification: none is recorded")


@rule("R67.countersign", article=67, topic="documents.submission")
def countersign(f: SubmissionFacts, r: RuleContext):
    """请示涉及其他部门职权的，须书面征求相关部门意见；意见不一致的，主办部门主要负责人主动沟通协商，仍不能取得一致的，
    列明各方理据、提出办理建议，与相关部门会签后报区政府决定。

    Written consultation always; 会签 only where disagreement persists (a countersignature also shows
    the unit was consulted)."""
    if f.kind not in r.param("documents.request_kinds"):
        return
    signed = set(f.countersigned_by)
    asked = set(f.consulted_in_writing) | signed
    for unit in f.touches_other_units:
        if unit not in asked:
            yield r.violation(f"该{f.kind}涉及{unit}的职权，主办部门应书面征求{unit}意见，未见记录", field="consulted_in_writing",
                              en=f"The matter touches the powers of {unit}: the lead unit must consult {unit} in "
                                 f"writing; no consultation is recorded")
    if f.disagreement:
        if not f.head_negotiated:
            yield r.violation("意见不一致时，主办部门主要负责人应主动沟通协商，未见记录", field="head_negotiated",
                              en="Where opinions differ, the lead unit's principal head must negotiate in person; "
                                 "this is not recorded")
        if not f.reasons_listed:
            yield r.violation("仍不能取得一致意见的，主办部门应列明各方理据", field="reasons_listed",
                              en="Where agreement cannot be reached, the lead unit must list each side's reasons")
        if not f.proposal:
            yield r.violation("仍不能取得一致意见的，主办部门应提出办理建议", field="proposal",
                              en="Where agreement cannot be reached, the lead unit must propose how to handle it")
        for unit in f.touches_other_units:
            if unit not in signed:
                yield r.violation(f"仍不能取得一致意见的，主办部门应与{unit}会签后报区政府决定，{unit}尚未会签",
                                  field="countersigned_by",
                                  en=f"Where agreement cannot be reached, the lead unit must countersign with {unit} "
                                     f"before submitting; {unit} has not countersigned")


# ---- art. 68: lead time --------------------------------------------------------------------

@rule("R68.lead_time", article=68, topic="documents.submission")
def lead_time(f: SubmissionFacts, r: RuleContext):
    """报请区政府审批的事项预留研究决策时间：一般事项不少于7个工作日、紧急事项不少于3个工作日。"""
    urgencies = r.param("approval.urgencies")
    if f.urgency not in urgencies:
        yield r.violation(f"紧急程度“{f.urgency}”无效，须为{'、'.join(urgencies)}之一", field="urgency",
                          en="The urgency is not valid: choose one of the listed urgencies")
        return
    need = r.param("approval.lead_time_days").get(f.urgency)
    if need is None or f.decision_needed_by is None:
        return  # 特别紧急: no minimum, a reason instead (R68.urgent_reason); or no decision date asked
    if f.working_days_between < need:
        yield r.violation(
            f"{f.urgency}事项应给区政府预留不少于{need}个工作日的研究决策时间：{f.submitted_on.isoformat()}报送、"
            f"要求{f.decision_needed_by.isoformat()}前办结，仅有{f.working_days_between}个工作日",
            field="decision_needed_by",
            en=f"Leave the district government at least {need} working days to study and decide: submitted on "
               f"{f.submitted_on.isoformat()}, a decision asked by {f.decision_needed_by.isoformat()} leaves only "
               f"{f.working_days_between} working day(s)")


@rule("R68.urgent_reason", article=68, topic="documents.submission")
def urgent_reason(f: SubmissionFacts, r: RuleContext):
    """特别紧急事项，除突发事件外，应附加紧急原因说明。"""
    if f.urgency in r.param("approval.reason_required_urgencies") and not f.emergency_event \
            and not _done(f.urgency_reason):
        yield r.violation(f"{f.urgency}事项（突发事件除外）应附加紧急原因说明", field="urgency_reason",
                          en="A very urgent matter (other than an emergency) must state the reason for the urgency")


@rule("R70.briefing_approved", article=70, topic="documents.submission")
def briefing_approved(f: SubmissionFacts, r: RuleContext):
    """各部门报送区政府的简报须经区政府办公室核准。"""
    if f.is_briefing and not f.office_approved:
        who = f.unit or "部门"
        yield r.violation(f"{who}报送区政府的简报须经区政府办公室核准，尚未核准", field="office_approved")


# ---- art. 25 and 67 (third paragraph): normative documents ---------------------------------

@rule("R25.legality_review", article=25, topic="documents.normative")
def government_legality_review(f: NormativeFacts, r: RuleContext):
    """区政府制定的规范性文件应当由司法部门进行合法性审查。"""
    if f.issuer != "government":
        return
    reviewer = r.param("documents.normative_legality_reviewer")
    if not _done(f.legality_review_by):
        yield r.violation(f"区政府制定的规范性文件应当由{reviewer}进行合法性审查，尚未审查", field="legality_review_by")
    elif not f.legality_reviewer_is_justice:
        yield r.violation(f"区政府制定的规范性文件应当由{reviewer}进行合法性审查，{f.legality_review_by}"
                          f"不是{reviewer}", field="legality_review_by")


_DEPARTMENT_STEP_FACTS = {  # step code of documents.normative_department_steps -> (done?, field)
    "written_request": (lambda f: f.prior_written_request, "prior_written_request"),
    "legality_review": (lambda f: _done(f.legality_review_by), "legality_review_by"),
    "leader_review": (lambda f: f.leader_reviewed, "leader_reviewed"),
    "head_approval": (lambda f: f.head_approved, "head_approved"),
}


@rule("R25.department_procedure", article=25, topic="documents.normative")
def department_procedure(f: NormativeFacts, r: RuleContext):
    """部门制定规范性文件：事先书面请示区政府、合法性审查、区政府分管领导审核、区长批准。"""
    if f.issuer != "department":
        return
    labels = r.param("documents.normative_step_labels")
    for code in r.param("documents.normative_department_steps"):
        if code not in _DEPARTMENT_STEP_FACTS:
            raise RulebookError(f"documents.normative_department_steps: unknown step {code!r}")
        done, field = _DEPARTMENT_STEP_FACTS[code]
        if not done(f):
            yield r.violation(f"部门制定规范性文件须{labels.get(code, code)}，尚未完成", field=field)


@rule("R25.multi_department", article=25, topic="documents.normative")
def multi_department(f: NormativeFacts, r: RuleContext):
    """涉及两个以上部门职权的，充分听取相关部门意见，由区政府制定或有关部门联合制定。"""
    least = r.param("documents.normative_joint_min_departments")
    if f.departments_involved < least:
        return
    if not f.departments_consulted:
        yield r.violation(f"该事项涉及{f.departments_involved}个部门的职权，要充分听取相关部门的意见",
                          field="departments_consulted")
    if f.issuer == "department" and not f.joint:
        yield r.violation(f"涉及{least}个以上部门职权范围的事项，应由区政府制定规范性文件或由有关部门联合制定，"
                          f"不能由一个部门单独制定", field="joint")


@rule("R67.normative_procedures", article=67, topic="documents.normative")
def normative_procedures(f: NormativeFacts, r: RuleContext):
    """提请区政府制发规范性文件前履行合法性审查、公众参与、风险评估、集体决策程序（可不履行的说明理由）。"""
    if f.issuer != "government":
        return
    done = {
        "legality_review": (_done(f.legality_review_by), "legality_review_by"),
        "public_participation": (f.public_participation, "public_participation"),
        "risk_assessment": (f.risk_assessment, "risk_assessment"),
        "collective_decision": (_done(f.collective_decision_ref), "collective_decision_ref"),
    }
    steps = r.param("documents.normative_prerequisites")
    procedures = [*steps["always"], *steps["market_activity"]]
    labels = r.param("documents.normative_step_labels")
    for code, _reason in f.skipped_steps:
        if code not in procedures:
            yield r.violation(f"“{code}”不是上报前须履行的程序（{'、'.join(labels.get(c, c) for c in procedures)}）",
                              field="skipped_steps")
    for code in steps["always"]:
        if code not in done:
            raise RulebookError(f"documents.normative_prerequisites.always: unknown step {code!r}")
        if code == "legality_review":
            # Art. 25 requires it of every government normative document and no reason excuses
            # it there: R25.legality_review reports it, once.
            continue
        ok, field = done[code]
        yield from _procedure(r, f, code, ok, field=field)


@rule("R67.fair_competition", article=67, topic="documents.normative")
def fair_competition(f: NormativeFacts, r: RuleContext):
    """涉及市场主体经济活动的，须进行公平竞争审查。"""
    if f.issuer != "government" or not f.touches_market:
        return
    for code in r.param("documents.normative_prerequisites")["market_activity"]:
        yield from _procedure(r, f, code, f.fair_competition_review, field="fair_competition_review",
                              lead="规范性文件涉及市场主体经济活动的，")


@rule("R67.publication_materials", article=67, topic="documents.normative")
def publication_materials(f: NormativeFacts, r: RuleContext):
    """依法应当主动公开的，须一并报送政策解读材料和舆情应对方案。"""
    if f.issuer != "government" or not f.to_be_published:
        return
    labels = r.param("documents.normative_step_labels")
    given = {"policy_interpretation": (f.interpretation_material, "interpretation_material"),
             "opinion_response_plan": (f.opinion_plan, "opinion_plan")}
    for code in r.param("documents.normative_prerequisites")["must_disclose"]:
        if code not in given:
            raise RulebookError(f"documents.normative_prerequisites.must_disclose: unknown material {code!r}")
        ok, field = given[code]
        if not ok:
            yield r.violation(f"依法应当主动公开的规范性文件，须一并报送{labels.get(code, code)}", field=field)


# ---- art. 69: who signs --------------------------------------------------------------------

def _head_sign_matters(f: SigningFacts, r: RuleContext) -> list[str]:
    kinds = r.param("documents.head_signs_kinds")
    matters = []
    if f.is_regulation:
        matters.append(kinds["regulation"])
    if f.upward_to:
        matters.append(kinds["report_to_higher"])
    if f.is_motion_to_npc:
        matters.append(kinds["motion_to_npc"])
    if f.is_personnel:
        matters.append(kinds["appointment"])
    return matters


def _reviews(f: SigningFacts, r: RuleContext, required: list[str], what: str):
    labels = r.param("documents.review_labels")
    missing = [c for c in required if c not in f.reviews_done]
    if missing:
        yield r.violation(f"{what}须经{'、'.join(labels.get(c, c) for c in required)}，"
                          f"缺少{'、'.join(labels.get(c, c) for c in missing)}", field="reviews_done")
        return
    order = [c for c in f.reviews_done if c in required]
    if order != list(required):
        yield r.violation(f"{what}的审核应依次为{'→'.join(labels.get(c, c) for c in required)}，"
                          f"实际为{'→'.join(labels.get(c, c) for c in order)}", field="reviews_done")


@rule("R69.head_signs", article=69, topic="documents.signing")
def head_signs(f: SigningFacts, r: RuleContext):
    """规章、上报省市政府和区委的公文、向区人大及其常委会提出的议案、人员任免，由区长签署。"""
    upward = r.param("documents.head_signs_upward_to")
    if f.upward_to and f.upward_to not in upward:
        yield r.violation(f"上报机关“{f.upward_to}”无效，须为{'、'.join(upward.values())}之一（或不填）",
                          field="upward_to")
        return
    matters = _head_sign_matters(f, r)
    signer = r.param("documents.head_signs_signer")
    if matters and f.signer_role and f.signer_role != signer:
        yield r.violation(f"{'、'.join(matters)}由{_position(r, signer)}签署，不能由{_position(r, f.signer_role)}签署",
                          field="signer_role")


@rule("R69.government_issue", article=69, topic="documents.signing")
def government_issue(f: SigningFacts, r: RuleContext):
    """以区政府名义印发文件，经办公室副主任、主任、分管领导审核后，由区长签发。"""
    if f.issuing_as != "government":
        return
    what = f"以区政府名义印发{f.kind or '文件'}"
    yield from _reviews(f, r, r.param("documents.government_issue_reviews"), what)
    signer = r.param("documents.government_issue_signer")
    if f.signer_role and f.signer_role != signer and not _head_sign_matters(f, r):  # else R69.head_signs says it
        yield r.violation(f"{what}由{_position(r, signer)}签发，不能由{_position(r, f.signer_role)}签发",
                          field="signer_role")


@rule("R69.office_issue", article=69, topic="documents.signing")
def office_issue(f: SigningFacts, r: RuleContext):
    """以区政府办公室名义发文，经办公室主任、分管领导审核后，由常务副区长签发；必要时报请区长签发。"""
    if f.issuing_as != "office":
        return
    what = f"以区政府办公室名义印发{f.kind or '文件'}"
    yield from _reviews(f, r, r.param("documents.office_issue_reviews"), what)
    if not f.signer_role or _head_sign_matters(f, r):  # unsigned yet, or R69.head_signs decides
        return
    usual = r.param("documents.office_issue_signer")
    referred = r.param("documents.office_issue_referred_signer")
    if f.referred_to_head:
        if f.signer_role != referred:
            yield r.violation(f"{what}已由区政府分管领导报请{_position(r, referred)}签发，"
                              f"不能由{_position(r, f.signer_role)}签发", field="signer_role")
    elif f.signer_role == referred:
        yield r.violation(f"{what}由{_position(r, usual)}签发；由{_position(r, referred)}签发须由区政府分管领导报请，"
                          f"未见报请记录", field="referred_to_head")
    elif f.signer_role != usual:
        yield r.violation(f"{what}由{_position(r, usual)}签发（必要时由区政府分管领导报请{_position(r, referred)}签发），"
                          f"不能由{_position(r, f.signer_role)}签发", field="signer_role")


# ---- art. 70: fewer documents --------------------------------------------------------------

@rule("R70.annual_plan", article=70, topic="documents.issuing", severity="warn")
def annual_plan(f: IssuingFacts, r: RuleContext):
    """严格执行年度发文计划，减少临时性发文。"""
    if not f.in_annual_plan:
        yield r.violation(f"该文件未列入{ISSUERS[f.issuer]}年度发文计划，属临时性发文：应严格执行年度发文计划，"
                          f"减少临时性发文", field="in_annual_plan")


@rule("R67.salutation", article=67, topic="documents.format", severity="warn")
def salutation_once(f: FormatFacts, r: RuleContext):
    """公文主送机关在标题下标注一次（《党政机关公文处理工作条例》第九条），正文不再重复。"""
    if repeated_salutation(f.first_line, f.main_recipients):
        yield r.violation(f"正文首行“{f.first_line.strip()}”重复了主送机关：主送机关由版式在标题下标注，"
                          f"正文不必再写，请删去该行", field="body")


@rule("R70.no_reprint", article=70, topic="documents.issuing")
def no_reprint(f: IssuingFacts, r: RuleContext):
    """已公开发布的上级文件，不再翻印、转发。"""
    if f.republishes_higher_level_published:
        yield r.violation("已公开发布的上级文件，不再翻印、转发", field="republishes_higher_level_published")


@rule("R70.own_remit", article=70, topic="documents.issuing")
def own_remit(f: IssuingFacts, r: RuleContext):
    """属部门职权或议事协调机构职责范围的事项，由其自行发文，不再由区政府批转或办公室转发。"""
    if f.issuer not in GOVERNMENT_ISSUERS:
        return
    who = ISSUERS[f.issuer]
    if f.within_department_powers:
        yield r.violation(f"属部门职权范围内的事务，由部门自行发文或联合发文，不再由{who}发文（批转、转发）",
                          field="within_department_powers")
    if f.within_coordination_body_remit:
        yield r.violation(f"属区政府议事协调机构职责范围内的事项，由议事协调机构发文，不再由{who}发文（批转、转发）",
                          field="within_coordination_body_remit")


@rule("R70.states_consent", article=70, topic="documents.issuing")
def states_consent(f: IssuingFacts, r: RuleContext):
    """经区政府同意由部门行文的，文中须注明已经区政府同意。"""
    if f.issuer in GOVERNMENT_ISSUERS or not f.issued_with_government_consent:
        return
    if not f.states_consent:
        phrase = r.param("documents.consent_phrase")
        yield r.violation(f"经区政府同意后由{ISSUERS[f.issuer]}行文的，文中须注明“{phrase}”", field="states_consent")


@rule("R70.no_directive_to_towns", article=70, topic="documents.issuing")
def no_directive_to_towns(f: IssuingFacts, r: RuleContext):
    """部门未经区政府批准，不得向乡镇、街道发布指令性公文或要求其报文（商洽、询问答复、审批事项除外）。"""
    if f.issuer != "department" or f.directive_approved:
        return
    exempt = r.param("documents.directive_exempt_purposes")
    if f.directive_purpose in exempt:
        return
    but = f"（{'、'.join(exempt.values())}除外）"
    if f.directive_to_towns:
        yield r.violation(f"区政府各部门未经区政府批准，不得向乡(镇)政府、街道办事处发布指令性公文或在公文中提出"
                          f"指令性要求{but}", field="directive_to_towns")
    if f.requires_towns_to_report:
        yield r.violation(f"区政府各部门未经区政府批准，不得要求乡(镇)政府、街道办事处报文{but}",
                          field="requires_towns_to_report")


@rule("R70.needless", article=70, topic="documents.issuing")
def needless(f: IssuingFacts, r: RuleContext):
    """法律、行政法规已有明确规定的，现行文件仍适用的，照搬照抄上级文件的，不再制发文件。"""
    if f.law_already_provides:
        yield r.violation("法律、行政法规已作出明确规定的，不再制发文件", field="law_already_provides")
    if f.current_document_applies:
        yield r.violation("现行文件规定仍适用的，不再重复发文", field="current_document_applies")
    if f.no_new_content:
        yield r.violation("没有新内容、新举措，照搬照抄上级文件的，一律不制发文件", field="no_new_content")


# ---- art. 33: disclosure -------------------------------------------------------------------

@rule("R33.default_public", article=33, topic="documents.disclosure")
def default_public(f: DisclosureFacts, r: RuleContext):
    """以公开为常态、不公开为例外：不公开须说明理由。"""
    if r.param("disclosure.default_public") and not f.public and not _done(f.non_disclosure_reason):
        yield r.violation("以公开为常态、不公开为例外：不公开须说明理由", field="non_disclosure_reason")


@rule("R33.disclosure_record", article=33, topic="documents.disclosure")
def disclosure_record(f: DisclosureFacts, r: RuleContext):
    """公开记录须载明第三十三条所列的公开形式（政府网站、公报、新闻发布会、新闻媒体等）和公开日期，公开日期不早于成文日期。"""
    if not f.channel and f.disclosed_on is None:
        return
    channels = r.param("disclosure.channels")
    if not f.public:
        yield r.violation("不公开的公文不能登记公开记录", field="public")
    if f.channel not in channels:
        yield r.violation(f"公开形式须为{'、'.join(channels.values())}之一", field="channel")
    if f.disclosed_on is None:
        yield r.violation("公开记录须载明公开日期", field="disclosed_on")
    elif f.issued_on is not None and f.disclosed_on < f.issued_on:
        yield r.violation(f"公开日期（{f.disclosed_on.isoformat()}）不能早于成文日期（{f.issued_on.isoformat()}）",
                          field="disclosed_on")


# ---- art. 89: reports to the 区政府 (请示报告制度) ---------------------------------------------

@rule("R89.report_kind", article=89, topic="documents.unit_report")
def report_kind(f: UnitReportFacts, r: RuleContext):
    """须向区政府报告的事项：上级规范性文件、区委和区人大交办的重要事项、重大决定、重大项目、重大情况。"""
    kinds = r.param("documents.unit_report_kinds")
    if f.kind not in kinds:
        yield r.violation(f"报告事项须为{'、'.join(kinds.values())}之一", field="kind")
    if f.occurred_on is None:
        yield r.violation("须载明事项发生（收到、接到、作出、启动）的日期", field="occurred_on")
    elif f.reported_on is not None and f.reported_on < f.occurred_on:
        yield r.violation("报告日期不能早于事项发生日期", field="reported_on")


@rule("R89.report_timely", article=89, topic="documents.unit_report", severity="warn")
def report_timely(f: UnitReportFacts, r: RuleContext):
    """必须及时向区政府报告（时限为办公室设定的工作日数，条文只称“及时”）。"""
    days = r.param("documents.unit_report_days")
    if f.working_days_between is None or f.working_days_between <= days:
        return
    done = "报告" if f.reported_on is not None else "尚未报告"
    yield r.violation(f"须及时向区政府报告：事项发生后{f.working_days_between}个工作日{done}，"
                      f"超过办公室设定的{days}个工作日", field="reported_on")


@rule("R89.report_before_briefing", article=89, topic="documents.briefing")
def report_before_briefing(f: BriefingFacts, r: RuleContext):
    """代表区政府汇报或通报的议题，应先行报告区政府；区政府未形成决定或尚有争议的，须请示区政府领导同志、形成一致意见后再汇报或通报。"""
    bodies = r.param("documents.briefing_bodies")
    if f.briefing_body not in bodies:
        yield r.violation(f"汇报或通报对象须为{'、'.join(bodies.values())}之一", field="briefing_body")
        return
    to = bodies[f.briefing_body]
    if not f.reported_to_government_first:
        yield r.violation(f"代表区政府向{to}汇报或通报的议题或事项，应先行报告区政府",
                          field="reported_to_government_first")
    if not f.government_decided and not f.leaders_consulted:
        yield r.violation(f"区政府未形成决定或尚有争议的内容，须请示区政府领导同志、形成一致意见后再向{to}汇报或通报",
                          field="leaders_consulted")


# ---- art. 89: classified documents ---------------------------------------------------------

@rule("R89.classified_body", article=89, topic="documents.classification")
def classified_body(f: ClassificationFacts, r: RuleContext):
    """严格遵守保密纪律，严禁泄露国家秘密：据此，本系统只登记涉密公文的元数据，不处理其正文和附件（系统的规定，非条文原文）。"""
    levels = r.param("documents.classified_levels")
    if not f.classification:
        return
    if f.classification not in levels:
        yield r.violation(f"密级“{f.classification}”无效，须为{'、'.join(levels)}之一或不填", field="classification")
        return
    plain = f"依照保密纪律，本系统只登记涉密公文（{'/'.join(levels)}）的元数据，不处理其正文和附件"
    if f.has_body:
        yield r.violation(f"{plain}：该公文密级为“{f.classification}”，不能录入正文", field="body")
    if f.attachments_count:
        yield r.violation(f"{plain}：该公文密级为“{f.classification}”，不能上传附件（现有{f.attachments_count}件）",
                          field="attachments")


topic("documents.submission", SubmissionFacts)
topic("documents.normative", NormativeFacts)
topic("documents.signing", SigningFacts)
topic("documents.issuing", IssuingFacts)
topic("documents.disclosure", DisclosureFacts)
topic("documents.classification", ClassificationFacts)
topic("documents.format", FormatFacts)
topic("documents.unit_report", UnitReportFacts)
topic("documents.briefing", BriefingFacts)
