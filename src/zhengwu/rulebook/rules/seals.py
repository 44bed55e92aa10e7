"""印信管理 (chapter 17): art. 82 (seals and introduction letters in one named custodian's care,
never entrusted to another, kept locked), 83 (seal use: the approval card's chain and fields, no
stamp on blank paper, a seal taken out only with the 办公室主任's signature and carried by the
custodian and the user together) and 84 (introduction letters: serving staff only unless the
办公室主任 instructs, approved by the 分管领导 or the 主要领导, a blank letter only with the
办公室主任's approval, a validity date).

Pure rules over plain facts, built by zhengwu.seals.services. Lists and titles are the book's
`seals.*` and `letters.*` parameters.

Topics and their facts:
    seals.seal      SealFacts      art. 82   a seal entered in the register (or its custodian changed)
    seals.card      CardFacts      art. 83   a seal-use card (用印审批单) when it is filled in
    seals.stamp     StampFacts     art. 82, 83   the stamping itself (用印)
    seals.take_out  TakeOutFacts   art. 83   a seal checked out of the office (带出)
    letters.letter  LetterFacts    art. 82, 84   an introduction letter when it is issued (开具)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import topic
from ..registry import RuleContext, rule


@dataclass(frozen=True)
class SealFacts:
    """印章登记（第八十二条）。`custodians`: the names of the people in whose care it is."""
    name: str
    custodians: tuple[str, ...] = ()
    kept_locked: bool = False
    custodian_in_unit: bool = True  # the custodian serves in the unit that owns the seal


@dataclass(frozen=True)
class CardFacts:
    """用印审批单（第八十三条第二项）。`filled`: the keys of seals.card_required_fields filled in."""
    filled: tuple[str, ...] = ()
    copies: int = 0


@dataclass(frozen=True)
class StampFacts:
    """用印（第八十二条、第八十三条）。`approved_steps`: the route's steps signed 同意;
    `chain`: the route's steps in order (labels), `chain_steps` their ids."""
    government_seal: bool
    chain_steps: tuple[str, ...] = ()
    chain: tuple[str, ...] = ()
    approved_steps: tuple[str, ...] = ()
    content: str = ""
    copies: int = 0
    with_document: bool = False
    document_signed: bool = False  # 已签发
    document_numbered: bool = False  # 已编发文字号
    document_unchanged: bool = True  # the version stamped is the one the card names
    by_custodian: bool = True  # the seal's own custodian stamps (不准委托他人代管)
    kept_locked: bool = True


@dataclass(frozen=True)
class TakeOutFacts:
    """印章带出（第八十三条第三项）。"""
    director_signed: bool = False
    custodian: str = ""
    user: str = ""
    distinct: bool = True  # the custodian and the user are two different people
    custodian_is_keeper: bool = True  # the custodian named is the seal's registered custodian
    purpose: str = ""
    requesting: bool = False  # asked for: the director's signature is what the request waits for


@dataclass(frozen=True)
class LetterFacts:
    """介绍信开具（第八十四条）。"""
    bearer: str
    bearer_serving: bool = True  # 在职职工
    important: bool = False
    blank: bool = False
    director_approved: bool = False  # 办公室主任批示／批准
    deputy_approved: bool = False  # 分管领导审批
    head_approved: bool = False  # 主要领导审批
    issued_on: dt.date | None = None
    valid_until: dt.date | None = None
    by_custodian: bool = True


# ---- art. 82 ----------------------------------------------------------------------------------

@rule("R82.custodian", article=82, topic="seals.seal")
def seal_custodian(f: SealFacts, r: RuleContext):
    need = int(r.param("seals.custodians_per_seal"))
    named = [c for c in f.custodians if (c or "").strip()]
    if len(named) != need:
        got = "未指定保管人" if not named else f"指定了{len(named)}名保管人（{'、'.join(named)}）"
        got_en = "no custodian is named" if not named else f"{len(named)} custodians are named ({', '.join(named)})"
        yield r.violation(f"印章“{f.name}”须由{need}名专人负责保管，不准委托他人代管，{got}", field="custodian",
                          en=f"The seal “{f.name}” is kept by {need} named custodian(s), never entrusted to others; "
                             f"{got_en}")
    elif not f.custodian_in_unit:
        yield r.violation(f"印章“{f.name}”的保管人须为本单位在岗人员", field="custodian",
                          en=f"The custodian of the seal “{f.name}” must be serving staff of the unit")
    if not f.kept_locked:
        yield r.violation(f"印章“{f.name}”须加锁保存", field="kept_locked",
                          en=f"The seal “{f.name}” must be kept locked")


@rule("R82.custodian_stamps", article=82, topic="seals.stamp")
def custodian_stamps(f: StampFacts, r: RuleContext):
    if not f.by_custodian:
        yield r.violation("印章由保管人专人负责用印，不准委托他人代管", field="actor",
                          en="Only the seal's custodian stamps with it, never someone entrusted")
    if not f.kept_locked:
        yield r.violation("印章须加锁保存，未加锁保存的印章不能用印", field="seal",
                          en="Seals are kept locked; a seal not kept locked cannot be used")


# ---- art. 83 ----------------------------------------------------------------------------------

@rule("R83.card_fields", article=83, topic="seals.card")
def card_fields(f: CardFacts, r: RuleContext):
    for key, label in r.param("seals.card_required_fields").items():
        if key == "approver":  # 审批人: signed by the route's chain (R83.approval_chain at 用印)
            continue
        if key not in f.filled or (key == "copies" and f.copies < 1):
            yield r.violation(f"用印审批单须准确填写{label}", field=key,
                              en=f"The seal-use card must state: {r.book.en(label) or label}")


