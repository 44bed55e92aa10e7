"""Intake (收文, art. 67–68): a unit submits to the 区政府办公室; the office registers it with a
收文号, pre-checks it, returns it with reasons or routes it (拟办) through the approval engine to
the 分管领导 by 分工 — major matters on to the 区长, urgent ones 串并联 — merges the 批示 and answers
the unit. Writes here are services: validate, check the rules, write, audit, in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import declare, note_exercised, starts
from zhengwu.transitions import transition
from zhengwu.workflow import notify
from zhengwu.workflow import selectors as wf_selectors
from zhengwu.workflow import services as wf
from zhengwu.workflow.selectors import route_article
from zhengwu.workflow.models import Approval, Task
from zhengwu.security.admins import refuse_business

from . import access, facts, numbering
from .models import Direction, Document

OBJ = "documents.document"
Status = Document.Status

INSTRUCTION_NOTICE = declare("W68.instruction_notice", article=68, kind="notification",
                             summary="领导批示后即时通知文书和报送单位")
PREPARE_NOTICE = declare("W68.prepare_notice", article=68, kind="notification",
                         summary="呈批同时通知落实单位先行准备")


def precheck(doc: Document, *, on: dt.date | None = None, signer: Person | None = None,
             stage: str | None = None) -> list:
    """预审: every rule on the document as it stands, without changing anything. The stage is
    submission for 收文 and signing for 发文 unless given."""
    on = on or rules.today()
    stage = stage or ("submission" if doc.direction == Direction.INCOMING else "signing")
    found = []
    for topic, fact in facts.for_document(doc, on=on, signer=signer, stage=stage):
        found += rules.check(topic, fact, on=on)
    return found


def _submit_checks(actor: Person, doc: Document, on: dt.date) -> tuple[Refused | None, list]:
    """报送's rule checks on the document as it stands (the actor's remit is checked before):
    the refusal document_submit would give (None: it would go through) and the pre-check found."""
    if doc.direction != Direction.INCOMING:
        return Refused("只有报送区政府的公文需要报送", field="document_id"), []
    if doc.status not in (Status.DRAFT, Status.RETURNED):
        return Refused(f"该公文{doc.get_status_display()}，不能重复报送", field="document_id", status=409), []
    needed = (doc.facts or {}).get("decision_needed_by")
    if needed and dt.date.fromisoformat(needed) < on:  # never silently dropped (art. 68's lead time)
        return Refused(f"要求区政府办结的日期{needed}早于报送日期{on.isoformat()}，请修改后再报送"
                       f"{rules.cite('R68.lead_time', on)}", field="facts.decision_needed_by"), []
    found = precheck(doc, on=on, signer=actor)
    blocks = [v for v in found if v.blocks]
    if blocks:
        return Refused(f"报送前须纠正{len(blocks)}处问题", violations=found, field=blocks[0].field), found
    return None, found


def submit_refusal(*, actor: Person, doc: Document, on: dt.date | None = None) -> Refused | None:
    """The dry run of document_submit's rule checks, for the page that offers 报送 (guide rather
    than refuse): the refusal it would give, or None."""
    return _submit_checks(actor, doc, on or rules.today())[0]


def document_submit(*, actor: Person, document_id: int, on: dt.date | None = None) -> Document:
    """报送: the unit's head (or an authorised 分管负责人) signs and sends it to the 区政府办公室."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    doc = access.document_for_unit_action(actor, document_id, on=on)
    refusal, found = _submit_checks(actor, doc, on)
    if refusal is not None:
        raise refusal
    with transaction.atomic():
        transition(doc, expect=[Status.DRAFT, Status.RETURNED], to=Status.SUBMITTED, submitted_on=on, signer=actor,
                   signed_on=on, field="document_id")
        audit_append(actor=actor, action="documents.document.submit", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"status": "submitted", "signer": actor.pk, "warnings": [v.rule_id for v in found]},
                     article=rules.article_of("R67.signer", on), summary=f"{actor}签发报送：{doc.title}")
        office = org.position_by_code(doc.government, "clerk")
        clerk = org.acting_for(office, on) if office else None
        if clerk is not None:
            notify.send(person=clerk, kind="info", title=f"新收文：{doc.title}", link=f"/documents/{doc.pk}/",
                        msg="documents.received", params={"title": doc.title})
    return doc


