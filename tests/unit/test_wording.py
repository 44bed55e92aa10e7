"""Wording and citations (issue 18, item 16): what is the system's own rule says so instead of
passing as the article's words; each declared implementation cites the article it serves; the
book's comments point only at files that exist."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from zhengwu.rulebook import check
from zhengwu.rulebook.rules import documents as document_rules
from zhengwu.rulebook.rules.org import PortfolioFacts

DAY = dt.date(2026, 11, 2)
REPO = Path(__file__).resolve().parents[2]
BOOK = REPO / "src" / "zhengwu" / "rulebook" / "books" / "taobei-2020.yaml"


@pytest.mark.rules("R14.portfolio_holder")
def test_one_leader_per_unit_is_stated_as_the_systems_rule_not_article_14s():
    one = PortfolioFacts(holder="王丙", position="deputy_head", units=(("区教育局", frozenset()),))
    assert check("org.portfolio", one, on=DAY) == []
    twice = PortfolioFacts(holder="王丙", position="deputy_head", units=(("区教育局", frozenset()),),
                           overlaps=(("区教育局", "副区长（卫生）"),))
    [v] = check("org.portfolio", twice, on=DAY)
    assert (v.rule_id, v.article) == ("R14.portfolio_holder", 14)
    assert "本系统" in v.message and v.message.endswith("（《工作规则》第十四条）")


@pytest.mark.rules("R89.classified_body")
def test_metadata_only_for_classified_documents_is_the_systems_policy_under_article_89():
    facts = document_rules.ClassificationFacts(classification="秘密", has_body=False, attachments_count=0)
    assert check("documents.classification", facts, on=DAY) == []
    [v] = check("documents.classification",
                document_rules.ClassificationFacts(classification="秘密", has_body=True, attachments_count=0), on=DAY)
    assert v.rule_id == "R89.classified_body" and v.message.startswith("依照保密纪律，本系统只登记")
    assert "只能登记元数据" not in v.message and v.message.endswith("（《工作规则》第八十九条）")


def test_the_meeting_reminder_cites_the_approval_of_meetings_not_the_leave_article():
    source = (REPO / "src" / "zhengwu" / "meetings" / "tick.py").read_text(encoding="utf-8")
    assert re.search(r'declare\("W65\.meeting_reminder", article=65\b', source)
    assert "W64." not in source  # art. 64 is about leave


def test_the_books_comments_point_only_at_files_in_the_repository():
    text = BOOK.read_text(encoding="utf-8")
    comments = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]
    named = {m for c in comments for m in re.findall(r"[\w./-]+\.(?:md|py|txt|yaml)\b", c)}
    roots = (REPO, REPO / "src" / "zhengwu", REPO / "src" / "zhengwu" / "rulebook")
    missing = [n for n in named if not any((root / n).exists() for root in roots)]
    assert missing == []
