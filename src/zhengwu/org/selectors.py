"""Reads of the organisation: holders, acting persons (补位), leaders in charge (分管领导)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from zhengwu import rules

from .memo import remembered
from .models import Absence, Appointment, Government, Person, Portfolio, Position, Term, Unit

LEADER_CODES = ("district_head", "executive_deputy", "deputy_head")
OFFICE_UNIT_KIND = "gov_office"  # the 区政府办公室 (org.unit_kinds)


def current_government() -> Government | None:
    return Government.objects.order_by("id").first()


def demo_loaded() -> bool:
    """Whether the demo government (`zhengwu demo load`) is in this database: its fictional
    accounts with the published password exist (the login page says so only then)."""
    return Government.objects.filter(demo=True).exists()


def term_on(government: Government, on: dt.date) -> Term | None:
    return government.terms.filter(start__lte=on, end__gt=on).first()


def _active(qs: QuerySet, on: dt.date) -> QuerySet:
    return qs.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))


def holder_of(position: Position, on: dt.date) -> Person | None:
    """Who holds the position on `on` (not counting absences)."""
    appt = _active(Appointment.objects.filter(position=position), on).select_related("person").first()
    return appt.person if appt else None


def positions_of(person: Person, on: dt.date) -> list[Position]:
    """The positions a person holds on `on` (read once per request: org.memo)."""
    if person.pk is None:
        return []
    return list(remembered(("positions_of", person.pk, on), lambda: [
        a.position for a in _active(Appointment.objects.filter(person_id=person.pk)
                                    .select_related("position", "position__unit"), on)]))


def positions_held(person: Person, on: dt.date) -> list[Position]:
    """The positions a person holds on `on`, and those they act for that day (补位, art. 15)."""
    return positions_of(person, on) + acted_for_by(person, on)


def is_office_staff(person: Person, on: dt.date) -> bool:
    """Works in the 区政府办公室 on `on` (any position in a unit of its kind)."""
    return any(p.unit_id and p.unit.kind == OFFICE_UNIT_KIND for p in positions_of(person, on))


SUPERVISION_POSITION = "supervision_director"  # org.positions: 督查指挥中心主任 (art. 50)


def is_supervision_staff(person: Person, on: dt.date) -> bool:
    """Works in the 区督查指挥中心 on `on` (holds, or acts for, a post in the unit of its director's
    post): it reads meetings, minutes and dossiers to take ledger items from them (art. 49-50)."""
    if person is None or getattr(person, "government_id", None) is None:
        return False
    centers = remembered(("supervision_centers", person.government_id), lambda: frozenset(
        Position.objects.filter(government_id=person.government_id, code=SUPERVISION_POSITION,
                                unit__isnull=False).values_list("unit_id", flat=True)))
    return bool(centers) and any(p.unit_id in centers for p in positions_held(person, on))


def in_supervision_center(government_id: int, unit_ids) -> Exists:
    """A filter expression (no query of its own): one of `unit_ids` is the 督查指挥中心's unit. For
    a queryset that the center may read whole: qs.filter(Q(...) | in_supervision_center(...))."""
    return Exists(Position.objects.filter(government_id=government_id, code=SUPERVISION_POSITION,
                                          unit_id__in=list(unit_ids)))


def _by_code(government: Government, code: str, unit: Unit | None) -> QuerySet:
    # the first of them (by rank, then id) is the position a code names
    qs = government.positions.filter(code=code)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("rank", "id")


def position_by_code(government: Government, code: str, unit: Unit | None = None) -> Position | None:
    return _by_code(government, code, unit).first()


def distinct_people(*people: Person | None) -> list[Person]:
    """The people named, each once, in order, the missing ones (None) left out: the recipients of a
    notice sent to several posts that one person may hold or act for."""
    seen: set[int] = set()
    out = []
    for person in people:
        if person is not None and person.pk not in seen:
            seen.add(person.pk)
            out.append(person)
    return out


# The 区政府办公室's posts carry the office's own codes: its 主要负责人 is the 办公室主任, its 分管负责人
# the 副主任 (org.positions).
OFFICE_UNIT_POSTS = {"unit_head": "office_director", "unit_deputy": "office_deputy_director"}


def unit_post(code: str, unit: Unit) -> Position | None:
    """The unit's post of that code (unit_head, unit_deputy, section_head; the first by rank); in the
    区政府办公室, the office's own post that stands for it."""
    post = unit.positions.filter(code=code).order_by("rank", "id").first()
    if post is None and unit.kind == OFFICE_UNIT_KIND and code in OFFICE_UNIT_POSTS:
        post = unit.positions.filter(code=OFFICE_UNIT_POSTS[code]).order_by("rank", "id").first()
    return post


