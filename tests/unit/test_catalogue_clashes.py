"""Translation catalogues merge at run time (the main catalogue of LOCALE_PATHS first, then each app's
in INSTALLED_APPS order), so one English msgid takes one Chinese everywhere: an app whose "Kind" means
回应方式 shows the main catalogue's 文种 instead. The same msgid with different msgstr in two
catalogues is a clash; a word that means something else in an app takes a msgctxt (`pgettext`,
`{% translate "…" context "…" %}`), which keeps it apart.

`KNOWN_CLASHES` lists the clashes found when this test was written (issue 16), to be fixed by the
apps' owners with msgctxt; a new clash fails the test, and so does an entry that is no longer one."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "zhengwu"

KNOWN_CLASHES = {  # owners: disclosure/* (the "disc" helper) and the main catalogue's pages
    "Ask", "Asked on", "Basis", "Channel", "Decided on", "Drafting unit", "Due", "Due soon", "From",
    "Government information disclosure", "History", "Kind", "Lead unit", "Note", "Number", "Object",
    "On time", "Open", "Overdue only", "Received on", "Route", "Send", "Submitted on", "Summary", "Timeline",
    "Type", "Unit", "Unknown action", "Year", "approved", "due", "not yet", "planned",
}


def _string(chunks: list[str]) -> str:
    return "".join(ast.literal_eval(c) for c in chunks)


def entries(po: Path) -> dict[tuple[str, str], str]:
    """(msgctxt, msgid) -> msgstr (the first form of a plural) of one .po file; the header skipped."""
    out: dict[tuple[str, str], str] = {}
    fields: dict[str, list[str]] = {}
    current = None

    def flush():
        if "msgid" in fields and _string(fields["msgid"]):
            msgstr = fields.get("msgstr", fields.get("msgstr[0]", []))
            out[(_string(fields.get("msgctxt", [])), _string(fields["msgid"]))] = _string(msgstr)
        fields.clear()

    for line in po.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if m:
            if m.group(1) in ("msgctxt", "msgid") and ("msgstr" in fields or "msgstr[0]" in fields):
                flush()
            current = m.group(1)
            fields[current] = [m.group(2)]
        elif line.startswith('"') and current:
            fields[current].append(line)
    flush()
    return out


def catalogues() -> dict[str, dict[tuple[str, str], str]]:
    return {str(po.relative_to(PACKAGE).parent.parent.parent.parent) or ".": entries(po)
            for po in sorted(PACKAGE.rglob("locale/zh_Hans/LC_MESSAGES/django.po"))}


def clashes() -> dict[str, dict[str, str]]:
    by_id: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for where, found in catalogues().items():
        for key, msgstr in found.items():
            if msgstr:
                by_id[key][where] = msgstr
    return {msgid: seen for (ctx, msgid), seen in by_id.items() if len(set(seen.values())) > 1}


def test_the_parser_reads_contexts_plurals_and_continued_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
                  'msgctxt "rulebook kind"\nmsgid "rule"\nmsgstr "规则"\n\n'
                  'msgid "rule"\nmsgstr ""\n"规"\n"则"\n\n'
                  'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s天"\n', encoding="utf-8")
    assert entries(po) == {("rulebook kind", "rule"): "规则", ("", "rule"): "规则", ("", "%(n)s day"): "%(n)s天"}


def test_no_english_msgid_takes_two_chinese_translations_across_catalogues():
    found = clashes()
    new = {msgid: seen for msgid, seen in found.items() if msgid not in KNOWN_CLASHES}
    assert not new, "the same msgid, different Chinese (give the app's word a msgctxt):\n" + "\n".join(
        f"  {msgid!r}: {seen}" for msgid, seen in sorted(new.items()))
    fixed = KNOWN_CLASHES - set(found)
    assert not fixed, f"no longer clashing, remove from KNOWN_CLASHES: {sorted(fixed)}"
