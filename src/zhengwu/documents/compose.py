"""Composing a document (拟稿) in the web form: the form's plain questions read into the drafting
service's arguments, the live pre-check (预审) over that unsaved data, and the update service for a
draft or a returned document.

- `form_state(...)` holds the form as the person typed it (strings, booleans, lists), from a POST,
  from a saved document, or the defaults for a new one; the template renders it back unchanged.
- `to_fields(state, unit=…)` turns it into the keyword arguments of `services.document_draft`
  (and `document_update`), including `Document.facts` — the answers only the drafter can give
  (会签, 事项数, 越级 …, see facts.py) — and collects the form's own problems (a bad date, a number
  that is not one) as Refused, each naming its field.
- `precheck_facts(fields, on=…, signer=…)` runs every rule that applies, on an unsaved Document
  built in memory: it needs no saved row and writes nothing. `intake.precheck` stays the check of
  a saved document.
- `document_update(...)` is a service: access, state, validation as `document_draft`, a
  conditional update on the version the person edited, the audit event, in one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any, Iterable, Mapping

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Conflict, Refused
from zhengwu.textcheck import refuse_bad_text
from zhengwu.org import selectors as org
from zhengwu.org.models import Appointment, Person, Unit
from zhengwu.rulebook import Violation
from zhengwu.rulebook.facts import FactsError
from zhengwu.rulebook.rules.documents import ClassificationFacts, DisclosureFacts

from . import access, facts
from .models import Direction, Document
from .services import OBJ, _refuse_classified_content, check_recipients, code_problems

Status = Document.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)
CC_RELATIONS = ("higher", "same", "lower")
_SPLIT = re.compile(r"[\n\r;；]+")
_SPLIT_NAMES = re.compile(r"[\n\r;；、,，]+")

# Yes/no questions of a 收文 (the facts of SubmissionFacts the drafter answers).
SUBMISSION_FLAGS = ("within_unit_powers", "asks_government_issue", "site_verified", "disagreement", "head_negotiated",
                    "reasons_listed", "proposal",
                    "addressed_to_leader_personally", "skips_level", "signer_authorised", "emergency_event")
# Yes/no questions of a 发文 (IssuingFacts, and the 区长-signs matters of SigningFacts).
ISSUING_FLAGS = ("republishes_higher_level_published", "within_department_powers", "within_coordination_body_remit",
                 "law_already_provides", "current_document_applies", "no_new_content",
                 "issued_with_government_consent", "states_consent", "directive_to_towns",
                 "requires_towns_to_report", "directive_approved", "is_regulation", "is_motion_to_npc",
                 "is_personnel")
# Yes/no questions of a normative document (NormativeFacts).
NORMATIVE_FLAGS = ("legality_reviewer_is_justice", "public_participation", "risk_assessment", "touches_market",
                   "fair_competition_review", "to_be_published", "interpretation_material", "opinion_plan",
                   "prior_written_request", "leader_reviewed", "head_approved", "departments_consulted", "joint")
# Steps a normative document may skip with a stated reason (按规定可不履行的，说明理由).
SKIPPABLE = ("public_participation", "risk_assessment", "fair_competition_review")

TEXT_KEYS = ("direction", "kind", "title", "main_recipients", "cc_higher", "cc_same", "cc_lower", "urgency",
             "urgency_reason", "classification", "secrecy_period", "body", "note", "collective_ref",
             "non_disclosure_reason", "issuing_as", "decision_needed_by", "matters_count", "exception",
             "upward_to", "directive_purpose", "legality_review_by", "departments_involved", "unit", "version",
             "plan_item",
             *(f"skip_{code}" for code in SKIPPABLE))
BOOL_KEYS = ("important", "is_normative", *SUBMISSION_FLAGS, *ISSUING_FLAGS,
             *NORMATIVE_FLAGS)
LIST_KEYS = ("touches_other_units", "consulted_in_writing", "countersigned_by")


# ==== the form's state ==========================================================================

def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "on", "yes", "true", "是")


def form_state(data: Mapping | None = None) -> dict:
    """The form as posted (a QueryDict or a dict): text as typed, yes/no as booleans, pickers as
    lists. 是否公开 is a yes/no pair of radios: "0" is the only answer that means not public."""
    data = data or {}
    getlist = getattr(data, "getlist", None)
    state: dict[str, Any] = {}
    for key in TEXT_KEYS:
        value = data.get(key, "")
        state[key] = value if isinstance(value, str) else str(value)
    for key in BOOL_KEYS:
        state[key] = _truthy(data.get(key, ""))
    for key in LIST_KEYS:
        values = getlist(key) if getlist else data.get(key, [])
        if isinstance(values, str):
            values = [values]
        state[key] = [v.strip() for v in values if str(v).strip()]
    state["public"] = str(data.get("public", "1")).strip() != "0"
    return state


def form_state_new(*, direction: str, unit: Unit | None) -> dict:
    """A new document's form: public by default (art. 33), one matter."""
    state = form_state({})
    state.update(direction=direction, urgency="一般", matters_count="1", public=True,
                 unit=str(unit.pk) if unit else "")
    if direction == Direction.INCOMING:
        state.update(kind="请示", main_recipients="区人民政府")
    else:
        state.update(kind="通知", issuing_as="government")
    return state


