"""The rulebook: articles, dated parameters, routes and metadata of one set of rules.

Pure Python: plain dataclasses, no Django import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .numerals import to_chinese


class RulebookError(Exception):
    """A rulebook file or a lookup in it is wrong."""


@dataclass(frozen=True)
class Article:
    number: int
    chapter: int
    chapter_title: str
    text: str

    @property
    def label(self) -> str:
        return f"第{to_chinese(self.number)}条"


@dataclass(frozen=True)
class Parameter:
    """One number the text sets. `values` maps an effective date to the value from that date on
    (None repeals it), like openfisca parameters."""

    name: str
    article: int
    label: str
    values: tuple[tuple[dt.date, Any], ...]
    unit: str = ""
    reference: str = ""

    def at(self, on: dt.date) -> Any:
        current = None
        found = False
        for start, value in self.values:
            if start <= on:
                current, found = value, True
        if not found or current is None:
            raise RulebookError(f"parameter {self.name!r} has no value on {on.isoformat()}")
        return current


@dataclass(frozen=True)
class StepDef:
    """One approval step of a route: who (a role resolver), what (an action), how long."""

    id: str
    action: str
    resolver: str
    limit: str | int | None = None  # a parameter name (possibly keyed by urgency) or a number of working days
    choices: tuple[str, ...] = ()
    circulate_to: tuple[str, ...] = ()
    optional: bool = False  # skipped when nobody holds or acts for the post
    when: str = ""  # run only when this key of the approval's context is true (e.g. "major": 重大事项报区长)
    label: str = ""
    # The holder's own act: nobody acting for the post under art. 15 may do it (e.g. what art. 69
    # says 由区长签署). Eligible to hold such a step: the post's holder only.
    own: bool = False


@dataclass(frozen=True)
class StageDef:
    """Steps done together: one step in series, or several in parallel (all must finish)."""

    steps: tuple[StepDef, ...]
    parallel: bool = False


@dataclass(frozen=True)
class RouteDef:
    id: str
    title: str
    article: int
    stages: tuple[StageDef, ...]
    description: str = ""
    description_en: str = ""  # the description for an English reader

    def step(self, step_id: str) -> StepDef:
        for stage in self.stages:
            for s in stage.steps:
                if s.id == step_id:
                    return s
        raise RulebookError(f"route {self.id!r} has no step {step_id!r}")


@dataclass(frozen=True)
class Rulebook:
    id: str
    title: str
    short_title: str
    issuer: str
    doc_number: str
    issued: dt.date
    published: dt.date | None
    effective_from: dt.date
    effective_until: dt.date | None
    repeals: tuple[dict, ...]
    basis: tuple[str, ...]
    chapters: tuple[tuple[int, str], ...]
    articles: dict[int, Article]
    classes: dict[int, str]  # article -> E / W / P
    parameters: dict[str, Parameter]
    routes: dict[str, RouteDef]
    rules: tuple[str, ...] = ()  # rule ids in force under this book; empty = every registered rule
    extra: dict = field(default_factory=dict)
    short_title_en: str = ""  # the citation's title in English: " (Work Rules, art. 60)"
    # The book's English glossary: every Chinese name the book gives (chapter titles, parameter
    # labels and units, code labels, route titles, step labels, actions, choices) -> its English.
    # The articles' text is the source document and is not translated.
    english: dict[str, str] = field(default_factory=dict)

    def in_force_on(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_until is None or on < self.effective_until)

    def article(self, number: int) -> Article:
        try:
            return self.articles[number]
        except KeyError:
            raise RulebookError(f"{self.short_title} has no article {number}") from None

    def param(self, name: str, on: dt.date | None = None) -> Any:
        try:
            p = self.parameters[name]
        except KeyError:
            raise RulebookError(f"rulebook {self.id!r} has no parameter {name!r}") from None
        return p.at(on or self.effective_from)

    def route(self, route_id: str) -> RouteDef:
        try:
            return self.routes[route_id]
        except KeyError:
            raise RulebookError(f"rulebook {self.id!r} has no route {route_id!r}") from None

    def cite(self, article: int) -> str:
        """The citation that ends every message: （《工作规则》第六十条）."""
        return f"（《{self.short_title}》第{to_chinese(article)}条）"

    def cite_en(self, article: int) -> str:
        """The English citation: " (Work Rules, art. 60)" (`short_title_en` of the book)."""
        return f" ({self.short_title_en or self.short_title}, art. {article})"

    def en(self, text: str) -> str:
        """`text` (a Chinese name the book gives) in English, or "" when the glossary has none."""
        return self.english.get(text, "") if isinstance(text, str) else ""

    def enables(self, rule_id: str) -> bool:
        return not self.rules or rule_id in self.rules
