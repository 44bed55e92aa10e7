"""Proactive disclosure (主动公开): art. 33 (以公开为常态、不公开为例外: not disclosing needs its legal
basis, 《政府信息公开条例》 arts. 14-16; published in time, 条例 art. 26), 35 (the decisions of the
全体会议 and 常务会议 and the policies published unless they must be kept secret), 37 and 89 (the
release of important information approved; 保密纪律: a 保密审查 before anything is released), 67
(a normative document published with its 政策解读).

Pure rules over plain facts, built by zhengwu.disclosure.services. Numbers and closed lists are the
book's `disclosure.*` parameters.

Topics and their facts:
    disclosure.attribute   AttributeFacts   art. 33, 35   the 公开属性 of a document or a decision
    disclosure.release     ReleaseFacts     art. 33, 37, 67, 89   releasing a record on the public site
    disclosure.timeliness  TimelinessFacts  art. 33       released within the period (warn)
    disclosure.annual_report AnnualReportFacts art. 33   the year's report: after the year, by 31 March (late: warn)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import topic
from ..registry import RuleContext, rule


@dataclass(frozen=True)
class AttributeFacts:
    """公开属性（第三十三条、第三十五条）。`category`: a key of disclosure.categories; `basis`: a key of
    disclosure.withholding_bases; `meeting_type`: the deciding meeting's type for a decision."""
    category: str
    basis: str = ""
    reason: str = ""
    classified: bool = False
    meeting_type: str = ""


@dataclass(frozen=True)
class ReleaseFacts:
    """发布一条政府信息（第三十三条、第三十七条、第六十七条、第八十九条）。"""
    category: str = "proactive"
    classified: bool = False
    reviewed: bool = False  # 保密审查 passed
    important: bool = False  # 重要工作部署、经济社会发展重要问题、社会关切和敏感问题
    approved: bool = False  # route disclosure.release ended with 同意
    normative: bool = False
    interpretation: str = ""  # 政策解读


@dataclass(frozen=True)
class TimelinessFacts:
    """主动公开是否及时（第三十三条；《政府信息公开条例》第二十六条）。"""
    due_on: dt.date
    released_on: dt.date


@dataclass(frozen=True)
class AnnualReportFacts:
    """政府信息公开工作年度报告的公布（第三十三条；《政府信息公开条例》第四十九条、第五十条）。"""
    year: int
    published_on: dt.date
    due_on: dt.date


def _done(text: str) -> bool:
    return bool((text or "").strip())


@rule("R33.withholding_basis", article=33, topic="disclosure.attribute")
def withholding_basis(f: AttributeFacts, r: RuleContext):
    """不公开为例外：不予公开须有《政府信息公开条例》第十四条、第十五条或第十六条的依据；不主动公开须说明理由；涉密信息不得主动公开。"""
    categories = r.param("disclosure.categories")
    if f.category not in categories:
        yield r.violation(f"公开属性须为{'、'.join(categories.values())}之一", field="category",
                          en=f"The attribute must be one of: {', '.join(r.book.en(c) or c for c in categories.values())}")
        return
    if f.category == "withheld" and f.basis not in r.param("disclosure.withholding_bases"):
        yield r.violation("不予公开须注明《政府信息公开条例》第十四条、第十五条或第十六条的依据", field="basis",
                          en="Withholding needs its basis in art. 14, 15 or 16 of the Regulations on the Disclosure of "
                             "Government Information")
    if f.category != "proactive" and not _done(f.reason):
        yield r.violation("以公开为常态、不公开为例外：不主动公开须说明理由", field="reason",
                          en="Disclosure is the rule and withholding the exception: not disclosing proactively needs a "
                             "reason")
    if f.category == "proactive" and f.classified:
        yield r.violation("涉密信息不得主动公开", field="category", en="Classified information is never disclosed proactively")


