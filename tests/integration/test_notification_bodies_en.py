"""Notification bodies in the reader's language (issue 16): a sender that gives the body's key and
facts (params["body_msg"]) is read in English from them; Chinese reads the body as sent; a body
without a key is shown as stored."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from zhengwu.org.models import Person
from zhengwu.workflow.models import Notification

pytestmark = pytest.mark.django_db


def note(**params) -> Notification:
    return Notification(title="t", body="请于2026-12-16前办理", params=params)


def test_a_task_body_in_each_language():
    n = note(body_msg="workflow.due", due="2026-12-16")
    with translation.override("en"):
        assert n.display_body == "Please handle it by 2026-12-16."
    with translation.override("zh-hans"):
        assert n.display_body == "请于2026-12-16前办理"


def test_a_body_without_key_is_shown_as_stored():
    with translation.override("en"):
        assert note().display_body == "请于2026-12-16前办理"
        assert note(body_msg="no.such").display_body == "请于2026-12-16前办理"


def test_a_meeting_notice_body_in_english():
    n = Notification(title="t", body="时间：…", params={
        "body_msg": "meetings.notice", "start": "2026-12-10T09:00:00+08:00", "end": "2026-12-10T12:00:00+08:00",
        "place": "", "chair": "张甲", "items": ["关于A的请示"], "materials": [], "article": 64})
    with translation.override("en"):
        text = n.display_body
    assert text.startswith("Time: 2026-12-10 09:00–12:00\nPlace: to be announced\nChair: 张甲\nAgenda:\n  1. 关于A的请示")
    assert "Materials: none" in text and "(Work Rules, art. 64)" in text


def test_the_notifications_page_in_english(full_demo):
    person = Person.objects.get(username="quzhang")
    c = Client()
    c.force_login(person)
    c.cookies["django_language"] = "en"
    en = c.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    if Notification.objects.filter(person=person, params__body_msg="meetings.notice").exists():
        assert "主持：" not in en and "Chair: " in en
    c.cookies["django_language"] = "zh-hans"
    zh = c.get("/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    if Notification.objects.filter(person=person, params__body_msg="meetings.notice").exists():
        assert "主持：" in zh


def test_a_supervision_body_sets_the_recorded_facts_apart_in_english():
    n = Notification(title="t", body="督〔2026〕3号，办结期限2026-12-09。审计报告第3条：专项资金拨付滞后。", params={
        "body_msg": "supervision.assigned", "number": "督〔2026〕3号", "due": "2026-12-09",
        "basis": "审计报告第3条：专项资金拨付滞后。"})
    with translation.override("en"):
        html = n.display_body_html()
    assert html == ('<span lang="zh">督〔2026〕3号</span>, to be completed by 2026-12-09. '
                    '<span lang="zh">审计报告第3条：专项资金拨付滞后。</span>')
    with translation.override("zh-hans"):
        assert n.display_body_html() == n.body  # as sent (and mailed)
    hostile = Notification(title="t", body="<b>x</b>", params={"body_msg": "proposals.lead", "due": "<i>"})
    with translation.override("en"):
        assert "<i>" not in hostile.display_body_html() and "&lt;i&gt;" in hostile.display_body_html()
    with translation.override("zh-hans"):
        assert hostile.display_body_html() == "&lt;b&gt;x&lt;/b&gt;"


def test_the_assignment_and_tick_bodies_carry_their_keys(full_demo):
    keys = set(Notification.objects.filter(params__body_msg__isnull=False)
               .values_list("params__body_msg", flat=True))
    assert {"supervision.assigned", "proposals.lead"} <= keys, keys
