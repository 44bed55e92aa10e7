"""Demo data for foreign affairs, research and speeches (through the services; every 待办 is backed by
a real record). Wired in zhengwu.demo. As of `rules.today()`:

- the 财政局 invites the 区长 to a foreign-affairs event 10 working days ahead: filed, waiting for the
  办公室主任's 备案;
- the 财政局局长's visit to Japan: agreed by the 分管 常务副区长, waiting for the 区长's approval (art. 80);
- the 副区长 (外事)'s visit: reviewed by the 区长, the 区委书记's answer to be recorded by the office;
- gifts: a vase worth ¥600 received 40 days ago and not handed over (flagged by tick, art. 81), a
  badge under the threshold;
- the 区长's speech waiting for the 市政府's approval (recorded by the office); the 财政局局长's speech
  on the government's behalf approved by the 区政府;
- research plans of the year: the 副区长 (城建) with a month at the grassroots and a report, the
  副区长 (教育) short of it (flagged at year end), the others without a plan.
"""

from __future__ import annotations

import datetime as dt


def load() -> None:
    from zhengwu import rules
    from zhengwu.org.models import Person, Unit
    from zhengwu.workcalendar.selectors import work_calendar
    from zhengwu.workflow import services as wf
    from zhengwu.workflow.models import Task

    from . import services

    today = rules.today()
    cal = work_calendar()

    def p(username):
        return Person.objects.get(username=username)

    def task(obj_type, obj_id):
        return Task.objects.get(approval__obj_type=obj_type, approval__obj_id=str(obj_id), status=Task.Status.OPEN,
                                kind=Task.Kind.STEP)

    czj = Unit.objects.get(short_name="财政局")
    services.invitation_file(
        actor=p("czj"), unit_id=czj.pk, leader_id=p("quzhang").pk, title="日本友好城市财政代表团来访座谈",
        foreign_party="日本某市财政代表团", event_on=cal.add_workdays(today, 10), place="区政府第一会议室",
        text="日本某市财政代表团一行5人来访，拟举行座谈，恳请区长出席并致辞。", on=today)

    visit = services.visit_apply(
        actor=p("czj"), purpose="考察友好城市地方财政预算绩效管理", countries=["日本"],
        departs_on=today + dt.timedelta(days=21), returns_on=today + dt.timedelta(days=25), group_size=4, on=today)
    wf.task_complete(actor=p("changwu"), task_id=task("foreign.visit", visit.pk).pk, decision="同意",
                     opinion="同意，报区长审批", on=today)
    leader = services.visit_apply(
        actor=p("bgs-zhuren"), traveller_id=p("fuqu4").pk, purpose="出席友好城市缔结纪念活动",
        countries=["韩国"], departs_on=today + dt.timedelta(days=30), returns_on=today + dt.timedelta(days=33),
        group_size=5, on=today)
    wf.task_complete(actor=p("quzhang"), task_id=task("foreign.visit", leader.pk).pk, opinion="同意，报区委书记",
                     on=today)

    services.gift_register(actor=p("czj"), description="青瓷花瓶", giver="日本某市财政代表团", value=600,
                           received_on=today - dt.timedelta(days=40), on=today)
    services.gift_register(actor=p("czj"), description="纪念徽章", giver="日本某市财政代表团", value=80,
                           received_on=today - dt.timedelta(days=40), on=today)

    services.speech_submit(actor=p("quzhang"), kind="speech", title="在全区对外开放工作推进会上的讲话",
                           occasion="全区对外开放工作推进会", text="同志们：……", on=today)
    member = services.speech_submit(actor=p("czj"), kind="speech", title="代表区政府在全区财税工作会议上的讲话",
                                    occasion="全区财税工作会议", text="……", on_behalf=True, on=today)
    wf.task_complete(actor=p("bgs-zhuren"), task_id=task("foreign.speech", member.pk).pk, opinion="已审核", on=today)
    wf.task_complete(actor=p("changwu"), task_id=task("foreign.speech", member.pk).pk, decision="批准", on=today)

    year = today.year
    full = services.plan_set(actor=p("fuqu1"), year=year, topics=["老旧小区改造", "安全生产隐患排查"], planned_days=30,
                             on=today)
    services.trip_add(actor=p("fuqu1"), plan_id=full.pk, starts_on=dt.date(year, 3, 2), ends_on=dt.date(year, 3, 20),
                      place="新华街道、铁东街道", topic="老旧小区改造", on=today)
    services.trip_add(actor=p("bgs-zhuren"), plan_id=full.pk, starts_on=dt.date(year, 6, 8),
                      ends_on=dt.date(year, 6, 19), place="区内重点企业", topic="安全生产隐患排查", on=today)
    services.report_add(actor=p("fuqu1"), plan_id=full.pk, topic="老旧小区改造", title="关于老旧小区改造的调研报告",
                        text="一、基本情况……二、存在问题……三、对策建议……", on=today)
    short = services.plan_set(actor=p("bgs-zhuren"), leader_id=p("fuqu2").pk, year=year, topics=["义务教育均衡发展"],
                              planned_days=30, on=today)
    services.trip_add(actor=p("fuqu2"), plan_id=short.pk, starts_on=dt.date(year, 4, 13), ends_on=dt.date(year, 4, 17),
                      place="东风乡中心校", topic="义务教育均衡发展", on=today)