def briefing_approve(*, actor: Person, document_id: int, on: dt.date | None = None) -> Document:
    """核准 (art. 70): the 区政府办公室 approves a department's 简报 (facts.is_briefing) before the
    department sends it to the 区政府. Any later edit of the 简报 voids it (compose.document_update)."""
    on = on or rules.today()
    doc = access.document_for_office_action(actor, document_id, on=on)
    if doc.direction != Direction.INCOMING or not (doc.facts or {}).get("is_briefing"):
        raise Refused("只有部门报送区政府的简报需经区政府办公室核准", field="document_id")
    if doc.status not in (Status.DRAFT, Status.RETURNED):
        raise Refused(f"该简报{doc.get_status_display()}，不能核准", field="document_id", status=409)
    if doc.facts.get(facts.OFFICE_APPROVED):
        raise Refused("该简报已经区政府办公室核准", field="document_id", status=409)
    with transaction.atomic():
        transition(doc, expect=[Status.DRAFT, Status.RETURNED], facts={**doc.facts, facts.OFFICE_APPROVED: True},
                   field="document_id", message="该简报已被他人修改或办理，请刷新后再核准")
        audit_append(actor=actor, action="documents.briefing.approve", obj_type=OBJ, obj_id=str(doc.pk),
                     before={facts.OFFICE_APPROVED: False}, after={facts.OFFICE_APPROVED: True},
                     article=rules.article_of("R70.briefing_approved", on), summary=f"区政府办公室核准简报：{doc.title}")
    return doc


def document_register(*, actor: Person, document_id: int, on: dt.date | None = None) -> Document:
    """收文登记: the office gives a submitted document its 收文号."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    doc = access.document_for_office_action(actor, document_id, on=on)
    if doc.status != Status.SUBMITTED:
        raise Refused(f"该公文{doc.get_status_display()}，不能登记", field="document_id", status=409)
    series = f"{doc.government.doc_prefix or doc.government.short_name}收"
    with transaction.atomic():
        n = numbering.take(government=doc.government, series=series, year=on.year)
        number = numbering.doc_number(series, on.year, n)
        transition(doc, expect=[Status.SUBMITTED], to=Status.REGISTERED, intake_number=number,
                   intake_key=numbering.register_key(on.year, n), registered_on=on, field="document_id")
        audit_append(actor=actor, action="documents.document.register", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"status": doc.status, "intake_number": number, "registered_on": on.isoformat()},
                     article=rules.article_of("R67.via_office", on),
                     summary=f"收文登记{number}")
    return doc


def check_received_on(received_on, *, dated: dt.date | None, on: dt.date) -> dt.date:
    """收文日期: the day the 来文 reached the office — a date, not in the future, not before the
    document's own date (成文日期). Refusals name the field."""
    if received_on in (None, ""):
        return on
    if isinstance(received_on, str):
        try:
            received_on = dt.date.fromisoformat(received_on.strip())
        except ValueError:
            raise Refused(f"收文日期“{received_on}”不是有效日期（格式如 {on.isoformat()}）", field="received_on") from None
    if isinstance(received_on, dt.datetime):
        received_on = received_on.date()
    if received_on > on:
        raise Refused(f"收文日期{received_on.isoformat()}晚于今天（{on.isoformat()}），不能登记未来的日期",
                      field="received_on")
    if dated is not None and received_on < dated:
        raise Refused(f"收文日期{received_on.isoformat()}早于来文的成文日期{dated.isoformat()}，请核对",
                      field="received_on")
    return received_on


def _date_field(value, field: str, label: str, on: dt.date) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise Refused(f"{label}“{value}”不是有效日期（格式如 {on.isoformat()}）", field=field) from None


