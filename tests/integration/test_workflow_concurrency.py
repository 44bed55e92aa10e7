"""Two people act on the same task at the same moment: exactly one wins, the other is told.
Real threads, each with its own database connection, on SQLite (file database, IMMEDIATE
transactions) and on PostgreSQL (row lock + conditional update)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from zhengwu.errors import Refused
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import access, services
from zhengwu.workflow.models import Task

START = dt.date(2026, 9, 28)


def p(username):
    return Person.objects.get(username=username)


def race(monkeypatch, *calls):
    """Run the calls in threads; each passes its access check, then all write at the same moment."""
    barrier = threading.Barrier(len(calls), timeout=30)
    for name in ("task_for_action", "task_for_reassign"):
        original = getattr(access, name)

        def gated(*args, _original=original, **kwargs):
            task = _original(*args, **kwargs)
            barrier.wait()  # everyone holds the same (open) task before anyone writes
            return task

        monkeypatch.setattr(access, name, gated)
    outcomes = [None] * len(calls)

    def run(i, fn):
        try:
            outcomes[i] = ("ok", fn())
        except Refused as e:
            outcomes[i] = ("refused", e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


@pytest.fixture
def review_task(transactional_db):
    demo.load()
    approval = services.approval_start(actor=p("jyj"), route_id="doc.intake", obj_type="test.request", obj_id="1",
                                       title="关于新建第三小学的请示", applicant_unit=Unit.objects.get(short_name="教育局"),
                                       on=START)
    return approval.tasks.get(status="open")


@pytest.mark.parametrize("second", ["complete", "reassign"])
def test_exactly_one_of_two_simultaneous_actions_wins(monkeypatch, review_task, second):
    director, deputy = p("bgs-zhuren"), p("bgs-fuzhuren")
    first = lambda: services.task_complete(actor=director, task_id=review_task.pk, opinion="同意", on=START)  # noqa
    if second == "complete":  # the same person from two devices
        other = lambda: services.task_complete(actor=director, task_id=review_task.pk, opinion="拟同意", on=START)  # noqa
    else:  # the deputy director, acting for the director while he is away (art. 15), takes it over at the same moment
        from zhengwu.org import services as org_services

        org_services.absence_create(actor=None, person=director, start=START, end=START, reason="出差", substitute=deputy)
        other = lambda: services.task_reassign(actor=deputy, task_id=review_task.pk, to=deputy, on=START)  # noqa
    outcomes = race(monkeypatch, first, other)
    kinds = sorted(o[0] for o in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    refused = next(o[1] for o in outcomes if o[0] == "refused")
    assert refused.status == 409 and "请刷新" in refused.message
    review_task.refresh_from_db()
    assert review_task.status in ("done", "reassigned") and review_task.version == 1
    # whichever won, the route moved on exactly once: one open task, not two
    assert Task.objects.filter(approval=review_task.approval, status="open").count() == 1
