"""The rules of a meeting's decision on a 三重一大 dossier and of what follows it (art. 13, 29,
76, 77): where a decided matter goes on, that only the 区政府 submits to the 区委 and only after
its 常务会议 or 区长办公会议 approved it, and that the outcomes and lists come from the rulebook.
Pure: no database."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from pathlib import Path

import pytest
import yaml

from zhengwu.rulebook import Library, check, library, parse_rulebook
from zhengwu.rulebook.rules import decisions as rules_mod
from zhengwu.rulebook.rules.decisions import DecisionFacts, EscalationFacts, escalation_bodies

DAY = dt.date(2026, 11, 2)
BOOK_FILE = Path(rules_mod.__file__).resolve().parents[1] / "books" / "taobei-2020.yaml"


@functools.cache
def _book_data() -> dict:
    return yaml.safe_load(BOOK_FILE.read_text(encoding="utf-8"))


def _book_with(**changes) -> Library:
    data = copy.deepcopy(_book_data())
    for name, value in changes.items():
        assert name in data["parameters"], name
        data["parameters"][name]["value"] = value
    return Library([parse_rulebook(data)])


# the deciding meeting and its discussion: members spoke, the chair last (art. 28, 29)
HELD = dict(meeting_ref="区政府2026年第23次常务会议", speaking_order=(("deputy_head", False), ("district_head", True)))


@pytest.mark.rules("R28.collective_decision")
def test_the_collective_decision_is_the_deciding_meetings_own_discussion():
    """Art. 28's 集体讨论决定 is the decision itself: a named meeting where members spoke."""
    facts = DecisionFacts(outcome="通过", meeting_type="standing", title="城北物流园区基础设施建设项目", **HELD)
    assert check("decisions.decision", facts, on=DAY) == []
    for change, field in [({"meeting_ref": ""}, "meeting_ref"), ({"speaking_order": ()}, "speaking_order"),
                          ({"speaking_order": (("district_head", True),)}, "speaking_order")]:
        [v] = check("decisions.decision", DecisionFacts(**{**facts.__dict__, **change}), on=DAY)
        assert (v.rule_id, v.article, v.field) == ("R28.collective_decision", 28, field)
        assert v.message.startswith("集体讨论决定是“三重一大”事项决策的必经程序")
        assert v.message.endswith("（《工作规则》第二十八条）")


@pytest.mark.rules("R13.decided_by_meeting", "R29.decided_by", "R76.prior_approval")
def test_a_head_office_meetings_approval_in_principle_is_a_path_to_the_party_committee():
    """Art. 76(三): a matter the 区委 decides goes there after the 常务会议 or the 区长办公会议 讨论原则同意;
    a matter the 区政府 decides itself stays with the 常务会议 (art. 13, 29)."""
    facts = DecisionFacts(outcome="原则通过", meeting_type="head_office", title="城北物流园区基础设施建设项目",
                          dossier_type="major_project", to_party_committee=True, **HELD)
    assert check("decisions.decision", facts, on=DAY) == []
    assert check("decisions.escalation", esc(prior_meeting_type="head_office"), on=DAY) == []
    [v] = check("decisions.decision", DecisionFacts(**{**facts.__dict__, "to_party_committee": False}), on=DAY)
    assert (v.rule_id, v.article) == ("R13.decided_by_meeting", 13)
    [v] = check("decisions.decision", DecisionFacts(**{**facts.__dict__, "meeting_type": "topical"}), on=DAY)
    assert (v.rule_id, v.article) == ("R13.decided_by_meeting", 13)
    [v] = check("decisions.decision", DecisionFacts(**{**facts.__dict__, "meeting_type": "party_group"}), on=DAY)
    assert (v.rule_id, v.article) == ("R29.decided_by", 29) and v.message.endswith("（《工作规则》第二十九条）")


def esc(**kw) -> EscalationFacts:
    base = dict(body="party_committee", title="城北物流园区基础设施建设项目", dossier_type="major_project",
                submitting_unit="区政府办公室", submitting_unit_kind="gov_office", prior_meeting_type="standing",
                prior_outcome="原则通过", committee_matter="major_measures")
    base.update(kw)
    return EscalationFacts(**base)


def test_a_decided_matter_goes_to_the_party_committee_the_congress_both_or_neither():
    assert escalation_bodies("", "") == ()
    assert escalation_bodies("major_measures", "") == ("party_committee",)
    assert escalation_bodies("", "decision") == ("people_congress",)
    assert escalation_bodies("plans", "decision") == ("party_committee", "people_congress")
    assert set(escalation_bodies("plans", "decision")) <= set(library().in_force(DAY).param(
        "decisions.escalation_bodies", DAY))


