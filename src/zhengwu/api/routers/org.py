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


# ---- writes: the office keeps the organisation (arts. 10-15, 29) --------------------------------
# Only the 区政府办公室's authorised staff (zhengwu.affairs.leave.access.may_manage_org); each write
# goes through zhengwu.org's services, which apply the rules and audit it. Login accounts are the
# system administrators' (/system/), not these.

import datetime as _dt  # noqa: E402
from typing import Optional  # noqa: E402

from ninja import Field, Path, Schema, Status  # noqa: E402

from zhengwu.affairs.leave import orgwrite  # noqa: E402

from ..schemas import ClosedSchema, DocId, ErrorOut, IsoDate, PersonRef, Text  # noqa: E402
from .tasks import MAX_ID  # noqa: E402

WRITE_ERRORS = (400, 401, 403, 404, 409, 422)
CREATED_ERRORS = {c: ErrorOut for c in WRITE_ERRORS}


class PersonIn(ClosedSchema):
    username: Text(150) = Field(..., description="登录名（账号由系统管理员在系统管理中开通）")
    full_name: Text(40) = Field(..., description="姓名")
    phone: Text(30) = Field("", description="电话")
    email: Text(254) = Field("", description="电子邮箱")


class PositionIn(ClosedSchema):
    code: Text(30) = Field(..., description="职务类别（工作规则参数 org.positions）")
    title: Text(60) = Field(..., description="职务名称")
    unit_id: Optional[DocId] = Field(None, description="所在单位")
    rank: int = Field(100, ge=1, le=10000, description="排序")


class PositionOut(Schema):
    id: int
    code: str
    title: str
    unit_id: Optional[int]
    rank: int


class AppointmentIn(ClosedSchema):
    position_id: DocId
    person_id: DocId
    start: IsoDate = Field(..., description="任职日期")


class AppointmentEndIn(ClosedSchema):
    end: IsoDate = Field(..., description="免职日期")


class AppointmentOut(Schema):
    id: int
    position_id: int
    person: PersonRef
    start: _dt.date
    end: Optional[_dt.date]


class AbsenceIn(ClosedSchema):
    person_id: DocId
    start: IsoDate
    end: IsoDate = Field(..., description="结束日期（含）")
    reason: Text(200) = Field(..., description="事由")
    substitute_id: Optional[DocId] = Field(None, description="补位人（第十五条）")
    designated_by_id: Optional[DocId] = Field(None, description="安排补位的人：副区长外出为区长；区长外出填区长本人即委托常务副区长")


class AbsenceOut(Schema):
    id: int
    person: PersonRef
    start: _dt.date
    end: _dt.date
    reason: str
    substitute: Optional[PersonRef]
    designated_by: Optional[PersonRef]
    cancelled: bool
    warnings: list[str] = Field([], description="提示（不阻止登记）")


class PortfolioIn(ClosedSchema):
    unit_ids: list[DocId] = Field([], max_length=100, description="分管单位")
    domains: list[Text(30)] = Field([], max_length=50, description="分管事项（工作规则参数 org.domain_labels）")
    dual_duties: Optional[list[Text(30)]] = Field(None, max_length=20, description="一岗双责领域（默认全部，第十四条）")
    note: Text(1000) = Field("", description="分工说明")


class PortfolioOut(Schema):
    position_id: int
    units: list[str]
    domains: list[str]
    dual_duties: list[str]
    note: str
    warnings: list[str]


def _absence_out(a, warnings=()) -> dict:
    return {"id": a.pk, "person": person_ref(a.person), "start": a.start, "end": a.end, "reason": a.reason,
            "substitute": person_ref(a.substitute), "designated_by": person_ref(a.designated_by),
            "cancelled": a.cancelled, "warnings": [v.message for v in warnings]}


def _appointment_out(a) -> dict:
    return {"id": a.pk, "position_id": a.position_id, "person": person_ref(a.person), "start": a.start, "end": a.end}


@router.post("/people", response={201: PersonRef, **CREATED_ERRORS}, summary="新增人员（区政府办公室）",
             operation_id="org_person_create")
def person_create(request, data: PersonIn):
    p = orgwrite.person_create(actor=request.auth, username=data.username, full_name=data.full_name,
                               phone=data.phone, email=data.email)
    return Status(201, person_ref(p))


@router.post("/positions", response={201: PositionOut, **CREATED_ERRORS}, summary="设立职务（区政府办公室）",
             operation_id="org_position_create")
def position_create(request, data: PositionIn):
    pos = orgwrite.position_create(actor=request.auth, code=data.code, title=data.title, unit_id=data.unit_id,
                                   rank=data.rank)
    return Status(201, {"id": pos.pk, "code": pos.code, "title": pos.title, "unit_id": pos.unit_id, "rank": pos.rank})


@router.put("/positions/{position_id}/portfolio", response=responses(PortfolioOut, 400, 403, 404, 409),
            summary="调整分工（第十四条、第二十九条）", operation_id="org_portfolio_set")
def portfolio_set(request, data: PortfolioIn, position_id: int = Path(..., ge=1, le=MAX_ID)):
    pf = orgwrite.portfolio_set(actor=request.auth, position_id=position_id, unit_ids=data.unit_ids,
                                domains=data.domains, note=data.note, dual_duties=data.dual_duties)
    return {"position_id": pf.position_id, "units": sorted(u.name for u in pf.units.all()), "domains": pf.domains,
            "dual_duties": pf.dual_duties, "note": pf.note, "warnings": [v.message for v in pf.warnings]}


@router.post("/appointments", response={201: AppointmentOut, **CREATED_ERRORS}, summary="任职（第十条、第十二条）",
             operation_id="org_appointment_create")
def appointment_create(request, data: AppointmentIn):
    a = orgwrite.appointment_create(actor=request.auth, position_id=data.position_id, person_id=data.person_id,
                                    start=data.start)
    return Status(201, _appointment_out(a))


@router.post("/appointments/{appointment_id}/end", response=responses(AppointmentOut, 400, 403, 404, 409),
             summary="免职", operation_id="org_appointment_end")
def appointment_end(request, data: AppointmentEndIn, appointment_id: int = Path(..., ge=1, le=MAX_ID)):
    return _appointment_out(orgwrite.appointment_end(actor=request.auth, appointment_id=appointment_id, end=data.end))


@router.post("/absences", response={201: AbsenceOut, **CREATED_ERRORS}, summary="登记外出/休假及补位（第十五条）",
             operation_id="org_absence_create")
def absence_create(request, data: AbsenceIn):
    a, warnings = orgwrite.absence_create(actor=request.auth, person_id=data.person_id, start=data.start,
                                          end=data.end, reason=data.reason, substitute_id=data.substitute_id,
                                          designated_by_id=data.designated_by_id)
    return Status(201, _absence_out(a, warnings))


@router.post("/absences/{absence_id}/cancel", response=responses(AbsenceOut, 400, 403, 404, 409),
             summary="撤销外出/休假", operation_id="org_absence_cancel")
def absence_cancel(request, absence_id: int = Path(..., ge=1, le=MAX_ID)):
    return _absence_out(orgwrite.absence_cancel(actor=request.auth, absence_id=absence_id))
