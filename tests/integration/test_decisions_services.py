"""Major decisions (三重一大, art. 13, 28–32, 76–77): a dossier is assembled, refused from the
agenda while incomplete (art. 28, 30), accepted once complete, decided, escalated or followed up;
bad input changes nothing."""

import datetime as dt

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.decisions import selectors, services
from zhengwu.decisions.models import Consultation, Escalation, MajorDecision, ProcedureRecord
from zhengwu.errors import Forbidden, Refused
from zhengwu.org.models import Person, Unit
from zhengwu.workflow.models import Notification, Task
from zhengwu.workflow.tick import tick

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday
STEPS = [("public_participation", dt.date(2026, 9, 1), "网上征求意见公告及采纳情况说明"),
         ("expert_argument", dt.date(2026, 9, 8), "专家论证会纪要"),
         ("risk_assessment", dt.date(2026, 9, 15), "风险评估报告"),
         ("legality_review", dt.date(2026, 9, 22), "区司法局合法性审查意见书")]
# the 集体讨论决定 (art. 28) is the deciding meeting's own, not recorded before the agenda:
# the deciding meeting's record of the discussion: members spoke, the chair (一把手) last (art. 28, 29)
HELD = [("executive_deputy", False), ("deputy_head", False), ("district_head", True)]


def p(username):
    return Person.objects.get(username=username)


def u(short_name):
    return Unit.objects.get(short_name=short_name)


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


def new_dossier(actor="fgj", **data):
    fields = dict(title="城北物流园区基础设施建设项目", matter_type="major_project", amount_yuan=86_000_000,
                  proposing_unit_id=u("发改局").pk, submitted_on="2026-10-20", research_done=True,
                  research_ref="项目可行性研究报告", unit_collective_discussion_ref="区发改局2026年第12次局党组会议纪要",
                  evaluations=["legality", "necessity", "scientific", "feasibility", "controllability"],
                  evaluated_by="区政府发展研究中心", affected_unit_ids=[u("财政局").pk, u("新华街道").pk],
                  committee_matter="major_measures")
    fields.update(data)
    return services.dossier_create(actor=p(actor), data=fields, on=DAY)


def record_steps(dossier, steps=STEPS, actor="fgj"):
    for code, day, evidence in steps:
        services.procedure_record(actor=p(actor), dossier_id=dossier.pk, step=code, done_on=day, evidence=evidence,
                                  legality_reviewer="justice_bureau" if code == "legality_review" else None, on=DAY)


def consult_all(dossier, actor="fgj"):
    for name in ("财政局", "新华街道"):
        c = services.consultation_ask(actor=p(actor), dossier_id=dossier.pk, unit_id=u(name).pk,
                                      asked_on=dt.date(2026, 10, 12), on=DAY)
        services.consultation_reply(actor=p(actor), consultation_id=c.pk, reply=f"{name}：同意",
                                    replied_on=dt.date(2026, 10, 15), on=DAY)


def ready_dossier(**data):
    d = new_dossier(**data)
    record_steps(d)
    consult_all(d)
    d.refresh_from_db()
    return d


@pytest.mark.rules("R28.procedures", "R29.meeting", "R13.major_by_meeting")
def test_an_incomplete_dossier_is_refused_from_the_agenda_citing_art_28_then_accepted_once_complete(gov):
    d = new_dossier()
    consult_all(d)
    record_steps(d, STEPS[:3])
    d.refresh_from_db()
    assert d.status == "assembling"
    missing = selectors.missing_steps(d, on=DAY)
    assert [(m.code, m.article) for m in missing] == [("legality_review", 28)]
    with pytest.raises(Refused) as e:
        services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type="standing", meeting_id=7,
                                         on=DAY)
    assert "R28.procedures" in [v.rule_id for v in e.value.violations]
    assert "尚缺合法性审查，" in e.value.message and e.value.message.endswith("（《工作规则》第二十八条）")
    d.refresh_from_db()
    assert (d.status, d.agenda_meeting_id) == ("assembling", None)

    record_steps(d, STEPS[3:])
    d.refresh_from_db()
    assert d.status == "ready" and selectors.missing_steps(d, on=DAY) == []
    assert [v for v in selectors.readiness(d, on=DAY) if v.blocks] == []
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type="standing", meeting_id=7,
                                     on=DAY)
    d.refresh_from_db()
    assert (d.status, d.agenda_meeting_id, d.meeting_type, d.placed_on) == ("on_agenda", 7, "standing", DAY)
    assert AuditEvent.objects.filter(action="decisions.dossier.agenda", obj_id=str(d.pk)).count() == 1


