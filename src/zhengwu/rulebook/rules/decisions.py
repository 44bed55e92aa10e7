"""Major decisions (“三重一大”事项): art. 13 (major matters not by the 区长办公会议 or a 专题会议),
28 (the five mandatory procedures), 29 (decided by the 常务会议, not the 全体 or 党组会议; 大额资金)
and 30 (what a department's proposal needs: research, collective discussion, five-aspect
evaluation, consultation, social-stability risk assessment and hearing).

Pure rules over plain facts: the decisions app builds a dossier's facts from its records and calls
`zhengwu.rulebook.check("decisions.dossier", facts, on=date)` before the dossier may go on a
meeting's agenda (`on` is that date). Every number and closed list comes from the rulebook's
parameters (`decisions.*`, `meetings.types`, `meetings.major_matter_types`, `org.unit_kinds`).

The deliberation itself (末位表态, art. 29) is judged on the meeting: topic
`meetings.deliberation` in rules/meetings.py.

Topics and their facts:
    decisions.dossier     DossierFacts     art. 13, 28, 29, 30   a 三重一大 dossier before the agenda
    decisions.decision    DecisionFacts    art. 13, 28, 29       the meeting's decision on a dossier
    decisions.escalation  EscalationFacts  art. 29, 76, 77       a decided matter sent on to the 区委 or the 区人大
    decisions.report      ReportFacts      art. 76               a report to the 区委 (76(二)), the feedback on what it agreed (76(四))

Reading of the text, stated once:
- Art. 28 makes all five procedures mandatory for every 三重一大 matter and gives no exemption
  (unlike art. 67 for normative documents), so none is excused here. Four of them (公众参与、
  专家论证、风险评估、合法性审查) are done before the agenda and recorded with their evidence
  (R28.procedures). The fifth, 集体讨论决定, is the decision itself (decisions.meeting_steps): the
  常务会议 that decides the matter (art. 29) discusses it, its members give their views and the
  一把手 speaks last; it is checked when the meeting decides (R28.collective_decision, with
  R29.last_speaker), never recorded beforehand from some other meeting's minutes.
- Art. 29 gives the 三重一大 to the 常务会议 "需报请区委决定的…按照规定办理": for a matter the 区委
  decides (the dossier names an art. 76(一) matter), art. 76(三) lets the 常务会议 or the 区长办公会议
  讨论原则同意 it before it goes to the 区委, so a 区长办公会议 is then a lawful meeting for it.
- Art. 76(一)7 sends 副科级以上机构变动、设置和人员编制 to the 区委常委会: a dossier about a body's
  organisation or staffing names the body's rank (`org_rank`, affairs.org_ranks, lowest first);
  at or above affairs.party_committee_org_min_rank (以上 includes it) it must go to the 区委
  (R76.org_rank before the agenda, R76.org_rank_decided at the decision); below it, not.
- Art. 76(二) (区政府研究决定，需要向区委报告) and 76(四) (the office feeds back what the 区委 agreed)
  are done by the 区政府 through its office, after the decision they follow (topic decisions.report).
- Art. 30's first paragraph is about matters a department (部门) asks the 区政府 to decide: its
  checks (research, evaluation, consultation, stability) apply to `proposed_by_department`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..facts import FactsError, topic
from ..registry import RuleContext, rule

LARGE_FUND = "large_fund"  # the key of decisions.dossier_types for 大额资金使用
LEGALITY_REVIEW = "legality_review"  # the key of decisions.required_steps for 合法性审查
YUAN_PER_WAN = 10_000  # 1 万元 = 10 000 元 (a unit, not a rule's number)


def _done(text: str) -> bool:
    return bool(text and text.strip())


# ---- facts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DossierFacts:
    """“三重一大”事项上会前审查：必经程序、部门提请的调研论证和协商、提交的会议（第十三条、第二十八条至第三十条）。

    `steps` records the mandatory procedures (decisions.required_steps) done, each as
    (step code, date done, evidence: the document or record it rests on). `affected_units` lists
    the other units the matter involves as (name, unit kind code of org.unit_kinds);
    `consultations` the consultations of them as (unit name, date asked, their reply or its
    reference; "" = no reply yet). `amount_yuan` is the amount of a 大额资金使用 matter in 元
    (whole 元).
    """
    dossier_type: str  # a key of decisions.dossier_types
    title: str = ""  # for messages
    amount_yuan: int | None = None  # required for 大额资金使用
    steps: tuple[tuple[str, dt.date, str], ...] = ()
    legality_reviewer: str = ""  # a key of decisions.legality_reviewers
    meeting_type: str = ""  # the meeting that is to decide it (a key of meetings.types)
    proposed_by_department: bool = False  # 部门提请区政府研究决定
    proposing_unit: str = ""  # … that department's name
    research_done: bool = False  # 深入调查研究
    unit_collective_discussion_ref: str = ""  # the department's collective discussion record (留痕)
    evaluations: tuple[str, ...] = ()  # aspects evaluated: keys of decisions.evaluation_aspects
    evaluated_by: str = ""  # the 研究、咨询机构 (or other body) that evaluated
    affected_units: tuple[tuple[str, str], ...] = ()
    consultations: tuple[tuple[str, dt.date, str], ...] = ()
    submitted_on: dt.date | None = None  # when the department submitted it to the 区政府
    to_party_committee: bool = False  # 需报请区委决定 (art. 29, 76): the meeting only 原则同意s it
    org_rank: str = ""  # 机构变动、设置和人员编制: the body's rank (a key of affairs.org_ranks); "" = not such a matter
    public_interest: bool = False  # 涉及重大公共利益和公众权益、容易引发社会稳定问题
    stability_risk_assessment: bool = False  # 社会稳定风险评估 done
    hearing_held: bool = False  # 听证会等形式听取各方面意见 done

    def __post_init__(self):
        if self.amount_yuan is not None and self.amount_yuan < 0:
            raise FactsError(f"facts.amount_yuan: 不能小于0，收到 {self.amount_yuan}", "facts.amount_yuan")
        if self.dossier_type == LARGE_FUND and self.amount_yuan is None:
            raise FactsError("facts.amount_yuan: 大额资金使用事项须填写金额（元）", "facts.amount_yuan")


# ---- helpers -------------------------------------------------------------------------------

def _what(f: DossierFacts, r: RuleContext) -> str:
    if f.title:
        return f"“{f.title}”"
    label = r.param("decisions.dossier_types").get(f.dossier_type)
    return f"{label}事项" if label else "“三重一大”事项"


def _wan(yuan: int) -> str:
    """An amount in 元 shown exactly in 万元: 500000 → 50万元, 499999 → 49.9999万元."""
    return f"{(Decimal(yuan) / YUAN_PER_WAN).normalize():f}万元"


# ---- art. 28: the five mandatory procedures ------------------------------------------------

@rule("R28.procedures", article=28, topic="decisions.dossier")
def procedures(f: DossierFacts, r: RuleContext):
    """公众参与、专家论证、风险评估、合法性审查和集体讨论决定是“三重一大”事项决策的必经程序：前四项上会前须逐项留有日期和依据，
    集体讨论决定由作出决定的会议本身履行，不事先登记。"""
    required = r.param("decisions.required_steps")
    at_meeting = r.param("decisions.meeting_steps")
    labels = r.param("decisions.step_labels")
    what = _what(f, r)
    for code, _day, _evidence in f.steps:
        if code not in required:
            yield r.violation(f"“{code}”不是“三重一大”事项决策的必经程序（{'、'.join(labels.get(c, c) for c in required)}）",
                              field="steps")
        elif code in at_meeting:
            yield r.violation(f"{labels.get(code, code)}是作出决定的会议本身的程序，在会议讨论决定时履行，"
                              f"不能事先以其他材料登记", field="steps")
    recorded = {code for code, _day, _evidence in f.steps}
    missing = [c for c in required if c not in recorded and c not in at_meeting]
    if missing:
        yield r.violation(f"{'、'.join(labels.get(c, c) for c in required)}是“三重一大”事项决策的必经程序：{what}"
                          f"尚缺{'、'.join(labels.get(c, c) for c in missing)}，不能提交会议讨论", field="steps",
                          en=f"A major (“three important, one large”) matter must pass every required procedure before "
                             f"the meeting: {len(missing)} still missing, so it cannot go to the meeting")
    for code, day, evidence in f.steps:
        if code not in required or code in at_meeting:
            continue
        if not _done(evidence):
            yield r.violation(f"{what}的{labels.get(code, code)}程序须留有依据材料，未注明", field="steps",
                              en="Each procedure of the matter needs its supporting record; one is not given")
        if day > r.on:
            yield r.violation(f"{what}的{labels.get(code, code)}程序登记日期{day.isoformat()}晚于{r.on.isoformat()}，"
                              f"尚未履行的程序不能登记", field="steps",
                              en=f"A procedure is dated {day.isoformat()}, after {r.on.isoformat()}: a procedure not "
                                 f"yet done cannot be recorded")
    if LEGALITY_REVIEW in required and LEGALITY_REVIEW in recorded:
        reviewers = r.param("decisions.legality_reviewers")
        if f.legality_reviewer not in reviewers:
            got = f"“{f.legality_reviewer}”" if f.legality_reviewer else "未注明"
            yield r.violation(f"{what}的合法性审查由{'或'.join(reviewers.values())}承担，审查者{got}",
                              field="legality_reviewer")


# ---- art. 13 and 29: which meeting decides -------------------------------------------------

@rule("R29.meeting", article=29, topic="decisions.dossier")
def decided_by_standing_meeting(f: DossierFacts, r: RuleContext):
    """财政预算、重大规划、重大事项决策、重要干部任免、重大项目投资和大额资金使用等重大决策，由区政府常务会议讨论决定。

    The 全体会议 and the 党组会议, which art. 13 lets decide other 重大事项, do not decide these (art.
    59 gives the 党组会议 only 研究). A meeting art. 13 itself excludes is R13.major_by_meeting's: one
    finding per wrong meeting."""
    kinds = r.param("decisions.dossier_types")
    if f.dossier_type not in kinds:
        got = f"“{f.dossier_type}”" if f.dossier_type else "未填"
        yield r.violation(f"“三重一大”事项类型{got}无效，须为{'、'.join(kinds.values())}之一", field="dossier_type")
    types = r.param("meetings.types")
    decider = r.param("decisions.major_matter_meeting")
    standing = types.get(decider, decider)
    if not f.meeting_type:
        yield r.violation(f"{_what(f, r)}由{standing}讨论决定，尚未确定提交的会议", field="meeting_type",
                          en="A major decision is made by the standing meeting; no meeting is chosen yet")
    elif f.meeting_type not in types:
        yield r.violation(f"会议类型“{f.meeting_type}”无效，须为{'、'.join(types.values())}之一", field="meeting_type")
    elif _prior_to_committee(f, r):
        return
    elif f.meeting_type != decider and f.meeting_type in r.param("meetings.major_matter_types"):
        yield r.violation(f"{_what(f, r)}由{standing}讨论决定，不能由{types[f.meeting_type]}决定", field="meeting_type",
                          en="A major decision is made by the standing meeting, not by the meeting chosen")


def _prior_to_committee(f, r: RuleContext) -> bool:
    """A matter the 区委 decides (art. 29: 需报请区委决定的，按照规定办理) is 讨论原则同意 by the 常务会议
    or the 区长办公会议 before it goes to the 区委 (art. 76(三)): that meeting is not the decider."""
    return f.to_party_committee and f.meeting_type in r.param("affairs.party_committee_prior_meetings")


def _not_for_major(r: RuleContext, what: str, meeting_type: str) -> str:
    """Art. 13's words for a meeting that may not decide a 重大事项 (the 区长办公会议: 重要问题)."""
    types = r.param("meetings.types")
    standing = types.get(r.param("decisions.major_matter_meeting"), "")
    got = types.get(meeting_type, "") or "未注明的会议"
    why = (f"{got}研究决定的是重要问题，不能决定重大事项" if meeting_type in r.param("meetings.important_matter_types")
           else f"不能由{got}决定")
    return f"{what}属区政府工作中的重大事项，必须按照程序经{standing}讨论决定，{why}"


