"""归档 (documents.archiving, W67.archive under art. 67): a handled document — an answered 来文, an
issued 发文 — is filed once, by the 区政府办公室 (a department files what it issued in its own name),
through every door (the page, the batch on the list, the API) with the one guard; the office's
待归档 count drops; a second filing, a document not handled yet and the wrong person are refused,
changing nothing; two clerks filing at the same moment: one files, the other is told."""

import datetime as dt
import threading

import pytest
from django.db import connection

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.documents import archiving, services
from zhengwu.documents.desk import office_counts
from zhengwu.documents.models import Document
from zhengwu.errors import Conflict, Forbidden, Refused
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit

DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def gov(org_demo):
    return org_demo


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def issued(title: str, *, unit: str = "区政府办", by: str = "wenshu", issuing_as: str = "government",
           status: str = "issued") -> Document:
    """An outgoing document in `status` (issuing itself is tested in test_documents_flow)."""
    doc = services.document_draft(actor=p(by), unit=Unit.objects.get(short_name=unit), direction="outgoing",
                                  kind="通知", title=title, main_recipients=["区政府各部门"], body="正文", on=DAY)
    Document.objects.filter(pk=doc.pk).update(status=status, issuing_as=issuing_as,
                                              doc_number=f"白洮政发〔2026〕{doc.pk}号")  # test setup only
    doc.refresh_from_db()
    return doc


def answered(title: str) -> Document:
    """A 教育局 请示 the leaders answered (the intake itself is tested in test_documents_flow)."""
    doc = services.document_draft(actor=p("jyj"), unit=Unit.objects.get(short_name="教育局"), direction="incoming",
                                  kind="请示", title=title, main_recipients=["区人民政府"], body="特此请示。", on=DAY)
    Document.objects.filter(pk=doc.pk).update(status="answered", intake_number=f"收〔2026〕{doc.pk}号")
    doc.refresh_from_db()
    return doc


def to_file(username: str = "wenshu") -> int:
    return office_counts(p(username), DAY)["to_file"]


def archive_events(doc: Document) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="documents.document.archive", obj_id=str(doc.pk)))


def html(response) -> str:
    return response.content.decode()


# ---- the page --------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.rules("W67.archive")
def test_the_office_files_an_issued_document_from_its_page_once_and_the_count_drops(gov, client):
    doc = issued("关于做好冬季安全生产工作的通知")
    before = to_file()
    client.force_login(p("wenshu"))
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert f'action="/documents/{doc.pk}/archive/"' in page and 'disabled id="archive-doc"' not in page

    r = client.post(f"/documents/{doc.pk}/archive/")
    assert r.status_code == 302 and r["Location"] == f"/documents/{doc.pk}/"
    doc.refresh_from_db()
    assert (doc.status, doc.archived_on, doc.archived_by) == ("issued", DAY, p("wenshu"))
    assert to_file() == before - 1
    [event] = archive_events(doc)
    assert (event.actor_id, event.article, event.after["archived_on"]) == (p("wenshu").pk, 67, DAY.isoformat())

    page = html(client.get(f"/documents/{doc.pk}/"))
    assert f'action="/documents/{doc.pk}/archive/"' not in page and "已于2026-11-02由郑壬归档" in page

    r = client.post(f"/documents/{doc.pk}/archive/")  # again: refused, nothing written
    assert r.status_code == 409 and "该公文已于2026-11-02归档" in html(r)
    assert "W67" not in html(r) and "archived_on" not in html(r)  # no codes or field keys on the page
    assert len(archive_events(doc)) == 1 and to_file() == before - 1


@pytest.mark.django_db
def test_a_document_not_handled_yet_is_not_offered_and_is_refused_when_posted(gov, client):
    doc = issued("关于开展春季植树活动的通知", status="signed")
    client.force_login(p("wenshu"))
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert f"/documents/{doc.pk}/archive/" not in page and 'id="archive-doc"' not in page
    r = client.post(f"/documents/{doc.pk}/archive/")
    assert r.status_code == 409 and "印发后才能归档" in html(r) and "第六十七条" in html(r)
    doc.refresh_from_db()
    assert doc.archived_on is None and not archive_events(doc)


@pytest.mark.django_db
def test_the_office_files_an_answered_request_and_its_unit_may_not(gov, client):
    doc = answered("关于新建东风乡中心小学教学楼的请示")
    before = office_counts(p("wenshu"), DAY)["to_file_in"]

    client.force_login(p("jyj"))  # the unit that sent it sees it: the button, disabled with the reason
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert 'disabled id="archive-doc"' in page and f'action="/documents/{doc.pk}/archive/"' not in page
    assert "区政府的公文和收文由区政府办公室归档" in page and 'href="/rulebook/#a67"' in page
    r = client.post(f"/documents/{doc.pk}/archive/")
    assert r.status_code == 403
    doc.refresh_from_db()
    assert doc.archived_on is None and not archive_events(doc)

    with pytest.raises(Forbidden):
        archiving.document_archive(actor=p("jyj"), document_id=doc.pk, on=DAY)
    done = archiving.document_archive(actor=p("bgs-fuzhuren"), document_id=doc.pk, on=DAY)
    assert (done.status, done.archived_on) == ("answered", DAY)
    assert office_counts(p("wenshu"), DAY)["to_file_in"] == before - 1


