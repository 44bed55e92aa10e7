"""The crawl (issue 16): as each demo account, follow every link from the home page breadth-first
and check what a user sees.

- Accounts: a bounded set covering the kinds of role (`ZH_ACCOUNTS`; every demo account with
  ALL_ACCOUNTS=1) in Chinese, and a smaller set (`EN_ACCOUNTS`) again in English. Logged in with the
  Django test client (`force_login`), the full demo loaded once for the module.
- Links: same-origin GET links (`<a href>`) only, breadth-first from `/`; logout, downloads
  (`DOWNLOAD`), the language switch, the admin and the API are not followed. Deduplicated by URL,
  and by URL *pattern* (the resolved route) after `PER_PATTERN` pages of one pattern, so the crawl
  stays bounded.
- Every page answers 200 (a redirect is followed as a link) except the deliberate refusals in
  `REFUSALS`, each with its reason.
- No raw codes on user pages (`CODES`: rule and route ids, `doc.*` keys, hashes of 12+ hex
  digits, object keys such as `demo.request:2`), outside the administrators' audit pages
  (`CODE_PAGES`).
- In English no CJK text outside proper names and document content: the text of elements marked
  `lang="zh"` (or `lang="zh-Hans"`) is content (names of people, units and the government,
  document titles, bodies and numbers, what users typed) and is skipped; so are the known DB
  strings listed by `content_strings()` (names of people, units, positions, the government,
  titles of documents and other objects), removed from the page text before scanning; a Chinese term
  of art in brackets right after its English ("Incoming (收文)") is a gloss, not stray text.
- In English none is allowed (issue 16: "the English crawl finds no stray Chinese UI text"); a page's
  <title> counts too, less the content its page marks lang="zh" and the known strings, and the
  whole of a page marked Chinese (the public site, <html lang="zh-Hans">) is content.

`KNOWN` would list a failure known and accepted for now, naming who fixes it; it is empty, and
anything found fails the test with every finding listed.
"""

from __future__ import annotations

import os
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

# Pages of one URL pattern crawled per account (e.g. /documents/<pk>/): enough to meet each kind of
# object the demo has in several states, few enough to keep the crawl under three minutes.
PER_PATTERN = 1
MAX_PAGES = 400  # per account and language: a runaway guard, never reached by the demo

# Links not followed: leaving (logout), the language switch, downloads (.docx/.pdf/.csv/files;
# checked by their own tests), the Django admin and the API (machines' pages), and the public
# site's printable pages.
SKIP = re.compile(
    r"^/(logout/|i18n/|admin/|api/|static/|media/)"
    r"|/(download|docx|pdf|export|csv|file|files|attachment|print-docx)(/|$|\?)"
    r"|\.(docx|pdf|csv|xlsx|zip|png|jpg|svg|ics)$"
)

# Deliberate refusals: (path regex, status, reason). A link that leads to one of these is the page
# saying no on purpose, not a fault.
REFUSALS: list[tuple[re.Pattern, int, str]] = [
]

# Raw codes, hashes and field keys a user must not see.
CODES = [
    ("rule or route id", re.compile(r"\bR\d+\.\w+")),
    ("document route key", re.compile(r"\bdoc\.\w+")),
    ("hash", re.compile(r"\b[0-9a-f]{12,}\b")),
    ("object key", re.compile(r"\b[a-z_]+\.[a-z_]+:\d+\b")),
]
# The administrators' audit and security pages show hashes and keys on purpose (issue 16: "hashes,
# codes and diffs go only to an audit view for auditors").
CODE_PAGES = re.compile(r"^/(audit|security|system)/")

# An English term followed by its Chinese term of art in brackets, "Incoming (收文)", is a gloss.
GLOSS = re.compile(r"(?<=[A-Za-z]) \([\u3400-\u9fff、]+\)")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60]+")


