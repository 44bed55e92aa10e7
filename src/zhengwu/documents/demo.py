"""Demo documents: a living office — documents in every state, in every demo account's inbox."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf

from . import attachments, department, intake, issuing, plans, services

NORMATIVE_DONE = {"legality_review_by": "区司法局", "legality_reviewer_is_justice": True,
                  "public_participation": True, "risk_assessment": True,
                  "collective_decision_ref": "区政府常务会议纪要〔2026〕11号", "to_be_published": True,
                  "interpretation_material": True, "opinion_plan": True}

ROADS_TABLE = "农村公路养护资金测算表.xlsx"


def _roads_table() -> bytes:
    """The 财政局's cost table attached to its urgent request (a real .xlsx, as offices send)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "测算表"
    sheet.append(["乡镇（街道）", "养护里程（公里）", "单价（万元/公里）", "金额（万元）"])
    for town, km in (("东风乡", 42.5), ("岭下镇", 36.0), ("新华街道", 8.2)):
        sheet.append([town, km, 1.2, round(km * 1.2, 2)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load(on: dt.date | None = None) -> None:
    from zhengwu.workcalendar.selectors import work_calendar

    cal = work_calendar()
    today = on or rules.today()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}

    def request(user, unit, title, *, urgency="一般", days_needed=10, when=today, **kw):
        needed = cal.add_workdays(when, days_needed)
        return services.document_draft(
            actor=p[user], unit=u[unit], direction="incoming", kind="请示", title=title, main_recipients=["区人民政府"],
            urgency=urgency, body=kw.pop("body", f"{title[2:-3]}有关情况如下……妥否，请批示。"),
            important=True, collective_ref=f"{unit}党组会议纪要〔{when.year}〕{len(title) % 17 + 1}号",
            facts={"decision_needed_by": needed.isoformat(), **kw.pop("facts", {})}, on=when, **kw)

    def submitted(doc, user, when=today):
        return intake.document_submit(actor=p[user], document_id=doc.pk, on=when)

    def routed(doc, *, when=today, major=False, parallel=False):
        intake.document_register(actor=p["wenshu"], document_id=doc.pk, on=when)
        intake.document_route(actor=p["wenshu"], document_id=doc.pk, major=major, parallel=parallel, on=when)
        doc.refresh_from_db()
        return doc

    def step(doc, opinion, when=today):
        doc.refresh_from_db()
        task = doc.approval.tasks.filter(status="open", kind="step").order_by("id").first()
        wf.task_complete(actor=task.assignee, task_id=task.pk, opinion=opinion, on=when)

    past = cal.add_workdays(today, -25)
    year = today.year

    # annual document plans (art. 70): the office's (区政府 and 办公室 documents), the 司法局's, the
    # 教育局's and the 财政局's; some documents below are linked to an item, some are not (临时性发文)
    def item(plan, title, kind="通知", quarter=4, month=None, reason="年度重点工作安排"):
        return plans.plan_item_add(actor=plan.created_by, plan_id=plan.pk, title=title, kind=kind, quarter=quarter,
                                   month=month, reason=reason, on=today)

    office_plan = plans.plan_create(actor=p["wenshu"], unit=u["区政府办"], year=year, on=today,
                                    note="区政府、区政府办公室年度发文计划（区政府常务会议审定）")
    plan_duty = item(office_plan, "关于做好元旦春节期间值班值守工作的通知", month=12, reason="每年节前例行部署")
    plan_tasks = item(office_plan, "关于印发洮北区2027年度重点工作任务分工的通知", month=12, reason="区政府全体会议部署")
    plan_debt = item(office_plan, "关于进一步加强政府性债务管理的意见", kind="意见", quarter=4,
                     reason="落实上级关于防范化解地方政府债务风险的要求")
    plan_school = item(office_plan, "关于做好2027年春季学期开学安全工作的通知", month=12, reason="开学前安全部署")
    item(office_plan, "关于印发洮北区2026年政务公开工作要点的通知", quarter=1, month=3, reason="政务公开年度安排")
    sfj_plan = plans.plan_create(actor=p["sfj"], unit=u["司法局"], year=year, on=today, note="含代拟区政府文件")
    plan_enforcement = item(sfj_plan, "洮北区行政执法公示办法", quarter=3, reason="推行行政执法三项制度（代拟区政府规范性文件）")
    jyj_plan = plans.plan_create(actor=p["jyj"], unit=u["教育局"], year=year, on=today)
    plan_training = item(jyj_plan, "洮北区校外培训机构管理办法", quarter=4,
                         reason="规范校外培训（部门规范性文件，须报区政府批准）")
    fin_plan = plans.plan_create(actor=p["czj-fu"], unit=u["财政局"], year=year, on=today)
    item(fin_plan, "关于做好2027年部门预算编制工作的通知", quarter=3, reason="预算编制年度安排")
    # overdue: routed five weeks ago, still with the 分管副区长 (东风乡 → 钱戊)
    doc = request("dfx", "东风乡", "关于东风乡高标准农田建设配套资金的请示", when=past)
    routed(submitted(doc, "dfx", when=past), when=past)
    step(doc, "拟请钱戊副区长阅示", when=past)
    # answered (教育局)
    doc = routed(submitted(request("jyj", "教育局", "关于组织开展中小学生研学实践活动的请示", when=past), "jyj", when=past),
                 when=past)
    step(doc, "拟请赵丁副区长阅示", when=past)
    step(doc, "同意。请教育局制定安全预案，确保学生安全。", when=past)

    # issued: a normative document drafted by the 司法局 on the government's behalf (代拟)
    norm = services.document_draft(
        actor=p["sfj"], unit=u["司法局"], direction="outgoing", kind="通知", issuing_as="government",
        title="洮北区行政执法公示办法", is_normative=True, main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"],
        body="第一条 为规范行政执法公示工作，根据有关法律法规，结合本区实际，制定本办法。\n"
             "第二条 本区各行政执法机关应当在执法决定作出之日起7个工作日内公开执法信息。\n"
             "第三条 本办法自印发之日起施行。",
        facts={"normative": NORMATIVE_DONE}, plan_item=plan_enforcement, on=past)
    issuing.document_send_for_signing(actor=p["sfj"], document_id=norm.pk, on=past)
    for _ in range(4):
        step(norm, "同意", when=past)
    services.document_number(actor=p["wenshu"], document_id=norm.pk, on=past)
    issuing.document_issue(actor=p["wenshu"], document_id=norm.pk, on=past)
    # drafted, not yet submitted (教育局)
    request("jyj", "教育局", "关于申请校园安全设施改造资金的请示")
    # submitted, waiting for registration (新华街道)
    submitted(request("xhjd", "新华街道", "关于新华街道社区养老服务站建设的请示"), "xhjd")
    # returned with reasons (东风乡)
    back = submitted(request("dfx", "东风乡", "关于东风乡村级道路维修的请示"), "dfx")
    intake.document_return(actor=p["wenshu"], document_id=back.pk, on=today,
                           reasons="请补充道路维修里程和资金测算依据，并附乡党委会议纪要（《工作规则》第六十七条）")
    # with the 分管副区长 (孙己 has the 司法局) after the office director's review (拟办)
    doc = routed(submitted(request("sfj", "司法局", "关于开展法治政府建设示范创建的请示"), "sfj"))
    step(doc, "拟请孙己副区长阅示")
    # awaiting the 分管副区长 (赵丁, 教育局)
    doc = routed(submitted(request("jyj", "教育局", "关于调整城区学校学区划分的请示"), "jyj"))
    step(doc, "拟请赵丁副区长阅示")
    # awaiting the 区长 after the 分管领导 (major matter, 发改局)
    doc = routed(submitted(request("fgj", "发改局", "关于申报2027年中央预算内投资项目的请示"), "fgj"), major=True)
    step(doc, "拟请孙己副区长审核后报张甲区长审批")
    doc.refresh_from_db()
    # urgent, 串并联: the 常务副区长 and the 区长 at once (财政局), with the unit's cost table attached
    roads = request("czj", "财政局", "关于提前下达农村公路养护资金的请示", urgency="加急", days_needed=4)
    attachments.attachment_add(actor=p["czj"], document_id=roads.pk, name=ROADS_TABLE, data=_roads_table())
    roads = routed(submitted(roads, "czj"), major=True, parallel=True)
    step(roads, "情况紧急，拟请李乙常务副区长、张甲区长同时阅示")
    roads.refresh_from_db()
    # 传阅: the 区长 has it read by the 副区长 for 城建 (农村公路); the office has the towns and streets
    # concerned read it so that they can prepare
    wf.circulation_send(actor=p["quzhang"], approval_id=roads.approval_id, people=[p["fuqu1"]],
                        note="涉及农村公路养护，请王丙同志阅知")
    wf.circulation_send(actor=p["bgs-zhuren"], approval_id=roads.approval_id, people=[p["dfx"], p["xhjd"]],
                        note="涉及乡镇、街道农村公路养护，请阅知并提前做好准备（《工作规则》第六十八条）")
    # the matters in the leaders' and the office's 待办 (once stand-ins of workflow/demo.py, now real
    # 请示 through the intake path, so each approval is its document's own and search finds them):
    # 教育局's request, reviewed by the office, waits for the 分管副区长 (赵丁); the office has two
    # 副区长 read it (传阅)
    school = routed(submitted(request("jyj", "教育局", "关于第三小学新建教学楼项目立项的请示",
                                      body="第三小学现有校舍不足，学生人数逐年增加，拟新建教学楼一栋。妥否，请批示。"), "jyj"))
    step(school, "拟请赵丁副区长阅示")
    wf.circulation_send(actor=p["bgs-zhuren"], approval_id=school.approval_id, people=[p["fuqu3"], p["fuqu4"]],
                        note="涉及农村学校布局调整，请阅知")
    # 财政局's urgent request, 串并联: reviewed by the office, with the 常务副区长 and the 区长 at once
    heating = routed(submitted(request("czj", "财政局", "关于拨付冬季供暖补贴资金的请示", urgency="加急", days_needed=4,
                                       body="入冬以来气温偏低，困难群众供暖补贴资金需提前拨付。妥否，请批示。"), "czj"),
                     major=True, parallel=True)
    step(heating, "情况紧急，拟请区长、常务副区长阅示")
    # two requests registered and routed, waiting for the office director's review (拟办)
    routed(submitted(request("sfj", "司法局", "关于开展“八五”普法总结验收工作的请示"), "sfj"))
    routed(submitted(request("xhjd", "新华街道", "关于新华街道老旧小区改造资金的请示"), "xhjd"))
    # (the 督查指挥中心's work is on its ledger: zhengwu/supervision/demo.py)
    # awaiting signature: an office notice with the 常务副区长
    notice = services.document_draft(
        actor=p["wenshu"], unit=u["区政府办"], direction="outgoing", kind="通知", issuing_as="office",
        title="关于做好元旦春节期间值班值守工作的通知", main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"],
        body="一、高度重视值班工作\n各单位要严格执行24小时值班和领导带班制度。\n二、及时报告突发事件\n遇有重大突发事件，要按规定及时报告。",
        plan_item=plan_duty, on=today)
    issuing.document_send_for_signing(actor=p["wenshu"], document_id=notice.pk, on=today)
    step(notice, "同意")
    step(notice, "同意")

    def office_draft(title, *, issuing_as="office", kind="通知", plan_item=None, body=None):
        return services.document_draft(
            actor=p["wenshu"], unit=u["区政府办"], direction="outgoing", kind=kind, issuing_as=issuing_as, title=title,
            main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"], plan_item=plan_item,
            body=body or "一、总体要求\n……\n二、主要任务\n……\n三、工作要求\n……", on=today)

    def send(doc, countersign=()):
        issuing.document_send_for_signing(actor=p["wenshu"], document_id=doc.pk, on=today,
                                          countersign_units=[u[x] for x in countersign])
        doc.refresh_from_db()
        return doc

    # issued, not in the plan (临时性发文, counted as unplanned): signed by the 常务副区长
    cold = send(office_draft("关于做好寒潮天气防范应对工作的通知"))
    for _ in range(3):
        step(cold, "同意")
    services.document_number(actor=p["wenshu"], document_id=cold.pk, on=today)
    issuing.document_issue(actor=p["wenshu"], document_id=cold.pk, on=today)
    # a government document waiting for the office's deputy director (核稿)
    send(office_draft("关于印发洮北区2027年度重点工作任务分工的通知", issuing_as="government", plan_item=plan_tasks))
    # 会签: the 财政局 and the 发改局 countersign a government document after the office's reviews
    debt = send(office_draft("关于进一步加强政府性债务管理的意见", issuing_as="government", kind="意见",
                             plan_item=plan_debt), countersign=("财政局", "发改局"))
    step(debt, "同意")
    step(debt, "同意")
    # 会签 by the 教育局 on an office notice
    school = send(office_draft("关于做好2027年春季学期开学安全工作的通知", plan_item=plan_school), countersign=("教育局",))
    step(school, "同意")
    # the 财政局's head is away today: its 会签 goes to the deputy acting for him (褚丑, 补位), not by
    # a hand-over to anyone the head picks (转办 goes only to whoever may hold the step)
    from zhengwu.org import services as org_services

    org_services.absence_create(actor=p["czj"], person=p["czj"], start=today, end=today, reason="赴省财政厅汇报工作",
                                substitute=p["czj-fu"], designated_by=p["czj"])
    buying = send(office_draft("关于进一步规范政府采购活动的通知"), countersign=("财政局",))
    step(buying, "同意")
    # an office notice waiting for the office director (核稿)
    send(office_draft("关于进一步规范公文办理工作的通知"))
    # the office director hands the filing of the normative document to the clerk (转办)
    filing = issuing.followups(norm)[0]
    wf.task_reassign(actor=p["bgs-zhuren"], task_id=filing.pk, to=p["wenshu"],
                     note="请整理备案材料，报区人大常委会备案", on=today)

    # a department's own normative document mid-procedure (art. 25): the 教育局 asked the 区政府 in
    # writing; the office reviewed the request and handed the legality review to the 司法局
    training = services.document_draft(
        actor=p["jyj"], unit=u["教育局"], direction="outgoing", kind="通知", issuing_as="unit", is_normative=True,
        title="洮北区校外培训机构管理办法", main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"],
        body="第一条 为规范校外培训机构办学行为，根据有关规定，制定本办法。\n第二条 本办法自印发之日起施行。",
        facts={"normative": {"departments_involved": 1, "public_participation": True, "risk_assessment": True}},
        plan_item=plan_training, on=today)
    department.document_request_approval(actor=p["jyj"], document_id=training.pk, on=today)
    step(training, "书面请示符合要求，请司法局进行合法性审查")
    training.refresh_from_db()
    task = training.approval.tasks.get(status="open", step_id="legality_review")
    wf.task_reassign(actor=p["bgs-zhuren"], task_id=task.pk, to=p["sfj"], note="请司法局进行合法性审查", on=today)
