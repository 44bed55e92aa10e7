"""印信 (arts. 82-84): the register of seals, seal-use cards (用印审批单) and their stamping, seals
taken out, the 用印登记簿, and introduction letters with their stubs.

Every read goes through zhengwu.seals.access (the office sees all; a unit its own; a custodian his
seals; whoever holds a step of the approval the object), every write through zhengwu.seals.services,
which check who acts and the rules (R82.*, R83.*, R84.*). The approvals themselves are steps of the
engine: completed through /api/v1/tasks/{task_id}/complete like any 待办."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import StrictBool

from zhengwu.seals import access, services
from zhengwu.seals.models import Letter, Seal, SealCard, SealTakeOut

from ..schemas import ClosedSchema, DocId, ErrorOut, IsoDate, PersonRef, Text, responses
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET, person_ref

router = Router(tags=["seals"])
letters_router = Router(tags=["letters"])

SealId = Path(..., ge=1, le=MAX_ID, description="印章编号")
CardId = Path(..., ge=1, le=MAX_ID, description="用印审批单编号")
TakeOutId = Path(..., ge=1, le=MAX_ID, description="带出登记编号")
LetterId = Path(..., ge=1, le=MAX_ID, description="介绍信编号")
CREATED = {c: ErrorOut for c in (400, 401, 403, 404, 409, 422)}


class SealOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    unit: str
    custodian: PersonRef
    kept_locked: bool
    storage: str
    cut_on: dt.date
    retired_on: Optional[dt.date]
    has_impression: bool
    status: str
    status_label: str


class SealIn(ClosedSchema):
    """A seal entered in the register: one named custodian serving in the owner unit, kept locked (art. 82)."""

    unit_id: DocId = Field(..., description="所属单位（区政府公章：区政府办公室）")
    kind: Literal[tuple(Seal.Kind.values)]
    name: Text(100)
    custodian_id: DocId = Field(..., description="保管人（专人）")
    kept_locked: StrictBool = True
    storage: Text(100) = ""
    cut_on: IsoDate = Field(..., description="刻制日期")


class CardOut(Schema):
    id: int
    seal: str
    seal_kind: str
    unit: str
    use_date: dt.date
    content: str
    copies: int
    handler: PersonRef
    user: PersonRef
    approver: Optional[PersonRef]
    approved_on: Optional[dt.date]
    document_id: Optional[int]
    status: str
    status_label: str
    stamped_at: Optional[dt.datetime]
    stamped_by: Optional[PersonRef]
    stamped_copies: Optional[int]
    document_sha256: str = Field(description="所用公文签发版本的校验值（用印时绑定）")
    approval_id: Optional[int]
    version: int


class CardPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CardOut]


class CardIn(ClosedSchema):
    """A 用印审批单: 用章日期, 用章内容, 份数, 经手人 (default: oneself), 用章人 — each required (art. 83); the
    审批人 are the route's chain."""

    seal_id: DocId
    unit_id: Optional[DocId] = Field(None, description="用印单位（默认本人所在单位）")
    use_date: Optional[IsoDate] = None
    content: Text(2000) = ""
    copies: Optional[int] = Field(None, ge=0, le=10000)
    handler_id: Optional[DocId] = None
    user_id: Optional[DocId] = None
    document_id: Optional[DocId] = Field(None, description="所用公文（须已签发并编号后方可用印）")


class StampIn(ClosedSchema):
    copies: Optional[int] = Field(None, ge=0, le=10000, description="用印份数（须与审批单一致）")
    version: Optional[int] = None


class TakeOutOut(Schema):
    id: int
    seal: str
    purpose: str
    custodian: PersonRef
    user: PersonRef
    signed_by: Optional[PersonRef]
    signed_on: Optional[dt.date]
    checked_out_at: Optional[dt.datetime]
    due_back_at: Optional[dt.datetime]
    returned_at: Optional[dt.datetime]
    status: str
    status_label: str
    approval_id: Optional[int]


class TakeOutIn(ClosedSchema):
    seal_id: DocId
    purpose: Text(2000) = ""
    user_id: Optional[DocId] = Field(None, description="用印人（与保管人共同携带）")


class LetterOut(Schema):
    id: int
    unit: str
    number: str
    bearer_name: str
    bearer_serving: bool
    addressee: str
    matter: str
    important: bool
    blank: bool
    valid_until: dt.date
    route_id: str
    status: str
    status_label: str
    issued_on: Optional[dt.date]
    returned_on: Optional[dt.date]
    archived_on: Optional[dt.date]
    approval_id: Optional[int]


class LetterIn(ClosedSchema):
    """A 介绍信 asked for (《介绍信登记表》): serving staff by id; anyone else by name (needs the
    办公室主任, art. 84); a blank letter needs the 办公室主任 too; the reason states the special case."""

    book_id: DocId
    bearer_id: Optional[DocId] = None
    bearer_name: Text(40) = ""
    addressee: Text(100) = ""
    matter: Text(2000) = ""
    important: StrictBool = False
    blank: StrictBool = False
    reason: Text(2000) = ""
    valid_until: IsoDate


