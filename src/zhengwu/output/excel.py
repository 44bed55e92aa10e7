"""Safe cells for every .xlsx export (openpyxl). Two dangers come with text that users typed:

* **Formula injection** (CSV/Excel injection, CWE-1236). openpyxl writes a string that starts with
  `=` as a *formula* (`=HYPERLINK("http://…")` becomes a live link, `=1+2` shows 3), and `#N/A`-like
  strings as error cells. Strings starting with `+`, `-`, `@`, tab or CR are stored as text, but
  Excel re-reads them as formulas once someone edits the cell (F2, Enter) or the sheet goes through
  CSV. `safe_cell` makes every such string plain text (an inline string, never `<f>`), and
  `workbook_bytes` marks those cells with the style's `quotePrefix` — what Excel itself sets when one
  types a leading apostrophe: the cell shows exactly the text, without an apostrophe, and stays text
  when edited.
* **Characters XML cannot carry.** openpyxl refuses C0 control characters other than tab, newline
  and CR (`IllegalCharacterError`) and a lone surrogate breaks the save — one document whose title
  holds a vertical tab (Word's manual line break) would break the export for everyone. `safe_cell`
  replaces each with a space (a lone surrogate with U+FFFD).

Use: pass every value through `safe_cell` (`ws.append([safe_cell(v) for v in row])` or
`ws.cell(row=r, column=c, value=safe_cell(v))`) and save with `workbook_bytes(wb)`. `workbook_bytes`
also turns any formula cell left in the book into text: the project's exports compute their
figures in Python and write no formulas. For CSV, `safe_csv_field` prefixes a `'` (CSV has no
quotePrefix)."""
from __future__ import annotations

import io
import re
from typing import Any

# what openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE refuses: C0 controls except \t \n \r
ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
LONE_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# openpyxl's ERROR_CODES: such a string is written as an error cell, not text
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def clean_text(text: str) -> str:
    """`text` without the characters an .xlsx (XML 1.0) cannot carry."""
    text = ILLEGAL_RE.sub(" ", text)
    return LONE_SURROGATE_RE.sub("\ufffd", text)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES) or text in ERROR_CODES


def safe_cell(value: Any) -> Any:
    """`value` ready for an openpyxl cell: strings cleaned (see `clean_text`) and, when Excel could
    read them as a formula or an error, wrapped so that openpyxl stores them as plain text; other
    values (numbers, dates, None) unchanged."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    if text.startswith("=") or text in ERROR_CODES:
        from openpyxl.cell.rich_text import CellRichText
        return CellRichText(text)  # an inline string: openpyxl never makes it a formula
    return text


def neutralise(wb) -> None:
    """Every cell of `wb` that Excel could run as a formula becomes text marked `quotePrefix`."""
    from openpyxl.cell.rich_text import CellRichText

    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type in ("f", "e") and isinstance(value, str):
                    cell.value = CellRichText(clean_text(value))
                    cell.quotePrefix = True
                elif isinstance(value, (str, CellRichText)) and is_formula_like(str(value)):
                    cell.quotePrefix = True


def workbook_bytes(wb) -> bytes:
    """The workbook saved as .xlsx bytes, after `neutralise`."""
    neutralise(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def safe_csv_field(value: Any) -> Any:
    """A CSV field that a spreadsheet opens as text: cleaned, and a leading `'` before a formula
    prefix (OWASP's advice for CSV injection)."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    return "'" + text if is_formula_like(text) else text
