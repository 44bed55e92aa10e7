"""The office's writes to the organisation (人员、职务、任职、外出、分工), for the web pages and
`/api/v1/org/...`: who may write (the office's authorised staff, access.require_org_manager), the
objects looked up in the writer's own government only, and then zhengwu.org's services, which
apply the rules of arts. 10-15 and 29 (one 区长 in a term R12.one_head and the term R10.term_length,
the 分工 of 副区长 R14.portfolio_holder / R14.dual_duty, 五个不直接分管 R29.five_not, 补位
R15.substitute) and audit each write. Login accounts are the system administrators' (/system/)."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.errors import NotFound, Refused, id_field
from zhengwu.org import services as org_services
from zhengwu.org.models import Absence, Appointment, Person, Position, Unit

from . import access
from .services import _date  # a required date, refused naming the field


def _get(model, actor: Person, pk, field: str, label: str, **scope):
    pk = id_field(pk, field, label)
    found = model.objects.filter(pk=pk, **scope).first()
    if found is None:
        raise NotFound(f"{label}{pk}不存在", field=field)
    return found


def _person(actor, pk, field="person_id", label="人员") -> Person:
    return _get(Person, actor, pk, field, label, government_id=actor.government_id)


def _position(actor, pk, field="position_id") -> Position:
    return _get(Position, actor, pk, field, "职务", government_id=actor.government_id)


def _unit(actor, pk, field="unit_id") -> Unit:
    return _get(Unit, actor, pk, field, "单位", government_id=actor.government_id)


def _manager(actor: Person, on: dt.date | None = None) -> dt.date:
    on = on or rules.today()
    access.require_org_manager(actor, on)
    return on


def person_create(*, actor: Person, username: str, full_name: str, phone: str = "", email: str = "") -> Person:
    """A person of the government (no login yet: the system administrators open accounts at /system/)."""
    _manager(actor)
    return org_services.person_create(actor=actor, government=actor.government, username=username,
                                      full_name=full_name, phone=phone or "", email=email or "")


def position_create(*, actor: Person, code: str, title: str, unit_id=None, rank: int = 100) -> Position:
    _manager(actor)
    unit = _unit(actor, unit_id) if unit_id not in (None, "") else None
    if not isinstance(rank, int) or not 1 <= rank <= 10000:
        raise Refused("排序须为1至10000的整数", field="rank")
    return org_services.position_create(actor=actor, government=actor.government, code=code, title=title,
                                        unit=unit, rank=rank)


def appointment_create(*, actor: Person, position_id, person_id, start) -> Appointment:
    _manager(actor)
    return org_services.appointment_create(actor=actor, position=_position(actor, position_id),
                                           person=_person(actor, person_id), start=_date(start, "start", "任职日期"))


def appointment_end(*, actor: Person, appointment_id, end) -> Appointment:
    _manager(actor)
    appt = _get(Appointment, actor, appointment_id, "appointment_id", "任职",
                position__government_id=actor.government_id)
    return org_services.appointment_end(actor=actor, appointment=appt, end=_date(end, "end", "免职日期"))


def absence_create(*, actor: Person, person_id, start, end, reason: str, substitute_id=None,
                   designated_by_id=None) -> tuple[Absence, list]:
    """外出/休假 recorded by the office, with who acts (补位, art. 15): for a 副区长 the substitute the
    区长 designates (designated_by = the 区长), for the 区长 his 委托 (designated_by = the 区长 himself)."""
    _manager(actor)
    person = _person(actor, person_id)
    substitute = _person(actor, substitute_id, "substitute_id", "补位人") if substitute_id not in (None, "") else None
    designated = (_person(actor, designated_by_id, "designated_by_id", "安排（委托）人")
                  if designated_by_id not in (None, "") else None)
    return org_services.absence_create(actor=actor, person=person, start=_date(start, "start", "开始日期"),
                                       end=_date(end, "end", "结束日期"), reason=reason, substitute=substitute,
                                       designated_by=designated)


def absence_cancel(*, actor: Person, absence_id) -> Absence:
    _manager(actor)
    absence = _get(Absence, actor, absence_id, "absence_id", "外出/休假", person__government_id=actor.government_id)
    return org_services.absence_cancel(actor=actor, absence=absence)


def portfolio_set(*, actor: Person, position_id, unit_ids=(), domains=(), note: str = "", dual_duties=None):
    """分工 (art. 14) with 五个不直接分管 (art. 29) and 一岗双责 (art. 14, a warning when left out)."""
    on = _manager(actor)
    position = _position(actor, position_id)
    units = [_unit(actor, pk, "unit_ids") for pk in (unit_ids or [])]
    if not isinstance(note, str) or len(note) > 1000:
        raise Refused("分工说明须为文字，不超过1000字", field="note")
    return org_services.portfolio_set(actor=actor, position=position, units=units, domains=list(domains or []),
                                      note=note.strip(), dual_duties=None if dual_duties is None else list(dual_duties),
                                      on=on)
