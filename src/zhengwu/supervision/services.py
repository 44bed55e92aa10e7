"""The supervision ledger's services (the only writers; each checks who acts, validates its input
naming the field, runs the rules, writes and audits in one transaction):

- item_create / item_from_meeting_decision / item_from_instruction  立项 (草稿) with its source,
  basis, one lead unit and co-units (R48.one_lead), responsible heads (R47), source (R49)
- item_from_proposal_answer  a "列入计划" answer to a 建议提案 becomes an item (art. 39)
- item_request_approval   以区政府名义: the leader's approval (route supervision.government_name, art. 50)
- item_assign             交办 (R50.government_name): the due date in working days on the official calendar
- item_sign / item_return 签收 / 退回 by the lead unit
- item_report             进展 or 阶段性办结 by the lead unit, with evidence
- item_rectification_report  整改报告 to the 区政府 by the lead unit (art. 40 findings)
- item_request_closure    申请办结 (R45.mechanism for rectification items)
- item_verify             核查 by the 督查指挥中心 (passed, or back to 整改)
- item_close              销号, only after 核查 (R50.verify_before_close) and, for an oversight finding
                          (art. 40), after the 整改报告 to the 区政府 (R40.rectification_report)
- item_suspend            中止 by the 督查指挥中心, with its reason
- review_request / review_decide   复核 of a 核查 conclusion that the item is not done (R50.review,
                          政府督查工作条例 art. 17): asked in time, decided by someone who did not conclude
- extension_request / extension_decide   延期: asked before the due date (R50.extension_in_time), approved
- accountability_propose / accountability_decide   表扬、问责建议 for a unit and year from its scores
                          (art. 51), drafted by the center (R51.proposal), approved by the 区长 alone
                          (route supervision.accountability, R51.head_decides; 政府督查工作条例 art. 21)
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Conflict, Forbidden, NotFound, Refused, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import starts
from zhengwu.rulebook.rules.supervision import (AccountabilityFacts, ClosureFacts, CompletionFacts, ExtensionFacts,
                                                ItemFacts, ReviewFacts)
from zhengwu.textcheck import date_field, text_field
from zhengwu.transitions import transition
from zhengwu.workflow import notify
from zhengwu.workflow import services as wf

from . import access
from .models import AccountabilityProposal, Extension, ItemCounter, ItemUnit, ProgressReport, Review, SupervisionItem

OBJ = "supervision.item"
APPROVAL_ROUTE, VERIFY_ROUTE = starts("supervision.government_name", "supervision.verification")  # art. 50
(ACCOUNTABILITY_ROUTE,) = starts("supervision.accountability")  # art. 51
ACCOUNTABILITY_OBJ = "supervision.accountability"
S = SupervisionItem.Status
OPEN = (S.ASSIGNED, S.SIGNED, S.IN_PROGRESS, S.STAGE_DONE, S.CLOSURE_ASKED, S.VERIFIED)
WITH_UNIT = (S.ASSIGNED, S.SIGNED, S.IN_PROGRESS, S.STAGE_DONE)  # the lead unit's turn: lights apply
MAX_TEXT = 4000


# ---- helpers -----------------------------------------------------------------------------------

_text, _date = text_field, date_field  # (zhengwu.textcheck: refused naming the field)


def _calendar():
    from zhengwu.workcalendar.selectors import work_calendar

    return work_calendar()


def _take_number(government, year: int) -> int:
    """Gapless per government and year, inside the caller's transaction (see documents/numbering.py)."""
    if not ItemCounter.objects.filter(government=government, year=year).exists():
        try:
            with transaction.atomic():
                ItemCounter.objects.create(government=government, year=year, last=0)
        except IntegrityError:
            pass
    ItemCounter.objects.filter(government=government, year=year).update(last=F("last") + 1)
    return ItemCounter.objects.values_list("last", flat=True).get(government=government, year=year)


def _unit(government, unit_id, field: str) -> Unit:
    pk = id_field(unit_id, field, "单位")
    unit = Unit.objects.filter(pk=pk, government=government, active=True).first()
    if unit is None:
        raise Refused(f"单位{pk}不存在", field=field)
    return unit


def _audit(actor, item: SupervisionItem, action: str, ref: str, summary: str, *, before=None, after=None, on=None):
    audit_append(actor=actor, action=action, obj_type=OBJ, obj_id=str(item.pk), before=before, after=after,
                 article=rules.article_of(ref, on), summary=f"{summary}：{item.number} {item.title}")


def _center_unit(actor: Person, on: dt.date) -> Unit:
    centers = access.center_unit_ids(actor.government_id)
    for p in org.positions_held(actor, on):
        if p.unit_id in centers:
            return p.unit
    raise Refused("只有区督查指挥中心可以办理该操作", field="actor")


def _item_facts(source: str, title: str, basis: str, leads: list[Unit], cos: list[Unit],
                heads: dict[int, Person | None], *, in_government_name=False, approved=False, assigning=False):
    return ItemFacts(source=source, title=title, basis=basis, lead_units=tuple(u.name for u in leads),
                     co_units=tuple(u.name for u in cos),
                     heads=tuple((u.name, str(heads.get(u.pk) or "")) for u in (*leads, *cos)),
                     in_government_name=in_government_name, leader_approved=approved, assigning=assigning)


# ---- 立项 --------------------------------------------------------------------------------------

