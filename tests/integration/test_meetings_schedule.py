"""Calling a meeting (art. 13, 57–62, 65, 66): members from the rulebook, 列席 invitees and the
town and street heads of a 全体会议, who chairs, rooms and leaders without double-booking, the
approval by the 区长 with the notices it sends, the quorum at opening (exactly half for both types)."""

import datetime as dt

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Forbidden, Refused
from zhengwu.meetings import facts, selectors, services
from zhengwu.meetings.models import Attendance, Meeting
from zhengwu.workflow.models import Notification, Task

from meetings_support import DAY, LEADERS, MEETING_DAY, approve, at, p, schedule, sign_in, u

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture
def room(gov):
    return services.room_create(actor=p("wenshu"), name="第一会议室", capacity=30)


def usernames(meeting, role):
    return [a.person.username for a in meeting.attendances.filter(role=role).select_related("person").order_by("order")]


def nothing_written(before_meetings: int, before_events: int) -> None:
    assert Meeting.objects.count() == before_meetings
    assert AuditEvent.objects.count() == before_events


@pytest.mark.rules("R57.type", "R13.convener")
def test_a_standing_meeting_takes_its_members_from_the_rulebook_and_is_audited(gov, room):
    m = schedule("standing", room_id=room.pk, invitee_ids=[p("czj").pk])
    assert usernames(m, "member") == LEADERS  # 区长、副区长 (meetings.standing.members)
    assert usernames(m, "attendee") == ["czj"]
    assert (m.chair.username, m.chair_position, m.place, m.status, m.publish) == (
        "quzhang", "district_head", "第一会议室", "planned", True)  # art. 35: standing decisions are published
    ev = AuditEvent.objects.get(action="meetings.meeting.schedule", obj_id=str(m.pk))
    assert ev.after["members"] == [p(n).pk for n in LEADERS]


@pytest.mark.rules("R58.quorum")
def test_a_plenary_meeting_adds_the_heads_of_component_departments_and_the_towns_taking_part(gov):
    """Art. 58: the heads of the 街道 and 乡(镇、场) 参加 (required, not members: not in the quorum);
    other units' heads may be arranged to 列席."""
    m = schedule("plenary", room_id=None)
    assert set(usernames(m, "member")) == set(LEADERS) | {"czj", "sfj", "fgj", "jyj"}  # 组成部门主要负责人
    assert set(usernames(m, "takes_part")) == {"xhjd", "dfx"}  # 各街道、乡(镇、场)主要负责人参加 (art. 58)
    assert "xhjd" not in usernames(m, "attendee")
    assert m.attendances.get(person=p("xhjd")).get_role_display() == "参加"
    ev = AuditEvent.objects.get(action="meetings.meeting.schedule", obj_id=str(m.pk))
    assert set(ev.after["participants"]) == {p("xhjd").pk, p("dfx").pk}
    summary = selectors.attendance_summary(m)  # with the art. 58 quorum over the members only
    assert {a.person.username for a in summary["participants"]} == {"xhjd", "dfx"}
    assert len(summary["members"]) == facts.meeting_facts(m).members == 10  # 参加 is not counted for the quorum
    assert "至少须6人出席" in summary["quorum"][0].message  # 超过半数 of the 10 members, none signed in yet
    standing = schedule("standing", day=MEETING_DAY + dt.timedelta(days=1), invitee_ids=[p("xhjd").pk])
    assert usernames(standing, "attendee") == ["xhjd"] and usernames(standing, "takes_part") == []  # 列席 (art. 60)


@pytest.mark.rules("R57.type")
def test_an_unknown_meeting_type_is_refused_citing_art_57(gov):
    n, e0 = Meeting.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Refused) as e:
        schedule("weekly")
    assert e.value.field == "meeting_type" and e.value.message.endswith("（《工作规则》第五十七条）")
    nothing_written(n, e0)


