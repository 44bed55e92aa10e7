"""Organisation services: terms (art. 10), one 区长 (art. 12), 分工 (art. 14), 补位 (art. 15),
五个不直接分管 (art. 29), unit kinds (art. 97). Every refusal names the field and the article and
changes nothing."""

import datetime as dt

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Refused
from zhengwu.org import selectors, services
from zhengwu.org.models import Absence, Appointment, Person, Portfolio, Term, Unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def gov(org_demo):  # the demo, loaded once for the module (tests/conftest.py)
    return selectors.current_government()


def person(username):
    return Person.objects.get(username=username)


def position(gov, username):
    return selectors.positions_of(person(username), DAY)[0]


def unchanged(*models):
    """Snapshot of row counts (and audit events) to prove a refusal wrote nothing."""
    return tuple(m.objects.count() for m in models) + (AuditEvent.objects.count(),)


def test_the_demo_government_has_the_structure_the_rules_need(gov):
    by_code = lambda code: gov.positions.filter(code=code).count()  # noqa: E731
    assert by_code("district_head") == 1 and by_code("executive_deputy") == 1 and by_code("deputy_head") >= 4
    names = set(gov.units.values_list("short_name", flat=True))
    assert {"司法局", "审计局", "财政局", "发改局", "外事办", "督查指挥中心", "区政府办"} <= names
    kinds = list(gov.units.values_list("kind", flat=True))
    assert kinds.count("component_dept") + kinds.count("working_office") + kinds.count("directly_affiliated") >= 8
    assert sum(kinds.count(k) for k in ("town", "subdistrict", "farm")) >= 3
    assert sum(kinds.count(k) for k in ("dev_zone", "pastoral_zone")) >= 2
    assert selectors.leader_of_unit(gov.units.get(short_name="财政局"), DAY) == person("changwu")


@pytest.mark.rules("R10.term_length")
def test_a_term_lasts_five_years_and_a_wrong_end_is_refused(gov):
    term = services.term_create(actor=None, government=gov, number=2, start=dt.date(2027, 1, 10))
    assert term.end == dt.date(2032, 1, 10)
    before = unchanged(Term)
    with pytest.raises(Refused) as e:
        services.term_create(actor=None, government=gov, number=3, start=dt.date(2032, 1, 10),
                             end=dt.date(2036, 1, 10))
    assert e.value.field == "end"
    assert [(v.rule_id, v.article) for v in e.value.violations] == [("R10.term_length", 10)]
    assert e.value.violations[0].message.endswith("（《工作规则》第十条）")
    assert unchanged(Term) == before


@pytest.mark.rules("R10.term_length")
def test_a_new_term_elected_a_few_days_early_ends_the_previous_one_that_day(gov):
    """Art. 10's five years are nominal: the 届 ends when the next 人大 elects its successors."""
    first = Term.objects.get(government=gov, number=1)
    assert first.end == dt.date(2027, 1, 10)
    second = services.term_create(actor=None, government=gov, number=2, start=dt.date(2027, 1, 6))
    first.refresh_from_db()
    assert (first.end, second.start, second.end) == (dt.date(2027, 1, 6), dt.date(2027, 1, 6), dt.date(2032, 1, 6))
    event = AuditEvent.objects.get(action="org.term.succeed", obj_id=str(first.pk))
    assert (event.before["end"], event.after["end"], event.article) == ("2027-01-10", "2027-01-06", 10)
    assert selectors.term_on(gov, dt.date(2027, 1, 8)) == second
    # a term elected late: the previous one lasted until then
    third = services.term_create(actor=None, government=gov, number=3, start=dt.date(2032, 1, 20))
    second.refresh_from_db()
    assert second.end == third.start == dt.date(2032, 1, 20)
    # still refused: a term whose nominal end is not five years, and one overlapping a later term
    with pytest.raises(Refused) as e:
        services.term_create(actor=None, government=gov, number=4, start=dt.date(2037, 1, 20),
                             end=dt.date(2040, 1, 20))
    assert [(v.rule_id, v.article) for v in e.value.violations] == [("R10.term_length", 10)]
    with pytest.raises(Refused) as e:
        services.term_create(actor=None, government=gov, number=9, start=dt.date(2030, 1, 1))
    assert e.value.field in ("start", "number")
    assert Term.objects.filter(government=gov).count() == 3


