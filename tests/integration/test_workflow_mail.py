"""The e-mail outbox of notifications: a service only writes the notification (with the address to
mail it to); `send_pending_mail` — run by `zhengwu tick` and `zhengwu mail send` — e-mails it once,
records a failure and tries again later, and two senders at once never send one message twice."""

import datetime as dt
import smtplib
import threading

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection
from django.utils import timezone

from zhengwu.audit.models import AuditEvent
from zhengwu.cli import main
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import notify, services
from zhengwu.workflow.models import Notification
from zhengwu.workflow.tick import run_tick

START = dt.date(2026, 9, 28)
TITLE = "关于新建第三小学的请示"


def p(username):
    return Person.objects.get(username=username)


def start(obj_id="1"):
    """A doc.intake approval: its first task (审核) goes to the 办公室主任, who is notified."""
    return services.approval_start(actor=p("jyj"), route_id="doc.intake", obj_type="test.request", obj_id=obj_id,
                                   title=TITLE, applicant_unit=Unit.objects.get(short_name="教育局"), on=START)


def refuse(monkeypatch, error=None):
    def send_messages(self, messages):
        raise error or smtplib.SMTPRecipientsRefused({"x": (550, b"mailbox unavailable")})

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", send_messages)


@pytest.fixture
def gov(org_demo):  # loaded once for the module (tests/conftest.py)
    Notification.objects.all().delete()
    mail.outbox.clear()


def test_the_service_only_records_the_mail_and_the_sender_sends_it_once(gov):
    approval = start()
    note = Notification.objects.get()
    assert (note.person.username, note.mail_to, note.mailed_at, note.mail_attempts) == \
        ("bgs-zhuren", "bgs-zhuren@taobei.example", None, 0)
    assert mail.outbox == []  # nothing talks to a mail server inside (or right after) the service

    result = notify.send_pending_mail()
    assert (result.sent, result.failed) == (1, 0)
    [message] = mail.outbox
    assert message.to == ["bgs-zhuren@taobei.example"]
    assert message.subject == f"[政务] 新待办（审核）：{TITLE}"
    task = approval.tasks.get()
    assert message.body.endswith(f"/tasks/{task.pk}/")
    note.refresh_from_db()
    assert note.mailed_at is not None and note.mail_attempts == 1 and note.mail_error == ""

    assert (notify.send_pending_mail().sent, len(mail.outbox)) == (0, 1)  # sent once


def test_no_mail_for_a_person_without_an_address(gov):
    Person.objects.filter(username="bgs-zhuren").update(email="")
    start()
    note = Notification.objects.get()
    assert note.person.username == "bgs-zhuren" and note.mail_to == ""  # the in-app notification is there
    assert notify.send_pending_mail().sent == 0 and mail.outbox == []


def test_the_address_is_the_one_the_person_had_when_notified(gov):
    start()
    Person.objects.filter(username="bgs-zhuren").update(email="new@taobei.example")
    notify.send_pending_mail()
    assert mail.outbox[0].to == ["bgs-zhuren@taobei.example"]


def test_a_failure_is_recorded_and_retried_later_until_it_is_given_up(gov, monkeypatch):
    start()
    now = timezone.now()
    with monkeypatch.context() as m:
        refuse(m)
        result = notify.send_pending_mail(now=now)
        assert (result.sent, result.failed) == (0, 1)
        note = Notification.objects.get()
        assert note.mailed_at is None and note.mail_attempts == 1
        assert note.mail_error.startswith("SMTPRecipientsRefused") and "mailbox unavailable" in note.mail_error
        assert note.mail_next_at == now + dt.timedelta(minutes=5)
        # not again before the pause is over
        assert notify.send_pending_mail(now=now + dt.timedelta(minutes=4)).failed == 0
        # the second failure waits twice as long
        assert notify.send_pending_mail(now=now + dt.timedelta(minutes=5)).failed == 1
        note.refresh_from_db()
        assert note.mail_attempts == 2 and note.mail_next_at == now + dt.timedelta(minutes=15)
    # the server takes it again: sent, the error cleared
    assert notify.send_pending_mail(now=now + dt.timedelta(minutes=15)).sent == 1
    note.refresh_from_db()
    assert note.mailed_at is not None and note.mail_attempts == 3 and note.mail_error == ""
    assert [m.to for m in mail.outbox] == [["bgs-zhuren@taobei.example"]]

    # a message that keeps failing is given up after MAX_MAIL_ATTEMPTS, its last error kept
    start(obj_id="2")
    late = Notification.objects.get(mailed_at__isnull=True)
    Notification.objects.filter(pk=late.pk).update(mail_attempts=notify.MAX_MAIL_ATTEMPTS - 1)
    with monkeypatch.context() as m:
        refuse(m)
        assert notify.send_pending_mail(now=now).failed == 1
    far = now + dt.timedelta(days=30)
    assert notify.send_pending_mail(now=far).sent == 0
    late.refresh_from_db()
    assert late.mailed_at is None and late.mail_attempts == notify.MAX_MAIL_ATTEMPTS and late.mail_error


