"""Writes of the 三重一大 dossiers (art. 13, 28–32, 76–77). The only writers: each validates its
input (Refused naming the field), judges the facts with the rulebook, writes and audits in one
transaction; bad input leaves nothing written.

Assembling a dossier (its proposing unit, or the 区政府办公室):
    dossier_create(*, actor, data: dict, on=None) -> MajorDecision
    dossier_update(*, actor, dossier_id, data: dict, version=None, on=None) -> MajorDecision
    procedure_record(*, actor, dossier_id, step, done_on, evidence, legality_reviewer=None, on=None) -> ProcedureRecord
    procedure_remove(*, actor, dossier_id, step, on=None) -> None
    consultation_ask(*, actor, dossier_id, unit_id, asked_on, on=None) -> Consultation
    consultation_reply(*, actor, consultation_id, reply, replied_on, on=None) -> Consultation

The meeting (called by zhengwu.meetings inside its own transaction; the office or a leader acts):
    dossier_place_on_agenda(*, actor, dossier_id, meeting_type, meeting_id, on) -> MajorDecision
        refuses (Refused with every violation, citing art. 13/28/29/30) unless the dossier is ready;
        sets status on_agenda.
    dossier_decide(*, actor, dossier_id, outcome, conditions="", meeting_id=None, decided_on=None,
                   speaking_order=()) -> MajorDecision
        outcome one of decisions.outcomes (通过 / 原则通过 / 暂缓 / 不通过), taken by the meeting after
        its members spoke, the chair last (art. 28's 集体讨论决定, art. 29's 末位表态). An approved matter the 区委
        (art. 76) or the 区人大 (art. 77) must decide is escalated: an Escalation per body and a
        workflow task for the office to submit it; otherwise implementation tracking and the
        evaluation reminder start (art. 30, 32) as workflow tasks `zhengwu tick` reminds on.

After the meeting:
    escalation_submit(*, actor, dossier_id, body, reference, submitted_on=None, on=None) -> Escalation
        only the 区政府 (its office) submits to the 区委 (R76.no_direct_submission), after the meeting's
        approval (R76.prior_approval).
    escalation_record_result(*, actor, dossier_id, body, agreed, result, decided_on, on=None) -> Escalation
        the 区委's agreement starts the office's feedback task (art. 76(四), route
        decisions.feedback_party_committee), done with followup_report(step="feedback").
    committee_report_record(*, actor, dossier_id, reference, reported_on=None, on=None) -> MajorDecision
        art. 76(二): the office records the report to the 区委 of a matter the 区政府 decided and
        marked report_to_committee (the task of decisions.report_party_committee, started at the decision).
    followup_report(*, actor, dossier_id, step, note, on=None) -> MajorDecision
        completes the actor's open follow-up task (step "implement", "evaluate" or "feedback"); the same happens
        when the task is done from the inbox (workflow hook).

Reads are in selectors.py (dossier_facts, readiness, missing_steps, decisions_export).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Conflict, Forbidden, NotFound, Refused, refuse_if_blocking
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook.facts import FactsError
from zhengwu.rulebook.calendar import CalendarError, parse_date
from zhengwu.rulebook.rules.decisions import (PARTY_COMMITTEE, REPORT, DecisionFacts, EscalationFacts, ReportFacts,
                                              escalation_bodies)
from zhengwu.rulebook.rules.meetings import DeliberationFacts
from zhengwu.transitions import transition, set_once
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task
from zhengwu.security.admins import refuse_business

from . import access, followups, selectors
from .models import AffectedUnit, Consultation, Escalation, MajorDecision, ProcedureRecord

Status = MajorDecision.Status
OBJ = selectors.OBJ
EDITABLE = (Status.ASSEMBLING, Status.READY, Status.DEFERRED)
PLACEABLE = (Status.ASSEMBLING, Status.READY, Status.DEFERRED, Status.ON_AGENDA)
OFFICE_UNIT_KIND = access.OFFICE_UNIT_KIND

TEXT_FIELDS = {  # field: (label, max length)
    "title": ("事项名称", 200), "summary": ("事项概要", 4000), "research_ref": ("调研材料", 200),
    "unit_collective_discussion_ref": ("本单位集体讨论记录", 200), "evaluated_by": ("评估论证机构", 100),
    "stability_ref": ("社会稳定风险评估材料", 200), "hearing_ref": ("听证记录", 200),
}
BOOL_FIELDS = ("proposed_by_department", "research_done", "public_interest", "stability_risk_assessment",
               "hearing_held", "report_to_committee")
CODE_FIELDS = {  # field: (label, rulebook parameter, blank allowed)
    "matter_type": ("事项类型", "decisions.dossier_types", False),
    "legality_reviewer": ("合法性审查者", "decisions.legality_reviewers", True),
    "meeting_type": ("提交会议", "meetings.types", False),
    "committee_matter": ("报区委常委会事项类别", "affairs.party_committee_matters", True),
    "congress_matter": ("提请区人大事项类别", "decisions.congress_matters", True),
    "org_rank": ("涉及机构级别", "affairs.org_ranks", True),
}
KNOWN = set(TEXT_FIELDS) | set(BOOL_FIELDS) | set(CODE_FIELDS) | {
    "amount_yuan", "proposing_unit_id", "implementation_lead_id", "submitted_on", "evaluations", "affected_unit_ids"}


# ---- input ---------------------------------------------------------------------------------

def _date(value: Any, field: str, label: str) -> dt.date:
    if value in (None, ""):
        raise Refused(f"请填写{label}", field=field)
    try:
        return parse_date(value, field=field, label=label)
    except CalendarError as e:
        raise Refused(str(e), field=field) from None


def _not_future(day: dt.date, on: dt.date, field: str, label: str) -> dt.date:
    if day > on:
        raise Refused(f"{label}{day.isoformat()}晚于今天（{on.isoformat()}），尚未发生的事项不能登记", field=field)
    return day


def _text(value: Any, field: str, label: str, *, required: bool = False, max_length: int = 200) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Refused(f"{label}须为文字", field=field)
    value = value.strip()
    if required and not value:
        raise Refused(f"请填写{label}", field=field)
    if len(value) > max_length:
        raise Refused(f"{label}不能超过{max_length}字", field=field)
    return value


def _unit(gov, value: Any, field: str, label: str) -> Unit | None:
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Refused(f"{label}须为单位编号", field=field) from None
    unit = Unit.objects.filter(government=gov, pk=pk, active=True).first()
    if unit is None:
        raise Refused(f"{label}：单位{pk}不存在", field=field)
    return unit


def _clean(actor: Person, gov, data: dict, *, on: dt.date, current: MajorDecision | None) -> dict:
    """Validate a create/update payload; return model field values (and `affected_units`)."""
    if not isinstance(data, dict):
        raise Refused("请求内容须为对象", field="data")
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise Refused(f"未知字段“{unknown[0]}”", field=unknown[0])
    out: dict[str, Any] = {}
    creating = current is None
    for field, (label, length) in TEXT_FIELDS.items():
        if field in data or (creating and field == "title"):
            out[field] = _text(data.get(field), field, label, required=field == "title", max_length=length)
    for field in BOOL_FIELDS:
        if field in data:
            if not isinstance(data[field], bool):
                raise Refused(f"{field}须为 true 或 false", field=field)
            out[field] = data[field]
    for field, (label, name, blank) in CODE_FIELDS.items():
        if field not in data and not (creating and field == "matter_type"):
            continue
        value = data.get(field) or ""
        if not isinstance(value, str):
            raise Refused(f"{label}须为代码", field=field)
        allowed = rules.param(name, on)
        if not (blank and value == "") and value not in allowed:
            names = allowed.values() if isinstance(allowed, dict) else allowed
            raise Refused(f"{label}“{value}”无效，须为{'、'.join(names)}之一", field=field)
        out[field] = value
    if "amount_yuan" in data:
        amount = data["amount_yuan"]
        if amount in (None, ""):
            out["amount_yuan"] = None
        elif isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise Refused("金额须为不小于0的整数（元）", field="amount_yuan")
        else:
            out["amount_yuan"] = amount
    matter = out.get("matter_type", current.matter_type if current else "")
    amount = out.get("amount_yuan", current.amount_yuan if current else None)
    if matter == "large_fund" and amount is None:
        raise Refused("大额资金使用事项须填写金额（元）", field="amount_yuan")
    if "evaluations" in data:
        aspects = rules.param("decisions.evaluation_aspects", on)
        values = data["evaluations"] or []
        if not isinstance(values, (list, tuple)) or any(v not in aspects for v in values):
            raise Refused(f"评估论证方面须为{'、'.join(aspects)}中的代码", field="evaluations")
        out["evaluations"] = [c for c in aspects if c in values]
    if "submitted_on" in data:
        out["submitted_on"] = (None if data["submitted_on"] in (None, "") else
                               _not_future(_date(data["submitted_on"], "submitted_on", "提请日期"), on,
                                           "submitted_on", "提请日期"))
    if "proposing_unit_id" in data:
        if not creating:
            raise Refused("提请单位不能更改", field="proposing_unit_id")
        unit = _unit(gov, data["proposing_unit_id"], "proposing_unit_id", "提请单位")
        out["proposing_unit"] = unit
    if creating:
        unit = out.get("proposing_unit")
        if not access.may_propose_for(actor, unit, on=on):
            raise Forbidden("只能以本单位名义提请（区政府自身的事项由区政府办公室建立）")
        out.setdefault("proposed_by_department", unit is not None and unit.kind != OFFICE_UNIT_KIND)
    if "implementation_lead_id" in data:
        out["implementation_lead"] = _unit(gov, data["implementation_lead_id"], "implementation_lead_id", "牵头落实单位")
    if "affected_unit_ids" in data:
        ids = data["affected_unit_ids"] or []
        if not isinstance(ids, (list, tuple)):
            raise Refused("涉及单位须为单位编号列表", field="affected_unit_ids")
        units = []
        for v in ids:
            u = _unit(gov, v, "affected_unit_ids", "涉及单位")
            if u.pk not in {x.pk for x in units}:
                units.append(u)
        out["affected_units"] = units
    return out


# ---- state ---------------------------------------------------------------------------------

def _settle(dossier: MajorDecision, on: dt.date) -> None:
    """After a change to what it holds, an assembling dossier becomes ready (and back)."""
    if dossier.status not in (Status.ASSEMBLING, Status.READY):
        return
    try:
        ready = selectors.is_ready(dossier, on=on)
    except FactsError:
        ready = False
    want = Status.READY if ready else Status.ASSEMBLING
    if want != dossier.status:
        transition(dossier, expect=[dossier.status], to=want)


def _brief(d: MajorDecision) -> dict:
    return {"title": d.title, "matter_type": d.matter_type, "status": d.status, "amount_yuan": d.amount_yuan,
            "proposing_unit": d.proposing_unit_id, "meeting_type": d.meeting_type}


# ---- assembling ----------------------------------------------------------------------------

def dossier_create(*, actor: Person, data: dict, on: dt.date | None = None) -> MajorDecision:
    """Open a 三重一大 dossier (卷宗) in the name of the actor's unit, or the government's own."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    gov = actor.government
    if gov is None:
        raise Forbidden("该用户不属于任何区政府")
    values = _clean(actor, gov, data, on=on, current=None)
    affected = values.pop("affected_units", [])
    with transaction.atomic():
        dossier = MajorDecision.objects.create(government=gov, created_by=actor, **values)
        for u in affected:
            AffectedUnit.objects.create(dossier=dossier, unit=u)
        _settle(dossier, on)
        audit_append(actor=actor, action="decisions.dossier.create", obj_type=OBJ, obj_id=str(dossier.pk),
                     after={**_brief(dossier), "affected_units": [u.pk for u in affected]},
                     article=rules.article_of("R29.meeting", on),
                     summary=f"建立“三重一大”事项：{dossier.title}")
    return dossier


