"""The last stray Chinese of the English crawl (issue 16): a document's format elements (content set
apart with lang="zh", the urgency in English), a task's summary line, the compose form's refusal and
examples, the art. 30 checklist of a dossier, the leaders' calendar kinds, the meeting-day refusal.
Each read in English and, unchanged, in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from zhengwu.affairs.leave.calendar import Entry
from zhengwu.decisions import selectors as dsel
from zhengwu.decisions.models import MajorDecision
from zhengwu.documents.models import Direction, Document
from zhengwu.documents.subject import _summary
from zhengwu.org.models import Person

pytestmark = pytest.mark.django_db


def page(username: str, url: str, language: str) -> str:
    c = Client()
    c.force_login(Person.objects.get(username=username))
    c.cookies["django_language"] = language
    r = c.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 200
    return r.content.decode()


def _incoming(full_demo) -> Document:
    """A registered 来文 with its 主送 (the demo has several)."""
    doc = (Document.objects.filter(direction=Direction.INCOMING).exclude(intake_number="")
           .exclude(main_recipients=[]).select_related("unit").order_by("id").first())
    assert doc is not None
    return doc


def test_format_elements_mark_content_and_translate_the_urgency(full_demo):
    doc = _incoming(full_demo)
    en = page("quzhang", f"/documents/{doc.pk}/", "en")
    elements = en[en.index('class="kv elements"'):]
    elements = elements[:elements.index("</dl>")]
    with translation.override("en"):
        from zhengwu.web.templatetags.zw_labels import urgency_label
        urgency = urgency_label(doc.urgency)
    assert f"<dd>{urgency}</dd>" in elements and urgency != doc.urgency
    assert f'<dd lang="zh">{doc.intake_number}</dd>' in elements
    assert f'<dd lang="zh">{", ".join(doc.main_recipients)}</dd>' in elements
    zh = page("quzhang", f"/documents/{doc.pk}/", "zh-hans")
    zh_elements = zh[zh.index('class="kv elements"'):]
    assert f"<dd>{doc.urgency}</dd>" in zh_elements
    assert f'<dd lang="zh">{"、".join(doc.main_recipients)}</dd>' in zh_elements


def test_a_task_summary_sets_the_unit_and_number_apart(full_demo):
    doc = _incoming(full_demo)
    with translation.override("en"):
        en = str(_summary(doc))
    assert f'<span lang="zh">{doc.intake_number}</span>' in en
    assert f'<span lang="zh">{doc.unit.name}</span>' in en
    with translation.override("zh-hans"):
        zh = str(_summary(doc))
    assert zh.endswith(doc.urgency) and f'<span lang="zh">{doc.intake_number}</span>' in zh


def test_the_compose_form_refuses_and_exemplifies_in_the_reader_language(full_demo):
    en = page("czj", "/documents/new/", "en")
    assert "Title: required." in en and "标题不能为空" not in en
    assert 'placeholder="e.g. Request for instructions on …"' in en and "关于……的请示" not in en
    assert 'placeholder="e.g. 10 years"' in en
    zh = page("czj", "/documents/new/", "zh-hans")
    assert "标题不能为空" in zh and "Title: required." not in zh
    assert 'placeholder="如：关于……的请示"' in zh and 'placeholder="如：10年"' in zh
    assert 'placeholder="如：局党组会议纪要〔2026〕5号"' in zh


def test_the_art30_checklist_reads_in_the_reader_language(full_demo):
    found = {}
    for d in MajorDecision.objects.all():
        with translation.override("en"):
            en = dsel.missing_steps(d)
        with translation.override("zh-hans"):
            zh = dsel.missing_steps(d)
        for e, z in zip(en, zh):
            found.setdefault(e.code, (e, z))
    assert "evaluation" in found and "consultation" in found, found.keys()
    e, z = found["evaluation"]
    assert e.detail and not any("\u4e00" <= ch <= "\u9fff" for ch in e.detail) and not e.content
    assert "、" in z.detail or z.detail in ("合法性", "必要性", "科学性", "可行性", "可控性")
    e, z = found["consultation"]
    assert e.content and e.detail == z.detail  # a unit's name, shown as recorded


def test_calendar_kinds_in_the_reader_language():
    entry = Entry(leader_id=1, day=dt.date(2026, 12, 7), title="x", kind="会议")
    with translation.override("en"):
        assert entry.kind_label == "meeting"
        assert Entry(leader_id=1, day=entry.day, title="x", kind="活动").kind_label == "activity"
        assert Entry(leader_id=1, day=entry.day, title="x", kind="其他").kind_label == "其他"
    with translation.override("zh-hans"):
        assert entry.kind_label == "会议"


def test_the_meeting_day_refusal_in_both_languages():
    from django.utils.translation import gettext

    with translation.override("en"):
        assert gettext("The meeting is scheduled for %(day)s.") % {"day": "2026-12-10"} == \
            "The meeting is scheduled for 2026-12-10."
    with translation.override("zh-hans"):
        assert gettext("The meeting is scheduled for %(day)s.") % {"day": "2026-12-10"} == "会议安排在2026-12-10召开"
