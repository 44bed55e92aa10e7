"""Documents (公文, art. 25, 33, 67–70, 89): the list and one document, drafting, the pre-check, the
intake steps (报送, 登记, 退回, 呈批, 先行准备) and the issuing steps (送签, 编号, 印发), the .docx
and the attachments.

Every read goes through `zhengwu.documents.access` (a unit sees its own documents and those routed
to it; a leader those of their 分工; the 办公室 everything), every write through the documents'
services, so the API refuses exactly what the web and the CLI refuse, in the one error shape.
The leaders' steps themselves (审核, 批示, 签发) are tasks: /api/v1/tasks/{id}/complete."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, Optional

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from ninja import File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhengwu import rules
from zhengwu.audit import selectors as audit
from pydantic import ConfigDict, Field

from zhengwu.documents import (access, archiving, attachments, department, disclosure, facts, intake, issuing, plans,
                               render, search, services)
from zhengwu.documents.models import Direction, Document, DocumentPlan, PlanItem
from zhengwu.errors import Refused
from zhengwu.output.download import DOCX, content_disposition
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.workflow.models import Task

from ..schemas import (AttachmentOut, DocumentIn, DocumentOut, DocumentPage, DocumentPrecheckOut, ErrorOut,
                       NotifyPrepareIn, NotifyPrepareOut, ReturnReasonsIn, RouteIn, SendForSigningIn, Text,
                       responses)
from .tasks import MAX_ID, MAX_LIMIT, MAX_OFFSET, person_ref

router = Router(tags=["documents"])

OBJ = "documents.document"
DocumentId = Path(..., ge=1, le=MAX_ID, description="公文编号")
AttachmentId = Path(..., ge=1, le=MAX_ID, description="附件编号")
DocStatus = Literal[tuple(Document.Status.values)]


def _errors(*codes: int) -> dict:
    return {c: ErrorOut for c in sorted({401, 422, *codes})}


def _binary(description: str, content_type: str) -> dict:
    """openapi_extra: a 200 that is a file, not JSON."""
    return {"responses": {200: {"description": description,
                                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}}}


# ---- annual document plans (年度发文计划, art. 70) --------------------------------------------------
# Registered before "/{document_id}" so that /plans is not taken for a document id.


PlanId = Path(..., ge=1, le=MAX_ID, description="发文计划编号")
ItemId = Path(..., ge=1, le=MAX_ID, description="计划条目编号")


class PlanItemIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: Text(200) = Field(description="拟发文件标题")
    kind: Text(8) = Field(description="文种")
    quarter: Optional[int] = Field(None, ge=1, le=4, description="计划季度（1—4）；填月份时可不填")
    month: Optional[int] = Field(None, ge=1, le=12, description="计划月份（1—12）")
    reason: Text(500) = Field(description="发文依据和理由")


class PlanItemPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    title: Optional[Text(200)] = None
    kind: Optional[Text(8)] = None
    quarter: Optional[int] = Field(None, ge=1, le=4)
    month: Optional[int] = Field(None, ge=1, le=12)
    reason: Optional[Text(500)] = None
    version: Optional[int] = Field(None, description="编辑时的版本（他人已修改则 409）")


class PlanIn(Schema):
    model_config = ConfigDict(extra="forbid")
    unit_id: Optional[int] = Field(None, ge=1, le=MAX_ID, description="单位；默认本人所在单位")
    year: int = Field(ge=2000, le=2100, description="年度")
    note: Text(500) = Field("", description="说明")
    items: list[PlanItemIn] = Field([], max_length=500, description="计划条目")


class WithdrawIn(Schema):
    reason: Text(200) = Field(description="撤销理由")


class DisclosureIn(Schema):
    model_config = ConfigDict(extra="forbid")
    channel: Text(20) = Field(description="公开形式：disclosure.channels 的代码（政府网站、公报、新闻发布会、新闻媒体）")
    disclosed_on: dt.date = Field(description="公开日期（不早于成文日期，不晚于今天）")


class PlanLinkIn(Schema):
    item_id: Optional[int] = Field(None, ge=1, le=MAX_ID, description="计划条目；null = 取消关联（计划外发文）")


class PlanItemOut(Schema):
    id: int
    title: str
    kind: str
    quarter: int
    month: Optional[int] = None
    period: str
    reason: str
    withdrawn: bool
    version: int
    document_ids: list[int] = Field(description="关联该条目的公文")


class PlanOut(Schema):
    id: int
    unit: dict
    year: int
    note: str
    version: int
    items: list[PlanItemOut]


class PlanCountOut(Schema):
    unit: dict
    plan_id: Optional[int] = None
    items: int = Field(description="计划条目数（不含已撤销）")
    items_used: int = Field(description="已有公文关联的计划条目数")
    planned: int = Field(description="计划内发文数")
    unplanned: int = Field(description="计划外发文数（临时性发文）")
    total: int


class PlanCountsOut(Schema):
    year: int
    rows: list[PlanCountOut]


def _plan(plan: DocumentPlan) -> dict:
    items = list(plan.items.all())
    linked: dict[int, list[int]] = {}
    for doc_id, item_id in Document.objects.filter(plan_item__plan=plan).values_list("id", "plan_item_id"):
        linked.setdefault(item_id, []).append(doc_id)
    return {"id": plan.pk, "unit": _unit_ref(plan.unit), "year": plan.year, "note": plan.note, "version": plan.version,
            "items": [{"id": i.pk, "title": i.title, "kind": i.kind, "quarter": i.quarter, "month": i.month,
                       "period": i.period, "reason": i.reason, "withdrawn": i.withdrawn, "version": i.version,
                       "document_ids": linked.get(i.pk, [])} for i in items]}


@router.get("/plans", response=responses(list[PlanOut]), summary="年度发文计划列表（本人可见的）",
            operation_id="documents_plans_list")
def plan_list(request, year: Optional[int] = Query(None, ge=2000, le=2100, description="年度；默认全部")):
    """A unit sees its own plans; the 区政府办公室 (and the 区长) every unit's."""
    qs = access.visible_plans(request.auth)
    if year:
        qs = qs.filter(year=year)
    return [_plan(p) for p in qs.prefetch_related("items")]