def dossier_update(*, actor: Person, dossier_id, data: dict, version: int | None = None,
                   on: dt.date | None = None) -> MajorDecision:
    on = on or rules.today()
    dossier = access.dossier_for_edit(actor, dossier_id, on=on)
    if dossier.status not in EDITABLE:
        raise Refused(f"该事项状态为“{dossier.get_status_display()}”，不能再修改", field="dossier_id", status=409)
    if version is not None and version != dossier.version:
        raise Conflict("该事项已被他人修改，请刷新后再改")
    values = _clean(actor, dossier.government, data, on=on, current=dossier)
    affected = values.pop("affected_units", None)
    before = _brief(dossier)
    with transaction.atomic():
        if values:
            transition(dossier, expect=EDITABLE, **values)
        if affected is not None:
            AffectedUnit.objects.filter(dossier=dossier).exclude(unit__in=affected).delete()
            have = set(AffectedUnit.objects.filter(dossier=dossier).values_list("unit_id", flat=True))
            for u in affected:
                if u.pk not in have:
                    AffectedUnit.objects.create(dossier=dossier, unit=u)
        _settle(dossier, on)
        after = {k: (v.pk if isinstance(v, Unit) else v) for k, v in values.items()}
        if affected is not None:
            after["affected_units"] = [u.pk for u in affected]
        audit_append(actor=actor, action="decisions.dossier.update", obj_type=OBJ, obj_id=str(dossier.pk),
                     before=before, after={**after, "status": dossier.status},
                     article=rules.article_of("R30.department", on),
                     summary=f"修改“三重一大”事项：{dossier.title}")
    return dossier


