"""信访 (art. 43) and public consultations (art. 42) (cases/petitions.yaml): every rule of
rulebook/rules/petitions.py is shown both breached and complied with, each citing its article."""

import pytest

from rulecases import assert_each_rule_both_ways, load_cases, run_cases_of

CASES = load_cases("petitions.yaml")
OWNED = {"R43.locality", "R43.route_in_time", "R43.notice_in_time", "R43.objection_in_time", "R43.handle_in_time",
         "R43.extension", "R43.opinion_content", "R43.review_in_time", "R42.comment_window", "R42.results"}


def test_every_petitions_rule_is_shown_both_ways():
    assert_each_rule_both_ways(CASES, OWNED)


@pytest.mark.rules("R43.locality", "R43.route_in_time", "R43.notice_in_time", "R43.objection_in_time")
def test_cases_are_routed_by_locality_and_competence_in_time():
    run_cases_of(CASES, "R43.locality", "R43.route_in_time", "R43.notice_in_time", "R43.objection_in_time")


@pytest.mark.rules("R43.handle_in_time", "R43.extension", "R43.opinion_content", "R43.review_in_time")
def test_cases_are_handled_in_60_days_extended_once_and_answered_in_full():
    run_cases_of(CASES, "R43.handle_in_time", "R43.extension", "R43.opinion_content", "R43.review_in_time")


@pytest.mark.rules("R42.comment_window", "R42.results")
def test_major_decisions_are_open_30_days_and_results_published_after():
    run_cases_of(CASES, "R42.comment_window", "R42.results")
