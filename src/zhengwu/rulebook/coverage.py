"""`zhengwu rules coverage`: every article with its class, its rules and the tests that exercise them.

Rules are the registered predicates citing the article, the rulebook's routes citing it, and
declared implementations (registers, reminders, reports). Tests are found by their
`@pytest.mark.rules("<id>", ...)` marks (tests/conftest.py fails a marked test that does not
actually exercise the id, so the list is honest).
"""

from __future__ import annotations

import ast
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

from .loader import library
from .registry import implementations, load_rules

TESTS_DIR = Path(os.environ.get("ZHENGWU_TESTS_DIR", Path(__file__).resolve().parents[3] / "tests"))


def _mark_ids(decorator: ast.expr) -> list[str] | None:
    """The string args of `pytest.mark.rules(...)` / `mark.rules(...)`, else None."""
    if not isinstance(decorator, ast.Call):
        return None
    f = decorator.func
    if isinstance(f, ast.Attribute) and f.attr == "rules":
        return [a.value for a in decorator.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return None


def scan_tests(tests_dir: Path = TESTS_DIR) -> dict[str, list[str]]:
    """Map each rule/route/implementation id to the test node ids marked as exercising it."""
    found: dict[str, list[str]] = defaultdict(list)
    if not tests_dir.is_dir():
        return found
    root = tests_dir.parent
    for path in sorted(tests_dir.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(root).as_posix()
        module_ids: list[str] = []
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets):
                values = node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else [node.value]
                for v in values:
                    module_ids += _mark_ids(v) or []

        def visit(node, prefix: str, inherited: list[str]):
            for child in node.body:
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    ids = list(inherited)
                    for d in child.decorator_list:
                        ids += _mark_ids(d) or []
                    name = f"{prefix}::{child.name}"
                    if isinstance(child, ast.ClassDef):
                        visit(child, name, ids)
                    elif child.name.startswith("test"):
                        for i in dict.fromkeys(ids):
                            found[i].append(name)

        visit(tree, rel, module_ids)
    return found


def coverage_report(tests_dir: Path = TESTS_DIR) -> list[dict]:
    book = library().current
    by_article: dict[int, list[str]] = defaultdict(list)
    for spec in load_rules().values():
        by_article[spec.article].append(spec.id)
    for route in book.routes.values():
        by_article[route.article].append(route.id)
    for item in implementations().values():
        by_article[item.article].append(item.id)
    tests = scan_tests(tests_dir)
    out = []
    for number in sorted(book.articles):
        art = book.articles[number]
        ids = sorted(dict.fromkeys(by_article.get(number, [])))
        out.append({
            "article": number,
            "label": art.label,
            "chapter": art.chapter_title,
            "class": book.classes.get(number, ""),
            "rules": ids,
            "tests": sorted({t for i in ids for t in tests.get(i, [])}),
        })
    return out


def run_coverage(*, as_json: bool) -> int:
    report = coverage_report()
    if as_json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    done = 0
    for row in report:
        ok = bool(row["rules"] and row["tests"])
        done += ok and row["class"] in ("E", "W")
        rules = ", ".join(row["rules"]) or "—"
        print(f"{row['label']:<6}\t{row['class']}\t{len(row['tests']):>3} tests\t{rules}")
    ew = sum(1 for r in report if r["class"] in ("E", "W"))
    print(f"\n{len(report)} articles; {done} of {ew} E/W articles have rules and tests")
    return 0
