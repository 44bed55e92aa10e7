"""Rule messages in English (issue 16) for the chapters of coordination bodies and emergencies,
foreign affairs, leave, disclosure, petitions and information requests: every finding their rule cases raise carries an
English message (Violation.message_en) that reads in English — the only Chinese left in it is what
the facts name (a body, a leader, a unit) — and ends with the book's English citation."""

import re

import pytest

from rulecases import findings, load_cases

FILES = ("bodies.yaml", "foreign.yaml", "leave.yaml", "disclosure.yaml", "petitions.yaml", "info_requests.yaml")
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
            seen += 1
            assert v.message_en, f"{v.rule_id}: no English message ({v.message})"
            assert re.search(r"\(Work Rules, art\. \d+\)$", v.message_en), v.message_en
            stray = [run for run in CJK.findall(v.message_en) if not any(run in a for a in allowed)]
            assert not stray, f"{v.rule_id}: Chinese in the English message: {stray} — {v.message_en}"
    assert seen, f"{name}: no finding raised, nothing checked"