@router.get("/plans/counts", response=responses(PlanCountsOut, 400), summary="计划内、计划外发文数（按单位）",
            operation_id="documents_plans_counts")
def plan_counts(request, year: int = Query(..., ge=2000, le=2100, description="年度")):
    """Per unit the caller may see: plan items, and outgoing documents of the year (sent for
    signing or further) linked to a plan item (计划内) or not (计划外, 临时性发文)."""
    rows = plans.counts(request.auth, year)
    return {"year": year, "rows": [{"unit": _unit_ref(r.unit), "plan_id": r.plan.pk if r.plan else None,
                                    "items": r.items, "items_used": r.items_used, "planned": r.planned,
                                    "unplanned": r.unplanned, "total": r.total} for r in rows]}


@router.post("/plans", response={201: PlanOut, **_errors(400, 403, 409)}, summary="编制年度发文计划",
             operation_id="documents_plans_create")
def plan_create(request, data: PlanIn):
    """A unit makes its plan for a year (one per unit and year), with its items."""
    unit = _draft_unit(request.auth, data.unit_id)
    plan = plans.plan_create(actor=request.auth, unit=unit, year=data.year, note=data.note,
                             items=[i.model_dump() for i in data.items])
    return Status(201, _plan(plan))


@router.get("/plans/{plan_id}", response=responses(PlanOut, 403, 404), summary="查看年度发文计划",
            operation_id="documents_plans_get")
def plan_get(request, plan_id: int = PlanId):
    return _plan(access.plan_visible(request.auth, plan_id))


@router.post("/plans/{plan_id}/items", response={201: PlanItemOut, **_errors(400, 403, 404)},
             summary="增补计划条目", operation_id="documents_plans_item_add")
def plan_item_add(request, data: PlanItemIn, plan_id: int = PlanId):
    item = plans.plan_item_add(actor=request.auth, plan_id=plan_id, **data.model_dump())
    return Status(201, next(i for i in _plan(item.plan)["items"] if i["id"] == item.pk))


