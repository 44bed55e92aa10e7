"""印信 services (the only writers; each checks who acts, validates its input naming the field,
runs the rules, writes and audits in one transaction):

- seal_register / seal_impression / seal_retire   the register of seals (R82.custodian)
- card_create            a 用印审批单 (R83.card_fields), its approval started at once: the 区政府公章
                         on route seal.government, a department's seal on seal.department
- on_card_finished / on_card_returned   the chain's end (in the engine's transaction)
- card_stamp             用印 by the custodian, once (R82.custodian_stamps, R83.approval_chain,
                         R83.no_blank_paper), bound to the document version's hash and the copies
- take_out_request / take_out_check_out / take_out_return   带出 (route seal.take_out, R83.take_out)
- letter_book_create     an issuing unit's letter book in one custodian's care (R82.custodian)
- letter_request         a 介绍信 asked for: route letter.ordinary / letter.important, or, for a
                         blank letter or a non-staff bearer, letter.blank / letter.non_staff
- letter_issue / letter_return   开具 (R84.*: a gapless stub number per book and year) and the
                         unused letter returned to its stub
- letters_archive        stubs archived the following year (letters.stub_archive_years_after)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Conflict, Forbidden, Refused, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import declare, note_exercised, starts
from zhengwu.rulebook.rules.seals import CardFacts, LetterFacts, SealFacts, StampFacts, TakeOutFacts
from zhengwu.security.admins import refuse_business
from zhengwu.textcheck import date_field, text_field
from zhengwu.transitions import set_once, transition
from zhengwu.workflow import notify
from zhengwu.workflow import services as wf

from . import access
from .access import CARD, LETTER, TAKE_OUT
from .models import Letter, LetterBook, LetterCounter, Seal, SealCard, SealTakeOut

GOVERNMENT_ROUTE, DEPARTMENT_ROUTE, TAKE_OUT_ROUTE = starts("seal.government", "seal.department", "seal.take_out")
ORDINARY, IMPORTANT, BLANK, NON_STAFF = starts("letter.ordinary", "letter.important", "letter.blank",
                                               "letter.non_staff")
STUB_ARCHIVE = declare("W84.stub_archive", article=84, kind="register", summary="介绍信存根由开具单位保存，翌年归档")
SEAL_REGISTER = declare("W82.seal_register", article=82, kind="register",
                        summary="印章登记簿：专人保管、加锁保存、印模、刻制和停用日期")
USE_REGISTER = declare("W83.use_register", article=83, kind="register", summary="用印登记簿（可导出Excel）")
DIRECTOR_STEPS = ("director_approve", "director_instruct")
IMPRESSION_TYPES = ("png", "jpg")
MAX_TEXT = 2000
C, T, L = SealCard.Status, SealTakeOut.Status, Letter.Status


# ---- helpers -----------------------------------------------------------------------------------

def _text(value, field: str, label: str, *, required: bool = True, single_line: bool = False,
          max_len: int = MAX_TEXT) -> str:
    return text_field(value, field, label, required=required, single_line=single_line, max_len=max_len)


_date = date_field


def _person(actor: Person, value, field: str, label: str, *, required: bool = True) -> Person | None:
    if value in (None, ""):
        if required:
            raise Refused(f"请填写{label}", field=field)
        return None
    if isinstance(value, Person):
        value = value.pk
    pk = id_field(value, field, label)
    person = Person.objects.filter(pk=pk, government_id=actor.government_id, is_active=True).first()
    if person is None:
        raise Refused(f"{label}{pk}不存在", field=field)
    return person


def _unit(actor: Person, value, field: str) -> Unit:
    pk = id_field(value, field, "单位")
    unit = Unit.objects.filter(pk=pk, government_id=actor.government_id, active=True).first()
    if unit is None:
        raise Refused(f"单位{pk}不存在", field=field)
    return unit


def _serves_in(person: Person, unit: Unit, on: dt.date) -> bool:
    return unit.pk in access.own_unit_ids(person, on)


def _audit(actor, obj_type: str, obj, action: str, ref: str, summary: str, *, before=None, after=None, on=None):
    audit_append(actor=actor, action=action, obj_type=obj_type, obj_id=str(obj.pk), before=before, after=after,
                 article=rules.article_of(ref, on), summary=summary)


def _approved_steps(approval, on: dt.date) -> list[str]:
    """The steps of `approval` signed with an approving choice, in order."""
    from zhengwu.workflow.models import Task

    if approval is None:
        return []
    done = approval.tasks.filter(kind=Task.Kind.STEP, status=Task.Status.DONE).order_by("id")
    return [t.step_id for t in done if rules.approves(t.decision, on)]


def _refused_steps(approval, on: dt.date) -> list[str]:
    from zhengwu.workflow.models import Task

    done = approval.tasks.filter(kind=Task.Kind.STEP, status=Task.Status.DONE)
    return [t.step_id for t in done if t.choices and not rules.approves(t.decision, on)]


def _chain(route_id: str, on: dt.date) -> list[tuple[str, str]]:
    route = rules.book(on).route(route_id)
    return [(s.id, s.label or s.action) for stage in route.stages for s in stage.steps]


def _last_signer(approval):
    from zhengwu.workflow.models import Task

    last = approval.tasks.filter(kind=Task.Kind.STEP, status=Task.Status.DONE).order_by("-id").first()
    return last.completed_by if last else None


# ---- the register of seals (art. 82) ------------------------------------------------------------

def _seal_facts(name: str, custodian: Person | None, kept_locked: bool, unit: Unit, on: dt.date) -> SealFacts:
    return SealFacts(name=name, custodians=(str(custodian),) if custodian else (), kept_locked=bool(kept_locked),
                     custodian_in_unit=custodian is None or _serves_in(custodian, unit, on))


def _require_keeper_of(actor: Person, unit: Unit, on: dt.date) -> None:
    """The register is kept by the office; a unit's 主要负责人 registers his unit's own seals and book."""
    head = org.unit_head(unit, on)
    if not (access.is_office(actor, on) or (head is not None and head.pk == actor.pk)):
        raise Forbidden("印章和介绍信簿由区政府办公室或本单位主要负责人登记")


def seal_register(*, actor: Person, unit_id, kind: str, name, custodian_id, kept_locked: bool = True,
                  storage: str = "", cut_on=None, on: dt.date | None = None) -> Seal:
    """Enter a seal in the register: its owner unit (the 区政府公章 is the office's), one named
    custodian serving in that unit, kept locked (R82.custodian), the date it was cut."""
    refuse_business(actor)
    on = on or rules.today()
    unit = _unit(actor, unit_id, "unit_id")
    _require_keeper_of(actor, unit, on)
    if kind not in Seal.Kind.values:
        raise Refused(f"印章类别须为{'、'.join(Seal.Kind.labels)}之一", field="kind")
    if kind == Seal.Kind.GOVERNMENT and unit.kind != "gov_office":
        raise Refused("区政府公章由区政府办公室保管", field="unit_id")
    name = _text(name, "name", "印章名称", single_line=True, max_len=100)
    storage = _text(storage, "storage", "保管地点", required=False, single_line=True, max_len=100)
    custodian = _person(actor, custodian_id, "custodian_id", "保管人")
    cut = _date(cut_on, "cut_on", "刻制日期")
    if cut is None:
        raise Refused("请填写刻制日期", field="cut_on")
    if cut > on:
        raise Refused("刻制日期不能晚于今天", field="cut_on")
    if not isinstance(kept_locked, bool):
        raise Refused("请说明是否加锁保存", field="kept_locked")
    rules.enforce("seals.seal", _seal_facts(name, custodian, kept_locked, unit, on), on=on)
    with transaction.atomic():
        seal = Seal.objects.create(government_id=actor.government_id, unit=unit, kind=kind, name=name,
                                   custodian=custodian, kept_locked=kept_locked, storage=storage, cut_on=cut,
                                   created_by=actor)
        note_exercised(SEAL_REGISTER)
        _audit(actor, "seals.seal", seal, "seals.seal.register", "R82.custodian", f"登记印章：{name}（保管人{custodian}）",
               on=on, after={"unit": unit.pk, "kind": kind, "custodian": custodian.pk, "kept_locked": kept_locked,
                             "cut_on": cut.isoformat()})
    return seal


def seal_impression(*, actor: Person, seal_id, name: str, data, on: dt.date | None = None) -> Seal:
    """The seal's impression image (印模), PNG or JPEG, stored like a document attachment: outside the
    web root under its SHA-256 (type from the content, within attachments.max_bytes)."""
    from zhengwu.documents import attachments

    refuse_business(actor)
    on = on or rules.today()
    seal = access.seal_visible(actor, seal_id, on=on)
    _require_keeper_of(actor, seal.unit, on)
    name = attachments.clean_name(name)
    incoming = attachments._Incoming(data, attachments.max_bytes(on))
    try:
        if incoming.size == 0:
            raise Refused(f"“{name}”是空文件，请选择印模图片", field="file")
        found = attachments.sniff(incoming.file)
        if found.kind not in IMPRESSION_TYPES:
            raise Refused(f"印模须为PNG或JPEG图片，“{name}”实际是{found.label}", field="file")
        incoming.keep()
    except BaseException:
        incoming.discard()
        raise
    with transaction.atomic():
        before = {"sha256": seal.impression_sha256}
        transition(seal, expect=[Seal.Status.ACTIVE], impression_name=name, impression_type=found.mime,
                   impression_size=incoming.size, impression_sha256=incoming.sha256, field="seal_id")
        _audit(actor, "seals.seal", seal, "seals.seal.impression", "R82.custodian",
               f"上传印模：{seal.name}（SHA-256 {incoming.sha256}）", on=on, before=before,
               after={"sha256": incoming.sha256, "size": incoming.size, "name": name})
    return seal


def open_impression(seal: Seal):
    """The impression's stored file, checked against its SHA-256 (documents.attachments.open_verified)."""
    from types import SimpleNamespace

    from zhengwu.documents import attachments

    return attachments.open_verified(SimpleNamespace(pk=seal.pk, document_id=f"seal:{seal.pk}",
                                                     sha256=seal.impression_sha256, size=seal.impression_size))


def seal_retire(*, actor: Person, seal_id, retired_on=None, on: dt.date | None = None) -> Seal:
    refuse_business(actor)
    on = on or rules.today()
    seal = access.seal_visible(actor, seal_id, on=on)
    _require_keeper_of(actor, seal.unit, on)
    day = _date(retired_on, "retired_on", "停用日期") or on
    if day < seal.cut_on:
        raise Refused("停用日期不能早于刻制日期", field="retired_on")
    with transaction.atomic():
        transition(seal, expect=[Seal.Status.ACTIVE], to=Seal.Status.RETIRED, retired_on=day, field="seal_id")
        _audit(actor, "seals.seal", seal, "seals.seal.retire", "R82.custodian", f"停用印章：{seal.name}", on=on,
               after={"retired_on": day.isoformat()})
    return seal


# ---- seal-use cards (art. 83) ------------------------------------------------------------------

def document_fingerprint(doc) -> str:
    """The SHA-256 of a document version as signed and numbered: its number, title, body, signer,
    signing date and its attachments' checksums."""
    payload = {"id": doc.pk, "number": doc.doc_number, "title": doc.title, "body": doc.body,
               "signer": doc.signer_id, "signed_on": doc.signed_on.isoformat() if doc.signed_on else "",
               "attachments": sorted(doc.attachments.values_list("sha256", flat=True))}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _signed_and_numbered(doc) -> tuple[bool, bool]:
    from zhengwu.documents.models import Document

    return doc.status in (Document.Status.SIGNED, Document.Status.ISSUED), bool(doc.doc_number)


def card_create(*, actor: Person, seal_id, use_date, content, copies, user_id, handler_id=None, unit_id=None,
                document_id=None, on: dt.date | None = None) -> SealCard:
    """Fill in a 用印审批单 and send it up its chain: every field required (R83.card_fields); the
    区政府公章 by a department (部门主要负责人 → 分管副区长 → 区长), a department's own seal by its
    科室 (科室负责人 → 分管领导 → 主要领导)."""
    refuse_business(actor)
    on = on or rules.today()
    seal = access.seal_visible(actor, seal_id, on=on)
    if seal.status != Seal.Status.ACTIVE:
        raise Refused(f"印章“{seal.name}”已停用", field="seal_id")
    mine = access.own_unit_ids(actor, on)
    if unit_id not in (None, ""):
        unit = _unit(actor, unit_id, "unit_id")
    elif seal.kind == Seal.Kind.DEPARTMENT:
        unit = seal.unit
    else:
        unit = Unit.objects.filter(pk__in=mine).order_by("order", "id").first()
        if unit is None:
            raise Forbidden("只有在岗人员可以为本单位填写用印审批单")
    if unit.pk not in mine:
        raise Forbidden("只能为本单位填写用印审批单")
    if seal.kind == Seal.Kind.DEPARTMENT and unit.pk != seal.unit_id:
        raise Forbidden(f"“{seal.name}”是{seal.unit.name}的印章，由本单位经办科室填写登记表")
    day = _date(use_date, "use_date", "用章日期")
    content = _text(content, "content", "用章内容", required=False)
    if copies in (None, ""):
        copies = 0
    try:
        copies = int(copies)
    except (TypeError, ValueError):
        raise Refused("份数须为整数", field="copies") from None
    if copies < 0 or copies > 10000:
        raise Refused("份数须为1至10000", field="copies")
    handler = _person(actor, handler_id or actor.pk, "handler_id", "经手人")
    user = _person(actor, user_id, "user_id", "用章人", required=False)
    doc = None
    if document_id not in (None, ""):
        from zhengwu.documents import access as doc_access

        doc = doc_access.document_visible(actor, document_id, on=on)
        content = content or f"《{doc.title}》{doc.doc_number}".strip()
    filled = tuple(k for k, v in (("use_date", day), ("content", content), ("copies", copies),
                                  ("handler", handler), ("user_name", user)) if v)
    rules.enforce("seals.card", CardFacts(filled=filled, copies=copies), on=on)
    route_id = GOVERNMENT_ROUTE if seal.kind == Seal.Kind.GOVERNMENT else DEPARTMENT_ROUTE
    fingerprint = ""
    if doc is not None and all(_signed_and_numbered(doc)):
        fingerprint = document_fingerprint(doc)
    with transaction.atomic():
        card = SealCard.objects.create(government_id=actor.government_id, seal=seal, unit=unit, use_date=day,
                                       content=content, copies=copies, handler=handler, user=user, document=doc,
                                       document_sha256=fingerprint, route_id=route_id, created_by=actor)
        title = rules.param("seals.government_card_title" if seal.kind == Seal.Kind.GOVERNMENT
                            else "seals.department_register_title", on)
        approval = wf.approval_start(actor=actor, route_id=route_id, obj_type=CARD, obj_id=str(card.pk),
                                     title=f"{title}：{unit.name}（{content[:40]}，{copies}份）",
                                     applicant_unit=unit, on=on)
        transition(card, expect=[C.PENDING], approval=approval)
        _audit(actor, CARD, card, "seals.card.create", "R83.card_fields",
               f"填写用印审批单：{seal.name}（{content[:40]}，{copies}份）", on=on,
               after={"seal": seal.pk, "unit": unit.pk, "use_date": day.isoformat(), "copies": copies,
                      "handler": handler.pk, "user": user.pk, "document": doc.pk if doc else None,
                      "route": route_id, "approval": approval.pk})
    return card


def _card_of(approval) -> SealCard | None:
    return SealCard.objects.select_related("seal", "seal__custodian").filter(pk=int(approval.obj_id)).first()


def on_card_finished(approval, actor, on) -> None:
    """The chain's end: granted only when every step of it signed 同意 (R83.approval_chain)."""
    card = _card_of(approval)
    if card is None:
        return
    chain = [sid for sid, _ in _chain(card.route_id, on)]
    approved = _approved_steps(approval, on)
    granted = all(s in approved for s in chain) and not _refused_steps(approval, on)
    if granted:
        transition(card, expect=[C.PENDING], to=C.APPROVED, versioned=False, approver=_last_signer(approval),
                   approved_on=on, field="card_id")
        for person in {card.seal.custodian, card.handler, card.created_by}:
            notify.send(person=person, kind="info", title=f"用印审批单已批准，可用印：{card.seal.name}",
                        msg="seals.card_approved", params={"title": card.seal.name},
                        body=card.content[:200], link=f"/seals/cards/{card.pk}/", key=f"seals:card-ok:{card.pk}:{person.pk}")
    else:
        transition(card, expect=[C.PENDING], to=C.REFUSED, versioned=False, field="card_id")
        notify.send(person=card.created_by, kind="info", title=f"用印审批单未获批准：{card.seal.name}",
                    msg="seals.card_refused", params={"title": card.seal.name},
                    body=card.content[:200], link=f"/seals/cards/{card.pk}/", key=f"seals:card-no:{card.pk}")
    _audit(actor, CARD, card, "seals.card.approve" if granted else "seals.card.refuse", card.route_id,
           f"用印审批{'批准' if granted else '未批准'}：{card.seal.name}（{card.content[:40]}）", on=on,
           after={"status": card.status, "approved_steps": approved})


def on_card_returned(approval, task, actor, on) -> None:
    card = _card_of(approval)
    if card is None:
        return
    transition(card, expect=[C.PENDING], to=C.RETURNED, versioned=False, reason=task.opinion, field="card_id")
    _audit(actor, CARD, card, "seals.card.return", card.route_id, f"退回用印审批单：{task.opinion[:60]}", on=on,
           after={"status": card.status, "reason": task.opinion})


def card_stamp(*, actor: Person, card_id, copies=None, version: int | None = None,
               on: dt.date | None = None) -> SealCard:
    """用印: by the seal's custodian, once, on an approved card (the whole chain signed), never on blank
    paper; a 公文 only after it is signed and numbered, the stamp bound to that version's hash and to
    the copies the card names."""
    refuse_business(actor)
    on = on or rules.today()
    card = access.card_visible(actor, card_id, on=on)
    seal = card.seal
    if copies in (None, ""):
        copies = card.copies
    try:
        copies = int(copies)
    except (TypeError, ValueError):
        raise Refused("用印份数须为整数", field="copies") from None
    if copies != card.copies:
        raise Refused(f"用印份数须与审批单一致（{card.copies}份）", field="copies")
    if version is not None and version != card.version:
        raise Conflict("用印审批单已被他人修改，请刷新后再办理", field="card_id")
    doc, signed, numbered, fingerprint, unchanged = card.document, False, False, "", True
    if doc is not None:
        signed, numbered = _signed_and_numbered(doc)
        if signed and numbered:
            fingerprint = document_fingerprint(doc)
            unchanged = not card.document_sha256 or card.document_sha256 == fingerprint
    chain = _chain(card.route_id, on)
    approved = _approved_steps(card.approval, on) if card.approval_id else []
    facts = StampFacts(government_seal=seal.kind == Seal.Kind.GOVERNMENT, chain_steps=tuple(s for s, _ in chain),
                       chain=tuple(label for _, label in chain), approved_steps=tuple(approved),
                       content=card.content, copies=copies, with_document=doc is not None, document_signed=signed,
                       document_numbered=numbered, document_unchanged=unchanged,
                       by_custodian=actor.pk == seal.custodian_id, kept_locked=seal.kept_locked)
    rules.enforce("seals.stamp", facts, on=on)
    if seal.status != Seal.Status.ACTIVE:
        raise Refused(f"印章“{seal.name}”已停用", field="seal_id")
    with transaction.atomic():
        transition(card, expect=[C.APPROVED], to=C.STAMPED, stamped_at=timezone.now(), stamped_on=on,
                   stamped_by=actor, stamped_copies=copies, document_sha256=fingerprint or card.document_sha256,
                   field="card_id",
                   message=lambda now: f"该用印审批单{now.get_status_display() if now else '不存在'}，不能再用印")
        note_exercised(USE_REGISTER)
        _audit(actor, CARD, card, "seals.card.stamp", "R83.no_blank_paper",
               f"用印：{seal.name}（{card.content[:40]}，{copies}份）", on=on, before={"status": C.APPROVED},
               after={"status": C.STAMPED, "copies": copies, "document": doc.pk if doc else None,
                      "document_sha256": card.document_sha256})
    return card


# ---- taking a seal out (art. 83 (三)) -------------------------------------------------------------

def _take_out_facts(t: SealTakeOut | None, seal: Seal, custodian: Person | None, user: Person | None, purpose: str,
                    *, requesting: bool = False) -> TakeOutFacts:
    return TakeOutFacts(director_signed=bool(t and t.signed_by_id and t.status in (T.APPROVED, T.OUT)),
                        custodian=str(custodian or ""), user=str(user or ""),
                        distinct=custodian is None or user is None or custodian.pk != user.pk,
                        custodian_is_keeper=custodian is not None and custodian.pk == seal.custodian_id,
                        purpose=purpose, requesting=requesting)


def take_out_request(*, actor: Person, seal_id, purpose, user_id, on: dt.date | None = None) -> SealTakeOut:
    """The matter stated beforehand in the register, for the 办公室主任's signature (seal.take_out);
    the seal is carried by its custodian and the user together — two people."""
    refuse_business(actor)
    on = on or rules.today()
    seal = access.seal_visible(actor, seal_id, on=on)
    if seal.status != Seal.Status.ACTIVE:
        raise Refused(f"印章“{seal.name}”已停用", field="seal_id")
    purpose = _text(purpose, "purpose", "带出事项", required=False)
    user = _person(actor, user_id, "user_id", "用印人", required=False)
    rules.enforce("seals.take_out", _take_out_facts(None, seal, seal.custodian, user, purpose, requesting=True), on=on)
    with transaction.atomic():
        t = SealTakeOut.objects.create(seal=seal, purpose=purpose, custodian=seal.custodian, user=user,
                                       created_by=actor)
        approval = wf.approval_start(actor=actor, route_id=TAKE_OUT_ROUTE, obj_type=TAKE_OUT, obj_id=str(t.pk),
                                     title=f"印章带出：{seal.name}（{purpose[:40]}）", applicant_unit=seal.unit, on=on)
        transition(t, expect=[T.PENDING], approval=approval)
        _audit(actor, TAKE_OUT, t, "seals.take_out.request", "R83.take_out", f"申请带出印章：{seal.name}", on=on,
               after={"seal": seal.pk, "custodian": seal.custodian_id, "user": user.pk, "purpose": purpose,
                      "approval": approval.pk})
    return t


def _take_out_of(approval) -> SealTakeOut | None:
    return SealTakeOut.objects.select_related("seal").filter(pk=int(approval.obj_id)).first()


def on_take_out_finished(approval, actor, on) -> None:
    t = _take_out_of(approval)
    if t is None:
        return
    granted = bool(_approved_steps(approval, on)) and not _refused_steps(approval, on)
    if granted:
        transition(t, expect=[T.PENDING], to=T.APPROVED, versioned=False, signed_by=_last_signer(approval),
                   signed_on=on, field="take_out_id")
    else:
        transition(t, expect=[T.PENDING], to=T.REFUSED, versioned=False, field="take_out_id")
    for person in {t.custodian, t.user}:
        notify.send(person=person, kind="info", title=f"印章带出{'已批准' if granted else '未获批准'}：{t.seal.name}",
                    msg="seals.take_out_approved" if granted else "seals.take_out_refused", params={"title": t.seal.name},
                    body=t.purpose[:200], link=f"/seals/take-outs/{t.pk}/", key=f"seals:take-out:{t.pk}:{person.pk}")
    _audit(actor, TAKE_OUT, t, "seals.take_out.sign", TAKE_OUT_ROUTE,
           f"办公室主任{'签字同意' if granted else '不同意'}印章带出：{t.seal.name}", on=on, after={"status": t.status})


def on_take_out_returned(approval, task, actor, on) -> None:
    t = _take_out_of(approval)
    if t is not None:
        transition(t, expect=[T.PENDING], to=T.RETURNED, versioned=False, field="take_out_id")
        _audit(actor, TAKE_OUT, t, "seals.take_out.sign", TAKE_OUT_ROUTE, f"退回印章带出申请：{task.opinion[:60]}",
               on=on, after={"status": t.status})


def take_out_check_out(*, actor: Person, take_out_id, on: dt.date | None = None) -> SealTakeOut:
    """带出: only after the 办公室主任 signed, by the custodian with the user (two people), timestamped,
    due back within seals.take_out_return_hours."""
    refuse_business(actor)
    on = on or rules.today()
    t = access.take_out_visible(actor, take_out_id, on=on)
    if actor.pk not in (t.custodian_id, t.user_id):
        raise Forbidden("印章由保管人和用印人共同携带，只有他们可以登记带出")
    rules.enforce("seals.take_out", _take_out_facts(t, t.seal, t.custodian, t.user, t.purpose), on=on)
    now = timezone.now()
    due = now + dt.timedelta(hours=int(rules.param("seals.take_out_return_hours", on)))
    with transaction.atomic():
        try:
            with transaction.atomic():
                transition(t, expect=[T.APPROVED], to=T.OUT, checked_out_at=now, due_back_at=due,
                           field="take_out_id")
        except IntegrityError:
            raise Conflict(f"印章“{t.seal.name}”已被带出，尚未归还", field="seal_id") from None
        _audit(actor, TAKE_OUT, t, "seals.take_out.check_out", "R83.take_out",
               f"印章带出：{t.seal.name}（保管人{t.custodian}、用印人{t.user}）", on=on,
               after={"checked_out_at": now.isoformat(), "due_back_at": due.isoformat()})
    return t


def take_out_return(*, actor: Person, take_out_id, on: dt.date | None = None) -> SealTakeOut:
    refuse_business(actor)
    on = on or rules.today()
    t = access.take_out_visible(actor, take_out_id, on=on)
    if actor.pk not in (t.custodian_id, t.user_id):
        raise Forbidden("只有保管人或用印人可以登记归还")
    now = timezone.now()
    with transaction.atomic():
        transition(t, expect=[T.OUT], to=T.BACK, returned_at=now, field="take_out_id")
        _audit(actor, TAKE_OUT, t, "seals.take_out.return", "R83.take_out", f"印章归还：{t.seal.name}", on=on,
               after={"returned_at": now.isoformat(), "late": bool(t.due_back_at and now > t.due_back_at)})
    return t


# ---- introduction letters (art. 84) -------------------------------------------------------------

def letter_book_create(*, actor: Person, unit_id, custodian_id, kept_locked: bool = True,
                       on: dt.date | None = None) -> LetterBook:
    refuse_business(actor)
    on = on or rules.today()
    unit = _unit(actor, unit_id, "unit_id")
    _require_keeper_of(actor, unit, on)
    custodian = _person(actor, custodian_id, "custodian_id", "保管人")
    rules.enforce("seals.seal", _seal_facts(f"{unit.name}介绍信", custodian, kept_locked, unit, on), on=on)
    with transaction.atomic():
        try:
            with transaction.atomic():
                book = LetterBook.objects.create(government_id=actor.government_id, unit=unit, custodian=custodian,
                                                 kept_locked=bool(kept_locked), created_by=actor)
        except IntegrityError:
            raise Conflict(f"{unit.name}已有介绍信簿", field="unit_id") from None
        _audit(actor, LETTER, book, "seals.letter_book.create", "R82.custodian",
               f"建立介绍信簿：{unit.name}（保管人{custodian}）", on=on,
               after={"unit": unit.pk, "custodian": custodian.pk})
    return book


def _route_for(important: bool, blank: bool, serving: bool) -> str:
    if blank:
        return BLANK
    if not serving:
        return NON_STAFF
    return IMPORTANT if important else ORDINARY


def letter_request(*, actor: Person, book_id, valid_until, bearer_id=None, bearer_name: str = "", addressee="",
                   matter="", important: bool = False, blank: bool = False, reason: str = "",
                   on: dt.date | None = None) -> Letter:
    """Ask for an introduction letter (填写《介绍信登记表》): an ordinary matter goes to the 分管领导
    (letter.ordinary), an important one to the 主要领导 (letter.important); a blank letter
    (letter.blank) or one for someone who is not serving staff (letter.non_staff) first needs the
    办公室主任, with the special reason stated."""
    refuse_business(actor)
    on = on or rules.today()
    book = access.book_visible(actor, book_id, on=on)
    if not (access.is_office(actor, on) or _serves_in(actor, book.unit, on)):
        raise Forbidden(f"只有{book.unit.name}的人员可以申请开具本单位介绍信")
    if not isinstance(important, bool) or not isinstance(blank, bool):
        raise Refused("请说明是否重要事宜、是否空白介绍信", field="important")
    bearer = _person(actor, bearer_id, "bearer_id", "持信人", required=False)
    name = str(bearer) if bearer else _text(bearer_name, "bearer_name", "持信人姓名", single_line=True, max_len=40)
    serving = bearer is not None and _serves_in(bearer, book.unit, on)
    addressee = _text(addressee, "addressee", "致（单位）", required=not blank, single_line=True, max_len=100)
    matter = _text(matter, "matter", "事由", required=not blank)
    reason = _text(reason, "reason", "特殊情况说明", required=blank or not serving)
    until = _date(valid_until, "valid_until", "有效期")
    if until is None:
        raise Refused("介绍信须注明有效期", field="valid_until")
    if until < on:
        raise Refused("有效期不能早于今天", field="valid_until")
    route_id = _route_for(important, blank, serving)
    with transaction.atomic():
        letter = Letter.objects.create(book=book, year=on.year, bearer=bearer, bearer_name=name, bearer_serving=serving,
                                       addressee=addressee, matter=matter, important=important, blank=blank,
                                       reason=reason, valid_until=until, route_id=route_id, created_by=actor)
        approval = _start_letter_approval(actor, letter, route_id, on)
        _audit(actor, LETTER, letter, "seals.letter.request", route_id,
               f"申请开具介绍信：{name}{'（空白）' if blank else '：' + matter[:40]}", on=on,
               after={"book": book.pk, "bearer": bearer.pk if bearer else None, "serving": serving,
                      "important": important, "blank": blank, "valid_until": until.isoformat(), "route": route_id,
                      "approval": approval.pk})
    return letter


def _start_letter_approval(actor: Person, letter: Letter, route_id: str, on: dt.date):
    title = rules.param("letters.register_title", on)
    what = "空白介绍信" if letter.blank else (letter.matter[:40] or "介绍信")
    approval = wf.approval_start(actor=actor, route_id=route_id, obj_type=LETTER, obj_id=str(letter.pk),
                                 title=f"{title}：{letter.bearer_name}（{what}）", applicant_unit=letter.book.unit, on=on)
    transition(letter, expect=[L.PENDING], approval=approval, route_id=route_id, versioned=False)
    return approval


def _letter_of(approval) -> Letter | None:
    return Letter.objects.select_related("book", "book__unit", "book__custodian").filter(pk=int(approval.obj_id)).first()


def on_letter_finished(approval, actor, on) -> None:
    """The route's end: every step signed 同意 grants it; an important matter on a special route then
    goes on to the 主要领导 (letter.important)."""
    letter = _letter_of(approval)
    if letter is None:
        return
    approved = [*letter.approved_steps, *(s for s in _approved_steps(approval, on) if s not in letter.approved_steps)]
    granted = not _refused_steps(approval, on)
    if granted and letter.important and approval.route_id != IMPORTANT and "head_approve" not in approved:
        transition(letter, expect=[L.PENDING], approved_steps=approved, versioned=False)
        _start_letter_approval(letter.created_by, letter, IMPORTANT, on)
        return
    if granted:
        transition(letter, expect=[L.PENDING], to=L.APPROVED, approved_steps=approved, versioned=False,
                   field="letter_id")
        notify.send(person=letter.book.custodian, kind="info", title=f"介绍信已批准，请开具：{letter.bearer_name}",
                    msg="seals.letter_to_issue", params={"title": letter.bearer_name},
                    link=f"/seals/letters/{letter.pk}/", key=f"seals:letter-ok:{letter.pk}")
    else:
        transition(letter, expect=[L.PENDING], to=L.REFUSED, approved_steps=approved, versioned=False,
                   field="letter_id")
    notify.send(person=letter.created_by, kind="info", title=f"介绍信{'已批准' if granted else '未获批准'}：{letter.bearer_name}",
                msg="seals.letter_approved" if granted else "seals.letter_refused", params={"title": letter.bearer_name},
                link=f"/seals/letters/{letter.pk}/", key=f"seals:letter-done:{letter.pk}")
    _audit(actor, LETTER, letter, "seals.letter.approve", approval.route_id,
           f"介绍信审批{'同意' if granted else '不同意'}：{letter.bearer_name}", on=on,
           after={"status": letter.status, "approved_steps": approved})


def on_letter_returned(approval, task, actor, on) -> None:
    letter = _letter_of(approval)
    if letter is not None:
        transition(letter, expect=[L.PENDING], to=L.SENT_BACK, versioned=False, field="letter_id")
        _audit(actor, LETTER, letter, "seals.letter.approve", approval.route_id,
               f"退回介绍信申请：{task.opinion[:60]}", on=on, after={"status": letter.status})


def _letter_facts(letter: Letter, actor: Person, on: dt.date) -> LetterFacts:
    steps = set(letter.approved_steps)
    return LetterFacts(bearer=letter.bearer_name, bearer_serving=letter.bearer_serving, important=letter.important,
                       blank=letter.blank, director_approved=bool(steps & set(DIRECTOR_STEPS)),
                       deputy_approved="deputy_approve" in steps, head_approved="head_approve" in steps,
                       issued_on=on, valid_until=letter.valid_until, by_custodian=actor.pk == letter.book.custodian_id)


def _take_stub_number(book: LetterBook, year: int) -> int:
    """Gapless per book and year, inside the caller's transaction (as supervision's ItemCounter)."""
    if not LetterCounter.objects.filter(book=book, year=year).exists():
        try:
            with transaction.atomic():
                LetterCounter.objects.create(book=book, year=year, last=0)
        except IntegrityError:
            pass
    LetterCounter.objects.filter(book=book, year=year).update(last=F("last") + 1)
    return LetterCounter.objects.values_list("last", flat=True).get(book=book, year=year)


def letter_issue(*, actor: Person, letter_id, on: dt.date | None = None) -> Letter:
    """开具: by the book's custodian, once approved (R84.*): the stub takes the next number of the
    book's year, gapless."""
    refuse_business(actor)
    on = on or rules.today()
    letter = access.letter_visible(actor, letter_id, on=on)
    rules.enforce("letters.letter", _letter_facts(letter, actor, on), on=on)
    with transaction.atomic():
        seq = _take_stub_number(letter.book, on.year)
        transition(letter, expect=[L.APPROVED], to=L.ISSUED, seq=seq, year=on.year, issued_on=on, issued_by=actor,
                   field="letter_id",
                   message=lambda now: f"该介绍信{now.get_status_display() if now else '不存在'}，不能开具")
        _audit(actor, LETTER, letter, "seals.letter.issue", "R84.approval",
               f"开具介绍信：{letter.number}（{letter.bearer_name}）", on=on,
               after={"number": letter.number, "seq": seq, "valid_until": letter.valid_until.isoformat()})
    return letter


def letter_return(*, actor: Person, letter_id, note: str = "", on: dt.date | None = None) -> Letter:
    """An unused letter handed back and attached to its stub."""
    refuse_business(actor)
    on = on or rules.today()
    letter = access.letter_visible(actor, letter_id, on=on)
    if actor.pk != letter.book.custodian_id:
        raise Forbidden("未使用的介绍信交回保管人，附于存根")
    note = _text(note, "note", "退回说明", required=False, single_line=True, max_len=200)
    with transaction.atomic():
        transition(letter, expect=[L.ISSUED], to=L.RETURNED_UNUSED, returned_on=on, return_note=note,
                   field="letter_id")
        _audit(actor, LETTER, letter, "seals.letter.return", STUB_ARCHIVE,
               f"未使用介绍信退回存根：{letter.number}", on=on, after={"returned_on": on.isoformat(), "note": note})
    return letter


def letters_archive(*, on: dt.date | None = None, actor: Person | None = None) -> int:
    """Stubs of year Y are archived from the start of Y + letters.stub_archive_years_after (翌年归档);
    idempotent (each stub once)."""
    on = on or rules.today()
    after = int(rules.param("letters.stub_archive_years_after", on))
    due = Letter.objects.filter(seq__isnull=False, archived_on__isnull=True, year__lte=on.year - after,
                                status__in=[L.ISSUED, L.RETURNED_UNUSED]).select_related("book", "book__unit")
    n = 0
    for letter in due:
        with transaction.atomic():
            try:
                set_once(letter, where={"archived_on__isnull": True}, versioned=False, archived_on=on)
            except Conflict:
                continue
            n += 1
            note_exercised(STUB_ARCHIVE)
            _audit(actor, LETTER, letter, "seals.letter.archive", STUB_ARCHIVE, f"介绍信存根归档：{letter.number}",
                   on=on, after={"archived_on": on.isoformat(), "year": letter.year})
    return n
