"""Requests for information (依申请公开, 政府信息公开条例 arts. 29-45, art. 33) and the 舆情 register
(art. 36) through their services, on the demo government and the real 2026 calendar: the clock
pauses during a consultation, the extension needs the director's agreement (both ways), a second
correction or extension is refused, overdue requests and late 舆情 are flagged by tick."""

import datetime as dt

import pytest
from django.utils import timezone

from zhengwu.audit.models import AuditEvent
from zhengwu.disclosure.requests import access, services
from zhengwu.disclosure.requests.models import InfoRequest, OpinionEvent, RequestNotice
from zhengwu.disclosure.requests.tick import requests_tick
from zhengwu.errors import Forbidden, Refused
from zhengwu.org.models import Person, Unit
from zhengwu.workcalendar.selectors import work_calendar
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db

S = InfoRequest.Status
MONDAY = dt.date(2026, 9, 14)  # before the 2026 国庆/中秋 holiday (10-01 … 10-07; 09-20 and 10-10 worked)


@pytest.fixture
def gov(org_demo):
    return org_demo


def p(username):
    return Person.objects.get(username=username)


def unit(short):
    return Unit.objects.get(short_name=short)


def cal():
    return work_calendar()


def new_request(on=MONDAY, **kw):
    kw.setdefault("applicant", "刘某")
    kw.setdefault("applicant_contact", "13900000000")
    kw.setdefault("channel", "in_person")
    kw.setdefault("content", "2025年东风乡道路硬化工程的招标文件")
    kw.setdefault("unit_id", unit("财政局").pk)
    return services.request_register(actor=p("wenshu"), on=on, **kw)


def violations(exc, rule_id):
    return [v for v in exc.value.violations if v.rule_id == rule_id]


@pytest.mark.rules("R33.receipt_date")
def test_the_day_received_follows_the_channel_art_31(gov):
    item = new_request()
    assert item.received_on == MONDAY and item.due_on == cal().add_workdays(MONDAY, 20)
    assert item.due_on == dt.date(2026, 10, 16)  # the 国庆 holiday not counted
    with pytest.raises(Refused) as e:  # in person: the day submitted is the day received
        new_request(submitted_on=MONDAY, received_on=MONDAY + dt.timedelta(days=1), on=MONDAY + dt.timedelta(days=1))
    [v] = violations(e, "R33.receipt_date")
    assert v.article == 33 and v.field == "received_on" and "第三十一条" in v.message
    assert v.message.endswith("（《工作规则》第三十三条）")
    # by post: the day signed for, after it was sent
    posted = new_request(channel="post", submitted_on=MONDAY - dt.timedelta(days=3), received_on=MONDAY)
    assert posted.clock_start == MONDAY
    with pytest.raises(Refused) as e:
        new_request(channel="online", submitted_on=MONDAY, received_on=MONDAY - dt.timedelta(days=1))
    assert violations(e, "R33.receipt_date")
    with pytest.raises(Forbidden):
        services.request_register(actor=p("czj"), applicant="刘某", channel="in_person", content="x", on=MONDAY)
    assert AuditEvent.objects.filter(action="info_requests.request.register").count() == 2


@pytest.mark.rules("R33.one_correction", "R33.correction_window")
def test_one_correction_within_7_working_days_restarts_the_clock_and_a_second_is_refused(gov):
    item = new_request()
    late = cal().add_workdays(MONDAY, 8)
    with pytest.raises(Refused) as e:
        services.correction_notice(actor=p("wenshu"), request_id=item.pk, text="请说明工程名称", on=late)
    assert violations(e, "R33.correction_window")[0].article == 33
    day = cal().add_workdays(MONDAY, 3)
    services.correction_notice(actor=p("wenshu"), request_id=item.pk, text="请说明工程名称和年度", on=day)
    item.refresh_from_db()
    assert item.status == S.CORRECTING and item.due_on is None
    assert RequestNotice.objects.filter(request=item, kind="correction").count() == 1
    arrived = cal().add_workdays(day, 4)
    services.correction_received(actor=p("wenshu"), request_id=item.pk, corrected_on=arrived, on=arrived)
    item.refresh_from_db()
    assert item.status == S.RECEIVED and item.clock_start == arrived
    assert item.due_on == cal().add_workdays(arrived, 20)
    with pytest.raises(Refused) as e:
        services.correction_notice(actor=p("wenshu"), request_id=item.pk, text="再请补正", on=arrived)
    [v] = violations(e, "R33.one_correction")
    assert "一次性" in v.message and v.message.endswith("（《工作规则》第三十三条）")
    assert InfoRequest.objects.get(pk=item.pk).corrections == 1


