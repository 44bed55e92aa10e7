"""The only writers of leave requests and the leaders' calendar (each checks who acts, validates its
input naming the field, runs the rules, writes and audits in one transaction):

- leave_request           a 副区长's 外出请假 (route leave.deputy_head: the 区长 agrees, the office
                          tells the other leaders, art. 89) or a department head's 外出报告 (route
                          leave.unit_head: the 分管领导 阅知, the office told)
- on_head_decided         the 区长's 同意 records the absence (org.Absence) so that substitution
                          (补位, art. 15) takes effect; 不同意 ends the request
- leave_cancel            撤销 before or during the absence
- leave_return            销假: back early, the absence ends the day before
- event_create / event_cancel   an activity the office arranges for a leader (art. 94)
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Forbidden, Refused, id_field, refuse_if_blocking
from zhengwu.org import selectors as org
from zhengwu.org import services as org_services
from zhengwu.org.models import Person
from zhengwu.rulebook import starts
from zhengwu.rulebook.rules.leave import DEPUTY, UNIT_HEAD, CalendarEventFacts, LeaveDecisionFacts, LeaveRequestFacts
from zhengwu.security.admins import refuse_business
from zhengwu.textcheck import date_field, text_field
from zhengwu.transitions import set_once, transition
from zhengwu.workflow import notify
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task

from . import access
from .models import CalendarEvent, LeaveRequest

OBJ = "leave.request"
EVENT_OBJ = "leave.event"
DEPUTY_ROUTE, UNIT_ROUTE = starts("leave.deputy_head", "leave.unit_head")  # art. 89
HEAD_STEP, NOTIFY_STEP = "head_agree", "office_notify"
S = LeaveRequest.Status
LIVE = (S.PENDING, S.APPROVED, S.REPORTED, S.READ)


def _text(value, field: str, label: str, *, max_len: int, required: bool = True) -> str:
    return text_field(value, field, label, required=required, single_line=True, max_len=max_len)


def _date(value, field: str, label: str) -> dt.date:
    found = date_field(value, field, label)
    if found is None:
        raise Refused(f"{label}不能为空", field=field)
    return found


def _person(actor: Person, pk, field: str, label: str) -> Person:
    pk = id_field(pk, field, label)
    person = Person.objects.filter(pk=pk, government_id=actor.government_id, is_active=True).first()
    if person is None:
        raise Refused(f"{label}{pk}不存在", field=field)
    return person


def _audit(actor, leave: LeaveRequest, action: str, summary: str, *, before=None, after=None, on=None):
    route = DEPUTY_ROUTE if leave.kind == LeaveRequest.Kind.DEPUTY else UNIT_ROUTE
    audit_append(actor=actor, action=action, obj_type=OBJ, obj_id=str(leave.pk), before=before, after=after,
                 article=rules.article_of(route, on), summary=f"{summary}：{leave}")


# ---- 请假 / 外出报告 ---------------------------------------------------------------------------------

def leave_request(*, actor: Person, start, end, destination: str, reason: str, person_id=None,
                  substitute_id=None, on: dt.date | None = None) -> LeaveRequest:
    """A 副区长 asks the 区长 (or a department head reports to his 分管领导 and the office) before going
    away; the office may enter it on the person's behalf. The kind follows from the post."""
    refuse_business(actor)
    on = on or rules.today()
    person = actor if person_id in (None, "") else _person(actor, person_id, "person_id", "请假人")
    if person.pk != actor.pk and not access.is_office(actor, on):
        raise Forbidden("只能本人请假，或由区政府办公室代为登记")
    start, end = _date(start, "start", "外出开始日期"), _date(end, "end", "外出结束日期")
    if end < start:
        raise Refused("结束日期不能早于开始日期", field="end")
    destination = _text(destination, "destination", "前往地点", max_len=100)
    reason = _text(reason, "reason", "事由", max_len=200)
    held = org.positions_of(person, on)
    deputy_codes = set(rules.param("org.deputy_positions", on))
    position = next((p for p in held if p.code in deputy_codes), None)
    kind = DEPUTY
    if position is None:
        kind = UNIT_HEAD
        position = next((p for p in held if p.code == "unit_head"), None) or (held[0] if held else None)
    if position is None:
        raise Refused(f"{person}今日未担任职务", field="person_id")
    warnings = rules.enforce("leave.request", LeaveRequestFacts(kind=kind, person=str(person), position=position.code,
                                                                start=start, asked_on=on), on=on)
    substitute = None
    if substitute_id not in (None, ""):
        if kind != DEPUTY:
            raise Refused("部门主要负责人外出报告不安排区政府领导补位", field="substitute_id")
        substitute = _person(actor, substitute_id, "substitute_id", "补位人")
        if substitute.pk == person.pk:
            raise Refused("补位人不能是本人", field="substitute_id")
        if not any(p.code in deputy_codes for p in org.positions_of(substitute, start)):
            raise Refused(f"补位人{substitute}不是副区长：副区长外出由补位的副区长代为处理工作"
                          f"{rules.cite('R15.substitute', on)}", field="substitute_id")
    with transaction.atomic():
        if LeaveRequest.objects.filter(person=person, status__in=LIVE, start__lte=end, end__gte=start).exists():
            raise Refused("与已有的外出请假时间重叠", field="start")
        leave = LeaveRequest.objects.create(
            government_id=person.government_id, kind=kind, person=person, position=position,
            unit=position.unit if kind == UNIT_HEAD else None, start=start, end=end, destination=destination,
            reason=reason, substitute=substitute, created_by=actor, created_on=on,
            status=S.PENDING if kind == DEPUTY else S.REPORTED)
        title = f"{'请假' if kind == DEPUTY else '外出报告'}：{person}{start.isoformat()}至{end.isoformat()}赴{destination}"
        if kind == DEPUTY:
            approval = wf.approval_start(actor=actor, route_id=DEPUTY_ROUTE, obj_type=OBJ, obj_id=str(leave.pk),
                                         title=title, on=on)
        else:
            absence, _ = org_services.absence_create(actor=actor, person=person, start=start, end=end,
                                                     reason=f"外出（{destination}）：{reason}")
            approval = wf.approval_start(actor=actor, route_id=UNIT_ROUTE, obj_type=OBJ, obj_id=str(leave.pk),
                                         title=title, applicant_unit=position.unit, on=on)
            director = org.acting_for_code(person.government, "office_director", on)
            if director is not None:  # 报告 to the office as well (art. 89, the office as hub, art. 16)
                notify.send(person=director, kind="info", title=f"外出报告：{person}{start.isoformat()}至{end.isoformat()}",
                            msg="leave.reported", params={"person": str(person), "start": start.isoformat(), "end": end.isoformat()},
                            body=f"赴{destination}，{reason}", link=f"/affairs/leave/{leave.pk}/",
                            key=f"leave:report:{leave.pk}")
        LeaveRequest.objects.filter(pk=leave.pk).update(
            approval=approval, absence=absence if kind == UNIT_HEAD else None)
        leave.approval = approval
        leave.absence = absence if kind == UNIT_HEAD else None
        _audit(actor, leave, "leave.request.create", "报请区长同意外出" if kind == DEPUTY else "报告外出", on=on,
               after={"kind": kind, "start": start.isoformat(), "end": end.isoformat(), "destination": destination,
                      "substitute": substitute.pk if substitute else None,
                      "warnings": [v.message for v in warnings]})
    leave.warnings = warnings
    return leave


