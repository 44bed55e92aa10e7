"""At the meeting: leave asked of the chair before it (art. 64), written views, sign-in; opinions in
speaking order with the 一把手 last on 三重一大 items (art. 29); decisions with their conditions and
publication (art. 35); absent without leave recorded at the close."""


import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Forbidden, Refused
from zhengwu.meetings import selectors, services
from zhengwu.meetings.models import AgendaItem, Attendance, Opinion
from zhengwu.workflow.models import Task

from meetings_support import DAY, MEETING_DAY, approve, at, item, p, schedule, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture
def meeting(gov):
    m = schedule("standing")
    plain = item(m, title="关于2027年城区供热价格调整方案的议题")
    major = item(m, title="关于城北物流园区基础设施建设项目投资的议题", proposer="changwu", matter_type="major_project")
    for it in (plain, major):
        services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    return approve(m)


def items(meeting):
    return list(meeting.items.order_by("order"))


@pytest.mark.rules("R64.leave", "meeting.leave")
def test_leave_is_asked_of_the_chair_before_the_meeting_with_written_views_art_64(meeting):
    att = services.leave_request(actor=p("fuqu3"), meeting_id=meeting.pk, reason="赴省农业农村厅汇报",
                                 views="同意供热价格调整方案", at=at(DAY, 15))
    assert (att.status, att.leave_requested_from, att.written_views) == ("leave_requested", "district_head",
                                                                         "同意供热价格调整方案")
    task = Task.objects.get(approval_id=att.leave_approval_id, status="open")
    assert task.assignee.username == "quzhang"  # the chair
    with pytest.raises(Forbidden):
        services.leave_decide(actor=p("changwu"), attendance_id=att.pk, approve=True, on=DAY)
    att = services.leave_decide(actor=p("quzhang"), attendance_id=att.pk, approve=True, on=DAY)
    assert (att.status, att.leave_decision) == ("on_leave", "同意")
    # after the meeting has begun it is too late: refused citing art. 64
    n = AuditEvent.objects.count()
    with pytest.raises(Refused) as e:
        services.leave_request(actor=p("fuqu4"), meeting_id=meeting.pk, reason="临时有事", at=at(MEETING_DAY, 9, 30))
    assert e.value.field == "leave_requested_before" and e.value.message.endswith("（《工作规则》第六十四条）")
    assert Attendance.objects.get(meeting=meeting, person=p("fuqu4")).status == "expected"
    assert AuditEvent.objects.count() == n


def test_written_views_only_before_the_meeting(meeting):
    services.views_submit(actor=p("fuqu2"), meeting_id=meeting.pk, text="建议分档调整", at=at(DAY, 10))
    with pytest.raises(Refused) as e:
        services.views_submit(actor=p("fuqu2"), meeting_id=meeting.pk, text="补充", at=at(MEETING_DAY, 10))
    assert e.value.field == "at"
    assert Attendance.objects.get(meeting=meeting, person=p("fuqu2")).written_views == "建议分档调整"


@pytest.mark.rules("R29.last_speaker")
def test_on_a_major_item_the_chair_speaks_last_art_29(meeting):
    sign_in(meeting, ["quzhang", "changwu", "fuqu1", "fuqu2"])
    services.meeting_open(actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING_DAY, 9))
    _plain, major = items(meeting)
    record = lambda who, text: services.opinion_record(actor=p("wenshu"), item_id=major.pk,  # noqa: E731
                                                       speaker_id=p(who).pk, text=text)
    record("changwu", "项目前期工作扎实，同意")
    n = AuditEvent.objects.count()
    with pytest.raises(Refused) as e:  # the chair before 王丙 and 赵丁 have spoken
        record("quzhang", "同意")
    assert e.value.field == "speaking_order" and e.value.message.endswith("（《工作规则》第二十九条）")
    assert "末位表态" in e.value.message and AuditEvent.objects.count() == n
    with pytest.raises(Refused) as e:  # deciding before the chair has spoken
        services.item_decide(actor=p("quzhang"), item_id=major.pk, outcome="通过", at=at(MEETING_DAY, 10))
    assert e.value.field == "speaking_order" and e.value.message.endswith("（《工作规则》第二十九条）")
    assert [a.person.username for a in selectors.next_speakers(major)] == ["fuqu1", "fuqu2", "quzhang"]
    record("fuqu1", "同意，注意资金平衡")
    record("fuqu2", "同意")
    record("quzhang", "综合各方意见，同意实施")  # last
    assert [(o.speaker.username, o.order, o.is_chair) for o in selectors.speaking_order(major)] == [
        ("changwu", 1, False), ("fuqu1", 2, False), ("fuqu2", 3, False), ("quzhang", 4, True)]
    decided = services.item_decide(actor=p("quzhang"), item_id=major.pk, outcome="原则通过",
                                   conditions="分期实施，首期不超过8600万元", at=at(MEETING_DAY, 10))
    assert (decided.status, decided.outcome, decided.publish) == ("decided", "原则通过", True)


@pytest.mark.rules("R29.last_speaker")
def test_on_an_ordinary_item_the_chair_may_speak_first(meeting):
    sign_in(meeting, ["quzhang", "changwu", "fuqu1"])
    services.meeting_open(actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING_DAY, 9))
    plain, _major = items(meeting)
    services.opinion_record(actor=p("quzhang"), item_id=plain.pk, speaker_id=p("quzhang").pk, text="先谈几点意见")
    services.opinion_record(actor=p("quzhang"), item_id=plain.pk, speaker_id=p("fuqu1").pk, text="同意")
    assert services.item_decide(actor=p("quzhang"), item_id=plain.pk, outcome="通过",
                                at=at(MEETING_DAY, 9, 30)).outcome == "通过"


