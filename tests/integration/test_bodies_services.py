"""Coordination bodies (arts. 71-74), emergency reports (75) and submissions to the 区委, 人大 and
政协 (6, 38, 76-78), through the services: each refusal both ways, citing its article."""

import datetime as dt

import pytest
from django.utils import timezone

from zhengwu import rules
from zhengwu.affairs.bodies import selectors, services
from zhengwu.affairs.bodies.models import Change, CoordinationBody, EmergencyReport, Submission
from zhengwu.affairs.bodies.tick import bodies_tick
from zhengwu.errors import Forbidden, Refused
from zhengwu.org import services as org_services
from zhengwu.org.models import Person, Position, Unit
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 16)  # a Monday, a working day
B = CoordinationBody.Status


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def gov(org_demo):
    return org_demo


def who(username):
    return Person.objects.get(username=username)


def unit(short):
    return Unit.objects.get(short_name=short)


def at(hour, minute=0, day=DAY):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


BASIS = {"basis_kind": "regulation", "basis_document": "《教育督导条例》（国务院令第624号）第五条"}


def propose(**kw):
    args = {"actor": who("jyj"), "name": "区教育督导委员会", "purpose": "统筹协调全区教育督导工作",
            "head_id": who("fuqu2").pk, **BASIS, "on": DAY}
    args.update(kw)
    return services.body_propose(**args)


def register(name="区防汛抗旱指挥部", head="fuqu3", office_unit="农业农村局", established=dt.date(2022, 5, 10), **kw):
    return services.body_register(actor=who("bgs-fuzhuren"), name=name, purpose="组织、协调、指导全区防汛抗旱工作",
                                  basis_kind="law", basis_document="《中华人民共和国防洪法》第三十九条",
                                  established_on=established, establish_document="白洮政办发〔2022〕11号",
                                  office_unit_id=unit(office_unit).pk, head_id=who(head).pk if head else None,
                                  on=DAY, **kw)


def open_task(approval_id, step_id=None):
    qs = Task.objects.filter(approval_id=approval_id, status=Task.Status.OPEN)
    if step_id:
        qs = qs.filter(step_id=step_id)
    return qs.get()


# ---- art. 72: the basis --------------------------------------------------------------------------

@pytest.mark.rules("R72.basis")
def test_a_body_without_a_legal_or_policy_basis_is_refused_citing_article_72(gov):
    with pytest.raises(Refused) as e:
        propose(basis_kind="", basis_document="")
    assert e.value.field == "basis_kind"
    assert [(v.rule_id, v.article) for v in e.value.violations if v.blocks] == [("R72.basis", 72)]
    assert "第七十二条" in e.value.message
    with pytest.raises(Refused) as e:
        propose(basis_document="")  # a kind of basis but no document named
    assert e.value.field == "basis_document" and e.value.violations[0].article == 72
    assert not CoordinationBody.objects.filter(name="区教育督导委员会").exists()
    body = propose()  # with its basis: accepted
    assert body.status == B.DRAFT and body.applicant_unit == unit("教育局")


# ---- art. 71: the approval chain -------------------------------------------------------------------

@pytest.mark.rules("coordination_body.setup", "R72.basis")
def test_setting_up_runs_office_deputy_head_and_district_head_and_makes_a_unit(gov):
    body = services.body_submit(actor=who("jyj"), body_id=propose().pk, on=DAY)
    assert body.status == B.PENDING
    review = open_task(body.approval_id)
    assert (review.step_id, review.assignee.username) == ("office_review", "bgs-zhuren")
    wf.task_complete(actor=who("bgs-zhuren"), task_id=review.pk, opinion="依据充分", on=DAY)
    leader = open_task(body.approval_id)
    assert (leader.step_id, leader.assignee.username) == ("leader_approve", "fuqu2")
    # the wrong person, through the engine's door (inbox, API and CLI all end here)
    with pytest.raises(Refused) as e:
        wf.task_complete(actor=who("fuqu1"), task_id=leader.pk, decision="同意", opinion="同意", on=DAY)
    assert e.value.status in (403, 404)
    wf.task_complete(actor=who("fuqu2"), task_id=leader.pk, decision="同意", opinion="同意", on=DAY)
    head = open_task(body.approval_id)
    assert (head.step_id, head.assignee.username) == ("head_approve", "quzhang")
    wf.task_complete(actor=who("quzhang"), task_id=head.pk, decision="同意", opinion="同意设置", on=DAY)
    body.refresh_from_db()
    assert body.status == B.ESTABLISHED and body.established_on == DAY
    assert body.unit.kind == "coordination_body" and body.unit.name == "区教育督导委员会"
    assert list(body.members.values_list("person__username", "role")) == [("fuqu2", "head")]