def item_create(*, actor: Person, title, basis, source, lead_units: Iterable, co_units: Iterable = (),
                heads: dict | None = None, limit_days=None, due_on=None, in_government_name: bool = False,
                reporting_cycle: str = "monthly", milestones: list | None = None, source_title: str = "",
                source_url: str = "", meeting_item=None, instruction=None, dossier=None,
                on: dt.date | None = None) -> SupervisionItem:
    """立项 (草稿) by the 督查指挥中心. `lead_units`: the lead unit's id (one, art. 48); `heads`:
    unit id -> the responsible person's id (default: the unit's 主要负责人, art. 47)."""
    on = on or rules.today()
    access.require_center(actor, on)
    gov = actor.government
    title = _text(title, "title", "督查事项", single_line=True, max_len=200)
    basis = _text(basis, "basis", "督查依据和要求")
    sources = rules.param("supervision.sources", on)
    if source not in sources:
        raise Refused(f"来源须为{'、'.join(sources.values())}之一", field="source")
    cycles = rules.param("supervision.reporting_cycles", on)
    if reporting_cycle not in cycles:
        raise Refused(f"报告周期须为{'、'.join(cycles.values())}之一", field="reporting_cycle")
    if isinstance(lead_units, (int, str)):
        lead_units = [lead_units]
    leads = [_unit(gov, u, "lead_unit") for u in lead_units or []]
    cos = [_unit(gov, u, "co_units") for u in co_units or []]
    heads_in = heads or {}
    chosen: dict[int, Person | None] = {}
    for u in (*leads, *cos):
        given = heads_in.get(u.pk, heads_in.get(str(u.pk)))
        if given not in (None, ""):
            pid = id_field(given, "heads", "责任人")
            person = Person.objects.filter(pk=pid, government=gov).first()
            if person is None or u.pk not in access.own_unit_ids(person, on):
                raise Refused(f"责任人须为{u.name}的在岗人员", field="heads")
            chosen[u.pk] = person
        else:
            chosen[u.pk] = org.unit_head(u, on)
    if limit_days in (None, ""):
        limit_days = rules.param("supervision.default_limit_days", on)
    try:
        limit_days = int(limit_days)
    except (TypeError, ValueError):
        raise Refused("办理时限须为工作日数（整数）", field="limit_days") from None
    if not 1 <= limit_days <= 500:
        raise Refused("办理时限须为1至500个工作日", field="limit_days")
    due = _date(due_on, "due_on", "办结期限")
    if due is not None and due <= on:
        raise Refused("办结期限须晚于今天", field="due_on")
    ms = []
    for m in milestones or []:
        if not isinstance(m, dict):
            raise Refused("阶段节点须含日期和内容", field="milestones")
        ms.append({"on": _date(m.get("on"), "milestones", "阶段节点日期").isoformat() if m.get("on") else "",
                   "what": _text(m.get("what"), "milestones", "阶段节点内容", single_line=True, max_len=200)})
    source_title = _text(source_title, "source_title", "来源名称", required=False, single_line=True, max_len=300)
    rules.enforce("supervision.item", _item_facts(source, title, basis, leads, cos, chosen,
                                                   in_government_name=bool(in_government_name)), on=on)
    with transaction.atomic():
        center = _center_unit(actor, on)
        seq = _take_number(gov, on.year)
        try:
            with transaction.atomic():  # one item per decision or 批示: a concurrent taker loses here
                item = SupervisionItem.objects.create(
                    government=gov, year=on.year, seq=seq, title=title, basis=basis, source=source,
                    source_title=source_title, source_url=source_url or "", meeting_item=meeting_item,
                    instruction=instruction, dossier=dossier, supervising_unit=center,
                    in_government_name=bool(in_government_name), limit_days=limit_days, due_on=due,
                    milestones=ms, reporting_cycle=reporting_cycle, created_by=actor)
        except IntegrityError:
            raise Conflict("该来源已立项督查", field="source") from None
        for u in leads:
            ItemUnit.objects.create(item=item, unit=u, role=ItemUnit.Role.LEAD, head=chosen[u.pk])
        for u in cos:
            ItemUnit.objects.create(item=item, unit=u, role=ItemUnit.Role.CO, head=chosen[u.pk])
        _audit(actor, item, "supervision.item.create", "R49.source", "督查立项", on=on,
               after={"source": source, "lead": [u.pk for u in leads], "co": [u.pk for u in cos],
                      "limit_days": limit_days, "in_government_name": bool(in_government_name)})
    return item


def _refuse_taken(exc_field: str, what: str):
    raise Conflict(f"该{what}已立项督查", field=exc_field)


def item_from_meeting_decision(*, actor: Person, agenda_item_id, lead_unit=None, co_units=(), limit_days=None,
                               basis: str = "", on: dt.date | None = None, **kw) -> SupervisionItem:
    """A 会议议定事项 (a decided agenda item of a meeting, approved) becomes a ledger item (art. 49)."""
    from zhengwu.meetings.models import AgendaItem

    on = on or rules.today()
    access.require_center(actor, on)
    pk = id_field(agenda_item_id, "agenda_item_id", "议题")
    agenda = (AgendaItem.objects.select_related("meeting", "dossier", "lead_unit")
              .filter(pk=pk, meeting__government_id=actor.government_id).first())
    if agenda is None:
        raise Refused(f"议题{pk}不存在", field="agenda_item_id")
    if agenda.status != AgendaItem.Status.DECIDED or agenda.outcome not in rules.param("decisions.approving_outcomes", on):
        raise Refused("只有会议已作出通过决定的议题才能立项督查", field="agenda_item_id")
    if SupervisionItem.objects.filter(meeting_item=agenda).exists():
        _refuse_taken("agenda_item_id", "议定事项")
    lead = lead_unit or agenda.lead_unit_id or (agenda.dossier.implementation_lead_id or agenda.dossier.proposing_unit_id
                                                if agenda.dossier_id else None)
    meeting = agenda.meeting
    return item_create(
        actor=actor, title=agenda.title, source="meeting_decision", lead_units=[lead] if lead else [],
        co_units=co_units, limit_days=limit_days, on=on,
        basis=basis or f"{meeting.title}议定：{agenda.outcome}。{agenda.conditions}".strip(),
        source_title=f"{meeting.title}（{meeting.starts_at:%Y-%m-%d}）议题：{agenda.title}"[:300],
        source_url=f"/meetings/{meeting.pk}/", meeting_item=agenda, dossier=agenda.dossier, **kw)


