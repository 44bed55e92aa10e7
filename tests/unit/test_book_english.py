"""The rulebook's English glossary (issue 16): the names the book gives read in the reader's
language through zw.book_name; the book's Chinese stays for a Chinese reader; a name the glossary
lacks stays as the book wrote it; a malformed glossary is refused when the book is read."""

import pytest
from django.utils import translation

from zhengwu.rulebook import parse_rulebook
from zhengwu.rulebook.loader import RulebookError
from zhengwu.web import present
from zhengwu.web.templatetags.zw import book_name

BOOK = {
    "id": "t", "title": "区政府工作规则", "issued": "2020-01-01", "effective_from": "2020-01-01",
    "chapters": [{"number": 1, "title": "总则"}],
    "articles": [{"number": 1, "chapter": 1, "text": "本规则。"}],
    "parameters": {"x.days": {"article": 1, "label": "办理时限", "unit": "工作日", "value": 5}},
    "english": {"总则": "General provisions", "工作日": "working days", "办理时限": "Time limit"},
}


def test_english_reader_gets_the_glossary():
    book = parse_rulebook(BOOK)
    with translation.override("en"):
        assert book_name("工作日", book) == "working days"
        assert book_name("总则", book) == "General provisions"
        assert present.chapter_label(3) == "Chapter 3"


def test_chinese_reader_keeps_the_book_words():
    book = parse_rulebook(BOOK)
    with translation.override("zh-hans"):
        assert book_name("工作日", book) == "工作日"
        assert present.chapter_label(3) == "第三章"


def test_a_name_without_english_stays_as_written():
    book = parse_rulebook(BOOK)
    with translation.override("en"):
        assert book_name("月", book) == "月"
        assert book.en("月") == ""


@pytest.mark.parametrize("bad", [["工作日"], {"工作日": ""}, {"工作日": 5}])
def test_malformed_glossary_is_refused(bad):
    with pytest.raises(RulebookError):
        parse_rulebook({**BOOK, "english": bad})


def test_parameter_value_mapping_uses_the_reader_colon():
    book = parse_rulebook(BOOK)
    with translation.override("en"):
        assert "working days</code>: " in present.render_value({"工作日": 1}, {}, book)
    with translation.override("zh-hans"):
        assert "工作日</code>：" in present.render_value({"工作日": 1}, {}, book)


def test_every_name_the_book_in_force_gives_has_english():
    import re

    from zhengwu import rules

    book = rules.lib().current
    han = re.compile(r"[\u4e00-\u9fff]")
    names = [book.title] + [t for _n, t in book.chapters]
    for p in book.parameters.values():
        names += [p.label, p.unit]
    for r in book.routes.values():
        names.append(r.title)
        assert not han.search(r.description) or r.description_en, r.id
        for st in r.stages:
            for s in st.steps:
                names += [s.label, s.action, *s.choices, *s.circulate_to]
                if s.resolver.startswith("external:"):
                    names.append(s.resolver.partition(":")[2])
    missing = sorted({n for n in names if n and han.search(n) and not book.en(n)})
    assert not missing, missing


def test_every_rule_and_declared_implementation_has_an_english_summary():
    import re

    import zhengwu.urls  # noqa: F401  (the apps declare their implementations when imported)
    from zhengwu.rulebook import implementations, load_rules
    from zhengwu.rulebook.summaries_en import SUMMARIES_EN, summary_en

    han = re.compile(r"[\u4e00-\u9fff]")
    items = list(load_rules().values()) + list(implementations().values())
    assert len(items) > 100
    missing = sorted(x.id for x in items if han.search(x.summary) and not summary_en(x.id))
    assert not missing, missing
    assert not any(han.search(v) for v in SUMMARIES_EN.values())
