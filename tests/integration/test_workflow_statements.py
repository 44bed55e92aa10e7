"""The statements of the approval step that benchmark P1 drives (docs/performance.md): a 收文 in
doc.intake — the office's review, then the 分管领导's 批示 that finishes the approval and answers
the unit. Pinned (measured when written, plus one) so that a statement added back is noticed;
and what the step does is checked in full, so fewer statements cannot mean less done."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu.audit.models import AuditEvent
from zhengwu.documents import intake, services
from zhengwu.documents.models import Document
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Approval, Notification

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday
# measured: SQLite 16 and 19, PostgreSQL 17 and 20 (before the e-mail outbox and the rest: 18 and 31);
# then one more each: the task's notifications marked read in the step (notify.mark_task_handled);
# then one more: the approval's status re-read after a step on routes whose domain acts on each
# answer (on_task_done, as 收文 does), which may end the route (a refused 副区长 leave, art. 89)
REVIEW_AT_MOST = 21
INSTRUCT_AT_MOST = 24


def p(username):
    return Person.objects.get(username=username)


@pytest.fixture
def routed():
    demo.load()
    doc = services.document_draft(actor=p("dfx"), unit=Unit.objects.get(short_name="东风乡"), direction="incoming",
                                  kind="请示", title="关于东风乡抗旱应急水源工程资金的请示",
                                  main_recipients=["区人民政府"], urgency="一般", body="特此请示。",
                                  collective_ref="东风乡党委会纪要〔2026〕9号",
                                  facts={"decision_needed_by": "2026-11-30"}, on=DAY)
    intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    intake.document_route(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    doc.refresh_from_db()
    return doc


def complete(task, opinion):
    actor = task.assignee
    with CaptureQueriesContext(connection) as ctx:
        wf.task_complete(actor=actor, task_id=task.pk, opinion=opinion, on=DAY)
    return len(ctx)


def test_the_review_and_the_instruction_that_answers_in_few_statements(routed):
    doc = routed
    approval = doc.approval
    [review] = approval.tasks.filter(status="open").select_related("assignee")
    assert review.assignee.username == "bgs-zhuren"
    n_review = complete(review, "拟请钱戊副区长阅示")
    [instruct] = approval.tasks.filter(status="open").select_related("assignee")
    assert (instruct.step_id, instruct.assignee.username) == ("leader_instruct", "fuqu3")  # 东风乡: 钱戊's 分工
    before = {n.pk for n in Notification.objects.all()}
    n_instruct = complete(instruct, "同意，请农业农村局指导实施")

    # what the 批示 did: the approval finished, the document answered with the 批示, the clerk, the
    # drafter and the signer told of the 批示 (once each), the drafter of the answer and the
    # originator of the finish, every step audited
    approval.refresh_from_db()
    doc.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED and approval.finished_on == DAY
    assert (doc.status, doc.answered_on) == (Document.Status.ANSWERED, DAY)
    assert doc.answer == "钱戊（批示）：同意，请农业农村局指导实施"
    new = Notification.objects.exclude(pk__in=before).select_related("person")
    told = sorted((n.person.username, n.title.split("：")[0], n.mail_to) for n in new)
    assert told == sorted([
        ("wenshu", "钱戊已批示", "wenshu@taobei.example"), ("dfx", "钱戊已批示", "dfx@taobei.example"),
        ("wenshu", "已办结", "wenshu@taobei.example"), ("dfx", "区政府已答复", "dfx@taobei.example")])
    assert {n.key for n in new if n.title.startswith("钱戊已批示")} == \
        {f"instruction:{instruct.pk}:{p('wenshu').pk}", f"instruction:{instruct.pk}:{p('dfx').pk}"}
    actions = list(AuditEvent.objects.filter(obj_id__in=[str(approval.pk), str(doc.pk)],
                                             obj_type__in=["workflow.approval", "documents.document"])
                   .order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == ["workflow.task.complete", "workflow.approval.finish", "documents.document.answer"]

    assert n_review <= REVIEW_AT_MOST, f"the review took {n_review} statements"
    assert n_instruct <= INSTRUCT_AT_MOST, f"the 批示 took {n_instruct} statements"
