"""Who may see and act on seals, seal-use cards, take-outs and letters — one function per object,
for the web, the API and the engine alike. Denied by default.

- The 区政府办公室 (office staff) keeps the register: it sees every seal, card, take-out and letter
  book of its government, and registers seals and letter books.
- A seal's custodian sees the seal, its cards and take-outs, and stamps (art. 82: 专人负责).
- A unit's people see their unit's seals, the cards their unit filled in and their unit's letters.
- Whoever holds (or held) a step of a card's or letter's approval sees it (the 分管副区长, the 区长).
- The people a card or letter names (handler, user, bearer) see it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person

from .models import Letter, LetterBook, Seal, SealCard, SealTakeOut

CARD, TAKE_OUT, LETTER = "seals.card", "seals.take_out", "seals.letter"


def _on(on):
    return on or rules.today()


def _authenticated(person) -> bool:
    return person is not None and getattr(person, "is_authenticated", False) and person.government_id is not None


def is_office(person: Person, on: dt.date | None = None) -> bool:
    return _authenticated(person) and org.is_office_staff(person, _on(on))


def own_unit_ids(person: Person, on: dt.date | None = None) -> set[int]:
    return {p.unit_id for p in org.positions_held(person, _on(on)) if p.unit_id}


def _stepped(person: Person, obj_type: str) -> list[int]:
    from zhengwu.workflow.models import Approval

    return [int(x) for x in Approval.objects.filter(obj_type=obj_type, tasks__assignee=person)
            .values_list("obj_id", flat=True).distinct()]


def visible_seals(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not _authenticated(person):
        return Seal.objects.none()
    qs = Seal.objects.filter(government_id=person.government_id)
    if is_office(person, on):
        return qs
    # the 区政府公章 is in the register every unit fills its cards against (由部门填写审批卡)
    return qs.filter(Q(unit_id__in=own_unit_ids(person, on)) | Q(custodian=person) | Q(kind=Seal.Kind.GOVERNMENT))


def seal_visible(person: Person, seal_id, *, on: dt.date | None = None) -> Seal:
    pk = id_field(seal_id, "seal_id", "印章")
    seal = Seal.objects.select_related("unit", "custodian").filter(pk=pk).first()
    if seal is None:
        raise NotFound(f"印章{pk}不存在", field="seal_id")
    if not visible_seals(person, on=on).filter(pk=pk).exists():
        raise Forbidden("无权查看该印章")
    return seal


def visible_cards(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not _authenticated(person):
        return SealCard.objects.none()
    qs = SealCard.objects.filter(government_id=person.government_id)
    if is_office(person, on):
        return qs
    return qs.filter(Q(unit_id__in=own_unit_ids(person, on)) | Q(seal__custodian=person) | Q(handler=person)
                     | Q(user=person) | Q(created_by=person) | Q(pk__in=_stepped(person, CARD)))


def card_visible(person: Person, card_id, *, on: dt.date | None = None) -> SealCard:
    pk = id_field(card_id, "card_id", "用印审批单")
    card = (SealCard.objects.select_related("seal", "seal__custodian", "seal__unit", "unit", "handler", "user",
                                            "approver", "stamped_by", "document", "created_by")
            .filter(pk=pk).first())
    if card is None:
        raise NotFound(f"用印审批单{pk}不存在", field="card_id")
    if not visible_cards(person, on=on).filter(pk=pk).exists():
        raise Forbidden("无权查看该用印审批单")
    return card


def visible_take_outs(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not _authenticated(person):
        return SealTakeOut.objects.none()
    qs = SealTakeOut.objects.filter(seal__government_id=person.government_id)
    if is_office(person, on):
        return qs
    return qs.filter(Q(seal__unit_id__in=own_unit_ids(person, on)) | Q(custodian=person) | Q(user=person)
                     | Q(created_by=person) | Q(pk__in=_stepped(person, TAKE_OUT)))


def take_out_visible(person: Person, take_out_id, *, on: dt.date | None = None) -> SealTakeOut:
    pk = id_field(take_out_id, "take_out_id", "带出登记")
    found = SealTakeOut.objects.select_related("seal", "custodian", "user", "signed_by").filter(pk=pk).first()
    if found is None:
        raise NotFound(f"带出登记{pk}不存在", field="take_out_id")
    if not visible_take_outs(person, on=on).filter(pk=pk).exists():
        raise Forbidden("无权查看该带出登记")
    return found


def visible_books(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not _authenticated(person):
        return LetterBook.objects.none()
    qs = LetterBook.objects.filter(government_id=person.government_id)
    if is_office(person, on):
        return qs
    return qs.filter(Q(unit_id__in=own_unit_ids(person, on)) | Q(custodian=person))


def book_visible(person: Person, book_id, *, on: dt.date | None = None) -> LetterBook:
    pk = id_field(book_id, "book_id", "介绍信簿")
    book = LetterBook.objects.select_related("unit", "custodian").filter(pk=pk).first()
    if book is None:
        raise NotFound(f"介绍信簿{pk}不存在", field="book_id")
    if not visible_books(person, on=on).filter(pk=pk).exists():
        raise Forbidden("无权查看该介绍信簿")
    return book


def visible_letters(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not _authenticated(person):
        return Letter.objects.none()
    qs = Letter.objects.filter(book__government_id=person.government_id)
    if is_office(person, on):
        return qs
    return qs.filter(Q(book__unit_id__in=own_unit_ids(person, on)) | Q(book__custodian=person) | Q(bearer=person)
                     | Q(created_by=person) | Q(pk__in=_stepped(person, LETTER)))


def letter_visible(person: Person, letter_id, *, on: dt.date | None = None) -> Letter:
    pk = id_field(letter_id, "letter_id", "介绍信")
    letter = (Letter.objects.select_related("book", "book__unit", "book__custodian", "bearer", "issued_by",
                                            "created_by").filter(pk=pk).first())
    if letter is None:
        raise NotFound(f"介绍信{pk}不存在", field="letter_id")
    if not visible_letters(person, on=on).filter(pk=pk).exists():
        raise Forbidden("无权查看该介绍信")
    return letter