@rule("R29.large_amount", article=29, topic="decisions.dossier", severity="warn")
def large_amount(f: DossierFacts, r: RuleContext):
    """大额资金使用按办公室设定的金额标准认定。"""
    if f.dossier_type != LARGE_FUND:
        return
    threshold = r.param("decisions.large_amount_threshold")
    if f.amount_yuan < threshold * YUAN_PER_WAN:
        yield r.violation(f"{_what(f, r)}金额{_wan(f.amount_yuan)}，低于大额资金使用标准（{threshold}万元以上），"
                          f"不属于“三重一大”事项，请核实事项类型", field="amount_yuan")


@rule("R13.major_by_meeting", article=13, topic="decisions.dossier")
def major_by_meeting(f: DossierFacts, r: RuleContext):
    """重大事项必须按照程序经会议讨论决定：区长办公会议、专题会议不能决定重大事项。

    A matter the 区委 decides may be 原则同意 by the 区长办公会议 before it goes on (art. 76(三))."""
    types = r.param("meetings.types")
    if f.meeting_type in types and f.meeting_type not in r.param("meetings.major_matter_types") \
            and not _prior_to_committee(f, r):
        yield r.violation(_not_for_major(r, _what(f, r), f.meeting_type), field="meeting_type")


# ---- art. 76(一)7: organisation and staffing at or above 副科级 go to the 区委 ---------------

