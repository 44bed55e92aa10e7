"""The supervision ledger (督查台账): art. 40 (problems found by the 监察机关, the courts and
procuratorates and the 审计 oversight are rectified and reported to the 区政府), 45 (rectification of inspection findings with a 长效机制),
47 (a responsible head per unit), 48 (one lead unit, the others co-units), 49 (an item states where
it comes from and what is to be checked) and 50 (supervision in the 区政府's name approved by a
leader; 限期报告 with extensions asked in time; 核查 before 销号).

Pure rules over plain facts, built by zhengwu.supervision.services. Numbers and closed lists are
the book's `supervision.*` parameters.

Topics and their facts:
    supervision.item        ItemFacts        art. 47, 48, 49, 50   an item when it is created or 交办
    supervision.extension   ExtensionFacts   art. 50               a 延期 request
    supervision.completion  CompletionFacts  art. 45               申请办结 by the lead unit
    supervision.closure     ClosureFacts     art. 40, 50           销号 by the 督查指挥中心
    supervision.review      ReviewFacts      art. 50               复核 of a 核查 conclusion (条例 art. 17)
    supervision.accountability  AccountabilityFacts  art. 51       表扬、问责建议 drafted and decided (条例 art. 21)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import topic
from ..registry import RuleContext, rule


@dataclass(frozen=True)
class ItemFacts:
    """督查事项立项与交办（第四十七条至第五十条）。`lead_units` and `co_units` are unit names;
    `heads` maps a unit name to its responsible head's name ("" = none named)."""
    source: str  # a key of supervision.sources
    title: str = ""
    basis: str = ""  # 督查依据
    lead_units: tuple[str, ...] = ()
    co_units: tuple[str, ...] = ()
    heads: tuple[tuple[str, str], ...] = ()
    in_government_name: bool = False  # 以区政府名义开展督促检查
    leader_approved: bool = False  # … approved by the 区政府领导 (route supervision.government_name)
    assigning: bool = False  # checked at 交办 (the approval is needed then, not at 草稿)


@dataclass(frozen=True)
class ExtensionFacts:
    """延期申请（第五十条：限期报告）。"""
    due_on: dt.date
    asked_on: dt.date
    new_due_on: dt.date | None = None
    reason: str = ""


@dataclass(frozen=True)
class CompletionFacts:
    """申请办结（第四十五条：整改并建立长效机制）。"""
    source: str
    mechanism: str = ""  # the 长效机制 built
    report: str = ""  # the completion report


@dataclass(frozen=True)
class ClosureFacts:
    """销号（第五十条：核查复核）。"""
    status: str  # the item's status code
    verified: bool = False  # the 督查指挥中心's 核查 passed
    by_center: bool = False  # the person closing it works in the 督查指挥中心
    source: str = ""  # a key of supervision.sources
    rectification_reported: bool = False  # the lead unit's 整改报告 to the 区政府 is on record (art. 40)


@rule("R49.source", article=49, topic="supervision.item")
def item_source(f: ItemFacts, r: RuleContext):
    sources = r.param("supervision.sources")
    if f.source not in sources:
        yield r.violation(f"督查事项来源“{f.source}”无效，须为{'、'.join(sources.values())}之一", field="source",
                          en=f"The source “{f.source}” is not valid; it must be one of: "
                             f"{', '.join(r.book.en(x) or x for x in sources.values())}")
    if not (f.title or "").strip():
        yield r.violation("督查事项须写明事项名称", field="title", en="A ledger item needs its name")
    if not (f.basis or "").strip():
        yield r.violation("督查事项须写明督促检查的依据和要求", field="basis",
                          en="A ledger item needs the basis and requirements of the supervision")


@rule("R48.one_lead", article=48, topic="supervision.item")
def one_lead(f: ItemFacts, r: RuleContext):
    need = int(r.param("supervision.lead_units"))
    leads = [u for u in f.lead_units if u]
    if len(leads) != need:
        got = "未明确牵头单位" if not leads else f"明确了{len(leads)}个牵头单位（{'、'.join(leads)}）"
        got_en = "no lead unit is named" if not leads else f"{len(leads)} lead units are named ({', '.join(leads)})"
        yield r.violation(f"涉及多部门参与的督查事项由{need}个牵头单位负责、其余单位协办，{got}", field="lead_unit",
                          en=f"An item involving several units has {need} lead unit(s), the others co-operating; "
                             f"{got_en}")
    both = sorted(set(leads) & set(f.co_units))
    if both:
        yield r.violation(f"{'、'.join(both)}不能既是牵头单位又是协办单位", field="co_units",
                          en=f"{', '.join(both)} cannot be both the lead unit and a co-unit")
    if len(set(f.co_units)) != len(f.co_units):
        yield r.violation("协办单位重复", field="co_units", en="A co-unit is named twice")