def item_from_instruction(*, actor: Person, task_id, lead_unit=None, co_units=(), limit_days=None, basis: str = "",
                          on: dt.date | None = None, **kw) -> SupervisionItem:
    """A leader's 批示 on a document (a completed 批示 step of its approval) becomes a ledger item (art. 49, 50)."""
    from zhengwu.documents.intake import INSTRUCTION_STEPS, OBJ as DOC
    from zhengwu.documents.models import Document
    from zhengwu.workflow.models import Task

    on = on or rules.today()
    access.require_center(actor, on)
    pk = id_field(task_id, "task_id", "批示")
    task = (Task.objects.select_related("approval", "completed_by", "assignee")
            .filter(pk=pk, approval__obj_type=DOC).first())
    doc = Document.objects.select_related("unit").filter(pk=int(task.approval.obj_id)).first() if task else None
    if task is None or doc is None or doc.government_id != actor.government_id:
        raise Refused(f"批示{pk}不存在", field="task_id")
    if task.kind != Task.Kind.STEP or task.status != Task.Status.DONE or task.step_id not in INSTRUCTION_STEPS:
        raise Refused("只有区政府领导已作出的批示才能立项督查", field="task_id")
    if SupervisionItem.objects.filter(instruction=task).exists():
        _refuse_taken("task_id", "批示")
    leader = task.completed_by or task.assignee
    said = (task.opinion or task.decision or "").strip()
    return item_create(
        actor=actor, title=doc.title, source="instruction", lead_units=[lead_unit or doc.unit_id] if (lead_unit or doc.unit_id) else [],
        co_units=co_units, limit_days=limit_days, on=on, basis=basis or f"{leader}批示：{said}",
        source_title=f"{leader}对《{doc.title}》的批示（{task.done_on or ''}）"[:300],
        source_url=f"/documents/{doc.pk}/", instruction=task, **kw)


def item_from_proposal_answer(*, actor: Person, proposal, outcome: str, answer_text: str = "",
                              on: dt.date | None = None) -> SupervisionItem | None:
    """A "列入计划" answer (an outcome of `supervision.from_proposal_outcomes`) to an NPC suggestion
    or CPPCC proposal becomes a ledger item (art. 39: 严格责任,限时办结), in the answering service's
    transaction (proposals.services.proposal_answer calls it): 草稿 of the 督查指挥中心, led by the
    proposal's lead unit with its head responsible (art. 47), due `supervision.proposal_limit_days`
    working days after the answer; the center's director is told to check and 交办 it. One item per
    proposal: a later answer returns the item already there. Any other outcome creates nothing (None)."""
    on = on or rules.today()
    if outcome not in rules.param("supervision.from_proposal_outcomes", on):
        return None
    existing = SupervisionItem.objects.filter(proposal_id=proposal.pk).first()
    if existing is not None:
        return existing
    gov, lead = proposal.government, proposal.lead_unit
    if lead is None:
        raise Refused("建议提案尚未明确主办单位，不能转入督查台账", field="proposal_id")
    centers = access.center_unit_ids(gov.pk)
    center = Unit.objects.filter(pk__in=centers, active=True).order_by("id").first()
    if center is None:
        raise Refused("本级政府未设督查指挥中心，不能转入督查台账", field="proposal_id")
    head = org.unit_head(lead, on) or actor
    limit_days = int(rules.param("supervision.proposal_limit_days", on))
    source = "proposal"
    title = _text(f"落实建议提案办理承诺：{proposal.title}"[:200], "title", "督查事项", single_line=True, max_len=200)
    label = rules.param("proposals.outcomes", on).get(outcome, "")
    basis = f"{proposal.batch.session}第{proposal.number}号答复办理结果为“{label}”。{answer_text}".strip()[:MAX_TEXT]
    rules.enforce("supervision.item", _item_facts(source, title, basis, [lead], [], {lead.pk: head}), on=on)
    due = _calendar().add_workdays(on, limit_days)
    with transaction.atomic():
        seq = _take_number(gov, on.year)
        try:
            with transaction.atomic():
                item = SupervisionItem.objects.create(
                    government=gov, year=on.year, seq=seq, title=title, basis=basis, source=source,
                    source_title=f"{proposal.batch.session}第{proposal.number}号：{proposal.title}"[:300],
                    source_url=f"/proposals/{proposal.pk}/", proposal=proposal, supervising_unit=center,
                    limit_days=limit_days, due_on=due, created_by=actor)
        except IntegrityError:
            raise Conflict("该建议提案已转入督查台账", field="proposal_id") from None
        ItemUnit.objects.create(item=item, unit=lead, role=ItemUnit.Role.LEAD, head=head)
        for person in _center_people(item, on):
            notify.send(person=person, kind="info", title=f"建议提案列入计划，请审核交办：{item.title}",
                        msg="supervision.from_proposal", params={"title": item.title},
                        body=f"{item.number}，主办单位{lead.name}，期限{due.isoformat()}",
                        link=f"/supervision/{item.pk}/", key=f"supervision:proposal:{item.pk}")
        _audit(actor, item, "supervision.item.from_proposal", "supervision.from_proposal_outcomes",
               "建议提案列入计划转入督查台账", on=on,
               after={"source": source, "proposal": proposal.pk, "lead": [lead.pk], "outcome": outcome,
                      "due_on": due.isoformat(), "limit_days": limit_days})
    return item


# ---- approval in the 区政府's name (art. 50) ---------------------------------------------------

def item_request_approval(*, actor: Person, item_id, on: dt.date | None = None) -> SupervisionItem:
    on = on or rules.today()
    item = access.item_for_center(actor, item_id, on=on)
    if not item.in_government_name:
        raise Refused("该事项不以区政府名义开展，无需报领导审批", field="in_government_name")
    if item.approved_on:
        raise Refused("该事项已经区政府领导审批", field="item_id")
    if item.status not in (S.DRAFT, S.RETURNED):
        raise Refused(f"该事项{item.get_status_display()}，不能报批", field="item_id")
    with transaction.atomic():
        approval = wf.approval_start(actor=actor, route_id=APPROVAL_ROUTE, obj_type=OBJ, obj_id=str(item.pk),
                                     title=f"以区政府名义督查：{item.title}", applicant_unit=item.supervising_unit, on=on)
        transition(item, expect=[item.status], approval=approval)
        _audit(actor, item, "supervision.item.request_approval", APPROVAL_ROUTE, "报区政府领导审批", on=on,
               after={"approval": approval.pk})
    return item


