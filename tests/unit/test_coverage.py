"""`zhengwu rules coverage` credits an article only through what runs: a route code starts, a rule
whose topic code checks, a declared implementation — each with a test marked for it. Routes only the
book declares, rules nobody checks and parameters nobody reads are listed apart and credit nothing.

The report reads the package's source statically, so each case below writes a small package (or
uses the real one) and a small tests directory, and reads the report."""

import ast
import json
import re
import textwrap
from pathlib import Path

import pytest

from zhengwu.rulebook import coverage, library

BOOK = library().current


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def marked_tests(tmp_path: Path, *ids: str) -> Path:
    marks = ", ".join(f'"{i}"' for i in ids)
    return write(tmp_path / "tests", {"test_marked.py": f"""
        import pytest

        @pytest.mark.rules({marks})
        def test_it():
            pass
        """})


def package(tmp_path: Path, files: dict[str, str]) -> Path:
    return write(tmp_path / "src" / "zhengwu", {"__init__.py": "", **files})


def row(report: list[dict], article: int) -> dict:
    [found] = [r for r in report if r["article"] == article]
    return found


def item(r: dict, item_id: str) -> dict:
    [found] = [i for i in r["items"] if i["id"] == item_id]
    return found


SEALS = """\
    from zhengwu.rulebook import starts
    from zhengwu.workflow import services as wf

    ROUTE, = starts("seal.government")


    def seal_use_request(actor, request):
        return wf.approval_start(actor=actor, route_id=ROUTE, obj_type="seals.request", obj_id="1", title="用印")
    """


# ---- routes ---------------------------------------------------------------------------------------

def test_a_route_that_code_starts_and_a_test_runs_credits_its_article(tmp_path):
    report = coverage.coverage_report(marked_tests(tmp_path, "seal.government"),
                                      package(tmp_path, {"seals/services.py": SEALS}))
    art83 = row(report, 83)
    assert art83["label"] == "第八十三条"
    assert "seal.government" in art83["rules"] and art83["covered"]
    assert art83["tests"] == ["tests/test_marked.py::test_it"]
    seal = item(art83, "seal.government")
    assert seal["started_by_code"] and seal["started_at"] == ["src/zhengwu/seals/services.py:4"]
    assert "seal.government" not in art83["declared_only_routes"]
    # the other seal routes are still only the book's
    assert set(art83["declared_only_routes"]) == {"seal.department", "seal.take_out"}


def test_a_route_only_the_book_declares_credits_nothing_even_with_a_marked_test(tmp_path):
    report = coverage.coverage_report(marked_tests(tmp_path, "seal.government", "seal.department", "seal.take_out"),
                                      package(tmp_path, {}))  # a package whose code starts none of them
    art83 = row(report, 83)
    assert (art83["tests"], art83["covered"]) == ([], False)
    assert not {"seal.government", "seal.department", "seal.take_out"} & set(art83["rules"])
    assert set(art83["declared_only_routes"]) == {"seal.government", "seal.department", "seal.take_out"}
    assert item(art83, "seal.government")["started_by_code"] is False
    assert item(art83, "seal.government")["tests"] == ["tests/test_marked.py::test_it"]  # shown, not credited


def test_a_route_only_the_demo_data_starts_credits_nothing(tmp_path):
    demo = SEALS.replace("def seal_use_request", "def load")
    report = coverage.coverage_report(marked_tests(tmp_path, "seal.government"),
                                      package(tmp_path, {"seals/demo.py": demo, "demo_big/__init__.py": demo}))
    assert row(report, 83)["covered"] is False
    assert "seal.government" in row(report, 83)["declared_only_routes"]


def test_a_route_code_starts_but_no_test_runs_is_listed_but_does_not_cover(tmp_path):
    report = coverage.coverage_report(marked_tests(tmp_path, "R12.one_head"),
                                      package(tmp_path, {"seals/services.py": SEALS}))
    art83 = row(report, 83)
    routes = [i["id"] for i in art83["items"] if i["kind"] == "route" and i["credited"]]
    assert routes == ["seal.government"] and art83["tests"] == [] and art83["covered"] is False


def test_starts_takes_literals_and_module_constants_only(tmp_path):
    pkg = package(tmp_path, {"a.py": """\
        from zhengwu.rulebook import starts
        ROUTES = {"x": "seal.department"}
        ONE = "seal.take_out"
        starts(*ROUTES.values(), ONE, "letter.blank")
        """})
    assert set(coverage.declared_starts(pkg)) == {"seal.department", "seal.take_out", "letter.blank"}
    bad = package(tmp_path / "bad", {"b.py": "from zhengwu.rulebook import starts\nstarts(route_for())\n"})
    with pytest.raises(coverage.StartsError, match="b.py:2"):
        coverage.declared_starts(bad)


# ---- the real package -----------------------------------------------------------------------------