class _Page(HTMLParser):
    """The links of a page and its visible text (without scripts, styles, hidden inputs, and, for
    `skip_zh`, the content of elements marked lang="zh…")."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, skip_zh: bool):
        super().__init__(convert_charrefs=True)
        self.skip_zh = skip_zh
        self.links: list[str] = []
        self.text: list[str] = []
        self.attr_text: list[tuple[str, str]] = []  # (attribute, text) of visible elements
        self.title: list[str] = []  # the <title>'s text (it cannot mark content: see `title_text`)
        self.content: list[str] = []  # for `skip_zh`: the text of the elements marked lang="zh…"
        self._stack: list[tuple[str, bool, bool]] = []  # (tag, hides its content, decorative: aria-hidden)

    def _hidden(self) -> bool:
        return any(h for _t, h, _d in self._stack)

    @property
    def _decorative(self) -> bool:
        return any(d for _t, _h, d in self._stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href") and "download" not in a:
            self.links.append(a["href"])
        hides = tag in ("script", "style", "template", "textarea") or \
            (self.skip_zh and (a.get("lang") or "").lower().startswith("zh"))
        if not self._hidden():
            for key in ("title", "placeholder", "aria-label", "alt"):
                if a.get(key):
                    self.attr_text.append((key, a[key]))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.attr_text.append(("value", a["value"]))
        if tag not in self.VOID:
            self._stack.append((tag, hides, a.get("aria-hidden") == "true"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self._stack and self._stack[-1][0] == tag:
            self._stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if not data.strip():
            return
        if self._stack and self._stack[-1][0] == "title":
            if not self._hidden():  # a page in Chinese (<html lang="zh-Hans">): its title is too
                self.title.append(data.strip())
        elif not self._hidden():
            self.text.append(data.strip())
        elif self.skip_zh and not any(t in ("script", "style", "template", "textarea") for t, _h, _d in self._stack) \
                and not self._decorative:
            self.content.append(data.strip())

    def title_text(self, strings=()) -> str:
        """The <title>, less the content the page marks lang="zh" and then the known content `strings`
        (a title repeats the page's heading, "督〔2026〕12号 · zhengwu", and an attribute-less
        <title> cannot mark it). Decorative (aria-hidden) marks are no content to take out."""
        title = " ".join(self.title)
        for s in [*sorted(self.content, key=len, reverse=True), *strings]:
            if s in title:
                title = title.replace(s, " ")
        return title


def parse(html: str, skip_zh: bool) -> _Page:
    page = _Page(skip_zh)
    page.feed(html)
    page.close()
    return page


def pattern_of(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.route or match.view_name or path


def content_strings() -> list[str]:
    """Known strings of the database a page may show as they are in any language: names of people,
    units, posts and the government, titles of documents and other objects. Longest first, so a
    title is removed before a name inside it."""
    from django.apps import apps

    found: set[str] = set()
    fields = ("full_name", "name", "title", "short_name", "number", "doc_number", "subject", "topic", "summary")
    for model in apps.get_models():
        if model._meta.app_label in ("auth", "admin", "contenttypes", "sessions", "axes", "audit"):
            continue
        names = {f.name for f in model._meta.get_fields() if getattr(f, "get_internal_type", None)
                 and f.get_internal_type() in ("CharField", "TextField")}
        for field in fields:
            if field in names:
                for value in model.objects.values_list(field, flat=True):
                    if value and CJK.search(value):
                        found.add(value.strip())
    return sorted(found, key=len, reverse=True)


def crawl(client, language: str, check_cjk: bool, strings: list[str] = ()) -> tuple[list, int]:
    """Breadth-first from /; returns (findings, pages visited). A finding is (kind, url, detail)."""
    client.cookies["django_language"] = language
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    queue, seen, per_pattern, findings, visited = deque([("/", "")]), {"/"}, {}, [], 0
    while queue and visited < MAX_PAGES:
        url, came_from = queue.popleft()
        path = urlsplit(url).path
        pattern = pattern_of(path)
        if per_pattern.get(pattern, 0) >= PER_PATTERN:
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        response = client.get(url, **headers)
        visited += 1
        if response.status_code in (301, 302, 303, 307, 308):
            links = [response["Location"]]
            html = ""
        elif response.status_code != 200:
            if not any(rx.search(path) and status == response.status_code for rx, status, _why in REFUSALS):
                findings.append(("status", url, f"{response.status_code} (linked from {came_from})"))
            continue
        elif not response.get("Content-Type", "").startswith("text/html"):
            continue
        else:
            html = response.content.decode()
            page = parse(html, skip_zh=check_cjk)
            links = page.links
            # codes may stay in a tooltip (title), for administrators; nowhere else
            visible = "\n".join([page.title_text(strings)] + page.text + [v for _k, v in page.attr_text])
            shown = "\n".join([" ".join(page.title)] + page.text + [v for k, v in page.attr_text if k != "title"])
            if not CODE_PAGES.search(path):
                for kind, rx in CODES:
                    for m in rx.finditer(shown):
                        findings.append((kind, url, m.group(0)))
            if check_cjk:
                rest = visible
                for s in strings:
                    if s in rest:
                        rest = rest.replace(s, " ")
                rest = GLOSS.sub(" ", rest)
                for m in CJK.finditer(rest):
                    findings.append(("cjk", url, _around(rest, m)))
        for href in links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(parts.path) or link in seen:
                continue
            seen.add(link)
            queue.append((link, path))
    return findings, visited


def _around(text: str, m: re.Match) -> str:
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line = text[line_start:line_end if line_end >= 0 else None]
    return f"{m.group(0)} ← {line[:80]}"


# --- the tests --------------------------------------------------------------------------------

# One account per kind of role (the Chinese crawl): the leaders (区长, 常务副区长, a 副区长), the
# office (主任, 文书), the 督查 centre, a department's head, deputy and section head, a street, and
# the three separated administrators. The other demo accounts hold the same kinds of posts (more
# 副区长 and department heads); crawling them too would triple the time for no new kind of page.
# On this shared 2-core machine under load one business account took 80-190 s (idle: far less), so
# the set is kept to the kinds that differ most; ALL_ACCOUNTS=1 in the environment crawls them all.
ZH_ACCOUNTS = ["quzhang", "wenshu", "czj", "czj-ke", "sysadmin", "auditadmin"]
if os.environ.get("ALL_ACCOUNTS"):
    ZH_ACCOUNTS = ["quzhang", "changwu", "fuqu1", "bgs-zhuren", "bgs-fuzhuren", "wenshu", "dcz", "czj", "czj-fu",
                   "czj-ke", "sfj", "xhjd", "dfx", "sysadmin", "secadmin", "auditadmin"]
# The English crawl: a leader, a department head, an administrator.
EN_ACCOUNTS = ["quzhang", "czj", "auditadmin"]

# Failures known today, in pages other helpers are reworking (issue 16), each naming its owner:
# (kind regex, path regex, detail regex, owner and reason). The lead reconciles them.
KNOWN: list[tuple[str, str, str, str]] = [
]



def _unknown(findings):
    return [f for f in findings
            if not any(re.fullmatch(k, f[0]) and re.search(p, f[1]) and re.search(d, f[2]) for k, p, d, _o in KNOWN)]


def _report(findings) -> str:
    return "\n".join(f"{kind:<20} {url:<45} {detail}" for kind, url, detail in findings[:200])


@pytest.fixture
def gov(full_demo):
    return full_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture(autouse=True)
def _product_catalogue(monkeypatch):
    """The audit catalogue as installed: without the `test_*` actions (Chinese labels only) that
    other test modules register when they are imported, which the trail's action filter would list."""
    from zhengwu.audit import catalogue

    monkeypatch.setattr(catalogue, "_actions", {k: v for k, v in catalogue._actions.items() if not k.startswith("test_")})


