"""Demo coordination bodies, emergency reports and submissions (through the services, as the office
and the units would). Wired in zhengwu.demo after the org demo.

- 区安全生产委员会 (the org demo's unit 区安委会), recorded by the office with its basis; its goals for
  this year were submitted at the end of last year;
- 区防汛抗旱指挥部, recorded likewise, without its goals for this year: flagged (art. 74);
- 区教育督导委员会, asked for by the 教育局 and reviewed by the office: waiting for the 分管副区长's
  审批 (a 待办 of 赵丁, route coordination_body.setup, art. 71);
- a fire reported by 新华街道 45 minutes after it broke out by phone and in writing after almost two
  hours: flagged as late (art. 75), with a follow-up report;
- the economic report to the 区委 (art. 38), submitted by the office and answered."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhengwu import rules
from zhengwu.org.models import Person, Unit
from zhengwu.workflow.models import Task
from zhengwu.workflow import services as wf

from . import services
from .models import CoordinationBody


def load(on: dt.date | None = None) -> list[CoordinationBody]:
    today = on or rules.today()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}
    office = p["bgs-fuzhuren"]
    members = [p[k].pk for k in ("czj", "jyj", "xhjd", "dfx")]

    safety = services.body_register(
        actor=office, name="区安全生产委员会", unit_id=u["区安委会"].pk, office_unit_id=u["应急局"].pk,
        purpose="研究部署、指导协调全区安全生产工作，分析安全生产形势，协调解决安全生产重大问题。",
        basis_kind="law", basis_document="《中华人民共和国安全生产法》第九条（安全生产工作协调机制）",
        established_on=dt.date(2022, 3, 1), establish_document="白洮政办发〔2022〕5号",
        head_id=p["fuqu1"].pk, member_ids=members, on=today)
    services.goals_submit(actor=office, body_id=safety.pk, year=today.year, on=dt.date(today.year - 1, 12, 20),
                          goals="一、全年不发生较大以上生产安全事故；二、开展安全生产专项整治三年行动；"
                                "三、每季度召开一次安委会全体会议。")
    flood = services.body_register(
        actor=office, name="区防汛抗旱指挥部", office_unit_id=u["农业农村局"].pk,
        purpose="组织、协调、指导全区防汛抗旱工作。",
        basis_kind="law", basis_document="《中华人民共和国防洪法》第三十九条；《中华人民共和国防汛条例》第六条",
        established_on=dt.date(2022, 5, 10), establish_document="白洮政办发〔2022〕11号",
        head_id=p["fuqu3"].pk, member_ids=[p["czj"].pk, p["dfx"].pk], on=today)

    education = services.body_propose(
        actor=p["jyj"], name="区教育督导委员会",
        purpose="统筹协调全区教育督导工作，组织实施对学校和乡镇（街道）履行教育职责的督导。",
        basis_kind="regulation", basis_document="《教育督导条例》（国务院令第624号）第五条",
        head_id=p["fuqu2"].pk, on=today)
    education = services.body_submit(actor=p["jyj"], body_id=education.pk, on=today)
    review = Task.objects.get(approval_id=education.approval_id, status=Task.Status.OPEN)
    wf.task_complete(actor=review.assignee, task_id=review.pk, opinion="依据充分，建议同意设置。", on=today)

    yesterday = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time(8, 10)))
    fire = services.report_create(
        actor=p["xhjd"], event_kind="fire", level="major", title="新华街道某商住楼火情",
        place="新华街道胜利社区", content="一商住楼底商起火，已疏散群众120人，无人员伤亡，消防救援正在处置。",
        occurred_at=yesterday, phoned_at=yesterday + dt.timedelta(minutes=45),
        written_at=yesterday + dt.timedelta(minutes=115), now=yesterday + dt.timedelta(hours=3), on=today)
    services.report_update(actor=p["xhjd"], report_id=fire.pk, kind="followup", at=yesterday + dt.timedelta(hours=3),
                           content="明火已于10时40分扑灭，过火面积约80平方米，起火原因正在调查。",
                           now=yesterday + dt.timedelta(hours=4), on=today)

    report = services.submission_create(
        actor=office, body="party_committee", kind="economy", title=f"{today.year}年前三季度全区经济运行情况的报告",
        content="前三季度全区地区生产总值同比增长，固定资产投资、社会消费品零售总额稳中有升。",
        suggestions="一、加快重点项目建设；二、落实助企纾困政策；三、扩大有效投资和消费。", on=today)
    services.submission_submit(actor=office, submission_id=report.pk, on=today)
    services.submission_response(actor=office, submission_id=report.pk, response="区委常委会听取报告，同意所提对策建议。",
                                 on=today)
    from .tick import bodies_tick

    bodies_tick(today)  # the 防汛抗旱指挥部's missing goals flagged to the office (art. 74)
    return [safety, flood, education]
