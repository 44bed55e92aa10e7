"""Presentation helpers for the pages: search and highlighting, labels, parameter values.

No database access here; views pass in what they read through the selectors.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhengwu.rulebook import Article, RouteDef, Rulebook, RuleSpec, to_chinese
from zhengwu.rulebook.summaries_en import summary_en

CLASS_LABELS = {
    "E": _("enforced"),  # 强制校验
    "W": _("workflow and record"),  # 流程留痕
    "P": _("principle"),  # 原则
}

MAX_QUERY = 100  # longer search strings are cut; nothing in the rules text is that long


def clean_query(raw: str | None) -> str:
    return (raw or "").strip()[:MAX_QUERY]


def highlight(text: str, q: str) -> SafeString:
    """`text` HTML-escaped, with every case-insensitive occurrence of `q` wrapped in <mark>."""
    text = str(text)
    if not q:
        return escape(text)
    parts = re.split("(" + re.escape(q) + ")", text, flags=re.IGNORECASE)
    out = []
    for i, part in enumerate(parts):
        out.append(format_html("<mark>{}</mark>", part) if i % 2 else escape(part))
    return mark_safe("".join(out))


def paragraphs(text: str, q: str = "") -> list[SafeString]:
    """The article's lines as escaped (and highlighted) paragraphs."""
    return [highlight(line.strip(), q) for line in text.splitlines() if line.strip()]


@dataclass
class Enforcer:
    kind: str  # "rule", "route", "register" …
    id: str
    summary: str
    severity: str = ""
    # where code runs it (file:line: the check of a rule's topic, the module that starts a route);
    # `runs` False: no code checks the rule or starts the route, so it does not implement the article
    where: tuple[str, ...] = ()
    runs: bool = True
    summary_en: str = ""  # the summary in English (rulebook.summaries_en, or the book's glossary for a route)

    @property
    def text(self) -> str:
        """The summary in the reader's language (the Chinese one where no English is given)."""
        return self.summary_en if (self.summary_en and reads_english()) else self.summary


@dataclass
class ArticleView:
    article: Article
    cls: str
    cls_label: str
    enforcers: list[Enforcer]
    params: list[str]
    unread_params: frozenset[str] = frozenset()  # parameters no code reads (`rules coverage`)
    label_html: SafeString = SafeString("")
    paragraphs: list[SafeString] = field(default_factory=list)
    enforcer_html: list[tuple[Enforcer, SafeString]] = field(default_factory=list)
    param_labels: list[tuple[str, str]] = field(default_factory=list)  # (name, label): the page shows labels

    @property
    def number(self) -> int:
        return self.article.number


def enforcers_by_article(book: Rulebook, specs: dict[str, RuleSpec], impls: dict[str, Any],
                         code: tuple[dict, dict, dict] | None = None) -> dict[int, list[Enforcer]]:
    """Rules, routes and registers that implement each article, in a stable order. With `code`
    (`rulebook.coverage.code_sites`), each rule and route says where code runs it, or that none does."""
    checked, started, _reads = code or ({}, {}, {})
    found: dict[int, list[Enforcer]] = {}
    for spec in sorted(specs.values(), key=lambda s: s.id):
        if book.enables(spec.id):
            where = tuple(checked.get(spec.id, ()))
            found.setdefault(spec.article, []).append(
                Enforcer("rule", spec.id, spec.summary, spec.severity, where=where, runs=code is None or bool(where),
                         summary_en=summary_en(spec.id)))
    for route in sorted(book.routes.values(), key=lambda r: r.id):
        where = tuple(started.get(route.id, ()))
        found.setdefault(route.article, []).append(
            Enforcer("route", route.id, route.title, where=where, runs=code is None or bool(where),
                     summary_en=book.en(route.title)))
    for impl in sorted(impls.values(), key=lambda i: i.id):
        found.setdefault(impl.article, []).append(
            Enforcer(impl.kind, impl.id, impl.summary, summary_en=summary_en(impl.id)))
    return found


