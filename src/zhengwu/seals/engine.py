"""The 印信 side of the subject contract (workflow/subjects.py): a seal-use card runs route
seal.government (部门主要负责人 → 分管副区长 → 区长) or seal.department (科室负责人 → 分管领导 →
主要领导); a seal taken out, seal.take_out (办公室主任签字); an introduction letter, letter.ordinary /
letter.important / letter.blank / letter.non_staff. The engine checks who holds each step (art. 15,
citing the route's article) whichever door is used; the card, take-out or letter changes state when
its route ends (services.on_*)."""

from __future__ import annotations

from zhengwu.workflow import subjects
from zhengwu.workflow.subjects import RouteContract, Subject

from . import access, services
from .models import Letter, SealCard, SealTakeOut


def _card(obj_id):
    return SealCard.objects.select_related("seal", "unit", "handler", "user", "document").filter(pk=int(obj_id)).first()


def _take_out(obj_id):
    return SealTakeOut.objects.select_related("seal", "custodian", "user").filter(pk=int(obj_id)).first()


def _letter(obj_id):
    return Letter.objects.select_related("book", "book__unit", "bearer").filter(pk=int(obj_id)).first()


def _card_context(card, task, person) -> dict:
    return {"card": access.card_visible(person, card.pk)}


def _take_out_context(t, task, person) -> dict:
    return {"take_out": access.take_out_visible(person, t.pk)}


def _letter_context(letter, task, person) -> dict:
    return {"letter": access.letter_visible(person, letter.pk)}


_CARD_CALLBACKS = {"on_finished": services.on_card_finished, "on_returned": services.on_card_returned}
subjects.register(Subject(
    obj_type=access.CARD, label="用印审批单", load=_card, title=lambda c: f"用印审批：{c.seal.name}",
    url=lambda c: f"/seals/cards/{c.pk}/", summary=lambda c: f"{c.content[:80]}（{c.copies}份）",
    fragment="seals/_task_card.html", fragment_context=_card_context,
    routes={r: RouteContract(**_CARD_CALLBACKS) for r in (services.GOVERNMENT_ROUTE, services.DEPARTMENT_ROUTE)}))

subjects.register(Subject(
    obj_type=access.TAKE_OUT, label="印章带出", load=_take_out, title=lambda t: f"印章带出：{t.seal.name}",
    url=lambda t: f"/seals/take-outs/{t.pk}/", summary=lambda t: t.purpose[:80],
    fragment="seals/_task_take_out.html", fragment_context=_take_out_context,
    routes={services.TAKE_OUT_ROUTE: RouteContract(on_finished=services.on_take_out_finished,
                                                   on_returned=services.on_take_out_returned)}))

_LETTER_CALLBACKS = {"on_finished": services.on_letter_finished, "on_returned": services.on_letter_returned}
subjects.register(Subject(
    obj_type=access.LETTER, label="介绍信", load=_letter, title=lambda x: f"介绍信：{x.bearer_name}",
    url=lambda x: f"/seals/letters/{x.pk}/", summary=lambda x: x.matter[:80] or "空白介绍信",
    fragment="seals/_task_letter.html", fragment_context=_letter_context,
    routes={r: RouteContract(**_LETTER_CALLBACKS) for r in (services.ORDINARY, services.IMPORTANT, services.BLANK, services.NON_STAFF)}))