def procedure_record(*, actor: Person, dossier_id, step: str, done_on, evidence: str,
                     legality_reviewer: str | None = None, on: dt.date | None = None) -> ProcedureRecord:
    """Record one of the mandatory procedures of art. 28 as done, with its date and evidence."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    dossier = access.dossier_for_edit(actor, dossier_id, on=on)
    if dossier.status not in EDITABLE:
        raise Refused(f"该事项状态为“{dossier.get_status_display()}”，不能再登记程序", field="dossier_id", status=409)
    required = rules.param("decisions.required_steps", on)
    labels = rules.param("decisions.step_labels", on)
    if step not in required:
        raise Refused(f"“{step or ''}”不是“三重一大”事项决策的必经程序（{'、'.join(labels.get(c, c) for c in required)}）"
                      f"{rules.book(on).cite(28)}", field="step")
    if step in rules.param("decisions.meeting_steps", on):
        raise Refused(f"{labels.get(step, step)}是作出决定的区政府常务会议本身的程序，在会议讨论决定时履行并记录，"
                      f"不能事先登记{rules.book(on).cite(28)}", field="step")
    day = _not_future(_date(done_on, "done_on", "完成日期"), on, "done_on", "完成日期")
    evidence = _text(evidence, "evidence", "依据材料", required=True, max_length=2000)
    fields: dict[str, Any] = {}
    if legality_reviewer is not None:
        reviewers = rules.param("decisions.legality_reviewers", on)
        if step != "legality_review":
            raise Refused("只有合法性审查程序需要注明审查者", field="legality_reviewer")
        if legality_reviewer not in reviewers:
            raise Refused(f"合法性审查者须为{'、'.join(reviewers.values())}之一", field="legality_reviewer")
        fields["legality_reviewer"] = legality_reviewer
    existing = ProcedureRecord.objects.filter(dossier=dossier, step=step).first()
    if existing and (existing.done_on, existing.evidence) == (day, evidence) and (
            legality_reviewer is None or legality_reviewer == dossier.legality_reviewer):
        raise Refused(_recorded(existing, labels), field="step", status=409)  # a repeat, not a correction
    try:
        with transaction.atomic():
            # the dossier first, on the version read: of several recording at once exactly one goes on
            transition(dossier, expect=EDITABLE, field="step",
                       message=lambda fresh: _procedure_lost(fresh, step, labels), **fields)
            existing = ProcedureRecord.objects.filter(dossier=dossier, step=step).first()
            before = ({"step": step, "done_on": existing.done_on.isoformat(), "evidence": existing.evidence}
                      if existing else None)
            if existing:  # a correction of what was recorded (audited with what it was)
                existing.done_on, existing.evidence, existing.recorded_by = day, evidence, actor
                existing.save(update_fields=["done_on", "evidence", "recorded_by"])
                record = existing
            else:  # one per procedure (decisions_procedure_one_per_step)
                record = ProcedureRecord.objects.create(dossier=dossier, step=step, done_on=day, evidence=evidence,
                                                        recorded_by=actor)
            _settle(dossier, on)
            audit_append(actor=actor, action="decisions.procedure.record", obj_type=OBJ, obj_id=str(dossier.pk),
                         before=before,
                         after={"step": step, "done_on": day.isoformat(), "evidence": evidence, **fields},
                         article=rules.article_of("R28.procedures", on),
                         summary=f"登记{labels.get(step, step)}：{dossier.title}")
    except IntegrityError:  # the same procedure recorded at this very moment by someone else
        raise Conflict(_procedure_lost(None, step, labels, dossier_id=dossier.pk), field="step") from None
    return record


def _recorded(record: ProcedureRecord, labels: dict) -> str:
    return (f"{labels.get(record.step, record.step)}已于{record.done_on.isoformat()}登记（{record.recorded_by}），"
            f"不能重复登记；如需更正，请改填完成日期或依据材料")


def _procedure_lost(fresh: MajorDecision | None, step: str, labels: dict, *, dossier_id: int | None = None) -> str:
    """The loser's message: the procedure recorded by someone else meanwhile, or the dossier's state now."""
    pk = fresh.pk if fresh is not None else dossier_id
    record = ProcedureRecord.objects.select_related("recorded_by").filter(dossier_id=pk, step=step).first()
    if record is not None:
        return _recorded(record, labels)
    if fresh is None:
        return "该事项已被他人办理或修改，请刷新后查看"
    return f"该事项已被他人办理或修改（当前状态：{fresh.get_status_display()}），请刷新后查看"


def procedure_remove(*, actor: Person, dossier_id, step: str, on: dt.date | None = None) -> None:
    on = on or rules.today()
    dossier = access.dossier_for_edit(actor, dossier_id, on=on)
    if dossier.status not in EDITABLE:
        raise Refused(f"该事项状态为“{dossier.get_status_display()}”，不能撤销程序登记", field="dossier_id", status=409)
    record = ProcedureRecord.objects.filter(dossier=dossier, step=step).first()
    if record is None:
        raise NotFound("该程序尚未登记", field="step")
    with transaction.atomic():
        before = {"step": step, "done_on": record.done_on.isoformat(), "evidence": record.evidence}
        transition(dossier, expect=EDITABLE, field="step")
        if not ProcedureRecord.objects.filter(pk=record.pk).delete()[0]:
            raise Conflict("该程序登记已被他人撤销，请刷新后查看", field="step")
        _settle(dossier, on)
        audit_append(actor=actor, action="decisions.procedure.remove", obj_type=OBJ, obj_id=str(dossier.pk),
                     before=before, article=rules.article_of("R28.procedures", on),
                     summary=f"撤销程序登记：{dossier.title}")


def consultation_ask(*, actor: Person, dossier_id, unit_id, asked_on, on: dt.date | None = None) -> Consultation:
    """Record that a related department, town or street was asked for its views (art. 30)."""
    on = on or rules.today()
    dossier = access.dossier_for_edit(actor, dossier_id, on=on)
    if dossier.status not in EDITABLE:
        raise Refused(f"该事项状态为“{dossier.get_status_display()}”，不能再征求意见", field="dossier_id", status=409)
    unit = _unit(dossier.government, unit_id, "unit_id", "征求意见单位")
    if unit is None:
        raise Refused("请选择征求意见的单位", field="unit_id")
    if unit.pk == dossier.proposing_unit_id:
        raise Refused("提请单位不必征求自己的意见", field="unit_id")
    day = _not_future(_date(asked_on, "asked_on", "征求意见日期"), on, "asked_on", "征求意见日期")
    with transaction.atomic():
        c = Consultation.objects.create(dossier=dossier, unit=unit, asked_on=day, recorded_by=actor)
        AffectedUnit.objects.get_or_create(dossier=dossier, unit=unit)
        transition(dossier, expect=EDITABLE, field="dossier_id")
        _settle(dossier, on)
        audit_append(actor=actor, action="decisions.consultation.ask", obj_type=OBJ, obj_id=str(dossier.pk),
                     after={"consultation": c.pk, "unit": unit.pk, "asked_on": day.isoformat()},
                     article=rules.article_of("R30.consultation", day),
                     summary=f"征求{unit.name}意见：{dossier.title}")
    return c


def consultation_reply(*, actor: Person, consultation_id, reply: str, replied_on,
                       on: dt.date | None = None) -> Consultation:
    """Record a consulted unit's reply (art. 30)."""
    on = on or rules.today()
    try:
        cid = int(consultation_id)
    except (TypeError, ValueError):
        raise Refused("征求意见编号须为整数", field="consultation_id") from None
    c = Consultation.objects.select_related("unit").filter(pk=cid).first()
    if c is None:
        raise NotFound(f"征求意见记录{cid}不存在", field="consultation_id")
    dossier = access.dossier_for_edit(actor, c.dossier_id, on=on)
    if dossier.status not in EDITABLE:
        raise Refused(f"该事项状态为“{dossier.get_status_display()}”，不能再登记回复", field="consultation_id", status=409)
    reply = _text(reply, "reply", "回复意见", required=True, max_length=4000)
    day = _not_future(_date(replied_on, "replied_on", "回复日期"), on, "replied_on", "回复日期")
    if day < c.asked_on:
        raise Refused(f"回复日期{day.isoformat()}早于征求意见日期{c.asked_on.isoformat()}", field="replied_on")
    with transaction.atomic():
        before = {"reply": c.reply, "replied_on": c.replied_on.isoformat() if c.replied_on else None}
        c.reply, c.replied_on = reply, day
        c.save(update_fields=["reply", "replied_on"])
        transition(dossier, expect=EDITABLE, field="consultation_id")
        _settle(dossier, on)
        audit_append(actor=actor, action="decisions.consultation.reply", obj_type=OBJ, obj_id=str(dossier.pk),
                     before=before, after={"consultation": c.pk, "reply": reply, "replied_on": day.isoformat()},
                     article=rules.article_of("R30.consultation", day),
                     summary=f"登记{c.unit.name}回复意见：{dossier.title}")
    return c