def article_views(book: Rulebook, enforcers: dict[int, list[Enforcer]], q: str = "",
                  read_params: set[str] | None = None) -> list[ArticleView]:
    """Every article (or those matching `q` in text, label, number or implementing ids), highlighted.
    With `read_params`, the article's other parameters are marked as read by no code."""
    params_by_article: dict[int, list[str]] = {}
    for p in sorted(book.parameters.values(), key=lambda p: p.name):
        params_by_article.setdefault(p.article, []).append(p.name)
    needle = q.casefold()
    result = []
    for n in sorted(book.articles):
        art = book.articles[n]
        ens = enforcers.get(n, [])
        if needle:
            hay = [art.text, art.label, article_label(n)] + [e.id for e in ens]
            if not (any(needle in h.casefold() for h in hay) or (q.isdigit() and int(q) == n)):
                continue
        cls = book.classes.get(n, "")
        names = params_by_article.get(n, [])
        view = ArticleView(article=art, cls=cls, cls_label=str(CLASS_LABELS.get(cls, "")), enforcers=ens,
                           params=names,
                           unread_params=frozenset(names) - read_params if read_params is not None else frozenset())
        view.label_html = highlight(article_label(n), q)
        view.paragraphs = paragraphs(art.text, q)
        view.enforcer_html = [(e, highlight(e.id, q)) for e in ens]
        view.param_labels = [(name, book.parameters[name].label or name) for name in names]
        result.append(view)
    return result


def group_by_chapter(book: Rulebook, views: list[ArticleView]) -> list[dict]:
    titles = dict(book.chapters)
    groups: dict[int, list[ArticleView]] = {}
    for v in views:
        groups.setdefault(v.article.chapter, []).append(v)
    return [{"number": ch, "label": chapter_label(ch), "title": titles.get(ch, ""), "articles": groups[ch]}
            for ch in sorted(groups)]


def chapter_label(n: int) -> str:
    """第三章 in Chinese, "Chapter 3" in English (like article labels, zw.article_label)."""
    return f"Chapter {n}" if reads_english() else f"第{to_chinese(n)}章"


def article_label(n: int) -> str:
    """第三十条 in Chinese, "Art. 30" in English (the same as the template filter zw.article_label)."""
    return f"Art. {n}" if reads_english() else f"第{to_chinese(n)}条"


def chapter_index(book: Rulebook) -> list[dict]:
    """Chapters with their first and last article, for the index."""
    spans: dict[int, list[int]] = {}
    for n, art in book.articles.items():
        spans.setdefault(art.chapter, []).append(n)
    titles = dict(book.chapters)
    return [{"number": ch, "title": titles.get(ch, ""), "first": min(spans[ch]), "last": max(spans[ch]),
             "count": len(spans[ch])} for ch in sorted(spans)]


# ---- the book's names in the reader's language ------------------------------------------------

def reads_english() -> bool:
    return (get_language() or "").lower().startswith("en")


def book_name(book: Rulebook | None, text: Any) -> Any:
    """A name the book gives (chapter title, parameter label or unit, code label, route title,
    step label, action, choice) in the reader's language: the book's `english:` glossary for an
    English reader, the book's own Chinese otherwise. Non-strings pass through."""
    if book is None or not isinstance(text, str) or not reads_english():
        return text
    return book.en(text) or text


def colon() -> str:
    """The label colon of the reader's language: ": " in English, "：" in Chinese."""
    return ": " if reads_english() else "："


# ---- parameters -----------------------------------------------------------------------------

def code_labels(book: Rulebook, on: dt.date) -> dict[str, str]:
    """code -> label in the reader's language (the book's Chinese, or its English glossary), from
    every parameter that maps codes to names (org.positions …)."""
    labels: dict[str, str] = {}
    for p in book.parameters.values():
        try:
            value = p.at(on)
        except Exception:  # repealed parameter: nothing to learn from it
            continue
        if isinstance(value, dict) and value and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            for k, v in value.items():
                labels.setdefault(k, book_name(book, v))
    return labels


