"""建议提案 (art. 39) through the services: assignment and the 3-month deadline, send-back within
its window, contact before the answer, the signer, every proposer, satisfaction and a second
answer, publication with contacts stripped, and `tick` escalating an overdue NPC suggestion."""

import datetime as dt

import pytest

from zhengwu import rules
from proposals_support import signed_letter
from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Conflict, Forbidden, Refused
from zhengwu.org.models import Person, Unit
from zhengwu.proposals import services
from zhengwu.proposals.models import Proposal
from zhengwu.proposals.tick import proposals_tick
from zhengwu.workflow.models import Notification

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def gov(org_demo):
    return org_demo


def who(username):
    return Person.objects.get(username=username)


def unit(short):
    return Unit.objects.get(short_name=short)


def new_item(body="npc", number="1", proposers=None, on=DAY):
    office = who("bgs-fuzhuren")
    batch = services.batch_create(actor=office, body=body, session=f"区第十九届{body}第{number}次会议", period="session",
                                  year=2026, on=on)
    return services.proposal_create(actor=office, batch_id=batch.pk, number=number, title="关于改善城区停车的建议",
                                    content="城区停车难，建议增设公共停车场。",
                                    proposers=proposers or [{"name": "王代表", "group": "新华代表团",
                                                             "contact": "13912345678", "leading": True},
                                                            {"name": "李代表", "contact": "0436-1234567"}], on=on)


def assigned(assigned_on=DAY, **kw):
    item = new_item(**kw)
    return services.proposal_assign(actor=who("bgs-fuzhuren"), proposal_id=item.pk, lead_unit_id=unit("教育局").pk,
                                    co_unit_ids=[unit("财政局").pk], assigned_on=assigned_on, on=DAY)


def answer(item, outcome, text, on=DAY, **kw):
    """The 答复函 signed by the 教育局局长 and numbered (documents flow), then the answer recorded."""
    signed_letter(item, who("jyj"), on, body=text)
    return services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome=outcome, on=on, **kw)


def test_assignment_sets_the_three_month_deadline_and_the_co_units_month(gov):
    item = assigned(assigned_on=dt.date(2026, 8, 31))
    assert item.status == Proposal.Status.ASSIGNED
    assert item.due_on == dt.date(2026, 11, 30)  # calendar months (代表法 第五十一条)
    assert item.co_units.get().due_on == dt.date(2026, 9, 30)
    with pytest.raises(Refused) as e:
        services.proposal_assign(actor=who("bgs-fuzhuren"), proposal_id=new_item(number="2").pk,
                                 lead_unit_id=[unit("教育局").pk, unit("财政局").pk], on=DAY)
    assert e.value.field == "lead_unit_id"


def test_only_the_office_assigns(gov):
    item = new_item()
    with pytest.raises(Forbidden):
        services.proposal_assign(actor=who("jyj"), proposal_id=item.pk, lead_unit_id=unit("教育局").pk, on=DAY)


@pytest.mark.rules("R39.sendback_window")
def test_send_back_within_the_window_and_refused_after_it(gov):
    inside = assigned(assigned_on=dt.date(2026, 10, 26), number="1")  # DAY is the 5th working day after
    services.proposal_send_back(actor=who("jyj"), proposal_id=inside.pk, reason="不属于本单位职责", on=DAY)
    inside.refresh_from_db()
    assert inside.status == Proposal.Status.SENT_BACK
    late = assigned(assigned_on=dt.date(2026, 10, 23), number="2")  # DAY is the 6th working day after
    with pytest.raises(Refused) as e:
        services.proposal_send_back(actor=who("jyj"), proposal_id=late.pk, reason="不属于本单位职责", on=DAY)
    assert [(v.rule_id, v.article) for v in e.value.violations] == [("R39.sendback_window", 39)]
    assert "第三十九条" in e.value.violations[0].message
    late.refresh_from_db()
    assert late.status == Proposal.Status.ASSIGNED


def test_a_co_unit_cannot_send_back(gov):
    item = assigned()
    with pytest.raises(Forbidden):
        services.proposal_send_back(actor=who("czj"), proposal_id=item.pk, reason="x", on=DAY)


@pytest.mark.rules("R39.contact_before_answer", "R39.answer_content")
def test_the_answer_is_refused_without_a_contact_and_accepted_after_one(gov):
    item = assigned()
    signed_letter(item, who("jyj"), DAY, body="已列入明年计划。")  # the signed 答复函 alone is not enough
    with pytest.raises(Refused) as e:
        services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="planned", on=DAY)
    assert [(v.rule_id, v.article, v.field) for v in e.value.violations] == [("R39.contact_before_answer", 39, "contact")]
    assert not item.answers.exists()
    services.contact_record(actor=who("jyj"), proposal_id=item.pk, way="meeting", contacted_on=DAY,
                            note="与王代表面商，听取意见。", on=DAY)
    answer = services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="planned", on=DAY)
    item.refresh_from_db()
    assert item.status == Proposal.Status.ANSWERED and answer.signed_by == who("jyj")
    assert AuditEvent.objects.filter(obj_id=str(item.pk), action="proposals.item.answer", article=39).exists()


