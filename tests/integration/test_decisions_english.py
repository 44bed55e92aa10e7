"""The 三重一大 pages in English (issue 16): matter types, procedures, aspects, outcomes and amounts
in the reader's language (the book's glossary, zw.yuan); what users recorded set apart as content;
the Chinese pages as before."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from zhengwu.decisions.models import MajorDecision
from zhengwu.org.models import Person
from zhengwu.web.templatetags.zw import yuan

pytestmark = pytest.mark.django_db


def page(username: str, url: str, language: str) -> str:
    c = Client()
    c.force_login(Person.objects.get(username=username))
    c.cookies["django_language"] = language
    r = c.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 200
    return r.content.decode()


def test_yuan_in_each_language():
    with translation.override("en"):
        assert yuan(3_600_000) == "3,600,000 yuan"
    with translation.override("zh-hans"):
        assert yuan(3_600_000) == "360万元" and yuan(3500) == "3,500元"


def test_a_dossier_and_the_list_in_english(full_demo):
    d = MajorDecision.objects.exclude(amount_yuan=None).first()
    en = page("quzhang", f"/decisions/{d.pk}/", "en")
    zh = page("quzhang", f"/decisions/{d.pk}/", "zh-hans")
    assert "万元" not in en and "万元" in zh
    assert "<span>合法性审查" not in en and "<span>合法性审查" in zh  # a procedure's name
    en = page("quzhang", "/decisions/", "en")
    assert "Major-matters (三重一大) dossiers" in en
    assert "“三重一大”事项卷宗" in page("quzhang", "/decisions/", "zh-hans")
