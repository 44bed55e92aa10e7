"""Writes on a person's notifications (the bell): marking them read.

The only writer of `Notification.read_at`. Kept apart from services.py (which the engine's owner
maintains) until it moves there; the web's notifications page calls it. Its audit action is
registered at import time, so any caller has it registered before the first use.
"""

from __future__ import annotations

from typing import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhengwu.audit.catalogue import register_actions
from zhengwu.audit.services import audit_append
from zhengwu.errors import Refused
from zhengwu.org import versions
from zhengwu.org.models import Person

from .models import Notification

OBJ = "workflow.inbox"  # the person's inbox: obj_id is the person's id

register_actions({"workflow.notification.read": "通知标为已读"})


def _clean_ids(ids: Iterable | None) -> list[int] | None:
    if ids is None:
        return None
    cleaned = []
    for raw in ids:
        try:
            cleaned.append(int(raw))
        except (TypeError, ValueError):
            raise Refused("通知编号须为整数", field="ids") from None
    return cleaned


def notifications_mark_read(*, actor: Person, ids: Iterable | None = None) -> int:
    """Mark the actor's unread notifications read (all of them, or those in `ids`); return how
    many changed. Another person's notification ids are ignored (nothing of theirs changes).
    A conditional update, so marking twice (or from two tabs at once) counts each row once."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise Refused("请先登录", field="actor", status=403)
    wanted = _clean_ids(ids)
    if wanted is not None and not wanted:
        return 0
    with transaction.atomic():
        qs = Notification.objects.filter(person=actor, read_at__isnull=True)
        if wanted is not None:
            qs = qs.filter(pk__in=wanted)
        changed = list(qs.values_list("pk", flat=True))
        if not changed:
            return 0
        n = Notification.objects.filter(pk__in=changed, read_at__isnull=True).update(read_at=timezone.now())
        if n:
            versions.people_changed([actor.pk])  # the bell's count in the header (org.versions)
            audit_append(actor=actor, action="workflow.notification.read", obj_type=OBJ, obj_id=str(actor.pk),
                         after={"notifications": changed[:100], "count": n},
                         summary=f"{actor}将{n}条通知标为已读")
    return n


def notifications_seen(*, person, task=None, approval=None, obj: tuple[str, str] | None = None,
                       link: str = "") -> int:
    """The person opened the page of what their notifications are about: mark those read. A task's
    page clears the notices about that task; an approval's page those about any of its tasks and
    those linked to it; a domain object's page (`obj` = (obj_type, obj_id), `link` = its path) those
    linked to the page and those about the tasks of the object's approvals. Only the person's own,
    only unread ones; one conditional UPDATE (a page opened twice marks nothing the second time),
    no audit event (opening a page changes nothing of the matter; `notifications_mark_read`, the
    person's own act on the bell, is audited). Returns how many were marked."""
    if person is None or not getattr(person, "is_authenticated", False):
        return 0
    about = Q(pk__in=[])
    if task is not None:
        about |= Q(task_id=task.pk)
    if approval is not None:
        about |= Q(task__approval_id=approval.pk) | Q(link=f"/approvals/{approval.pk}/")
    if obj is not None:
        about |= Q(task__approval__obj_type=obj[0], task__approval__obj_id=str(obj[1]))
    if link:
        about |= Q(link=link)
    n = Notification.objects.filter(about, person_id=person.pk, read_at__isnull=True).update(read_at=timezone.now())
    if n:
        versions.people_changed([person.pk])  # the bell's count in the header (org.versions)
    return n