def _item_in_plan(person, plan_id: int, item_id: int) -> PlanItem:
    plan = access.plan_for_edit(person, plan_id)
    item = plan.items.filter(pk=item_id).first()
    if item is None:
        from zhengwu.errors import NotFound

        raise NotFound(f"计划条目{item_id}不在该计划中", field="item_id")
    return item


@router.patch("/plans/{plan_id}/items/{item_id}", response=responses(PlanItemOut, 400, 403, 404, 409),
              summary="修改计划条目", operation_id="documents_plans_item_update")
def plan_item_update(request, data: PlanItemPatch, plan_id: int = PlanId, item_id: int = ItemId):
    _item_in_plan(request.auth, plan_id, item_id)
    fields = data.model_dump(exclude_unset=True)
    version = fields.pop("version", None)
    item = plans.plan_item_update(actor=request.auth, item_id=item_id, version=version, **fields)
    return next(i for i in _plan(item.plan)["items"] if i["id"] == item.pk)


@router.post("/plans/{plan_id}/items/{item_id}/withdraw", response=responses(PlanItemOut, 400, 403, 404, 409),
             summary="撤销计划条目", operation_id="documents_plans_item_withdraw")
def plan_item_withdraw(request, data: WithdrawIn, plan_id: int = PlanId, item_id: int = ItemId):
    _item_in_plan(request.auth, plan_id, item_id)
    item = plans.plan_item_withdraw(actor=request.auth, item_id=item_id, reason=data.reason)
    return next(i for i in _plan(item.plan)["items"] if i["id"] == item.pk)


@router.put("/{document_id}/plan-item", response=responses(DocumentOut, 400, 403, 404, 409),
            summary="关联年度发文计划条目", operation_id="documents_plan_link")
def document_plan_link(request, data: PlanLinkIn, document_id: int = DocumentId):
    """The drafting unit links its draft to an item of its annual plan (or unlinks it). Whether
    the document is in the plan (R70.annual_plan) follows from this link only."""
    return _detail(plans.document_plan_link(actor=request.auth, document_id=document_id, item_id=data.item_id))


# ---- reading ---------------------------------------------------------------------------------

def _unit_ref(u: Unit) -> dict:
    return {"id": u.pk, "name": u.name, "short_name": u.short_name or u.name}


def _summary(doc: Document) -> dict:
    return {
        "id": doc.pk, "direction": doc.direction, "direction_label": doc.get_direction_display(), "kind": doc.kind,
        "title": doc.title, "unit": _unit_ref(doc.unit), "urgency": doc.urgency, "classification": doc.classification,
        "status": doc.status, "status_label": doc.get_status_display(), "intake_number": doc.intake_number,
        "doc_number": doc.doc_number, "submitted_on": doc.submitted_on, "due_on": doc.decision_needed_by,
        "signed_on": doc.signed_on, "archived_on": doc.archived_on, "created_at": doc.created_at,
        "version": doc.version,
    }


def _url(path: str) -> str:
    return f"/api/v1/documents{path}"


def _instruction(t: Task) -> dict:
    return {"task_id": t.pk, "step_id": t.step_id, "action": t.action, "by": person_ref(t.completed_by or t.assignee),
            "position": t.position.title if t.position_id else "", "rank": t.position.rank if t.position_id else None,
            "opinion": t.opinion, "decision": t.decision, "completed_at": t.completed_at}


def _approval(doc: Document) -> dict | None:
    a = doc.approval
    if a is None:
        return None
    steps = a.tasks.filter(status=Task.Status.OPEN, kind=Task.Kind.STEP).select_related("assignee").order_by("stage", "id")
    return {"id": a.pk, "route_id": a.route_id, "status": a.status, "status_label": a.get_status_display(),
            "open_steps": [{"task_id": t.pk, "action": t.action, "assignee": person_ref(t.assignee), "due_on": t.due_on}
                           for t in steps]}


