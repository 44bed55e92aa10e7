"""The documents list and registers in English (issue 16): statuses, kinds (the book's glossary),
urgencies and current steps in English, document numbers set apart as content (lang="zh"); the
same pages in Chinese as before."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from zhengwu.documents.models import Direction, Document
from zhengwu.org.models import Person
from zhengwu.web.templatetags.zw_labels import enumerate_words

pytestmark = pytest.mark.django_db


def page(username: str, url: str, language: str) -> str:
    c = Client()
    c.force_login(Person.objects.get(username=username))
    c.cookies["django_language"] = language
    r = c.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 200
    return r.content.decode()


def test_status_and_direction_labels_follow_the_language():
    with translation.override("en"):
        assert str(Document.Status.IN_APPROVAL.label) == "In approval"
        assert str(Direction.INCOMING.label) == "Incoming"
    with translation.override("zh-hans"):
        assert [str(label) for _v, label in Document.Status.choices] == \
            ["拟稿", "已报送", "已登记", "审批中", "已退回", "已答复", "已批准", "已签发", "已印发"]
        assert str(Direction.OUTGOING.label) == "发文"


def test_enumerate_words():
    with translation.override("en"):
        assert enumerate_words(["Review", "", "Countersign"]) == "Review, Countersign"
    with translation.override("zh-hans"):
        assert enumerate_words(["审核", "会签"]) == "审核、会签"


def test_the_intake_register_in_english_and_in_chinese(full_demo):
    en = page("quzhang", "/documents/registers/incoming/", "en")
    assert "In approval" in en and ">审批中<" not in en
    assert re.search(r'<span lang="zh">白洮政收〔\d{4}〕\d+号</span>', en)
    assert ">Request for instructions<" in en or ">Request<" in en  # 请示 by the book's glossary
    assert '<option value="请示"' in en  # the filter still sends the stored word
    zh = page("quzhang", "/documents/registers/incoming/", "zh-hans")
    assert ">审批中<" in zh and ">请示<" in zh


def test_the_documents_list_in_english(full_demo):
    en = page("quzhang", "/documents/", "en")
    assert "In approval" in en and "审批中" not in en
    assert '<span lang="zh">白洮政收〔' in en
    zh = page("quzhang", "/documents/", "zh-hans")
    assert "审批中" in zh
