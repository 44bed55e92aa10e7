"""Shared helpers for the rule-case tests (cases/*.yaml): situation → expected findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from zhengwu.rulebook import check
from zhengwu.rulebook.facts import facts_from_dict

CASES_DIR = Path(__file__).parent / "cases"


def load_cases(*names: str) -> list[dict]:
    return [c for name in names for c in yaml.safe_load((CASES_DIR / name).read_text(encoding="utf-8"))]


def iso(value):
    """YAML reads dates as dates; facts come from JSON-like input, as the API gives them."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso(v) for v in value]
    return value


def findings(case: dict, lib=None) -> list:
    facts = facts_from_dict(case["topic"], iso(case["facts"]))
    return check(case["topic"], facts, on=case["date"], lib=lib)


def run_cases_of(cases: list[dict], *rule_ids: str) -> None:
    """Run every case about or breaching one of `rule_ids`; each must give exactly its findings,
    and each rule must be shown both breached and complied with."""
    wanted = set(rule_ids)
    breached, complied = set(), set()
    for case in cases:
        expected = {e[0] for e in case["expect"]}
        if not (expected | set(case.get("about", ()))) & wanted:
            continue
        found = findings(case)
        assert [[v.rule_id, v.article, v.severity] for v in found] == case["expect"], case["name"]
        breached |= expected & wanted
        complied |= (set(case.get("about", ())) - expected) & wanted
    assert breached == wanted, wanted - breached
    assert complied == wanted, wanted - complied


def assert_each_rule_both_ways(cases: list[dict], owned: set[str]) -> None:
    """Every owned rule is breached by some case and shown complying (`about:`) by another."""
    breached = {e[0] for c in cases for e in c["expect"]}
    complied = {rid for c in cases for rid in c.get("about", ()) if rid not in {e[0] for e in c["expect"]}}
    assert owned <= breached, owned - breached
    assert owned <= complied, owned - complied


def assert_cases_consistent(cases: list[dict]) -> None:
    """Cases name only rules of their topic, with each rule's own article and severity."""
    from zhengwu.rulebook import get_rule, rules_for

    for case in cases:
        of_topic = {r.id for r in rules_for(case["topic"])}
        assert set(case.get("about", ())) <= of_topic, case["name"]
        for rule_id, article, severity in case["expect"]:
            spec = get_rule(rule_id)
            assert rule_id in of_topic and (article, severity) == (spec.article, spec.severity), case["name"]


def assert_messages_cite(cases: list[dict], on: dt.date) -> int:
    """Every finding names a field and ends with exactly one citation of its article; returns how
    many findings were seen."""
    from zhengwu.rulebook import get_rule, library, to_chinese

    book = library().in_force(on)
    seen = 0
    for case in cases:
        for v in findings(case):
            seen += 1
            assert v.message.endswith(f"（《工作规则》第{to_chinese(v.article)}条）"), v.message
            assert v.message.endswith(book.cite(get_rule(v.rule_id).article)), v.message
            assert v.field, v
            assert v.message.count("（《工作规则》") == 1, v.message
    return seen