@pytest.mark.rules("coordination_body.setup")
def test_a_setup_refused_by_the_district_head_is_not_set_up_and_a_return_makes_a_draft(gov):
    body = services.body_submit(actor=who("jyj"), body_id=propose().pk, on=DAY)
    for username, decision in (("bgs-zhuren", ""), ("fuqu2", "同意"), ("quzhang", "不同意")):
        wf.task_complete(actor=who(username), task_id=open_task(body.approval_id).pk, decision=decision,
                         opinion="意见", on=DAY)
    body.refresh_from_db()
    assert body.status == B.REJECTED and body.unit_id is None
    other = services.body_submit(actor=who("jyj"), body_id=propose(name="区语言文字工作委员会").pk, on=DAY)
    wf.task_return(actor=who("bgs-zhuren"), task_id=open_task(other.approval_id).pk, opinion="补充依据", on=DAY)
    other.refresh_from_db()
    assert other.status == B.DRAFT


def test_only_the_applicant_submits_and_strangers_do_not_see_the_request(gov):
    body = propose()
    with pytest.raises(Refused) as e:
        services.body_submit(actor=who("czj"), body_id=body.pk, on=DAY)  # 财政局 neither applies nor sees it
    assert e.value.status == 404
    with pytest.raises(Forbidden):
        services.body_submit(actor=who("bgs-fuzhuren"), body_id=body.pk, on=DAY)  # sees it, did not apply


# ---- art. 73: head, changes, adjustment after a change of portfolio ------------------------------------

@pytest.mark.rules("R73.head")
def test_a_head_other_than_the_leader_in_charge_is_a_warning_of_article_73(gov):
    body = propose(head_id=who("jyj").pk)  # the 教育局局长 himself
    found = selectors.body_context(who("jyj"), body, DAY)["setup_findings"]
    assert [(v.rule_id, v.article, v.severity) for v in found] == [("R73.head", 73, "warn")]
    assert selectors.body_context(who("jyj"), propose(name="另一机构"), DAY)["setup_findings"] == []


@pytest.mark.rules("R73.change")
def test_a_leader_led_bodys_head_is_changed_by_the_office_not_by_the_bodys_own_office(gov):
    body = register()  # led by 钱戊 (fuqu3), its office in the 农业农村局 (no staff in the demo: use the office)
    with pytest.raises(Refused) as e:  # the 财政局 has nothing to do with it: it does not even see it
        services.body_change(actor=who("czj"), body_id=body.pk, head_id=who("fuqu1").pk, summary="调整",
                             document_ref="X", on=DAY)
    assert e.value.status == 404
    with pytest.raises(Refused) as e:
        services.body_change(actor=who("bgs-fuzhuren"), body_id=body.pk, head_id=who("fuqu1").pk,
                             summary="分工调整", document_ref="", on=DAY)
    assert [(v.rule_id, v.article) for v in e.value.violations] == [("R73.change", 73)]
    change = services.body_change(actor=who("bgs-fuzhuren"), body_id=body.pk, head_id=who("fuqu1").pk,
                                  summary="分工调整，由王丙同志任指挥长", document_ref="白洮政办函〔2026〕30号", on=DAY)
    body.refresh_from_db()
    assert body.head == who("fuqu1") and change.by_office and change.filed_on == DAY


