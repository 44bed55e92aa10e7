"""The only writers of documents. Each service validates (naming the field), checks the rules of
the rulebook in force, writes and appends the audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from zhengwu import rules
from zhengwu.audit.services import audit_append, snapshot
from zhengwu.errors import Conflict, Refused
from zhengwu.textcheck import refuse_bad_text
from zhengwu.org.models import Person, Unit
from zhengwu.security.admins import refuse_business

from . import access, numbering
from .models import Direction, Document

OBJ = "documents.document"
NUMBERING = "documents.government_issue_signer"  # 编号 follows 签发 (art. 69): cited under its parameter


# The codes a document may carry come from the book in force (never a list here): 紧急程度
# (approval.urgencies, art. 68), 密级 (documents.classified_levels, art. 89), 文种 (documents.kinds,
# art. 67). The refusals cite the parameter's article.

def urgencies(on: dt.date | None = None) -> list[str]:
    return list(rules.param("approval.urgencies", on))


def classified_levels(on: dt.date | None = None) -> list[str]:
    return list(rules.param("documents.classified_levels", on))


def _kinds(on: dt.date | None = None) -> list[str]:
    return list(rules.param("documents.kinds", on))


def code_problems(*, kind, urgency, classification, on: dt.date) -> list[Refused]:
    """文种, 紧急程度 and 密级 checked against the book's lists, each refusal naming its field."""
    found = []
    kinds = _kinds(on)
    if kind not in kinds:
        found.append(Refused(f"文种“{kind}”不是《党政机关公文处理工作条例》规定的{len(kinds)}种公文之一"
                             f"{rules.cite('documents.kinds', on)}", field="kind"))
    levels = urgencies(on)
    if urgency not in levels:
        found.append(Refused(f"紧急程度须为{'、'.join(levels)}之一{rules.cite('approval.urgencies', on)}",
                             field="urgency"))
    secret = classified_levels(on)
    if classification and classification not in secret:
        found.append(Refused(f"密级须为{'、'.join(secret)}之一或不填{rules.cite('documents.classified_levels', on)}",
                             field="classification"))
    return found


def _refuse_classified_content(classification: str, body: str, attachments: int = 0,
                               on: dt.date | None = None) -> None:
    """涉密公文 are registered as metadata only: this system does not handle their body or files
    (rule R89.classified_body)."""
    from zhengwu.rulebook.rules.documents import ClassificationFacts

    rules.enforce("documents.classification", ClassificationFacts(
        classification=classification, has_body=bool((body or "").strip()), attachments_count=attachments), on=on)


def check_recipients(*, government, direction: str, main_recipients: list[str], cc: list[str],
                     on: dt.date) -> None:
    """Every recipient must be known: a unit submits to the 区政府 only (art. 67); an outgoing
    document goes to the government's units or to the known collective and outside bodies."""
    if direction == Direction.INCOMING:
        allowed = set(rules.param("documents.government_recipients", on))
        for name in main_recipients:
            if name not in allowed:
                raise Refused(f"未知的主送机关“{name}”：报送区政府的公文主送{'或'.join(sorted(allowed))}，"
                              f"由区政府办公室统一办理{rules.cite('documents.government_recipients', on)}",
                              field="main_recipients")
        return
    known = set(rules.param("documents.known_recipients", on))
    for u in government.units.filter(active=True).only("name", "short_name"):
        known |= {u.name, u.short_name}
    for field, names in (("main_recipients", main_recipients), ("cc", cc)):
        for name in names:
            if name not in known:
                raise Refused(f"未知的{'主送' if field == 'main_recipients' else '抄送'}机关“{name}”", field=field)


