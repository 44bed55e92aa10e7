"""The audit catalogue in English (issue 16): every registered action and every kind of object the
trail names has its English (zhengwu.audit.labels_en); the auditor's trail and a history panel read
them in English and keep the Chinese as it was in Chinese; a login name stands in the reader's
brackets; what the record says (the summary) is set apart as recorded Chinese (lang="zh")."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from zhengwu.audit import catalogue
from zhengwu.audit.labels_en import ACTIONS, OBJECTS
from zhengwu.audit.models import AuditEvent
from zhengwu.org.models import Person
from zhengwu.web import trail

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff60]")


def _product_actions() -> set[str]:
    """The catalogue, less the `test_*` actions other test modules register in this process."""
    return {a for a in catalogue.actions() if not a.startswith("test_")}


def test_every_action_has_its_english():
    missing = sorted(_product_actions() - set(ACTIONS))
    assert not missing, f"actions without English in zhengwu.audit.labels_en.ACTIONS: {missing}"
    stale = sorted(set(ACTIONS) - _product_actions())
    assert not stale, f"English for actions no longer registered: {stale}"
    # English, save a Chinese term of art glossed in brackets after its English
    bad = {k: v for k, v in ACTIONS.items() if CJK.search(re.sub(r"(?<=[A-Za-z-]) \([\u4e00-\u9fff]+\)", "", v))}
    assert not bad


def test_every_chinese_model_name_has_its_english():
    with translation.override("en"):  # Django's own models' names are translated already
        chinese = {f"{m._meta.app_label}.{m._meta.model_name}" for m in apps.get_models()
                   if CJK.search(str(m._meta.verbose_name))}
    assert not sorted(chinese - set(OBJECTS))


def test_display_label_follows_the_language():
    with translation.override("en"):
        assert catalogue.display_label("documents.document.draft") == "Draft"
        assert catalogue.object_name("documents.document", "公文") == "Document"
        assert catalogue.display_label("no.such.action") == "no.such.action"
    with translation.override("zh-hans"):
        assert catalogue.display_label("documents.document.draft") == "拟稿"
        assert catalogue.object_name("documents.document", "公文") == "公文"


def test_login_name_and_person_name():
    assert trail.login_name("郑壬（wenshu）") == "wenshu"
    assert trail.person_name("郑壬（wenshu）") == "郑壬"
    assert trail.login_name("郑壬") == ""
    assert trail.login_name("system") == ""


@pytest.mark.django_db
def test_trail_line_head_and_said(full_demo):
    event = AuditEvent.objects.filter(action="documents.document.register").exclude(summary="").first()
    assert event is not None
    with translation.override("zh-hans"):
        zh = trail.line(event)
    with translation.override("en"):
        en = trail.line(event)
    assert zh.head == "收文登记" and zh.text.startswith("收文登记：")
    assert en.head == "Register incoming document" and en.said == zh.said and en.said
    assert not CJK.search(en.head)


@pytest.mark.django_db
def test_the_auditor_trail_in_english_and_in_chinese(full_demo):
    from django.contrib.auth import get_user_model

    auditor = get_user_model().objects.get(username="auditadmin")
    c = Client()
    c.force_login(auditor)
    event = AuditEvent.objects.filter(action="documents.document.register", actor_id__isnull=False).order_by("-seq").first()
    assert event is not None and "（" in event.actor_label
    login = trail.login_name(event.actor_label)
    url = "/audit/?action=documents.document.register"
    c.cookies["django_language"] = "en"
    en = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Register incoming document<" in en
    assert f" ({login})" in en and f"（{login}）" not in en
    assert f'<span lang="zh">{event.summary}</span>' in en
    assert ">Document " in en  # the kind of object in English
    c.cookies["django_language"] = "zh-hans"
    zh = c.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">收文登记<" in zh and f"（{login}）" in zh and ">Register incoming document<" not in zh
