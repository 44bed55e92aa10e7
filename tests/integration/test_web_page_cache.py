"""Whole pages served again while their data version is unchanged (zhengwu.web.pagecache; issue 17):
the inbox and the leader's desk, the intake queue and the registers. A page asked again costs a
few queries, not its render; every service change (its audit event moves the government's chain
head in the same commit), a notification, a new day or another session gets a freshly rendered
page; a raw write no service makes is not shown (so the cache is really used); a flash message
and a form's CSRF token still work on a page that was cached."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.documents import intake
from zhengwu.documents import services as documents
from zhengwu.documents.models import Document
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import notify
from zhengwu.workflow import services as workflow
from zhengwu.workflow.models import Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 7)  # a Monday
HIT_QUERIES = 5  # session, person, the data version … (measured: see test_a_page_asked_again_…)
PAGES = [("quzhang", "/"), ("fuqu2", "/?box=done"), ("wenshu", "/documents/intake/"),
         ("wenshu", "/documents/registers/incoming/"), ("wenshu", "/documents/registers/outgoing/")]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def gov(full_demo):  # loaded once for the module (tests/conftest.py)
    return full_demo


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def login(username: str, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(p(username))
    return client


def get(client, url: str) -> tuple[str, int]:
    """(the page, its number of queries)."""
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.content.decode(), len(ctx)


# ---- the cache is used -------------------------------------------------------------------------

@pytest.mark.parametrize("who,url", PAGES, ids=[u for _, u in PAGES])
def test_a_page_asked_again_is_served_without_rendering_it(gov, who, url):
    client = login(who)
    first, rendered = get(client, url)
    again, served = get(client, url)
    assert again == first
    assert served <= HIT_QUERIES < rendered, (served, rendered)


def test_a_raw_write_is_not_shown_until_a_service_changes_the_government(gov):
    client = login("wenshu")
    page, _ = get(client, "/documents/intake/")
    doc = Document.objects.filter(government=gov, status__in=["submitted", "registered"]).order_by("id").first()
    assert doc is not None and doc.title in page
    Document.objects.filter(pk=doc.pk).update(title="关于不经服务改写标题的请示")  # no service, no audit event
    assert "不经服务改写标题" not in get(client, "/documents/intake/")[0]  # the page kept
    new = documents.document_draft(actor=p("xhjd"), unit=Unit.objects.get(government=gov, short_name="新华街道"),
                                   direction="incoming", kind="请示", title="关于新华街道页面缓存测试的请示",
                                   main_recipients=["区人民政府"], body="……", on=DAY)
    intake.document_submit(actor=p("xhjd"), document_id=new.pk, on=DAY)
    page, _ = get(client, "/documents/intake/")
    assert "关于新华街道页面缓存测试的请示" in page and "不经服务改写标题" in page  # rendered again


def test_the_inbox_follows_a_step_completed_elsewhere(gov):
    task = Task.objects.filter(assignee=p("quzhang"), status="open", kind="step").order_by("id").first()
    assert task is not None  # the demo's 区长 has 批示 waiting
    client = login("quzhang")
    assert f"/tasks/{task.pk}/" in get(client, "/")[0]
    assert f"/tasks/{task.pk}/" in get(client, "/")[0]  # served again
    workflow.task_complete(actor=p("quzhang"), task_id=task.pk, decision=(task.choices or [""])[0],
                           opinion="同意", on=DAY)  # the API, his phone, the CLI: the same service
    assert f"/tasks/{task.pk}/" not in get(client, "/")[0]


def bell(html: str) -> int:
    found = re.search(r'class="bell-count">([^<]+)<', html)
    return 0 if found is None else (100 if found.group(1) == "99+" else int(found.group(1)))


def test_a_notification_shows_on_a_page_that_was_cached(gov):
    client = login("quzhang")
    get(client, "/")
    before, queries = get(client, "/")
    assert queries <= HIT_QUERIES
    notify.send(person=p("quzhang"), kind="info", title="页面缓存测试通知")  # a notice is not an audited event
    assert bell(get(client, "/")[0]) == bell(before) + 1


# ---- what is never shared or kept -------------------------------------------------------------

def test_another_session_of_the_same_person_gets_its_own_page(gov):
    get(login("wenshu"), "/documents/intake/")
    _, queries = get(login("wenshu"), "/documents/intake/")
    assert queries > HIT_QUERIES


def test_a_new_day_renders_the_page_again(gov, monkeypatch):
    client = login("quzhang")
    get(client, "/")
    monkeypatch.setattr(rules, "today", lambda: DAY + dt.timedelta(days=1))
    _, queries = get(client, "/")
    assert queries > HIT_QUERIES


@pytest.mark.parametrize("setting,value", [("AUDIT_HASH_CHAIN", False), ("PAGE_CACHE_SECONDS", 0)])
def test_off_without_the_hash_chain_or_with_no_lifetime(gov, settings, setting, value):
    setattr(settings, setting, value)
    client = login("wenshu")
    get(client, "/documents/intake/")
    _, queries = get(client, "/documents/intake/")
    assert queries > HIT_QUERIES


def test_a_cached_pages_form_token_is_accepted(gov):
    client = login("wenshu", enforce_csrf_checks=True)
    get(client, "/documents/intake/")
    page, queries = get(client, "/documents/intake/")
    assert queries <= HIT_QUERIES  # served from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    r = client.post("/logout/", {"csrfmiddlewaretoken": token})
    assert r.status_code == 302  # not 403: the token made for this session's CSRF cookie still holds


def test_a_flash_message_is_shown_though_the_page_was_cached(gov):
    client = login("wenshu")
    doc = Document.objects.filter(government=gov, direction="incoming", status="in_approval").order_by("id").first()
    assert doc is not None
    get(client, "/documents/intake/")
    get(client, "/documents/intake/")  # cached
    r = client.post(f"/documents/{doc.pk}/register/", {"from": "intake"})  # in approval: refused, nothing written
    assert r.status_code == 302 and r.url.endswith("/documents/intake/")
    page, queries = get(client, "/documents/intake/")
    assert queries > HIT_QUERIES and 'class="notice' in page  # the refusal shown, the page rendered
    assert 'class="notice' not in get(client, "/documents/intake/")[0]  # shown once
    assert get(client, "/documents/intake/")[1] <= HIT_QUERIES  # then kept again



def test_a_post_ended_closes_the_kept_page_at_once(gov):
    """The intake queue is the office's: once the clerk's appointment ends (an org service, audited on
    the government's chain) the kept page is not served again — the view refuses him."""
    from zhengwu.org import services as org_services
    from zhengwu.org.models import Appointment

    client = login("wenshu")
    get(client, "/documents/intake/")
    assert get(client, "/documents/intake/")[1] <= HIT_QUERIES
    for appointment in Appointment.objects.filter(person=p("wenshu"), end__isnull=True):
        org_services.appointment_end(actor=p("bgs-zhuren"), appointment=appointment, end=DAY - dt.timedelta(days=1))
    assert client.get("/documents/intake/").status_code == 403


def test_a_new_build_or_rulebook_renders_the_page_again(gov, monkeypatch):
    """A deploy (code, templates) or a rulebook file changed: not the page the old build made, even
    from a cache that outlives the processes (Redis)."""
    from zhengwu.web import pagecache

    client = login("wenshu")
    get(client, "/documents/intake/")
    assert get(client, "/documents/intake/")[1] <= HIT_QUERIES
    monkeypatch.setattr(pagecache, "_build", lambda: "another-build")
    assert get(client, "/documents/intake/")[1] > HIT_QUERIES


def test_the_build_digest_follows_a_changed_file(tmp_path):
    from zhengwu.web.pagecache import build_digest

    book = tmp_path / "book.yaml"
    book.write_text("a: 1\n", encoding="utf-8")
    before = build_digest((str(tmp_path),))
    book.write_text("a: 12\n", encoding="utf-8")  # a parameter edited: the size (and the time) change
    build_digest.cache_clear()
    assert build_digest((str(tmp_path),)) != before
