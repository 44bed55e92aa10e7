"""A department's own normative document (art. 25): without the prior written request, the
司法局's legality review, the 分管领导's review and the 区长's approval it cannot be issued in the
department's name (R25.department_procedure, citing art. 25); with them — run on the rulebook route
doc.normative_department — the department's head signs it, it gets the department's number, is
issued, and gets the filing and evaluation reminders like the government's normative documents.
Through the services, the API and the web detail page."""

import datetime as dt
import io
import zipfile

import pytest

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.documents import department, facts, issuing, render, services
from zhengwu.documents.models import Document
from zhengwu.errors import Forbidden, Refused
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Notification, Task
from zhengwu.workflow.tick import tick

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture(scope="module")
def demo_today():
    return DAY  # the module's data is loaded as of the day its tests run on (tests/conftest.py)


def p(username):
    return Person.objects.get(username=username)


def u(short_name):
    return Unit.objects.get(short_name=short_name)


def draft(**normative):
    # the drafter's own claims about the procedure are ignored: only the route counts
    return services.document_draft(
        actor=p("jyj"), unit=u("教育局"), direction="outgoing", kind="通知", issuing_as="unit", is_normative=True,
        title="洮北区校外培训机构管理办法", main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"],
        body="第一条 为规范校外培训机构办学行为，制定本办法。\n第二条 本办法自印发之日起施行。",
        facts={"normative": {"departments_involved": 1, **normative}}, on=DAY)


def open_task(doc):
    doc.refresh_from_db()
    return doc.approval.tasks.filter(status="open", kind="step").select_related("assignee").order_by("id").first()


def run_procedure(doc, *, legality="通过", head="批准"):
    department.document_request_approval(actor=p("jyj"), document_id=doc.pk, on=DAY)
    steps = []
    t = open_task(doc)
    steps.append((t.step_id, t.assignee.username))
    wf.task_complete(actor=t.assignee, task_id=t.pk, opinion="请示符合要求，拟请司法局审查", on=DAY)
    t = open_task(doc)
    steps.append((t.step_id, t.assignee.username))  # external:司法部门 — the office hands it to the 司法局
    t = wf.task_reassign(actor=t.assignee, task_id=t.pk, to=p("sfj"), note="请司法局进行合法性审查", on=DAY)
    wf.task_complete(actor=p("sfj"), task_id=t.pk, decision=legality, opinion="经审查", on=DAY)
    while (t := open_task(doc)) is not None:
        steps.append((t.step_id, t.assignee.username))
        wf.task_complete(actor=t.assignee, task_id=t.pk, opinion="同意", decision=head if t.choices else "", on=DAY)
    doc.refresh_from_db()
    return steps


@pytest.mark.rules("R25.department_procedure")
def test_a_department_issuing_its_normative_document_without_the_procedure_is_refused_citing_art_25(gov):
    doc = draft(prior_written_request=True, legality_review_by="区司法局", legality_reviewer_is_justice=True,
                leader_reviewed=True, head_approved=True)  # typed, not done: does not count
    assert facts.normative(doc).head_approved is False
    before = AuditEvent.objects.count()
    with pytest.raises(Refused) as e:
        department.document_sign_as_unit(actor=p("jyj"), document_id=doc.pk, on=DAY)
    found = [v for v in e.value.violations if v.rule_id == "R25.department_procedure"]
    assert {v.field for v in found} == {"prior_written_request", "legality_review_by", "leader_reviewed",
                                        "head_approved"}
    assert all(v.article == 25 and v.message.endswith("（《工作规则》第二十五条）") for v in found)
    with pytest.raises(Refused) as e:  # nor through the government's signing route
        issuing.document_send_for_signing(actor=p("jyj"), document_id=doc.pk, on=DAY)
    assert "R25.department_procedure" in {v.rule_id for v in e.value.violations}
    with pytest.raises(Refused):  # and it cannot be numbered unsigned
        services.document_number(actor=p("jyj"), document_id=doc.pk, on=DAY)
    doc.refresh_from_db()
    assert (doc.status, doc.doc_number, doc.signer_id) == ("draft", "", None)
    assert AuditEvent.objects.count() == before


@pytest.mark.rules("R25.department_procedure", "doc.normative_department", "W25.post_evaluation",
                   "doc.normative_evaluation")
