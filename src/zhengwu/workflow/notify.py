"""Notifications: in-app rows and e-mail (Django's e-mail backend), sent after commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Notification

log = logging.getLogger(__name__)


def send(*, person, kind: str, title: str, body: str = "", task=None, approval=None, key: str | None = None,
         link: str = "") -> Notification | None:
    """Create an in-app notification (once per `key`) and e-mail it after the transaction commits.
    Returns None when a notification with the same key was already sent (idempotent)."""
    if not link:
        if task is not None:
            link = f"/tasks/{task.pk}/"
        elif approval is not None:
            link = f"/approvals/{approval.pk}/"
    if key is not None and Notification.objects.filter(key=key).exists():
        return None
    fields = dict(person=person, kind=kind, title=title[:200], body=body, link=link, task=task, key=key)
    if key is None:  # nothing unique to collide on: no savepoint (two statements fewer)
        note = Notification.objects.create(**fields)
    else:
        try:
            with transaction.atomic():
                note = Notification.objects.create(**fields)
        except IntegrityError:  # the same key sent concurrently
            return None
    if person.email:
        def mail():
            try:
                send_mail(f"[政务] {title}", f"{body}\n\n{link}", settings.DEFAULT_FROM_EMAIL, [person.email])
            except Exception:  # e-mail is best effort; the in-app notification is the record
                log.exception("e-mail to %s failed", person.email)
        transaction.on_commit(mail)
    return note
