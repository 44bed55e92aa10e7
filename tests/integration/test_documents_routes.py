"""The documents' approval routes of art. 67–69 run end to end, each shown both ways: 会签 of a 请示
touching other units' powers (doc.countersign), an office document referred up to the 区长
(doc.issue_office_by_head), a document the 区长 signs himself (doc.signed_by_head), and the notice
to the implementing units to prepare (W68.prepare_notice)."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.documents import facts, intake, issuing, services
from zhengwu.documents.models import Document
from zhengwu.errors import Refused
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Notification

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


def run(doc):
    """Complete every open step with its assignee until the approval ends; who did what, in order."""
    order = []
    doc.refresh_from_db()
    while doc.approval.status == "running":
        for t in doc.approval.tasks.filter(status="open", kind="step").select_related("assignee").order_by("id"):
            order.append((t.step_id, t.assignee.username))
            wf.task_complete(actor=t.assignee, task_id=t.pk, opinion="同意", on=DAY)
        doc.refresh_from_db()
    return order


def school_request():
    return services.document_draft(
        actor=p("jyj"), unit=u("教育局"), direction="incoming", kind="请示", title="关于解决农村学校取暖经费的请示",
        main_recipients=["区人民政府"], body="……妥否，请批示。", important=True, collective_ref="教育局党组会议纪要〔2026〕8号",
        facts={"decision_needed_by": "2026-11-20", "touches_other_units": ["区财政局"]}, on=DAY)


@pytest.mark.rules("R67.countersign", "doc.countersign")
def test_a_request_touching_another_units_powers_is_countersigned_before_it_can_be_submitted(gov):
    doc = school_request()
    with pytest.raises(Refused) as e:  # not countersigned: refused citing art. 67
        intake.document_submit(actor=p("jyj"), document_id=doc.pk, on=DAY)
    [v] = [v for v in e.value.violations if v.rule_id == "R67.countersign"]
    assert v.article == 67 and "区财政局" in v.message and v.message.endswith("（《工作规则》第六十七条）")

    intake.document_countersign_request(actor=p("jyj"), document_id=doc.pk, on=DAY)
    with pytest.raises(Refused):  # once at a time
        intake.document_countersign_request(actor=p("jyj"), document_id=doc.pk, on=DAY)
    assert run(doc) == [("countersign", "czj"), ("unit_sign", "jyj")]
    doc.refresh_from_db()
    assert (doc.status, doc.facts["countersigned_by"]) == ("draft", ["区财政局"])
    intake.document_submit(actor=p("jyj"), document_id=doc.pk, on=DAY)
    assert Document.objects.get(pk=doc.pk).status == "submitted"


@pytest.mark.rules("R67.countersign")
def test_a_request_whose_views_were_asked_in_writing_goes_up_without_countersigning_unless_they_disagree(gov):
    """Art. 67: 书面征求意见 always; 会签 only where disagreement persists (with the head's talks, each
    side's reasons and a proposal)."""
    def request(**facts):
        return services.document_draft(
            actor=p("jyj"), unit=u("教育局"), direction="incoming", kind="请示", title="关于解决农村学校取暖经费的请示",
            main_recipients=["区人民政府"], body="……妥否，请批示。", important=True,
            collective_ref="教育局党组会议纪要〔2026〕8号", on=DAY,
            facts={"decision_needed_by": "2026-11-20", "touches_other_units": ["区财政局"],
                   "consulted_in_writing": ["区财政局"], **facts})

    agreed = request()
    intake.document_submit(actor=p("jyj"), document_id=agreed.pk, on=DAY)
    assert Document.objects.get(pk=agreed.pk).status != "draft"
    disputed = request(disagreement=True, head_negotiated=True, reasons_listed=True, proposal=True)
    with pytest.raises(Refused) as e:
        intake.document_submit(actor=p("jyj"), document_id=disputed.pk, on=DAY)
    [v] = [v for v in e.value.violations if v.rule_id == "R67.countersign"]
    assert (v.field, v.article) == ("countersigned_by", 67) and "会签" in v.message
    assert Document.objects.get(pk=disputed.pk).status == "draft"


@pytest.mark.rules("R67.site_verification")
def test_asking_the_government_to_issue_in_its_name_needs_site_verification(gov):
    """Art. 67: 申请以区政府或区政府办公室名义上报或下发公文，要认真做好实地考察和情况核实."""
    def request(**facts):
        return services.document_draft(
            actor=p("jyj"), unit=u("教育局"), direction="incoming", kind="请示", title="关于以区政府名义印发校园安全方案的请示",
            main_recipients=["区人民政府"], body="……妥否，请批示。", on=DAY,
            facts={"decision_needed_by": "2026-11-20", "asks_government_issue": True, **facts})

    unchecked = request()
    with pytest.raises(Refused) as e:
        intake.document_submit(actor=p("jyj"), document_id=unchecked.pk, on=DAY)
    [v] = [v for v in e.value.violations if v.rule_id == "R67.site_verification"]
    assert (v.field, v.article) == ("site_verified", 67) and v.message.endswith("（《工作规则》第六十七条）")
    checked = request(site_verified=True)
    intake.document_submit(actor=p("jyj"), document_id=checked.pk, on=DAY)
    assert Document.objects.get(pk=checked.pk).status == "submitted"


def test_only_a_request_naming_the_units_concerned_goes_for_countersigning(gov):
    doc = school_request()
    with pytest.raises(Refused) as e:
        intake.document_countersign_request(actor=p("czj"), document_id=doc.pk, on=DAY)
    assert e.value.status == 403
    plain = services.document_draft(actor=p("jyj"), unit=u("教育局"), direction="incoming", kind="请示", title="关于X的请示",
                                    main_recipients=["区人民政府"], on=DAY)
    with pytest.raises(Refused) as e:
        intake.document_countersign_request(actor=p("jyj"), document_id=plain.pk, on=DAY)
    assert e.value.field == "facts.touches_other_units"


def office_notice(title, **extra):
    return services.document_draft(actor=p("wenshu"), unit=u("区政府办"), direction="outgoing", kind="通知",
                                   title=title, main_recipients=["区政府各部门"], body="……", on=DAY, **extra)


@pytest.mark.rules("R69.office_issue", "doc.issue_office_by_head")
def test_an_office_document_referred_up_is_signed_by_the_district_head_and_only_an_office_one_is_referred(gov):
    doc = office_notice("关于开展全区营商环境专项整治的通知", issuing_as="office")
    issuing.document_send_for_signing(actor=p("wenshu"), document_id=doc.pk, referred_to_head=True, on=DAY)
    assert run(doc) == [("director_review", "bgs-zhuren"), ("leader_review", "changwu"), ("head_sign", "quzhang")]
    doc.refresh_from_db()
    assert (doc.approval.route_id, doc.status, doc.signer.username) == ("doc.issue_office_by_head", "signed", "quzhang")
    assert services.document_number(actor=p("wenshu"), document_id=doc.pk, on=DAY).doc_number == "白洮政办发〔2026〕1号"

    government = office_notice("关于印发某某方案的通知", issuing_as="government")
    with pytest.raises(Refused) as e:  # a government document is the 区长's anyway: nothing to refer
        issuing.document_send_for_signing(actor=p("wenshu"), document_id=government.pk, referred_to_head=True, on=DAY)
    assert e.value.field == "referred_to_head" and "第六十九条" in e.value.message
    # the 区长 signing an office document nobody referred to him is refused (art. 69)
    found = rules.check("documents.signing", facts.signing(
        doc, reviews_done=("office_director", "unit_leader"), signer_role="district_head"), on=DAY)
    assert [(v.rule_id, v.article, v.field) for v in found] == [("R69.office_issue", 69, "referred_to_head")]


@pytest.mark.rules("R69.head_signs", "doc.signed_by_head")
def test_a_report_to_the_city_government_is_signed_by_the_district_head_himself(gov):
    doc = office_notice("关于洮北区2026年安全生产工作情况的报告", issuing_as="government",
                        facts={"upward_to": "city", "upward": True})
    issuing.document_send_for_signing(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    assert run(doc)[-1] == ("head_sign", "quzhang")
    doc.refresh_from_db()
    assert (doc.approval.route_id, doc.signer.username) == ("doc.signed_by_head", "quzhang")
    # signed by the 常务副区长 instead: refused citing art. 69
    found = rules.check("documents.signing", facts.signing(
        doc, reviews_done=("office_deputy_director", "office_director", "unit_leader"),
        signer_role="executive_deputy"), on=DAY)
    assert [(v.rule_id, v.article) for v in found] == [("R69.head_signs", 69)]


@pytest.mark.rules("W68.prepare_notice")
def test_the_implementing_units_are_told_to_prepare_only_once_the_leaders_have_it(gov):
    doc = services.document_draft(actor=p("dfx"), unit=u("东风乡"), direction="incoming", kind="请示",
                                  title="关于东风乡抗旱应急水源工程资金的请示", main_recipients=["区人民政府"], body="……",
                                  important=True, collective_ref="东风乡党委会纪要〔2026〕9号",
                                  facts={"decision_needed_by": "2026-11-20"}, on=DAY)
    intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    with pytest.raises(Refused) as e:  # not yet with the leaders
        intake.document_notify_prepare(actor=p("wenshu"), document_id=doc.pk, units=[u("财政局")])
    assert e.value.field == "document_id"
    intake.document_route(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    assert intake.document_notify_prepare(actor=p("wenshu"), document_id=doc.pk, units=[u("财政局")]) == 1
    assert Notification.objects.filter(person=p("czj"), title__startswith="请先行准备").exists()
