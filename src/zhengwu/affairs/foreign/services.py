"""The services of foreign affairs, research and speeches (the only writers; each checks who acts,
validates its input naming the field, runs the rules, writes and audits in one transaction):

- invitation_file         a department's written request that a leader attend a foreign-affairs
                          event, filed with the office at least foreign_affairs.invitation_lead_days
                          working days ahead (R79.lead_time), route foreign_affairs.invitation
- visit_apply             an outbound visit, approved along the chain of the traveller's rank
                          (foreign_affairs.visit_routes: visit.deputy_head / unit_head / unit_deputy,
                          art. 80) within the national limits (R81.trip_limits)
- visit_leave             成行: only when every step of the chain has approved (R80.chain)
- gift_register / gift_hand_over   the gift register (art. 81, R81.gift_handover)
- plan_set / trip_add / report_add the leaders' research (art. 93, R93.key_topics, R93.grassroots)
- speech_submit / speech_deliver   speeches and articles approved beforehand; congratulatory
                          letters and inscriptions refused (art. 96, R96.*)
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt

from django.db import IntegrityError, transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Conflict, Forbidden, Refused, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import starts
from zhengwu.rulebook.rules.foreign import (GiftFacts, InvitationFacts, ResearchYearFacts, SpeechFacts,
                                            VisitChainFacts, VisitFacts)
from zhengwu.textcheck import date_field, text_field
from zhengwu.transitions import set_once, transition
from zhengwu.workflow import notify
from zhengwu.workflow import services as wf

from . import access
from .access import OBJ_INVITATION, OBJ_SPEECH, OBJ_VISIT
from .models import Gift, Invitation, ResearchPlan, ResearchReport, ResearchTrip, Speech, Visit

INVITATION_ROUTE, = starts("foreign_affairs.invitation")  # art. 79
VISIT_ROUTES = starts("visit.deputy_head", "visit.unit_head", "visit.unit_deputy")  # art. 80
SPEECH_LEADER, SPEECH_MEMBER = starts("speech.leader", "speech.member")  # art. 96
OBJ_GIFT, OBJ_PLAN = "foreign.gift", "foreign.research_plan"
MEMBER_CODES = ("unit_head", "unit_deputy")  # 区政府其他组成人员 and the departments' leaders
MAX_TEXT = 20000
MAX_LIST = 10


# ---- helpers -----------------------------------------------------------------------------------------

def _text(value, field: str, label: str, *, required: bool = True, single_line: bool = False,
          max_len: int = MAX_TEXT) -> str:
    return text_field(value, field, label, required=required, single_line=single_line, max_len=max_len)


def _date(value, field: str, label: str, *, required: bool = True) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    day = date_field(value, field, label)
    if day is None:
        if required:
            raise Refused(f"请填写{label}", field=field)
        return None
    if not 2000 <= day.year <= 2100:
        raise Refused(f"{label}超出范围", field=field)
    return day


def _int(value, field: str, label: str, *, lo: int = 0, hi: int = 10**7) -> int:
    if isinstance(value, bool):
        raise Refused(f"{label}须为整数", field=field)
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise Refused(f"{label}须为整数", field=field) from None
    if not lo <= n <= hi:
        raise Refused(f"{label}须在{lo}至{hi}之间", field=field)
    return n


def _names(values, field: str, label: str) -> list[str]:
    if isinstance(values, str):
        values = [v for v in values.replace("，", ",").replace("、", ",").split(",")]
    if not isinstance(values, (list, tuple)):
        raise Refused(f"{label}须为列表", field=field)
    out = []
    for v in values:
        v = _text(v, field, label, required=False, single_line=True, max_len=100)
        if v and v not in out:
            out.append(v)
    if len(out) > MAX_LIST:
        raise Refused(f"{label}不能超过{MAX_LIST}项", field=field)
    return out


def _calendar():
    from zhengwu.workcalendar.selectors import work_calendar

    return work_calendar()


def _add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


def _person(government_id: int, pk, field: str, label: str) -> Person:
    pid = id_field(pk, field, label)
    person = Person.objects.filter(pk=pid, government_id=government_id, is_active=True).first()
    if person is None:
        raise Refused(f"{label}{pid}不存在", field=field)
    return person


def _audit(actor, obj_type: str, obj, action: str, ref: str, summary: str, *, before=None, after=None, on=None):
    audit_append(actor=actor, action=action, obj_type=obj_type, obj_id=str(obj.pk), before=before, after=after,
                 article=rules.article_of(ref, on), summary=summary)


def _office_director(government, on: dt.date) -> Person | None:
    return org.acting_for_code(government, "office_director", on)


def _refused_step(task, on) -> bool:
    return bool(task.choices) and not rules.approves(task.decision, on)


# ---- invitations (art. 79) ------------------------------------------------------------------------------

def invitation_facts(filed_on: dt.date, event_on: dt.date, text: str) -> InvitationFacts:
    ahead = _calendar().count_workdays(filed_on, event_on) if event_on > filed_on else 0
    return InvitationFacts(filed_on=filed_on, event_on=event_on, working_days_ahead=ahead, in_writing=bool(text))


def invitation_file(*, actor: Person, unit_id, leader_id, title, foreign_party, event_on, text, place: str = "",
                    on: dt.date | None = None) -> Invitation:
    """A department invites a 区政府 leader to a foreign-affairs event: filed in writing with the office
    (route foreign_affairs.invitation) at least the lead days ahead on the official calendar (R79)."""
    on = on or rules.today()
    gov_id = actor.government_id
    pk = id_field(unit_id, "unit_id", "邀请部门")
    unit = Unit.objects.filter(pk=pk, government_id=gov_id, active=True).first()
    if unit is None:
        raise Refused(f"单位{pk}不存在", field="unit_id")
    if unit.pk not in access.own_unit_ids(actor, on):
        raise Forbidden("只能以本部门名义邀请区政府领导")
    leader = _person(gov_id, leader_id, "leader_id", "区政府领导")
    if access.leader_post(leader, on) is None:
        raise Refused(f"{leader}不是区政府领导同志", field="leader_id")
    title = _text(title, "title", "外事活动", single_line=True, max_len=200)
    foreign_party = _text(foreign_party, "foreign_party", "外方", single_line=True, max_len=200)
    place = _text(place, "place", "地点", required=False, single_line=True, max_len=200)
    text = _text(text, "text", "书面报告", required=False)
    event = _date(event_on, "event_on", "活动日期")
    facts = invitation_facts(on, event, text)
    rules.enforce("foreign.invitation", facts, on=on)
    with transaction.atomic():
        inv = Invitation.objects.create(
            government_id=gov_id, unit=unit, leader=leader, title=title, foreign_party=foreign_party, event_on=event,
            place=place, text=text, filed_on=on, working_days_ahead=facts.working_days_ahead, created_by=actor)
        approval = wf.approval_start(actor=actor, route_id=INVITATION_ROUTE, obj_type=OBJ_INVITATION,
                                     obj_id=str(inv.pk), title=f"邀请{leader}出席外事活动：{title}",
                                     applicant_unit=unit, on=on)
        transition(inv, expect=[Invitation.Status.FILING], approval=approval)
        _audit(actor, OBJ_INVITATION, inv, "foreign.invitation.file", "R79.lead_time",
               f"{unit.name}邀请{leader}出席外事活动报备：{title}", on=on,
               after={"event_on": event.isoformat(), "working_days_ahead": facts.working_days_ahead,
                      "leader": leader.pk, "approval": approval.pk})
    return inv


def on_invitation_filed(approval, actor, on) -> None:
    inv = Invitation.objects.get(pk=int(approval.obj_id))
    transition(inv, expect=[Invitation.Status.FILING], to=Invitation.Status.FILED, versioned=False)
    notify.send(person=inv.leader, kind="info", title=f"外事活动安排：{inv.title}",
                msg="foreign.invitation", params={"title": inv.title},
                body=f"{inv.unit.name}邀请出席，{inv.event_on.isoformat()} {inv.place}",
                link=f"/affairs/foreign/invitations/{inv.pk}/", key=f"foreign:invitation:{inv.pk}")
    _audit(actor, OBJ_INVITATION, inv, "foreign.invitation.filed", INVITATION_ROUTE, f"区政府办公室备案：{inv.title}",
           on=on, after={"status": inv.status})


def on_invitation_returned(approval, task, actor, on) -> None:
    inv = Invitation.objects.get(pk=int(approval.obj_id))
    transition(inv, expect=[Invitation.Status.FILING], to=Invitation.Status.RETURNED, versioned=False)
    _audit(actor, OBJ_INVITATION, inv, "foreign.invitation.returned", INVITATION_ROUTE,
           f"区政府办公室退回邀请报备：{inv.title}", on=on, after={"status": inv.status, "opinion": task.opinion[:200]})


# ---- visits (art. 80, 81) ---------------------------------------------------------------------------------

def traveller_post(traveller: Person, on: dt.date):
    """The traveller's own post that decides the chain (art. 80), or refused naming why."""
    routes = rules.param("foreign_affairs.visit_routes", on)
    for post in org.positions_of(traveller, on):
        if post.code in routes:
            return post, routes[post.code]
    if any(p.code == "district_head" for p in org.positions_of(traveller, on)):
        raise Refused(f"区长出国访问按上级规定报批，不在本规则所定审批流程之内{rules.cite('foreign_affairs.visit_routes', on)}",
                      field="traveller_id")
    raise Refused(f"{traveller}不是副区级领导或部门主要负责人、副职领导，本规则未规定其出国访问的审批"
                  f"{rules.cite('foreign_affairs.visit_routes', on)}", field="traveller_id")


