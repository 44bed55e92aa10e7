"""Role resolvers: who does a step. A step names one, e.g. `position:district_head`, `unit_leader`
(the 分管领导 of the applicant unit, via 分工), `countersign_units`. Each resolves to targets —
a position (so the task follows the acting person, art. 15) and the person acting for it on the
day. Domain apps add resolvers with `@resolver("name")`; routes only name them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from zhengwu.errors import Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Position, Unit


@dataclass(frozen=True)
class Target:
    person: Person
    position: Position | None = None
    note: str = ""


@dataclass(frozen=True)
class ResolveContext:
    government: object
    applicant_unit: Unit | None
    context: dict
    on: dt.date


def context_of(approval, on: dt.date) -> ResolveContext:
    """What the resolvers of `approval`'s steps see on `on` (its government: the applicant unit's,
    else the originator's)."""
    gov = approval.applicant_unit.government if approval.applicant_unit_id else approval.originator.government
    return ResolveContext(government=gov, applicant_unit=approval.applicant_unit, context=approval.context, on=on)


ResolverFn = Callable[[ResolveContext, str | None], list[Target]]
_RESOLVERS: dict[str, ResolverFn] = {}


def resolver(name: str):
    def register(fn: ResolverFn) -> ResolverFn:
        _RESOLVERS[name] = fn
        return fn
    return register


def known(spec: str) -> bool:
    return spec.split(":", 1)[0] in _RESOLVERS


def resolve(spec: str, ctx: ResolveContext) -> list[Target]:
    name, _, arg = spec.partition(":")
    try:
        fn = _RESOLVERS[name]
    except KeyError:
        raise Refused(f"审批流程中的角色“{spec}”无法识别", field="resolver") from None
    return fn(ctx, arg or None)


def _acting(position: Position | None, ctx: ResolveContext, note: str = "") -> list[Target]:
    if position is None:
        return []
    person = org.acting_for(position, ctx.on)
    return [Target(person=person, position=position, note=note)] if person else []


def _unit(ctx: ResolveContext) -> Unit:
    if ctx.applicant_unit is None:
        raise Refused("该审批需要申请单位", field="applicant_unit")
    return ctx.applicant_unit


@resolver("position")
def by_position(ctx: ResolveContext, code: str | None) -> list[Target]:
    """Whoever acts today for each government position of that code (e.g. every 副区长)."""
    targets = []
    for pos in ctx.government.positions.filter(code=code).order_by("rank", "id"):
        targets += _acting(pos, ctx)
    return targets


@resolver("unit_leader")
def unit_leader(ctx: ResolveContext, _arg) -> list[Target]:
    """The 分管领导 of the applicant unit, from the 分工 (art. 14)."""
    return _acting(org.leader_position_of_unit(_unit(ctx)), ctx)


@resolver("matter_leader")
def matter_leader(ctx: ResolveContext, _arg) -> list[Target]:
    """The 分管领导 of the matter (art. 14, 68 按照区政府领导分工呈批): the leader whose 分工 holds the
    matter's domain (`context["domain"]`, chosen by the office when it routes), else the leader in
    charge of the applicant unit."""
    domain = ctx.context.get("domain")
    if domain:
        for pos in org.leader_positions_of_domain(ctx.government, domain):
            return _acting(pos, ctx)
    return unit_leader(ctx, _arg)


@resolver("leaders_concerned")
def leaders_concerned(ctx: ResolveContext, _arg) -> list[Target]:
    """Other leaders concerned with the matter (art. 68: 分送区政府领导, 串并联), named by the office when
    it routes (`context["concerned_position_ids"]`): whoever acts for each post that day."""
    targets = []
    for pos in Position.objects.filter(pk__in=ctx.context.get("concerned_position_ids", [])).order_by("rank", "id"):
        targets += _acting(pos, ctx)
    return targets


def _in_unit(code: str):
    def fn(ctx: ResolveContext, _arg) -> list[Target]:
        return _acting(org.unit_post(code, _unit(ctx)), ctx)
    return fn


resolver("unit_head")(_in_unit("unit_head"))
resolver("unit_deputy")(_in_unit("unit_deputy"))
resolver("section_head")(_in_unit("section_head"))


@resolver("meeting_chair")
def meeting_chair(ctx: ResolveContext, _arg) -> list[Target]:
    pid = ctx.context.get("chair_position_id")
    if pid is None:
        raise Refused("该审批需要指明会议主持人", field="chair_position_id")
    return _acting(Position.objects.filter(pk=pid).first(), ctx)


@resolver("countersign_units")
def countersign_units(ctx: ResolveContext, _arg) -> list[Target]:
    """The heads of the units whose powers are involved (会签), one task each, in parallel."""
    targets = []
    for unit in Unit.objects.filter(pk__in=ctx.context.get("countersign_unit_ids", [])):
        targets += _acting(org.unit_post("unit_head", unit), ctx)
    return targets


@resolver("people")
def people(ctx: ResolveContext, key: str | None) -> list[Target]:
    """Named people from the approval's context, e.g. `people:readers`."""
    ids = ctx.context.get(key or "people", [])
    return [Target(person=p) for p in Person.objects.filter(pk__in=ids).order_by("pk")]


@resolver("external")
def external(ctx: ResolveContext, name: str | None) -> list[Target]:
    """An approval outside this system (区委书记, 市委市政府): the 办公室主任 records it."""
    return _acting(org.position_by_code(ctx.government, "office_director"), ctx, note=f"代为登记{name}意见")
