"""The organisation (组织机构): units with their 分管领导, the district leaders with their 分工 and
who acts for them today (补位, art. 15), and a directory of people."""

from __future__ import annotations

from ninja import Query, Router

from zhengwu import rules

from .. import selectors
from ..schemas import LeaderOut, PeoplePage, UnitOut, responses
from .tasks import MAX_LIMIT, MAX_OFFSET, person_ref

router = Router(tags=["org"])


def _position_ref(pos) -> dict:
    return {"id": pos.pk, "code": pos.code, "title": pos.title}


def _unit_ref(u) -> dict:
    return {"id": u.pk, "name": u.name, "short_name": u.short_name or u.name}


@router.get("/units", response=responses(list[UnitOut]), summary="单位及其分管区领导", operation_id="org_units")
def units(request):
    """The active units of the caller's government in their order, each with its kind (art. 97)
    and the 区领导 in charge of it by the 分工 (art. 14)."""
    today = rules.today()
    gov = selectors.government_of(request.auth)
    if gov is None:
        return []
    kinds = rules.param("org.unit_kinds", today)
    return [{**_unit_ref(u), "kind": u.kind, "kind_label": kinds.get(u.kind, u.kind),
             "leader": {"position": _position_ref(pos), "holder": person_ref(holder)} if pos is not None else None}
            for u, pos, holder in selectors.units_with_leaders(gov, today)]


@router.get("/leaders", response=responses(list[LeaderOut]), summary="区长、常务副区长、副区长及分工",
            operation_id="org_leaders")
def leaders(request):
    """The 区长, 常务副区长 and 副区长 in rank order: who holds each post, whether they are away
    today and who then acts (补位, art. 15), and the units and domains of their 分工 (art. 14)."""
    today = rules.today()
    gov = selectors.government_of(request.auth)
    if gov is None:
        return []
    domain_labels = rules.param("org.domain_labels", today)
    position_labels = rules.param("org.positions", today)
    out = []
    for e in selectors.leaders(gov, today):
        pos, pf = e["position"], e["portfolio"]
        out.append({
            "position": _position_ref(pos), "code_label": position_labels.get(pos.code, pos.code), "rank": pos.rank,
            "holder": person_ref(e["holder"]), "away": e["absence"] is not None, "acting": person_ref(e["acting"]),
            "units": [_unit_ref(u) for u in pf.units.all()] if pf else [],
            "domains": [{"code": d, "label": domain_labels.get(d, d)} for d in (pf.domains if pf else [])],
        })
    return out


@router.get("/people", response=responses(PeoplePage), summary="人员查询", operation_id="org_people")
def people(request, q: str = Query("", max_length=50, description="登录名或姓名的一部分"),
           limit: int = Query(20, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """Active people of the caller's government whose login name or name contains `q`, with the
    positions they hold today."""
    today = rules.today()
    qs = selectors.people(selectors.government_of(request.auth), q, on=today)
    items = [{"id": p.pk, "username": p.username, "full_name": p.full_name,
              "positions": [{**_position_ref(a.position),
                             "unit": _unit_ref(a.position.unit) if a.position.unit_id else None}
                            for a in p.current]}
             for p in qs[offset:offset + limit]]
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}
