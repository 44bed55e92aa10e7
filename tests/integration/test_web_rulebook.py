"""The rulebook viewer: all 98 articles with their class and the rules that enforce them, search
(escaped, highlighted, HTMX partial), the parameters and routes page, and a fixed query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.org import services
from zhengwu.org.models import Person, Portfolio
from zhengwu.web import present

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The demo sets 17 passwords; PBKDF2 would spend seconds on them in every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture
def quzhang(client, gov):
    client.force_login(Person.objects.get(username="quzhang"))
    return client


def article_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="article" id="a(\d+)"', html)]


def article_block(html: str, n: int) -> str:
    start = html.index(f'id="a{n}"')
    end = html.find("<article ", start)
    return html[start:end if end > 0 else len(html)]


def test_the_rulebook_lists_all_98_articles_by_chapter(quzhang):
    html = quzhang.get("/rulebook/").content.decode()
    assert article_ids(html) == list(range(1, 99))
    assert "第六十条" in html and "第九十八条" in html
    book = rules.lib().current
    for number, title in book.chapters:
        assert f'href="/rulebook/#ch{number}"' in html  # the chapter index
        assert f'<h2 id="ch{number}">' in html and title in html
    assert "第一章 总则" in html and "第二十章 附则" in html


def test_the_metadata_says_who_issued_it_and_what_it_repeals(quzhang):
    html = quzhang.get("/rulebook/").content.decode()
    assert "白城市洮北区人民政府" in html
    assert "2020-08-27" in html  # issued and in force from
    assert "白洮政发〔2018〕12号" in html and "《白城市洮北区人民政府工作规则》" in html


def test_each_article_shows_its_class_and_what_enforces_it(quzhang):
    html = quzhang.get("/rulebook/").content.decode()
    a29 = article_block(html, 29)
    assert "E 强制校验" in a29
    assert "R29.five_not" in a29  # the rule, with its summary
    assert rules.lib().current.classes[29] == "E"
    a60 = article_block(html, 60)
    assert "minutes.standing" in a60 and "区政府常务会议纪要签发" in a60  # a route citing art. 60
    a2 = article_block(html, 2)
    assert "P 原则" in a2 and "R29" not in a2
    assert 'href="/rulebook/params/#p-term.years"' in article_block(html, 10)


def test_search_finds_the_one_article_with_the_phrase_and_highlights_it(quzhang):
    html = quzhang.get("/rulebook/", {"q": "五个不直接分管"}).content.decode()
    assert article_ids(html) == [29]
    assert "<mark>五个不直接分管</mark>" in html
    assert "找到 1 条" in html
    assert 'value="五个不直接分管"' in html  # the box keeps the query (works without JS)


def test_search_matches_labels_and_rule_ids(quzhang):
    assert 29 in article_ids(quzhang.get("/rulebook/", {"q": "第二十九条"}).content.decode())
    by_rule = quzhang.get("/rulebook/", {"q": "r15.substitute"}).content.decode()
    assert article_ids(by_rule) == [15]
    assert 'title="R15.substitute' in by_rule  # an administrator's search: the id is in the tooltip only
    assert article_ids(quzhang.get("/rulebook/", {"q": "没有这样的话"}).content.decode()) == []


def test_a_query_with_markup_comes_back_escaped(quzhang):
    q = '<script>alert("x")</script>'
    html = quzhang.get("/rulebook/", {"q": q}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert article_ids(html) == []


def test_highlighting_escapes_the_text_and_the_match():
    out = present.highlight('a <b>"x"</b> & B', "b")
    assert str(out) == 'a &lt;<mark>b</mark>&gt;&quot;x&quot;&lt;/<mark>b</mark>&gt; &amp; <mark>B</mark>'
    assert str(present.highlight("<i>", "")) == "&lt;i&gt;"


def test_htmx_gets_only_the_article_list(quzhang):
    r = quzhang.get("/rulebook/", {"q": "五个不直接分管"}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "<html" not in html and "<nav" not in html
    assert article_ids(html) == [29]
    assert "HX-Request" in r["Vary"]
    full = quzhang.get("/rulebook/", {"q": "五个不直接分管"}).content.decode()
    assert "<html" in full and 'hx-get="/rulebook/"' in full and 'hx-target="#rb-articles"' in full
    restore = quzhang.get("/rulebook/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()  # history restore needs the whole page


def test_the_params_page_lists_every_parameter_and_route(quzhang):
    book = rules.lib().current
    html = quzhang.get("/rulebook/params/").content.decode()
    for name, p in book.parameters.items():
        assert f'id="p-{name}"' in html, name
    assert 'href="/rulebook/#a10">第十条</a>' in html  # term.years cites art. 10
    assert "区政府每届任期" in html
    for route_id, route in book.routes.items():
        assert f'id="r-{route_id}"' in html and route.title in html
    parallel = sum(1 for r in book.routes.values() for s in r.stages if s.parallel)
    assert parallel > 0
    assert html.count('class="stage-steps parallel"') == parallel
    assert "区长签发" in html  # a step label


def test_the_rulebook_page_costs_the_same_queries_however_many_units(quzhang, gov, django_assert_max_num_queries):
    def measure(url):
        with CaptureQueriesContext(connection) as ctx:
            assert quzhang.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {url: measure(url) for url in ("/rulebook/", "/rulebook/params/", "/rulebook/?q=分管")}
    deputy = Portfolio.objects.get(position__title="副区长（农业农村）")
    new = [services.unit_create(actor=None, government=gov, name=f"测试乡{i}", kind="town") for i in range(20)]
    services.portfolio_set(actor=None, position=deputy.position, units=[*deputy.units.all(), *new],
                           domains=deputy.domains)
    after = {url: measure(url) for url in before}
    assert after == before
    # session, user, the shell's government and positions, and the header bell's unread count
    with django_assert_max_num_queries(5):
        quzhang.get("/rulebook/")


def test_each_rule_and_route_says_where_code_runs_it_and_what_only_the_book_declares(quzhang):
    """Honest coverage on the page: a rule names the file:line that checks it, a route the module that
    starts it; a route no code starts and a parameter no code reads are marked as such."""
    html = quzhang.get("/rulebook/").content.decode()
    a69 = article_block(html, 69)
    # the ids and file:line stay in the tooltip (for administrators); the page reads in words
    assert re.search(r'title="doc\.issue_government · 发起位置 src/zhengwu/documents/issuing\.py:\d+', a69)
    assert re.search(r'title="R69\.government_issue · 校验位置 src/zhengwu/documents/\w+\.py:\d+', a69)
    assert "已由代码发起" in a69 and "已由代码校验" in a69
    assert not re.search(r">[^<]*(R69\.government_issue|doc\.issue_government|\.py:\d+)", a69)
    assert "仅在规则中声明" not in a69
    a83 = article_block(html, 83)  # seals: the book's routes, started by the seals app
    assert re.search(r'title="seal\.government · 发起位置 src/zhengwu/seals/\w+\.py:\d+', a83)
    assert "仅在规则中声明" not in a83
    a98 = article_block(html, 98)  # a rule of the book that no code checks (the repealed rules)
    assert 'title="R98.repealed"' in a98 and "尚无代码校验" in a98
    # the kinds read in words, not "reminder" / "notification"
    assert "<span class=\"kind\">提醒</span>" in html and not re.search(r">\s*(reminder|notification)\s*<", html)
    # parameters: one no code reads (research, art. 93, has none yet) and one that code reads
    from zhengwu.rulebook.coverage import code_sites

    book = rules.lib().current
    reads = code_sites(book)[2]
    unread_name = next(p.name for p in sorted(book.parameters.values(), key=lambda p: p.name) if p.name not in reads)
    block = article_block(html, book.parameters[unread_name].article)
    unread = re.search(rf'<a href="/rulebook/params/#p-{re.escape(unread_name)}" class="not-run"[^>]*>.*?</a>', block, re.S)
    assert unread and "未被代码读取" in unread.group(0)
    a14 = article_block(html, 14)
    assert "org.portfolio_leader_positions" in reads
    read = re.search(r'<a href="/rulebook/params/#p-org\.portfolio_leader_positions"[^>]*>.*?</a>', a14, re.S)
    assert read and "not-run" not in read.group(0) and "未被代码读取" not in read.group(0)
