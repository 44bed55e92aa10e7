"""The one article citation of the UI (zw.article_label): the reader's language decides how an
article number reads — "第四十三条" in Chinese, "Art. 43" in English — whether the page holds the
number or an already Chinese citation; anything that is no article gives nothing."""

import pytest
from django.template import Context, Template
from django.utils import translation

from zhengwu.web.templatetags.zw import article_label


@pytest.mark.parametrize("value", [43, "43", "第四十三条", "四十三"])
def test_english_reader_sees_art_and_the_number(value):
    with translation.override("en"):
        assert article_label(value) == "Art. 43"


@pytest.mark.parametrize("value", [43, "43", "第四十三条"])
def test_chinese_reader_sees_the_chinese_citation(value):
    with translation.override("zh-hans"):
        assert article_label(value) == "第四十三条"


@pytest.mark.parametrize("value", [None, "", "abc", 0, 1000, True, "第条"])
def test_no_article_gives_nothing(value):
    for lang in ("en", "zh-hans"):
        with translation.override(lang):
            assert article_label(value) == ""


def test_in_a_template_each_language_its_own():
    tpl = Template("{% load zw %}{{ n|article_label }}")
    with translation.override("en"):
        assert tpl.render(Context({"n": 101})) == "Art. 101"
    with translation.override("zh-hans"):
        assert tpl.render(Context({"n": 101})) == "第一百零一条"