# ---- the meeting ---------------------------------------------------------------------------

def dossier_place_on_agenda(*, actor: Person, dossier_id, meeting_type: str, meeting_id, on: dt.date) -> MajorDecision:
    """列入议题: only a dossier with every procedure of art. 28 (and, for a department's proposal,
    what art. 30 asks) may go on the agenda of a meeting that may decide it (art. 13, 29)."""
    on = on or rules.today()
    dossier = access.dossier_for_meeting(actor, dossier_id, on=on)
    if dossier.status not in PLACEABLE:
        raise Refused(f"该事项状态为“{dossier.get_status_display()}”，不能列入议题", field="dossier_id", status=409)
    if meeting_id is not None:
        try:
            meeting_id = int(meeting_id)
        except (TypeError, ValueError):
            raise Refused("会议编号须为整数", field="meeting_id") from None
    meeting_type = meeting_type or ""
    dossier.meeting_type = meeting_type  # judged as it would stand on that meeting's agenda
    try:
        facts = selectors.dossier_facts(dossier, on=on)
    except FactsError as e:
        raise Refused(str(e), field=e.field.removeprefix("facts.")) from None
    found = rules.check("decisions.dossier", facts, on=on)
    blocks = [v for v in found if v.blocks]
    if blocks:
        raise Refused(f"“{dossier.title}”尚不能列入会议议题（{len(blocks)}处问题）：{blocks[0].message}",
                      violations=found, field=blocks[0].field)
    with transaction.atomic():
        before = {"status": MajorDecision.objects.values_list("status", flat=True).get(pk=dossier.pk)}
        transition(dossier, expect=PLACEABLE, to=Status.ON_AGENDA, meeting_type=meeting_type,
                   agenda_meeting_id=meeting_id, placed_on=on, field="dossier_id")
        audit_append(actor=actor, action="decisions.dossier.agenda", obj_type=OBJ, obj_id=str(dossier.pk),
                     before=before, after={"status": Status.ON_AGENDA, "meeting_type": meeting_type,
                                           "meeting_id": meeting_id, "warnings": [v.rule_id for v in found]},
                     article=rules.article_of("R28.procedures", on), summary=f"列入会议议题：{dossier.title}")
    return dossier