def _visits_this_year(traveller: Person, year: int, exclude: int | None = None) -> int:
    qs = Visit.objects.filter(traveller=traveller, departs_on__year=year).exclude(
        status__in=[Visit.Status.REFUSED, Visit.Status.RETURNED])
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.count()


def visit_apply(*, actor: Person, purpose, countries, departs_on, returns_on, group_size, traveller_id=None,
                on: dt.date | None = None) -> Visit:
    """Apply for an outbound visit: the traveller (or the office on their behalf); the chain follows
    the traveller's post (foreign_affairs.visit_routes, art. 80), within the limits (R81.trip_limits)."""
    on = on or rules.today()
    traveller = actor if traveller_id in (None, "") else _person(actor.government_id, traveller_id, "traveller_id", "出访人")
    if traveller.pk != actor.pk and not access.is_office(actor, on):
        raise Forbidden("只有出访人本人或区政府办公室可以申请出国访问")
    post, route_id = traveller_post(traveller, on)
    purpose = _text(purpose, "purpose", "出访任务", max_len=4000)
    names = _names(countries, "countries", "出访国家（地区）")
    departs = _date(departs_on, "departs_on", "出境日期")
    returns = _date(returns_on, "returns_on", "入境日期")
    if departs <= on:
        raise Refused("出境日期须晚于今天（出访须事先报批）", field="departs_on")
    if returns < departs:
        raise Refused("入境日期不能早于出境日期", field="returns_on")
    size = _int(group_size, "group_size", "团组人数", lo=1, hi=999)
    facts = VisitFacts(countries=tuple(names), days=(returns - departs).days + 1, group_size=size,
                       visits_this_year=_visits_this_year(traveller, departs.year))
    rules.enforce("foreign.visit", facts, on=on)
    with transaction.atomic():
        visit = Visit.objects.create(
            government_id=traveller.government_id, traveller=traveller, post=post, unit=post.unit,
            route_id=route_id, purpose=purpose, countries=names, departs_on=departs, returns_on=returns,
            group_size=size, created_by=actor)
        approval = wf.approval_start(actor=actor, route_id=route_id, obj_type=OBJ_VISIT, obj_id=str(visit.pk),
                                     title=f"{post.title}{traveller}出访{'、'.join(names)}", applicant_unit=post.unit,
                                     on=on)
        transition(visit, expect=[Visit.Status.APPROVING], approval=approval)
        _audit(actor, OBJ_VISIT, visit, "foreign.visit.apply", route_id,
               f"{post.title}{traveller}申请出访{'、'.join(names)}", on=on,
               after={"route": route_id, "countries": names, "departs_on": departs.isoformat(),
                      "returns_on": returns.isoformat(), "group_size": size, "approval": approval.pk})
    return visit


