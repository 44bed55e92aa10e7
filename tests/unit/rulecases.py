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