def _detail(doc: Document) -> dict:
    """A document with its 批示 in rank order, attachments, follow-ups and journey (audit trail)."""
    events = list(audit.history_for(OBJ, str(doc.pk)))[::-1]  # oldest first
    return_reasons = ""
    if doc.status == Document.Status.RETURNED:
        returns = [e for e in events if e.action == "documents.document.return" and isinstance(e.after, dict)]
        if returns:
            return_reasons = str(returns[-1].after.get("reasons") or "")
    atts = doc.attachments.select_related("uploaded_by").order_by("id")
    return {
        **_summary(doc),
        "issuing_as": doc.issuing_as, "main_recipients": list(doc.main_recipients or []), "cc": list(doc.cc or []),
        "urgency_reason": doc.urgency_reason, "secrecy_period": doc.secrecy_period, "body": doc.body,
        "note": doc.note, "is_normative": doc.is_normative, "important": doc.important,
        "collective_ref": doc.collective_ref, "facts": dict(doc.facts or {}), "public": doc.public,
        "non_disclosure_reason": doc.non_disclosure_reason,
        "disclosure_channel": doc.disclosure_channel, "disclosed_on": doc.disclosed_on,
        "signer": person_ref(doc.signer) if doc.signer_id else None,
        "answer": doc.answer, "answered_on": doc.answered_on, "return_reasons": return_reasons,
        "created_by": person_ref(doc.created_by), "updated_at": doc.updated_at,
        "approval": _approval(doc),
        "instructions": [_instruction(t) for t in intake.instructions(doc)],
        "attachments": [{"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size,
                         "sha256": a.sha256, "uploaded_by": person_ref(a.uploaded_by), "uploaded_at": a.uploaded_at,
                         "url": _url(f"/{doc.pk}/attachments/{a.pk}")} for a in atts],
        "followups": [{"task_id": t.pk, "action": t.action, "assignee": person_ref(t.assignee), "due_on": t.due_on,
                       "status": t.status} for t in issuing.followups(doc)],
        "history": [{"at": e.at, "actor": e.actor_label, "action": e.action, "action_label": e.action_label,
                     "summary": e.summary, "article": e.article} for e in events],
        "docx_url": _url(f"/{doc.pk}/docx") if (doc.doc_number and doc.signed_on and not doc.classified) else None,
        "plan_item": _plan_item_ref(doc.plan_item) if doc.plan_item_id else None,
        "received_on": doc.received_on, "paper": doc.paper,
    }


def _plan_item_ref(item) -> dict:
    return {"id": item.pk, "plan_id": item.plan_id, "year": item.plan.year, "unit": item.plan.unit.name,
            "title": item.title, "period": item.period}


def _listed(person: Person, *, direction: str | None, status: str | None, q: str) -> QuerySet:
    """The documents the person may see (access.visible_documents), newest first; with `q`, the
    full-text search over them (documents.search: every term, best match first). One query for
    the page whatever its length."""
    terms = search.terms_of(q)
    if terms:
        qs = search.matching(person, terms)
    else:
        qs = access.visible_documents(person).select_related("unit").order_by("-created_at", "-id")
    if direction:
        qs = qs.filter(direction=direction)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get("", response=responses(DocumentPage), summary="公文列表（本人可见的）", operation_id="documents_list")