def form_state_of(doc: Document) -> dict:
    """A saved document's form, so editing starts from what was saved."""
    f = dict(doc.facts or {})
    n = dict(f.get("normative") or {})
    cc = f.get("cc") or [[name, "same"] for name in doc.cc]
    by_relation = {rel: [str(name) for name, r in cc if r == rel] for rel in CC_RELATIONS}
    state = form_state({})
    state.update(
        direction=doc.direction, kind=doc.kind, title=doc.title, main_recipients="\n".join(doc.main_recipients),
        cc_higher="；".join(by_relation["higher"]), cc_same="；".join(by_relation["same"]),
        cc_lower="；".join(by_relation["lower"]), urgency=doc.urgency, urgency_reason=doc.urgency_reason,
        classification=doc.classification, secrecy_period=doc.secrecy_period, body=doc.body, note=doc.note,
        collective_ref=doc.collective_ref, non_disclosure_reason=doc.non_disclosure_reason,
        issuing_as=doc.issuing_as, important=doc.important, is_normative=doc.is_normative, public=doc.public,
        decision_needed_by=str(f.get("decision_needed_by") or ""), matters_count=str(f.get("matters_count", 1)),
        exception=str(f.get("exception") or ""), upward_to=str(f.get("upward_to") or ""),
        directive_purpose=str(f.get("directive_purpose") or ""),
        plan_item=str(doc.plan_item_id or ""),
        legality_review_by=str(n.get("legality_review_by") or ""),
        departments_involved=str(n.get("departments_involved", 1)),
        touches_other_units=[str(x) for x in f.get("touches_other_units", [])],
        consulted_in_writing=[str(x) for x in f.get("consulted_in_writing", [])],
        countersigned_by=[str(x) for x in f.get("countersigned_by", [])],
        unit=str(doc.unit_id), version=str(doc.version),
    )
    for key in (*SUBMISSION_FLAGS, *ISSUING_FLAGS):
        state[key] = bool(f.get(key))
    for key in NORMATIVE_FLAGS:
        state[key] = bool(n.get(key))
    for code, reason in n.get("skipped_steps", []):
        if code in SKIPPABLE:
            state[f"skip_{code}"] = str(reason)
    return state


# ==== the form's state → the service's arguments ================================================

def units_of(person: Person, on: dt.date) -> list[Unit]:
    """The units a person may draft for: those in which they hold a position today."""
    seen: dict[int, Unit] = {}
    for p in org.positions_of(person, on):
        if p.unit_id and p.unit_id not in seen:
            seen[p.unit_id] = p.unit
    return list(seen.values())