def _org_rank_findings(f, r: RuleContext, *, deciding: bool):
    if not f.org_rank:
        return
    ranks = r.param("affairs.org_ranks")
    if f.org_rank not in ranks:
        yield r.violation(f"机构级别“{f.org_rank}”无效，须为{'、'.join(ranks.values())}之一", field="org_rank")
        return
    order = list(ranks)
    least = r.param("affairs.party_committee_org_min_rank")
    if order.index(f.org_rank) < order.index(least) or f.to_party_committee:
        return
    act = "不能由区政府会议径行决定" if deciding else "须注明报区委常委会事项类别后提交会议原则同意"
    yield r.violation(f"{ranks[least]}以上机构变动、设置和人员编制等重要问题须报区委常委会讨论决定："
                      f"{_what_title(f, r)}涉及{ranks[f.org_rank]}机构，{act}", field="committee_matter")


@rule("R76.org_rank", article=76, topic="decisions.dossier")
def org_rank(f: DossierFacts, r: RuleContext):
    """副科级以上机构变动、设置和人员编制等重要问题，需报区委常委会讨论决定（以上含本级）。"""
    yield from _org_rank_findings(f, r, deciding=False)


@rule("R76.org_rank_decided", article=76, topic="decisions.decision")
def org_rank_decided(f: DecisionFacts, r: RuleContext):
    """副科级以上机构变动、设置和人员编制等重要问题，由区委常委会讨论决定：区政府会议只能讨论原则同意后报送区委。"""
    yield from _org_rank_findings(f, r, deciding=True)


