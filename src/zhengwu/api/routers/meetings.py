"""Meetings (会议, art. 13, 29, 35, 57–66): the calendar, one meeting, scheduling and its approval
(art. 65), the agenda and each item's readiness (art. 58–63, a dossier's procedures art. 28–30),
leave, written views and sign-in (art. 64), opening with the quorum (art. 58, 60), opinions in
speaking order with the 一把手 last (art. 29), decisions (art. 35), the minutes' review and signing
(art. 60–62) with the 纪要 .docx, rooms and bookings, the documents to issue within 7 working
days (art. 63) and the decisions exported for the supervision ledger.

Every read goes through zhengwu.meetings.access (whoever is expected at a meeting, the office and
the government leaders see it; anyone else gets 403, an unknown id 404); every write through
zhengwu.meetings.services. Refusals have the one error shape, citing the article."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Optional

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import AfterValidator, StrictBool, StrictInt, WithJsonSchema
from pydantic_core import PydanticCustomError

from zhengwu import rules
from zhengwu.errors import NotFound
from zhengwu.meetings import access, selectors, services
from zhengwu.meetings import views_support as vs
from zhengwu.meetings.models import AgendaItem, Attendance, Meeting, Minutes, Room
from zhengwu.output.download import DOCX, content_disposition

from ..schemas import ClosedSchema, DocId, ErrorOut, IsoDate, PersonRef, Text, ViolationOut, responses
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET, person_ref

router = Router(tags=["meetings"])

MeetingId = Path(..., ge=1, le=MAX_ID, description="会议编号")
ItemId = Path(..., ge=1, le=MAX_ID, description="议题编号")
MinutesId = Path(..., ge=1, le=MAX_ID, description="纪要编号")
FollowUpId = Path(..., ge=1, le=MAX_ID, description="会议决定印发文件编号")
AttendanceId = Path(..., ge=1, le=MAX_ID, description="参会记录编号")
RoomId = Path(..., ge=1, le=MAX_ID, description="会议室编号")
MeetingStatus = Literal[tuple(Meeting.Status.values)]


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError("naive_datetime", "须带时区（如 2026-11-04T09:00:00+08:00）")
    if not 1900 <= value.year <= 2100:
        raise PydanticCustomError("datetime_range", "时间须在1900年至2100年之间")
    return value


Moment = Annotated[dt.datetime, AfterValidator(_aware),
                   WithJsonSchema({"type": "string", "format": "date-time",
                                   "description": "带时区的时间，如 2026-11-04T09:00:00+08:00"})]


def _errors(*codes: int) -> dict:
    return {c: ErrorOut for c in sorted({401, 422, *codes})}


# ---- schemas ---------------------------------------------------------------------------------

class RoomOut(Schema):
    id: int
    name: str
    capacity: int


class UnitRef(Schema):
    id: int
    name: str


class MeetingSummary(Schema):
    id: int
    ref: str = Field(description="可寻址编号 meetings.meeting:<id>")
    meeting_type: str = Field(description="meetings.types 代码；空 = 部门工作会议")
    type_label: str
    title: str
    number: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: Optional[RoomOut]
    place: str
    chair: Optional[PersonRef]
    status: str
    status_label: str
    is_department_meeting: bool
    version: int


class MeetingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeetingSummary]


class AttendanceOut(Schema):
    id: int
    person: PersonRef
    role: str = Field(description="member 组成人员 / attendee 列席")
    position_title: str
    status: str
    status_label: str
    leave_reason: str
    leave_decision: str
    written_views: str
    signed_in_at: Optional[dt.datetime]
    absence_note: str


class OpinionOut(Schema):
    order: int
    speaker: PersonRef
    is_chair: bool
    text: str


class ItemOut(Schema):
    id: int
    ref: str = Field(description="可寻址编号 meetings.item:<id>")
    order: int
    title: str
    summary: str
    materials: list[str]
    matter_type: str = Field(description="“三重一大”事项类型；空 = 一般议题")
    dossier_id: Optional[int]
    lead_unit: Optional[UnitRef]
    proposer: Optional[PersonRef]
    confirmer: Optional[PersonRef]
    status: str
    outcome: str
    conditions: str
    decided_at: Optional[dt.datetime]
    publish: bool
    non_disclosure_reason: str
    opinions: list[OpinionOut]


class MinutesOut(Schema):
    id: int
    ref: str
    title: str
    number: str
    body: str
    status: str
    status_label: str
    reviewed_by: Optional[PersonRef]
    reviewed_on: Optional[dt.date]
    signed_by: Optional[PersonRef]
    signed_on: Optional[dt.date]
    next_step: str = Field(description="submit 送核 / review 核报 / sign 签发 / done 已签发")
    next_actors: list[PersonRef] = Field(description="下一步可以办理的人")
    docx_url: Optional[str]
    version: int


class FollowUpOut(Schema):
    id: int
    ref: str = Field(description="可寻址编号 meetings.followup:<id>")
    meeting_id: int
    item_id: Optional[int]
    title: str
    decided_on: dt.date
    due_on: dt.date
    issued_on: Optional[dt.date]
    document_id: Optional[int]
    lead_unit: Optional[UnitRef]
    working_days_limit: int
    working_days_used: int
    working_days_left: int
    overdue: bool
    warnings: list[ViolationOut] = []


class FollowUpPage(Schema):
    count: int
    items: list[FollowUpOut]


class MeetingOut(MeetingSummary):
    chair_position: str
    delegated: bool
    organizing_unit: Optional[UnitRef]
    held_in_government_name: bool
    important: bool
    approval_id: Optional[int]
    approval_status: Optional[str]
    approved_on: Optional[dt.date]
    opened_at: Optional[dt.datetime]
    closed_at: Optional[dt.datetime]
    publish: bool
    quorum: list[ViolationOut] = Field(description="签到人数不足法定人数时的不符合项（第五十八条、第六十条）")
    warnings: list[ViolationOut] = []
    members: list[AttendanceOut]
    attendees: list[AttendanceOut]
    items: list[ItemOut]
    minutes: Optional[MinutesOut]
    followups: list[FollowUpOut]


class MissingOut(Schema):
    code: str
    label: str
    article: int
    detail: str


class ItemReadinessOut(Schema):
    item_id: int
    title: str
    status: str
    state: str = Field(description="ready 可确定 / incomplete 尚不具备上会条件 / confirmed / decided")
    ready: bool
    violations: list[ViolationOut]
    missing: list[MissingOut] = Field(description="“三重一大”事项尚缺的程序，各注条款")


class AgendaOut(Schema):
    meeting_id: int
    date: dt.date
    items: list[ItemReadinessOut]


class BookingOut(Schema):
    meeting_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str


class RoomBookingsOut(Schema):
    room: RoomOut
    date: dt.date
    bookings: list[BookingOut]


class ExportFollowUp(Schema):
    ref: str
    title: str
    due_on: dt.date
    issued_on: Optional[dt.date]
    document_id: Optional[int]


class ExportItem(Schema):
    ref: str
    meeting_ref: str
    meeting: str
    meeting_type: str
    title: str
    outcome: str
    conditions: str
    decided_on: dt.date
    matter_type: str
    dossier_id: Optional[int]
    lead_unit: str
    publish: bool
    non_disclosure_reason: str
    followups: list[ExportFollowUp]


class ExportOut(Schema):
    count: int
    items: list[ExportItem]


# inputs

class ScheduleIn(ClosedSchema):
    """A meeting to call. The members of 全体会议, 常务会议 and 区长办公会议 come from the rulebook
    (member_ids must then be empty); for the others name them. Times with their time zone."""

    meeting_type: Text(20) = Field(..., description="meetings.types 代码", examples=["standing"])
    title: Text(200) = Field(..., examples=["区政府第二十三次常务会议"])
    starts_at: Moment
    ends_at: Moment
    chair_id: Optional[DocId] = Field(None, description="主持人")
    delegated: StrictBool = Field(False, description="受区长委托主持")
    room_id: Optional[DocId] = None
    place: Text(100) = ""
    member_ids: Optional[list[DocId]] = Field(None, max_length=200, description="组成人员（工作规则未规定时）")
    invitee_ids: list[DocId] = Field([], max_length=200, description="列席人员")
    number: Text(40) = ""
    is_department_meeting: StrictBool = False
    organizing_unit_id: Optional[DocId] = None
    held_in_government_name: Optional[StrictBool] = None
    held_in_office_name: StrictBool = False
    important: StrictBool = False
    standing_meeting_ref: Text(200) = ""


class SubmitIn(ClosedSchema):
    approval_route: Text(20) = Field("office", description="meetings.approval_routes 代码")
    special_reason: Text(200) = ""
    standing_meeting_ref: Optional[Text(200)] = None


class ProposeIn(ClosedSchema):
    title: Text(200) = Field("", description="议题名称（列入“三重一大”事项时可空）")
    summary: Text(4000) = ""
    materials: list[Text(200)] = Field([], max_length=50)
    matter_type: Text(30) = ""
    dossier_id: Optional[DocId] = None
    lead_unit_id: Optional[DocId] = None
    has_substantive_content: StrictBool = False
    has_clear_proposal: StrictBool = False
    prior_procedure_complete: StrictBool = False
    legally_required: StrictBool = False
    concerns_whole_district: StrictBool = False
    departments_disagree: StrictBool = False
    consensus_reached: StrictBool = False
    prior_topical_meeting_ref: Text(200) = ""
    prior_topical_convener_id: Optional[DocId] = Field(None, description="召开该专题会议研商的区政府分管领导（第六十三条）")


class ConfirmIn(ClosedSchema):
    by_meeting: Text(20) = Field("", description="由会议确定时：确定议题的会议类型（区政府办公室登记）")
    by_meeting_ref: Text(200) = ""


class ReasonIn(ClosedSchema):
    reason: Text(200)


class LeaveIn(ClosedSchema):
    reason: Text(200) = Field(..., examples=["赴省厅汇报工作"])
    views: Text(4000) = Field("", description="会前书面意见")


class ViewsIn(ClosedSchema):
    text: Text(4000)


class SignInIn(ClosedSchema):
    person_id: Optional[DocId] = Field(None, description="代为签到的人员（区政府办公室）；空 = 本人")


class LeaveDecisionIn(ClosedSchema):
    approve: StrictBool
    opinion: Text(500) = ""


class OpinionIn(ClosedSchema):
    speaker_id: DocId
    text: Text(4000)


class DecideIn(ClosedSchema):
    outcome: Text(10) = Field(..., description="decisions.outcomes：通过、原则通过、暂缓、不通过", examples=["通过"])
    conditions: Text(4000) = ""
    non_disclosure_reason: Text(200) = Field("", description="不予公开的理由（第三十五条）")


class MinutesIn(ClosedSchema):
    body: Text(20000)
    title: Text(200) = ""
    number: Text(40) = ""


class MinutesPatch(ClosedSchema):
    body: Text(20000)
    title: Optional[Text(200)] = None


class StepOpinionIn(ClosedSchema):
    opinion: Text(500) = ""


class RoomIn(ClosedSchema):
    name: Text(60)
    capacity: StrictInt = Field(..., ge=1, le=10000)


class FollowUpIn(ClosedSchema):
    title: Text(200)
    item_id: Optional[DocId] = None
    document_id: Optional[DocId] = None
    lead_unit_id: Optional[DocId] = None


class IssuedIn(ClosedSchema):
    issued_on: IsoDate


# ---- helpers ---------------------------------------------------------------------------------

def _room(r: Room | None) -> dict | None:
    return {"id": r.pk, "name": r.name, "capacity": r.capacity} if r else None


def _unit(u) -> dict | None:
    return {"id": u.pk, "name": u.name} if u else None


def _summary(m: Meeting, types: dict) -> dict:
    return {"id": m.pk, "ref": f"meetings.meeting:{m.pk}", "meeting_type": m.meeting_type,
            "type_label": vs.type_label(m, types), "title": m.title, "number": m.number, "starts_at": m.starts_at,
            "ends_at": m.ends_at, "room": _room(m.room), "place": m.place, "chair": person_ref(m.chair),
            "status": m.status, "status_label": m.get_status_display(), "is_department_meeting": m.is_department_meeting,
            "version": m.version}


def _attendance(a: Attendance) -> dict:
    return {"id": a.pk, "person": person_ref(a.person), "role": a.role, "position_title": a.position_title,
            "status": a.status, "status_label": a.get_status_display(), "leave_reason": a.leave_reason,
            "leave_decision": a.leave_decision, "written_views": a.written_views, "signed_in_at": a.signed_in_at,
            "absence_note": a.absence_note}


def _item(i: AgendaItem) -> dict:
    return {"id": i.pk, "ref": selectors.item_ref(i), "order": i.order, "title": i.title, "summary": i.summary,
            "materials": list(i.materials or []), "matter_type": i.matter_type, "dossier_id": i.dossier_id,
            "lead_unit": _unit(i.lead_unit), "proposer": person_ref(i.proposer), "confirmer": person_ref(i.confirmer),
            "status": i.status, "outcome": i.outcome, "conditions": i.conditions, "decided_at": i.decided_at,
            "publish": i.publish, "non_disclosure_reason": i.non_disclosure_reason,
            "opinions": [{"order": o.order, "speaker": person_ref(o.speaker), "is_chair": o.is_chair, "text": o.text}
                         for o in selectors.speaking_order(i)]}


def _minutes(mn: Minutes | None, on: dt.date) -> dict | None:
    if mn is None:
        return None
    nxt = vs.minutes_next(mn, on)
    return {"id": mn.pk, "ref": f"meetings.minutes:{mn.pk}", "title": mn.title, "number": mn.number, "body": mn.body,
            "status": mn.status, "status_label": mn.get_status_display(), "reviewed_by": person_ref(mn.reviewed_by),
            "reviewed_on": mn.reviewed_on, "signed_by": person_ref(mn.signed_by), "signed_on": mn.signed_on,
            "next_step": nxt["step"], "next_actors": [person_ref(p) for p in nxt["who"]],
            "docx_url": f"/api/v1/meetings/minutes/{mn.pk}/docx" if mn.status == Minutes.Status.SIGNED else None,
            "version": mn.version}


def _followup(row: vs.FollowUpRow, warnings=()) -> dict:
    f = row.followup
    return {"id": f.pk, "ref": f"meetings.followup:{f.pk}", "meeting_id": f.meeting_id, "item_id": f.item_id,
            "title": f.title, "decided_on": f.decided_on, "due_on": f.due_on, "issued_on": f.issued_on,
            "document_id": f.document_id, "lead_unit": _unit(f.lead_unit), "working_days_limit": row.days_limit,
            "working_days_used": row.days_used, "working_days_left": row.days_left, "overdue": row.overdue,
            "warnings": [v.as_dict() for v in warnings]}


def _detail(person, meeting_id: int, warnings=()) -> dict:
    on = rules.today()
    m = access.meeting_visible(person, meeting_id, on=on)
    types = vs.meeting_types(on)
    summary = selectors.attendance_summary(m)
    items = (m.items.exclude(status=AgendaItem.Status.WITHDRAWN).select_related("proposer", "confirmer", "lead_unit")
             .order_by("order", "id"))
    minutes = Minutes.objects.filter(meeting=m).select_related("reviewed_by", "signed_by", "meeting__chair").first()
    return {
        **_summary(m, types), "chair_position": m.chair_position, "delegated": m.delegated,
        "organizing_unit": _unit(m.organizing_unit), "held_in_government_name": m.held_in_government_name,
        "important": m.important, "approval_id": m.approval_id,
        "approval_status": m.approval.status if m.approval_id else None, "approved_on": m.approved_on,
        "opened_at": m.opened_at, "closed_at": m.closed_at, "publish": m.publish,
        "quorum": [v.as_dict() for v in summary["quorum"]], "warnings": [v.as_dict() for v in warnings],
        "members": [_attendance(a) for a in summary["members"]],
        "attendees": [_attendance(a) for a in summary["attendees"]],
        "items": [_item(i) for i in items], "minutes": _minutes(minutes, on),
        "followups": [_followup(r) for r in vs.followup_rows(person, meeting=m, on=on)],
    }


def _item_meeting(person, item_id: int) -> int:
    return access.item_visible(person, item_id).meeting_id


# ---- rooms and bookings ----------------------------------------------------------------------

@router.get("/rooms", response=responses(list[RoomOut]), summary="会议室", operation_id="meetings_rooms")
def rooms(request):
    return [_room(r) for r in selectors.rooms(request.auth.government)] if request.auth.government_id else []


@router.post("/rooms", response={201: RoomOut, **_errors(400, 403)}, summary="登记会议室（区政府办公室）",
             operation_id="meetings_room_create")
def room_create(request, data: RoomIn):
    return Status(201, _room(services.room_create(actor=request.auth, name=data.name, capacity=data.capacity)))


@router.get("/rooms/{room_id}/bookings", response=responses(RoomBookingsOut, 400, 404),
            summary="会议室某日的预订", operation_id="meetings_room_bookings")
def room_bookings(request, room_id: int = RoomId, date: Optional[IsoDate] = Query(None, description="日期，默认今天")):
    """The meetings booked in the room that day. The titles of meetings the caller may not see are
    withheld (“已预订”)."""
    room = Room.objects.filter(pk=room_id, government_id=request.auth.government_id, active=True).first()
    if room is None:
        raise NotFound(f"会议室{room_id}不存在", field="room_id")
    day = dt.date.fromisoformat(date) if date else rules.today()
    booked = selectors.room_schedule(room, day)
    visible = set(access.visible_meetings(request.auth).filter(pk__in=[m.pk for m in booked]).values_list("pk", flat=True))
    return {"room": _room(room), "date": day,
            "bookings": [{"meeting_id": m.pk if m.pk in visible else 0, "title": m.title if m.pk in visible else "已预订",
                          "starts_at": m.starts_at, "ends_at": m.ends_at, "status": m.status} for m in booked]}


# ---- follow-ups and the export ---------------------------------------------------------------

@router.get("/followups", response=responses(FollowUpPage), summary="会议决定印发文件（7个工作日，第六十三条）",
            operation_id="meetings_followups")
def followups(request, open_only: bool = Query(False, description="只列尚未印发的")):
    rows = vs.followup_rows(request.auth, open_only=open_only)
    return {"count": len(rows), "items": [_followup(r) for r in rows]}


@router.post("/followups/{followup_id}/issued", response=responses(FollowUpOut, 400, 403, 404),
             summary="登记印发（第六十三条）", operation_id="meetings_followup_issued")
def followup_issued(request, data: IssuedIn, followup_id: int = FollowUpId):
    """Issued later than 7 working days after the meeting: recorded, with the art. 63 warning."""
    f = services.followup_issued(actor=request.auth, followup_id=followup_id,
                                 issued_on=dt.date.fromisoformat(data.issued_on))
    row = next(r for r in vs.followup_rows(request.auth, meeting=f.meeting) if r.followup.pk == f.pk)
    return _followup(row, getattr(f, "warnings", ()))


@router.get("/decisions/export", response=responses(ExportOut, 400), summary="会议决定导出（供督查台账接收）",
            operation_id="meetings_decisions_export")
def decisions_export(request, since: Optional[IsoDate] = Query(None), until: Optional[IsoDate] = Query(None)):
    """Every item decided at a meeting the caller may see, as an addressable record
    (`meetings.item:<id>`) with its follow-up documents (`meetings.followup:<id>`)."""
    person = request.auth
    if person.government_id is None:
        return {"count": 0, "items": []}
    found = selectors.decisions_export(person.government, since=dt.date.fromisoformat(since) if since else None,
                                       until=dt.date.fromisoformat(until) if until else None)
    visible = {f"meetings.meeting:{pk}" for pk in access.visible_meetings(person).values_list("pk", flat=True)}
    items = [i for i in found if i["meeting_ref"] in visible]
    return {"count": len(items), "items": items}


# ---- agenda items ----------------------------------------------------------------------------

@router.get("/items/{item_id}/readiness", response=responses(ItemReadinessOut, 400, 403, 404),
            summary="议题能否上会（不作改动）", operation_id="meetings_item_readiness")
def item_readiness(request, item_id: int = ItemId):
    item = access.item_visible(request.auth, item_id)
    return _readiness(selectors.item_readiness(item, rules.today()), rules.today())


def _readiness(r, on) -> dict:
    from zhengwu.decisions import selectors as dsel

    item = r.item
    missing = dsel.missing_steps(item.dossier, on=on) if item.dossier_id else []
    return {"item_id": item.pk, "title": item.title, "status": item.status, "state": r.state, "ready": r.ready,
            "violations": [v.as_dict() for v in r.violations],
            "missing": [{"code": s.code, "label": s.label, "article": s.article, "detail": s.detail} for s in missing]}


@router.post("/items/{item_id}/confirm", response=responses(MeetingOut, 400, 403, 404, 409),
             summary="确定议题（第五十八至六十三条）", operation_id="meetings_item_confirm")
def item_confirm(request, data: ConfirmIn, item_id: int = ItemId):
    item = services.item_confirm(actor=request.auth, item_id=item_id, by_meeting=data.by_meeting,
                                 by_meeting_ref=data.by_meeting_ref)
    return _detail(request.auth, item.meeting_id)


@router.post("/items/{item_id}/withdraw", response=responses(MeetingOut, 400, 403, 404),
             summary="撤回议题", operation_id="meetings_item_withdraw")
def item_withdraw(request, data: ReasonIn, item_id: int = ItemId):
    item = services.item_withdraw(actor=request.auth, item_id=item_id, reason=data.reason)
    return _detail(request.auth, item.meeting_id)


@router.post("/items/{item_id}/opinions", response=responses(MeetingOut, 400, 403, 404),
             summary="记录发言意见（“三重一大”事项主持人末位表态，第二十九条）", operation_id="meetings_opinion")
def opinion_record(request, data: OpinionIn, item_id: int = ItemId):
    """In speaking order; on a 三重一大 item the chair speaks after every other member present,
    otherwise refused (R29.last_speaker). Refused too once the item is decided."""
    services.opinion_record(actor=request.auth, item_id=item_id, speaker_id=data.speaker_id, text=data.text)
    return _detail(request.auth, _item_meeting(request.auth, item_id))


@router.post("/items/{item_id}/decide", response=responses(MeetingOut, 400, 403, 404),
             summary="对议题作出决定（通过／原则通过／暂缓／不通过）", operation_id="meetings_decide")
def item_decide(request, data: DecideIn, item_id: int = ItemId):
    services.item_decide(actor=request.auth, item_id=item_id, outcome=data.outcome, conditions=data.conditions,
                         non_disclosure_reason=data.non_disclosure_reason, at=vs.now())
    return _detail(request.auth, _item_meeting(request.auth, item_id))


# ---- attendance ------------------------------------------------------------------------------

@router.post("/attendances/{attendance_id}/leave-decision", response=responses(MeetingOut, 400, 403, 404),
             summary="主持人批复请假（第六十四条）", operation_id="meetings_leave_decide")
def leave_decide(request, data: LeaveDecisionIn, attendance_id: int = AttendanceId):
    att = Attendance.objects.filter(pk=attendance_id).only("meeting_id").first()
    if att is None:
        raise NotFound(f"参会记录{attendance_id}不存在", field="attendance_id")
    access.meeting_visible(request.auth, att.meeting_id)
    services.leave_decide(actor=request.auth, attendance_id=attendance_id, approve=data.approve, opinion=data.opinion)
    return _detail(request.auth, att.meeting_id)


# ---- minutes ---------------------------------------------------------------------------------

@router.patch("/minutes/{minutes_id}", response=responses(MinutesOut, 400, 403, 404, 409), summary="修改纪要草稿",
              operation_id="meetings_minutes_update")
def minutes_update(request, data: MinutesPatch, minutes_id: int = MinutesId):
    mn = services.minutes_update(actor=request.auth, minutes_id=minutes_id, body=data.body, title=data.title)
    return _minutes(mn, rules.today())


@router.post("/minutes/{minutes_id}/submit", response=responses(MinutesOut, 400, 403, 404),
             summary="纪要送核（第六十至六十二条）", operation_id="meetings_minutes_submit")
def minutes_submit(request, minutes_id: int = MinutesId):
    return _minutes(services.minutes_submit(actor=request.auth, minutes_id=minutes_id), rules.today())


@router.post("/minutes/{minutes_id}/review", response=responses(MinutesOut, 400, 403, 404),
             summary="纪要核报（办公室主任；专题会议由主持人）", operation_id="meetings_minutes_review")
def minutes_review(request, data: StepOpinionIn, minutes_id: int = MinutesId):
    return _minutes(services.minutes_review(actor=request.auth, minutes_id=minutes_id, opinion=data.opinion),
                    rules.today())


@router.post("/minutes/{minutes_id}/sign", response=responses(MinutesOut, 400, 403, 404),
             summary="纪要签发（区长）", operation_id="meetings_minutes_sign")
def minutes_sign(request, data: StepOpinionIn, minutes_id: int = MinutesId):
    """Only the 区长 signs, after the review; anyone else is refused citing art. 60–62."""
    return _minutes(services.minutes_sign(actor=request.auth, minutes_id=minutes_id, opinion=data.opinion),
                    rules.today())


@router.get("/minutes/{minutes_id}/docx", response=_errors(400, 403, 404), summary="纪要版式文件（.docx）",
            operation_id="meetings_minutes_docx",
            openapi_extra={"responses": {200: {"description": "纪要格式的 .docx",
                                               "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}}}}})
def minutes_docx(request, minutes_id: int = MinutesId):
    from zhengwu.meetings.minutes_docx import render_minutes_docx

    mn = access.minutes_visible(request.auth, minutes_id)
    data = render_minutes_docx(mn)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition(f"{mn.title[:150]}.docx", f"minutes-{mn.pk}.docx")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---- meetings --------------------------------------------------------------------------------

@router.get("", response=responses(MeetingPage, 400), summary="会议列表（本人可见的）", operation_id="meetings_list")
def meeting_list(request, start: Optional[IsoDate] = Query(None, description="自此日起"),
                 end: Optional[IsoDate] = Query(None, description="至此日止（含）"),
                 meeting_type: Optional[Text(20)] = Query(None, description="meetings.types 代码，或 department"),
                 status: Optional[MeetingStatus] = Query(None),
                 limit: int = Query(20, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """By start time. Whoever is expected at a meeting sees it, the office and the government
    leaders see all; anyone else none. The number of queries does not grow with the rows."""
    qs = vs.visible_meetings(request.auth, meeting_type=meeting_type or "")
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(ends_at__gt=dt.datetime.combine(dt.date.fromisoformat(start), dt.time.min, tzinfo=tz))
    if end:
        qs = qs.filter(starts_at__lt=dt.datetime.combine(dt.date.fromisoformat(end), dt.time.min, tzinfo=tz)
                       + dt.timedelta(days=1))
    if status:
        qs = qs.filter(status=status)
    types = vs.meeting_types()
    page = list(qs.order_by("starts_at", "id")[offset:offset + limit])
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": [_summary(m, types) for m in page]}


@router.post("", response={201: MeetingOut, **_errors(400, 403, 404)}, summary="安排会议（区政府办公室）",
             operation_id="meetings_schedule")
def meeting_schedule(request, data: ScheduleIn):
    """Members from the rulebook; the room and the leaders who must attend checked for clashes (the
    refusal names room_id, chair_id or member_ids); a department's meeting never in the government's
    name (art. 66). Bad input changes nothing."""
    m = services.meeting_schedule(actor=request.auth, **data.model_dump())
    return Status(201, _detail(request.auth, m.pk, getattr(m, "warnings", ())))


@router.get("/{meeting_id}", response=responses(MeetingOut, 400, 403, 404), summary="查看会议",
            operation_id="meetings_get")
def meeting_get(request, meeting_id: int = MeetingId):
    return _detail(request.auth, meeting_id)


@router.post("/{meeting_id}/submit", response=responses(MeetingOut, 400, 403, 404, 409),
             summary="报区长审定（第六十五条）", operation_id="meetings_submit")
def meeting_submit(request, data: SubmitIn, meeting_id: int = MeetingId):
    services.meeting_submit(actor=request.auth, meeting_id=meeting_id, approval_route=data.approval_route,
                            special_reason=data.special_reason, standing_meeting_ref=data.standing_meeting_ref)
    return _detail(request.auth, meeting_id)


@router.post("/{meeting_id}/cancel", response=responses(MeetingOut, 400, 403, 404, 409), summary="取消会议",
             operation_id="meetings_cancel")
def meeting_cancel(request, data: ReasonIn, meeting_id: int = MeetingId):
    services.meeting_cancel(actor=request.auth, meeting_id=meeting_id, reason=data.reason)
    return _detail(request.auth, meeting_id)


@router.get("/{meeting_id}/agenda", response=responses(AgendaOut, 400, 403, 404),
            summary="议程与各议题的上会条件（每项缺失注明条款）", operation_id="meetings_agenda")
def agenda(request, meeting_id: int = MeetingId):
    on = rules.today()
    m = access.meeting_visible(request.auth, meeting_id, on=on)
    return {"meeting_id": m.pk, "date": on, "items": [_readiness(r, on) for r in selectors.agenda_readiness(m, on)]}


@router.post("/{meeting_id}/agenda", response={201: ItemReadinessOut, **_errors(400, 403, 404)},
             summary="提出议题", operation_id="meetings_item_propose")
def item_propose(request, data: ProposeIn, meeting_id: int = MeetingId):
    """Who may propose follows art. 58–62; the answer says whether the item is ready (art. 63 and
    a dossier's procedures), each problem with its article."""
    values = data.model_dump()
    item = services.item_propose(actor=request.auth, meeting_id=meeting_id, **values)
    on = rules.today()
    return Status(201, _readiness(selectors.item_readiness(item, on), on))


@router.post("/{meeting_id}/leave", response=responses(MeetingOut, 400, 403, 404),
             summary="会前向主持人请假，可附书面意见（第六十四条）", operation_id="meetings_leave")
def leave_request(request, data: LeaveIn, meeting_id: int = MeetingId):
    services.leave_request(actor=request.auth, meeting_id=meeting_id, reason=data.reason, views=data.views,
                           at=vs.now())
    return _detail(request.auth, meeting_id)


@router.post("/{meeting_id}/views", response=responses(MeetingOut, 400, 403, 404),
             summary="会前书面意见（第六十四条）", operation_id="meetings_views")
def views_submit(request, data: ViewsIn, meeting_id: int = MeetingId):
    services.views_submit(actor=request.auth, meeting_id=meeting_id, text=data.text, at=vs.now())
    return _detail(request.auth, meeting_id)


@router.post("/{meeting_id}/sign-in", response=responses(MeetingOut, 400, 403, 404),
             summary="签到（会议当天）", operation_id="meetings_sign_in")
def sign_in(request, data: SignInIn, meeting_id: int = MeetingId):
    services.sign_in(actor=request.auth, meeting_id=meeting_id, person_id=data.person_id, at=vs.now())
    return _detail(request.auth, meeting_id)


@router.post("/{meeting_id}/open", response=responses(MeetingOut, 400, 403, 404, 409),
             summary="开会（法定人数，第五十八条、第六十条）", operation_id="meetings_open")
def meeting_open(request, meeting_id: int = MeetingId):
    """Refused short of the quorum (全体会议: more than half; 常务会议: half or more), or without
    the approval of art. 65, citing the article."""
    services.meeting_open(actor=request.auth, meeting_id=meeting_id, at=vs.now())
    return _detail(request.auth, meeting_id)


@router.post("/{meeting_id}/close", response=responses(MeetingOut, 400, 403, 404, 409),
             summary="散会（未请假缺席者记录在案）", operation_id="meetings_close")
def meeting_close(request, meeting_id: int = MeetingId):
    services.meeting_close(actor=request.auth, meeting_id=meeting_id, at=vs.now())
    return _detail(request.auth, meeting_id)


@router.post("/{meeting_id}/minutes", response={201: MinutesOut, **_errors(400, 403, 404)},
             summary="起草纪要（区政府办公室）", operation_id="meetings_minutes_draft")
def minutes_draft(request, data: MinutesIn, meeting_id: int = MeetingId):
    mn = services.minutes_draft(actor=request.auth, meeting_id=meeting_id, body=data.body, title=data.title,
                                number=data.number)
    return Status(201, _minutes(mn, rules.today()))


@router.post("/{meeting_id}/followups", response={201: FollowUpOut, **_errors(400, 403, 404)},
             summary="登记会议决定印发的文件（7个工作日内印发，第六十三条）", operation_id="meetings_followup_create")
def followup_create(request, data: FollowUpIn, meeting_id: int = MeetingId):
    f = services.followup_create(actor=request.auth, meeting_id=meeting_id, **data.model_dump())
    row = next(r for r in vs.followup_rows(request.auth, meeting=f.meeting) if r.followup.pk == f.pk)
    return Status(201, _followup(row))
