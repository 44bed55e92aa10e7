"""Who sees and who acts on a 建议提案 (one function per question, for the web, the API and the CLI).

Denied by default:
- the 区政府办公室 (which registers, assigns, approves extensions, records the proposer's view and
  publishes) and the government leaders, or whoever acts for one today, see every item;
- a unit sees the items it leads or helps with (会办), and nothing else;
- the lead unit's people record contacts, send back, draft the 答复函 and record the answer; the
  letter itself is signed by the unit's head (or whoever acts for him under art. 15) in the
  documents flow (documents.department.document_sign_as_unit); a co-unit's people give its opinion.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person

from .models import Proposal

OFFICE_UNIT_KIND = org.OFFICE_UNIT_KIND


def is_office_staff(person: Person, on: dt.date | None = None) -> bool:
    return org.is_office_staff(person, on or rules.today())


def sees_all(person: Person, on: dt.date | None = None) -> bool:
    on = on or rules.today()
    return any(p.code in org.LEADER_CODES or (p.unit_id and p.unit.kind == OFFICE_UNIT_KIND)
               for p in org.positions_held(person, on))


def own_unit_ids(person: Person, on: dt.date | None = None) -> set[int]:
    on = on or rules.today()
    return {p.unit_id for p in org.positions_held(person, on) if p.unit_id}


def visible_proposals(person: Person, *, on: dt.date | None = None) -> QuerySet:
    on = on or rules.today()
    if getattr(person, "government_id", None) is None:
        return Proposal.objects.none()
    qs = Proposal.objects.filter(government_id=person.government_id)
    if sees_all(person, on):
        return qs
    units = own_unit_ids(person, on)
    if not units:
        return qs.none()
    return qs.filter(Q(lead_unit_id__in=units) | Q(co_units__unit_id__in=units)).distinct()


def proposal_visible(person: Person, proposal_id, *, on: dt.date | None = None) -> Proposal:
    pk = id_field(proposal_id, "proposal_id", "建议提案")
    found = Proposal.objects.select_related("batch", "lead_unit").filter(pk=pk).first()
    if found is None or found.government_id != getattr(person, "government_id", None):
        raise NotFound(f"建议提案{pk}不存在", field="proposal_id")
    if not visible_proposals(person, on=on).filter(pk=pk).exists():
        raise Forbidden("无权查看该建议提案")
    return found


def for_office(person: Person, proposal_id, *, on: dt.date | None = None) -> Proposal:
    on = on or rules.today()
    item = proposal_visible(person, proposal_id, on=on)
    if not is_office_staff(person, on):
        raise Forbidden("只有区政府办公室可以办理此项（交办、延期、代表委员意见、公开）")
    return item


def in_lead_unit(person: Person, item: Proposal, on: dt.date | None = None) -> bool:
    return bool(item.lead_unit_id) and item.lead_unit_id in own_unit_ids(person, on)


def for_lead_unit(person: Person, proposal_id, *, on: dt.date | None = None) -> Proposal:
    on = on or rules.today()
    item = proposal_visible(person, proposal_id, on=on)
    if not in_lead_unit(person, item, on):
        raise Forbidden("只有主办单位可以办理此项（沟通、答复、退回）")
    return item


def co_unit_of(person: Person, item: Proposal, on: dt.date | None = None):
    units = own_unit_ids(person, on)
    return item.co_units.select_related("unit").filter(unit_id__in=units).first()


def may_manage(person: Person, on: dt.date | None = None) -> bool:
    return is_office_staff(person, on or rules.today())