# ---- art. 30: a department's proposal ------------------------------------------------------

@rule("R30.department", article=30, topic="decisions.dossier")
def department_preparation(f: DossierFacts, r: RuleContext):
    """部门提请的重大事项须深入调查研究、集体讨论决定并留痕，经合法性、必要性、科学性、可行性和可控性评估论证。"""
    if not f.proposed_by_department:
        return
    who = f.proposing_unit or "部门"
    lead = f"{who}提请区政府研究决定的重大事项"
    if not f.research_done:
        yield r.violation(f"{lead}必须经过深入调查研究，未见调研记录", field="research_done",
                          en="A major matter a department submits must be researched in depth; no research is recorded")
    if not _done(f.unit_collective_discussion_ref):
        yield r.violation(f"{lead}必须通过集体讨论决定并进行留痕管理，未注明集体讨论记录",
                          field="unit_collective_discussion_ref",
                          en="A major matter a department submits must be decided collectively in the department, on "
                             "record; no record of the discussion is given")
    aspects = r.param("decisions.evaluation_aspects")
    for code in f.evaluations:
        if code not in aspects:
            yield r.violation(f"“{code}”不是评估论证的方面（{'、'.join(aspects.values())}）", field="evaluations")
    missing = [label for code, label in aspects.items() if code not in f.evaluations]
    if missing:
        yield r.violation(f"{lead}须经研究、咨询机构等进行{'、'.join(aspects.values())}评估论证，"
                          f"缺少{'、'.join(missing)}评估论证", field="evaluations",
                          en=f"A major matter a department submits must be evaluated (legality, necessity, soundness, "
                             f"feasibility, controllability): {len(missing)} evaluation(s) missing")
    elif not _done(f.evaluated_by):
        yield r.violation(f"{lead}须经研究、咨询机构等进行评估论证，未注明评估论证机构", field="evaluated_by",
                          en="The evaluation must be made by a research or advisory body; none is named")


