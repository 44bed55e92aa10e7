"""Leave and absence (arts. 89, 15) through the services and the engine, each rule both ways: a
副区长's 外出 is agreed by the 区长 only (R89.deputy_leave_approver, every door ends in the same
guard), the agreed absence drives 补位 (art. 15), the office tells the other leaders, a department
head's 外出报告 goes to his 分管领导 and the office; cancel and 销假."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.affairs.leave import services
from zhengwu.affairs.leave.models import LeaveRequest
from zhengwu.errors import Forbidden, Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Position
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Approval, Notification, Task

pytestmark = pytest.mark.django_db

S = LeaveRequest.Status
MONDAY = dt.date(2026, 9, 14)


@pytest.fixture
def gov(org_demo):
    return org_demo


def p(username):
    return Person.objects.get(username=username)


def ask(username="fuqu1", start=MONDAY + dt.timedelta(days=2), days=2, on=MONDAY, **kw):
    kw.setdefault("destination", "长春市")
    kw.setdefault("reason", "参加省住建厅工作会议")
    return services.leave_request(actor=p(username), start=start, end=start + dt.timedelta(days=days - 1), on=on, **kw)


def head_task(leave):
    return Task.objects.get(approval_id=leave.approval_id, step_id=services.HEAD_STEP, status=Task.Status.OPEN)


@pytest.mark.rules("R89.deputy_leave_approver", "leave.deputy_head", "R15.substitute")
def test_the_district_head_agrees_the_absence_is_recorded_and_the_substitute_acts(gov):
    leave = ask(substitute_id=p("fuqu2").pk)
    assert leave.status == S.PENDING and leave.kind == LeaveRequest.Kind.DEPUTY
    task = head_task(leave)
    assert task.assignee == p("quzhang")
    wf.task_complete(actor=p("quzhang"), task_id=task.pk, decision="同意", on=MONDAY)
    leave.refresh_from_db()
    assert leave.status == S.APPROVED and leave.decided_by == p("quzhang") and leave.absence is not None
    assert leave.absence.substitute == p("fuqu2") and leave.absence.designated_by == p("quzhang")
    pos = Position.objects.get(title__startswith="副区长（城建")
    assert org.acting_for(pos, leave.start) == p("fuqu2")  # 补位 (art. 15) during the leave
    assert org.acting_for(pos, MONDAY) == p("fuqu1")
    # the office tells the other leaders (the route's second step and its circulation)
    notify = Task.objects.get(approval_id=leave.approval_id, step_id="office_notify", status=Task.Status.OPEN)
    assert notify.assignee == p("bgs-zhuren")
    wf.task_complete(actor=p("bgs-zhuren"), task_id=notify.pk, opinion="已通报", on=MONDAY)
    readers = set(Task.objects.filter(approval_id=leave.approval_id, kind=Task.Kind.CIRCULATION, status=Task.Status.OPEN)
                  .values_list("assignee__username", flat=True))
    assert {"changwu", "fuqu2", "fuqu3", "fuqu4"} <= readers and "fuqu1" not in readers
    assert Approval.objects.get(pk=leave.approval_id).status == Approval.Status.APPROVED


@pytest.mark.rules("R89.deputy_leave_approver")
@pytest.mark.parametrize("who", ["changwu", "bgs-zhuren", "fuqu2"])
def test_anyone_but_the_district_head_agreeing_is_refused_citing_89(gov, who):
    leave = ask()
    task = head_task(leave)
    with pytest.raises(Refused) as e:
        wf.task_complete(actor=p(who), task_id=task.pk, decision="同意", on=MONDAY)
    assert "第八十九条" in e.value.message
    with pytest.raises(Refused) as e:
        services.leave_decide(actor=p(who), request_id=leave.pk, agree=True, on=MONDAY)
    assert "第八十九条" in e.value.message
    leave.refresh_from_db()
    assert leave.status == S.PENDING and leave.absence is None
    # the 区长 himself may (the same request, the other way)
    services.leave_decide(actor=p("quzhang"), request_id=leave.pk, agree=True, on=MONDAY)
    leave.refresh_from_db()
    assert leave.status == S.APPROVED


def test_a_reassigned_task_still_needs_the_district_head(gov):
    leave = ask()
    task = head_task(leave)
    with pytest.raises(Refused):
        wf.task_reassign(actor=p("quzhang"), task_id=task.pk, to=p("changwu"), on=MONDAY)


def test_the_executive_deputy_asks_the_district_head_too_and_cannot_agree_his_own(gov):
    leave = ask("changwu", reason="赴省财政厅汇报")
    task = head_task(leave)
    with pytest.raises(Refused) as e:
        wf.task_complete(actor=p("changwu"), task_id=task.pk, decision="同意", on=MONDAY)
    assert "第八十九条" in e.value.message or "第十五条" in e.value.message
    wf.task_complete(actor=p("quzhang"), task_id=task.pk, decision="同意", on=MONDAY)


def test_refused_leave_ends_the_route_and_records_no_absence(gov):
    leave = ask()
    wf.task_complete(actor=p("quzhang"), task_id=head_task(leave).pk, decision="不同意", opinion="近期工作紧", on=MONDAY)
    leave.refresh_from_db()
    assert leave.status == S.REFUSED and leave.absence is None
    approval = Approval.objects.get(pk=leave.approval_id)
    assert approval.status == Approval.Status.CANCELLED
    assert not approval.tasks.filter(status=Task.Status.OPEN).exists()


@pytest.mark.rules("R89.leave_beforehand")
def test_a_deputy_asks_beforehand_a_late_request_is_refused(gov):
    with pytest.raises(Refused) as e:
        ask(start=MONDAY - dt.timedelta(days=1))
    assert "第八十九条" in e.value.message and e.value.field == "start"
    assert ask(start=MONDAY).status == S.PENDING  # on the day it starts is still beforehand


@pytest.mark.rules("R89.leave_kind", "leave.unit_head", "R89.leave_beforehand")
def test_a_department_head_reports_to_his_leader_and_the_office(gov):
    leave = ask("czj", destination="北京市", reason="财政部培训")
    assert leave.kind == LeaveRequest.Kind.UNIT_HEAD and leave.status == S.REPORTED
    assert leave.absence is not None and leave.absence.person == p("czj")
    task = Task.objects.get(approval_id=leave.approval_id, status=Task.Status.OPEN)
    assert task.assignee == p("changwu")  # 财政局 is in the 常务副区长's 分工
    assert Notification.objects.filter(person=p("bgs-zhuren"), title__contains="外出报告").exists()
    wf.task_complete(actor=p("changwu"), task_id=task.pk, decision=task.choices[0] if task.choices else "",
                     opinion="阅", on=MONDAY)
    leave.refresh_from_db()
    assert leave.status == S.READ
    late = ask("sfj", start=MONDAY - dt.timedelta(days=1), reason="家中有事")
    assert [v.rule_id for v in late.warnings] == ["R89.leave_beforehand"]
    with pytest.raises(Refused) as e:
        ask("wenshu", reason="个人事务")
    assert "第八十九条" in e.value.message


def test_someone_else_cannot_ask_for_a_leader_but_the_office_can(gov):
    with pytest.raises(Forbidden):
        ask("fuqu2", person_id=p("fuqu1").pk)
    leave = ask("wenshu", person_id=p("fuqu1").pk)
    assert leave.person == p("fuqu1") and leave.created_by == p("wenshu")


def test_a_substitute_who_is_no_deputy_is_refused_citing_15(gov):
    with pytest.raises(Refused) as e:
        ask(substitute_id=p("czj").pk)
    assert "第十五条" in e.value.message and e.value.field == "substitute_id"


def test_cancel_and_return_early(gov):
    leave = ask()
    services.leave_cancel(actor=p("fuqu1"), request_id=leave.pk, reason="会议延期", on=MONDAY)
    leave.refresh_from_db()
    assert leave.status == S.CANCELLED
    assert Approval.objects.get(pk=leave.approval_id).status == Approval.Status.CANCELLED
    with pytest.raises(Forbidden):
        services.leave_cancel(actor=p("fuqu2"), request_id=ask("fuqu1").pk, reason="x", on=MONDAY)
    other = LeaveRequest.objects.filter(person=p("fuqu1"), status=S.PENDING).get()
    services.leave_decide(actor=p("quzhang"), request_id=other.pk, agree=True, on=MONDAY)
    back_on = other.start + dt.timedelta(days=1)
    services.leave_return(actor=p("fuqu1"), request_id=other.pk, on=back_on)
    other.refresh_from_db()
    assert other.status == S.RETURNED and other.absence.end == other.start
    assert org.absence_on(p("fuqu1"), back_on) is None


def test_the_district_head_leaves_no_second_request_overlapping(gov):
    ask()
    with pytest.raises(Refused) as e:
        ask()
    assert e.value.field == "start"


def test_rules_today_is_used_by_default(gov, monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: MONDAY)
    leave = services.leave_request(actor=p("fuqu3"), start=MONDAY, end=MONDAY, destination="白城市", reason="调研")
    assert leave.created_on == MONDAY
