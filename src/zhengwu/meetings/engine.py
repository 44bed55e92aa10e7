"""How the meetings app reacts to its approvals in the one workflow engine (hooks run inside the
engine's transaction): a meeting's approval (art. 65: the 区长's 同意 approves it and the notices go
out), a leave request (art. 64: the chair's answer), the minutes' review and signing (art. 60–62)."""

from __future__ import annotations

from django.db.models import F

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.workflow import hooks
from zhengwu.workflow.models import Task

from . import notices
from .models import Attendance, Meeting, Minutes

DECIDING_STEP = "head_decide"


def _meeting_of(approval) -> Meeting:
    return Meeting.objects.select_related("chair").get(pk=int(approval.obj_id))


def meeting_finished(approval, actor, on) -> None:
    meeting = _meeting_of(approval)
    last = approval.tasks.filter(step_id=DECIDING_STEP, status=Task.Status.DONE).order_by("-id").first()
    refused = [t for t in approval.tasks.filter(status=Task.Status.DONE, kind=Task.Kind.STEP) if t.decision == "不同意"]
    if last is not None and last.decision == "同意" and not refused:
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.APPROVED, approved_on=on,
                                                     version=F("version") + 1)
        meeting.refresh_from_db()
        sent = notices.send_notices(meeting)
        audit_append(actor=actor, action="meetings.meeting.approve", obj_type="meetings.meeting",
                     obj_id=str(meeting.pk), before={"status": "pending"},
                     after={"status": meeting.status, "approved_on": on.isoformat(), "notices": sent}, article=65,
                     summary=f"{meeting.title}经区长审定，已通知{sent}人")
    else:
        _back_to_planned(meeting, actor, "不同意" if refused else "未审定")


def _back_to_planned(meeting: Meeting, actor, why: str) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PLANNED, approval=None,
                                                 version=F("version") + 1)
    audit_append(actor=actor, action="meetings.meeting.refuse", obj_type="meetings.meeting", obj_id=str(meeting.pk),
                 before={"status": "pending"}, after={"status": "planned", "why": why}, article=65,
                 summary=f"{meeting.title}未获审定（{why}）")


def meeting_returned(approval, task, actor, on) -> None:
    _back_to_planned(_meeting_of(approval), actor, f"退回：{task.opinion[:60]}")


def leave_done(approval, task, actor, on) -> None:
    att = Attendance.objects.select_related("meeting", "person").get(pk=int(approval.obj_id))
    granted = task.decision == "同意"
    att.leave_decision = task.decision
    att.status = Attendance.Status.ON_LEAVE if granted else Attendance.Status.EXPECTED
    att.save(update_fields=["leave_decision", "status"])
    audit_append(actor=actor, action="meetings.attendance.leave_decide", obj_type="meetings.attendance",
                 obj_id=str(att.pk), before={"status": "leave_requested"},
                 after={"status": att.status, "decision": task.decision}, article=64,
                 summary=f"{actor}{'同意' if granted else '不同意'}{att.person}请假（{att.meeting.title}）")


def minutes_task_done(approval, task, actor, on) -> None:
    minutes = Minutes.objects.select_related("meeting").get(pk=int(approval.obj_id))
    code = task.position.code if task.position_id else ""
    if task.step_id in ("office_review", "chair_review"):
        Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.REVIEWED, reviewed_by=actor,
                                                     reviewed_position=code, reviewed_on=on, version=F("version") + 1)
        audit_append(actor=actor, action="meetings.minutes.review", obj_type="meetings.minutes",
                     obj_id=str(minutes.pk), after={"reviewed_by": actor.pk, "position": code, "on": on.isoformat()},
                     article=approval_article(approval), summary=f"{actor}核报{minutes.title}")
    elif task.step_id == "head_sign":
        Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.SIGNED, signed_by=actor,
                                                     signed_position=code, signed_on=on, version=F("version") + 1)
        audit_append(actor=actor, action="meetings.minutes.sign", obj_type="meetings.minutes",
                     obj_id=str(minutes.pk), after={"signed_by": actor.pk, "position": code, "on": on.isoformat()},
                     article=approval_article(approval), summary=f"{actor}签发{minutes.title}")


def minutes_returned(approval, task, actor, on) -> None:
    """Sent back (退回) by the reviewer or the signer: a draft again, for the office to revise."""
    Minutes.objects.filter(pk=int(approval.obj_id)).update(status=Minutes.Status.DRAFT, approval=None,
                                                           reviewed_by=None, reviewed_position="", reviewed_on=None,
                                                           version=F("version") + 1)
    audit_append(actor=actor, action="meetings.minutes.update", obj_type="meetings.minutes", obj_id=approval.obj_id,
                 after={"status": Minutes.Status.DRAFT, "returned": task.opinion[:200]},
                 article=approval_article(approval), summary=f"{actor}退回纪要修改")


def approval_article(approval) -> int | None:
    return rules.lib().get(approval.rulebook_id).route(approval.route_id).article


hooks.register("meetings.meeting", on_finished=meeting_finished, on_returned=meeting_returned)
hooks.register("meetings.attendance", on_task_done=leave_done)
hooks.register("meetings.minutes", on_task_done=minutes_task_done, on_returned=minutes_returned)
