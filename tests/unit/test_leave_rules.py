"""The rules of art. 89 (请销假) and 94 (领导公务活动由办公室统一安排): every rule both ways in
tests/unit/cases/leave.yaml (run by test_rule_cases.py, each citing its article)."""

import pytest

from rulecases import assert_each_rule_both_ways, load_cases, run_cases_of

CASES = load_cases("leave.yaml")
OWNED = {"R89.leave_kind", "R89.leave_beforehand", "R89.deputy_leave_approver", "R94.office_arranged"}


def test_every_leave_rule_complies_and_breaches_in_the_cases():
    assert_each_rule_both_ways(CASES, OWNED)


@pytest.mark.rules(*sorted(OWNED))
def test_the_cases_give_exactly_their_findings():
    run_cases_of(CASES, *sorted(OWNED))