@pytest.mark.rules("R60.chair", "R13.convener")
def test_the_executive_deputy_chairs_a_standing_meeting_only_by_delegation_art_60(gov):
    # Changed with issue 18 item 6: art. 60 (not 13) is the clause that lets the 区长 delegate the
    # 主持 of a 常务会议, and it delegates only the 主持 -- the 区长 still convenes it (art. 13).
    n, e0 = Meeting.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Refused) as e:
        schedule("standing", chair="changwu")
    assert e.value.field == "delegated" and e.value.message.endswith("（《工作规则》第六十条）")
    assert "主持区政府常务会议须受区长委托" in e.value.message
    nothing_written(n, e0)
    m = schedule("standing", chair="changwu", delegated=True)
    assert (m.chair_position, m.delegated) == ("executive_deputy", True)
    f = facts.meeting_facts(m)
    assert (f.convener, f.chair) == ("district_head", "executive_deputy")  # 召集 and 主持 apart
    with pytest.raises(Refused) as e:
        schedule("standing", chair="fuqu1", delegated=True, day=MEETING_DAY + dt.timedelta(days=1))
    assert e.value.field == "chair" and "不能由副区长主持" in e.value.message
    assert e.value.message.endswith("（《工作规则》第六十条）")


@pytest.mark.rules("R61.chair")
def test_a_deputy_cannot_chair_a_head_office_meeting_art_61(gov):
    with pytest.raises(Refused) as e:
        schedule("head_office", chair="fuqu1", delegated=True)
    assert e.value.field == "chair" and e.value.message.endswith("（《工作规则》第六十一条）")
    m = schedule("head_office", chair="changwu", delegated=True)
    assert facts.meeting_facts(m).convener == "district_head"


@pytest.mark.rules("R58.convener")
def test_a_plenary_meeting_convened_by_a_deputy_is_refused_citing_art_58_not_13(gov):
    n, e0 = Meeting.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Refused) as e:
        schedule("plenary", chair="fuqu1", delegated=True, room_id=None)
    assert e.value.field == "convener" and "不能由副区长召集和主持" in e.value.message
    assert e.value.message.endswith("（《工作规则》第五十八条）") and "第十三条" not in e.value.message
    nothing_written(n, e0)
    with pytest.raises(Refused) as e:
        schedule("plenary", chair="changwu", room_id=None)
    assert e.value.field == "delegated" and e.value.message.endswith("（《工作规则》第五十八条）")
    m = schedule("plenary", chair="changwu", delegated=True, room_id=None)
    f = facts.meeting_facts(m)
    assert (f.convener, f.chair) == ("executive_deputy", "executive_deputy")  # 召集和主持 by delegation


@pytest.mark.rules("R62.chair")
def test_a_topical_meeting_is_chaired_by_the_head_or_a_deputy_art_62(gov):
    m = schedule("topical", chair="fuqu4", member_ids=[p("sfj").pk, p("fgj").pk])
    assert usernames(m, "member") == ["fuqu4", "sfj", "fgj"]  # the chair, then whom he named
    with pytest.raises(Refused) as e:
        schedule("topical", chair="czj", member_ids=[p("sfj").pk], day=MEETING_DAY + dt.timedelta(days=1))
    assert e.value.field == "convener" and e.value.message.endswith("（《工作规则》第六十二条）")


def test_an_unknown_member_is_refused_naming_the_field_and_nothing_is_written(gov):
    n, e0 = Meeting.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Refused) as e:
        schedule("topical", chair="fuqu4", member_ids=[p("sfj").pk, 999999])
    assert e.value.field == "member_ids" and "999999" in e.value.message
    with pytest.raises(Refused) as e:
        schedule("standing", invitee_ids=["abc"])
    assert e.value.field == "invitee_ids"
    with pytest.raises(Refused) as e:  # the rulebook names the members of a 常务会议
        schedule("standing", member_ids=[p("sfj").pk])
    assert e.value.field == "member_ids"
    nothing_written(n, e0)
    assert Attendance.objects.count() == 0


