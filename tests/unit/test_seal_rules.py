"""The rules of 印信 (arts. 82-84): every rule has a case it breaches and one it complies with
(cases/seals.yaml, also run one by one by test_rule_cases.py), each message ends with its citation,
and the lists come from the rulebook. Pure: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.rulebook import load_rules
from zhengwu.rulebook.rules import seals as seal_rules

from rulecases import assert_cases_consistent, assert_each_rule_both_ways, assert_messages_cite, load_cases, run_cases_of

CASES = load_cases("seals.yaml")


def _owned() -> set[str]:
    return {rid for rid, spec in load_rules().items() if spec.fn.__module__ == seal_rules.__name__}


def test_every_seal_rule_is_shown_both_ways_and_cites_its_article():
    owned = _owned()
    assert owned == {"R82.custodian", "R82.custodian_stamps", "R82.letter_custodian", "R83.card_fields",
                     "R83.approval_chain", "R83.no_blank_paper", "R83.take_out", "R84.serving_staff", "R84.approval",
                     "R84.blank", "R84.validity"}
    assert_each_rule_both_ways(CASES, owned)
    assert_cases_consistent(CASES)
    assert assert_messages_cite(CASES, dt.date(2026, 9, 28)) >= len(owned)


@pytest.mark.rules("R82.custodian", "R82.custodian_stamps", "R82.letter_custodian")
def test_article_82_one_named_custodian_kept_locked():
    run_cases_of(CASES, "R82.custodian", "R82.custodian_stamps", "R82.letter_custodian")


@pytest.mark.rules("R83.card_fields", "R83.approval_chain", "R83.no_blank_paper", "R83.take_out")
def test_article_83_card_chain_no_blank_paper_and_taking_out():
    run_cases_of(CASES, "R83.card_fields", "R83.approval_chain", "R83.no_blank_paper", "R83.take_out")


@pytest.mark.rules("R84.serving_staff", "R84.approval", "R84.blank", "R84.validity")
def test_article_84_introduction_letters():
    run_cases_of(CASES, "R84.serving_staff", "R84.approval", "R84.blank", "R84.validity")