def chain_facts(visit: Visit, approval, *, giving=None, leaving: bool = False, on: dt.date | None = None):
    """The approvals of the visit's chain in the route's order: each step's label, who approved it and
    whether as acting (art. 15); `giving`: the task being completed now and its (actor, acting)."""
    from zhengwu.workflow.models import Task
    from zhengwu.workflow.selectors import route_def

    route = route_def(approval)
    done = {}
    for t in approval.tasks.filter(kind=Task.Kind.STEP, status=Task.Status.DONE).order_by("id"):
        if not t.choices or rules.approves(t.decision, on):  # a step without choices (审核) is given by completing it
            done[t.step_id] = (t.completed_by_id, t.completed_as == "acting")
    if giving is not None:
        task, actor, acting = giving
        done[task.step_id] = (actor.pk, acting)
    steps = tuple((s.label or s.action, *done.get(s.id, (0, False))) for stage in route.stages for s in stage.steps)
    return VisitChainFacts(rank=visit.post.title, steps=steps, leaving=leaving)


def visit_guard(approval, task, actor, decision, opinion, on):
    """Every door (inbox, API, task page): nobody who gave an earlier step of the chain gives a later
    one as acting for its post (the 分管副区长 acting for the 区长, say) — R80.chain."""
    from zhengwu.workflow import authority

    if task.choices and not rules.approves(decision, on):
        return []
    visit = Visit.objects.select_related("post").get(pk=int(approval.obj_id))
    acting = authority.stands_as(approval, task, actor, on) == "acting"
    return rules.check("foreign.visit_chain", chain_facts(visit, approval, giving=(task, actor, acting), on=on), on=on)


