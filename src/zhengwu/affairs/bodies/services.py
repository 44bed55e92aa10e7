"""The services of coordination bodies (arts. 71-74), emergency reports (75) and submissions to the
区委, 人大 and 政协 (6, 38, 76-78): the only writers. Each checks who acts (access.py), validates its
input naming the field, runs the rules, writes and audits in one transaction.

Coordination bodies:
- body_propose / body_submit   a department asks to set one up (R72.basis, R73.head); the request goes
                               through route coordination_body.setup (office → 分管副区长 → 区长, art. 71)
- on_setup_finished            同意 of the 区长 sets it up: an org.Unit of kind coordination_body, its head
- body_register                the office records a body set up before this register, with its basis
- body_change                  head or members adjusted (R73.change); a body led by a department head
                               reports it (route coordination_body.dept_head_change: 阅知 and 备案)
- goals_submit                 next year's goals and tasks, by year end (R74.annual_goals)
- body_abolish                 撤销 when its task is done
Emergency reports: report_create (R75.report, R75.on_time), report_written, report_update (续报/终报).
Submissions: submission_create (draft, any unit), submission_submit (by the 区政府 through its office:
R6.request, R38.economy, R77.by_government, R78.by_government; a 区委 topic also R76.prior_approval and
R76.no_direct_submission of rules/decisions.py), submission_response, submission_feedback (R76.feedback).
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Conflict, Refused, id_field, refuse_if_blocking
from zhengwu.org import selectors as org
from zhengwu.org import services as org_services
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import starts
from zhengwu.rulebook.rules.bodies import (PARTY_COMMITTEE, TOPIC, ChangeFacts, EmergencyFacts, GoalsFacts,
                                            SetupFacts, SubmissionFacts)
from zhengwu.rulebook.rules.decisions import EscalationFacts, ReportFacts
from zhengwu.textcheck import text_field
from zhengwu.transitions import set_once, transition
from zhengwu.workflow import notify
from zhengwu.workflow import services as wf

from . import access
from .models import Change, CoordinationBody, EmergencyReport, EmergencyUpdate, Goals, Member, Submission

BODY, CHANGE, REPORT, SUBMISSION = "bodies.body", "bodies.change", "bodies.report", "bodies.submission"
SETUP_ROUTE, DEPT_HEAD_CHANGE_ROUTE = starts("coordination_body.setup", "coordination_body.dept_head_change")
B = CoordinationBody.Status
MAX_TEXT = 4000


# ---- helpers -----------------------------------------------------------------------------------

def _text(value, field: str, label: str, *, required: bool = True, max_len: int = MAX_TEXT,
          single_line: bool = False) -> str:
    return text_field(value, field, label, required=required, single_line=single_line, max_len=max_len)


def _moment(value, field: str, label: str, *, required: bool = True) -> dt.datetime | None:
    """A time to the minute (ISO 8601, e.g. 2026-12-06T08:30), in the government's time zone."""
    if value in (None, ""):
        if required:
            raise Refused(f"{label}不能为空", field=field)
        return None
    if not isinstance(value, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise Refused(f"{label}须为时间（如2026-12-06T08:30）", field=field) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _person(government, person_id, field: str, label: str) -> Person:
    pk = id_field(person_id, field, label)
    found = Person.objects.filter(pk=pk, government=government, is_active=True).first()
    if found is None:
        raise Refused(f"{label}{pk}不存在", field=field)
    return found


def _unit(government, unit_id, field: str) -> Unit:
    pk = id_field(unit_id, field, "单位")
    found = Unit.objects.filter(pk=pk, government=government, active=True).first()
    if found is None:
        raise Refused(f"单位{pk}不存在", field=field)
    return found


def _audit(actor, obj_type: str, obj, action: str, ref: str, summary: str, *, before=None, after=None, on=None):
    audit_append(actor=actor, action=action, obj_type=obj_type, obj_id=str(obj.pk), before=before, after=after,
                 article=rules.article_of(ref, on), summary=summary)


def _office_director(government, on: dt.date) -> Person | None:
    return org.acting_for_code(government, "office_director", on)


def _tell_office(government, on: dt.date, *, title: str, body: str, link: str, key: str, kind: str = "info",
                 msg: str | None = None, params: dict | None = None):
    """Tell the office director; `msg`/`params` let the title show in the reader's language."""
    director = _office_director(government, on)
    if director is not None:
        return notify.send(person=director, kind=kind, title=title, body=body, link=link, key=key, msg=msg, params=params)
    return None


# ---- coordination bodies: setting one up (art. 71-73) ------------------------------------------

def head_code_of(government, person: Person | None, on: dt.date) -> str:
    """What the head is: the 区长, a 区政府领导 (分管), a department head, or "" (none)."""
    if person is None:
        return ""
    codes = {p.code for p in org.positions_held(person, on)}
    if "district_head" in codes:
        return CoordinationBody.Head.DISTRICT_HEAD
    if codes & set(org.LEADER_CODES):
        return CoordinationBody.Head.UNIT_LEADER
    return CoordinationBody.Head.DEPT_HEAD if codes else ""


def _setup_facts(body: CoordinationBody) -> SetupFacts:
    return SetupFacts(name=body.name, basis_kind=body.basis_kind, basis_document=body.basis_document,
                      purpose=body.purpose, head_code=body.head_code,
                      head_required_by_higher=body.head_required_by_higher)


def _body_fields(actor: Person, *, name, purpose, basis_kind, basis_document, head_id, head_required_by_higher,
                 on: dt.date) -> dict:
    gov = actor.government
    name = _text(name, "name", "机构名称", single_line=True, max_len=100)
    purpose = _text(purpose, "purpose", "工作任务", required=False)
    basis_kind = _text(basis_kind, "basis_kind", "依据类别", required=False, single_line=True, max_len=30)
    basis_document = _text(basis_document, "basis_document", "依据文件", required=False, single_line=True,
                           max_len=200)
    head = _person(gov, head_id, "head_id", "主要负责人") if head_id not in (None, "") else None
    if CoordinationBody.objects.filter(government=gov, name=name).exclude(
            status__in=[B.REJECTED, B.ABOLISHED]).exists():
        raise Refused(f"已有名为“{name}”的议事协调机构", field="name")
    return {"name": name, "purpose": purpose, "basis_kind": basis_kind, "basis_document": basis_document,
            "head": head, "head_code": head_code_of(gov, head, on),
            "head_required_by_higher": bool(head_required_by_higher)}


def body_propose(*, actor: Person, name, purpose, basis_kind, basis_document, head_id=None,
                 head_required_by_higher: bool = False, on: dt.date | None = None) -> CoordinationBody:
    """A department (区政府相关部门) drafts a request to set up a body; refused without a basis (R72.basis).
    The body's office is to sit in the applicant's unit."""
    on = on or rules.today()
    unit = access.own_unit(actor, on)
    fields = _body_fields(actor, name=name, purpose=purpose, basis_kind=basis_kind, basis_document=basis_document,
                          head_id=head_id, head_required_by_higher=head_required_by_higher, on=on)
    body = CoordinationBody(government=actor.government, applicant_unit=unit, office_unit=unit, created_by=actor,
                            **fields)
    warnings = rules.enforce("bodies.setup", _setup_facts(body), on=on)
    with transaction.atomic():
        body.save(force_insert=True)
        _audit(actor, BODY, body, "bodies.body.propose", "R72.basis", f"提出设置议事协调机构：{body.name}", on=on,
               after={"basis_kind": body.basis_kind, "basis_document": body.basis_document,
                      "warnings": [w.message for w in warnings]})
    return body


def body_submit(*, actor: Person, body_id, on: dt.date | None = None) -> CoordinationBody:
    """报批: route coordination_body.setup (区政府办公室审核 → 分管副区长 → 区长, art. 71)."""
    on = on or rules.today()
    body = access.body_for_applicant(actor, body_id, on=on)
    if body.status != B.DRAFT:
        raise Refused(f"该机构{body.get_status_display()}，不能报批", field="body_id")
    rules.enforce("bodies.setup", _setup_facts(body), on=on)
    with transaction.atomic():
        approval = wf.approval_start(actor=actor, route_id=SETUP_ROUTE, obj_type=BODY, obj_id=str(body.pk),
                                     title=f"设置议事协调机构：{body.name}", applicant_unit=body.applicant_unit, on=on)
        transition(body, expect=[B.DRAFT], to=B.PENDING, approval=approval, field="body_id")
        _audit(actor, BODY, body, "bodies.body.submit", SETUP_ROUTE, f"报批设置议事协调机构：{body.name}", on=on,
               after={"approval": approval.pk})
    return body


def setup_guard(approval, task, actor, decision, opinion, on):
    """Before each step of coordination_body.setup: the basis of art. 72 is still there."""
    body = CoordinationBody.objects.filter(pk=int(approval.obj_id)).first()
    return rules.check("bodies.setup", _setup_facts(body), on=on) if body else []


def _granted(approval, on) -> tuple[bool, str]:
    from zhengwu.workflow.models import Task

    last = approval.tasks.filter(status=Task.Status.DONE, kind=Task.Kind.STEP).order_by("-id").first()
    return (last is not None and rules.approves(last.decision, on)), (last.decision if last else "")


def _establish(body: CoordinationBody, actor, on: dt.date) -> None:
    """The body becomes a unit (org.Unit of kind coordination_body) and its head a member."""
    if body.unit_id is None:
        unit = org_services.unit_create(actor=actor, government=body.government, name=body.name,
                                        kind="coordination_body", domains=list(body.applicant_unit.domains or ()))
        transition(body, expect=[body.status], versioned=False, unit=unit)
    if body.head_id and not body.members.filter(role=Member.Role.HEAD, until__isnull=True).exists():
        Member.objects.create(body=body, person_id=body.head_id, role=Member.Role.HEAD, since=on)


def on_setup_finished(approval, actor, on) -> None:
    """The 区长's 审批 (in the engine's transaction): 同意 sets the body up; otherwise it is not."""
    body = CoordinationBody.objects.select_related("applicant_unit", "government").filter(pk=int(approval.obj_id)).first()
    if body is None:
        return
    granted, decision = _granted(approval, on)
    if granted:
        transition(body, expect=[B.PENDING], to=B.ESTABLISHED, versioned=False, established_on=on)
        _establish(body, actor, on)
    else:
        transition(body, expect=[B.PENDING], to=B.REJECTED, versioned=False)
    _audit(actor, BODY, body, "bodies.body.decide", SETUP_ROUTE,
           f"议事协调机构设置审批{'同意' if granted else '不同意'}：{body.name}", on=on,
           after={"status": body.status, "decision": decision})


def on_setup_back(approval, *args) -> None:
    """Returned (退回) or withdrawn: the request is a draft again, to be corrected and resubmitted."""
    body = CoordinationBody.objects.filter(pk=int(approval.obj_id)).first()
    if body is not None and body.status == B.PENDING:
        transition(body, expect=[B.PENDING], to=B.DRAFT, versioned=False, approval=None)


def body_register(*, actor: Person, name, purpose, basis_kind, basis_document, established_on, establish_document,
                  office_unit_id, unit_id=None, head_id=None, member_ids: Iterable = (),
                  head_required_by_higher: bool = False, on: dt.date | None = None) -> CoordinationBody:
    """The 区政府办公室 records a body set up before this register (its basis and 设立文件), so that its
    goals and changes are followed from now on. `unit_id`: the org unit it already is, if any."""
    on = on or rules.today()
    access.for_office(actor, None, on=on)
    gov = actor.government
    fields = _body_fields(actor, name=name, purpose=purpose, basis_kind=basis_kind, basis_document=basis_document,
                          head_id=head_id, head_required_by_higher=head_required_by_higher, on=on)
    office = _unit(gov, office_unit_id, "office_unit_id")
    unit = None
    if unit_id not in (None, ""):
        unit = _unit(gov, unit_id, "unit_id")
        if unit.kind != "coordination_body" or CoordinationBody.objects.filter(unit=unit).exists():
            raise Refused(f"{unit.name}不是尚未登记的议事协调机构", field="unit_id")
    established_on = _date(established_on, "established_on", "设立日期") or on
    document = _text(establish_document, "establish_document", "设立文件", single_line=True, max_len=200)
    members = [_person(gov, pk, "member_ids", "成员") for pk in member_ids]
    body = CoordinationBody(government=gov, applicant_unit=office, office_unit=office, unit=unit, created_by=actor,
                            status=B.ESTABLISHED, established_on=established_on, establish_document=document,
                            **fields)
    warnings = rules.enforce("bodies.setup", _setup_facts(body), on=on)
    with transaction.atomic():
        body.save(force_insert=True)
        if body.head_id:
            Member.objects.create(body=body, person=body.head, role=Member.Role.HEAD, since=established_on)
        Member.objects.bulk_create([Member(body=body, person=p, role=Member.Role.MEMBER, since=established_on)
                                    for p in members if p.pk != body.head_id])
        _audit(actor, BODY, body, "bodies.body.register", "R72.basis", f"登记已设立的议事协调机构：{body.name}",
               on=on, after={"establish_document": document, "warnings": [w.message for w in warnings]})
    return body


def _date(value, field: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Refused(f"{label}须为日期（如2026-03-31）", field=field) from None


def _established(body: CoordinationBody) -> None:
    if body.status != B.ESTABLISHED:
        raise Refused(f"该机构{body.get_status_display()}，不能办理", field="body_id")


# ---- changes (art. 73) -------------------------------------------------------------------------

def body_change(*, actor: Person, body_id, summary, document_ref, head_id=None, add_ids: Iterable = (),
                remove_ids: Iterable = (), on: dt.date | None = None) -> Change:
    """Adjust the head (`head_id`) and/or members. A body led by a 区政府领导 has its head changed by the
    区政府办公室; its members by its own office, filed with the 区政府办公室 (R73.change). A body led by a
    department head adjusts itself and reports it (route coordination_body.dept_head_change)."""
    on = on or rules.today()
    body = access.body_for_office_or_body_office(actor, body_id, on=on)
    _established(body)
    gov = body.government
    summary = _text(summary, "summary", "调整情况")
    document_ref = _text(document_ref, "document_ref", "调整文件文号", required=False, single_line=True, max_len=100)
    new_head = _person(gov, head_id, "head_id", "主要负责人") if head_id not in (None, "") else None
    adds = [_person(gov, pk, "add_ids", "成员") for pk in add_ids if pk not in (None, "")]
    removes = {id_field(pk, "remove_ids", "成员") for pk in remove_ids if pk not in (None, "")}
    if new_head is None and not adds and not removes:
        raise Refused("请选择要调整的负责人或成员", field="head_id")
    led_by_leader = body.head_code in (CoordinationBody.Head.UNIT_LEADER, CoordinationBody.Head.DISTRICT_HEAD)
    by_office = access.is_office_staff(actor, on)
    facts = ChangeFacts(body=body.name, led_by_leader=led_by_leader, changes_head=new_head is not None,
                        by_office=by_office, by_body_office=access.in_body_office(actor, body, on),
                        document_ref=document_ref)
    rules.enforce("bodies.change", facts, on=on)
    with transaction.atomic():
        was = {"head": body.head_id, "head_code": body.head_code}
        if new_head is not None and new_head.pk != body.head_id:
            body.members.filter(role=Member.Role.HEAD, until__isnull=True).update(until=on)
            Member.objects.create(body=body, person=new_head, role=Member.Role.HEAD, since=on)
            transition(body, expect=[B.ESTABLISHED], head=new_head, head_code=head_code_of(gov, new_head, on),
                       adjust_flagged_on=None, field="body_id")
        if removes:
            body.members.filter(person_id__in=removes, until__isnull=True).exclude(role=Member.Role.HEAD).update(until=on)
        current = set(body.members.filter(until__isnull=True).values_list("person_id", flat=True))
        Member.objects.bulk_create([Member(body=body, person=p, role=Member.Role.MEMBER, since=on)
                                    for p in adds if p.pk not in current])
        change = Change.objects.create(body=body, changes_head=new_head is not None, summary=summary,
                                       document_ref=document_ref, by_office=by_office, made_on=on, made_by=actor,
                                       filed_on=on if by_office else None)
        if not led_by_leader and not by_office:
            # a department head leads it: the body's office reports its own adjustment (阅知 and 备案)
            approval = wf.approval_start(actor=actor, route_id=DEPT_HEAD_CHANGE_ROUTE, obj_type=CHANGE,
                                         obj_id=str(change.pk), title=f"议事协调机构调整报备：{body.name}",
                                         applicant_unit=body.office_unit, on=on)
            Change.objects.filter(pk=change.pk).update(approval=approval)
            change.approval = approval
        elif not by_office:
            _tell_office(gov, on, title=f"议事协调机构成员调整备案：{body.name}", body=f"{document_ref}：{summary[:200]}",
                         msg="bodies.change_filed", params={"title": body.name},
                         link=f"/affairs/bodies/{body.pk}/", key=f"bodies:change:{change.pk}")
            set_once(change, where={"filed_on__isnull": True}, filed_on=on, field="change_id")
        _audit(actor, BODY, body, "bodies.body.change", "R73.change", f"议事协调机构调整：{body.name}", on=on,
               before=was, after={"head": body.head_id, "added": [p.pk for p in adds], "removed": sorted(removes),
                                  "document_ref": document_ref})
    return change


def on_change_filed(approval, actor, on) -> None:
    """Both the 分管领导's 阅知 and the office's 备案 are done: the change is on file."""
    change = Change.objects.select_related("body").filter(pk=int(approval.obj_id)).first()
    if change is None or change.filed_on is not None:
        return
    set_once(change, where={"filed_on__isnull": True}, filed_on=on, field="change_id")
    _audit(actor, BODY, change.body, "bodies.change.filed", DEPT_HEAD_CHANGE_ROUTE,
           f"议事协调机构调整已阅知、备案：{change.body.name}", on=on, after={"change": change.pk})


# ---- goals (art. 74) and abolition -------------------------------------------------------------

def goals_submit(*, actor: Person, body_id, year, goals, on: dt.date | None = None) -> Goals:
    """报送 a year's goals and tasks to the 区政府办公室 (by year end for the next year, R74.annual_goals)."""
    on = on or rules.today()
    body = access.body_for_office_or_body_office(actor, body_id, on=on)
    _established(body)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise Refused("年度须为整数", field="year") from None
    if not on.year <= year <= on.year + 1:
        raise Refused(f"只能报送{on.year}年或{on.year + 1}年的工作目标", field="year")
    goals = _text(goals, "goals", "工作目标和任务", required=False)
    findings = rules.enforce("bodies.goals", GoalsFacts(body=body.name, year=year, submitted_on=on, goals=goals,
                                                        checking=True), on=on)
    try:
        with transaction.atomic():
            row = Goals.objects.create(body=body, year=year, goals=goals, submitted_on=on, submitted_by=actor)
            _audit(actor, BODY, body, "bodies.goals.submit", "R74.annual_goals",
                   f"报送{year}年度工作目标和任务：{body.name}", on=on,
                   after={"year": year, "late": [v.message for v in findings]})
    except IntegrityError:
        raise Conflict(f"“{body.name}”{year}年度的工作目标和任务已经报送", field="year") from None
    return row


def body_abolish(*, actor: Person, body_id, reason, document_ref, on: dt.date | None = None) -> CoordinationBody:
    """撤销 a body whose task is done (the 区政府办公室 records it with its document)."""
    on = on or rules.today()
    body = access.for_office(actor, access.body_visible(actor, body_id, on=on), on=on)
    reason = _text(reason, "reason", "撤销理由")
    document_ref = _text(document_ref, "document_ref", "撤销文件", single_line=True, max_len=200)
    with transaction.atomic():
        transition(body, expect=[B.ESTABLISHED], to=B.ABOLISHED, abolished_on=on, abolish_reason=reason,
                   abolish_document=document_ref, field="body_id")
        body.members.filter(until__isnull=True).update(until=on)
        _audit(actor, BODY, body, "bodies.body.abolish", SETUP_ROUTE, f"撤销议事协调机构：{body.name}", on=on,
               after={"reason": reason, "document_ref": document_ref})
    return body


# ---- emergency reports (art. 75) ---------------------------------------------------------------

def _emergency_facts(report: EmergencyReport, now: dt.datetime | None) -> EmergencyFacts:
    return EmergencyFacts(event_kind=report.event_kind, level=report.level, occurred_at=report.occurred_at,
                          phoned_at=report.phoned_at, written_at=report.written_at, now=now, title=report.title)


def lateness(report: EmergencyReport, now: dt.datetime | None = None, on: dt.date | None = None) -> list:
    """The R75.on_time findings of a report (late phone or written report, or one still missing)."""
    return rules.check("affairs.emergency", _emergency_facts(report, now), on=on, only=["R75.on_time"])


def report_create(*, actor: Person, event_kind, level, title, content, occurred_at, phoned_at=None,
                  written_at=None, place="", now: dt.datetime | None = None, on: dt.date | None = None) -> EmergencyReport:
    """A unit reports a major situation to the 区政府 (R75.report). A late report is recorded and flagged
    (R75.on_time), never refused: refusing it would make 迟报 into 漏报."""
    now = now or timezone.now()
    on = on or rules.today()
    unit = access.own_unit(actor, on)
    report = EmergencyReport(
        government=actor.government, unit=unit, reported_by=actor,
        event_kind=_text(event_kind, "event_kind", "情况类别", required=False, single_line=True, max_len=20),
        level=_text(level, "level", "事件级别", required=False, single_line=True, max_len=20),
        title=_text(title, "title", "事件名称", single_line=True, max_len=200),
        place=_text(place, "place", "地点", required=False, single_line=True, max_len=200),
        content=_text(content, "content", "基本情况"),
        occurred_at=_moment(occurred_at, "occurred_at", "事发时间"),
        phoned_at=_moment(phoned_at, "phoned_at", "电话报告时间", required=False),
        written_at=_moment(written_at, "written_at", "书面报告时间", required=False))
    late = [v for v in rules.enforce("affairs.emergency", _emergency_facts(report, now), on=on)
            if v.rule_id == "R75.on_time" and report_late_at(v, report)]
    report.late = bool(late)
    report.late_note = "；".join(v.message for v in late)
    with transaction.atomic():
        report.save(force_insert=True)
        _tell_office(report.government, on, kind="escalation" if report.late else "info",
                     title=f"重大情况报告：{report.title}", body=f"{unit.name}：{report.content[:200]}",
                     msg="bodies.emergency", params={"title": report.title},
                     link=f"/affairs/bodies/emergencies/{report.pk}/", key=f"bodies:emergency:{report.pk}")
        _audit(actor, REPORT, report, "bodies.emergency.report", "R75.report", f"报告重大情况：{report.title}",
               on=on, after={"level": report.level, "late": report.late, "late_note": report.late_note})
    return report


def report_late_at(v, report: EmergencyReport) -> bool:
    """A finding about a report made late (not one merely still due)."""
    return getattr(report, v.field or "", None) is not None


def report_written(*, actor: Person, report_id, written_at, now: dt.datetime | None = None,
                   on: dt.date | None = None) -> EmergencyReport:
    """The written report after a first report by phone."""
    now = now or timezone.now()
    on = on or rules.today()
    report = access.report_for_unit(actor, report_id, on=on)
    if report.written_at is not None:
        raise Refused("书面报告时间已登记", field="written_at")
    report.written_at = _moment(written_at, "written_at", "书面报告时间")
    rules.enforce("affairs.emergency", _emergency_facts(report, now), on=on)
    late = [v for v in lateness(report, now, on) if report_late_at(v, report)]
    note = "；".join(x for x in [report.late_note, *(v.message for v in late if v.message not in report.late_note)] if x)
    with transaction.atomic():
        set_once(report, where={"written_at__isnull": True}, written_at=report.written_at,
                 late=report.late or bool(late), late_note=note, field="written_at")
        _audit(actor, REPORT, report, "bodies.emergency.written", "R75.on_time", f"书面报告重大情况：{report.title}",
               on=on, after={"written_at": report.written_at.isoformat(), "late": report.late})
    return report


def report_update(*, actor: Person, report_id, kind, content, at=None, now: dt.datetime | None = None,
                  on: dt.date | None = None) -> EmergencyUpdate:
    """续报 (follow-up) or 终报 (final report, which closes the report)."""
    now = now or timezone.now()
    on = on or rules.today()
    report = access.report_for_unit(actor, report_id, on=on)
    kinds = rules.param("affairs.emergency_report_kinds", on)
    if kind not in kinds:
        raise Refused(f"报告类别须为{'、'.join(kinds.values())}之一", field="kind")
    if report.status != EmergencyReport.Status.OPEN:
        raise Refused("该事件已终报", field="report_id")
    at = _moment(at, "at", "报告时间", required=False) or now
    if at < report.occurred_at or at > now:
        raise Refused("报告时间须在事发之后、现在之前", field="at")
    content = _text(content, "content", "报告内容")
    with transaction.atomic():
        if kind == "final":
            transition(report, expect=[EmergencyReport.Status.OPEN], to=EmergencyReport.Status.FINAL,
                       field="report_id")
        update = EmergencyUpdate.objects.create(report=report, kind=kind, at=at, content=content, by=actor)
        _audit(actor, REPORT, report, f"bodies.emergency.{kind}", "R75.report", f"{kinds[kind]}：{report.title}",
               on=on, after={"at": at.isoformat()})
    return update


def flag_overdue(report: EmergencyReport, now: dt.datetime, on: dt.date) -> bool:
    """The tick: a report whose phone or written report is past its clock and still missing is
    flagged (once) and the office told. Returns whether it flagged it now."""
    findings = [v for v in lateness(report, now, on) if not report_late_at(v, report)]
    if not findings or report.late:
        return False
    note = "；".join(v.message for v in findings)
    with transaction.atomic():
        try:
            set_once(report, where={"late": False}, late=True, late_note=note, field="report_id")
        except Conflict:
            return False
        _tell_office(report.government, on, kind="escalation", title=f"重大情况迟报：{report.title}", body=note,
                     msg="bodies.emergency_late", params={"title": report.title},
                     link=f"/affairs/bodies/emergencies/{report.pk}/", key=f"bodies:emergency-late:{report.pk}")
        audit_append(actor=None, action="bodies.emergency.flag", obj_type=REPORT, obj_id=str(report.pk),
                     article=rules.article_of("R75.on_time", on), summary=f"标记迟报：{report.title}",
                     after={"late_note": note})
    return True


# ---- submissions to the 区委, 人大, 政协 (art. 6, 38, 76-78) -----------------------------------

def submission_create(*, actor: Person, body, kind, title, content, suggestions="", committee_matter="",
                      prior_item_id=None, on: dt.date | None = None) -> Submission:
    """Draft an item (any unit may draft; only the 区政府 submits it)."""
    on = on or rules.today()
    unit = access.own_unit(actor, on)
    item = Submission(
        government=actor.government, drafting_unit=unit, created_by=actor,
        body=_text(body, "body", "报送对象", required=False, single_line=True, max_len=20),
        kind=_text(kind, "kind", "事项类别", required=False, single_line=True, max_len=20),
        title=_text(title, "title", "标题", single_line=True, max_len=200),
        content=_text(content, "content", "内容"),
        suggestions=_text(suggestions, "suggestions", "对策建议", required=False),
        committee_matter=_text(committee_matter, "committee_matter", "区委讨论事项类别", required=False,
                               single_line=True, max_len=30))
    if prior_item_id not in (None, ""):
        item.prior_item = _agenda_item(actor.government, prior_item_id)
    facts = _submission_facts(item, unit)
    # what and to whom now; who submits it is checked at 报送
    refuse_if_blocking(rules.check("affairs.submission", facts, on=on, only=["R76.submission_kind"]))
    with transaction.atomic():
        item.save(force_insert=True)
        _audit(actor, SUBMISSION, item, "bodies.submission.create", "R76.submission_kind",
               f"起草报送事项：{item.title}", on=on, after={"body": item.body, "kind": item.kind})
    return item


def _agenda_item(government, item_id):
    from zhengwu.meetings.models import AgendaItem

    pk = id_field(item_id, "prior_item_id", "会议议题")
    found = AgendaItem.objects.select_related("meeting").filter(pk=pk, meeting__government=government).first()
    if found is None:
        raise Refused(f"会议议题{pk}不存在", field="prior_item_id")
    return found


def _submission_facts(item: Submission, unit: Unit) -> SubmissionFacts:
    return SubmissionFacts(body=item.body, kind=item.kind, title=item.title, content=item.content,
                           submitting_unit=unit.name, submitting_unit_kind=unit.kind, suggestions=item.suggestions)


def _escalation_facts(item: Submission, unit: Unit) -> EscalationFacts:
    prior = item.prior_item
    return EscalationFacts(body=PARTY_COMMITTEE, title=item.title, submitting_unit=unit.name,
                           submitting_unit_kind=unit.kind,
                           prior_meeting_type=prior.meeting.meeting_type if prior else "",
                           prior_outcome=prior.outcome if prior else "", committee_matter=item.committee_matter)


COMMITTEE_RULES = ("R76.no_direct_submission", "R76.prior_approval", "R76.committee_matter")


def submission_submit(*, actor: Person, submission_id, on: dt.date | None = None) -> Submission:
    """报送: by the 区政府 through its office; a department is refused (R6.request, R38.economy,
    R77.by_government, R78.by_government; for a 区委 topic R76.no_direct_submission and R76.prior_approval:
    the 常务会议 or 区长办公会议 that agreed to it in principle)."""
    on = on or rules.today()
    item = access.submission_visible(actor, submission_id, on=on)
    if item.status != Submission.Status.DRAFT:
        raise Refused(f"该事项{item.get_status_display()}，不能再报送", field="submission_id")
    unit = access.office_unit(actor, on) or access.own_unit(actor, on)
    findings = rules.check("affairs.submission", _submission_facts(item, unit), on=on)
    if item.body == PARTY_COMMITTEE and item.kind == TOPIC:
        findings += rules.check("decisions.escalation", _escalation_facts(item, unit), on=on, only=COMMITTEE_RULES)
    refuse_if_blocking(findings)
    with transaction.atomic():
        transition(item, expect=[Submission.Status.DRAFT], to=Submission.Status.SUBMITTED, submitting_unit=unit,
                   submitted_on=on, submitted_by=actor, field="submission_id")
        _audit(actor, SUBMISSION, item, "bodies.submission.submit", "R76.submission_kind",
               f"报送{rules.param('affairs.submission_bodies', on)[item.body]}：{item.title}", on=on,
               after={"prior_item": item.prior_item_id, "submitting_unit": unit.pk})
    return item


def submission_response(*, actor: Person, submission_id, response, response_on=None,
                        on: dt.date | None = None) -> Submission:
    """The office records the 区委's (人大's, 政协's) answer."""
    on = on or rules.today()
    item = access.for_office(actor, access.submission_visible(actor, submission_id, on=on), on=on)
    response = _text(response, "response", "意见")
    day = _date(response_on, "response_on", "意见日期") or on
    if item.submitted_on and day < item.submitted_on:
        raise Refused("意见日期早于报送日期", field="response_on")
    with transaction.atomic():
        transition(item, expect=[Submission.Status.SUBMITTED], to=Submission.Status.ANSWERED, response=response,
                   response_on=day, field="submission_id")
        _audit(actor, SUBMISSION, item, "bodies.submission.response", "R76.submission_kind",
               f"登记意见：{item.title}", on=on, after={"response_on": day.isoformat()})
    return item


def submission_feedback(*, actor: Person, submission_id, feedback, on: dt.date | None = None) -> Submission:
    """The office feeds back how what the 区委 agreed is carried out (art. 76(四), R76.feedback)."""
    on = on or rules.today()
    item = access.for_office(actor, access.submission_visible(actor, submission_id, on=on), on=on)
    feedback = _text(feedback, "feedback", "落实情况", required=False)
    unit = access.office_unit(actor, on) or access.own_unit(actor, on)
    rules.enforce("decisions.report", ReportFacts(kind="feedback", title=item.title, submitting_unit=unit.name,
                                                  submitting_unit_kind=unit.kind, content=feedback,
                                                  since=item.response_on, reported_on=on), on=on)
    with transaction.atomic():
        transition(item, expect=[Submission.Status.ANSWERED], to=Submission.Status.FED_BACK, feedback=feedback,
                   feedback_on=on, field="submission_id")
        _audit(actor, SUBMISSION, item, "bodies.submission.feedback", "R76.feedback",
               f"反馈落实情况：{item.title}", on=on, after={"feedback_on": on.isoformat()})
    return item

