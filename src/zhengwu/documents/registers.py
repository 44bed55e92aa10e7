"""The two ledgers of the 区政府办公室: 收文登记簿 (intake register) and 发文登记簿 (issue register).

Selectors only (reads): the filtered rows a person may see — always within
`access.visible_documents(person)` — and the .xlsx export of exactly those rows.

- 收文登记簿: incoming documents that have been given a 收文号 (registered or later: 已登记, 审批中,
  已答复, or 已退回 / 已报送 again after a return), newest number first.
- 发文登记簿: outgoing documents that have been given a 发文字号 (已签发, 已印发), newest first.

Filters come from GET parameters (see `parse_filters`); a bad value is refused naming the field.
"Overdue" (超期) applies to the intake register: not yet answered and past its 办理时限
(decision_needed_by) today, or answered after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import urlencode

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Length

from zhengwu.errors import Refused
from zhengwu.org.models import Unit

from . import access, services
from .models import Direction, Document

Status = Document.Status

INCOMING = "incoming"
OUTGOING = "outgoing"
REGISTERS = (INCOMING, OUTGOING)
TITLES = {INCOMING: "收文登记簿", OUTGOING: "发文登记簿"}
PAGE_SIZE = 50

INCOMING_STATUSES = (Status.SUBMITTED, Status.REGISTERED, Status.IN_APPROVAL, Status.RETURNED, Status.ANSWERED)
OUTGOING_STATUSES = (Status.SIGNED, Status.ISSUED)
OPEN_INCOMING = (Status.SUBMITTED, Status.REGISTERED, Status.IN_APPROVAL)  # the government still owes an answer

YEAR_RANGE = (2000, 2100)


# ==== filters =====================================================================================

@dataclass(frozen=True)
class Filters:
    year: int | None = None
    unit: int | None = None
    status: str = ""
    urgency: str = ""
    kind: str = ""
    date_from: dt.date | None = None  # 报送日期 (incoming) / 签发日期 (outgoing), inclusive
    date_to: dt.date | None = None
    overdue: bool = False  # incoming only
    public: bool | None = None  # outgoing only: 主动公开 or not
    registered_from: dt.date | None = None  # incoming only: 登记日期, inclusive
    registered_to: dt.date | None = None

    PARAMS = {"year": "year", "unit": "unit", "status": "status", "urgency": "urgency", "kind": "kind",
              "date_from": "from", "date_to": "to", "overdue": "overdue", "public": "public",
              "registered_from": "reg_from", "registered_to": "reg_to"}

    def params(self) -> dict[str, str]:
        """The GET parameters that reproduce these filters (only those set)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", False):
                continue
            if isinstance(value, bool):
                value = "1" if value else "0"
            elif isinstance(value, dt.date):
                value = value.isoformat()
            out[self.PARAMS[f.name]] = str(value)
        return out

    def query(self) -> str:
        """urlencoded, ending in "&" when not empty (for links that append page= or format=)."""
        params = self.params()
        return urlencode(params) + "&" if params else ""

    @property
    def active(self) -> bool:
        return bool(self.params())


def status_choices(register: str) -> list[tuple[str, str]]:
    statuses = INCOMING_STATUSES if register == INCOMING else OUTGOING_STATUSES
    return [(s.value, s.label) for s in statuses]


