"""Agenda items (议题, art. 58–63): who proposes and who confirms, what may go on the agenda, the
prior 专题会议 where departments disagree; the readiness shown meanwhile."""

import datetime as dt

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Forbidden, Refused
from zhengwu.meetings import selectors, services
from zhengwu.meetings.models import AgendaItem
from zhengwu.org import services as org_services
from zhengwu.org.models import Unit

from meetings_support import DAY, item, p, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture
def standing(gov):
    return schedule("standing")


@pytest.mark.rules("R60.agenda")
def test_a_standing_item_is_proposed_by_a_deputy_and_confirmed_by_the_head_art_60(standing):
    it = item(standing, proposer="fuqu1")
    assert (it.status, it.proposer_position) == ("proposed", "deputy_head")
    [r] = selectors.agenda_readiness(standing, on=DAY)
    assert (r.ready, r.state, r.violations) == (True, "ready", [])
    with pytest.raises(Refused) as e:  # a 副区长 cannot confirm it
        services.item_confirm(actor=p("fuqu2"), item_id=it.pk, on=DAY)
    assert e.value.field == "confirmer" and e.value.message.endswith("（《工作规则》第六十条）")
    assert AgendaItem.objects.get(pk=it.pk).status == "proposed"
    it = services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    assert (it.status, it.confirmer_position) == ("confirmed", "district_head")
    assert AuditEvent.objects.filter(action="meetings.item.confirm", obj_id=str(it.pk), article=60).exists()


@pytest.mark.rules("R60.agenda")
def test_a_department_head_cannot_propose_a_standing_item_art_60(standing):
    n = AuditEvent.objects.count()
    with pytest.raises(Forbidden):  # cannot even see the meeting
        item(standing, proposer="czj")
    with pytest.raises(Refused) as e:  # the office sees it, but does not propose items
        item(standing, proposer="bgs-zhuren")
    assert e.value.field == "proposer" and e.value.message.endswith("（《工作规则》第六十条）")
    assert AgendaItem.objects.count() == 0 and AuditEvent.objects.count() == n


@pytest.mark.rules("R61.agenda")
def test_a_head_office_item_is_proposed_by_the_deputy_in_charge_art_61(gov):
    m = schedule("head_office")
    with pytest.raises(Refused) as e:  # the 区长 confirms; he does not propose (分管副区长提出)
        item(m, proposer="quzhang")
    assert e.value.field == "proposer" and e.value.message.endswith("（《工作规则》第六十一条）")
    it = item(m, proposer="fuqu3")
    assert services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY).status == "confirmed"


def unit(short_name: str):
    return Unit.objects.get(short_name=short_name)


@pytest.mark.rules("R61.agenda")
def test_a_deputy_cannot_put_a_head_office_item_of_a_unit_outside_his_portfolio_art_61(gov):
    m = schedule("head_office")
    n = AuditEvent.objects.count()
    with pytest.raises(Refused) as e:  # fuqu3 is in charge of agriculture, not of education
        item(m, proposer="fuqu3", lead_unit_id=unit("教育局").pk)
    assert e.value.field == "proposer" and "由分管的常务副区长或副区长提出，副区长不分管牵头单位区教育局" in e.value.message
    assert e.value.message.endswith("（《工作规则》第六十一条）")
    assert AgendaItem.objects.count() == 0 and AuditEvent.objects.count() == n
    it = item(m, proposer="fuqu3", lead_unit_id=unit("农业农村局").pk)
    assert (it.status, it.lead_unit.short_name) == ("proposed", "农业农村局")


@pytest.mark.rules("R60.agenda")
def test_a_deputy_proposes_a_standing_item_only_for_a_unit_in_his_portfolio_after_coordinating_art_60(standing):
    with pytest.raises(Refused) as e:  # fuqu1: construction and emergency; education is fuqu2's
        item(standing, proposer="fuqu1", lead_unit_id=unit("教育局").pk)
    assert e.value.field == "proposer" and e.value.message.endswith("（《工作规则》第六十条）")
    assert "由分管的常务副区长或副区长协调审核后提出" in e.value.message and "不分管牵头单位区教育局" in e.value.message
    assert item(standing, "议题甲", proposer="fuqu2", lead_unit_id=unit("教育局").pk).status == "proposed"
    assert item(standing, "议题乙", proposer="quzhang", lead_unit_id=unit("教育局").pk).status == "proposed"


@pytest.mark.rules("R62.agenda")
def test_a_topical_item_is_set_by_the_chair_himself_art_62(gov):
    m = schedule("topical", chair="fuqu4", member_ids=[p("sfj").pk])
    it = item(m, proposer="sfj", concerns_whole_district=False)
    with pytest.raises(Refused) as e:  # not the chair, not even the 区长
        services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    assert e.value.field == "confirmer_is_chair" and e.value.message.endswith("（《工作规则》第六十二条）")
    assert services.item_confirm(actor=p("fuqu4"), item_id=it.pk, on=DAY).status == "confirmed"


