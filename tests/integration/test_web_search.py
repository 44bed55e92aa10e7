"""Global search (zhengwu.web.search, /search/?q=): every domain's registered source applies its own
access rules, so two people with different access see different hits, and every hit opens (200)."""

import re

import pytest

from zhengwu.org.models import Person
from zhengwu.web import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(full_demo):
    return full_demo


def hits_of(client, username, q):
    client.force_login(Person.objects.get(username=username))
    r = client.get("/search/", {"q": q})
    assert r.status_code == 200
    html = r.content.decode()
    section = html.split('class="search-groups"', 1)[1] if 'class="search-groups"' in html else ""
    return r, sorted(set(re.findall(r'<li><a href="([^"]+)"', section)))


def test_every_domain_registers_a_source():
    keys = {s.key for s in search.sources()}
    assert {"documents", "meetings", "decisions", "supervision", "proposals", "seal_cards", "info_requests"} <= keys


@pytest.mark.parametrize("q", ["关于", "会议", "区"])
def test_hits_differ_by_access_and_every_hit_opens(client, gov, q):
    _r, office = hits_of(client, "bgs-zhuren", q)
    _r, unit = hits_of(client, "jyj", q)
    assert office, "the office director finds something"
    assert set(office) != set(unit)
    for username, urls in (("bgs-zhuren", office), ("jyj", unit)):
        client.force_login(Person.objects.get(username=username))
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)


def test_a_unit_head_never_sees_another_units_document(client, gov):
    from zhengwu.documents import access
    from zhengwu import rules

    jyj = Person.objects.get(username="jyj")
    visible = {f"/documents/{pk}/" for pk in access.visible_documents(jyj, on=rules.today()).values_list("pk", flat=True)}
    _r, urls = hits_of(client, "jyj", "关于")
    assert {u for u in urls if u.startswith("/documents/")} <= visible


def test_empty_and_too_long_queries(client, gov):
    client.force_login(Person.objects.get(username="wenshu"))
    r = client.get("/search/")
    assert r.status_code == 200 and 'name="q"' in r.content.decode()
    r = client.get("/search/", {"q": "   "})
    assert r.status_code == 200
    r = client.get("/search/", {"q": "长" * 101})
    assert r.status_code == 400
    assert 'data-field="q"' in r.content.decode()
    r = client.get("/search/", {"q": "zzzz-nothing-matches-this"})
    assert r.status_code == 200 and "search-groups" not in r.content.decode()


def test_the_header_carries_the_search_box(client, gov):
    client.force_login(Person.objects.get(username="wenshu"))
    html = client.get("/").content.decode()
    assert 'class="hdr-search"' in html and 'action="/search/"' in html


def test_login_required(client, db):
    r = client.get("/search/", {"q": "关于"})
    assert r.status_code == 302 and "/login/" in r["Location"]