@pytest.mark.rules("R12.one_head")
def test_a_second_district_head_is_refused_and_nothing_changes(gov):
    pos = services.position_create(actor=None, government=gov, code="district_head", title="区长（第二）")
    newcomer = services.person_create(actor=None, government=gov, username="x2", full_name="测试甲")
    before = unchanged(Appointment)
    with pytest.raises(Refused) as e:
        services.appointment_create(actor=None, position=pos, person=newcomer, start=DAY)
    assert [(v.rule_id, v.article) for v in e.value.violations] == [("R12.one_head", 12)]
    assert "张甲" in e.value.message and "测试甲" in e.value.message
    assert unchanged(Appointment) == before
    # Once the first 区长 has left office, a successor may be appointed.
    services.appointment_end(actor=None, appointment=Appointment.objects.get(person__username="quzhang"),
                             end=DAY)
    services.appointment_create(actor=None, position=pos, person=newcomer, start=DAY)
    assert selectors.holder_of(pos, DAY) == newcomer


@pytest.mark.rules("R29.five_not")
def test_the_district_head_may_not_directly_hold_any_of_the_five(gov):
    head = position(gov, "quzhang")
    before = unchanged(Portfolio)
    with pytest.raises(Refused) as e:
        services.portfolio_set(actor=None, position=head, units=[gov.units.get(short_name="审计局")],
                               domains=["economy", "finance"], on=DAY)
    assert e.value.field == "domains"
    assert [(v.rule_id, v.article) for v in e.value.violations] == [("R29.five_not", 29)]
    assert "财务" in e.value.message and e.value.message.endswith("（《工作规则》第二十九条）")
    works = services.unit_create(actor=None, government=gov, name="区重点工程建设服务中心", kind="public_institution",
                                 domains=["construction"])
    before = unchanged(Portfolio)
    with pytest.raises(Refused) as e:  # a unit that embodies one of the five counts too
        services.portfolio_set(actor=None, position=head, units=[works], on=DAY)
    assert [(v.rule_id, v.field) for v in e.value.violations] == [("R29.five_not", "units")]
    assert "区重点工程建设服务中心" in e.value.message and "工程建设" in e.value.message
    assert unchanged(Portfolio) == before
    assert sorted(Portfolio.objects.get(position=head).domains) == ["economy"]


@pytest.mark.rules("R29.five_not")
def test_a_unit_head_may_not_hold_the_five_but_a_deputy_may(gov):
    head, deputy = position(gov, "czj"), position(gov, "czj-fu")
    with pytest.raises(Refused) as e:
        services.portfolio_set(actor=None, position=head, domains=["procurement"], on=DAY)
    assert "区财政局" in e.value.message and e.value.violations[0].article == 29
    services.portfolio_set(actor=None, position=deputy, domains=["finance", "procurement", "personnel"], on=DAY)
    assert Portfolio.objects.get(position=deputy).domains == ["finance", "procurement", "personnel"]


@pytest.mark.rules("R14.dual_duty")
def test_a_deputy_s_portfolio_records_the_dual_duty_domains_and_warns_when_some_are_left_out_art_14(gov):
    fuqu2 = position(gov, "fuqu2")
    units = list(Portfolio.objects.get(position=fuqu2).units.all())
    pf = services.portfolio_set(actor=None, position=fuqu2, units=units, on=DAY)
    assert pf.dual_duties == ["emergency", "safety", "integrity", "petitions"] and pf.warnings == []
    pf = services.portfolio_set(actor=None, position=fuqu2, units=units, dual_duties=["emergency", "safety"], on=DAY)
    [w] = pf.warnings
    assert (w.rule_id, w.article, w.blocks) == ("R14.dual_duty", 14, False) and "廉政建设、信访" in w.message
    assert Portfolio.objects.get(position=fuqu2).dual_duties == ["emergency", "safety"]
    event = AuditEvent.objects.filter(action="org.portfolio.set", obj_id=str(fuqu2.pk)).latest("seq")
    assert event.after["dual_duties"] == ["emergency", "safety"] and event.after["warnings"] == [w.message]
    with pytest.raises(Refused) as e:
        services.portfolio_set(actor=None, position=fuqu2, units=units, dual_duties=["finance"], on=DAY)
    assert e.value.field == "dual_duties"
    # a position that is not a 副区长 records none
    assert services.portfolio_set(actor=None, position=position(gov, "czj-fu"), domains=["finance"],
                                  on=DAY).dual_duties == []


