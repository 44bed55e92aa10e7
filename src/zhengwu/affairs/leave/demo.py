"""Demo leave and calendar (through the services, as the leaders and the office would), laid out
around today on the official calendar:

- 钱戊 (副区长, fuqu3) asked the 区长 and was agreed: away from today for three days, 孙己 (fuqu4)
  acting for him (补位, art. 15); the office's 通报 to the other leaders waits (a 待办 of the 办公室主任);
- 王丙 (副区长, fuqu1) asks for leave to attend a training next week: the 区长's 待办;
- the 财政局局长 reports an absence from the next working day (his 分管领导's 阅知);
- activities the office arranged for the leaders this week (art. 94).

Wired in zhengwu.demo after the meetings demo."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.org.models import Person
from zhengwu.workflow.models import Task

from . import services
from .calendar import week_of


def load(on: dt.date | None = None) -> None:
    from zhengwu.workcalendar.selectors import work_calendar

    cal = work_calendar()
    today = on or rules.today()
    p = {x.username: x for x in Person.objects.filter(username__in=(
        "quzhang", "changwu", "fuqu1", "fuqu2", "fuqu3", "fuqu4", "wenshu", "czj"))}

    agreed = services.leave_request(actor=p["fuqu3"], start=today, end=today + dt.timedelta(days=2),
                                    destination="长春市", reason="参加全省农业农村工作会议",
                                    substitute_id=p["fuqu4"].pk, on=today)
    services.leave_decide(actor=p["quzhang"], request_id=agreed.pk, agree=True, note="同意，由孙己同志补位", on=today)

    nxt = cal.add_workdays(today, 5)
    services.leave_request(actor=p["fuqu1"], start=nxt, end=nxt + dt.timedelta(days=1), destination="长春市",
                           reason="参加省委党校领导干部培训", substitute_id=p["fuqu2"].pk, on=today)

    day = cal.add_workdays(today, 1)
    report = services.leave_request(actor=p["czj"], start=day, end=day + dt.timedelta(days=1), destination="长春市",
                                    reason="参加省财政厅预算管理培训", on=today)
    assert Task.objects.filter(approval_id=report.approval_id, status=Task.Status.OPEN).exists()

    monday, _ = week_of(today)
    plan = [
        (0, "quzhang", "到经济开发区调研重点项目建设", "洮北经济开发区", "09:00", "11:30"),
        (1, "changwu", "接待省财政厅调研组", "区政府第一会议室", "14:30", "16:30"),
        (2, "fuqu1", "检查城区建设工地安全生产", "城区重点工地", "08:30", "11:00"),
        (3, "fuqu4", "出席区法治政府建设推进会", "区政府礼堂", "09:00", "10:30"),
        (4, "quzhang", "接待来访群众", "区信访接待中心", "09:00", "11:00"),
    ]
    for offset, who, title, place, start, end in plan:
        services.event_create(actor=p["wenshu"], leader_id=p[who].pk, title=title, day=monday + dt.timedelta(days=offset),
                              start_time=start, end_time=end, place=place, on=today)