@rule("R30.consultation", article=30, topic="decisions.dossier")
def consultation(f: DossierFacts, r: RuleContext):
    """涉及相关部门的应当充分协商；涉及街道、乡(镇、场)、牧业区、经开区的，应当事先征求意见。"""
    if not f.proposed_by_department:
        return
    kinds = r.param("org.unit_kinds")
    beforehand = set(r.param("decisions.consult_unit_kinds"))
    asked: dict[str, list[tuple[dt.date, str]]] = {}
    for name, day, reply in f.consultations:
        asked.setdefault(name, []).append((day, reply))
    for name, kind in f.affected_units:
        if f.proposing_unit and name == f.proposing_unit:
            continue
        if kind not in kinds:
            yield r.violation(f"{name}的单位类型“{kind}”无效，须为{'、'.join(kinds.values())}之一", field="affected_units")
            continue
        prior = kind in beforehand
        done = asked.get(name, [])
        if not done:
            need = "应当事先征求其意见" if prior else "应当与其充分协商"
            yield r.violation(f"该事项涉及{name}（{kinds[kind]}），{need}，未见记录", field="consultations",
                              en=f"The matter concerns {name}, who must be consulted beforehand; no consultation is "
                                 f"recorded")
        elif not any(_done(reply) for _day, reply in done):
            yield r.violation(f"已征求{name}意见，尚无其回复意见", field="consultations",
                              en=f"{name} was consulted but has not replied yet")
        elif prior and f.submitted_on is not None and min(day for day, _reply in done) > f.submitted_on:
            yield r.violation(f"涉及{name}（{kinds[kind]}）的，应当事先征求意见：{min(d for d, _ in done).isoformat()}"
                              f"征求意见，晚于{f.submitted_on.isoformat()}提请", field="consultations",
                              en=f"{name} must be consulted before the matter is submitted "
                                 f"({f.submitted_on.isoformat()}); the consultation came later")


@rule("R30.stability", article=30, topic="decisions.dossier")
def stability(f: DossierFacts, r: RuleContext):
    """涉及重大公共利益和公众权益、容易引发社会稳定问题的，进行社会稳定风险评估，并采取听证会等形式听取各方面意见。"""
    if not f.proposed_by_department or not f.public_interest:
        return
    lead = f"{_what(f, r)}涉及重大公共利益和公众权益、容易引发社会稳定问题"
    if not f.stability_risk_assessment:
        yield r.violation(f"{lead}，要进行社会稳定风险评估，未见评估记录", field="stability_risk_assessment",
                          en="A matter of major public interest that may affect social stability needs a social "
                             "stability risk assessment; none is recorded")
    if not f.hearing_held:
        yield r.violation(f"{lead}，要采取听证会等多种形式听取各方面意见，未见记录", field="hearing_held",
                          en="A matter of major public interest that may affect social stability needs the views of "
                             "all sides heard, e.g. at a hearing; none is recorded")


# ---- the meeting's decision (art. 29) ------------------------------------------------------