def _as(client, username):
    from zhengwu.org.models import Person

    client.force_login(Person.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", ZH_ACCOUNTS)
def test_every_linked_page_opens_without_codes_in_chinese(client, gov, username):
    findings, visited = crawl(_as(client, username), "zh-hans", check_cjk=False)
    assert visited > 3  # the home page and its links, at least
    bad = _unknown(findings)
    assert not bad, f"{username}: {len(bad)} findings\n{_report(bad)}"


_STRINGS: list[str] = []


@pytest.mark.parametrize("username", EN_ACCOUNTS)
def test_every_linked_page_reads_in_english(client, gov, username):
    if not _STRINGS:
        _STRINGS.extend(content_strings())
    findings, visited = crawl(_as(client, username), "en", check_cjk=True, strings=_STRINGS)
    assert visited > 3
    bad = _unknown(findings)  # stray Chinese included: none
    assert not bad, f"{username}: {len(bad)} findings\n{_report(bad)}"


def test_the_crawl_sees_codes_and_chinese_it_should_not():
    """The checks themselves, on a made-up page: a code in the text is found, in a tooltip not;
    Chinese marked lang="zh" or glossed after an English term is content, stray Chinese is not."""
    page = parse('<p>Status: 审批中 <span lang="zh">张甲</span> Incoming (收文)</p>'
                 '<p title="R67.single_main">rule</p><p>see R67.single_main</p><a href="/x/">x</a>', skip_zh=True)
    assert page.links == ["/x/"]
    text = "\n".join(page.text)
    assert "张甲" not in text and "审批中" in text
    assert CJK.findall(GLOSS.sub(" ", text)) == ["审批中"]
    titled = parse('<title>督〔2026〕12号 · 督查</title><h1 lang="zh">督〔2026〕12号</h1>', skip_zh=True)
    assert CJK.findall(titled.title_text()) == ["督查"]  # the heading's content, not the rest, leaves the title
    named = parse('<title>区人民政府常务会议 · 政务</title><i aria-hidden="true" lang="zh">政</i>', skip_zh=True)
    assert CJK.findall(named.title_text(["区人民政府常务会议"])) == ["政务"]  # a known name whole; a mark no content
    assert [v for k, v in page.attr_text if k == "title"] == ["R67.single_main"]
    assert CODES[0][1].findall(text) == ["R67.single_main"]