@pytest.mark.rules("R73.change")
def test_the_bodys_own_office_may_not_change_a_leader_led_head_citing_73(gov):
    body = register(office_unit="财政局")  # its office sits in the 财政局
    with pytest.raises(Refused) as e:
        services.body_change(actor=who("czj"), body_id=body.pk, head_id=who("fuqu1").pk, summary="调整",
                             document_ref="财发〔2026〕1号", on=DAY)
    assert [(v.rule_id, v.article) for v in e.value.violations] == [("R73.change", 73)]
    # its members it adjusts itself, filed with the office
    change = services.body_change(actor=who("czj"), body_id=body.pk, add_ids=[who("czj-fu").pk],
                                  summary="增补褚丑为成员", document_ref="财发〔2026〕2号", on=DAY)
    assert change.filed_on == DAY and not change.by_office
    assert Notification.objects.filter(person=who("bgs-zhuren"), title__contains="成员调整备案").exists()


@pytest.mark.rules("coordination_body.dept_head_change", "R73.change")
def test_a_body_led_by_a_department_head_reports_its_change_for_reading_and_filing(gov):
    body = register(name="区政府采购工作协调小组", head="czj", office_unit="财政局")
    assert body.head_code == "dept_head"
    change = services.body_change(actor=who("czj"), body_id=body.pk, head_id=who("czj-fu").pk,
                                  summary="由褚丑同志任组长", document_ref="财发〔2026〕3号", on=DAY)
    assert change.approval_id and change.filed_on is None
    tasks = {t.step_id: t for t in Task.objects.filter(approval_id=change.approval_id, status=Task.Status.OPEN)}
    assert {k: t.assignee.username for k, t in tasks.items()} == {"leader_read": "changwu", "office_file": "bgs-zhuren"}
    for t in tasks.values():
        wf.task_complete(actor=t.assignee, task_id=t.pk, opinion="已阅", on=DAY)
    change.refresh_from_db()
    assert change.filed_on == DAY


@pytest.mark.rules("W73.adjust")
def test_when_a_portfolio_changes_the_bodies_led_by_the_leader_are_listed_for_adjustment(gov):
    body = register(name="区安全生产委员会", head="fuqu1", office_unit="应急局")
    assert selectors.bodies_needing_adjustment(gov, DAY) == []
    pos = {x.appointments.get().person.username: x for x in Position.objects.filter(code="deputy_head")}
    # the 应急局 moves from 王丙 (fuqu1) to 孙己 (fuqu4)
    org_services.portfolio_set(actor=None, position=pos["fuqu1"], units=[unit("住建局"), unit("区安委会")],
                               domains=["construction", "safety"], on=DAY)
    org_services.portfolio_set(actor=None, position=pos["fuqu4"], units=[unit("司法局"), unit("外事办"), unit("经开区管委会"),
                                                                          unit("应急局")],
                               domains=["legal", "foreign_affairs", "emergency"], on=DAY)
    listed = selectors.bodies_needing_adjustment(gov, DAY)
    assert [b.pk for b, _why in listed] == [body.pk] and "孙己" in listed[0][1]
    assert body in selectors.bodies_led_by(who("fuqu1"), DAY)
    assert "1 bodies to adjust" in bodies_tick(DAY)
    assert Notification.objects.filter(person=who("bgs-zhuren"), title__contains="负责人需调整").count() == 1
    assert "0 bodies to adjust" in bodies_tick(DAY)  # once
    services.body_change(actor=who("bgs-fuzhuren"), body_id=body.pk, head_id=who("fuqu4").pk, summary="分工调整",
                         document_ref="白洮政办函〔2026〕31号", on=DAY)
    assert selectors.bodies_needing_adjustment(gov, DAY) == []


# ---- art. 74: annual goals ------------------------------------------------------------------------