@pytest.mark.rules("R14.portfolio_holder")
def test_a_unit_has_one_leader_in_charge(gov):
    fuqu2 = position(gov, "fuqu2")
    with pytest.raises(Refused) as e:
        services.portfolio_set(actor=None, position=fuqu2, units=[gov.units.get(short_name="财政局")], on=DAY)
    assert e.value.violations[0].rule_id == "R14.portfolio_holder"
    assert "常务副区长" in e.value.message and e.value.violations[0].article == 14
    with pytest.raises(Refused) as e:  # an office clerk cannot be put in charge of units
        services.portfolio_set(actor=None, position=position(gov, "wenshu"), units=[gov.units.get(short_name="教育局")],
                               on=DAY)
    assert e.value.field == "units"
    # moving a unit between leaders is allowed once it left the first portfolio
    services.portfolio_set(actor=None, position=position(gov, "fuqu1"),
                           units=list(gov.units.filter(short_name__in=["住建局", "应急局"])),
                           domains=["construction"], on=DAY)
    services.portfolio_set(actor=None, position=fuqu2,
                           units=list(gov.units.filter(short_name__in=["教育局", "区安委会"])), on=DAY)
    assert selectors.leader_of_unit(gov.units.get(short_name="区安委会"), DAY) == person("fuqu2")


@pytest.mark.rules("R15.substitute")
def test_when_the_district_head_is_away_the_executive_deputy_acts(gov):
    head_pos = position(gov, "quzhang")
    absence, warnings = services.absence_create(actor=None, person=person("quzhang"), designated_by=person("quzhang"), start=DAY,
                                                end=DAY + dt.timedelta(days=4), reason="赴省参加会议")
    assert absence.substitute == person("changwu") and warnings == []
    assert selectors.acting_for(head_pos, DAY + dt.timedelta(days=2)) == person("changwu")
    assert selectors.acting_for(head_pos, DAY + dt.timedelta(days=5)) == person("quzhang")
    assert head_pos in selectors.acted_for_by(person("changwu"), DAY)
    with pytest.raises(Refused) as e:
        services.absence_create(actor=None, person=person("quzhang"), designated_by=person("quzhang"), start=DAY + dt.timedelta(days=10),
                                end=DAY + dt.timedelta(days=11), reason="外出", substitute=person("fuqu3"))
    assert (e.value.violations[0].rule_id, e.value.field) == ("R15.substitute", "substitute")


@pytest.mark.rules("R15.substitute")
def test_without_the_district_heads_entrustment_nobody_acts_for_him(gov):
    """Art. 15: 区长外出期间，受区长委托，由常务副区长主持区政府工作 — the 委托 must be recorded."""
    head_pos = position(gov, "quzhang")
    absence, warnings = services.absence_create(actor=None, person=person("quzhang"), start=DAY, end=DAY,
                                                reason="赴省参加会议")
    assert absence.substitute is None
    assert [(w.rule_id, w.severity, w.field) for w in warnings] == [("R15.substitute", "warn", "designated_by")]
    assert warnings[0].message.endswith("（《工作规则》第十五条）")
    assert selectors.acting_for(head_pos, DAY) == person("quzhang")
    assert head_pos not in selectors.acted_for_by(person("changwu"), DAY)


