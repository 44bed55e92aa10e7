"""The rules for official documents (公文): art. 25, 33, 67, 68, 69, 70 and 89.

The situations live in cases/documents.yaml (run one by one by test_rule_cases.py). Here: every
document rule has a case it breaches and a case it is shown to comply with; each article's cases
run under an explicit `@pytest.mark.rules(...)` so that `zhengwu rules coverage` lists them; every
message ends with its citation; thresholds come from the rulebook, not from the code; and the
facts of every topic are built from JSON, a malformed field being named. Pure: no database.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from zhengwu.rulebook import Library, check, library, load_rules, parse_rulebook
from zhengwu.rulebook.facts import FactsError, facts_from_dict, topics
from zhengwu.rulebook.rules import documents as doc_rules

from rulecases import (  # noqa: E402
    assert_cases_consistent,
    assert_each_rule_both_ways,
    assert_messages_cite,
    findings,
    load_cases,
    run_cases_of,
)

HERE = Path(__file__).parent
CASES = load_cases("documents.yaml")
BOOK_FILE = Path(doc_rules.__file__).resolve().parents[1] / "books" / "taobei-2020.yaml"
DAY = dt.date(2026, 9, 28)
ARTICLES = (25, 33, 67, 68, 69, 70, 89)
TOPICS = ("documents.submission", "documents.normative", "documents.signing", "documents.issuing",
          "documents.disclosure", "documents.classification", "documents.unit_report", "documents.briefing",
          "documents.format")


def _findings(case, lib=None):
    return findings(case, lib)


def _owned() -> dict:
    """The rules this module registers. (Rules of other modules may cite art. 89 too -- leave
    requests, say -- and are tested with their own cases.)"""
    return {rid: spec for rid, spec in load_rules().items() if spec.fn.__module__ == doc_rules.__name__}


def _run_cases_of(*rule_ids: str) -> None:
    run_cases_of(CASES, *rule_ids)


# ---- the cases as a whole ------------------------------------------------------------------


def test_the_document_rules_enforce_the_articles_on_documents():
    assert {spec.article for spec in _owned().values()} == set(ARTICLES)
    assert {spec.topic for spec in _owned().values()} == set(TOPICS)


def test_every_document_rule_has_a_complying_and_a_breaching_case():
    assert_each_rule_both_ways(CASES, set(_owned()))


def test_cases_name_only_rules_of_their_topic_with_their_own_article_and_severity():
    assert_cases_consistent(CASES)


def test_every_message_names_a_field_and_ends_with_the_citation_of_its_article():
    assert assert_messages_cite(CASES, DAY) >= len(_owned())


def test_each_rule_id_is_marked_on_a_test_the_coverage_report_can_see():
    from zhengwu.rulebook.coverage import scan_tests

    marked = scan_tests(HERE.parent)
    here = "tests/unit/test_document_rules.py::"
    for rule_id in _owned():
        assert any(t.startswith(here) for t in marked.get(rule_id, ())), rule_id


# ---- each article's cases, marked for `zhengwu rules coverage` ------------------------------


@pytest.mark.rules("R25.legality_review", "R25.department_procedure", "R25.multi_department")
def test_article_25_normative_documents_need_legality_review_and_the_departments_procedure():
    _run_cases_of("R25.legality_review", "R25.department_procedure", "R25.multi_department")


@pytest.mark.rules("R33.default_public")
def test_article_33_a_document_not_disclosed_needs_a_reason():
    _run_cases_of("R33.default_public")


@pytest.mark.rules("R33.disclosure_record")
def test_article_33_a_disclosure_record_names_a_channel_of_the_text_and_a_date_not_before_issue():
    _run_cases_of("R33.disclosure_record")


@pytest.mark.rules("R89.report_kind", "R89.report_timely")
def test_article_89_a_department_reports_the_listed_matters_to_the_government_in_time():
    _run_cases_of("R89.report_kind", "R89.report_timely")


@pytest.mark.rules("R89.report_before_briefing")
def test_article_89_a_department_reports_to_the_government_before_briefing_on_its_behalf():
    _run_cases_of("R89.report_before_briefing")


@pytest.mark.rules("R67.kind", "R67.signer", "R67.via_office", "R67.single_main", "R67.no_skip_level",
                   "R67.one_matter", "R67.no_cc_lower", "R67.unit_powers", "R67.collective_record",
                   "R67.countersign", "R67.site_verification")
def test_article_67_a_document_to_the_government_is_signed_addressed_and_countersigned_as_required():
    _run_cases_of("R67.kind", "R67.signer", "R67.via_office", "R67.single_main", "R67.no_skip_level",
                  "R67.one_matter", "R67.no_cc_lower", "R67.unit_powers", "R67.collective_record",
                  "R67.countersign", "R67.site_verification")


@pytest.mark.rules("R67.salutation")
def test_article_67_the_body_does_not_repeat_the_main_recipient_the_layout_prints():
    _run_cases_of("R67.salutation")
    assert doc_rules.repeated_salutation("区人民政府：\n为做好……", ["区人民政府"])
    assert doc_rules.repeated_salutation("\n  区人民政府:\n正文", ["区人民政府"])
    assert not doc_rules.repeated_salutation("区人民政府决定……", ["区人民政府"])
    assert not doc_rules.repeated_salutation("区财政局：", ["区人民政府"])
    assert not doc_rules.repeated_salutation("区人民政府：", [])


@pytest.mark.rules("R67.normative_procedures", "R67.fair_competition", "R67.publication_materials")
def test_article_67_a_normative_document_goes_up_with_its_procedures_reviews_and_materials():
    _run_cases_of("R67.normative_procedures", "R67.fair_competition", "R67.publication_materials")


@pytest.mark.rules("R68.lead_time", "R68.urgent_reason")
def test_article_68_the_government_gets_its_lead_time_and_very_urgent_matters_a_reason():
    _run_cases_of("R68.lead_time", "R68.urgent_reason")


@pytest.mark.rules("R69.head_signs", "R69.government_issue", "R69.office_issue")
def test_article_69_the_right_leader_signs_after_the_right_reviews():
    _run_cases_of("R69.head_signs", "R69.government_issue", "R69.office_issue")


@pytest.mark.rules("R70.annual_plan", "R70.no_reprint", "R70.own_remit", "R70.states_consent",
                   "R70.no_directive_to_towns", "R70.needless")
def test_article_70_fewer_documents():
    _run_cases_of("R70.annual_plan", "R70.no_reprint", "R70.own_remit", "R70.states_consent",
                  "R70.no_directive_to_towns", "R70.needless")


@pytest.mark.rules("R70.briefing_approved")
def test_article_70_a_department_briefing_to_the_government_needs_the_office_approval():
    _run_cases_of("R70.briefing_approved")


@pytest.mark.rules("R89.classified_body")
def test_article_89_a_classified_document_is_metadata_only():
    _run_cases_of("R89.classified_body")


# ---- behaviour worth stating on its own ----------------------------------------------------


def _submission(**kw):
    base = dict(kind="请示", unit="区教育局", signer_role="unit_head", main_recipients=("区政府",))
    return doc_rules.SubmissionFacts(**{**base, **kw})


@pytest.mark.rules("R68.lead_time")
def test_lead_time_trusts_the_working_days_the_caller_counted_on_the_official_calendar():
    """The rule computes no calendar: 2026-09-28 → 2026-10-09 is 11 calendar days but, over the
    National Day holiday, only 4 working days -- and 4 is what decides."""
    facts = _submission(submitted_on=dt.date(2026, 9, 28), decision_needed_by=dt.date(2026, 10, 9),
                        working_days_between=4)
    [v] = check("documents.submission", facts, on=DAY, only=["R68.lead_time"])
    assert (v.rule_id, v.field) == ("R68.lead_time", "decision_needed_by")
    assert "不少于7个工作日" in v.message and "仅有4个工作日" in v.message


@pytest.mark.rules("R67.via_office")
def test_every_exception_of_the_rulebook_lets_a_document_go_to_a_leader_directly():
    exceptions = library().in_force(DAY).param("documents.direct_submission_exceptions", DAY)
    assert set(exceptions) == {"leader_assigned", "top_secret", "emergency"}
    for code in exceptions:
        facts = _submission(addressed_to_leader_personally=True, exception=code)
        assert check("documents.submission", facts, on=DAY, only=["R67.via_office"]) == [], code


def _book_with(**changes) -> Library:
    """The 2020 book with some parameter values changed: proof the rules read them."""
    data = yaml.safe_load(BOOK_FILE.read_text(encoding="utf-8"))
    for name, value in changes.items():
        assert name in data["parameters"], name
        data["parameters"][name]["value"] = value
    return Library([parse_rulebook(data)])


@pytest.mark.rules("R68.lead_time", "R67.one_matter", "R67.single_main", "R69.government_issue",
                   "R89.classified_body", "R25.multi_department")
def test_thresholds_and_lists_come_from_the_rulebook_not_the_code():
    seven = _submission(submitted_on=DAY, decision_needed_by=dt.date(2026, 10, 13), working_days_between=7)
    assert check("documents.submission", seven, on=DAY) == []
    lib = _book_with(**{"approval.lead_time_days": {"一般": 10, "加急": 3, "特急": None, "特急重要": None},
                        "documents.request_matters_max": 2, "documents.main_recipients_max": 2})
    assert [v.rule_id for v in check("documents.submission", seven, on=DAY, lib=lib)] == ["R68.lead_time"]
    two = _submission(matters_count=2, main_recipients=("区政府", "区委"))
    assert check("documents.submission", two, on=DAY, lib=lib) == []
    assert {v.rule_id for v in check("documents.submission", two, on=DAY)} == {"R67.one_matter", "R67.single_main"}

    signing = doc_rules.SigningFacts(issuing_as="government", reviews_done=("office_director", "unit_leader"),
                                     signer_role="district_head")
    assert [v.rule_id for v in check("documents.signing", signing, on=DAY)] == ["R69.government_issue"]
    lib = _book_with(**{"documents.government_issue_reviews": ["office_director", "unit_leader"]})
    assert check("documents.signing", signing, on=DAY, lib=lib) == []

    internal = doc_rules.ClassificationFacts(classification="内部", has_body=True)
    lib = _book_with(**{"documents.classified_levels": ["内部", "秘密", "机密", "绝密"]})
    [v] = check("documents.classification", internal, on=DAY, lib=lib)
    assert v.field == "body" and "内部/秘密/机密/绝密" in v.message

    three = doc_rules.NormativeFacts(issuer="department", prior_written_request=True, legality_review_by="法规股",
                                     leader_reviewed=True, head_approved=True, departments_involved=2)
    assert len(check("documents.normative", three, on=DAY)) == 2
    lib = _book_with(**{"documents.normative_joint_min_departments": 3})
    assert check("documents.normative", three, on=DAY, lib=lib) == []


@pytest.mark.rules("R69.head_signs", "R69.government_issue")
def test_a_head_signed_matter_signed_by_someone_else_is_reported_once_not_twice():
    facts = doc_rules.SigningFacts(issuing_as="government", is_personnel=True, signer_role="executive_deputy",
                                   reviews_done=("office_deputy_director", "office_director", "unit_leader"))
    found = check("documents.signing", facts, on=DAY)
    assert [(v.rule_id, v.field) for v in found] == [("R69.head_signs", "signer_role")]
    assert "人员任免由区长签署" in found[0].message


def test_after_issue_obligations_of_a_normative_document_are_rulebook_data():
    book = library().in_force(DAY)
    assert book.param("documents.normative_filing_days", DAY) == 30
    assert book.parameters["documents.normative_filing_days"].article == 25
    assert book.param("documents.normative_filing_body", DAY) == "区人民代表大会及其常务委员会"
    # art. 25: only what the 区政府 makes (in its name or its office's) is filed, not a department's own
    assert book.param("documents.normative_filing_issuers", DAY) == ["government", "office"]
    assert book.parameters["documents.normative_filing_issuers"].article == 25
    assert book.param("documents.normative_post_evaluation", DAY) is True
    assert book.param("documents.kinds", DAY) == ["决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报",
                                                 "报告", "请示", "批复", "议案", "函", "纪要"]
    assert book.param("documents.classified_levels", DAY) == ["秘密", "机密", "绝密"]


# ---- facts from JSON (the API's precheck) --------------------------------------------------

FULL = {
    "documents.submission": {
        "kind": "请示", "unit": "区教育局", "signer_role": "unit_deputy", "signer_authorised": True,
        "main_recipients": ["区政府"], "cc": [["区财政局", "same"]], "addressed_to_leader_personally": False,
        "exception": "", "skips_level": False, "matters_count": 1, "within_unit_powers": False, "important": True,
        "collective_ref": "局长办公会议纪要", "asks_government_issue": True, "site_verified": True,
        "touches_other_units": ["区财政局"], "consulted_in_writing": ["区财政局"],
        "countersigned_by": [], "disagreement": False, "head_negotiated": False, "reasons_listed": False,
        "proposal": False, "urgency": "一般", "urgency_reason": "",
        "emergency_event": False, "submitted_on": "2026-09-28", "decision_needed_by": "2026-10-13",
        "working_days_between": 7, "is_briefing": False, "office_approved": False},
    "documents.normative": {
        "issuer": "government", "legality_review_by": "区司法局", "legality_reviewer_is_justice": True,
        "public_participation": True, "risk_assessment": False, "collective_decision_ref": "常务会议第9次",
        "touches_market": True, "fair_competition_review": True, "to_be_published": True,
        "interpretation_material": True, "opinion_plan": True, "skipped_steps": [["risk_assessment", "不涉及稳定风险"]],
        "prior_written_request": False, "leader_reviewed": False, "head_approved": False,
        "departments_involved": 2, "departments_consulted": True, "joint": False},
    "documents.signing": {
        "issuing_as": "office", "kind": "报告", "is_regulation": False, "upward_to": "city",
        "is_motion_to_npc": False, "is_personnel": False, "reviews_done": ["office_director", "unit_leader"],
        "signer_role": "district_head", "referred_to_head": False},
    "documents.issuing": {
        "issuer": "department", "in_annual_plan": True, "republishes_higher_level_published": False,
        "within_department_powers": True, "within_coordination_body_remit": False,
        "issued_with_government_consent": True, "states_consent": True, "directive_to_towns": True,
        "requires_towns_to_report": False, "directive_purpose": "inquiry", "directive_approved": False,
        "law_already_provides": False, "current_document_applies": False, "no_new_content": False},
    "documents.disclosure": {"public": False, "non_disclosure_reason": "涉及个人隐私", "channel": "",
                             "disclosed_on": None, "issued_on": "2026-09-25"},
    "documents.unit_report": {"kind": "assigned_matter", "occurred_on": "2026-09-21", "reported_on": "2026-09-22",
                              "working_days_between": 1},
    "documents.briefing": {"briefing_body": "congress", "reported_to_government_first": True,
                           "government_decided": False, "leaders_consulted": True},
    "documents.classification": {"classification": "机密", "has_body": False, "attachments_count": 0},
    "documents.format": {"main_recipients": ["区人民政府"], "first_line": "为做好今冬供暖工作，现请示如下："},
}


def test_every_document_topic_is_registered_for_the_precheck():
    assert set(TOPICS) <= set(topics())
    assert set(FULL) == set(TOPICS)


@pytest.mark.parametrize("topic", TOPICS)
def test_facts_of_every_topic_are_built_from_json_with_every_field(topic):
    data = json.loads(json.dumps(FULL[topic], ensure_ascii=False))
    facts = facts_from_dict(topic, data)
    cls = topics()[topic]
    assert isinstance(facts, cls)
    assert set(data) == {f for f in cls.__dataclass_fields__}, "the example names every field"
    assert check(topic, facts, on=DAY) == []  # the full example complies


def test_json_facts_get_python_types():
    f = facts_from_dict("documents.submission", FULL["documents.submission"])
    assert f.submitted_on == dt.date(2026, 9, 28) and f.decision_needed_by == dt.date(2026, 10, 13)
    assert f.cc == (("区财政局", "same"),) and f.main_recipients == ("区政府",)
    n = facts_from_dict("documents.normative", FULL["documents.normative"])
    assert n.skipped_steps == (("risk_assessment", "不涉及稳定风险"),)


@pytest.mark.parametrize("topic,facts,field", [
    ("documents.submission", {}, "facts.kind"),
    ("documents.submission", {"kind": 1}, "facts.kind"),
    ("documents.submission", {"kind": "请示", "cc": [["区财政局"]]}, "facts.cc[0]"),
    ("documents.submission", {"kind": "请示", "cc": [["区财政局", "peer"]]}, "facts.cc[0][1]"),
    ("documents.submission", {"kind": "请示", "matters_count": 0}, "facts.matters_count"),
    ("documents.submission", {"kind": "请示", "matters_count": "2"}, "facts.matters_count"),
    ("documents.submission", {"kind": "请示", "decision_needed_by": "2026-13-01"}, "facts.decision_needed_by"),
    ("documents.submission", {"kind": "请示", "decision_needed_by": "2026-10-13", "working_days_between": 7},
     "facts.submitted_on"),
    ("documents.submission", {"kind": "请示", "submitted_on": "2026-09-28", "decision_needed_by": "2026-10-13"},
     "facts.working_days_between"),
    ("documents.submission", {"kind": "请示", "submitted_on": "2026-09-28", "decision_needed_by": "2026-09-01",
                              "working_days_between": 0}, "facts.decision_needed_by"),
    ("documents.submission", {"kind": "请示", "working_days_between": -1}, "facts.working_days_between"),
    ("documents.submission", {"kind": "请示", "signer": "unit_head"}, "facts.signer"),
    ("documents.normative", {"issuer": "county"}, "facts.issuer"),
    ("documents.normative", {"issuer": "government", "skipped_steps": [["risk_assessment"]]}, "facts.skipped_steps[0]"),
    ("documents.normative", {"issuer": "department", "departments_involved": 0}, "facts.departments_involved"),
    ("documents.signing", {}, "facts.issuing_as"),
    ("documents.signing", {"issuing_as": "unit"}, "facts.issuing_as"),
    ("documents.signing", {"issuing_as": "office", "reviews_done": "office_director"}, "facts.reviews_done"),
    ("documents.issuing", {"issuer": "town"}, "facts.issuer"),
    ("documents.issuing", {"issuer": "government", "in_annual_plan": "yes"}, "facts.in_annual_plan"),
    ("documents.disclosure", {"public": False, "reason": "x"}, "facts.reason"),
    ("documents.classification", {"has_body": "true"}, "facts.has_body"),
    ("documents.classification", {"attachments_count": -1}, "facts.attachments_count"),
])
def test_malformed_document_facts_name_the_field(topic, facts, field):
    with pytest.raises(FactsError) as e:
        facts_from_dict(topic, facts)
    assert e.value.field == field
    assert str(e.value).startswith(field)