@pytest.mark.rules("R29.meeting")
def test_a_major_matter_is_refused_from_a_plenary_or_party_group_agenda_citing_art_29(gov):
    """Art. 29: the 三重一大 are decided by the 常务会议; art. 13's 全体会议 and 党组会议 do not decide them."""
    d = ready_dossier(committee_matter="")
    for meeting_type in ("plenary", "party_group"):
        with pytest.raises(Refused) as e:
            services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type=meeting_type,
                                             meeting_id=8, on=DAY)
        [v] = [v for v in e.value.violations if v.blocks]
        assert (v.rule_id, v.article, e.value.field) == ("R29.meeting", 29, "meeting_type")
        assert "由区政府常务会议讨论决定" in v.message and v.message.endswith("（《工作规则》第二十九条）")
    d.refresh_from_db()
    assert (d.status, d.agenda_meeting_id) == ("ready", None)


@pytest.mark.rules("R13.major_by_meeting")
def test_a_major_matter_is_refused_from_a_head_office_meeting_agenda_citing_art_13(gov):
    d = ready_dossier(committee_matter="")
    with pytest.raises(Refused) as e:
        services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type="head_office",
                                         meeting_id=8, on=DAY)
    assert [v.rule_id for v in e.value.violations if v.blocks] == ["R13.major_by_meeting"]
    assert e.value.violations[0].article == 13
    d.refresh_from_db()
    assert d.status == "ready"


@pytest.mark.rules("R13.major_by_meeting", "R13.decided_by_meeting", "R76.prior_approval")
def test_a_matter_for_the_party_committee_may_be_approved_in_principle_by_a_head_office_meeting(gov):
    """Art. 76(三): 经区政府常务会议或区长办公会议讨论原则同意后报送区委 -- a dossier naming an art. 76(一)
    matter goes on a 区长办公会议's agenda, is approved in principle and escalated to the 区委."""
    d = ready_dossier()  # committee_matter: major_measures
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type="head_office", meeting_id=8,
                                     on=DAY)
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="原则通过", meeting_id=8, decided_on=DAY,
                            speaking_order=HELD)
    d.refresh_from_db()
    assert (d.status, d.meeting_type, [e.body for e in d.escalations.all()]) == (
        "escalated", "head_office", ["party_committee"])
    services.escalation_submit(actor=p("bgs-zhuren"), dossier_id=d.pk, body="party_committee",
                               reference="洮北政报〔2026〕17号", on=DAY)
    assert d.escalations.get().status == "submitted"


@pytest.mark.rules("R30.consultation")
def test_a_department_proposal_missing_a_consultation_is_refused_citing_art_30(gov):
    d = new_dossier()
    record_steps(d)
    c = services.consultation_ask(actor=p("fgj"), dossier_id=d.pk, unit_id=u("财政局").pk,
                                  asked_on=dt.date(2026, 10, 12), on=DAY)
    services.consultation_reply(actor=p("fgj"), consultation_id=c.pk, reply="同意", replied_on=dt.date(2026, 10, 14),
                                on=DAY)
    d.refresh_from_db()
    assert [(m.code, m.detail) for m in selectors.missing_steps(d, on=DAY)] == [("consultation", "新华街道办事处")]
    with pytest.raises(Refused) as e:
        services.dossier_place_on_agenda(actor=p("bgs-zhuren"), dossier_id=d.pk, meeting_type="standing",
                                         meeting_id=7, on=DAY)
    blocks = [v for v in e.value.violations if v.blocks]
    assert [(v.rule_id, v.article) for v in blocks] == [("R30.consultation", 30)]
    assert "新华街道办事处" in blocks[0].message and blocks[0].message.endswith("（《工作规则》第三十条）")
    assert MajorDecision.objects.get(pk=d.pk).status == "assembling"


@pytest.mark.rules("R30.stability")
def test_a_public_interest_matter_needs_its_stability_assessment_and_hearing(gov):
    d = ready_dossier(public_interest=True)
    assert d.status == "assembling"
    assert {m.code for m in selectors.missing_steps(d, on=DAY)} == {"stability_risk_assessment", "hearing"}
    with pytest.raises(Refused) as e:
        services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type="standing", meeting_id=7,
                                         on=DAY)
    assert {v.rule_id for v in e.value.violations if v.blocks} == {"R30.stability"}
    services.dossier_update(actor=p("fgj"), dossier_id=d.pk, data={"stability_risk_assessment": True,
                                                                     "hearing_held": True,
                                                                     "hearing_ref": "听证会笔录"}, on=DAY)
    d.refresh_from_db()
    assert d.status == "ready"


