"""年度发文计划 (art. 70: 严格执行年度发文计划，减少临时性发文; 精简文件).

Each unit keeps one plan per year: the documents it means to issue — title, 文种, the quarter (or
month) and the reason. A draft is linked to one of its plan's items; whether a document is "in the
annual plan" (`IssuingFacts.in_annual_plan`, rule R70.annual_plan) is DERIVED from that link,
never typed by the drafter. The 区政府办公室's plan covers the documents of the 区政府 and of its
办公室, so a document a department drafts on the government's behalf (代拟) may be linked to it.

Services (validate naming the field, write, audit in one transaction) and the counts of planned
and unplanned documents per unit and year (selector, .xlsx)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Conflict, Forbidden, Refused
from zhengwu.textcheck import refuse_bad_text
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.transitions import set_once
from zhengwu.security.admins import refuse_business

from . import access
from .models import Direction, Document, DocumentPlan, PlanItem

PLAN_OBJ = "documents.plan"
DOC_OBJ = "documents.document"
Status = Document.Status
# Documents that count for the year: sent for signing or further (a draft may never go out).
COUNTED = (Status.IN_APPROVAL, Status.APPROVED, Status.SIGNED, Status.ISSUED)
PLAN_RULE = "R70.annual_plan"  # the annual plan of art. 70 (加强发文统筹): its events cite it
ITEM_FIELDS = ("title", "kind", "quarter", "month", "reason")


def _kinds(on: dt.date) -> list[str]:
    return list(rules.param("documents.kinds", on))


def _year(value: Any, on: dt.date) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Refused(f"年度须为整数，收到“{value}”", field="year") from None
    if not on.year - 1 <= year <= on.year + 1:
        raise Refused(f"只能编制{on.year - 1}—{on.year + 1}年度的发文计划", field="year")
    return year


def clean_item(*, title: Any = "", kind: Any = "", quarter: Any = None, month: Any = None, reason: Any = "",
               on: dt.date) -> dict:
    """One plan item's fields, validated; the first problem is refused naming its field."""
    title = str(title or "").strip()
    if not title:
        raise Refused("拟发文件标题不能为空", field="title")
    if len(title) > 200:
        raise Refused("拟发文件标题不能超过200字", field="title")
    refuse_bad_text(title, "title", "拟发文件标题", single_line=True)
    kind = str(kind or "").strip()
    if kind not in _kinds(on):
        raise Refused(f"文种“{kind}”不是《党政机关公文处理工作条例》规定的15种公文之一", field="kind")

    def number(value, field, label, low, high):
        if value in (None, ""):
            return None
        try:
            n = int(value)
        except (TypeError, ValueError):
            raise Refused(f"{label}须为{low}—{high}的整数，收到“{value}”", field=field) from None
        if not low <= n <= high:
            raise Refused(f"{label}须为{low}—{high}的整数，收到{n}", field=field)
        return n

    month = number(month, "month", "计划月份", 1, 12)
    quarter = number(quarter, "quarter", "计划季度", 1, 4)
    if month is not None:
        if quarter is not None and quarter != (month - 1) // 3 + 1:
            raise Refused(f"{month}月不在第{quarter}季度", field="month")
        quarter = (month - 1) // 3 + 1
    if quarter is None:
        raise Refused("请填写计划季度或月份", field="quarter")
    reason = str(reason or "").strip()
    if not reason:
        raise Refused("请写明发文依据和理由（为什么要发这个文件）", field="reason")
    if len(reason) > 500:
        raise Refused("发文依据和理由不能超过500字", field="reason")
    return {"title": title, "kind": kind, "quarter": quarter, "month": month, "reason": reason}


# ==== services ======================================================================================

