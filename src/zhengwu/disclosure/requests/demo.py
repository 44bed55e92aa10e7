"""Demo requests for information and 舆情 (through the services, as the office and the units would):
requests in every state — just received, due soon, waiting for a correction, corrected with the
clock restarted, paused for a third party's opinion, extended with the office director's agreement,
an extension waiting for the director (his 待办), overdue, answered on time in part, answered late
with a refusal citing 条例 第十六条, answered "not found" — and three 舆情: one answered late, a major
one answered on time, one still within its 48 hours. Dates are laid out around `rules.today()` on
the official calendar; 舆情 times around now. Wired in zhengwu.demo."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhengwu import rules
from zhengwu.org.models import Person, Unit

from . import services


def load(on: dt.date | None = None) -> list:
    from zhengwu.workcalendar.selectors import work_calendar
    from zhengwu.workflow import services as wf
    from zhengwu.workflow.models import Task

    today = on or rules.today()
    cal = work_calendar()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}
    office, director = p["wenshu"], p["bgs-zhuren"]
    ago = lambda n: cal.add_workdays(today, -n) if n else today  # noqa: E731
    made = []

    def request(n_ago, content, unit, applicant="刘某", channel="in_person"):
        day = ago(n_ago)
        kw = {"submitted_on": day - dt.timedelta(days=2)} if channel == "post" else {}
        r = services.request_register(actor=office, applicant=applicant, applicant_contact="13904368001",
                                      channel=channel, content=content, received_on=day, unit_id=u[unit].pk,
                                      on=day, **kw)
        made.append(r)
        return r

    def agree(r, day):
        task = Task.objects.get(approval__obj_type=services.OBJ, approval__obj_id=str(r.pk), status="open")
        wf.task_complete(actor=director, task_id=task.pk, decision="同意", opinion="同意延长，按期答复", on=day)

    # just received, and one due within days
    request(1, "2026年度城区道路维修计划及预算", "住建局")
    request(17, "东风乡2025年农村低保资金发放明细（不含个人信息）", "财政局", applicant="王某", channel="post")
    # waiting for a correction (一次性告知补正)
    r = request(3, "关于那个项目的所有文件", "发改局", applicant="赵某", channel="online")
    services.correction_notice(actor=office, request_id=r.pk, text="请写明项目名称、年度和所需文件的范围", on=ago(1))
    # corrected: the clock counts again from the day the correction arrived
    r = request(15, "教育局的文件", "教育局", applicant="孙某", channel="online")
    services.correction_notice(actor=office, request_id=r.pk, text="请写明文件名称或内容范围", on=ago(13))
    services.correction_received(actor=office, request_id=r.pk, corrected_on=ago(9), on=ago(9))
    # paused for a third party's opinion (不计算在答复期限内)
    r = request(10, "城区公共停车场特许经营协议", "住建局", applicant="钱某")
    services.consultation_start(actor=office, request_id=r.pk, party="洮北区某停车管理有限公司",
                                text="申请公开的协议涉及贵公司商业信息，请于15个工作日内提出意见", on=ago(6))
    # extended with the director's agreement (and the applicant told)
    r = request(22, "2025年区本级政府采购项目清单", "财政局", applicant="李某", channel="post")
    services.extension_request(actor=office, request_id=r.pk, reason="涉及二十余个采购单位，需汇总核实", on=ago(18))
    agree(r, ago(18))
    # an extension waiting for the director: his 待办
    r = request(16, "全区2025年各街道垃圾清运合同", "住建局", applicant="周某")
    services.extension_request(actor=office, request_id=r.pk, reason="合同分散在各街道，需逐一调取", on=today)
    # overdue (tick escalates it)
    request(25, "区卫生健康局2025年公务接待费明细", "财政局", applicant="吴某", channel="online")
    # answered on time, part released (条例 第三十七条)
    r = request(12, "2025年东风乡道路硬化工程招标文件", "财政局", applicant="郑某")
    services.request_answer(actor=office, request_id=r.pk, answer_type="disclosed", partial=True, basis="art15",
                            text="现提供该工程招标文件，投标人报价部分已作区分处理。",
                            withheld_reason="投标人报价属于商业秘密，公开会对其合法权益造成损害", on=ago(5))
    # answered late, a refusal citing art. 16
    r = request(30, "区政府常务会议讨论某项目时的内部讨论记录", "发改局", applicant="冯某")
    services.request_answer(actor=office, request_id=r.pk, answer_type="refused", basis="art16",
                            text="所申请信息属于行政机关在履行行政管理职能过程中形成的讨论记录，属于过程性信息，不予公开。",
                            on=ago(6))
    # no correction by the notice's period: 视为放弃申请 (条例 第三十条), closed as `zhengwu tick` does
    r = request(26, "你们那边的材料", "住建局", applicant="韩某", channel="online")
    services.correction_notice(actor=office, request_id=r.pk, text="请写明所需政府信息的名称、文号或内容范围",
                               on=ago(25))
    r.refresh_from_db()
    services.request_abandon(r, today)
    # answered: the information does not exist
    r = request(8, "2010年区教育局某次会议录音", "教育局", applicant="陈某")
    services.request_answer(actor=office, request_id=r.pk, answer_type="not_exist",
                            text="经检索，本机关未制作、获取该政府信息。", on=ago(2))

    # 舆情 (art. 36)
    now = min(timezone.now(), timezone.make_aware(dt.datetime.combine(today, dt.time(18, 0))))
    hours = lambda n: now - dt.timedelta(hours=n)  # noqa: E731
    late = services.opinion_register(actor=office, title="网传东风乡夜间施工扰民", summary="微博网民反映夜间施工噪音，转发较多",
                                     source="online", level="general", found_at=hours(70), lead_unit_id=u["东风乡"].pk,
                                     owner_id=p["dfx"].pk, on=today)
    services.opinion_respond(actor=p["dfx"], event_id=late.pk, kind="response", channel="区政府网站",
                             text="已责令施工单位夜间停工并公布投诉电话", responded_at=hours(12), on=today)
    major = services.opinion_register(actor=office, title="某小区燃气泄漏", summary="网传某小区燃气泄漏致人员疏散",
                                      source="media", level="major", found_at=hours(30), lead_unit_id=u["应急局"].pk,
                                      owner_id=p["bgs-fuzhuren"].pk, on=today)
    services.opinion_respond(actor=p["bgs-fuzhuren"], event_id=major.pk, kind="authoritative", channel="洮北发布",
                             text="经查系管道接口松动，已处置完毕，无人员伤亡", responded_at=hours(27), on=today)
    services.opinion_respond(actor=p["bgs-fuzhuren"], event_id=major.pk, kind="press_conference",
                             channel="区政府新闻发布厅", text="通报处置情况和全区燃气安全排查安排",
                             responded_at=hours(10), on=today)
    services.opinion_register(actor=office, title="网民反映学校食堂价格上涨", summary="家长群转发食堂价格上涨截图",
                              source="online", level="general", found_at=hours(6), lead_unit_id=u["教育局"].pk,
                              owner_id=p["jyj"].pk, on=today)
    return made