def render_value(value: Any, labels: dict[str, str], book: Rulebook | None = None) -> SafeString:
    """A parameter value as compact HTML: lists of codes with their labels, mappings as lists.
    With `book`, the book's Chinese words in it read in the reader's language (its glossary)."""
    if isinstance(value, bool):
        return format_html("{}", _("yes") if value else _("no"))
    if isinstance(value, (int, float)):
        return format_html("<strong>{}</strong>", value)
    if isinstance(value, str):
        if value in labels:
            return format_html("{} <code>{}</code>", labels[value], value)
        return format_html("{}", book_name(book, value))
    if isinstance(value, (list, tuple)):
        items = [render_value(v, labels, book) for v in value]
        return format_html('<span class="tags">{}</span>',
                           mark_safe("".join(format_html('<span class="tag">{}</span>', i) for i in items)))
    if isinstance(value, dict):
        rows = []
        for k, v in value.items():
            key = format_html("{} <code>{}</code>", labels[k], k) if isinstance(k, str) and k in labels and not (
                isinstance(v, str)) else format_html("<code>{}</code>", book_name(book, k))
            rows.append(format_html("<li>{}{}{}</li>", key, colon(), render_value(v, labels, book)))
        return format_html("<ul>{}</ul>", mark_safe("".join(rows)))
    return format_html("{}", value)



# Role resolvers of route steps (see the rulebook file's notes on routes).
RESOLVER_LABELS = {
    "unit_leader": _("leader in charge of the unit"),  # 分管领导
    "unit_head": _("head of the unit"),  # 单位主要负责人
    "unit_deputy": _("deputy head of the unit"),  # 单位分管负责人
    "section_head": _("section head of the unit"),  # 科室负责人
    "meeting_chair": _("chair of the meeting"),  # 主持会议的领导
    "countersign_units": _("heads of the countersigning units"),  # 会签单位负责人
}


def resolver_label(resolver: str, labels: dict[str, str], book: Rulebook | None = None) -> str:
    """position:district_head -> 区长; unit_leader -> 分管领导; external:市政府 -> 市政府 (with
    `book`, an external body in the reader's language)."""
    kind, _sep, arg = resolver.partition(":")
    if kind == "position":
        return labels.get(arg, "")
    if kind == "external":
        return book_name(book, arg)
    return str(RESOLVER_LABELS.get(resolver, ""))


def limit_values(book: Rulebook, limit: Any, on: dt.date) -> tuple[Any, str]:
    """A step's time limit as (value, unit): a number of working days, or a parameter's value
    (possibly keyed by urgency) with the parameter's unit."""
    if isinstance(limit, int) and not isinstance(limit, bool):
        return limit, ""
    p = book.parameters.get(str(limit))
    if p is None:
        return None, ""
    try:
        return p.at(on), p.unit
    except Exception:
        return None, p.unit


def route_stages(route: RouteDef, labels: dict[str, str], book: Rulebook | None = None,
                 on: dt.date | None = None) -> list[dict]:
    """Stages of a route for the template: each a list of steps, parallel or not."""
    stages = []
    for stage in route.stages:
        steps = []
        for s in stage.steps:
            value, unit = limit_values(book, s.limit, on) if (book and on and s.limit is not None) else (None, "")
            steps.append({
                "step": s, "resolver_label": resolver_label(s.resolver, labels, book),
                # the resolver's code for the tooltip (administrators); an external body is a name, not a code
                "resolver_code": "" if s.resolver.startswith("external:") else s.resolver,
                "limit_is_days": isinstance(s.limit, int) and not isinstance(s.limit, bool),
                "limit_value": {book_name(book, k): v for k, v in value.items()} if isinstance(value, dict) else None,
                "limit_unit": book_name(book, unit),
                # the step's words in the reader's language (the book's glossary in English)
                "label": book_name(book, s.label or s.action), "action": book_name(book, s.action),
                "choices": [book_name(book, c) for c in s.choices],
                "circulate_to": [book_name(book, c) for c in s.circulate_to],
            })
        stages.append({"parallel": stage.parallel, "steps": steps})
    return stages


REFUSAL_TITLES = {403: _("Not allowed"), 404: _("Not found"), 409: _("Changed meanwhile"),
                  500: _("Attachment unavailable")}


def refused_page(request, e):
    """The page for a refusal with nothing to show beside it (unknown object, not allowed, …),
    answered with the refusal's status. Shared by every module's views."""
    from django.shortcuts import render

    from zhengwu.errors import Conflict

    title = REFUSAL_TITLES.get(e.status, _("Refused"))
    if e.status == 409 and not isinstance(e, Conflict):  # the object's state forbids it: nobody raced anyone
        title = _("Not possible at this stage")
    return render(request, "refused.html", {"refusal": e, "title": title}, status=e.status)