def plan_create(*, actor: Person, unit: Unit, year: Any, note: str = "", items: list[dict] | None = None,
                on: dt.date | None = None) -> DocumentPlan:
    """编制年度发文计划: a unit makes its plan for a year (optionally with its first items)."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    if unit is None:
        raise Refused("请选择单位", field="unit")
    if unit.government_id != actor.government_id:
        raise Refused("该单位不属于本区政府", field="unit")
    if not access.may_edit_plan_of(actor, unit, on=on):
        raise Forbidden("只有本单位可以编制本单位的年度发文计划")
    year = _year(year, on)
    note = (note or "").strip()
    if len(note) > 500:
        raise Refused("说明不能超过500字", field="note")
    cleaned = []
    for i, item in enumerate(items or []):
        try:
            cleaned.append(clean_item(**{k: item.get(k) for k in ITEM_FIELDS}, on=on))
        except Refused as e:
            raise Refused(f"第{i + 1}项：{e.message}", field=f"items[{i}].{e.field}") from None
    if DocumentPlan.objects.filter(unit=unit, year=year).exists():
        raise Refused(f"{unit.name}{year}年度发文计划已经编制，请在原计划中增改条目", field="year", status=409)
    with transaction.atomic():
        plan = DocumentPlan.objects.create(government_id=unit.government_id, unit=unit, year=year, note=note,
                                           created_by=actor)
        for fields in cleaned:
            PlanItem.objects.create(plan=plan, **fields)
        audit_append(actor=actor, action="documents.plan.create", obj_type=PLAN_OBJ, obj_id=str(plan.pk),
                     after={"unit": unit.pk, "year": year, "items": [f["title"] for f in cleaned]}, article=rules.article_of(PLAN_RULE, on),
                     summary=f"编制{unit.name}{year}年度发文计划（{len(cleaned)}项）")
    return plan


def plan_item_add(*, actor: Person, plan_id, on: dt.date | None = None, **fields) -> PlanItem:
    """增补计划条目."""
    on = on or rules.today()
    plan = access.plan_for_edit(actor, plan_id, on=on)
    unknown = sorted(set(fields) - set(ITEM_FIELDS))
    if unknown:
        raise Refused(f"未知字段：{'、'.join(unknown)}", field=unknown[0])
    cleaned = clean_item(**fields, on=on)
    with transaction.atomic():
        item = PlanItem.objects.create(plan=plan, **cleaned)
        DocumentPlan.objects.filter(pk=plan.pk).update(version=F("version") + 1)
        audit_append(actor=actor, action="documents.plan.item_add", obj_type=PLAN_OBJ, obj_id=str(plan.pk),
                     after={"item": item.pk, **cleaned}, article=rules.article_of(PLAN_RULE, on), summary=f"计划增补：{cleaned['title']}")
    return item


def _item_for_edit(actor: Person, item_id, on: dt.date) -> PlanItem:
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise Refused("计划条目编号须为整数", field="item_id") from None
    item = PlanItem.objects.select_related("plan", "plan__unit").filter(pk=item_id).first()
    if item is None:
        from zhengwu.errors import NotFound

        raise NotFound(f"计划条目{item_id}不存在", field="item_id")
    access.plan_for_edit(actor, item.plan_id, on=on)
    return item


def plan_item_update(*, actor: Person, item_id, version: int | None = None, on: dt.date | None = None,
                     **fields) -> PlanItem:
    """修改计划条目 (only what changed is written and recorded)."""
    on = on or rules.today()
    item = _item_for_edit(actor, item_id, on)
    unknown = sorted(set(fields) - set(ITEM_FIELDS))
    if unknown:
        raise Refused(f"未知字段：{'、'.join(unknown)}", field=unknown[0])
    if item.withdrawn:
        raise Refused("该条目已撤销，不能修改", field="item_id", status=409)
    merged = {k: getattr(item, k) for k in ITEM_FIELDS}
    merged.update(fields)
    if "month" in fields and "quarter" not in fields:
        merged["quarter"] = None  # a new month sets its quarter
    cleaned = clean_item(**merged, on=on)
    changed = {k: v for k, v in cleaned.items() if getattr(item, k) != v}
    if not changed:
        return item
    if version is not None and version != item.version:
        raise Conflict("该计划条目已被他人修改，请刷新后再改")
    with transaction.atomic():
        won = PlanItem.objects.filter(pk=item.pk, version=item.version).update(version=F("version") + 1, **changed)
        if not won:
            raise Conflict("该计划条目已被他人修改，请刷新后再改")
        audit_append(actor=actor, action="documents.plan.item_update", obj_type=PLAN_OBJ, obj_id=str(item.plan_id),
                     before={"item": item.pk, **{k: getattr(item, k) for k in changed}},
                     after={"item": item.pk, **changed}, article=rules.article_of(PLAN_RULE, on), summary=f"修改计划条目：{cleaned['title']}")
    item.refresh_from_db()
    return item


def plan_item_withdraw(*, actor: Person, item_id, reason: str, on: dt.date | None = None) -> PlanItem:
    """撤销计划条目 (an item no document is linked to; the trail keeps it)."""
    on = on or rules.today()
    item = _item_for_edit(actor, item_id, on)
    reason = (reason or "").strip()
    if not reason:
        raise Refused("撤销计划条目须说明理由", field="reason")
    if item.withdrawn:
        raise Refused("该条目已撤销", field="item_id", status=409)
    if item.documents.exists():
        raise Refused("已有公文关联该计划条目，不能撤销", field="item_id", status=409)
    with transaction.atomic():
        set_once(item, where={"withdrawn": False}, withdrawn=True, field="item_id",
                 message=lambda fresh: "该条目已撤销" if fresh is None or fresh.withdrawn else None)
        audit_append(actor=actor, action="documents.plan.item_withdraw", obj_type=PLAN_OBJ,
                     obj_id=str(item.plan_id), before={"item": item.pk, "withdrawn": False},
                     after={"item": item.pk, "withdrawn": True, "reason": reason}, article=rules.article_of(PLAN_RULE, on),
                     summary=f"撤销计划条目：{item.title}（{reason[:60]}）")
    return item


def item_for_document(*, unit: Unit, direction: str, issuing_as: str, item_id) -> PlanItem | None:
    """The plan item a document may be linked to (None for no link): an item of the drafting
    unit's plan — or, for a document of the 区政府 or its 办公室 (incl. 代拟), of the office's."""
    if item_id in (None, "", 0, "0"):
        return None
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise Refused("年度发文计划条目编号须为整数", field="plan_item") from None
    item = PlanItem.objects.select_related("plan", "plan__unit").filter(pk=item_id).first()
    if item is None or item.plan.government_id != unit.government_id:
        raise Refused(f"年度发文计划条目{item_id}不存在", field="plan_item")
    if direction != Direction.OUTGOING:
        raise Refused("只有发文列入年度发文计划（报送区政府的公文不属发文计划）", field="plan_item")
    if item.withdrawn:
        raise Refused(f"计划条目“{item.title}”已撤销", field="plan_item")
    government_doc = issuing_as in ("government", "office")
    if item.plan.unit_id != unit.pk and not (government_doc and item.plan.unit.kind == access.OFFICE_UNIT_KIND):
        raise Refused(f"计划条目“{item.title}”属于{item.plan.unit.name}的年度发文计划，不是本单位的",
                      field="plan_item")
    return item


def document_plan_link(*, actor: Person, document_id, item_id, on: dt.date | None = None) -> Document:
    """关联年度发文计划: the drafting unit links its draft to a plan item (or unlinks it: None)."""
    on = on or rules.today()
    doc = access.document_for_unit_action(actor, document_id, on=on)
    if doc.status not in (Status.DRAFT, Status.RETURNED):
        raise Refused(f"该公文{doc.get_status_display()}，不能再修改计划关联", field="document_id", status=409)
    item = item_for_document(unit=doc.unit, direction=doc.direction, issuing_as=doc.issuing_as, item_id=item_id)
    new = item.pk if item else None
    if new == doc.plan_item_id:
        return doc
    with transaction.atomic():
        won = Document.objects.filter(pk=doc.pk, version=doc.version).update(plan_item_id=new,
                                                                               version=F("version") + 1)
        if not won:
            raise Conflict("该公文已被他人修改，请刷新后再改")
        audit_append(actor=actor, action="documents.document.plan_link", obj_type=DOC_OBJ, obj_id=str(doc.pk),
                     before={"plan_item": doc.plan_item_id}, after={"plan_item": new}, article=rules.article_of(PLAN_RULE, on),
                     summary=f"关联年度发文计划：{item.title}" if item else "取消关联年度发文计划（计划外发文）")
    doc.refresh_from_db()
    return doc


# ==== selectors =====================================================================================

def plans_of_year(person: Person, year: int, *, on: dt.date | None = None):
    return access.visible_plans(person, on=on).filter(year=year)


def items_for_drafting(person: Person, unit: Unit | None, *, on: dt.date | None = None) -> list[PlanItem]:
    """The plan items a draft of `unit` may be linked to (its own plans and, for the government's
    documents, the office's), of this year and the next, not withdrawn."""
    on = on or rules.today()
    if unit is None:
        return []
    q = Q(plan__unit=unit)
    office = org.units(unit.government).filter(kind=access.OFFICE_UNIT_KIND).values_list("pk", flat=True)
    q |= Q(plan__unit_id__in=list(office))
    return list(PlanItem.objects.filter(q, withdrawn=False, plan__year__in=[on.year, on.year + 1])
                .select_related("plan", "plan__unit").order_by("plan__year", "plan__unit__order", "quarter",
                                                                 "month", "id"))


@dataclass
class CountRow:
    unit: Unit
    plan: DocumentPlan | None
    items: int = 0  # items in the plan (not withdrawn)
    items_used: int = 0  # items at least one counted document is linked to
    planned: int = 0  # counted documents linked to a plan item
    unplanned: int = 0  # counted documents with no plan item (临时性发文)

    @property
    def total(self) -> int:
        return self.planned + self.unplanned

    @property
    def unplanned_share(self) -> str:
        return f"{round(100 * self.unplanned / self.total)}%" if self.total else "—"


def _in_year(year: int) -> Q:
    return Q(signed_on__year=year) | Q(signed_on__isnull=True, created_at__year=year)


def counts(person: Person, year: int, *, on: dt.date | None = None) -> list[CountRow]:
    """Per unit the person may see: its plan for `year`, and its outgoing documents of that year
    (sent for signing or further; the year is the year of signing, else of drafting), planned
    (linked to a plan item) or not. Units with neither a plan nor a document are left out. A
    fixed number of queries whatever the number of units."""
    on = on or rules.today()
    gov = person.government
    if gov is None:
        return []
    units = org.units(gov)
    if not access.sees_every_unit(person, on):
        units = units.filter(pk__in=access.own_unit_ids(person, on))
    units = {u.pk: u for u in units}
    plans = {p.unit_id: p for p in DocumentPlan.objects.filter(unit_id__in=units, year=year)
             .annotate(n_items=Count("items", filter=Q(items__withdrawn=False)))}
    docs = (Document.objects.filter(unit_id__in=units, direction=Direction.OUTGOING, status__in=COUNTED)
            .filter(_in_year(year)).values("unit_id")
            .annotate(planned=Count("id", filter=Q(plan_item__isnull=False)),
                      unplanned=Count("id", filter=Q(plan_item__isnull=True)),
                      used=Count("plan_item", distinct=True)))
    by_unit = {d["unit_id"]: d for d in docs}
    rows = []
    for pk, unit in units.items():
        plan, d = plans.get(pk), by_unit.get(pk)
        if plan is None and d is None:
            continue
        rows.append(CountRow(unit=unit, plan=plan, items=plan.n_items if plan else 0,
                             items_used=d["used"] if d else 0, planned=d["planned"] if d else 0,
                             unplanned=d["unplanned"] if d else 0))
    return rows


def counts_xlsx(rows: list[CountRow], *, year: int, government_name: str, on: dt.date) -> bytes:
    """The counts as an .xlsx sheet (年度发文计划执行情况)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from zhengwu.output.excel import safe_cell, workbook_bytes

    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度发文计划执行情况"
    headers = ["单位", "计划条目数", "已发文的计划条目", "计划内发文", "计划外发文（临时性发文）", "发文合计", "计划外占比"]
    ws.append([safe_cell(f"{government_name}{year}年度发文计划执行情况")])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"导出日期：{on:%Y-%m-%d}（发文按签发年度计，未签发的按拟稿年度计）"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    ws.append(headers)
    for cell in ws[3]:
        cell.font = Font(name="宋体", bold=True)
        cell.fill = PatternFill("solid", fgColor="E8ECF1")
    for r in rows:
        ws.append([safe_cell(r.unit.name), r.items, r.items_used, r.planned, r.unplanned, r.total, r.unplanned_share])
    ws.append(["合计", sum(r.items for r in rows), sum(r.items_used for r in rows), sum(r.planned for r in rows),
               sum(r.unplanned for r in rows), sum(r.total for r in rows), ""])
    for col, width in zip("ABCDEFG", (28, 12, 16, 12, 24, 10, 12)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    return workbook_bytes(wb)
