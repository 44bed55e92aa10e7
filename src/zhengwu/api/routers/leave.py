"""Leave and the leaders' calendar (arts. 89, 15, 94): 外出请假 and 外出报告 one may see, the
区长's answer (the same guard as the inbox and /api/v1/tasks: anyone else is refused citing art. 89),
撤销 and 销假; the leaders' week (meetings, absences, the activities the office arranges) and the
office's activities.

Reads go through zhengwu.affairs.leave.access (leaders and the office see all, a person his own, a
分管领导 the reports of his units' heads), writes through its services."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import StrictBool

from zhengwu import rules
from zhengwu.affairs.leave import access, calendar, services
from zhengwu.affairs.leave.models import LeaveRequest
from zhengwu.errors import Forbidden

from ..schemas import ClosedSchema, DocId, ErrorOut, IsoDate, PersonRef, Text, responses
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET, person_ref

router = Router(tags=["leave"])

RequestId = Path(..., ge=1, le=MAX_ID, description="请假编号")
EventId = Path(..., ge=1, le=MAX_ID, description="活动编号")


class LeaveOut(Schema):
    id: int
    kind: str
    kind_label: str
    person: PersonRef
    position: str
    unit: Optional[str]
    start: dt.date
    end: dt.date
    destination: str
    reason: str
    substitute: Optional[PersonRef]
    status: str
    status_label: str
    decided_by: Optional[PersonRef]
    decided_on: Optional[dt.date]
    returned_on: Optional[dt.date]
    absence_id: Optional[int] = Field(None, description="组织机构中登记的外出（补位据此生效，第十五条）")
    version: int


class LeavePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LeaveOut]


class LeaveIn(ClosedSchema):
    start: IsoDate = Field(..., description="外出开始日期")
    end: IsoDate = Field(..., description="外出结束日期（含）")
    destination: Text(100) = Field(..., description="前往地点")
    reason: Text(200) = Field(..., description="事由")
    person_id: Optional[DocId] = Field(None, description="请假人（区政府办公室代为登记时填写；默认本人）")
    substitute_id: Optional[DocId] = Field(None, description="建议补位的副区长（副区长请假时）")


class DecideIn(ClosedSchema):
    agree: StrictBool = Field(..., description="同意 / 不同意")
    note: Text(200) = Field("", description="意见")


class CancelIn(ClosedSchema):
    reason: Text(200) = Field(..., description="撤销理由")


class EntryOut(Schema):
    leader_id: int
    day: dt.date
    title: str
    kind: str
    time: str
    place: str
    url: str


class LeaderRef(Schema):
    person: PersonRef
    position: str


class CalendarOut(Schema):
    start: dt.date
    end: dt.date
    leaders: list[LeaderRef]
    entries: list[EntryOut]


class EventIn(ClosedSchema):
    leader_id: DocId = Field(..., description="区政府领导")
    title: Text(100) = Field(..., description="活动")
    day: IsoDate = Field(..., description="日期")
    start_time: Optional[Text(5)] = Field(None, description="开始时间（如09:30）")
    end_time: Optional[Text(5)] = Field(None, description="结束时间")
    place: Text(100) = Field("", description="地点")
    note: Text(200) = Field("", description="说明")


class EventOut(Schema):
    id: int
    leader: PersonRef
    title: str
    day: dt.date
    start_time: Optional[str]
    end_time: Optional[str]
    place: str
    cancelled: bool


def _out(r: LeaveRequest) -> dict:
    return {"id": r.pk, "kind": r.kind, "kind_label": r.get_kind_display(), "person": person_ref(r.person),
            "position": r.position.title, "unit": r.unit.name if r.unit_id else None, "start": r.start, "end": r.end,
            "destination": r.destination, "reason": r.reason, "substitute": person_ref(r.substitute),
            "status": r.status, "status_label": r.get_status_display(), "decided_by": person_ref(r.decided_by),
            "decided_on": r.decided_on, "returned_on": r.returned_on, "absence_id": r.absence_id, "version": r.version}


def _event_out(e) -> dict:
    return {"id": e.pk, "leader": person_ref(e.leader), "title": e.title, "day": e.day,
            "start_time": e.start_time.strftime("%H:%M") if e.start_time else None,
            "end_time": e.end_time.strftime("%H:%M") if e.end_time else None, "place": e.place,
            "cancelled": e.cancelled}


@router.get("/requests", response=responses(LeavePage), summary="外出请假与外出报告", operation_id="leave_list")
def request_list(request, limit: int = Query(20, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """The requests the caller may see, latest first."""
    qs = access.requests_visible(request.auth).select_related("person", "position", "unit", "substitute", "decided_by")
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": [_out(r) for r in qs[offset:offset + limit]]}


@router.post("/requests", response={201: LeaveOut, **{c: ErrorOut for c in (400, 401, 403, 409, 422)}},
             summary="副区长外出请假（报请区长同意）或部门主要负责人外出报告", operation_id="leave_create")
def request_create(request, data: LeaveIn):
    leave = services.leave_request(actor=request.auth, start=data.start, end=data.end, destination=data.destination,
                                   reason=data.reason, person_id=data.person_id, substitute_id=data.substitute_id)
    return Status(201, _out(access.request_visible(request.auth, leave.pk)))


@router.get("/requests/{request_id}", response=responses(LeaveOut, 404), summary="一件外出请假",
            operation_id="leave_get")
def request_get(request, request_id: int = RequestId):
    return _out(access.request_visible(request.auth, request_id))


@router.post("/requests/{request_id}/decide", response=responses(LeaveOut, 400, 403, 404, 409),
             summary="区长同意或不同意副区长外出（第八十九条）", operation_id="leave_decide")
def request_decide(request, data: DecideIn, request_id: int = RequestId):
    services.leave_decide(actor=request.auth, request_id=request_id, agree=data.agree, note=data.note)
    return _out(access.request_visible(request.auth, request_id))


@router.post("/requests/{request_id}/cancel", response=responses(LeaveOut, 400, 403, 404, 409),
             summary="撤销外出请假", operation_id="leave_cancel")
def request_cancel(request, data: CancelIn, request_id: int = RequestId):
    services.leave_cancel(actor=request.auth, request_id=request_id, reason=data.reason)
    return _out(access.request_visible(request.auth, request_id))


@router.post("/requests/{request_id}/return", response=responses(LeaveOut, 400, 403, 404, 409),
             summary="销假（提前返回）", operation_id="leave_return")
def request_return(request, request_id: int = RequestId):
    services.leave_return(actor=request.auth, request_id=request_id)
    return _out(access.request_visible(request.auth, request_id))


@router.get("/calendar", response=responses(CalendarOut, 403), summary="区政府领导活动安排（按周）",
            operation_id="leave_calendar")
def leaders_calendar(request, week: Optional[IsoDate] = Query(None, description="该周内任一天（默认本周）"),
                     leader_id: Optional[int] = Query(None, ge=1, le=MAX_ID, description="只看一位领导")):
    """Every official activity of the 区政府领导同志 in the week (art. 94): meetings, absences and
    the activities the office arranges, and what other sections contribute. Leaders and the office
    see the whole leadership."""
    me, today = request.auth, rules.today()
    if not access.sees_all(me, today):
        raise Forbidden("领导活动安排供区政府领导和区政府办公室查看")
    start, end = calendar.week_of(dt.date.fromisoformat(week) if week else today)
    people = [(p, pos) for p, pos in calendar.leaders(me.government, today) if leader_id in (None, p.pk)]
    found = calendar.entries(me.government, start, end, [p.pk for p, _ in people])
    return {"start": start, "end": end, "leaders": [{"person": person_ref(p), "position": pos.title} for p, pos in people],
            "entries": [e.__dict__ for e in found]}


@router.post("/events", response={201: EventOut, **{c: ErrorOut for c in (400, 401, 403, 409, 422)}},
             summary="安排区政府领导公务活动（区政府办公室，第九十四条）", operation_id="leave_event_create")
def event_create(request, data: EventIn):
    event = services.event_create(actor=request.auth, leader_id=data.leader_id, title=data.title, day=data.day,
                                  start_time=data.start_time, end_time=data.end_time, place=data.place, note=data.note)
    return Status(201, _event_out(event))


@router.post("/events/{event_id}/cancel", response=responses(EventOut, 403, 404, 409),
             summary="取消领导公务活动", operation_id="leave_event_cancel")
def event_cancel(request, event_id: int = EventId):
    return _event_out(services.event_cancel(actor=request.auth, event_id=event_id))


ROUTERS = [("/leave", router)]