def test_a_double_booked_room_is_refused_naming_the_field_and_nothing_is_written(gov, room):
    first = schedule("standing", room_id=room.pk)
    n, e0 = Meeting.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Refused) as e:
        schedule("", chair="sfj", room_id=room.pk, start=10, end=12, member_ids=[p("sfj").pk],
                 is_department_meeting=True, organizing_unit_id=u("司法局").pk, actor="sfj", title="全区普法工作会议")
    assert e.value.field == "room_id" and first.title in e.value.message
    nothing_written(n, e0)
    small = services.room_create(actor=p("wenshu"), name="小会议室", capacity=4)
    with pytest.raises(Refused) as e:
        schedule("standing", day=MEETING_DAY + dt.timedelta(days=1), room_id=small.pk)
    assert e.value.field == "room_id" and "容纳4人" in e.value.message
    # back to back is no clash
    assert schedule("topical", chair="fuqu4", member_ids=[p("sfj").pk], room_id=room.pk, start=11, end=12).pk


def test_a_leader_who_must_attend_cannot_be_booked_twice(gov, room):
    first = schedule("topical", chair="fuqu1", member_ids=[p("czj").pk], start=9, end=10)
    n, e0 = Meeting.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Refused) as e:  # 王丙 (fuqu1) is a member of the 常务会议 at 9:30
        schedule("standing", start=9, end=11)
    assert e.value.field == "member_ids" and "王丙" in e.value.message and first.title in e.value.message
    with pytest.raises(Refused) as e:  # and cannot chair another meeting at that time
        schedule("topical", chair="fuqu1", member_ids=[p("jyj").pk], start=9, end=10, title="另一专题会议")
    assert e.value.field == "chair_id"
    nothing_written(n, e0)
    # moving the first meeting out of the way lets the 常务会议 in; moving into a clash is refused
    services.meeting_reschedule(actor=p("wenshu"), meeting_id=first.pk, starts_at=at(MEETING_DAY, 14),
                                ends_at=at(MEETING_DAY, 15))
    standing = schedule("standing", start=9, end=11, room_id=room.pk)
    with pytest.raises(Refused) as e:
        services.meeting_reschedule(actor=p("wenshu"), meeting_id=first.pk, starts_at=at(MEETING_DAY, 10),
                                    ends_at=at(MEETING_DAY, 12))
    assert e.value.field == "chair_id" and standing.title in e.value.message


def test_only_the_office_schedules_government_meetings(gov):
    with pytest.raises(Forbidden):
        schedule("standing", actor="czj")


@pytest.mark.rules("R66.department_name", "R66.leaders_attend")
def test_a_department_meeting_in_the_governments_name_is_refused_citing_art_66(gov):
    n, e0 = Meeting.objects.count(), AuditEvent.objects.count()
    kw = dict(chair="sfj", is_department_meeting=True, organizing_unit_id=u("司法局").pk, actor="sfj",
              member_ids=[p("sfj").pk], title="全区法治政府建设推进会")
    with pytest.raises(Refused) as e:
        schedule("", held_in_government_name=True, **kw)
    assert e.value.field == "held_in_government_name" and e.value.message.endswith("（《工作规则》第六十六条）")
    with pytest.raises(Refused) as e:
        schedule("", held_in_office_name=True, **kw)
    assert e.value.field == "held_in_office_name"
    nothing_written(n, e0)
    m = schedule("", **kw)
    assert (m.meeting_type, m.is_department_meeting, m.held_in_government_name, m.warnings) == ("", True, False, [])
    # a 区政府领导 invited to a department's meeting: allowed, with the art. 66 warning
    kw["member_ids"] = [p("sfj").pk, p("fuqu4").pk]
    m2 = schedule("", day=MEETING_DAY + dt.timedelta(days=1), **kw)
    assert [w.rule_id for w in m2.warnings] == ["R66.leaders_attend"]
    assert m2.warnings[0].message.endswith("（《工作规则》第六十六条）")


@pytest.mark.rules("R65.approval", "meeting.approval")
def test_approval_by_the_head_sends_the_notices_with_time_place_agenda_and_materials(gov, room):
    m = schedule("standing", room_id=room.pk, invitee_ids=[p("czj").pk])
    services.item_propose(actor=p("fuqu1"), meeting_id=m.pk, title="关于城区供热价格调整的议题",
                          materials=["供热价格调整方案（送审稿）"], on=DAY)
    m = approve(m)
    assert (m.status, m.approved_on) == ("approved", DAY)
    notes = Notification.objects.filter(title__startswith="会议通知：", link=f"/meetings/{m.pk}/")
    assert sorted(n.person.username for n in notes) == sorted(LEADERS + ["czj"])
    body = notes.first().body
    assert "2026年11月04日 09:00" in body and "第一会议室" in body and "供热价格调整" in body and "送审稿" in body
    assert AuditEvent.objects.filter(action="meetings.meeting.approve", obj_id=str(m.pk), article=65).exists()