def document_receive_paper(*, actor: Person, unit: Unit, kind: str, title: str, dated, received_on=None,
                           urgency: str = "一般", main_recipients: Iterable[str] = (), body: str = "",
                           note: str = "", scan_name: str = "", scan=None, on: dt.date | None = None) -> Document:
    """纸质来文登记: the 区政府办公室 (文书) registers a 来文 that arrived on paper — the unit it came
    from, its 文种, 标题 and 成文日期 (`dated`), the day it actually arrived (`received_on`, default
    today; not in the future, not before `dated`) — gives it its 收文号 and attaches the scan
    (`scan`: bytes or a file, `scan_name` its file name; the attachments' type and size checks
    apply). The intake's working-day limits count from `received_on` (overall_due). One
    transaction: a refused scan registers nothing. The audit event carries the received date and
    the moment it was registered."""
    from django.utils import timezone

    from . import attachments
    from .services import check_recipients, code_problems

    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    if not access.is_office_staff(actor, on):
        raise Refused("只有区政府办公室可以登记纸质来文", field="unit", status=403)
    if unit is None or getattr(unit, "government_id", None) != getattr(actor, "government_id", None):
        raise Refused("请选择来文单位（本区政府的单位）", field="unit")
    problems = {r.field: r for r in code_problems(kind=kind, urgency=urgency, classification="", on=on)}
    if problems:
        raise next(iter(problems.values()))
    title = (title or "").strip()
    if not title:
        raise Refused(gettext("Title: required."), field="title")
    if len(title) > 200:
        raise Refused("标题不能超过200字", field="title")
    from zhengwu.textcheck import refuse_bad_text

    refuse_bad_text(title, "title", "标题", single_line=True)
    dated = _date_field(dated, "dated", "成文日期", on)
    if dated is None:
        raise Refused("请填写来文的成文日期", field="dated")
    if dated > on:
        raise Refused(f"成文日期{dated.isoformat()}晚于今天（{on.isoformat()}）", field="dated")
    received_on = check_received_on(received_on, dated=dated, on=on)
    recipients = [r.strip() for r in (main_recipients or ()) if r and r.strip()]
    if not recipients:
        recipients = list(rules.param("documents.government_recipients", on))[:1]
    check_recipients(government=unit.government, direction=Direction.INCOMING, main_recipients=recipients, cc=[],
                     on=on)
    if len(note or "") > 200:
        raise Refused("附注不能超过200字", field="note")
    series = f"{unit.government.doc_prefix or unit.government.short_name}收"
    with transaction.atomic():
        doc = Document.objects.create(
            government_id=unit.government_id, direction=Direction.INCOMING, kind=kind, title=title, unit=unit,
            main_recipients=recipients, urgency=urgency, body=body or "", note=(note or "").strip(),
            created_by=actor, paper=True, received_on=received_on, signed_on=dated, submitted_on=received_on)
        n = numbering.take(government=doc.government, series=series, year=on.year)
        number = numbering.doc_number(series, on.year, n)
        transition(doc, expect=[Status.DRAFT], to=Status.REGISTERED, intake_number=number,
                   intake_key=numbering.register_key(on.year, n), registered_on=on, field="document_id")
        att = None
        if scan is not None:
            att = attachments.attachment_add(actor=actor, document_id=doc.pk, name=scan_name or "扫描件.pdf",
                                             data=scan, on=on)
        audit_append(actor=actor, action="documents.document.register", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"status": doc.status, "intake_number": number, "paper": True, "unit": unit.pk,
                            "kind": kind, "title": title, "dated": dated.isoformat(),
                            "received_on": received_on.isoformat(), "registered_on": on.isoformat(),
                            "registered_at": timezone.now().isoformat(timespec="seconds"),
                            "scan": att.pk if att else None},
                     article=rules.article_of("R67.via_office", on),
                     summary=f"纸质来文登记{number}（{received_on.isoformat()}收到）")
    return doc


def document_return(*, actor: Person, document_id: int, reasons: str, on: dt.date | None = None) -> Document:
    """退回: the office returns a document to its unit with reasons (citing the articles)."""
    on = on or rules.today()
    doc = access.document_for_office_action(actor, document_id, on=on)
    reasons = (reasons or "").strip()
    if not reasons:
        raise Refused("退回须写明理由", field="reasons")
    if doc.status not in (Status.SUBMITTED, Status.REGISTERED):
        raise Refused(f"该公文{doc.get_status_display()}，不能退回", field="document_id", status=409)
    with transaction.atomic():
        transition(doc, expect=[Status.SUBMITTED, Status.REGISTERED], to=Status.RETURNED, field="document_id")
        audit_append(actor=actor, action="documents.document.return", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"status": doc.status, "reasons": reasons}, article=rules.article_of("R67.via_office", on),
                     summary=f"退回：{reasons[:60]}")
        notify.send(person=doc.created_by, kind="info", title=f"公文被退回：{doc.title}", body=reasons,
                    link=f"/documents/{doc.pk}/", msg="documents.returned", params={"title": doc.title})
    return doc


