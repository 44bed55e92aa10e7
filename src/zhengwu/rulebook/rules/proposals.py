"""NPC suggestions and CPPCC proposals (建议提案, art. 39): 认真办理人大代表建议和政协委员提案,
加强与代表委员沟通,严格责任,限时办结,主动公开办理结果.

Pure rules over plain facts, built by zhengwu.proposals. Every period and closed list is a
parameter of the book (`proposals.*`), dated, with the law or notice it comes from.

Topics and their facts:
    proposals.sendback     SendbackFacts     art. 39   the lead unit sends back a misassigned item
    proposals.answer       AnswerFacts       art. 39   the answer (contact first, outcome, signer, every proposer)
    proposals.deadline     DeadlineFacts     art. 39   an item past its answer deadline (限时办结)
    proposals.publication  PublicationFacts  art. 39   the answer published, or a reason not to (主动公开)
    proposals.extension    ExtensionFacts    art. 39   a longer period for a complex item, approved

Reading of the text, stated once:
- 加强与代表委员沟通: before an answer the unit records a contact or 面商 with the proposer in the
  round being answered (a second answer needs a contact of its own).
- 限时办结: 3 months from 交办 (代表法 第五十一条), 6 with approval when complex; the second answer
  after an unsatisfied proposer within proposals.second_answer_months of his feedback. Months are
  calendar months (the law's own count), the send-back window and publication working days.
- 主动公开办理结果: published in full within proposals.publish_days working days of the answer,
  unless a reason not to publish is recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import topic
from ..registry import RuleContext, rule


@dataclass(frozen=True)
class SendbackFacts:
    """主办单位退回交办不当的建议提案：自交办之日起的工作日数。"""
    assigned_on: dt.date
    sent_back_on: dt.date
    working_days_since: int  # working days in (assigned_on, sent_back_on]
    reason: str = ""


@dataclass(frozen=True)
class AnswerFacts:
    """答复代表委员：答复前的沟通、办理结果类别、以主办单位名义的答复函（经公文流程由单位主要负责人
    签发并编号）、每位领衔和联名的代表委员。"""
    contacted: bool  # a contact or 面商 recorded in this round
    outcome: str  # a key of proposals.outcomes
    signer_is_unit_head: bool  # the letter was signed by the lead unit's head (or whoever acted for him that day)
    letter_ready: bool = False  # the round's 答复函 (a 函 in the lead unit's name) is signed and numbered
    unanswered_proposers: tuple[str, ...] = ()  # names of joint proposers the reply does not reach
    text: str = ""


@dataclass(frozen=True)
class DeadlineFacts:
    """限时办结：答复期限与今天。"""
    due_on: dt.date | None
    on: dt.date
    answered: bool
    body_label: str = ""


@dataclass(frozen=True)
class PublicationFacts:
    """主动公开办理结果：答复之日起的工作日数，公开日期或不公开的理由。"""
    answered_on: dt.date | None
    published_on: dt.date | None
    withheld_reason: str
    working_days_since: int | None  # working days in (answered_on, published_on or today]


@dataclass(frozen=True)
class ExtensionFacts:
    """涉及面广、处理难度大的，经批准延长答复期限：理由、批准人、新的期限不超过上限。"""
    assigned_on: dt.date
    new_due_on: dt.date
    reason: str
    approved_by_office: bool


def _done(text: str) -> bool:
    return bool(text and text.strip())


@rule("R39.sendback_window", article=39, topic="proposals.sendback")
def sendback_window(f: SendbackFacts, r: RuleContext):
    """交办不当的，主办单位应自交办之日起在规定工作日内申请退回，逾期不予退回。"""
    days = r.param("proposals.sendback_days")
    if f.working_days_since > days:
        yield r.violation(f"交办已超过{days}个工作日（{f.assigned_on.isoformat()}交办），不能再退回，请按时办理",
                          field="reason",
                          en=f"More than {days} working days have passed since it was assigned "
                             f"({f.assigned_on.isoformat()}): it can no longer be sent back; handle it on time")
    if not _done(f.reason):
        yield r.violation("退回须说明理由", field="reason", en="Sending it back needs a reason")


@rule("R39.contact_before_answer", article=39, topic="proposals.answer")
def contact_before_answer(f: AnswerFacts, r: RuleContext):
    """加强与代表委员沟通：答复前须与代表委员联系或面商，并登记。"""
    if not f.contacted:
        yield r.violation("答复前须先与代表委员联系或面商，并登记沟通情况", field="contact",
                          en="Before answering, contact or meet the deputies or members and record how")


@rule("R39.answer_content", article=39, topic="proposals.answer")
def answer_content(f: AnswerFacts, r: RuleContext):
    """答复须写明办理结果类别，以答复函答复（以承办单位名义，经公文流程由其主要负责人签发并编号），
    每位领衔和联名的代表委员都须答复。"""
    outcomes = r.param("proposals.outcomes")
    if f.outcome not in outcomes:
        yield r.violation(f"办理结果须为{'、'.join(outcomes.values())}之一", field="outcome",
                          en=f"The outcome must be one of: {', '.join(r.book.en(o) or o for o in outcomes.values())}")
    if not f.letter_ready:
        yield r.violation("答复须以主办单位名义的答复函作出，答复函须经本单位主要负责人签发并编发文字号", field="letter",
                          en="The answer is a reply letter in the lead unit's name, signed by its head and numbered")
    elif not f.signer_is_unit_head:
        yield r.violation("答复函须由主办单位主要负责人（或依规代行其职务者）签发", field="signer",
                          en="The reply letter is signed by the lead unit's head (or whoever acts for the head)")
    elif not _done(f.text):
        yield r.violation("答复函正文不能为空", field="text", en="The reply letter's text cannot be empty")
    if f.unanswered_proposers:
        yield r.violation(f"答复须送达每位代表委员，尚未答复：{'、'.join(f.unanswered_proposers)}",
                          field="proposers",
                          en=f"The answer goes to every deputy or member; not yet answered: "
                             f"{', '.join(f.unanswered_proposers)}")


@rule("R39.answer_deadline", article=39, topic="proposals.deadline", severity="warn")
def answer_deadline(f: DeadlineFacts, r: RuleContext):
    """限时办结：自交办之日起三个月内答复（复杂的经批准六个月）；逾期的提醒并督办。"""
    if f.due_on is None or f.answered or f.on <= f.due_on:
        return
    late = (f.on - f.due_on).days
    yield r.violation(f"{f.body_label or '建议提案'}已逾期{late}天未答复（期限{f.due_on.isoformat()}）", field="due_on",
                      en=f"{(r.book.en(f.body_label) or f.body_label) if f.body_label else 'The proposal'} is {late} "
                         f"day(s) overdue without an answer (due {f.due_on.isoformat()})")


@rule("R39.publish_results", article=39, topic="proposals.publication", severity="warn")
def publish_results(f: PublicationFacts, r: RuleContext):
    """主动公开办理结果：答复后在规定工作日内全文公开（去除联系方式），不公开的须登记理由。"""
    if f.answered_on is None or _done(f.withheld_reason) or f.working_days_since is None:
        return
    days = r.param("proposals.publish_days")
    if f.working_days_since > days:
        if f.published_on is None:
            yield r.violation(f"办理结果答复已超过{days}个工作日未公开，也未登记不公开的理由", field="published_on",
                              en=f"The answer has gone unpublished for more than {days} working days, with no reason "
                                 f"recorded for not publishing it")
        else:
            yield r.violation(f"办理结果晚于答复后{days}个工作日公开", field="published_on",
                              en=f"The result was published more than {days} working days after the answer")


@rule("R39.extension", article=39, topic="proposals.extension")
def extension(f: ExtensionFacts, r: RuleContext):
    """涉及面广、处理难度大的，经批准可自交办之日起六个月内答复。"""
    from .meetings import add_months

    months = r.param("proposals.complex_answer_months")
    if not _done(f.reason):
        yield r.violation("延期须说明涉及面广、处理难度大的理由", field="reason",
                          en="An extension needs a reason: the matter is wide-ranging or hard to handle")
    if not f.approved_by_office:
        yield r.violation("延期须经区政府办公室批准", field="approved_by",
                          en="An extension needs the district government office's approval")
    limit = add_months(f.assigned_on, months)
    if f.new_due_on > limit:
        yield r.violation(f"答复期限最长为自交办之日起{months}个月（{limit.isoformat()}）", field="new_due_on",
                          en=f"The answer is due at most {months} months after assignment ({limit.isoformat()})")


topic("proposals.sendback", SendbackFacts)
topic("proposals.answer", AnswerFacts)
topic("proposals.deadline", DeadlineFacts)
topic("proposals.publication", PublicationFacts)
topic("proposals.extension", ExtensionFacts)