def test_with_the_procedure_the_department_signs_numbers_and_issues_it_evaluated_but_not_filed_with_the_npc(gov):
    doc = draft()
    steps = run_procedure(doc)
    # office review, legality review (司法部门), then the 分管领导 of 教育局 (赵丁), then the 区长
    assert steps == [("office_review", "bgs-zhuren"), ("legality_review", "bgs-zhuren"),
                     ("leader_review", "fuqu2"), ("head_approve", "quzhang")]
    assert doc.status == "approved"
    assert department.procedure_facts(doc) == {
        "prior_written_request": True, "legality_review_by": "区司法局", "legality_reviewer_is_justice": True,
        "leader_reviewed": True, "head_approved": True}
    assert Notification.objects.filter(person=p("jyj"), title__startswith="区长已批准").exists()

    with pytest.raises(Forbidden):  # in the department's name only its head signs
        department.document_sign_as_unit(actor=p("czj"), document_id=doc.pk, on=DAY)
    department.document_sign_as_unit(actor=p("jyj"), document_id=doc.pk, on=DAY)
    doc = services.document_number(actor=p("jyj"), document_id=doc.pk, on=DAY)
    assert doc.doc_number == "白洮教育规〔2026〕1号"
    issuing.document_issue(actor=p("jyj"), document_id=doc.pk, on=DAY)
    doc.refresh_from_db()
    assert (doc.status, doc.signer.username, doc.signed_on) == ("issued", "jyj", DAY)

    xml = zipfile.ZipFile(io.BytesIO(render.render_docx(doc))).read("word/document.xml").decode()
    assert "区教育局文件" in xml and "白洮教育规〔2026〕1号" in xml

    # art. 25: only what the 区政府 makes is filed with the 区人大常委会; the department's own is evaluated
    [evaluation] = issuing.followups(doc)
    assert (evaluation.action, evaluation.assignee.username) == ("评估", "jyj")
    assert not Task.objects.filter(approval__route_id="doc.normative_filing", approval__obj_id=str(doc.pk)).exists()
    assert AuditEvent.objects.filter(obj_type="documents.document", obj_id=str(doc.pk), article=25).count() >= 3


@pytest.mark.rules("R25.department_procedure", "doc.normative_department")
def test_a_failed_legality_review_or_refusal_sends_it_back_and_it_still_cannot_be_signed(gov):
    doc = draft()
    run_procedure(doc, legality="不通过")
    assert doc.status == "returned"
    assert department.procedure_facts(doc)["legality_review_by"] == ""
    with pytest.raises(Refused) as e:
        department.document_sign_as_unit(actor=p("jyj"), document_id=doc.pk, on=DAY)
    assert {v.field for v in e.value.violations if v.rule_id == "R25.department_procedure"} == {"legality_review_by"}
    assert (Document.objects.get(pk=doc.pk).status, Document.objects.get(pk=doc.pk).signer_id) == ("returned", None)


def test_only_the_departments_own_normative_document_takes_the_request(gov):
    ordinary = services.document_draft(actor=p("jyj"), unit=u("教育局"), direction="outgoing", kind="通知",
                                       issuing_as="unit", title="关于做好寒假安全教育的通知", main_recipients=["各乡镇人民政府"],
                                       body="……", on=DAY)
    with pytest.raises(Refused) as e:
        department.document_request_approval(actor=p("jyj"), document_id=ordinary.pk, on=DAY)
    assert "第二十五条" in e.value.message
    with pytest.raises(Forbidden):  # another unit cannot ask for it
        department.document_request_approval(actor=p("czj"), document_id=draft().pk, on=DAY)
    # an ordinary document in its own name: the head signs it, no procedure; own series
    department.document_sign_as_unit(actor=p("jyj"), document_id=ordinary.pk, on=DAY)
    assert services.document_number(actor=p("jyj"), document_id=ordinary.pk, on=DAY).doc_number == "白洮教育发〔2026〕1号"
    issuing.document_issue(actor=p("jyj"), document_id=ordinary.pk, on=DAY)
    assert issuing.followups(ordinary) == []  # not normative: no filing or evaluation route


def test_the_api_and_the_detail_page_run_the_department_procedure(gov, client):
    key = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=None, person=p('jyj'), name='t')[1]}"}
    doc = draft()
    r = client.post(f"/api/v1/documents/{doc.pk}/sign-as-unit", **key)
    assert r.status_code == 400
    assert {v["article"] for v in r.json()["violations"] if v["rule_id"] == "R25.department_procedure"} == {25}

    client.force_login(p("jyj"))
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert f'action="/documents/{doc.pk}/request/"' in page
    r = client.post(f"/documents/{doc.pk}/request/")
    assert r.status_code == 302
    doc.refresh_from_db()
    assert (doc.status, doc.approval.route_id) == ("in_approval", "doc.normative_department")
    r = client.post(f"/api/v1/documents/{doc.pk}/request-approval", **key)
    assert r.status_code == 409  # already asked

    other = draft()
    r = client.post(f"/api/v1/documents/{other.pk}/request-approval", **key)
    assert r.status_code == 200 and r.json()["approval"]["route_id"] == "doc.normative_department"
    czj = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=None, person=p('czj'), name='t')[1]}"}
    assert client.post(f"/api/v1/documents/{other.pk}/sign-as-unit", **czj).status_code == 403