def _leave_of(approval) -> LeaveRequest:
    return LeaveRequest.objects.select_related("person", "substitute").get(pk=int(approval.obj_id))


def decision_facts(leave: LeaveRequest, actor: Person, on: dt.date) -> LeaveDecisionFacts:
    approver = rules.param("leave.deputy_head_approver", on)
    holds = next((p.code for p in org.positions_of(actor, on) if p.code == approver), "")
    acts = ""
    if not holds:
        pos = org.position_by_code(leave.person.government, approver)
        acting = org.acting_for(pos, on) if pos is not None else None
        acts = approver if acting is not None and acting.pk == actor.pk else ""
    return LeaveDecisionFacts(applicant=str(leave.person), decider=str(actor), decider_is_applicant=actor.pk == leave.person_id,
                              decider_holds=holds, decider_acts_for=acts)


def head_guard(approval, task, actor, decision, opinion, on):
    """Art. 89: only the 区长 (or whoever acts for him by his 委托, art. 15) agrees, never the applicant."""
    return rules.check("leave.decision", decision_facts(_leave_of(approval), actor, on), on=on)


def on_head_decided(approval, task, actor, on) -> None:
    """The 区长's answer (in the engine's transaction, whichever door): 同意 records the absence so
    that 补位 takes effect; 不同意 ends the request and the route (nobody is told of a leave that
    does not happen)."""
    leave = _leave_of(approval)
    if task.step_id == NOTIFY_STEP:
        # 通报区政府*其他*领导同志: the step's circulation goes to every 副区长; not to the one away
        mine = list(approval.tasks.filter(kind=Task.Kind.CIRCULATION, status=Task.Status.OPEN,
                                          assignee_id=leave.person_id).values_list("pk", flat=True))
        if mine:
            wf.circulation_cancel(actor=actor, approval_id=approval.pk, task_ids=mine)
        return
    if task.step_id != HEAD_STEP:
        return
    agreed = rules.approves(task.decision, on)
    if agreed:
        is_head = any(p.code == "district_head" for p in org.positions_of(actor, on))
        absence, _ = org_services.absence_create(
            actor=actor, person=leave.person, start=leave.start, end=leave.end,
            reason=f"外出（{leave.destination}）：{leave.reason}",
            substitute=leave.substitute if is_head else None, designated_by=actor if is_head else None)
        transition(leave, expect=[S.PENDING], to=S.APPROVED, decided_by=actor, decided_on=on,
                   decision_note=(task.opinion or "")[:200], absence=absence, field="request_id")
        notify.send(person=leave.person, kind="info", title=f"区长已同意外出：{leave.start}至{leave.end}",
                    msg="leave.agreed", params={"start": str(leave.start), "end": str(leave.end)},
                    link=f"/affairs/leave/{leave.pk}/", key=f"leave:agreed:{leave.pk}")
    else:
        transition(leave, expect=[S.PENDING], to=S.REFUSED, decided_by=actor, decided_on=on,
                   decision_note=(task.opinion or "")[:200], field="request_id")
        # the route ends here (the engine opens no further stage): nobody is told of a leave that does not happen
        wf.approval_cancel(actor=actor, approval_id=approval.pk, reason="区长不同意外出", on=on)
    _audit(actor, leave, "leave.request.decide", "区长同意外出" if agreed else "区长不同意外出", on=on,
           before={"status": S.PENDING}, after={"status": leave.status, "decision": task.decision,
                                                "absence": leave.absence_id})


