"""The meetings app's side of the subject contract (workflow/subjects.py): a meeting's approval
(art. 65: the 区长's 同意 approves it and the notices go out), a leave request (art. 64: the
chair's answer), the minutes' review and signing (art. 60–62). The callbacks run inside the
engine's transaction; the guards run before a step completes, whichever door is used (the inbox,
the API, the meetings pages), so `minutes_sign` refusing a 副区长 and `POST /api/v1/tasks/{id}/
complete` refusing him are the same check."""

from __future__ import annotations

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.transitions import transition
from zhengwu.workflow import subjects
from zhengwu.workflow.selectors import route_article
from zhengwu.workflow.models import Task
from zhengwu.workflow.subjects import RouteContract, Subject

from . import facts, notices, task_view
from .models import Attendance, Meeting, Minutes

DECIDING_STEP = "head_decide"
REVIEW_STEPS = ("office_review", "chair_review")
SIGN_STEP = "head_sign"


def _meeting_of(approval) -> Meeting:
    return Meeting.objects.select_related("chair").get(pk=int(approval.obj_id))


def meeting_finished(approval, actor, on) -> None:
    meeting = _meeting_of(approval)
    last = approval.tasks.filter(step_id=DECIDING_STEP, status=Task.Status.DONE).order_by("-id").first()
    refused = [t for t in approval.tasks.filter(status=Task.Status.DONE, kind=Task.Kind.STEP)
               if t.choices and not rules.approves(t.decision, on)]
    if last is not None and rules.approves(last.decision, on) and not refused:
        transition(meeting, expect=[Meeting.Status.PENDING], to=Meeting.Status.APPROVED, versioned=False,
                   approved_on=on)
        sent = notices.send_notices(meeting)
        audit_append(actor=actor, action="meetings.meeting.approve", obj_type="meetings.meeting",
                     obj_id=str(meeting.pk), before={"status": "pending"},
                     after={"status": meeting.status, "approved_on": on.isoformat(), "notices": sent},
                     article=route_article(approval), summary=f"{meeting.title}经区长审定，已通知{sent}人")
    else:
        _back_to_planned(meeting, approval, actor, "不同意" if refused else "未审定")


def _back_to_planned(meeting: Meeting, approval, actor, why: str) -> None:
    transition(meeting, expect=[Meeting.Status.PENDING], to=Meeting.Status.PLANNED, versioned=False, approval=None)
    audit_append(actor=actor, action="meetings.meeting.refuse", obj_type="meetings.meeting", obj_id=str(meeting.pk),
                 before={"status": "pending"}, after={"status": "planned", "why": why},
                 article=route_article(approval), summary=f"{meeting.title}未获审定（{why}）")


def meeting_returned(approval, task, actor, on) -> None:
    _back_to_planned(_meeting_of(approval), approval, actor, f"退回：{task.opinion[:60]}")


def _attendance_of(approval) -> Attendance:
    return Attendance.objects.select_related("meeting", "person").get(pk=int(approval.obj_id))


def leave_guard(approval, task, actor, decision, opinion, on):
    """Nobody grants their own leave (art. 64: leave is asked of the leader chairing the meeting)."""
    att = _attendance_of(approval)
    if att.person_id == actor.pk:
        book = rules.lib().get(approval.rulebook_id)
        from zhengwu.rulebook import Violation

        yield Violation(rule_id="R64.leave", article=route_article(approval), severity="block",
                        message=f"不能批复本人的请假：请假应向主持会议的领导提出{book.cite(route_article(approval))}",
                        field="task_id")


def leave_done(approval, task, actor, on) -> None:
    att = _attendance_of(approval)
    granted = rules.approves(task.decision, on)
    transition(att, expect=[Attendance.Status.LEAVE_REQUESTED],
               to=Attendance.Status.ON_LEAVE if granted else Attendance.Status.EXPECTED, leave_decision=task.decision)
    audit_append(actor=actor, action="meetings.attendance.leave_decide", obj_type="meetings.attendance",
                 obj_id=str(att.pk), before={"status": "leave_requested"},
                 after={"status": att.status, "decision": task.decision}, article=route_article(approval),
                 summary=f"{actor}{task.decision}{att.person}请假（{att.meeting.title}）")


def _minutes_of(approval) -> Minutes:
    return Minutes.objects.select_related("meeting").get(pk=int(approval.obj_id))


def minutes_guard(approval, task, actor, decision, opinion, on):
    """Art. 60–62 on who reviews (核报) and who signs (签发) the minutes, on the person who acts."""
    return check_minutes(_minutes_of(approval), actor, "sign" if task.step_id == SIGN_STEP else "review", on)


