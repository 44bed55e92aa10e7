"""Demo meetings (through the services, as the office and the leaders would): three rooms; a past
meeting of each of the five types with its decisions and minutes (signed), a document decided at a
meeting issued in time and another still due; an upcoming 常务会议, approved and notified, with
items in every readiness state — confirmed, ready for the 区长, missing substance (art. 63),
departments still disagreeing (art. 63), a 三重一大 dossier half-way through its procedures
(art. 28) and one complete (placed on the agenda) — and a pending leave request for the chair.

Wire it after the decisions demo (it puts their dossiers on the agenda when they are there):
`meetings_demo.load()`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhengwu import rules
from zhengwu.org import selectors as org
from zhengwu.org import services as org_services
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task

from . import services
from .models import Meeting


def load(on: dt.date | None = None) -> list[Meeting]:
    from zhengwu.workcalendar.selectors import work_calendar

    cal = work_calendar()
    today = on or rules.today()
    gov = org.current_government()
    p = {x.username: x for x in Person.objects.filter(government=gov)}
    u = {x.short_name: x for x in Unit.objects.filter(government=gov)}
    tz = timezone.get_current_timezone()

    def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)

    def before(n: int) -> dt.date:
        return cal.add_workdays(today, -n)

    def after(n: int) -> dt.date:
        return cal.add_workdays(today, n)

    # the 区长 is also the 党组书记 of the government (who sets the 党组会议's agenda, art. 59)
    term = org.term_on(gov, today)
    if org.position_by_code(gov, "party_secretary") is None:
        secretary = org_services.position_create(actor=None, government=gov, code="party_secretary",
                                                 title="区政府党组书记", rank=90)
        org_services.appointment_create(actor=None, position=secretary, person=p["quzhang"],
                                        start=term.start if term else today, term=term)

    office = p["wenshu"]
    rooms = {name: services.room_create(actor=office, government=gov, name=name, capacity=cap)
             for name, cap in (("区政府第一会议室", 60), ("区政府第二会议室", 24), ("区长办公室小会议室", 10))}

    def approve(meeting, day):
        services.meeting_submit(actor=office, meeting_id=meeting.pk, on=day)
        meeting.refresh_from_db()
        for who, decision in (("bgs-zhuren", ""), ("quzhang", "同意")):
            task = Task.objects.filter(approval_id=meeting.approval_id, status="open", assignee=p[who]).first()
            wf.task_complete(actor=p[who], task_id=task.pk, opinion="" if decision else "拟同意", decision=decision,
                             on=day)

    def hold(meeting, day, items, present, *, chair="quzhang", speakers=(), absent_leave=()):
        for who in absent_leave:
            att = services.leave_request(actor=p[who], meeting_id=meeting.pk, reason="赴市里参加会议",
                                         at=at(cal.add_workdays(day, -1), 16))
            services.leave_decide(actor=p[chair], attendance_id=att.pk, approve=True, on=cal.add_workdays(day, -1))
        for who in present:
            services.sign_in(actor=p[who], meeting_id=meeting.pk, at=at(day, 8, 50))
        services.meeting_open(actor=p[chair], meeting_id=meeting.pk, at=at(day, 9))
        for i, (item, outcome, conditions) in enumerate(items):
            order = [w for w in speakers if w != chair] + [chair] if item.matter_type else list(speakers)
            for who in order:
                services.opinion_record(actor=office, item_id=item.pk, speaker_id=p[who].pk,
                                        text="同意" if who != chair else "综合大家意见，同意")
            services.item_decide(actor=p[chair], item_id=item.pk, outcome=outcome, conditions=conditions,
                                 at=at(day, 10 + i))
        return services.meeting_close(actor=p[chair], meeting_id=meeting.pk, at=at(day, 11, 30))

    def minutes(meeting, day, number, body, *, reviewer=None):
        m = services.minutes_draft(actor=office, meeting_id=meeting.pk, number=number, body=body)
        services.minutes_submit(actor=office, minutes_id=m.pk, on=day)
        if reviewer:
            services.minutes_review(actor=p[reviewer], minutes_id=m.pk, on=day)
            services.minutes_sign(actor=p["quzhang"], minutes_id=m.pk, on=day)
        else:
            services.minutes_sign(actor=meeting.chair, minutes_id=m.pk, on=day)
        return m

    def propose(meeting, who, title, day, **kw):
        flags = dict(has_substantive_content=True, has_clear_proposal=True, prior_procedure_complete=True,
                     concerns_whole_district=True)
        flags.update(kw)
        return services.item_propose(actor=p[who], meeting_id=meeting.pk, title=title, on=day, **flags)

    def schedule(meeting_type, title, day, chair="quzhang", room="区政府第一会议室", **kw):
        return services.meeting_schedule(actor=office, meeting_type=meeting_type, title=title,
                                         starts_at=at(day, 9), ends_at=at(day, 12), chair_id=p[chair].pk,
                                         room_id=rooms[room].pk, on=cal.add_workdays(day, -5), **kw)

    made = []
    leaders = ["quzhang", "changwu", "fuqu1", "fuqu2", "fuqu3", "fuqu4"]

    # --- 全体会议 (half a year's work), three months ago ---------------------------------------
    day = before(60)
    plenary = schedule("plenary", "区政府第四次全体会议", day, number=f"{day.year}年第1次")
    it = propose(plenary, "quzhang", "总结上半年工作，部署下半年重点任务", cal.add_workdays(day, -5), legally_required=True)
    services.item_confirm(actor=p["quzhang"], item_id=it.pk, on=cal.add_workdays(day, -5))
    approve(plenary, cal.add_workdays(day, -4))
    plenary = hold(plenary, day, [(it, "通过", "各部门对照任务分工抓好落实")],
                   leaders + ["czj", "sfj", "fgj", "xhjd", "dfx"])
    minutes(plenary, cal.add_workdays(day, 2), f"〔{day.year}〕1号",
            "会议总结了上半年全区经济社会发展情况，部署了下半年重点工作。\n会议要求，各部门对照任务分工抓好落实。")
    made.append(plenary)

    # --- 党组会议 ------------------------------------------------------------------------------
    day = before(40)
    party = schedule("party_group", "区政府党组会议", day, room="区政府第二会议室",
                     member_ids=[p[n].pk for n in ("changwu", "fuqu1", "fuqu2", "fuqu3", "fuqu4")])
    it = propose(party, "changwu", "研究区政府党风廉政建设工作要点", cal.add_workdays(day, -5))
    services.item_confirm(actor=p["quzhang"], item_id=it.pk, on=cal.add_workdays(day, -5))
    approve(party, cal.add_workdays(day, -4))
    party = hold(party, day, [(it, "通过", "")], leaders)
    minutes(party, cal.add_workdays(day, 1), "", "会议研究了区政府党风廉政建设工作要点，原则同意。")
    made.append(party)

    # --- 常务会议 two weeks ago: a 三重一大 item decided with the chair last ------------------------
    day = before(12)
    standing = schedule("standing", "区政府第二十二次常务会议", day, number=f"{day.year}年第22次",
                        invitee_ids=[p["czj"].pk, p["fgj"].pk])
    prep = cal.add_workdays(day, -5)
    heating = propose(standing, "fuqu1", "关于2027年城区供热价格调整方案的议题", prep,
                      materials=["供热价格调整方案（送审稿）", "价格听证会纪要"])
    roads = propose(standing, "changwu", "关于城区道路维修改造资金安排的议题", prep, matter_type="large_fund")
    for item in (heating, roads):
        services.item_confirm(actor=p["quzhang"], item_id=item.pk, on=prep)
    approve(standing, cal.add_workdays(day, -4))
    standing = hold(standing, day, [(heating, "原则通过", "分档调整，低保家庭减免"),
                                    (roads, "通过", "由住建局牵头，年底前完工")],
                    ["quzhang", "changwu", "fuqu1", "fuqu3", "czj", "fgj"],
                    speakers=["changwu", "fuqu1", "fuqu3", "quzhang"], absent_leave=["fuqu4"])
    minutes(standing, cal.add_workdays(day, 2), f"〔{day.year}〕22号",
            "一、关于2027年城区供热价格调整方案\n会议原则同意，要求分档调整，低保家庭减免。\n"
            "二、关于城区道路维修改造资金安排\n会议同意，由住建局牵头，年底前完工。", reviewer="bgs-zhuren")
    f = services.followup_create(actor=office, meeting_id=standing.pk, item_id=heating.pk,
                                 title="关于调整城区居民供热价格的通知", lead_unit_id=u["发改局"].pk)
    services.followup_issued(actor=office, followup_id=f.pk, issued_on=cal.add_workdays(day, 5))
    made.append(standing)

    # --- 区长办公会议 last week: a document still due ---------------------------------------------
    day = before(5)
    head_office = schedule("head_office", "区长办公会议", day, room="区长办公室小会议室")
    prep = cal.add_workdays(day, -3)
    it = propose(head_office, "fuqu3", "研究东风乡抗旱应急水源工程有关问题", prep)
    services.item_confirm(actor=p["quzhang"], item_id=it.pk, on=prep)
    approve(head_office, cal.add_workdays(day, -2))
    head_office = hold(head_office, day, [(it, "通过", "财政局统筹解决资金，农业农村局指导实施")],
                       ["quzhang", "changwu", "fuqu1", "fuqu3"])
    minutes(head_office, cal.add_workdays(day, 1), f"〔{day.year}〕9号",
            "会议研究了东风乡抗旱应急水源工程有关问题，同意财政局统筹解决资金，农业农村局指导实施。",
            reviewer="bgs-zhuren")
    services.followup_create(actor=office, meeting_id=head_office.pk, item_id=it.pk,
                             title="关于做好东风乡抗旱应急水源工程建设的通知", lead_unit_id=u["东风乡"].pk)
    made.append(head_office)

    # --- 专题会议 chaired by a 副区长 ---------------------------------------------------------------
    day = before(3)
    topical = schedule("topical", "城北物流园区建设协调专题会议", day, chair="fuqu4", room="区政府第二会议室",
                       member_ids=[p[n].pk for n in ("fgj", "czj", "sfj", "xhjd")])
    it = propose(topical, "fuqu4", "协调城北物流园区征地和管网建设分工", cal.add_workdays(day, -2),
                 concerns_whole_district=False)
    services.item_confirm(actor=p["fuqu4"], item_id=it.pk, on=cal.add_workdays(day, -2))
    approve(topical, cal.add_workdays(day, -2))
    topical = hold(topical, day, [(it, "通过", "发改局牵头，新华街道配合征地")], ["fuqu4", "fgj", "czj", "sfj", "xhjd"],
                   chair="fuqu4")
    minutes(topical, cal.add_workdays(day, 1), f"〔{day.year}〕31号",
            "会议协调了城北物流园区征地和管网建设分工，形成一致意见。", reviewer="fuqu4")
    made.append(topical)

    # --- the next 常务会议: items in every readiness state ----------------------------------------
    day = after(3)
    nxt = schedule("standing", "区政府第二十三次常务会议", day, number=f"{day.year}年第23次",
                   invitee_ids=[p["fgj"].pk, p["czj"].pk, p["jyj"].pk])
    confirmed = propose(nxt, "fuqu2", "关于全区义务教育阶段学校布局调整规划的议题", today,
                        materials=["学校布局调整规划（征求意见稿）"])
    services.item_confirm(actor=p["quzhang"], item_id=confirmed.pk, on=today)
    propose(nxt, "fuqu1", "关于老旧小区改造2027年度计划的议题", today)  # ready: awaits the 区长
    propose(nxt, "fuqu3", "关于农业生产托管服务试点的议题", today, has_clear_proposal=False)  # art. 63
    propose(nxt, "fuqu2", "关于区医共体药品统一采购配送的议题", today, departments_disagree=True)  # art. 63
    from zhengwu.decisions.models import MajorDecision

    for dossier in MajorDecision.objects.filter(government=gov, status__in=("assembling", "ready")).order_by("id"):
        # proposed by the leader in charge of the unit that proposes the matter (art. 60: 分管副区长,
        # or the 区长 for the units he keeps)
        proposer = org.leader_of_unit(dossier.proposing_unit, today) if dossier.proposing_unit_id else None
        item = services.item_propose(actor=proposer or p["changwu"], meeting_id=nxt.pk, dossier_id=dossier.pk,
                                     on=today,
                                     has_substantive_content=True, has_clear_proposal=True,
                                     concerns_whole_district=True, lead_unit_id=dossier.proposing_unit_id)
        if dossier.status == "ready":
            services.item_confirm(actor=p["quzhang"], item_id=item.pk, on=today)
    approve(nxt, today)
    services.views_submit(actor=p["fuqu2"], meeting_id=nxt.pk, text="建议学校布局调整规划增加乡村小规模学校保障条款",
                          at=at(today, 8))
    services.leave_request(actor=p["fuqu3"], meeting_id=nxt.pk, reason="带队赴省农业农村厅汇报",
                           views="同意各项议题", at=at(today, 8, 30))  # the chair's answer is pending
    made.append(nxt)
    return [Meeting.objects.get(pk=m.pk) for m in made]
