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


def test_the_processing_sheet_in_english_and_in_chinese(full_demo):
    doc = Document.objects.filter(direction="incoming", status="in_approval").exclude(intake_number="").first()
    en = page("quzhang", f"/documents/{doc.pk}/sheet/", "en")
    assert "Incoming document processing sheet" in en and "收文处理单" not in en
    assert ">From unit<" in en and ">来文单位<" not in en
    assert f'lang="zh">{doc.intake_number}<' in en
    assert not re.search(r"\d{4}年\d+月\d+日", en)
    zh = page("quzhang", f"/documents/{doc.pk}/sheet/", "zh-hans")
    assert "收文处理单" in zh and ">来文单位<" in zh and re.search(r"\d{4}年\d+月\d+日", zh)


def test_a_task_page_in_english(full_demo):
    from zhengwu.workflow.models import Task

    task = Task.objects.filter(status="open", kind="step", approval__obj_type="documents.document",
                               assignee__username="quzhang").first()
    assert task is not None
    en = page("quzhang", f"/tasks/{task.pk}/", "en")
    zh = page("quzhang", f"/tasks/{task.pk}/", "zh-hans")
    assert f'<span class="tag action">{task.action}</span>' in zh
    assert f'<span class="tag action">{task.action}</span>' not in en
    for choice in task.choices or []:
        assert f"<span>{choice}</span>" in zh and f"<span>{choice}</span>" not in en
    assert "Open the Document’s own page" in en


def test_compose_and_plan_pages_in_english(full_demo):
    from zhengwu.documents.models import DocumentPlan

    en = page("czj", "/documents/new/", "en")
    assert '<option value="请示"' in en and ">请示<" not in en  # the stored word is sent, English shown
    assert "Reason for the urgency" in en and "紧急原因说明" not in en
    zh = page("czj", "/documents/new/", "zh-hans")
    assert ">请示<" in zh and "紧急原因说明" in zh and "报送区政府（请示、报告等）" in zh
    plan = DocumentPlan.objects.filter(items__month__isnull=False).first() or DocumentPlan.objects.first()
    en = page("quzhang", f"/documents/plans/{plan.pk}/", "en")
    zh = page("quzhang", f"/documents/plans/{plan.pk}/", "zh-hans")
    assert not re.search(r">\d+月<|>第\d季度<", en)
    assert re.search(r">\d+月<|>第\d季度<", zh)
