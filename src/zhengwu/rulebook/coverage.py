"""`zhengwu rules coverage`: every article with its class, what implements it and the tests that run it.

An article is credited only through what runs:
- a **rule**, when code checks its topic (`rules.check/enforce("<topic>", …)`, found statically in
  the source: `enforced_at` names each call site, file:line);
- a **route** of the book, when code starts it: the module that calls `approval_start` declares the
  routes it starts with `rulebook.starts("<route id>", …)` (found statically: `started_at`). The
  test suite keeps the declarations honest (tests/conftest.py): a test fails when code starts a
  route its module has not declared, and a test marked with a declared route fails unless that
  module's code started it while the test ran. Routes the book declares but no code starts are
  listed as `declared_only_routes` and credit nothing;
- a declared implementation (`declare(...)`: register, reminder, report).
Each of them also needs a test marked `@pytest.mark.rules("<id>", ...)`; tests/conftest.py fails a
marked test that does not actually exercise the id.

Parameters never credit an article by themselves; the report lists each article's parameters that
code reads and, apart, those no code reads (`unread_parameters`). A parameter is read when its name
appears as a string literal (or matches an f-string such as f"meetings.{t}.quorum") in the package's
source outside the demo data, or names the time limit of a step of a route code starts. A static
scan, not a trace of the test suite: it is simple, repeatable without running anything, and errs
only towards "read" where a name is written but its value ignored.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .facts import topics as registered_topics
from .loader import library
from .registry import implementations, load_rules

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/zhengwu
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


# ---- the package's source, read statically ---------------------------------------------------------

def is_demo_module(module: str) -> bool:
    """Demo data (zhengwu.demo, zhengwu.<app>.demo, zhengwu.demo_*) is not code that enforces the rules."""
    return any(part == "demo" or part.startswith("demo_") for part in module.split(".")[1:])


def is_product_module(module: str) -> bool:
    return module.startswith("zhengwu.") and not is_demo_module(module)



def _module_name(path: Path, package_dir: Path) -> str:
    rel = path.relative_to(package_dir.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@dataclass(frozen=True)
class Source:
    """One product module, walked once: its calls, its string literals (no docstrings, no parts of
    f-strings) and its f-strings."""
    module: str
    rel: str  # src/zhengwu/…/x.py
    tree: ast.Module
    calls: tuple[ast.Call, ...]
    strings: tuple[ast.Constant, ...]
    fstrings: tuple[ast.JoinedStr, ...]


def _index(module: str, rel: str, tree: ast.Module) -> Source:
    calls, strings, fstrings, skip = [], [], [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            calls.append(node)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))  # a bare string statement (docstring) reads nothing
        elif isinstance(node, ast.JoinedStr):
            fstrings.append(node)
            skip.update(id(v) for v in node.values)  # its literal parts are not names by themselves
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.append(node)
    return Source(module, rel, tree, tuple(calls), tuple(n for n in strings if id(n) not in skip), tuple(fstrings))


@lru_cache(maxsize=None)
def _sources(package_dir: Path = PACKAGE_DIR) -> tuple[Source, ...]:
    """Every product module of the package (no demo data, no migrations)."""
    out = []
    base = package_dir.parent
    prefix = "src/" if base.name == "src" else ""
    for path in sorted(package_dir.rglob("*.py")):
        if "migrations" in path.relative_to(package_dir).parts:
            continue
        module = _module_name(path, package_dir)
        if not is_product_module(module):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        out.append(_index(module, prefix + path.relative_to(base).as_posix(), tree))
    return tuple(out)


def _call_name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    found[t.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = node.value
    return found


def _strings(node: ast.expr, consts: dict[str, ast.expr], seen: frozenset = frozenset()) -> list[str] | None:
    """The strings an argument of `starts()` stands for: a literal, a module constant, `*CONST`
    (a tuple/list/set of them) or `*CONST.values()` (a dict of them). None if it is anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in consts and node.id not in seen:
        return _strings(consts[node.id], consts, seen | {node.id})
    if isinstance(node, ast.Starred):
        return _strings(node.value, consts, seen)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        out = []
        for e in node.elts:
            got = _strings(e, consts, seen)
            if got is None:
                return None
            out += got
        return out
    if isinstance(node, ast.Dict):
        return _strings(ast.List(elts=list(node.values)), consts, seen)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "values"
            and not node.args):
        return _strings(node.func.value, consts, seen)
    if isinstance(node, ast.Call) and _call_name(node) in ("set", "tuple", "list", "frozenset", "starts"):
        return _strings(ast.List(elts=list(node.args)), consts, seen)
    return None