@pytest.mark.rules("R39.answer_content")
def test_the_answer_needs_the_unit_head_a_listed_outcome_and_every_proposer(gov):
    item = assigned()
    services.contact_record(actor=who("jyj"), proposal_id=item.pk, way="phone", contacted_on=DAY, note="电话沟通", on=DAY)
    signed_letter(item, who("jyj"), DAY, body="答复")
    with pytest.raises(Refused) as e:
        services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="maybe",
                                 sent_to=[item.proposers.first().pk], on=DAY)
    assert {v.field for v in e.value.violations} == {"outcome", "proposers"}
    with pytest.raises(Forbidden):  # a co-unit's head is not the lead's
        services.proposal_answer(actor=who("czj"), proposal_id=item.pk, outcome="solved", on=DAY)


def test_an_unsatisfied_proposer_reopens_for_a_second_answer_with_its_own_contact(gov):
    item = assigned()
    services.contact_record(actor=who("jyj"), proposal_id=item.pk, way="phone", contacted_on=DAY, note="沟通", on=DAY)
    answer(item, "later", "条件不具备。")
    services.satisfaction_record(actor=who("bgs-fuzhuren"), proposal_id=item.pk, satisfaction="unsatisfied",
                                 note="希望加快", on=DAY)
    item.refresh_from_db()
    assert item.status == Proposal.Status.REOPENED and item.round == 2 and item.due_on == dt.date(2026, 12, 2)
    signed_letter(item, who("jyj"), DAY, body="再次答复")  # the second round's own letter
    with pytest.raises(Refused) as e:
        services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="planned", on=DAY)
    assert e.value.violations[0].rule_id == "R39.contact_before_answer"
    services.contact_record(actor=who("jyj"), proposal_id=item.pk, way="visit", contacted_on=DAY, note="走访", on=DAY)
    services.proposal_answer(actor=who("jyj"), proposal_id=item.pk, outcome="planned", on=DAY)
    services.satisfaction_record(actor=who("bgs-fuzhuren"), proposal_id=item.pk, satisfaction="satisfied", on=DAY)
    item.refresh_from_db()
    assert item.status == Proposal.Status.CLOSED and item.answers.count() == 2


@pytest.mark.rules("R39.publish_results")
def test_an_unpublished_result_past_its_time_is_flagged_and_a_reason_or_publication_clears_it(gov):
    item = assigned(assigned_on=dt.date(2026, 8, 3))
    answered_on = dt.date(2026, 9, 1)
    services.contact_record(actor=who("jyj"), proposal_id=item.pk, way="phone", contacted_on=answered_on, note="沟通",
                            on=answered_on)
    answer(item, "solved", "已解决。联系人电话13800001111。王代表13912345678", on=answered_on)
    item.refresh_from_db()
    assert services.publication_findings(item, on=dt.date(2026, 9, 10)) == []
    found = services.publication_findings(item, on=DAY)
    assert [(v.rule_id, v.article) for v in found] == [("R39.publish_results", 39)]
    assert "第三十九条" in found[0].message
    r = proposals_tick(on=DAY)
    assert r.publication_flags == 1 and proposals_tick(on=DAY).publication_flags == 0
    services.proposal_publish(actor=who("bgs-fuzhuren"), proposal_id=item.pk, on=DAY)
    item.refresh_from_db()
    assert "13912345678" not in services.public_text(item) and "13800001111" not in services.public_text(item)
    assert item.published_on == DAY
    with pytest.raises(Conflict):
        services.proposal_publish(actor=who("bgs-fuzhuren"), proposal_id=item.pk, on=DAY)


def test_a_reason_not_to_publish_clears_the_flag(gov):
    item = assigned(assigned_on=dt.date(2026, 8, 3))
    services.contact_record(actor=who("jyj"), proposal_id=item.pk, way="phone", contacted_on=dt.date(2026, 9, 1),
                            note="沟通", on=dt.date(2026, 9, 1))
    answer(item, "solved", "已解决", on=dt.date(2026, 9, 1))
    services.proposal_withhold(actor=who("bgs-fuzhuren"), proposal_id=item.pk, reason="涉及个人隐私", on=DAY)
    item.refresh_from_db()
    assert services.publication_findings(item, on=DAY) == []


