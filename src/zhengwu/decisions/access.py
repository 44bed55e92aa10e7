"""One access function per dossier (STYLE 7), for the web, the API and the CLI alike.

Denied by default. A person sees a 三重一大 dossier when:
- they hold a position in its proposing unit (a unit sees its own dossiers) or in the unit charged
  with carrying out the decision;
- they work in the 区政府办公室, or are a government leader (区长, 常务副区长, 副区长), or act for
  one today (补位): they see every dossier.
The 区督查指挥中心 reads every dossier (read only: art. 49-50, it takes ledger items from decisions).
Nobody else sees anything, not even that a dossier exists beyond its number.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit

from .models import MajorDecision

OFFICE_UNIT_KIND = org.OFFICE_UNIT_KIND


def is_office_staff(person: Person, on: dt.date | None = None) -> bool:
    return org.is_office_staff(person, on or rules.today())


def sees_all(person: Person, on: dt.date | None = None) -> bool:
    """The office and the government leaders see every dossier."""
    on = on or rules.today()
    return any(p.code in org.LEADER_CODES or (p.unit_id and p.unit.kind == OFFICE_UNIT_KIND)
               for p in org.positions_held(person, on))


def _own_unit_ids(person: Person, on: dt.date) -> set[int]:
    return {p.unit_id for p in org.positions_of(person, on) if p.unit_id}


def visible_dossiers(person: Person, *, on: dt.date | None = None) -> QuerySet:
    on = on or rules.today()
    qs = MajorDecision.objects.filter(government_id=person.government_id)
    if person.government_id is None:
        return qs.none()
    if sees_all(person, on):
        return qs
    units = _own_unit_ids(person, on)
    if not units:
        return qs.none()
    return qs.filter(Q(proposing_unit_id__in=units) | Q(implementation_lead_id__in=units)
                     | org.in_supervision_center(person.government_id, units))  # it reads (art. 49-50)


def _get(dossier_id) -> MajorDecision:
    try:
        dossier_id = int(dossier_id)
    except (TypeError, ValueError):
        raise Refused("事项编号须为整数", field="dossier_id") from None
    dossier = (MajorDecision.objects.select_related("government", "proposing_unit", "implementation_lead")
               .filter(pk=dossier_id).first())
    if dossier is None:
        raise NotFound(f"“三重一大”事项{dossier_id}不存在", field="dossier_id")
    return dossier


def dossier_visible(person: Person, dossier_id, *, on: dt.date | None = None) -> MajorDecision:
    dossier = _get(dossier_id)
    if not visible_dossiers(person, on=on).filter(pk=dossier.pk).exists():
        raise Forbidden("无权查看该“三重一大”事项")
    return dossier


def dossier_for_edit(person: Person, dossier_id, *, on: dt.date | None = None) -> MajorDecision:
    """Who assembles the dossier: its proposing unit, or the office (for the government's own
    matters and on anyone's behalf)."""
    on = on or rules.today()
    dossier = dossier_visible(person, dossier_id, on=on)
    if is_office_staff(person, on):
        return dossier
    if dossier.proposing_unit_id and dossier.proposing_unit_id in _own_unit_ids(person, on):
        return dossier
    raise Forbidden("只有提请单位或区政府办公室可以修改该事项")


def dossier_for_meeting(person: Person, dossier_id, *, on: dt.date | None = None) -> MajorDecision:
    """Placing on the agenda and recording the decision: the office and the government leaders."""
    on = on or rules.today()
    dossier = dossier_visible(person, dossier_id, on=on)
    if not sees_all(person, on):
        raise Forbidden("只有区政府领导或区政府办公室可以安排会议议题和登记会议决定")
    return dossier


def dossier_for_followup(person: Person, dossier_id, *, on: dt.date | None = None) -> MajorDecision:
    """Escalation and follow-up are seen by everyone who sees the dossier; the rules (art. 76)
    and the workflow tasks decide who may act."""
    return dossier_visible(person, dossier_id, on=on)


def may_propose_for(person: Person, unit: Unit | None, *, on: dt.date | None = None) -> bool:
    """A unit's people open dossiers in its name; the office opens the government's own (unit None)
    and may open one for any unit."""
    on = on or rules.today()
    if is_office_staff(person, on):
        return True
    return unit is not None and unit.pk in _own_unit_ids(person, on)