@pytest.mark.rules("R74.annual_goals", "W74.goals")
def test_a_body_missing_its_annual_goals_is_flagged_citing_article_74(gov):
    missing = register()
    done = register(name="区安全生产委员会", head="fuqu1", office_unit="应急局")
    services.goals_submit(actor=who("bgs-fuzhuren"), body_id=done.pk, year=2026, goals="全年目标",
                          on=dt.date(2025, 12, 20))
    found = selectors.goals_findings(missing, DAY)
    assert [(v.rule_id, v.article) for v in found] == [("R74.annual_goals", 74)]
    assert "2025-12-31" in found[0].message and "第七十四条" in found[0].message
    assert selectors.goals_findings(done, DAY) == []
    assert bodies_tick(DAY).startswith("1 bodies without annual goals")
    flagged = Notification.objects.filter(person=who("bgs-zhuren"), title__contains="未报送年度工作目标")
    assert [n.title for n in flagged] == ["议事协调机构未报送年度工作目标：区防汛抗旱指挥部"]
    assert bodies_tick(DAY).startswith("0 bodies without")  # once a year
    # next year's goals are due by the end of this one: not yet
    assert selectors.goals_findings(done, DAY) == []
    assert [v.rule_id for v in selectors.goals_findings(done, dt.date(2027, 1, 4))] == ["R74.annual_goals"]


@pytest.mark.rules("R74.annual_goals")
def test_goals_submitted_after_year_end_are_kept_with_a_warning_and_only_once(gov):
    body = register()
    g = services.goals_submit(actor=who("bgs-fuzhuren"), body_id=body.pk, year=2026, goals="迟报的目标", on=DAY)
    assert g.submitted_on == DAY and selectors.goals_findings(body, DAY)[0].severity == "warn"
    with pytest.raises(Refused) as e:
        services.goals_submit(actor=who("bgs-fuzhuren"), body_id=body.pk, year=2026, goals="再报", on=DAY)
    assert e.value.status == 409
    with pytest.raises(Refused) as e:
        services.goals_submit(actor=who("bgs-fuzhuren"), body_id=body.pk, year=2027, goals=" ", on=DAY)
    assert e.value.field == "goals" and e.value.violations[0].article == 74


def test_abolition_is_recorded_by_the_office(gov):
    body = register()
    with pytest.raises(Forbidden):
        services.body_abolish(actor=who("fuqu3"), body_id=body.pk, reason="任务完成", document_ref="X", on=DAY)
    services.body_abolish(actor=who("bgs-fuzhuren"), body_id=body.pk, reason="阶段性任务已完成",
                          document_ref="白洮政办发〔2026〕40号", on=DAY)
    body.refresh_from_db()
    assert body.status == B.ABOLISHED and body.abolished_on == DAY
    assert not body.members.filter(until__isnull=True).exists()
    assert selectors.goals_findings(body, DAY) == []


# ---- art. 75: emergency reports ----------------------------------------------------------------------

def report(**kw):
    args = {"actor": who("xhjd"), "event_kind": "fire", "level": "major", "title": "商住楼火情",
            "content": "底商起火，已疏散群众", "occurred_at": at(8, 10), "phoned_at": at(8, 30),
            "written_at": at(9, 5), "now": at(9, 30), "on": DAY}
    args.update(kw)
    return services.report_create(**args)


@pytest.mark.rules("R75.on_time", "R75.report")
def test_a_late_emergency_report_is_recorded_and_flagged_citing_article_75(gov):
    on_time = report()
    assert not on_time.late and on_time.unit == unit("新华街道")
    late = report(title="另一火情", phoned_at=at(8, 55), written_at=at(10, 5), now=at(10, 30))
    assert late.late
    assert "30分钟内电话报告" in late.late_note and "45分钟" in late.late_note
    assert "60分钟内书面报告" in late.late_note and "第七十五条" in late.late_note
    # a lower level has no clock
    assert not report(title="一般火情", level="ordinary", phoned_at=at(11, 0), written_at=None, now=at(12, 0)).late
    assert Notification.objects.filter(person=who("bgs-zhuren"), kind="escalation", title__contains="另一火情").exists()