def on_visit_step(approval, task, actor, on) -> None:
    """A refusing answer (不同意/不批准) at any step ends the chain: the visit is not approved."""
    if not _refused_step(task, on):
        return
    visit = Visit.objects.get(pk=int(approval.obj_id))
    transition(visit, expect=[Visit.Status.APPROVING], to=Visit.Status.REFUSED, versioned=False)
    wf.approval_cancel(actor=actor, approval_id=approval.pk, reason=f"{task.action}：{task.decision}", on=on)
    notify.send(person=visit.traveller, kind="info", title=f"出国访问未获批准：{'、'.join(visit.countries)}",
                msg="foreign.visit_refused", params={"title": "、".join(visit.countries)},
                body=f"{task.decision}（{task.opinion[:100]}）", link=f"/affairs/foreign/visits/{visit.pk}/",
                key=f"foreign:visit:refused:{visit.pk}")
    _audit(actor, OBJ_VISIT, visit, "foreign.visit.decide", approval.route_id, f"出国访问未获批准：{visit}", on=on,
           after={"status": visit.status, "step": task.step_id, "decision": task.decision})


def on_visit_finished(approval, actor, on) -> None:
    visit = Visit.objects.select_related("post").get(pk=int(approval.obj_id))
    rules.enforce("foreign.visit_chain", chain_facts(visit, approval, leaving=True, on=on), on=on)
    transition(visit, expect=[Visit.Status.APPROVING], to=Visit.Status.APPROVED, versioned=False, approved_on=on)
    notify.send(person=visit.traveller, kind="info", title=f"出国访问已批准：{'、'.join(visit.countries)}",
                msg="foreign.visit_approved", params={"title": "、".join(visit.countries)},
                link=f"/affairs/foreign/visits/{visit.pk}/", key=f"foreign:visit:approved:{visit.pk}")
    _audit(actor, OBJ_VISIT, visit, "foreign.visit.decide", approval.route_id, f"出国访问已批准：{visit}", on=on,
           after={"status": visit.status})


