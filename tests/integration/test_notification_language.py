"""Notifications read in the reader's language: a sender's message key and parameters are stored
with the (Chinese) title, and the notifications page renders the key through the catalogue —
Chinese as stored, English for an English reader. Rows without a key show their title as stored."""

import re

import pytest
from django.utils import translation

from zhengwu.org.models import Person
from zhengwu.workflow import notify
from zhengwu.workflow.models import Notification

pytestmark = pytest.mark.django_db


def p(username):
    return Person.objects.get(username=username)


@pytest.fixture
def gov(org_demo):  # loaded once for the module (tests/conftest.py)
    Notification.objects.all().delete()


def test_a_keyed_notice_reads_chinese_and_english_by_language(gov):
    note = notify.send(person=p("fuqu2"), kind="info", title="公文被退回：关于春耕的请示", key="lang:1",
                       msg="documents.returned", params={"title": "关于春耕的请示"})
    stored = Notification.objects.get(pk=note.pk)
    assert (stored.msg, stored.params, stored.title) == ("documents.returned", {"title": "关于春耕的请示"},
                                                         "公文被退回：关于春耕的请示")
    with translation.override("zh-hans"):
        assert stored.display_title == "公文被退回：关于春耕的请示"  # the Chinese is today's wording
    with translation.override("en"):
        assert stored.display_title == "Document returned: 关于春耕的请示"


def test_every_message_has_its_chinese(gov):
    for key, template in Notification.MESSAGES.items():
        with translation.override("en"):
            english = str(template)
        with translation.override("zh-hans"):
            chinese = str(template)
        assert english != chinese, key
        # each names what it is about ({title}, or its own facts such as a request's number or the
        # dates of an absence), the same placeholders in both languages
        fields = set(re.findall(r"{(\w+)}", english))
        assert fields and fields == set(re.findall(r"{(\w+)}", chinese)), key


def test_an_old_row_or_an_unkeyed_notice_shows_as_stored(gov):
    old = notify.send(person=p("fuqu2"), kind="info", title="请阅：旧通知")
    broken = notify.build(person=p("fuqu2"), kind="info", title="已办结：某事", msg="workflow.finished", params={})
    with translation.override("en"):
        assert old.display_title == "请阅：旧通知"
        assert broken.display_title == "已办结：某事"  # a parameter missing: the stored title, never an error


def test_an_unknown_key_is_refused_when_sending(gov):
    with pytest.raises(AssertionError, match="unknown notification message"):
        notify.build(person=p("fuqu2"), kind="info", title="x", msg="no.such.message")


def test_the_notifications_page_in_both_languages(client, gov):
    notify.send(person=p("fuqu2"), kind="reminder", title="催办：年度预算审核", key="lang:2",
                msg="workflow.reminder", params={"title": "年度预算审核"})
    notify.send(person=p("fuqu2"), kind="info", title="请阅：旧通知", key="lang:3")
    client.force_login(p("fuqu2"))
    with translation.override("zh-hans"):  # the middleware's activation is not left to later tests
        client.cookies["django_language"] = "zh-hans"
        chinese = client.get("/notifications/").content.decode()
        client.cookies["django_language"] = "en"
        english = client.get("/notifications/").content.decode()
    assert "催办：年度预算审核" in chinese and "请阅：旧通知" in chinese
    assert "Reminder: 年度预算审核" in english and "催办：" not in english
    assert "请阅：旧通知" in english  # an old row as stored
