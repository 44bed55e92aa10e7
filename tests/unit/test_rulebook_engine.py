"""The rule engine: registration, citations, dated parameters, and judging by the book in force."""

import datetime as dt
from pathlib import Path

import pytest

from zhengwu.rulebook import Library, RulebookError, check, from_chinese, get_rule, load_file, to_chinese
from zhengwu.rulebook.rules.meta import CitationFacts
from zhengwu.rulebook.rules.org import TermFacts

BOOKS = Path(__file__).resolve().parents[1] / "fixtures" / "books"


@pytest.fixture(scope="module")
def lib():
    return Library([load_file(BOOKS / "small-2020.yaml"), load_file(BOOKS / "small-2030.yaml")])


@pytest.mark.parametrize("n,text", [(1, "一"), (10, "十"), (12, "十二"), (29, "二十九"), (60, "六十"),
                                    (98, "九十八"), (100, "一百"), (101, "一百零一"), (110, "一百一十")])
def test_article_numbers_read_as_chinese_and_back(n, text):
    assert to_chinese(n) == text
    assert from_chinese(text) == n


def test_the_book_in_force_is_the_latest_whose_date_has_come(lib):
    assert lib.in_force(dt.date(2019, 12, 31)) is None
    assert lib.in_force(dt.date(2020, 1, 1)).id == "small-2020"
    assert lib.in_force(dt.date(2029, 12, 31)).id == "small-2020"
    assert lib.in_force(dt.date(2030, 1, 1)).id == "small-2030"


@pytest.mark.rules("R10.term_length")
def test_a_record_is_judged_by_the_book_in_force_on_its_date(lib):
    """The same 5-year term complies under the 2020 book and breaches the 2030 book's 3 years."""
    five_years = TermFacts(start=dt.date(2029, 6, 1), end=dt.date(2034, 6, 1))
    assert check("org.term", five_years, on=dt.date(2029, 6, 1), lib=lib) == []
    found = check("org.term", five_years, on=dt.date(2030, 6, 1), lib=lib)
    assert [(v.rule_id, v.article, v.severity) for v in found] == [("R10.term_length", 10, "block")]
    assert found[0].message.endswith("（《新示例规则》第十条）")
    assert "每届任期3年" in found[0].message


@pytest.mark.rules("R10.term_length")
def test_dated_parameter_values_change_within_one_book(lib):
    four_years = TermFacts(start=dt.date(2035, 3, 1), end=dt.date(2039, 3, 1))
    assert check("org.term", four_years, on=dt.date(2035, 3, 1), lib=lib) == []
    assert check("org.term", four_years, on=dt.date(2034, 12, 31), lib=lib)[0].rule_id == "R10.term_length"


@pytest.mark.rules("R98.in_force")
def test_a_record_dated_before_any_book_cannot_be_judged_and_says_why(lib):
    found = check("org.term", TermFacts(start=dt.date(2015, 1, 1), end=dt.date(2020, 1, 1)),
                  on=dt.date(2015, 1, 1), lib=lib)
    assert [(v.rule_id, v.article, v.severity, v.field) for v in found] == [("R98.in_force", 98, "block", "date")]
    assert "示政发〔2010〕1号" in found[0].message
    assert found[0].message.endswith("（《示例规则》第九十八条）")


@pytest.mark.rules("R98.repealed")
def test_citing_a_repealed_book_is_refused_only_after_the_repeal(lib):
    cites_old = CitationFacts(on=dt.date(2030, 2, 1), cited=("示政发〔2020〕1号",))
    found = check("rulebook.citation", cites_old, on=cites_old.on, lib=lib)
    assert [(v.rule_id, v.article) for v in found] == [("R98.repealed", 98)]
    still_valid = CitationFacts(on=dt.date(2029, 2, 1), cited=("示政发〔2020〕1号",))
    assert check("rulebook.citation", still_valid, on=still_valid.on, lib=lib) == []


def test_a_book_enables_only_the_rules_it_lists(lib):
    new = lib.get("small-2030")
    assert new.enables("R12.one_head") and not new.enables("R29.five_not")
    assert lib.get("small-2020").enables("R29.five_not")  # an empty list enables every rule


def test_every_registered_rule_names_its_article_and_topic():
    spec = get_rule("R29.five_not")
    assert (spec.article, spec.topic, spec.severity) == (29, "org.portfolio", "block")
    with pytest.raises(RulebookError):
        get_rule("R0.nothing")


def test_a_parameter_without_a_value_on_a_date_is_an_error(lib):
    with pytest.raises(RulebookError, match="term.years"):
        lib.get("small-2030").param("term.years", dt.date(2029, 1, 1))
    with pytest.raises(RulebookError, match="no parameter"):
        lib.get("small-2030").param("no.such")


def test_a_malformed_rulebook_is_refused_with_the_field():
    from zhengwu.rulebook import parse_rulebook

    base = {"id": "x", "title": "x", "issued": "2020-01-01", "effective_from": "2020-01-01"}
    with pytest.raises(RulebookError, match="cites its article"):
        parse_rulebook({**base, "parameters": {"a.b": {"value": 1}}})
    with pytest.raises(RulebookError, match="effective_from"):
        parse_rulebook({**base, "effective_from": "2020-13-01"})
    with pytest.raises(RulebookError, match="step ids repeat"):
        step = {"id": "s", "action": "审核", "resolver": "position:district_head"}
        parse_rulebook({**base, "routes": {"r": {"article": 1, "stages": [{"step": step}, {"step": step}]}}})