def document_list(request,
                  direction: Optional[Literal["incoming", "outgoing"]] = Query(None, description="incoming 收文 / outgoing 发文"),
                  status: Optional[DocStatus] = Query(None, description="办理状态"),
                  q: Text(100) = Query("", description="全文检索：以空格分隔的词，须全部出现在标题、正文、发文字号或收文号中"),
                  limit: int = Query(20, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """Newest first (with `q`: best match first). A unit sees its own documents and those routed to
    it, a leader those of the units in their 分工, the 区政府办公室 and the 区长 all. The number of
    database queries does not grow with the number of documents."""
    qs = _listed(request.auth, direction=direction, status=status, q=q)
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [_summary(d) for d in qs[offset:offset + limit]]}


# ---- paper intake (纸质来文登记; before /{document_id}, which would take the path) ------------------

class PaperIntakeIn(Schema):
    unit_id: int = Field(..., ge=1, le=MAX_ID, description="来文单位")
    kind: str = Field(..., max_length=8, description="文种（documents.kinds 之一）")
    title: str = Field(..., max_length=400, description="标题")
    dated: str = Field(..., max_length=20, description="来文的成文日期（YYYY-MM-DD）")
    received_on: str = Field("", max_length=20, description="收文日期：实际收到之日（YYYY-MM-DD）；不得晚于今天、"
                                                              "不得早于成文日期；空 = 今天")
    urgency: str = Field("一般", max_length=8, description="紧急程度（approval.urgencies 之一）")
    main_recipients: str = Field("", max_length=200, description="主送机关（空 = 区人民政府）")
    body: str = Field("", max_length=20000, description="正文（可空：以扫描件为准）")
    note: str = Field("", max_length=200, description="附注")


@router.post("/paper", response={201: DocumentOut, **_errors(400, 403)},
             summary="纸质来文登记（据实填收文日期，附扫描件）", operation_id="documents_receive_paper")
def document_receive_paper(request, data: Form[PaperIntakeIn], scan: Optional[UploadedFile] = File(None)):
    """Multipart form. The 区政府办公室 registers a 来文 that arrived on paper: the unit, 文种, 标题,
    成文日期 and the day it actually arrived (`received_on`), with its scan (`scan`, the attachments'
    type and size checks apply). It is registered at once with its 收文号; art. 68's working-day
    limits count from `received_on`. A bad date or scan registers nothing (400 naming the field)."""
    person = request.auth
    gov = person.government or org.current_government()
    unit = org.unit_get(gov, data.unit_id) if gov is not None else None
    if unit is None:
        raise Refused(f"单位{data.unit_id}不存在", field="unit_id")
    try:
        doc = intake.document_receive_paper(
            actor=person, unit=unit, kind=data.kind, title=data.title, dated=data.dated,
            received_on=data.received_on, urgency=data.urgency, main_recipients=[data.main_recipients],
            body=data.body, note=data.note, scan_name=(scan.name or "") if scan else "", scan=scan)
    finally:
        if scan is not None:
            scan.close()
    return Status(201, _detail(access.document_visible(person, doc.pk)))


@router.get("/{document_id}", response=responses(DocumentOut, 403, 404), summary="查看一件公文",
            operation_id="documents_get")
def document_get(request, document_id: int = DocumentId):
    """The document (all its elements), its 收文号 / 发文字号, state and time limit, the 批示 in the
    order of the leaders' rank, the attachments, the follow-ups and the journey."""
    return _detail(access.document_visible(request.auth, document_id))


# ---- drafting and the pre-check ---------------------------------------------------------------

def _draft_unit(person: Person, unit_id: int | None) -> Unit:
    """The drafting unit: the caller's own (the first position they hold in a unit today) unless
    named; a person drafts only in the name of a unit in which they hold a position."""
    own = [p.unit for p in org.positions_of(person, rules.today()) if p.unit_id]
    if unit_id is None:
        if not own:
            raise Refused("本人不在任何单位任职，请指定拟稿单位（unit_id）", field="unit_id")
        return own[0]
    if any(u.pk == unit_id for u in own):
        return next(u for u in own if u.pk == unit_id)
    gov = person.government or org.current_government()
    unit = org.unit_get(gov, unit_id) if gov is not None else None
    if unit is None:
        raise Refused(f"单位{unit_id}不存在", field="unit_id")
    raise Refused(f"只能以本人任职的单位拟稿，不能以“{unit.name}”的名义拟稿", field="unit_id", status=403)


@router.post("", response={201: DocumentOut, **_errors(400, 403)}, summary="拟稿", operation_id="documents_create")
def document_create(request, data: DocumentIn):
    """A draft (拟稿): a unit's document to submit to the 区政府 (incoming) or one to be issued
    (outgoing, by the 办公室 or 代拟 by a department). Bad input is refused naming the field; a
    body on a 涉密 document is refused citing art. 89 (metadata only)."""
    unit = _draft_unit(request.auth, data.unit_id)
    fields = data.model_dump(exclude={"unit_id", "facts", "plan_item_id"})
    doc = services.document_draft(actor=request.auth, unit=unit, facts=data.facts.model_dump(mode="json",
                                                                                              exclude_unset=True),
                                  plan_item=data.plan_item_id, **fields)
    return Status(201, _detail(access.document_visible(request.auth, doc.pk)))


def _stage(doc: Document) -> str:
    if doc.direction == Direction.INCOMING:
        return "submission"
    return "issuing" if doc.status == Document.Status.SIGNED else "signing"


@router.post("/{document_id}/precheck", response=responses(DocumentPrecheckOut, 400, 403, 404),
             summary="预审：按工作规则审查该公文（不作任何改动）", operation_id="documents_precheck")
def document_precheck(request, document_id: int = DocumentId):
    """Every rule that applies to the document at its stage (报送, 送签 or 印发), with the
    articles; `ok` is false when one of them blocks. Nothing is changed or recorded."""
    person = request.auth
    on = rules.today()
    doc = access.document_visible(person, document_id, on=on)
    stage = _stage(doc)
    if stage == "submission":
        signer = doc.signer if doc.signer_id else (
            person if any(p.unit_id == doc.unit_id for p in org.positions_of(person, on)) else None)
        found = intake.precheck(doc, on=on, signer=signer)
    else:
        found = []
        for topic, fact in facts.for_document(doc, on=on, stage=stage):
            found += rules.check(topic, fact, on=on)
    return {"ok": not any(v.blocks for v in found), "document_id": doc.pk, "stage": stage, "date": on,
            "violations": [v.as_dict() for v in found]}


# ---- intake (收文, art. 67–68) -----------------------------------------------------------------

@router.post("/{document_id}/submit", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="报送区政府办公室（本单位负责人签发）", operation_id="documents_submit")
def document_submit(request, document_id: int = DocumentId):
    """The unit's head (or an authorised 分管负责人) signs and sends it to the 区政府办公室. Every
    rule of art. 67–68 is checked first; any blocking one refuses it with all the violations."""
    return _detail(intake.document_submit(actor=request.auth, document_id=document_id))


@router.post("/{document_id}/register", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="收文登记（编收文号）", operation_id="documents_register")
def document_register(request, document_id: int = DocumentId):
    """The 区政府办公室 registers a submitted document and gives it its 收文号."""
    return _detail(intake.document_register(actor=request.auth, document_id=document_id))


@router.post("/{document_id}/return", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="退回报送单位（写明理由）", operation_id="documents_return")
def document_return(request, data: ReturnReasonsIn, document_id: int = DocumentId):
    """The 区政府办公室 returns a submitted or registered document to its unit with reasons."""
    return _detail(intake.document_return(actor=request.auth, document_id=document_id, reasons=data.reasons))


@router.post("/{document_id}/route", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="呈批（按分工报分管领导；重大事项报区长；紧急件串并联）", operation_id="documents_route")
def document_route(request, data: RouteIn, document_id: int = DocumentId):
    """Starts the approval: the 办公室主任 reviews (拟办), then the 分管领导 by 分工; `major` goes on to
    the 区长; `parallel` (urgent documents only) sends it to both at once. The time limit is set
    by urgency (art. 68)."""
    concerned = []
    for pk in data.concerned_ids:
        person = org.person_get(request.auth.government, pk) if request.auth.government_id else None
        if person is None:
            raise Refused(f"人员{pk}不存在", field="concerned_ids")
        concerned.append(person)
    return _detail(intake.document_route(actor=request.auth, document_id=document_id, major=data.major,
                                         parallel=data.parallel, domain=data.domain, concerned=concerned))


def _units(person: Person, ids: list[int], field: str) -> list[Unit]:
    gov = person.government or org.current_government()
    out = []
    for i, pk in enumerate(ids):
        unit = org.unit_get(gov, pk) if gov is not None else None
        if unit is None:
            raise Refused(f"单位{pk}不存在", field=f"{field}[{i}]")
        out.append(unit)
    return out


@router.post("/{document_id}/notify-prepare", response=responses(NotifyPrepareOut, 400, 403, 404),
             summary="通知落实单位先行准备", operation_id="documents_notify_prepare")
def document_notify_prepare(request, data: NotifyPrepareIn, document_id: int = DocumentId):
    """While the leaders decide, the 区政府办公室 may tell the implementing units to prepare (art. 68)."""
    access.document_for_office_action(request.auth, document_id)  # no permission / no such document first
    units = _units(request.auth, data.unit_ids, "unit_ids")
    return {"sent": intake.document_notify_prepare(actor=request.auth, document_id=document_id, units=units,
                                                   note=data.note)}


# ---- issuing (发文, art. 25, 69–70) -------------------------------------------------------------

@router.post("/{document_id}/send-for-signing", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="送核稿、会签、签发", operation_id="documents_send_for_signing")
def document_send_for_signing(request, data: SendForSigningIn, document_id: int = DocumentId):
    """Starts the art. 69 route of an outgoing document: 办公室副主任 and 主任 review, 会签 by the
    units named, the 分管领导 reviews, the 区长 (government documents) or the 常务副区长 (office
    documents; the 区长 when `referred_to_head`) signs. A normative document's prerequisites
    (art. 25) and art. 70 are checked first."""
    access.document_visible(request.auth, document_id)  # no permission / no such document first
    units = _units(request.auth, data.countersign_unit_ids, "countersign_unit_ids")
    return _detail(issuing.document_send_for_signing(actor=request.auth, document_id=document_id,
                                                     referred_to_head=data.referred_to_head,
                                                     countersign_units=units))


@router.post("/{document_id}/number", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="编发文字号", operation_id="documents_number")
def document_number(request, document_id: int = DocumentId):
    """The 区政府办公室 gives a signed document its 发文字号: per issuer code and year, without gaps or
    duplicates."""
    return _detail(services.document_number(actor=request.auth, document_id=document_id))


@router.post("/{document_id}/issue", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="印发", operation_id="documents_issue")
def document_issue(request, document_id: int = DocumentId):
    """A signed and numbered document goes out; a normative one gets its filing (备案) and
    evaluation tasks (art. 25)."""
    return _detail(issuing.document_issue(actor=request.auth, document_id=document_id))


@router.post("/{document_id}/archive", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="归档", operation_id="documents_archive")
def document_archive(request, document_id: int = DocumentId):
    """A handled document (an answered 来文, an issued 发文) is filed, once: by the 区政府办公室, or by
    the department for a document it issued in its own name (W67.archive, art. 67). 409 when it is
    not handled yet or already filed."""
    return _detail(archiving.document_archive(actor=request.auth, document_id=document_id))


@router.post("/{document_id}/disclosure", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="登记公开（公开形式和日期）", operation_id="documents_disclose")
def document_disclose(request, data: DisclosureIn, document_id: int = DocumentId):
    """An issued public document records, once, the channel it was disclosed through and the date
    (art. 33, R33.disclosure_record)."""
    return _detail(disclosure.document_disclose(actor=request.auth, document_id=document_id, channel=data.channel,
                                                disclosed_on=data.disclosed_on))


@router.post("/{document_id}/countersign-request", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="请示送相关部门会签", operation_id="documents_countersign_request")
def document_countersign_request(request, document_id: int = DocumentId):
    """A 请示 touching other units' powers (facts.touches_other_units) goes to their heads for 会签,
    then to the unit's own head (doc.countersign, art. 67); the units that countersigned become
    facts.countersigned_by."""
    access.document_visible(request.auth, document_id)
    return _detail(intake.document_countersign_request(actor=request.auth, document_id=document_id))


# ---- a department's own documents (art. 25) --------------------------------------------------------

@router.post("/{document_id}/request-approval", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="部门规范性文件事先书面请示区政府", operation_id="documents_request_approval")
def document_request_approval(request, document_id: int = DocumentId):
    """A department's own normative document (issuing_as "unit"): the prior written request to the
    区政府 starts the route doc.normative_department — the office reviews the request, the 司法部门
    reviews its legality, the 分管领导 reviews it, the 区长 approves it (art. 25). The steps are
    tasks: /api/v1/tasks/{id}/complete."""
    access.document_visible(request.auth, document_id)
    return _detail(department.document_request_approval(actor=request.auth, document_id=document_id))


@router.post("/{document_id}/sign-as-unit", response=responses(DocumentOut, 400, 403, 404, 409),
             summary="部门签发（以本部门名义）", operation_id="documents_sign_as_unit")
def document_sign_as_unit(request, document_id: int = DocumentId):
    """The department's head signs a document in the department's own name; a normative one only
    after the art. 25 procedure actually happened (R25.department_procedure). Then number and
    issue it like any document."""
    access.document_visible(request.auth, document_id)
    return _detail(department.document_sign_as_unit(actor=request.auth, document_id=document_id))


_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def download_name(doc: Document) -> str:
    name = _UNSAFE_NAME.sub("_", f"{doc.doc_number}{doc.title}").strip(" ._") or f"document-{doc.pk}"
    return f"{name[:150]}.docx"


@router.get("/{document_id}/docx", response=_errors(400, 403, 404), summary="版式文件（GB/T 9704-2012 .docx）",
            operation_id="documents_docx", openapi_extra=_binary("GB/T 9704-2012 版式的 .docx", DOCX))
def document_docx(request, document_id: int = DocumentId):
    """The signed and numbered document in the GB/T 9704-2012 layout, as a .docx named after its
    发文字号 and title. Only documents the caller may see; never a 涉密 one."""
    doc = access.document_visible(request.auth, document_id)
    data = render.render_docx(doc)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition(download_name(doc), f"document-{doc.pk}.docx")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---- attachments (附件) ---------------------------------------------------------------------------

@router.post("/{document_id}/attachments", response={201: AttachmentOut, **_errors(400, 403, 404)},
             summary="上传附件", operation_id="documents_attachment_add")
def document_attachment_add(request, document_id: int = DocumentId, file: UploadedFile = File(...)):
    """Multipart field `file`. The drafting unit or the 区政府办公室 may attach; the type is taken from
    the content (not the name), within the size limit; none on a 涉密 document. The SHA-256 goes
    into the audit trail."""
    try:
        att = attachments.attachment_add(actor=request.auth, document_id=document_id, name=file.name or "",
                                         data=file)
    finally:
        file.close()
    return Status(201, {"id": att.pk, "name": att.name, "content_type": att.content_type, "size": att.size,
                        "sha256": att.sha256, "uploaded_by": person_ref(att.uploaded_by),
                        "uploaded_at": att.uploaded_at, "url": _url(f"/{document_id}/attachments/{att.pk}")})


@router.get("/{document_id}/attachments/{attachment_id}", response=_errors(403, 404, 500),
            summary="下载附件", operation_id="documents_attachment_get",
            openapi_extra=_binary("附件文件（已校验 SHA-256）", "application/octet-stream"))
def document_attachment_get(request, document_id: int = DocumentId, attachment_id: int = AttachmentId):
    """Only for a document the caller may see; the stored file is checked against its SHA-256
    before a byte is sent."""
    att = attachments.attachment_visible(request.auth, document_id, attachment_id)
    try:
        fh = attachments.open_verified(att)
    except attachments.StoredFileCorrupt:  # logged by open_verified
        raise Refused("附件文件校验失败（与上传时记录的 SHA-256 不符或已丢失），为安全起见不予下载。"
                      "该情况已记录，请联系区政府办公室。", status=500) from None
    ext = att.name.rpartition(".")[2] if "." in att.name else ""
    response = FileResponse(fh, content_type=att.content_type)
    response["Content-Length"] = str(att.size)
    response["Content-Disposition"] = content_disposition(
        att.name, f"attachment-{att.pk}" + (f".{ext}" if ext.isascii() and ext.isalnum() else ""))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["X-Attachment-SHA256"] = att.sha256
    return response