@pytest.mark.rules("R75.report")
def test_an_emergency_report_needs_a_listed_event_a_level_and_sensible_times(gov):
    for kw, field in [({"level": "huge"}, "level"), ({"event_kind": "party"}, "event_kind"),
                      ({"phoned_at": at(8, 0)}, "phoned_at"), ({"phoned_at": None, "written_at": None}, "phoned_at")]:
        with pytest.raises(Refused) as e:
            report(**kw)
        assert e.value.field == field and e.value.violations[0].article == 75, kw
    with pytest.raises(Refused) as e:
        report(occurred_at="8点10分")
    assert e.value.field == "occurred_at"
    assert not EmergencyReport.objects.exists()


@pytest.mark.rules("R75.on_time")
def test_the_tick_flags_a_written_report_still_missing_past_its_clock(gov):
    r = report(phoned_at=at(8, 20), written_at=None, now=at(8, 40))
    assert not r.late
    services.flag_overdue(r, at(9, 0), DAY)  # 50 minutes: not yet
    r.refresh_from_db()
    assert not r.late
    assert services.flag_overdue(r, at(9, 20), DAY)
    r.refresh_from_db()
    assert r.late and "仍未报告" in r.late_note
    assert not services.flag_overdue(r, at(9, 30), DAY)  # once


def test_follow_up_and_final_reports_by_the_reporting_unit_only(gov):
    r = report(written_at=None)
    with pytest.raises(Refused) as e:
        services.report_update(actor=who("dfx"), report_id=r.pk, kind="followup", content="x", now=at(10), on=DAY)
    assert e.value.status == 404  # another unit does not see it
    with pytest.raises(Forbidden):
        services.report_update(actor=who("bgs-fuzhuren"), report_id=r.pk, kind="followup", content="x", now=at(10),
                               on=DAY)
    services.report_written(actor=who("xhjd"), report_id=r.pk, written_at=at(9, 0), now=at(10), on=DAY)
    services.report_update(actor=who("xhjd"), report_id=r.pk, kind="followup", content="明火扑灭", at=at(10),
                           now=at(10, 5), on=DAY)
    services.report_update(actor=who("xhjd"), report_id=r.pk, kind="final", content="处置完毕", at=at(15),
                           now=at(15, 5), on=DAY)
    r.refresh_from_db()
    assert r.status == EmergencyReport.Status.FINAL and [u.kind for u in r.updates.all()] == ["followup", "final"]
    with pytest.raises(Refused):
        services.report_update(actor=who("xhjd"), report_id=r.pk, kind="followup", content="x", now=at(16), on=DAY)


# ---- art. 6, 38, 76-78: submissions -----------------------------------------------------------------

def decided_item(meeting_type="standing", outcome="原则通过"):
    from zhengwu.meetings.models import AgendaItem, Meeting

    m = Meeting.objects.create(government=who("quzhang").government, meeting_type=meeting_type,
                               title="区政府第20次常务会议", starts_at=at(9), ends_at=at(11), created_by=who("quzhang"),
                               status="closed")
    return AgendaItem.objects.create(meeting=m, title="关于调整城区供热价格的议题", proposer=who("fgj"),
                                     status="decided", outcome=outcome, decided_at=at(10))


def draft(actor="fgj", **kw):
    args = {"actor": who(actor), "body": "party_committee", "kind": "topic", "title": "关于调整城区供热价格的请示",
            "content": "拟调整城区居民供热价格", "committee_matter": "major_measures", "on": DAY}
    args.update(kw)
    return services.submission_create(**args)


