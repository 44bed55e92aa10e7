"""Full-text search over the documents a person may see (SQLite FTS5 trigram with triggers;
PostgreSQL pg_trgm GIN index): Chinese in title and body, permissions, the index following every
write, short queries, nonsense and query-syntax input, the page with escaped highlights."""

import datetime as dt
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.documents import intake, search, services
from zhengwu.documents.models import Document
from zhengwu.errors import Refused
from zhengwu.org.models import Person, Unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday

DROUGHT_TITLE = "关于东风乡抗旱应急水源工程资金的请示"
DROUGHT_BODY = "东风乡今年旱情严重，全乡抗旱应急水源工程资金缺口较大，恳请区政府给予支持。特此请示。"
SCHOOL_TITLE = "关于第三小学新建教学楼项目立项的请示"
SCHOOL_BODY = "第三小学现有校舍不足，学生人数逐年增加。新建教学楼资金由区财政统筹。"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


def p(username):
    return Person.objects.get(username=username)


def u(short_name):
    return Unit.objects.get(short_name=short_name)


def draft(username, unit, title, body="", **extra):
    fields = dict(actor=p(username), unit=u(unit), direction="incoming", kind="请示", title=title,
                  main_recipients=["区人民政府"], body=body, on=DAY)
    fields.update(extra)
    return services.document_draft(**fields)


@pytest.fixture(scope="module")
def demo_today():
    return DAY  # the org demo is loaded once for the module, as of DAY (tests/conftest.py)


@pytest.fixture
def docs(org_demo):
    drought = draft("dfx", "东风乡", DROUGHT_TITLE, DROUGHT_BODY)
    school = draft("jyj", "教育局", SCHOOL_TITLE, SCHOOL_BODY)
    secret = draft("dfx", "东风乡", "关于东风乡机要通信设备更新的请示", classification="机密")
    return {"drought": drought, "school": school, "secret": secret}


def titles(username, q, **kwargs):
    return [d.title for d in search.search(p(username), q, **kwargs)]


def test_finds_chinese_words_in_the_title_and_in_the_body(docs):
    assert titles("wenshu", "抗旱应急") == [DROUGHT_TITLE]  # title and body
    assert titles("wenshu", "资金缺口") == [DROUGHT_TITLE]  # body only
    assert titles("wenshu", "水源工程") == [DROUGHT_TITLE]
    assert titles("wenshu", "教学楼") == [SCHOOL_TITLE]
    assert titles("wenshu", "抗旱应急 资金缺口") == [DROUGHT_TITLE]  # every term must be there
    assert titles("wenshu", "抗旱应急 教学楼") == []


def test_finds_by_number_once_registered(docs):
    doc = docs["drought"]
    intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    doc.refresh_from_db()
    assert doc.intake_number == "白洮政收〔2026〕1号"
    assert titles("wenshu", doc.intake_number) == [DROUGHT_TITLE]
    assert titles("wenshu", "白洮政收〔2026〕2号") == []


def test_a_title_hit_ranks_before_a_body_hit(docs):
    body_only = draft("dfx", "东风乡", "关于东风乡村部修缮的请示", "村部年久失修，另需抗旱应急物资若干。")
    found = titles("wenshu", "抗旱应急")
    assert found == [DROUGHT_TITLE, body_only.title]


def test_only_documents_the_person_may_see(docs):
    # 东风乡 is in 钱戊 (fuqu3)'s 分工, not in 赵丁 (fuqu2)'s; 教育局 the other way round
    assert titles("fuqu2", "抗旱应急") == []
    assert titles("fuqu3", "抗旱应急") == [DROUGHT_TITLE]
    assert titles("fuqu2", "教学楼") == [SCHOOL_TITLE]
    assert titles("fuqu3", "教学楼") == []
    assert titles("dfx", "抗旱应急") == [DROUGHT_TITLE]  # its own unit
    assert titles("jyj", "抗旱应急") == []  # another unit
    assert titles("bgs-zhuren", "抗旱应急") == [DROUGHT_TITLE]  # the office sees everything
    assert titles("fuqu2", "旱情") == []  # the short-query path applies the same scope


def test_a_classified_title_is_found_only_by_the_office_and_its_unit(docs):
    secret = docs["secret"]
    assert secret.classified and secret.body == ""
    assert titles("wenshu", "机要通信") == [secret.title]
    assert titles("dfx", "机要通信") == [secret.title]
    # the 分管领导 may see the document in the registers, but search does not reveal its title
    assert titles("fuqu3", "机要通信") == []
    assert titles("fuqu3", "抗旱应急") == [DROUGHT_TITLE]


