"""The only writers of meetings (art. 13, 29, 35, 57–66). Each service: checks access, validates
its input (naming the field), builds the facts, asks the rules, writes and appends the audit event
in one transaction; a refusal changes nothing.

Signatures (every argument keyword-only; `on` is the business day, default today; `at` a moment,
default now; ids may be ints or digit strings):

Rooms
    room_create(*, actor, name, capacity, government=None) -> Room          (government: the actor's)
Scheduling and approval (art. 13, 57–62, 65, 66)
    meeting_schedule(*, actor, meeting_type, title, starts_at, ends_at, chair_id, delegated=False,
                     room_id=None, place="", member_ids=None, invitee_ids=(), number="",
                     is_department_meeting=False, organizing_unit_id=None,
                     held_in_government_name=None, held_in_office_name=False, important=False,
                     standing_meeting_ref="", on=None) -> Meeting      (.warnings: R66.leaders_attend)
    meeting_reschedule(*, actor, meeting_id, starts_at=None, ends_at=None, room_id=KEEP, place=None) -> Meeting
    meeting_invite(*, actor, meeting_id, person_ids) -> list[Attendance]
    meeting_cancel(*, actor, meeting_id, reason) -> Meeting
    meeting_submit(*, actor, meeting_id, approval_route="office", special_reason="",
                   standing_meeting_ref="", on=None) -> Meeting        (starts meeting.approval[_special];
                   the 区长's 同意 approves it and sends the notices: engine.py)
Agenda (art. 58–63, with the dossier's readiness, art. 28–30)
    item_propose(*, actor, meeting_id, title, summary="", materials=(), matter_type="", dossier_id=None,
                 lead_unit_id=None, **flags, on=None) -> AgendaItem
                 flags: has_substantive_content, has_clear_proposal, prior_procedure_complete,
                 legally_required, concerns_whole_district, departments_disagree,
                 prior_topical_meeting_ref, consensus_reached, prior_topical_convener_id (art. 63: the
                 分管领导 who convened that 专题会议, optional)
    item_update(*, actor, item_id, **fields) -> AgendaItem            (title, summary, materials, flags)
    item_confirm(*, actor, item_id, by_meeting="", by_meeting_ref="", on=None) -> AgendaItem
    item_withdraw(*, actor, item_id, reason) -> AgendaItem
Attendance (art. 64)
    leave_request(*, actor, meeting_id, reason, views="", at=None) -> Attendance   (route meeting.leave)
    leave_decide(*, actor, attendance_id, approve, opinion="", on=None) -> Attendance
    views_submit(*, actor, meeting_id, text, at=None) -> Attendance
    sign_in(*, actor, meeting_id, person_id=None, at=None) -> Attendance
Deliberation (art. 29, 58, 60, 65)
    meeting_open(*, actor, meeting_id, at=None) -> Meeting
    opinion_record(*, actor, item_id, speaker_id, text) -> Opinion
    item_decide(*, actor, item_id, outcome, conditions="", non_disclosure_reason="", at=None) -> AgendaItem
    meeting_close(*, actor, meeting_id, at=None) -> Meeting
Minutes (art. 60–62)
    minutes_draft(*, actor, meeting_id, body, title="", number="") -> Minutes
    minutes_update(*, actor, minutes_id, body, title=None) -> Minutes
    minutes_submit(*, actor, minutes_id, on=None) -> Minutes          (route minutes.<type>)
    minutes_review(*, actor, minutes_id, opinion="", on=None) -> Minutes
    minutes_sign(*, actor, minutes_id, opinion="", on=None) -> Minutes
Follow-up (art. 63)
    followup_create(*, actor, meeting_id, title, item_id=None, document_id=None, lead_unit_id=None) -> FollowUp
    followup_link_document(*, actor, followup_id, document_id) -> FollowUp
    followup_issued(*, actor, followup_id, issued_on) -> FollowUp     (.warnings: R63.issue_within)

Reads are in selectors.py; the .docx of the minutes in minutes_docx.py; reminders in tick.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from zhengwu import rules
from zhengwu.audit.services import audit_append, snapshot
from zhengwu.errors import Conflict, Forbidden, Refused, id_field, refuse_if_blocking
from zhengwu.org import selectors as org
from zhengwu.org.models import Government, Person, Unit
from zhengwu.rulebook import declare, note_exercised, starts
from zhengwu.transitions import set_once, transition
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task
from zhengwu.security.admins import refuse_business

from . import access, dossiers, engine, facts, notices
from .models import AgendaItem, Attendance, FollowUp, Meeting, Minutes, Opinion, Room

OBJ_MEETING = "meetings.meeting"
OBJ_ATTENDANCE = "meetings.attendance"
OBJ_ITEM = "meetings.item"
OBJ_MINUTES = "meetings.minutes"
OBJ_FOLLOWUP = "meetings.followup"
OBJ_ROOM = "meetings.room"

# meetings.approval_routes key -> the route of the rulebook that carries it (art. 65)
APPROVAL_ROUTE_IDS = {"office": "meeting.approval", "deputy_head": "meeting.approval_special"}
LEAVE_ROUTE = "meeting.leave"
# the routes this module starts (`rules coverage` credits their articles): approval, leave, and the
# minutes route of each meeting type that has one (`_minutes_route`: "minutes.<type>")
starts(*APPROVAL_ROUTE_IDS.values(), LEAVE_ROUTE, "minutes.standing", "minutes.head_office", "minutes.topical")
KEEP = object()
PUBLISHED = declare("W35.meeting_decisions_published", article=35, kind="register",
                    summary="全体会议、常务会议决定事项除需保密的外标记公布（不公开须说明理由）")

ITEM_FLAGS = ("has_substantive_content", "has_clear_proposal", "prior_procedure_complete", "legally_required",
              "concerns_whole_district", "departments_disagree", "consensus_reached")
ITEM_TEXTS = ("prior_topical_meeting_ref",)
# the violations of AgendaItemFacts that only say the item is not yet confirmed (確定)
CONFIRM_FIELDS = ("confirmer", "confirmed_by_meeting", "confirmer_is_chair")
CONVENER_RULES = ("R13.convener", "R58.convener", "R60.chair", "R61.chair", "R62.chair")  # 召集 and 主持
SCHEDULE_RULES = ("R57.type", *CONVENER_RULES, "R66.department_name", "R66.leaders_attend")
OPEN_RULES = ("R57.type", *CONVENER_RULES, "R58.quorum", "R60.quorum", "R65.approval",
              "R66.department_name")


# ---- small helpers -------------------------------------------------------------------------

def _now(at: dt.datetime | None) -> dt.datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise Refused("时间须带时区", field="at")
    return at


def _text(value, field: str, label: str, *, required: bool = True, max_len: int | None = None) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise Refused(f"{label}须为文字", field=field)
    if required and not text:
        raise Refused(f"{label}不能为空", field=field)
    if max_len and len(text) > max_len:
        raise Refused(f"{label}不能超过{max_len}字", field=field)
    return text


def _person(government: Government, pk, field: str, label: str) -> Person:
    pk = id_field(pk, field, label)
    person = org.person_get(government, pk)
    if person is None or not person.is_active:
        raise Refused(f"{label}（编号{pk}）不是本区人员", field=field)
    return person


def _people(government: Government, ids: Iterable, field: str, label: str) -> list[Person]:
    if ids is None:
        return []
    if isinstance(ids, (str, bytes)) or not hasattr(ids, "__iter__"):
        raise Refused(f"{label}须为人员编号列表", field=field)
    out, seen = [], set()
    for raw in ids:
        person = _person(government, raw, field, label)
        if person.pk not in seen:
            seen.add(person.pk)
            out.append(person)
    return out


def _unit(government: Government, pk, field: str) -> Unit | None:
    if pk in (None, ""):
        return None
    unit = org.unit_get(government, id_field(pk, field, "单位"))
    if unit is None:
        raise Refused(f"单位{pk}不存在", field=field)
    return unit


def _government(actor: Person) -> Government:
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.government_id is None:
        raise Forbidden("请先登录")
    return actor.government


def _types(on: dt.date) -> dict:
    return rules.param("meetings.types", on)


def _check(topic: str, f, on: dt.date, only: Iterable[str]) -> list:
    return refuse_if_blocking(rules.check(topic, f, on=on, only=only))


def _meeting_day(meeting: Meeting) -> dt.date:
    return facts.day_of(meeting.starts_at)


# the states from which a meeting may still be changed, cancelled or opened
NOT_HELD = (Meeting.Status.PLANNED, Meeting.Status.PENDING, Meeting.Status.APPROVED)


def _meeting_now(action: str):
    """The loser's message when a meeting changed first (transition's `message`): its state now."""
    def message(fresh: Meeting | None) -> str:
        if fresh is None:
            return "会议已不存在"
        return f"会议{fresh.get_status_display()}，不能{action}（已被他人办理或修改，请刷新后查看）"
    return message


def _overlapping(government: Government, starts_at, ends_at, exclude: int | None = None):
    qs = Meeting.objects.filter(government=government, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
        status=Meeting.Status.CANCELLED)
    return qs.exclude(pk=exclude) if exclude else qs


def _check_room(government, room: Room | None, starts_at, ends_at, headcount: int, exclude=None) -> None:
    if room is None:
        return
    # serialise bookings of the room (PostgreSQL: row lock; SQLite: the IMMEDIATE transaction)
    Room.objects.select_for_update().filter(pk=room.pk).first()
    if headcount > room.capacity:
        raise Refused(f"{room.name}容纳{room.capacity}人，本次会议应到{headcount}人", field="room_id")
    clash = _overlapping(government, starts_at, ends_at, exclude).filter(room=room).order_by("starts_at").first()
    if clash is not None:
        raise Refused(f"{room.name}在{timezone.localtime(clash.starts_at):%Y-%m-%d %H:%M}至"
                      f"{timezone.localtime(clash.ends_at):%H:%M}已安排“{clash.title}”，不能重复预订", field="room_id")


def _check_leaders(government, people: list[tuple[Person, str]], starts_at, ends_at, on: dt.date,
                   exclude=None) -> None:
    """The 区政府领导 who must attend (members and the chair) cannot be booked at two meetings at once."""
    leaders: dict[int, tuple[Person, str]] = {}
    for p, field in people:
        if p is not None and facts.is_leader(p, on):
            leaders.setdefault(p.pk, (p, field))  # the chair is named as such, not as a member
    if not leaders:
        return
    list(Person.objects.select_for_update().filter(pk__in=sorted(leaders)).order_by("pk").values_list("pk"))
    others = _overlapping(government, starts_at, ends_at, exclude)
    busy = (Attendance.objects.filter(meeting__in=others, person_id__in=leaders)
            .exclude(status__in=(Attendance.Status.ON_LEAVE,)).select_related("meeting").order_by("meeting__starts_at"))
    for att in busy:
        person, field = leaders[att.person_id]
        raise Refused(f"{person}在{timezone.localtime(att.meeting.starts_at):%Y-%m-%d %H:%M}已须出席“{att.meeting.title}”，"
                      f"不能同时安排", field=field)
    chaired = others.filter(chair_id__in=leaders).order_by("starts_at").first()
    if chaired is not None:
        person, field = leaders[chaired.chair_id]
        raise Refused(f"{person}在{timezone.localtime(chaired.starts_at):%Y-%m-%d %H:%M}主持“{chaired.title}”，"
                      f"不能同时安排", field=field)


def _room(government, room_id) -> Room | None:
    if room_id in (None, ""):
        return None
    room = Room.objects.filter(pk=id_field(room_id, "room_id", "会议室"), government=government, active=True).first()
    if room is None:
        raise Refused(f"会议室{room_id}不存在或已停用", field="room_id")
    return room


# ---- rooms ---------------------------------------------------------------------------------

def room_create(*, actor: Person, government: Government | None = None, name: str, capacity: int) -> Room:
    refuse_business(actor)  # administrators act in no business (三权分立)
    government = government or _government(actor)
    if actor is not None and not access.is_office(actor):
        raise Forbidden("只有区政府办公室可以登记会议室")
    name = _text(name, "name", "会议室名称", max_len=60)
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise Refused("容纳人数须为正整数", field="capacity")
    if Room.objects.filter(government=government, name=name).exists():
        raise Refused(f"会议室“{name}”已存在", field="name")
    try:
        with transaction.atomic():  # one name per government (meetings_room_unique_name)
            room = Room.objects.create(government=government, name=name, capacity=capacity)
            audit_append(actor=actor, action="meetings.room.create", obj_type=OBJ_ROOM, obj_id=str(room.pk),
                         after=snapshot(room), summary=f"登记会议室{name}（{capacity}人）")
    except IntegrityError:  # registered by someone else at this very moment
        raise Conflict(f"会议室“{name}”已存在", field="name") from None
    return room


# ---- scheduling ----------------------------------------------------------------------------

def meeting_schedule(*, actor: Person, meeting_type: str, title: str, starts_at: dt.datetime, ends_at: dt.datetime,
                     chair_id, delegated: bool = False, room_id=None, place: str = "", member_ids=None,
                     invitee_ids=(), number: str = "", is_department_meeting: bool = False,
                     organizing_unit_id=None, held_in_government_name: bool | None = None,
                     held_in_office_name: bool = False, important: bool = False, standing_meeting_ref: str = "",
                     on: dt.date | None = None) -> Meeting:
    """Call a meeting: its members from the rulebook (meetings.<type>.members) resolved to the
    people holding those positions on the day, or named by the convener where the rulebook names
    none (党组会议, 专题会议, a department's meeting); the town and street heads of a 全体会议
    (meetings.plenary.attending_unit_heads_of_kinds) as 参加 (required, not members) and the invitees
    as 列席; who chairs (art. 13,
    58, 60–62); the room and the leaders free at that time. A department's own meeting may not be
    held in the government's or the office's name (art. 66)."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    government = _government(actor)
    title = _text(title, "title", "会议名称", max_len=200)
    meeting_type = (meeting_type or "").strip()
    if is_department_meeting:
        unit = _unit(government, organizing_unit_id, "organizing_unit_id")
        if unit is None:
            raise Refused("部门工作会议须注明召开单位", field="organizing_unit_id")
        if not (access.is_office(actor, on) or any(p.unit_id == unit.pk for p in facts.positions_held(actor, on))):
            raise Forbidden("只有区政府办公室或召开单位可以安排该会议")
        if held_in_government_name is None:
            held_in_government_name = False
    else:
        unit = _unit(government, organizing_unit_id, "organizing_unit_id")
        if not access.is_office(actor, on):
            raise Forbidden("区政府会议由区政府办公室安排")
        if held_in_government_name is None:
            held_in_government_name = True
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, dt.datetime) or timezone.is_naive(value):
            raise Refused("开始、结束时间须为带时区的时间", field=name)
    if ends_at <= starts_at:
        raise Refused("结束时间须晚于开始时间", field="ends_at")
    day = facts.day_of(starts_at)
    chair = _person(government, chair_id, "chair_id", "主持人") if chair_id not in (None, "") else None
    allowed = _chair_codes(meeting_type, day)
    chair_code = facts.code_for(chair, day, prefer=allowed)
    chair_pos = facts.position_for(chair, day, chair_code) if chair else None

    # members
    resolved = facts.rulebook_members(government, meeting_type, day) if not is_department_meeting else None
    if resolved is not None:
        if member_ids:
            raise Refused(f"{_types(day).get(meeting_type, meeting_type)}的组成人员由工作规则确定，不能另行指定",
                          field="member_ids")
        members = [(p, pos.code, pos.title) for p, pos in resolved]
    else:
        named = _people(government, member_ids, "member_ids", "参会人员")
        if chair is not None and chair.pk not in {p.pk for p in named}:
            named.insert(0, chair)
        if not named:
            raise Refused("请指定参会人员", field="member_ids")
        members = []
        for p in named:
            held = facts.positions_held(p, day)
            members.append((p, held[0].code if held else "", held[0].title if held else ""))
    member_pks = {p.pk for p, _c, _t in members}
    # 参加: the town and street heads a plenary meeting requires (art. 58), not members; 列席: the
    # invitees arranged as needed
    participants: list[tuple[Person, str, str]] = []
    if meeting_type and not is_department_meeting and has_plenary_attending(meeting_type, day):
        kinds = rules.param(f"meetings.{meeting_type}.attending_unit_heads_of_kinds", day)
        participants += [(p, pos.code, pos.title) for p, pos in facts.unit_heads_of_kinds(government, kinds, day)
                         if p.pk not in member_pks]
    attendees: list[tuple[Person, str, str]] = []
    for p in _people(government, invitee_ids, "invitee_ids", "列席人员"):
        if p.pk in member_pks:
            raise Refused(f"{p}是会议组成人员，不能同时列为列席人员", field="invitee_ids")
        if p.pk not in {a.pk for a, _c, _t in attendees + participants}:
            held = facts.positions_held(p, day)
            attendees.append((p, held[0].code if held else "", held[0].title if held else ""))

    leader_attends = is_department_meeting and any(
        facts.is_leader(p, day) for p, _c, _t in members + participants + attendees)
    room = _room(government, room_id)
    place = _text(place, "place", "地点", required=False, max_len=100) or (room.name if room else "")
    meeting = Meeting(
        government=government, meeting_type="" if is_department_meeting else meeting_type, title=title,
        number=_text(number, "number", "期数", required=False, max_len=40), starts_at=starts_at, ends_at=ends_at,
        room=room, place=place, chair=chair, chair_position=chair_code, chair_position_ref=chair_pos,
        delegated=bool(delegated), organizing_unit=unit, is_department_meeting=bool(is_department_meeting),
        held_in_government_name=bool(held_in_government_name), held_in_office_name=bool(held_in_office_name),
        important=bool(important), standing_meeting_ref=_text(standing_meeting_ref, "standing_meeting_ref",
                                                              "常务会议决定", required=False, max_len=200),
        created_by=actor)
    warnings = _check("meetings.meeting", facts.meeting_facts(meeting, members=len(members), present=0,
                                                              government_leader_attends=leader_attends),
                      day, SCHEDULE_RULES)
    if chair is None:
        raise Refused("请指定会议主持人", field="chair_id")
    meeting.publish = meeting.meeting_type in rules.param("disclosure.publish_meeting_types", day)

    with transaction.atomic():
        _check_room(government, room, starts_at, ends_at, len(members) + len(participants) + len(attendees))
        _check_leaders(government, [(chair, "chair_id")] + [(p, "member_ids") for p, _c, _t in members],
                       starts_at, ends_at, day)
        meeting.save()
        rows = [Attendance(meeting=meeting, person=p, role=Attendance.Role.MEMBER, position_code=c,
                           position_title=t[:60], order=i) for i, (p, c, t) in enumerate(members)]
        rows += [Attendance(meeting=meeting, person=p, role=Attendance.Role.PARTICIPANT, position_code=c,
                            position_title=t[:60], order=i) for i, (p, c, t) in enumerate(participants)]
        rows += [Attendance(meeting=meeting, person=p, role=Attendance.Role.ATTENDEE, position_code=c,
                            position_title=t[:60], order=i) for i, (p, c, t) in enumerate(attendees)]
        Attendance.objects.bulk_create(rows)
        after = snapshot(meeting)
        after.update(members=[p.pk for p, _c, _t in members], participants=[p.pk for p, _c, _t in participants],
                     attendees=[p.pk for p, _c, _t in attendees])
        audit_append(actor=actor, action="meetings.meeting.schedule", obj_type=OBJ_MEETING, obj_id=str(meeting.pk),
                     after=after, article=rules.article_of("R66.department_name" if is_department_meeting else "R57.type",
                                                           day),
                     summary=f"安排{meeting.title}（{timezone.localtime(starts_at):%Y-%m-%d %H:%M}）")
    meeting.warnings = warnings
    return meeting