def _names(text: str, pattern: re.Pattern = _SPLIT) -> list[str]:
    return [x.strip() for x in pattern.split(text or "") if x.strip()]


def _date(text: str, field: str, label: str, errors: list) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.append(Refused(f"{label}须为有效日期（年-月-日），收到“{text}”", field=field))
        return None


def _count(text: str, field: str, label: str, errors: list, default: int = 1) -> int:
    text = (text or "").strip()
    if not text:
        return default
    try:
        n = int(text)
    except ValueError:
        errors.append(Refused(f"{label}须为正整数，收到“{text}”", field=field))
        return default
    if n < 1:
        errors.append(Refused(f"{label}须为正整数，收到{n}", field=field))
        return default
    return n


def _plan_item(text: str, errors: list) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        errors.append(Refused(f"年度发文计划条目须从列表中选择，收到“{text}”", field="plan_item"))
        return None


def to_fields(state: dict, *, unit: Unit | None) -> tuple[dict, list[Refused]]:
    """The keyword arguments of services.document_draft (with `unit`), and the form's problems."""
    errors: list[Refused] = []
    direction = state.get("direction") or Direction.INCOMING
    incoming = direction == Direction.INCOMING
    cc_pairs = [[name, rel] for rel in CC_RELATIONS for name in _names(state.get(f"cc_{rel}", ""), _SPLIT_NAMES)]
    f: dict[str, Any] = {}
    if incoming:
        needed = _date(state.get("decision_needed_by", ""), "decision_needed_by", "需区政府决策的日期", errors)
        if needed:
            f["decision_needed_by"] = needed.isoformat()
        f["matters_count"] = _count(state.get("matters_count", ""), "matters_count", "请示事项数", errors)
        for key in SUBMISSION_FLAGS:
            f[key] = bool(state.get(key))
        f["touches_other_units"] = list(state.get("touches_other_units") or [])
        f["consulted_in_writing"] = [u for u in state.get("consulted_in_writing") or [] if u in f["touches_other_units"]]
        f["countersigned_by"] = [u for u in state.get("countersigned_by") or [] if u in f["touches_other_units"]]
        if state.get("exception"):
            f["exception"] = state["exception"]
        f["cc"] = cc_pairs
    else:
        for key in ISSUING_FLAGS:
            f[key] = bool(state.get(key))
        if state.get("upward_to"):
            f["upward_to"] = state["upward_to"]
        if state.get("directive_purpose"):
            f["directive_purpose"] = state["directive_purpose"]
        if cc_pairs:
            f["cc"] = cc_pairs
    if state.get("is_normative"):
        n: dict[str, Any] = {key: bool(state.get(key)) for key in NORMATIVE_FLAGS}
        n["legality_review_by"] = (state.get("legality_review_by") or "").strip()
        n["departments_involved"] = _count(state.get("departments_involved", ""), "departments_involved",
                                           "涉及职权的部门数", errors)
        n["skipped_steps"] = [[code, state[f"skip_{code}"].strip()] for code in SKIPPABLE
                              if not n.get(code) and (state.get(f"skip_{code}") or "").strip()]
        f["normative"] = n
    public = bool(state.get("public", True))
    classification = (state.get("classification") or "").strip()
    fields = dict(
        unit=unit, direction=direction, kind=(state.get("kind") or "").strip(), title=(state.get("title") or "").strip(),
        main_recipients=_names(state.get("main_recipients", "")), cc=[name for name, _rel in cc_pairs],
        urgency=state.get("urgency") or "一般", urgency_reason=(state.get("urgency_reason") or "").strip(),
        body=state.get("body") or "", classification=classification,
        secrecy_period=(state.get("secrecy_period") or "").strip() if classification else "",
        issuing_as="" if incoming else (state.get("issuing_as") or ""), is_normative=bool(state.get("is_normative")),
        important=bool(state.get("important")), collective_ref=(state.get("collective_ref") or "").strip(),
        public=public, non_disclosure_reason="" if public else (state.get("non_disclosure_reason") or "").strip(),
        note=(state.get("note") or "").strip(), facts=f,
        plan_item=None if incoming else _plan_item(state.get("plan_item", ""), errors),
    )
    if unit is None:
        errors.append(Refused("本人不在任何单位任职，不能拟稿", field="unit"))
    return fields, errors


