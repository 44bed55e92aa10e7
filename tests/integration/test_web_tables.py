"""Lists as tables (zhengwu.web.tables): sorting by a column header (whitelisted; an unknown sort is
ignored, never a 500), filters (a bad one is refused with 400 naming the field), paging, and query
counts that do not grow with the rows."""

import re

import pytest

from zhengwu.documents.models import Document
from zhengwu.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(full_demo):
    return full_demo


@pytest.fixture
def office(client, gov):
    client.force_login(Person.objects.get(username="bgs-zhuren"))
    return client


def doc_ids(html: str) -> list[int]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [int(x) for x in re.findall(r'href="/documents/(\d+)/"', body)]


def test_documents_list_is_a_table_with_the_clerks_columns(office):
    r = office.get("/documents/")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'class="zw-table"' in html
    for label in ("标题", "当前环节", "办理人", "时限", "状态"):
        assert f">{label}" in html, label
    assert doc_ids(html)


@pytest.mark.parametrize("tab", ["incoming", "outgoing"])
def test_sort_by_title_both_ways(office, tab):
    up = doc_ids(office.get("/documents/", {"tab": tab, "sort": "title"}).content.decode())
    down = doc_ids(office.get("/documents/", {"tab": tab, "sort": "-title"}).content.decode())
    titles = dict(Document.objects.filter(pk__in=up + down).values_list("pk", "title"))
    assert [titles[i] for i in up] == sorted(titles[i] for i in up)
    assert [titles[i] for i in down] == sorted((titles[i] for i in down), reverse=True)
    html = office.get("/documents/", {"tab": tab, "sort": "title"}).content.decode()
    assert 'aria-sort="ascending"' in html and "sort=-title" in html  # the header now sorts the other way


def test_sort_by_time_limit_puts_the_earliest_first(office):
    html = office.get("/documents/", {"sort": "due"}).content.decode()
    dues = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', html.split("<tbody>", 1)[1])
    assert dues == sorted(dues)


@pytest.mark.parametrize("bad", ["password", "-", "--title", "title;drop", "unit__government__name", "次序"])
def test_an_unknown_sort_is_ignored(office, bad):
    r = office.get("/documents/", {"sort": bad})
    assert r.status_code == 200
    assert doc_ids(r.content.decode()) == doc_ids(office.get("/documents/").content.decode())


def test_filters_by_status_unit_urgency_and_date(office, gov):
    visible = Document.objects.filter(government=gov, direction="incoming").exclude(status="draft")
    some = visible.filter(status="in_approval").first()
    assert some is not None
    ids = doc_ids(office.get("/documents/", {"status": "in_approval"}).content.decode())
    assert ids and set(ids) <= set(visible.filter(status="in_approval").values_list("pk", flat=True))
    ids = doc_ids(office.get("/documents/", {"unit": str(some.unit_id)}).content.decode())
    assert ids and all(Document.objects.get(pk=i).unit_id == some.unit_id for i in ids)
    day = some.created_at.date().isoformat()
    ids = doc_ids(office.get("/documents/", {"date_from": day, "date_to": day}).content.decode())
    assert some.pk in ids
    assert all(Document.objects.get(pk=i).created_at.date().isoformat() == day for i in ids)
    ids = doc_ids(office.get("/documents/", {"urgency": "特急"}).content.decode())
    assert all(Document.objects.get(pk=i).urgency == "特急" for i in ids)


@pytest.mark.parametrize("field,value", [("date_from", "2026-13-40"), ("status", "nonsense"), ("unit", "abc"),
                                         ("urgency", "很急")])
def test_a_bad_filter_is_refused_naming_the_field(office, field, value):
    r = office.get("/documents/", {field: value})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Traceback" not in html
    assert ("日期" in html) or ("选项" in html)


def test_paging_keeps_sort_and_filters(office, settings):
    from zhengwu.web import tables

    tables_page = tables.PAGE_SIZE
    try:
        tables.PAGE_SIZE = 3
        r1 = office.get("/documents/", {"sort": "title", "tab": "incoming"})
        html = r1.content.decode()
        assert 'rel="next"' in html
        nxt = re.search(r'href="\?([^"]*page=2)" rel="next"', html).group(1).replace("&amp;", "&")
        assert "sort=title" in nxt and "tab=incoming" in nxt
        page2 = doc_ids(office.get("/documents/?" + nxt).content.decode())
        assert page2 and not set(page2) & set(doc_ids(html))
    finally:
        tables.PAGE_SIZE = tables_page


def test_query_count_does_not_grow_with_rows(office, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        office.get("/documents/", {"sort": "due"})
    with django_assert_max_num_queries(25):
        office.get("/documents/", {"tab": "outgoing", "sort": "-unit"})


@pytest.mark.parametrize("register", ["incoming", "outgoing"])
def test_registers_sort_by_a_column_header_and_keep_their_filters(office, register):
    url = f"/documents/registers/{register}/"
    up = doc_ids(office.get(url, {"sort": "title"}).content.decode())
    down = doc_ids(office.get(url, {"sort": "-title"}).content.decode())
    titles = dict(Document.objects.filter(pk__in=up + down).values_list("pk", "title"))
    assert up and [titles[i] for i in up] == sorted(titles[i] for i in up)
    assert [titles[i] for i in down] == sorted((titles[i] for i in down), reverse=True)
    html = office.get(url, {"sort": "title", "urgency": "一般"}).content.decode()
    assert 'aria-sort="ascending"' in html
    head = re.search(r'href="(\?[^"]*)" data-sort="title"', html).group(1).replace("&amp;", "&")
    assert "sort=-title" in head and "urgency=" in head  # the filter is kept by the header's link
    r = office.get(url, {"sort": "no-such-column"})
    assert r.status_code == 200
    assert doc_ids(r.content.decode()) == doc_ids(office.get(url).content.decode())


def test_registers_query_count_does_not_grow_with_rows(office, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        office.get("/documents/registers/incoming/", {"sort": "-registered"})