@dataclass(frozen=True)
class DecisionFacts:
    """会议对“三重一大”事项作出的决定（第十三条、第二十八条、第二十九条）：决定须为规定的结论之一，由有权决定的会议
    集体讨论作出。

    `meeting_ref` is the record of the meeting that decides ("" = none named); `speaking_order`
    the opinions recorded on the item at that meeting, in order, as (position code, is the chair),
    as in meetings.deliberation.
    """
    outcome: str  # one of decisions.outcomes
    meeting_type: str  # the meeting that decided (a key of meetings.types)
    title: str = ""
    dossier_type: str = ""  # a key of decisions.dossier_types
    meeting_ref: str = ""
    speaking_order: tuple[tuple[str, bool], ...] = ()
    to_party_committee: bool = False  # 需报请区委决定 (art. 29, 76): the meeting only 原则同意s it
    org_rank: str = ""  # 机构变动、设置和人员编制: the body's rank (a key of affairs.org_ranks); "" = not such a matter


@rule("R29.outcome", article=29, topic="decisions.decision")
def outcome(f: DecisionFacts, r: RuleContext):
    """“三重一大”事项由区政府常务会议讨论决定，会议的决定须为规定的结论之一。"""
    outcomes = r.param("decisions.outcomes")
    if f.outcome not in outcomes:
        got = f"“{f.outcome}”" if f.outcome else "未填"
        yield r.violation(f"会议对{_what_title(f, r)}的决定{got}无效，须为{'、'.join(outcomes)}之一", field="outcome")


@rule("R28.collective_decision", article=28, topic="decisions.decision")
def collective_decision(f: DecisionFacts, r: RuleContext):
    """集体讨论决定是“三重一大”事项决策的必经程序：由会议讨论，组成人员发表意见后作出决定。

    The chair's own view, last, is R29.last_speaker's (meetings.deliberation), checked with it."""
    labels = r.param("decisions.step_labels")
    steps = "、".join(labels.get(c, c) for c in r.param("decisions.meeting_steps"))
    lead = f"{steps}是“三重一大”事项决策的必经程序：{_what_title(f, r)}须经会议集体讨论后作出决定"
    if not _done(f.meeting_ref):
        yield r.violation(f"{lead}，未注明作出决定的会议", field="meeting_ref",
                          en="A major matter is decided after collective discussion at a meeting; the deciding meeting "
                             "is not given")
    elif not any(not is_chair for _code, is_chair in f.speaking_order):
        yield r.violation(f"{lead}，未见会议组成人员就该事项发表意见的记录", field="speaking_order",
                          en="A major matter is decided after the members of the meeting give their views; none is "
                             "recorded")


@rule("R29.decided_by", article=29, topic="decisions.decision")
def decided_by(f: DecisionFacts, r: RuleContext):
    """“三重一大”事项由区政府常务会议讨论决定：全体会议、党组会议不作出该决定。"""
    types = r.param("meetings.types")
    decider = r.param("decisions.major_matter_meeting")
    if f.meeting_type != decider and f.meeting_type in r.param("meetings.major_matter_types") \
            and not _prior_to_committee(f, r):
        yield r.violation(f"{_what_title(f, r)}由{types.get(decider, decider)}讨论决定，"
                          f"{types.get(f.meeting_type, f.meeting_type)}不能作出决定", field="meeting_type")


@rule("R13.decided_by_meeting", article=13, topic="decisions.decision")
def decided_by_meeting(f: DecisionFacts, r: RuleContext):
    """重大事项必须按照程序经会议讨论决定：区长办公会议、专题会议不能作出决定。

    A matter the 区委 decides may be 原则同意 by the 区长办公会议 before it goes on (art. 76(三))."""
    if f.meeting_type not in r.param("meetings.major_matter_types") and not _prior_to_committee(f, r):
        yield r.violation(_not_for_major(r, _what_title(f, r), f.meeting_type), field="meeting_type")


def _what_title(f, r: RuleContext) -> str:
    if f.title:
        return f"“{f.title}”"
    label = r.param("decisions.dossier_types").get(getattr(f, "dossier_type", ""), "")
    return f"{label}事项" if label else "“三重一大”事项"


