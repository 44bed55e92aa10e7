"""Foreign affairs, research and speeches (arts. 79-81, 93, 96) through their services and the
approval engine, each rule both ways, on the demo government and the real 2026 calendar."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.affairs.foreign import services
from zhengwu.affairs.foreign.models import Gift, Invitation, ResearchPlan, Speech, Visit
from zhengwu.affairs.foreign.tick import foreign_tick
from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Forbidden, Refused
from zhengwu.org import services as org_services
from zhengwu.org.models import Person, Unit
from zhengwu.workcalendar.selectors import work_calendar
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture
def gov(org_demo):
    return org_demo


def p(username):
    return Person.objects.get(username=username)


def unit(short):
    return Unit.objects.get(short_name=short)


def open_task(obj_type, obj_id, step=None):
    qs = Task.objects.filter(approval__obj_type=obj_type, approval__obj_id=str(obj_id), status=Task.Status.OPEN,
                             kind=Task.Kind.STEP)
    if step:
        qs = qs.filter(step_id=step)
    return qs.get()


def articles_of(e):
    return {v.article for v in e.value.violations}


# ---- art. 79 ---------------------------------------------------------------------------------------

def invite(days_ahead, **kw):
    event = work_calendar().add_workdays(DAY, days_ahead)
    kw.setdefault("text", "拟于活动当日会见日本友好城市代表团，请区长出席并致辞。")
    return services.invitation_file(actor=p("czj"), unit_id=unit("财政局").pk, leader_id=p("quzhang").pk,
                                    title="日本友好城市代表团来访", foreign_party="日本某市代表团", event_on=event,
                                    on=DAY, **kw)


@pytest.mark.rules("R79.lead_time", "foreign_affairs.invitation")
def test_an_invitation_5_working_days_ahead_is_refused_and_7_is_filed_with_the_office_art_79(gov):
    with pytest.raises(Refused) as e:
        invite(5)
    assert articles_of(e) == {79} and e.value.field == "event_on"
    assert e.value.message.endswith("（《工作规则》第七十九条）")
    assert not Invitation.objects.exists()
    with pytest.raises(Refused) as e:
        invite(7, text="")  # not in writing
    assert articles_of(e) == {79} and e.value.field == "text"
    inv = invite(7)
    assert inv.status == Invitation.Status.FILING and inv.working_days_ahead == 7
    task = open_task("foreign.invitation", inv.pk)
    assert task.assignee.username == "bgs-zhuren"
    wf.task_complete(actor=p("bgs-zhuren"), task_id=task.pk, opinion="已备案，统筹安排", on=DAY)
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.FILED
    assert Notification.objects.filter(person=p("quzhang"), key=f"foreign:invitation:{inv.pk}").exists()
    assert AuditEvent.objects.filter(action="foreign.invitation.file", obj_id=str(inv.pk), article=79).exists()


def test_a_department_invites_only_in_its_own_name(gov):
    with pytest.raises(Forbidden):
        services.invitation_file(actor=p("jyj"), unit_id=unit("财政局").pk, leader_id=p("quzhang").pk, title="x",
                                 foreign_party="y", event_on=dt.date(2026, 11, 30), text="z", on=DAY)
    with pytest.raises(Refused) as e:
        services.invitation_file(actor=p("czj"), unit_id=unit("财政局").pk, leader_id=p("jyj").pk, title="x",
                                 foreign_party="y", event_on=dt.date(2026, 11, 30), text="z", on=DAY)
    assert e.value.field == "leader_id"


# ---- art. 80, 81: visits -------------------------------------------------------------------------------

def apply(who="czj", countries=("日本",), departs=dt.date(2026, 11, 20), returns=dt.date(2026, 11, 24), size=4, **kw):
    return services.visit_apply(actor=p(who), purpose="考察友好城市财政管理", countries=list(countries),
                                departs_on=departs, returns_on=returns, group_size=size, on=DAY, **kw)


@pytest.mark.rules("R80.chain", "visit.unit_head")
def test_a_department_heads_visit_approved_only_by_the_leader_in_charge_is_refused_art_80(gov):
    visit = apply()
    assert visit.route_id == "visit.unit_head" and visit.status == Visit.Status.APPROVING
    agree = open_task("foreign.visit", visit.pk, "leader_agree")
    assert agree.assignee.username == "changwu"  # the 财政局's 分管 leader
    wf.task_complete(actor=p("changwu"), task_id=agree.pk, decision="同意", on=DAY)
    # the trip cannot leave on the 分管副区长's word alone
    with pytest.raises(Refused) as e:
        services.visit_leave(actor=p("czj"), visit_id=visit.pk, on=DAY)
    assert articles_of(e) == {80} and "区长审批" in e.value.message
    head = open_task("foreign.visit", visit.pk, "head_approve")
    # nor can the 分管副区长 give the 区长's step: he does not hold it …
    with pytest.raises(Refused) as e:
        wf.task_complete(actor=p("changwu"), task_id=head.pk, decision="批准", on=DAY)
    assert e.value.status == 403 and articles_of(e) == {80}
    # … nor acting for the 区长 (art. 15) once he has agreed as 分管副区长
    org_services.absence_create(actor=None, person=p("quzhang"), designated_by=p("quzhang"), substitute=p("changwu"),
                                start=DAY, end=DAY, reason="赴省开会")
    with pytest.raises(Refused) as e:
        wf.task_complete(actor=p("changwu"), task_id=head.pk, decision="批准", on=DAY)
    assert articles_of(e) == {80} and [v.rule_id for v in e.value.violations] == ["R80.chain"]
    visit.refresh_from_db()
    assert visit.status == Visit.Status.APPROVING
    # the 区长 himself approves: the visit may leave
    later = DAY + dt.timedelta(days=1)
    wf.task_complete(actor=p("quzhang"), task_id=head.pk, decision="批准", on=later)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.APPROVED and visit.approved_on == later
    services.visit_leave(actor=p("czj"), visit_id=visit.pk, on=later)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.LEFT


@pytest.mark.rules("visit.unit_deputy", "visit.deputy_head", "R80.chain")
def test_the_chain_follows_the_travellers_rank_and_external_steps_are_recorded_by_the_office_art_80(gov):
    deputy = apply("czj-fu")
    assert deputy.route_id == "visit.unit_deputy"
    for step in ("leader_agree", "executive_approve"):  # the 常务副区长 is both the 分管 and the 常务 leader
        wf.task_complete(actor=p("changwu"), task_id=open_task("foreign.visit", deputy.pk, step).pk,
                         decision="同意" if step == "leader_agree" else "批准", on=DAY)
    deputy.refresh_from_db()
    assert deputy.status == Visit.Status.APPROVED
    leader = apply("fuqu4", countries=("韩国", "日本"), departs=dt.date(2026, 11, 23), returns=dt.date(2026, 11, 30))
    assert leader.route_id == "visit.deputy_head" and leader.unit is None
    wf.task_complete(actor=p("quzhang"), task_id=open_task("foreign.visit", leader.pk, "head_review").pk,
                     opinion="同意报区委书记", on=DAY)
    secretary = open_task("foreign.visit", leader.pk, "secretary_agree")
    assert secretary.assignee.username == "bgs-zhuren" and "区委书记" in secretary.note  # recorded by the office
    wf.task_complete(actor=p("bgs-zhuren"), task_id=secretary.pk, decision="同意", opinion="区委书记已签批同意", on=DAY)
    city = open_task("foreign.visit", leader.pk, "city_approve")
    wf.task_complete(actor=p("bgs-zhuren"), task_id=city.pk, decision="不批准", opinion="市外办：行程过长", on=DAY)
    leader.refresh_from_db()
    assert leader.status == Visit.Status.REFUSED
    with pytest.raises(Refused) as e:
        services.visit_leave(actor=p("fuqu4"), visit_id=leader.pk, on=DAY)
    assert 80 in articles_of(e)
    with pytest.raises(Refused) as e:
        apply("quzhang")  # the 区长 is not a 副区级领导: not routed here
    assert e.value.field == "traveller_id"
    with pytest.raises(Refused):
        apply("wenshu")


@pytest.mark.rules("R81.trip_limits")
def test_trip_limits_are_parameters_and_exceeding_them_is_refused_art_81(gov):
    with pytest.raises(Refused) as e:
        apply(countries=("日本", "韩国", "蒙古", "俄罗斯"))
    assert articles_of(e) == {81}
    with pytest.raises(Refused) as e:
        apply(returns=dt.date(2026, 11, 25))  # 6 days in one country
    assert articles_of(e) == {81} and e.value.field == "returns_on"
    with pytest.raises(Refused) as e:
        apply(size=7)
    assert articles_of(e) == {81} and e.value.field == "group_size"
    assert rules.param("foreign_affairs.visit_max_group_size", DAY) == 6
    apply()
    with pytest.raises(Refused) as e:
        apply(departs=dt.date(2026, 12, 10), returns=dt.date(2026, 12, 12))  # a second visit in the year
    assert articles_of(e) == {81}
    assert Visit.objects.count() == 1


def test_only_the_traveller_or_the_office_applies(gov):
    with pytest.raises(Forbidden):
        apply("jyj", traveller_id=p("czj").pk)
    visit = apply("bgs-zhuren", traveller_id=p("czj").pk)
    assert visit.traveller.username == "czj" and visit.created_by.username == "bgs-zhuren"


# ---- art. 81: gifts ---------------------------------------------------------------------------------------

@pytest.mark.rules("R81.gift_handover", "W81.gift_register")
def test_a_gift_of_200_yuan_not_handed_over_within_a_month_is_flagged_by_tick_art_81(gov):
    big = services.gift_register(actor=p("czj"), description="青瓷花瓶", giver="日本某市代表团", value=200,
                                 received_on=dt.date(2026, 10, 10), on=DAY)
    small = services.gift_register(actor=p("czj"), description="纪念徽章", giver="日本某市代表团", value=150,
                                   received_on=dt.date(2026, 10, 10), on=DAY)
    handed = services.gift_register(actor=p("czj"), description="漆器", giver="韩国某郡", value=800,
                                    received_on=dt.date(2026, 10, 20), on=DAY)
    assert big.due_on == dt.date(2026, 11, 10) and big.status == Gift.Status.DUE
    assert small.due_on is None and small.status == Gift.Status.KEPT
    with pytest.raises(Forbidden):
        services.gift_hand_over(actor=p("czj"), gift_id=handed.pk, on=DAY)  # the recipient does not receive it
    services.gift_hand_over(actor=p("bgs-zhuren"), gift_id=handed.pk, on=DAY)
    assert foreign_tick(dt.date(2026, 11, 10)).startswith("0 late gifts")  # not late yet
    assert foreign_tick(dt.date(2026, 11, 11)).startswith("1 late gifts")
    big.refresh_from_db()
    assert big.flagged_on == dt.date(2026, 11, 11)
    note = Notification.objects.get(person=p("czj"), key=f"foreign:gift:late:{big.pk}:{p('czj').pk}")
    assert note.body.endswith("（《工作规则》第八十一条）")
    assert AuditEvent.objects.filter(action="foreign.gift.flag", obj_id=str(big.pk), article=81).exists()
    assert foreign_tick(dt.date(2026, 11, 12)).startswith("0 late gifts")  # once


# ---- art. 93: research ----------------------------------------------------------------------------------------

@pytest.mark.rules("R93.key_topics", "R93.grassroots", "W93.research_plans")
def test_research_shortfalls_are_flagged_at_year_end_and_a_missing_plan_after_its_date_art_93(gov):
    with pytest.raises(Refused) as e:
        services.plan_set(actor=p("fuqu1"), year=2026, topics=["a", "b", "c"], planned_days=30, on=DAY)
    assert articles_of(e) == {93}
    with pytest.raises(Refused) as e:
        services.plan_set(actor=p("fuqu1"), year=2026, topics=["城市更新"], planned_days=10, on=DAY)
    assert articles_of(e) == {93} and e.value.field == "grassroots_days"
    with pytest.raises(Forbidden):
        services.plan_set(actor=p("fuqu2"), leader_id=p("fuqu1").pk, year=2026, topics=["x"], planned_days=30, on=DAY)
    short = services.plan_set(actor=p("fuqu1"), year=2026, topics=["城市更新", "安全生产"], planned_days=30, on=DAY)
    services.trip_add(actor=p("fuqu1"), plan_id=short.pk, starts_on=dt.date(2026, 5, 6), ends_on=dt.date(2026, 5, 15),
                      place="新华街道", topic="城市更新", on=DAY)
    services.report_add(actor=p("fuqu1"), plan_id=short.pk, topic="城市更新", title="关于老旧小区改造的调研报告",
                        text="……", on=DAY)
    full = services.plan_set(actor=p("bgs-zhuren"), leader_id=p("fuqu2").pk, year=2026, topics=["义务教育"],
                             planned_days=30, on=DAY)
    services.trip_add(actor=p("fuqu2"), plan_id=full.pk, starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 4, 30),
                      place="东风乡", on=DAY)
    services.trip_add(actor=p("fuqu2"), plan_id=full.pk, starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 9, 3),
                      place="铁东街道", on=DAY)
    services.report_add(actor=p("fuqu2"), plan_id=full.pk, topic="义务教育", title="义务教育均衡发展调研", text="……",
                        on=DAY)
    foreign_tick(DAY)  # before year end: only the missing plans (past research.plan_due_month)
    keys = set(Notification.objects.filter(key__startswith="foreign:research:").values_list("key", flat=True))
    assert f"foreign:research:{p('quzhang').pk}:2026:R93.key_topics:plan" in keys
    assert not any(k.startswith(f"foreign:research:{p('fuqu1').pk}:") for k in keys)
    foreign_tick(dt.date(2026, 12, 31))
    mine = Notification.objects.filter(person=p("fuqu1"), key__startswith=f"foreign:research:{p('fuqu1').pk}:2026:")
    bodies = {n.key.split(":")[4]: n.body for n in mine}
    assert set(bodies) == {"R93.grassroots", "R93.key_topics"}  # 10 days; 安全生产 without a report
    assert "10天" in bodies["R93.grassroots"] and bodies["R93.grassroots"].endswith("（《工作规则》第九十三条）")
    assert not Notification.objects.filter(person=p("fuqu2"), key__contains=":2026:R93.").exists()  # 33 days, reported
    short.refresh_from_db()
    assert short.flagged_on == dt.date(2026, 12, 31)
    assert AuditEvent.objects.filter(action="foreign.research.flag", obj_id=str(short.pk), article=93).exists()
    n = Notification.objects.filter(key__contains=":2026:").count()
    foreign_tick(dt.date(2027, 1, 4))  # January: the year just ended is checked again, nothing sent twice
    assert Notification.objects.filter(key__contains=":2026:").count() == n


def test_a_plan_per_leader_and_year(gov):
    services.plan_set(actor=p("fuqu3"), year=2026, topics=["高标准农田"], planned_days=30, on=DAY)
    with pytest.raises(Refused) as e:
        services.plan_set(actor=p("fuqu3"), year=2026, topics=["高标准农田"], planned_days=30, on=DAY)
    assert e.value.status == 409
    with pytest.raises(Refused):
        services.plan_set(actor=p("czj"), year=2026, topics=["x"], planned_days=30, on=DAY)  # not a leader
    assert ResearchPlan.objects.count() == 1


# ---- art. 96: speeches and inscriptions ---------------------------------------------------------------------------

@pytest.mark.rules("R96.no_inscriptions")
def test_a_leaders_congratulatory_inscription_is_refused_and_a_speech_is_taken_art_96(gov):
    for kind in ("inscription", "congratulatory_letter", "congratulatory_telegram"):
        with pytest.raises(Refused) as e:
            services.speech_submit(actor=p("quzhang"), kind=kind, title="为某协会成立题词", occasion="某协会成立大会",
                                   text="……", on=DAY)
        assert articles_of(e) == {96} and e.value.field == "kind"
    assert not Speech.objects.exists()
    speech = services.speech_submit(actor=p("quzhang"), kind="speech", title="在招商引资推介会上的讲话",
                                    occasion="招商引资推介会", text="……", on=DAY)
    assert speech.status == Speech.Status.APPROVING and speech.route_id == "speech.leader"


@pytest.mark.rules("R96.prior_approval", "speech.leader", "speech.member")
def test_speeches_need_approval_before_delivery_the_leaders_by_the_city_recorded_art_96(gov):
    speech = services.speech_submit(actor=p("quzhang"), kind="article", title="优化营商环境的几点思考",
                                    occasion="《白城日报》", text="……", on=DAY)
    with pytest.raises(Refused) as e:
        services.speech_deliver(actor=p("quzhang"), speech_id=speech.pk, on=DAY)
    assert articles_of(e) == {96}
    city = open_task("foreign.speech", speech.pk)
    assert city.step_id == "city_approve" and city.assignee.username == "bgs-zhuren"
    with pytest.raises(Refused):
        wf.task_complete(actor=p("quzhang"), task_id=city.pk, decision="批准", on=DAY)  # not his to record
    wf.task_complete(actor=p("bgs-zhuren"), task_id=city.pk, decision="批准", opinion="市政府办公室电话通知同意", on=DAY)
    services.speech_deliver(actor=p("quzhang"), speech_id=speech.pk, on=DAY)
    speech.refresh_from_db()
    assert speech.status == Speech.Status.DELIVERED
    member = services.speech_submit(actor=p("czj"), kind="speech", title="代表区政府在财税工作会议上的讲话",
                                    occasion="全区财税工作会议", text="……", on_behalf=True, on=DAY)
    assert member.route_id == "speech.member"
    wf.task_complete(actor=p("bgs-zhuren"), task_id=open_task("foreign.speech", member.pk).pk, opinion="已审核",
                     on=DAY)
    leader = open_task("foreign.speech", member.pk)
    assert leader.assignee.username == "changwu"
    wf.task_complete(actor=p("changwu"), task_id=leader.pk, decision="不批准", opinion="涉及事项尚未研究", on=DAY)
    member.refresh_from_db()
    assert member.status == Speech.Status.REFUSED
    with pytest.raises(Refused) as e:
        services.speech_deliver(actor=p("czj"), speech_id=member.pk, on=DAY)
    assert articles_of(e) == {96}
    own = services.speech_submit(actor=p("czj"), kind="speech", title="在局务会上的讲话", occasion="局务会", text="……",
                                 on=DAY)
    assert own.status == Speech.Status.NOT_REQUIRED and own.approval is None
    services.speech_deliver(actor=p("czj"), speech_id=own.pk, on=DAY)