@pytest.mark.rules("R39.answer_deadline", "W39.overdue_escalation")
def test_an_overdue_npc_suggestion_shows_overdue_and_tick_escalates_it_once(gov):
    on_time = assigned(assigned_on=dt.date(2026, 8, 3), number="1")  # due 2026-11-03
    late = assigned(assigned_on=dt.date(2026, 7, 31), number="2")  # due 2026-10-31
    assert not services.is_overdue(on_time, DAY) and services.deadline_findings(on_time, on=DAY) == []
    assert services.is_overdue(late, DAY)
    assert [(v.rule_id, v.article) for v in services.deadline_findings(late, on=DAY)] == [("R39.answer_deadline", 39)]
    assert proposals_tick(on=DAY).escalations == 1
    assert proposals_tick(on=DAY).escalations == 0  # idempotent
    late.refresh_from_db()
    assert late.escalated_on == DAY
    notes = Notification.objects.filter(kind="escalation", key__startswith=f"proposal-overdue:{late.pk}:")
    assert {n.person.username for n in notes} == {"bgs-zhuren", "jyj", "fuqu2"}
    assert all("第三十九条" in n.body for n in notes)


@pytest.mark.rules("R39.extension")
def test_a_complex_item_extended_up_to_six_months_not_more(gov):
    item = assigned(assigned_on=dt.date(2026, 8, 3))
    with pytest.raises(Refused) as e:
        services.proposal_extend(actor=who("bgs-fuzhuren"), proposal_id=item.pk, reason="涉及多个部门",
                                 new_due_on=dt.date(2027, 2, 4), on=DAY)
    assert e.value.violations[0].rule_id == "R39.extension"
    services.proposal_extend(actor=who("bgs-fuzhuren"), proposal_id=item.pk, reason="涉及多个部门",
                             new_due_on=dt.date(2027, 2, 3), on=DAY)
    item.refresh_from_db()
    assert item.due_on == dt.date(2027, 2, 3) and item.extended


def test_bad_input_names_the_field_and_writes_nothing(gov):
    office = who("bgs-fuzhuren")
    for kwargs, field in [({"body": "x", "session": "s", "period": "session", "year": 2026}, "body"),
                          ({"body": "npc", "session": "", "period": "session", "year": 2026}, "session"),
                          ({"body": "npc", "session": "s", "period": "session", "year": "abc"}, "year")]:
        with pytest.raises(Refused) as e:
            services.batch_create(actor=office, on=DAY, **kwargs)
        assert e.value.field == field
    item = assigned()
    with pytest.raises(Refused) as e:
        services.contact_record(actor=who("jyj"), proposal_id=item.pk, way="phone", contacted_on="not-a-date", note="x",
                                on=DAY)
    assert e.value.field == "contacted_on" and not item.contacts.exists()


@pytest.mark.rules("W39.overdue_escalation")
def test_zhengwu_tick_escalates_an_overdue_suggestion_through_the_cli(gov, capsys):
    from zhengwu.cli import main

    late = assigned(assigned_on=dt.date(2026, 7, 31))
    assert main(["tick"]) == 0
    assert "tick proposals: 1 overdue proposals escalated" in capsys.readouterr().out
    late.refresh_from_db()
    assert late.escalated_on == DAY
    assert main(["tick"]) == 0
    assert "tick proposals: 0 overdue proposals escalated" in capsys.readouterr().out


def test_an_administrator_takes_no_business_action(gov):
    item = new_item()
    for username in ("sysadmin", "secadmin", "auditadmin"):
        with pytest.raises(Forbidden):
            services.proposal_assign(actor=who(username), proposal_id=item.pk, lead_unit_id=unit("教育局").pk, on=DAY)
    item.refresh_from_db()
    assert item.status == Proposal.Status.REGISTERED


@pytest.mark.rules("W39.reminder")
def test_tick_reminds_the_lead_before_the_deadline_and_a_late_co_unit_once(gov):
    soon = assigned(assigned_on=dt.date(2026, 8, 10), number="1")  # due 2026-11-10, 6 working days ahead
    far = assigned(assigned_on=dt.date(2026, 10, 30), number="2")  # due 2027-01-30; its co-unit not late yet
    first = proposals_tick(on=DAY)
    assert first.reminders == 2  # soon's lead; soon's co-unit (opinion due 2026-09-10)
    assert proposals_tick(on=DAY).reminders == 0
    keys = set(Notification.objects.filter(kind="reminder", key__startswith="proposal-").values_list("key", flat=True))
    co = soon.co_units.get()
    assert keys == {f"proposal-remind:{soon.pk}:2026-11-10", f"proposal-co-late:{co.pk}:2026-09-10"}
    assert not any(str(far.pk) in k.split(":")[1] for k in keys)
    services.co_unit_opinion(actor=who("czj"), proposal_id=far.pk, opinion="同意", on=DAY)
    assert far.co_units.get().opinion_on == DAY