@rule("R47.responsible_head", article=47, topic="supervision.item")
def responsible_head(f: ItemFacts, r: RuleContext):
    heads = dict(f.heads)
    missing = [u for u in (*f.lead_units, *f.co_units) if u and not heads.get(u)]
    if missing:
        yield r.violation(f"部门主要负责同志是第一责任人：{'、'.join(missing)}未明确责任人", field="units",
                          en=f"A unit's head is the first person responsible: no responsible head named for "
                             f"{', '.join(missing)}")


@rule("R50.government_name", article=50, topic="supervision.item")
def government_name(f: ItemFacts, r: RuleContext):
    if f.assigning and f.in_government_name and not f.leader_approved:
        yield r.violation("以区政府名义开展督促检查活动，须经区政府领导审批后实施，该事项尚未获批",
                          field="in_government_name",
                          en="Supervision in the district government's name needs a district leader's approval first; "
                             "this item is not approved yet")


@rule("R50.extension_in_time", article=50, topic="supervision.extension")
def extension_in_time(f: ExtensionFacts, r: RuleContext):
    if f.asked_on > f.due_on:
        yield r.violation(f"延期须在办理期限（{f.due_on.isoformat()}）届满前申请，{f.asked_on.isoformat()}已逾期，"
                          "不能再申请延期", field="asked_on",
                          en=f"An extension is asked for before the time limit ({f.due_on.isoformat()}) ends; "
                             f"{f.asked_on.isoformat()} is too late")
    if not (f.reason or "").strip():
        yield r.violation("申请延期须说明理由", field="reason", en="An extension needs a reason")
    if f.new_due_on is None:
        yield r.violation("申请延期须提出新的办结日期", field="new_due_on", en="An extension needs the new due date")
    elif f.new_due_on <= f.due_on:
        yield r.violation(f"新的办结日期须晚于原期限{f.due_on.isoformat()}", field="new_due_on",
                          en=f"The new due date must be after {f.due_on.isoformat()}")


@rule("R45.mechanism", article=45, topic="supervision.completion")
def rectification_mechanism(f: CompletionFacts, r: RuleContext):
    if not (f.report or "").strip():
        yield r.violation("申请办结须报告办理情况", field="report", en="Asking to close needs a report of what was done")
    if f.source in r.param("supervision.rectification_sources") and not (f.mechanism or "").strip():
        yield r.violation("巡视、巡察、督查中发现的问题须按要求整改并建立长效机制，申请办结须写明建立的长效机制",
                          field="mechanism",
                          en="Problems found by inspections and supervision are rectified with a long-term mechanism; "
                             "asking to close needs the mechanism set up")


@rule("R50.verify_before_close", article=50, topic="supervision.closure")
def verify_before_close(f: ClosureFacts, r: RuleContext):
    if not f.by_center:
        yield r.violation("督查事项由区督查指挥中心核查后销号", field="actor",
                          en="Ledger items are closed by the supervision centre after it verifies them")
    if not f.verified:
        yield r.violation("督查事项须经区督查指挥中心核查通过后方可销号，该事项尚未核查", field="status",
                          en="A ledger item is closed only after the supervision centre verifies it; this one is not "
                             "verified yet")


@dataclass(frozen=True)
class ReviewFacts:
    """复核（第五十条：核查复核；《政府督查工作条例》第十七条）。"""
    concluded_on: dt.date | None  # the day the 核查 conclusion was made (and received)
    asked_on: dt.date
    reason: str = ""
    deciding: bool = False  # checked when the 复核 is decided
    decider_made_conclusion: bool = False  # the deciding person made the conclusion (must recuse)