def dossier_decide(*, actor: Person, dossier_id, outcome: str, conditions: str = "", meeting_id=None,
                   decided_on=None, speaking_order=()) -> MajorDecision:
    """The meeting's decision on a dossier on its agenda (art. 29); then escalation (art. 76, 77)
    or implementation tracking and the evaluation reminder (art. 30, 32).

    The decision is art. 28's 集体讨论决定: `speaking_order` is the meeting's record of the
    discussion of the item, (position code, is the chair) in order, as the meetings app holds it.
    A decision with no meeting, or that no member but the chair spoke on, is refused (art. 28), and
    so is one where the chair did not speak last (末位表态, art. 29)."""
    decided_on = _date(decided_on or rules.today(), "decided_on", "决定日期")
    on = decided_on
    dossier = access.dossier_for_meeting(actor, dossier_id, on=on)
    if dossier.status != Status.ON_AGENDA:
        raise Refused(f"该事项状态为“{dossier.get_status_display()}”，只有已列入议题的事项才能作出决定",
                      field="dossier_id", status=409)
    if meeting_id is not None:
        try:
            meeting_id = int(meeting_id)
        except (TypeError, ValueError):
            raise Refused("会议编号须为整数", field="meeting_id") from None
        if dossier.agenda_meeting_id and meeting_id != dossier.agenda_meeting_id:
            raise Refused(f"该事项列入的是会议{dossier.agenda_meeting_id}的议题，不能由会议{meeting_id}决定",
                          field="meeting_id")
    if dossier.placed_on and decided_on < dossier.placed_on:
        raise Refused(f"决定日期{decided_on.isoformat()}早于列入议题日期{dossier.placed_on.isoformat()}",
                      field="decided_on")
    conditions = _text(conditions, "conditions", "决定意见及条件", max_length=4000)
    try:
        order = tuple((str(code), bool(is_chair)) for code, is_chair in speaking_order or ())
    except (TypeError, ValueError):
        raise Refused("发言顺序须为（职务, 是否主持人）的列表", field="speaking_order") from None
    deciding = meeting_id or dossier.agenda_meeting_id
    found = rules.check("decisions.decision", DecisionFacts(
        outcome=outcome or "", meeting_type=dossier.meeting_type, title=dossier.title,
        dossier_type=dossier.matter_type, meeting_ref=str(deciding or ""), speaking_order=order,
        to_party_committee=bool(dossier.committee_matter), org_rank=dossier.org_rank), on=on)
    found += rules.check("meetings.deliberation", DeliberationFacts(
        matter_type=dossier.matter_type, item=dossier.title, speaking_order=order, complete=True), on=on)
    refuse_if_blocking(found)
    approving = outcome in rules.param("decisions.approving_outcomes", on)
    bodies = escalation_bodies(dossier.committee_matter, dossier.congress_matter) if approving else ()
    for body in bodies:  # the office will submit it: is the route itself lawful (art. 76, 77)?
        rules.enforce("decisions.escalation", _escalation_facts(dossier, body, outcome=outcome,
                                                               unit_name="区政府办公室", unit_kind=OFFICE_UNIT_KIND), on=on)
    if not approving:
        status = Status.DEFERRED if outcome in rules.param("decisions.deferring_outcomes", on) else Status.REJECTED
    else:
        status = Status.ESCALATED if bodies else Status.IMPLEMENTING
    with transaction.atomic():
        transition(dossier, expect=[Status.ON_AGENDA], to=status, outcome=outcome, conditions=conditions,
                   decided_on=decided_on, decision_meeting_id=meeting_id or dossier.agenda_meeting_id,
                   field="dossier_id", message=lambda fresh: _decided(fresh))
        for body in bodies:
            Escalation.objects.create(dossier=dossier, body=body)
            followups.start(actor, dossier, followups.ESCALATION_ROUTES[body], on)
        if approving and not bodies:
            followups.start_implementation(actor, dossier, on)
        if approving and dossier.report_to_committee and PARTY_COMMITTEE not in bodies:
            # art. 76(二): decided by the 区政府 and to be reported to the 区委 (one the 区委 decides is not reported)
            followups.start(actor, dossier, followups.REPORT_ROUTE, on)
        audit_append(actor=actor, action="decisions.dossier.decide", obj_type=OBJ, obj_id=str(dossier.pk),
                     before={"status": Status.ON_AGENDA},
                     after={"status": status, "outcome": outcome, "conditions": conditions,
                            "decided_on": decided_on.isoformat(), "meeting_id": dossier.decision_meeting_id,
                            "escalate_to": list(bodies)},
                     article=rules.article_of("R29.outcome", decided_on),
                     summary=f"会议决定（{outcome}）：{dossier.title}")
    return dossier