# ---- bad input: field-named errors, nothing written ----------------------------------------

def _counts():
    return (ProcedureRecord.objects.count(), Consultation.objects.count(), AuditEvent.objects.count(),
            MajorDecision.objects.values_list("version", flat=True).first())


@pytest.mark.parametrize("step, done_on, evidence, field", [
    ("site_visit", "2026-10-01", "现场踏勘记录", "step"),
    ("expert_argument", "2026-11-03", "专家论证会纪要", "done_on"),
    ("expert_argument", "2026-02-30", "专家论证会纪要", "done_on"),
    ("expert_argument", "", "专家论证会纪要", "done_on"),
    ("expert_argument", "2026-10-01", "   ", "evidence"),
])
def test_a_bad_procedure_record_is_refused_naming_the_field_and_writes_nothing(gov, step, done_on, evidence, field):
    d = new_dossier()
    before = _counts()
    with pytest.raises(Refused) as e:
        services.procedure_record(actor=p("fgj"), dossier_id=d.pk, step=step, done_on=done_on, evidence=evidence,
                                  on=DAY)
    assert e.value.field == field
    assert _counts() == before


def test_an_unknown_step_cites_the_article(gov):
    d = new_dossier()
    with pytest.raises(Refused) as e:
        services.procedure_record(actor=p("fgj"), dossier_id=d.pk, step="site_visit", done_on="2026-10-01",
                                  evidence="记录", on=DAY)
    assert e.value.message.endswith("（《工作规则》第二十八条）")


