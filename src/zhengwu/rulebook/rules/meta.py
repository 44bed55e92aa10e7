"""Art. 98: the rules are in force from their date and repealed the 2018 rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import topic
from ..registry import RuleContext, rule


@dataclass(frozen=True)
class CitationFacts:
    """A record and the rule documents it cites as its basis."""
    on: dt.date
    cited: tuple[str, ...] = ()  # document numbers or rulebook ids


@rule("R98.repealed", article=98, topic="rulebook.citation")
def cites_repealed(f: CitationFacts, r: RuleContext):
    """不得以已废止的规则（白洮政发〔2018〕12号）为依据。"""
    for old in r.book.repeals:
        keys = {old.get("id"), old.get("doc_number")} - {None, ""}
        for c in f.cited:
            if c in keys:
                yield r.violation(f"{old.get('title', c)}（{old.get('doc_number', c)}）已于"
                                  f"{r.book.effective_from.isoformat()}废止，不能作为依据", field="basis")


@rule("R98.in_force", article=98, topic="rulebook.record_date")
def in_force(on: dt.date, r: RuleContext):
    """按记录日期适用当时有效的工作规则；本规则施行前的记录不按本规则判断。"""
    book = r.book
    if on < book.effective_from:
        older = "、".join(f"{o.get('title', '')}（{o.get('doc_number', '')}）" for o in book.repeals) or "此前的规则"
        yield r.violation(f"记录日期{on.isoformat()}早于{book.short_title}施行日期{book.effective_from.isoformat()}，"
                          f"应适用当时有效的{older}，本系统未载入其条文", field="date")
    elif book.effective_until is not None and on >= book.effective_until:
        yield r.violation(f"{book.short_title}已于{book.effective_until.isoformat()}失效", field="date")


topic("rulebook.citation", CitationFacts)