# ==== validation (as services.document_draft) and the pre-check ===============================

def problems(fields: dict, *, on: dt.date, attachments: int = 0, with_rules_covered: bool = True) -> list[Refused]:
    """Every problem with the fields that is not a rule of the rulebook (missing title, unknown
    kind …), all at once. `with_rules_covered=False` leaves out what a rule reports with its
    article anyway (the pre-check shows the rule instead)."""
    found: list[Refused] = []
    if fields.get("direction") not in Direction.values:
        found.append(Refused("收发类别须为 incoming 或 outgoing", field="direction"))
    codes = {r.field: r for r in code_problems(kind=fields.get("kind"), urgency=fields.get("urgency"),
                                               classification=fields.get("classification"), on=on)}
    if "kind" in codes and (with_rules_covered or fields.get("direction") != Direction.INCOMING):
        found.append(codes["kind"])
    title = fields.get("title") or ""
    if not title:
        found.append(Refused(gettext("Title: required."), field="title"))
    elif len(title) > 200:
        found.append(Refused("标题不能超过200字", field="title"))
    else:
        try:
            refuse_bad_text(title, "title", "标题", single_line=True)
        except Refused as e:
            found.append(e)
    found += [codes[f] for f in ("urgency", "classification") if f in codes]
    if with_rules_covered and not fields.get("public", True) and not fields.get("non_disclosure_reason"):
        found.append(Refused("不公开须说明理由（以公开为常态、不公开为例外）", field="non_disclosure_reason"))
    if fields.get("direction") == Direction.OUTGOING and fields.get("issuing_as") not in ("government", "office", "unit"):
        found.append(Refused("请选择发文名义（区政府、区政府办公室或本部门）", field="issuing_as"))
    needed = (fields.get("facts") or {}).get("decision_needed_by") if fields.get("direction") == Direction.INCOMING else None
    if needed:
        try:
            if dt.date.fromisoformat(str(needed)) < on:
                found.append(Refused(f"需区政府决策的日期{needed}已经过去，请重新填写", field="decision_needed_by"))
        except ValueError:
            found.append(Refused(f"需区政府决策的日期须为有效日期（年-月-日），收到“{needed}”", field="decision_needed_by"))
    if len(fields.get("note") or "") > 200:
        found.append(Refused("附注不能超过200字", field="note"))
    unit = fields.get("unit")
    if unit is not None and fields.get("direction") in Direction.values:
        try:
            check_recipients(government=unit.government, direction=fields["direction"],
                             main_recipients=list(fields.get("main_recipients") or []), cc=list(fields.get("cc") or []),
                             on=on)
        except Refused as e:
            found.append(e)
    try:
        facts.validate(fields.get("facts") or {})
    except Refused as e:
        found.append(e)
    if unit is not None and fields.get("plan_item"):
        from .plans import item_for_document

        try:
            item_for_document(unit=unit, direction=fields.get("direction"), issuing_as=fields.get("issuing_as") or "",
                              item_id=fields["plan_item"])
        except Refused as e:
            found.append(e)
    return found


def _in_memory(fields: dict) -> Document:
    """An unsaved Document holding the fields (never saved: the pre-check only reads it)."""
    unit = fields["unit"]
    model_fields = {k: v for k, v in fields.items() if k in _MODEL_FIELDS}
    item = fields.get("plan_item")
    return Document(government_id=unit.government_id, unit=unit, plan_item_id=getattr(item, "pk", item),
                    **model_fields)