def check_minutes(minutes: Minutes, actor, act: str, on) -> list:
    """The findings of art. 60–62 on `actor` reviewing (act="review") or signing ("sign") `minutes`."""
    from zhengwu.rulebook import Violation

    meeting = minutes.meeting
    only = ("R60.minutes", "R61.minutes", "R62.minutes")
    if act == "sign":
        code = facts.code_for(actor, on, prefer=[rules.param("meetings.minutes_signed_by", on)])
        return rules.check("meetings.minutes", facts.minutes_facts(minutes, signed_by=code), on=on, only=only)
    reviewer = facts.minutes_reviewer_code(meeting, on)
    code = facts.code_for(actor, on, prefer=[reviewer] if reviewer else [])
    if (meeting.meeting_type == "topical" and code == meeting.chair_position and actor.pk != meeting.chair_id
            and not any(p.pk == meeting.chair_position_ref_id for p in facts.positions_held(actor, on))):
        # the same post as the chair but another person (two 副区长): not the one who chaired it
        book = rules.book(on)
        article = book.route("minutes.topical").article
        return [Violation(rule_id="R62.minutes", article=article, severity="block", field="reviewed_by",
                          message=f"专题会议纪要由召集和主持会议的区政府领导（{meeting.chair}）核报，不能由{actor}核报"
                                  f"{book.cite(article)}")]
    return rules.check("meetings.minutes", facts.minutes_facts(minutes, reviewed_by=code), on=on, only=only)


def minutes_task_done(approval, task, actor, on) -> None:
    minutes = _minutes_of(approval)
    code = task.position.code if task.position_id else ""
    if task.step_id in REVIEW_STEPS:
        transition(minutes, expect=[Minutes.Status.IN_REVIEW], to=Minutes.Status.REVIEWED, versioned=False,
                   reviewed_by=actor, reviewed_position=code, reviewed_on=on)
        audit_append(actor=actor, action="meetings.minutes.review", obj_type="meetings.minutes",
                     obj_id=str(minutes.pk), after={"reviewed_by": actor.pk, "position": code, "on": on.isoformat(),
                                                    "as": task.completed_as},
                     article=route_article(approval), summary=f"{actor}核报{minutes.title}")
    elif task.step_id == SIGN_STEP:
        transition(minutes, expect=[Minutes.Status.IN_REVIEW, Minutes.Status.REVIEWED], to=Minutes.Status.SIGNED,
                   versioned=False, signed_by=actor, signed_position=code, signed_on=on)
        audit_append(actor=actor, action="meetings.minutes.sign", obj_type="meetings.minutes",
                     obj_id=str(minutes.pk), after={"signed_by": actor.pk, "position": code, "on": on.isoformat(),
                                                    "as": task.completed_as},
                     article=route_article(approval), summary=f"{actor}签发{minutes.title}")
        from .signals import minutes_signed

        minutes_signed.send(sender=Minutes, actor=actor, minutes=minutes, on=on)


def minutes_returned(approval, task, actor, on) -> None:
    """Sent back (退回) by the reviewer or the signer: a draft again, for the office to revise."""
    minutes = _minutes_of(approval)
    transition(minutes, expect=[Minutes.Status.IN_REVIEW, Minutes.Status.REVIEWED], to=Minutes.Status.DRAFT,
               versioned=False, approval=None, reviewed_by=None, reviewed_position="", reviewed_on=None)
    audit_append(actor=actor, action="meetings.minutes.update", obj_type="meetings.minutes", obj_id=approval.obj_id,
                 after={"status": Minutes.Status.DRAFT, "returned": task.opinion[:200]},
                 article=route_article(approval), summary=f"{actor}退回纪要修改")


def _load(model):
    def load(obj_id):
        return model.objects.filter(pk=int(obj_id)).first()
    return load


MEETING_ROUTES = ("meeting.approval", "meeting.approval_special")
MINUTES_ROUTES = ("minutes.standing", "minutes.head_office", "minutes.topical")
LEAVE_ROUTE = "meeting.leave"

subjects.register(Subject(
    obj_type="meetings.meeting", label="会议", load=_load(Meeting), title=lambda m: m.title,
    url=lambda m: f"/meetings/{m.pk}/", summary=lambda m: m.place,
    fragment=task_view.MEETING_FRAGMENT, fragment_context=task_view.meeting_context,
    routes={r: RouteContract(on_finished=meeting_finished, on_returned=meeting_returned) for r in MEETING_ROUTES}))
subjects.register(Subject(
    obj_type="meetings.attendance", label="请假", load=_load(Attendance),
    title=lambda a: f"请假：{a.person}（{a.meeting.title}）", url=lambda a: f"/meetings/{a.meeting_id}/",
    summary=lambda a: a.leave_reason, fragment=task_view.LEAVE_FRAGMENT, fragment_context=task_view.leave_context,
    routes={LEAVE_ROUTE: RouteContract(on_task_done=leave_done, guards={"chair_approve": leave_guard})}))
subjects.register(Subject(
    obj_type="meetings.minutes", label="会议纪要", load=_load(Minutes), title=lambda m: m.title,
    url=lambda m: f"/meetings/{m.meeting_id}/minutes/", summary=lambda m: m.meeting.title,
    fragment=task_view.MINUTES_FRAGMENT, fragment_context=task_view.minutes_context,
    routes={r: RouteContract(on_task_done=minutes_task_done, on_returned=minutes_returned,
                             guards={s: minutes_guard for s in (*REVIEW_STEPS, SIGN_STEP)})
            for r in MINUTES_ROUTES}))