def _decided(fresh: MajorDecision | None) -> str:
    if fresh is not None and fresh.decided_on:
        return f"该事项已于{fresh.decided_on.isoformat()}由会议作出决定（{fresh.outcome}），不能重复决定"
    state = fresh.get_status_display() if fresh is not None else "已不存在"
    return f"该事项已被他人办理或修改（当前状态：{state}），请刷新后查看"


def _escalation_facts(dossier: MajorDecision, body: str, *, outcome: str, unit_name: str,
                      unit_kind: str) -> EscalationFacts:
    return EscalationFacts(
        body=body, title=dossier.title, dossier_type=dossier.matter_type, submitting_unit=unit_name,
        submitting_unit_kind=unit_kind, prior_meeting_type=dossier.meeting_type if outcome else "",
        prior_outcome=outcome or "", committee_matter=dossier.committee_matter,
        congress_matter=dossier.congress_matter)


def _submitting_unit(actor: Person, on: dt.date) -> tuple[str, str]:
    """The unit in whose name the actor submits: the office if they work there, else their unit."""
    positions = [p for p in org.positions_of(actor, on) if p.unit_id]
    office = [p for p in positions if p.unit.kind == OFFICE_UNIT_KIND]
    chosen = (office or positions or [None])[0]
    return (chosen.unit.name, chosen.unit.kind) if chosen else ("", "")


# ---- after the meeting ---------------------------------------------------------------------