def document_draft(*, actor: Person, unit: Unit, direction: str, kind: str, title: str,
                   main_recipients: Iterable[str] = (), cc: Iterable[str] = (), urgency: str = "一般",
                   body: str = "", classification: str = "", secrecy_period: str = "", issuing_as: str = "",
                   is_normative: bool = False, important: bool = False, collective_ref: str = "",
                   urgency_reason: str = "", public: bool = True, non_disclosure_reason: str = "",
                   note: str = "", facts: dict | None = None, plan_item=None,
                   on: dt.date | None = None) -> Document:
    """拟稿: a unit drafts a document to submit (收文) or one to be issued (发文, incl. 代拟)."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    if direction not in Direction.values:
        raise Refused("收发类别须为 incoming 或 outgoing", field="direction")
    wrong = {r.field: r for r in code_problems(kind=kind, urgency=urgency, classification=classification, on=on)}
    if "kind" in wrong:
        raise wrong["kind"]
    title = (title or "").strip()
    if not title:
        raise Refused(gettext("Title: required."), field="title")
    if len(title) > 200:
        raise Refused("标题不能超过200字", field="title")
    refuse_bad_text(title, "title", "标题", single_line=True)
    for field in ("urgency", "classification"):
        if field in wrong:
            raise wrong[field]
    if not public and not (non_disclosure_reason or "").strip():
        raise Refused("不公开须说明理由（以公开为常态、不公开为例外）", field="non_disclosure_reason")
    _refuse_classified_content(classification, body, on=on)
    main_recipients = [r.strip() for r in main_recipients if r.strip()]
    cc = [c.strip() for c in cc if c.strip()]
    check_recipients(government=unit.government, direction=direction, main_recipients=main_recipients, cc=cc, on=on)
    if unit.government_id != getattr(actor, "government_id", unit.government_id):
        raise Refused("拟稿单位不属于本区政府", field="unit")
    if not access.may_draft_for(actor, unit, on=on):
        raise Refused(f"只能以本人所在单位的名义拟稿（{unit}）", field="unit", status=403)
    from .facts import validate

    facts = validate(facts or {})
    if len(note or "") > 200:
        raise Refused("附注不能超过200字", field="note")
    from .plans import item_for_document

    item = item_for_document(unit=unit, direction=direction, issuing_as=issuing_as,
                             item_id=getattr(plan_item, "pk", plan_item))
    with transaction.atomic():
        doc = Document.objects.create(
            government_id=unit.government_id, direction=direction, kind=kind, title=title, unit=unit,
            issuing_as=issuing_as, main_recipients=main_recipients, cc=cc, urgency=urgency, urgency_reason=urgency_reason,
            classification=classification, secrecy_period=secrecy_period, body=body, is_normative=is_normative,
            important=important, collective_ref=collective_ref, public=public,
            non_disclosure_reason=non_disclosure_reason, note=(note or "").strip(), facts=facts, created_by=actor,
            plan_item=item)
        audit_append(actor=actor, action="documents.document.draft", obj_type=OBJ, obj_id=str(doc.pk),
                     after=snapshot(doc, ["direction", "kind", "title", "unit", "urgency", "classification",
                                          "is_normative", "public", "plan_item"]),
                     summary=f"拟稿：{title}")
    return doc


def series_for(document: Document) -> str:
    """发文字号 series: the government's code + 发 (白洮政发) or + 办发 for its 办公室 (白洮政办发)."""
    prefix = document.government.doc_prefix or document.government.short_name
    if document.issuing_as == "unit":
        # a department's own series: 白洮 + 司法 + 规 (normative) / 发, e.g. 白洮司法规〔2026〕1号
        unit = document.unit.short_name or document.unit.name
        for suffix in ("局", "办", "委"):
            if len(unit) > 2 and unit.endswith(suffix):
                unit = unit[:-1]
        return f"{prefix.removesuffix('政')}{unit}{'规' if document.is_normative else '发'}"
    if document.issuing_as == "office":
        return f"{prefix}办发"
    if document.issuing_as == "government":
        return f"{prefix}发"
    raise Refused("请先确定发文名义（区政府或区政府办公室）", field="issuing_as")


def for_numbering_or_issue(actor: Person, document_id, *, on: dt.date) -> Document:
    """The 区政府办公室 numbers and issues the documents of the 区政府 and its 办公室; a department
    its own (issuing_as "unit")."""
    doc = access.document_visible(actor, document_id, on=on)
    if doc.direction == Direction.OUTGOING and doc.issuing_as == "unit":
        return access.document_for_unit_action(actor, document_id, on=on)
    return access.document_for_office_action(actor, document_id, on=on)


def document_number(*, actor: Person, document_id: int, on: dt.date | None = None) -> Document:
    """编号: give a signed outgoing document its 发文字号 — gapless and unique per series and year."""
    on = on or rules.today()
    doc = for_numbering_or_issue(actor, document_id, on=on)
    if doc.direction != Direction.OUTGOING:
        raise Refused("只有发文需要编发文字号", field="document_id")
    if doc.doc_number:
        raise Refused(f"该公文已编号：{doc.doc_number}", field="document_id", status=409)
    if doc.status != Document.Status.SIGNED:
        raise Refused(f"公文签发后才能编发文字号{rules.cite(NUMBERING, on)}", field="document_id", status=409)
    series = series_for(doc)
    with transaction.atomic():
        n = numbering.take(government=doc.government, series=series, year=on.year)
        number = numbering.doc_number(series, on.year, n)
        won = Document.objects.filter(pk=doc.pk, doc_number="", version=doc.version).update(
            doc_number=number, version=F("version") + 1)
        if not won:
            raise Conflict("该公文已被他人编号或修改，请刷新后查看")  # rolls the number back too
        audit_append(actor=actor, action="documents.document.number", obj_type=OBJ, obj_id=str(doc.pk),
                     before={"doc_number": ""}, after={"doc_number": number},
                     article=rules.article_of(NUMBERING, on),
                     summary=f"编发文字号{number}")
    doc.refresh_from_db()
    return doc
