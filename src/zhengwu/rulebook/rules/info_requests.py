"""Requests for information (依申请公开) on the statutory clocks of the 政府信息公开条例 (2019), under
art. 33 (以公开为常态、不公开为例外), and the 舆情 register's response clocks (art. 36, 国办发〔2016〕61号).

Pure rules over plain facts, built by zhengwu.disclosure.requests. Every period and closed list is a
dated parameter of the book (`info_requests.*`, `opinion.*`) naming its source.

Topics and their facts:
    info_requests.receipt     ReceiptFacts     art. 33  the day received, by channel (条例 第三十一条)
    info_requests.correction  CorrectionFacts  art. 33  one correction notice within 7 working days (第三十条)
    info_requests.extension   ExtensionFacts   art. 33  one extension, before the due day (第三十三条)
    info_requests.answer      AnswerFacts      art. 33  one of the 7 answers; refusal and part release with a basis (第三十六、三十七条)
    info_requests.deadline    DeadlineFacts    art. 33  a request past its due day (第三十三条)
    info_requests.lapse       LapseFacts       art. 33  no correction within the notice's period: 视为放弃申请 (第三十条)
    opinion.record            OpinionFacts     art. 36  a 舆情 has its level, lead unit and response owner
    opinion.response          ResponseFacts    art. 36  responses within the hours of 国办发〔2016〕61号
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..clocks import due_at
from ..facts import topic
from ..registry import RuleContext, rule

REG = "《政府信息公开条例》"
REG_EN = "Regulations on the Disclosure of Government Information"


@dataclass(frozen=True)
class ReceiptFacts:
    """收到申请之日：提交方式、提交（寄出）之日、登记的收到之日。"""
    channel: str
    submitted_on: dt.date
    received_on: dt.date
    on: dt.date


@dataclass(frozen=True)
class CorrectionFacts:
    """一次性告知补正：此前已告知的次数、收到申请之日起的工作日数。"""
    corrections_before: int
    working_days_since: int  # working days in (received_on, notice day]
    text: str = ""


@dataclass(frozen=True)
class ExtensionFacts:
    """延长答复期限：是否已延长或在审批中、理由、是否在期限届满前提出。"""
    already_extended: bool
    pending: bool
    reason: str
    before_due: bool


@dataclass(frozen=True)
class AnswerFacts:
    """答复：类型（第三十六条）、内容、不予公开的依据，部分公开（第三十七条）。"""
    answer_type: str
    text: str
    basis: str = ""  # a key of info_requests.refusal_bases
    partial: bool = False
    withheld_reason: str = ""


@dataclass(frozen=True)
class DeadlineFacts:
    """答复期限与今天（暂停中的期限为空）。"""
    due_on: dt.date | None
    on: dt.date
    open: bool


@dataclass(frozen=True)
class LapseFacts:
    """补正期限（告知补正时给予的期限）与今天；`correcting`: 仍在等待补正。"""
    correction_due_on: dt.date | None
    on: dt.date
    correcting: bool


@dataclass(frozen=True)
class OpinionFacts:
    """政务舆情登记：来源、级别、牵头部门、回应责任人。"""
    source: str
    level: str
    lead_unit: str
    owner: str


@dataclass(frozen=True)
class ResponseFacts:
    """政务舆情回应：发现时间、级别、已作的回应（方式、时间）、现在。"""
    level: str
    found_at: dt.datetime
    responses: tuple[tuple[str, dt.datetime], ...]
    now: dt.datetime


def _done(text: str) -> bool:
    return bool(text and text.strip())


@rule("R33.receipt_date", article=33, topic="info_requests.receipt")
def receipt_date(f: ReceiptFacts, r: RuleContext):
    """收到申请之日按提交方式确定：当面提交的为提交之日，邮寄的为签收之日，互联网渠道或传真的为双方确认之日。"""
    channels = r.param("info_requests.channels")
    if f.channel not in channels:
        yield r.violation(f"提交方式须为{'、'.join(channels.values())}之一（{REG}第二十九条）", field="channel",
                          en=f"The channel must be one of: {', '.join(r.book.en(c) or c for c in channels.values())} "
                             f"({REG_EN}, art. 29)")
        return
    if f.received_on > f.on:
        yield r.violation("收到申请之日不能晚于今天", field="received_on",
                          en="The day the request was received cannot be later than today")
    day = r.param("info_requests.receipt_day")[f.channel]
    if f.channel == "in_person" and f.received_on != f.submitted_on:
        yield r.violation(f"当面提交的，以{day}为收到申请之日（{REG}第三十一条）", field="received_on",
                          en=f"Handed in in person, the request is received on {r.book.en(day) or day} ({REG_EN}, art. 31)")
    elif f.received_on < f.submitted_on:
        yield r.violation(f"{channels[f.channel]}的，以{day}为收到申请之日，不能早于提交之日（{REG}第三十一条）",
                          field="received_on",
                          en=f"Sent by {r.book.en(channels[f.channel]) or channels[f.channel]}, the request is received "
                             f"on {r.book.en(day) or day}, not before it was submitted ({REG_EN}, art. 31)")


@rule("R33.one_correction", article=33, topic="info_requests.correction")
def one_correction(f: CorrectionFacts, r: RuleContext):
    """申请内容不明确的，一次性告知补正：只告知一次，写明需要补正的事项。"""
    if f.corrections_before > 0:
        yield r.violation(f"已告知过补正，须一次性告知，不能再次要求补正（{REG}第三十条）", field="request_id",
                          en=f"A correction was already asked for: it is asked for once, all at once ({REG_EN}, art. 30)")
    if not _done(f.text):
        yield r.violation(f"补正通知须写明需要补正的事项和合理的补正期限（{REG}第三十条）", field="text",
                          en=f"The notice to correct states what to correct and a reasonable time to do it "
                             f"({REG_EN}, art. 30)")


@rule("R33.correction_window", article=33, topic="info_requests.correction")
def correction_window(f: CorrectionFacts, r: RuleContext):
    """自收到申请之日起7个工作日内告知补正。"""
    days = r.param("info_requests.correction_days")
    if f.working_days_since > days:
        yield r.violation(f"收到申请已{f.working_days_since}个工作日，补正须在{days}个工作日内告知（{REG}第三十条），"
                          "请按申请内容答复", field="request_id",
                          en=f"The request was received {f.working_days_since} working days ago; a correction is asked "
                             f"for within {days} working days ({REG_EN}, art. 30): answer the request as it stands")


@rule("R33.one_extension", article=33, topic="info_requests.extension")
def one_extension(f: ExtensionFacts, r: RuleContext):
    """需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，只延长一次，最长20个工作日。"""
    days = r.param("info_requests.extension_days")
    if f.already_extended:
        yield r.violation(f"答复期限已延长过一次，不能再延长（{REG}第三十三条：延长的期限最长不得超过{days}个工作日）",
                          field="request_id",
                          en=f"The time to answer was extended once already and cannot be extended again ({REG_EN}, "
                             f"art. 33: an extension is at most {days} working days)")
    elif f.pending:
        yield r.violation("延长答复期限已在审批中", field="request_id", en="An extension is already waiting for approval")
    if not f.before_due:
        yield r.violation(f"答复期限已届满，不能再申请延长（{REG}第三十三条）", field="request_id",
                          en=f"The time to answer has run out; no extension can be asked for now ({REG_EN}, art. 33)")
    if not _done(f.reason):
        yield r.violation("延长答复期限须说明理由", field="reason", en="An extension needs a reason")


@rule("R33.answer_type", article=33, topic="info_requests.answer")
def answer_type(f: AnswerFacts, r: RuleContext):
    """答复须为第三十六条的七种之一，写明内容；不予公开的须说明理由并援引法定依据。"""
    types = r.param("info_requests.answer_types")
    if f.answer_type not in types:
        yield r.violation(f"答复类型须为第三十六条规定的七种之一（{REG}第三十六条）", field="answer_type",
                          en=f"The answer must be one of the seven types of art. 36 ({REG_EN}, art. 36)")
        return
    if not _done(f.text):
        yield r.violation(f"答复须写明内容（{REG}第三十六条）", field="text",
                          en=f"The answer needs its content ({REG_EN}, art. 36)")
    if f.answer_type == "refused" and f.basis not in r.param("info_requests.refusal_bases"):
        yield r.violation(f"不予公开的须说明理由并援引第十四条、第十五条或第十六条（{REG}第三十六条第三项）",
                          field="basis",
                          en=f"Withholding gives its reason and cites art. 14, 15 or 16 ({REG_EN}, art. 36(3))")


@rule("R33.partial_release", article=33, topic="info_requests.answer")
def partial_release(f: AnswerFacts, r: RuleContext):
    """能够作区分处理的，提供可以公开的内容，并对不予公开的内容说明理由（第三十七条）。"""
    if not f.partial:
        return
    if f.answer_type != "disclosed":
        yield r.violation(f"部分公开只适用于予以公开的答复（{REG}第三十七条）", field="partial",
                          en=f"Release in part applies only to an answer that releases ({REG_EN}, art. 37)")
        return
    if not _done(f.withheld_reason) or f.basis not in r.param("info_requests.refusal_bases"):
        yield r.violation(f"部分公开的，须对不予公开的内容说明理由并援引法定依据（{REG}第三十七条）",
                          field="withheld_reason",
                          en=f"Released in part, what is withheld needs its reason and legal basis ({REG_EN}, art. 37)")


@rule("R33.answer_deadline", article=33, topic="info_requests.deadline", severity="warn")
def answer_deadline(f: DeadlineFacts, r: RuleContext):
    """自收到申请之日起20个工作日内答复（经同意延长的再20个工作日；征求意见的时间不计算在内）。"""
    if not f.open or f.due_on is None or f.on <= f.due_on:
        return
    yield r.violation(f"政府信息公开申请已逾期{(f.on - f.due_on).days}天未答复（期限{f.due_on.isoformat()}，"
                      f"{REG}第三十三条）", field="due_on",
                      en=f"The request for information is {(f.on - f.due_on).days} day(s) overdue without an answer "
                         f"(due {f.due_on.isoformat()}, {REG_EN}, art. 33)")


@rule("R33.correction_lapsed", article=33, topic="info_requests.lapse", severity="warn")
def correction_lapsed(f: LapseFacts, r: RuleContext):
    """申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理该政府信息公开申请。"""
    if not f.correcting or f.correction_due_on is None or f.on <= f.correction_due_on:
        return
    yield r.violation(f"申请人未在补正期限（{f.correction_due_on.isoformat()}）内补正，视为放弃申请（{REG}第三十条）",
                      field="correction_due_on",
                      en=f"The applicant did not correct the request by {f.correction_due_on.isoformat()}: it is "
                         f"deemed withdrawn ({REG_EN}, art. 30)")


@rule("R36.lead_unit", article=36, topic="opinion.record")
def lead_unit(f: OpinionFacts, r: RuleContext):
    """牵头部门是政务舆情的回应主体：每条舆情登记来源、级别、牵头部门和回应责任人。"""
    if f.source not in r.param("opinion.sources"):
        yield r.violation("舆情来源须从所列来源中选择", field="source", en="The source must be one of those listed")
    if f.level not in r.param("opinion.levels"):
        yield r.violation("舆情级别须为重大或一般", field="level", en="The level must be major or ordinary")
    if not _done(f.lead_unit):
        yield r.violation("须确定舆情回应的牵头部门", field="lead_unit_id", en="A lead department for the response is required")
    if not _done(f.owner):
        yield r.violation("须确定舆情回应责任人", field="owner_id", en="A person responsible for the response is required")


@rule("R36.response_clock", article=36, topic="opinion.response", severity="warn")
def response_clock(f: ResponseFacts, r: RuleContext):
    """重大突发事件舆情5小时内发布权威信息、24小时内举行新闻发布会，其他舆情48小时内回应（国办发〔2016〕61号）。"""
    owed = r.param("opinion.response_hours").get(f.level, {})
    kinds = r.param("opinion.response_kinds")
    done = {}
    for kind, at in f.responses:
        done[kind] = min(at, done.get(kind, at))
    for kind, hours in owed.items():
        due = due_at(f.found_at, hours)
        at = done.get(kind)
        label = kinds.get(kind, kind)
        if at is not None and at > due:
            yield r.violation(f"{label}晚于发现舆情后{hours}小时（应于{due:%Y-%m-%d %H:%M}前，"
                              f"实际{at:%Y-%m-%d %H:%M}；国办发〔2016〕61号）", field=kind,
                              en=f"{(r.book.en(label) or label).capitalize()} came more than {hours} hours after the "
                                 f"event was found (due by {due:%Y-%m-%d %H:%M}, done {at:%Y-%m-%d %H:%M}; "
                                 f"State Council General Office notice 2016 No. 61)")
        elif at is None and f.now > due:
            yield r.violation(f"发现舆情已超过{hours}小时仍未{label}（应于{due:%Y-%m-%d %H:%M}前；国办发〔2016〕61号）",
                              field=kind,
                              en=f"More than {hours} hours since the event was found and still no "
                                 f"{r.book.en(label) or label} (due by {due:%Y-%m-%d %H:%M}; State Council General "
                                 f"Office notice 2016 No. 61)")


topic("info_requests.receipt", ReceiptFacts)
topic("info_requests.correction", CorrectionFacts)
topic("info_requests.extension", ExtensionFacts)
topic("info_requests.answer", AnswerFacts)
topic("info_requests.deadline", DeadlineFacts)
topic("info_requests.lapse", LapseFacts)
topic("opinion.record", OpinionFacts)
topic("opinion.response", ResponseFacts)