class StartsError(ValueError):
    pass


@lru_cache(maxsize=None)
def declared_starts(package_dir: Path = PACKAGE_DIR) -> dict[str, dict[str, str]]:
    """route id -> {module: site of its `starts()` declaration}, read from the source."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for src in _sources(package_dir):
        module, rel = src.module, src.rel
        consts = None
        for node in src.calls:
            if _call_name(node) == "starts" and module != "zhengwu.rulebook.registry":
                consts = consts if consts is not None else _module_constants(src.tree)
                for arg in node.args:
                    ids = _strings(arg, consts)
                    if ids is None:
                        raise StartsError(f"{rel}:{node.lineno}: starts() takes route ids as literals or "
                                          f"module constants, got {ast.unparse(arg)}")
                    for rid in ids:
                        found[rid].setdefault(module, f"{rel}:{node.lineno}")
    return dict(found)


def start_problems(marked: list[str] | tuple[str, ...], started: list[tuple[str, str]],
                   declared: dict[str, dict[str, str]] | None = None) -> list[str]:
    """What is wrong with the route starts seen while a test marked with `marked` ran (`started`:
    (route id, the module whose code started it), as the engine records them): product code that
    started a route its module does not declare with `starts()`, and a marked route that code
    declares but did not start in this test (a start from the test itself or the demo data does not
    count). The test suite fails a test with any (tests/conftest.py)."""
    declared = declared_starts() if declared is None else declared
    problems = [f"{m} starts route {r} but does not declare it with zhengwu.rulebook.starts()"
                for r, m in sorted(set(started)) if is_product_module(m) and m not in declared.get(r, {})]
    for rid in marked:
        if rid in declared and not any(r == rid and m in declared[rid] for r, m in started):
            problems.append(f"test is marked with route {rid}, but the code that starts it "
                            f"({', '.join(sorted(declared[rid]))}) did not start it in this test")
    return problems


def modules_calling(name: str, package_dir: Path = PACKAGE_DIR) -> dict[str, str]:
    """module -> site of its first call of a function called `name` (e.g. approval_start)."""
    found = {}
    for src in _sources(package_dir):
        lines = [n.lineno for n in src.calls if _call_name(n) == name]
        if lines:
            found[src.module] = f"{src.rel}:{min(lines)}"
    return found


def _fstring_pattern(node: ast.JoinedStr) -> re.Pattern | None:
    r"""f"meetings.{t}.quorum" -> meetings\.[^.]+\.quorum; None unless its literal part names a dotted key."""
    parts, literal = [], ""
    for v in node.values:
        if isinstance(v, ast.Constant) and isinstance(v.value, str):
            parts.append(re.escape(v.value))
            literal += v.value
        else:
            parts.append(r"[^.\s]+")
    if "." not in literal or not re.search(r"[a-z_]{3,}", literal):
        return None
    return re.compile("".join(parts))


@lru_cache(maxsize=None)
def _literals(package_dir: Path = PACKAGE_DIR) -> tuple[tuple[str, str, bool], ...]:
    """(string, site, is_pattern) of every string literal and f-string in product code (no docstrings)."""
    out = []
    for src in _sources(package_dir):
        found = [(node.lineno, node.value, False) for node in src.strings]
        for node in src.fstrings:
            pat = _fstring_pattern(node)
            if pat is not None:
                found.append((node.lineno, pat.pattern, True))
        out += [(text, f"{src.rel}:{line}", is_pattern) for line, text, is_pattern in sorted(found)]
    return tuple(out)


def parameter_reads(book, started_routes: set[str], package_dir: Path = PACKAGE_DIR) -> dict[str, list[str]]:
    """parameter name -> where code reads it (file:line, or `route <id>` for a step's time limit)."""
    names = set(book.parameters)
    found: dict[str, list[str]] = defaultdict(list)
    for text, site, is_pattern in _literals(package_dir):
        if is_pattern:
            pat = re.compile(text)
            for n in names:
                if pat.fullmatch(n):
                    found[n].append(site)
        elif text in names:
            found[text].append(site)
    for route in book.routes.values():
        if route.id in started_routes:
            for stage in route.stages:
                for step in stage.steps:
                    if isinstance(step.limit, str) and step.limit in names:
                        found[step.limit].append(f"route {route.id}")
    return {n: list(dict.fromkeys(s)) for n, s in found.items()}


def rule_call_sites(package_dir: Path = PACKAGE_DIR) -> dict[str, list[str]]:
    """rule id -> where code runs that one rule by id (`get_rule("R98.in_force")`, as `check` does
    for a record dated before any book)."""
    found: dict[str, list[str]] = defaultdict(list)
    for src in _sources(package_dir):
        if src.module.startswith("zhengwu.rulebook.rules") or src.module == __name__:
            continue
        for node in src.calls:
            if (_call_name(node) == "get_rule" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found[node.args[0].value].append(f"{src.rel}:{node.lineno}")
    return dict(found)


def enforcement_sites(topic_names: set[str], package_dir: Path = PACKAGE_DIR) -> dict[str, list[str]]:
    """topic -> the call sites that check it (`rules.check/enforce("<topic>", …)` or any function
    whose name says check/enforce, with the topic first); where code names a topic only as data
    (e.g. a (topic, facts) pair handed to such a call), those literals instead."""
    calls: dict[str, list[str]] = defaultdict(list)
    named: dict[str, list[str]] = defaultdict(list)
    for src in _sources(package_dir):
        if src.module.startswith("zhengwu.rulebook"):
            continue  # the rules themselves, and this report
        in_call = set()
        for node in src.calls:
            if node.args and re.search(r"check|enforce", _call_name(node)):
                a = node.args[0]
                if isinstance(a, ast.Constant) and a.value in topic_names:
                    calls[a.value].append(f"{src.rel}:{node.lineno}")
                    in_call.add(id(a))
        for node in src.strings:
            if node.value in topic_names and id(node) not in in_call:
                named[node.value].append(f"{src.rel}:{node.lineno}")
    return {t: calls.get(t) or named.get(t) or [] for t in topic_names if calls.get(t) or named.get(t)}


_CODE_SITES: dict[tuple[str, Path], tuple[dict, dict, dict]] = {}


def code_sites(book, package_dir: Path = PACKAGE_DIR) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """What code does with the book, read from the source (kept per book; the source does not change
    while a process runs): (rule id -> where code checks it, route id -> where code declares it
    starts it, parameter name -> where code reads it). A missing key means: no code."""
    key = (book.id, package_dir)
    if key not in _CODE_SITES:
        specs = load_rules()
        enforced = enforcement_sites({s.topic for s in specs.values()} | set(registered_topics()), package_dir)
        by_id = rule_call_sites(package_dir)
        checked = {rid: sites for rid, spec in specs.items()
                   if (sites := by_id.get(rid, []) + enforced.get(spec.topic, []))}
        started = {rid: sorted(mods.values()) for rid, mods in declared_starts(package_dir).items()}
        _CODE_SITES[key] = (checked, started, parameter_reads(book, set(started), package_dir))
    return _CODE_SITES[key]


# ---- the report -----------------------------------------------------------------------------------

def coverage_report(tests_dir: Path = TESTS_DIR, package_dir: Path = PACKAGE_DIR) -> list[dict]:
    """One row per article: what implements it and is credited (rules checked by code, routes code
    starts, declared implementations), the tests marked with those, and, apart and not credited,
    routes only the book declares, rules no code checks, and parameters no code reads."""
    book = library().current
    specs = load_rules()
    checked, starts, reads = code_sites(book, package_dir)
    tests = scan_tests(tests_dir)
    items: dict[int, list[dict]] = defaultdict(list)
    for spec in sorted(specs.values(), key=lambda s: s.id):
        if book.enables(spec.id):
            sites = checked.get(spec.id, [])
            items[spec.article].append({"id": spec.id, "kind": "rule", "topic": spec.topic, "severity": spec.severity,
                                        "enforced_at": sites, "credited": bool(sites)})
    for route in sorted(book.routes.values(), key=lambda r: r.id):
        sites = starts.get(route.id, [])
        items[route.article].append({"id": route.id, "kind": "route", "started_by_code": bool(sites),
                                     "started_at": sites, "credited": bool(sites)})
    for impl in sorted(implementations().values(), key=lambda i: i.id):
        items[impl.article].append({"id": impl.id, "kind": impl.kind, "credited": True})
    params: dict[int, list[str]] = defaultdict(list)
    for p in sorted(book.parameters.values(), key=lambda p: p.name):
        params[p.article].append(p.name)
    out = []
    for number in sorted(book.articles):
        art = book.articles[number]
        row_items = items.get(number, [])
        for it in row_items:
            it["tests"] = sorted(tests.get(it["id"], []))
        credited = [it for it in row_items if it["credited"]]
        names = params.get(number, [])
        out.append({
            "article": number,
            "label": art.label,
            "chapter": art.chapter_title,
            "class": book.classes.get(number, ""),
            # credited ids only: a route no code starts or a rule no code checks is not listed here
            "rules": [it["id"] for it in credited],
            "tests": sorted({t for it in credited for t in it["tests"]}),
            "covered": any(it["tests"] for it in credited),
            "items": row_items,
            "declared_only_routes": [it["id"] for it in row_items if it["kind"] == "route" and not it["credited"]],
            "unenforced_rules": [it["id"] for it in row_items if it["kind"] == "rule" and not it["credited"]],
            "parameters": [{"name": n, "read": n in reads, "read_at": reads.get(n, [])} for n in names],
            "unread_parameters": [n for n in names if n not in reads],
        })
    return out


def _where(it: dict) -> str:
    if it["kind"] == "rule":
        return "checked at " + ", ".join(it["enforced_at"]) if it["enforced_at"] else "no code checks its topic"
    if it["kind"] == "route":
        return "started by " + ", ".join(it["started_at"]) if it["started_at"] else "declared in the book only"
    return it["kind"]


def run_coverage(*, as_json: bool) -> int:
    report = coverage_report()
    if as_json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    done = 0
    for row in report:
        done += row["covered"] and row["class"] in ("E", "W")
        rules = ", ".join(row["rules"]) or "—"
        print(f"{row['label']:<6}\t{row['class']}\t{len(row['tests']):>3} tests\t{rules}")
        for it in row["items"]:
            if it["credited"]:
                print(f"\t\t{it['id']:<40} {len(it['tests']):>3} tests  {_where(it)}")
    ew = sum(1 for r in report if r["class"] in ("E", "W"))
    print(f"\n{len(report)} articles; {done} of {ew} E/W articles are covered: implemented by code that runs "
          "(rules checked by code, routes started by code, declared implementations) and tested")
    uncredited = [(r["label"], it) for r in report for it in r["items"] if not it["credited"]]
    if uncredited:
        print("\nNot credited (declared, but no code runs them):")
        for label, it in uncredited:
            print(f"  {label:<6}\t{it['kind']:<6}\t{it['id']:<40} {_where(it)}")
    unread = [(r["label"], n) for r in report for n in r["unread_parameters"]]
    if unread:
        print("\nParameters no code reads (not credited):")
        for label, n in unread:
            print(f"  {label:<6}\t{n}")
    return 0
