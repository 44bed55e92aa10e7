"""The 信访 register (art. 43: 属地管理、分级负责,谁主管、谁负责; leaders receive visitors and read
important letters) and public consultations on major matters (art. 42: 建议征集, 重大问题要向社会公布处理结果).

Pure rules over plain facts, built by zhengwu.disclosure.petitions.services. The clocks come from
the 《信访工作条例》 (2022; before 2022-05-01 the 《信访条例》 of 2005, with the same periods) and the
《重大行政决策程序暂行条例》 art. 15; they are the book's `petitions.*` and `consultations.*`
parameters. Periods in 日 are calendar days; the services compute the dates (a period ending on a
rest day ends on the next working day, 民法典 第二百零三条) and the facts carry them.

Topics and their facts:
    petitions.routing       RoutingFacts       art. 43   转送/交办 by locality or competence, in time, with a written notice
    petitions.objection     ObjectionFacts     art. 43   a unit's objection to a transfer (working days)
    petitions.handling      HandlingFacts      art. 43   办理 within 60 days (+ an approved extension)
    petitions.extension     ExtensionFacts     art. 43   延期: once, at most 30 days, with a reason, before the due date
    petitions.opinion       OpinionFacts       art. 43   the 处理意见书's required content
    petitions.review        ReviewFacts        art. 43   复查 / 复核 asked within 30 days of the written answer
    consultations.window    WindowFacts        art. 42   the public comment window (30 days for a major decision)
    consultations.results   ResultsFacts       art. 42   results published after the window, with how comments were taken
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import topic
from ..registry import RuleContext, rule


@dataclass(frozen=True)
class RoutingFacts:
    """转送、交办（第四十三条：属地管理、分级负责,谁主管、谁负责）。`route_due_on` and `notice_due_on`
    are the last days of the 15-day periods; `routed_on` / `noticed_on` the days done (None: not yet),
    checked as of `as_of`."""
    as_of: dt.date
    route_due_on: dt.date
    notice_due_on: dt.date
    routed_on: dt.date | None = None
    noticed_on: dt.date | None = None
    basis: str = ""  # locality / competence
    unit_kind: str = ""  # the org kind of the unit the case goes to
    unit: str = ""  # its name


@dataclass(frozen=True)
class ObjectionFacts:
    """承办单位对转送、交办的异议。`workdays_since` = working days from receipt to the objection."""
    workdays_since: int
    reason: str = ""


@dataclass(frozen=True)
class HandlingFacts:
    """办理期限（60日，经批准可延长一次）。"""
    as_of: dt.date
    due_on: dt.date
    answered_on: dt.date | None = None
    extended: bool = False


@dataclass(frozen=True)
class ExtensionFacts:
    """延长办理期限。"""
    asked_on: dt.date
    due_on: dt.date
    days: int = 0
    reason: str = ""
    extensions_before: int = 0  # extensions already asked (approved, pending or refused)


@dataclass(frozen=True)
class OpinionFacts:
    """信访处理意见书：查明的事实、依据、处理意见、请求复查的权利。"""
    facts: str = ""
    basis: str = ""
    conclusion: str = ""
    review_right: str = ""


@dataclass(frozen=True)
class ReviewFacts:
    """复查（level "review"）或复核（"recheck"）请求：`answered_on` is the day the written answer
    being contested was received (处理意见书 for 复查, 复查意见 for 复核); None: there is none."""
    level: str
    asked_on: dt.date
    answered_on: dt.date | None = None
    reason: str = ""


@dataclass(frozen=True)
class WindowFacts:
    """公开征求意见期限（both days counted: opens_on .. closes_on）。"""
    opens_on: dt.date
    closes_on: dt.date
    major: bool = True  # a 重大行政决策 (at least consultations.min_days_major days)


@dataclass(frozen=True)
class ResultsFacts:
    """向社会公布征求意见结果。"""
    published_on: dt.date
    closes_on: dt.date
    summary: str = ""  # 意见汇总
    adoption: str = ""  # 采纳情况及理由


def _late(done: dt.date | None, due: dt.date, on: dt.date) -> int:
    """Days late (0: in time): the day done, or today while not done."""
    return max(0, ((done or on) - due).days)


@rule("R43.locality", article=43, topic="petitions.routing")
def locality(f: RoutingFacts, r: RuleContext):
    kinds = r.param("petitions.locality_unit_kinds")
    if f.routed_on is None:
        return
    if f.basis not in ("locality", "competence"):
        yield r.violation("转送、交办须写明依据：属地管理或谁主管、谁负责", field="basis",
                          en="Routing needs its basis: by locality, or by competence (whoever is in charge is "
                             "responsible)")
    elif f.basis == "locality" and f.unit_kind not in kinds:
        yield r.violation(f"按属地管理转送的，承办单位须为乡镇、街道或场区，{f.unit}不是", field="unit_id",
                          en=f"Routed by locality, the handling unit must be a township, street or farm district; "
                             f"{f.unit} is not")
    elif f.basis == "competence" and f.unit_kind in kinds:
        yield r.violation(f"{f.unit}是属地单位，按属地管理转送，不是按职责（谁主管、谁负责）", field="basis",
                          en=f"{f.unit} is a local unit: route to it by locality, not by competence")


@rule("R43.route_in_time", article=43, topic="petitions.routing", severity="warn")
def route_in_time(f: RoutingFacts, r: RuleContext):
    late = _late(f.routed_on, f.route_due_on, f.as_of)
    if late:
        days = r.param("petitions.route_days")
        yield r.violation(f"信访事项须自登记之日起{days}日内转送、交办（{f.route_due_on.isoformat()}前），"
                          f"已逾期{late}日", field="routed_on",
                          en=f"A petition is routed within {days} days of registration (by "
                             f"{f.route_due_on.isoformat()}); {late} day(s) late")


@rule("R43.notice_in_time", article=43, topic="petitions.routing", severity="warn")
def notice_in_time(f: RoutingFacts, r: RuleContext):
    late = _late(f.noticed_on, f.notice_due_on, f.as_of)
    if late:
        days = r.param("petitions.notice_days")
        yield r.violation(f"须自登记之日起{days}日内书面告知信访人（{f.notice_due_on.isoformat()}前），"
                          f"已逾期{late}日", field="noticed_on",
                          en=f"The petitioner is told in writing within {days} days of registration (by "
                             f"{f.notice_due_on.isoformat()}); {late} day(s) late")


@rule("R43.objection_in_time", article=43, topic="petitions.objection")
def objection_in_time(f: ObjectionFacts, r: RuleContext):
    days = int(r.param("petitions.objection_workdays"))
    if f.workdays_since > days:
        yield r.violation(f"对转送、交办有异议的，须自收到之日起{days}个工作日内提出，已过{f.workdays_since}个工作日",
                          field="objected_on",
                          en=f"An objection to routing is raised within {days} working days of receiving it; "
                             f"{f.workdays_since} working days have passed")
    if not (f.reason or "").strip():
        yield r.violation("对转送、交办提出异议须说明理由（不属于本单位职责或属地的依据）", field="reason",
                          en="An objection to routing needs its reason (why it is not this unit's competence or "
                             "locality)")


@rule("R43.handle_in_time", article=43, topic="petitions.handling", severity="warn")
def handle_in_time(f: HandlingFacts, r: RuleContext):
    late = _late(f.answered_on, f.due_on, f.as_of)
    if late:
        days = r.param("petitions.handle_days")
        extra = "（已延期）" if f.extended else ""
        yield r.violation(f"信访事项须自受理之日起{days}日内办结{extra}，期限{f.due_on.isoformat()}，已逾期{late}日",
                          field="due_on",
                          en=f"A petition is concluded within {days} days of acceptance{' (extended)' if f.extended else ''}; "
                             f"due {f.due_on.isoformat()}, {late} day(s) late")


@rule("R43.extension", article=43, topic="petitions.extension")
def extension(f: ExtensionFacts, r: RuleContext):
    most = int(r.param("petitions.extension_days"))
    if f.extensions_before:
        yield r.violation("办理期限只能延长一次，该事项已申请过延期", field="petition_id",
                          en="The time limit is extended once only; this case already asked for an extension")
    if not 1 <= f.days <= most:
        yield r.violation(f"延长期限不得超过{most}日（申请{f.days}日）", field="days",
                          en=f"An extension is at most {most} days ({f.days} asked for)")
    if not (f.reason or "").strip():
        yield r.violation("延长办理期限须说明理由（情况复杂），并告知信访人", field="reason",
                          en="An extension needs its reason (a complex case), and the petitioner is told")
    if f.asked_on > f.due_on:
        yield r.violation(f"延期须在办理期限（{f.due_on.isoformat()}）届满前申请", field="asked_on",
                          en=f"An extension is asked for before the time limit ({f.due_on.isoformat()}) ends")


@rule("R43.opinion_content", article=43, topic="petitions.opinion")
def opinion_content(f: OpinionFacts, r: RuleContext):
    for key, label in r.param("petitions.opinion_fields").items():
        if not (getattr(f, key, "") or "").strip():
            yield r.violation(f"信访处理意见书须载明{label}", field=key,
                              en=f"The written answer must state: {r.book.en(label) or label}")


@rule("R43.review_in_time", article=43, topic="petitions.review")
def review_in_time(f: ReviewFacts, r: RuleContext):
    what = "复查" if f.level == "review" else "复核"
    answer = "处理意见书" if f.level == "review" else "复查意见"
    what_en = "a review" if f.level == "review" else "a re-examination"
    answer_en = "written answer" if f.level == "review" else "review opinion"
    if f.level not in ("review", "recheck"):
        yield r.violation("请求须为复查或复核", field="level", en="The request must be for a review or a re-examination")
        return
    if f.answered_on is None:
        yield r.violation(f"没有可请求{what}的{answer}", field="petition_id",
                          en=f"There is no {answer_en} to ask {what_en} of")
        return
    days = int(r.param("petitions.review_request_days"))
    if (f.asked_on - f.answered_on).days > days:
        yield r.violation(f"请求{what}须自收到{answer}之日起{days}日内提出（{answer}{f.answered_on.isoformat()}）",
                          field="asked_on",
                          en=f"{what_en.capitalize()} is asked for within {days} days of receiving the {answer_en} "
                             f"({f.answered_on.isoformat()})")
    if not (f.reason or "").strip():
        yield r.violation(f"请求{what}须说明不服的理由", field="reason",
                          en=f"Asking for {what_en} needs the reason for disagreeing")


@rule("R42.comment_window", article=42, topic="consultations.window")
def comment_window(f: WindowFacts, r: RuleContext):
    days = (f.closes_on - f.opens_on).days + 1
    need = int(r.param("consultations.min_days_major" if f.major else "consultations.min_days_other"))
    if f.closes_on < f.opens_on:
        yield r.violation("征求意见截止日期须晚于开始日期", field="closes_on",
                          en="The consultation must close after it opens")
    elif days < need:
        what = "重大行政决策" if f.major else "该事项"
        yield r.violation(f"{what}公开征求意见的期限不少于{need}日，所定期限只有{days}日", field="closes_on",
                          en=f"{'A major administrative decision' if f.major else 'This matter'} is open for public "
                             f"comment at least {need} days; this period is only {days}")


@rule("R42.results", article=42, topic="consultations.results")
def results(f: ResultsFacts, r: RuleContext):
    if f.published_on <= f.closes_on:
        yield r.violation(f"征求意见期限至{f.closes_on.isoformat()}届满，期满后方可公布结果", field="published_on",
                          en=f"The consultation runs until {f.closes_on.isoformat()}; the results are published after")
    if not (f.summary or "").strip():
        yield r.violation("公布结果须附意见汇总", field="summary", en="The results come with a summary of the comments")
    if not (f.adoption or "").strip():
        yield r.violation("公布结果须说明意见采纳情况及理由", field="adoption",
                          en="The results say which comments were taken and why")


topic("petitions.routing", RoutingFacts)
topic("petitions.objection", ObjectionFacts)
topic("petitions.handling", HandlingFacts)
topic("petitions.extension", ExtensionFacts)
topic("petitions.opinion", OpinionFacts)
topic("petitions.review", ReviewFacts)
topic("consultations.window", WindowFacts)
topic("consultations.results", ResultsFacts)