def test_every_module_that_starts_a_route_declares_it_and_every_declaration_is_in_a_module_that_starts():
    callers = coverage.modules_calling("approval_start")
    declaring = {m for mods in coverage.declared_starts().values() for m in mods}
    engine = {"zhengwu.workflow.services"}  # defines approval_start; starts nothing itself
    assert set(callers) - engine == declaring, "declare the routes a module starts with rulebook.starts()"
    unknown = set(coverage.declared_starts()) - set(BOOK.routes)
    assert not unknown, f"starts() names routes the book does not have: {unknown}"


def test_the_routes_the_issue_found_unstarted_are_declared_only_and_no_row_credits_them():
    report = coverage.coverage_report()
    declared_only = {rid for r in report for rid in r["declared_only_routes"]}
    # affairs/bodies starts coordination_body.setup and .dept_head_change (arts. 71, 73): none is the book's only
    assert not {rid for rid in declared_only if rid.startswith("coordination_body.")}
    # the seals app starts its routes (arts. 82-84): none is the book's only
    assert not {rid for rid in declared_only if rid.startswith(("seal.", "letter."))}
    # supervision.government_name: started by supervision/services.py; visit.*, speech.*: by affairs/foreign
    assert declared_only.isdisjoint(coverage.declared_starts())
    for r in report:
        assert not set(r["rules"]) & declared_only
        credited_tests = {t for i in r["items"] if i["credited"] for t in i["tests"]}
        assert set(r["tests"]) == credited_tests
    # art. 89 is credited only through what code starts: its leave routes only the demo starts today
    for rid in ("leave.deputy_head", "leave.unit_head"):
        assert (rid in row(report, 89)["declared_only_routes"]) == (rid not in coverage.declared_starts())
    assert "doc.intake" in row(report, 68)["rules"]


# ---- rules ----------------------------------------------------------------------------------------

def test_a_rule_credits_its_article_where_code_checks_its_topic_and_names_that_file_and_line(tmp_path):
    tests = marked_tests(tmp_path, "R10.members")
    real = row(coverage.coverage_report(tests), 10)
    assert "R10.members" in real["unenforced_rules"] and "R10.members" not in real["rules"]
    pkg = package(tmp_path, {"org/services.py": """\
        from zhengwu import rules


        def member_add(facts):
            rules.enforce("org.members", facts)
        """})
    art10 = row(coverage.coverage_report(tests, pkg), 10)
    assert "R10.members" in art10["rules"] and art10["covered"]
    assert item(art10, "R10.members")["enforced_at"] == ["src/zhengwu/org/services.py:5"]


