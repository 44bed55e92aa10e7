"""English messages of the rules most often shown (issue 16): the document precheck (art. 67, 68),
the meetings' convening, quorum and agenda (art. 58-63) and the decisions' dossier (art. 28-30).
Each finding gives its English with the English citation of its own article; a case that complies
has no finding."""

import datetime as dt
import re

import pytest

from zhengwu.rulebook import check
from zhengwu.rulebook.rules import decisions as decision_rules
from zhengwu.rulebook.rules import documents as doc_rules
from zhengwu.rulebook.rules import meetings as meeting_rules

DAY = dt.date(2026, 9, 28)
HAN = re.compile(r"[\u4e00-\u9fff]")


def _submission(**kw):
    base = dict(kind="请示", unit="区教育局", signer_role="unit_head", main_recipients=("区政府",))
    return doc_rules.SubmissionFacts(**{**base, **kw})


def _one(topic, facts, rule_id):
    found = [v for v in check(topic, facts, on=DAY, only=[rule_id])]
    assert len(found) == 1, found
    return found[0]


def _english(v, article):
    assert v.message_en.endswith(f" (Work Rules, art. {article})"), v.message_en
    assert v.message and HAN.search(v.message)  # the Chinese message is still there
    return v.message_en


@pytest.mark.rules("R67.signer", "R67.single_main", "R67.no_skip_level")
def test_article_67_submission_findings_in_english():
    v = _one("documents.submission", _submission(signer_role=""), "R67.signer")
    assert v.field == "signer_role" and not HAN.search(_english(v, 67))
    v = _one("documents.submission", _submission(main_recipients=()), "R67.single_main")
    assert _english(v, 67) == ("A document submitted to the district government must name its main recipient"
                               " (Work Rules, art. 67)")
    v = _one("documents.submission", _submission(skips_level=True), "R67.no_skip_level")
    assert not HAN.search(_english(v, 67))
    assert check("documents.submission", _submission(), on=DAY, only=["R67.signer", "R67.single_main",
                                                                       "R67.no_skip_level"]) == []


@pytest.mark.rules("R68.urgent_reason")
def test_article_68_urgent_reason_in_english():
    urgent = "特急"  # a very urgent matter (approval.reason_required_urgencies)
    v = _one("documents.submission", _submission(urgency=urgent), "R68.urgent_reason")
    assert "reason for the urgency" in _english(v, 68)
    assert check("documents.submission", _submission(urgency=urgent, urgency_reason="汛情"), on=DAY,
                 only=["R68.urgent_reason"]) == []


@pytest.mark.rules("R58.convener", "R60.quorum")
def test_meetings_convener_and_quorum_in_english():
    f = meeting_rules.MeetingFacts(meeting_type="plenary", convener="deputy_head", members=40, present=30)
    v = _one("meetings.meeting", f, "R58.convener")
    assert _english(v, 58) == ("The plenary meeting is led by the district head or the executive deputy district "
                               "head, not by a deputy district head (Work Rules, art. 58)")
    f = meeting_rules.MeetingFacts(meeting_type="standing", convener="district_head", chair="district_head",
                                   members=10, present=4)
    v = _one("meetings.meeting", f, "R60.quorum")
    assert "lacks a quorum: of 10 members" in _english(v, 60)
    ok = meeting_rules.MeetingFacts(meeting_type="standing", convener="district_head", chair="district_head",
                                    members=10, present=8)
    assert check("meetings.meeting", ok, on=DAY, only=["R60.quorum"]) == []


@pytest.mark.rules("R60.agenda")
def test_meetings_agenda_in_english():
    item = dict(meeting_type="standing", title="议题甲", concerns_whole_district=True, has_substantive_content=True,
                has_clear_proposal=True, prior_procedure_complete=True)
    v = _one("meetings.agenda_item", meeting_rules.AgendaItemFacts(proposer="district_head", confirmer="", **item),
             "R60.agenda")
    assert _english(v, 60) == "“议题甲” is set on the agenda by the district head; not yet set (Work Rules, art. 60)"
    ok = meeting_rules.AgendaItemFacts(proposer="district_head", confirmer="district_head", **item)
    assert check("meetings.agenda_item", ok, on=DAY, only=["R60.agenda"]) == []


@pytest.mark.rules("R30.stability")
def test_decisions_stability_in_english():
    f = decision_rules.DossierFacts(dossier_type="major_decision", proposed_by_department=True, public_interest=True,
                                    stability_risk_assessment=False, hearing_held=True)
    v = _one("decisions.dossier", f, "R30.stability")
    assert "social stability risk assessment" in _english(v, 30)
    f = decision_rules.DossierFacts(dossier_type="major_decision", proposed_by_department=True, public_interest=True,
                                    stability_risk_assessment=True, hearing_held=True)
    assert check("decisions.dossier", f, on=DAY, only=["R30.stability"]) == []
