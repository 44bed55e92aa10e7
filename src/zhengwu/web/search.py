"""Global search (the header's box, `/search/?q=`): a registry each domain contributes to.

A domain registers one source per kind of object it keeps, in its AppConfig.ready():

    from zhengwu.web.search import register_search_source, queryset_source
    register_search_source(queryset_source(
        "meetings", _("Meetings"), visible=access.visible_meetings, fields=("title", "place"),
        url=lambda m: f"/meetings/{m.pk}/", sub=lambda m: …), order=20)

A source is called with (person, terms, on, limit) and returns at most `limit` `Hit`s, each an object
the person may open: the source applies its own access rules (its `visible_…` queryset), so a
person never sees a hit he may not open. Terms: the query split on white space, every term must match (AND), case-
insensitively, as in documents' full-text search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from django.db.models import Q

MAX_QUERY_CHARS = 100
MAX_TERMS = 8
PER_KIND = 10


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    sub: str = ""  # a line under the title: number, unit, status, date


@dataclass(frozen=True)
class Source:
    key: str
    label: Any  # (lazy) translated name of the kind, e.g. 会议
    find: Callable[..., Iterable[Hit]]  # (person, terms, on, limit) -> hits
    order: int = 100


@dataclass
class Group:
    source: Source
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # there were more than shown


_SOURCES: dict[str, Source] = {}


def register_search_source(source: Source) -> Source:
    _SOURCES[source.key] = source
    return source


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def terms_of(q: str | None) -> list[str]:
    return [t for t in (q or "").split() if t][:MAX_TERMS]


def queryset_source(key: str, label, *, visible: Callable, fields: Sequence[str], url: Callable[[Any], str],
                    title: Callable[[Any], str] = str, sub: Callable[[Any], str] | None = None,
                    order_by: Sequence[str] = ("-id",), related: Sequence[str] = (), order: int = 100) -> Source:
    """A source over `visible(person, on=on)`: rows where every term is in one of `fields`."""

    def find(person, terms: list[str], on: dt.date, limit: int) -> list[Hit]:
        qs = visible(person, on=on)
        for t in terms:
            q = Q()
            for f in fields:
                q |= Q(**{f"{f}__icontains": t})
            qs = qs.filter(q)
        if related:
            qs = qs.select_related(*related)
        return [Hit(title=title(o), url=url(o), sub=sub(o) if sub else "") for o in qs.order_by(*order_by)[:limit]]

    return Source(key, label, find, order)


def search_all(person, q: str, *, on: dt.date, per_kind: int = PER_KIND) -> list[Group]:
    """Every source's hits for `q`, the kinds with hits only, in the registry's order."""
    terms = terms_of(q)
    if not terms:
        return []
    groups = []
    for source in sources():
        hits = list(source.find(person, terms, on, per_kind + 1))
        if hits:
            groups.append(Group(source, hits[:per_kind], more=len(hits) > per_kind))
    return groups