@rule("R50.review", article=50, topic="supervision.review")
def review(f: ReviewFacts, r: RuleContext):
    if f.deciding:
        if f.decider_made_conclusion:
            yield r.violation("作出核查结论的人员在复核中应当回避，须由其他人员作出复核决定", field="actor",
                              en="Whoever drew the verification conclusion stands aside from its review; someone else "
                                 "decides")
        return
    days = int(r.param("supervision.review_request_days"))
    if f.concluded_on is None:
        yield r.violation("该事项没有可申请复核的核查结论", field="item_id",
                          en="This item has no verification conclusion to ask a review of")
    elif (f.asked_on - f.concluded_on).days > days:
        yield r.violation(f"对核查结论有异议的，须自收到核查结论之日起{days}日内申请复核，核查结论于"
                          f"{f.concluded_on.isoformat()}作出，已逾期", field="asked_on",
                          en=f"An objection to a verification conclusion is raised within {days} days of receiving it; "
                             f"the conclusion was drawn on {f.concluded_on.isoformat()}: too late")
    if not (f.reason or "").strip():
        yield r.violation("申请复核须说明异议理由", field="reason", en="Asking for a review needs the reason for the objection")


@rule("R40.rectification_report", article=40, topic="supervision.closure")
def rectification_report(f: ClosureFacts, r: RuleContext):
    if f.source in r.param("supervision.report_to_government_sources") and not f.rectification_reported:
        yield r.violation("对监察机关、人民法院、检察院和审计等部门监督中发现的问题，要认真整改并向区政府报告，"
                          "牵头单位尚未向区政府报送整改报告，不能销号", field="rectification_report",
                          en="Problems found by supervisory bodies, courts, procuratorates and audit are rectified and "
                             "reported to the district government; the lead unit has not sent its rectification report, "
                             "so the item cannot be closed")


@dataclass(frozen=True)
class AccountabilityFacts:
    """表扬、问责建议（第五十一条：健全行政问责机制,建立激励担当作为机制；《政府督查工作条例》第二十一条：
    督查机构提出建议，报本级政府行政首长批准）。"""
    kind: str  # a key of supervision.accountability_kinds
    unit: str = ""  # the unit's name
    year: int = 0
    reasons: str = ""
    by_center: bool = False  # drafted by someone of the 区督查指挥中心
    items: int = 0  # the unit's ledger items (as lead unit) of that year
    deciding: bool = False  # checked when the proposal is decided
    decider_is_district_head: bool = False  # the person deciding holds the 区长's post


@rule("R51.proposal", article=51, topic="supervision.accountability")
def accountability_proposal(f: AccountabilityFacts, r: RuleContext):
    if f.deciding:
        return
    kinds = r.param("supervision.accountability_kinds")
    if f.kind not in kinds:
        yield r.violation(f"建议类别须为{'、'.join(kinds.values())}之一", field="kind",
                          en=f"The proposal must be one of: {', '.join(r.book.en(k) or k for k in kinds.values())}")
    if not f.by_center:
        yield r.violation("表扬、问责建议由区督查指挥中心根据督查结果提出", field="actor",
                          en="Praise and accountability are proposed by the supervision centre from the results")
    if not (f.reasons or "").strip():
        yield r.violation("表扬、问责建议须写明事实和理由", field="reasons",
                          en="A praise or accountability proposal needs its facts and reasons")
    if f.items <= 0:
        yield r.violation(f"{f.unit or '该单位'}{f.year}年度没有牵头办理的督查事项，不能据督查结果提出建议", field="unit",
                          en=f"{f.unit or 'The unit'} led no ledger item in {f.year}: there are no results to base a "
                             f"proposal on")


@rule("R51.head_decides", article=51, topic="supervision.accountability")
def head_decides(f: AccountabilityFacts, r: RuleContext):
    if f.deciding and not f.decider_is_district_head:
        yield r.violation("表扬、问责建议须报区长批准，其他人员（包括代行职务的人员）不能作出决定", field="actor",
                          en="Praise and accountability proposals are decided by the district head; nobody else "
                             "(not even someone acting for the head) may decide")


topic("supervision.item", ItemFacts)
topic("supervision.extension", ExtensionFacts)
topic("supervision.completion", CompletionFacts)
topic("supervision.closure", ClosureFacts)
topic("supervision.review", ReviewFacts)
topic("supervision.accountability", AccountabilityFacts)