def test_the_index_follows_every_write(docs):
    doc = docs["drought"]
    Document.objects.filter(pk=doc.pk).update(title="关于东风乡人畜饮水安全工程的请示")  # an UPDATE statement
    assert titles("wenshu", "人畜饮水") == ["关于东风乡人畜饮水安全工程的请示"]
    assert titles("wenshu", "抗旱应急") == ["关于东风乡人畜饮水安全工程的请示"]  # the body still has it
    assert titles("wenshu", "水源工程资金的请示") == []  # the old title is gone from the index
    doc.refresh_from_db()
    doc.body = "已改为其他内容。"
    doc.save()  # a model save
    assert titles("wenshu", "抗旱应急") == []
    assert titles("wenshu", "其他内容") == [doc.title]
    school = docs["school"]
    Document.objects.filter(pk=school.pk).delete()
    assert titles("wenshu", "教学楼") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")
            assert cur.fetchone()[0] == Document.objects.count()


def test_short_queries_fall_back_to_a_plain_contains_match(docs):
    assert titles("wenshu", "旱情") == [DROUGHT_TITLE]  # two characters: no trigram
    assert titles("wenshu", "旱") == [DROUGHT_TITLE]  # one character
    assert titles("wenshu", "校舍") == [SCHOOL_TITLE]
    assert titles("wenshu", "旱情 水源工程") == [DROUGHT_TITLE]  # short and long terms together
    assert titles("wenshu", "旱情 教学楼") == []
    assert set(titles("wenshu", "请示")) == {DROUGHT_TITLE, SCHOOL_TITLE, docs["secret"].title}


def test_nothing_for_gibberish_or_an_empty_query(docs):
    assert titles("wenshu", "锟斤拷烫烫烫") == []
    assert titles("wenshu", "qwxzvplk") == []
    assert titles("wenshu", "") == []
    assert titles("wenshu", "   ") == []


@pytest.mark.parametrize("q", [
    '"', '""', "'", "*", "OR", "AND", "NOT", "NEAR", '抗旱" OR "1', "抗旱 OR 教学楼", "抗旱*", "^抗旱", "-抗旱",
    "title:抗旱", "NEAR(抗旱 水源, 5)", "'; DROP TABLE documents_document; --", "%", "_", "\\", "%%旱%", "a_b",
    "(抗旱", "抗旱)", "{title body}: 抗旱", "\x00", "抗旱\u3000应急",
])
def test_query_syntax_and_quotes_are_plain_text(docs, q):
    found = titles("wenshu", q)  # never raises
    if q in ('"', '""', "'", "*", "OR", "AND", "NOT", "NEAR", "%", "_", "\\", "%%旱%", "a_b", "\x00"):
        assert found == []  # taken literally: no document contains these characters
    assert Document.objects.count() == 3  # and nothing was dropped


def test_a_query_too_long_is_refused_naming_the_field(docs):
    with pytest.raises(Refused) as e:
        search.search(p("wenshu"), "旱" * (search.MAX_QUERY_CHARS + 1))
    assert e.value.field == "q"
    with pytest.raises(Refused) as e:
        search.search(p("wenshu"), " ".join(f"词{i}" for i in range(search.MAX_TERMS + 1)))
    assert e.value.field == "q"


def test_limit_returns_the_best_first(docs):
    for i in range(4):
        draft("dfx", "东风乡", f"东风乡第{i}批抗旱物资调拨情况的报告", kind="报告")
    found = search.search(p("wenshu"), "抗旱", limit=3)
    assert len(found) == 3
    results = search.results(p("wenshu"), "抗旱", limit=3)
    assert results.more and len(results.hits) == 3


def test_the_index_is_installed_and_put_back_if_lost(docs):
    assert search.installed(connection) == search.expected(connection.vendor)
    assert search.install(connection) is False  # idempotent
    if connection.vendor == "sqlite":
        # a later migration that rebuilds the table on SQLite drops its triggers; rows may change meanwhile
        with connection.cursor() as cur:
            cur.execute(f"DROP TRIGGER {search.SQLITE_TRIGGERS[2]}")
        Document.objects.filter(pk=docs["drought"].pk).update(title="关于东风乡防汛物资储备的请示")
        assert titles("wenshu", "防汛物资") == []  # drifted
        assert search.install(connection) is True
        assert titles("wenshu", "防汛物资") == ["关于东风乡防汛物资储备的请示"]
    else:
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own deferred FK checks block DDL
            cur.execute(f"DROP INDEX {search.PG_INDEX}")
        assert search.install(connection) is True
        assert search.installed(connection) == {search.PG_INDEX}


