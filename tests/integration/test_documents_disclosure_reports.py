"""Art. 33: an issued public document's disclosure (channel from the book, date not before its
成文日期). Art. 89: the reports a 组成部门 owes the 区政府, recorded and reported (及时: a warning when
late). Both audited; refusals name the field and the article."""

import datetime as dt

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.documents import issuing, services
from zhengwu.documents.disclosure import document_disclose
from zhengwu.documents.models import Document, UnitReport
from zhengwu.documents.unit_reports import unit_report_record, unit_report_report
from zhengwu.errors import Refused
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


def p(username):
    return Person.objects.get(username=username)


def u(short_name):
    return Unit.objects.get(short_name=short_name)


@pytest.fixture
def gov(org_demo):
    return org_demo


def issued_office_notice():
    doc = services.document_draft(actor=p("wenshu"), unit=u("区政府办"), direction="outgoing", kind="通知",
                                  issuing_as="office", title="关于做好元旦春节期间值班工作的通知",
                                  main_recipients=["区政府各部门"], body="……", facts={"in_annual_plan": True}, on=DAY)
    issuing.document_send_for_signing(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    doc.refresh_from_db()
    while doc.status == "in_approval":
        [t] = list(doc.approval.tasks.filter(status="open", kind="step").select_related("assignee"))
        wf.task_complete(actor=t.assignee, task_id=t.pk, opinion="同意", on=DAY)
        doc.refresh_from_db()
    services.document_number(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    return issuing.document_issue(actor=p("wenshu"), document_id=doc.pk, on=DAY)


@pytest.mark.rules("R33.disclosure_record")
def test_an_issued_public_document_records_its_channel_and_date_once_audited(gov):
    doc = issued_office_notice()
    later = DAY + dt.timedelta(days=1)
    doc = document_disclose(actor=p("wenshu"), document_id=doc.pk, channel="website", disclosed_on=later, on=later)
    assert (doc.disclosure_channel, doc.disclosed_on) == ("website", later)
    event = AuditEvent.objects.filter(action="documents.document.disclose", obj_id=str(doc.pk)).get()
    assert event.after == {"disclosure_channel": "website", "disclosed_on": later.isoformat()}
    assert event.article == 33
    with pytest.raises(Refused) as e:  # recorded once
        document_disclose(actor=p("wenshu"), document_id=doc.pk, channel="gazette", disclosed_on=later, on=later)
    assert e.value.status == 409


@pytest.mark.rules("R33.disclosure_record")
@pytest.mark.parametrize("channel,disclosed_on,field", [
    ("wechat_group", DAY, "channel"),  # not a form art. 33 names
    ("gazette", DAY - dt.timedelta(days=3), "disclosed_on"),  # before the document was signed
    ("news_media", None, "disclosed_on"),
    ("", None, "channel"),
])
def test_a_disclosure_outside_the_book_or_before_issue_is_refused_and_nothing_changes(gov, channel, disclosed_on,
                                                                                        field):
    doc = issued_office_notice()
    with pytest.raises(Refused) as e:
        document_disclose(actor=p("wenshu"), document_id=doc.pk, channel=channel, disclosed_on=disclosed_on, on=DAY)
    assert e.value.field == field
    if e.value.violations:
        assert {v.article for v in e.value.violations} == {33}
    doc.refresh_from_db()
    assert (doc.disclosure_channel, doc.disclosed_on) == ("", None)
    assert not AuditEvent.objects.filter(action="documents.document.disclose").exists()


def test_a_document_not_yet_issued_cannot_be_recorded_as_disclosed(gov):
    doc = services.document_draft(actor=p("wenshu"), unit=u("区政府办"), direction="outgoing", kind="通知",
                                  issuing_as="office", title="关于值班工作的通知", main_recipients=["区政府各部门"],
                                  body="……", facts={"in_annual_plan": True}, on=DAY)
    with pytest.raises(Refused) as e:
        document_disclose(actor=p("wenshu"), document_id=doc.pk, channel="website", disclosed_on=DAY, on=DAY)
    assert e.value.status == 409 and Document.objects.get(pk=doc.pk).disclosed_on is None


@pytest.mark.rules("R89.report_kind", "R89.report_timely")
def test_a_department_reports_a_received_normative_document_in_time_audited(gov):
    report, warnings = unit_report_record(actor=p("jyj"), unit=u("教育局"), kind="higher_normative",
                                          subject="市教育局关于规范校外培训的通知", occurred_on=DAY, on=DAY)
    assert warnings == [] and report.reported_on is None
    report, warnings = unit_report_report(actor=p("jyj"), report_id=report.pk, reported_on=DAY + dt.timedelta(days=2),
                                          on=DAY + dt.timedelta(days=2))
    assert warnings == []
    assert UnitReport.objects.get(pk=report.pk).reported_on == DAY + dt.timedelta(days=2)
    actions = list(AuditEvent.objects.filter(obj_type="documents.unit_report", obj_id=str(report.pk))
                   .order_by("seq").values_list("action", "article"))
    assert actions == [("documents.unit_report.record", 89), ("documents.unit_report.report", 89)]
    with pytest.raises(Refused) as e:  # reported once
        unit_report_report(actor=p("jyj"), report_id=report.pk, reported_on=DAY, on=DAY + dt.timedelta(days=2))
    assert e.value.status == 409


@pytest.mark.rules("R89.report_timely")
def test_a_late_report_is_recorded_with_the_article_89_warning(gov):
    report, _ = unit_report_record(actor=p("jyj"), unit=u("教育局"), kind="major_situation",
                                   subject="某校发生食物中毒事件", occurred_on=DAY, on=DAY)
    late = DAY + dt.timedelta(days=21)
    report, warnings = unit_report_report(actor=p("jyj"), report_id=report.pk, reported_on=late, on=late)
    assert [(v.rule_id, v.article, v.severity) for v in warnings] == [("R89.report_timely", 89, "warn")]
    assert UnitReport.objects.get(pk=report.pk).reported_on == late


@pytest.mark.rules("R89.report_kind")
def test_a_report_of_an_unlisted_kind_or_for_another_unit_is_refused_and_nothing_is_written(gov):
    with pytest.raises(Refused) as e:
        unit_report_record(actor=p("jyj"), unit=u("教育局"), kind="gossip", subject="传闻", occurred_on=DAY, on=DAY)
    assert e.value.field == "kind" and [v.article for v in e.value.violations] == [89]
    with pytest.raises(Refused) as e:
        unit_report_record(actor=p("czj"), unit=u("教育局"), kind="major_decision", subject="x", occurred_on=DAY,
                           on=DAY)
    assert e.value.field == "unit" and e.value.status == 403
    report, _ = unit_report_record(actor=p("jyj"), unit=u("教育局"), kind="major_project", subject="新建学校",
                                   occurred_on=DAY, on=DAY)
    with pytest.raises(Refused) as e:  # only the unit records its report
        unit_report_report(actor=p("czj"), report_id=report.pk, reported_on=DAY, on=DAY)
    assert e.value.status == 403
    with pytest.raises(Refused) as e:  # not before the occurrence
        unit_report_report(actor=p("jyj"), report_id=report.pk, reported_on=DAY - dt.timedelta(days=1), on=DAY)
    assert e.value.field == "reported_on"
    assert UnitReport.objects.count() == 1 and UnitReport.objects.get().reported_on is None


def test_the_document_page_records_the_disclosure_through_its_form(client, gov, monkeypatch):
    from zhengwu import rules

    doc = issued_office_notice()
    monkeypatch.setattr(rules, "today", lambda: DAY)
    client.force_login(p("wenshu"))
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert "公开记录（第三十三条）" in page and 'name="channel"' in page and "新闻发布会" in page
    r = client.post(f"/documents/{doc.pk}/disclose/", {"channel": "website", "disclosed_on": "2026-10-01"})
    assert r.status_code == 400 and "成文日期" in r.content.decode()  # before the document was signed
    r = client.post(f"/documents/{doc.pk}/disclose/", {"channel": "website", "disclosed_on": "2026-11-02"})
    assert r.status_code == 302
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert "已于2026-11-02通过政府网站公开" in page and 'name="channel"' not in page
    assert Document.objects.get(pk=doc.pk).disclosure_channel == "website"
