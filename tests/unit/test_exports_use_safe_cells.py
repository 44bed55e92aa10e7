"""Every .xlsx export writes its cells through zhengwu.output.excel (formula prefixes as text,
characters .xlsx cannot carry replaced) and saves with workbook_bytes: checked over the source, so
a new export cannot forget it."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "zhengwu"
# not exports: the demo builds a sample spreadsheet to attach, from fixed text
NOT_EXPORTS = {"documents/demo.py", "output/excel.py"}


def test_every_module_building_a_workbook_uses_safe_cells_and_workbook_bytes():
    builders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        text = path.read_text(encoding="utf-8")
        if "Workbook(" not in text or rel in NOT_EXPORTS:
            continue
        builders.append(rel)
        assert "safe_cell" in text and "workbook_bytes(" in text, f"{rel} writes an .xlsx without output.excel"
        assert not re.search(r"\.save\((out|buf|buffer|stream|fh|io\.BytesIO)", text), \
            f"{rel} saves a workbook itself (use workbook_bytes)"
    assert {"documents/registers.py", "documents/plans.py"} <= set(builders)