def _int(value: str, name: str, label: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise Refused(f"{label}须为整数：{value}", field=name) from None


def _date(value: str, name: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Refused(f"{label}须为日期（YYYY-MM-DD）：{value}", field=name) from None


def parse_filters(register: str, params: Mapping[str, Any], *, unit_ids: Iterable[int],
                  kinds: Iterable[str]) -> Filters:
    """Filters from GET parameters; empty values mean "any". Refuses a bad value naming the
    parameter (year, unit, status, urgency, kind, from, to, overdue, public)."""
    if register not in REGISTERS:
        raise Refused(f"没有该登记簿：{register}", field="register")

    def get(name: str) -> str:
        return (params.get(name) or "").strip()

    values: dict[str, Any] = {}
    if year := get("year"):
        values["year"] = _int(year, "year", "年度")
        if not YEAR_RANGE[0] <= values["year"] <= YEAR_RANGE[1]:
            raise Refused(f"年度须在{YEAR_RANGE[0]}—{YEAR_RANGE[1]}之间", field="year")
    if unit := get("unit"):
        values["unit"] = _int(unit, "unit", "单位")
        if values["unit"] not in set(unit_ids):
            raise Refused("没有该单位", field="unit")
    if status := get("status"):
        if status not in dict(status_choices(register)):
            raise Refused(f"{TITLES[register]}没有该状态：{status}", field="status")
        values["status"] = status
    if urgency := get("urgency"):
        levels = services.urgencies()
        if urgency not in levels:
            raise Refused(f"紧急程度须为{'、'.join(levels)}之一", field="urgency")
        values["urgency"] = urgency
    if kind := get("kind"):
        if kind not in set(kinds):
            raise Refused(f"没有该文种：{kind}", field="kind")
        values["kind"] = kind
    if date_from := get("from"):
        values["date_from"] = _date(date_from, "from", "起始日期")
    if date_to := get("to"):
        values["date_to"] = _date(date_to, "to", "截止日期")
    if values.get("date_from") and values.get("date_to") and values["date_from"] > values["date_to"]:
        raise Refused("截止日期不能早于起始日期", field="to")
    for name, key, label in (("reg_from", "registered_from", "登记起始日期"), ("reg_to", "registered_to", "登记截止日期")):
        if value := get(name):
            if register != INCOMING:
                raise Refused("发文登记簿没有“登记日期”筛选", field=name)
            values[key] = _date(value, name, label)
    if values.get("registered_from") and values.get("registered_to") and \
            values["registered_from"] > values["registered_to"]:
        raise Refused("登记截止日期不能早于起始日期", field="reg_to")
    if overdue := get("overdue"):
        if overdue not in ("1", "0", "on"):
            raise Refused("“只看超期”须为 1 或 0", field="overdue")
        if register != INCOMING and overdue != "0":
            raise Refused("发文登记簿没有“超期”筛选", field="overdue")
        values["overdue"] = overdue != "0"
    if public := get("public"):
        if public not in ("1", "0"):
            raise Refused("公开属性须为 1（主动公开）或 0（不予公开）", field="public")
        if register != OUTGOING:
            raise Refused("收文登记簿没有“公开属性”筛选", field="public")
        values["public"] = public == "1"
    return Filters(**values)


# ==== rows ========================================================================================

def _overdue_q(on: dt.date) -> Q:
    open_late = Q(status__in=OPEN_INCOMING, decision_needed_by__lt=on)
    answered_late = Q(status=Status.ANSWERED, answered_on__gt=F("decision_needed_by"))
    return open_late | answered_late


def _visible(person, on: dt.date) -> QuerySet:
    # a subquery, so the outer query needs no DISTINCT and can order by expressions on both vendors;
    # the government filter repeated outside lets the database use its index instead of scanning
    # every government's documents (a cost that grew with the data: bench P3). The office and the
    # 区长 see every document of their government: no subquery at all.
    mine = Document.objects.filter(government_id=person.government_id)
    scope = access.document_scope(person, on)
    if not scope:
        return mine
    return mine.filter(pk__in=mine.filter(scope).distinct().values("pk"))


def rows(register: str, person, filters: Filters, *, on: dt.date) -> QuerySet:
    """The register's rows the person may see, filtered, newest first; each row carries
    `overdue` (bool). Select-related unit and signer: no query per row."""
    qs = _visible(person, on).select_related("unit", "signer").defer("body", "answer", "signer__password")
    if register == INCOMING:
        qs = qs.filter(direction=Direction.INCOMING).exclude(intake_number="")
        number, day = "intake_number", "submitted_on"
    elif register == OUTGOING:
        qs = qs.filter(direction=Direction.OUTGOING).exclude(doc_number="")
        number, day = "doc_number", "signed_on"
    else:
        raise Refused(f"没有该登记簿：{register}", field="register")
    if filters.year:
        qs = qs.filter(**{f"{number}__contains": f"〔{filters.year}〕"})  # the numbering year
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.urgency:
        qs = qs.filter(urgency=filters.urgency)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.date_from:
        qs = qs.filter(**{f"{day}__gte": filters.date_from})
    if filters.date_to:
        qs = qs.filter(**{f"{day}__lte": filters.date_to})
    if filters.public is not None:
        qs = qs.filter(public=filters.public)
    if filters.registered_from:
        qs = qs.filter(registered_on__gte=filters.registered_from)
    if filters.registered_to:
        qs = qs.filter(registered_on__lte=filters.registered_to)
    if register == INCOMING:
        late = _overdue_q(on)
        if filters.overdue:
            qs = qs.filter(late)
        qs = qs.annotate(overdue=Case(When(late, then=Value(True)), default=Value(False),
                                      output_field=BooleanField()))
        # 白洮政收〔2026〕12号: by year, then by sequence — the stored key (numbering.register_key),
        # read along doc_intake_register_idx, not a sort of the year by the number's text
        return qs.order_by("-intake_key", "-id")
    qs = qs.annotate(overdue=Value(False, output_field=BooleanField()))
    return qs.annotate(number_len=Length(number)).order_by(f"-{day}", "-number_len", f"-{number}", "-id")


# ==== .xlsx export ================================================================================

@dataclass(frozen=True)
class Column:
    label: str
    width: float  # in Excel character widths; a CJK character is about two
    value: Callable[[Document], Any]
    is_date: bool = False


def _person(p) -> str:
    return (p.full_name or p.username) if p else ""


def _disclosure(doc: Document) -> str:
    if doc.public:
        return "主动公开"
    return "不予公开" + (f"（{doc.non_disclosure_reason}）" if doc.non_disclosure_reason else "")


COLUMNS: dict[str, list[Column]] = {
    INCOMING: [
        Column("收文号", 22, lambda d: d.intake_number),
        Column("来文单位", 24, lambda d: d.unit.name),
        Column("标题", 50, lambda d: d.title),
        Column("文种", 8, lambda d: d.kind),
        Column("紧急程度", 10, lambda d: d.urgency),
        Column("报送日期", 12, lambda d: d.submitted_on, is_date=True),
        Column("登记日期", 12, lambda d: d.registered_on, is_date=True),
        Column("办理时限", 12, lambda d: d.decision_needed_by, is_date=True),
        Column("状态", 10, lambda d: d.get_status_display()),
        Column("答复日期", 12, lambda d: d.answered_on, is_date=True),
    ],
    OUTGOING: [
        Column("发文字号", 24, lambda d: d.doc_number),
        Column("标题", 50, lambda d: d.title),
        Column("拟稿单位", 24, lambda d: d.unit.name),
        Column("签发人", 10, lambda d: _person(d.signer)),
        Column("签发日期", 12, lambda d: d.signed_on, is_date=True),
        Column("状态", 10, lambda d: d.get_status_display()),
        Column("公开属性", 24, _disclosure),
        Column("年度发文计划", 12, lambda d: "计划内" if d.plan_item_id else "计划外"),  # art. 70
    ],
}


def describe(register: str, filters: Filters, units: Mapping[int, Unit] | None = None) -> str:
    """The filters in words, for the export's second row."""
    parts = []
    if filters.year:
        parts.append(f"{filters.year}年")
    if filters.unit:
        unit = (units or {}).get(filters.unit)
        parts.append(f"单位：{unit.name if unit else filters.unit}")
    if filters.status:
        parts.append(f"状态：{dict(status_choices(register)).get(filters.status, filters.status)}")
    if filters.urgency:
        parts.append(f"紧急程度：{filters.urgency}")
    if filters.kind:
        parts.append(f"文种：{filters.kind}")
    if filters.date_from or filters.date_to:
        what = "报送日期" if register == INCOMING else "签发日期"
        parts.append(f"{what}：{filters.date_from or '…'}至{filters.date_to or '…'}")
    if filters.registered_from or filters.registered_to:
        parts.append(f"登记日期：{filters.registered_from or '…'}至{filters.registered_to or '…'}")
    if filters.overdue:
        parts.append("只看超期")
    if filters.public is not None:
        parts.append("主动公开" if filters.public else "不予公开")
    return "；".join(parts) or "全部"


def filename(register: str, filters: Filters, on: dt.date) -> str:
    return f"{TITLES[register]}{'-' + str(filters.year) if filters.year else ''}-{on:%Y%m%d}.xlsx"


def export_xlsx(register: str, documents: Iterable[Document], *, government_name: str, filters: Filters,
                on: dt.date, units: Mapping[int, Unit] | None = None) -> bytes:
    """The rows as an .xlsx ledger: a title row, a row naming the filters, the header (frozen,
    with an autofilter, repeated on every printed page), dates as real dates, column widths,
    overdue 办理时限 in red; landscape A4."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from zhengwu.output.excel import safe_cell, workbook_bytes

    columns = COLUMNS[register]
    last = get_column_letter(len(columns))
    wb = Workbook()
    ws = wb.active
    ws.title = TITLES[register]

    title = f"{government_name}{TITLES[register]}" + (f"（{filters.year}年）" if filters.year else "")
    ws.append([safe_cell(title)])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.append([safe_cell(f"筛选：{describe(register, filters, units)}　　导出日期：{on:%Y-%m-%d}")])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(name="宋体", size=10, color="555555")

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([c.label for c in columns])
    for i, _ in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=i)
        cell.font = Font(name="宋体", bold=True)
        cell.fill = PatternFill("solid", fgColor="E8ECF1")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width

    red = Font(name="宋体", color="B8322A", bold=True)
    body_font = Font(name="宋体")
    wrap = Alignment(vertical="top", wrap_text=True)
    deadline_col = next((i for i, c in enumerate(columns, start=1) if c.label == "办理时限"), None)
    row_no = 3
    for doc in documents:
        row_no += 1
        ws.append([safe_cell(c.value(doc)) for c in columns])
        for i, c in enumerate(columns, start=1):
            cell = ws.cell(row=row_no, column=i)
            cell.border = border
            cell.font = body_font
            if c.is_date:
                cell.number_format = "yyyy-mm-dd"
                cell.alignment = Alignment(horizontal="center", vertical="top")
            else:
                cell.alignment = wrap
        if getattr(doc, "overdue", False) and deadline_col:
            ws.cell(row=row_no, column=deadline_col).font = red

    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{last}{max(row_no, 3)}"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook_bytes(wb)