@pytest.mark.parametrize("data, field", [
    ({"title": "  "}, "title"),
    ({"matter_type": "party"}, "matter_type"),
    ({"matter_type": "large_fund", "amount_yuan": None}, "amount_yuan"),
    ({"amount_yuan": -1}, "amount_yuan"),
    ({"submitted_on": "2026-12-01"}, "submitted_on"),
    ({"evaluations": ["beauty"]}, "evaluations"),
    ({"affected_unit_ids": [999999]}, "affected_unit_ids"),
    ({"committee_matter": "anything"}, "committee_matter"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_dossier_is_refused_naming_the_field_and_writes_nothing(gov, data, field):
    before = (MajorDecision.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Refused) as e:
        new_dossier(**data)
    assert e.value.field == field
    assert (MajorDecision.objects.count(), AuditEvent.objects.count()) == before


def test_a_bad_consultation_reply_is_refused_and_writes_nothing(gov):
    d = new_dossier()
    c = services.consultation_ask(actor=p("fgj"), dossier_id=d.pk, unit_id=u("财政局").pk,
                                  asked_on=dt.date(2026, 10, 12), on=DAY)
    before = _counts()
    for reply, day, field in [("", "2026-10-14", "reply"), ("同意", "2026-10-10", "replied_on"),
                              ("同意", "2026-11-05", "replied_on")]:
        with pytest.raises(Refused) as e:
            services.consultation_reply(actor=p("fgj"), consultation_id=c.pk, reply=reply, replied_on=day, on=DAY)
        assert e.value.field == field
    assert _counts() == before
    with pytest.raises(Refused) as e:
        services.consultation_ask(actor=p("fgj"), dossier_id=d.pk, unit_id=u("发改局").pk, asked_on="2026-10-12",
                                  on=DAY)
    assert e.value.field == "unit_id"


def test_only_the_proposing_unit_or_the_office_assembles_a_dossier(gov):
    d = new_dossier()
    with pytest.raises(Forbidden):
        services.procedure_record(actor=p("czj"), dossier_id=d.pk, step="expert_argument", done_on="2026-10-01",
                                  evidence="纪要", on=DAY)
    with pytest.raises(Forbidden):
        new_dossier(actor="czj")  # 财政局 cannot propose in 发改局's name
    with pytest.raises(Forbidden):  # a department cannot put its own dossier on the agenda
        services.dossier_place_on_agenda(actor=p("fgj"), dossier_id=d.pk, meeting_type="standing", meeting_id=1,
                                         on=DAY)
    services.procedure_record(actor=p("wenshu"), dossier_id=d.pk, step="expert_argument", done_on="2026-10-01",
                              evidence="纪要", on=DAY)


# ---- the decision and what follows ---------------------------------------------------------

def on_agenda(**data):
    d = ready_dossier(**data)
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type="standing", meeting_id=7, on=DAY)
    return d


@pytest.mark.rules("R29.outcome", "R13.decided_by_meeting", "R76.prior_approval", "R76.no_direct_submission",
                   "W76.escalation", "decisions.escalate_party_committee", "W32.implementation", "W32.evaluation")
def test_an_approved_major_project_goes_to_the_party_committee_then_is_tracked_and_evaluated(gov):
    d = on_agenda()
    with pytest.raises(Refused) as e:
        services.dossier_decide(actor=p("wenshu"), dossier_id=d.pk, outcome="同意", meeting_id=7, decided_on=DAY,
                                speaking_order=HELD)
    assert e.value.field == "outcome" and e.value.violations[0].article == 29
    decided_on = dt.date(2026, 11, 5)
    services.dossier_decide(actor=p("wenshu"), dossier_id=d.pk, outcome="原则通过", conditions="分两期建设",
                            meeting_id=7, decided_on=decided_on, speaking_order=HELD)
    d.refresh_from_db()
    assert (d.status, d.outcome, d.decided_on, d.decision_meeting_id) == ("escalated", "原则通过", decided_on, 7)
    [esc] = d.escalations.all()
    assert (esc.body, esc.status) == ("party_committee", "pending")
    [task] = selectors.followup_tasks(d)
    assert (task.assignee.username, task.step_id, task.approval.route_id) == (
        "bgs-zhuren", "submit", "decisions.escalate_party_committee")
    assert task.due_on is not None

    # A department never submits to the 区委 directly (art. 76).
    with pytest.raises(Refused) as e:
        services.escalation_submit(actor=p("fgj"), dossier_id=d.pk, body="party_committee", reference="发改局请示",
                                   on=decided_on)
    assert [v.rule_id for v in e.value.violations] == ["R76.no_direct_submission"]
    assert e.value.message.endswith("（《工作规则》第七十六条）")
    assert Escalation.objects.get(pk=esc.pk).status == "pending"

    services.escalation_submit(actor=p("bgs-zhuren"), dossier_id=d.pk, body="party_committee",
                               reference="洮北政报〔2026〕15号", on=decided_on)
    esc.refresh_from_db()
    task.refresh_from_db()
    assert (esc.status, esc.reference, task.status) == ("submitted", "洮北政报〔2026〕15号", "done")
    services.escalation_record_result(actor=p("wenshu"), dossier_id=d.pk, body="party_committee", agreed=True,
                                      result="区委常委会2026年第20次会议同意", decided_on=dt.date(2026, 11, 12),
                                      on=dt.date(2026, 11, 12))
    d.refresh_from_db()
    assert d.status == "implementing"
    routes = {t.approval.route_id: t for t in selectors.followup_tasks(d) if t.status == "open"}
    # the 区委 agreed: the unit carries it out, and the office feeds back to the 区委 (art. 76(四))
    assert set(routes) == {"decisions.implementation", "decisions.evaluation", "decisions.feedback_party_committee"}
    assert routes["decisions.implementation"].assignee.username == "fgj"

    # The implementation task is reminded by `zhengwu tick` like any task, once.
    due = routes["decisions.implementation"].due_on
    tick(on=due)
    tick(on=due)
    assert Notification.objects.filter(task=routes["decisions.implementation"], kind="reminder").count() == 1

    services.followup_report(actor=p("fgj"), dossier_id=d.pk, step="implement", note="一期工程已开工",
                             on=dt.date(2026, 12, 1))
    services.followup_report(actor=p("fgj"), dossier_id=d.pk, step="evaluate", note="效果良好，建议推广",
                             on=dt.date(2026, 12, 20))
    d.refresh_from_db()
    assert (d.status, d.evaluated_on) == ("evaluated", dt.date(2026, 12, 20))
    assert "一期工程已开工" in d.implementation_note
    export = selectors.decisions_export(d.government)
    [item] = [i for i in export if i["id"] == d.pk]
    assert item["ref"] == f"decisions.major_decision:{d.pk}" and item["outcome"] == "原则通过"
    assert {t["route"] for t in item["tasks"]} == {"decisions.escalate_party_committee", "decisions.implementation",
                                                   "decisions.evaluation", "decisions.feedback_party_committee"}
    assert item["escalations"][0]["status"] == "agreed"


@pytest.mark.rules("decisions.implementation", "decisions.evaluation")
def test_a_passed_matter_without_escalation_is_tracked_at_once_and_a_deferred_one_may_return(gov):
    d = on_agenda(committee_matter="")
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="通过", meeting_id=7, decided_on=DAY,
                            speaking_order=HELD)
    d.refresh_from_db()
    assert d.status == "implementing"
    assert {t.approval.route_id for t in selectors.followup_tasks(d)} == {"decisions.implementation",
                                                                          "decisions.evaluation"}
    other = on_agenda(committee_matter="", title="城南供热管网改造项目")
    services.dossier_decide(actor=p("quzhang"), dossier_id=other.pk, outcome="暂缓", meeting_id=7, decided_on=DAY,
                            speaking_order=HELD)
    other.refresh_from_db()
    assert other.status == "deferred" and selectors.followup_tasks(other) == []
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=other.pk, meeting_type="standing", meeting_id=9,
                                     on=DAY)
    other.refresh_from_db()
    assert (other.status, other.agenda_meeting_id) == ("on_agenda", 9)


