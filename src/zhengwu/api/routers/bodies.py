"""API routers of zhengwu.affairs.bodies. `ROUTERS` lists (prefix, router) pairs mounted by api.py.

- /bodies: coordination bodies (arts. 71-74): those one may see, one body, a request to set one up
  and its 报批 (route coordination_body.setup; the steps are done through /tasks), adjustments,
  annual goals, abolition;
- /emergencies: emergency reports (art. 75): report, written report, 续报 / 终报, lateness flagged;
- /submissions: items for the 区委, 人大 and 政协 (arts. 6, 38, 76-78): draft, submit (the office
  only), answer, feedback.
Every read goes through zhengwu.affairs.bodies.access (what one may not see is 404), every write
through zhengwu.affairs.bodies.services."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from ninja import Field, Path, Query, Router, Schema, Status

from zhengwu import rules
from zhengwu.affairs.bodies import access, selectors, services
from zhengwu.affairs.bodies.models import CoordinationBody, EmergencyReport, Submission

from ..schemas import ClosedSchema, ErrorOut, IsoDate, Text, ViolationOut, responses
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET

bodies_router = Router(tags=["bodies"])
emergencies_router = Router(tags=["emergencies"])
submissions_router = Router(tags=["submissions"])

BodyId = Path(..., ge=1, le=MAX_ID, description="议事协调机构编号")
ReportId = Path(..., ge=1, le=MAX_ID, description="报告编号")
SubmissionId = Path(..., ge=1, le=MAX_ID, description="报送事项编号")
Ids = list[int]
WRITE = (400, 401, 403, 404, 409, 422)


def _created(schema):
    return {201: schema, **{c: ErrorOut for c in WRITE}}


class Ref(Schema):
    id: int
    name: str


class MemberOut(Schema):
    person: Ref
    role: str
    role_label: str
    since: dt.date


class GoalsOut(Schema):
    year: int
    goals: str
    submitted_on: dt.date


class ChangeOut(Schema):
    id: int
    summary: str
    document_ref: str
    changes_head: bool
    made_on: dt.date
    filed_on: Optional[dt.date]
    approval_id: Optional[int]


class BodyOut(Schema):
    id: int
    name: str
    status: str
    status_label: str
    purpose: str
    basis_kind: str
    basis_label: str
    basis_document: str
    applicant_unit: Ref
    office_unit: Ref
    unit_id: Optional[int] = Field(None, description="设立后作为单位（org）的编号")
    head: Optional[Ref]
    head_code: str
    approval_id: Optional[int] = Field(None, description="设置审批（coordination_body.setup）；步骤经 /tasks 办理")
    established_on: Optional[dt.date]
    abolished_on: Optional[dt.date]
    members: list[MemberOut]
    goals: list[GoalsOut]
    changes: list[ChangeOut]
    adjust: str = Field(description="负责人需调整的原因（第七十三条），无则为空")
    findings: list[ViolationOut] = Field(description="第七十三条、第七十四条的审查结果（负责人、年度工作目标）")


class BodyPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BodyOut]


class BodyIn(ClosedSchema):
    name: Text(100)
    purpose: Text(4000)
    basis_kind: Text(30) = Field("", description="依据类别：coordination_body.basis_kinds 的代码")
    basis_document: Text(200) = Field("", description="依据文件名称和文号")
    head_id: Optional[int] = Field(None, ge=1, le=MAX_ID, description="主要负责人")
    head_required_by_higher: bool = Field(False, description="国家和省、市明确要求由区长担任")


class RegisterIn(BodyIn):
    established_on: IsoDate
    establish_document: Text(200)
    office_unit_id: int = Field(ge=1, le=MAX_ID)
    unit_id: Optional[int] = Field(None, ge=1, le=MAX_ID, description="已有的议事协调机构单位")
    member_ids: Ids = Field(default_factory=list, max_length=100)


class ChangeIn(ClosedSchema):
    summary: Text(4000)
    document_ref: Text(100)
    head_id: Optional[int] = Field(None, ge=1, le=MAX_ID)
    add_ids: Ids = Field(default_factory=list, max_length=100)
    remove_ids: Ids = Field(default_factory=list, max_length=100)


class GoalsIn(ClosedSchema):
    year: int = Field(ge=2000, le=2100)
    goals: Text(4000)


class AbolishIn(ClosedSchema):
    reason: Text(4000)
    document_ref: Text(200)


def _ref(x) -> dict | None:
    return {"id": x.pk, "name": str(x)} if x is not None else None


def body_dict(person, body: CoordinationBody, on: dt.date) -> dict:
    ctx = selectors.body_context(person, body, on)
    return {
        "id": body.pk, "name": body.name, "status": body.status, "status_label": body.get_status_display(),
        "purpose": body.purpose, "basis_kind": body.basis_kind, "basis_label": ctx["basis_label"],
        "basis_document": body.basis_document, "applicant_unit": _ref(body.applicant_unit),
        "office_unit": _ref(body.office_unit), "unit_id": body.unit_id, "head": _ref(body.head),
        "head_code": body.head_code, "approval_id": body.approval_id, "established_on": body.established_on,
        "abolished_on": body.abolished_on,
        "members": [{"person": _ref(m.person), "role": m.role, "role_label": m.get_role_display(), "since": m.since}
                    for m in ctx["members"]],
        "goals": [{"year": g.year, "goals": g.goals, "submitted_on": g.submitted_on} for g in ctx["goals"]],
        "changes": [{"id": c.pk, "summary": c.summary, "document_ref": c.document_ref, "changes_head": c.changes_head,
                     "made_on": c.made_on, "filed_on": c.filed_on, "approval_id": c.approval_id}
                    for c in ctx["changes"]],
        "adjust": ctx["adjust"], "findings": [v.as_dict() for v in ctx["setup_findings"] + ctx["goals_findings"]],
    }


def _body(request, pk) -> dict:
    on = rules.today()
    return body_dict(request.auth, access.body_visible(request.auth, pk, on=on), on)


@bodies_router.get("", response=responses(BodyPage, 400), summary="本人可见的议事协调机构", operation_id="bodies_list")
def body_list(request, limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    on = rules.today()
    qs = access.visible_bodies(request.auth, on=on).select_related("applicant_unit", "office_unit", "head")
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [body_dict(request.auth, b, on) for b in qs[offset:offset + limit]]}


@bodies_router.post("", response=_created(BodyOut), summary="提出设置议事协调机构（相关部门；须有依据）",
                    operation_id="bodies_propose")
def body_propose(request, data: BodyIn):
    body = services.body_propose(actor=request.auth, **data.dict())
    return Status(201, _body(request, body.pk))


@bodies_router.post("/register", response=_created(BodyOut), summary="登记已设立的议事协调机构（区政府办公室）",
                    operation_id="bodies_register")
def body_register(request, data: RegisterIn):
    body = services.body_register(actor=request.auth, **data.dict())
    return Status(201, _body(request, body.pk))


@bodies_router.get("/{body_id}", response=responses(BodyOut, 404), summary="一个议事协调机构", operation_id="bodies_get")
def body_get(request, body_id: int = BodyId):
    return _body(request, body_id)


@bodies_router.post("/{body_id}/submit", response=responses(BodyOut, *WRITE),
                    summary="报批设置（区政府办公室审核、分管副区长、区长审批）", operation_id="bodies_submit")
def body_submit(request, body_id: int = BodyId):
    services.body_submit(actor=request.auth, body_id=body_id)
    return _body(request, body_id)


@bodies_router.post("/{body_id}/changes", response=_created(ChangeOut), summary="调整负责人或成员",
                    operation_id="bodies_change")
def body_change(request, data: ChangeIn, body_id: int = BodyId):
    c = services.body_change(actor=request.auth, body_id=body_id, **data.dict())
    return Status(201, {"id": c.pk, "summary": c.summary, "document_ref": c.document_ref,
                        "changes_head": c.changes_head, "made_on": c.made_on, "filed_on": c.filed_on,
                        "approval_id": c.approval_id})


@bodies_router.post("/{body_id}/goals", response=_created(GoalsOut), summary="报送年度工作目标和任务",
                    operation_id="bodies_goals")
def body_goals(request, data: GoalsIn, body_id: int = BodyId):
    g = services.goals_submit(actor=request.auth, body_id=body_id, year=data.year, goals=data.goals)
    return Status(201, {"year": g.year, "goals": g.goals, "submitted_on": g.submitted_on})


@bodies_router.post("/{body_id}/abolish", response=responses(BodyOut, *WRITE), summary="撤销（区政府办公室）",
                    operation_id="bodies_abolish")
def body_abolish(request, data: AbolishIn, body_id: int = BodyId):
    services.body_abolish(actor=request.auth, body_id=body_id, reason=data.reason, document_ref=data.document_ref)
    return _body(request, body_id)


# ---- emergency reports -------------------------------------------------------------------------

class UpdateOut(Schema):
    kind: str
    at: dt.datetime
    content: str


class ReportOut(Schema):
    id: int
    unit: Ref
    event_kind: str
    level: str
    level_label: str
    title: str
    place: str
    content: str
    occurred_at: dt.datetime
    phoned_at: Optional[dt.datetime]
    written_at: Optional[dt.datetime]
    status: str
    late: bool = Field(description="迟报（第七十五条）")
    late_note: str
    updates: list[UpdateOut]
    findings: list[ViolationOut] = Field(description="第七十五条的时限审查结果")


class ReportPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReportOut]


class ReportIn(ClosedSchema):
    event_kind: Text(20) = Field(description="affairs.emergency_report_events 的代码")
    level: Text(20) = Field(description="affairs.emergency_levels 的代码")
    title: Text(200)
    place: Text(200) = ""
    content: Text(4000)
    occurred_at: dt.datetime = Field(description="事发时间（到分钟）")
    phoned_at: Optional[dt.datetime] = Field(None, description="电话报告时间")
    written_at: Optional[dt.datetime] = Field(None, description="书面报告时间")


class WrittenIn(ClosedSchema):
    written_at: dt.datetime


class UpdateIn(ClosedSchema):
    kind: Text(10) = Field(description="affairs.emergency_report_kinds 的代码：续报或终报")
    content: Text(4000)
    at: Optional[dt.datetime] = None


def report_dict(report: EmergencyReport, on: dt.date) -> dict:
    return {"id": report.pk, "unit": _ref(report.unit), "event_kind": report.event_kind, "level": report.level,
            "level_label": rules.param("affairs.emergency_levels", on).get(report.level, ""), "title": report.title,
            "place": report.place, "content": report.content, "occurred_at": report.occurred_at,
            "phoned_at": report.phoned_at, "written_at": report.written_at, "status": report.status,
            "late": report.late, "late_note": report.late_note,
            "updates": [{"kind": u.kind, "at": u.at, "content": u.content} for u in report.updates.all()],
            "findings": [v.as_dict() for v in selectors.report_findings(report, on)]}


def _report(request, pk) -> dict:
    on = rules.today()
    return report_dict(access.report_visible(request.auth, pk, on=on), on)


@emergencies_router.get("", response=responses(ReportPage, 400), summary="本人可见的重大情况报告",
                        operation_id="emergencies_list")
def report_list(request, late: bool = False, limit: int = Query(50, ge=1, le=MAX_LIMIT),
                offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    on = rules.today()
    qs = access.visible_reports(request.auth, on=on).select_related("unit")
    if late:
        qs = qs.filter(late=True)
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [report_dict(r, on) for r in qs[offset:offset + limit]]}


@emergencies_router.post("", response=_created(ReportOut), summary="向区政府报告重大情况（迟报标记，不拒收）",
                         operation_id="emergencies_report")
def report_create(request, data: ReportIn):
    r = services.report_create(actor=request.auth, **data.dict())
    return Status(201, _report(request, r.pk))


@emergencies_router.get("/{report_id}", response=responses(ReportOut, 404), summary="一份重大情况报告",
                        operation_id="emergencies_get")
def report_get(request, report_id: int = ReportId):
    return _report(request, report_id)


@emergencies_router.post("/{report_id}/written", response=responses(ReportOut, *WRITE), summary="书面报告（报告单位）",
                         operation_id="emergencies_written")
def report_written(request, data: WrittenIn, report_id: int = ReportId):
    services.report_written(actor=request.auth, report_id=report_id, written_at=data.written_at)
    return _report(request, report_id)


@emergencies_router.post("/{report_id}/updates", response=responses(ReportOut, *WRITE),
                         summary="续报或终报（报告单位）", operation_id="emergencies_update")
def report_update(request, data: UpdateIn, report_id: int = ReportId):
    services.report_update(actor=request.auth, report_id=report_id, kind=data.kind, content=data.content, at=data.at)
    return _report(request, report_id)


# ---- submissions -------------------------------------------------------------------------------

class SubmissionOut(Schema):
    id: int
    body: str
    kind: str
    title: str
    content: str
    suggestions: str
    committee_matter: str
    prior_item_id: Optional[int] = Field(None, description="事先讨论原则同意的会议议题")
    drafting_unit: Ref
    submitting_unit: Optional[Ref]
    status: str
    status_label: str
    submitted_on: Optional[dt.date]
    response: str
    response_on: Optional[dt.date]
    feedback: str
    feedback_on: Optional[dt.date]


class SubmissionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SubmissionOut]


class SubmissionIn(ClosedSchema):
    body: Text(20) = Field(description="affairs.submission_bodies 的代码")
    kind: Text(20) = Field(description="affairs.submission_kinds 的代码")
    title: Text(200)
    content: Text(4000)
    suggestions: Text(4000) = ""
    committee_matter: Text(30) = Field("", description="affairs.party_committee_matters 的代码（提请区委讨论的议题）")
    prior_item_id: Optional[int] = Field(None, ge=1, le=MAX_ID, description="区政府常务会议或区长办公会议的议题")


class ResponseIn(ClosedSchema):
    response: Text(4000)
    response_on: Optional[IsoDate] = None


class FeedbackIn(ClosedSchema):
    feedback: Text(4000)


def submission_dict(s: Submission) -> dict:
    return {"id": s.pk, "body": s.body, "kind": s.kind, "title": s.title, "content": s.content,
            "suggestions": s.suggestions, "committee_matter": s.committee_matter, "prior_item_id": s.prior_item_id,
            "drafting_unit": _ref(s.drafting_unit), "submitting_unit": _ref(s.submitting_unit), "status": s.status,
            "status_label": s.get_status_display(), "submitted_on": s.submitted_on, "response": s.response,
            "response_on": s.response_on, "feedback": s.feedback, "feedback_on": s.feedback_on}


def _submission(request, pk) -> dict:
    return submission_dict(access.submission_visible(request.auth, pk, on=rules.today()))


@submissions_router.get("", response=responses(SubmissionPage, 400), summary="本人可见的报送区委、区人大、区政协事项",
                        operation_id="submissions_list")
def submission_list(request, limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    qs = access.visible_submissions(request.auth, on=rules.today()).select_related("drafting_unit", "submitting_unit")
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [submission_dict(s) for s in qs[offset:offset + limit]]}


@submissions_router.post("", response=_created(SubmissionOut), summary="起草报送事项（任何单位）",
                         operation_id="submissions_create")
def submission_create(request, data: SubmissionIn):
    s = services.submission_create(actor=request.auth, **data.dict())
    return Status(201, _submission(request, s.pk))


@submissions_router.get("/{submission_id}", response=responses(SubmissionOut, 404), summary="一件报送事项",
                        operation_id="submissions_get")
def submission_get(request, submission_id: int = SubmissionId):
    return _submission(request, submission_id)


@submissions_router.post("/{submission_id}/submit", response=responses(SubmissionOut, *WRITE),
                         summary="报送（只由区政府办公室；部门不得直接报送）", operation_id="submissions_submit")
def submission_submit(request, submission_id: int = SubmissionId):
    services.submission_submit(actor=request.auth, submission_id=submission_id)
    return _submission(request, submission_id)


@submissions_router.post("/{submission_id}/response", response=responses(SubmissionOut, *WRITE),
                         summary="登记区委、区人大、区政协的意见（区政府办公室）", operation_id="submissions_response")
def submission_response(request, data: ResponseIn, submission_id: int = SubmissionId):
    services.submission_response(actor=request.auth, submission_id=submission_id, response=data.response,
                                 response_on=data.response_on)
    return _submission(request, submission_id)


@submissions_router.post("/{submission_id}/feedback", response=responses(SubmissionOut, *WRITE),
                         summary="向区委反馈落实情况（区政府办公室）", operation_id="submissions_feedback")
def submission_feedback(request, data: FeedbackIn, submission_id: int = SubmissionId):
    services.submission_feedback(actor=request.auth, submission_id=submission_id, feedback=data.feedback)
    return _submission(request, submission_id)


ROUTERS: list = [("/bodies", bodies_router), ("/emergencies", emergencies_router),
                 ("/submissions", submissions_router)]
