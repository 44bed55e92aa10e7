"""Minutes (纪要, art. 60–62): drafted by the office, reviewed by the 办公室主任 (专题会议: by its
chair), signed by the 区长; anyone else refused with the citation; the .docx in the 纪要 format.
Documents a meeting decided to issue (art. 63): due in 7 working days on the official calendar."""

import datetime as dt
import io
import zipfile

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Forbidden, Refused
from zhengwu.meetings import minutes_docx, selectors, services
from zhengwu.meetings.models import Minutes

from meetings_support import MEETING_DAY, held, p, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


def drafted(meeting):
    minutes = services.minutes_draft(actor=p("wenshu"), meeting_id=meeting.pk, number="〔2026〕23号",
                                     body="一、关于2027年城区供热价格调整方案\n会议原则同意……由住建局牵头落实。")
    return services.minutes_submit(actor=p("wenshu"), minutes_id=minutes.pk, on=MEETING_DAY)


@pytest.mark.rules("R60.minutes", "minutes.standing")
def test_standing_minutes_are_reviewed_by_the_office_director_and_signed_by_the_head_art_60(gov):
    minutes = drafted(held("standing"))
    assert minutes.status == "in_review"
    n = AuditEvent.objects.count()
    with pytest.raises(Refused) as e:  # a 副区长 cannot review them
        services.minutes_review(actor=p("changwu"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert e.value.field == "reviewed_by" and e.value.message.endswith("（《工作规则》第六十条）")
    with pytest.raises(Refused) as e:  # nor can the 区长 sign before the review
        services.minutes_sign(actor=p("quzhang"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert e.value.field == "reviewed_by" and e.value.message.endswith("（《工作规则》第六十条）")
    assert AuditEvent.objects.count() == n and Minutes.objects.get(pk=minutes.pk).status == "in_review"
    minutes = services.minutes_review(actor=p("bgs-zhuren"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert (minutes.status, minutes.reviewed_position) == ("reviewed", "office_director")
    with pytest.raises(Refused) as e:  # signed by someone without authority
        services.minutes_sign(actor=p("changwu"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert e.value.field == "signed_by" and "不能由常务副区长签发" in e.value.message
    assert e.value.message.endswith("（《工作规则》第六十条）")
    assert Minutes.objects.get(pk=minutes.pk).signed_by_id is None
    minutes = services.minutes_sign(actor=p("quzhang"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert (minutes.status, minutes.signed_by.username, minutes.signed_on) == ("signed", "quzhang", MEETING_DAY)
    assert AuditEvent.objects.filter(action="meetings.minutes.sign", obj_id=str(minutes.pk), article=60).exists()


@pytest.mark.rules("R61.minutes", "minutes.head_office")
def test_head_office_minutes_follow_art_61(gov):
    minutes = drafted(held("head_office"))
    with pytest.raises(Refused) as e:
        services.minutes_review(actor=p("wenshu"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert e.value.message.endswith("（《工作规则》第六十一条）")
    services.minutes_review(actor=p("bgs-zhuren"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert services.minutes_sign(actor=p("quzhang"), minutes_id=minutes.pk, on=MEETING_DAY).status == "signed"


@pytest.mark.rules("R62.minutes", "minutes.topical")
def test_topical_minutes_are_reviewed_by_their_chair_and_signed_by_the_head_art_62(gov):
    m = held("topical", chair="fuqu1", member_ids=[p("czj").pk, p("fgj").pk, p("sfj").pk])
    minutes = drafted(m)
    with pytest.raises(Refused) as e:  # the office director reviews 常务会议 minutes, not these
        services.minutes_review(actor=p("bgs-zhuren"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert e.value.field == "reviewed_by" and e.value.message.endswith("（《工作规则》第六十二条）")
    with pytest.raises(Refused) as e:  # another 副区长: the same post, not the chair
        services.minutes_review(actor=p("fuqu2"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert e.value.field == "reviewed_by" and e.value.message.endswith("（《工作规则》第六十二条）")
    services.minutes_review(actor=p("fuqu1"), minutes_id=minutes.pk, on=MEETING_DAY)
    minutes = services.minutes_sign(actor=p("quzhang"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert (minutes.reviewed_by.username, minutes.signed_by.username) == ("fuqu1", "quzhang")


def test_plenary_and_party_group_minutes_signed_by_their_chair_cite_their_own_article_not_13(gov):
    """No route signs these minutes: the chair does, audited under the meeting's article (58, 59)."""
    from zhengwu.org import services as org_services

    secretary = org_services.position_create(actor=None, government=gov, code="party_secretary",
                                             title="区政府党组书记", rank=90)  # the 区长, as in the demo
    org_services.appointment_create(actor=None, position=secretary, person=p("quzhang"), start=dt.date(2026, 1, 1))
    for meeting_type, article, kw, day in [
            ("plenary", 58, {}, MEETING_DAY),
            ("party_group", 59, {"member_ids": [p(n).pk for n in ("changwu", "fuqu1", "fuqu2", "fuqu3")]},
             MEETING_DAY + dt.timedelta(days=1))]:
        minutes = drafted(held(meeting_type, day=day, **kw))
        minutes = services.minutes_sign(actor=p("quzhang"), minutes_id=minutes.pk, on=day)
        assert minutes.status == "signed", meeting_type
        event = AuditEvent.objects.get(action="meetings.minutes.sign", obj_id=str(minutes.pk))
        assert event.article == article, meeting_type


def test_minutes_are_drafted_by_the_office_after_the_meeting(gov):
    m = schedule("standing")
    with pytest.raises(Refused) as e:
        services.minutes_draft(actor=p("wenshu"), meeting_id=m.pk, body="……")
    assert e.value.field == "meeting_id"
    closed = held("standing", day=MEETING_DAY + dt.timedelta(days=1))
    with pytest.raises(Forbidden):
        services.minutes_draft(actor=p("fuqu1"), meeting_id=closed.pk, body="……")
    with pytest.raises(Refused) as e:
        services.minutes_draft(actor=p("wenshu"), meeting_id=closed.pk, body="  ")
    assert e.value.field == "body" and Minutes.objects.count() == 0


def test_signed_minutes_render_as_docx_in_the_minutes_format(gov):
    minutes = drafted(held("standing"))
    with pytest.raises(Refused):
        minutes_docx.render_minutes_docx(minutes)
    services.minutes_review(actor=p("bgs-zhuren"), minutes_id=minutes.pk, on=MEETING_DAY)
    minutes = services.minutes_sign(actor=p("quzhang"), minutes_id=minutes.pk, on=MEETING_DAY)
    data = minutes_docx.render_minutes_docx(minutes)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "白城市洮北区人民政府常务会议纪要" in xml and 'w:color w:val="FF0000"' in xml
    assert "〔2026〕23号" in xml and "2026年11月4日" in xml and "区政府第二十三次常务会议纪要" in xml
    assert "出席：" in xml and "张甲（区长）" in xml and "请假：" not in xml
    assert "印发" in xml and 'w:w="11906"' in xml  # A4, 版记
    assert minutes_docx.render_minutes_docx(minutes) == data  # same input, same bytes


@pytest.mark.rules("R63.issue_within")
def test_a_decided_document_is_due_seven_working_days_after_the_meeting_on_the_official_calendar(gov):
    m = held("standing", day=dt.date(2026, 9, 24))  # a Thursday before the National Day holiday
    it = m.items.get()
    f = services.followup_create(actor=p("wenshu"), meeting_id=m.pk, item_id=it.pk,
                                 title="关于调整城区供热价格的通知")
    # 9-25 is 中秋节; 9-28, 9-29, 9-30; 10-01..10-07 off; 10-08, 10-09, 10-10 (a worked Saturday), 10-12
    assert (f.decided_on, f.due_on) == (dt.date(2026, 9, 24), dt.date(2026, 10, 12))
    assert selectors.followups(gov, on=dt.date(2026, 10, 12))[0].overdue is False
    late = selectors.followups(gov, on=dt.date(2026, 10, 13))[0]
    assert late.overdue and late.findings[0].message.endswith("（《工作规则》第六十三条）")
    on_time = services.followup_issued(actor=p("wenshu"), followup_id=f.pk, issued_on=dt.date(2026, 10, 9))
    assert on_time.warnings == [] and selectors.decisions_export(gov)[0]["followups"][0]["issued_on"] == "2026-10-09"


@pytest.mark.rules("R63.issue_within")
def test_a_document_issued_late_is_recorded_with_the_art_63_warning(gov):
    m = held("standing", day=dt.date(2026, 9, 24))
    f = services.followup_create(actor=p("wenshu"), meeting_id=m.pk, title="关于调整城区供热价格的通知")
    late = services.followup_issued(actor=p("wenshu"), followup_id=f.pk, issued_on=dt.date(2026, 10, 13))
    assert [w.rule_id for w in late.warnings] == ["R63.issue_within"]
    assert "用了8个工作日" in late.warnings[0].message
    with pytest.raises(Refused) as e:
        services.followup_issued(actor=p("wenshu"), followup_id=f.pk, issued_on=dt.date(2026, 10, 14))
    assert e.value.field == "followup_id"
    with pytest.raises(Refused) as e:
        services.followup_create(actor=p("wenshu"), meeting_id=m.pk, title="x", item_id=999999)
    assert e.value.field == "item_id"


@pytest.mark.rules("minutes.standing")
def test_minutes_sent_back_by_the_reviewer_are_a_draft_again(gov):
    from zhengwu.workflow import services as wf
    from zhengwu.workflow.models import Task

    minutes = drafted(held("standing"))
    task = Task.objects.get(approval_id=minutes.approval_id, status="open")
    wf.task_return(actor=p("bgs-zhuren"), task_id=task.pk, opinion="请补充第二项议题的决定", on=MEETING_DAY)
    minutes.refresh_from_db()
    assert (minutes.status, minutes.approval_id) == ("draft", None)
    services.minutes_update(actor=p("wenshu"), minutes_id=minutes.pk, body="一、……\n二、……（已补充）")
    assert services.minutes_submit(actor=p("wenshu"), minutes_id=minutes.pk, on=MEETING_DAY).status == "in_review"
