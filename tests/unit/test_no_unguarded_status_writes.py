"""No domain status write bypasses the transition helper (issue 11, item 1; DESIGN: "never changes its
own status outside one guarded transition helper"). The source of the domain apps is parsed with
`ast` (nothing imported, no database) and two shapes are refused:

- `<x>.status = …` followed, in the same function, by `<x>.save(…)` (read-check-save: two people at
  once both win);
- `.update(status=…)` (a status written without the states it expects).

A status changes through `zhengwu.transitions.transition` (a conditional update on the expected
states and the version read), a single-shot field of a model without a status through
`transitions.set_once`. Migrations are left out (they move data, not domain objects); the demo
loaders go through the services, so they are checked like everything else."""

from __future__ import annotations

import ast
import pathlib
import textwrap

import pytest

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "zhengwu"
DOMAIN_APPS = ("documents", "meetings", "decisions")

# (file relative to src/zhengwu, function, shape): known offenders, each to be removed, never added to.
ALLOWED: set[tuple[str, str, str]] = set()  # nothing: every domain status write goes through transitions


def offences(source: str) -> list[tuple[str, int, str]]:
    """(function, line, shape) for every unguarded status write in `source`."""
    tree = ast.parse(source)
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        assigned: dict[str, int] = {}  # name -> first line where `<name>.status = …`
        for node in _own_nodes(fn):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for t in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]):
                        if isinstance(t, ast.Attribute) and t.attr == "status" and isinstance(t.value, ast.Name):
                            assigned.setdefault(t.value.id, node.lineno)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr"
                    and len(node.args) >= 2 and isinstance(node.args[0], ast.Name)
                    and isinstance(node.args[1], ast.Constant) and node.args[1].value == "status"):
                assigned.setdefault(node.args[0].id, node.lineno)
        for node in _own_nodes(fn):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            if (node.func.attr == "save" and isinstance(owner, ast.Name) and owner.id in assigned
                    and node.lineno >= assigned[owner.id]):
                found.append((fn.name, assigned[owner.id], "status= then save"))
            if node.func.attr in ("update", "bulk_update") and _writes_status(node):
                found.append((fn.name, node.lineno, f"{node.func.attr}(status=)"))
    return found


def _own_nodes(fn):
    """The nodes of a function, without those of the functions defined inside it (checked apart)."""
    stack = list(ast.iter_child_nodes(fn))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _writes_status(call: ast.Call) -> bool:
    for kw in call.keywords:
        if kw.arg == "status":
            return True
        if kw.arg is None and isinstance(kw.value, ast.Dict):  # .update(**{"status": …})
            if any(isinstance(k, ast.Constant) and k.value == "status" for k in kw.value.keys):
                return True
    for arg in call.args[1:]:  # bulk_update(objs, ["status", …])
        if isinstance(arg, (ast.List, ast.Tuple)) and any(
                isinstance(e, ast.Constant) and e.value == "status" for e in arg.elts):
            return True
    return False


def domain_files() -> list[pathlib.Path]:
    files = []
    for app in DOMAIN_APPS:
        files += [p for p in sorted((SRC / app).rglob("*.py")) if "migrations" not in p.parts]
    return files


def test_the_domain_apps_are_found():
    names = {p.relative_to(SRC).as_posix() for p in domain_files()}
    assert {"meetings/services.py", "decisions/services.py", "documents/intake.py"} <= names


@pytest.mark.parametrize("path", domain_files(), ids=lambda p: p.relative_to(SRC).as_posix())
def test_no_domain_status_write_bypasses_the_transition_helper(path):
    rel = path.relative_to(SRC).as_posix()
    bad = [(fn, line, shape) for fn, line, shape in offences(path.read_text(encoding="utf-8"))
           if (rel, fn, shape) not in ALLOWED]
    assert not bad, "\n".join(f"{rel}:{line} {fn}: {shape} — use zhengwu.transitions.transition / set_once"
                              for fn, line, shape in bad)


def test_every_allowed_offender_still_exists():
    """An entry is removed from ALLOWED once its function is converted (the list only shrinks)."""
    present = set()
    for path in domain_files():
        rel = path.relative_to(SRC).as_posix()
        present |= {(rel, fn, shape) for fn, _line, shape in offences(path.read_text(encoding="utf-8"))}
    assert ALLOWED <= present, f"converted, remove from ALLOWED: {sorted(ALLOWED - present)}"


# ---- the checker itself: each shape caught, the guarded ones not -------------------------------

@pytest.mark.parametrize("code, shape", [
    ("""
     def f(att):
         att.status = "present"
         att.save(update_fields=["status"])
     """, "status= then save"),
    ("""
     def f(att, at):
         att.signed_in_at, att.status = at, "present"
         att.save()
     """, "status= then save"),
    ("""
     def f(doc):
         setattr(doc, "status", "issued")
         doc.save()
     """, "status= then save"),
    ("""
     def f(pk):
         Document.objects.filter(pk=pk).update(status="returned", version=F("version") + 1)
     """, "update(status=)"),
    ("""
     def f(pk):
         Minutes.objects.filter(pk=pk).update(**{"status": "signed"})
     """, "update(status=)"),
    ("""
     def f(rows):
         Attendance.objects.bulk_update(rows, ["status", "absence_note"])
     """, "bulk_update(status=)"),
])
def test_the_checker_finds_an_unguarded_status_write(code, shape):
    assert [s for _fn, _line, s in offences(textwrap.dedent(code))] == [shape]


@pytest.mark.parametrize("code", [
    """
    def f(doc, on):
        transition(doc, expect=[Status.SIGNED], to=Status.ISSUED, issued_on=on)
    """,
    """
    def f(followup, day):
        set_once(followup, where={"issued_on__isnull": True}, issued_on=day)
    """,
    """
    def f(item):
        item.title = "新标题"
        item.save(update_fields=["title"])
    """,
    """
    def f(meeting):
        meeting.status = "approved"  # judged as it would stand, never saved
        return facts.meeting_facts(meeting)
    """,
])
def test_the_checker_lets_guarded_writes_pass(code):
    assert offences(textwrap.dedent(code)) == []