# ---- escalation after the meeting (art. 29, 76, 77) ---------------------------------------

PARTY_COMMITTEE = "party_committee"  # the key of decisions.escalation_bodies for the 区委常委会
PEOPLE_CONGRESS = "people_congress"  # … for the 区人民代表大会及其常务委员会


def escalation_bodies(committee_matter: str, congress_matter: str) -> tuple[str, ...]:
    """Where a decided matter goes on (art. 29): to the 区委 when it is one of the matters of
    art. 76(一), to the 区人大 when it is one of art. 77(二); both when both."""
    bodies = []
    if committee_matter:
        bodies.append(PARTY_COMMITTEE)
    if congress_matter:
        bodies.append(PEOPLE_CONGRESS)
    return tuple(bodies)


@dataclass(frozen=True)
class EscalationFacts:
    """会议决定后报请区委或区人大决定（第二十九条、第七十六条、第七十七条）：由谁报送、事先经哪次会议原则同意、属哪一类事项。

    `submitting_unit_kind` is the kind (org.unit_kinds) of the unit that submits it: the 区政府
    submits through its office (decisions.committee_submitting_unit_kinds); a department never
    submits to the 区委 directly. `prior_meeting_type` / `prior_outcome` are the meeting that
    decided the matter and its decision.
    """
    body: str  # a key of decisions.escalation_bodies
    title: str = ""
    dossier_type: str = ""
    submitting_unit: str = ""  # for messages
    submitting_unit_kind: str = ""
    prior_meeting_type: str = ""
    prior_outcome: str = ""
    committee_matter: str = ""  # a key of affairs.party_committee_matters
    congress_matter: str = ""  # a key of decisions.congress_matters


@rule("R29.escalation_body", article=29, topic="decisions.escalation")
def escalation_body(f: EscalationFacts, r: RuleContext):
    """需报请区委决定，或依法需提请区人民代表大会或其常务委员会审议决定的，按照规定办理。"""
    bodies = r.param("decisions.escalation_bodies")
    if f.body not in bodies:
        got = f"“{f.body}”" if f.body else "未填"
        yield r.violation(f"报请决定的机关{got}无效，须为{'、'.join(bodies.values())}之一", field="body")


@rule("R76.no_direct_submission", article=76, topic="decisions.escalation")
def no_direct_submission(f: EscalationFacts, r: RuleContext):
    """区政府有关部门不得直接向区委提交议题：区政府的议题由区政府（办公室）报送区委。"""
    if f.body != PARTY_COMMITTEE:
        return
    if f.submitting_unit_kind not in r.param("decisions.committee_submitting_unit_kinds"):
        who = f.submitting_unit or "该单位"
        yield r.violation(f"区政府有关部门不得直接向区委提交议题：{_what_title(f, r)}须由区政府报送区委，"
                          f"{who}不能直接报送", field="submitting_unit")


@rule("R76.prior_approval", article=76, topic="decisions.escalation")
def prior_approval(f: EscalationFacts, r: RuleContext):
    """区政府提交区委会议讨论的议题，经区政府常务会议或区长办公会议讨论原则同意后报送区委讨论。"""
    if f.body != PARTY_COMMITTEE:
        return
    types = r.param("meetings.types")
    prior = r.param("affairs.party_committee_prior_meetings")
    approving = r.param("decisions.approving_outcomes")
    lead = f"{_what_title(f, r)}须经{'或'.join(types.get(t, t) for t in prior)}讨论原则同意后报送区委"
    if f.prior_meeting_type not in prior:
        got = types.get(f.prior_meeting_type, "") or "未经会议讨论"
        yield r.violation(f"{lead}，现为{got}", field="prior_meeting_type")
    elif f.prior_outcome not in approving:
        got = f"“{f.prior_outcome}”" if f.prior_outcome else "尚未作出决定"
        yield r.violation(f"{lead}，会议决定为{got}", field="prior_outcome")


