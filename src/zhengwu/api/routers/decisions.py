"""Major decisions (“三重一大”事项, art. 13, 28–32, 76–77): the dossiers one may see, one dossier
with its procedures, consultations, readiness and follow-up, assembling it (建立, 修改, 登记程序,
征求意见, 登记回复) and the decisions exported as addressable items for the supervision ledger.

Placing a dossier on a meeting's agenda and recording the meeting's decision belong to the
meetings API (they call zhengwu.decisions.services). Every read goes through
zhengwu.decisions.access (the proposing unit sees its dossiers; the office and the government
leaders all; others nothing), every write through the decisions' services."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from zhengwu import rules
from zhengwu.decisions import access, selectors, services
from zhengwu.decisions.models import MajorDecision
from zhengwu.org.models import Unit

from ..schemas import ClosedSchema, DocId, ErrorOut, IsoDate, PersonRef, Text, ViolationOut, responses
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET, person_ref

router = Router(tags=["decisions"])

DossierId = Path(..., ge=1, le=MAX_ID, description="“三重一大”事项编号")
ConsultationId = Path(..., ge=1, le=MAX_ID, description="征求意见记录编号")
DossierStatus = Literal[tuple(MajorDecision.Status.values)]
Amount = Optional[StrictInt]


# ---- schemas ---------------------------------------------------------------------------------

class UnitRef(Schema):
    id: int
    name: str


class DossierSummary(Schema):
    id: int
    ref: str = Field(description="可寻址编号 decisions.major_decision:<id>")
    title: str
    matter_type: str
    matter_type_label: str
    amount_yuan: Optional[int]
    proposing_unit: Optional[UnitRef]
    status: str
    status_label: str
    meeting_type: str
    outcome: str
    decided_on: Optional[dt.date]
    version: int


class DossierPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DossierSummary]


class ProcedureOut(Schema):
    step: str
    label: str
    done_on: dt.date
    evidence: str
    recorded_by: Optional[PersonRef]


class ConsultationOut(Schema):
    id: int
    unit: UnitRef
    asked_on: dt.date
    reply: str
    replied_on: Optional[dt.date]


class MissingOut(Schema):
    code: str
    label: str
    article: int
    detail: str


class EscalationOut(Schema):
    body: str
    status: str
    submitted_on: Optional[dt.date]
    reference: str
    result: str
    decided_on: Optional[dt.date]


class FollowupTaskOut(Schema):
    id: int
    ref: str
    route: str
    step: str
    action: str
    assignee: Optional[PersonRef]
    due_on: Optional[dt.date]
    status: str
    done_on: Optional[dt.date]
    opinion: str


class DossierOut(DossierSummary):
    summary: str
    proposed_by_department: bool
    submitted_on: Optional[dt.date]
    research_done: bool
    research_ref: str
    unit_collective_discussion_ref: str
    evaluations: list[str]
    evaluated_by: str
    public_interest: bool
    stability_risk_assessment: bool
    stability_ref: str
    hearing_held: bool
    hearing_ref: str
    legality_reviewer: str
    committee_matter: str
    congress_matter: str
    org_rank: str
    report_to_committee: bool
    committee_reported_on: Optional[dt.date]
    committee_report_ref: str
    committee_feedback: str
    committee_feedback_on: Optional[dt.date]
    agenda_meeting_id: Optional[int]
    decision_meeting_id: Optional[int]
    conditions: str
    implementation_lead: Optional[UnitRef]
    implementation_note: str
    evaluation_note: str
    evaluated_on: Optional[dt.date]
    procedures: list[ProcedureOut]
    affected_units: list[UnitRef]
    consultations: list[ConsultationOut]
    missing: list[MissingOut]
    escalations: list[EscalationOut]
    followups: list[FollowupTaskOut]


class ReadinessOut(Schema):
    ok: bool = Field(description="没有阻止列入会议议题的问题")
    dossier_id: int
    date: dt.date
    violations: list[ViolationOut]
    missing: list[MissingOut]


class DossierIn(ClosedSchema):
    """A new dossier. Codes: matter_type of decisions.dossier_types; evaluations of
    decisions.evaluation_aspects; legality_reviewer of decisions.legality_reviewers; meeting_type
    of meetings.types; committee_matter of affairs.party_committee_matters; congress_matter of
    decisions.congress_matters; org_rank (a body's organisation or staffing, art. 76(一)7) of
    affairs.org_ranks."""

    title: Text(200) = Field(..., examples=["城北物流园区基础设施建设项目"])
    matter_type: Text(30) = Field(..., examples=["major_project"])
    summary: Text(4000) = ""
    amount_yuan: Amount = Field(None, ge=0, le=10 ** 15, description="金额（元）；大额资金使用必填")
    proposing_unit_id: Optional[DocId] = Field(None, description="提请单位；空 = 区政府自身的事项（由办公室建立）")
    proposed_by_department: Optional[StrictBool] = Field(None, description="部门提请（第三十条）；不填按提请单位判断")
    submitted_on: Optional[IsoDate] = None
    research_done: StrictBool = False
    research_ref: Text(200) = ""
    unit_collective_discussion_ref: Text(200) = ""
    evaluations: list[Text(30)] = Field([], max_length=10)
    evaluated_by: Text(100) = ""
    public_interest: StrictBool = False
    stability_risk_assessment: StrictBool = False
    stability_ref: Text(200) = ""
    hearing_held: StrictBool = False
    hearing_ref: Text(200) = ""
    legality_reviewer: Text(30) = ""
    meeting_type: Text(20) = "standing"
    committee_matter: Text(30) = ""
    congress_matter: Text(30) = ""
    org_rank: Text(20) = Field("", description="机构变动、设置和人员编制事项所涉机构级别（第七十六条第（一）项第7目）")
    report_to_committee: StrictBool = Field(False, description="区政府研究决定后须向区委报告（第七十六条第（二）项）")
    implementation_lead_id: Optional[DocId] = None
    affected_unit_ids: list[DocId] = Field([], max_length=100)


class DossierPatch(ClosedSchema):
    """Only the fields given change (the proposing unit never does)."""

    version: Optional[StrictInt] = Field(None, ge=0, le=MAX_ID, description="读取时的版本号（防止覆盖他人的修改）")
    title: Optional[Text(200)] = None
    matter_type: Optional[Text(30)] = None
    summary: Optional[Text(4000)] = None
    amount_yuan: Amount = Field(None, ge=0, le=10 ** 15)
    submitted_on: Optional[IsoDate] = None
    research_done: Optional[StrictBool] = None
    research_ref: Optional[Text(200)] = None
    unit_collective_discussion_ref: Optional[Text(200)] = None
    evaluations: Optional[list[Text(30)]] = Field(None, max_length=10)
    evaluated_by: Optional[Text(100)] = None
    public_interest: Optional[StrictBool] = None
    stability_risk_assessment: Optional[StrictBool] = None
    stability_ref: Optional[Text(200)] = None
    hearing_held: Optional[StrictBool] = None
    hearing_ref: Optional[Text(200)] = None
    legality_reviewer: Optional[Text(30)] = None
    meeting_type: Optional[Text(20)] = None
    committee_matter: Optional[Text(30)] = None
    congress_matter: Optional[Text(30)] = None
    org_rank: Optional[Text(20)] = None
    report_to_committee: Optional[StrictBool] = None
    implementation_lead_id: Optional[DocId] = None
    affected_unit_ids: Optional[list[DocId]] = Field(None, max_length=100)


class ProcedureIn(ClosedSchema):
    step: Text(30) = Field(..., description="decisions.required_steps 中的程序代码", examples=["expert_argument"])
    done_on: IsoDate = Field(..., description="完成日期（不能晚于今天）")
    evidence: Text(2000) = Field(..., description="依据材料（文件、纪要、报告名称或文号）", examples=["专家论证会纪要"])
    legality_reviewer: Optional[Text(30)] = Field(None, description="合法性审查者（仅 legality_review）")


class ConsultIn(ClosedSchema):
    unit_id: DocId = Field(..., description="征求意见的单位")
    asked_on: IsoDate
    reply: Text(4000) = Field("", description="已收到的回复意见（可稍后登记）")
    replied_on: Optional[IsoDate] = None


class ReplyIn(ClosedSchema):
    reply: Text(4000)
    replied_on: IsoDate


class ExportItem(Schema):
    id: int
    ref: str
    title: str
    matter_type: str
    outcome: str
    conditions: str
    decided_on: Optional[dt.date]
    meeting_id: Optional[int]
    status: str
    proposing_unit: str
    implementation_lead: str
    escalations: list[EscalationOut]
    tasks: list[FollowupTaskOut]


class ExportOut(Schema):
    count: int
    items: list[ExportItem]


# ---- helpers ---------------------------------------------------------------------------------

def _unit(u: Unit | None) -> dict | None:
    return {"id": u.pk, "name": u.name} if u else None


def _summary(d: MajorDecision) -> dict:
    types = rules.param("decisions.dossier_types")
    return {"id": d.pk, "ref": f"{selectors.OBJ}:{d.pk}", "title": d.title, "matter_type": d.matter_type,
            "matter_type_label": types.get(d.matter_type, d.matter_type), "amount_yuan": d.amount_yuan,
            "proposing_unit": _unit(d.proposing_unit), "status": d.status, "status_label": d.get_status_display(),
            "meeting_type": d.meeting_type, "outcome": d.outcome, "decided_on": d.decided_on, "version": d.version}


def _missing(d: MajorDecision, on: dt.date) -> list[dict]:
    return [{"code": m.code, "label": m.label, "article": m.article, "detail": m.detail}
            for m in selectors.missing_steps(d, on=on)]


def _task(t) -> dict:
    return {"id": t.pk, "ref": f"workflow.task:{t.pk}", "route": t.approval.route_id, "step": t.step_id,
            "action": t.action, "assignee": person_ref(t.assignee), "due_on": t.due_on, "status": t.status,
            "done_on": t.done_on, "opinion": t.opinion}


def _detail(d: MajorDecision) -> dict:
    on = rules.today()
    labels = rules.param("decisions.step_labels", on)
    d.refresh_from_db()
    return {
        **_summary(d),
        **{f: getattr(d, f) for f in (
            "summary", "proposed_by_department", "submitted_on", "research_done", "research_ref",
            "unit_collective_discussion_ref", "evaluated_by", "public_interest", "stability_risk_assessment",
            "stability_ref", "hearing_held", "hearing_ref", "legality_reviewer", "committee_matter", "congress_matter",
            "org_rank", "report_to_committee", "committee_reported_on", "committee_report_ref", "committee_feedback",
            "committee_feedback_on",
            "agenda_meeting_id", "decision_meeting_id", "conditions", "implementation_note", "evaluation_note",
            "evaluated_on")},
        "evaluations": list(d.evaluations or []),
        "implementation_lead": _unit(d.implementation_lead),
        "procedures": [{"step": p.step, "label": labels.get(p.step, p.step), "done_on": p.done_on,
                        "evidence": p.evidence, "recorded_by": person_ref(p.recorded_by)}
                       for p in d.procedures.select_related("recorded_by")],
        "affected_units": [_unit(a.unit) for a in d.affected_units.select_related("unit")],
        "consultations": [{"id": c.pk, "unit": _unit(c.unit), "asked_on": c.asked_on, "reply": c.reply,
                           "replied_on": c.replied_on} for c in d.consultations.select_related("unit")],
        "missing": _missing(d, on),
        "escalations": [{"body": e.body, "status": e.status, "submitted_on": e.submitted_on, "reference": e.reference,
                         "result": e.result, "decided_on": e.decided_on} for e in d.escalations.all()],
        "followups": [_task(t) for t in selectors.followup_tasks(d)],
    }


# ---- endpoints -------------------------------------------------------------------------------

@router.get("", response=responses(DossierPage), summary="“三重一大”事项列表（本人可见的）",
            operation_id="decisions_list")
def dossier_list(request, status: Optional[DossierStatus] = Query(None, description="状态"),
                 limit: int = Query(20, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """Newest first. The proposing unit sees its own dossiers, the office and the government
    leaders all of them, anyone else none."""
    qs = access.visible_dossiers(request.auth).select_related("proposing_unit").order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [_summary(d) for d in qs[offset:offset + limit]]}


@router.get("/export", response=responses(ExportOut, 400), summary="会议决定导出（供督查台账接收）",
            operation_id="decisions_export")
def decisions_export(request, since: Optional[IsoDate] = Query(None, description="只列此日期以后的决定")):
    """Every decision taken on a dossier the caller may see, as an addressable item
    (`decisions.major_decision:<id>`) with its escalations and follow-up tasks (`workflow.task:<id>`)."""
    person = request.auth
    day = dt.date.fromisoformat(since) if since else None
    items = selectors.decisions_export(person.government, since=day,
                                       dossiers=access.visible_dossiers(person).prefetch_related("escalations")
                                       .select_related("proposing_unit", "implementation_lead"))
    return {"count": len(items), "items": items}


@router.get("/{dossier_id}", response=responses(DossierOut, 400, 403, 404), summary="查看一个“三重一大”事项",
            operation_id="decisions_get")
def dossier_get(request, dossier_id: int = DossierId):
    """The dossier with its procedures (art. 28), the department's preparation and consultations
    (art. 30), what is still missing (with the article), the decision, escalation and follow-up."""
    return _detail(access.dossier_visible(request.auth, dossier_id))


@router.post("", response={201: DossierOut, **{c: ErrorOut for c in (400, 401, 403, 422)}},
             summary="建立“三重一大”事项", operation_id="decisions_create")
def dossier_create(request, data: DossierIn):
    """A department opens a dossier in its own name; the office opens the government's own
    (no proposing unit) or one for any unit. Bad input is refused naming the field."""
    values = data.model_dump(exclude_none=True)
    d = services.dossier_create(actor=request.auth, data=values)
    return Status(201, _detail(d))


@router.patch("/{dossier_id}", response=responses(DossierOut, 400, 403, 404, 409), summary="修改“三重一大”事项",
              operation_id="decisions_update")
def dossier_update(request, data: DossierPatch, dossier_id: int = DossierId):
    values = data.model_dump(exclude_unset=True)
    version = values.pop("version", None)
    d = services.dossier_update(actor=request.auth, dossier_id=dossier_id, data=values, version=version)
    return _detail(d)


@router.get("/{dossier_id}/readiness", response=responses(ReadinessOut, 400, 403, 404),
            summary="上会审查：能否列入会议议题（不作改动）", operation_id="decisions_readiness")
def dossier_readiness(request, dossier_id: int = DossierId):
    """Every finding of the rules of art. 13, 28, 29 and 30 on the dossier today; `ok` is false
    when one of them blocks it from a meeting's agenda; `missing` names each missing procedure
    with its article."""
    d = access.dossier_visible(request.auth, dossier_id)
    on = rules.today()
    found = selectors.readiness(d, on=on)
    return {"ok": not any(v.blocks for v in found), "dossier_id": d.pk, "date": on,
            "violations": [v.as_dict() for v in found], "missing": _missing(d, on)}


@router.post("/{dossier_id}/procedures", response=responses(DossierOut, 400, 403, 404, 409),
             summary="登记决策程序（第二十八条）", operation_id="decisions_record_procedure")
def procedure_record(request, data: ProcedureIn, dossier_id: int = DossierId):
    """Records one of 公众参与、专家论证、风险评估、合法性审查、集体讨论决定 as done, with its date (not in
    the future) and its evidence; recording a step again corrects it."""
    services.procedure_record(actor=request.auth, dossier_id=dossier_id, step=data.step, done_on=data.done_on,
                              evidence=data.evidence, legality_reviewer=data.legality_reviewer)
    return _detail(access.dossier_visible(request.auth, dossier_id))


@router.post("/{dossier_id}/consultations", response=responses(DossierOut, 400, 403, 404, 409),
             summary="征求意见（第三十条）", operation_id="decisions_consult")
def consult(request, data: ConsultIn, dossier_id: int = DossierId):
    """Records that a related department, town or street was asked for its views; with `reply`
    (and `replied_on`) its answer too, in the same request (all or nothing)."""
    from django.db import transaction

    with transaction.atomic():
        c = services.consultation_ask(actor=request.auth, dossier_id=dossier_id, unit_id=data.unit_id,
                                      asked_on=data.asked_on)
        if data.reply.strip() or data.replied_on:
            services.consultation_reply(actor=request.auth, consultation_id=c.pk, reply=data.reply,
                                        replied_on=data.replied_on)
    return _detail(access.dossier_visible(request.auth, dossier_id))


@router.post("/consultations/{consultation_id}/reply", response=responses(DossierOut, 400, 403, 404, 409),
             summary="登记回复意见（第三十条）", operation_id="decisions_consultation_reply")
def consultation_reply(request, data: ReplyIn, consultation_id: int = ConsultationId):
    c = services.consultation_reply(actor=request.auth, consultation_id=consultation_id, reply=data.reply,
                                    replied_on=data.replied_on)
    return _detail(access.dossier_visible(request.auth, c.dossier_id))


# ---- after the meeting -----------------------------------------------------------------------

Body = Literal["party_committee", "people_congress"]


class EscalationSubmitIn(ClosedSchema):
    reference: Text(200) = Field(..., description="报送文号或依据", examples=["洮北政报〔2026〕15号"])
    submitted_on: Optional[IsoDate] = Field(None, description="报送日期（不填为今天，不能晚于今天）")


class EscalationResultIn(ClosedSchema):
    agreed: StrictBool = Field(..., description="区委（区人大）是否同意")
    result: Text(2000) = Field(..., examples=["区委常委会2026年第20次会议同意"])
    decided_on: IsoDate


class FollowupIn(ClosedSchema):
    note: Text(4000) = Field(..., description="执行情况、评估意见或向区委反馈的落实情况")


class CommitteeReportIn(ClosedSchema):
    reference: Text(200) = Field(..., description="报告文号", examples=["洮北政报〔2026〕18号"])
    reported_on: Optional[IsoDate] = Field(None, description="报告日期（不填为今天，不能晚于今天）")


@router.post("/{dossier_id}/escalations/{body}/submit", response=responses(DossierOut, 400, 403, 404, 409),
             summary="报送区委常委会或提请区人大（第七十六条、第七十七条）", operation_id="decisions_escalation_submit")
def escalation_submit(request, data: EscalationSubmitIn, body: Body, dossier_id: int = DossierId):
    """The 区政府 (its office) submits a matter its 常务会议 or 区长办公会议 approved. A department is
    refused citing art. 76: it never submits to the 区委 directly."""
    services.escalation_submit(actor=request.auth, dossier_id=dossier_id, body=body, reference=data.reference,
                               submitted_on=data.submitted_on)
    return _detail(access.dossier_visible(request.auth, dossier_id))


@router.post("/{dossier_id}/escalations/{body}/result", response=responses(DossierOut, 400, 403, 404, 409),
             summary="登记区委（区人大）审议结果", operation_id="decisions_escalation_result")
def escalation_result(request, data: EscalationResultIn, body: Body, dossier_id: int = DossierId):
    """Recorded by the office; once every body agreed, implementation tracking starts (art. 32)."""
    services.escalation_record_result(actor=request.auth, dossier_id=dossier_id, body=body, agreed=data.agreed,
                                      result=data.result, decided_on=data.decided_on)
    return _detail(access.dossier_visible(request.auth, dossier_id))


@router.post("/{dossier_id}/followups/{step}", response=responses(DossierOut, 400, 403, 404, 409),
             summary="报告执行情况、执行效果评估或落实情况反馈区委（第三十条、第三十二条、第七十六条）",
             operation_id="decisions_followup_report")
def followup_report(request, data: FollowupIn, step: Literal["implement", "evaluate", "feedback"],
                    dossier_id: int = DossierId):
    """Completes the caller's open follow-up task of that step (the implementing unit's head; for
    "feedback", the office director, art. 76(四))."""
    services.followup_report(actor=request.auth, dossier_id=dossier_id, step=step, note=data.note)
    return _detail(access.dossier_visible(request.auth, dossier_id))


@router.post("/{dossier_id}/committee-report", response=responses(DossierOut, 400, 403, 404, 409),
             summary="登记向区委报告（第七十六条第（二）项）", operation_id="decisions_committee_report")
def committee_report(request, data: CommitteeReportIn, dossier_id: int = DossierId):
    """The office records the report to the 区委 of a matter the 区政府 decided and marked for it."""
    services.committee_report_record(actor=request.auth, dossier_id=dossier_id, reference=data.reference,
                                     reported_on=data.reported_on)
    return _detail(access.dossier_visible(request.auth, dossier_id))