def on_approval_finished(approval, actor, on) -> None:
    """The leader's 审批 (in the engine's transaction): 同意 records the approval; otherwise nothing is granted."""
    from zhengwu.workflow.models import Task

    item = SupervisionItem.objects.filter(pk=int(approval.obj_id)).first()
    if item is None:
        return
    last = approval.tasks.filter(status=Task.Status.DONE, kind=Task.Kind.STEP).order_by("-id").first()
    granted = last is not None and rules.approves(last.decision, on)
    if granted:
        transition(item, expect=[item.status], versioned=False, approved_on=on, approved_by=actor)
    _audit(actor, item, "supervision.item.approve", APPROVAL_ROUTE, "区政府领导审批" + ("同意" if granted else "不同意"),
           on=on, after={"approved": granted, "decision": last.decision if last else ""})


# ---- 交办 and the lead unit's steps ---------------------------------------------------------------

def item_assign(*, actor: Person, item_id, on: dt.date | None = None) -> SupervisionItem:
    on = on or rules.today()
    item = access.item_for_center(actor, item_id, on=on)
    units = list(item.units.select_related("unit", "head"))
    leads = [u.unit for u in units if u.role == ItemUnit.Role.LEAD]
    cos = [u.unit for u in units if u.role == ItemUnit.Role.CO]
    heads = {u.unit_id: u.head for u in units}
    rules.enforce("supervision.item", _item_facts(item.source, item.title, item.basis, leads, cos, heads,
                                                   in_government_name=item.in_government_name,
                                                   approved=item.approved_on is not None, assigning=True), on=on)
    due = item.due_on if item.due_on and item.due_on > on else _calendar().add_workdays(on, item.limit_days)
    with transaction.atomic():
        was = item.status
        transition(item, expect=[S.DRAFT, S.RETURNED], to=S.ASSIGNED, assigned_on=on, due_on=due, reason="",
                   field="item_id")
        for u in units:
            notify.send(person=u.head, kind="info", title=f"督查事项交办（{u.get_role_display()}）：{item.title}",
                        body=f"{item.number}，办结期限{due.isoformat()}。{item.basis[:200]}",
                        msg="supervision.assigned_lead" if u.role == ItemUnit.Role.LEAD else "supervision.assigned_co",
                        params={"title": item.title, "body_msg": "supervision.assigned", "number": item.number,
                                "due": due.isoformat(), "basis": item.basis[:200]},
                        link=f"/supervision/{item.pk}/", key=f"supervision:assign:{item.pk}:{u.unit_id}:{on}")
        _audit(actor, item, "supervision.item.assign", "R48.one_lead", "交办", on=on, before={"status": was},
               after={"status": item.status, "due_on": due.isoformat()})
    return item


def item_sign(*, actor: Person, item_id, on: dt.date | None = None) -> SupervisionItem:
    on = on or rules.today()
    item = access.item_for_lead(actor, item_id, on=on)
    with transaction.atomic():
        transition(item, expect=[S.ASSIGNED], to=S.SIGNED, signed_on=on, field="item_id")
        _audit(actor, item, "supervision.item.sign", "R47.responsible_head", "牵头单位签收", on=on,
               after={"status": item.status})
    return item


def item_return(*, actor: Person, item_id, reason, on: dt.date | None = None) -> SupervisionItem:
    """退回: the lead unit sends back an item that is not its own, with the reason, before signing it."""
    on = on or rules.today()
    item = access.item_for_lead(actor, item_id, on=on)
    reason = _text(reason, "reason", "退回理由")
    with transaction.atomic():
        transition(item, expect=[S.ASSIGNED], to=S.RETURNED, reason=reason, field="item_id")
        for person in _center_people(item, on):
            notify.send(person=person, kind="info", title=f"督查事项被退回：{item.title}", body=reason,
                        msg="supervision.returned", params={"title": item.title},
                        link=f"/supervision/{item.pk}/", key=f"supervision:return:{item.pk}:{item.version}")
        _audit(actor, item, "supervision.item.return", "R48.one_lead", "牵头单位退回", on=on,
               after={"status": item.status, "reason": reason})
    return item


def item_report(*, actor: Person, item_id, text, evidence: str = "", stage: bool = False,
                on: dt.date | None = None) -> ProgressReport:
    on = on or rules.today()
    item = access.item_for_lead(actor, item_id, on=on)
    text = _text(text, "text", "办理情况")
    evidence = _text(evidence, "evidence", "佐证材料", required=False)
    to = S.STAGE_DONE if stage else S.IN_PROGRESS
    with transaction.atomic():
        was = item.status
        transition(item, expect=[S.SIGNED, S.IN_PROGRESS, S.STAGE_DONE], to=to, field="item_id")
        report = ProgressReport.objects.create(
            item=item, unit_id=ItemUnit.objects.get(item=item, role=ItemUnit.Role.LEAD).unit_id,
            kind=ProgressReport.Kind.STAGE if stage else ProgressReport.Kind.PROGRESS, text=text, evidence=evidence,
            reported_on=on, reported_by=actor)
        _audit(actor, item, "supervision.item.report", "R47.responsible_head", "阶段性办结" if stage else "报告进展",
               on=on, before={"status": was}, after={"status": item.status, "report": report.pk})
    return report


def co_unit_opinion(*, actor: Person, item_id, text, evidence: str = "", on: dt.date | None = None) -> ProgressReport:
    """A co-unit's opinion to the lead unit (art. 48: 协办部门要积极配合), due within
    `supervision.co_unit_opinion_days` of 交办 (tick reminds it)."""
    on = on or rules.today()
    item = access.item_for_co(actor, item_id, on=on)
    if item.status not in WITH_UNIT:
        raise Refused(f"该事项{item.get_status_display()}，不能提出协办意见", field="item_id")
    text = _text(text, "text", "协办意见")
    evidence = _text(evidence, "evidence", "佐证材料", required=False)
    mine = access.own_unit_ids(actor, on)
    unit = item.units.select_related("unit").filter(role=ItemUnit.Role.CO, unit_id__in=mine).first()
    lead = item.units.select_related("head").get(role=ItemUnit.Role.LEAD)
    with transaction.atomic():
        report = ProgressReport.objects.create(item=item, unit=unit.unit, kind=ProgressReport.Kind.OPINION, text=text,
                                               evidence=evidence, reported_on=on, reported_by=actor)
        notify.send(person=lead.head, kind="info", title=f"{unit.unit.name}协办意见：{item.title}", body=text[:200],
                    link=f"/supervision/{item.pk}/", key=f"supervision:opinion:{report.pk}")
        _audit(actor, item, "supervision.item.opinion", "R48.one_lead", f"{unit.unit.name}提出协办意见", on=on,
               after={"unit": unit.unit_id, "report": report.pk})
    return report


