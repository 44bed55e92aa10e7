"""Services cite a route, parameter, rule or declared id; the book in force supplies the article
and the wording of the citation (issue 11 item 5). Another county's book changes the citations
without touching the apps."""

from pathlib import Path

import pytest

from zhengwu.rulebook import RulebookError, library, load_file
from zhengwu.rulebook.citations import article_of, cite

OTHER = Path(__file__).resolve().parents[1] / "fixtures" / "books" / "other" / "other-2020.yaml"


@pytest.fixture(scope="module")
def taobei():
    return library().get("taobei-2020")


@pytest.fixture(scope="module")
def other():
    return load_file(OTHER)


def test_a_route_is_cited_with_the_article_its_book_gives_it(taobei, other):
    assert article_of(taobei, "doc.intake_urgent") == 68
    assert cite(taobei, "doc.intake_urgent") == "（《工作规则》第六十八条）"
    assert article_of(other, "doc.intake_urgent") == 45
    assert cite(other, "doc.intake_urgent") == "（《本县规则》第四十五条）"


def test_a_parameter_is_cited_with_its_own_article(taobei, other):
    assert cite(taobei, "meetings.standing.chairs") == "（《工作规则》第六十条）"
    assert cite(other, "meetings.standing.chairs") == "（《本县规则》第四十条）"
    assert article_of(taobei, "meetings.plenary.conveners") == 58
    assert article_of(taobei, "meetings.head_office.chairs") == 61


def test_a_rule_is_cited_with_its_registered_article(taobei):
    assert cite(taobei, "R60.agenda") == "（《工作规则》第六十条）"
    assert article_of(taobei, "R58.convener") == 58


def test_an_unknown_id_is_an_error_naming_it(taobei):
    with pytest.raises(RulebookError, match="no.such"):
        article_of(taobei, "no.such")


def test_the_words_that_approve_come_from_the_book(taobei, other):
    assert taobei.param("workflow.approving_choices") == ["同意", "批准", "通过"]
    assert other.param("workflow.approving_choices") == ["准予"]
    for route in taobei.routes.values():  # every fixed pair has one word that grants and one that refuses
        for stage in route.stages:
            for step in stage.steps:
                if step.choices:
                    grants = [c for c in step.choices if c in taobei.param("workflow.approving_choices")]
                    assert len(grants) == 1 and len(step.choices) == 2, (route.id, step.id)
