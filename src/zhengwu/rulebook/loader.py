"""Read rulebook files (books/<id>.yaml) and pick the one in force on a date."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from .model import Article, Parameter, RouteDef, Rulebook, RulebookError, StageDef, StepDef

BOOKS_DIR = Path(__file__).resolve().parent / "books"


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RulebookError(f"{field}: not a date: {value!r}") from None


def _param(name: str, raw: dict) -> Parameter:
    if "values" in raw:
        values = tuple(sorted((_date(k, f"parameters.{name}.values"), v) for k, v in raw["values"].items()))
    elif "value" in raw:
        values = ((dt.date.min, raw["value"]),)
    else:
        raise RulebookError(f"parameters.{name}: needs value or values")
    if "article" not in raw:
        raise RulebookError(f"parameters.{name}: every parameter cites its article")
    return Parameter(
        name=name,
        article=int(raw["article"]),
        label=raw.get("label", name),
        values=values,
        unit=raw.get("unit", ""),
        reference=raw.get("reference", ""),
    )


def _step(raw: dict, where: str) -> StepDef:
    for key in ("id", "action", "resolver"):
        if key not in raw:
            raise RulebookError(f"{where}: step needs {key!r}")
    return StepDef(
        id=raw["id"],
        action=raw["action"],
        resolver=raw["resolver"],
        limit=raw.get("limit"),
        choices=tuple(raw.get("choices", ())),
        circulate_to=tuple(raw.get("circulate_to", ())),
        optional=bool(raw.get("optional", False)),
        when=str(raw.get("when", "")),
        label=raw.get("label", ""),
        own=bool(raw.get("own", False)),
    )


def _route(route_id: str, raw: dict) -> RouteDef:
    stages = []
    for i, stage in enumerate(raw.get("stages", ())):
        where = f"routes.{route_id}.stages[{i}]"
        if "parallel" in stage:
            stages.append(StageDef(steps=tuple(_step(s, where) for s in stage["parallel"]), parallel=True))
        elif "step" in stage:
            stages.append(StageDef(steps=(_step(stage["step"], where),)))
        else:
            raise RulebookError(f"{where}: needs 'step' or 'parallel'")
    if not stages:
        raise RulebookError(f"routes.{route_id}: no stages")
    ids = [s.id for st in stages for s in st.steps]
    if len(ids) != len(set(ids)):
        raise RulebookError(f"routes.{route_id}: step ids repeat")
    return RouteDef(
        id=route_id,
        title=raw.get("title", route_id),
        article=int(raw["article"]),
        stages=tuple(stages),
        description=raw.get("description", ""),
        description_en=raw.get("description_en", ""),
    )


def _english(raw: Any) -> dict[str, str]:
    """The book's `english:` glossary: Chinese name -> English, both non-empty strings."""
    if not raw:
        return {}
    if not isinstance(raw, dict):
        raise RulebookError("english: must map each Chinese name to its English")
    for zh, en in raw.items():
        if not (isinstance(zh, str) and zh and isinstance(en, str) and en.strip()):
            raise RulebookError(f"english.{zh!r}: must be a non-empty English string")
    return {zh: en.strip() for zh, en in raw.items()}


def parse_rulebook(data: dict) -> Rulebook:
    try:
        chapters = tuple((int(c["number"]), c["title"]) for c in data.get("chapters", ()))
        chapter_titles = dict(chapters)
        articles: dict[int, Article] = {}
        classes: dict[int, str] = {}
        for a in data.get("articles", ()):
            n = int(a["number"])
            if n in articles:
                raise RulebookError(f"articles: {n} appears twice")
            ch = int(a.get("chapter", 0))
            articles[n] = Article(number=n, chapter=ch, chapter_title=chapter_titles.get(ch, ""), text=a["text"].strip())
            if a.get("class"):
                if a["class"] not in ("E", "W", "P"):
                    raise RulebookError(f"articles.{n}.class: must be E, W or P")
                classes[n] = a["class"]
        parameters = {name: _param(name, raw) for name, raw in (data.get("parameters") or {}).items()}
        routes = {rid: _route(rid, raw) for rid, raw in (data.get("routes") or {}).items()}
        until = data.get("effective_until")
        return Rulebook(
            id=data["id"],
            title=data["title"],
            short_title=data.get("short_title", data["title"]),
            short_title_en=data.get("short_title_en", ""),
            issuer=data.get("issuer", ""),
            doc_number=data.get("doc_number", ""),
            issued=_date(data["issued"], "issued"),
            published=_date(data["published"], "published") if data.get("published") else None,
            effective_from=_date(data["effective_from"], "effective_from"),
            effective_until=_date(until, "effective_until") if until else None,
            repeals=tuple(data.get("repeals") or ()),
            basis=tuple(data.get("basis") or ()),
            chapters=chapters,
            articles=articles,
            classes=classes,
            parameters=parameters,
            routes=routes,
            rules=tuple(data.get("rules") or ()),
            extra=dict(data.get("extra") or {}),
            english=_english(data.get("english")),
        )
    except KeyError as e:
        raise RulebookError(f"rulebook file: missing field {e.args[0]!r}") from None


def load_file(path: Path | str) -> Rulebook:
    with open(path, encoding="utf-8") as fh:
        return parse_rulebook(yaml.safe_load(fh))


class Library:
    """The rulebooks one government has had, each in force from its date (art. 98)."""

    def __init__(self, books: Iterable[Rulebook]):
        self.books = sorted(books, key=lambda b: b.effective_from)
        if not self.books:
            raise RulebookError("no rulebook loaded")
        self._by_id = {b.id: b for b in self.books}

    def get(self, book_id: str) -> Rulebook:
        try:
            return self._by_id[book_id]
        except KeyError:
            raise RulebookError(f"no rulebook {book_id!r}") from None

    def in_force(self, on: dt.date) -> Rulebook | None:
        """The book in force on `on`: the latest one whose date has come, unless it has ended."""
        found = None
        for book in self.books:
            if book.effective_from <= on:
                found = book
        if found is not None and found.effective_until is not None and on >= found.effective_until:
            return None
        return found

    @property
    def current(self) -> Rulebook:
        return self.books[-1]

    @classmethod
    def from_dirs(cls, dirs: Iterable[Path | str]) -> "Library":
        books = []
        for d in dirs:
            for path in sorted(Path(d).glob("*.yaml")):
                books.append(load_file(path))
        return cls(books)


@lru_cache(maxsize=8)
def _library(dirs: tuple[str, ...]) -> Library:
    return Library.from_dirs(dirs)


def library(dirs: Iterable[Path | str] | None = None) -> Library:
    """The cached library of rulebooks (the package's own books unless other dirs are given)."""
    return _library(tuple(str(d) for d in (dirs or [BOOKS_DIR])))