_MODEL_FIELDS = ("direction", "kind", "title", "main_recipients", "cc", "urgency", "urgency_reason", "body",
                 "classification", "secrecy_period", "issuing_as", "is_normative", "important", "collective_ref",
                 "public", "non_disclosure_reason", "note", "facts")


def _facts_error(e: FactsError) -> Violation:
    return Violation(rule_id="facts", article=0, severity="block", message=str(e),
                     field=(e.field or "").removeprefix("facts."))


def precheck_facts(fields: dict, *, on: dt.date | None = None, signer: Person | None = None,
                   attachments: int = 0, signer_role: str | None = None) -> list[Violation]:
    """预审 of unsaved data: every rule that applies to a document with these fields (as
    `to_fields` makes them, `unit` included), judged by the rulebook in force on `on`. Writes
    nothing and needs no saved row. A 收文 is checked as if `signer` submitted it on `on`
    (`signer_role` may be given instead, e.g. from a bulk lookup); a 发文 as it would be sent
    for signing."""
    on = on or rules.today()
    doc = _in_memory(fields)
    found: list[Violation] = []
    checks: list[tuple[str, Any]] = []
    try:
        checks.append(("documents.classification", ClassificationFacts(
            classification=doc.classification, has_body=bool(doc.body.strip()), attachments_count=attachments)))
        checks.append(("documents.disclosure", DisclosureFacts(public=doc.public,
                                                               non_disclosure_reason=doc.non_disclosure_reason)))
        checks.append(("documents.format", facts.format_facts(doc.body, doc.main_recipients)))
        if doc.is_normative:
            checks.append(("documents.normative", facts.normative(doc)))
        if doc.direction == Direction.INCOMING:
            sub = facts.submission(doc, on=on, signer=signer if signer_role is None else None)
            if signer_role is not None:
                sub = dataclasses.replace(sub, signer_role=signer_role)
            checks.append(("documents.submission", sub))
        else:
            checks.append(("documents.issuing", facts.issuing(doc)))
    except FactsError as e:
        found.append(_facts_error(e))
    except (TypeError, ValueError) as e:  # a malformed facts value the dataclasses cannot take
        found.append(Violation(rule_id="facts", article=0, severity="block", message=f"报送情况填写有误：{e}"))
    for topic, fact in checks:
        found += rules.check(topic, fact, on=on)
    return found


def precheck_many(docs: Iterable[Document], *, on: dt.date | None = None) -> dict[int, list[Violation]]:
    """The pre-check of many saved 收文 at once (the intake queue), each judged on the day it was
    submitted and with the person who signed it — in two queries whatever the number of rows:
    the signers' positions, and the attachments counted by the caller's queryset
    (annotate `n_attachments`)."""
    docs = list(docs)
    on = on or rules.today()
    signer_ids = {d.signer_id for d in docs if d.signer_id}
    held: dict[int, list[tuple[int | None, str]]] = {}
    if signer_ids:
        from django.db.models import Q

        for a in (Appointment.objects.filter(person_id__in=signer_ids, start__lte=on)
                  .filter(Q(end__isnull=True) | Q(end__gt=on)).select_related("position")):
            held.setdefault(a.person_id, []).append((a.position.unit_id, a.position.code))
    out: dict[int, list[Violation]] = {}
    for d in docs:
        role = ""
        if d.signer_id:
            role = "other"
            for unit_id, code in held.get(d.signer_id, []):
                if unit_id == d.unit_id and code in ("unit_head", "unit_deputy"):
                    role = code
                    break
        fields = {k: getattr(d, k) for k in _MODEL_FIELDS}
        fields["unit"] = d.unit
        out[d.pk] = precheck_facts(fields, on=d.submitted_on or on, signer_role=role,
                                   attachments=getattr(d, "n_attachments", 0))
    return out