@pytest.mark.rules("R58.agenda")
def test_a_plenary_item_is_set_by_the_standing_meeting_or_the_head_art_58(gov):
    m = schedule("plenary")
    it = item(m, proposer="changwu")
    with pytest.raises(Refused) as e:
        services.item_confirm(actor=p("changwu"), item_id=it.pk, on=DAY)
    assert e.value.field == "confirmer" and e.value.message.endswith("（《工作规则》第五十八条）")
    with pytest.raises(Refused) as e:  # set by a 区长办公会议: not one of those art. 58 names
        services.item_confirm(actor=p("wenshu"), item_id=it.pk, by_meeting="head_office", by_meeting_ref="第3次", on=DAY)
    assert e.value.field == "confirmed_by_meeting"
    it = services.item_confirm(actor=p("wenshu"), item_id=it.pk, by_meeting="standing",
                               by_meeting_ref="区政府第二十二次常务会议", on=DAY)
    assert (it.status, it.confirmed_by_meeting) == ("confirmed", "standing")


@pytest.mark.rules("R59.agenda")
def test_a_party_group_item_is_confirmed_by_the_party_secretary_art_59(gov):
    m = schedule("party_group", member_ids=[p(n).pk for n in ("changwu", "fuqu1", "fuqu2")])
    it = item(m, proposer="changwu")
    with pytest.raises(Refused) as e:  # nobody in the demo holds 党组书记: the 区长 as such cannot confirm
        services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    assert e.value.field == "confirmer" and e.value.message.endswith("（《工作规则》第五十九条）")
    # once the 区长 also holds the post of 党组书记, he confirms it as such
    secretary = org_services.position_create(actor=None, government=gov, code="party_secretary",
                                             title="区政府党组书记", rank=90)
    org_services.appointment_create(actor=None, position=secretary, person=p("quzhang"), start=dt.date(2022, 1, 10))
    it = services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    assert (it.status, it.confirmer_position) == ("confirmed", "party_secretary")


@pytest.mark.rules("R63.gating")
def test_an_item_without_substance_a_clear_proposal_or_complete_procedure_stays_off_the_agenda_art_63(standing):
    it = item(standing, has_substantive_content=False, has_clear_proposal=False, prior_procedure_complete=False,
              concerns_whole_district=False)
    [r] = selectors.agenda_readiness(standing, on=DAY)
    assert r.state == "incomplete"
    assert {v.field for v in r.violations} == {"concerns_whole_district", "has_substantive_content",
                                               "has_clear_proposal", "prior_procedure_complete"}
    assert all(v.article == 63 for v in r.violations)
    with pytest.raises(Refused) as e:
        services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    assert e.value.message.endswith("（《工作规则》第六十三条）")
    services.item_update(actor=p("fuqu1"), item_id=it.pk, has_substantive_content=True, has_clear_proposal=True,
                         prior_procedure_complete=True, legally_required=True)
    assert services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY).status == "confirmed"


@pytest.mark.rules("R63.prior_topical")
def test_an_item_departments_disagree_on_needs_a_prior_topical_meeting_art_63(standing):
    it = item(standing, departments_disagree=True)
    with pytest.raises(Refused) as e:
        services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    assert e.value.field == "prior_topical_meeting_ref" and e.value.message.endswith("（《工作规则》第六十三条）")
    services.item_update(actor=p("fuqu1"), item_id=it.pk, prior_topical_meeting_ref="城建专题会议纪要〔2026〕7号")
    with pytest.raises(Refused) as e:
        services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    assert e.value.field == "consensus_reached"
    services.item_update(actor=p("fuqu1"), item_id=it.pk, consensus_reached=True)
    assert services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY).status == "confirmed"


@pytest.mark.rules("R63.prior_topical_convener")
def test_the_prior_topical_meeting_is_convened_by_the_leader_in_charge_of_the_lead_unit_art_63(standing):
    # fuqu1 is in charge of construction (住建局), fuqu2 of education
    it = item(standing, proposer="fuqu1", lead_unit_id=unit("住建局").pk, departments_disagree=True,
              prior_topical_meeting_ref="城建专题会议纪要〔2026〕7号", consensus_reached=True,
              prior_topical_convener_id=p("fuqu2").pk)
    assert it.prior_topical_convener == p("fuqu2")
    with pytest.raises(Refused) as e:
        services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    assert e.value.field == "prior_topical_convener_id" and "不是牵头单位" in e.value.message
    assert e.value.message.endswith("（《工作规则》第六十三条）")
    assert AgendaItem.objects.get(pk=it.pk).status == "proposed"
    services.item_update(actor=p("fuqu1"), item_id=it.pk, prior_topical_convener_id=p("fuqu1").pk)
    assert AuditEvent.objects.filter(action="meetings.item.update", obj_id=str(it.pk)).exists()
    assert services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY).status == "confirmed"


def test_bad_item_input_names_the_field_and_writes_nothing(standing):
    n = AuditEvent.objects.count()
    for kwargs, field in (({"title": ""}, "title"), ({"matter_type": "huge"}, "matter_type"),
                          ({"materials": "x"}, "materials"), ({"has_clear_proposal": "yes"}, "has_clear_proposal"),
                          ({"colour": "red"}, "colour"), ({"dossier_id": "x"}, "dossier_id")):
        with pytest.raises(Refused) as e:
            services.item_propose(actor=p("fuqu1"), meeting_id=standing.pk, **{"title": "议题", **kwargs}, on=DAY)
        assert e.value.field == field
    assert AgendaItem.objects.count() == 0 and AuditEvent.objects.count() == n