class LetterActionIn(ClosedSchema):
    note: Text(200) = ""


class BookOut(Schema):
    id: int
    unit: str
    custodian: PersonRef
    kept_locked: bool


class BookIn(ClosedSchema):
    unit_id: DocId
    custodian_id: DocId
    kept_locked: StrictBool = True


def _seal(s: Seal) -> dict:
    return {"id": s.pk, "name": s.name, "kind": s.kind, "kind_label": s.get_kind_display(), "unit": s.unit.name,
            "custodian": person_ref(s.custodian), "kept_locked": s.kept_locked, "storage": s.storage,
            "cut_on": s.cut_on, "retired_on": s.retired_on, "has_impression": bool(s.impression_sha256),
            "status": s.status, "status_label": s.get_status_display()}


def _card(c: SealCard) -> dict:
    return {"id": c.pk, "seal": c.seal.name, "seal_kind": c.seal.kind, "unit": c.unit.name, "use_date": c.use_date,
            "content": c.content, "copies": c.copies, "handler": person_ref(c.handler), "user": person_ref(c.user),
            "approver": person_ref(c.approver), "approved_on": c.approved_on, "document_id": c.document_id,
            "status": c.status, "status_label": c.get_status_display(), "stamped_at": c.stamped_at,
            "stamped_by": person_ref(c.stamped_by), "stamped_copies": c.stamped_copies,
            "document_sha256": c.document_sha256, "approval_id": c.approval_id, "version": c.version}


def _take_out(t: SealTakeOut) -> dict:
    return {"id": t.pk, "seal": t.seal.name, "purpose": t.purpose, "custodian": person_ref(t.custodian),
            "user": person_ref(t.user), "signed_by": person_ref(t.signed_by), "signed_on": t.signed_on,
            "checked_out_at": t.checked_out_at, "due_back_at": t.due_back_at, "returned_at": t.returned_at,
            "status": t.status, "status_label": t.get_status_display(), "approval_id": t.approval_id}


def _letter(x: Letter) -> dict:
    return {"id": x.pk, "unit": x.book.unit.name, "number": x.number, "bearer_name": x.bearer_name,
            "bearer_serving": x.bearer_serving, "addressee": x.addressee, "matter": x.matter,
            "important": x.important, "blank": x.blank, "valid_until": x.valid_until, "route_id": x.route_id,
            "status": x.status, "status_label": x.get_status_display(), "issued_on": x.issued_on,
            "returned_on": x.returned_on, "archived_on": x.archived_on, "approval_id": x.approval_id}


# ---- seals -------------------------------------------------------------------------------------

@router.get("", response=responses(list[SealOut]), summary="印章登记簿（本人可见的印章）", operation_id="seals_list")
def seal_list(request):
    return [_seal(s) for s in access.visible_seals(request.auth).select_related("unit", "custodian")]


@router.post("", response={201: SealOut, **CREATED}, summary="登记印章（区政府办公室或本单位主要负责人）",
             operation_id="seals_register")
def seal_register(request, data: SealIn):
    s = services.seal_register(actor=request.auth, unit_id=data.unit_id, kind=data.kind, name=data.name,
                               custodian_id=data.custodian_id, kept_locked=data.kept_locked, storage=data.storage,
                               cut_on=data.cut_on)
    return Status(201, _seal(s))