@pytest.mark.rules("info_request.extension", "R33.one_extension")
def test_the_clock_pauses_during_consultation_and_the_extension_needs_the_directors_agreement(gov):
    item = new_request()
    sent = cal().add_workdays(MONDAY, 5)
    services.consultation_start(actor=p("wenshu"), request_id=item.pk, party="某建设工程有限公司",
                                text="拟公开的招标文件涉及贵公司商业信息，请于15个工作日内提出意见", on=sent)
    item.refresh_from_db()
    assert item.status == S.CONSULTING and item.due_on is None
    with pytest.raises(Refused):  # no answer while consulting
        services.request_answer(actor=p("wenshu"), request_id=item.pk, answer_type="disclosed", text="提供", on=sent)
    back = cal().add_workdays(sent, 6)
    with pytest.raises(Refused) as e:  # the third party's time runs to its due day: an opinion is needed
        services.consultation_end(actor=p("wenshu"), request_id=item.pk, opinion="", on=back)
    assert e.value.field == "opinion"
    services.consultation_end(actor=p("wenshu"), request_id=item.pk, opinion="同意公开", ended_on=back, on=back)
    item.refresh_from_db()
    # the six working days of the consultation are not counted
    assert item.status == S.RECEIVED and item.due_on == cal().add_workdays(cal().add_workdays(MONDAY, 20), 6)
    base_due = item.due_on
    # the extension: not without the director's agreement
    services.extension_request(actor=p("wenshu"), request_id=item.pk, reason="涉及多个单位，需汇总核实", on=back)
    item.refresh_from_db()
    assert item.due_on == base_due and not item.extended
    with pytest.raises(Refused) as e:  # one at a time
        services.extension_request(actor=p("wenshu"), request_id=item.pk, reason="再次", on=back)
    assert violations(e, "R33.one_extension")
    task = Task.objects.get(approval__obj_type=services.OBJ, approval__obj_id=str(item.pk), status="open")
    assert task.assignee.username == "bgs-zhuren"  # the 政府信息公开工作机构负责人
    with pytest.raises(Exception):  # the wrong person cannot agree
        wf.task_complete(actor=p("wenshu"), task_id=task.pk, decision="同意", on=back)
    wf.task_complete(actor=p("bgs-zhuren"), task_id=task.pk, decision="同意", opinion="同意延长", on=back)
    item.refresh_from_db()
    assert item.extended and item.due_on == cal().add_workdays(base_due, 20)
    notice = RequestNotice.objects.get(request=item, kind="extension")
    assert notice.to == "刘某" and "20个工作日" in notice.text
    with pytest.raises(Refused) as e:  # a second extension is refused
        services.extension_request(actor=p("wenshu"), request_id=item.pk, reason="仍需时间", on=back)
    [v] = [v for v in violations(e, "R33.one_extension") if v.field == "request_id"]
    assert "只" not in v.message and "已延长过一次" in v.message and v.article == 33


@pytest.mark.rules("info_request.extension")
def test_the_director_refusing_leaves_the_clock_and_a_late_request_is_refused(gov):
    item = new_request()
    services.extension_request(actor=p("wenshu"), request_id=item.pk, reason="需协调", on=MONDAY)
    task = Task.objects.get(approval__obj_type=services.OBJ, approval__obj_id=str(item.pk), status="open")
    wf.task_complete(actor=p("bgs-zhuren"), task_id=task.pk, decision="不同意", opinion="可按期答复", on=MONDAY)
    item.refresh_from_db()
    assert not item.extended and item.due_on == cal().add_workdays(MONDAY, 20)
    assert not RequestNotice.objects.filter(request=item, kind="extension").exists()
    with pytest.raises(Refused) as e:  # past the due day no extension can be asked
        services.extension_request(actor=p("wenshu"), request_id=item.pk, reason="需协调",
                                   on=item.due_on + dt.timedelta(days=1))
    assert any("届满" in v.message for v in violations(e, "R33.one_extension"))


@pytest.mark.rules("R33.answer_type", "R33.partial_release")
def test_answers_are_one_of_seven_and_a_part_release_names_its_basis_arts_36_37(gov):
    item = new_request()
    with pytest.raises(Refused) as e:
        services.request_answer(actor=p("wenshu"), request_id=item.pk, answer_type="maybe", text="x", on=MONDAY)
    assert violations(e, "R33.answer_type")
    with pytest.raises(Refused) as e:
        services.request_answer(actor=p("wenshu"), request_id=item.pk, answer_type="refused", text="不予公开",
                                on=MONDAY)
    assert violations(e, "R33.answer_type")[0].field == "basis"
    with pytest.raises(Refused) as e:
        services.request_answer(actor=p("wenshu"), request_id=item.pk, answer_type="disclosed", text="提供招标文件",
                                partial=True, on=MONDAY)
    assert violations(e, "R33.partial_release")[0].field == "withheld_reason"
    with pytest.raises(Forbidden):  # the unit it concerns sees it but does not answer
        services.request_answer(actor=p("czj"), request_id=item.pk, answer_type="disclosed", text="提供", on=MONDAY)
    services.request_answer(actor=p("wenshu"), request_id=item.pk, answer_type="disclosed", text="提供招标文件（隐去报价）",
                            partial=True, basis="art15", withheld_reason="投标报价属商业秘密", on=MONDAY)
    item.refresh_from_db()
    assert (item.status, item.partial, item.basis, item.answered_on) == (S.ANSWERED, True, "art15", MONDAY)
    with pytest.raises(Refused) as e:
        services.request_answer(actor=p("wenshu"), request_id=item.pk, answer_type="disclosed", text="再答", on=MONDAY)
    assert e.value.status == 409