@pytest.mark.rules("R76.no_direct_submission", "R76.prior_approval")
def test_a_department_submitting_directly_to_the_party_committee_is_refused_citing_76(gov):
    item = draft(prior_item_id=decided_item().pk)
    with pytest.raises(Refused) as e:
        services.submission_submit(actor=who("fgj"), submission_id=item.pk, on=DAY)
    assert [(v.rule_id, v.article) for v in e.value.violations] == [("R76.no_direct_submission", 76)]
    assert "不得直接向区委提交议题" in e.value.message
    done = services.submission_submit(actor=who("bgs-fuzhuren"), submission_id=item.pk, on=DAY)
    assert done.status == Submission.Status.SUBMITTED and done.submitting_unit == unit("区政府办")


@pytest.mark.rules("R76.prior_approval")
def test_a_topic_for_the_party_committee_needs_its_prior_meeting_citing_76(gov):
    for prior in (None, decided_item(meeting_type="topical"), decided_item(outcome="暂缓")):
        item = draft(prior_item_id=prior.pk if prior else None)
        with pytest.raises(Refused) as e:
            services.submission_submit(actor=who("bgs-fuzhuren"), submission_id=item.pk, on=DAY)
        assert [(v.rule_id, v.article) for v in e.value.violations] == [("R76.prior_approval", 76)]
    ok = draft(prior_item_id=decided_item(meeting_type="head_office", outcome="通过").pk)
    assert services.submission_submit(actor=who("bgs-fuzhuren"), submission_id=ok.pk, on=DAY).submitted_on == DAY


@pytest.mark.rules("R6.request", "R38.economy", "R77.by_government", "R78.by_government")
def test_requests_reports_and_briefings_are_the_governments_never_a_departments(gov):
    cases = [("party_committee", "request", {}, "R6.request", 6),
             ("party_committee", "economy", {"suggestions": "扩大有效投资"}, "R38.economy", 38),
             ("people_congress", "work_report", {}, "R77.by_government", 77),
             ("cppcc", "briefing", {}, "R78.by_government", 78)]
    for body, kind, extra, rule_id, article in cases:
        item = draft(body=body, kind=kind, committee_matter="", **extra)
        with pytest.raises(Refused) as e:
            services.submission_submit(actor=who("fgj"), submission_id=item.pk, on=DAY)
        assert [(v.rule_id, v.article) for v in e.value.violations] == [(rule_id, article)], kind
        assert services.submission_submit(actor=who("bgs-fuzhuren"), submission_id=item.pk, on=DAY).status == "submitted"
    item = draft(actor="bgs-fuzhuren", kind="economy", committee_matter="")  # no 对策建议
    with pytest.raises(Refused) as e:
        services.submission_submit(actor=who("bgs-fuzhuren"), submission_id=item.pk, on=DAY)
    assert e.value.field == "suggestions" and e.value.violations[0].article == 38


@pytest.mark.rules("R76.feedback", "R76.submission_kind")
def test_the_answer_and_the_feedback_are_recorded_by_the_office(gov):
    with pytest.raises(Refused) as e:
        draft(body="cppcc", kind="topic")
    assert e.value.field == "kind" and e.value.violations[0].article == 76
    item = draft(prior_item_id=decided_item().pk)
    services.submission_submit(actor=who("bgs-fuzhuren"), submission_id=item.pk, on=DAY)
    with pytest.raises(Forbidden):
        services.submission_response(actor=who("fgj"), submission_id=item.pk, response="同意", on=DAY)
    services.submission_response(actor=who("bgs-fuzhuren"), submission_id=item.pk, response="区委常委会原则同意", on=DAY)
    with pytest.raises(Refused) as e:
        services.submission_feedback(actor=who("bgs-fuzhuren"), submission_id=item.pk, feedback="", on=DAY)
    assert e.value.violations[0].rule_id == "R76.feedback"
    done = services.submission_feedback(actor=who("bgs-fuzhuren"), submission_id=item.pk,
                                        feedback="已按区委意见完成价格听证", on=DAY)
    assert done.status == Submission.Status.FED_BACK and done.feedback_on == DAY
