"""Art. 51 (绩效考评, 行政问责): the yearly scores per lead unit (on-time rate, 核查一次通过率, items
sent back by a failed 核查), the 整改 loop with its second 核查 on the timeline, the late-复核 reminder,
and the 表扬/问责建议 drafted by the 督查指挥中心 and approved by the 区长 alone (route
supervision.accountability; 政府督查工作条例 art. 21) — through the services, each rule both ways, on the
demo government and the real 2026 calendar."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Conflict, Forbidden, Refused
from zhengwu.rulebook.rules.supervision import AccountabilityFacts
from zhengwu.supervision import selectors, services
from zhengwu.supervision.models import AccountabilityProposal, SupervisionItem
from zhengwu.supervision.tick import supervision_tick
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Notification, Task

from test_supervision_services import FRIDAY, assigned, p, unit

pytestmark = pytest.mark.django_db
S = SupervisionItem.Status
LATE = dt.date(2026, 10, 12)  # after the 5 working days from FRIDAY (due 2026-10-09)


@pytest.fixture
def gov(org_demo):
    return org_demo


def signed(lead="财政局", head="czj", **kw):
    item = assigned(limit_days=5, leads=(lead,), cos=(), **kw)
    services.item_sign(actor=p(head), item_id=item.pk, on=FRIDAY)
    return item


def ask(item, head="czj", on=FRIDAY):
    return services.item_request_closure(actor=p(head), item_id=item.pk, text="已完成", evidence="材料", on=on)


def verify(item, passed, on=FRIDAY):
    return services.item_verify(actor=p("dcz"), item_id=item.pk, passed=passed,
                                note="核查属实" if passed else "佐证不足，请整改", on=on)


def scores(year=2026):
    return {r["unit"]: r for r in selectors.performance(SupervisionItem.objects.all(), year, FRIDAY)}


@pytest.mark.rules("W51.performance")
def test_yearly_scores_weigh_on_time_and_first_pass_rates_minus_reopened_items_art_51(gov):
    first = signed()
    ask(first)
    verify(first, True)  # on time, passed at the first 核查
    again = signed()
    ask(again)
    verify(again, False)  # sent back: re-opened
    ask(again)
    verify(again, True)
    late = signed(lead="发改局", head="fgj")
    ask(late, head="fgj", on=LATE)  # asked after the due date, not yet verified
    got = scores()
    czj, fgj = got["区财政局"], got["区发展和改革局"]
    assert (czj["items"], czj["completed"], czj["on_time"], czj["verified"], czj["first_pass"], czj["reopened"]) == \
        (2, 2, 2, 2, 1, 1)
    weights = rules.param("supervision.performance_weights", FRIDAY)
    penalty = rules.param("supervision.reopened_penalty", FRIDAY)
    assert (czj["on_time_rate"], czj["first_pass_rate"]) == (100.0, 50.0)
    assert czj["score"] == (100 * weights["on_time"] + 50 * weights["first_pass"]) / 100 - penalty == 75.0
    assert czj["mark"] == ""  # between the two lines
    assert (fgj["on_time_rate"], fgj["first_pass_rate"], fgj["score"], fgj["mark"]) == (0.0, None, 0.0, "accountability")
    assert rules.article_of("supervision.performance_weights") == rules.article_of("W51.performance") == 51


def test_a_failed_verification_overturned_on_review_is_no_reopened_item(gov):
    item = signed()
    ask(item)
    verify(item, False)
    review = services.review_request(actor=p("czj"), item_id=item.pk, reason="佐证已齐全", on=FRIDAY)
    services.review_decide(actor=p("changwu"), review_id=review.pk, overturn=True, note="佐证齐全，撤销", on=FRIDAY)
    row = scores()["区财政局"]
    assert (row["verified"], row["first_pass"], row["reopened"], row["score"]) == (1, 1, 0, 100.0)


def test_rectification_after_a_failed_verification_is_checked_again_and_shown_on_the_timeline(gov):
    item = signed()
    ask(item)
    verify(item, False)
    assert SupervisionItem.objects.get(pk=item.pk).status == S.IN_PROGRESS  # back to the lead unit: 整改
    [n] = Notification.objects.filter(title__startswith="核查未通过，请整改")
    assert n.person.username == "czj"
    services.item_report(actor=p("czj"), item_id=item.pk, text="已补充佐证材料", evidence="抽查记录", on=FRIDAY)
    ask(item)
    task = Task.objects.get(approval__obj_type="supervision.item", approval__obj_id=str(item.pk), status="open")
    assert task.assignee.username == "dcz" and task.action == "核查"  # a second 核查
    verify(item, True)
    summaries = list(AuditEvent.objects.filter(obj_type="supervision.item", obj_id=str(item.pk))
                     .order_by("seq").values_list("summary", flat=True))
    assert any(s.startswith("核查未通过，退回牵头单位整改") for s in summaries)
    assert any(s.startswith("整改后再次申请办结，待再次核查") for s in summaries)
    assert any(s.startswith("第2次核查：核查通过") for s in summaries)


@pytest.mark.rules("W50.review_late")
def test_a_late_review_decision_is_reminded_once(gov):
    item = signed()
    ask(item)
    verify(item, False)
    review = services.review_request(actor=p("czj"), item_id=item.pk, reason="佐证已齐全", on=FRIDAY)
    supervision_tick(review.due_on)  # due today: not late yet
    assert not Notification.objects.filter(title__startswith="复核逾期未决定").exists()
    out = supervision_tick(review.due_on + dt.timedelta(days=1))
    supervision_tick(review.due_on + dt.timedelta(days=2))  # once
    late = Notification.objects.filter(title__startswith="复核逾期未决定")
    # the center's 分管 leader; not the director, who made the conclusion (条例 art. 17)
    assert sorted(n.person.username for n in late) == ["changwu"]
    assert "1 late review reminders" in out


# ---- 表扬/问责建议 --------------------------------------------------------------------------------

def propose(kind="praise", reasons="按期办结，核查一次通过", who="dcz", short="财政局", year=2026):
    return services.accountability_propose(actor=p(who), unit_id=unit(short).pk, year=year, kind=kind,
                                           reasons=reasons, on=FRIDAY)


@pytest.mark.rules("R51.proposal", "supervision.accountability")
def test_the_center_drafts_a_proposal_on_the_units_scores_art_51(gov):
    item = signed()
    ask(item)
    verify(item, True)
    with pytest.raises(Forbidden):  # only the center proposes
        propose(who="czj")
    with pytest.raises(Refused) as e:
        propose(reasons=" ")
    [v] = e.value.violations
    assert (v.rule_id, v.article, v.field) == ("R51.proposal", 51, "reasons")
    with pytest.raises(Refused) as e:  # the 教育局 led no item this year
        propose(short="教育局")
    assert [(v.rule_id, v.article, v.field) for v in e.value.violations] == [("R51.proposal", 51, "unit")]
    with pytest.raises(Refused) as e:
        propose(kind="medal")
    assert e.value.violations[0].field == "kind"
    assert not AccountabilityProposal.objects.exists()
    proposal = propose()
    assert proposal.status == "pending" and proposal.scores["score"] == 100.0
    task = Task.objects.get(approval__obj_type="supervision.accountability", approval__obj_id=str(proposal.pk))
    assert task.assignee.username == "quzhang" and task.status == "open"
    with pytest.raises(Conflict) as e:  # one pending proposal of a kind per unit and year
        propose()
    assert e.value.field == "unit_id"
    assert AuditEvent.objects.filter(action="supervision.accountability.propose", obj_id=str(proposal.pk),
                                     article=51).exists()


@pytest.mark.rules("R51.head_decides", "supervision.accountability")
def test_only_the_district_head_approves_a_proposal_art_51(gov):
    item = signed()
    ask(item)
    verify(item, True)
    proposal = propose()
    task = Task.objects.get(approval__obj_type="supervision.accountability", approval__obj_id=str(proposal.pk))
    for who in ("changwu", "dcz", "bgs-zhuren", "czj"):  # not the 常务副区长, the center, the office, the unit
        with pytest.raises(Refused) as e:
            wf.task_complete(actor=p(who), task_id=task.pk, decision="同意", opinion="同意", on=FRIDAY)
        assert e.value.status == 403 and any(v.article == 51 for v in e.value.violations), who
        with pytest.raises(Refused):
            services.accountability_decide(actor=p(who), proposal_id=proposal.pk, approve=True, opinion="同意",
                                           on=FRIDAY)
    assert AccountabilityProposal.objects.get(pk=proposal.pk).status == "pending"
    # the rule itself, both ways (the guard runs on every door after the engine's own step check)
    on = FRIDAY
    no = rules.check("supervision.accountability", AccountabilityFacts(kind="praise", deciding=True), on=on)
    assert [(v.rule_id, v.article, v.field) for v in no] == [("R51.head_decides", 51, "actor")]
    assert rules.check("supervision.accountability", AccountabilityFacts(
        kind="praise", deciding=True, decider_is_district_head=True), on=on) == []
    assert list(services.accountability_guard(task.approval, task, p("quzhang"), "同意", "", on)) == []
    with pytest.raises(Forbidden) as e:
        services.accountability_guard(task.approval, task, p("changwu"), "同意", "", on)
    assert [v.rule_id for v in e.value.violations] == ["R51.head_decides"]
    services.accountability_decide(actor=p("quzhang"), proposal_id=proposal.pk, approve=True, opinion="同意表扬",
                                   on=FRIDAY)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by.username, proposal.opinion) == ("approved", "quzhang", "同意表扬")
    assert Notification.objects.filter(person=p("dcz"), title__startswith="区长批准").exists()
    assert AuditEvent.objects.filter(action="supervision.accountability.decide", obj_id=str(proposal.pk),
                                     article=51).exists()
    with pytest.raises(Conflict):  # decided once
        services.accountability_decide(actor=p("quzhang"), proposal_id=proposal.pk, approve=False, opinion="",
                                       on=FRIDAY)


def test_a_refused_proposal_can_be_drafted_again(gov):
    item = signed()
    ask(item)
    verify(item, True)
    proposal = propose()
    services.accountability_decide(actor=p("quzhang"), proposal_id=proposal.pk, approve=False, opinion="再议",
                                   on=FRIDAY)
    assert AccountabilityProposal.objects.get(pk=proposal.pk).status == "refused"
    assert propose().status == "pending"