@pytest.mark.rules("R65.approval")
def test_a_meeting_not_approved_cannot_open_and_a_refused_one_goes_back_to_planned(gov):
    m = schedule("standing")
    sign_in_refused = pytest.raises(Refused)
    with sign_in_refused:
        sign_in(m, ["quzhang"])
    with pytest.raises(Refused) as e:
        services.meeting_open(actor=p("quzhang"), meeting_id=m.pk, at=at(MEETING_DAY, 9))
    assert e.value.field == "approved" and e.value.message.endswith("（《工作规则》第六十五条）")
    m = approve(m, decision="不同意")
    assert (m.status, m.approval_id) == ("planned", None)
    # special route without a reason: refused citing art. 65
    with pytest.raises(Refused) as e:
        services.meeting_submit(actor=p("wenshu"), meeting_id=m.pk, approval_route="deputy_head", on=DAY)
    assert e.value.field == "special_reason" and e.value.message.endswith("（《工作规则》第六十五条）")
    important = schedule("plenary", important=True, day=MEETING_DAY + dt.timedelta(days=1))
    with pytest.raises(Refused) as e:
        services.meeting_submit(actor=p("wenshu"), meeting_id=important.pk, on=DAY)
    assert e.value.field == "standing_meeting_ref"
    important = services.meeting_submit(actor=p("wenshu"), meeting_id=important.pk,
                                        standing_meeting_ref="区政府第二十二次常务会议", on=DAY)
    # the 常务会议's 讨论确定 is the approval: no 区长's 审定 is asked on top of it (art. 65)
    important.refresh_from_db()
    assert (important.status, important.approval_id, important.approved_on) == ("approved", None, DAY)
    assert not Task.objects.filter(approval__obj_type="meetings.meeting", approval__obj_id=str(important.pk)).exists()
    event = AuditEvent.objects.get(action="meetings.meeting.approve", obj_id=str(important.pk))
    assert event.article == 65 and "经区政府常务会议讨论确定" in event.summary
    assert Notification.objects.filter(title__startswith="会议通知：", link=f"/meetings/{important.pk}/").exists()


@pytest.mark.rules("R60.quorum")
def test_standing_quorum_half_or_more_opens_at_exactly_half(gov):
    m = approve(schedule("standing"))  # 6 members
    sign_in(m, ["quzhang", "changwu"])
    with pytest.raises(Refused) as e:
        services.meeting_open(actor=p("quzhang"), meeting_id=m.pk, at=at(MEETING_DAY, 9))
    assert e.value.field == "present" and "至少须3人出席，现出席2人" in e.value.message
    assert e.value.message.endswith("（《工作规则》第六十条）")
    sign_in(m, ["fuqu1"])  # 3 of 6: exactly half is enough (半数以上)
    m = services.meeting_open(actor=p("quzhang"), meeting_id=m.pk, at=at(MEETING_DAY, 9))
    assert m.status == "open"
    ev = AuditEvent.objects.get(action="meetings.meeting.open", obj_id=str(m.pk))
    assert (ev.after["members"], ev.after["present"], ev.article) == (6, 3, 60)


@pytest.mark.rules("R58.quorum")
def test_plenary_quorum_more_than_half_does_not_open_at_exactly_half(gov):
    m = approve(schedule("plenary"))  # 10 members (the towns attend, not counted)
    sign_in(m, LEADERS[:5] + ["xhjd", "dfx"])  # 5 of 10 members, plus two attending
    with pytest.raises(Refused) as e:
        services.meeting_open(actor=p("quzhang"), meeting_id=m.pk, at=at(MEETING_DAY, 9))
    assert "至少须6人出席，现出席5人" in e.value.message and e.value.message.endswith("（《工作规则》第五十八条）")
    assert Meeting.objects.get(pk=m.pk).status == "approved"
    sign_in(m, ["czj"])  # 6 of 10
    assert services.meeting_open(actor=p("quzhang"), meeting_id=m.pk, at=at(MEETING_DAY, 9)).status == "open"