def on_unit_read(approval, actor, on) -> None:
    leave = _leave_of(approval)
    if leave.status != S.REPORTED:
        return
    transition(leave, expect=[S.REPORTED], to=S.READ, decided_by=actor, decided_on=on, field="request_id")
    _audit(actor, leave, "leave.request.read", "分管领导阅知外出报告", on=on, after={"status": S.READ})


def on_cancelled(approval, actor, on) -> None:
    """A withdrawn route (by leave_cancel, or after the 区长's 不同意): nothing more to do."""
    return None


def _open_approval(leave: LeaveRequest):
    from zhengwu.workflow.models import Approval

    if leave.approval_id and Approval.objects.filter(pk=leave.approval_id, status=Approval.Status.RUNNING).exists():
        return leave.approval_id
    return None


def leave_cancel(*, actor: Person, request_id, reason: str, on: dt.date | None = None) -> LeaveRequest:
    """撤销 by the person, whoever made it, or the office: the route is withdrawn and the absence
    (if already recorded) cancelled, so nobody acts for him any more."""
    refuse_business(actor)
    on = on or rules.today()
    leave = access.request_visible(actor, request_id, on=on)
    if not access.may_act_for(actor, leave, on):
        raise Forbidden("只有请假人本人或区政府办公室可以撤销")
    reason = _text(reason, "reason", "撤销理由", max_len=200)
    if leave.status not in LIVE:
        raise Refused(f"该请假{leave.get_status_display()}，不能撤销", field="request_id")
    if leave.start <= on and leave.status != S.PENDING:
        raise Refused("外出已开始：提前返回请办理销假", field="request_id")
    with transaction.atomic():
        was = leave.status
        transition(leave, expect=[was], to=S.CANCELLED, cancel_reason=reason, field="request_id")
        running = _open_approval(leave)
        if running:
            wf.approval_cancel(actor=actor, approval_id=running, reason=reason, on=on)
        if leave.absence_id and not leave.absence.cancelled:
            org_services.absence_cancel(actor=actor, absence=leave.absence)
        _audit(actor, leave, "leave.request.cancel", "撤销外出请假", on=on, before={"status": was},
               after={"status": S.CANCELLED, "reason": reason})
    return leave