def test_who_sees_a_request(gov):
    item = new_request()
    assert access.request_visible(p("czj"), item.pk).pk == item.pk  # the unit it concerns
    assert not access.sees_applicant_contact(p("czj"))
    for who in ("jyj", "quzhang", "fuqu1"):
        with pytest.raises(Forbidden):
            access.request_visible(p(who), item.pk)
    assert set(access.visible_requests(p("bgs-fuzhuren")).values_list("pk", flat=True)) >= {item.pk}


@pytest.mark.rules("R33.answer_deadline", "W33.request_overdue")
def test_an_overdue_request_is_escalated_once_by_tick(gov):
    item = new_request()
    due = item.due_on
    assert requests_tick(due).escalations == 0
    late = cal().add_workdays(due, 1)
    assert requests_tick(late).escalations == 1
    assert requests_tick(late).escalations == 0
    item.refresh_from_db()
    assert item.escalated_on == late
    assert services.light(item, late) == "red"
    notes = Notification.objects.filter(key__startswith=f"info-request-overdue:{item.pk}:")
    assert {n.person.username for n in notes} == {"bgs-zhuren", "czj"}
    assert "第三十三条" in notes.first().body
    services.request_answer(actor=p("wenshu"), request_id=item.pk, answer_type="not_exist", text="经检索，该信息不存在",
                            on=late)
    item.refresh_from_db()
    assert services.light(item, late) == "late"
    ev = AuditEvent.objects.filter(action="info_requests.request.answer", obj_id=str(item.pk)).get()
    assert "逾期" in ev.summary


# ---- 舆情 (art. 36) ---------------------------------------------------------------------------

def new_event(found_at, level="general", **kw):
    kw.setdefault("title", "网传东风乡道路施工扰民")
    kw.setdefault("summary", "微博有网民反映夜间施工噪音")
    kw.setdefault("source", "online")
    return services.opinion_register(actor=p("wenshu"), level=level, found_at=found_at,
                                     lead_unit_id=unit("东风乡").pk, owner_id=p("dfx").pk, **kw)


@pytest.mark.rules("R36.lead_unit")
def test_an_event_needs_its_lead_unit_and_response_owner_art_36(gov):
    now = timezone.now()
    with pytest.raises(Refused) as e:
        services.opinion_register(actor=p("wenshu"), title="x", summary="y", source="online", level="general",
                                  lead_unit_id=None, owner_id=None, found_at=now)
    assert {v.field for v in violations(e, "R36.lead_unit")} == {"lead_unit_id", "owner_id"}
    assert violations(e, "R36.lead_unit")[0].message.endswith("（《工作规则》第三十六条）")
    event = new_event(now - dt.timedelta(hours=1))
    assert event.status == OpinionEvent.Status.OPEN
    with pytest.raises(Forbidden):
        services.opinion_register(actor=p("dfx"), title="x", summary="y", source="online", level="general",
                                  lead_unit_id=unit("东风乡").pk, owner_id=p("dfx").pk)


