"""The rules of proactive disclosure (arts. 33, 35, 37, 67, 89): every rule has a case it breaches
and one it complies with (cases/disclosure.yaml, also run one by one by test_rule_cases.py), each
message ends with its citation, and the lists come from the rulebook. Pure: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.rulebook import load_rules
from zhengwu.rulebook.rules import disclosure as disclosure_rules

from rulecases import assert_cases_consistent, assert_each_rule_both_ways, assert_messages_cite, load_cases, run_cases_of

CASES = load_cases("disclosure.yaml")


def _owned() -> set[str]:
    return {rid for rid, spec in load_rules().items() if spec.fn.__module__ == disclosure_rules.__name__}


def test_every_disclosure_rule_is_shown_both_ways_and_cites_its_article():
    owned = _owned()
    assert owned == {"R33.withholding_basis", "R35.meeting_decisions", "R89.confidentiality_review",
                     "R37.release_approval", "R67.policy_interpretation", "R33.in_time", "R33.annual_report",
                     "R33.annual_report_due"}
    assert_each_rule_both_ways(CASES, owned)
    assert_cases_consistent(CASES)
    assert assert_messages_cite(CASES, dt.date(2026, 12, 7)) >= len(owned)


@pytest.mark.rules("R33.withholding_basis", "R33.in_time")
def test_article_33_not_disclosing_needs_its_legal_basis_and_disclosure_is_timely():
    run_cases_of(CASES, "R33.withholding_basis", "R33.in_time")


@pytest.mark.rules("R33.annual_report", "R33.annual_report_due")
def test_article_33_the_annual_report_after_the_year_and_by_31_march():
    run_cases_of(CASES, "R33.annual_report", "R33.annual_report_due")


@pytest.mark.rules("R35.meeting_decisions")
def test_article_35_meeting_decisions_are_published_unless_secret():
    run_cases_of(CASES, "R35.meeting_decisions")


@pytest.mark.rules("R37.release_approval")
def test_article_37_important_information_is_approved_before_release():
    run_cases_of(CASES, "R37.release_approval")


@pytest.mark.rules("R89.confidentiality_review")
def test_article_89_confidentiality_review_before_release():
    run_cases_of(CASES, "R89.confidentiality_review")


@pytest.mark.rules("R67.policy_interpretation")
def test_article_67_a_normative_document_is_published_with_its_interpretation():
    run_cases_of(CASES, "R67.policy_interpretation")
