"""发文字号: per issuer code and year, never a gap or a duplicate — even when documents are numbered
at the same moment (real threads, SQLite and PostgreSQL)."""

import datetime as dt
import re
import threading

import pytest
from django.db import connection

from zhengwu.errors import Refused
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.documents import services
from zhengwu.documents.models import Document

DAY = dt.date(2026, 11, 27)


def p(username):
    return Person.objects.get(username=username)


def outgoing(title, issuing_as="government"):
    """A signed outgoing document, ready for its number (signing itself is tested in test_documents_issue)."""
    doc = services.document_draft(actor=p("wenshu"), unit=Unit.objects.get(short_name="区政府办"),
                                  direction="outgoing", kind="通知", title=title, issuing_as=issuing_as,
                                  main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"], body="正文", on=DAY)
    Document.objects.filter(pk=doc.pk).update(status="signed")  # test setup only
    doc.refresh_from_db()
    return doc


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


@pytest.mark.django_db
def test_numbers_follow_the_series_of_the_issuing_body_and_the_year():
    demo.load()
    a, b = outgoing("关于做好冬季安全生产工作的通知"), outgoing("关于调整议事协调机构的通知", issuing_as="office")
    c = outgoing("关于开展春季植树活动的通知")
    assert services.document_number(actor=p("wenshu"), document_id=a.pk, on=DAY).doc_number == "白洮政发〔2026〕1号"
    assert services.document_number(actor=p("wenshu"), document_id=b.pk, on=DAY).doc_number == "白洮政办发〔2026〕1号"
    assert services.document_number(actor=p("wenshu"), document_id=c.pk,
                                    on=dt.date(2027, 1, 4)).doc_number == "白洮政发〔2027〕1号"
    with pytest.raises(Refused) as e:
        services.document_number(actor=p("wenshu"), document_id=a.pk, on=DAY)
    assert e.value.status == 409
    with pytest.raises(Refused):  # only the office numbers documents
        services.document_number(actor=p("jyj"), document_id=c.pk, on=DAY)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_numbering_gives_consecutive_numbers_without_gap_or_duplicate():
    demo.load()
    docs = [outgoing(f"关于第{i}项工作的通知") for i in range(6)]
    clerks = [p("wenshu"), p("bgs-zhuren"), p("bgs-fuzhuren")]
    results = in_threads([lambda d=d, i=i: services.document_number(actor=clerks[i % 3], document_id=d.pk, on=DAY)
                          for i, d in enumerate(docs)])
    assert all(isinstance(r, Document) for r in results), results
    numbers = sorted(int(re.search(r"〕(\d+)号", r.doc_number).group(1)) for r in results)
    assert numbers == [1, 2, 3, 4, 5, 6]


@pytest.mark.django_db(transaction=True)
def test_the_same_document_numbered_twice_at_once_gets_one_number_and_gives_none_away():
    demo.load()
    doc = outgoing("关于表彰先进集体的决定")
    results = in_threads([lambda: services.document_number(actor=p("wenshu"), document_id=doc.pk, on=DAY),
                          lambda: services.document_number(actor=p("bgs-zhuren"), document_id=doc.pk, on=DAY)])
    assert sorted(type(r).__name__ for r in results) in (["Conflict", "Document"], ["Document", "Refused"]), results
    doc.refresh_from_db()
    assert doc.doc_number == "白洮政发〔2026〕1号"
    nxt = outgoing("关于下一项工作的通知")
    assert services.document_number(actor=p("wenshu"), document_id=nxt.pk, on=DAY).doc_number == "白洮政发〔2026〕2号"