def overall_due(doc: Document, on: dt.date) -> dt.date:
    """Art. 68: the whole approval within 14 / 7 / 5 / 3 working days by urgency, counted from the
    office's receipt — the day the 来文 arrived (`received_on`, a paper one's real receipt date) or
    else its 收文登记 (`registered_on`) — not from the day it is routed (呈批); `on` only where the
    document has neither."""
    from zhengwu.workcalendar.selectors import work_calendar

    start = doc.received_on or doc.registered_on or on
    days = rules.param("approval.limit_days", start)[doc.urgency]
    return work_calendar().add_workdays(start, days)


def document_route(*, actor: Person, document_id: int, major: bool = False, parallel: bool = False,
                   domain: str = "", concerned: Iterable[Person] = (), on: dt.date | None = None) -> Document:
    """呈批: start the approval. By 分工 to the 分管领导 — of the matter's domain where the office names
    it, else of the submitting unit; major matters on to the 区长; urgent ones 串并联 to several
    leaders at once (art. 68). Other leaders concerned (`concerned`) give theirs too: after the 分管领导
    (in series) or beside them (串并联). The 办公室主任 reviews first (拟办)."""
    on = on or rules.today()
    domain = (domain or "").strip()
    if domain and domain not in rules.param("org.domain_labels", on):
        raise Refused(f"未知的事项领域“{domain}”", field="domain")
    concerned_posts = []
    for person in concerned:
        posts = [p for p in org.positions_of(person, on) if p.code in org.LEADER_CODES]
        if not posts:
            raise Refused(f"{person}不是区政府领导，不能分送其批示{rules.cite('doc.intake', on)}", field="concerned")
        if posts[0].code == "district_head":
            raise Refused("报区长审批请选择“重大事项”", field="concerned")
        concerned_posts.append(posts[0].pk)
    doc = access.document_for_office_action(actor, document_id, on=on)
    if doc.status != Status.REGISTERED:
        raise Refused("须先登记收文号再呈批", field="document_id", status=409)
    if parallel and doc.urgency not in rules.param("approval.parallel_urgencies", on):
        raise Refused(f"只有紧急公文可以串并联分送{rules.cite('doc.intake_urgent', on)}", field="parallel")
    route_id = "doc.intake_urgent" if parallel else "doc.intake"
    due = overall_due(doc, on)
    with transaction.atomic():
        approval = wf.approval_start(actor=actor, route_id=route_id, obj_type=OBJ, obj_id=str(doc.pk),
                                     title=doc.title, urgency=doc.urgency, applicant_unit=doc.unit,
                                     context={"major": bool(major), "due_on": due.isoformat(),
                                              **({"domain": domain} if domain else {}),
                                              **({"concerned": True, "concerned_position_ids": concerned_posts}
                                                 if concerned_posts else {})}, on=on)
        transition(doc, expect=[Status.REGISTERED], to=Status.IN_APPROVAL, approval=approval,
                   decision_needed_by=due, field="document_id")
        audit_append(actor=actor, action="documents.document.route", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"status": doc.status, "route": route_id, "major": major, "due_on": due.isoformat(),
                            "domain": domain},
                     article=rules.article_of(route_id, on),
                     summary=f"呈批（{'串并联' if parallel else '按分工'}{'，报区长' if major else ''}），{due}前办结")
    return doc


def document_notify_prepare(*, actor: Person, document_id: int, units: Iterable[Unit], note: str = "") -> int:
    """While the leaders decide, the office may tell the implementing units to prepare (art. 68)."""
    doc = access.document_for_office_action(actor, document_id)
    if doc.status != Status.IN_APPROVAL:
        raise Refused("公文呈批后才能通知落实单位先行准备", field="document_id")
    units = list(units)
    sent = 0
    with transaction.atomic():
        for unit in units:
            head = org.unit_head(unit, rules.today())
            if head and notify.send(person=head, kind="info", title=f"请先行准备：{doc.title}",
                                    body=note or "该事项正在呈报区政府领导审批，请先做好落实准备",
                                    link=f"/documents/{doc.pk}/", key=f"prepare:{doc.pk}:{unit.pk}",
                                    msg="documents.prepare", params={"title": doc.title}):
                sent += 1
        note_exercised(PREPARE_NOTICE)
        audit_append(actor=actor, action="documents.document.route", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"prepare_units": [u.pk for u in units]}, article=rules.article_of(PREPARE_NOTICE),
                     summary=f"通知{sent}个单位先行准备")
    return sent