def has_plenary_attending(meeting_type: str, on: dt.date) -> bool:
    return facts.has_param(f"meetings.{meeting_type}.attending_unit_heads_of_kinds", on)


def _chair_codes(meeting_type: str, on: dt.date) -> list[str]:
    """The positions that may chair a type (for reading the chair's position when they hold several)."""
    for name in (f"meetings.{meeting_type}.chairs", f"meetings.{meeting_type}.conveners"):
        if meeting_type and facts.has_param(name, on):
            return list(rules.param(name, on))
    return list(facts.LEADER_CODES)


def meeting_reschedule(*, actor: Person, meeting_id, starts_at: dt.datetime | None = None,
                       ends_at: dt.datetime | None = None, room_id=KEEP, place: str | None = None) -> Meeting:
    """Move a meeting or book another room: the room and the leaders are checked again for clashes.
    An approved meeting's members are told of the change."""
    meeting = access.meeting_for_office(actor, meeting_id)
    if meeting.status in (Meeting.Status.OPEN, Meeting.Status.CLOSED, Meeting.Status.CANCELLED):
        raise Refused(f"会议{meeting.get_status_display()}，不能再调整", field="meeting_id")
    starts_at = starts_at or meeting.starts_at
    ends_at = ends_at or meeting.ends_at
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if timezone.is_naive(value):
            raise Refused("开始、结束时间须为带时区的时间", field=name)
    if ends_at <= starts_at:
        raise Refused("结束时间须晚于开始时间", field="ends_at")
    room = meeting.room if room_id is KEEP else _room(meeting.government, room_id)
    new_place = meeting.place if place is None else _text(place, "place", "地点", required=False, max_len=100)
    if room is not None and room_id is not KEEP and place is None:
        new_place = room.name
    day = facts.day_of(starts_at)
    expected = list(meeting.attendances.exclude(status=Attendance.Status.ON_LEAVE).select_related("person"))
    with transaction.atomic():
        _check_room(meeting.government, room, starts_at, ends_at, len(expected), exclude=meeting.pk)
        _check_leaders(meeting.government, [(meeting.chair, "chair_id")] +
                       [(a.person, "member_ids") for a in expected if a.role == Attendance.Role.MEMBER],
                       starts_at, ends_at, day, exclude=meeting.pk)
        before = snapshot(meeting, ["starts_at", "ends_at", "room", "place"])
        transition(meeting, expect=NOT_HELD, starts_at=starts_at, ends_at=ends_at, room=room, place=new_place,
                   message=_meeting_now("再调整"), field="meeting_id")
        audit_append(actor=actor, action="meetings.meeting.update", obj_type=OBJ_MEETING, obj_id=str(meeting.pk),
                     before=before, after=snapshot(meeting, ["starts_at", "ends_at", "room", "place"]),
                     summary=f"调整{meeting.title}的时间或地点")
        if meeting.status == Meeting.Status.APPROVED:
            notices.send_notices(meeting, changed=True)
    return meeting