def on_visit_returned(approval, task, actor, on) -> None:
    visit = Visit.objects.get(pk=int(approval.obj_id))
    transition(visit, expect=[Visit.Status.APPROVING], to=Visit.Status.RETURNED, versioned=False)
    _audit(actor, OBJ_VISIT, visit, "foreign.visit.decide", approval.route_id, f"出国访问申请被退回：{visit}", on=on,
           after={"status": visit.status, "opinion": task.opinion[:200]})


def visit_leave(*, actor: Person, visit_id, on: dt.date | None = None) -> Visit:
    """成行: recorded by the traveller or the office, only once the whole chain has approved (R80.chain)."""
    on = on or rules.today()
    visit = access.visit_for_traveller(actor, visit_id, on=on)
    rules.enforce("foreign.visit_chain", chain_facts(visit, visit.approval, leaving=True, on=on), on=on)
    if visit.status != Visit.Status.APPROVED:
        raise Refused(f"该出国访问{visit.get_status_display()}，不能成行", field="visit_id")
    with transaction.atomic():
        transition(visit, expect=[Visit.Status.APPROVED], to=Visit.Status.LEFT, left_on=on, field="visit_id")
        _audit(actor, OBJ_VISIT, visit, "foreign.visit.leave", "R80.chain", f"出国访问成行：{visit}", on=on,
               after={"status": visit.status})
    return visit


# ---- gifts (art. 81) -----------------------------------------------------------------------------------------

def gift_facts(gift: Gift, on: dt.date) -> GiftFacts:
    return GiftFacts(value=gift.value, received_on=gift.received_on, checked_on=on, handed_on=gift.handed_on,
                     due_on=gift.due_on)


def gift_register(*, actor: Person, description, giver, value, received_on, recipient_id=None, visit_id=None,
                  on: dt.date | None = None) -> Gift:
    """Register a gift received in foreign-affairs activity (the recipient, or the office)."""
    on = on or rules.today()
    recipient = actor if recipient_id in (None, "") else _person(actor.government_id, recipient_id, "recipient_id", "受礼人")
    if recipient.pk != actor.pk and not (access.is_office(actor, on) or access.is_custodian(actor, on)):
        raise Forbidden("只有受礼人本人、区政府办公室或外事办公室可以登记礼品")
    visit = None
    if visit_id not in (None, ""):
        visit = access.visit_visible(actor, visit_id, on=on)
    description = _text(description, "description", "礼品", single_line=True, max_len=200)
    giver = _text(giver, "giver", "赠送方", single_line=True, max_len=200)
    amount = _int(value, "value", "价值（元）", lo=0)
    received = _date(received_on, "received_on", "接受日期")
    if received > on:
        raise Refused("接受日期不能晚于今天", field="received_on")
    threshold = int(rules.param("foreign_affairs.gift_value_threshold", on))
    due = _add_months(received, int(rules.param("foreign_affairs.gift_handover_months", on))) if amount >= threshold else None
    with transaction.atomic():
        gift = Gift.objects.create(
            government_id=recipient.government_id, recipient=recipient, visit=visit, description=description,
            giver=giver, value=amount, received_on=received, due_on=due, created_by=actor,
            status=Gift.Status.DUE if due else Gift.Status.KEPT)
        _audit(actor, OBJ_GIFT, gift, "foreign.gift.register", "R81.gift_handover",
               f"登记外事礼品：{recipient}接受{giver}赠送的{description}", on=on,
               after={"value": amount, "received_on": received.isoformat(), "due_on": due.isoformat() if due else None})
    return gift