@pytest.mark.rules("R15.substitute")
def test_a_deputy_is_acted_for_by_the_deputy_the_district_head_designates(gov):
    pos = position(gov, "fuqu1")
    before = unchanged(Absence)
    with pytest.raises(Refused) as e:  # designated by someone other than the 区长
        services.absence_create(actor=None, person=person("fuqu1"), start=DAY, end=DAY, reason="休假",
                                substitute=person("fuqu2"), designated_by=person("bgs-zhuren"))
    assert (e.value.violations[0].rule_id, e.value.field) == ("R15.substitute", "designated_by")
    with pytest.raises(Refused) as e:  # the substitute must be a 副区长
        services.absence_create(actor=None, person=person("fuqu1"), start=DAY, end=DAY, reason="休假",
                                substitute=person("wenshu"), designated_by=person("quzhang"))
    assert e.value.field == "substitute" and e.value.violations[0].article == 15
    assert unchanged(Absence) == before
    _, warnings = services.absence_create(actor=None, person=person("fuqu1"), start=DAY, end=DAY, reason="休假",
                                          substitute=person("fuqu2"), designated_by=person("quzhang"))
    assert warnings == [] and selectors.acting_for(pos, DAY) == person("fuqu2")
    # no designation yet: recorded with a warning, and nobody acts (the office must arrange it)
    _, warnings = services.absence_create(actor=None, person=person("fuqu3"), start=DAY, end=DAY, reason="出访")
    assert [(w.rule_id, w.severity) for w in warnings] == [("R15.substitute", "warn")]
    assert selectors.acting_for(position(gov, "fuqu3"), DAY) is None


def test_a_substitute_who_is_also_away_is_followed_and_loops_end(gov):
    services.absence_create(actor=None, person=person("fuqu1"), start=DAY, end=DAY, reason="休假",
                            substitute=person("fuqu2"), designated_by=person("quzhang"))
    services.absence_create(actor=None, person=person("fuqu2"), start=DAY, end=DAY, reason="休假",
                            substitute=person("fuqu4"), designated_by=person("quzhang"))
    assert selectors.acting_for(position(gov, "fuqu1"), DAY) == person("fuqu4")
    services.absence_create(actor=None, person=person("fuqu4"), start=DAY, end=DAY, reason="休假",
                            substitute=person("fuqu1"), designated_by=person("quzhang"))
    assert selectors.acting_for(position(gov, "fuqu1"), DAY) is None


@pytest.mark.rules("R97.unit_kind")
def test_units_have_a_kind_the_rules_name(gov):
    before = unchanged(Unit)
    with pytest.raises(Refused) as e:
        services.unit_create(actor=None, government=gov, name="区某某公司", kind="company")
    assert (e.value.field, e.value.violations[0].article) == ("kind", 97)
    # art. 97 names the 直属机构, 办事机构 and 直属事业单位: the message does not pass the system's
    # eleven kinds off as the article's list
    message = e.value.violations[0].message
    assert "直属机构" in message and "直属事业单位" in message and "乡镇" not in message and "牧业区" not in message
    assert message.endswith("（《工作规则》第九十七条）")
    assert unchanged(Unit) == before
    unit = services.unit_create(actor=None, government=gov, name="区档案馆", kind="public_institution")
    assert unit.kind == "public_institution"


@pytest.mark.rules("R10.members")
def test_members_are_the_heads_and_the_heads_of_component_departments(gov):
    from zhengwu import rules
    from zhengwu.rulebook.rules.org import MemberFacts

    members = selectors.government_members(gov, DAY)
    names = {str(p) for p, _ in members}
    assert {"张甲", "李乙", "王丙", "陈子"} <= names  # 区长, 常务副区长, 副区长, 财政局局长
    assert "郑壬" not in names and "韩巳" not in names  # a clerk; a street's head is not a member
    facts = MemberFacts(members=tuple((str(p), pos.code, pos.unit.kind if pos.unit else "") for p, pos in members))
    assert rules.check("org.members", facts, on=DAY) == []
    outsider = MemberFacts(members=(("韩巳", "unit_head", "subdistrict"),))
    assert [v.article for v in rules.check("org.members", outsider, on=DAY)] == [10]


def test_every_demo_change_is_in_the_audit_trail(gov):
    from zhengwu.audit.selectors import history_for, verify_chain

    unit = gov.units.get(short_name="财政局")
    assert [e.action for e in history_for("org.unit", str(unit.pk))] == ["org.unit.create"]
    assert verify_chain().ok


def test_office_clerks_may_edit_the_calendar_and_organisation_in_the_admin_and_leaders_may_not(gov, client):
    client.force_login(person("wenshu"))
    assert client.get("/admin/workcalendar/calendarday/").status_code == 200
    assert client.get("/admin/org/unit/").status_code == 200
    client.force_login(person("fuqu1"))
    assert client.get("/admin/workcalendar/calendarday/").status_code == 302
