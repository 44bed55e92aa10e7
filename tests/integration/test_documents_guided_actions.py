"""Guide rather than refuse (issue 16) on a document's page: 送签 and 印发 are shown disabled with the
reason and article of the service's own dry run (issuing.signing_refusal / issuing.issue_refusal, the
checks document_send_for_signing and document_issue themselves run), enabled when they would go
through; and posting anyway is still refused by the service, with the same reason, changing nothing."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.documents import issuing
from zhengwu.documents.models import Document
from zhengwu.org.models import Person

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def gov(full_demo):
    return full_demo


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def html(response) -> str:
    return response.content.decode()


def notice(client) -> Document:
    client.post("/documents/new/", {
        "direction": "outgoing", "kind": "通知", "issuing_as": "office", "title": "关于做好冬季安全生产工作的通知",
        "main_recipients": "区政府各部门", "urgency": "一般", "body": "一、……\n二、……", "public": "1",
        "is_normative": "0", "op": "save"})
    return Document.objects.get(title="关于做好冬季安全生产工作的通知")


def reprint(doc: Document) -> None:
    """The draft now only reprints a higher level's published document (art. 70: not to be issued)."""
    Document.objects.filter(pk=doc.pk).update(facts={**doc.facts, "republishes_higher_level_published": True})
    doc.refresh_from_db()


@pytest.mark.rules("R70.no_reprint")
def test_send_for_signature_is_enabled_when_it_would_go_through_and_disabled_with_the_article_when_not(gov, client):
    client.force_login(p("wenshu"))
    doc = notice(client)
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert f'action="/documents/{doc.pk}/sign/"' in page and 'id="sign-doc"' not in page
    assert issuing.signing_refusal(doc=doc) is None
    reprint(doc)
    refusal = issuing.signing_refusal(doc=doc)
    first = next(v for v in refusal.violations if v.blocks)
    assert first.rule_id == "R70.no_reprint" and first.article == 70
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert 'disabled id="sign-doc"' in page and f'action="/documents/{doc.pk}/sign/"' not in page
    assert first.message in page and 'href="/rulebook/#a70"' in page
    r = client.post(f"/documents/{doc.pk}/sign/")  # posted anyway: the service refuses, nothing changes
    assert r.status_code == refusal.status and first.message in html(r)
    doc.refresh_from_db()
    assert (doc.status, doc.approval_id) == ("draft", None)


@pytest.mark.rules("R70.no_reprint")
def test_issue_is_enabled_when_it_would_go_through_and_disabled_with_the_article_when_not(gov, client):
    client.force_login(p("wenshu"))
    doc = notice(client)
    # signed and numbered (the state 印发 starts from; the signing route is tested elsewhere)
    Document.objects.filter(pk=doc.pk).update(status="signed", doc_number="洮政办发〔2026〕99号", signed_on=DAY,
                                              signer=p("quzhang"))
    doc.refresh_from_db()
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert f'action="/documents/{doc.pk}/issue/"' in page and 'disabled id="issue-doc"' not in page
    reprint(doc)
    refusal = issuing.issue_refusal(doc=doc)
    first = next(v for v in refusal.violations if v.blocks)
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert 'disabled id="issue-doc"' in page and f'action="/documents/{doc.pk}/issue/"' not in page
    assert first.message in page and f'href="/rulebook/#a{first.article}"' in page
    r = client.post(f"/documents/{doc.pk}/issue/")
    assert r.status_code == refusal.status and first.message in html(r)
    assert Document.objects.get(pk=doc.pk).status == "signed"
    # made right again: enabled, and issuing goes through
    Document.objects.filter(pk=doc.pk).update(facts={**doc.facts, "republishes_higher_level_published": False})
    assert 'disabled id="issue-doc"' not in html(client.get(f"/documents/{doc.pk}/"))
    assert client.post(f"/documents/{doc.pk}/issue/").status_code == 302
    assert Document.objects.get(pk=doc.pk).status == "issued"


@pytest.mark.rules("R70.no_reprint")
def test_signing_in_the_unit_s_name_is_disabled_with_the_article_when_the_service_would_refuse(gov, client):
    from zhengwu.documents import department, services
    from zhengwu.org.models import Unit

    doc = services.document_draft(
        actor=p("jyj"), unit=Unit.objects.get(short_name="教育局"), direction="outgoing", kind="通知",
        issuing_as="unit", title="关于开展校园安全检查的通知", main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"],
        body="一、……\n二、……", on=DAY)
    client.force_login(p("jyj"))
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert f'action="/documents/{doc.pk}/unit-sign/"' in page and 'disabled id="unit-sign-doc"' not in page
    assert department.unit_sign_refusal(actor=p("jyj"), doc=doc) is None
    reprint(doc)
    refusal = department.unit_sign_refusal(actor=p("jyj"), doc=doc)
    first = next(v for v in refusal.violations if v.blocks)
    page = html(client.get(f"/documents/{doc.pk}/"))
    assert 'disabled id="unit-sign-doc"' in page and f'action="/documents/{doc.pk}/unit-sign/"' not in page
    assert first.message in page and f'href="/rulebook/#a{first.article}"' in page
    r = client.post(f"/documents/{doc.pk}/unit-sign/")
    assert r.status_code == refusal.status and first.message in html(r)
    assert Document.objects.get(pk=doc.pk).status == "draft"