def item_rectification_report(*, actor: Person, item_id, text, evidence: str = "",
                               on: dt.date | None = None) -> ProgressReport:
    """整改报告: the lead unit reports the rectification of an oversight finding (监察、法院检察院、审计;
    `supervision.report_to_government_sources`) to the 区政府 (art. 40): the 区长 and the lead unit's
    分管 leader are told. The item keeps its state; 销号 needs this report (R40.rectification_report)."""
    on = on or rules.today()
    item = access.item_for_lead(actor, item_id, on=on)
    if item.source not in rules.param("supervision.report_to_government_sources", on):
        raise Refused("该事项不是监督中发现问题的整改事项，无需向区政府报送整改报告", field="item_id")
    if item.status not in (S.SIGNED, S.IN_PROGRESS, S.STAGE_DONE, S.CLOSURE_ASKED, S.VERIFIED):
        raise Refused(f"该事项{item.get_status_display()}，不能报送整改报告", field="item_id")
    text = _text(text, "text", "整改报告")
    evidence = _text(evidence, "evidence", "佐证材料", required=False)
    lead = item.units.select_related("unit").get(role=ItemUnit.Role.LEAD)
    with transaction.atomic():
        transition(item, expect=[item.status], field="item_id")  # a concurrent change loses here
        report = ProgressReport.objects.create(item=item, unit_id=lead.unit_id, kind=ProgressReport.Kind.RECTIFICATION,
                                               text=text, evidence=evidence, reported_on=on, reported_by=actor)
        told = {p.pk: p for p in (org.acting_for_code(item.government, "district_head", on),
                                  org.leader_of_unit(lead.unit, on)) if p is not None}
        for person in told.values():
            notify.send(person=person, kind="info", title=f"{lead.unit.name}报送整改报告：{item.title}",
                        msg="supervision.rectification",
                        params={"unit": lead.unit.name, "title": item.title, "body_msg": "recorded", "text": text[:200]},
                        body=text[:200], link=f"/supervision/{item.pk}/", key=f"supervision:rectify:{report.pk}:{person.pk}")
        _audit(actor, item, "supervision.item.rectification_report", "R40.rectification_report",
               "向区政府报送整改报告", on=on, after={"report": report.pk, "told": sorted(told)})
    return report


def item_request_closure(*, actor: Person, item_id, text, evidence: str = "", mechanism: str = "",
                         on: dt.date | None = None) -> SupervisionItem:
    on = on or rules.today()
    item = access.item_for_lead(actor, item_id, on=on)
    text = _text(text, "report", "办结情况", required=False)
    evidence = _text(evidence, "evidence", "佐证材料", required=False)
    mechanism = _text(mechanism, "mechanism", "长效机制", required=False)
    rules.enforce("supervision.completion", CompletionFacts(source=item.source, mechanism=mechanism, report=text), on=on)
    with transaction.atomic():
        was = item.status
        transition(item, expect=[S.SIGNED, S.IN_PROGRESS, S.STAGE_DONE], to=S.CLOSURE_ASKED, closure_asked_on=on,
                   mechanism=mechanism, field="item_id")
        lead = item.units.select_related("unit").get(role=ItemUnit.Role.LEAD)
        ProgressReport.objects.create(item=item, unit_id=lead.unit_id, kind=ProgressReport.Kind.COMPLETION,
                                      text=text, evidence=evidence, reported_on=on, reported_by=actor)
        # 核查 is a step of the engine: the 督查指挥中心主任's 待办, reminded and escalated like any step
        approval = wf.approval_start(actor=actor, route_id=VERIFY_ROUTE, obj_type=OBJ, obj_id=str(item.pk),
                                     title=f"核查：{item.number} {item.title}", applicant_unit=lead.unit, on=on)
        transition(item, expect=[S.CLOSURE_ASKED], approval=approval)
        again = item.concluded_passed is False  # after a 核查不通过: the rectified item is checked again
        _audit(actor, item, "supervision.item.request_closure", "R45.mechanism",
               "整改后再次申请办结，待再次核查" if again else "申请办结", on=on,
               before={"status": was}, after={"status": item.status, "mechanism": mechanism, "recheck": again})
    return item


# ---- the 督查指挥中心's steps ---------------------------------------------------------------------

def _center_people(item: SupervisionItem, on: dt.date) -> list[Person]:
    pos = org.position_by_code(item.government, access.CENTER_POSITION)
    person = org.acting_for(pos, on) if pos else None
    return [person] if person else []


def item_verify(*, actor: Person, item_id, passed: bool, note, on: dt.date | None = None) -> SupervisionItem:
    """核查 (the open step of route supervision.verification, completed through the engine, so the inbox,
    this page, the API and the CLI all check who holds it): passed, the item waits for 销号; not
    passed, it goes back to the lead unit to rectify (整改)."""
    from zhengwu.workflow.models import Task

    on = on or rules.today()
    item = access.item_for_center(actor, item_id, on=on)
    if not isinstance(passed, bool):
        raise Refused("核查结论须为通过或不通过", field="passed")
    note = _text(note, "note", "核查意见")
    task = (Task.objects.filter(approval_id=item.approval_id, approval__route_id=VERIFY_ROUTE, kind=Task.Kind.STEP,
                                status=Task.Status.OPEN).order_by("id").first() if item.approval_id else None)
    if item.status != S.CLOSURE_ASKED or task is None:
        raise Conflict(f"该事项{item.get_status_display()}，没有待核查的办结申请", field="item_id")
    wf.task_complete(actor=actor, task_id=task.pk, decision=rules.choice_for(task.choices, passed, on),
                     opinion=note, on=on)
    item.refresh_from_db()
    return item


