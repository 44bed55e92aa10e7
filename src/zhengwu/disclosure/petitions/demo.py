"""Demo 信访 register and consultations (through the services, as the office and the units would),
laid out around today: cases in every state — registered (one in time, one not routed after 15 days),
routed to a street by locality, objected to by a department (waiting for the office to route it
again), in handling, extended with the 财政局 head's approval, an extension waiting for him (his 待办),
overdue past 60 days (flagged by the tick and marked a hard case; the 区长 took it, 包案), answered, a
复查 pending; a 副区长's reception days and a letter read by the 常务副区长; a consultation open for
comment and one with its results published (art. 42). Wired in zhengwu.demo."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.org.models import Person, Unit
from zhengwu.workflow.models import Task
from zhengwu.workflow import services as wf

from . import services
from .tick import petitions_tick

ANSWER = {
    "facts": "经现场核查，反映的小区排水管网堵塞问题属实，系雨污管道老化所致。",
    "basis": "《城镇排水与污水处理条例》第二十一条；区政府2026年老旧小区改造计划。",
    "conclusion": "由街道协调物业于30日内完成管网疏通，并列入明年老旧小区改造项目。",
    "review_right": "如对本处理意见不服，可自收到本意见书之日起30日内向洮北区人民政府请求复查。",
}


def load(on: dt.date | None = None) -> None:
    today = on or rules.today()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}
    office = p["bgs-fuzhuren"]

    def back(n: int) -> dt.date:
        return today - dt.timedelta(days=n)

    def case(days_ago, subject, content, *, kind="claim", channel="letter", petitioner="刘某"):
        return services.petition_register(actor=office, kind=kind, channel=channel, petitioner=petitioner,
                                          contact="139****0000", subject=subject, content=content,
                                          received_on=back(days_ago), on=back(days_ago))

    def route(c, unit, basis, days_ago, *, notice=True):
        services.petition_route(actor=office, petition_id=c.pk, unit_id=u[unit].pk, basis=basis, on=back(days_ago))
        if notice:
            services.petition_notify(actor=office, petition_id=c.pk, on=back(days_ago),
                                     text=f"您反映的问题已转{u[unit].name}办理，请留意其答复。")

    # registered: one in time, one not routed after 15 days (red, the office is reminded)
    case(2, "反映小区门口占道经营问题", "新华街道某小区门口早市占道经营，影响通行，请求规范管理。",
         kind="suggestion", channel="online", petitioner="王某")
    case(18, "请求解决农田灌溉水渠损毁问题", "东风乡某村灌溉水渠汛期损毁，至今未修复，影响春耕。",
         channel="visit", petitioner="张某")
    # routed by locality to a street, the petitioner told
    c = case(5, "小区排水管网堵塞", "新华街道某小区雨天排水不畅，地下室进水，请求疏通改造。")
    route(c, "新华街道", "locality", 3)
    # objected: the 教育局 says it is not its matter (within 5 working days); waiting for the office
    c = case(9, "反映校外培训机构退费难", "某校外培训机构停业后拒不退还预交学费，请求帮助退费。")
    route(c, "教育局", "competence", 7, notice=False)
    services.petition_object(actor=p["jyj"], petition_id=c.pk, on=back(6),
                             reason="该机构为非学科类营利性机构，已注销教育许可，预付费纠纷属市场监管部门职责。")
    # in handling at the 东风乡
    c = case(20, "反映土地承包经营权流转纠纷", "东风乡某村土地流转合同到期后，承包方拒不返还土地。")
    route(c, "东风乡", "locality", 16)
    services.petition_accept(actor=p["dfx"], petition_id=c.pk, on=back(15))
    # extended once with the 财政局 head's approval; a second case's extension waiting for him (待办)
    c = case(58, "请求兑现惠农补贴资金", "某合作社2025年度惠农补贴资金未按时拨付，请求兑现。", petitioner="合作社负责人李某")
    route(c, "财政局", "competence", 56)
    services.petition_accept(actor=p["czj-ke"], petition_id=c.pk, on=back(55))
    services.extension_request(actor=p["czj-ke"], petition_id=c.pk, days=30, on=back(6),
                               reason="涉及市、区两级资金清算，需核对三个年度的拨付凭证，情况复杂。")
    task = Task.objects.get(approval__obj_type=services.OBJ, approval__obj_id=str(c.pk), status=Task.Status.OPEN)
    wf.task_complete(actor=p["czj"], task_id=task.pk, decision="同意", opinion="同意延期30日，告知信访人理由。",
                     on=back(5))
    c = case(40, "反映拖欠工程款问题", "某施工企业反映区属项目工程款拖欠一年未结算。", petitioner="某建筑公司")
    route(c, "财政局", "competence", 38)
    services.petition_accept(actor=p["czj-ke"], petition_id=c.pk, on=back(37))
    services.extension_request(actor=p["czj-ke"], petition_id=c.pk, days=20, on=back(1),
                               reason="需审计局出具工程结算审计报告后方能确定支付金额。")
    # overdue past 60 days at the 新华街道: flagged by the tick, a hard case, the 区长 took it (包案)
    overdue = case(80, "反映棚户区改造回迁安置延期", "新华街道某棚改项目回迁延期两年，请求明确回迁时间并发放过渡费。",
                   petitioner="回迁户代表赵某")
    route(overdue, "新华街道", "locality", 78)
    services.petition_accept(actor=p["xhjd"], petition_id=overdue.pk, on=back(75))
    services.hard_case_mark(actor=office, petition_id=overdue.pk, on=back(3),
                            reason="涉及回迁户120余户，超过办理期限仍未解决，需区政府督促解决。")
    services.leader_record(actor=office, leader_id=p["quzhang"].pk, kind="case", petition_id=overdue.pk,
                           on_day=back(2), note="由区长包案，住建局、新华街道一周内提出回迁方案。", on=back(2))
    # answered with the 处理意见书
    c = case(45, "小区楼道照明损坏", "新华街道某老旧小区楼道照明长期损坏，请求维修。", kind="suggestion")
    route(c, "新华街道", "locality", 43)
    services.petition_accept(actor=p["xhjd"], petition_id=c.pk, on=back(42))
    services.petition_answer(actor=p["xhjd"], petition_id=c.pk, on=back(12), **ANSWER)
    # a 复查 pending at the 区政府 (the office), read by the 常务副区长
    c = case(95, "对征收补偿标准有异议", "东风乡某村民对宅基地征收补偿标准有异议，请求重新评估。", petitioner="孙某")
    route(c, "东风乡", "locality", 93)
    services.petition_accept(actor=p["dfx"], petition_id=c.pk, on=back(92))
    services.petition_answer(actor=p["dfx"], petition_id=c.pk, on=back(40), **{
        **ANSWER, "facts": "经核查，补偿标准按2024年公布的区片综合地价执行，评估程序合法。",
        "basis": "《中华人民共和国土地管理法》第四十八条；《吉林省征收农民集体所有土地补偿标准》。",
        "conclusion": "维持原补偿标准，对附属物补偿漏项部分予以补发。"})
    services.review_request(actor=office, petition_id=c.pk, level="review", asked_on=back(20), on=back(20),
                            reason="认为附属物评估价格偏低，请求重新评估。")
    services.leader_record(actor=office, leader_id=p["changwu"].pk, kind="reading", petition_id=c.pk, on_day=back(18),
                           note="请司法局会同东风乡依法审查评估报告，按期作出复查意见。", on=back(18))
    # a 副区长's reception days (one held, one coming)
    for days, place in ((-7, "新华街道群众来访接待室"), (21, "区群众来访接待中心")):
        services.leader_record(actor=office, leader_id=p["fuqu2"].pk, kind="reception", on_day=back(days),
                               place=place, note="接待群众来访，现场交办有关事项" if days > 0 else "", on=today)
    # consultations (art. 42): one open, one with its results published
    c = services.consultation_open(actor=office, title="洮北区城区停车设施规划（2026—2030年）（征求意见稿）",
                                   text="为缓解城区停车难问题，区住建局起草了停车设施规划，现公开征求社会公众意见。",
                                   unit_id=u["住建局"].pk, opens_on=back(5), closes_on=back(5) + dt.timedelta(days=30),
                                   channels="电子邮件：tbzjj@taobei.gov.cn\n信函：洮北区住房和城乡建设局规划科（请在信封上注明“停车设施规划意见”）",
                                   on=back(5))
    services.comment_record(actor=office, consultation_id=c.pk, author="市民陈某", on=back(3), received_on=back(3),
                            text="建议在学校周边增设临时停车泊位，方便接送学生。")
    c = services.consultation_open(actor=office, title="洮北区中小学校布局调整方案（征求意见稿）",
                                   text="区教育局起草了中小学校布局调整方案，现公开征求意见。", unit_id=u["教育局"].pk,
                                   opens_on=back(60), closes_on=back(60) + dt.timedelta(days=32), on=back(60))
    for author, text, day in (("家长周某", "建议保留东风乡中心小学，避免学生长途上学。", 55),
                              ("教师吴某", "建议新建学校配套建设食堂和宿舍。", 40)):
        services.comment_record(actor=office, consultation_id=c.pk, author=author, text=text, received_on=back(day),
                                on=back(day))
    services.consultation_publish(actor=office, consultation_id=c.pk, on=back(10),
                                  summary="共收到意见2条，涉及学校保留和配套设施建设。",
                                  adoption="采纳保留东风乡中心小学的意见；新建学校配套食堂宿舍的意见已纳入建设标准。")
    petitions_tick(today)  # flags the overdue case and reminds the office of the late routing
    from zhengwu.disclosure.demo import load_report

    load_report()  # last, after the requests: last year's annual report published, reviews and lawsuits