def gift_hand_over(*, actor: Person, gift_id, handed_on=None, on: dt.date | None = None) -> Gift:
    """The 外事办公室 (or the office) records that the gift was handed over to it."""
    on = on or rules.today()
    gift = access.gift_for_custodian(actor, gift_id, on=on)
    day = _date(handed_on, "handed_on", "上交日期", required=False) or on
    if day > on or day < gift.received_on:
        raise Refused("上交日期须在接受日期和今天之间", field="handed_on")
    with transaction.atomic():
        transition(gift, expect=[Gift.Status.DUE, Gift.Status.KEPT], to=Gift.Status.HANDED, handed_on=day,
                   received_by=actor, field="gift_id")
        late = [v.message for v in rules.check("foreign.gift", gift_facts(gift, on), on=on)]
        _audit(actor, OBJ_GIFT, gift, "foreign.gift.hand_over", "R81.gift_handover",
               f"礼品上交外事办公室：{gift.description}", on=on,
               after={"handed_on": day.isoformat(), "late": late})
    return gift


# ---- research (art. 93) -------------------------------------------------------------------------------------

def _leader(actor: Person, leader_id, on: dt.date) -> Person:
    leader = actor if leader_id in (None, "") else _person(actor.government_id, leader_id, "leader_id", "区政府领导")
    if leader.pk != actor.pk and not access.is_office(actor, on):
        raise Forbidden("只有该领导本人或区政府办公室可以登记调研计划")
    if access.leader_post(leader, on) is None:
        raise Refused(f"{leader}不是区政府领导同志", field="leader_id")
    return leader


def research_facts(leader: Person, year: int, plan: ResearchPlan | None, on: dt.date, *,
                   year_end: bool = False) -> ResearchYearFacts:
    days = reports = 0
    if plan is not None:
        days = sum(t.days for t in plan.trips.all())
        reports = len({r.topic for r in plan.reports.all() if r.topic in plan.topics})
    due_month = int(rules.param("research.plan_due_month", on))
    plan_due = on > dt.date(year, due_month, _cal.monthrange(year, due_month)[1])
    return ResearchYearFacts(leader=str(leader), year=year, has_plan=plan is not None,
                             topics=len(plan.topics) if plan else 0, grassroots_days=days, reports=reports,
                             year_ended=year_end or on >= dt.date(year, 12, 31), plan_due=plan_due)


def plan_set(*, actor: Person, year, topics, planned_days, leader_id=None, on: dt.date | None = None) -> ResearchPlan:
    """A leader's research plan for the year: 1-2 key topics (R93.key_topics) and the grassroots days
    planned (at least research.min_months_per_year, R93.grassroots read as a plan)."""
    on = on or rules.today()
    leader = _leader(actor, leader_id, on)
    year = _int(year, "year", "年度", lo=on.year - 1, hi=on.year + 1)
    names = _names(topics, "topics", "重点课题")
    days = _int(planned_days, "planned_days", "计划基层调研天数", lo=0, hi=366)
    facts = ResearchYearFacts(leader=str(leader), year=year, has_plan=True, topics=len(names), grassroots_days=days,
                              reports=len(names), year_ended=True, plan_due=True)
    rules.enforce("foreign.research", facts, on=on)
    with transaction.atomic():
        try:
            with transaction.atomic():
                plan = ResearchPlan.objects.create(government_id=leader.government_id, leader=leader, year=year,
                                                   topics=names, planned_days=days, created_by=actor)
        except IntegrityError:
            raise Conflict(f"{leader}{year}年度调研计划已登记", field="year") from None
        _audit(actor, OBJ_PLAN, plan, "foreign.research.plan", "R93.key_topics", f"{leader}{year}年度调研计划",
               on=on, after={"topics": names, "planned_days": days})
    return plan