def on_verification_finished(approval, actor, on) -> None:
    """The 核查 step done (from the inbox or item_verify), in the engine's transaction."""
    from zhengwu.workflow.models import Task

    item = SupervisionItem.objects.filter(pk=int(approval.obj_id)).first()
    last = approval.tasks.filter(status=Task.Status.DONE, kind=Task.Kind.STEP).order_by("-id").first()
    if item is None or last is None:
        return
    passed, note = rules.approves(last.decision, on), (last.opinion or last.decision).strip()
    concluded = {"concluded_on": on, "concluded_by": actor, "concluded_passed": passed}
    if passed:
        transition(item, expect=[S.CLOSURE_ASKED], to=S.VERIFIED, versioned=False, verified_on=on,
                   verified_by=actor, verify_note=note, field="item_id", **concluded)
    else:
        transition(item, expect=[S.CLOSURE_ASKED], to=S.IN_PROGRESS, versioned=False, verify_note=note,
                   field="item_id", **concluded)
        lead = item.units.select_related("head").get(role=ItemUnit.Role.LEAD)
        notify.send(person=lead.head, kind="info", title=f"核查未通过，请整改：{item.title}", body=note,
                    msg="supervision.rework", params={"title": item.title},
                    link=f"/supervision/{item.pk}/", key=f"supervision:rework:{item.pk}:{last.pk}")
    rounds = approval.__class__.objects.filter(obj_type=OBJ, obj_id=approval.obj_id, route_id=VERIFY_ROUTE).count()
    what = "核查" + ("通过" if passed else "未通过，退回牵头单位整改")
    _audit(actor, item, "supervision.item.verify", VERIFY_ROUTE, what if rounds == 1 else f"第{rounds}次核查：{what}",
           on=on, before={"status": S.CLOSURE_ASKED}, after={"status": item.status, "note": note, "round": rounds})


def item_close(*, actor: Person, item_id, on: dt.date | None = None) -> SupervisionItem:
    """销号: only an item the 督查指挥中心 has verified."""
    on = on or rules.today()
    item = access.item_visible(actor, item_id, on=on)
    reported = item.reports.filter(kind=ProgressReport.Kind.RECTIFICATION).exists()
    rules.enforce("supervision.closure", ClosureFacts(status=item.status, verified=item.status == S.VERIFIED,
                                                      by_center=access.is_center(actor, on), source=item.source,
                                                      rectification_reported=reported), on=on)
    with transaction.atomic():
        transition(item, expect=[S.VERIFIED], to=S.CLOSED, closed_on=on, field="item_id")
        _audit(actor, item, "supervision.item.close", "R50.verify_before_close", "销号", on=on,
               before={"status": S.VERIFIED}, after={"status": item.status})
    return item


def item_suspend(*, actor: Person, item_id, reason, on: dt.date | None = None) -> SupervisionItem:
    on = on or rules.today()
    item = access.item_for_center(actor, item_id, on=on)
    reason = _text(reason, "reason", "中止理由")
    with transaction.atomic():
        was = item.status
        transition(item, expect=[S.DRAFT, S.RETURNED, *OPEN], to=S.SUSPENDED, reason=reason, field="item_id")
        _audit(actor, item, "supervision.item.suspend", "R49.source", "中止督查", on=on, before={"status": was},
               after={"status": item.status, "reason": reason})
    return item


# ---- 延期 ---------------------------------------------------------------------------------------

def extension_request(*, actor: Person, item_id, new_due_on, reason, on: dt.date | None = None) -> Extension:
    on = on or rules.today()
    item = access.item_for_lead(actor, item_id, on=on)
    if item.status not in WITH_UNIT or item.due_on is None:
        raise Refused(f"该事项{item.get_status_display()}，不能申请延期", field="item_id")
    new_due = _date(new_due_on, "new_due_on", "申请期限")
    reason = _text(reason, "reason", "延期理由", required=False)
    rules.enforce("supervision.extension", ExtensionFacts(due_on=item.due_on, asked_on=on, new_due_on=new_due,
                                                          reason=reason), on=on)
    with transaction.atomic():
        try:
            with transaction.atomic():
                ext = Extension.objects.create(item=item, asked_on=on, asked_by=actor, reason=reason,
                                               old_due_on=item.due_on, new_due_on=new_due)
        except IntegrityError:
            raise Conflict("该事项已有待审批的延期申请", field="item_id") from None
        for person in _center_people(item, on):
            notify.send(person=person, kind="info", title=f"申请延期，请审批：{item.title}",
                        msg="supervision.extension_asked", params={"title": item.title},
                        body=f"申请延期至{new_due.isoformat()}：{reason}", link=f"/supervision/{item.pk}/",
                        key=f"supervision:extension:{ext.pk}")
        _audit(actor, item, "supervision.extension.request", "R50.extension_in_time", "申请延期", on=on,
               after={"extension": ext.pk, "new_due_on": new_due.isoformat(), "reason": reason})
    return ext


def extension_decide(*, actor: Person, extension_id, approve: bool, on: dt.date | None = None) -> Extension:
    on = on or rules.today()
    pk = id_field(extension_id, "extension_id", "延期申请")
    ext = Extension.objects.select_related("item").filter(pk=pk).first()
    if ext is None:
        raise Refused(f"延期申请{pk}不存在", field="extension_id")
    item = access.item_for_center(actor, ext.item_id, on=on)
    if not isinstance(approve, bool):
        raise Refused("审批结论须为同意或不同意", field="approve")
    with transaction.atomic():
        transition(ext, expect=[Extension.Status.PENDING],
                   to=Extension.Status.APPROVED if approve else Extension.Status.REFUSED,
                   decided_on=on, decided_by=actor, field="extension_id")
        if approve:
            transition(item, expect=list(WITH_UNIT), due_on=ext.new_due_on, listed_on=None, field="item_id")
        asker = ext.asked_by
        notify.send(person=asker, kind="info", title=f"延期申请{'已批准' if approve else '未批准'}：{item.title}",
                    msg="supervision.extension_approved" if approve else "supervision.extension_refused",
                    params={"title": item.title},
                    body=f"期限{(ext.new_due_on if approve else ext.old_due_on).isoformat()}",
                    link=f"/supervision/{item.pk}/", key=f"supervision:extension-decided:{ext.pk}")
        _audit(actor, item, "supervision.extension.decide", "R50.extension_in_time",
               "批准延期" if approve else "不批准延期", on=on,
               after={"extension": ext.pk, "approved": approve, "due_on": item.due_on.isoformat() if item.due_on else None})
    return ext


