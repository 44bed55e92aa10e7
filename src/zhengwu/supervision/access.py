"""One access function per ledger object, for the web, the API and the CLI alike. Denied by default.

- The 区督查指挥中心 (anyone holding a post in the unit of the `supervision_director` post, or acting
  for one today) keeps the ledger: it sees every item and takes the center's actions (立项, 交办,
  核查, 销号, 中止, 延期审批).
- The 区长 and the 区政府办公室 see every item (read only).
- A 常务副区长 or 副区长 sees the items whose lead or co-unit is in his 分工 (art. 46); the one in
  charge of the 督查指挥中心 sees every item it supervises (he decides 复核 of its conclusions).
- A unit sees the items it leads or co-operates on; the lead unit's people act on them (签收, 退回,
  报告进展, 申请办结, 申请延期).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, id_field
from zhengwu.org import selectors as org
from zhengwu.org.memo import remembered
from zhengwu.org.models import Person, Portfolio

from .models import ItemUnit, SupervisionItem

CENTER_POSITION = "supervision_director"
OBJ = "supervision.item"
HANDED = [s for s in SupervisionItem.Status.values if s != SupervisionItem.Status.DRAFT]
SEES_ALL_POSITIONS = ("district_head",)


def _on(on):
    return on or rules.today()


def _authenticated(person) -> bool:
    return person is not None and getattr(person, "is_authenticated", False) and person.government_id is not None


def center_unit_ids(government_id: int) -> set[int]:
    from zhengwu.org.models import Position

    return set(Position.objects.filter(government_id=government_id, code=CENTER_POSITION, unit__isnull=False)
               .values_list("unit_id", flat=True))


def is_center(person: Person, on: dt.date | None = None) -> bool:
    return _authenticated(person) and org.is_supervision_staff(person, _on(on))


def own_unit_ids(person: Person, on: dt.date | None = None) -> set[int]:
    return {p.unit_id for p in org.positions_held(person, _on(on)) if p.unit_id}


def sees_all(person: Person, on: dt.date | None = None) -> bool:
    on = _on(on)
    return (is_center(person, on) or org.is_office_staff(person, on)
            or any(p.code in SEES_ALL_POSITIONS for p in org.positions_held(person, on)))


def portfolio_unit_ids(person: Person, on: dt.date | None = None) -> set[int]:
    posts = [p.pk for p in org.positions_held(person, _on(on)) if p.code in org.LEADER_CODES]
    if not posts:
        return set()
    # read once per request (the leader's desk and the ledger's scope both ask: org.memo)
    return set(remembered(("portfolio_unit_ids", tuple(sorted(posts))), lambda: frozenset(
        Portfolio.units.through.objects.filter(portfolio__position_id__in=posts).values_list("unit_id", flat=True))))


def visible_items(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not _authenticated(person):
        return SupervisionItem.objects.none()
    on = _on(on)
    qs = SupervisionItem.objects.filter(government_id=person.government_id)
    if sees_all(person, on):
        return qs
    portfolio = portfolio_unit_ids(person, on)
    units = own_unit_ids(person, on) | portfolio
    # whoever holds (or held) a step of an item's approval sees it: the 分管领导 approving a draft in
    # the 区政府's name (art. 50) before any unit does
    from zhengwu.workflow.models import Approval

    stepped = [int(x) for x in Approval.objects.filter(obj_type=OBJ, tasks__assignee=person)
               .values_list("obj_id", flat=True).distinct()]
    if not units and not stepped:
        return qs.none()
    # units see items once handed to them (a draft is the center's); the leader in charge of the
    # 督查指挥中心 sees the ledger it keeps (he decides 复核, 政府督查工作条例 art. 17)
    return qs.filter(Q(units__unit_id__in=units, status__in=HANDED) | Q(pk__in=stepped)
                     | Q(supervising_unit_id__in=portfolio)).distinct()


def item_visible(person: Person, item_id, *, on: dt.date | None = None) -> SupervisionItem:
    item_id = id_field(item_id, "item_id", "督查事项")
    item = (SupervisionItem.objects.select_related("government", "supervising_unit", "created_by", "verified_by")
            .prefetch_related("units__unit", "units__head").filter(pk=item_id).first())
    if item is None:
        raise NotFound(f"督查事项{item_id}不存在", field="item_id")
    if not visible_items(person, on=on).filter(pk=item.pk).exists():
        raise Forbidden("无权查看该督查事项")
    return item


def item_for_center(person: Person, item_id, *, on: dt.date | None = None) -> SupervisionItem:
    item = item_visible(person, item_id, on=on)
    if not is_center(person, on):
        raise Forbidden("只有区督查指挥中心可以办理该操作")
    return item


def may_act_as_lead(person: Person, item: SupervisionItem, on: dt.date | None = None) -> bool:
    lead = ItemUnit.objects.filter(item=item, role=ItemUnit.Role.LEAD).values_list("unit_id", flat=True).first()
    return lead is not None and lead in own_unit_ids(person, on)


def may_act_as_co(person: Person, item: SupervisionItem, on: dt.date | None = None) -> bool:
    cos = set(ItemUnit.objects.filter(item=item, role=ItemUnit.Role.CO).values_list("unit_id", flat=True))
    return bool(cos & own_unit_ids(person, on))


def item_for_co(person: Person, item_id, *, on: dt.date | None = None) -> SupervisionItem:
    item = item_visible(person, item_id, on=on)
    if not may_act_as_co(person, item, on):
        raise Forbidden("只有协办单位可以提出协办意见")
    return item


def item_for_lead(person: Person, item_id, *, on: dt.date | None = None) -> SupervisionItem:
    item = item_visible(person, item_id, on=on)
    if not may_act_as_lead(person, item, on):
        raise Forbidden("只有牵头单位可以办理该操作")
    return item


def require_center(person: Person, on: dt.date | None = None) -> None:
    if not is_center(person, on):
        raise Forbidden("只有区督查指挥中心可以办理该操作")


def lead_or_co_filter(unit_ids) -> Q:
    return Q(units__unit_id__in=unit_ids)


def accountability_visible(person: Person, proposal_id, *, on: dt.date | None = None):
    """A 表扬/问责建议: the center, the 区长 and the office see every one; nobody else (the proposal
    is the 区长's to decide; the unit hears of the decision through its usual channels)."""
    from .models import AccountabilityProposal

    pk = id_field(proposal_id, "proposal_id", "表扬问责建议")
    proposal = (AccountabilityProposal.objects.select_related("unit", "drafted_by", "decided_by")
                .filter(pk=pk).first())
    if proposal is None or not _authenticated(person) or proposal.government_id != person.government_id:
        raise NotFound(f"表扬问责建议{pk}不存在", field="proposal_id")
    if not sees_all(person, on):
        raise Forbidden("无权查看该表扬问责建议")
    return proposal


def visible_accountability(person: Person, *, on: dt.date | None = None) -> QuerySet:
    from .models import AccountabilityProposal

    if not _authenticated(person) or not sees_all(person, on):
        return AccountabilityProposal.objects.none()
    return AccountabilityProposal.objects.filter(government_id=person.government_id).select_related("unit")