def _absences_on(qs: QuerySet, on: dt.date) -> QuerySet:
    # the latest-starting one where several overlap (the id decides a tie, the same way every time)
    return qs.filter(cancelled=False, start__lte=on, end__gte=on).order_by("-start", "-id")


def absence_on(person: Person, on: dt.date) -> Absence | None:
    return _absences_on(person.absences.all(), on).first()


_UNKNOWN = object()


def _holder_and_absence(appointments: QuerySet, on: dt.date):
    """In one query, the holder among `appointments` as `holder_of` chooses, the position they hold,
    and whether they are away on `on`: (None, None, None) when nobody holds it, else (person,
    position, None) — present — or (person, position, _UNKNOWN) — away, the Absence to be read
    (by `absence_on`, only then: rare)."""
    appt = (_active(appointments, on).select_related("person", "position")
            .annotate(away_id=Subquery(_absences_on(Absence.objects.filter(person_id=OuterRef("person_id")), on)
                                       .values("pk")[:1]))
            .first())
    if appt is None:
        return None, None, None
    return appt.person, appt.position, (None if appt.away_id is None else _UNKNOWN)


def acting_for(position: Position, on: dt.date) -> Person | None:
    """Who acts for the position on `on` (补位, art. 15).

    The holder, unless away: then the 常务副区长 for the 区长 while he is away with his 委托 recorded
    (the absence designated by the 区长 himself; without it he keeps his own work), or the substitute the
    区长 designated for a 副区长. A substitute who is away too is followed in turn; a chain that
    returns to someone already seen, or ends with nobody, yields None (the office must step in).
    One query when the holder is there.
    """
    person, _, away = _holder_and_absence(Appointment.objects.filter(position=position), on)
    return _follow(position, person, away, on)


def holder_and_acting(position: Position, on: dt.date) -> tuple[Person | None, Person | None]:
    """(`holder_of(position, on)`, `acting_for(position, on)`) in one query when the holder is there:
    who may hold an approval step of the post (workflow.authority)."""
    person, _, away = _holder_and_absence(Appointment.objects.filter(position=position), on)
    return person, _follow(position, person, away, on)


def acting_for_code(government: Government, code: str, on: dt.date, unit: Unit | None = None) -> Person | None:
    """`acting_for(position_by_code(government, code, unit), on)`, in one query when the holder of
    that position is there."""
    first = _by_code(government, code, unit).values("pk")[:1]
    person, position, away = _holder_and_absence(Appointment.objects.filter(position_id=Subquery(first)), on)
    if person is None:  # no such position, or nobody holds it: acting_for of no holder is nobody
        return None
    position.government = government  # as position_by_code's position has it (read by the 区长's chain)
    return _follow(position, person, away, on)


def _follow(position: Position, person: Person | None, away, on: dt.date) -> Person | None:
    """The substitution chain of `acting_for` from the holder `person` of `position` (`away`: their
    absence, None, or _UNKNOWN: not read yet)."""
    seen: set[int] = set()
    pos = position
    while person is not None and person.pk not in seen:
        seen.add(person.pk)
        if away is _UNKNOWN:
            away = absence_on(person, on)
        if away is None:
            return person
        if pos.code == "district_head":
            if away.designated_by_id != person.pk:  # no 委托 recorded: the 区长 keeps his own work (art. 15)
                return person
            acting_code = rules.param("substitution.district_head_acting", on)
            pos = position_by_code(position.government, acting_code)
            person, _, away = (_holder_and_absence(Appointment.objects.filter(position=pos), on) if pos
                               else (None, None, None))
        else:
            person, away = away.substitute, _UNKNOWN
            if person is not None:
                held = positions_of(person, on)
                pos = held[0] if held else pos
    return None


