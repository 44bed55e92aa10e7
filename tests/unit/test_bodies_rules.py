"""Coordination bodies, emergency reports and submissions (cases/bodies.yaml): every rule of
rulebook/rules/bodies.py is shown both breached and complied with, each citing its article."""

import pytest

from rulecases import assert_each_rule_both_ways, load_cases, run_cases_of

CASES = load_cases("bodies.yaml")
OWNED = {"R72.basis", "R73.head", "R73.change", "R74.annual_goals", "R75.report", "R75.on_time",
         "R76.submission_kind", "R6.request", "R38.economy", "R77.by_government", "R78.by_government"}


def test_every_bodies_rule_is_shown_both_ways():
    assert_each_rule_both_ways(CASES, OWNED)


@pytest.mark.rules("R72.basis", "R73.head")
def test_a_body_needs_a_basis_and_is_led_by_the_leader_in_charge():
    run_cases_of(CASES, "R72.basis", "R73.head")


@pytest.mark.rules("R74.annual_goals", "R73.change")
def test_goals_by_year_end_and_who_adjusts_a_body():
    run_cases_of(CASES, "R74.annual_goals", "R73.change")


@pytest.mark.rules("R75.report", "R75.on_time")
def test_emergency_reports_are_timed_to_the_minute():
    run_cases_of(CASES, "R75.report", "R75.on_time")


@pytest.mark.rules("R6.request", "R38.economy", "R77.by_government", "R78.by_government", "R76.submission_kind")
def test_only_the_government_submits_to_the_party_committee_the_congress_and_the_cppcc():
    run_cases_of(CASES, "R6.request", "R38.economy", "R77.by_government", "R78.by_government", "R76.submission_kind")