@pytest.mark.rules("R76.no_direct_submission")
def test_a_department_never_submits_to_the_party_committee_directly_but_may_to_the_congress_route():
    assert check("decisions.escalation", esc(), on=DAY) == []
    [v] = check("decisions.escalation", esc(submitting_unit="区发展和改革局", submitting_unit_kind="component_dept"),
                on=DAY)
    assert (v.rule_id, v.article, v.field) == ("R76.no_direct_submission", 76, "submitting_unit")
    assert "区政府有关部门不得直接向区委提交议题" in v.message and "区发展和改革局" in v.message
    assert v.message.endswith("（《工作规则》第七十六条）")
    # Art. 76 is about the 区委: it says nothing of who carries a matter to the 区人大.
    assert check("decisions.escalation", esc(body="people_congress", committee_matter="", congress_matter="filing",
                                             submitting_unit_kind="component_dept"), on=DAY) == []


@pytest.mark.rules("R76.prior_approval")
def test_only_a_matter_the_standing_or_head_office_meeting_approved_goes_to_the_party_committee():
    for meeting in ("standing", "head_office"):
        for outcome in ("通过", "原则通过"):
            assert check("decisions.escalation", esc(prior_meeting_type=meeting, prior_outcome=outcome), on=DAY) == []
    for meeting, outcome, field in [("topical", "通过", "prior_meeting_type"), ("", "", "prior_meeting_type"),
                                    ("standing", "暂缓", "prior_outcome"), ("standing", "不通过", "prior_outcome"),
                                    ("standing", "", "prior_outcome")]:
        [v] = check("decisions.escalation", esc(prior_meeting_type=meeting, prior_outcome=outcome), on=DAY)
        assert (v.rule_id, v.article, v.field) == ("R76.prior_approval", 76, field)
        assert "区政府常务会议或区长办公会议讨论原则同意后报送区委" in v.message


@pytest.mark.rules("R76.committee_matter", "R77.congress_matter", "R29.escalation_body")
def test_what_is_sent_on_must_be_a_matter_the_text_lists():
    [v] = check("decisions.escalation", esc(committee_matter="weather"), on=DAY)
    assert (v.rule_id, v.article) == ("R76.committee_matter", 76)
    [v] = check("decisions.escalation", esc(body="people_congress", congress_matter="weather"), on=DAY)
    assert (v.rule_id, v.article) == ("R77.congress_matter", 77) and v.message.endswith("（《工作规则》第七十七条）")
    [v] = check("decisions.escalation", esc(body="province"), on=DAY)
    assert (v.rule_id, v.article, v.field) == ("R29.escalation_body", 29, "body")


@pytest.mark.rules("R29.outcome", "R13.decided_by_meeting", "R76.prior_approval", "R76.no_direct_submission")
def test_outcomes_meetings_and_submitters_come_from_the_rulebook_not_the_code():
    facts = DecisionFacts(outcome="基本同意", meeting_type="standing", title="城北物流园区基础设施建设项目", **HELD)
    [v] = check("decisions.decision", facts, on=DAY)
    assert (v.rule_id, v.article, v.field) == ("R29.outcome", 29, "outcome")
    wider = _book_with(**{"decisions.outcomes": ["通过", "原则通过", "基本同意", "暂缓", "不通过"]})
    assert check("decisions.decision", facts, on=DAY, lib=wider) == []
    [v] = check("decisions.decision", DecisionFacts(outcome="通过", meeting_type="head_office", **HELD), on=DAY)
    assert (v.rule_id, v.article, v.field) == ("R13.decided_by_meeting", 13, "meeting_type")
    assert v.message.endswith("（《工作规则》第十三条）")
    stricter = _book_with(**{"affairs.party_committee_prior_meetings": ["standing"]})
    [v] = check("decisions.escalation", esc(prior_meeting_type="head_office"), on=DAY, lib=stricter)
    assert v.rule_id == "R76.prior_approval"
    only_office = check("decisions.escalation", esc(submitting_unit_kind="working_office"), on=DAY)
    assert [v.rule_id for v in only_office] == ["R76.no_direct_submission"]
    broader = _book_with(**{"decisions.committee_submitting_unit_kinds": ["gov_office", "working_office"]})
    assert check("decisions.escalation", esc(submitting_unit_kind="working_office"), on=DAY, lib=broader) == []


def test_the_parameters_added_for_the_decisions_app_cite_their_articles():
    book = library().in_force(DAY)
    expected = {"decisions.outcomes": 29, "decisions.approving_outcomes": 76, "decisions.deferring_outcomes": 29,
                "decisions.escalation_bodies": 29, "decisions.congress_matters": 77,
                "decisions.committee_submitting_unit_kinds": 76, "decisions.escalation_days": 76,
                "decisions.implementation_report_days": 32, "decisions.evaluation_after_days": 32}
    for name, article in expected.items():
        assert book.parameters[name].article == article, name
    outcomes = book.param("decisions.outcomes", DAY)
    assert set(book.param("decisions.approving_outcomes", DAY)) | set(book.param("decisions.deferring_outcomes", DAY)) \
        < set(outcomes)
    for name in ("decisions.escalation_days", "decisions.implementation_report_days",
                 "decisions.evaluation_after_days"):
        assert "办公室设定" in book.parameters[name].label, name
    for route in ("decisions.escalate_party_committee", "decisions.escalate_people_congress",
                  "decisions.implementation", "decisions.evaluation"):
        assert route in book.routes, route
