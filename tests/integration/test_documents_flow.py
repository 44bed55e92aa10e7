"""Documents end to end: a town's 请示 through intake, parallel 批示 and the answer (art. 67–68);
a normative document from 代拟 to 签发, numbering, .docx and the filing reminder (art. 25, 69–70)."""

import datetime as dt
import io
import zipfile

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.documents import intake, issuing, render, services
from zhengwu.documents.models import Document
from zhengwu.errors import Refused
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Notification, Task
from zhengwu.workflow.tick import tick

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


def p(username):
    return Person.objects.get(username=username)


def u(short_name):
    return Unit.objects.get(short_name=short_name)


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


def town_request(**overrides):
    fields = dict(actor=p("dfx"), unit=u("东风乡"), direction="incoming", kind="请示",
                  title="关于东风乡抗旱应急水源工程资金的请示", main_recipients=["区人民政府"], urgency="加急",
                  body="东风乡今年旱情严重……特此请示。", important=True, collective_ref="东风乡党委会纪要〔2026〕9号",
                  facts={"decision_needed_by": "2026-11-10"}, on=DAY)
    fields.update(overrides)
    return services.document_draft(**fields)


def open_tasks(doc):
    doc.refresh_from_db()
    return list(doc.approval.tasks.filter(status="open", kind="step").select_related("assignee").order_by("id"))


@pytest.mark.rules("R67.signer", "R67.single_main", "R68.lead_time", "W68.instruction_notice", "doc.intake_urgent")
def test_a_towns_request_goes_through_intake_parallel_instructions_and_the_answer(gov):
    doc = town_request()
    intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    doc.refresh_from_db()
    assert (doc.status, doc.intake_number) == ("registered", "白洮政收〔2026〕1号")
    assert [v.rule_id for v in intake.precheck(doc, on=DAY, signer=p("dfx")) if v.blocks] == []

    intake.document_route(actor=p("wenshu"), document_id=doc.pk, major=True, parallel=True, on=DAY)
    doc.refresh_from_db()
    # art. 68: 加急 — the government's approval within 7 working days of intake
    assert doc.status == "in_approval" and doc.decision_needed_by == dt.date(2026, 11, 11)
    [review] = open_tasks(doc)
    wf.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="拟请钱戊副区长、张甲区长阅示", on=DAY)

    by_step = {t.step_id: t for t in open_tasks(doc)}
    assert by_step["leader_instruct"].assignee.username == "fuqu3"  # 东风乡 is in 钱戊's 分工
    assert by_step["head_instruct"].assignee.username == "quzhang"
    assert all(t.due_on <= doc.decision_needed_by for t in by_step.values())
    # the 副区长 writes first, the 区长 second; the answer lists them by rank, not by time
    wf.task_complete(actor=p("fuqu3"), task_id=by_step["leader_instruct"].pk, opinion="同意，请农业农村局指导实施",
                     on=DAY)
    notified = set(Notification.objects.filter(title__contains="已批示").values_list("person__username", flat=True))
    assert {"wenshu", "dfx"} <= notified  # the clerk and the submitting unit, at once
    wf.task_complete(actor=p("quzhang"), task_id=by_step["head_instruct"].pk, opinion="同意，财政局统筹解决资金",
                     on=DAY)
    [collect] = open_tasks(doc)
    wf.task_complete(actor=p("bgs-zhuren"), task_id=collect.pk, opinion="已汇总", on=DAY)

    doc.refresh_from_db()
    assert doc.status == "answered" and doc.answered_on == DAY
    lines = doc.answer.splitlines()
    assert lines[0].startswith("张甲") and lines[1].startswith("钱戊")
    assert [t.opinion for t in intake.instructions(doc)] == ["同意，财政局统筹解决资金", "同意，请农业农村局指导实施"]
    assert Notification.objects.filter(person=p("dfx"), title__startswith="区政府已答复").exists()