@pytest.mark.rules("R36.response_clock", "W36.response_late")
def test_a_late_response_is_flagged_and_an_on_time_one_is_not(gov):
    now = timezone.now()
    late = new_event(now - dt.timedelta(hours=60))
    on_time = new_event(now - dt.timedelta(hours=10), title="学校食堂价格上涨传言")
    major = new_event(now - dt.timedelta(hours=6), level="major", title="某小区燃气泄漏")
    r = services.opinion_respond(actor=p("dfx"), event_id=late.pk, kind="response", channel="政府网站",
                                 text="已责令夜间停工", responded_at=now - dt.timedelta(hours=5))
    assert r.late
    ok = services.opinion_respond(actor=p("dfx"), event_id=on_time.pk, kind="response", channel="政府网站",
                                  text="价格未上涨，系误传", responded_at=now - dt.timedelta(hours=2))
    assert not ok.late and OpinionEvent.objects.get(pk=on_time.pk).status == OpinionEvent.Status.RESPONDED
    with pytest.raises(Refused) as e:  # a major event owes 权威信息 and a press conference, not a plain response
        services.opinion_respond(actor=p("dfx"), event_id=major.pk, kind="response", channel="x", text="y")
    assert e.value.field == "kind"
    with pytest.raises(Forbidden):
        services.opinion_respond(actor=p("jyj"), event_id=late.pk, kind="response", channel="x", text="y")
    assert requests_tick().opinions == 2  # the late response, and the major one with no 权威信息 after 5 hours
    assert requests_tick().opinions == 0
    assert OpinionEvent.objects.get(pk=late.pk).late_flagged_at is not None
    assert OpinionEvent.objects.get(pk=on_time.pk).late_flagged_at is None
    [v] = services.opinion_findings(OpinionEvent.objects.get(pk=late.pk))
    assert v.article == 36 and "48小时" in v.message
    note = Notification.objects.filter(key=f"opinion-late:{major.pk}:{p('dfx').pk}").get()
    assert "5小时" in note.body and "第三十六条" in note.body
    assert AuditEvent.objects.filter(action="info_requests.opinion.flag_late").count() == 2


@pytest.mark.rules("W33.consultation_due")
def test_a_third_party_silent_past_its_15_working_days_is_put_back_to_the_office(gov):
    item = new_request()
    c = services.consultation_start(actor=p("wenshu"), request_id=item.pk, party="某公司", text="请提出意见", on=MONDAY)
    assert c.due_on == cal().add_workdays(MONDAY, 15)
    assert requests_tick(c.due_on).consultations == 0
    after = cal().add_workdays(c.due_on, 1)
    assert requests_tick(after).consultations == 1 and requests_tick(after).consultations == 0
    assert Notification.objects.filter(key=f"info-request-consult:{c.pk}", person__username="wenshu").exists()
    # no opinion by the due day: the office decides and the clock runs again, the consultation not counted
    services.consultation_end(actor=p("wenshu"), request_id=item.pk, opinion="", ended_on=after, on=after)
    item.refresh_from_db()
    assert item.due_on == cal().add_workdays(cal().add_workdays(MONDAY, 20), cal().count_workdays(MONDAY, after))


@pytest.mark.rules("R33.correction_lapsed")
def test_no_correction_by_the_notices_period_is_taken_as_given_up_once_by_tick_art_30(gov):
    item = new_request()
    day = cal().add_workdays(MONDAY, 2)
    services.correction_notice(actor=p("wenshu"), request_id=item.pk, text="请说明工程名称和年度", on=day)
    item.refresh_from_db()
    reply_by = cal().add_workdays(day, 15)  # info_requests.correction_reply_days, the office's setting
    assert item.correction_due_on == reply_by
    notice = RequestNotice.objects.get(request=item, kind="correction")
    assert reply_by.isoformat() in notice.text and "视为放弃申请" in notice.text
    # on the last day of the period: still waiting
    assert requests_tick(reply_by).abandoned == 0
    item.refresh_from_db()
    assert item.status == S.CORRECTING
    # the next day: closed once, audited under art. 33 (条例 第三十条), the office told
    after = reply_by + dt.timedelta(days=1)
    assert requests_tick(after).abandoned == 1
    assert requests_tick(after).abandoned == 0
    item.refresh_from_db()
    assert item.status == S.ABANDONED and item.abandoned_on == after and item.due_on is None
    assert services.light(item, after) == "abandoned"
    ev = AuditEvent.objects.get(action="info_requests.request.abandon", obj_id=str(item.pk))
    assert ev.article == 33 and "视为放弃" in ev.summary and ev.actor_id is None
    assert Notification.objects.filter(key=f"info-request-abandoned:{item.pk}").count() == 1
    # a given-up request takes no correction and no answer
    with pytest.raises(Refused):
        services.correction_received(actor=p("wenshu"), request_id=item.pk, corrected_on=after, on=after)
    with pytest.raises(Refused):
        services.request_answer(actor=p("wenshu"), request_id=item.pk, answer_type="not_exist", text="x", on=after)
    # the other way: a correction in time keeps the request, and tick never closes it
    kept = new_request()
    services.correction_notice(actor=p("wenshu"), request_id=kept.pk, text="请说明年度", on=day)
    services.correction_received(actor=p("wenshu"), request_id=kept.pk, corrected_on=reply_by, on=reply_by)
    assert requests_tick(after + dt.timedelta(days=30)).abandoned == 0
    kept.refresh_from_db()
    assert kept.status == S.RECEIVED and kept.abandoned_on is None


def test_the_applicant_kind_is_one_of_the_books(gov):
    item = new_request(applicant_kind="business")
    assert item.applicant_kind == "business"
    with pytest.raises(Refused) as e:
        new_request(applicant_kind="alien")
    assert e.value.field == "applicant_kind"
