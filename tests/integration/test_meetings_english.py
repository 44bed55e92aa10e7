"""Meeting pages in English (issue 16): meeting types through the book's glossary, rule findings in
English (rule_message), brackets and colons per language, leave reasons and written views marked as
content; the Chinese pages as before."""

from __future__ import annotations

import pytest
from django.test import Client

from zhengwu.meetings.models import Meeting
from zhengwu.org.models import Person

pytestmark = pytest.mark.django_db


def page(username: str, url: str, language: str) -> str:
    c = Client()
    c.force_login(Person.objects.get(username=username))
    c.cookies["django_language"] = language
    r = c.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 200
    return r.content.decode()


def test_the_meetings_list_in_english(full_demo):
    en = page("quzhang", "/meetings/", "en")
    zh = page("quzhang", "/meetings/", "zh-hans")
    assert '<span class="tag">区政府常务会议</span>' in zh
    assert '<span class="tag">区政府常务会议</span>' not in en
    assert "seats)" in en and "（" not in en.split("seats")[0][-40:]


def test_an_agenda_in_english(full_demo):
    m = Meeting.objects.filter(items__isnull=False).order_by("-starts_at").first()
    en = page("quzhang", f"/meetings/{m.pk}/agenda/", "en")
    zh = page("quzhang", f"/meetings/{m.pk}/agenda/", "zh-hans")
    assert "Major-matters (三重一大) matter type" in en and "“三重一大”事项类型" in zh
    assert "（《工作规则》第六十三条）" not in en
