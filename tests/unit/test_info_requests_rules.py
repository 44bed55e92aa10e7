"""Requests for information and 舆情 (cases/info_requests.yaml): every rule of
rulebook/rules/info_requests.py is shown both breached and complied with, each citing its article."""

import datetime as dt

import pytest

from rulecases import (assert_cases_consistent, assert_each_rule_both_ways, assert_messages_cite, load_cases,
                       run_cases_of)

CASES = load_cases("info_requests.yaml")
OWNED = {"R33.receipt_date", "R33.one_correction", "R33.correction_window", "R33.one_extension",
         "R33.answer_type", "R33.partial_release", "R33.answer_deadline", "R36.lead_unit", "R36.response_clock",
         "R33.correction_lapsed"}


def test_every_rule_is_shown_both_ways_with_its_article():
    assert_each_rule_both_ways(CASES, OWNED)
    assert_cases_consistent(CASES)
    assert assert_messages_cite(CASES, dt.date(2026, 11, 16)) >= 10


@pytest.mark.rules("R33.receipt_date", "R33.one_correction", "R33.correction_window")
def test_receipt_by_channel_and_one_correction_within_7_working_days():
    run_cases_of(CASES, "R33.receipt_date", "R33.one_correction", "R33.correction_window")


@pytest.mark.rules("R33.one_extension", "R33.answer_type", "R33.partial_release", "R33.answer_deadline")
def test_one_extension_seven_answers_part_release_and_the_deadline():
    run_cases_of(CASES, "R33.one_extension", "R33.answer_type", "R33.partial_release", "R33.answer_deadline")


@pytest.mark.rules("R33.correction_lapsed")
def test_no_correction_within_the_notices_period_is_taken_as_giving_up_the_request():
    run_cases_of(CASES, "R33.correction_lapsed")


@pytest.mark.rules("R36.lead_unit", "R36.response_clock")
def test_a_public_opinion_event_has_its_lead_unit_and_is_answered_within_its_hours():
    run_cases_of(CASES, "R36.lead_unit", "R36.response_clock")
