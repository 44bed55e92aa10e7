"""Facts for a precheck (预审) from plain JSON: each topic names its facts dataclass, and
`facts_from_dict` builds it, coercing dates, tuples and sets, and naming the field on bad input."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any

from .model import RulebookError

_TOPICS: dict[str, type] = {}


class FactsError(RulebookError):
    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def topic(name: str, facts_cls: type) -> type:
    """Declare the facts dataclass of a topic (so the API's precheck can build it from JSON)."""
    _TOPICS[name] = facts_cls
    return facts_cls


def topics() -> dict[str, type]:
    from .registry import load_rules

    load_rules()
    return dict(_TOPICS)


def _coerce(value: Any, hint: Any, field: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        last: FactsError | None = None
        for a in args:
            if a is type(None):
                continue
            try:
                return _coerce(value, a, field)
            except FactsError as e:
                last = e
        raise last or FactsError(f"{field}: 取值无效", field)
    if hint is dt.datetime:  # before dt.date: a datetime is a date
        if isinstance(value, str):
            try:
                return dt.datetime.fromisoformat(value)
            except ValueError:
                pass
        raise FactsError(f"{field}: 须为时间 YYYY-MM-DDTHH:MM，收到 {value!r}", field)
    if hint is dt.date:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise FactsError(f"{field}: 须为日期 YYYY-MM-DD，收到 {value!r}", field)
    if hint is str:
        if isinstance(value, str):
            return value
        raise FactsError(f"{field}: 须为字符串", field)
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise FactsError(f"{field}: 须为 true 或 false", field)
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise FactsError(f"{field}: 须为整数", field)
    if origin in (tuple, frozenset, list, set):
        if not isinstance(value, (list, tuple)):
            raise FactsError(f"{field}: 须为列表", field)
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(value) != len(args):
                raise FactsError(f"{field}: 须有{len(args)}项", field)
            return tuple(_coerce(v, a, f"{field}[{i}]") for i, (v, a) in enumerate(zip(value, args)))
        inner = args[0] if args else Any
        items = [_coerce(v, inner, f"{field}[{i}]") for i, v in enumerate(value)]
        return frozenset(items) if origin is frozenset else tuple(items)
    if hint is Any:
        return value
    raise FactsError(f"{field}: 不支持的类型", field)


def facts_from_dict(topic_name: str, data: Any):
    cls = topics().get(topic_name)
    if cls is None:
        raise FactsError(f"topic: 未知的预审主题“{topic_name}”，可用：{'、'.join(sorted(topics()))}", "topic")
    if not isinstance(data, dict):
        raise FactsError("facts: 须为对象", "facts")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(data) - set(fields)
    if unknown:
        name = sorted(unknown)[0]
        raise FactsError(f"facts.{name}: 未知字段（可用：{'、'.join(fields)}）", f"facts.{name}")
    kwargs = {}
    for name, f in fields.items():
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise FactsError(f"facts.{name}: 必填", f"facts.{name}")
            continue
        kwargs[name] = _coerce(data[name], hints[name], f"facts.{name}")
    return cls(**kwargs)
