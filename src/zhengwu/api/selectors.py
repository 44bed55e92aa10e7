"""Reads the API composes from the apps' selectors: token look-up, the inbox pages, the
organisation lists. Query counts do not grow with the number of rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from zhengwu.errors import Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Appointment, Government, Person, Unit
from zhengwu.workflow import selectors as workflow
from zhengwu.workflow.models import Task

from .models import ApiToken
from .services import KEY_PREFIX, key_hash

MAX_KEY_LENGTH = 200


def token_for_key(plaintext: str) -> ApiToken | None:
    """The active token whose key this is, with its (active) person; None otherwise."""
    if not plaintext or len(plaintext) > MAX_KEY_LENGTH or not plaintext.startswith(KEY_PREFIX):
        return None
    token = (ApiToken.objects.select_related("person").filter(key_hash=key_hash(plaintext), revoked__isnull=True)
             .first())
    if token is None or not token.person.is_active:
        return None
    return token


def tokens_of(person: Person) -> QuerySet:
    return ApiToken.objects.filter(person=person).order_by("-created", "-id")


# ---- inbox -----------------------------------------------------------------------------------

def inbox_tasks(person: Person, box: str, *, on: dt.date) -> QuerySet:
    """Tasks of the 待办 / 已办 box (workflow.selectors), with what the API shows per row."""
    return workflow.box(person, box, on=on).select_related("approval", "assignee", "completed_by")


def inbox_approvals(person: Person) -> QuerySet:
    """我发起的: the approvals the person started, each with its open steps (one extra query)."""
    open_steps = (Task.objects.filter(status=Task.Status.OPEN, kind=Task.Kind.STEP)
                  .select_related("assignee").order_by("stage", "id"))
    return workflow.mine(person).prefetch_related(Prefetch("tasks", queryset=open_steps, to_attr="open_steps"))


# ---- organisation ----------------------------------------------------------------------------

def government_of(person: Person) -> Government | None:
    return person.government if person.government_id else org.current_government()


def person_by_username(actor: Person, username: str, *, field: str = "to") -> Person:
    """An active person of the actor's government, by login name; Refused naming `field` otherwise."""
    username = (username or "").strip()
    if not username:
        raise Refused("请填写人员登录名", field=field)
    qs = Person.objects.filter(username=username, is_active=True)
    if actor.government_id:
        qs = qs.filter(government_id=actor.government_id)
    person = qs.first()
    if person is None:
        raise Refused(f"人员“{username}”不存在或已停用", field=field)
    return person


def _active_appointments(on: dt.date) -> QuerySet:
    return (Appointment.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))
            .select_related("position", "position__unit").order_by("position__rank", "position__id"))


def people(government: Government | None, q: str, *, on: dt.date) -> QuerySet:
    """Active people of the government whose login or name contains `q`, with today's positions."""
    qs = Person.objects.filter(is_active=True)
    if government is not None:
        qs = qs.filter(government=government)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return qs.prefetch_related(Prefetch("appointments", queryset=_active_appointments(on), to_attr="current"))\
        .order_by("username", "id")


def holders(government: Government, on: dt.date) -> dict[int, Person]:
    """position id → the person holding it on `on` (one query)."""
    rows = _active_appointments(on).filter(position__government=government).select_related("person")
    return {a.position_id: a.person for a in rows}


def units_with_leaders(government: Government, on: dt.date) -> list[tuple[Unit, object, Person | None]]:
    """Active units in order, each with the 分管领导's position (分工, art. 14) and its holder."""
    leader_of: dict[int, object] = {}
    for pf in org.portfolios(government):
        if pf.position.code in org.LEADER_CODES:
            for u in pf.units.all():
                leader_of.setdefault(u.pk, pf.position)
    held = holders(government, on)
    return [(u, leader_of.get(u.pk), held.get(leader_of[u.pk].pk) if u.pk in leader_of else None)
            for u in org.units(government)]


def leaders(government: Government, on: dt.date) -> list[dict]:
    """区长, 常务副区长, 副区长 in rank order: holder, who acts today (补位, art. 15), 分工."""
    portfolios = {pf.position_id: pf for pf in org.portfolios(government)}
    held = holders(government, on)
    out = []
    for pos in government.positions.filter(code__in=org.LEADER_CODES).order_by("rank", "id"):
        holder = held.get(pos.pk)
        away = org.absence_on(holder, on) if holder is not None else None
        acting = holder if holder is not None and away is None else org.acting_for(pos, on)
        out.append({"position": pos, "holder": holder, "absence": away, "acting": acting,
                    "portfolio": portfolios.get(pos.pk)})
    return out

