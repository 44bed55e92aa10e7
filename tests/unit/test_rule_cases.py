"""Runs the rule cases in cases/*.yaml against the 2020 rulebook: each situation gives exactly the
expected findings, each citing its article at the end of its message."""

from pathlib import Path

import pytest
import yaml

from zhengwu.rulebook import check, library, to_chinese
from zhengwu.rulebook.facts import FactsError, facts_from_dict

from rulecases import iso as _iso  # noqa: E402

CASES = [c for path in sorted((Path(__file__).parent / "cases").glob("*.yaml"))
         for c in yaml.safe_load(path.read_text(encoding="utf-8"))]


def _marks(case):
    ids = sorted({e[0] for e in case["expect"]} | _rules_of(case))
    return [pytest.mark.rules(*ids)] if ids else []


def _rules_of(case):
    from zhengwu.rulebook import rules_for

    if case["date"] < library().books[0].effective_from:
        return {"R98.in_force"}
    return {r.id for r in rules_for(case["topic"])}


@pytest.mark.parametrize("case", [pytest.param(c, id=c["name"], marks=_marks(c)) for c in CASES])
def test_rule_case(case):
    facts = facts_from_dict(case["topic"], _iso(case["facts"]))
    found = check(case["topic"], facts, on=case["date"])
    assert [[v.rule_id, v.article, v.severity] for v in found] == case["expect"]
    for v in found:
        assert v.message.endswith(f"（《工作规则》第{to_chinese(v.article)}条）")


def test_every_org_rule_has_a_complying_and_a_breaching_case():
    from zhengwu.rulebook import load_rules

    breached = {e[0] for c in CASES for e in c["expect"]}
    complied = {r for c in CASES if not c["expect"] for r in _rules_of(c)}
    owned = {r.id for r in load_rules().values() if r.article in (10, 12, 14, 15, 29, 97, 98)}
    assert owned <= breached, owned - breached
    assert owned - {"R98.in_force"} <= complied, owned - complied


@pytest.mark.parametrize("topic,facts,field", [
    ("org.nothing", {}, "topic"),
    ("org.term", {"start": "2020-01-01"}, "facts.end"),
    ("org.term", {"start": "2020-13-01", "end": "2025-01-01"}, "facts.start"),
    ("org.term", {"start": "2020-01-01", "end": "2025-01-01", "mayor": "x"}, "facts.mayor"),
    ("org.portfolio", {"holder": "x", "position": "district_head", "units": [["a"]]}, "facts.units[0]"),
    ("org.portfolio", {"holder": 1, "position": "district_head"}, "facts.holder"),
])
def test_malformed_facts_name_the_field(topic, facts, field):
    with pytest.raises(FactsError) as e:
        facts_from_dict(topic, facts)
    assert e.value.field == field