def instructions(doc: Document) -> list[Task]:
    """The leaders' 批示 on a document, in the order of their rank (as paper 公文处理单 show them)."""
    if doc.approval_id is None:
        return []
    return _instructions(doc.approval)


def _instructions(approval: Approval) -> list[Task]:
    return [t for t in wf_selectors.approval_tasks(approval)
            if t.kind == Task.Kind.STEP and t.status == Task.Status.DONE and t.step_id != "office_review"
            and t.step_id != "collect"]


# ---- reactions to the approval engine ------------------------------------------------------

def _doc_of(approval: Approval) -> Document:
    """The approval's document, read once for the hooks of one action: the engine hands them the
    approval it has just locked, so `on_answered` reuses what `on_instruction` read moments before
    in the same transaction (neither changes the fields the other reads)."""
    doc = getattr(approval, "_intake_document", None)
    if doc is None or doc.pk != int(approval.obj_id):
        # only what these hooks read (a field left out would still load, one query more)
        doc = (Document.objects.select_related("unit", "created_by", "government", "signer")
               .only("title", "facts", "unit", "government", "created_by__email", "created_by__full_name",
                     "created_by__username", "signer__email", "signer__full_name", "signer__username")
               .get(pk=int(approval.obj_id)))
        approval._intake_document = doc
    return doc


INSTRUCTION_STEPS = ("leader_instruct", "concerned_instruct", "head_instruct", "head_approve")  # the leaders' 批示 on doc.intake*


def on_instruction(approval: Approval, task: Task, actor: Person, on: dt.date) -> None:
    """Once a leader has written the 批示, the clerk and the submitting unit are notified at once."""
    if task.step_id not in INSTRUCTION_STEPS:
        return
    doc = _doc_of(approval)
    clerk = org.acting_for_code(doc.government, "clerk", on)
    notify.send_all(notify.build(person=person, kind="info", title=f"{actor}已批示：{doc.title}",
                                 body=task.opinion or task.decision, link=f"/documents/{doc.pk}/",
                                 key=f"instruction:{task.pk}:{person.pk}",
                                 msg="documents.instructed", params={"actor": str(actor), "title": doc.title})
                    for person in filter(None, {clerk, doc.created_by, doc.signer}))
    note_exercised(INSTRUCTION_NOTICE)


def on_answered(approval: Approval, actor: Person, on: dt.date) -> None:
    """答复: the merged 批示 go back to the submitting unit."""
    doc = _doc_of(approval)
    text = "\n".join(f"{t.completed_by or t.assignee}（{t.action}）：{t.opinion or t.decision}"
                     for t in _instructions(approval))  # the approval in hand, not read again through doc
    transition(doc, expect=[Status.IN_APPROVAL], to=Status.ANSWERED, versioned=False, answer=text, answered_on=on)
    audit_append(actor=actor, action="documents.document.answer", obj_type=OBJ, obj_id=str(doc.pk),
                 after={"status": doc.status, "answer": text}, article=route_article(approval), summary=f"答复{doc.unit}")
    notify.send(person=doc.created_by, kind="info", title=f"区政府已答复：{doc.title}", body=text,
                link=f"/documents/{doc.pk}/", msg="documents.replied", params={"title": doc.title})