def escalation_submit(*, actor: Person, dossier_id, body: str, reference: str, submitted_on=None,
                      on: dt.date | None = None) -> Escalation:
    """报送区委 / 提请区人大: the 区政府 submits the matter its meeting approved. A department never
    submits to the 区委 directly (art. 76)."""
    on = on or rules.today()
    dossier = access.dossier_for_followup(actor, dossier_id, on=on)
    day = _not_future(_date(submitted_on or on, "submitted_on", "报送日期"), on, "submitted_on", "报送日期")
    name, kind = _submitting_unit(actor, on)
    approved = dossier.outcome if dossier.decided_on else ""
    rules.enforce("decisions.escalation", _escalation_facts(dossier, body or "", outcome=approved, unit_name=name,
                                                           unit_kind=kind), on=on)
    reference = _text(reference, "reference", "报送文号或依据", required=True)
    with transaction.atomic():
        esc = _mark_submitted(actor, dossier, body, reference, day)
        task = _open_task(dossier, followups.ESCALATION_ROUTES[body], "submit")
        if task is not None and task.assignee_id == actor.pk:
            wf.task_complete(actor=actor, task_id=task.pk, opinion=f"已报送：{reference}", on=on)
    return esc


def _mark_submitted(actor: Person, dossier: MajorDecision, body: str, reference: str, day: dt.date) -> Escalation:
    esc = Escalation.objects.filter(dossier=dossier, body=body).first()
    if esc is None:
        raise Refused("该事项不需要报送该机关", field="body")
    if esc.status != Escalation.Status.PENDING:
        raise Refused(_submitted(esc), field="body", status=409)
    transition(esc, expect=[Escalation.Status.PENDING], to=Escalation.Status.SUBMITTED, submitted_on=day,
               submitted_by=actor, reference=reference, field="body",
               message=lambda fresh: _submitted(fresh) if fresh else "该报送记录已不存在")
    bodies = rules.param("decisions.escalation_bodies", day)
    audit_append(actor=actor, action="decisions.dossier.escalate", obj_type=OBJ, obj_id=str(dossier.pk),
                 after={"body": body, "submitted_on": day.isoformat(), "reference": reference},
                 article=rules.article_of(followups.ESCALATION_ROUTES[body], day),
                 summary=f"报送{bodies.get(body, body)}：{dossier.title}")
    return esc


def _submitted(esc: Escalation) -> str:
    if esc.status == Escalation.Status.PENDING:
        return "该事项尚未报送"
    return f"该事项已于{esc.submitted_on}报送（{esc.get_status_display()}），不能重复报送"


def escalation_record_result(*, actor: Person, dossier_id, body: str, agreed: bool, result: str, decided_on,
                             on: dt.date | None = None) -> Escalation:
    """The 区委's (or 区人大's) decision, recorded by the office; once every body agreed, the
    government carries it out (art. 76(四)) and implementation tracking starts."""
    on = on or rules.today()
    dossier = access.dossier_for_followup(actor, dossier_id, on=on)
    if not access.is_office_staff(actor, on):
        raise Forbidden("区委、区人大的审议结果由区政府办公室登记")
    if not isinstance(agreed, bool):
        raise Refused("请选择是否同意", field="agreed")
    result = _text(result, "result", "审议结果", required=True, max_length=2000)
    day = _not_future(_date(decided_on, "decided_on", "审议日期"), on, "decided_on", "审议日期")
    esc = Escalation.objects.filter(dossier=dossier, body=body or "").first()
    if esc is None:
        raise Refused("该事项没有报送该机关", field="body")
    if esc.status != Escalation.Status.SUBMITTED:
        raise Refused(f"报送状态为“{esc.get_status_display()}”，不能登记审议结果", field="body", status=409)
    if esc.submitted_on and day < esc.submitted_on:
        raise Refused(f"审议日期{day.isoformat()}早于报送日期{esc.submitted_on.isoformat()}", field="decided_on")
    with transaction.atomic():
        # the dossier first, on the version read: the results of two bodies recorded at once are
        # taken one after the other, so the second sees the first when it settles the dossier
        transition(dossier, expect=[Status.ESCALATED], field="body",
                   message=lambda fresh: _result_lost(fresh, body))
        transition(esc, expect=[Escalation.Status.SUBMITTED],
                   to=Escalation.Status.AGREED if agreed else Escalation.Status.NOT_AGREED, result=result,
                   decided_on=day, field="body", message=lambda fresh: _result_lost(None, body, esc=fresh))
        statuses = set(dossier.escalations.values_list("status", flat=True))
        if Escalation.Status.NOT_AGREED in statuses:
            transition(dossier, expect=[Status.ESCALATED], to=Status.REJECTED)
        elif statuses == {Escalation.Status.AGREED}:
            transition(dossier, expect=[Status.ESCALATED], to=Status.IMPLEMENTING)
            followups.start_implementation(actor, dossier, on)
        if agreed and body == PARTY_COMMITTEE:  # art. 76(四): the office feeds back how it is carried out
            followups.start(actor, dossier, followups.FEEDBACK_ROUTE, on)
        audit_append(actor=actor, action="decisions.dossier.escalation_result", obj_type=OBJ, obj_id=str(dossier.pk),
                     after={"body": body, "agreed": agreed, "result": result, "decided_on": day.isoformat(),
                            "status": dossier.status},
                     article=rules.article_of(followups.ESCALATION_ROUTES[body], day),
                     summary=f"登记审议结果：{dossier.title}")
    return esc