@rule("R35.meeting_decisions", article=35, topic="disclosure.attribute")
def meeting_decisions(f: AttributeFacts, r: RuleContext):
    """区政府全体会议和常务会议讨论决定的事项，除需要保密的外，应及时公布：不公布只能是依法不予公开。"""
    if f.meeting_type and f.meeting_type in r.param("disclosure.publish_meeting_types") \
            and f.category == "on_request":
        yield r.violation("全体会议、常务会议决定的事项除需要保密的外应及时公布，不能只依申请公开", field="category",
                          en="Decisions of the plenary and standing meetings are published promptly unless secret, not "
                             "only on request")


@rule("R89.confidentiality_review", article=89, topic="disclosure.release")
def confidentiality_review(f: ReleaseFacts, r: RuleContext):
    """严格遵守保密纪律：只有主动公开、未涉密并经保密审查的信息才能发布。"""
    if f.category != "proactive":
        yield r.violation("只有主动公开的信息才能在政府网站发布", field="category",
                          en="Only proactively disclosed information is released on the government website")
    if f.classified:
        yield r.violation("严禁泄露国家秘密：涉密信息不得发布", field="classified",
                          en="State secrets must never leak: classified information is not released")
    if not f.reviewed:
        yield r.violation("发布前须经保密审查", field="reviewed", en="A confidentiality review comes before release")


@rule("R37.release_approval", article=37, topic="disclosure.release")
def release_approval(f: ReleaseFacts, r: RuleContext):
    """涉及重要工作部署、经济社会发展重要问题、社会关切和敏感问题的信息，须按规定程序报批审定后发布。"""
    if f.important and not f.approved:
        yield r.violation("重要信息须经报批审定后才能发布", field="approved",
                          en="Important information is released only after approval")


@rule("R67.policy_interpretation", article=67, topic="disclosure.release")
def policy_interpretation(f: ReleaseFacts, r: RuleContext):
    """依法应当主动公开的规范性文件，须一并公开政策解读材料。"""
    if f.normative and not _done(f.interpretation):
        yield r.violation("规范性文件须附政策解读材料一并公开", field="interpretation",
                          en="A normative document is published with its policy interpretation")


@rule("R33.in_time", article=33, topic="disclosure.timeliness", severity="warn")
def in_time(f: TimelinessFacts, r: RuleContext):
    """及时公开：主动公开的信息应在公开期限内发布（《政府信息公开条例》第二十六条：20个工作日）。"""
    if f.released_on > f.due_on:
        yield r.warn(f"公开期限为{f.due_on.isoformat()}，已逾期公开", field="released_on",
                     en=f"It was due for release by {f.due_on.isoformat()}; released late")


@rule("R33.annual_report", article=33, topic="disclosure.annual_report")
def annual_report_after_the_year(f: AnnualReportFacts, r: RuleContext):
    """年度报告报告的是上一年度：年度结束后才能公布。"""
    if f.published_on.year <= f.year:
        yield r.violation(f"{f.year}年度尚未结束，次年才能公布该年度的年度报告（《政府信息公开条例》第四十九条）",
                          field="year",
                          en=f"The year {f.year} has not ended: its annual report is published the year after "
                             f"(Regulations on the Disclosure of Government Information, art. 49)")


@rule("R33.annual_report_due", article=33, topic="disclosure.annual_report", severity="warn")
def annual_report_due(f: AnnualReportFacts, r: RuleContext):
    """每年3月31日前向社会公布本级政府上一年度政府信息公开工作年度报告（条例第四十九条）。"""
    if f.published_on > f.due_on:
        yield r.warn(f"{f.year}年度报告应于{f.due_on.isoformat()}前公布，已逾期（《政府信息公开条例》第四十九条）",
                     field="published_on",
                     en=f"The annual report for {f.year} was due by {f.due_on.isoformat()}; it is late (Regulations on "
                        f"the Disclosure of Government Information, art. 49)")


topic("disclosure.attribute", AttributeFacts)
topic("disclosure.release", ReleaseFacts)
topic("disclosure.timeliness", TimelinessFacts)
topic("disclosure.annual_report", AnnualReportFacts)
