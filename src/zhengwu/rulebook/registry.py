"""Rules are predicates over plain facts, each registered with its id and article.

    @rule("R12.one_head", article=12, topic="org.term")
    def one_head(facts: TermFacts, r: RuleContext):
        need = r.param("government.district_heads_per_term")
        if len(facts.district_heads) != need:
            yield r.violation("……", field="district_head")

`r.violation()` ends the message with the citation of the rulebook in force on the record's
date, e.g. （《工作规则》第十二条）; numbers come from `r.param()`, never from literals.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import sys
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable, Literal

from .loader import Library, library
from .model import Rulebook, RulebookError

Severity = Literal["block", "warn"]


@dataclass(frozen=True)
class Violation:
    """A rule's finding (不符合项)."""

    rule_id: str
    article: int
    severity: Severity
    message: str
    field: str | None = None
    # The message in English where the rule gives one (`r.violation(…, en=…)`), with its citation;
    # "" otherwise. The Django side picks by the active language (zhengwu.web zw_labels.message).
    message_en: str = ""

    @property
    def blocks(self) -> bool:
        return self.severity == "block"

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class RuleSpec:
    id: str
    article: int
    topic: str
    severity: Severity
    fn: Callable[[Any, "RuleContext"], Iterable[Violation] | None]
    summary: str


class RuleContext:
    """What a rule sees besides its facts: the rulebook in force, its parameters, the date."""

    def __init__(self, spec: RuleSpec, book: Rulebook, on: dt.date):
        self.spec, self.book, self.on = spec, book, on

    def param(self, name: str) -> Any:
        return self.book.param(name, self.on)

    def cite(self, article: int | None = None) -> str:
        return self.book.cite(article or self.spec.article)

    def violation(self, message: str, *, field: str | None = None, severity: Severity | None = None,
                  article: int | None = None, en: str | None = None) -> Violation:
        art = article or self.spec.article
        return Violation(
            rule_id=self.spec.id,
            article=art,
            severity=severity or self.spec.severity,
            message=f"{message}{self.book.cite(art)}",
            field=field,
            message_en=f"{en}{self.book.cite_en(art)}" if en else "",
        )

    def warn(self, message: str, *, field: str | None = None, en: str | None = None) -> Violation:
        return self.violation(message, field=field, severity="warn", en=en)


_RULES: dict[str, RuleSpec] = {}

# Ids of rules (and routes, registers, reminders) exercised, when a tracer is installed: the test
# suite uses it to prove that a test marked `@pytest.mark.rules("R12.one_head")` really runs that rule.
_TRACE: set[str] | None = None


def trace_start() -> None:
    global _TRACE
    _TRACE = set()
    _STARTS.clear()


def trace_stop() -> set[str]:
    global _TRACE
    found, _TRACE = _TRACE or set(), None
    return found


def note_exercised(item_id: str) -> None:
    """Record that a rule, route, register or reminder id was exercised (no-op outside tests)."""
    if _TRACE is not None:
        _TRACE.add(item_id)


# Routes started while tracing, with the module whose code started each (the approval engine
# names the first caller outside itself): the test suite uses it to prove that a test marked with a
# route that code `starts()` really ran that code, and that no code starts a route it has not declared.
_STARTS: list[tuple[str, str]] = []


def note_started(route_id: str, *, engine: tuple[str, ...]) -> None:
    """Record that route `route_id` was started, and by which module: the first caller on the stack
    outside the `engine` modules (no-op outside tests)."""
    if _TRACE is None:
        return
    _TRACE.add(route_id)
    frame, module = sys._getframe(1), ""
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module not in engine and module != __name__:
            break
        frame = frame.f_back
    _STARTS.append((route_id, module))


def traced_starts() -> list[tuple[str, str]]:
    """(route id, starting module) of every start during the last trace."""
    return list(_STARTS)


def starts(*route_ids: str) -> tuple[str, ...]:
    """Declare, in the module whose code calls `approval_start`, the routes it starts.

        ROUTES = starts("doc.intake", "doc.intake_urgent")

    `zhengwu rules coverage` finds these calls in the source (statically) and credits a route's
    article only when code declares that it starts it; the test suite fails a test in which code
    starts a route its module has not declared, and a test marked with a declared route in which
    that code did not start it. Returns the ids, so the call can name the module's constants."""
    return route_ids


def rule(rule_id: str, *, article: int, topic: str, severity: Severity = "block"):
    """Register a predicate as rule `rule_id` enforcing `article` on facts of `topic`."""

    def register(fn):
        if rule_id in _RULES and _RULES[rule_id].fn.__qualname__ != fn.__qualname__:
            raise RulebookError(f"rule id {rule_id!r} registered twice")
        _RULES[rule_id] = RuleSpec(
            id=rule_id, article=article, topic=topic, severity=severity, fn=fn,
            summary=(fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else "",
        )
        return fn

    return register


@dataclass(frozen=True)
class Implementation:
    """A W-class implementation (a register, reminder, report…) that answers an article."""
    id: str
    article: int
    kind: str
    summary: str


_IMPLEMENTATIONS: dict[str, Implementation] = {}


def declare(item_id: str, *, article: int, kind: str, summary: str = "") -> str:
    """Declare a register / reminder / report that implements an article (for `rules coverage`).
    Routes need no declaration: the rulebook file names their article."""
    _IMPLEMENTATIONS[item_id] = Implementation(item_id, article, kind, summary)
    return item_id


def implementations() -> dict[str, Implementation]:
    return dict(_IMPLEMENTATIONS)


def load_rules() -> dict[str, RuleSpec]:
    """Import every module under zhengwu.rulebook.rules so their rules register."""
    from . import rules as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{mod.name}")
    return dict(_RULES)


def rules_for(topic: str) -> list[RuleSpec]:
    load_rules()
    return sorted((r for r in _RULES.values() if r.topic == topic), key=lambda r: r.id)


def get_rule(rule_id: str) -> RuleSpec:
    load_rules()
    try:
        return _RULES[rule_id]
    except KeyError:
        raise RulebookError(f"no rule {rule_id!r}") from None


class NoRulebookInForce(RulebookError):
    def __init__(self, on: dt.date):
        super().__init__(f"no rulebook is in force on {on.isoformat()}")
        self.on = on


def book_for(on: dt.date, lib: Library | None = None) -> Rulebook:
    book = (lib or library()).in_force(on)
    if book is None:
        raise NoRulebookInForce(on)
    return book


def check(topic: str, facts: Any, *, on: dt.date, lib: Library | None = None,
          only: Iterable[str] | None = None) -> list[Violation]:
    """Run every rule of `topic` that the rulebook in force on `on` enables; return the findings."""
    lib = lib or library()
    book = lib.in_force(on)
    if book is None:
        return [_not_in_force(on, lib)]
    wanted = set(only) if only is not None else None
    found: list[Violation] = []
    for spec in rules_for(topic):
        if not book.enables(spec.id) or (wanted is not None and spec.id not in wanted):
            continue
        note_exercised(spec.id)
        found.extend(spec.fn(facts, RuleContext(spec, book, on)) or ())
    return found


def _not_in_force(on: dt.date, lib: Library) -> Violation:
    """No book is in force on `on`: judge the date by rule R98.in_force under the earliest book."""
    spec = get_rule("R98.in_force")
    note_exercised(spec.id)
    found = list(spec.fn(on, RuleContext(spec, lib.books[0], on)) or ())
    return found[0]


def blocking(violations: Iterable[Violation]) -> list[Violation]:
    return [v for v in violations if v.blocks]
