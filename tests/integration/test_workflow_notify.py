"""notify.send: one row per call, once per key (a key already used gives None and writes nothing),
in one INSERT statement whatever the key — no look-up first, no savepoint."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zhengwu.org import demo
from zhengwu.org.models import Person
from zhengwu.workflow import notify
from zhengwu.workflow.models import Notification

pytestmark = pytest.mark.django_db


def p(username):
    return Person.objects.get(username=username)


@pytest.fixture
def gov(org_demo):  # loaded once for the module (tests/conftest.py)
    Notification.objects.all().delete()


def test_a_key_is_sent_once_in_one_statement(gov):
    fuqu2, fuqu3 = p("fuqu2"), p("fuqu3")
    with CaptureQueriesContext(connection) as ctx:
        note = notify.send(person=fuqu2, kind="info", title="请阅", body="正文", key="k:1", link="/x/")
    assert len(ctx) == 1 and "ON CONFLICT" in ctx[0]["sql"]
    assert note is not None and note.pk is not None and note.created_at is not None
    stored = Notification.objects.get(pk=note.pk)
    assert (stored.person.username, stored.kind, stored.title, stored.body, stored.link, stored.key, stored.mail_to) \
        == ("fuqu2", "info", "请阅", "正文", "/x/", "k:1", "fuqu2@taobei.example")
    assert stored.created_at == note.created_at and stored.read_at is None and stored.mailed_at is None

    with CaptureQueriesContext(connection) as ctx:
        again = notify.send(person=fuqu3, kind="info", title="又一次", key="k:1")
    assert again is None and len(ctx) == 1
    assert Notification.objects.filter(key="k:1").count() == 1
    assert Notification.objects.get(key="k:1").person.username == "fuqu2"  # the first one stays


def test_a_taken_key_does_not_break_the_transaction(gov):
    notify.send(person=p("fuqu2"), kind="info", title="一", key="k:2")
    with transaction.atomic():
        assert notify.send(person=p("fuqu2"), kind="info", title="二", key="k:2") is None
        # the transaction goes on: no error was raised inside it, so no savepoint was needed
        assert notify.send(person=p("fuqu2"), kind="info", title="三", key="k:3") is not None
        assert Notification.objects.filter(key__in=["k:2", "k:3"]).count() == 2


def test_without_a_key_every_call_is_a_row(gov):
    a = notify.send(person=p("fuqu2"), kind="info", title="甲")
    b = notify.send(person=p("fuqu2"), kind="info", title="甲")
    assert a.pk != b.pk and Notification.objects.filter(title="甲").count() == 2


def test_send_all_is_one_insert_for_the_keyed_and_one_for_the_others(gov):
    fuqu2, fuqu3, fuqu4 = p("fuqu2"), p("fuqu3"), p("fuqu4")
    notify.send(person=fuqu2, kind="info", title="旧", key="k:a")
    notes = [notify.build(person=fuqu2, kind="info", title="已发过", key="k:a"),
             notify.build(person=fuqu3, kind="info", title="乙", key="k:b"),
             notify.build(person=fuqu4, kind="task", title="丙", link="/tasks/1/"),
             notify.build(person=fuqu2, kind="info", title="丁"),
             notify.build(person=fuqu3, kind="info", title="乙又一次", key="k:b")]
    with CaptureQueriesContext(connection) as ctx:
        sent = notify.send_all(notes)
    assert len(ctx) == 2
    assert sent == [notes[1], notes[2], notes[3]]  # in the order given; a taken key, and a key given twice, once
    assert all(n.pk is not None and n.created_at is not None for n in sent)
    rows = {n.pk: (n.person.username, n.title, n.key, n.mail_to) for n in Notification.objects.all()}
    assert sorted(rows.values()) == sorted([
        ("fuqu2", "旧", "k:a", "fuqu2@taobei.example"), ("fuqu3", "乙", "k:b", "fuqu3@taobei.example"),
        ("fuqu4", "丙", None, "fuqu4@taobei.example"), ("fuqu2", "丁", None, "fuqu2@taobei.example")])
    assert rows[notes[2].pk][1] == "丙" and rows[notes[1].pk][1] == "乙"
    assert notify.send_all([]) == []


@pytest.mark.django_db(transaction=True)
def test_the_same_key_from_two_transactions_at_once_is_sent_once():
    """One transaction has written the key and not committed yet; the other sends the same key
    meanwhile: it waits for the first and gets None (no error, no second row)."""
    import threading

    demo.load()
    fuqu2 = p("fuqu2")
    inserted, release, outcome = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                outcome["first"] = notify.send(person=fuqu2, kind="info", title="一", key="k:race")
                inserted.set()
                assert release.wait(30)
        finally:
            connection.close()

    def second():
        try:
            outcome["second"] = notify.send(person=fuqu2, kind="info", title="二", key="k:race")
        finally:
            connection.close()

    t1 = threading.Thread(target=first)
    t1.start()
    assert inserted.wait(30)
    t2 = threading.Thread(target=second)
    t2.start()
    release.set()
    t1.join(60)
    t2.join(60)
    assert outcome["first"] is not None and outcome["second"] is None
    assert list(Notification.objects.filter(key="k:race").values_list("title", flat=True)) == ["一"]