def meeting_invite(*, actor: Person, meeting_id, person_ids) -> list[Attendance]:
    """Add 列席 invitees (art. 58–61: 根据需要可安排……列席会议)."""
    meeting = access.meeting_for_office(actor, meeting_id)
    if meeting.status in (Meeting.Status.CLOSED, Meeting.Status.CANCELLED):
        raise Refused(f"会议{meeting.get_status_display()}", field="meeting_id")
    people = _people(meeting.government, person_ids, "person_ids", "列席人员")
    if not people:
        raise Refused("请选择列席人员", field="person_ids")
    there = set(meeting.attendances.values_list("person_id", flat=True))
    day = _meeting_day(meeting)
    for p in people:
        if p.pk in there:
            raise Refused(f"{p}已在参会人员中", field="person_ids")
    try:
        with transaction.atomic():
            _check_room(meeting.government, meeting.room, meeting.starts_at, meeting.ends_at,
                        meeting.attendances.count() + len(people), exclude=meeting.pk)
            rows = []
            for i, p in enumerate(people):
                held = facts.positions_held(p, day)
                rows.append(Attendance.objects.create(
                    meeting=meeting, person=p, role=Attendance.Role.ATTENDEE,
                    position_code=held[0].code if held else "", position_title=held[0].title[:60] if held else "",
                    order=200 + i))
            audit_append(actor=actor, action="meetings.attendance.invite", obj_type=OBJ_MEETING, obj_id=str(meeting.pk),
                         after={"attendees": [p.pk for p in people]}, article=_members_article(meeting),
                         summary=f"{meeting.title}增加列席：{'、'.join(str(p) for p in people)}")
            if meeting.status == Meeting.Status.APPROVED:
                notices.send_notices(meeting, only=[r.person for r in rows])
    except IntegrityError:  # one attendance per person (meetings_attendance_unique): invited at this very moment
        raise Conflict("该人员刚由他人列为参会人员，请刷新后查看", field="person_ids") from None
    return rows


def meeting_cancel(*, actor: Person, meeting_id, reason: str) -> Meeting:
    meeting = access.meeting_for_office(actor, meeting_id)
    reason = _text(reason, "reason", "取消理由", max_len=200)
    if meeting.status in (Meeting.Status.OPEN, Meeting.Status.CLOSED, Meeting.Status.CANCELLED):
        raise Refused(f"会议{meeting.get_status_display()}，不能取消", field="meeting_id")
    with transaction.atomic():
        was = meeting.status
        transition(meeting, expect=NOT_HELD, to=Meeting.Status.CANCELLED,
                   notes=(meeting.notes + f"\n取消：{reason}").strip(), message=_meeting_now("取消"),
                   field="meeting_id")
        if meeting.approval_id:  # its approval, if still running, is withdrawn by the engine
            wf.approval_cancel(actor=actor, approval_id=meeting.approval_id, reason=f"会议取消：{reason}")
        audit_append(actor=actor, action="meetings.meeting.cancel", obj_type=OBJ_MEETING, obj_id=str(meeting.pk),
                     before={"status": was}, after={"status": meeting.status, "reason": reason},
                     summary=f"取消{meeting.title}：{reason}")
        if was == Meeting.Status.APPROVED:
            notices.send_cancelled(meeting, reason)
    return meeting