@pytest.mark.rules("R67.single_main", "R67.via_office", "R68.lead_time", "R68.urgent_reason")
def test_a_submission_that_breaks_the_rules_is_refused_with_every_article_and_nothing_changes(gov):
    doc = town_request(main_recipients=["区人民政府", "区政府"], urgency="特急",
                       facts={"decision_needed_by": "2026-11-03", "addressed_to_leader_personally": True})
    before = AuditEvent.objects.count()
    with pytest.raises(Refused) as e:
        intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    found = {v.rule_id: v for v in e.value.violations}
    assert {"R67.single_main", "R67.via_office", "R68.urgent_reason"} <= set(found)
    assert found["R67.single_main"].message.endswith("（《工作规则》第六十七条）")
    doc.refresh_from_db()
    assert doc.status == "draft" and AuditEvent.objects.count() == before
    # 一般: at least 7 working days before a decision is needed
    slow = town_request(title="关于东风乡修缮村部的请示", urgency="一般", facts={"decision_needed_by": "2026-11-06"})
    with pytest.raises(Refused) as e:
        intake.document_submit(actor=p("dfx"), document_id=slow.pk, on=DAY)
    assert [v.rule_id for v in e.value.violations if v.blocks] == ["R68.lead_time"]
    ok = town_request(title="关于东风乡修缮村委会的请示", urgency="一般", facts={"decision_needed_by": "2026-11-11"})
    assert intake.document_submit(actor=p("dfx"), document_id=ok.pk, on=DAY).status == "submitted"


def test_only_the_unit_submits_and_only_the_office_registers_and_returns(gov):
    doc = town_request()
    with pytest.raises(Refused) as e:
        intake.document_submit(actor=p("jyj"), document_id=doc.pk, on=DAY)
    assert e.value.status == 403
    intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    with pytest.raises(Refused):
        intake.document_register(actor=p("dfx"), document_id=doc.pk, on=DAY)
    with pytest.raises(Refused) as e:
        intake.document_return(actor=p("wenshu"), document_id=doc.pk, reasons=" ", on=DAY)
    assert e.value.field == "reasons"
    intake.document_return(actor=p("wenshu"), document_id=doc.pk, reasons="请补充资金测算依据", on=DAY)
    doc.refresh_from_db()
    assert doc.status == "returned"
    assert intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY).status == "submitted"


@pytest.mark.rules("R89.classified_body")
def test_a_classified_document_is_metadata_only(gov):
    with pytest.raises(Refused) as e:
        town_request(classification="机密", body="正文")
    assert e.value.field == "body" and "涉密" in e.value.message
    doc = town_request(classification="机密", body="")
    assert doc.classified and doc.body == ""


NORMATIVE_DONE = {"legality_review_by": "区司法局", "legality_reviewer_is_justice": True,
                  "public_participation": True, "risk_assessment": True,
                  "collective_decision_ref": "区政府常务会议纪要〔2026〕11号", "to_be_published": True,
                  "interpretation_material": True, "opinion_plan": True}


def normative_draft(**normative):
    return services.document_draft(
        actor=p("sfj"), unit=u("司法局"), direction="outgoing", kind="通知", issuing_as="government",
        title="洮北区行政执法公示办法", is_normative=True, main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"],
        body="第一条 为规范行政执法公示……\n第二条 本办法自印发之日起施行。",
        facts={"normative": normative, "in_annual_plan": True}, on=DAY)


@pytest.mark.rules("R25.legality_review", "R69.government_issue", "doc.issue_government", "W25.filing",
                   "W25.post_evaluation")