@router.get("/cards", response=responses(CardPage), summary="用印审批单（本人可见的）", operation_id="seals_cards")
def card_list(request, status: Optional[Literal[tuple(SealCard.Status.values)]] = Query(None, description="状态"),
              limit: int = Query(20, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    qs = access.visible_cards(request.auth).select_related("seal", "unit", "handler", "user", "approver", "stamped_by")
    if status:
        qs = qs.filter(status=status)
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": [_card(c) for c in qs[offset:offset + limit]]}


@router.post("/cards", response={201: CardOut, **CREATED}, summary="填写用印审批单并报批", operation_id="seals_card_create")
def card_create(request, data: CardIn):
    c = services.card_create(actor=request.auth, seal_id=data.seal_id, unit_id=data.unit_id, use_date=data.use_date,
                             content=data.content, copies=data.copies, handler_id=data.handler_id,
                             user_id=data.user_id, document_id=data.document_id)
    return Status(201, _card(access.card_visible(request.auth, c.pk)))


@router.get("/cards/{card_id}", response=responses(CardOut, 400, 403, 404), summary="查看一张用印审批单",
            operation_id="seals_card_get")
def card_get(request, card_id: int = CardId):
    return _card(access.card_visible(request.auth, card_id))


@router.post("/cards/{card_id}/stamp", response=responses(CardOut, 400, 403, 404, 409),
             summary="用印（保管人；审批单已批准、公文已签发编号，一次）", operation_id="seals_card_stamp")
def card_stamp(request, data: StampIn, card_id: int = CardId):
    services.card_stamp(actor=request.auth, card_id=card_id, copies=data.copies, version=data.version)
    return _card(access.card_visible(request.auth, card_id))


@router.get("/register", response=responses(list[CardOut]), summary="用印登记簿（已用印的审批单）",
            operation_id="seals_use_register")
def use_register(request, limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    qs = (access.visible_cards(request.auth).filter(status=SealCard.Status.STAMPED)
          .select_related("seal", "unit", "handler", "user", "approver", "stamped_by").order_by("-stamped_at", "-id"))
    return [_card(c) for c in qs[offset:offset + limit]]


@router.post("/take-outs", response={201: TakeOutOut, **CREATED}, summary="申请带出印章（报办公室主任签字）",
             operation_id="seals_take_out_request")
def take_out_request(request, data: TakeOutIn):
    t = services.take_out_request(actor=request.auth, seal_id=data.seal_id, purpose=data.purpose, user_id=data.user_id)
    return Status(201, _take_out(access.take_out_visible(request.auth, t.pk)))


@router.get("/take-outs/{take_out_id}", response=responses(TakeOutOut, 400, 403, 404), summary="查看一次印章带出",
            operation_id="seals_take_out_get")
def take_out_get(request, take_out_id: int = TakeOutId):
    return _take_out(access.take_out_visible(request.auth, take_out_id))


@router.post("/take-outs/{take_out_id}/{action}", response=responses(TakeOutOut, 400, 403, 404, 409),
             summary="印章带出、归还（保管人或用印人）", operation_id="seals_take_out_act")
def take_out_act(request, action: Literal["check-out", "return"] = Path(..., description="操作"),
                 take_out_id: int = TakeOutId):
    fn = services.take_out_check_out if action == "check-out" else services.take_out_return
    fn(actor=request.auth, take_out_id=take_out_id)
    return _take_out(access.take_out_visible(request.auth, take_out_id))


@router.get("/{seal_id}", response=responses(SealOut, 400, 403, 404), summary="查看一枚印章", operation_id="seals_get")
def seal_get(request, seal_id: int = SealId):
    return _seal(access.seal_visible(request.auth, seal_id))


# ---- introduction letters ------------------------------------------------------------------------

@letters_router.get("", response=responses(list[LetterOut]), summary="介绍信及存根（本人可见的）",
                    operation_id="letters_list")
def letter_list(request, limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    qs = access.visible_letters(request.auth).select_related("book__unit")
    return [_letter(x) for x in qs[offset:offset + limit]]


@letters_router.post("", response={201: LetterOut, **CREATED}, summary="申请开具介绍信（填写《介绍信登记表》）",
                     operation_id="letters_request")
def letter_request(request, data: LetterIn):
    x = services.letter_request(actor=request.auth, book_id=data.book_id, bearer_id=data.bearer_id,
                                bearer_name=data.bearer_name, addressee=data.addressee, matter=data.matter,
                                important=data.important, blank=data.blank, reason=data.reason,
                                valid_until=data.valid_until)
    return Status(201, _letter(access.letter_visible(request.auth, x.pk)))


@letters_router.get("/books", response=responses(list[BookOut]), summary="介绍信簿", operation_id="letters_books")
def book_list(request):
    return [{"id": b.pk, "unit": b.unit.name, "custodian": person_ref(b.custodian), "kept_locked": b.kept_locked}
            for b in access.visible_books(request.auth).select_related("unit", "custodian")]


@letters_router.post("/books", response={201: BookOut, **CREATED}, summary="建立介绍信簿（专人保管）",
                     operation_id="letters_book_create")
def book_create(request, data: BookIn):
    b = services.letter_book_create(actor=request.auth, unit_id=data.unit_id, custodian_id=data.custodian_id,
                                    kept_locked=data.kept_locked)
    return Status(201, {"id": b.pk, "unit": b.unit.name, "custodian": person_ref(b.custodian),
                        "kept_locked": b.kept_locked})


@letters_router.get("/{letter_id}", response=responses(LetterOut, 400, 403, 404), summary="查看一封介绍信",
                    operation_id="letters_get")
def letter_get(request, letter_id: int = LetterId):
    return _letter(access.letter_visible(request.auth, letter_id))


@letters_router.post("/{letter_id}/{action}", response=responses(LetterOut, 400, 403, 404, 409),
                     summary="开具介绍信、未使用介绍信退回存根（保管人）", operation_id="letters_act")
def letter_act(request, data: LetterActionIn, action: Literal["issue", "return"] = Path(..., description="操作"),
               letter_id: int = LetterId):
    if action == "issue":
        services.letter_issue(actor=request.auth, letter_id=letter_id)
    else:
        services.letter_return(actor=request.auth, letter_id=letter_id, note=data.note)
    return _letter(access.letter_visible(request.auth, letter_id))


ROUTERS = [("/seals", router), ("/letters", letters_router)]
