"""Issue 15's last pieces on the full demo (today 2026-12-07): the annual report with the requests'
and the reviews'/lawsuits' figures (条例 art. 50), published by the office after the year (late past
31 March flagged) and shown on the public site; the register of 行政复议/行政诉讼; the public
consultations (art. 42) on the public site with their results; a document released through the
queue carries its own disclosure record (art. 33); only 全体会议/常务会议 decisions are recorded (art. 35)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.disclosure import selectors, services
from zhengwu.disclosure.models import AnnualReport, Challenge, Record
from zhengwu.disclosure.petitions import services as petitions
from zhengwu.disclosure.petitions.models import Consultation
from zhengwu.disclosure.requests.models import InfoRequest
from zhengwu.documents.models import Document
from zhengwu.errors import Forbidden, Refused
from zhengwu.meetings.models import AgendaItem
from zhengwu.org.models import Person, Unit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def demo_today():
    return TODAY


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: TODAY)


def person(username) -> Person:
    return Person.objects.get(username=username)


def login(username) -> Client:
    c = Client()
    c.force_login(person(username))
    return c


# ---- art. 33: the document's own disclosure record -------------------------------------------

@pytest.mark.rules("R33.disclosure_record")
def test_releasing_a_document_writes_its_own_disclosure_record(full_demo):
    office = person("bgs-zhuren")
    # the demo's released notices: each document says when and where it was disclosed
    released = Record.objects.filter(kind=Record.Kind.DOCUMENT, status=Record.Status.RELEASED)
    assert released.exists()
    for r in released:
        doc = Document.objects.get(pk=r.source_id)
        assert (doc.disclosure_channel, doc.disclosed_on) == ("website", r.released_on), doc.title
    # one released now, through the queue
    cold = Record.objects.get(title__contains="寒潮")
    doc = Document.objects.get(pk=cold.source_id)
    assert doc.disclosed_on is None
    services.record_review(actor=office, record_id=cold.pk, passed=True, note="可以公开")
    services.record_release(actor=office, record_id=cold.pk)
    doc.refresh_from_db()
    assert (doc.disclosure_channel, doc.disclosed_on) == ("website", TODAY)
    ev = AuditEvent.objects.filter(action="documents.document.disclose", obj_id=str(doc.pk)).get()
    assert ev.article == 33 and "政府网站" in ev.summary
    page = login("bgs-zhuren").get(f"/documents/{doc.pk}/").content.decode()
    assert "政府网站" in page and "2026-12-07" in page
    # written once: a second call leaves it (and a disclosure the unit recorded itself is kept)
    from zhengwu.documents.disclosure import document_released_on_website

    assert document_released_on_website(actor=office, document_id=doc.pk, on=TODAY + dt.timedelta(days=1)) is False
    doc.refresh_from_db()
    assert doc.disclosed_on == TODAY


@pytest.mark.rules("W35.meeting_decisions_published")
def test_only_plenary_and_standing_meeting_decisions_get_a_record_art_35(full_demo):
    # art. 35 names 区政府全体会议 and 区政府常务会议 only
    assert list(rules.param("disclosure.publish_meeting_types", TODAY)) == ["plenary", "standing"]
    recorded = set(Record.objects.filter(kind=Record.Kind.DECISION).values_list("source_id", flat=True))
    others = AgendaItem.objects.exclude(meeting__meeting_type__in=("plenary", "standing"))
    assert not recorded & set(others.values_list("pk", flat=True))
    assert recorded


# ---- the annual report (条例 art. 49-50) ----------------------------------------------------------

def test_the_annual_report_counts_requests_answers_and_reviews(full_demo):
    rep = selectors.full_report(full_demo.pk, 2026, TODAY)
    received = InfoRequest.objects.filter(received_on__year=2026)
    assert rep.requests_received == received.count() > 0
    assert sum(n for _, n in rep.requests_by_channel) == rep.requests_received
    assert sum(n for _, n in rep.requests_by_applicant) == rep.requests_received
    assert len(rep.answers_by_type) == 7 and sum(n for _, n in rep.answers_by_type) == rep.requests_answered
    answered = InfoRequest.objects.filter(status="answered", answered_on__year=2026)
    assert rep.requests_answered == answered.count() and rep.answers_partial >= 1 and rep.answers_late >= 1
    assert rep.requests_abandoned == 1 and rep.requests_extended >= 1 and rep.requests_corrections >= 3
    open_now = InfoRequest.objects.filter(status__in=("received", "correcting", "consulting")).count()
    assert rep.requests_carried_out == open_now and rep.requests_carried_in == 0
    lawsuits = dict(dict(rep.challenges)["行政诉讼"])
    assert lawsuits["尚未审结"] == 1 and lawsuits["总计"] == 1
    last = dict(dict(selectors.full_report(full_demo.pk, 2025, TODAY).challenges)["行政复议"])
    assert last["结果维持"] == 1
    rows = dict(selectors.report_rows(rep))
    assert rows["依申请公开：逾期未补正视为放弃"] == 1 and rows["答复：经检索信息不存在"] >= 1
    page = login("bgs-zhuren").get("/disclosure/report/?year=2026").content.decode()
    assert "行政复议" in page and "视为放弃" in page


@pytest.mark.rules("R33.annual_report", "R33.annual_report_due")
def test_the_office_publishes_the_report_after_the_year_late_ones_flagged(full_demo):
    office = person("bgs-zhuren")
    # the demo's 2025 report, published on 20 March: on time, on the public site
    last = AnnualReport.objects.get(year=2025)
    assert last.published_on == dt.date(2026, 3, 20) and not last.late and last.due_on == dt.date(2026, 3, 31)
    anon = Client()
    listing = anon.get("/public/reports/").content.decode()
    assert "/public/reports/2025/" in listing
    page = anon.get("/public/reports/2025/")
    assert page.status_code == 200 and not page.cookies
    body = page.content.decode()
    assert "2025" in body and "本年新收申请" in body and "行政复议" in body
    assert anon.get("/public/reports/2024/").status_code == 404
    assert "/public/reports/" in anon.get("/public/").content.decode()  # linked from the catalogue
    # the year not over: refused, citing art. 33
    with pytest.raises(Refused) as e:
        services.report_publish(actor=office, year=2026)
    [v] = e.value.violations
    assert v.rule_id == "R33.annual_report" and v.article == 33 and v.field == "year"
    # once a year
    with pytest.raises(Refused) as e:
        services.report_publish(actor=office, year=2025)
    assert e.value.status == 409 and e.value.field == "year"
    # only the office
    with pytest.raises(Forbidden):
        services.report_publish(actor=person("sfj"), year=2024)
    with pytest.raises(Refused) as e:
        services.report_publish(actor=office, year="二〇二四")
    assert e.value.field == "year"
    # published past 31 March: flagged late, audited under art. 33
    late = services.report_publish(actor=office, year=2024, foreword="补充公布")
    assert late.late and late.due_on == dt.date(2025, 3, 31)
    ev = AuditEvent.objects.filter(action="disclosure.report.publish", obj_id=str(late.pk)).get()
    assert ev.article == 33 and "逾期" in ev.summary
    assert "补充公布" in anon.get("/public/reports/2024/").content.decode()
    # the API: the published figures, and publishing through it
    c = login("bgs-zhuren")
    api = c.get("/api/v1/disclosure/report?year=2024").json()
    assert api["published_on"] == "2026-12-07" and api["late"] is True
    r = c.post("/api/v1/disclosure/report/publish", {"year": 2023}, content_type="application/json")
    assert r.status_code == 200 and r.json()["late"] is True
    r = c.post("/api/v1/disclosure/report/publish", {"year": 2026}, content_type="application/json")
    assert r.status_code == 400
    assert login("sfj").post("/api/v1/disclosure/report/publish", {"year": 2022},
                             content_type="application/json").status_code == 403
    # the office page's form
    r = c.post("/disclosure/report/publish/", {"year": "2022", "foreword": ""})
    assert r.status_code == 302 and AnnualReport.objects.filter(year=2022, late=True).exists()
    r = c.post("/disclosure/report/publish/", {"year": "2026"})
    assert r.status_code == 400 and "尚未结束" in r.content.decode()


def test_the_register_of_reviews_and_lawsuits(full_demo):
    office = person("bgs-zhuren")
    with pytest.raises(Refused) as e:
        services.challenge_register(actor=office, kind="appeal", filed_on=TODAY, subject="x")
    assert e.value.field == "kind"
    with pytest.raises(Refused) as e:
        services.challenge_register(actor=office, kind="review", filed_on=TODAY + dt.timedelta(days=1), subject="x")
    assert e.value.field == "filed_on"
    with pytest.raises(Refused) as e:
        services.challenge_register(actor=office, kind="review", filed_on="昨天", subject="x")
    assert e.value.field == "filed_on"
    with pytest.raises(Forbidden):
        services.challenge_register(actor=person("sfj"), kind="review", filed_on=TODAY, subject="x")
    c = services.challenge_register(actor=office, kind="review", filed_on=TODAY, subject="不服答复")
    assert c.status == Challenge.Result.PENDING
    with pytest.raises(Refused) as e:
        services.challenge_decide(actor=office, challenge_id=c.pk, result="pending")
    assert e.value.field == "result"
    services.challenge_decide(actor=office, challenge_id=c.pk, result="corrected", note="责令重新答复")
    with pytest.raises(Refused) as e:
        services.challenge_decide(actor=office, challenge_id=c.pk, result="upheld")
    assert e.value.status == 409
    # web and API
    web = login("bgs-zhuren")
    assert "不服答复" in web.get("/disclosure/challenges/").content.decode()
    r = web.post("/disclosure/challenges/new/", {"kind": "lawsuit", "filed_on": "2026-12-01", "subject": "起诉"})
    assert r.status_code == 302
    r = web.post("/disclosure/challenges/new/", {"kind": "lawsuit", "filed_on": "", "subject": "起诉"})
    assert r.status_code == 400
    api = web.get("/api/v1/disclosure/challenges?year=2026").json()
    assert {x["result_label"] for x in api} >= {"结果纠正", "尚未审结"}
    r = web.post("/api/v1/disclosure/challenges", {"kind": "review", "filed_on": "2026-12-02", "subject": "申请复议"},
                 content_type="application/json")
    assert r.status_code == 201
    cid = r.json()["id"]
    r = web.post(f"/api/v1/disclosure/challenges/{cid}/result", {"result": "upheld"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["result"] == "upheld"
    assert login("sfj").get("/api/v1/disclosure/challenges").status_code == 403
    assert login("sfj").get("/disclosure/challenges/").status_code == 403


# ---- public consultations (art. 42) -------------------------------------------------------------

def test_the_public_site_shows_opened_consultations_and_their_results_never_the_comments(full_demo):
    anon = Client()
    listing = anon.get("/public/consultations/")
    assert listing.status_code == 200 and not listing.cookies
    body = listing.content.decode()
    open_ = Consultation.objects.get(title__contains="停车设施规划")
    done = Consultation.objects.get(title__contains="中小学校布局")
    assert open_.title in body and done.title in body
    page = anon.get(f"/public/consultations/{open_.pk}/").content.decode()
    assert "tbzjj@taobei.gov.cn" in page and "征求意见" in page and "31" in page  # the period, in days
    for comment in open_.comments.all():
        assert comment.text not in page and comment.author not in page
    page = anon.get(f"/public/consultations/{done.pk}/").content.decode()
    assert done.adoption in page and done.summary in page
    for comment in done.comments.all():
        assert comment.author not in page
    # one not yet opened is not on the site
    later = petitions.consultation_open(actor=person("wenshu"), title="尚未开始的征求意见", text="草案",
                                        unit_id=Unit.objects.get(short_name="住建局").pk,
                                        opens_on=TODAY + dt.timedelta(days=3), closes_on=TODAY + dt.timedelta(days=40))
    assert anon.get(f"/public/consultations/{later.pk}/").status_code == 404
    assert later.title not in anon.get("/public/consultations/").content.decode()
    assert anon.post(f"/public/consultations/{open_.pk}/").status_code == 405
    assert anon.get("/public/consultations/999999/").status_code == 404