def test_each_rule_names_where_code_checks_it_and_that_line_names_its_topic(tmp_path):
    # a snapshot of the package's source: the report and the lines read below see the same files
    import shutil

    shutil.copytree(coverage.PACKAGE_DIR, tmp_path / "src" / "zhengwu",
                    ignore=lambda d, names: [n for n in names if not n.endswith(".py") and not (Path(d) / n).is_dir()])
    package_root = tmp_path
    checked = 0
    for r in coverage.coverage_report(marked_tests(tmp_path, "R12.one_head"), tmp_path / "src" / "zhengwu"):
        for i in r["items"]:
            if i["kind"] != "rule":
                continue
            for site in i["enforced_at"]:
                path, line = site.rsplit(":", 1)
                text = (package_root / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
                assert i["topic"] in text or i["id"] in text, (i["id"], site, text)
                checked += 1
    assert checked > 50
    art58 = row(coverage.coverage_report(), 58)  # the real package
    assert any(s.startswith("src/zhengwu/meetings/") for s in item(art58, "R58.quorum")["enforced_at"])


# ---- parameters -----------------------------------------------------------------------------------

def test_an_unread_parameter_is_listed_apart_and_does_not_credit_its_article(tmp_path):
    tests = marked_tests(tmp_path, "R12.one_head")
    art93 = row(coverage.coverage_report(tests, package(tmp_path / "empty", {})), 93)  # a package reading nothing
    assert set(art93["unread_parameters"]) == {p["name"] for p in art93["parameters"]} != set()
    assert art93["covered"] is False and not [r for r in art93["rules"] if r.startswith("R93.")]  # no code checks them
    for r in coverage.coverage_report(tests):
        for name in r["unread_parameters"]:
            assert {"name": name, "read": False, "read_at": []} in r["parameters"]
    # read by code (a literal, or an f-string that matches it): listed as read, still no credit alone
    pkg = package(tmp_path, {"research/services.py": """\
        from zhengwu import rules


        def plan(on, what):
            n = rules.param("research.key_topics_per_year", on)
            return n, rules.param(f"research.{what}_per_year", on)
        """})
    art93 = row(coverage.coverage_report(tests, pkg), 93)
    assert not {"research.key_topics_per_year", "research.min_months_per_year"} & set(art93["unread_parameters"])
    assert art93["covered"] is False
    reads = {p["name"]: p["read_at"] for p in art93["parameters"]}
    assert reads["research.key_topics_per_year"] == ["src/zhengwu/research/services.py:5",
                                                    "src/zhengwu/research/services.py:6"]
    assert reads["research.min_months_per_year"] == ["src/zhengwu/research/services.py:6"]


def test_a_parameter_named_only_in_a_docstring_or_the_demo_is_not_read(tmp_path):
    pkg = package(tmp_path, {"research/services.py": '"""Uses "research.key_topics_per_year"."""\n',
                             "research/demo.py": 'N = "research.key_topics_per_year"\n'})
    art93 = row(coverage.coverage_report(marked_tests(tmp_path, "R12.one_head"), pkg), 93)
    assert "research.key_topics_per_year" in art93["unread_parameters"]


def test_a_step_limit_counts_as_read_only_when_code_starts_its_route(tmp_path):
    limits = {s.limit for st in BOOK.route("decisions.escalate_party_committee").stages for s in st.steps}
    assert "decisions.escalation_days" in limits
    started = coverage.parameter_reads(BOOK, {"decisions.escalate_party_committee"}, package(tmp_path, {}))
    assert "route decisions.escalate_party_committee" in started["decisions.escalation_days"]
    assert "decisions.escalation_days" not in coverage.parameter_reads(BOOK, set(), package(tmp_path, {}))


# ---- the command ----------------------------------------------------------------------------------

def test_the_command_marks_declared_only_routes_and_unread_parameters(capsys):
    from zhengwu.cli import main

    assert main(["rules", "coverage", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [r["article"] for r in report] == list(range(1, 99))
    art83 = row(report, 83)
    assert item(art83, "seal.government")["started_by_code"] is True and art83["covered"] is True
    assert art83["declared_only_routes"] == [] and art83["unread_parameters"] == []
    assert item(row(report, 69), "doc.issue_government")["started_at"][0].startswith("src/zhengwu/documents/issuing.py:")
    assert row(report, 73)["unread_parameters"] == []  # coordination_body.head_default: read by R73.head
    unread = [(r["label"], p["name"]) for r in report for p in r["parameters"] if not p["read"]]
    assert unread == [(r["label"], n) for r in report for n in r["unread_parameters"]]
    assert all(p["read_at"] for r in report for p in r["parameters"] if p["read"])

    assert main(["rules", "coverage"]) == 0
    text = capsys.readouterr().out
    assert not re.search(r"第八十三条\s+route\s+seal\.government\s+declared in the book only", text)
    listed = text.split("Parameters no code reads (not credited):\n", 1)[1]
    assert [tuple(line.split()) for line in listed.splitlines() if line.strip()] == unread
    assert not [name for _label, name in unread if name.startswith("coordination_body.")]
    assert re.search(r"R58\.quorum\s+\d+ tests\s+checked at src/zhengwu/meetings/\S+\.py:\d+", text)


def test_the_coverage_module_stays_pure():
    tree = ast.parse(Path(coverage.__file__).read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m.startswith(("django", "zhengwu"))}


# ---- the suite's check of route starts (tests/conftest.py) ----------------------------------------

DECLARED = {"doc.intake": {"zhengwu.documents.intake": "src/zhengwu/documents/intake.py:235"}}


def test_a_marked_route_started_by_the_code_that_declares_it_passes():
    assert coverage.start_problems(["doc.intake"], [("doc.intake", "zhengwu.documents.intake")], DECLARED) == []


def test_a_marked_route_started_only_by_the_test_or_the_demo_fails():
    for starter in ("test_workflow", "zhengwu.workflow.demo"):
        [problem] = coverage.start_problems(["doc.intake"], [("doc.intake", starter)], DECLARED)
        assert "did not start it in this test" in problem and "zhengwu.documents.intake" in problem


def test_product_code_starting_a_route_it_has_not_declared_fails_and_a_test_or_demo_may_start_any():
    [problem] = coverage.start_problems([], [("seal.government", "zhengwu.seals.services")], DECLARED)
    assert problem == "zhengwu.seals.services starts route seal.government but does not declare it with zhengwu.rulebook.starts()"
    assert coverage.start_problems(["seal.government"], [("seal.government", "test_api_tasks"),
                                                         ("doc.intake", "zhengwu.demo")], DECLARED) == []


def test_the_engine_names_the_first_caller_outside_itself_as_the_starter():
    from zhengwu.rulebook import registry

    def engine_start(route_id):  # stands for workflow.services.approval_start
        registry.note_started(route_id, engine=(__name__,))

    registry.trace_start()
    try:
        engine_start("doc.intake")
    finally:
        registry.trace_stop()
    # every frame here is this module (the "engine"), so the starter is pytest's caller
    [(route, starter)] = registry.traced_starts()
    assert route == "doc.intake" and starter != __name__
    registry.trace_start()
    try:
        registry.note_started("doc.intake", engine=("nothing",))
    finally:
        registry.trace_stop()
    assert registry.traced_starts() == [("doc.intake", __name__)]