@pytest.mark.rules("R28.collective_decision", "R29.last_speaker", "R28.procedures")
def test_the_collective_decision_is_taken_at_the_deciding_meeting_not_recorded_before_it(gov):
    """Art. 28's 集体讨论决定 is the decision itself: no other meeting's minutes stand for it before
    the agenda, and the meeting decides only after its members spoke, the chair last (art. 29)."""
    d = new_dossier()
    with pytest.raises(Refused) as e:
        services.procedure_record(actor=p("fgj"), dossier_id=d.pk, step="collective_decision",
                                  done_on=dt.date(2026, 10, 9), evidence="区政府专题会议纪要〔2026〕31号", on=DAY)
    assert e.value.field == "step" and e.value.message.endswith("（《工作规则》第二十八条）")
    assert not ProcedureRecord.objects.filter(dossier=d).exists()

    d = on_agenda(title="城南供热管网改造项目")
    before = (AuditEvent.objects.count(), Task.objects.count())
    for order, expected in [((), {("R28.collective_decision", 28), ("R29.last_speaker", 29)}),
                            ([("district_head", True)], {("R28.collective_decision", 28)}),
                            ([("district_head", True), ("deputy_head", False)], {("R29.last_speaker", 29)})]:
        with pytest.raises(Refused) as e:
            services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="通过", meeting_id=7,
                                    decided_on=DAY, speaking_order=order)
        found = [v for v in e.value.violations if v.blocks]
        assert {(v.rule_id, v.article) for v in found} == expected, order
        for v in found:
            assert v.message.endswith("（《工作规则》第二十八条）" if v.article == 28 else "（《工作规则》第二十九条）")
    assert (AuditEvent.objects.count(), Task.objects.count()) == before
    assert MajorDecision.objects.get(pk=d.pk).status == "on_agenda"
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="通过", meeting_id=7, decided_on=DAY,
                            speaking_order=HELD)
    assert MajorDecision.objects.get(pk=d.pk).status == "escalated"


def test_a_decision_needs_the_dossier_on_the_agenda_and_writes_nothing_otherwise(gov):
    d = ready_dossier()
    d2 = on_agenda(title="另一个项目")
    before = (AuditEvent.objects.count(), Task.objects.count())
    with pytest.raises(Refused) as e:
        services.dossier_decide(actor=p("wenshu"), dossier_id=d.pk, outcome="通过", meeting_id=7, decided_on=DAY,
                                speaking_order=HELD)
    assert e.value.status == 409
    with pytest.raises(Refused) as e:
        services.dossier_decide(actor=p("wenshu"), dossier_id=d2.pk, outcome="通过", meeting_id=8, decided_on=DAY,
                                speaking_order=HELD)
    assert e.value.field == "meeting_id"
    assert (AuditEvent.objects.count(), Task.objects.count()) == before
    assert MajorDecision.objects.get(pk=d2.pk).status == "on_agenda"