def on_returned(approval: Approval, task: Task, actor: Person, on: dt.date) -> None:
    """退回 by any step of a document's route: the document goes back to its drafter with the reasons."""
    doc = _doc_of(approval)
    transition(doc, expect=[Status.IN_APPROVAL, Status.DRAFT, Status.RETURNED], to=Status.RETURNED, versioned=False)
    audit_append(actor=actor, action="documents.document.return", obj_type=OBJ, obj_id=str(doc.pk),
                 after={"status": doc.status, "reasons": task.opinion, "by": actor.pk}, article=route_article(approval), summary=f"退回：{task.opinion[:60]}")
    # the drafter in the submitting unit hears of it, not only whoever routed it (the engine tells the originator)
    if doc.created_by_id and doc.created_by_id != approval.originator_id:
        notify.send(person=doc.created_by, kind="info", title=f"公文被退回：{doc.title}", body=task.opinion,
                    link=f"/documents/{doc.pk}/", key=f"returned:{task.pk}:{doc.created_by_id}",
                    msg="documents.returned", params={"title": doc.title})




# ---- 会签 before submission (doc.countersign, art. 67) -------------------------------------------

COUNTERSIGN_ROUTE = "doc.countersign"
starts("doc.intake", "doc.intake_urgent", COUNTERSIGN_ROUTE)  # for `rules coverage` (document_route, countersign)


def document_countersign_request(*, actor: Person, document_id: int, on: dt.date | None = None) -> Document:
    """征求意见并会签: a 请示 that touches other units' powers goes to those units' heads for their
    会签 (in parallel), then its own head signs it off (doc.countersign). The units that
    countersigned become `facts.countersigned_by` — what R67.countersign reads at submission."""
    on = on or rules.today()
    doc = access.document_for_unit_action(actor, document_id, on=on)
    if doc.direction != Direction.INCOMING or doc.kind not in rules.param("documents.request_kinds", on):
        raise Refused(f"只有报送区政府的请示需要相关部门会签{rules.cite(COUNTERSIGN_ROUTE, on)}", field="document_id")
    if doc.status not in (Status.DRAFT, Status.RETURNED):
        raise Refused(f"该公文{doc.get_status_display()}，不能再送会签", field="document_id", status=409)
    names = [str(n) for n in doc.facts.get("touches_other_units", [])]
    if not names:
        raise Refused("请先写明涉及哪些单位的职权（touches_other_units）", field="facts.touches_other_units")
    units = []
    for name in names:
        unit = doc.government.units.filter(active=True).filter(
            models_q(name)).exclude(pk=doc.unit_id).first()
        if unit is None:
            raise Refused(f"未知的会签单位“{name}”", field="facts.touches_other_units")
        units.append(unit)
    with transaction.atomic():
        approval = wf.approval_start(actor=actor, route_id=COUNTERSIGN_ROUTE, obj_type=OBJ, obj_id=str(doc.pk),
                                     title=doc.title, urgency=doc.urgency, applicant_unit=doc.unit,
                                     context={"countersign_unit_ids": [u.pk for u in units]}, on=on)
        transition(doc, expect=[Status.DRAFT, Status.RETURNED], approval=approval, field="document_id")
        audit_append(actor=actor, action="documents.document.route", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"route": COUNTERSIGN_ROUTE, "units": [u.pk for u in units]},
                     article=rules.article_of(COUNTERSIGN_ROUTE, on),
                     summary=f"送{'、'.join(u.name for u in units)}会签")
    return doc


def models_q(name: str):
    from django.db.models import Q

    return Q(name=name) | Q(short_name=name)


def on_countersigned(approval: Approval, actor: Person, on: dt.date) -> None:
    """The units' heads countersigned and the unit's head signed off: record who countersigned."""
    doc = _doc_of(approval)
    signed = [t.position.unit for t in approval.tasks.filter(step_id="countersign", status=Task.Status.DONE)
              .select_related("position__unit") if t.position_id and t.position.unit_id]
    names = sorted({u.name for u in signed} | {u.short_name for u in signed if u.short_name})
    touched = [str(n) for n in doc.facts.get("touches_other_units", [])]
    recorded = [n for n in touched if n in names]
    new_facts = {**doc.facts, "countersigned_by": sorted(set(doc.facts.get("countersigned_by", [])) | set(recorded))}
    Document.objects.filter(pk=doc.pk).update(facts=new_facts, version=F("version") + 1)
    audit_append(actor=actor, action="documents.document.update", obj_type=OBJ, obj_id=str(doc.pk),
                 before={"countersigned_by": doc.facts.get("countersigned_by", [])},
                 after={"countersigned_by": new_facts["countersigned_by"]}, article=route_article(approval),
                 summary=f"会签完成：{'、'.join(recorded) or '无'}")
