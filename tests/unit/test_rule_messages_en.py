"""Rule messages in both languages (issue 16): a rule may give its finding in English too
(`r.violation(…, en=…)`), the book gives the English citation (`short_title_en`); the rulebook
returns both and the Django side picks by the active language (`zw_labels.rule_message`)."""

import datetime as dt

import pytest

from zhengwu.rulebook import check, library
from zhengwu.rulebook.rules import meetings as meeting_rules

DAY = dt.date(2026, 9, 28)
ITEM = dict(meeting_type="standing", proposer="district_head", confirmer="district_head", title="议题甲",
            concerns_whole_district=True, has_substantive_content=True, prior_procedure_complete=True)


def test_the_book_gives_the_english_citation():
    book = library().in_force(DAY)
    assert book.cite(63) == "（《工作规则》第六十三条）" and book.cite_en(63) == " (Work Rules, art. 63)"


@pytest.mark.rules("R63.gating")
def test_a_finding_carries_its_english_message_with_the_english_citation():
    [v] = check("meetings.agenda_item", meeting_rules.AgendaItemFacts(has_clear_proposal=False, **ITEM), on=DAY)
    assert (v.rule_id, v.field) == ("R63.gating", "has_clear_proposal")
    assert v.message == "“议题甲”没有明确意见，不安排上区政府常务会议讨论（《工作规则》第六十三条）"
    assert v.message_en == "“议题甲” has no clear proposal, so it does not go to this meeting (Work Rules, art. 63)"
    assert v.as_dict()["message_en"] == v.message_en


@pytest.mark.rules("R63.gating")
def test_an_item_that_complies_has_no_finding():
    assert check("meetings.agenda_item", meeting_rules.AgendaItemFacts(has_clear_proposal=True, **ITEM), on=DAY) == []
