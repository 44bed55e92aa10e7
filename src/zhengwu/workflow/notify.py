"""Notifications: in-app rows, and an outbox for their e-mail.

`send` writes the row in the caller's transaction and only notes the address to mail it to; nothing
talks to a mail server while a leader's approval is being committed. `send_pending_mail` (run by
`zhengwu tick` and `zhengwu mail send`) e-mails what is pending through Django's e-mail backend:
each notification is claimed with a conditional update (so two senders never both take it), sent
outside any transaction, then marked sent — or its error is recorded and it is tried again later,
with a growing pause, up to MAX_MAIL_ATTEMPTS times. A crash between sending and marking sends
that one message again once its claim lapses (at least once, never lost)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connections, router
from django.db.models import F, Q
from django.utils import timezone

from zhengwu.org import versions

from .models import Notification

log = logging.getLogger(__name__)

MAX_MAIL_ATTEMPTS = 10  # then the row keeps its last error and is no longer tried
MAIL_CLAIM = dt.timedelta(minutes=15)  # how long a sender holds a message it is sending
MAIL_TIMEOUT = 60  # seconds per SMTP operation unless EMAIL_TIMEOUT says otherwise (well below MAIL_CLAIM)


def mail_retry_delay(attempts: int) -> dt.timedelta:
    """The pause after the n-th failed attempt: 5, 10, 20 … minutes, at most 6 hours (about a day
    of outage is bridged before a message is given up)."""
    return min(dt.timedelta(minutes=5 * 2 ** (attempts - 1)), dt.timedelta(hours=6))


def build(*, person, kind: str, title: str, body: str = "", task=None, approval=None, key: str | None = None,
          link: str = "", msg: str | None = None, params: dict | None = None) -> Notification:
    """A notification not yet sent (see `send_all`): linked to the task, else the approval. `msg` (a
    key of Notification.MESSAGES) and its `params` let the title show in the reader's language;
    `title` is still stored (the e-mail, and the fallback)."""
    assert msg is None or msg in Notification.MESSAGES, f"unknown notification message {msg!r}"
    if not link:
        if task is not None:
            link = f"/tasks/{task.pk}/"
        elif approval is not None:
            link = f"/approvals/{approval.pk}/"
    return Notification(person=person, kind=kind, title=title[:200], body=body, link=link, task=task, key=key,
                        mail_to=person.email or "", msg=msg, params=params if msg else None)


def send(*, person, kind: str, title: str, body: str = "", task=None, approval=None, key: str | None = None,
         link: str = "", msg: str | None = None, params: dict | None = None) -> Notification | None:
    """Create an in-app notification (once per `key`), to be e-mailed to the person's address by
    `send_pending_mail` if they have one. Returns None when a notification with the same key was
    already sent (idempotent)."""
    note = build(person=person, kind=kind, title=title, body=body, task=task, approval=approval, key=key, link=link,
                 msg=msg, params=params)
    if key is None:  # nothing unique to collide on
        note.save(force_insert=True)
        versions.people_changed([note.person_id])  # the bell's count in the person's header
        return note
    if not _insert_keyed([note]):
        return None
    versions.people_changed([note.person_id])
    return note


def send_all(notes: Iterable[Notification]) -> list[Notification]:
    """Send several notifications (from `build`) at once: one INSERT for the keyed ones, one for the
    others. Returns those sent, in the order given; a key already sent is left out, as `send`
    returns None for it."""
    notes = list(notes)
    keyless = [n for n in notes if n.key is None]
    if len(keyless) == 1:
        keyless[0].save(force_insert=True)
    elif keyless:
        Notification.objects.bulk_create(keyless)
    sent = {id(n) for n in _insert_keyed([n for n in notes if n.key is not None])}
    done = [n for n in notes if n.key is None or id(n) in sent]
    versions.people_changed(n.person_id for n in done)  # the bell's count in their headers
    return done


def _insert_keyed(notes: list[Notification]) -> list[Notification]:
    """Insert keyed notifications in one statement, skipping every key that is already taken (sent
    before, or by a concurrent transaction that commits): INSERT … ON CONFLICT (key) DO NOTHING
    RETURNING — PostgreSQL, and SQLite ≥ 3.35. Returns the notes inserted, their pk set; no
    savepoint is needed since a taken key is not an error."""
    if not notes:
        return []
    meta = Notification._meta
    conn = connections[router.db_for_write(Notification)]
    qn = conn.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    params = []
    for note in notes:
        assert note.key is not None, "only keyed notifications"
        params += [f.get_db_prep_save(f.pre_save(note, add=True), conn) for f in fields]
    row = f"({', '.join(['%s'] * len(fields))})"
    key = meta.get_field("key")
    sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES {', '.join([row] * len(notes))} "
           f"ON CONFLICT ({qn(key.column)}) DO NOTHING RETURNING {qn(meta.pk.column)}, {qn(key.column)}")
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        ids = {k: pk for pk, k in cursor.fetchall()}
    inserted = []
    for note in notes:
        pk = ids.pop(note.key, None)  # pop: a key given twice in one batch is inserted once
        if pk is not None:
            note.pk = pk
            note._state.adding, note._state.db = False, conn.alias
            inserted.append(note)
    return inserted


def mark_task_handled(task, actor) -> int:
    """The notifications about `task` (its new-task notice, reminders, nudges, a 转办 notice) are
    read once the task is handled: those of the person who handled it and of the person whose inbox
    it was in (they differ when someone acting for the holder, or the office, handled it). Called by
    the engine's services (task_complete, task_return, task_reassign, circulation_ack) in the
    transaction of the completion, so a rolled-back completion leaves them unread. One conditional
    UPDATE; no audit event of its own (the completion's event records the handling). Returns how
    many were marked."""
    people = {task.assignee_id, getattr(actor, "pk", None)} - {None}
    n = Notification.objects.filter(task_id=task.pk, person_id__in=people,
                                    read_at__isnull=True).update(read_at=timezone.now())
    if n:
        versions.people_changed(people)  # the bell's count in their headers
    return n


@dataclass
class MailResult:
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.failed} failed"


def _pending(now: dt.datetime):
    return (Notification.objects.filter(mailed_at__isnull=True, mail_attempts__lt=MAX_MAIL_ATTEMPTS)
            .exclude(mail_to="").filter(Q(mail_next_at__isnull=True) | Q(mail_next_at__lte=now)))


def send_pending_mail(*, limit: int = 500, now: dt.datetime | None = None) -> MailResult:
    """E-mail up to `limit` pending notifications, oldest first, through one SMTP session. Safe to run
    from several processes at once: each message is claimed by a conditional update before it is
    sent. When the server cannot be reached at all, the run stops (the rest wait for the next one).
    `now` fixes the clock (tests)."""
    def clock() -> dt.datetime:
        return now or timezone.now()

    result = MailResult()
    rows = list(_pending(clock()).order_by("id").values_list("pk", "title", "body", "link", "mail_to",
                                                              "mail_attempts")[:limit])
    if not rows:
        return result
    connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or MAIL_TIMEOUT)

    def failed(pk: int, to: str, attempt: int, e: Exception) -> None:
        log.warning("e-mail of notification %s to %s failed (attempt %s): %s", pk, to, attempt, e)
        Notification.objects.filter(pk=pk).update(mail_error=f"{type(e).__name__}: {e}"[:500],
                                                  mail_next_at=clock() + mail_retry_delay(attempt))
        result.failed += 1

    try:
        for pk, title, body, link, to, attempts in rows:
            # the claim, committed at once (autocommit): only if still pending and nobody else holds it
            claimed = _pending(clock()).filter(pk=pk).update(mail_attempts=F("mail_attempts") + 1,
                                                             mail_next_at=clock() + MAIL_CLAIM)
            if not claimed:
                continue  # another sender took it (or sent it) meanwhile
            try:
                connection.open()  # a no-op while the session is open
            except Exception as e:
                failed(pk, to, attempts + 1, e)
                break
            try:
                EmailMessage(f"[政务] {title}", f"{body}\n\n{link}", settings.DEFAULT_FROM_EMAIL, [to],
                             connection=connection).send()
            except Exception as e:  # refused, or the session broke: recorded, tried again later
                failed(pk, to, attempts + 1, e)
                _close(connection)  # not reused after an error
            else:
                Notification.objects.filter(pk=pk).update(mailed_at=timezone.now(), mail_error="", mail_next_at=None)
                result.sent += 1
    finally:
        _close(connection)
    return result


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # closing a broken session
        log.debug("closing the e-mail connection failed", exc_info=True)