@rule("R76.committee_matter", article=76, topic="decisions.escalation")
def committee_matter(f: EscalationFacts, r: RuleContext):
    """报区委常委会讨论决定的，须为第七十六条第（一）项所列重大问题之一。"""
    if f.body != PARTY_COMMITTEE:
        return
    matters = r.param("affairs.party_committee_matters")
    if f.committee_matter not in matters:
        got = f"“{f.committee_matter}”" if f.committee_matter else "未注明"
        yield r.violation(f"报区委常委会讨论决定的须为规定的重大问题之一（{'；'.join(matters.values())}），"
                          f"事项类别{got}", field="committee_matter")


@rule("R77.congress_matter", article=77, topic="decisions.escalation")
def congress_matter(f: EscalationFacts, r: RuleContext):
    """提请区人民代表大会及其常委会的，须为需要作出决定决议、听取意见建议或备案的事项，依法按有关要求和程序办理。"""
    if f.body != PEOPLE_CONGRESS:
        return
    matters = r.param("decisions.congress_matters")
    if f.congress_matter not in matters:
        got = f"“{f.congress_matter}”" if f.congress_matter else "未注明"
        yield r.violation(f"提请区人民代表大会及其常委会的须为{'、'.join(matters.values())}之一，事项类别{got}",
                          field="congress_matter")


# ---- art. 76(二), (四): reports to the 区委 and the feedback on what it agreed ---------------

REPORT, FEEDBACK = "report", "feedback"


@dataclass(frozen=True)
class ReportFacts:
    """向区委报告区政府研究决定的事项（第七十六条第（二）项），区委同意事项的落实情况反馈区委（第七十六条第（四）项）。

    `kind` is "report" (76(二)) or "feedback" (76(四)); `content` the report's reference (文号) or
    the feedback on how the matter is carried out; `since` the day it follows (the 区政府's
    decision, or the 区委's agreement); `reported_on` the day it is made. The office reports.
    """
    kind: str
    title: str = ""
    submitting_unit: str = ""  # for messages
    submitting_unit_kind: str = ""  # a key of org.unit_kinds
    content: str = ""
    since: dt.date | None = None
    reported_on: dt.date | None = None


def _report_findings(f: ReportFacts, r: RuleContext, *, what: str, after: str, content_field: str, content: str):
    kinds = r.param("decisions.committee_submitting_unit_kinds")
    if f.submitting_unit_kind not in kinds:
        yield r.violation(f"{_what_title(f, r)}{what}由区政府办公室办理，{f.submitting_unit or '该单位'}不能办理",
                          field="submitting_unit")
    if not _done(f.content):
        yield r.violation(f"{_what_title(f, r)}{what}须注明{content}", field=content_field)
    if f.since is not None and f.reported_on is not None and f.reported_on < f.since:
        yield r.violation(f"{_what_title(f, r)}{what}日期{f.reported_on.isoformat()}早于{after}"
                          f"{f.since.isoformat()}", field="reported_on")


@rule("R76.report", article=76, topic="decisions.report")
def committee_report(f: ReportFacts, r: RuleContext):
    """区政府研究决定，需要向区委报告的事项，由区政府（办公室）在决定后报告区委，留有报告文号。"""
    if f.kind not in (REPORT, FEEDBACK):
        yield r.violation(f"报告类别“{f.kind}”无效，须为 {REPORT}（向区委报告）或 {FEEDBACK}（落实情况反馈）",
                          field="kind")
    elif f.kind == REPORT:
        yield from _report_findings(f, r, what="向区委报告", after="区政府决定日期", content_field="reference",
                                    content="报告文号")


@rule("R76.feedback", article=76, topic="decisions.report")
def committee_feedback(f: ReportFacts, r: RuleContext):
    """经区委讨论同意后，由区政府负责落实，并由区政府办公室将落实情况及时反馈给区委。"""
    if f.kind == FEEDBACK:
        yield from _report_findings(f, r, what="的落实情况反馈区委", after="区委同意日期", content_field="note",
                                    content="落实情况")


topic("decisions.dossier", DossierFacts)
topic("decisions.decision", DecisionFacts)
topic("decisions.escalation", EscalationFacts)
topic("decisions.report", ReportFacts)
