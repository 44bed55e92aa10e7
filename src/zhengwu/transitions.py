"""The one way a domain object's status changes (DESIGN: "never changes its own status outside one
guarded transition helper"): a conditional UPDATE on the states the change expects (and on the
version the caller read, where the model has one), so of two people acting at the same moment
exactly one wins and the other is told what happened. Never `obj.status = …; obj.save()` and never
an unguarded `.update(status=…)` in domain code.

    transition(doc, expect=[Status.SIGNED], to=Status.ISSUED, issued_on=on)

`expect` is required: the states the object must be in. `to` is the new status (omit it to change
other fields under the same guard, e.g. a single-shot `signed_in_at`). Other keyword arguments are
written in the same statement. On success the instance holds the new values (no re-read).

A model without a status but with a single-shot field (a follow-up's `issued_on`) uses `set_once`,
the same conditional update on `where` alone:

    set_once(followup, where={"issued_on__isnull": True}, issued_on=day, field="followup_id")

Both raise `Conflict` (HTTP 409) when the update loses. `message` is the loser's text, or a function
of the object as it is now (None if gone) that returns it, so the loser can be told who won and
when; `field` names the input the refusal is about."""

from __future__ import annotations

from typing import Callable, Iterable, Union

from django.db.models import F, Model
from django.db.models.expressions import Combinable

from zhengwu.errors import Conflict

Message = Union[str, Callable[[Union[Model, None]], str], None]


def transition(obj: Model, *, expect: Iterable[str], to: str | None = None, versioned: bool = True,
               message: Message = None, field: str | None = None, where: dict | None = None, **fields) -> None:
    """Move `obj` from one of `expect` to `to` (plus `fields`) with one conditional update.
    `versioned`: also require the version the caller read (models with a `version` field).
    `where`: further conditions the row must meet (e.g. {"signed_in_at__isnull": True}).
    Raises Conflict (HTTP 409) naming the state the object is in now when the update loses."""
    expect = list(expect)
    if not expect:
        raise ValueError("transition() needs the expected states")
    if to is not None:
        fields["status"] = to
    _conditional_update(obj, {"status__in": expect, **(where or {})}, fields, versioned=versioned,
                        message=message, field=field)


def set_once(obj: Model, *, where: dict, versioned: bool = True, message: Message = None,
             field: str | None = None, **fields) -> None:
    """Write `fields` on `obj` only while the row still meets `where` (a single-shot field not yet
    set), in one conditional update: for models without a status. Raises Conflict when it loses."""
    if not where:
        raise ValueError("set_once() needs the condition the row must still meet")
    if "status" in fields:
        raise ValueError("a status changes through transition(), on the states it expects")
    _conditional_update(obj, dict(where), fields, versioned=versioned, message=message, field=field)


def _conditional_update(obj: Model, conditions: dict, fields: dict, *, versioned: bool, message: Message,
                        field: str | None) -> None:
    model = type(obj)
    qs = model._default_manager.filter(pk=obj.pk, **conditions)
    has_version = any(f.name == "version" for f in model._meta.concrete_fields)
    if has_version:
        if versioned:
            qs = qs.filter(version=obj.version)
        fields["version"] = F("version") + 1
    if not qs.update(**fields):
        if callable(message):
            message = message(model._default_manager.filter(pk=obj.pk).first())
        raise Conflict(message or _lost_message(model, obj.pk), field=field)
    for name, value in fields.items():
        if isinstance(value, Combinable):
            continue
        setattr(obj, name, value)
    if has_version and versioned:
        obj.version += 1  # the row matched the version read, so it is now one more
    elif has_version:
        obj.version = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).get()


def _lost_message(model, pk) -> str:
    fresh = model._default_manager.filter(pk=pk).first()
    label = model._meta.verbose_name
    if fresh is None:
        return f"该{label}已不存在，请刷新后查看"
    display = getattr(fresh, "get_status_display", None)
    if display is None and not hasattr(fresh, "status"):
        return f"该{label}已被他人办理或修改，请刷新后查看"
    state = display() if display else fresh.status
    return f"该{label}已被他人办理或修改（当前状态：{state}），请刷新后查看"
