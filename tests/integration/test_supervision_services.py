"""The supervision ledger (督查台账, art. 45-51) through its services, each rule both ways, on the
demo government and the real 2026 calendar."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Forbidden, Refused
from zhengwu.org.models import Person, Unit
from zhengwu.supervision import access, selectors, services
from zhengwu.supervision.models import Extension, SupervisionItem
from zhengwu.supervision.tick import supervision_tick
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db

S = SupervisionItem.Status
FRIDAY = dt.date(2026, 9, 25)  # the Friday before the 2026 国庆/中秋 holiday (10-01 … 10-07; 10-10 a working Saturday)


@pytest.fixture
def gov(org_demo):
    return org_demo


def p(username):
    return Person.objects.get(username=username)


def unit(short):
    return Unit.objects.get(short_name=short)


def new_item(*, leads=("财政局",), cos=("发改局",), on=FRIDAY, **kw):
    kw.setdefault("title", "推进政府采购电子化")
    kw.setdefault("basis", "区政府常务会议议定：年内完成")
    kw.setdefault("source", "higher_instruction")
    return services.item_create(actor=p("dcz"), lead_units=[unit(u).pk for u in leads],
                                co_units=[unit(u).pk for u in cos], on=on, **kw)


def assigned(limit_days=5, on=FRIDAY, **kw):
    item = new_item(limit_days=limit_days, on=on, **kw)
    return services.item_assign(actor=p("dcz"), item_id=item.pk, on=on)


@pytest.mark.rules("R48.one_lead", "R47.responsible_head", "R49.source")
def test_an_item_has_one_lead_unit_and_responsible_heads_and_two_leads_are_refused_art_48(gov):
    with pytest.raises(Refused) as e:
        new_item(leads=("财政局", "发改局"), cos=())
    [v] = [v for v in e.value.violations if v.rule_id == "R48.one_lead"]
    assert v.article == 48 and v.field == "lead_unit" and v.message.endswith("（《工作规则》第四十八条）")
    assert not SupervisionItem.objects.exists()
    with pytest.raises(Refused) as e:
        new_item(leads=("财政局",), cos=("财政局",))
    assert any(v.rule_id == "R48.one_lead" and v.field == "co_units" for v in e.value.violations)
    item = new_item()
    assert item.status == S.DRAFT and item.number == "督〔2026〕1号"
    lead = selectors.lead_of(item)
    assert lead.unit.short_name == "财政局" and lead.head.username == "czj"  # art. 47: the 主要负责人
    assert [u.head.username for u in item.units.all() if u.role == "co"] == ["fgj"]
    assert new_item().number == "督〔2026〕2号"  # gapless per government and year
    assert AuditEvent.objects.filter(action="supervision.item.create", obj_id=str(item.pk), article=49).exists()


def test_a_unit_without_its_head_is_refused_art_47(gov):
    with pytest.raises(Refused) as e:
        new_item(leads=("审计局",), cos=())  # the demo 审计局 has no 主要负责人 in post
    assert any(v.rule_id == "R47.responsible_head" and v.article == 47 for v in e.value.violations)


def test_only_the_supervision_center_creates_items(gov):
    for who in ("czj", "fuqu1", "bgs-zhuren"):
        with pytest.raises(Forbidden):
            services.item_create(actor=p(who), title="x", basis="y", source="inspection",
                                 lead_units=[unit("财政局").pk], on=FRIDAY)
    with pytest.raises(Refused) as e:
        new_item(source="nonsense")
    assert e.value.field == "source"


@pytest.mark.rules("R50.government_name", "supervision.government_name")
def test_supervision_in_the_government_name_needs_the_leaders_approval_art_50(gov):
    item = new_item(in_government_name=True)
    with pytest.raises(Refused) as e:
        services.item_assign(actor=p("dcz"), item_id=item.pk, on=FRIDAY)
    [v] = e.value.violations
    assert (v.rule_id, v.article, v.field) == ("R50.government_name", 50, "in_government_name")
    assert SupervisionItem.objects.get(pk=item.pk).status == S.DRAFT
    services.item_request_approval(actor=p("dcz"), item_id=item.pk, on=FRIDAY)
    task = Task.objects.get(approval__obj_type="supervision.item", approval__obj_id=str(item.pk), status="open")
    assert task.assignee.username == "changwu"  # the 督查指挥中心's 分管领导
    wf.task_complete(actor=p("changwu"), task_id=task.pk, decision="同意", opinion="同意以区政府名义督查", on=FRIDAY)
    item.refresh_from_db()
    assert item.approved_on == FRIDAY and item.approved_by.username == "changwu"
    services.item_assign(actor=p("dcz"), item_id=item.pk, on=FRIDAY)
    assert SupervisionItem.objects.get(pk=item.pk).status == S.ASSIGNED


def test_a_refused_approval_leaves_the_item_unapproved(gov):
    item = new_item(in_government_name=True)
    services.item_request_approval(actor=p("dcz"), item_id=item.pk, on=FRIDAY)
    task = Task.objects.get(approval__obj_type="supervision.item", approval__obj_id=str(item.pk), status="open")
    wf.task_complete(actor=p("changwu"), task_id=task.pk, decision="不同意", opinion="不宜", on=FRIDAY)
    item.refresh_from_db()
    assert item.approved_on is None
    with pytest.raises(Refused):
        services.item_assign(actor=p("dcz"), item_id=item.pk, on=FRIDAY)


@pytest.mark.rules("W50.lights")
def test_the_lights_follow_the_real_2026_calendar(gov):
    item = assigned(limit_days=5)
    # 5 working days after Friday 09-25: 09-28, 09-29, 09-30, then 10-08, 10-09 (10-01…10-07 off)
    assert item.due_on == dt.date(2026, 10, 9)
    assert selectors.light(item, FRIDAY).colour == "green"
    assert selectors.light(item, dt.date(2026, 9, 28)).colour == "green"  # 4 working days left
    y = selectors.light(item, dt.date(2026, 9, 29))  # 09-30, 10-08, 10-09: 3 left
    assert (y.colour, y.days_left) == ("yellow", 3)
    assert selectors.light(item, dt.date(2026, 10, 5)).colour == "yellow"  # holiday: still 2 left
    assert selectors.light(item, dt.date(2026, 10, 9)).colour == "yellow"  # the due date itself
    r = selectors.light(item, dt.date(2026, 10, 10))  # the 调休 Saturday is a working day
    assert (r.colour, r.days_left, r.listed) == ("red", -1, False)
    assert selectors.light(item, dt.date(2026, 10, 15)).listed is False  # 5 working days late
    assert selectors.light(item, dt.date(2026, 10, 16)).listed is True  # 6: past the limit


@pytest.mark.rules("W50.reminder", "W46.listing")
def test_tick_reminds_then_escalates_to_listed_supervision_with_the_leader_told(gov):
    item = assigned(limit_days=5)
    supervision_tick(dt.date(2026, 9, 28))
    assert not Notification.objects.filter(link=f"/supervision/{item.pk}/", kind="reminder").exists()
    supervision_tick(dt.date(2026, 9, 29))
    supervision_tick(dt.date(2026, 9, 30))
    [n] = Notification.objects.filter(link=f"/supervision/{item.pk}/", kind="reminder")
    assert n.person.username == "czj"
    supervision_tick(dt.date(2026, 10, 15))
    assert SupervisionItem.objects.get(pk=item.pk).listed_on is None
    assert Notification.objects.filter(link=f"/supervision/{item.pk}/", title__startswith="督查事项已逾期").count() == 1
    supervision_tick(dt.date(2026, 10, 16))
    supervision_tick(dt.date(2026, 10, 19))  # idempotent
    item.refresh_from_db()
    assert item.listed_on == dt.date(2026, 10, 16)
    listed = Notification.objects.filter(title__startswith="挂牌督办")
    assert sorted(n.person.username for n in listed) == ["changwu", "czj"]  # 财政局's 分管 leader and its head
    [ev] = AuditEvent.objects.filter(action="supervision.item.list", obj_id=str(item.pk))
    assert ev.article == 46


@pytest.mark.rules("R50.extension_in_time")
def test_an_extension_is_asked_before_the_due_date_and_refused_after_art_50(gov):
    item = assigned(limit_days=5)
    services.item_sign(actor=p("czj"), item_id=item.pk, on=FRIDAY)
    with pytest.raises(Refused) as e:
        services.extension_request(actor=p("czj"), item_id=item.pk, new_due_on="2026-10-30", reason="需协调",
                                   on=dt.date(2026, 10, 12))
    [v] = e.value.violations
    assert (v.rule_id, v.article, v.field) == ("R50.extension_in_time", 50, "asked_on")
    assert v.message.endswith("（《工作规则》第五十条）") and not Extension.objects.exists()
    with pytest.raises(Refused) as e:
        services.extension_request(actor=p("czj"), item_id=item.pk, new_due_on="2026-10-30", reason=" ",
                                   on=dt.date(2026, 10, 8))
    assert e.value.violations[0].field == "reason"
    with pytest.raises(Forbidden):  # a co-unit does not ask for the lead
        services.extension_request(actor=p("fgj"), item_id=item.pk, new_due_on="2026-10-30", reason="需协调",
                                   on=dt.date(2026, 10, 8))
    ext = services.extension_request(actor=p("czj"), item_id=item.pk, new_due_on="2026-10-30", reason="需协调",
                                     on=dt.date(2026, 10, 8))
    with pytest.raises(Forbidden):
        services.extension_decide(actor=p("czj"), extension_id=ext.pk, approve=True, on=dt.date(2026, 10, 8))
    services.extension_decide(actor=p("dcz"), extension_id=ext.pk, approve=True, on=dt.date(2026, 10, 9))
    item.refresh_from_db()
    assert item.due_on == dt.date(2026, 10, 30)
    assert selectors.light(item, dt.date(2026, 10, 16)).colour == "green"


@pytest.mark.rules("R50.verify_before_close", "R45.mechanism", "supervision.verification")
def test_an_item_is_closed_only_after_the_centers_verification_art_50(gov):
    item = assigned(limit_days=10, source="inspection")
    services.item_sign(actor=p("czj"), item_id=item.pk, on=FRIDAY)
    services.item_report(actor=p("czj"), item_id=item.pk, text="已完成平台招标", evidence="合同", on=FRIDAY)
    with pytest.raises(Refused) as e:  # art. 45: a finding's rectification builds a 长效机制
        services.item_request_closure(actor=p("czj"), item_id=item.pk, text="已整改", on=FRIDAY)
    assert e.value.violations[0].rule_id == "R45.mechanism" and e.value.violations[0].article == 45
    services.item_request_closure(actor=p("czj"), item_id=item.pk, text="已整改", mechanism="建立月度核查制度",
                                  on=FRIDAY)
    with pytest.raises(Refused) as e:
        services.item_close(actor=p("dcz"), item_id=item.pk, on=FRIDAY)
    assert [(v.rule_id, v.article, v.field) for v in e.value.violations] == [("R50.verify_before_close", 50, "status")]
    with pytest.raises(Refused) as e:  # the lead unit cannot close its own item
        services.item_close(actor=p("czj"), item_id=item.pk, on=FRIDAY)
    assert any(v.field == "actor" for v in e.value.violations)
    services.item_verify(actor=p("dcz"), item_id=item.pk, passed=False, note="佐证不足", on=FRIDAY)
    assert SupervisionItem.objects.get(pk=item.pk).status == S.IN_PROGRESS  # back to 整改
    services.item_request_closure(actor=p("czj"), item_id=item.pk, text="补充佐证", mechanism="月度核查",
                                  on=FRIDAY)
    services.item_verify(actor=p("dcz"), item_id=item.pk, passed=True, note="核查属实", on=FRIDAY)
    services.item_close(actor=p("dcz"), item_id=item.pk, on=FRIDAY)
    item.refresh_from_db()
    assert (item.status, item.closed_on, item.verified_by.username) == (S.CLOSED, FRIDAY, "dcz")
    assert AuditEvent.objects.filter(action="supervision.item.close", obj_id=str(item.pk), article=50).exists()


def test_the_lead_unit_returns_a_misassigned_item_and_the_center_reassigns(gov):
    item = assigned()
    with pytest.raises(Forbidden):
        services.item_sign(actor=p("fgj"), item_id=item.pk, on=FRIDAY)  # a co-unit
    with pytest.raises(Refused) as e:
        services.item_return(actor=p("czj"), item_id=item.pk, reason="", on=FRIDAY)
    assert e.value.field == "reason"
    services.item_return(actor=p("czj"), item_id=item.pk, reason="不属本单位职责", on=FRIDAY)
    assert SupervisionItem.objects.get(pk=item.pk).status == S.RETURNED
    services.item_assign(actor=p("dcz"), item_id=item.pk, on=FRIDAY)
    services.item_suspend(actor=p("dcz"), item_id=item.pk, reason="上级政策调整", on=FRIDAY)
    assert SupervisionItem.objects.get(pk=item.pk).status == S.SUSPENDED


def test_who_sees_which_items(gov):
    mine = assigned(leads=("财政局",), cos=())
    other = assigned(leads=("教育局",), cos=())
    draft = new_item(leads=("财政局",), cos=())
    on = FRIDAY
    ids = lambda who: set(access.visible_items(p(who), on=on).values_list("pk", flat=True))  # noqa: E731
    assert ids("quzhang") == ids("dcz") == {mine.pk, other.pk, draft.pk}
    assert ids("czj") == {mine.pk}  # its own, not a draft
    # 李乙 has the 督查指挥中心 in his 分工: he sees the ledger it keeps (he decides 复核, 条例 art. 17)
    assert ids("changwu") == {mine.pk, other.pk, draft.pk}
    assert ids("fuqu2") == {other.pk}  # 教育局
    assert ids("fuqu1") == set() and ids("sfj") == set()


def test_administrators_take_no_business_action(gov):
    from zhengwu.security.roles import is_administrator

    admin = p("sysadmin")
    assert is_administrator(admin)
    with pytest.raises(Refused):
        services.item_create(actor=admin, title="x", basis="y", source="inspection",
                             lead_units=[unit("财政局").pk], on=FRIDAY)


@pytest.mark.rules("W51.on_time_rate")
def test_on_time_rates_per_unit(gov):
    a = assigned(limit_days=5, cos=())
    b = assigned(limit_days=5, cos=())
    for item, day in ((a, dt.date(2026, 10, 9)), (b, dt.date(2026, 10, 12))):
        services.item_sign(actor=p("czj"), item_id=item.pk, on=FRIDAY)
        services.item_request_closure(actor=p("czj"), item_id=item.pk, text="完成", on=day)
    [row] = selectors.on_time_rates(SupervisionItem.objects.all(), 2026)
    assert row == {"unit": "区财政局", "on_time": 1, "total": 2, "rate": 50.0}
    assert rules.article_of("W51.on_time_rate") == 51


@pytest.mark.rules("W48.co_opinion")
def test_co_units_give_their_opinion_to_the_lead_and_are_reminded_after_a_month_art_48(gov):
    item = assigned(limit_days=40, cos=("发改局", "教育局"))
    with pytest.raises(Forbidden):  # the lead unit is no co-unit
        services.co_unit_opinion(actor=p("czj"), item_id=item.pk, text="x", on=FRIDAY)
    with pytest.raises(Refused) as e:
        services.co_unit_opinion(actor=p("fgj"), item_id=item.pk, text=" ", on=FRIDAY)
    assert e.value.field == "text"
    services.co_unit_opinion(actor=p("fgj"), item_id=item.pk, text="建议分两期实施", on=dt.date(2026, 10, 12))
    [n] = Notification.objects.filter(title__startswith="区发展和改革局协办意见")
    assert n.person.username == "czj"
    supervision_tick(dt.date(2026, 10, 24))  # 29 days after 交办: not yet
    assert not Notification.objects.filter(title__startswith="请向牵头单位反馈协办意见").exists()
    supervision_tick(dt.date(2026, 10, 25))
    supervision_tick(dt.date(2026, 10, 26))  # once
    [r] = Notification.objects.filter(title__startswith="请向牵头单位反馈协办意见")
    assert r.person.username == "jyj"  # the 教育局, which gave none; not the 发改局


def test_zhengwu_tick_runs_the_ledger_part(gov, capsys, monkeypatch):
    from zhengwu.workflow.tick import run_tick

    item = assigned(limit_days=5)
    monkeypatch.setattr(rules, "today", lambda: dt.date(2026, 10, 16))
    assert run_tick() == 0
    out = capsys.readouterr().out
    assert "tick supervision: 0 reminders, 1 overdue notices, 1 items listed" in out
    assert SupervisionItem.objects.get(pk=item.pk).listed_on == dt.date(2026, 10, 16)


@pytest.mark.rules("R40.rectification_report", "R50.verify_before_close")
@pytest.mark.parametrize("source", ["audit_finding", "supervisory_finding", "judicial_finding"])
def test_an_oversight_finding_is_closed_only_after_its_rectification_report_to_the_government_art_40(gov, source):
    from zhengwu.org import selectors as org_sel

    item = assigned(limit_days=10, source=source)
    services.item_sign(actor=p("czj"), item_id=item.pk, on=FRIDAY)
    services.item_request_closure(actor=p("czj"), item_id=item.pk, text="已整改", on=FRIDAY)
    services.item_verify(actor=p("dcz"), item_id=item.pk, passed=True, note="核查属实", on=FRIDAY)
    with pytest.raises(Refused) as e:  # verified, but not yet reported to the 区政府
        services.item_close(actor=p("dcz"), item_id=item.pk, on=FRIDAY)
    [v] = e.value.violations
    assert (v.rule_id, v.article, v.field) == ("R40.rectification_report", 40, "rectification_report")
    assert v.message.endswith(rules.cite("R40.rectification_report", FRIDAY)) and "第四十条" in v.message
    assert SupervisionItem.objects.get(pk=item.pk).status == S.VERIFIED
    with pytest.raises(Forbidden):  # only the lead unit reports
        services.item_rectification_report(actor=p("fgj"), item_id=item.pk, text="已整改", on=FRIDAY)
    with pytest.raises(Refused) as e:
        services.item_rectification_report(actor=p("czj"), item_id=item.pk, text="  ", on=FRIDAY)
    assert e.value.field == "text"
    report = services.item_rectification_report(actor=p("czj"), item_id=item.pk, text="问题已整改到位，报区政府",
                                                 evidence="整改台账", on=FRIDAY)
    assert report.kind == "rectify" and report.unit.short_name == "财政局"
    head = org_sel.acting_for_code(item.government, "district_head", FRIDAY)
    assert Notification.objects.filter(person=head, link=f"/supervision/{item.pk}/", title__contains="整改报告").exists()
    assert AuditEvent.objects.filter(action="supervision.item.rectification_report", obj_id=str(item.pk),
                                     article=40).exists()
    services.item_close(actor=p("dcz"), item_id=item.pk, on=FRIDAY)
    assert SupervisionItem.objects.get(pk=item.pk).status == S.CLOSED


@pytest.mark.rules("R40.rectification_report")
def test_other_items_close_without_a_rectification_report_and_cannot_send_one(gov):
    item = assigned(limit_days=10, source="higher_instruction")
    services.item_sign(actor=p("czj"), item_id=item.pk, on=FRIDAY)
    with pytest.raises(Refused) as e:
        services.item_rectification_report(actor=p("czj"), item_id=item.pk, text="已整改", on=FRIDAY)
    assert e.value.field == "item_id"
    services.item_request_closure(actor=p("czj"), item_id=item.pk, text="已完成", on=FRIDAY)
    services.item_verify(actor=p("dcz"), item_id=item.pk, passed=True, note="核查属实", on=FRIDAY)
    services.item_close(actor=p("dcz"), item_id=item.pk, on=FRIDAY)
    assert SupervisionItem.objects.get(pk=item.pk).status == S.CLOSED


def _rejected(on=FRIDAY):
    """An item whose completion the center (dcz) found not done (核查不通过) on `on`."""
    item = assigned(limit_days=30, on=on)
    services.item_sign(actor=p("czj"), item_id=item.pk, on=on)
    services.item_request_closure(actor=p("czj"), item_id=item.pk, text="已完成", on=on)
    services.item_verify(actor=p("dcz"), item_id=item.pk, passed=False, note="佐证不足", on=on)
    return SupervisionItem.objects.get(pk=item.pk)


@pytest.mark.rules("R50.review")
def test_a_review_is_asked_within_30_days_and_decided_by_someone_who_did_not_conclude(gov):
    from zhengwu.supervision.models import Review

    item = _rejected()
    assert (item.status, item.concluded_on, item.concluded_by.username, item.concluded_passed) == (
        S.IN_PROGRESS, FRIDAY, "dcz", False)
    with pytest.raises(Forbidden):  # a co-unit does not object for the lead
        services.review_request(actor=p("fgj"), item_id=item.pk, reason="不服", on=FRIDAY)
    with pytest.raises(Refused) as e:
        services.review_request(actor=p("czj"), item_id=item.pk, reason="", on=FRIDAY)
    assert [(v.rule_id, v.field) for v in e.value.violations] == [("R50.review", "reason")]
    day30 = FRIDAY + dt.timedelta(days=rules.param("supervision.review_request_days", FRIDAY))
    review = services.review_request(actor=p("czj"), item_id=item.pk, reason="佐证材料已齐全，见附件", on=day30)
    assert review.due_on == day30 + dt.timedelta(days=30) and review.concluded_by.username == "dcz"
    assert Notification.objects.filter(person__username="changwu", title__contains="申请复核").exists()
    assert not Notification.objects.filter(person__username="dcz", title__contains="申请复核").exists()
    with pytest.raises(Refused):  # once per conclusion
        services.review_request(actor=p("czj"), item_id=item.pk, reason="再次申请", on=day30)
    with pytest.raises(Refused) as e:  # the one who concluded must recuse himself
        services.review_decide(actor=p("dcz"), review_id=review.pk, overturn=True, note="同意", on=day30)
    [v] = e.value.violations
    assert (v.rule_id, v.article, v.field) == ("R50.review", 50, "actor") and v.message.endswith("第五十条）")
    assert Review.objects.get(pk=review.pk).status == "pending"
    with pytest.raises(Forbidden):  # nor the unit itself
        services.review_decide(actor=p("czj"), review_id=review.pk, overturn=True, note="同意", on=day30)
    services.review_decide(actor=p("changwu"), review_id=review.pk, overturn=True, note="佐证齐全，核查通过",
                           on=day30)
    item.refresh_from_db()
    assert (item.status, item.verified_by.username) == (S.VERIFIED, "changwu")
    assert AuditEvent.objects.filter(action="supervision.review.decide", obj_id=str(item.pk), article=50).exists()
    services.item_close(actor=p("dcz"), item_id=item.pk, on=day30)


@pytest.mark.rules("R50.review")
def test_a_late_review_is_refused_and_an_upheld_one_leaves_the_item_to_rectify(gov):
    item = _rejected()
    late = FRIDAY + dt.timedelta(days=rules.param("supervision.review_request_days", FRIDAY) + 1)
    with pytest.raises(Refused) as e:
        services.review_request(actor=p("czj"), item_id=item.pk, reason="不服", on=late)
    [v] = e.value.violations
    assert (v.rule_id, v.article, v.field) == ("R50.review", 50, "asked_on")
    review = services.review_request(actor=p("czj"), item_id=item.pk, reason="不服", on=FRIDAY)
    services.review_decide(actor=p("changwu"), review_id=review.pk, overturn=False, note="维持", on=FRIDAY)
    assert SupervisionItem.objects.get(pk=item.pk).status == S.IN_PROGRESS
    passed = assigned(limit_days=30)  # no conclusion against it: nothing to object to
    services.item_sign(actor=p("czj"), item_id=passed.pk, on=FRIDAY)
    with pytest.raises(Refused) as e:
        services.review_request(actor=p("czj"), item_id=passed.pk, reason="不服", on=FRIDAY)
    assert e.value.violations[0].field == "item_id"