def leave_return(*, actor: Person, request_id, on: dt.date | None = None) -> LeaveRequest:
    """销假: back early on `on`; the absence ends the day before (or is cancelled if it had not begun)."""
    refuse_business(actor)
    on = on or rules.today()
    leave = access.request_visible(actor, request_id, on=on)
    if not access.may_act_for(actor, leave, on):
        raise Forbidden("只有请假人本人或区政府办公室可以销假")
    if leave.status not in (S.APPROVED, S.REPORTED, S.READ):
        raise Refused(f"该请假{leave.get_status_display()}，不能销假", field="request_id")
    if not leave.start <= on <= leave.end:
        raise Refused(f"销假在外出期间（{leave.start}至{leave.end}）办理", field="request_id")
    with transaction.atomic():
        was = leave.status
        transition(leave, expect=[was], to=S.RETURNED, returned_on=on, field="request_id")
        if leave.absence_id and not leave.absence.cancelled:
            if on <= leave.absence.start:
                org_services.absence_cancel(actor=actor, absence=leave.absence)
            else:
                org_services.absence_shorten(actor=actor, absence=leave.absence, end=on - dt.timedelta(days=1))
        _audit(actor, leave, "leave.request.return", "销假", on=on, before={"status": was},
               after={"status": S.RETURNED, "returned_on": on.isoformat()})
    return leave


def leave_decide(*, actor: Person, request_id, agree: bool, note: str = "", on: dt.date | None = None) -> LeaveRequest:
    """The 区长's answer from the leave pages or the API: the open 区长同意 task, completed through the
    engine (the same guards as the inbox)."""
    on = on or rules.today()
    leave = access.request_visible(actor, request_id, on=on)
    task = None
    if leave.approval_id:
        task = (Task.objects.filter(approval_id=leave.approval_id, step_id=HEAD_STEP, status=Task.Status.OPEN)
                .order_by("id").first())
    if leave.status != S.PENDING or task is None:
        raise Refused(f"该请假{leave.get_status_display()}，没有待区长同意的环节", field="request_id")
    refuse_if_blocking(head_guard(leave.approval, task, actor, "", "", on))  # as the engine's doors answer
    wf.task_complete(actor=actor, task_id=task.pk, decision=rules.choice_for(task.choices, agree, on),
                     opinion=_text(note, "note", "意见", max_len=200, required=False), on=on)
    leave.refresh_from_db()
    return leave


# ---- 领导公务活动 (art. 94) ---------------------------------------------------------------------

def event_create(*, actor: Person, leader_id, title: str, day, start_time=None, end_time=None, place: str = "",
                 note: str = "", on: dt.date | None = None) -> CalendarEvent:
    refuse_business(actor)
    on = on or rules.today()
    leader = _person(actor, leader_id, "leader_id", "区政府领导")
    if not access.is_leader(leader, _date(day, "day", "日期")):
        raise Refused(f"{leader}不是区政府领导同志", field="leader_id")
    rules.enforce("calendar.event", CalendarEventFacts(leader=str(leader), arranged_by=str(actor),
                                                       arranged_by_office=access.is_office(actor, on)), on=on)
    day = _date(day, "day", "日期")
    title = _text(title, "title", "活动", max_len=100)
    place = _text(place, "place", "地点", max_len=100, required=False)
    note = _text(note, "note", "说明", max_len=200, required=False)
    times = []
    for value, field, label in ((start_time, "start_time", "开始时间"), (end_time, "end_time", "结束时间")):
        if value in (None, ""):
            times.append(None)
            continue
        if isinstance(value, dt.time):
            times.append(value)
            continue
        try:
            times.append(dt.time.fromisoformat(str(value)))
        except ValueError:
            raise Refused(f"{label}须为时间（如09:30）", field=field) from None
    if times[0] and times[1] and times[1] <= times[0]:
        raise Refused("结束时间须晚于开始时间", field="end_time")
    with transaction.atomic():
        event = CalendarEvent.objects.create(government_id=actor.government_id, leader=leader, title=title,
                                             place=place, day=day, start_time=times[0], end_time=times[1], note=note,
                                             arranged_by=actor, arranged_on=on)
        audit_append(actor=actor, action="leave.event.create", obj_type=EVENT_OBJ, obj_id=str(event.pk),
                     after={"leader": leader.pk, "title": title, "day": day.isoformat(), "place": place},
                     article=rules.article_of("R94.office_arranged", on), summary=f"安排{leader}{day}{title}")
    return event


def event_cancel(*, actor: Person, event_id, on: dt.date | None = None) -> CalendarEvent:
    refuse_business(actor)
    on = on or rules.today()
    event = access.event_for_office(actor, event_id, on=on)
    with transaction.atomic():
        set_once(event, where={"cancelled": False}, cancelled=True, field="event_id",
                 message="该活动已取消")
        audit_append(actor=actor, action="leave.event.cancel", obj_type=EVENT_OBJ, obj_id=str(event.pk),
                     before={"cancelled": False}, after={"cancelled": True},
                     article=rules.article_of("R94.office_arranged", on), summary=f"取消{event}")
    return event