# ---- 复核 (政府督查工作条例 art. 17) -------------------------------------------------------------

def review_request(*, actor: Person, item_id, reason, on: dt.date | None = None) -> Review:
    """The lead unit objects to the last 核查 conclusion that its item is not done (不通过), within
    supervision.review_request_days of it (R50.review); the 复核 is due supervision.review_decide_days
    after the request. The item stays with the unit meanwhile."""
    on = on or rules.today()
    item = access.item_for_lead(actor, item_id, on=on)
    reason = _text(reason, "reason", "异议理由", required=False)
    concluded = item.concluded_on if item.concluded_passed is False else None
    rules.enforce("supervision.review", ReviewFacts(concluded_on=concluded, asked_on=on, reason=reason), on=on)
    if item.status not in WITH_UNIT:
        raise Refused(f"该事项{item.get_status_display()}，不能申请复核", field="item_id")
    due = on + dt.timedelta(days=int(rules.param("supervision.review_decide_days", on)))
    with transaction.atomic():
        try:
            with transaction.atomic():
                review = Review.objects.create(item=item, concluded_on=item.concluded_on, concluded_by=item.concluded_by,
                                               conclusion=item.verify_note, asked_on=on, asked_by=actor, reason=reason,
                                               due_on=due)
        except IntegrityError:
            raise Conflict("已对该核查结论申请过复核", field="item_id") from None
        for person in _review_deciders(item, on):
            notify.send(person=person, kind="info", title=f"申请复核，请在{due.isoformat()}前作出复核决定：{item.title}",
                        msg="supervision.review_asked", params={"title": item.title, "due": due.isoformat()},
                        body=reason[:200], link=f"/supervision/{item.pk}/", key=f"supervision:review:{review.pk}:{person.pk}")
        _audit(actor, item, "supervision.review.request", "R50.review", "对核查结论申请复核", on=on,
               after={"review": review.pk, "concluded_on": item.concluded_on.isoformat(), "due_on": due.isoformat(),
                      "reason": reason})
    return review


def _review_deciders(item: SupervisionItem, on: dt.date) -> list[Person]:
    """Who may decide a 复核: the 督查指挥中心's people and its 分管 leader, except whoever concluded."""
    people = [*_center_people(item, on), org.leader_of_unit(item.supervising_unit, on)]
    out = {p.pk: p for p in people if p is not None and p.pk != item.concluded_by_id}
    return list(out.values())


def may_decide_review(actor: Person, item: SupervisionItem, on: dt.date) -> bool:
    leader = org.leader_of_unit(item.supervising_unit, on)
    return access.is_center(actor, on) or (leader is not None and leader.pk == actor.pk)


def review_decide(*, actor: Person, review_id, overturn: bool, note, on: dt.date | None = None) -> Review:
    """复核决定 by the 督查指挥中心 or its 分管 leader, never by whoever made the conclusion (R50.review):
    upheld, the item stays with the unit to rectify; overturned, the 核查 passes and the item waits for 销号."""
    on = on or rules.today()
    pk = id_field(review_id, "review_id", "复核申请")
    review = Review.objects.select_related("item").filter(pk=pk).first()
    if review is None:
        raise Refused(f"复核申请{pk}不存在", field="review_id")
    item = SupervisionItem.objects.select_related("supervising_unit").filter(
        pk=review.item_id, government_id=getattr(actor, "government_id", None)).first()
    if item is None or not may_decide_review(actor, item, on):
        raise Forbidden("复核决定由区督查指挥中心或其分管领导作出")
    if not isinstance(overturn, bool):
        raise Refused("复核决定须为维持或撤销核查结论", field="overturn")
    note = _text(note, "note", "复核意见")
    rules.enforce("supervision.review", ReviewFacts(concluded_on=review.concluded_on, asked_on=review.asked_on,
                                                    reason=review.reason, deciding=True,
                                                    decider_made_conclusion=review.concluded_by_id == actor.pk), on=on)
    with transaction.atomic():
        transition(review, expect=[Review.Status.PENDING],
                   to=Review.Status.OVERTURNED if overturn else Review.Status.UPHELD,
                   decided_on=on, decided_by=actor, note=note, field="review_id")
        if overturn:
            transition(item, expect=list(WITH_UNIT), to=S.VERIFIED, verified_on=on, verified_by=actor,
                       verify_note=f"复核撤销原核查结论：{note}", concluded_passed=True, field="item_id")
        notify.send(person=review.asked_by, kind="info",
                    title=f"复核决定：{'撤销核查结论' if overturn else '维持核查结论'}：{item.title}", body=note[:200],
                    msg="supervision.review_overturned" if overturn else "supervision.review_upheld",
                    params={"title": item.title},
                    link=f"/supervision/{item.pk}/", key=f"supervision:review-decided:{review.pk}")
        _audit(actor, item, "supervision.review.decide", "R50.review",
               "复核撤销核查结论" if overturn else "复核维持核查结论", on=on,
               after={"review": review.pk, "overturned": overturn, "late": on > review.due_on, "note": note})
    return review


# ---- 表扬、问责建议 (art. 51; 政府督查工作条例 art. 21) ---------------------------------------------

def _district_head_holder(government, on: dt.date) -> Person | None:
    pos = org.position_by_code(government, "district_head")
    if pos is None:
        return None
    holder, _acting = org.holder_and_acting(pos, on)
    return holder


