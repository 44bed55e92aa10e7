"""The trail in sentences (issue 16): every history panel (`_history.html`) and every task page's
办理经过 (`tasks/_sentences.html`) reads "周庚 12-06 22:11 审核：同意" — who, when, what in words and
what was said — with no hash, action code, field key, object reference or doubled label; the audit
administrator (三权分立) opens the raw events of the object on the audit view, reached from the
audit trail, and nobody else may."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from zhengwu.audit.models import AuditEvent
from zhengwu.org.models import Person
from zhengwu.web import trail
from zhengwu.workflow.models import Approval, Task

pytestmark = pytest.mark.django_db

HEX = re.compile(r"[0-9a-f]{12,}")
CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b")  # a route id, an action code, an object type
LEAKS = (HEX, CODE, re.compile(r"demo\."), re.compile(r"\b(?:status|route|signer|object)\b"),
         re.compile(r"SHA-256|sm3 "), re.compile(r"(\w{2,})：\1："))
SENTENCE = re.compile(r'<span class="sentence-who">[^<>]+</span> <time[^>]*>\d\d-\d\d \d\d:\d\d</time> '
                      r'<span class="sentence-text">[^<>]+</span>')


@pytest.fixture
def gov(full_demo):
    return full_demo


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def web(username: str) -> Client:
    c = Client()
    c.force_login(p(username))
    return c


def panel(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return found.group(0)


def no_leaks(text: str) -> None:
    for leak in LEAKS:
        assert not leak.search(text), (leak.pattern, leak.search(text).group(0), text[:2000])


def history_of(html: str) -> str:
    return panel(html, r'<section class="panel history-panel".*?</section>')


# ---- the words --------------------------------------------------------------------------------

def test_a_summary_reads_as_the_rest_of_a_sentence_without_repeats_or_digests():
    assert trail.predicate("拟稿：关于某事的请示", label="拟稿", who="杨午") == "拟稿：关于某事的请示"
    assert trail.predicate("周庚审核：同意", label="办理", who="周庚") == "审核：同意"
    assert trail.predicate("收文登记白洮政收〔2026〕1号", label="收文登记", who="郑壬") == "收文登记：白洮政收〔2026〕1号"
    assert trail.predicate("呈批（按分工），2026-11-20前办结", label="拟办分送", who="郑壬") == \
        "拟办分送：呈批（按分工），2026-11-20前办结"
    assert trail.predicate("上传附件：表.xlsx（SHA-256 71ca110d5165aa895c57ea47350a2734）", label="上传附件",
                           who="陈子") == "上传附件：表.xlsx"
    assert trail.predicate("", label="签发", who="张甲") == "签发"
    assert trail.predicate("联系电话13800138000123", label="登记", who="郑壬") == "登记：联系电话13800138000123"  # digits stay
    assert trail.person_name("郑壬（wenshu）") == "郑壬" and trail.person_name("区长（张甲）") == "区长（张甲）"


# ---- the pages of ordinary users ----------------------------------------------------------------

def test_a_documents_history_is_a_list_of_sentences_with_the_article(gov):
    from zhengwu.documents.models import Document

    doc = Document.objects.filter(direction="outgoing", status="issued").order_by("pk").first()
    html = web("bgs-zhuren").get(f"/documents/{doc.pk}/").content.decode()
    told = history_of(html)
    no_leaks(told)
    assert len(SENTENCE.findall(told)) == AuditEvent.objects.filter(obj_type="documents.document",
                                                                     obj_id=str(doc.pk)).count()
    assert re.search(r'<span class="sentence-who">张甲</span> <time[^>]*>[^<]+</time> <span class="sentence-text">签发',
                     told)
    assert re.search(r'sentence-text">拟稿：[^拟<]', told)  # the label once
    assert 'href="/rulebook/#a69"' in told and "第六十九条" in told
    assert "审计视图" not in told and "/audit/object/" not in told  # not for a business account


def test_an_approvals_history_names_the_route_in_words_not_its_id(gov):
    approval = Approval.objects.filter(route_id="doc.intake_urgent").order_by("pk").first()
    r = web("bgs-zhuren").get(f"/approvals/{approval.pk}/")
    assert r.status_code == 200
    told = history_of(r.content.decode())
    no_leaks(told)
    assert "紧急公文串并联审批" in told and SENTENCE.search(told)


def test_a_task_pages_sentences_and_a_persons_history_show_no_machinery(gov):
    task = Task.objects.filter(status="open", assignee__username="quzhang",
                               approval__obj_type="documents.document").order_by("pk").first()
    html = web("quzhang").get(f"/tasks/{task.pk}/").content.decode()
    told = panel(html, r'<ol class="sentences">.*?</ol>')
    no_leaks(told)
    assert re.search(r'<span class="sentence-who">[^<]+</span> <time[^>]*>\d\d-\d\d \d\d:\d\d</time>', told)
    person = p("czj")
    html = web("bgs-zhuren").get(f"/org/people/{person.pk}/").content.decode()
    no_leaks(history_of(html))


# ---- the audit view ---------------------------------------------------------------------------

def test_the_audit_administrator_sees_codes_values_and_hashes_on_the_audit_view(gov):
    from zhengwu.documents.models import Document

    doc = Document.objects.filter(direction="outgoing", status="issued").order_by("pk").first()
    trail_html = web("auditadmin").get("/audit/?object=documents.document").content.decode()
    assert re.search(r'href="/audit/object/documents\.document/\d+/"', trail_html)  # the way in: the trail
    r = web("auditadmin").get(f"/audit/object/documents.document/{doc.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "审计视图" in html
    assert "documents.document.sign" in html and "documents.document:" in html  # codes and the object
    assert HEX.search(html) and "<code>status</code>" in html  # hashes and field keys
    event = AuditEvent.objects.filter(obj_type="documents.document", obj_id=str(doc.pk)).order_by("-seq").first()
    if event.hash:
        assert event.hash in html and event.prev_hash in html


@pytest.mark.parametrize("username", ["bgs-zhuren", "quzhang", "sysadmin", "secadmin"])
def test_nobody_else_opens_the_audit_view(gov, username):
    r = web(username).get("/audit/object/documents.document/1/")
    assert r.status_code == 403
    assert not HEX.search(panel(r.content.decode(), r"<main.*?</main>"))


def test_the_audit_view_of_an_object_without_events_says_so(gov):
    r = web("auditadmin").get("/audit/object/documents.document/999999/")
    assert r.status_code == 404 and "documents.document.draft" not in r.content.decode()