@pytest.mark.rules("R77.congress_matter", "decisions.escalate_people_congress")
def test_the_budget_is_sent_to_the_peoples_congress_after_the_meeting(gov):
    d = services.dossier_create(actor=p("wenshu"), data={
        "title": "2027年区级财政预算草案", "matter_type": "budget", "congress_matter": "decision",
        "committee_matter": "plans"}, on=DAY)
    assert d.proposing_unit is None and d.proposed_by_department is False
    for code, day, evidence in STEPS:
        services.procedure_record(actor=p("wenshu"), dossier_id=d.pk, step=code, done_on=day, evidence=evidence,
                                  legality_reviewer="legal_adviser" if code == "legality_review" else None, on=DAY)
    services.dossier_place_on_agenda(actor=p("changwu"), dossier_id=d.pk, meeting_type="standing", meeting_id=3,
                                     on=DAY)
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="通过", meeting_id=3, decided_on=DAY,
                            speaking_order=HELD)
    d.refresh_from_db()
    assert d.status == "escalated"
    assert sorted(e.body for e in d.escalations.all()) == ["party_committee", "people_congress"]
    with pytest.raises(Refused) as e:
        services.escalation_submit(actor=p("bgs-zhuren"), dossier_id=d.pk, body="province", reference="x", on=DAY)
    assert e.value.field == "body"
    services.escalation_submit(actor=p("bgs-zhuren"), dossier_id=d.pk, body="people_congress",
                               reference="洮北政函〔2026〕3号", on=DAY)
    assert d.escalations.get(body="people_congress").status == "submitted"


@pytest.mark.rules("R76.no_direct_submission", "decisions.escalate_party_committee")
def test_the_office_director_submitting_from_the_inbox_marks_the_escalation_submitted(gov):
    from zhengwu.workflow import services as wf

    d = on_agenda()
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="通过", meeting_id=7, decided_on=DAY,
                            speaking_order=HELD)
    [task] = selectors.followup_tasks(d)
    wf.task_complete(actor=p("bgs-zhuren"), task_id=task.pk, opinion="洮北政报〔2026〕16号", on=DAY)
    esc = d.escalations.get()
    assert (esc.status, esc.reference, esc.submitted_by.username) == ("submitted", "洮北政报〔2026〕16号", "bgs-zhuren")
    assert AuditEvent.objects.filter(action="decisions.dossier.escalate", obj_id=str(d.pk)).count() == 1
    with pytest.raises(Refused) as e:  # once only
        services.escalation_submit(actor=p("bgs-zhuren"), dossier_id=d.pk, body="party_committee", reference="再报",
                                   on=DAY)
    assert e.value.status == 409


# ---- art. 76: the rank threshold of item 7, reports to the 区委 and the feedback on what it agreed ----

ORG = dict(title="区城市管理综合行政执法局机构调整", matter_type="other_major", committee_matter="")


@pytest.mark.rules("R76.org_rank", "R76.org_rank_decided")
def test_a_deputy_section_level_bodys_reorganisation_must_go_to_the_party_committee_citing_art_76(gov):
    """Art. 76(一)7: 副科级以上 (副科级 included) 机构变动、设置和人员编制 go to the 区委常委会; below, not."""
    d = ready_dossier(**ORG, org_rank="deputy_section")
    assert d.status == "assembling"  # not ready: it must be marked for the 区委
    with pytest.raises(Refused) as e:
        services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type="standing", meeting_id=7,
                                         on=DAY)
    assert e.value.field == "committee_matter"
    assert [v.rule_id for v in e.value.violations if v.blocks] == ["R76.org_rank"]
    assert e.value.violations[0].message.endswith("（《工作规则》第七十六条）")
    assert MajorDecision.objects.get(pk=d.pk).status == "assembling"
    assert not AuditEvent.objects.filter(action="decisions.dossier.agenda", obj_id=str(d.pk)).exists()

    # marked for the 区委 (item 7), the 常务会议 approves it in principle and it is escalated
    services.dossier_update(actor=p("fgj"), dossier_id=d.pk, data={"committee_matter": "organisation"}, on=DAY)
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type="standing", meeting_id=7,
                                     on=DAY)
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="原则通过", meeting_id=7, decided_on=DAY,
                            speaking_order=HELD)
    d.refresh_from_db()
    assert (d.status, [e.body for e in d.escalations.all()]) == ("escalated", ["party_committee"])

    # a 股级 body's staffing: the 区政府 decides it itself
    low = ready_dossier(**{**ORG, "title": "区档案馆内设股室调整"}, org_rank="stock")
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=low.pk, meeting_type="standing", meeting_id=7,
                                     on=DAY)
    services.dossier_decide(actor=p("quzhang"), dossier_id=low.pk, outcome="通过", meeting_id=7, decided_on=DAY,
                            speaking_order=HELD)
    low.refresh_from_db()
    assert (low.status, low.escalations.count()) == ("implementing", 0)