def trip_add(*, actor: Person, plan_id, starts_on, ends_on, place, topic: str = "",
             on: dt.date | None = None) -> ResearchTrip:
    """Days at the grassroots, counted towards the year's month (R93.grassroots)."""
    on = on or rules.today()
    plan = access.plan_for_writer(actor, plan_id, on=on)
    start = _date(starts_on, "starts_on", "开始日期")
    end = _date(ends_on, "ends_on", "结束日期")
    if end < start or start.year != plan.year or end.year != plan.year:
        raise Refused(f"调研日期须在{plan.year}年内，结束日期不能早于开始日期", field="ends_on")
    place = _text(place, "place", "调研地点", single_line=True, max_len=200)
    topic = _text(topic, "topic", "调研课题", required=False, single_line=True, max_len=200)
    with transaction.atomic():
        _touch_plan(plan)
        trip = ResearchTrip.objects.create(plan=plan, starts_on=start, ends_on=end, place=place, topic=topic,
                                           recorded_by=actor)
        _audit(actor, OBJ_PLAN, plan, "foreign.research.trip", "R93.grassroots",
               f"{plan.leader}到基层调研：{place}（{trip.days}天）", on=on,
               after={"trip": trip.pk, "starts_on": start.isoformat(), "ends_on": end.isoformat()})
    return trip


def _touch_plan(plan: ResearchPlan) -> None:
    """Bump the plan's version (a concurrent writer of the same plan loses)."""
    set_once(plan, where={"year": plan.year}, field="plan_id")


def report_add(*, actor: Person, plan_id, topic, title, text, on: dt.date | None = None) -> ResearchReport:
    """The research report on one of the plan's key topics (撰写调研报告)."""
    on = on or rules.today()
    plan = access.plan_for_writer(actor, plan_id, on=on)
    topic = _text(topic, "topic", "重点课题", single_line=True, max_len=200)
    if topic not in plan.topics:
        raise Refused(f"“{topic}”不是该年度计划的重点课题", field="topic")
    title = _text(title, "title", "报告标题", single_line=True, max_len=200)
    text = _text(text, "text", "报告内容")
    with transaction.atomic():
        _touch_plan(plan)
        try:
            with transaction.atomic():
                report = ResearchReport.objects.create(plan=plan, topic=topic, title=title, text=text,
                                                       submitted_on=on, submitted_by=actor)
        except IntegrityError:
            raise Conflict(f"课题“{topic}”的调研报告已报送", field="topic") from None
        _audit(actor, OBJ_PLAN, plan, "foreign.research.report", "R93.key_topics", f"{plan.leader}调研报告：{title}",
               on=on, after={"report": report.pk, "topic": topic})
    return report


# ---- speeches and inscriptions (art. 96) -----------------------------------------------------------------------

def speech_submit(*, actor: Person, kind, title, occasion, text, on_behalf: bool = False,
                  major_undecided: bool = False, speaker_id=None, on: dt.date | None = None) -> Speech:
    """A speech or article submitted for approval beforehand: a 区政府领导同志's to the 市政府 (route
    speech.leader, recorded by the office), another member's to the 区政府 (speech.member) when on the
    government's behalf or touching major matters it has not decided. Congratulatory letters and
    inscriptions are refused (R96.no_inscriptions)."""
    on = on or rules.today()
    speaker = actor if speaker_id in (None, "") else _person(actor.government_id, speaker_id, "speaker_id", "讲话人")
    if speaker.pk != actor.pk and not access.is_office(actor, on):
        raise Forbidden("只有讲话人本人或区政府办公室可以报批讲话或文章")
    own = org.positions_of(speaker, on)
    post = next((p for p in own if p.code in org.LEADER_CODES), None)
    is_leader = post is not None
    post = post or next((p for p in own if p.code in MEMBER_CODES), None)
    kind = str(kind or "")
    needs = is_leader or bool(on_behalf) or bool(major_undecided)
    rules.enforce("foreign.speech", SpeechFacts(kind=kind, speaker_is_leader=is_leader, needs_approval=needs), on=on)
    if kind in rules.param("speeches.refused_kinds", on):
        raise Refused("只有讲话和文章需要报批", field="kind")
    if post is None:
        raise Refused(f"{speaker}不是区政府领导同志或部门负责人，本规则未规定其讲话、文章的报批"
                      f"{rules.cite(SPEECH_MEMBER, on)}", field="speaker_id")
    title = _text(title, "title", "标题", single_line=True, max_len=200)
    occasion = _text(occasion, "occasion", "场合或刊物", single_line=True, max_len=200)
    text = _text(text, "text", "内容")
    route_id = (SPEECH_LEADER if is_leader else SPEECH_MEMBER) if needs else ""
    with transaction.atomic():
        speech = Speech.objects.create(
            government_id=speaker.government_id, speaker=speaker, post=post, kind=kind, title=title, occasion=occasion,
            text=text, on_behalf=bool(on_behalf), major_undecided=bool(major_undecided), route_id=route_id,
            created_by=actor, status=Speech.Status.APPROVING if needs else Speech.Status.NOT_REQUIRED)
        after = {"kind": kind, "route": route_id}
        if needs:
            approval = wf.approval_start(actor=actor, route_id=route_id, obj_type=OBJ_SPEECH, obj_id=str(speech.pk),
                                         title=f"{post.title}{speaker}发表讲话或文章：{title}", applicant_unit=post.unit,
                                         on=on)
            transition(speech, expect=[Speech.Status.APPROVING], approval=approval)
            after["approval"] = approval.pk
        _audit(actor, OBJ_SPEECH, speech, "foreign.speech.submit", "R96.prior_approval",
               f"{speaker}{'报批' if needs else '登记'}讲话或文章：{title}", on=on, after=after)
    return speech