def meeting_submit(*, actor: Person, meeting_id, approval_route: str = "office", special_reason: str = "",
                   standing_meeting_ref: str | None = None, on: dt.date | None = None) -> Meeting:
    """Send a meeting held by or in the name of the government for approval (art. 65): reviewed by
    the 区政府办公室 and decided by the 区长 (route meeting.approval), or in special cases approved
    by the 分管副区长 first (meeting.approval_special, with the reason); an important meeting needs the
    常务会议's decision (standing_meeting_ref). The 区长's 同意 approves it (engine.py)."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    meeting = access.meeting_for_office(actor, meeting_id, on=on)
    if meeting.status != Meeting.Status.PLANNED:
        raise Refused(f"会议{meeting.get_status_display()}，不能报批", field="meeting_id")
    if not meeting.held_in_government_name and not meeting.held_in_office_name:
        raise Refused(f"部门自行召开的会议不报区政府审定{rules.cite('R65.approval', on)}", field="meeting_id")
    routes = rules.param("meetings.approval_routes", on)
    if approval_route not in routes or approval_route not in APPROVAL_ROUTE_IDS:
        raise Refused(f"报批途径须为{'、'.join(routes)}之一", field="approval_route")
    meeting.approval_route = approval_route
    meeting.special_reason = _text(special_reason, "special_reason", "特殊情况说明", required=False, max_len=200)
    if standing_meeting_ref is not None:
        meeting.standing_meeting_ref = _text(standing_meeting_ref, "standing_meeting_ref", "常务会议决定",
                                             required=False, max_len=200)
    # art. 62: the 区长's 专题会议 is in principle attended by the 分管副区长 and the heads concerned (warnings)
    warnings = (rules.check("meetings.topical_attendance", facts.topical_attendance_facts(meeting, on), on=on)
                if meeting.meeting_type == "topical" else [])
    if meeting.important:  # art. 65: the 常务会议's 讨论确定 stands instead of the 区长's 审定
        return _approve_by_standing_meeting(actor, meeting, on)
    # everything art. 65 asks besides the 区长's decision itself, which the route brings
    _check("meetings.meeting", facts.meeting_facts(meeting, approved=True), on, ("R65.approval",))
    applicant = meeting.organizing_unit
    if approval_route == "deputy_head" and applicant is None:
        raise Refused("特殊情况报批须注明承办单位，以确定分管副区长", field="organizing_unit_id")
    with transaction.atomic():
        # the meeting first (of two submitting at once one goes on), then its approval
        transition(meeting, expect=[Meeting.Status.PLANNED], to=Meeting.Status.PENDING,
                   approval_route=approval_route, special_reason=meeting.special_reason,
                   standing_meeting_ref=meeting.standing_meeting_ref, message=_meeting_now("报批"),
                   field="meeting_id")
        approval = wf.approval_start(
            actor=actor, route_id=APPROVAL_ROUTE_IDS[approval_route], obj_type=OBJ_MEETING, obj_id=str(meeting.pk),
            title=f"会议审定：{meeting.title}", applicant_unit=applicant,
            context={"meeting_id": meeting.pk, "chair_position_id": meeting.chair_position_ref_id}, on=on)
        transition(meeting, expect=[Meeting.Status.PENDING], approval=approval)
        audit_append(actor=actor, action="meetings.meeting.submit", obj_type=OBJ_MEETING, obj_id=str(meeting.pk),
                     after={"approval": approval.pk, "route": approval.route_id, "special_reason": meeting.special_reason,
                            "warnings": [v.message for v in warnings]},
                     article=rules.article_of(approval.route_id, on), summary=f"{meeting.title}报区长审定")
    return meeting


def _approve_by_standing_meeting(actor: Person, meeting: Meeting, on: dt.date) -> Meeting:
    """An important meeting is 提交区政府常务会议讨论确定 (art. 65): the 常务会议's decision, recorded as
    standing_meeting_ref, approves it; no 区长's 审定 route is started. The notices go out as when
    the 区长 approves."""
    _check("meetings.meeting", facts.meeting_facts(meeting, approved=False), on, ("R65.approval",))
    with transaction.atomic():
        transition(meeting, expect=[Meeting.Status.PLANNED], to=Meeting.Status.APPROVED, approved_on=on,
                   approval_route="office", special_reason=meeting.special_reason,
                   standing_meeting_ref=meeting.standing_meeting_ref, message=_meeting_now("报批"),
                   field="meeting_id")
        sent = notices.send_notices(meeting)
        audit_append(actor=actor, action="meetings.meeting.approve", obj_type=OBJ_MEETING, obj_id=str(meeting.pk),
                     before={"status": "planned"},
                     after={"status": meeting.status, "approved_on": on.isoformat(),
                            "standing_meeting_ref": meeting.standing_meeting_ref, "notices": sent},
                     article=rules.article_of("R65.approval", on),
                     summary=f"{meeting.title}经区政府常务会议讨论确定（{meeting.standing_meeting_ref}），已通知{sent}人")
    return meeting


# ---- agenda --------------------------------------------------------------------------------

def _flags(fields: dict) -> dict:
    out = {}
    for name, value in fields.items():
        if name in ITEM_FLAGS:
            if not isinstance(value, bool):
                raise Refused(f"{name}须为是或否", field=name)
            out[name] = value
        elif name in ITEM_TEXTS:
            out[name] = _text(value, name, "专题会议研商记录", required=False, max_len=200)
        else:
            raise Refused(f"未知字段{name}", field=name)
    return out


def _convener(government: Government, fields: dict) -> dict:
    """The convener of the prior 专题会议 (art. 63), popped from `fields` if given: a person of the
    district, or None/"" to clear it."""
    if "prior_topical_convener_id" not in fields:
        return {}
    pk = fields.pop("prior_topical_convener_id")
    if pk in (None, ""):
        return {"prior_topical_convener": None}
    return {"prior_topical_convener": _person(government, pk, "prior_topical_convener_id", "专题会议召集人")}


def _materials(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise Refused("会议材料须为列表", field="materials")
    out = []
    for m in value:
        if not isinstance(m, str):
            raise Refused("会议材料须为文字", field="materials")
        if m.strip():
            out.append(m.strip()[:200])
    return out


def _agenda_open(meeting: Meeting) -> None:
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.PENDING, Meeting.Status.APPROVED):
        raise Refused(f"会议{meeting.get_status_display()}，不能再调整议题", field="meeting_id")


def _matter_type(value: str, on: dt.date) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    known = {**rules.param("decisions.dossier_types", on), **rules.param("decisions.last_speaker_matters", on)}
    if value not in known:
        raise Refused(f"“三重一大”事项类型“{value}”无效，须为{'、'.join(known)}之一", field="matter_type")
    return value


def item_propose(*, actor: Person, meeting_id, title: str = "", summary: str = "", materials=(),
                 matter_type: str = "", dossier_id=None, lead_unit_id=None, on: dt.date | None = None,
                 **flags) -> AgendaItem:
    """Propose an item (提出议题): who may propose follows art. 60–61 (a 分管副区长 or the 区长);
    whether it is ready (art. 63, the dossier's procedures) is judged when it is confirmed and shown
    meanwhile by selectors.agenda_readiness."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    meeting = access.meeting_visible(actor, meeting_id, on=on)
    _agenda_open(meeting)
    convener = _convener(meeting.government, flags)
    flags = _flags(flags)
    dossier = None
    if dossier_id not in (None, ""):
        dossier = dossiers.get(meeting.government, dossier_id)
        if AgendaItem.objects.filter(dossier=dossier).exclude(status=AgendaItem.Status.WITHDRAWN).exclude(
                outcome__in=_retry_outcomes(on)).exists():
            raise Refused(f"“{dossier.title}”已列入会议议题", field="dossier_id")
        matter_type = matter_type or dossier.matter_type
        title = title or dossier.title
        summary = summary or dossier.summary
    title = _text(title, "title", "议题名称", max_len=200)
    matter_type = _matter_type(matter_type, on)
    proposers = []
    for name in (f"meetings.{meeting.meeting_type}.agenda_proposed_by",):
        if meeting.meeting_type and facts.has_param(name, on):
            proposers = list(rules.param(name, on))
    item = AgendaItem(
        meeting=meeting, title=title, summary=_text(summary, "summary", "内容摘要", required=False),
        materials=_materials(materials), matter_type=matter_type,
        lead_unit=_unit(meeting.government, lead_unit_id, "lead_unit_id"), proposer=actor,
        proposer_position=facts.code_for(actor, on, prefer=proposers),
        order=(meeting.items.count() + 1), **convener, **flags)
    if dossier is not None:
        item.dossier = dossier
    found = rules.check("meetings.agenda_item", facts.item_facts(item, on=on), on=on)
    blocking = [v for v in found if v.blocks and v.field == "proposer"]
    if blocking:
        raise Refused(blocking[0].message, violations=blocking, field="proposer")
    with transaction.atomic():
        item.save()
        audit_append(actor=actor, action="meetings.item.propose", obj_type=OBJ_ITEM, obj_id=str(item.pk),
                     after=snapshot(item), article=_agenda_article(meeting.meeting_type),
                     summary=f"提出议题：{item.title}（{meeting.title}）")
    return item


AGENDA_RULES = {"plenary": "R58.agenda", "party_group": "R59.agenda", "standing": "R60.agenda",
                "head_office": "R61.agenda", "topical": "R62.agenda"}  # meeting type -> who sets its agenda


def _agenda_article(meeting_type: str) -> int:
    """The article on the agenda of a meeting type, from its agenda rule (R63.gating otherwise)."""
    return rules.article_of(AGENDA_RULES.get(meeting_type, "R63.gating"))


def _members_article(meeting: Meeting) -> int:
    """The article that says who sits at (or 列席) a meeting of this type: its members parameter
    (58, 60, 61), else the five types of art. 57."""
    day = facts.day_of(meeting.starts_at)
    name = facts.members_param(meeting.meeting_type)
    return rules.article_of(name if meeting.meeting_type and facts.has_param(name, day) else "meetings.types", day)


def _retry_outcomes(on: dt.date) -> list[str]:
    """Outcomes after which the matter may come back to a later meeting (暂缓): the book's
    decisions.deferring_outcomes."""
    return list(rules.param("decisions.deferring_outcomes", on))


def item_update(*, actor: Person, item_id, **fields) -> AgendaItem:
    """Change a proposed item (its proposer or the office): title, summary, materials, the art. 63 facts."""
    item = access.item_visible(actor, item_id)
    if item.proposer_id != actor.pk and not access.is_office(actor):
        raise Forbidden("只有议题提出人或区政府办公室可以修改议题")
    _agenda_open(item.meeting)
    if item.status != AgendaItem.Status.PROPOSED:
        raise Refused(f"议题{item.get_status_display()}，不能修改", field="item_id")
    changes = {}
    if "title" in fields:
        changes["title"] = _text(fields.pop("title"), "title", "议题名称", max_len=200)
    if "summary" in fields:
        changes["summary"] = _text(fields.pop("summary"), "summary", "内容摘要", required=False)
    if "materials" in fields:
        changes["materials"] = _materials(fields.pop("materials"))
    changes.update(_convener(item.meeting.government, fields))
    changes.update(_flags(fields))
    if not changes:
        raise Refused("没有要修改的内容", field="fields")
    with transaction.atomic():
        before = snapshot(item, list(changes))
        for k, v in changes.items():
            setattr(item, k, v)
        item.save(update_fields=list(changes))
        audit_append(actor=actor, action="meetings.item.update", obj_type=OBJ_ITEM, obj_id=str(item.pk),
                     before=before, after=snapshot(item, list(changes)), summary=f"修改议题：{item.title}")
    return item


def _item_now(item: AgendaItem | None) -> str:
    """What became of an item (the refusal of a repeat, and transition's `message` for the loser)."""
    if item is None:
        return "议题已不存在"
    if item.status == AgendaItem.Status.DECIDED:
        return f"议题“{item.title}”已作出决定（{item.outcome}）"
    return f"议题“{item.title}”{item.get_status_display()}"


def _dossier_readiness(item: AgendaItem, on: dt.date):
    if not getattr(item, "dossier_id", None):
        return None
    return dossiers.readiness(item.dossier, on=on)


def item_confirm(*, actor: Person, item_id, by_meeting: str = "", by_meeting_ref: str = "",
                 on: dt.date | None = None) -> AgendaItem:
    """Confirm an item onto the agenda (确定议题): by the 区长 for a 常务会议 or 区长办公会议
    (art. 60, 61), the 党组书记 (art. 59), the chair of a 专题会议 (art. 62), the 常务会议 or
    the 区长 for a 全体会议 (art. 58, `by_meeting` recorded by the office) — and only an item fit
    for the meeting (art. 63: substantive, a clear proposal, its procedure complete, a prior
    专题会议 where departments disagree; a 三重一大 dossier with its procedures recorded)."""
    on = on or rules.today()
    item = access.item_visible(actor, item_id, on=on)
    meeting = item.meeting
    _agenda_open(meeting)
    if item.status != AgendaItem.Status.PROPOSED:
        raise Refused(_item_now(item), field="item_id")
    by_meeting = (by_meeting or "").strip()
    if by_meeting:
        if not access.is_office(actor, on):
            raise Forbidden("会议确定的议题由区政府办公室登记")
        if by_meeting not in _types(on):
            raise Refused(f"会议类型“{by_meeting}”无效", field="by_meeting")
        item.confirmed_by_meeting = by_meeting
        item.confirmed_by_meeting_ref = _text(by_meeting_ref, "by_meeting_ref", "确定议题的会议记录", max_len=200)
    else:
        confirmers = []
        name = f"meetings.{meeting.meeting_type}.agenda_confirmed_by"
        if facts.has_param(name, on):
            confirmers = [rules.param(name, on)]
        elif meeting.meeting_type == "party_group":
            confirmers = [rules.param("meetings.party_group.agenda_set_by", on)]
        item.confirmer = actor
        item.confirmer_position = facts.code_for(actor, on, prefer=confirmers)
    readiness = _dossier_readiness(item, on)
    f = facts.item_facts(item, prior_procedure_complete=(
        readiness.ready if readiness is not None else item.prior_procedure_complete))
    found = list(rules.check("meetings.agenda_item", f, on=on))
    if readiness is not None:
        found += readiness.violations
    blocks = [v for v in found if v.blocks]
    if blocks:
        raise Refused(blocks[0].message, violations=found, field=blocks[0].field)
    with transaction.atomic():
        transition(item, expect=[AgendaItem.Status.PROPOSED], to=AgendaItem.Status.CONFIRMED,
                   confirmed_at=timezone.now(), confirmer=item.confirmer, confirmer_position=item.confirmer_position,
                   confirmed_by_meeting=item.confirmed_by_meeting,
                   confirmed_by_meeting_ref=item.confirmed_by_meeting_ref,
                   prior_procedure_complete=True if readiness is not None else item.prior_procedure_complete,
                   message=_item_now, field="item_id")
        if readiness is not None:
            dossiers.place_on_agenda(actor=actor, dossier_id=item.dossier_id, meeting_type=meeting.meeting_type,
                                     meeting_id=meeting.pk, on=on)
        audit_append(actor=actor, action="meetings.item.confirm", obj_type=OBJ_ITEM, obj_id=str(item.pk),
                     after=snapshot(item, ["status", "confirmer", "confirmer_position", "confirmed_by_meeting",
                                           "confirmed_by_meeting_ref", "prior_procedure_complete"]),
                     article=_agenda_article(meeting.meeting_type), summary=f"确定议题：{item.title}")
    return item


def item_withdraw(*, actor: Person, item_id, reason: str) -> AgendaItem:
    item = access.item_visible(actor, item_id)
    if item.proposer_id != actor.pk and not access.is_office(actor) and item.meeting.chair_id != actor.pk:
        raise Forbidden("只有议题提出人、会议主持人或区政府办公室可以撤回议题")
    reason = _text(reason, "reason", "撤回理由", max_len=200)
    if item.status in (AgendaItem.Status.DECIDED, AgendaItem.Status.WITHDRAWN):
        raise Refused(_item_now(item), field="item_id")
    with transaction.atomic():
        was = item.status
        transition(item, expect=[AgendaItem.Status.PROPOSED, AgendaItem.Status.CONFIRMED],
                   to=AgendaItem.Status.WITHDRAWN, message=_item_now, field="item_id")
        audit_append(actor=actor, action="meetings.item.withdraw", obj_type=OBJ_ITEM, obj_id=str(item.pk),
                     before={"status": was}, after={"status": item.status, "reason": reason},
                     summary=f"撤回议题：{item.title}（{reason}）")
    return item


# ---- attendance (art. 64) ------------------------------------------------------------------

def leave_request(*, actor: Person, meeting_id, reason: str, views: str = "", at: dt.datetime | None = None) -> Attendance:
    """Ask the chair for leave before the meeting (art. 64), optionally with written views on the
    agenda; the chair answers through the route meeting.leave (leave_decide)."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    at = _now(at)
    att = access.attendance_of(actor, meeting_id)
    meeting = att.meeting
    reason = _text(reason, "reason", "请假事由", max_len=200)
    views = _text(views, "views", "书面意见", required=False)
    if meeting.chair_id == actor.pk:
        raise Refused("会议主持人不能向自己请假；请另行安排主持人", field="meeting_id")
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.CLOSED):
        raise Refused(f"会议{meeting.get_status_display()}", field="meeting_id")
    if att.status in (Attendance.Status.LEAVE_REQUESTED, Attendance.Status.ON_LEAVE):
        raise Refused("已请假", field="meeting_id")
    before = at < meeting.starts_at and meeting.status != Meeting.Status.OPEN and att.signed_in_at is None
    day = facts.day_of(at)
    _check("meetings.attendance", facts.attendance_facts(att, before=before, requested_from=meeting.chair_position),
           day, ("R64.leave",))
    if not before:  # a type the rule does not name (a department's meeting): still only before it starts
        raise Refused("会议已开始，不能再请假", field="at")
    with transaction.atomic():
        # the attendance first (of two asking at once one goes on), then the request to the chair
        transition(att, expect=[Attendance.Status.EXPECTED], to=Attendance.Status.LEAVE_REQUESTED,
                   where={"signed_in_at__isnull": True}, leave_reason=reason, leave_requested_at=at,
                   leave_requested_from=meeting.chair_position, leave_decision="",
                   **({"written_views": views, "views_submitted_at": at} if views else {}),
                   message=lambda fresh: f"{actor}{fresh.get_status_display() if fresh else '不在参会人员中'}"
                                         "，不能再请假", field="meeting_id")
        approval = wf.approval_start(
            actor=actor, route_id=LEAVE_ROUTE, obj_type=OBJ_ATTENDANCE, obj_id=str(att.pk),
            title=f"请假：{actor}（{meeting.title}）",
            context={"meeting_id": meeting.pk, "chair_position_id": meeting.chair_position_ref_id}, on=day)
        transition(att, expect=[Attendance.Status.LEAVE_REQUESTED], leave_approval=approval)
        audit_append(actor=actor, action="meetings.attendance.leave_request", obj_type=OBJ_ATTENDANCE,
                     obj_id=str(att.pk), after=snapshot(att, ["status", "leave_reason", "leave_requested_at",
                                                              "leave_requested_from", "written_views"]),
                     article=rules.article_of(LEAVE_ROUTE), summary=f"{actor}向会议主持人请假：{meeting.title}")
    return att


def leave_decide(*, actor: Person, attendance_id, approve: bool, opinion: str = "", on: dt.date | None = None) -> Attendance:
    """The chair grants or refuses a leave (the open task of meeting.leave; engine.py records it)."""
    on = on or rules.today()
    att = Attendance.objects.select_related("meeting").filter(pk=id_field(attendance_id, "attendance_id", "请假")).first()
    if att is None or att.leave_approval_id is None:
        raise Refused("没有待批复的请假", field="attendance_id")
    access.meeting_visible(actor, att.meeting_id, on=on)
    if not isinstance(approve, bool):
        raise Refused("请选择同意或不同意", field="approve")
    task = _step_task(att.leave_approval_id, ("chair_approve",))
    wf.task_complete(actor=actor, task_id=task.pk, decision=rules.choice_for(task.choices, approve, on),
                     opinion=_text(opinion, "opinion", "意见", required=False), on=on)
    att.refresh_from_db()
    return att


def _step_task(approval_id: int, step_ids: Iterable[str]) -> Task:
    """The open task of the given steps: whoever acts on it, the engine checks who may (art. 15 and the
    step's guards), as it does for the inbox and the API."""
    task = (Task.objects.filter(approval_id=approval_id, kind=Task.Kind.STEP, status=Task.Status.OPEN,
                                step_id__in=list(step_ids)).order_by("id").first())
    if task is None:
        raise Refused("该事项当前没有待办理的环节", field="task_id", status=409)
    return task


def views_submit(*, actor: Person, meeting_id, text: str, at: dt.datetime | None = None) -> Attendance:
    """Written views on the agenda, before the meeting (art. 64: 如对议题有意见和建议，可在会前提出)."""
    at = _now(at)
    att = access.attendance_of(actor, meeting_id)
    text = _text(text, "text", "书面意见")
    if at >= att.meeting.starts_at or att.meeting.status in (Meeting.Status.OPEN, Meeting.Status.CLOSED,
                                                              Meeting.Status.CANCELLED):
        raise Refused(f"如对议题有意见和建议，须在会前提出{rules.cite('R64.leave')}", field="at")
    with transaction.atomic():
        att.written_views, att.views_submitted_at = text, at
        att.save(update_fields=["written_views", "views_submitted_at"])
        audit_append(actor=actor, action="meetings.attendance.views", obj_type=OBJ_ATTENDANCE, obj_id=str(att.pk),
                     after={"written_views": text}, article=rules.article_of("R64.leave"),
                     summary=f"{actor}会前提交书面意见")
    return att


def sign_in(*, actor: Person, meeting_id, person_id=None, at: dt.datetime | None = None) -> Attendance:
    """Sign in on the day (签到): oneself, or the office for someone present."""
    at = _now(at)
    if person_id in (None, "") or id_field(person_id, "person_id", "人员") == actor.pk:
        att = access.attendance_of(actor, meeting_id)
    else:
        meeting = access.meeting_for_office(actor, meeting_id)
        att = meeting.attendances.select_related("person", "meeting").filter(person_id=id_field(person_id, "person_id", "人员")).first()
        if att is None:
            raise Refused(f"人员{person_id}不是该会议的参会人员", field="person_id")
    meeting = att.meeting
    if meeting.status not in (Meeting.Status.APPROVED, Meeting.Status.OPEN) and not (
            meeting.is_department_meeting and meeting.status == Meeting.Status.PLANNED):
        raise Refused(f"会议{meeting.get_status_display()}，不能签到", field="meeting_id")
    if facts.day_of(at) != _meeting_day(meeting):
        raise Refused(f"签到须在会议当天（{_meeting_day(meeting).isoformat()}）", field="at")
    if att.signed_in_at is not None:
        raise Refused(_signed_in(att), field="person_id")
    with transaction.atomic():
        was = att.status
        transition(att, expect=[s for s in Attendance.Status if s != Attendance.Status.PRESENT],
                   to=Attendance.Status.PRESENT, where={"signed_in_at__isnull": True}, signed_in_at=at,
                   message=lambda fresh: _signed_in(fresh) if fresh else "参会人员已不存在", field="person_id")
        audit_append(actor=actor, action="meetings.attendance.sign_in", obj_type=OBJ_ATTENDANCE, obj_id=str(att.pk),
                     before={"status": was}, after={"status": att.status, "signed_in_at": at.isoformat()},
                     summary=f"{att.person}签到：{meeting.title}")
    return att


def _signed_in(att: Attendance) -> str:
    when = f"（{timezone.localtime(att.signed_in_at):%H:%M}）" if att.signed_in_at else ""
    return f"{att.person}已签到{when}，不能重复签到"


# ---- the meeting itself --------------------------------------------------------------------

def meeting_open(*, actor: Person, meeting_id, at: dt.datetime | None = None) -> Meeting:
    """Open the meeting: approved if held in the government's name (art. 65), chaired as art. 13 and
    58–62 say, and with its quorum of members signed in (art. 58: more than half; art. 60: half or more)."""
    at = _now(at)
    meeting = access.meeting_for_chair(actor, meeting_id)
    _open_checks(meeting, at)
    with transaction.atomic():
        was = meeting.status
        present = meeting.attendances.filter(role=Attendance.Role.MEMBER, signed_in_at__isnull=False).count()
        members = meeting.attendances.filter(role=Attendance.Role.MEMBER).count()
        transition(meeting, expect=[was], to=Meeting.Status.OPEN, opened_at=at, message=_meeting_now("开会"),
                   field="meeting_id")
        audit_append(actor=actor, action="meetings.meeting.open", obj_type=OBJ_MEETING, obj_id=str(meeting.pk),
                     before={"status": was}, after={"status": meeting.status, "members": members, "present": present},
                     article=_quorum_article(meeting.meeting_type),
                     summary=f"{meeting.title}开会：组成人员{members}人，出席{present}人")
    return meeting


def _open_checks(meeting: Meeting, at: dt.datetime) -> None:
    """What meeting_open checks before it writes, in its order; raises the first refusal."""
    if meeting.status in (Meeting.Status.OPEN, Meeting.Status.CLOSED, Meeting.Status.CANCELLED):
        raise Refused(f"会议{meeting.get_status_display()}", field="meeting_id")
    day = facts.day_of(at)
    if day != _meeting_day(meeting):
        raise Refused(gettext("The meeting is scheduled for %(day)s.") % {"day": _meeting_day(meeting).isoformat()},
                      field="at")
    if not meeting.is_department_meeting and meeting.status == Meeting.Status.PENDING:
        raise Refused(f"会议尚在报批中，未经区长审定{rules.cite('R65.approval', day)}", field="meeting_id")
    f = facts.meeting_facts(meeting)
    _check("meetings.meeting", f, day, ("R65.approval",))  # not approved: say that first
    _check("meetings.meeting", f, day, OPEN_RULES)


def meeting_open_refusal(meeting: Meeting, *, at: dt.datetime | None = None) -> Refused | None:
    """A dry run of meeting_open for the pages (nothing written): the refusal opening the meeting
    now would meet — the same checks, so the page shows the reason the service would give — or None."""
    try:
        _open_checks(meeting, _now(at))
    except Refused as e:
        return e
    return None


def _quorum_article(meeting_type: str) -> int:
    return {"plenary": 58, "standing": 60}.get(meeting_type, 57)


def _order_of(item: AgendaItem) -> list[tuple[str, bool, int]]:
    return [(o.speaker_position, o.is_chair, o.speaker_id) for o in item.opinions.order_by("order")]


def opinion_record(*, actor: Person, item_id, speaker_id, text: str) -> Opinion:
    """Record one member's opinion on an item, in speaking order. On a 三重一大 item the chair (一把手)
    speaks last, after every other member present has spoken (末位表态, art. 29)."""
    item = access.item_visible(actor, item_id)
    meeting = access.meeting_for_chair(actor, item.meeting_id)
    text = _text(text, "text", "发言意见")
    if item.status == AgendaItem.Status.DECIDED:
        raise Refused(f"议题“{item.title}”已作出决定（{item.outcome}），不能再记录发言意见", field="item_id")
    if item.status != AgendaItem.Status.CONFIRMED:
        raise Refused(f"议题{item.get_status_display()}，未列入本次会议议程", field="item_id")
    if meeting.status != Meeting.Status.OPEN:
        raise Refused(f"会议{meeting.get_status_display()}，不能记录发言", field="meeting_id")
    speaker = _person(meeting.government, speaker_id, "speaker_id", "发言人")
    att = meeting.attendances.filter(person=speaker).first()
    if speaker.pk != meeting.chair_id and (att is None or att.signed_in_at is None):
        raise Refused(f"{speaker}未出席本次会议", field="speaker_id")
    spoken = _order_of(item)
    if speaker.pk in {pk for _c, _ch, pk in spoken}:
        raise Refused(_spoken(speaker, item), field="speaker_id")
    day = facts.day_of(timezone.now()) if meeting.opened_at is None else facts.day_of(meeting.opened_at)
    is_chair = speaker.pk == meeting.chair_id
    code = meeting.chair_position if is_chair else (att.position_code or facts.code_for(speaker, day))
    order = [(c, ch) for c, ch, _pk in spoken] + [(code, is_chair)]
    if is_chair:
        # the chair speaking now, before members present who have not spoken yet, would precede them
        waiting = (meeting.attendances.filter(role=Attendance.Role.MEMBER, signed_in_at__isnull=False)
                   .exclude(person_id__in=[pk for _c, _ch, pk in spoken] + [speaker.pk]).order_by("order"))
        order += [(a.position_code, False) for a in waiting]
    _check("meetings.deliberation", facts.deliberation_facts(item, order), day, ("R29.last_speaker",))
    try:
        with transaction.atomic():
            opinion = Opinion.objects.create(item=item, speaker=speaker, speaker_position=code, is_chair=is_chair,
                                             order=len(spoken) + 1, text=text, recorded_by=actor)
            _audit_opinion(actor, item, speaker, opinion, text)
    except IntegrityError:  # another opinion was recorded at the same moment (one per speaker, one per place)
        if Opinion.objects.filter(item=item, speaker=speaker).exists():
            raise Conflict(_spoken(speaker, item), field="speaker_id") from None
        raise Conflict("发言记录已被他人更新，请刷新后再记录", field="speaker_id") from None
    return opinion


def _spoken(speaker: Person, item: AgendaItem) -> str:
    return f"{speaker}已就议题“{item.title}”发表意见，不能重复记录"


def _audit_opinion(actor, item, speaker, opinion, text) -> None:
    audit_append(actor=actor, action="meetings.opinion.record", obj_type=OBJ_ITEM, obj_id=str(item.pk),
                 after={"opinion": opinion.pk, "speaker": speaker.pk, "order": opinion.order, "text": text},
                 article=rules.article_of("R29.last_speaker") if item.matter_type else None,
                 summary=f"{speaker}就“{item.title}”发言（第{opinion.order}位）")


def item_decide(*, actor: Person, item_id, outcome: str, conditions: str = "", non_disclosure_reason: str = "",
                at: dt.datetime | None = None) -> AgendaItem:
    """The meeting's decision on an item (通过 / 原则通过 / 暂缓 / 不通过, decisions.outcomes) with its
    conditions; on a 三重一大 item only after the chair has spoken last (art. 29). Decided items of
    the meetings in disclosure.publish_meeting_types are published unless confidential (art. 35)."""
    at = _now(at)
    item = access.item_visible(actor, item_id)
    meeting = access.meeting_for_chair(actor, item.meeting_id)
    day = facts.day_of(at)
    outcomes = list(rules.param("decisions.outcomes", day))
    if outcome not in outcomes:
        raise Refused(f"决定须为{'、'.join(outcomes)}之一", field="outcome")
    conditions = _text(conditions, "conditions", "决定意见及条件", required=False)
    reason = _text(non_disclosure_reason, "non_disclosure_reason", "不公开理由", required=False, max_len=200)
    if item.status == AgendaItem.Status.DECIDED:
        raise Refused(_item_now(item), field="item_id")
    if item.status != AgendaItem.Status.CONFIRMED:
        raise Refused(f"议题{item.get_status_display()}，未列入本次会议议程", field="item_id")
    if meeting.status != Meeting.Status.OPEN:
        raise Refused(f"会议{meeting.get_status_display()}，不能作出决定", field="meeting_id")
    order = [(c, ch) for c, ch, _pk in _order_of(item)]
    _check("meetings.deliberation", facts.deliberation_facts(item, order, complete=True), day, ("R29.last_speaker",))
    with transaction.atomic():
        transition(item, expect=[AgendaItem.Status.CONFIRMED], to=AgendaItem.Status.DECIDED, outcome=outcome,
                   conditions=conditions, decided_at=at, decided_by=actor, publish=meeting.publish and not reason,
                   non_disclosure_reason=reason, message=_item_now, field="item_id")
        if meeting.publish:
            note_exercised(PUBLISHED)
        if getattr(item, "dossier_id", None):
            dossiers.decide(actor=actor, dossier_id=item.dossier_id, outcome=outcome, conditions=conditions,
                            meeting_id=meeting.pk, decided_on=day, speaking_order=order)
        audit_append(actor=actor, action="meetings.item.decide", obj_type=OBJ_ITEM, obj_id=str(item.pk),
                     after=snapshot(item, ["status", "outcome", "conditions", "decided_at", "decided_by", "publish",
                                           "non_disclosure_reason"]),
                     article=(rules.article_of("R29.last_speaker", day) if item.matter_type
                              else _agenda_article(meeting.meeting_type)),
                     summary=f"“{item.title}”：{outcome}")
    return item


def meeting_close(*, actor: Person, meeting_id, at: dt.datetime | None = None) -> Meeting:
    """Close the meeting: every item on the agenda decided; whoever was expected and neither came
    nor had leave is recorded as absent without leave, with the art. 64 finding."""
    at = _now(at)
    meeting = access.meeting_for_chair(actor, meeting_id)
    if meeting.status != Meeting.Status.OPEN:
        raise Refused(f"会议{meeting.get_status_display()}，不能散会", field="meeting_id")
    pending = list(meeting.items.filter(status=AgendaItem.Status.CONFIRMED).values_list("title", flat=True))
    if pending:
        raise Refused(f"尚有议题未作出决定：{'、'.join(pending)}", field="items")
    day = facts.day_of(at)
    with transaction.atomic():
        transition(meeting, expect=[Meeting.Status.OPEN], to=Meeting.Status.CLOSED, closed_at=at,
                   message=_meeting_now("散会"), field="meeting_id")
        absent = []
        for att in meeting.attendances.filter(signed_in_at__isnull=True).exclude(
                status=Attendance.Status.ON_LEAVE).select_related("person", "meeting"):
            if att.status == Attendance.Status.LEAVE_REQUESTED:
                note = "请假尚未批复，未出席"
            elif att.leave_decision and not rules.approves(att.leave_decision, day):
                note = "请假未获同意，未出席"
            else:
                found = rules.check("meetings.attendance", facts.attendance_facts(att, before=False, requested_from=""),
                                    on=day, only=("R64.leave",))
                note = found[0].message if found else "未出席，未请假"
            try:
                transition(att, expect=[att.status], to=Attendance.Status.ABSENT, absence_note=note[:300],
                           where={"signed_in_at__isnull": True})
            except Conflict:  # signed in (or answered) at this very moment: not absent
                continue
            absent.append(att.person_id)
        audit_append(actor=actor, action="meetings.meeting.close", obj_type=OBJ_MEETING, obj_id=str(meeting.pk),
                     before={"status": "open"}, after={"status": meeting.status, "absent_without_leave": absent},
                     article=rules.article_of("R64.leave", day) if absent else None, summary=f"{meeting.title}散会" +
                     (f"，{len(absent)}人未请假缺席" if absent else ""))
    return meeting


# ---- minutes (art. 60–62) ------------------------------------------------------------------

def _minutes_route(meeting: Meeting, on: dt.date) -> str | None:
    route = f"minutes.{meeting.meeting_type}"
    return route if meeting.meeting_type and route in rules.book(on).routes else None


def minutes_draft(*, actor: Person, meeting_id, body: str, title: str = "", number: str = "") -> Minutes:
    """The office drafts the minutes of a closed meeting (art. 60, 61: 办公室起草)."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    meeting = access.meeting_for_office(actor, meeting_id)
    if meeting.status != Meeting.Status.CLOSED:
        raise Refused("会议结束后起草纪要", field="meeting_id")
    body = _text(body, "body", "纪要正文")
    title = _text(title, "title", "纪要标题", required=False, max_len=200) or f"{meeting.title}纪要"
    number = _text(number, "number", "纪要编号", required=False, max_len=40)
    if Minutes.objects.filter(meeting=meeting).exists():
        raise Refused("该会议已有纪要", field="meeting_id")
    try:
        with transaction.atomic():  # one per meeting (a one-to-one): of two drafting at once, one wins
            minutes = Minutes.objects.create(meeting=meeting, title=title, body=body, drafted_by=actor, number=number)
            audit_append(actor=actor, action="meetings.minutes.draft", obj_type=OBJ_MINUTES, obj_id=str(minutes.pk),
                         after=snapshot(minutes), summary=f"起草{title}")
    except IntegrityError:
        raise Conflict("该会议已有纪要（刚由他人起草），请刷新后查看", field="meeting_id") from None
    return minutes


def minutes_update(*, actor: Person, minutes_id, body: str, title: str | None = None) -> Minutes:
    minutes = access.minutes_visible(actor, minutes_id)
    access.meeting_for_office(actor, minutes.meeting_id)
    if minutes.status != Minutes.Status.DRAFT:
        raise Refused(f"纪要{minutes.get_status_display()}，不能修改", field="minutes_id")
    body = _text(body, "body", "纪要正文")
    with transaction.atomic():
        before = snapshot(minutes, ["title", "body"])
        minutes.body = body
        if title is not None:
            minutes.title = _text(title, "title", "纪要标题", max_len=200)
        transition(minutes, expect=[Minutes.Status.DRAFT], body=minutes.body, title=minutes.title, field="minutes_id",
                   message="纪要已被他人修改，请刷新后再保存")
        audit_append(actor=actor, action="meetings.minutes.update", obj_type=OBJ_MINUTES, obj_id=str(minutes.pk),
                     before=before, after=snapshot(minutes, ["title", "body"]), summary=f"修改{minutes.title}")
    return minutes


def minutes_submit(*, actor: Person, minutes_id, on: dt.date | None = None) -> Minutes:
    """Send the draft to be reviewed and signed: route minutes.<type> (art. 60: 办公室主任核报区长签发;
    art. 61 likewise; art. 62: the chair reviews, the 区长 signs). A type without such a route
    (全体会议, 党组会议) is signed by its chair."""
    on = on or rules.today()
    minutes = access.minutes_visible(actor, minutes_id, on=on)
    meeting = access.meeting_for_office(actor, minutes.meeting_id, on=on)
    if minutes.status != Minutes.Status.DRAFT:
        raise Refused(f"纪要{minutes.get_status_display()}", field="minutes_id")
    route = _minutes_route(meeting, on)
    with transaction.atomic():
        # the minutes first (of two sending at once one goes on), then their approval
        transition(minutes, expect=[Minutes.Status.DRAFT], to=Minutes.Status.IN_REVIEW,
                   message=lambda fresh: f"纪要{fresh.get_status_display() if fresh else '已不存在'}，不能再送核",
                   field="minutes_id")
        approval = None
        if route:
            approval = wf.approval_start(actor=actor, route_id=route, obj_type=OBJ_MINUTES, obj_id=str(minutes.pk),
                                         title=minutes.title, context={"meeting_id": meeting.pk,
                                                                       "chair_position_id": meeting.chair_position_ref_id},
                                         on=on)
            transition(minutes, expect=[Minutes.Status.IN_REVIEW], approval=approval)
        audit_append(actor=actor, action="meetings.minutes.submit", obj_type=OBJ_MINUTES, obj_id=str(minutes.pk),
                     after={"status": minutes.status, "route": route, "approval": approval.pk if approval else None},
                     article=_agenda_article(meeting.meeting_type), summary=f"{minutes.title}送核")
    return minutes


def minutes_review(*, actor: Person, minutes_id, opinion: str = "", on: dt.date | None = None) -> Minutes:
    """核报: only who the article names (the 办公室主任; for a 专题会议 its chair). The check is the
    engine's guard of the step (engine.minutes_guard), so the inbox and the API refuse the same people."""
    on = on or rules.today()
    minutes = access.minutes_visible(actor, minutes_id, on=on)
    if minutes.status != Minutes.Status.IN_REVIEW or minutes.reviewed_by_id:
        raise Refused(f"纪要{minutes.get_status_display()}，不在核报环节", field="minutes_id")
    if minutes.approval_id is None:  # no route, so no step guard: who may not review it is told so first
        refuse_if_blocking(engine.check_minutes(minutes, actor, "review", on))
        raise Refused("该类会议纪要不设核报环节，由会议主持人签发", field="minutes_id")
    task = _step_task(minutes.approval_id, engine.REVIEW_STEPS)
    wf.task_complete(actor=actor, task_id=task.pk, opinion=_text(opinion, "opinion", "意见", required=False) or "核报",
                     on=on)
    minutes.refresh_from_db()
    return minutes


def minutes_sign(*, actor: Person, minutes_id, opinion: str = "", on: dt.date | None = None) -> Minutes:
    """签发: only the 区长 (meetings.minutes_signed_by, art. 60–62), after the review; refused with
    the citation otherwise (the engine's guard of the step). For a type without a signing route the
    chair signs."""
    on = on or rules.today()
    minutes = access.minutes_visible(actor, minutes_id, on=on)
    meeting = minutes.meeting
    if minutes.status not in (Minutes.Status.IN_REVIEW, Minutes.Status.REVIEWED):
        raise Refused(f"纪要{minutes.get_status_display()}，不在签发环节", field="minutes_id")
    refuse_if_blocking(engine.check_minutes(minutes, actor, "sign", on))
    if minutes.approval_id is None:
        code = facts.code_for(actor, on, prefer=[rules.param("meetings.minutes_signed_by", on)])
        if actor.pk != meeting.chair_id:
            raise Refused(f"{_types(on).get(meeting.meeting_type, '该会议')}纪要由会议主持人签发", field="signed_by")
        with transaction.atomic():
            transition(minutes, expect=[Minutes.Status.IN_REVIEW, Minutes.Status.REVIEWED], to=Minutes.Status.SIGNED,
                       signed_by=actor, signed_position=code, signed_on=on)
            audit_append(actor=actor, action="meetings.minutes.sign", obj_type=OBJ_MINUTES, obj_id=str(minutes.pk),
                         after={"signed_by": actor.pk, "signed_on": on.isoformat()},
                         article=_agenda_article(meeting.meeting_type),  # the meeting's own article (58, 59), not 13
                         summary=f"{actor}签发{minutes.title}")
            from .signals import minutes_signed

            minutes_signed.send(sender=Minutes, actor=actor, minutes=minutes, on=on)
        return minutes
    task = _step_task(minutes.approval_id, (engine.SIGN_STEP,))
    wf.task_complete(actor=actor, task_id=task.pk, opinion=_text(opinion, "opinion", "意见", required=False) or "签发",
                     on=on)
    minutes.refresh_from_db()
    return minutes


# ---- follow-up documents (art. 63) ---------------------------------------------------------

def _document(government, document_id):
    from zhengwu.documents.models import Document

    doc = Document.objects.filter(pk=id_field(document_id, "document_id", "公文"), government=government).first()
    if doc is None:
        raise Refused(f"公文{document_id}不存在", field="document_id")
    return doc


def followup_create(*, actor: Person, meeting_id, title: str, item_id=None, document_id=None,
                    lead_unit_id=None) -> FollowUp:
    """A document the meeting decided to issue: due within meetings.document_issue_days working days
    after the meeting (art. 63), counted on the official calendar from the next day."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    from zhengwu.workcalendar.selectors import work_calendar

    meeting = access.meeting_for_office(actor, meeting_id)
    if meeting.status not in (Meeting.Status.OPEN, Meeting.Status.CLOSED):
        raise Refused("会议讨论通过后方可登记决定印发的文件", field="meeting_id")
    title = _text(title, "title", "文件标题", max_len=200)
    item = None
    if item_id not in (None, ""):
        item = meeting.items.filter(pk=id_field(item_id, "item_id", "议题")).first()
        if item is None:
            raise Refused(f"议题{item_id}不属于该会议", field="item_id")
        if item.status != AgendaItem.Status.DECIDED or item.outcome not in _approving(facts.day_of(meeting.starts_at)):
            raise Refused(f"议题“{item.title}”未经会议讨论通过", field="item_id")
    doc = _document(meeting.government, document_id) if document_id not in (None, "") else None
    unit = _unit(meeting.government, lead_unit_id, "lead_unit_id") or (item.lead_unit if item else None)
    decided_on = facts.day_of(meeting.closed_at or meeting.ends_at)
    days = int(rules.param("meetings.document_issue_days", decided_on))
    due = work_calendar().add_workdays(decided_on, days)
    with transaction.atomic():
        followup = FollowUp.objects.create(meeting=meeting, item=item, title=title, document=doc, lead_unit=unit,
                                           decided_on=decided_on, due_on=due, created_by=actor)
        audit_append(actor=actor, action="meetings.followup.create", obj_type=OBJ_FOLLOWUP, obj_id=str(followup.pk),
                     after=snapshot(followup), article=rules.article_of("R63.issue_within", decided_on),
                     summary=f"会议决定印发《{title}》，应于{due.isoformat()}前印发")
    return followup


def _approving(on: dt.date) -> list[str]:
    """Outcomes that approve the item (通过, 原则通过): the book's decisions.approving_outcomes."""
    return list(rules.param("decisions.approving_outcomes", on))


def followup_link_document(*, actor: Person, followup_id, document_id) -> FollowUp:
    followup = access.followup_visible(actor, followup_id)
    access.meeting_for_office(actor, followup.meeting_id)
    doc = _document(followup.meeting.government, document_id)
    with transaction.atomic():
        before = {"document": followup.document_id}
        followup.document = doc
        followup.save(update_fields=["document"])
        audit_append(actor=actor, action="meetings.followup.link", obj_type=OBJ_FOLLOWUP, obj_id=str(followup.pk),
                     before=before, after={"document": doc.pk}, summary=f"《{followup.title}》关联公文{doc.pk}")
    return followup


def followups_issued_with_document(*, actor: Person, document, issued_on: dt.date) -> list[FollowUp]:
    """A linked document was 印发 (documents.signals.document_issued, inside its transaction): its
    follow-ups are recorded as issued that day, with the art. 63 warning when late. No access
    check of its own: the issuing service already checked the actor."""
    from zhengwu.rulebook.rules.meetings import FollowupFacts
    from zhengwu.workcalendar.selectors import work_calendar

    done = []
    for followup in FollowUp.objects.filter(document_id=document.pk, issued_on__isnull=True,
                                            decided_on__lte=issued_on):
        days = work_calendar().count_workdays(followup.decided_on, issued_on)
        followup.warnings = rules.check("meetings.followup", FollowupFacts(
            decided_on=followup.decided_on, document=followup.title, issued_on=issued_on,
            working_days_between=days), on=issued_on)
        try:
            set_once(followup, where={"issued_on__isnull": True}, issued_on=issued_on)
        except Conflict:  # recorded by hand at this very moment: that record stands
            continue
        audit_append(actor=actor, action="meetings.followup.issued", obj_type=OBJ_FOLLOWUP, obj_id=str(followup.pk),
                     after={"issued_on": issued_on.isoformat(), "working_days": days, "late": bool(followup.warnings),
                            "document": document.doc_number}, article=rules.article_of("R63.issue_within", issued_on),
                     summary=f"《{followup.title}》随{document.doc_number}于{issued_on.isoformat()}印发（会后第{days}个工作日）")
        done.append(followup)
    return done


def followup_issued(*, actor: Person, followup_id, issued_on: dt.date) -> FollowUp:
    """Record the issue of a decided document; issued later than art. 63 wants, it is recorded
    with the warning (原则上: a norm, not a bar)."""
    from zhengwu.rulebook.rules.meetings import FollowupFacts
    from zhengwu.workcalendar.selectors import work_calendar

    followup = access.followup_visible(actor, followup_id)
    access.meeting_for_office(actor, followup.meeting_id)
    if not isinstance(issued_on, dt.date) or isinstance(issued_on, dt.datetime):
        raise Refused("印发日期须为日期", field="issued_on")
    if followup.issued_on is not None:
        raise Refused(_issued(followup), field="followup_id")
    if issued_on < followup.decided_on:
        raise Refused("印发日期不能早于会议日期", field="issued_on")
    if issued_on > rules.today():
        raise Refused("印发日期不能晚于今天", field="issued_on")
    days = work_calendar().count_workdays(followup.decided_on, issued_on)
    warnings = rules.check("meetings.followup", FollowupFacts(
        decided_on=followup.decided_on, document=followup.title, issued_on=issued_on, working_days_between=days),
        on=issued_on)
    with transaction.atomic():
        set_once(followup, where={"issued_on__isnull": True}, issued_on=issued_on, field="followup_id",
                 message=lambda fresh: _issued(fresh) if fresh else "该文件记录已不存在")
        audit_append(actor=actor, action="meetings.followup.issued", obj_type=OBJ_FOLLOWUP, obj_id=str(followup.pk),
                     after={"issued_on": issued_on.isoformat(), "working_days": days,
                            "late": bool(warnings)}, article=rules.article_of("R63.issue_within", issued_on),
                     summary=f"《{followup.title}》于{issued_on.isoformat()}印发（会后第{days}个工作日）")
    followup.warnings = warnings
    return followup


def _issued(followup: FollowUp) -> str:
    return f"《{followup.title}》已于{followup.issued_on.isoformat()}印发，不能重复登记"
