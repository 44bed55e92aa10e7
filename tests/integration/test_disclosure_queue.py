"""Proactive disclosure (arts. 33, 35, 37, 89) on the full demo: an issued document enters the queue
due 20 working days later on the real 2026 calendar; a signed-off meeting's decisions enter it; the
release gate (保密审查, 报批审定 through route disclosure.release, 政策解读) refuses with the article
and lets through once complied; the tick flags and escalates late items; the public site shows only
what was released and never anything classified or not proactively public (every demo object
probed); the office pages, the API (IDOR) and the annual report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhengwu import rules
from zhengwu.disclosure import selectors, services
from zhengwu.disclosure.models import Record
from zhengwu.documents.models import Document
from zhengwu.errors import Refused
from zhengwu.meetings.models import AgendaItem
from zhengwu.org.models import Person

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


def rec(words) -> Record:
    return Record.objects.get(title__contains=words)


@pytest.mark.rules("W33.queue_lights")
def test_an_issued_document_is_in_the_queue_due_in_20_working_days_on_the_2026_calendar(full_demo):
    cold = Document.objects.get(title="关于做好寒潮天气防范应对工作的通知")
    record = Record.objects.get(kind=Record.Kind.DOCUMENT, source_id=cold.pk)
    assert record.status == Record.Status.QUEUED and record.category == Record.Category.PROACTIVE
    assert record.formed_on == cold.signed_on == TODAY
    # 20 working days after Monday 7 December 2026: four full weeks, then New Year's Day (Friday
    # 1 January 2027, a holiday) pushes it to Monday 4 January... the official calendar decides:
    from zhengwu.workcalendar.selectors import work_calendar

    cal = work_calendar()
    assert record.due_on == cal.add_workdays(TODAY, 20)
    assert cal.count_workdays(TODAY, record.due_on) == 20
    assert record.due_on == dt.date(2027, 1, 5)  # 2027-01-01 is a holiday on the official calendar
    assert selectors.light(record, TODAY).colour == selectors.GREEN
    # the office's queue page shows it with its due date
    page = login("bgs-zhuren").get("/disclosure/queue/").content.decode()
    assert "关于做好寒潮天气防范应对工作的通知" in page and "2027-01-05" in page


@pytest.mark.rules("W35.meeting_decisions_published")
def test_signed_off_meeting_decisions_enter_the_queue(full_demo):
    standing = Record.objects.filter(kind=Record.Kind.DECISION)
    assert standing.count() >= 4
    for r in standing:
        item = AgendaItem.objects.select_related("meeting").get(pk=r.source_id)
        assert item.meeting.meeting_type in ("plenary", "standing")
        assert r.due_on == services.due_date(r.formed_on)


@pytest.mark.rules("R37.release_approval")
def test_an_unapproved_release_of_important_information_is_refused_citing_37(full_demo):
    office = person("bgs-zhuren")
    waiting = rec("道路维修")
    assert waiting.important and waiting.status == Record.Status.PENDING
    with pytest.raises(Refused) as e:
        services.record_release(actor=office, record_id=waiting.pk)
    assert "第三十七条" in e.value.message
    # the leader's step is a real 待办 through the engine
    from zhengwu.workflow.models import Task

    task = Task.objects.get(approval_id=waiting.approval_id, status="open", kind="step")
    assert task.step_id == "leader_approve"
    # a reviewed important record without approval: refused by R37.release_approval
    r = rec("道路维修")
    from zhengwu.workflow import services as wf

    wf.task_complete(actor=task.assignee, task_id=task.pk, decision="不同意", opinion="暂缓发布")
    r.refresh_from_db()
    assert r.status == Record.Status.REVIEWED and r.approved_on is None
    with pytest.raises(Refused) as e:
        services.record_release(actor=office, record_id=r.pk)
    assert any(v.rule_id == "R37.release_approval" and v.article == 37 for v in e.value.violations)
    assert not Record.objects.filter(pk=r.pk, status=Record.Status.RELEASED).exists()
    # approved: released
    approved = rec("供热管网")
    assert approved.approved_on is not None
    services.record_release(actor=office, record_id=approved.pk)
    approved.refresh_from_db()
    assert approved.status == Record.Status.RELEASED and approved.public_title


@pytest.mark.rules("R89.confidentiality_review", "R67.policy_interpretation")
def test_release_needs_the_review_and_a_normative_document_its_interpretation(full_demo):
    office = person("bgs-zhuren")
    norm = rec("行政执法公示办法")
    assert norm.normative and norm.status == Record.Status.QUEUED
    with pytest.raises(Refused) as e:
        services.record_release(actor=office, record_id=norm.pk)
    assert e.value.status == 400 and {v.rule_id for v in e.value.violations} >= {"R89.confidentiality_review",
                                                                                 "R67.policy_interpretation"}
    services.record_review(actor=office, record_id=norm.pk, passed=True, note="可以公开")
    with pytest.raises(Refused) as e:
        services.record_release(actor=office, record_id=norm.pk)
    assert [v.rule_id for v in e.value.violations] == ["R67.policy_interpretation"]
    services.record_interpret(actor=office, record_id=norm.pk, interpretation="一、制定背景……二、主要内容……")
    services.record_release(actor=office, record_id=norm.pk)
    norm.refresh_from_db()
    assert norm.status == Record.Status.RELEASED
    body = Client().get(f"/public/{norm.pk}/").content.decode()
    assert "政策解读" in body and "制定背景" in body


@pytest.mark.rules("R33.withholding_basis", "R35.meeting_decisions")
def test_not_disclosing_needs_its_legal_basis(full_demo):
    office = person("bgs-zhuren")
    cold = rec("寒潮")
    with pytest.raises(Refused) as e:
        services.record_classify(actor=office, record_id=cold.pk, category="withheld", reason="涉及第三方")
    assert any(v.field == "basis" and v.article == 33 for v in e.value.violations)
    services.record_classify(actor=office, record_id=cold.pk, category="withheld", basis="art15", reason="涉及第三方")
    cold.refresh_from_db()
    assert cold.status == Record.Status.NOT_PUBLIC and cold.due_on is None
    decision = rec("道路维修")
    with pytest.raises(Refused):  # pending approval: the attribute is fixed
        services.record_classify(actor=office, record_id=decision.pk, category="on_request", reason="x")
    plenary = Record.objects.filter(kind=Record.Kind.DECISION, status=Record.Status.RELEASED).first()
    with pytest.raises(Refused):  # released: fixed
        services.record_classify(actor=office, record_id=plenary.pk, category="on_request", reason="x")


def test_a_confidentiality_review_that_fails_withholds_under_article_14(full_demo):
    office = person("bgs-zhuren")
    cold = rec("寒潮")
    services.record_review(actor=office, record_id=cold.pk, passed=False, note="含工作秘密")
    cold.refresh_from_db()
    assert (cold.status, cold.category, cold.basis) == (Record.Status.NOT_PUBLIC, "withheld", "art14")
    assert Client().get(f"/public/{cold.pk}/").status_code == 404


def test_only_the_office_handles_the_queue_web_api_and_service(full_demo):
    cold = rec("寒潮")
    with pytest.raises(Refused) as e:
        services.record_review(actor=person("sfj"), record_id=cold.pk, passed=True)
    assert e.value.status in (403, 404)
    assert login("sfj").post(f"/disclosure/queue/{cold.pk}/review/", {"passed": "1"}).status_code in (403, 404)
    c = login("sfj")
    r = c.post(f"/api/v1/disclosure/records/{cold.pk}/review", {"passed": True}, content_type="application/json")
    assert r.status_code in (403, 404)
    cold.refresh_from_db()
    assert cold.status == Record.Status.QUEUED


def test_idor_a_unit_sees_its_own_records_only(full_demo):
    norm = rec("行政执法公示办法")  # 司法局
    cold = rec("寒潮")  # 区政府办
    sfj = login("sfj")
    assert sfj.get(f"/api/v1/disclosure/records/{norm.pk}").status_code == 200
    assert sfj.get(f"/api/v1/disclosure/records/{cold.pk}").status_code == 403
    assert sfj.get(f"/disclosure/queue/{cold.pk}/").status_code == 403
    ids = {x["id"] for x in sfj.get("/api/v1/disclosure/records?limit=100").json()["items"]}
    assert norm.pk in ids and cold.pk not in ids
    assert sfj.get("/api/v1/disclosure/records/999999").status_code == 404
    assert sfj.get("/api/v1/disclosure/report?year=2026").status_code == 403
    office = login("bgs-zhuren").get("/api/v1/disclosure/records?queue=true&limit=100").json()
    assert {x["light"] for x in office["items"]} >= {"green", "red"}
    assert Client().get("/api/v1/disclosure/records").status_code == 401


@pytest.mark.rules("disclosure.release", "R37.release_approval")
def test_the_leader_approves_through_the_task_page_and_the_wrong_person_cannot(full_demo):
    from zhengwu.workflow.models import Task

    waiting = rec("道路维修")
    task = Task.objects.get(approval_id=waiting.approval_id, status="open", kind="step")
    wrong = login("sfj")
    r = wrong.post(f"/api/v1/tasks/{task.pk}/complete", {"decision": "同意", "opinion": "同意"},
                   content_type="application/json")
    assert r.status_code in (403, 404)
    leader = Client()
    leader.force_login(task.assignee)
    assert "道路维修" in leader.get(f"/tasks/{task.pk}/").content.decode()
    r = leader.post(f"/api/v1/tasks/{task.pk}/complete", {"decision": "同意", "opinion": "同意发布"},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    waiting.refresh_from_db()
    assert waiting.status == Record.Status.REVIEWED and waiting.approved_on == TODAY
    services.record_release(actor=person("bgs-zhuren"), record_id=waiting.pk)


@pytest.mark.rules("R33.in_time", "W33.queue_reminder")
def test_the_tick_flags_and_escalates_late_items_once(full_demo):
    from zhengwu.disclosure.tick import disclosure_tick
    from zhengwu.workflow.models import Notification

    norm = rec("行政执法公示办法")
    assert norm.due_on < TODAY and selectors.light(norm, TODAY).colour == selectors.RED
    out = disclosure_tick(TODAY)
    assert "1 overdue" in out
    norm.refresh_from_db()
    assert norm.escalated_on == TODAY
    assert Notification.objects.filter(key__startswith=f"disclosure:red:{norm.pk}:").exists()
    assert "0 overdue" in disclosure_tick(TODAY)  # idempotent
    # released late: the warning of R33.in_time (recorded in the audit summary)
    office = person("bgs-zhuren")
    services.record_review(actor=office, record_id=norm.pk, passed=True)
    services.record_interpret(actor=office, record_id=norm.pk, interpretation="解读")
    services.record_release(actor=office, record_id=norm.pk)
    from zhengwu.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="disclosure.record.release", obj_id=str(norm.pk),
                                     summary__contains="逾期").exists()


def _public_texts(client) -> str:
    out = [client.get("/public/").content.decode(), client.get("/public/feed/").content.decode(),
           client.get("/public/?kind=decision").content.decode(), client.get("/public/?kind=document").content.decode()]
    return "\n".join(out)


def _results(page: str) -> str:
    """The result list of a search page (the query itself is echoed in the search box)."""
    return page.split('<ul class="pub-list">', 1)[1].split("</ul>", 1)[0] if '<ul class="pub-list">' in page else ""


def test_the_public_site_shows_only_what_was_released_probing_every_demo_object(full_demo):
    anon = Client()
    site = _public_texts(anon)
    released = set(selectors.released().values_list("pk", flat=True))
    assert len(released) >= 4
    assert Record.objects.filter(pk__in=released, kind=Record.Kind.DECISION).exists()
    for record in Record.objects.all():
        page = anon.get(f"/public/{record.pk}/")
        if record.pk in released:
            assert record.status == Record.Status.RELEASED and record.category == "proactive" and not record.classified
            assert page.status_code == 200 and record.title in page.content.decode()
            assert record.title in site
        else:
            assert page.status_code == 404, record.title
            assert record.title not in site
    # every document and every meeting decision of the demo: on the site only if its record was released
    for doc in Document.objects.all():
        r = Record.objects.filter(kind=Record.Kind.DOCUMENT, source_id=doc.pk, pk__in=released).first()
        hits = _results(anon.get("/public/search/", {"q": doc.title[:40]}).content.decode())
        if r is None:
            assert doc.title not in site and doc.title not in hits, doc.title
        else:
            assert doc.public and not doc.classified and doc.title in hits
        if doc.classified or not doc.public:
            assert r is None
    for item in AgendaItem.objects.select_related("meeting"):
        r = Record.objects.filter(kind=Record.Kind.DECISION, source_id=item.pk, pk__in=released).first()
        if r is None:
            assert f"决定事项：{item.title}" not in site
        else:
            assert item.publish and item.meeting.meeting_type in ("plenary", "standing")


def test_a_classified_or_not_public_document_never_reaches_the_site(full_demo):
    office = person("bgs-zhuren")
    internal = Record.objects.get(title__contains="内部机构职责分工")
    assert internal.category == "on_request" and internal.status == Record.Status.NOT_PUBLIC
    with pytest.raises(Refused):
        services.record_review(actor=office, record_id=internal.pk, passed=True)
    with pytest.raises(Refused) as e:
        services.record_release(actor=office, record_id=internal.pk)
    assert any(v.rule_id == "R89.confidentiality_review" for v in e.value.violations)
    # a document classified after issue: its queued record is refused at release (source read again)
    cold = rec("寒潮")
    services.record_review(actor=office, record_id=cold.pk, passed=True)
    Document.objects.filter(title="关于做好寒潮天气防范应对工作的通知").update(classification="秘密")
    with pytest.raises(Refused) as e:
        services.record_release(actor=office, record_id=cold.pk)
    assert any(v.field == "classified" for v in e.value.violations)


def test_the_public_site_has_no_session_no_cookie_no_office_links_and_is_read_only(full_demo):
    c = login("bgs-zhuren")  # even a logged-in office user gets the anonymous public site
    for url in ("/public/", "/public/search/?q=通知", "/public/feed/", f"/public/{selectors.released().first().pk}/"):
        r = c.get(url)
        assert r.status_code == 200, url
        assert not r.cookies, url
        assert "Set-Cookie" not in str(r.headers)
        body = r.content.decode()
        for office_link in ('href="/disclosure', 'href="/tasks', 'href="/documents', 'href="/logout', "csrfmiddlewaretoken",
                            "区政府办公室主任"):
            assert office_link not in body, (url, office_link)
        assert "Content-Security-Policy" in r.headers and "unsafe-inline" not in r.headers["Content-Security-Policy"]
    assert Client().post("/public/").status_code == 405
    # an administrator, fenced off every business page, reads the public site as anyone does
    admin = login("sysadmin")
    assert admin.get("/disclosure/queue/").status_code == 403
    r = admin.get("/public/")
    assert r.status_code == 200 and not r.cookies and "政府信息公开" in r.content.decode()
    feed = Client().get("/public/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml") and "<feed" in feed.content.decode()
    page = Client().get("/public/").content.decode()
    assert "政府信息公开" in page and "base.html" not in page and 'lang="zh-Hans"' in page


def test_the_annual_report_counts_the_records_and_its_due_dates(full_demo):
    rep = selectors.annual_report(full_demo.pk, 2026, TODAY)
    assert rep.due_on == dt.date(2027, 3, 31) and rep.department_due_on == dt.date(2027, 1, 31)
    assert rep.released >= 4 and rep.released_decisions >= 2 and rep.on_request >= 1
    c = login("bgs-zhuren")
    page = c.get("/disclosure/report/?year=2026")
    assert page.status_code == 200 and "2027-03-31" in page.content.decode()
    x = c.get("/disclosure/report/export/?year=2026")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")
    api = c.get("/api/v1/disclosure/report?year=2026").json()
    assert api["due_on"] == "2027-03-31"
    rows = {row["label"]: row["count"] for row in api["rows"]}  # objects, as the schema says
    assert rows["本年主动公开发布"] >= 1 and all(isinstance(n, int) for n in rows.values())
    assert login("sfj").get("/disclosure/report/").status_code == 403


def test_office_pages_show_the_queue_with_lights_and_a_record_with_its_actions(full_demo):
    c = login("bgs-zhuren")
    page = c.get("/disclosure/queue/").content.decode()
    assert "dc-light l-red" in page and "dc-light l-green" in page
    assert "disclosure:queue" not in page
    norm = rec("行政执法公示办法")
    detail = c.get(f"/disclosure/queue/{norm.pk}/").content.decode()
    assert "/disclosure/queue/%d/review/" % norm.pk in detail
    r = c.post(f"/disclosure/queue/{norm.pk}/release/")
    assert r.status_code == 400 and "第八十九条" in r.content.decode()