def test_sign_in_only_on_the_day_and_only_for_those_expected(gov):
    m = approve(schedule("standing"))
    with pytest.raises(Refused) as e:
        services.sign_in(actor=p("quzhang"), meeting_id=m.pk, at=at(MEETING_DAY - dt.timedelta(days=1), 9))
    assert e.value.field == "at"
    with pytest.raises(Forbidden):  # not expected at this meeting (and cannot see it)
        services.sign_in(actor=p("czj"), meeting_id=m.pk, at=at(MEETING_DAY, 9))
    services.sign_in(actor=p("wenshu"), meeting_id=m.pk, person_id=p("fuqu2").pk, at=at(MEETING_DAY, 8, 55))
    assert Attendance.objects.get(meeting=m, person=p("fuqu2")).status == "present"


@pytest.mark.rules("R65.approval", "meeting.approval_special")
def test_in_special_cases_the_deputy_in_charge_approves_before_the_head_art_65(gov):
    m = schedule("topical", chair="fuqu1", member_ids=[p("czj").pk], organizing_unit_id=u("住建局").pk,
                 title="城区防汛抢险专题会议")
    m = services.meeting_submit(actor=p("wenshu"), meeting_id=m.pk, approval_route="deputy_head",
                                special_reason="汛情紧急，须当日召开", on=DAY)
    assert (m.status, m.approval.route_id) == ("pending", "meeting.approval_special")
    from meetings_support import open_task
    from zhengwu.workflow import services as wf

    first = open_task(m.approval_id)
    assert (first.assignee.username, first.step_id) == ("fuqu1", "leader_approve")  # 住建局 is in 王丙's 分工
    wf.task_complete(actor=p("fuqu1"), task_id=first.pk, decision="同意", on=DAY)
    wf.task_complete(actor=p("quzhang"), task_id=open_task(m.approval_id, "quzhang").pk, decision="同意", on=DAY)
    m.refresh_from_db()
    assert m.status == "approved"


def test_a_department_meeting_is_seen_by_its_own_unit(gov):
    from zhengwu.meetings import access

    m = schedule("", chair="czj", is_department_meeting=True, organizing_unit_id=u("财政局").pk, actor="czj",
                 member_ids=[p("czj").pk], title="全区预算编制工作会议")
    assert m in access.visible_meetings(p("czj-fu"))  # the 财政局's 副局长, not invited
    assert m not in access.visible_meetings(p("jyj"))


@pytest.mark.rules("R62.attendance")
def test_a_topical_meeting_the_head_chairs_without_the_deputy_in_charge_is_flagged_when_submitted(gov):
    """Art. 62: 区长主持召开的专题会议，原则上由分管副区长和涉事部门主要负责人参加 -- a warning (原则上),
    recorded with the submission; with the 分管副区长 (赵丁 for 教育局) there is none."""
    def submitted(member_ids, day):
        m = schedule("topical", chair="quzhang", day=day, member_ids=member_ids, title="校舍安全专题会议")
        services.item_propose(actor=p("quzhang"), meeting_id=m.pk, title="研究校舍安全隐患整改", on=DAY,
                              lead_unit_id=u("教育局").pk, has_substantive_content=True, has_clear_proposal=True)
        services.meeting_submit(actor=p("wenshu"), meeting_id=m.pk, on=DAY)
        return AuditEvent.objects.get(action="meetings.meeting.submit", obj_id=str(m.pk)).after["warnings"]

    [warning] = submitted([p("jyj").pk], MEETING_DAY)
    assert "分管区教育局的" in warning and "原则上由分管副区长和涉事部门主要负责人参加" in warning
    assert warning.endswith("（《工作规则》第六十二条）")
    assert submitted([p("jyj").pk, p("fuqu2").pk], MEETING_DAY + dt.timedelta(days=1)) == []
