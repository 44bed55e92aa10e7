"""The approval engine end to end, on a route defined only in the rulebook file (doc.intake_urgent:
the office reviews, then the 分管领导 and the 区长 in parallel, then the office collects)."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Conflict, Forbidden, NotFound, Refused
from zhengwu.org import selectors as org, services as org_services
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import selectors, services
from zhengwu.workflow.models import Approval, Notification, Task
from zhengwu.workflow.tick import tick

pytestmark = pytest.mark.django_db

START = dt.date(2026, 9, 28)  # a Monday before the National Day holiday (10-01..10-07, 10-10 worked)


def p(username):
    return Person.objects.get(username=username)


@pytest.fixture
def gov(org_demo):  # the demo, loaded once for the module (tests/conftest.py)
    return org.current_government()


@pytest.fixture
def approval(gov):
    return services.approval_start(actor=p("jyj"), route_id="doc.intake_urgent", obj_type="test.request",
                                   obj_id="1", title="关于新建第三小学的请示", urgency="一般", context={"major": True},
                                   applicant_unit=Unit.objects.get(short_name="教育局"), on=START)


def open_tasks(approval):
    return list(approval.tasks.filter(status="open").select_related("assignee").order_by("id"))


# Not marked with "doc.intake_urgent": the test starts the route itself over a stand-in object, and a
# route mark means the code that starts it (documents.intake) ran (tests/conftest.py).
@pytest.mark.rules("W68.reminder", "W68.escalation")
def test_a_route_from_the_rulebook_runs_end_to_end(gov, approval):
    # stage 1, serial: the 办公室主任 reviews
    [review] = open_tasks(approval)
    assert (review.assignee.username, review.action, review.due_on) == ("bgs-zhuren", "审核", None)
    # the 区长 is away: the 常务副区长 acts for him (art. 15), also for tasks created during the absence
    org_services.absence_create(actor=None, person=p("quzhang"), designated_by=p("quzhang"), start=START, end=START + dt.timedelta(days=2),
                                reason="赴省参加会议")
    services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="拟请分管领导和区长阅示", on=START)

    # stage 2, parallel: the 分管领导 of 教育局 through 分工 (赵丁), and the 区长's task to the acting 李乙
    approval.refresh_from_db()
    tasks = {t.step_id: t for t in open_tasks(approval)}
    assert set(tasks) == {"leader_instruct", "head_instruct"}
    assert tasks["leader_instruct"].assignee.username == "fuqu2"
    assert tasks["head_instruct"].assignee.username == "changwu"
    assert tasks["head_instruct"].position.code == "district_head"
    # 14 working days (一般, art. 68) counted from the next day on the official calendar, 调休 included:
    # 9-29, 9-30, 10-08, 10-09, 10-10 (Saturday worked), 10-12 … 10-16, 10-19 … 10-22
    assert tasks["leader_instruct"].due_on == dt.date(2026, 10, 22)
    assert rules.param("approval.limit_days")["一般"] == 14

    # a reminder the working day before it is due; running tick twice sends nothing twice
    day_before = dt.date(2026, 10, 21)
    assert tick(on=day_before).reminders == 2
    assert tick(on=day_before).reminders == 0
    reminders = Notification.objects.filter(kind="reminder", task__approval=approval)
    assert sorted(n.person.username for n in reminders) == ["changwu", "fuqu2"]

    # once overdue: an escalation (督办) to the 办公室, once
    services.task_complete(actor=p("changwu"), task_id=tasks["head_instruct"].pk, opinion="同意，请教育局抓紧论证",
                           on=START)
    overdue = dt.date(2026, 10, 23)
    assert tick(on=overdue).escalations == 1
    assert tick(on=overdue).escalations == 0
    esc = Notification.objects.filter(kind="escalation", task=tasks["leader_instruct"])
    assert sorted(n.person.username for n in esc) == ["bgs-zhuren", "fuqu2"]
    assert AuditEvent.objects.filter(action="workflow.task.escalate").count() == 1
    assert selectors.is_overdue(Task.objects.get(pk=tasks["leader_instruct"].pk), overdue)

    # the stage ends only when both parallel steps are done; then the office collects
    assert approval.tasks.filter(step_id="collect").count() == 0
    services.task_complete(actor=p("fuqu2"), task_id=tasks["leader_instruct"].pk, opinion="同意", on=overdue)
    [collect] = open_tasks(approval)
    assert (collect.step_id, collect.assignee.username) == ("collect", "bgs-zhuren")
    services.task_complete(actor=p("bgs-zhuren"), task_id=collect.pk, opinion="已汇总批示，转教育局办理",
                           on=overdue)
    approval.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED
    actions = list(AuditEvent.objects.filter(obj_type="workflow.approval", obj_id=str(approval.pk))
                   .values_list("action", flat=True).order_by("seq"))
    assert actions[0] == "workflow.approval.start" and actions[-1] == "workflow.approval.finish"
    assert actions.count("workflow.task.complete") == 4


# No "doc.intake" mark: the test starts the route itself (see above).
def test_major_matters_go_on_to_the_district_head_and_others_do_not(gov):
    def run(major):
        a = services.approval_start(actor=p("czj"), route_id="doc.intake", obj_type="test.request",
                                    obj_id=f"m{major}", title="请示", applicant_unit=Unit.objects.get(short_name="财政局"),
                                    context={"major": major}, on=START)
        for _ in range(3):
            for t in open_tasks(a):
                services.task_complete(actor=t.assignee, task_id=t.pk, opinion="同意", on=START)
        return [t.assignee.username for t in a.tasks.order_by("id")]

    assert run(False) == ["bgs-zhuren", "changwu"]
    assert run(True) == ["bgs-zhuren", "changwu", "quzhang"]


def test_open_tasks_follow_the_acting_person_while_the_absence_lasts(gov, approval):
    [review] = open_tasks(approval)
    services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="呈阅", on=START)
    leader_task = approval.tasks.get(step_id="leader_instruct")
    assert leader_task.assignee.username == "fuqu2"
    assert leader_task not in selectors.todo(p("fuqu4"), on=START)
    org_services.absence_create(actor=None, person=p("fuqu2"), start=START, end=START, reason="休假",
                                substitute=p("fuqu4"), designated_by=p("quzhang"))
    assert leader_task in selectors.todo(p("fuqu4"), on=START)
    assert leader_task not in selectors.todo(p("fuqu4"), on=START + dt.timedelta(days=1))
    done = services.task_complete(actor=p("fuqu4"), task_id=leader_task.pk, opinion="同意", on=START)
    assert (done.completed_by.username, done.assignee.username) == ("fuqu4", "fuqu2")


def test_a_person_cannot_act_on_someone_elses_task_and_nothing_changes(gov, approval):
    [review] = open_tasks(approval)
    before = (Task.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Forbidden):
        services.task_complete(actor=p("fuqu3"), task_id=review.pk, opinion="同意", on=START)
    with pytest.raises(NotFound) as e:
        services.task_complete(actor=p("bgs-zhuren"), task_id=999999, opinion="同意", on=START)
    assert e.value.field == "task_id"
    with pytest.raises(Refused) as e:
        services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="  ", on=START)
    assert e.value.field == "opinion"
    assert (Task.objects.count(), AuditEvent.objects.count()) == before
    review.refresh_from_db()
    assert review.status == "open"
    services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="呈阅", on=START)
    with pytest.raises(Refused) as e:  # a finished task
        services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="再次", on=START)
    assert e.value.status == 409 and "已办" in e.value.message


def test_a_fixed_choice_step_accepts_only_its_choices(gov):
    a = services.approval_start(actor=p("fuqu1"), route_id="leave.deputy_head", obj_type="test.leave", obj_id="1",
                                title="王丙外出请假", on=START)
    [t] = open_tasks(a)
    assert t.choices == ["同意", "不同意"] and t.assignee.username == "quzhang"
    with pytest.raises(Refused) as e:
        services.task_complete(actor=p("quzhang"), task_id=t.pk, decision="可以", on=START)
    assert e.value.field == "decision"
    services.task_complete(actor=p("quzhang"), task_id=t.pk, decision="同意", on=START)
    # the step after it circulates automatically to the other leaders (art. 89: 办公室通报)
    [notify_task] = open_tasks(a)
    services.task_complete(actor=p("bgs-zhuren"), task_id=notify_task.pk, opinion="已通报", on=START)
    readers = {t.assignee.username for t in selectors.circulation_readers(a)}
    assert {"changwu", "fuqu2", "fuqu3", "fuqu4"} <= readers


def test_resigning_replaces_the_opinion_and_keeps_the_earlier_one_in_the_audit_trail(gov, approval):
    [review] = open_tasks(approval)
    services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="拟同意", on=START)
    services.task_resign(actor=p("bgs-zhuren"), task_id=review.pk, opinion="拟同意，请区长阅示")
    review.refresh_from_db()
    assert review.opinion == "拟同意，请区长阅示"
    ev = AuditEvent.objects.filter(action="workflow.task.resign").get()
    assert ev.before["opinion"] == "拟同意" and ev.after["opinion"] == "拟同意，请区长阅示"
    with pytest.raises(Forbidden):
        services.task_resign(actor=p("fuqu1"), task_id=review.pk, opinion="改")


def test_circulation_is_read_acknowledged_cancellable_and_never_touches_opinions(gov, approval):
    [review] = open_tasks(approval)
    services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="呈阅", on=START)
    sent = services.circulation_send(actor=p("bgs-zhuren"), approval_id=approval.pk,
                                     people=[p("fuqu1"), p("fuqu3"), p("fuqu4")], note="请各位领导阅知")
    assert all(t.kind == "circulation" and t.action == "阅知" for t in sent)
    assert sent[0] in selectors.todo(p("fuqu1"), on=START)
    services.circulation_ack(actor=p("fuqu1"), task_id=sent[0].pk)
    assert services.circulation_cancel(actor=p("bgs-zhuren"), approval_id=approval.pk) == 2
    readers = {t.assignee.username: t.status for t in selectors.circulation_readers(approval)}
    assert readers == {"fuqu1": "done", "fuqu3": "cancelled", "fuqu4": "cancelled"}
    review.refresh_from_db()
    assert review.opinion == "呈阅" and review.status == "done"
    with pytest.raises(Refused) as e:
        services.circulation_send(actor=p("bgs-zhuren"), approval_id=approval.pk, people=[p("fuqu1")], note="")
    assert e.value.field == "note"


def test_the_originator_and_the_office_can_nudge_and_each_nudge_is_recorded(gov, approval):
    [review] = open_tasks(approval)
    services.task_nudge(actor=p("jyj"), task_id=review.pk, note="请尽快审核")
    services.task_nudge(actor=p("bgs-fuzhuren"), task_id=review.pk)
    assert Notification.objects.filter(kind="nudge", person=p("bgs-zhuren")).count() == 2
    assert AuditEvent.objects.filter(action="workflow.task.nudge").count() == 2
    with pytest.raises(Forbidden):
        services.task_nudge(actor=p("fuqu3"), task_id=review.pk)


def test_reassigning_hands_the_task_over_and_the_old_one_cannot_be_completed(gov, approval):
    [review] = open_tasks(approval)
    # 转办 goes only to whoever may hold the step: the deputy director is not the director (art. 68) …
    with pytest.raises(Forbidden) as e:
        services.task_reassign(actor=p("bgs-zhuren"), task_id=review.pk, to=p("bgs-fuzhuren"), note="请代为审核",
                               on=START)
    assert e.value.field == "to" and e.value.message.endswith("（《工作规则》第六十八条）")
    # … unless he acts for the director during a recorded absence (art. 15)
    org_services.absence_create(actor=None, person=p("bgs-zhuren"), start=START, end=START, reason="出差",
                                substitute=p("bgs-fuzhuren"))
    new = services.task_reassign(actor=p("bgs-zhuren"), task_id=review.pk, to=p("bgs-fuzhuren"), note="请代为审核",
                                 on=START)
    assert new.assignee.username == "bgs-fuzhuren" and new.step_id == review.step_id
    with pytest.raises(Refused):
        services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="同意", on=START)
    with pytest.raises(Refused) as e:
        services.task_reassign(actor=p("bgs-fuzhuren"), task_id=new.pk, to=p("bgs-fuzhuren"), on=START)
    assert e.value.field == "to"


def test_a_stale_version_is_refused_as_a_conflict(gov, approval):
    [review] = open_tasks(approval)
    with pytest.raises(Conflict):
        services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="同意", version=review.version + 1,
                               on=START)


def test_saved_phrases_are_per_person(gov):
    services.phrase_add(actor=p("quzhang"), text="同意，请按程序办理")
    with pytest.raises(Refused) as e:
        services.phrase_add(actor=p("quzhang"), text="同意，请按程序办理")
    assert e.value.field == "text"
    assert [x.text for x in p("quzhang").saved_phrases.all()] == ["同意，请按程序办理"]
    assert p("fuqu1").saved_phrases.count() == 0


def test_an_unknown_route_or_urgency_is_refused(gov):
    with pytest.raises(Refused) as e:
        services.approval_start(actor=p("jyj"), route_id="no.such", obj_type="t", obj_id="1", title="x")
    assert e.value.field == "route_id"
    with pytest.raises(Refused) as e:
        services.approval_start(actor=p("jyj"), route_id="doc.intake", obj_type="t", obj_id="1", title="x",
                                urgency="火急", applicant_unit=Unit.objects.get(short_name="教育局"))
    assert e.value.field == "urgency"
    assert Approval.objects.count() == 0