def test_after_every_migrate_the_index_is_put_back(docs):
    """What post_migrate runs (search.reassert_after_migrate): a migration that rebuilt the table on
    SQLite, or dropped the index, does not leave search without its index."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for name in search.SQLITE_TRIGGERS:
                cur.execute(f"DROP TRIGGER {name}")
        else:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(f"DROP INDEX {search.PG_INDEX}")
    assert search.installed(connection) < search.expected(connection.vendor)
    search.reassert_after_migrate(sender=None, using=connection.alias)
    assert search.installed(connection) == search.expected(connection.vendor)
    assert titles("wenshu", "抗旱应急") == [DROUGHT_TITLE]


def test_postgresql_serves_the_search_condition_from_the_trigram_index(docs):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    # the condition search.matching() writes is the indexed expression, so the planner can use it
    sql, _params = search.matching(p("wenshu"), ["抗旱应急"]).query.sql_with_params()
    assert f"({search.PG_EXPR}) ILIKE %s" in sql
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(f"EXPLAIN SELECT id FROM {search.TABLE} WHERE ({search.PG_EXPR}) ILIKE %s",
                    [search._like_pattern("抗旱应急")])
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert f"Bitmap Index Scan on {search.PG_INDEX}" in plan


# ---- the page --------------------------------------------------------------------------------------

def results_part(response) -> str:
    """The page after the search form (the hits, or the message)."""
    return response.content.decode().split('class="doc-search"', 1)[1].split("</form>", 1)[1]


def test_the_page_highlights_matches_and_escapes_everything(client, docs):
    nasty = draft("dfx", "东风乡", "<script>alert(1)</script>抗旱应急<b>预案</b>",
                  "正文 <img src=x onerror=alert(2)> 抗旱应急 & 其他")
    client.force_login(p("wenshu"))
    r = client.get("/documents/search/", {"q": "抗旱应急"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "<mark>抗旱应急</mark>" in html
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>预案" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>抗旱应急</mark>&lt;b&gt;预案&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt; <mark>抗旱应急</mark> &amp; 其他" in html
    assert DROUGHT_TITLE.replace("抗旱应急", "<mark>抗旱应急</mark>") in html
    assert nasty.pk and SCHOOL_TITLE not in html


def test_the_page_shows_only_what_the_person_may_see(client, docs):
    client.force_login(p("fuqu2"))
    part = results_part(client.get("/documents/search/", {"q": "抗旱应急"}))
    assert 'class="hit-title"' not in part and "东风乡" not in part
    client.force_login(p("fuqu3"))
    part = results_part(client.get("/documents/search/", {"q": "抗旱应急"}))
    assert part.count('class="hit-title"') == 1 and "<mark>抗旱应急</mark>" in part


def test_the_page_survives_hostile_input_and_names_the_field_when_refused(client, docs):
    client.force_login(p("wenshu"))
    for q in ['"', '抗旱" OR "1"="1', "*", "NEAR(抗旱 水源)", "<script>", "%"]:
        r = client.get("/documents/search/", {"q": q})
        assert r.status_code == 200, q
        assert "<script>" not in results_part(r)
    r = client.get("/documents/search/", {"q": "旱" * 101})
    assert r.status_code == 400 and "搜索内容过长" in r.content.decode()


def test_the_page_needs_a_login(client, docs):
    r = client.get("/documents/search/", {"q": "抗旱应急"})
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_the_page_runs_the_same_queries_for_one_hit_or_many(client, docs):
    client.force_login(p("wenshu"))

    def count(q):
        client.get("/documents/search/", {"q": q})  # warm caches (rulebook, session)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get("/documents/search/", {"q": q})
        assert r.status_code == 200
        return len(ctx.captured_queries), r.content.decode().count('class="hit-title"')

    one = count("资金缺口")
    for i in range(12):
        draft("dfx", "东风乡", f"东风乡第{i}村饮水工程资金缺口的报告", kind="报告", body="资金缺口")
    many = count("资金缺口")
    assert (one[1], many[1]) == (1, 13)
    assert one[0] == many[0]