def test_a_normative_document_from_drafting_on_behalf_to_issue_numbering_docx_and_filing(gov):
    missing = normative_draft(**{**NORMATIVE_DONE, "legality_review_by": "", "legality_reviewer_is_justice": False})
    with pytest.raises(Refused) as e:
        issuing.document_send_for_signing(actor=p("sfj"), document_id=missing.pk, on=DAY)
    assert "R25.legality_review" in {v.rule_id for v in e.value.violations}

    doc = normative_draft(**NORMATIVE_DONE)  # 代拟 by the 司法局 on the government's behalf
    issuing.document_send_for_signing(actor=p("sfj"), document_id=doc.pk, on=DAY)
    doc.refresh_from_db()
    order = []
    while doc.status == "in_approval":
        [t] = open_tasks(doc)
        order.append((t.step_id, t.assignee.username))
        wf.task_complete(actor=t.assignee, task_id=t.pk, opinion="同意", on=DAY)
        doc.refresh_from_db()
    # art. 69: 办公室副主任, 主任, 分管领导 (孙己 has 司法局), then the 区长 signs
    assert order == [("deputy_director_review", "bgs-fuzhuren"), ("director_review", "bgs-zhuren"),
                     ("leader_review", "fuqu4"), ("head_sign", "quzhang")]
    assert (doc.status, doc.signer.username, doc.signed_on) == ("signed", "quzhang", DAY)

    services.document_number(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    issuing.document_issue(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    doc.refresh_from_db()
    assert (doc.status, doc.doc_number) == ("issued", "白洮政发〔2026〕1号")

    data = render.render_docx(doc)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "白洮政发〔2026〕1号" in xml and "洮北区行政执法公示办法" in xml and "仿宋_GB2312" in xml

    # filing with the 区人大常委会 within 30 (calendar) days, tracked as a task with reminders
    [filing, evaluation] = issuing.followups(doc)
    assert (filing.action, filing.assignee.username, filing.due_on) == ("备案", "bgs-zhuren", DAY + dt.timedelta(30))
    assert (evaluation.action, evaluation.assignee.username) == ("评估", "sfj")
    tick(on=DAY + dt.timedelta(29))
    assert Notification.objects.filter(kind="reminder", task=filing, person=p("bgs-zhuren")).exists()


def test_an_office_document_is_signed_by_the_executive_deputy(gov):
    doc = services.document_draft(actor=p("wenshu"), unit=u("区政府办"), direction="outgoing", kind="通知",
                                  issuing_as="office", title="关于做好元旦春节期间值班工作的通知",
                                  main_recipients=["区政府各部门"], body="……", facts={"in_annual_plan": True}, on=DAY)
    issuing.document_send_for_signing(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    doc.refresh_from_db()
    while doc.status == "in_approval":
        [t] = open_tasks(doc)
        wf.task_complete(actor=t.assignee, task_id=t.pk, opinion="同意", on=DAY)
        doc.refresh_from_db()
    assert doc.signer.username == "changwu"
    assert services.document_number(actor=p("wenshu"), document_id=doc.pk, on=DAY).doc_number == "白洮政办发〔2026〕1号"
    with pytest.raises(Refused):  # numbering needs a signed document, and a number is given once
        services.document_number(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    assert Task.objects.filter(approval=doc.approval, step_id="countersign").count() == 0


def test_an_unknown_recipient_is_refused_naming_the_field_and_nothing_is_written(gov):
    before = (Document.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Refused) as e:
        town_request(main_recipients=["张甲区长"])
    assert e.value.field == "main_recipients" and "第六十七条" in e.value.message
    with pytest.raises(Refused) as e:
        services.document_draft(actor=p("wenshu"), unit=u("区政府办"), direction="outgoing", kind="通知",
                                issuing_as="office", title="关于值班的通知", main_recipients=["区政府各部门"],
                                cc=["火星人民政府"], body="……", on=DAY)
    assert e.value.field == "cc"
    with pytest.raises(Refused) as e:
        town_request(kind="便函")
    assert e.value.field == "kind"
    with pytest.raises(Refused) as e:
        town_request(title="  ")
    assert e.value.field == "title"
    assert (Document.objects.count(), AuditEvent.objects.count()) == before
    ok = services.document_draft(actor=p("wenshu"), unit=u("区政府办"), direction="outgoing", kind="通知",
                                 issuing_as="office", title="关于值班的通知", main_recipients=["区政府各部门"],
                                 cc=["区委办公室", "教育局"], body="……", on=DAY)
    assert ok.cc == ["区委办公室", "教育局"]


def test_a_routed_request_sent_back_is_told_to_the_drafting_unit_not_only_to_the_clerk(gov):
    doc = town_request(title="关于东风乡村道维修资金的请示")
    intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    intake.document_route(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    [review] = open_tasks(doc)
    wf.task_return(actor=p("bgs-zhuren"), task_id=review.pk, opinion="请补充资金测算依据", on=DAY)
    doc.refresh_from_db()
    assert doc.status == "returned"
    told = Notification.objects.filter(person=p("dfx"), title=f"公文被退回：{doc.title}")
    assert told.count() == 1 and told.get().body == "请补充资金测算依据" and told.get().link == f"/documents/{doc.pk}/"