@pytest.mark.rules("R76.org_rank_decided")
def test_a_meeting_does_not_itself_decide_a_section_level_reorganisation_citing_art_76(gov):
    """Checked again at the decision: a dossier whose rank was recorded after it went on the agenda
    (as old data may have it) is not decided without the 区委."""
    d = ready_dossier(**ORG)
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type="standing", meeting_id=7,
                                     on=DAY)
    MajorDecision.objects.filter(pk=d.pk).update(org_rank="section")
    with pytest.raises(Refused) as e:
        services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="通过", meeting_id=7, decided_on=DAY,
                                speaking_order=HELD)
    assert [v.rule_id for v in e.value.violations] == ["R76.org_rank_decided"]
    assert e.value.field == "committee_matter"
    d.refresh_from_db()
    assert (d.status, d.outcome) == ("on_agenda", "")


def test_a_bad_org_rank_is_refused_naming_the_field(gov):
    before = MajorDecision.objects.count()
    with pytest.raises(Refused) as e:
        new_dossier(**ORG, org_rank="副科")
    assert e.value.field == "org_rank"
    assert MajorDecision.objects.count() == before


@pytest.mark.rules("R76.report", "W76.report", "decisions.report_party_committee")
def test_a_decided_matter_marked_for_the_party_committee_is_reported_by_the_office_citing_art_76(gov):
    """Art. 76(二): 区政府研究决定，需要向区委报告的事项 -- the office's task, reminded, then recorded once."""
    d = on_agenda(committee_matter="", report_to_committee=True)
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="通过", meeting_id=7, decided_on=DAY,
                            speaking_order=HELD)
    [task] = [t for t in selectors.followup_tasks(d) if t.approval.route_id == "decisions.report_party_committee"]
    assert (task.assignee.username, task.step_id, task.status) == ("bgs-zhuren", "report", "open")
    tick(on=task.due_on)
    tick(on=task.due_on)
    assert Notification.objects.filter(task=task, kind="reminder").count() == 1

    # a department does not report to the 区委; a report dated before the decision is refused
    with pytest.raises(Refused) as e:
        services.committee_report_record(actor=p("fgj"), dossier_id=d.pk, reference="发改局报告", on=DAY)
    assert [v.rule_id for v in e.value.violations] == ["R76.report"] and e.value.field == "submitting_unit"
    with pytest.raises(Refused) as e:
        services.committee_report_record(actor=p("bgs-zhuren"), dossier_id=d.pk, reference="洮北政报〔2026〕18号",
                                         reported_on=DAY - dt.timedelta(days=1), on=DAY)
    assert e.value.field == "reported_on" and e.value.message.endswith("（《工作规则》第七十六条）")
    assert MajorDecision.objects.get(pk=d.pk).committee_reported_on is None

    day = dt.date(2026, 11, 6)
    services.committee_report_record(actor=p("bgs-zhuren"), dossier_id=d.pk, reference="洮北政报〔2026〕18号", on=day)
    d.refresh_from_db()
    task.refresh_from_db()
    assert (d.committee_reported_on, d.committee_report_ref, task.status) == (day, "洮北政报〔2026〕18号", "done")
    [event] = AuditEvent.objects.filter(action="decisions.dossier.committee_report", obj_id=str(d.pk))
    assert event.article == 76
    with pytest.raises(Refused) as e:  # once only
        services.committee_report_record(actor=p("bgs-zhuren"), dossier_id=d.pk, reference="再报", on=day)
    assert e.value.status == 409


@pytest.mark.rules("R76.report", "decisions.report_party_committee")
def test_the_report_to_the_party_committee_done_from_the_inbox_is_guarded_and_recorded(gov):
    """The inbox is another door: the same rule (dated after the decision) guards the completion."""
    from zhengwu.workflow import services as wf

    d = on_agenda(committee_matter="", report_to_committee=True)
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="通过", meeting_id=7, decided_on=DAY,
                            speaking_order=HELD)
    [task] = [t for t in selectors.followup_tasks(d) if t.approval.route_id == "decisions.report_party_committee"]
    with pytest.raises(Refused) as e:
        wf.task_complete(actor=p("bgs-zhuren"), task_id=task.pk, opinion="洮北政报〔2026〕19号",
                         on=DAY - dt.timedelta(days=3))
    assert [v.rule_id for v in e.value.violations] == ["R76.report"] and e.value.field == "reported_on"
    assert Task.objects.get(pk=task.pk).status == "open"
    assert MajorDecision.objects.get(pk=d.pk).committee_reported_on is None
    wf.task_complete(actor=p("bgs-zhuren"), task_id=task.pk, opinion="洮北政报〔2026〕19号", on=DAY)
    d.refresh_from_db()
    assert (d.committee_reported_on, d.committee_report_ref) == (DAY, "洮北政报〔2026〕19号")