@rule("R83.approval_chain", article=83, topic="seals.stamp")
def approval_chain(f: StampFacts, r: RuleContext):
    missing = [label for sid, label in zip(f.chain_steps, f.chain) if sid not in f.approved_steps]
    if missing:
        who = "部门主要负责人、分管副区长、区长" if f.government_seal else "科室负责人、分管领导、主要领导"
        yield r.violation(f"{'区政府公章' if f.government_seal else '部门印章'}使用须经{who}审批签字后方可使用，"
                          f"尚缺：{'、'.join(missing)}", field="approval",
                          en=f"{'The district government seal' if f.government_seal else 'A department seal'} is used "
                             f"only after {'the department head, the deputy district head in charge and the district head' if f.government_seal else 'the section head, the leader in charge and the unit head'} "
                             f"have signed; still missing: {', '.join(r.book.en(m) or m for m in missing)}")


@rule("R83.no_blank_paper", article=83, topic="seals.stamp")
def no_blank_paper(f: StampFacts, r: RuleContext):
    if not (f.content or "").strip() and not f.with_document:
        yield r.violation("严禁在空白纸上加盖印章：用印须写明用章内容或所用公文", field="content",
                          en="Never stamp blank paper: state what is stamped or the document")
    if f.copies < 1:
        yield r.violation("用印须写明份数", field="copies", en="State the number of copies")
    if f.with_document:
        if not (f.document_signed and f.document_numbered):
            yield r.violation("公文须经签发并编发文字号后方可用印", field="document",
                              en="A document is stamped only once it is signed and numbered")
        elif not f.document_unchanged:
            yield r.violation("公文在审批后已改动，用印须针对审批时的版本", field="document",
                              en="The document changed after approval: stamp the version approved")


@rule("R83.take_out", article=83, topic="seals.take_out")
def take_out(f: TakeOutFacts, r: RuleContext):
    if not (f.purpose or "").strip():
        yield r.violation("印章带出使用，应事先在印章使用登记表中载明事项", field="purpose",
                          en="Taking a seal out needs the matter recorded on the seal-use register beforehand")
    if not f.director_signed and not f.requesting:
        yield r.violation("印章带出使用须经办公室主任签字批准", field="approval",
                          en="Taking a seal out needs the office director's signature")
    named = {"custodian": f.custodian, "user": f.user}
    roles = list(r.param("seals.take_out_carriers"))  # 保管人和用印人
    if any(not (named.get(role) or "").strip() for role in roles) or not f.distinct:
        yield r.violation("印章带出须由保管人和用印人两人共同携带使用", field="user",
                          en="A seal taken out is carried by two people together: its custodian and its user")
    elif not f.custodian_is_keeper:
        yield r.violation("共同携带的保管人须为该印章登记的保管人", field="custodian",
                          en="The custodian carrying it must be the seal's registered custodian")


# ---- art. 84 ----------------------------------------------------------------------------------

@rule("R84.serving_staff", article=84, topic="letters.letter")
def serving_staff(f: LetterFacts, r: RuleContext):
    if not f.bearer_serving and not f.director_approved:
        yield r.violation(f"介绍信仅限在职职工公出、工作等用，{f.bearer}不是在职职工，须经办公室主任批示",
                          field="bearer",
                          en=f"Introduction letters are for serving staff on official business; {f.bearer} is not "
                             f"serving staff and needs the office director's instruction")


@rule("R84.approval", article=84, topic="letters.letter")
def letter_approval(f: LetterFacts, r: RuleContext):
    if f.important and not f.head_approved:
        yield r.violation("重要事宜的介绍信须由主要领导审批", field="important",
                          en="A letter for an important matter is approved by the unit head")
    elif not f.important and not (f.deputy_approved or f.head_approved):
        yield r.violation("介绍信开具须经审批：一般事宜由分管领导审批", field="approval",
                          en="A letter is issued only when approved: by the leader in charge for an ordinary matter")


@rule("R84.blank", article=84, topic="letters.letter")
def blank_letter(f: LetterFacts, r: RuleContext):
    if f.blank and not f.director_approved:
        yield r.violation("原则上不准许开空白介绍信，特殊情况须由办公室主任批准", field="blank",
                          en="Blank letters are not issued in principle; in special circumstances the office director "
                             "approves")


@rule("R84.validity", article=84, topic="letters.letter")
def validity(f: LetterFacts, r: RuleContext):
    if f.valid_until is None:
        yield r.violation("介绍信须注明有效期", field="valid_until", en="A letter states how long it is valid")
    elif f.issued_on is not None and f.valid_until < f.issued_on:
        yield r.violation("介绍信的有效期不能早于开具日期", field="valid_until",
                          en="A letter cannot expire before the day it is issued")


@rule("R82.letter_custodian", article=82, topic="letters.letter")
def letter_custodian(f: LetterFacts, r: RuleContext):
    if not f.by_custodian:
        yield r.violation("介绍信由专人负责开具，不准委托他人代管", field="actor",
                          en="Letters are issued by the person in charge of them, never by someone entrusted")


topic("seals.seal", SealFacts)
topic("seals.card", CardFacts)
topic("seals.stamp", StampFacts)
topic("seals.take_out", TakeOutFacts)
topic("letters.letter", LetterFacts)