# ==== the update service ========================================================================

UPDATABLE = ("direction", "kind", "title", "main_recipients", "cc", "urgency", "urgency_reason", "body",
             "classification", "secrecy_period", "issuing_as", "is_normative", "important", "collective_ref",
             "public", "non_disclosure_reason", "note", "facts", "plan_item")


def document_update(*, actor: Person, document_id, version: int | None = None, on: dt.date | None = None,
                    **fields) -> Document:
    """修改公文: the drafting unit changes its draft, or a document the office or a leader returned,
    before (re)submitting it. Validated as `document_draft` does (naming the field; a 涉密
    document's body or attachments refused citing art. 89). `version` is the version the person
    edited: if someone changed the document since, nothing is written (Conflict). Only the
    fields that changed are written and recorded."""
    on = on or rules.today()
    doc = access.document_for_unit_action(actor, document_id, on=on)
    if doc.status not in EDITABLE:
        raise Refused(f"该公文{doc.get_status_display()}，不能再修改（只有拟稿和被退回的公文可以修改）",
                      field="document_id", status=409)
    unknown = sorted(set(fields) - set(UPDATABLE) - {"unit"})
    if unknown:
        raise Refused(f"不能修改的字段：{'、'.join(unknown)}", field=unknown[0])
    unit = fields.pop("unit", None)
    if unit is not None and unit.pk != doc.unit_id:
        raise Refused("拟稿单位不能修改", field="unit")
    if version is not None and version != doc.version:
        raise Conflict("该公文已被他人修改，请刷新后再改")
    merged = {k: getattr(doc, k) for k in UPDATABLE if k != "plan_item"}
    merged["plan_item"] = doc.plan_item_id
    merged.update(fields)
    if merged["direction"] != Direction.OUTGOING:
        merged["plan_item"] = None
    merged["main_recipients"] = [str(r).strip() for r in merged["main_recipients"] if str(r).strip()]
    merged["cc"] = [str(c).strip() for c in merged["cc"] if str(c).strip()]
    merged["title"] = (merged["title"] or "").strip()
    merged["facts"] = dict(merged["facts"] or {})
    approved = merged["facts"].pop(facts.OFFICE_APPROVED, None)  # art. 70: an edit voids the office's 核准
    if merged["public"]:
        merged["non_disclosure_reason"] = ""
    wrong = problems({**merged, "unit": doc.unit}, on=on)
    if wrong:
        raise wrong[0]
    merged["facts"] = facts.validate(merged["facts"])
    _refuse_classified_content(merged["classification"], merged["body"], attachments=doc.attachments.count(), on=on)
    item = merged.pop("plan_item")
    merged["plan_item_id"] = getattr(item, "pk", item) or None
    changed = {k: v for k, v in merged.items() if getattr(doc, k) != v}
    if approved and list(changed) == ["facts"] and merged["facts"] == {
            k: v for k, v in doc.facts.items() if k != facts.OFFICE_APPROVED}:
        changed = {}  # nothing changed but the 核准 it would drop: keep it
    if not changed:
        return doc
    before = {k: getattr(doc, k) for k in changed}
    with transaction.atomic():
        won = Document.objects.filter(pk=doc.pk, version=doc.version, status__in=list(EDITABLE)).update(
            version=F("version") + 1, updated_at=timezone.now(), **changed)
        if not won:
            raise Conflict("该公文已被他人修改或办理，请刷新后再改")
        audit_append(actor=actor, action="documents.document.update", obj_type=OBJ, obj_id=str(doc.pk),
                     before=before, after=changed, summary=f"修改公文：{merged['title']}（{'、'.join(_labels(changed))}）")
    doc.refresh_from_db()
    return doc


def _labels(changed: dict) -> list[str]:
    out = []
    for name in changed:
        field = Document._meta.get_field(name)
        out.append(str(field.verbose_name) if field.verbose_name != name.replace("_", " ") else name)
    return out
