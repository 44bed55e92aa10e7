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


@pytest.mark.rules("doc.intake")
def test_other_leaders_concerned_instruct_after_the_leader_in_charge_in_series(registered):
    """Art. 68: 分送区政府领导审批 — a leader concerned besides the one in charge, one after the other."""
    intake.document_route(actor=p("wenshu"), document_id=registered.pk, concerned=[p("fuqu1")], on=DAY)
    assert instruction_holder(registered) == "fuqu3"
    [first] = Task.objects.filter(approval=registered.approval, status="open")
    wf.task_complete(actor=p("fuqu3"), task_id=first.pk, opinion="同意", on=DAY)
    [then] = Task.objects.filter(approval=registered.approval, status="open")
    assert (then.step_id, then.assignee.username) == ("concerned_instruct", "fuqu1")
    wf.task_complete(actor=p("fuqu1"), task_id=then.pk, opinion="同意，注意安全", on=DAY)
    registered.refresh_from_db()
    assert registered.status == "answered" and "王丙（批示）：同意，注意安全" in registered.answer


@pytest.mark.rules("doc.intake_urgent")
def test_other_leaders_concerned_instruct_beside_the_leader_in_charge_when_urgent():
    doc = urgent_request()
    intake.document_route(actor=p("wenshu"), document_id=doc.pk, parallel=True, concerned=[p("fuqu1")], on=DAY)
    doc.refresh_from_db()
    [review] = doc.approval.tasks.filter(status="open")
    wf.task_complete(actor=review.assignee, task_id=review.pk, opinion="呈阅", on=DAY)
    holders = sorted(t.assignee.username for t in Task.objects.filter(approval=doc.approval, status="open"))
    assert holders == ["fuqu1", "fuqu3"]


def test_only_leaders_are_sent_a_request_for_their_instruction(registered):
    with pytest.raises(Refused) as e:
        intake.document_route(actor=p("wenshu"), document_id=registered.pk, concerned=[p("czj")], on=DAY)
    assert e.value.field == "concerned" and e.value.message.endswith("（《工作规则》第六十八条）")
    registered.refresh_from_db()
    assert registered.approval_id is None


def test_the_office_names_the_domain_and_the_leaders_concerned_on_the_route_form(registered, client):
    client.force_login(p("wenshu"))
    page = client.get(f"/documents/{registered.pk}/").content.decode()
    assert 'name="domain"' in page and f'name="concerned" value="{p("fuqu1").pk}"' in page
    assert f'name="concerned" value="{p("quzhang").pk}"' not in page  # the 区长: tick 重大事项 instead
    r = client.post(f"/documents/{registered.pk}/route/", {"domain": "education", "concerned": [p("fuqu1").pk]})
    assert r.status_code == 302, r.content.decode()[:500]
    registered.refresh_from_db()
    assert registered.approval.context["domain"] == "education"
    assert registered.approval.context["concerned_position_ids"] == [p("fuqu1").appointments.get().position_id]
