"""Rules as code (pure Python, no Django): articles, dated parameters, routes, rules, calendar."""

from .loader import Library, library, load_file, parse_rulebook
from .model import Article, Parameter, RouteDef, Rulebook, RulebookError, StageDef, StepDef
from .numerals import from_chinese, to_chinese
from .registry import (
    NoRulebookInForce,
    RuleContext,
    RuleSpec,
    Violation,
    blocking,
    book_for,
    declare,
    implementations,
    check,
    get_rule,
    note_exercised,
    note_started,
    starts,
    traced_starts,
    trace_start,
    trace_stop,
    load_rules,
    rule,
    rules_for,
)

__all__ = [
    "Article", "Library", "NoRulebookInForce", "Parameter", "RouteDef", "RuleContext", "RuleSpec",
    "Rulebook", "RulebookError", "StageDef", "StepDef", "Violation", "blocking", "book_for", "check", "declare", "implementations",
    "from_chinese", "get_rule", "library", "load_file", "load_rules", "note_exercised", "note_started", "parse_rulebook", "starts", "traced_starts", "trace_start", "trace_stop", "rule",
    "rules_for", "to_chinese",
]