def test_an_unreachable_server_stops_the_run_and_the_rest_wait(gov, monkeypatch):
    for i in range(3):
        start(obj_id=str(i))

    def open_(self):
        raise ConnectionRefusedError(111, "Connection refused")

    with monkeypatch.context() as m:
        m.setattr(locmem.EmailBackend, "open", open_, raising=False)
        assert notify.send_pending_mail().failed == 1
    tried = Notification.objects.filter(mail_attempts__gt=0)
    assert tried.count() == 1 and "Connection refused" in tried.get().mail_error
    assert Notification.objects.filter(mail_attempts=0, mailed_at__isnull=True).count() == 2
    assert notify.send_pending_mail().sent == 2  # the one that failed waits for its pause


@pytest.mark.django_db(transaction=True)
def test_the_notification_and_the_approval_are_committed_even_when_mail_fails(monkeypatch):
    demo.load()
    refuse(monkeypatch, smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    approval = start()
    # committed: the approval, its audit event and the notification, whatever the mail server does
    assert Notification.objects.filter(task__approval=approval).count() == 1
    assert AuditEvent.objects.filter(action="workflow.approval.start", obj_id=str(approval.pk)).exists()
    assert notify.send_pending_mail().failed >= 1
    note = Notification.objects.get(task__approval=approval)
    assert note.mailed_at is None and "Connection unexpectedly closed" in note.mail_error


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_message_once(monkeypatch):
    demo.load()
    Notification.objects.all().delete()
    mail.outbox.clear()
    for i in range(3):
        start(obj_id=str(i))
    first_sending, second_done = threading.Event(), threading.Event()
    original = locmem.EmailBackend.send_messages

    def slow(self, messages):
        if threading.current_thread().name == "first" and not first_sending.is_set():
            first_sending.set()
            assert second_done.wait(30)  # the second sender runs to its end while this one is sending
        return original(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", slow)
    results = {}

    def run(name):
        try:
            results[name] = notify.send_pending_mail()
        finally:
            connection.close()
            if name == "second":
                second_done.set()

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert first_sending.wait(30)
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    second.join(60)
    first.join(60)
    assert (results["first"].sent, results["second"].sent) == (1, 2)
    assert sorted(m.subject for m in mail.outbox) == [f"[政务] 新待办（审核）：{TITLE}"] * 3
    assert Notification.objects.filter(mailed_at__isnull=False, mail_attempts=1).count() == 3


def test_tick_and_the_mail_command_send_pending_mail(gov, capsys):
    start(obj_id="1")
    assert run_tick() == 0
    # the last thing tick does: what this run wrote (here the meetings' alerts) goes out with it
    mailed = Notification.objects.exclude(mail_to="")
    assert mailed.count() >= 2 and not mailed.filter(mailed_at__isnull=True).exists()
    assert f"tick mail: {mailed.count()} sent, 0 failed" in capsys.readouterr().out
    assert len(mail.outbox) == mailed.count()
    mail.outbox.clear()
    start(obj_id="2")
    assert main(["mail", "send", "--limit", "5"]) == 0
    assert capsys.readouterr().out.strip() == "mail: 1 sent, 0 failed"
    assert main(["mail", "send"]) == 0
    assert capsys.readouterr().out.strip() == "mail: 0 sent, 0 failed"
    assert len(mail.outbox) == 1
    assert main(["mail", "send", "--limit", "0"]) == 2
