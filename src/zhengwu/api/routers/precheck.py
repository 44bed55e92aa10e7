"""Precheck (预审): run the rules of a topic over plain facts and get the violations with the
articles behind them, before anything is submitted. It reads the rulebook only; it changes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any

from ninja import Router

from zhengwu import rules
from zhengwu.errors import Refused
from zhengwu.rulebook.calendar import parse_date
from zhengwu.rulebook.facts import facts_from_dict, topics
from zhengwu.rulebook.registry import rules_for

from ..schemas import PrecheckIn, PrecheckOut, TopicOut, responses

router = Router(tags=["precheck"])


@router.post("", response=responses(PrecheckOut, 400), summary="预审：按工作规则审查事实",
             operation_id="precheck")
def precheck(request, data: PrecheckIn):
    """Builds the topic's facts from `facts` (400 naming the field on bad input), runs every rule
    of the topic enabled by the rulebook in force on `date`, and returns the violations. `ok` is
    false when any of them blocks."""
    topic = (data.topic or "").strip()
    if not topic:
        raise Refused(f"topic: 必填，可用：{'、'.join(sorted(topics()))}", field="topic")
    facts = facts_from_dict(topic, data.facts)
    on = parse_date(data.date, field="date") if data.date is not None else rules.today()
    found = rules.check(topic, facts, on=on)
    return {"ok": not any(v.blocks for v in found), "topic": topic, "date": on,
            "violations": [v.as_dict() for v in found]}


def type_name(hint: Any) -> str:
    """A facts field's type as clients read it: date, string, boolean, integer, list[…], […, …]."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return " | ".join("null" if a is type(None) else type_name(a) for a in args)
    if origin is tuple and args and args[-1] is not Ellipsis:
        return "[" + ", ".join(type_name(a) for a in args) + "]"
    if origin in (tuple, frozenset, list, set):
        return f"list[{type_name(args[0]) if args else 'any'}]"
    return {dt.date: "date", str: "string", bool: "boolean", int: "integer"}.get(hint, "any")


@router.get("/topics", response=responses(list[TopicOut]), summary="预审主题及其事实字段",
            operation_id="precheck_topics")
def precheck_topics(request):
    """Every topic the rulebook can precheck, its facts fields (type, required) and its rules."""
    out = []
    for name, cls in sorted(topics().items()):
        hints = typing.get_type_hints(cls)
        fields = [{"name": f.name, "type": type_name(hints[f.name]),
                   "required": f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
                  for f in dataclasses.fields(cls)]
        out.append({"topic": name, "description": (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else "",
                    "fields": fields,
                    "rules": [{"rule_id": r.id, "article": r.article, "severity": r.severity, "summary": r.summary}
                              for r in rules_for(name)]})
    return out