def test_no_report_task_for_a_matter_not_marked_or_one_the_party_committee_decides(gov):
    plain = on_agenda(committee_matter="")
    services.dossier_decide(actor=p("quzhang"), dossier_id=plain.pk, outcome="通过", meeting_id=7, decided_on=DAY,
                            speaking_order=HELD)
    decided_by_committee = on_agenda(report_to_committee=True)  # committee_matter: major_measures
    services.dossier_decide(actor=p("quzhang"), dossier_id=decided_by_committee.pk, outcome="通过", meeting_id=7,
                            decided_on=DAY, speaking_order=HELD)
    for d in (plain, decided_by_committee):
        assert "decisions.report_party_committee" not in {t.approval.route_id for t in selectors.followup_tasks(d)}
    with pytest.raises(Refused) as e:
        services.committee_report_record(actor=p("bgs-zhuren"), dossier_id=plain.pk, reference="洮北政报〔2026〕20号",
                                         on=DAY)
    assert e.value.status == 409


@pytest.mark.rules("R76.feedback", "W76.feedback", "decisions.feedback_party_committee")
def test_after_the_party_committee_agrees_the_office_feeds_back_the_implementation_citing_art_76(gov):
    """Art. 76(四): 经区委讨论同意后……由区政府办公室将落实情况及时反馈给区委."""
    from zhengwu.workflow import services as wf

    d = on_agenda()
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="原则通过", meeting_id=7, decided_on=DAY,
                            speaking_order=HELD)
    services.escalation_submit(actor=p("bgs-zhuren"), dossier_id=d.pk, body="party_committee",
                               reference="洮北政报〔2026〕15号", on=DAY)
    assert not [t for t in selectors.followup_tasks(d) if t.approval.route_id == "decisions.feedback_party_committee"]
    agreed = dt.date(2026, 11, 12)
    services.escalation_record_result(actor=p("wenshu"), dossier_id=d.pk, body="party_committee", agreed=True,
                                      result="区委常委会2026年第20次会议同意", decided_on=agreed, on=agreed)
    [task] = [t for t in selectors.followup_tasks(d) if t.approval.route_id == "decisions.feedback_party_committee"]
    assert (task.assignee.username, task.step_id, task.status) == ("bgs-zhuren", "feedback", "open")
    assert task.due_on is not None and task.due_on > agreed

    with pytest.raises(Refused) as e:  # a feedback that says nothing
        services.followup_report(actor=p("bgs-zhuren"), dossier_id=d.pk, step="feedback", note=" ", on=agreed)
    assert e.value.field == "note"
    with pytest.raises(Refused) as e:  # from the inbox, dated before the 区委 agreed
        wf.task_complete(actor=p("bgs-zhuren"), task_id=task.pk, opinion="已开工", on=agreed - dt.timedelta(days=1))
    assert [v.rule_id for v in e.value.violations] == ["R76.feedback"] and e.value.field == "reported_on"
    assert e.value.message.endswith("（《工作规则》第七十六条）")
    assert Task.objects.get(pk=task.pk).status == "open"
    day = dt.date(2026, 11, 30)
    services.followup_report(actor=p("bgs-zhuren"), dossier_id=d.pk, step="feedback", note="一期工程已开工", on=day)
    d.refresh_from_db()
    assert "一期工程已开工" in d.committee_feedback and d.committee_feedback_on == day
    assert Task.objects.get(pk=task.pk).status == "done"
    assert AuditEvent.objects.filter(action="decisions.dossier.committee_feedback", obj_id=str(d.pk),
                                     article=76).count() == 1


def test_no_feedback_task_when_the_party_committee_does_not_agree(gov):
    d = on_agenda()
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="原则通过", meeting_id=7, decided_on=DAY,
                            speaking_order=HELD)
    services.escalation_submit(actor=p("bgs-zhuren"), dossier_id=d.pk, body="party_committee",
                               reference="洮北政报〔2026〕15号", on=DAY)
    services.escalation_record_result(actor=p("wenshu"), dossier_id=d.pk, body="party_committee", agreed=False,
                                      result="区委常委会不同意", decided_on=DAY, on=DAY)
    assert "decisions.feedback_party_committee" not in {t.approval.route_id for t in selectors.followup_tasks(d)}