def test_an_opinion_after_the_decision_is_refused_and_nothing_is_written(meeting):
    sign_in(meeting, ["quzhang", "changwu", "fuqu1"])
    services.meeting_open(actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING_DAY, 9))
    plain, _major = items(meeting)
    services.opinion_record(actor=p("wenshu"), item_id=plain.pk, speaker_id=p("fuqu1").pk, text="同意")
    services.item_decide(actor=p("quzhang"), item_id=plain.pk, outcome="暂缓", conditions="补充听证后再议",
                         at=at(MEETING_DAY, 9, 40))
    n, ops = AuditEvent.objects.count(), Opinion.objects.count()
    with pytest.raises(Refused) as e:
        services.opinion_record(actor=p("wenshu"), item_id=plain.pk, speaker_id=p("changwu").pk, text="补充一点")
    assert e.value.field == "item_id" and "已作出决定" in e.value.message
    assert (AuditEvent.objects.count(), Opinion.objects.count()) == (n, ops)
    with pytest.raises(Refused) as e:  # nor twice decided
        services.item_decide(actor=p("quzhang"), item_id=plain.pk, outcome="通过", at=at(MEETING_DAY, 9, 45))
    assert e.value.field == "item_id"


def test_bad_deliberation_input_names_the_field(meeting):
    sign_in(meeting, ["quzhang", "changwu", "fuqu1"])
    services.meeting_open(actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING_DAY, 9))
    plain, _major = items(meeting)
    for kwargs, field in (({"speaker_id": 999999}, "speaker_id"), ({"speaker_id": p("fuqu4").pk}, "speaker_id"),
                          ({"text": " "}, "text")):
        with pytest.raises(Refused) as e:
            services.opinion_record(actor=p("wenshu"), item_id=plain.pk, **{"speaker_id": p("fuqu1").pk,
                                                                            "text": "同意", **kwargs})
        assert e.value.field == field
    with pytest.raises(Refused) as e:
        services.item_decide(actor=p("quzhang"), item_id=plain.pk, outcome="同意", at=at(MEETING_DAY, 9, 40))
    assert e.value.field == "outcome"
    with pytest.raises(Forbidden):  # a member is not the chair
        services.item_decide(actor=p("fuqu1"), item_id=plain.pk, outcome="通过", at=at(MEETING_DAY, 9, 40))
    assert Opinion.objects.count() == 0 and AgendaItem.objects.filter(status="decided").count() == 0


@pytest.mark.rules("R64.leave", "W35.meeting_decisions_published")
def test_the_close_records_who_was_absent_without_leave_art_64(meeting):
    services.leave_request(actor=p("fuqu3"), meeting_id=meeting.pk, reason="出差", at=at(DAY, 15))
    att = Attendance.objects.get(meeting=meeting, person=p("fuqu3"))
    services.leave_decide(actor=p("quzhang"), attendance_id=att.pk, approve=True, on=DAY)
    services.leave_request(actor=p("fuqu2"), meeting_id=meeting.pk, reason="调研", at=at(DAY, 15))
    att2 = Attendance.objects.get(meeting=meeting, person=p("fuqu2"))
    services.leave_decide(actor=p("quzhang"), attendance_id=att2.pk, approve=False, on=DAY)
    sign_in(meeting, ["quzhang", "changwu", "fuqu1"])
    services.meeting_open(actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING_DAY, 9))
    with pytest.raises(Refused) as e:  # items still open
        services.meeting_close(actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING_DAY, 11))
    assert e.value.field == "items"
    plain, major = items(meeting)
    services.item_decide(actor=p("quzhang"), item_id=plain.pk, outcome="通过", at=at(MEETING_DAY, 9, 30))
    for who in ("changwu", "fuqu1", "quzhang"):
        services.opinion_record(actor=p("wenshu"), item_id=major.pk, speaker_id=p(who).pk, text="同意")
    services.item_decide(actor=p("quzhang"), item_id=major.pk, outcome="通过", non_disclosure_reason="涉及商业秘密",
                         at=at(MEETING_DAY, 10))
    m = services.meeting_close(actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING_DAY, 11))
    assert m.status == "closed"
    by = {a.person.username: a for a in m.attendances.select_related("person")}
    assert by["fuqu3"].status == "on_leave"
    assert (by["fuqu2"].status, by["fuqu2"].absence_note) == ("absent", "请假未获同意，未出席")
    assert by["fuqu4"].status == "absent"
    assert by["fuqu4"].absence_note.endswith("（《工作规则》第六十四条）") and "未在会前请假" in by["fuqu4"].absence_note
    ev = AuditEvent.objects.get(action="meetings.meeting.close", obj_id=str(m.pk))
    assert sorted(ev.after["absent_without_leave"]) == sorted([p("fuqu2").pk, p("fuqu4").pk]) and ev.article == 64
    # art. 35: decided items of a 常务会议 are published unless confidential
    plain.refresh_from_db()
    major.refresh_from_db()
    assert (plain.publish, major.publish, major.non_disclosure_reason) == (True, False, "涉及商业秘密")
    exported = selectors.decisions_export(m.government)
    assert [(d["ref"], d["outcome"], d["publish"]) for d in exported] == [
        (f"meetings.item:{plain.pk}", "通过", True), (f"meetings.item:{major.pk}", "通过", False)]
    assert exported[0]["decided_on"] == MEETING_DAY.isoformat()