def accountability_propose(*, actor: Person, unit_id, year, kind, reasons,
                           on: dt.date | None = None) -> AccountabilityProposal:
    """A 表扬 or 问责 proposal for a unit and year, drafted by the 督查指挥中心 on the unit's scores
    (R51.proposal) and sent to the 区长 for approval (route supervision.accountability)."""
    from . import selectors

    on = on or rules.today()
    access.require_center(actor, on)
    unit = _unit(actor.government, unit_id, "unit_id")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise Refused("考评年度须为年份", field="year") from None
    if not 2000 <= year <= on.year:
        raise Refused(f"考评年度须在2000至{on.year}年之间", field="year")
    reasons = _text(reasons, "reasons", "事实和理由", required=False)
    kind = kind if isinstance(kind, str) else ""
    scores = next((r for r in selectors.performance(access.visible_items(actor, on=on), year, on)
                   if r["unit_id"] == unit.pk), None)
    rules.enforce("supervision.accountability", AccountabilityFacts(
        kind=kind, unit=unit.name, year=year, reasons=reasons, by_center=access.is_center(actor, on),
        items=scores["items"] if scores else 0), on=on)
    label = rules.param("supervision.accountability_kinds", on)[kind]
    with transaction.atomic():
        try:
            with transaction.atomic():
                proposal = AccountabilityProposal.objects.create(
                    government=actor.government, unit=unit, year=year, kind=kind, reasons=reasons,
                    scores=scores or {}, drafted_on=on, drafted_by=actor)
        except IntegrityError:
            raise Conflict(f"{unit.name}{year}年度已有待审批的{label}", field="unit_id") from None
        approval = wf.approval_start(actor=actor, route_id=ACCOUNTABILITY_ROUTE, obj_type=ACCOUNTABILITY_OBJ,
                                     obj_id=str(proposal.pk), title=f"{unit.name}{year}年度{label}",
                                     applicant_unit=_center_unit(actor, on), on=on)
        transition(proposal, expect=[AccountabilityProposal.Status.PENDING], approval=approval)
        audit_append(actor=actor, action="supervision.accountability.propose", obj_type=ACCOUNTABILITY_OBJ,
                     obj_id=str(proposal.pk), article=rules.article_of("R51.proposal", on),
                     summary=f"提出{label}：{unit.name}{year}年度",
                     after={"unit": unit.pk, "year": year, "kind": kind, "score": (scores or {}).get("score")})
    return proposal


def accountability_guard(approval, task, actor, decision, opinion, on):
    """The 区长's step, whichever door completes it (inbox, API, CLI, the proposal's page): only the
    holder of the 区长's post decides (R51.head_decides; the engine's own step already refuses others)."""
    proposal = AccountabilityProposal.objects.filter(pk=int(approval.obj_id)).select_related("unit").first()
    head = _district_head_holder(actor.government, on) if getattr(actor, "government_id", None) else None
    found = rules.check("supervision.accountability", AccountabilityFacts(
        kind=proposal.kind if proposal else "", unit=proposal.unit.name if proposal else "",
        year=proposal.year if proposal else 0, deciding=True,
        decider_is_district_head=head is not None and head.pk == actor.pk), on=on)
    blocks = [v for v in found if v.blocks]
    if blocks:  # the wrong person: 403 at every door, citing art. 51
        refusal = Forbidden(blocks[0].message)
        refusal.violations, refusal.field = found, blocks[0].field
        raise refusal
    return found


def accountability_decide(*, actor: Person, proposal_id, approve, opinion, on: dt.date | None = None):
    """The 区长's decision from the proposal's page or the API: completes the open step through the
    engine (the same guard as the inbox)."""
    from zhengwu.workflow.models import Task

    on = on or rules.today()
    pk = id_field(proposal_id, "proposal_id", "表扬问责建议")
    proposal = AccountabilityProposal.objects.filter(pk=pk, government_id=getattr(actor, "government_id", None)).first()
    if proposal is None:
        raise NotFound(f"表扬问责建议{pk}不存在", field="proposal_id")
    if not isinstance(approve, bool):
        raise Refused("审批结论须为同意或不同意", field="approve")
    opinion = _text(opinion, "opinion", "审批意见", required=False)
    task = (Task.objects.filter(approval_id=proposal.approval_id, kind=Task.Kind.STEP, status=Task.Status.OPEN)
            .order_by("id").first() if proposal.approval_id else None)
    if proposal.status != AccountabilityProposal.Status.PENDING or task is None:
        raise Conflict(f"该建议{proposal.get_status_display()}，没有待审批的步骤", field="proposal_id")
    wf.task_complete(actor=actor, task_id=task.pk, decision=rules.choice_for(task.choices, approve, on),
                     opinion=opinion or ("同意" if approve else "不同意"), on=on)
    proposal.refresh_from_db()
    return proposal


def on_accountability_finished(approval, actor, on) -> None:
    """The 区长's 审批 done (in the engine's transaction): 同意 approves the proposal, else refused."""
    from zhengwu.workflow.models import Task

    proposal = AccountabilityProposal.objects.filter(pk=int(approval.obj_id)).select_related("unit").first()
    last = approval.tasks.filter(status=Task.Status.DONE, kind=Task.Kind.STEP).order_by("-id").first()
    if proposal is None or last is None:
        return
    granted = rules.approves(last.decision, on)
    St = AccountabilityProposal.Status
    transition(proposal, expect=[St.PENDING], to=St.APPROVED if granted else St.REFUSED, versioned=False,
               decided_on=on, decided_by=actor, opinion=(last.opinion or last.decision).strip(), field="proposal_id")
    notify.send(person=proposal.drafted_by, kind="info",
                title=f"区长{'批准' if granted else '未批准'}{proposal}", body=proposal.opinion[:200],
                link=f"/supervision/accountability/{proposal.pk}/", key=f"supervision:accountability:{proposal.pk}")
    audit_append(actor=actor, action="supervision.accountability.decide", obj_type=ACCOUNTABILITY_OBJ,
                 obj_id=str(proposal.pk), article=rules.article_of(ACCOUNTABILITY_ROUTE, on),
                 summary=f"区长{'批准' if granted else '不批准'}{proposal}",
                 before={"status": St.PENDING}, after={"status": proposal.status, "opinion": proposal.opinion})
