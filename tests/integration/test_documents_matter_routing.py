"""Art. 68 (按照区政府领导分工呈批) with art. 14: a request goes to the leader in charge of the matter.
The office may name the matter's domain when it routes; the 批示 then goes to the leader whose 分工
holds that domain. Without it, to the leader in charge of the submitting unit."""

import datetime as dt

import pytest

from zhengwu.documents import intake, services
from zhengwu.errors import Refused
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)


def p(username):
    return Person.objects.get(username=username)


@pytest.fixture
def registered():
    demo.load()
    doc = services.document_draft(actor=p("dfx"), unit=Unit.objects.get(short_name="东风乡"), direction="incoming",
                                  kind="请示", title="关于东风乡中心小学校舍维修资金的请示", main_recipients=["区人民政府"],
                                  body="……特此请示。", facts={"decision_needed_by": "2026-11-30"}, on=DAY)
    intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    return doc


def instruction_holder(doc) -> str:
    doc.refresh_from_db()
    [review] = doc.approval.tasks.filter(status="open")
    wf.task_complete(actor=review.assignee, task_id=review.pk, opinion="呈阅", on=DAY)
    [instruct] = Task.objects.filter(approval=doc.approval, status="open", step_id="leader_instruct")
    return instruct.assignee.username


@pytest.mark.rules("doc.intake")
def test_a_towns_school_request_goes_to_the_leader_in_charge_of_education_when_the_office_names_it(registered):
    intake.document_route(actor=p("wenshu"), document_id=registered.pk, domain="education", on=DAY)
    assert instruction_holder(registered) == "fuqu2"  # 赵丁: 教育、卫生


@pytest.mark.rules("doc.intake")
def test_without_a_domain_it_goes_to_the_leader_in_charge_of_the_submitting_unit(registered):
    intake.document_route(actor=p("wenshu"), document_id=registered.pk, on=DAY)
    assert instruction_holder(registered) == "fuqu3"  # 钱戊 is in charge of 东风乡


def test_an_unknown_domain_is_refused_naming_the_field_and_nothing_is_routed(registered):
    with pytest.raises(Refused) as e:
        intake.document_route(actor=p("wenshu"), document_id=registered.pk, domain="nonsense", on=DAY)
    assert e.value.field == "domain"
    registered.refresh_from_db()
    assert (registered.status, registered.approval_id) == ("registered", None)


def urgent_request():
    demo.load()
    doc = services.document_draft(actor=p("dfx"), unit=Unit.objects.get(short_name="东风乡"), direction="incoming",
                                  kind="请示", title="关于东风乡抗旱应急水源工程的紧急请示", main_recipients=["区人民政府"],
                                  body="……特此请示。", urgency="加急", urgency_reason="旱情紧急",
                                  facts={"decision_needed_by": "2026-11-10"}, on=DAY)
    intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    return doc


@pytest.mark.parametrize("major,leaders", [(False, ["fuqu3"]), (True, ["fuqu3", "quzhang"])])
@pytest.mark.rules("doc.intake_urgent")
def test_an_urgent_request_goes_to_the_district_head_in_parallel_only_when_it_is_a_major_matter(major, leaders):
    """Art. 68: 重大事项报区长审批; 紧急公文可采取串并联方式 — the 区长 is in the parallel stage for major ones."""
    doc = urgent_request()
    intake.document_route(actor=p("wenshu"), document_id=doc.pk, major=major, parallel=True, on=DAY)
    doc.refresh_from_db()
    [review] = doc.approval.tasks.filter(status="open")
    wf.task_complete(actor=review.assignee, task_id=review.pk, opinion="呈阅", on=DAY)
    holders = [t.assignee.username for t in Task.objects.filter(approval=doc.approval, status="open").order_by("id")]
    assert holders == leaders
