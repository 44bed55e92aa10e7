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
    check,
    get_rule,
    load_rules,
    rule,
    rules_for,
)

__all__ = [
    "Article", "Library", "NoRulebookInForce", "Parameter", "RouteDef", "RuleContext", "RuleSpec",
    "Rulebook", "RulebookError", "StageDef", "StepDef", "Violation", "blocking", "book_for", "check",
    "from_chinese", "get_rule", "library", "load_file", "load_rules", "parse_rulebook", "rule",
    "rules_for", "to_chinese",
]
