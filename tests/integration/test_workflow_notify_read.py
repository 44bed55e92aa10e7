"""A task's notifications are read once the task is handled (notify.mark_task_handled, called by
task_complete, task_return, task_reassign and circulation_ack in the transaction of the step): the
handler's and the holder's notices about that task, and nothing else; a refused step marks nothing."""

import datetime as dt

import pytest

from zhengwu.errors import Refused
from zhengwu.org import services as org_services
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db

START = dt.date(2026, 11, 2)  # a Monday


def p(username):
    return Person.objects.get(username=username)


@pytest.fixture
def approval(org_demo):  # the org demo, loaded once for the module (tests/conftest.py)
    return services.approval_start(actor=p("czj"), route_id="doc.intake_urgent", obj_type="test.request", obj_id="1",
                                   title="关于拨付冬季供暖补贴资金的请示", urgency="加急", context={"major": True},
                                   applicant_unit=Unit.objects.get(short_name="财政局"), on=START)


def open_task(approval, username) -> Task:
    return approval.tasks.get(status="open", assignee__username=username)


def unread(username, task=None) -> list[Notification]:
    qs = Notification.objects.filter(person__username=username, read_at__isnull=True)
    return list(qs.filter(task=task) if task is not None else qs)


def leaders_stage(approval):
    review = open_task(approval, "bgs-zhuren")
    services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="拟请区长、常务副区长阅示", on=START)
    return open_task(approval, "quzhang"), open_task(approval, "changwu")


def test_completing_a_task_marks_its_notifications_read_and_no_others(approval):
    head, deputy = leaders_stage(approval)
    services.task_nudge(actor=p("bgs-zhuren"), task_id=head.pk, note="请尽快批示")
    other = Notification.objects.create(person=p("quzhang"), kind="info", title="另一件事")
    assert len(unread("quzhang", head)) == 2  # the new task and the nudge

    services.task_complete(actor=p("quzhang"), task_id=head.pk, opinion="同意", on=START)

    assert unread("quzhang", head) == []
    assert Notification.objects.filter(task=head, read_at__isnull=False).count() == 2
    other.refresh_from_db()
    assert other.read_at is None  # not about this task
    assert len(unread("changwu", deputy)) == 1  # the 常务副区长's own task is still to do


def test_a_refused_completion_leaves_the_notifications_unread(approval):
    head, _ = leaders_stage(approval)
    with pytest.raises(Refused):
        services.task_complete(actor=p("quzhang"), task_id=head.pk, opinion="", on=START)  # no opinion
    with pytest.raises(Refused):
        services.task_complete(actor=p("fuqu1"), task_id=head.pk, opinion="同意", on=START)  # not his task
    assert len(unread("quzhang", head)) == 1


def test_returning_a_task_marks_its_notifications_read(approval):
    head, _ = leaders_stage(approval)
    services.task_return(actor=p("quzhang"), task_id=head.pk, opinion="请补充资金测算依据", on=START)
    assert unread("quzhang", head) == []
    assert unread("czj")  # the originator is told of the return, unread


def test_handing_a_task_over_marks_the_holders_notice_read_and_the_new_one_unread(approval):
    head, _ = leaders_stage(approval)
    services.task_nudge(actor=p("bgs-zhuren"), task_id=head.pk, note="请尽快批示")
    # the 区长 is away: the 常务副区长 acts for him (art. 15), so the office hands the 批示 to him
    org_services.absence_create(actor=None, person=p("quzhang"), designated_by=p("quzhang"), start=START, end=START + dt.timedelta(days=2),
                                reason="出差")
    new = services.task_reassign(actor=p("bgs-zhuren"), task_id=head.pk, to=p("changwu"), note="请李乙同志代为批示",
                                 on=START)
    assert unread("quzhang", head) == []  # the holder's notices, though the office acted
    assert [n.task_id for n in unread("changwu", new)] == [new.pk]


def test_acknowledging_a_circulation_marks_its_notice_read(approval):
    services.circulation_send(actor=p("bgs-zhuren"), approval_id=approval.pk, people=[p("fuqu1")], note="请阅知")
    reading = open_task(approval, "fuqu1")
    assert len(unread("fuqu1", reading)) == 1
    services.circulation_ack(actor=p("fuqu1"), task_id=reading.pk)
    assert unread("fuqu1", reading) == []
