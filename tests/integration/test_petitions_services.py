"""信访 cases (art. 43) and public consultations (art. 42) through the services, on the demo
government and the real official calendar: routing late flagged, a case past 60 days flagged and
escalated by the tick (and not the day before), an extension only through its approval (the unit
head, through route petition.extension), a shorter consultation refused citing 42, the wrong person
refused through the web, the API, the task page and the CLI."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.cli import main
from zhengwu.disclosure.petitions import services, tick
from zhengwu.disclosure.petitions.models import Consultation, LeaderRecord, Petition
from zhengwu.errors import Refused
from zhengwu.org.models import Person, Unit
from zhengwu.workcalendar.selectors import work_calendar
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db
S = Petition.Status
START = dt.date(2026, 8, 2)  # + 60 days = 2026-10-01, 国庆节: the period ends on the next working day


@pytest.fixture
def gov(org_demo):
    return org_demo


def p(username):
    return Person.objects.get(username=username)


def u(short):
    return Unit.objects.get(short_name=short)


def new_case(day, **kw):
    data = {"kind": "claim", "channel": "letter", "petitioner": "刘某", "subject": "排水管网堵塞",
            "content": "小区雨天排水不畅，请求疏通。", "received_on": day, "on": day, **kw}
    return services.petition_register(actor=p("bgs-fuzhuren"), **data)


def routed(day, unit="新华街道", basis="locality"):
    c = new_case(day)
    services.petition_route(actor=p("bgs-fuzhuren"), petition_id=c.pk, unit_id=u(unit).pk, basis=basis, on=day)
    return Petition.objects.get(pk=c.pk)


def handling(day, unit="新华街道", who="xhjd"):
    c = routed(day, unit, "locality" if unit in ("新华街道", "东风乡") else "competence")
    return services.petition_accept(actor=p(who), petition_id=c.pk, on=day)


def answer(**kw):
    return {"facts": "经核查属实", "basis": "《城镇排水与污水处理条例》", "conclusion": "30日内疏通",
            "review_right": "可自收到之日起30日内请求复查", **kw}


def refusal(fn, **kw) -> Refused:
    with pytest.raises(Refused) as e:
        fn(**kw)
    return e.value


# ---- clocks on the real calendar ----------------------------------------------------------------

@pytest.mark.rules("R43.handle_in_time", "W43.overdue")
def test_a_case_past_60_days_is_flagged_and_escalated_not_the_day_before(gov):
    cal = work_calendar()
    c = handling(START)
    assert not cal.is_workday(dt.date(2026, 10, 1))
    assert c.due_on == cal.next_workday(dt.date(2026, 10, 1), include_self=True) > dt.date(2026, 10, 1)
    tick.petitions_tick(c.due_on)  # the last day: in time
    c.refresh_from_db()
    assert c.overdue_flagged_on is None
    day = c.due_on + dt.timedelta(days=1)
    tick.petitions_tick(day)
    c.refresh_from_db()
    assert c.overdue_flagged_on == day
    event = AuditEvent.objects.get(action="petitions.petition.overdue", obj_id=str(c.pk))
    assert event.article == 43
    told = set(Notification.objects.filter(key__startswith=f"petitions:overdue:{c.pk}:").values_list("person__username",
                                                                                                    flat=True))
    assert {"xhjd", "fuqu2", "bgs-fuzhuren"} <= told  # the street's head, its 分管 副区长, the office
    tick.petitions_tick(day + dt.timedelta(days=1))  # once
    assert AuditEvent.objects.filter(action="petitions.petition.overdue", obj_id=str(c.pk)).count() == 1


@pytest.mark.rules("R43.handle_in_time")
def test_an_answered_case_is_never_flagged(gov):
    c = handling(START)
    services.petition_answer(actor=p("xhjd"), petition_id=c.pk, on=c.due_on, **answer())
    tick.petitions_tick(c.due_on + dt.timedelta(days=30))
    c.refresh_from_db()
    assert c.status == S.ANSWERED and c.overdue_flagged_on is None


@pytest.mark.rules("R43.route_in_time", "R43.notice_in_time", "W43.routing_late")
def test_routing_after_15_days_is_flagged_and_the_office_reminded(gov):
    day = dt.date(2026, 11, 2)
    late = new_case(day)
    in_time = new_case(day)
    assert late.route_due_on == dt.date(2026, 11, 17)  # a Tuesday: 15 calendar days
    tick.petitions_tick(dt.date(2026, 11, 17))
    assert not Notification.objects.filter(key__startswith=f"petitions:late:转送交办:{late.pk}:").exists()
    tick.petitions_tick(dt.date(2026, 11, 18))
    assert Notification.objects.filter(key__startswith=f"petitions:late:转送交办:{late.pk}:",
                                       person__username="bgs-fuzhuren").exists()
    services.petition_route(actor=p("bgs-fuzhuren"), petition_id=in_time.pk, unit_id=u("东风乡").pk,
                            basis="locality", on=dt.date(2026, 11, 17))
    services.petition_route(actor=p("bgs-fuzhuren"), petition_id=late.pk, unit_id=u("东风乡").pk,
                            basis="locality", on=dt.date(2026, 11, 18))  # still routed: flagged, not refused
    events = {e.obj_id: e.after["late"] for e in AuditEvent.objects.filter(action="petitions.petition.route")}
    assert events[str(in_time.pk)] == [] and events[str(late.pk)] == ["R43.route_in_time"]
    found = rules.check("petitions.routing", services.routing_facts(Petition.objects.get(pk=late.pk),
                                                                   dt.date(2026, 11, 18)), on=dt.date(2026, 11, 18))
    assert [(v.rule_id, v.article, v.severity) for v in found] == [
        ("R43.notice_in_time", 43, "warn"), ("R43.route_in_time", 43, "warn")]


@pytest.mark.rules("R43.locality")
def test_routing_by_locality_goes_to_towns_and_streets(gov):
    c = new_case(dt.date(2026, 11, 2))
    e = refusal(services.petition_route, actor=p("bgs-fuzhuren"), petition_id=c.pk, unit_id=u("教育局").pk,
                basis="locality", on=dt.date(2026, 11, 3))
    assert e.field == "unit_id" and [v.article for v in e.violations] == [43]
    assert Petition.objects.get(pk=c.pk).status == S.REGISTERED  # nothing half-written


@pytest.mark.rules("R43.objection_in_time")
def test_a_unit_objects_within_5_working_days_and_the_office_routes_again(gov):
    day = dt.date(2026, 9, 28)  # a Monday before the National Day holidays
    c = routed(day, "教育局", "competence")
    cal = work_calendar()
    last = cal.add_workdays(day, 5)
    assert last > dt.date(2026, 10, 7)  # working days: the holidays do not count
    e = refusal(services.petition_object, actor=p("jyj"), petition_id=c.pk, reason="不属本局职责",
                on=cal.add_workdays(day, 6))
    assert e.field == "objected_on" and "5个工作日" in e.message + "".join(v.message for v in e.violations)
    services.petition_object(actor=p("jyj"), petition_id=c.pk, reason="不属本局职责", on=last)
    assert Petition.objects.get(pk=c.pk).status == S.OBJECTED
    services.petition_route(actor=p("bgs-fuzhuren"), petition_id=c.pk, unit_id=u("东风乡").pk, basis="locality",
                            on=last)
    c.refresh_from_db()
    assert c.status == S.ROUTED and c.unit.short_name == "东风乡"


# ---- extension through the engine ---------------------------------------------------------------

def _extension_task(c) -> Task:
    return Task.objects.get(approval__obj_type=services.OBJ, approval__obj_id=str(c.pk), status=Task.Status.OPEN)


@pytest.mark.rules("R43.extension", "petition.extension")
def test_an_extension_needs_the_unit_heads_approval_and_only_once(gov, client, capsys):
    day = dt.date(2026, 11, 2)
    c = handling(day, "财政局", "czj-ke")
    due = c.due_on
    services.extension_request(actor=p("czj-ke"), petition_id=c.pk, days=30, reason="涉及两级资金清算", on=day)
    c.refresh_from_db()
    assert c.extension_status == "pending" and c.due_on == due  # nothing moves before the approval
    task = _extension_task(c)
    assert task.assignee.username == "czj"
    # the wrong person at every door: the task page, the API, the CLI
    client.force_login(p("czj-fu"))
    assert client.post(f"/tasks/{task.pk}/", {"op": "complete", "decision": "同意", "opinion": "同意"}).status_code \
        in (403, 404)
    _t, key = api_token_create(actor=None, person=p("czj-fu"), name="测试")
    r = client.post(f"/api/v1/tasks/{task.pk}/complete", {"decision": "同意", "opinion": "同意"},
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code in (403, 404), r.content.decode()
    assert main(["task", "complete", str(task.pk), "--as", "czj-fu", "--opinion", "同意"]) != 0
    capsys.readouterr()
    c.refresh_from_db()
    assert c.extension_status == "pending" and c.due_on == due
    # the head approves through the API
    _t, key = api_token_create(actor=None, person=p("czj"), name="测试")
    r = client.post(f"/api/v1/tasks/{task.pk}/complete", {"decision": "同意", "opinion": "同意延期"},
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 200, r.content.decode()
    c.refresh_from_db()
    assert c.extension_status == "approved" and c.due_on == due + dt.timedelta(days=30)
    e = refusal(services.extension_request, actor=p("czj-ke"), petition_id=c.pk, days=10, reason="再延", on=day)
    assert [v.rule_id for v in e.violations] == ["R43.extension"] and e.violations[0].article == 43


@pytest.mark.rules("R43.extension")
def test_more_than_30_days_or_no_reason_is_refused(gov):
    c = handling(dt.date(2026, 11, 2), "财政局", "czj-ke")
    e = refusal(services.extension_request, actor=p("czj-ke"), petition_id=c.pk, days=31, reason="", on=c.accepted_on)
    assert {v.field for v in e.violations} == {"days", "reason"} and {v.article for v in e.violations} == {43}
    assert Petition.objects.get(pk=c.pk).extension_status == ""


# ---- 办结, 复查, 复核 ----------------------------------------------------------------------------------

@pytest.mark.rules("R43.opinion_content", "R43.review_in_time", "W43.review_late")
def test_the_written_answer_needs_every_part_then_review_and_recheck_in_30_days(gov):
    c = handling(dt.date(2026, 9, 1))
    e = refusal(services.petition_answer, actor=p("xhjd"), petition_id=c.pk, on=dt.date(2026, 10, 1),
                **answer(review_right=""))
    assert e.violations[0].field == "review_right" and e.violations[0].article == 43
    services.petition_answer(actor=p("xhjd"), petition_id=c.pk, on=dt.date(2026, 10, 1), **answer())
    office = p("bgs-fuzhuren")
    e = refusal(services.review_request, actor=office, petition_id=c.pk, level="review", reason="不服",
                asked_on=dt.date(2026, 11, 1), on=dt.date(2026, 11, 1))  # day 31
    assert e.violations[0].rule_id == "R43.review_in_time"
    review = services.review_request(actor=office, petition_id=c.pk, level="review", reason="不服",
                                     asked_on=dt.date(2026, 10, 31), on=dt.date(2026, 10, 31))
    assert review.due_on == work_calendar().next_workday(dt.date(2026, 11, 30), include_self=True)
    tick.petitions_tick(review.due_on)
    assert not Notification.objects.filter(key__startswith=f"petitions:review-late:{review.pk}:").exists()
    tick.petitions_tick(review.due_on + dt.timedelta(days=1))  # not answered in 30 days: the office reminded
    assert Notification.objects.filter(key__startswith=f"petitions:review-late:{review.pk}:",
                                       person__username="bgs-fuzhuren").exists()
    services.review_decide(actor=office, petition_id=c.pk, opinion="维持原处理意见", on=dt.date(2026, 12, 2))
    services.review_request(actor=office, petition_id=c.pk, level="recheck", reason="仍不服",
                            asked_on=dt.date(2026, 12, 2), on=dt.date(2026, 12, 2))
    services.review_decide(actor=office, petition_id=c.pk, opinion="复核维持", on=dt.date(2026, 12, 10))
    assert Petition.objects.get(pk=c.pk).status == S.FINAL


def test_only_the_unit_acts_on_its_case_and_only_the_office_routes(gov):
    c = handling(dt.date(2026, 11, 2))
    assert refusal(services.petition_answer, actor=p("jyj"), petition_id=c.pk, **answer()).status == 404
    assert refusal(services.petition_answer, actor=p("fuqu2"), petition_id=c.pk, **answer()).status == 403
    assert refusal(services.petition_register, actor=p("xhjd"), kind="claim", channel="letter", petitioner="x",
                   subject="x", content="x").status == 403


# ---- hard cases and leaders ----------------------------------------------------------------------

def test_a_hard_case_goes_onto_the_supervision_ledger_by_the_center(gov):
    from zhengwu.supervision.models import SupervisionItem

    c = handling(dt.date(2026, 11, 2))
    assert refusal(services.hard_case_to_ledger, actor=p("dcz"), petition_id=c.pk).status == 404  # not marked: unseen
    services.hard_case_mark(actor=p("bgs-fuzhuren"), petition_id=c.pk, reason="涉及百余户群众")
    item = services.hard_case_to_ledger(actor=p("dcz"), petition_id=c.pk)
    assert isinstance(item, SupervisionItem) and item.source == "petition" and item.lead().unit.short_name == "新华街道"
    assert refusal(services.hard_case_to_ledger, actor=p("dcz"), petition_id=c.pk).status == 409


def test_leaders_records_one_leader_per_case(gov):
    c = handling(dt.date(2026, 11, 2))
    office = p("bgs-fuzhuren")
    services.leader_record(actor=office, leader_id=p("quzhang").pk, kind="case", petition_id=c.pk)
    assert refusal(services.leader_record, actor=office, leader_id=p("fuqu2").pk, kind="case",
                   petition_id=c.pk).status == 409
    assert refusal(services.leader_record, actor=office, leader_id=p("xhjd").pk, kind="reception",
                   place="x").field == "leader_id"
    services.leader_record(actor=office, leader_id=p("fuqu2").pk, kind="reception", place="接待室",
                           on_day=dt.date(2026, 12, 10))
    assert LeaderRecord.objects.filter(leader=p("fuqu2")).count() == 1


# ---- consultations (art. 42) ---------------------------------------------------------------------

@pytest.mark.rules("R42.comment_window", "R42.results")
def test_a_major_decision_is_open_30_days_and_results_wait_for_the_close(gov):
    office, day = p("bgs-fuzhuren"), dt.date(2026, 11, 2)
    kw = {"actor": office, "title": "停车设施规划", "text": "征求意见稿", "unit_id": u("住建局").pk, "on": day}
    e = refusal(services.consultation_open, opens_on=day, closes_on=day + dt.timedelta(days=28), **kw)
    assert [(v.rule_id, v.article) for v in e.violations] == [("R42.comment_window", 42)]
    assert "30日" in e.violations[0].message and not Consultation.objects.filter(title="停车设施规划").exists()
    c = services.consultation_open(opens_on=day, closes_on=day + dt.timedelta(days=29), **kw)  # 30 days
    services.comment_record(actor=office, consultation_id=c.pk, author="市民", text="增设泊位", on=day)
    e = refusal(services.consultation_publish, actor=office, consultation_id=c.pk, summary="1条", adoption="采纳",
                on=c.closes_on)
    assert e.violations[0].rule_id == "R42.results" and e.violations[0].article == 42
    services.consultation_publish(actor=office, consultation_id=c.pk, summary="1条", adoption="采纳",
                                  on=c.closes_on + dt.timedelta(days=1))
    assert Consultation.objects.get(pk=c.pk).status == Consultation.Status.PUBLISHED
    assert refusal(services.consultation_open, opens_on=day, closes_on=day + dt.timedelta(days=40),
                   **{**kw, "actor": p("zjj") if Person.objects.filter(username="zjj").exists() else p("jyj")}).status == 403
