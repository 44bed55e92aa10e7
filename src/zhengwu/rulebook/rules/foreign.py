"""Foreign affairs and work style: art. 79 (a department's invitation of a 区政府 leader to a
foreign-affairs event is filed in writing with the office at least 7 working days ahead), 80 (an
outbound visit is approved along the chain of the traveller's rank, no step skipped), 81 (visits
within the national limits; gifts received handed to the 外事办公室), 93 (each leader's yearly
grassroots research and key topics) and 96 (no congratulatory letters or inscriptions; speeches and
articles approved beforehand).

Pure rules over plain facts, built by zhengwu.affairs.foreign.services. Numbers and closed lists are
the book's `foreign_affairs.*`, `research.*` and `speeches.*` parameters.

Topics and their facts:
    foreign.invitation   InvitationFacts     art. 79   an invitation when it is filed
    foreign.visit        VisitFacts          art. 81   a visit when it is applied for
    foreign.visit_chain  VisitChainFacts     art. 80   the approvals of a visit (each step, and before leaving)
    foreign.gift         GiftFacts           art. 81   a gift received (register, tick)
    foreign.research     ResearchYearFacts   art. 93   a leader's year of research (plan, year end)
    foreign.speech       SpeechFacts         art. 96   a speech, article or inscription
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import topic
from ..registry import RuleContext, rule


def _en(r: RuleContext, text) -> str:
    """A name the book gives, in English (its glossary), for the messages in English."""
    return r.book.en(str(text)) or str(text)


@dataclass(frozen=True)
class InvitationFacts:
    """邀请区政府领导同志出席外事活动（第七十九条）。"""
    filed_on: dt.date  # the day the written request reaches the office
    event_on: dt.date
    working_days_ahead: int  # working days in (filed_on, event_on] on the official calendar
    in_writing: bool = True  # 书面形式: the request's text is on record


@dataclass(frozen=True)
class VisitFacts:
    """出国访问的次数、时间、国家数量和团组人数（第八十一条）。"""
    countries: tuple[str, ...] = ()
    days: int = 0  # from leaving China to re-entering, both days counted
    group_size: int = 1
    visits_this_year: int = 0  # the traveller's other visits of the same year (not refused or withdrawn)


@dataclass(frozen=True)
class VisitChainFacts:
    """出国访问的审批链（第八十条）。`steps`: per step of the route, in order, (step label, the approving
    person's id or 0 when the step has not approved, whether that person acted for the step's post
    under art. 15 rather than holding it), including the step being given now."""
    rank: str  # the traveller's post, as the UI says it
    steps: tuple[tuple[str, int, bool], ...] = ()
    leaving: bool = False  # checked before the traveller leaves: every step must have approved


@dataclass(frozen=True)
class GiftFacts:
    """外事活动中接收的礼品（第八十一条）。"""
    value: int  # 元 (whole yuan), at Chinese market prices
    received_on: dt.date  # or the day of return, when received abroad
    checked_on: dt.date  # the day of the check
    handed_on: dt.date | None = None  # handed to the 外事办公室
    due_on: dt.date | None = None  # received_on + the handover period (computed by the service)


@dataclass(frozen=True)
class ResearchYearFacts:
    """区政府领导同志一年的调查研究（第九十三条）。"""
    leader: str
    year: int
    has_plan: bool = False
    topics: int = 0  # key topics (重点课题) in the plan
    grassroots_days: int = 0  # days at the grassroots recorded for the year
    reports: int = 0  # topics with a research report (调研报告)
    year_ended: bool = False  # the check at year end (shortfalls count only then)
    plan_due: bool = False  # the plan's date (research.plan_due_month) has passed


@dataclass(frozen=True)
class SpeechFacts:
    """讲话、文章、贺信贺电题词（第九十六条）。"""
    kind: str  # a key of speeches.kinds
    speaker_is_leader: bool = False  # a 区政府领导同志 (区长, 常务副区长, 副区长)
    needs_approval: bool = True  # a member's personal speech on matters already decided needs none
    approved: bool = False  # the approval (市政府 for a leader, 区政府 for a member) is on record
    delivering: bool = False  # checked when the speech is delivered or the article published


@rule("R79.lead_time", article=79, topic="foreign.invitation")
def invitation_lead_time(f: InvitationFacts, r: RuleContext):
    """各部门邀请区政府领导同志出席外事活动，应提前7个工作日以书面形式报区政府办公室备案。"""
    need = int(r.param("foreign_affairs.invitation_lead_days"))
    if not f.in_writing:
        yield r.violation("邀请区政府领导同志出席外事活动应以书面形式报区政府办公室备案，请填写书面报告内容",
                          field="text", en="An invitation of a district leader to a foreign-affairs event is filed with "
                                           "the district government office in writing: fill in the written request")
    if f.working_days_ahead < need:
        yield r.violation(
            f"邀请区政府领导同志出席外事活动应提前{need}个工作日报区政府办公室备案：{f.filed_on.isoformat()}报备、"
            f"{f.event_on.isoformat()}举行，仅提前{max(f.working_days_ahead, 0)}个工作日", field="event_on",
            en=f"An invitation of a district leader to a foreign-affairs event is filed with the district government "
               f"office {need} working days ahead: filed {f.filed_on.isoformat()} for {f.event_on.isoformat()}, only "
               f"{max(f.working_days_ahead, 0)} working days ahead")


@rule("R81.trip_limits", article=81, topic="foreign.visit")
def trip_limits(f: VisitFacts, r: RuleContext):
    """出国访问次数、时间、国家数量等严格按有关规定执行。"""
    most = int(r.param("foreign_affairs.visit_max_countries"))
    n = len(f.countries)
    if n < 1:
        yield r.violation("出国访问须写明出访国家（地区）", field="countries",
                          en="A visit abroad must name the countries or regions")
    elif n > most:
        yield r.violation(f"一次出访不超过{most}个国家（地区），拟出访{n}个", field="countries",
                          en=f"A visit covers at most {most} countries or regions; this one plans {n}")
    days = r.param("foreign_affairs.visit_max_days")
    limit = days.get(str(min(max(n, 1), most)))
    if limit is not None and f.days > int(limit):
        yield r.violation(f"出访{max(n, 1)}个国家（地区）在外不超过{limit}天，拟在外{f.days}天", field="returns_on",
                          en=f"A visit to {max(n, 1)} countries or regions lasts at most {limit} days; this one plans "
                             f"{f.days}")
    size = int(r.param("foreign_affairs.visit_max_group_size"))
    if f.group_size > size:
        yield r.violation(f"出访团组人数不超过{size}人，拟{f.group_size}人", field="group_size",
                          en=f"A group abroad has at most {size} people; this one plans {f.group_size}")
    per_year = int(r.param("foreign_affairs.visits_per_year"))
    if f.visits_this_year >= per_year:
        yield r.violation(f"每人每年因公出国访问不超过{per_year}次，本年已有{f.visits_this_year}次", field="departs_on",
                          en=f"Each person makes at most {per_year} official visits abroad a year; this year already "
                             f"{f.visits_this_year}")


@rule("R80.chain", article=80, topic="foreign.visit_chain")
def visit_chain(f: VisitChainFacts, r: RuleContext):
    """出国访问按出访人员职务逐级审批，任何一级不得越过：已作出前一级意见的人不能以补位身份代行后一级审批。"""
    chain = "、".join(label for label, _, _ in f.steps)
    chain_en = " → ".join(_en(r, label) for label, _, _ in f.steps)
    given: dict[int, str] = {}
    for label, person, acting in f.steps:
        if person and acting and person in given:
            yield r.violation(f"{f.rank}出国访问须经{chain}逐级审批：已作出“{given[person]}”的同一人不能代行"
                              f"“{label}”，请待本人审批", field="task_id",
                              en=f"A visit abroad by a {_en(r, f.rank)} goes through {chain_en} step by step: the person "
                                 f"who gave “{_en(r, given[person])}” may not also act for “{_en(r, label)}”; wait "
                                 f"for the approver")
            return
        if person:
            given.setdefault(person, label)
    if f.leaving:
        missing = [label for label, person, _ in f.steps if not person]
        if missing:
            yield r.violation(f"{f.rank}出国访问须经{chain}逐级审批，尚缺{'、'.join(missing)}，不能成行",
                              field="visit_id",
                              en=f"A visit abroad by a {_en(r, f.rank)} goes through {chain_en} step by step; still "
                                 f"missing: {', '.join(_en(r, m) for m in missing)}, so it cannot go ahead")


@rule("R81.gift_handover", article=81, topic="foreign.gift")
def gift_handover(f: GiftFacts, r: RuleContext):
    """外事活动中接收的礼品由区政府外事办公室统一管理：须上交的礼品在期限内交外事办公室。"""
    threshold = int(r.param("foreign_affairs.gift_value_threshold"))
    if f.value < threshold or f.due_on is None:
        return
    keeper = r.param("foreign_affairs.gift_custodian")
    if f.handed_on is None and f.checked_on > f.due_on:
        yield r.violation(f"价值{f.value}元的礼品（{threshold}元以上）应于{f.due_on.isoformat()}前交{keeper}统一管理，"
                          "至今未交", field="handed_on",
                          en=f"A gift worth ¥{f.value} (¥{threshold} or more) was to be handed to the {_en(r, keeper)} by "
                             f"{f.due_on.isoformat()}; it has not been handed over")
    elif f.handed_on is not None and f.handed_on > f.due_on:
        yield r.violation(f"价值{f.value}元的礼品应于{f.due_on.isoformat()}前交{keeper}，"
                          f"{f.handed_on.isoformat()}才交，已逾期", field="handed_on",
                          en=f"A gift worth ¥{f.value} was to be handed to the {_en(r, keeper)} by "
                             f"{f.due_on.isoformat()}; it was handed over on {f.handed_on.isoformat()}, late")


@rule("R93.key_topics", article=93, topic="foreign.research")
def key_topics(f: ResearchYearFacts, r: RuleContext):
    """区政府领导同志每年每人确定1至2个重点课题，开展专题调研，撰写调研报告。"""
    span = r.param("research.key_topics_per_year")
    lo, hi = int(span["min"]), int(span["max"])
    if not f.has_plan:
        if f.plan_due or f.year_ended:
            yield r.violation(f"{f.leader}尚未确定{f.year}年度调研计划和重点课题（每年{lo}至{hi}个）", field="plan",
                              en=f"{f.leader} has no research plan and key topics for {f.year} yet ({lo} to {hi} a year)")
        return
    if not lo <= f.topics <= hi:
        yield r.violation(f"{f.leader}{f.year}年度确定了{f.topics}个重点课题，每年每人应确定{lo}至{hi}个", field="topics",
                          en=f"{f.leader} set {f.topics} key topics for {f.year}; each leader sets {lo} to {hi} a year")
    elif f.year_ended and f.reports < f.topics:
        yield r.violation(f"{f.leader}{f.year}年度{f.topics}个重点课题仅{f.reports}个撰写了调研报告", field="reports",
                          en=f"Of {f.leader}'s {f.topics} key topics for {f.year}, only {f.reports} have a research "
                             f"report")


@rule("R93.grassroots", article=93, topic="foreign.research")
def grassroots(f: ResearchYearFacts, r: RuleContext):
    """区政府领导同志每年到基层调研时间1个月以上。"""
    if not f.year_ended:
        return
    months = int(r.param("research.min_months_per_year"))
    need = months * int(r.param("research.days_per_month"))
    if f.grassroots_days < need:
        yield r.violation(f"{f.leader}{f.year}年到基层调研{f.grassroots_days}天，每年应在{months}个月（{need}天）以上",
                          field="grassroots_days",
                          en=f"{f.leader} spent {f.grassroots_days} days at the grassroots in {f.year}; at least "
                             f"{months} month(s) ({need} days) a year are due")


@rule("R96.no_inscriptions", article=96, topic="foreign.speech")
def no_inscriptions(f: SpeechFacts, r: RuleContext):
    """区政府领导同志不为部门和地方的会议活动等发贺信、贺电，不题词、题字、作序。"""
    kinds = r.param("speeches.kinds")
    if f.kind not in kinds:
        yield r.violation(f"种类“{f.kind}”无效，须为{'、'.join(kinds.values())}之一", field="kind",
                          en=f"The kind “{f.kind}” is not valid; it must be one of: "
                             f"{', '.join(_en(r, k) for k in kinds.values())}")
    elif f.speaker_is_leader and f.kind in r.param("speeches.refused_kinds"):
        yield r.violation(f"区政府领导同志不为部门和地方的会议活动等发贺信、贺电，不题词、题字、作序：不受理{kinds[f.kind]}",
                          field="kind",
                          en=f"District leaders send no congratulatory letters or telegrams to departments' and "
                             f"localities' meetings and events, and write no inscriptions or prefaces: "
                             f"{_en(r, kinds[f.kind])} is not accepted")


@rule("R96.prior_approval", article=96, topic="foreign.speech")
def prior_approval(f: SpeechFacts, r: RuleContext):
    """发表讲话或文章事先须按程序报批：区政府领导同志报市政府，其他组成人员报区政府。"""
    if f.delivering and f.needs_approval and not f.approved:
        who = r.param("speeches.leader_approver") if f.speaker_is_leader else "区政府"
        yield r.violation(f"发表讲话或文章事先须按程序报{who}批准，尚未批准", field="speech_id",
                          en=f"A speech or article is approved beforehand by the {_en(r, who)}; it is not approved "
                             f"yet")


topic("foreign.invitation", InvitationFacts)
topic("foreign.visit", VisitFacts)
topic("foreign.visit_chain", VisitChainFacts)
topic("foreign.gift", GiftFacts)
topic("foreign.research", ResearchYearFacts)
topic("foreign.speech", SpeechFacts)
