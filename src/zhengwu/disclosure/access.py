"""Who sees and who handles the disclosure records (web, API and CLI alike). Denied by default.

- The 区政府办公室 (政务公开 is its work, art. 33) sees every record and handles the queue: 公开属性,
  保密审查, 报批, 发布.
- The 区长 sees every record (read only).
- A 副区长 sees the records of the units in his 分工; a unit sees its own; whoever holds a step of a
  record's release approval sees that record.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Portfolio

from .models import Record

OBJ = "disclosure.record"
SEES_ALL_POSITIONS = ("district_head",)


def _on(on):
    return on or rules.today()


def _authenticated(person) -> bool:
    return person is not None and getattr(person, "is_authenticated", False) and person.government_id is not None


def is_office(person: Person, on: dt.date | None = None) -> bool:
    return _authenticated(person) and org.is_office_staff(person, _on(on))


def sees_all(person: Person, on: dt.date | None = None) -> bool:
    on = _on(on)
    return is_office(person, on) or any(p.code in SEES_ALL_POSITIONS for p in org.positions_held(person, on))


def _unit_ids(person: Person, on: dt.date) -> set[int]:
    held = org.positions_held(person, on)
    own = {p.unit_id for p in held if p.unit_id}
    posts = [p.pk for p in held if p.code in org.LEADER_CODES]
    if posts:
        own |= set(Portfolio.units.through.objects.filter(portfolio__position_id__in=posts)
                   .values_list("unit_id", flat=True))
    return own


def visible_records(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not _authenticated(person):
        return Record.objects.none()
    on = _on(on)
    qs = Record.objects.filter(government_id=person.government_id)
    if sees_all(person, on):
        return qs
    from zhengwu.workflow.models import Approval

    stepped = [int(x) for x in Approval.objects.filter(obj_type=OBJ, tasks__assignee=person)
               .values_list("obj_id", flat=True).distinct()]
    return qs.filter(Q(unit_id__in=_unit_ids(person, on)) | Q(pk__in=stepped))


def record_visible(person: Person, record_id, *, on: dt.date | None = None) -> Record:
    pk = id_field(record_id, "record_id", "公开记录")
    record = Record.objects.select_related("unit", "reviewed_by", "released_by").filter(pk=pk).first()
    if record is None or not _authenticated(person) or record.government_id != person.government_id:
        raise NotFound(f"公开记录{pk}不存在", field="record_id")
    if not visible_records(person, on=on).filter(pk=record.pk).exists():
        raise Forbidden("无权查看该公开记录")
    return record


def record_for_office(person: Person, record_id, *, on: dt.date | None = None) -> Record:
    record = record_visible(person, record_id, on=on)
    if not is_office(person, on):
        raise Forbidden("只有区政府办公室可以办理政务公开事项")
    return record


def require_office(person: Person, on: dt.date | None = None) -> None:
    if not is_office(person, on):
        raise Forbidden("只有区政府办公室可以办理政务公开事项")