def on_speech_step(approval, task, actor, on) -> None:
    if not _refused_step(task, on):
        return
    speech = Speech.objects.get(pk=int(approval.obj_id))
    transition(speech, expect=[Speech.Status.APPROVING], to=Speech.Status.REFUSED, versioned=False)
    wf.approval_cancel(actor=actor, approval_id=approval.pk, reason=f"{task.action}：{task.decision}", on=on)
    _audit(actor, OBJ_SPEECH, speech, "foreign.speech.decide", approval.route_id, f"讲话或文章未获批准：{speech.title}",
           on=on, after={"status": speech.status, "decision": task.decision, "opinion": task.opinion[:200]})


def on_speech_finished(approval, actor, on) -> None:
    speech = Speech.objects.get(pk=int(approval.obj_id))
    transition(speech, expect=[Speech.Status.APPROVING], to=Speech.Status.APPROVED, versioned=False, approved_on=on)
    notify.send(person=speech.speaker, kind="info", title=f"讲话或文章已批准：{speech.title}",
                msg="foreign.speech_approved", params={"title": speech.title},
                link=f"/affairs/foreign/speeches/{speech.pk}/", key=f"foreign:speech:approved:{speech.pk}")
    _audit(actor, OBJ_SPEECH, speech, "foreign.speech.decide", approval.route_id, f"讲话或文章已批准：{speech.title}",
           on=on, after={"status": speech.status})


def on_speech_returned(approval, task, actor, on) -> None:
    speech = Speech.objects.get(pk=int(approval.obj_id))
    transition(speech, expect=[Speech.Status.APPROVING], to=Speech.Status.RETURNED, versioned=False)
    _audit(actor, OBJ_SPEECH, speech, "foreign.speech.decide", approval.route_id, f"讲话或文章被退回：{speech.title}",
           on=on, after={"status": speech.status, "opinion": task.opinion[:200]})


def speech_deliver(*, actor: Person, speech_id, on: dt.date | None = None) -> Speech:
    """发表: only after the approval where one is needed (R96.prior_approval)."""
    on = on or rules.today()
    speech = access.speech_for_speaker(actor, speech_id, on=on)
    is_leader = speech.post.code in org.LEADER_CODES
    facts = SpeechFacts(kind=speech.kind, speaker_is_leader=is_leader, needs_approval=bool(speech.route_id),
                        approved=speech.status == Speech.Status.APPROVED, delivering=True)
    rules.enforce("foreign.speech", facts, on=on)
    with transaction.atomic():
        transition(speech, expect=[Speech.Status.APPROVED, Speech.Status.NOT_REQUIRED], to=Speech.Status.DELIVERED,
                   delivered_on=on, field="speech_id")
        _audit(actor, OBJ_SPEECH, speech, "foreign.speech.deliver", "R96.prior_approval",
               f"发表讲话或文章：{speech.title}", on=on, after={"status": speech.status})
    return speech
