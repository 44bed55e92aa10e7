"""Who sees and acts on 信访 cases and consultations: one function per object, for the web, the API
and the tasks alike. Denied by default.

- The 信访 office is the 区政府办公室 (the demo has no separate 信访局; whoever works in a unit of
  the office's kind, or acts for such a post today): it registers, routes and re-routes cases,
  sends the written notices, records 复查/复核 and leaders' records, marks hard cases, and runs
  the public consultations. It sees every case.
- The 区长 sees every case; a 常务副区长 or 副区长 sees the cases routed to the units in his 分工
  (art. 46) and those he took (包案) or read (批阅).
- A unit sees the cases routed to it now, and those it objected to; its people accept, object,
  ask for an extension and answer (办结) the cases routed to it.
- The 督查指挥中心 sees the cases marked hard (to put them on its ledger).
- Consultations are read by everyone of the government; only the office writes them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Portfolio

from .models import Consultation, LeaderRecord, Petition


def _on(on):
    return on or rules.today()


def _authenticated(person) -> bool:
    return person is not None and getattr(person, "is_authenticated", False) and getattr(person, "government_id", None)


def is_office(person, on: dt.date | None = None) -> bool:
    on = _on(on)
    return bool(_authenticated(person)) and any(
        p.unit_id and p.unit.kind == org.OFFICE_UNIT_KIND for p in org.positions_held(person, on))


def require_office(person, on: dt.date | None = None) -> None:
    if not is_office(person, on):
        raise Forbidden("只有区政府办公室（信访工作机构）可以办理该操作")


def own_unit_ids(person, on: dt.date | None = None) -> set[int]:
    return {p.unit_id for p in org.positions_held(person, _on(on)) if p.unit_id}


def _leader_posts(person, on) -> list:
    return [p for p in org.positions_held(person, on) if p.code in org.LEADER_CODES]


def sees_all(person, on: dt.date | None = None) -> bool:
    on = _on(on)
    return is_office(person, on) or any(p.code == "district_head" for p in org.positions_held(person, on))


def visible_petitions(person, *, on: dt.date | None = None) -> QuerySet:
    if not _authenticated(person):
        return Petition.objects.none()
    on = _on(on)
    qs = Petition.objects.filter(government_id=person.government_id)
    if sees_all(person, on):
        return qs
    units = own_unit_ids(person, on)
    posts = [p.pk for p in _leader_posts(person, on)]
    if posts:
        units |= set(Portfolio.units.through.objects.filter(portfolio__position_id__in=posts)
                     .values_list("unit_id", flat=True))
    mine = LeaderRecord.objects.filter(leader=person, petition__isnull=False).values("petition_id")
    seen = Q(unit_id__in=units) | Q(objections__unit_id__in=units) | Q(pk__in=mine)
    if org.is_supervision_staff(person, on):  # the 督查指挥中心 takes the hard cases onto its ledger
        seen |= Q(hard_case=True)
    return qs.filter(pk__in=qs.filter(seen).values("pk"))


def petition_visible(person, petition_id, *, on: dt.date | None = None) -> Petition:
    pk = id_field(petition_id, "petition_id", "信访事项")
    petition = visible_petitions(person, on=on).select_related("unit").filter(pk=pk).first()
    if petition is None:
        raise NotFound(f"信访事项{pk}不存在", field="petition_id")
    return petition


def petition_for_unit(person, petition_id, *, on: dt.date | None = None) -> Petition:
    """A case routed to one of the person's units (the unit's actions); 404 if not visible, 403 if not its."""
    on = _on(on)
    petition = petition_visible(person, petition_id, on=on)
    if petition.unit_id is None or petition.unit_id not in own_unit_ids(person, on):
        raise Forbidden("只有承办单位可以办理该信访事项")
    return petition


def petition_for_office(person, petition_id, *, on: dt.date | None = None) -> Petition:
    on = _on(on)
    petition = petition_visible(person, petition_id, on=on)
    require_office(person, on)
    return petition


def visible_consultations(person) -> QuerySet:
    if not _authenticated(person):
        return Consultation.objects.none()
    return Consultation.objects.filter(government_id=person.government_id)


def consultation_visible(person, consultation_id) -> Consultation:
    pk = id_field(consultation_id, "consultation_id", "征求意见事项")
    item = visible_consultations(person).select_related("unit").filter(pk=pk).first()
    if item is None:
        raise NotFound(f"征求意见事项{pk}不存在", field="consultation_id")
    return item


def leaders(government, on: dt.date | None = None) -> list[Person]:
    """The government's leaders (区长, 常务副区长, 副区长) in rank order: a page each."""
    from zhengwu.org.models import Position

    on = _on(on)
    posts = Position.objects.filter(government=government, code__in=org.LEADER_CODES).order_by("rank", "id")
    return [h for h in (org.holder_of(p, on) for p in posts) if h is not None]
