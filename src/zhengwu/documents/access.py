"""One access function per document (STYLE 7), for the web, the API and the CLI alike.

Denied by default. A person sees a document when:
- they hold a position in its unit (a unit sees its own documents), or it was sent to their unit;
- they are a leader whose 分工 covers its unit (a leader sees the documents of their portfolio),
  or the 区长 / a position they act for today does;
- they work in the 区政府办公室 or are the 区长 (everything; classified documents are metadata
  only, their content is never in this system), or
- they have a task in its approval (it was routed to them).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Portfolio

from .models import Document

OFFICE_UNIT_KIND = org.OFFICE_UNIT_KIND


def document_scope(person: Person, on: dt.date) -> Q:
    """The documents of their government a person may see, as one filter; an empty Q() (falsy)
    when that is all of them."""
    positions = org.positions_of(person, on) + org.acted_for_by(person, on)
    unit_ids = {p.unit_id for p in positions if p.unit_id}
    if any(p.code == "district_head" for p in positions) or any(
            p.unit_id and p.unit.kind == OFFICE_UNIT_KIND for p in positions):
        # The office (and the 区长) see every document. A classified one is metadata only — its body
        # and files are never in this system — so what they see of it is its registration data.
        return Q()
    leader_positions = [p.pk for p in positions if p.code in org.LEADER_CODES]
    if leader_positions:
        unit_ids |= set(Portfolio.objects.filter(position_id__in=leader_positions).values_list("units", flat=True))
    unit_ids.discard(None)
    return Q(unit_id__in=unit_ids) | Q(approval__tasks__assignee=person)


def visible_documents(person: Person, *, on: dt.date | None = None) -> QuerySet:
    on = on or rules.today()
    qs = Document.objects.filter(government_id=person.government_id)
    return qs.filter(document_scope(person, on)).distinct()


def document_visible(person: Person, document_id, *, on: dt.date | None = None) -> Document:
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        raise Refused("公文编号须为整数", field="document_id") from None
    doc = Document.objects.select_related("unit", "government", "approval").filter(pk=document_id).first()
    if doc is None:
        raise NotFound(f"公文{document_id}不存在", field="document_id")
    if not visible_documents(person, on=on).filter(pk=doc.pk).exists():
        raise Forbidden("无权查看该公文")
    return doc


def may_draft_for(person: Person, unit, *, on: dt.date | None = None) -> bool:
    """A person drafts in the name of a unit they hold a position in (the office drafts its own
    documents; a department drafts 代拟 documents in its own name)."""
    return any(p.unit_id == unit.pk for p in org.positions_of(person, on or rules.today()))


def is_office_staff(person: Person, on: dt.date | None = None) -> bool:
    return org.is_office_staff(person, on or rules.today())


def document_for_unit_action(person: Person, document_id, *, on: dt.date | None = None) -> Document:
    """A document its own unit may edit or submit: the person holds a position in that unit."""
    on = on or rules.today()
    doc = document_visible(person, document_id, on=on)
    if not any(p.unit_id == doc.unit_id for p in org.positions_of(person, on)):
        raise Forbidden("只有拟稿单位可以修改或报送该公文")
    return doc


def document_for_office_action(person: Person, document_id, *, on: dt.date | None = None) -> Document:
    """A document the 区政府办公室 handles (登记, 退回, 拟办, 编号)."""
    on = on or rules.today()
    doc = document_visible(person, document_id, on=on)
    if not is_office_staff(person, on):
        raise Forbidden("只有区政府办公室可以办理该操作")
    return doc


# ---- annual document plans (年度发文计划, art. 70) ----------------------------------------------

def sees_every_unit(person: Person, on: dt.date | None = None) -> bool:
    """The 区政府办公室 (and the 区长) see every unit's plan and counts."""
    positions = org.positions_of(person, on or rules.today()) + org.acted_for_by(person, on or rules.today())
    return any(p.code == "district_head" for p in positions) or any(
        p.unit_id and p.unit.kind == OFFICE_UNIT_KIND for p in positions)


def own_unit_ids(person: Person, on: dt.date | None = None) -> set[int]:
    return {p.unit_id for p in org.positions_of(person, on or rules.today()) if p.unit_id}


def visible_plans(person: Person, *, on: dt.date | None = None) -> QuerySet:
    """A unit sees its own plans; the office (and the 区长) see every unit's."""
    from .models import DocumentPlan

    on = on or rules.today()
    qs = DocumentPlan.objects.filter(government_id=person.government_id).select_related("unit")
    if sees_every_unit(person, on):
        return qs
    return qs.filter(unit_id__in=own_unit_ids(person, on))


def plan_visible(person: Person, plan_id, *, on: dt.date | None = None):
    from .models import DocumentPlan

    try:
        plan_id = int(plan_id)
    except (TypeError, ValueError):
        raise Refused("发文计划编号须为整数", field="plan_id") from None
    plan = DocumentPlan.objects.select_related("unit").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(f"发文计划{plan_id}不存在", field="plan_id")
    if not visible_plans(person, on=on).filter(pk=plan.pk).exists():
        raise Forbidden("无权查看该单位的年度发文计划")
    return plan


def may_edit_plan_of(person: Person, unit, *, on: dt.date | None = None) -> bool:
    """Only the unit itself makes and edits its plan (the office edits its own, not the units')."""
    return unit.pk in own_unit_ids(person, on)


def plan_for_edit(person: Person, plan_id, *, on: dt.date | None = None):
    plan = plan_visible(person, plan_id, on=on)
    if not may_edit_plan_of(person, plan.unit, on=on):
        raise Forbidden("只有本单位可以编制和修改本单位的年度发文计划")
    return plan
