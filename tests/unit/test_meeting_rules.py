"""The rules for meetings and major decisions: art. 13, 28, 29, 30 and 57-66.

The situations live in cases/meetings.yaml and cases/decisions.yaml (also run one by one by
test_rule_cases.py). Here: every meeting and decision rule has a case it breaches and a case it
is shown to comply with; each article's cases run under an explicit `@pytest.mark.rules(...)` so
that `zhengwu rules coverage` lists them; every message ends with its citation; thresholds and
lists come from the rulebook, not from the code; and the facts of every topic are built from
JSON, a malformed field being named. Pure: no database.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengwu.rulebook import Library, check, library, load_rules, parse_rulebook
from zhengwu.rulebook.facts import FactsError, facts_from_dict, topics
from zhengwu.rulebook.rules import decisions as decision_rules
from zhengwu.rulebook.rules import meetings as meeting_rules

from rulecases import (  # noqa: E402
    assert_cases_consistent,
    assert_each_rule_both_ways,
    assert_messages_cite,
    findings,
    load_cases,
    run_cases_of,
)

HERE = Path(__file__).parent
CASES = load_cases("meetings.yaml", "decisions.yaml")
BOOK_FILE = Path(meeting_rules.__file__).resolve().parents[1] / "books" / "taobei-2020.yaml"
DAY = dt.date(2026, 9, 28)
ARTICLES = (13, 28, 29, 30, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 76, 77)
TOPICS = ("meetings.meeting", "meetings.frequency", "meetings.agenda_item", "meetings.attendance",
          "meetings.deliberation", "meetings.followup", "meetings.minutes", "meetings.topical_attendance",
          "decisions.dossier", "decisions.decision", "decisions.escalation", "decisions.report")
MODULES = (meeting_rules.__name__, decision_rules.__name__)


def _findings(case, lib=None):
    return findings(case, lib)


def _owned() -> dict:
    """The rules the meetings and decisions modules register (org.py's R29.five_not is not ours)."""
    return {rid: spec for rid, spec in load_rules().items() if spec.fn.__module__ in MODULES}


def _run_cases_of(*rule_ids: str) -> None:
    run_cases_of(CASES, *rule_ids)


@functools.cache
def _book_data() -> dict:
    return yaml.load(BOOK_FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _book_with(**changes) -> Library:
    """The 2020 book with some parameter values changed: proof the rules read them."""
    data = copy.deepcopy(_book_data())
    for name, value in changes.items():
        assert name in data["parameters"], name
        data["parameters"][name]["value"] = value
    return Library([parse_rulebook(data)])


# ---- the cases as a whole ------------------------------------------------------------------


def test_the_meeting_and_decision_rules_enforce_their_articles_and_topics():
    assert {spec.article for spec in _owned().values()} == set(ARTICLES)
    assert {spec.topic for spec in _owned().values()} == set(TOPICS)


def test_every_meeting_and_decision_rule_has_a_complying_and_a_breaching_case():
    assert_each_rule_both_ways(CASES, set(_owned()))


def test_cases_name_only_rules_of_their_topic_with_their_own_article_and_severity():
    assert_cases_consistent(CASES)


def test_every_message_names_a_field_and_ends_with_the_citation_of_its_article():
    assert assert_messages_cite(CASES, DAY) >= len(_owned())


def test_every_rule_has_a_chinese_summary_for_the_rulebook_viewer():
    for rule_id, spec in _owned().items():
        assert spec.summary and any("\u4e00" <= ch <= "\u9fff" for ch in spec.summary), rule_id


def test_each_rule_id_is_marked_on_a_test_the_coverage_report_can_see():
    from zhengwu.rulebook.coverage import scan_tests

    marked = scan_tests(HERE.parent)
    here = "tests/unit/test_meeting_rules.py::"
    for rule_id in _owned():
        assert any(t.startswith(here) for t in marked.get(rule_id, ())), rule_id


# ---- each article's cases, marked for `zhengwu rules coverage` ------------------------------


@pytest.mark.rules("R13.convener", "R13.major_by_meeting")
def test_article_13_the_district_head_convenes_and_major_matters_go_to_the_three_meetings():
    _run_cases_of("R13.convener", "R13.major_by_meeting")


@pytest.mark.rules("R58.convener", "R60.chair", "R61.chair")
def test_articles_58_60_61_convening_and_chairing_are_delegated_by_their_own_clauses():
    """Art. 58 lets the 区长 delegate the 召集和主持 of the 全体会议; art. 60 and 61 only the 主持 of the
    常务会议 and 区长办公会议: a refusal cites the delegation clause, never art. 13."""
    _run_cases_of("R58.convener", "R60.chair", "R61.chair")
    f = meeting_rules.MeetingFacts(meeting_type="plenary", convener="deputy_head", members=40, present=30)
    [v] = check("meetings.meeting", f, on=DAY, only=["R58.convener", "R13.convener"])
    assert (v.rule_id, v.article, v.field) == ("R58.convener", 58, "convener")
    assert v.message == ("区政府全体会议由区长或受区长委托的常务副区长召集和主持，不能由副区长召集和主持"
                         "（《工作规则》第五十八条）")
    f = meeting_rules.MeetingFacts(meeting_type="standing", convener="district_head", chair="executive_deputy",
                                   members=10, present=8)
    [v] = check("meetings.meeting", f, on=DAY, only=["R13.convener", "R60.chair"])
    assert (v.rule_id, v.article, v.field) == ("R60.chair", 60, "delegated")
    assert v.message == "常务副区长主持区政府常务会议须受区长委托，未见委托记录（《工作规则》第六十条）"


@pytest.mark.rules("R28.procedures", "R28.collective_decision")
def test_article_28_four_procedures_before_the_agenda_and_the_collective_decision_at_the_deciding_meeting():
    _run_cases_of("R28.procedures", "R28.collective_decision")


@pytest.mark.rules("R29.meeting", "R29.large_amount", "R29.last_speaker")
def test_article_29_major_decisions_go_to_the_standing_meeting_and_the_chair_speaks_last():
    _run_cases_of("R29.meeting", "R29.large_amount", "R29.last_speaker")


@pytest.mark.rules("R30.department", "R30.consultation", "R30.stability")
def test_article_30_a_department_proposal_is_researched_evaluated_consulted_and_heard():
    _run_cases_of("R30.department", "R30.consultation", "R30.stability")


@pytest.mark.rules("R13.decided_by_meeting", "R29.outcome", "R29.decided_by", "R29.escalation_body")
def test_articles_13_and_29_the_meeting_decides_in_a_set_outcome_and_sends_on_what_others_decide():
    _run_cases_of("R13.decided_by_meeting", "R29.outcome", "R29.decided_by", "R29.escalation_body")


@pytest.mark.rules("R76.no_direct_submission", "R76.prior_approval", "R76.committee_matter", "R77.congress_matter")
def test_articles_76_and_77_only_the_government_submits_to_the_party_committee_after_its_meeting():
    _run_cases_of("R76.no_direct_submission", "R76.prior_approval", "R76.committee_matter", "R77.congress_matter")


@pytest.mark.rules("R76.org_rank", "R76.org_rank_decided", "R76.report", "R76.feedback")
def test_article_76_rank_threshold_reports_and_feedback_to_the_party_committee():
    """Art. 76(一)7 (副科级以上 includes 副科级), 76(二) (a report of what the 区政府 decided) and 76(四)
    (the office's feedback on what the 区委 agreed), each both ways."""
    _run_cases_of("R76.org_rank", "R76.org_rank_decided", "R76.report", "R76.feedback")


@pytest.mark.rules("R76.org_rank")
def test_the_rank_threshold_is_read_from_the_rulebook():
    """affairs.party_committee_org_min_rank decides: raised to 正科级, a 副科级 body's change stays with the 区政府."""
    [case] = [c for c in CASES if c["expect"] == [["R76.org_rank", 76, "block"]] and "股级" not in c["name"]
              and c["facts"]["org_rank"] == "deputy_section"]
    [v] = findings(case)
    assert v.field == "committee_matter" and v.message.startswith("副科级以上机构变动、设置和人员编制等重要问题")
    assert v.message.endswith("（《工作规则》第七十六条）")
    raised = _book_with(**{"affairs.party_committee_org_min_rank": "section"})
    assert findings(case, lib=raised) == []


@pytest.mark.rules("R57.type")
def test_article_57_there_are_five_kinds_of_government_meeting():
    _run_cases_of("R57.type")


@pytest.mark.rules("R58.quorum", "R58.frequency", "R58.agenda")
def test_article_58_the_plenary_meeting_quorum_frequency_and_agenda():
    _run_cases_of("R58.quorum", "R58.frequency", "R58.agenda")


@pytest.mark.rules("R59.agenda")
def test_article_59_the_party_secretary_sets_the_party_group_agenda():
    _run_cases_of("R59.agenda")


@pytest.mark.rules("R60.quorum", "R60.frequency", "R60.agenda", "R60.minutes")
def test_article_60_the_standing_meeting_quorum_frequency_agenda_and_minutes():
    _run_cases_of("R60.quorum", "R60.frequency", "R60.agenda", "R60.minutes")


@pytest.mark.rules("R61.agenda", "R61.minutes")
def test_article_61_the_head_office_meeting_agenda_and_minutes():
    _run_cases_of("R61.agenda", "R61.minutes")


@pytest.mark.rules("R60.agenda", "R61.agenda")
def test_articles_60_61_a_deputy_proposes_only_items_of_units_in_his_portfolio_and_the_message_says_so():
    item = dict(has_substantive_content=True, has_clear_proposal=True, prior_procedure_complete=True,
                concerns_whole_district=True, confirmer="district_head", title="议题甲", lead_unit="区教育局")
    f = meeting_rules.AgendaItemFacts(meeting_type="standing", proposer="deputy_head", **item)
    [v] = check("meetings.agenda_item", f, on=DAY)
    assert (v.rule_id, v.article, v.field) == ("R60.agenda", 60, "proposer")
    assert v.message == ("“议题甲”由区长提出，或由分管的常务副区长或副区长协调审核后提出，副区长不分管牵头单位区教育局"
                         "（《工作规则》第六十条）")
    f = meeting_rules.AgendaItemFacts(meeting_type="head_office", proposer="deputy_head", **item)
    [v] = check("meetings.agenda_item", f, on=DAY)
    assert (v.rule_id, v.article) == ("R61.agenda", 61)
    assert "由分管的常务副区长或副区长提出，副区长不分管牵头单位区教育局" in v.message
    for t in ("standing", "head_office"):
        f = meeting_rules.AgendaItemFacts(meeting_type=t, proposer="deputy_head", proposer_in_charge=True, **item)
        assert check("meetings.agenda_item", f, on=DAY) == []


@pytest.mark.rules("R62.chair", "R62.agenda", "R62.minutes", "R62.attendance")
def test_article_62_the_topical_meeting_chair_agenda_minutes_and_who_takes_part():
    _run_cases_of("R62.chair", "R62.agenda", "R62.minutes", "R62.attendance")


@pytest.mark.rules("R63.gating", "R63.prior_topical", "R63.prior_topical_convener", "R63.issue_within")
def test_article_63_agenda_gating_prior_topical_meeting_and_issue_within_seven_working_days():
    _run_cases_of("R63.gating", "R63.prior_topical", "R63.prior_topical_convener", "R63.issue_within")


@pytest.mark.rules("R64.leave")
def test_article_64_leave_is_asked_of_the_chair_before_the_meeting():
    _run_cases_of("R64.leave")


@pytest.mark.rules("R65.approval")
def test_article_65_meetings_in_the_government_name_are_approved():
    _run_cases_of("R65.approval")


@pytest.mark.rules("R66.department_name", "R66.leaders_attend")
def test_article_66_department_meetings_stay_in_the_department_name():
    _run_cases_of("R66.department_name", "R66.leaders_attend")


# ---- quorum: 超过半数 (art. 58) and 半数以上 (art. 60) differ at exactly half ------------------


def _meeting(meeting_type, members, present, **kw):
    return meeting_rules.MeetingFacts(meeting_type=meeting_type, convener="district_head", members=members,
                                      present=present, **kw)


@pytest.mark.rules("R58.quorum", "R60.quorum")
def test_exactly_half_refuses_a_plenary_meeting_but_opens_a_standing_meeting():
    [v] = check("meetings.meeting", _meeting("plenary", 10, 5), on=DAY)
    assert (v.rule_id, v.article, v.severity, v.field) == ("R58.quorum", 58, "block", "present")
    assert "需超过组成人员半数" in v.message and "至少须6人" in v.message and v.message.endswith("（《工作规则》第五十八条）")
    assert check("meetings.meeting", _meeting("standing", 10, 5), on=DAY) == []
    assert check("meetings.meeting", _meeting("plenary", 10, 6), on=DAY) == []
    assert check("meetings.meeting", _meeting("standing", 10, 6), on=DAY) == []
    [v] = check("meetings.meeting", _meeting("standing", 10, 4), on=DAY)
    assert (v.rule_id, v.article) == ("R60.quorum", 60) and "达到半数以上" in v.message
    assert v.message.endswith("（《工作规则》第六十条）")


@pytest.mark.rules("R58.quorum", "R60.quorum")
@settings(max_examples=200, deadline=None)
@given(members=st.integers(min_value=1, max_value=80), data=st.data())
def test_quorum_is_more_than_half_for_plenary_and_half_or_more_for_standing(members, data):
    present = data.draw(st.integers(min_value=0, max_value=members))
    plenary = check("meetings.meeting", _meeting("plenary", members, present), on=DAY)
    standing = check("meetings.meeting", _meeting("standing", members, present), on=DAY)
    assert (plenary == []) == (2 * present > members)
    assert (standing == []) == (2 * present >= members)


def test_the_quorum_parameters_keep_the_difference_of_the_text():
    book = library().in_force(DAY)
    assert book.param("meetings.plenary.quorum", DAY) == {"fraction": 0.5, "inclusive": False}
    assert book.param("meetings.standing.quorum", DAY) == {"fraction": 0.5, "inclusive": True}


# ---- behaviour worth stating on its own ----------------------------------------------------


@pytest.mark.rules("R60.quorum", "R58.frequency", "R63.issue_within", "R29.large_amount", "R60.agenda",
                   "R63.gating", "R64.leave")
def test_thresholds_and_lists_come_from_the_rulebook_not_the_code():
    two_thirds = _book_with(**{"meetings.standing.quorum": {"fraction": 0.6667, "inclusive": True}})
    assert check("meetings.meeting", _meeting("standing", 9, 5), on=DAY) == []
    [v] = check("meetings.meeting", _meeting("standing", 9, 5), on=DAY, lib=two_thirds)
    assert v.rule_id == "R60.quorum" and "至少须7人" in v.message

    late = meeting_rules.FrequencyFacts(meeting_type="plenary", last_held=dt.date(2026, 1, 15),
                                        today=dt.date(2026, 7, 2))
    assert check("meetings.frequency", late, on=DAY) == []  # the first half-year had one
    quarterly = _book_with(**{"meetings.plenary.interval_months": 3})
    [v] = check("meetings.frequency", late, on=DAY, lib=quarterly)
    assert (v.rule_id, v.severity) == ("R58.frequency", "warn") and "2026年4月至6月未召开" in v.message

    six = meeting_rules.FollowupFacts(decided_on=DAY, today_working_days_since=6)
    assert check("meetings.followup", six, on=DAY) == []
    [v] = check("meetings.followup", six, on=DAY, lib=_book_with(**{"meetings.document_issue_days": 5}))
    assert v.rule_id == "R63.issue_within" and "5个工作日内" in v.message

    fund = decision_rules.DossierFacts(dossier_type="large_fund", amount_yuan=800_000)
    assert "R29.large_amount" not in {v.rule_id for v in check("decisions.dossier", fund, on=DAY)}
    lib = _book_with(**{"decisions.large_amount_threshold": 100})
    [v] = [v for v in check("decisions.dossier", fund, on=DAY, lib=lib) if v.rule_id == "R29.large_amount"]
    assert "80万元" in v.message and "100万元以上" in v.message

    item = meeting_rules.AgendaItemFacts(meeting_type="standing", proposer="office_director", confirmer="district_head",
                                         has_substantive_content=True, has_clear_proposal=True,
                                         prior_procedure_complete=True, concerns_whole_district=True)
    assert [v.rule_id for v in check("meetings.agenda_item", item, on=DAY)] == ["R60.agenda"]
    lib = _book_with(**{"meetings.standing.agenda_proposed_by": ["district_head", "deputy_head", "office_director"],
                        "meetings.agenda_gated_types": ["plenary"]})
    assert check("meetings.agenda_item", item, on=DAY, lib=lib) == []
    bare = meeting_rules.AgendaItemFacts(meeting_type="standing", proposer="deputy_head", confirmer="district_head")
    assert check("meetings.agenda_item", bare, on=DAY, lib=lib) == []
    assert {v.rule_id for v in check("meetings.agenda_item", bare, on=DAY)} == {"R63.gating"}

    away = meeting_rules.AttendanceFacts(meeting_type="party_group", chair="district_head")
    assert check("meetings.attendance", away, on=DAY) == []
    lib = _book_with(**{"meetings.leave_to_chair_types": ["plenary", "party_group", "standing", "head_office",
                                                          "topical"]})
    assert [v.rule_id for v in check("meetings.attendance", away, on=DAY, lib=lib)] == ["R64.leave"]


@pytest.mark.rules("R58.frequency", "R60.frequency")
def test_frequency_counts_calendar_months_and_half_years_not_rolling_intervals():
    """每月 / 每半年 (art. 58, 60): 5 January then 26 February is on time though more than a month apart;
    31 January then nothing in February is late on 1 March; the message names the period missed."""
    jan5 = meeting_rules.FrequencyFacts(meeting_type="standing", last_held=dt.date(2026, 1, 5),
                                        today=dt.date(2026, 2, 26))
    assert check("meetings.frequency", jan5, on=DAY) == []
    [v] = check("meetings.frequency", meeting_rules.FrequencyFacts(
        meeting_type="standing", last_held=dt.date(2026, 1, 5), today=dt.date(2026, 4, 1)), on=DAY)
    assert v.message == ("区政府常务会议实行例会制，一般每月召开一次：上次于2026-01-05召开，2026年2月、2026年3月未召开，"
                         "尚未安排（《工作规则》第六十条）")
    [v] = check("meetings.frequency", meeting_rules.FrequencyFacts(
        meeting_type="plenary", last_held=dt.date(2025, 11, 20), today=dt.date(2026, 5, 6),
        next_scheduled=dt.date(2026, 7, 8)), on=DAY)
    assert (v.rule_id, v.field) == ("R58.frequency", "next_scheduled") and "2026年上半年将没有召开" in v.message
    stale = meeting_rules.FrequencyFacts(meeting_type="standing", last_held=dt.date(2026, 1, 5),
                                         today=dt.date(2026, 3, 3), next_scheduled=dt.date(2026, 1, 28))
    [v] = check("meetings.frequency", stale, on=DAY)  # a date passed and not held plans nothing
    assert v.field == "last_held" and "2026年2月未召开" in v.message


@pytest.mark.rules("R58.frequency", "R60.frequency")
def test_a_month_later_is_the_same_day_or_the_last_day_of_a_shorter_month():
    assert meeting_rules.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert meeting_rules.add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert meeting_rules.add_months(dt.date(2026, 11, 15), 2) == dt.date(2027, 1, 15)
    on_time = meeting_rules.FrequencyFacts(meeting_type="standing", last_held=dt.date(2026, 1, 31),
                                           today=dt.date(2026, 2, 28))
    assert check("meetings.frequency", on_time, on=DAY) == []
    late = meeting_rules.FrequencyFacts(meeting_type="standing", last_held=dt.date(2026, 1, 31),
                                        today=dt.date(2026, 3, 1))
    [v] = check("meetings.frequency", late, on=DAY)
    assert (v.rule_id, v.severity, v.field) == ("R60.frequency", "warn", "last_held") and "一般每月" in v.message


@pytest.mark.rules("R63.issue_within")
def test_issue_within_trusts_the_working_days_the_caller_counted_on_the_official_calendar():
    """The rule computes no calendar: 2026-09-28 → 2026-10-13 is 15 calendar days but, over the
    National Day holiday, the caller counts 7 working days -- and 7 is what decides."""
    facts = meeting_rules.FollowupFacts(decided_on=DAY, issued_on=dt.date(2026, 10, 13), working_days_between=7)
    assert check("meetings.followup", facts, on=DAY) == []
    facts = meeting_rules.FollowupFacts(decided_on=DAY, issued_on=dt.date(2026, 10, 2), working_days_between=8)
    [v] = check("meetings.followup", facts, on=DAY)
    assert v.severity == "warn" and "用了8个工作日" in v.message


@pytest.mark.rules("R29.last_speaker")
def test_the_chair_speaks_last_on_every_kind_of_major_matter_of_the_rulebook():
    book = library().in_force(DAY)
    kinds = {**book.param("decisions.dossier_types", DAY), **book.param("decisions.last_speaker_matters", DAY)}
    assert {"major_decision", "cadre_appointment", "major_project", "large_fund", "major_plan", "budget"} <= set(kinds)
    first = (("district_head", True), ("deputy_head", False))
    last = (("deputy_head", False), ("district_head", True))
    for kind in kinds:
        [v] = check("meetings.deliberation", meeting_rules.DeliberationFacts(matter_type=kind, speaking_order=first),
                    on=DAY)
        assert v.rule_id == "R29.last_speaker" and kinds[kind] in v.message
        facts = meeting_rules.DeliberationFacts(matter_type=kind, speaking_order=last, complete=True)
        assert check("meetings.deliberation", facts, on=DAY) == []


@pytest.mark.rules("R65.approval", "R66.department_name")
def test_a_department_meeting_in_the_government_name_is_refused_once_under_article_66():
    facts = meeting_rules.MeetingFacts(is_department_meeting=True, held_in_government_name=True)
    found = check("meetings.meeting", facts, on=DAY)
    assert [(v.rule_id, v.article, v.field) for v in found] == [("R66.department_name", 66, "held_in_government_name")]


@pytest.mark.rules("R13.major_by_meeting", "R29.meeting", "R13.decided_by_meeting", "R29.decided_by")
def test_a_wrong_meeting_for_a_major_matter_is_reported_once_and_only_the_standing_meeting_decides():
    """Art. 13 excludes the 区长办公会议 and the 专题会议; art. 29 gives the 三重一大 to the 常务会议,
    so the 全体会议 and the 党组会议 do not decide them either: one finding per wrong meeting, and no
    message offers the 全体会议 or the 党组会议."""
    for meeting_type, expected in [("head_office", ("R13.major_by_meeting", 13)),
                                   ("topical", ("R13.major_by_meeting", 13)),
                                   ("plenary", ("R29.meeting", 29)), ("party_group", ("R29.meeting", 29))]:
        facts = decision_rules.DossierFacts(dossier_type="budget", meeting_type=meeting_type)
        found = [v for v in check("decisions.dossier", facts, on=DAY) if v.field == "meeting_type"]
        assert [(v.rule_id, v.article) for v in found] == [expected], meeting_type
        assert "区政府常务会议讨论决定" in found[0].message
        assert not any(w in found[0].message.split("不能")[0] for w in ("全体会议", "党组会议")), found[0].message
        decision = decision_rules.DecisionFacts(outcome="通过", meeting_type=meeting_type, dossier_type="budget",
                                                meeting_ref="x", speaking_order=(("deputy_head", False),))
        [v] = check("decisions.decision", decision, on=DAY)
        assert (v.rule_id, v.article) == {"R13.major_by_meeting": ("R13.decided_by_meeting", 13),
                                          "R29.meeting": ("R29.decided_by", 29)}[expected[0]]
    [v] = [v for v in check("decisions.dossier", decision_rules.DossierFacts(dossier_type="budget",
                                                                             meeting_type="head_office"), on=DAY)
           if v.field == "meeting_type"]
    assert "区长办公会议研究决定的是重要问题，不能决定重大事项" in v.message  # meetings.important_matter_types
    facts = decision_rules.DossierFacts(dossier_type="budget", meeting_type="standing")
    assert not [v for v in check("decisions.dossier", facts, on=DAY) if v.field == "meeting_type"]


@pytest.mark.rules("R28.procedures")
def test_every_mandatory_procedure_missing_is_named():
    book = library().in_force(DAY)
    labels = book.param("decisions.step_labels", DAY)
    required = book.param("decisions.required_steps", DAY)
    assert len(required) == 5
    at_meeting = book.param("decisions.meeting_steps", DAY)
    assert list(at_meeting) == ["collective_decision"] and set(at_meeting) < set(required)
    before = [c for c in required if c not in at_meeting]
    for code in before:
        steps = tuple((c, dt.date(2026, 8, 1), "依据") for c in before if c != code)
        facts = decision_rules.DossierFacts(dossier_type="major_decision", steps=steps,
                                            legality_reviewer="justice_bureau")
        [v] = check("decisions.dossier", facts, on=DAY, only=["R28.procedures"])
        assert v.message.split("尚缺")[1].startswith(labels[code]), v.message


def test_the_parameters_added_for_meetings_and_decisions_cite_their_articles():
    book = library().in_force(DAY)
    expected = {
        "meetings.party_group.conveners": 13, "meetings.convener_delegation": 58,
        "meetings.standing.agenda_proposed_by": 60, "meetings.head_office.agenda_proposed_by": 61,
        "meetings.standing.minutes_reviewed_by": 60, "meetings.head_office.minutes_reviewed_by": 61,
        "meetings.agenda_gated_types": 63, "meetings.approval_routes": 65, "meetings.approval_special_routes": 65,
        "meetings.approved_by": 65, "meetings.important_decided_by": 65, "decisions.dossier_types": 29,
        "decisions.large_amount_threshold": 29, "decisions.legality_reviewers": 28,
    }
    for name, article in expected.items():
        assert book.parameters[name].article == article, name
    assert book.parameters["decisions.large_amount_threshold"].unit == "万元"
    assert "办公室设定" in book.parameters["decisions.large_amount_threshold"].label
    positions = book.param("org.positions", DAY)
    for name in ("meetings.party_group.conveners", "meetings.standing.agenda_proposed_by",
                 "meetings.head_office.agenda_proposed_by", "meetings.approval_special_routes"):
        assert set(book.param(name, DAY)) <= set(positions) | set(book.param("meetings.approval_routes", DAY)), name
    assert book.param("meetings.important_decided_by", DAY) in book.param("meetings.types", DAY)
    assert set(book.param("meetings.agenda_gated_types", DAY)) <= set(book.param("meetings.types", DAY))


# ---- facts from JSON (the API's precheck) --------------------------------------------------

FULL = {
    "meetings.meeting": {
        "meeting_type": "plenary", "title": "区政府第五次全体会议", "convener": "executive_deputy",
        "chair": "executive_deputy", "delegated": True,
        "members": 40, "present": 33, "held_in_government_name": True, "held_in_office_name": False,
        "approval_route": "deputy_head", "approved": True, "special_reason": "区长出访期间", "important": True,
        "standing_meeting_ref": "区政府2026年第9次常务会议纪要", "is_department_meeting": False,
        "government_leader_attends": False},
    "meetings.frequency": {"meeting_type": "standing", "last_held": "2026-09-03", "today": "2026-09-28",
                           "next_scheduled": "2026-10-02"},
    "meetings.agenda_item": {
        "meeting_type": "standing", "title": "关于城区供热价格调整的请示", "proposer": "deputy_head",
        "confirmer": "district_head", "confirmed_by_meeting": "", "confirmer_is_chair": False,
        "has_substantive_content": True, "has_clear_proposal": True, "prior_procedure_complete": True,
        "legally_required": True, "concerns_whole_district": True, "departments_disagree": True,
        "prior_topical_meeting_ref": "区政府专题会议纪要〔2026〕31号", "consensus_reached": True,
        "lead_unit": "区住建局", "proposer_in_charge": True, "prior_topical_convener": "王丙",
        "prior_topical_convener_in_charge": True},
    "meetings.attendance": {"meeting_type": "standing", "chair": "district_head", "member": "王丙",
                            "leave_requested_before": True, "leave_requested_from": "district_head"},
    "meetings.deliberation": {"matter_type": "cadre_appointment", "item": "区教育局局长人选",
                              "speaking_order": [["deputy_head", False], ["district_head", True]], "complete": True},
    "meetings.followup": {"decided_on": "2026-09-28", "document": "关于做好今冬明春供热工作的通知",
                          "issued_on": "2026-10-12", "working_days_between": 6, "today_working_days_since": 6},
    "meetings.minutes": {"meeting_type": "topical", "chair": "deputy_head", "reviewed_by": "deputy_head",
                         "signed_by": "district_head"},
    "meetings.topical_attendance": {"chair": "district_head", "title": "城区供暖保障专题会议",
                                    "units": [["区住建局", True, "王丙", True]]},
    "decisions.dossier": {
        "dossier_type": "large_fund", "title": "农村道路养护补助资金", "amount_yuan": 1_200_000,
        "steps": [["public_participation", "2026-07-10", "公告"], ["expert_argument", "2026-07-24", "论证会纪要"],
                  ["risk_assessment", "2026-08-05", "评估报告"], ["legality_review", "2026-08-20", "法律顾问意见书"]],
        "legality_reviewer": "legal_adviser", "meeting_type": "standing", "proposed_by_department": True,
        "proposing_unit": "区交通运输局", "research_done": True, "unit_collective_discussion_ref": "局党组会议纪要",
        "evaluations": ["legality", "necessity", "scientific", "feasibility", "controllability"],
        "evaluated_by": "区政府发展研究中心", "affected_units": [["区财政局", "component_dept"], ["德顺乡", "town"]],
        "consultations": [["区财政局", "2026-08-10", "同意"], ["德顺乡", "2026-08-11", "同意"]],
        "submitted_on": "2026-09-10", "public_interest": False, "stability_risk_assessment": False,
        "hearing_held": False, "to_party_committee": True, "org_rank": "section"},
    "decisions.decision": {"outcome": "通过", "meeting_type": "standing", "title": "农村道路养护补助资金",
                           "dossier_type": "large_fund", "meeting_ref": "区政府2026年第23次常务会议",
                           "speaking_order": [["deputy_head", False], ["district_head", True]],
                           "to_party_committee": True, "org_rank": "section"},
    "decisions.escalation": {
        "body": "party_committee", "title": "农村道路养护补助资金", "dossier_type": "large_fund",
        "submitting_unit": "区政府办公室", "submitting_unit_kind": "gov_office", "prior_meeting_type": "standing",
        "prior_outcome": "原则通过", "committee_matter": "major_measures", "congress_matter": ""},
    "decisions.report": {"kind": "report", "title": "农村道路养护补助资金", "submitting_unit": "区政府办公室",
                         "submitting_unit_kind": "gov_office", "content": "洮北政报〔2026〕18号",
                         "since": "2026-09-28", "reported_on": "2026-10-09"},
}


def test_every_meeting_and_decision_topic_is_registered_for_the_precheck():
    assert set(TOPICS) <= set(topics())
    assert set(FULL) == set(TOPICS)
    for name in TOPICS:
        assert topics()[name].__doc__.strip().splitlines()[0], name


@pytest.mark.parametrize("topic", TOPICS)
def test_facts_of_every_topic_are_built_from_json_with_every_field(topic):
    data = json.loads(json.dumps(FULL[topic], ensure_ascii=False))
    facts = facts_from_dict(topic, data)
    cls = topics()[topic]
    assert isinstance(facts, cls)
    assert set(data) == {f for f in cls.__dataclass_fields__}, "the example names every field"
    assert check(topic, facts, on=DAY) == []  # the full example complies


def test_json_facts_get_python_types():
    d = facts_from_dict("decisions.dossier", FULL["decisions.dossier"])
    assert d.steps[0] == ("public_participation", dt.date(2026, 7, 10), "公告")
    assert d.consultations[1] == ("德顺乡", dt.date(2026, 8, 11), "同意")
    assert d.affected_units == (("区财政局", "component_dept"), ("德顺乡", "town"))
    m = facts_from_dict("meetings.deliberation", FULL["meetings.deliberation"])
    assert m.speaking_order == (("deputy_head", False), ("district_head", True))
    f = facts_from_dict("meetings.frequency", FULL["meetings.frequency"])
    assert (f.last_held, f.next_scheduled) == (dt.date(2026, 9, 3), dt.date(2026, 10, 2))


@pytest.mark.parametrize("topic,facts,field", [
    ("meetings.meeting", {"meeting_type": "standing", "members": "10"}, "facts.members"),
    ("meetings.meeting", {"meeting_type": "standing", "members": -1}, "facts.members"),
    ("meetings.meeting", {"meeting_type": "standing", "members": 10, "present": 11}, "facts.present"),
    ("meetings.meeting", {"meeting_type": "standing", "members": 10, "present": -1}, "facts.present"),
    ("meetings.meeting", {"meeting_type": "standing", "delegated": "yes"}, "facts.delegated"),
    ("meetings.meeting", {"meeting_type": "standing", "is_department_meeting": True}, "facts.meeting_type"),
    ("meetings.meeting", {"meeting_type": "standing", "chaired_by": "district_head"}, "facts.chaired_by"),
    ("meetings.frequency", {"meeting_type": "plenary", "today": "2026-09-28"}, "facts.last_held"),
    ("meetings.frequency", {"meeting_type": "plenary", "last_held": "2026-02-30", "today": "2026-09-28"},
     "facts.last_held"),
    ("meetings.frequency", {"meeting_type": "plenary", "last_held": "2026-09-28", "today": "2026-09-01"},
     "facts.today"),
    ("meetings.frequency", {"meeting_type": "plenary", "last_held": "2026-09-01", "today": "2026-09-28",
                            "next_scheduled": "2026-08-01"}, "facts.next_scheduled"),
    ("meetings.agenda_item", {}, "facts.meeting_type"),
    ("meetings.agenda_item", {"meeting_type": "standing", "has_clear_proposal": 1}, "facts.has_clear_proposal"),
    ("meetings.attendance", {"meeting_type": "standing"}, "facts.chair"),
    ("meetings.attendance", {"meeting_type": "standing", "chair": ["district_head"]}, "facts.chair"),
    ("meetings.deliberation", {"speaking_order": [["district_head"]]}, "facts.speaking_order[0]"),
    ("meetings.deliberation", {"speaking_order": [["district_head", "yes"]]}, "facts.speaking_order[0][1]"),
    ("meetings.deliberation", {"speaking_order": "district_head"}, "facts.speaking_order"),
    ("meetings.followup", {}, "facts.decided_on"),
    ("meetings.followup", {"decided_on": "2026-09-28"}, "facts.today_working_days_since"),
    ("meetings.followup", {"decided_on": "2026-09-28", "issued_on": "2026-10-09"}, "facts.working_days_between"),
    ("meetings.followup", {"decided_on": "2026-09-28", "issued_on": "2026-09-01", "working_days_between": 0},
     "facts.issued_on"),
    ("meetings.followup", {"decided_on": "2026-09-28", "today_working_days_since": -2},
     "facts.today_working_days_since"),
    ("meetings.minutes", {"meeting_type": "standing", "signed_by": None}, "facts.signed_by"),
    ("decisions.dossier", {}, "facts.dossier_type"),
    ("decisions.dossier", {"dossier_type": "large_fund"}, "facts.amount_yuan"),
    ("decisions.dossier", {"dossier_type": "large_fund", "amount_yuan": 1.5}, "facts.amount_yuan"),
    ("decisions.dossier", {"dossier_type": "budget", "amount_yuan": -1}, "facts.amount_yuan"),
    ("decisions.dossier", {"dossier_type": "budget", "steps": [["risk_assessment", "2026-08-01"]]},
     "facts.steps[0]"),
    ("decisions.dossier", {"dossier_type": "budget", "steps": [["risk_assessment", "8月1日", "报告"]]},
     "facts.steps[0][1]"),
    ("decisions.dossier", {"dossier_type": "budget", "consultations": [["区财政局", "2026-08-01", 1]]},
     "facts.consultations[0][2]"),
    ("decisions.dossier", {"dossier_type": "budget", "evaluations": "legality"}, "facts.evaluations"),
    ("decisions.dossier", {"dossier_type": "budget", "hearing": True}, "facts.hearing"),
])
def test_malformed_meeting_and_decision_facts_name_the_field(topic, facts, field):
    with pytest.raises(FactsError) as e:
        facts_from_dict(topic, facts)
    assert e.value.field == field
    assert str(e.value).startswith(field)