def acted_for_by(person: Person, on: dt.date) -> list[Position]:
    """The positions `person` acts for on `on` besides their own (whose open tasks they can see);
    read once per request (org.memo)."""
    if person.government_id is None or person.pk is None:
        return []
    return list(remembered(("acted_for_by", person.pk, on), lambda: _acted_for_by(person, on)))


def _acted_for_by(person: Person, on: dt.date) -> list[Position]:
    result = []
    # Three queries whatever the number of leaders (positions, their holders, who is away); the
    # chain of substitutes is followed only for a leader who is away.
    positions = list(Position.objects.filter(government_id=person.government_id, code__in=LEADER_CODES)
                     .order_by("rank"))
    holders: dict[int, Person] = {}
    for appt in _active(Appointment.objects.filter(position__in=positions), on).select_related("person"):
        holders.setdefault(appt.position_id, appt.person)  # as holder_of: the first by the default ordering
    away = set(Absence.objects.filter(person_id__in=[h.pk for h in holders.values()], cancelled=False,
                                      start__lte=on, end__gte=on).values_list("person_id", flat=True))
    for pos in positions:
        holder = holders.get(pos.pk)
        if holder is not None and holder.pk != person.pk and holder.pk in away:
            acting = acting_for(pos, on)
            if acting is not None and acting.pk == person.pk:
                result.append(pos)
    return result


def leader_position_of_unit(unit: Unit) -> Position | None:
    """The 分管领导's position for a unit, from the 分工 (art. 14)."""
    p = Portfolio.objects.filter(units=unit, position__code__in=LEADER_CODES).select_related("position").first()
    return p.position if p else None


def leader_positions_of_domain(government: Government, domain: str) -> list[Position]:
    """The leaders' positions whose 分工 holds `domain` directly (art. 14), in rank order."""
    found = [p for p in Portfolio.objects.filter(position__government=government, position__code__in=LEADER_CODES)
             .select_related("position").order_by("position__rank", "position_id") if domain in (p.domains or [])]
    return [p.position for p in found]


def leader_of_unit(unit: Unit, on: dt.date) -> Person | None:
    pos = leader_position_of_unit(unit)
    return acting_for(pos, on) if pos else None


def unit_head(unit: Unit, on: dt.date) -> Person | None:
    pos = unit_post("unit_head", unit)
    return acting_for(pos, on) if pos else None


def government_members(government: Government, on: dt.date) -> list[tuple[Person, Position]]:
    """The members (组成人员, art. 10): 区长, 副区长 and the heads of the 组成部门."""
    spec = rules.param("org.government_member_positions", on)
    qs = _active(Appointment.objects.filter(position__government=government), on).filter(
        Q(position__code__in=spec["positions"])
        | Q(position__code="unit_head", position__unit__kind__in=spec["unit_heads_of_kinds"])
    ).select_related("person", "position", "position__unit").order_by("position__rank", "position__id")
    return [(a.person, a.position) for a in qs]


def portfolios(government: Government) -> list[Portfolio]:
    return list(Portfolio.objects.filter(position__government=government)
                .select_related("position").prefetch_related("units").order_by("position__rank"))


def units(government: Government) -> QuerySet:
    return government.units.filter(active=True)


def absences_on(government: Government, on: dt.date) -> list[Absence]:
    """Today's absences in the government, with who acts, in one query."""
    return list(Absence.objects.filter(person__government=government, cancelled=False, start__lte=on, end__gte=on)
                .select_related("person", "substitute", "designated_by").order_by("start", "id"))


def unit_get(government: Government, pk) -> Unit | None:
    return government.units.filter(pk=pk).first()


def person_get(government: Government, pk) -> Person | None:
    return government.people.filter(pk=pk).first()