@pytest.mark.django_db
def test_a_department_files_what_it_issued_in_its_own_name_and_the_office_does_not(gov):
    doc = issued("关于规范校外培训机构管理的通知", unit="教育局", by="jyj", issuing_as="unit")
    refusal = archiving.archive_refusal(actor=p("wenshu"), doc=doc, on=DAY)
    assert isinstance(refusal, Forbidden) and "由本部门归档" in refusal.message
    with pytest.raises(Forbidden):
        archiving.document_archive(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    assert archiving.archive_refusal(actor=p("jyj"), doc=doc, on=DAY) is None
    assert archiving.document_archive(actor=p("jyj"), document_id=doc.pk, on=DAY).archived_by == p("jyj")


# ---- the list: the 待归档 filter and 批量归档 ------------------------------------------------------------

@pytest.mark.django_db
def test_the_to_file_filter_and_the_batch_file_each_item_through_the_same_guard(gov, client):
    a, b = issued("关于表彰先进集体的决定"), issued("关于调整议事协调机构的通知")
    not_yet = issued("关于下一项工作的通知", status="signed")
    archiving.document_archive(actor=p("wenshu"), document_id=b.pk, on=DAY)
    client.force_login(p("wenshu"))
    page = html(client.get("/documents/", {"tab": "outgoing", "filed": "no"}))
    assert a.title in page and b.title not in page and not_yet.title not in page
    assert 'formaction="/documents/batch/archive/"' in page
    page = html(client.get("/documents/", {"tab": "outgoing", "filed": "yes"}))
    assert b.title in page and a.title not in page

    r = client.post("/documents/batch/archive/", {"doc": [a.pk, b.pk, not_yet.pk], "back": "/documents/?tab=outgoing"})
    assert r.status_code == 302
    result = html(client.get(r["Location"]))
    assert "该公文已于2026-11-02归档" in result and "印发后才能归档" in result
    a.refresh_from_db(), not_yet.refresh_from_db()
    assert a.archived_on == DAY and not_yet.archived_on is None
    assert len(archive_events(b)) == 1

    client.force_login(p("jyj"))  # the batch runs the same guard: a department files nothing of the office's
    c = issued("关于做好元旦春节期间有关工作的通知")
    client.post("/documents/batch/archive/", {"doc": [c.pk]})
    c.refresh_from_db()
    assert c.archived_on is None


# ---- the API ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_api_files_with_the_same_guard(gov, client):
    doc = answered("关于东风乡抗旱应急水源工程资金的请示")
    keys = {u: api_token_create(actor=None, person=p(u), name="测试")[1] for u in ("wenshu", "jyj")}

    def post(username):
        return client.post(f"/api/v1/documents/{doc.pk}/archive", {}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {keys[username]}")

    r = post("jyj")
    assert r.status_code == 403 and "由区政府办公室归档" in r.json()["message"]
    doc.refresh_from_db()
    assert doc.archived_on is None
    r = post("wenshu")
    assert r.status_code == 200, r.content
    assert r.json()["archived_on"] == DAY.isoformat() and r.json()["status"] == "answered"
    r = post("wenshu")
    assert r.status_code == 409 and set(r.json()) == {"message", "violations", "field"}
    assert len(archive_events(doc)) == 1


# ---- at the same moment (real threads; SQLite and PostgreSQL) ---------------------------------------

def in_threads(fns):
    barrier = threading.Barrier(len(fns), timeout=30)
    results = [None] * len(fns)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as e:  # noqa: BLE001 - recorded and asserted on
            results[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_clerks_filing_the_same_document_at_once_file_it_once():
    demo.load()
    doc = issued("关于加强冬季森林防火工作的通知")
    results = in_threads([lambda: archiving.document_archive(actor=p("wenshu"), document_id=doc.pk, on=DAY),
                          lambda: archiving.document_archive(actor=p("bgs-zhuren"), document_id=doc.pk, on=DAY)])
    kinds = sorted(type(r).__name__ for r in results)
    assert kinds in (["Conflict", "Document"], ["Document", "Refused"]), results
    loser = next(r for r in results if isinstance(r, Refused))
    assert loser.status == 409 and "归档" in loser.message
    winner = next(r for r in results if isinstance(r, Document))
    doc.refresh_from_db()
    assert doc.archived_on == DAY and doc.archived_by_id == winner.archived_by.pk
    assert len(archive_events(doc)) == 1
    assert isinstance(loser, (Conflict, Refused))


@pytest.mark.django_db
def test_in_english_the_filing_panel_and_its_reason_are_english(gov, client):
    doc = answered("关于改建东风乡中心幼儿园的请示")
    client.force_login(p("jyj"))
    client.cookies["django_language"] = "en"
    page = html(client.get(f"/documents/{doc.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    panel = page[page.index('aria-labelledby="file-act"'):]
    panel = panel[:panel.index("</section>")]
    assert "Filing" in panel and "filed by the government office" in panel and "(Work Rules, art. 67)" in panel
    assert "归档" not in panel
