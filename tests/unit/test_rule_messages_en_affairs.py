"""Rule messages in English (issue 16) for the chapters of coordination bodies and emergencies,
foreign affairs, leave, disclosure, petitions, information requests, seals and the organisation: every finding their rule cases raise carries an
English message (Violation.message_en) that reads in English — the only Chinese left in it is what
the facts name (a body, a leader, a unit) — and ends with the book's English citation."""

import re

import pytest

from rulecases import findings, load_cases

# the rule modules of these chapters (a case file may also raise another chapter's rule, e.g. R98 of meta)
MODULES = {f"zhengwu.rulebook.rules.{m}" for m in
           ("bodies", "foreign", "leave", "disclosure", "petitions", "info_requests", "seals", "org")}


def _ours(v) -> bool:
    from zhengwu.rulebook.registry import _RULES

    spec = _RULES.get(v.rule_id)
    return spec is not None and spec.fn.__module__ in MODULES


FILES = ("bodies.yaml", "foreign.yaml", "leave.yaml", "disclosure.yaml", "petitions.yaml", "info_requests.yaml", "seals.yaml", "org.yaml")
CJK = re.compile(r"[\u3400-\u9fff]+")


def _names(case) -> set[str]:
    """The Chinese strings the case's facts carry (names, titles, labels): allowed in the message."""
    out = set()

    def walk(v):
        if isinstance(v, str):
            out.update(CJK.findall(v))
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
    walk(case["facts"])
    return out


@pytest.mark.parametrize("name", FILES)
def test_every_finding_of_these_chapters_has_its_english(name):
    seen = 0
    for case in load_cases(name):
        allowed = _names(case)
        for v in findings(case):
            if not _ours(v):
                continue
            seen += 1
            assert v.message_en, f"{v.rule_id}: no English message ({v.message})"
            assert re.search(r"\(Work Rules, art\. \d+\)$", v.message_en), v.message_en
            stray = [run for run in CJK.findall(v.message_en) if not any(run in a for a in allowed)]
            assert not stray, f"{v.rule_id}: Chinese in the English message: {stray} — {v.message_en}"
    assert seen, f"{name}: no finding raised, nothing checked"


def test_supervision_findings_have_their_english():
    """The supervision chapter has no case file: its item, extension, completion and closure rules
    breached at once, each finding with its English."""
    import datetime as dt

    from zhengwu.rulebook.rules.supervision import ClosureFacts, CompletionFacts, ExtensionFacts, ItemFacts
    from zhengwu.rules import check

    on = dt.date(2026, 12, 7)
    got = [*check("supervision.item", ItemFacts(source="nowhere", lead_units=("财政局", "审计局"),
                                                co_units=("财政局", "教育局", "教育局"), in_government_name=True,
                                                assigning=True), on=on),
           *check("supervision.extension", ExtensionFacts(due_on=on, asked_on=on + dt.timedelta(days=1)), on=on),
           *check("supervision.completion", CompletionFacts(source="inspection"), on=on),
           *check("supervision.closure", ClosureFacts(status="closing", source="audit_finding"), on=on)]
    assert len({v.rule_id for v in got}) >= 6
    for v in got:
        assert v.message_en and re.search(r"\(Work Rules, art\. \d+\)$", v.message_en), v
        assert not [x for x in CJK.findall(v.message_en) if x not in ("财政局", "审计局", "教育局")], v.message_en