def _result_lost(fresh: MajorDecision | None, body: str, esc: Escalation | None = None) -> str:
    """The loser's message: the result recorded by someone else meanwhile, or the dossier's state now."""
    if esc is None and fresh is not None:
        esc = fresh.escalations.filter(body=body).first()
    if esc is not None and esc.status in (Escalation.Status.AGREED, Escalation.Status.NOT_AGREED):
        return (f"审议结果已于{esc.decided_on.isoformat()}登记（{esc.get_status_display()}），"
                f"不能重复登记")
    state = fresh.get_status_display() if fresh is not None else "已变化"
    return f"该事项已被他人办理或修改（当前状态：{state}），请刷新后查看"


def _open_task(dossier: MajorDecision, route_id: str, step: str) -> Task | None:
    return (Task.objects.filter(approval__obj_type=followups.OBJ_FOLLOWUP, approval__obj_id=str(dossier.pk),
                                approval__route_id=route_id, step_id=step, status=Task.Status.OPEN)
            .order_by("id").first())


def followup_report(*, actor: Person, dossier_id, step: str, note: str, on: dt.date | None = None) -> MajorDecision:
    """Report on the implementation ("implement") or the evaluation ("evaluate") of a decision:
    completes the actor's open follow-up task (the workflow hook records it on the dossier)."""
    on = on or rules.today()
    dossier = access.dossier_for_followup(actor, dossier_id, on=on)
    routes = {"implement": "decisions.implementation", "evaluate": "decisions.evaluation",
              "feedback": followups.FEEDBACK_ROUTE}
    if step not in routes:
        raise Refused("跟踪事项须为 implement（执行情况）、evaluate（执行效果评估）或 feedback（落实情况反馈区委）",
                      field="step")
    note = _text(note, "note", "情况说明", required=True, max_length=4000)
    task = _open_task(dossier, routes[step], step)
    if task is None:
        raise Refused("该事项没有待办理的跟踪任务", field="step", status=409)
    wf.task_complete(actor=actor, task_id=task.pk, opinion=note, on=on)
    dossier.refresh_from_db()
    return dossier


def report_facts(dossier: MajorDecision, actor: Person, *, content: str, reported_on: dt.date, kind: str = REPORT,
                 since: dt.date | None = None) -> ReportFacts:
    """The report to the 区委 of art. 76(二) — or, with kind=FEEDBACK and `since` the 区委's agreement,
    the office's feedback of art. 76(四) — as the rulebook sees it (topic decisions.report)."""
    name, unit_kind = _submitting_unit(actor, reported_on)
    return ReportFacts(kind=kind, title=dossier.title, submitting_unit=name, submitting_unit_kind=unit_kind,
                       content=content, since=dossier.decided_on if kind == REPORT else since,
                       reported_on=reported_on)


def committee_report_record(*, actor: Person, dossier_id, reference: str, reported_on=None,
                            on: dt.date | None = None) -> MajorDecision:
    """向区委报告 (art. 76(二)): the office records the report of a matter the 区政府 decided and
    marked for a report to the 区委 -- its date and reference -- and completes its task when the
    actor holds it (the same happens from the inbox, through the workflow hook)."""
    on = on or rules.today()
    dossier = access.dossier_for_followup(actor, dossier_id, on=on)
    day = _not_future(_date(reported_on or on, "reported_on", "报告日期"), on, "reported_on", "报告日期")
    if not dossier.report_to_committee:
        raise Refused("该事项未注明须向区委报告", field="dossier_id", status=409)
    if dossier.outcome not in rules.param("decisions.approving_outcomes", on):
        raise Refused("该事项尚未经区政府研究决定，不能报告区委", field="dossier_id", status=409)
    if dossier.committee_reported_on:
        raise Refused(_reported(dossier), field="dossier_id", status=409)
    reference = _text(reference, "reference", "报告文号", max_length=200)
    rules.enforce("decisions.report", report_facts(dossier, actor, content=reference, reported_on=day), on=on)
    with transaction.atomic():
        mark_reported(actor, dossier, reference, day)
        task = _open_task(dossier, followups.REPORT_ROUTE, "report")
        if task is not None and task.assignee_id == actor.pk:
            wf.task_complete(actor=actor, task_id=task.pk, opinion=reference, on=on)
    dossier.refresh_from_db()
    return dossier


def mark_reported(actor: Person, dossier: MajorDecision, reference: str, day: dt.date) -> None:
    """Record the report to the 区委 on the dossier, once, and audit it (inside the caller's transaction)."""
    set_once(dossier, where={"committee_reported_on__isnull": True}, versioned=False, field="dossier_id",
             message=lambda fresh: _reported(fresh) if fresh and fresh.committee_reported_on else None,
             committee_reported_on=day, committee_report_ref=reference)
    audit_append(actor=actor, action="decisions.dossier.committee_report", obj_type=OBJ, obj_id=str(dossier.pk),
                 before={"committee_reported_on": None},
                 after={"committee_reported_on": day.isoformat(), "committee_report_ref": reference},
                 article=rules.article_of("R76.report", day), summary=f"向区委报告：{dossier.title}")


def _reported(dossier: MajorDecision) -> str:
    return (f"该事项已于{dossier.committee_reported_on.isoformat()}向区委报告（{dossier.committee_report_ref}），"
            f"不能重复登记")
