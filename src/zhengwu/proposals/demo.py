"""Demo 建议提案 (through the services, as the office and the units would): the 区人大's session
batch and the 区政协's, with items in every state — waiting for 交办, being handled (one with a
co-unit's opinion, one overdue), sent back, answered and waiting for the proposer's view, re-opened
after an unsatisfied proposer, closed and published, closed and not published past its time
(flagged, art. 39), closed with a reason not to publish, and a complex item extended. Every answer
is a signed, numbered 答复函 in the lead unit's name (zhengwu.documents); one item's letter is drafted
and waiting for its head's signature. Dates are laid
out around `rules.today()` on the official calendar. Wire it after the org demo: `proposals_demo.load()`."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.documents import department
from zhengwu.documents import services as documents
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook.rules.meetings import add_months

from . import services
from .models import Proposal

LEAD = {"name": "刘代表", "group": "新华街道代表团", "contact": "13904361001", "leading": True}
JOINT = [{"name": "马代表", "group": "新华街道代表团", "contact": "13904361002"},
         {"name": "高代表", "group": "铁东街道代表团", "contact": "0436-3281003"}]
MEMBER = {"name": "林委员", "group": "教育界", "contact": "13804362001", "leading": True}


def load(on: dt.date | None = None) -> list[Proposal]:
    from zhengwu.workcalendar.selectors import work_calendar

    today = on or rules.today()
    cal = work_calendar()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}
    office = p["bgs-fuzhuren"]
    months_ago = lambda n: add_months(today, -n)  # noqa: E731
    workdays_ago = lambda n: cal.add_workdays(today, -n)  # noqa: E731

    npc = services.batch_create(actor=office, body="npc", session=f"洮北区第十九届人民代表大会第{today.year - 2021}次会议",
                                period="session", year=today.year, on=today)
    cppcc = services.batch_create(actor=office, body="cppcc", session=f"政协洮北区第九届委员会第{today.year - 2021}次会议",
                                  period="session", year=today.year, on=today)
    made: list[Proposal] = []

    def item(batch, number, title, content, proposers):
        x = services.proposal_create(actor=office, batch_id=batch.pk, number=number, title=title, content=content,
                                     proposers=proposers, on=today)
        made.append(x)
        return x

    def assign(x, lead, assigned_on, co=()):
        services.proposal_assign(actor=office, proposal_id=x.pk, lead_unit_id=u[lead].pk,
                                 co_unit_ids=[u[c].pk for c in co], assigned_on=assigned_on, on=assigned_on)

    def answer(x, head, day, outcome, text, way="meeting"):
        # art. 39: the 答复函 goes through the documents flow — drafted from the proposal, signed by
        # the lead unit's head in the unit's own name, numbered in its series — then the answer
        services.contact_record(actor=p[head], proposal_id=x.pk, way=way, contacted_on=day,
                                note="与领衔代表当面协商办理意见，代表同意办理思路。", on=day)
        names = "、".join(x.proposers.values_list("name", flat=True))
        letter = services.reply_draft(actor=p[head], proposal_id=x.pk, body=f"{names}：\n{text}", on=day)
        department.document_sign_as_unit(actor=p[head], document_id=letter.pk, on=day)
        documents.document_number(actor=p[head], document_id=letter.pk, on=day)
        services.proposal_answer(actor=p[head], proposal_id=x.pk, outcome=outcome, on=day)

    # 1. waiting for 交办
    item(npc, "1", "关于增设城区公共停车场的建议", "城区停车难，建议利用闲置地块增设公共停车场。", [LEAD, *JOINT])
    # 2. being handled, on time, a co-unit's opinion given, a contact recorded
    x = item(npc, "2", "关于改善农村中小学供暖条件的建议", "部分农村学校供暖设施老化，建议列入改造计划。", [LEAD, JOINT[0]])
    assign(x, "教育局", workdays_ago(15), co=("财政局",))
    services.co_unit_opinion(actor=p["czj"], proposal_id=x.pk, opinion="同意列入明年预算统筹安排。", on=workdays_ago(5))
    services.contact_record(actor=p["jyj"], proposal_id=x.pk, way="phone", contacted_on=workdays_ago(3),
                            note="电话沟通办理进度。", on=workdays_ago(3))
    # its 答复函 drafted (a document in the 教育局's name), not yet signed: no answer can be recorded yet
    services.reply_draft(actor=p["jyj"], proposal_id=x.pk, on=workdays_ago(1))
    # 3. overdue NPC suggestion: assigned more than three months ago, not answered
    x = item(npc, "3", "关于加快老旧小区改造的建议", "建议加快推进2000年前建成的老旧小区改造。", [JOINT[1]])
    assign(x, "新华街道", months_ago(3) - dt.timedelta(days=6), co=("发改局",))
    # 4. sent back by the lead unit as misassigned, waiting for a new 交办
    x = item(npc, "4", "关于规范农村土地流转的建议", "建议规范土地流转合同管理。", [LEAD])
    assign(x, "司法局", workdays_ago(3))
    services.proposal_send_back(actor=p["sfj"], proposal_id=x.pk, reason="土地流转管理属农业农村部门职责，建议改交农业农村局。",
                                on=workdays_ago(1))
    # 5. answered, waiting for the proposer's view (and publication, still in time)
    x = item(npc, "5", "关于延长社区卫生服务中心服务时间的建议", "建议社区卫生服务中心晚间延时服务。", [LEAD, *JOINT])
    assign(x, "东风乡", months_ago(2))
    answer(x, "dfx", workdays_ago(4), "planned", "经研究，已列入明年乡卫生院服务提升计划，分两步实施。联系电话：0436-3280000。")
    # 6. re-opened after an unsatisfied proposer: a second answer owed
    x = item(npc, "6", "关于治理城北排水不畅的建议", "雨季城北积水严重，建议改造排水管网。", [JOINT[0]])
    assign(x, "发改局", months_ago(3))
    answer(x, "fgj", months_ago(1), "later", "受资金条件限制，待以后统筹解决。")
    services.satisfaction_record(actor=office, proposal_id=x.pk, satisfaction="unsatisfied",
                                 note="代表认为应先实施应急疏通。", on=workdays_ago(8))
    # 7. closed and published
    x = item(npc, "7", "关于增加学前教育学位的建议", "建议新建、扩建公办幼儿园。", [LEAD])
    assign(x, "教育局", months_ago(5))
    answer(x, "jyj", months_ago(3), "solved", "今年新建公办幼儿园两所，新增学位540个。")
    services.satisfaction_record(actor=office, proposal_id=x.pk, satisfaction="satisfied", on=months_ago(3))
    services.proposal_publish(actor=office, proposal_id=x.pk, published_on=cal.add_workdays(months_ago(3), 10), on=today)
    # 8. closed, not published past its time and no reason recorded: flagged (art. 39)
    x = item(npc, "8", "关于加强财政专项资金绩效管理的建议", "建议完善专项资金绩效评价。", [JOINT[1]])
    assign(x, "财政局", months_ago(5))
    answer(x, "czj", months_ago(3), "solved", "已出台专项资金绩效管理办法。")
    services.satisfaction_record(actor=office, proposal_id=x.pk, satisfaction="basic", on=months_ago(3))
    # 9. CPPCC: closed with a reason not to publish
    x = item(cppcc, "1", "关于保护个人信息安全的提案", "建议加强政务数据中个人信息保护。", [MEMBER])
    assign(x, "司法局", months_ago(4))
    answer(x, "sfj", months_ago(2), "reference", "作为完善工作制度的参考。", way="forum")
    services.satisfaction_record(actor=office, proposal_id=x.pk, satisfaction="satisfied", on=months_ago(2))
    services.proposal_withhold(actor=office, proposal_id=x.pk, reason="答复涉及个人信息保护的内部工作安排，依法不予公开。",
                               on=today)
    # 10. CPPCC: complex, extended with approval to six months
    x = item(cppcc, "2", "关于建设城乡一体化供水工程的提案", "建议统筹建设城乡一体化供水工程。", [MEMBER])
    assign(x, "发改局", months_ago(2), co=("财政局", "东风乡"))
    services.proposal_extend(actor=office, proposal_id=x.pk, reason="涉及多个部门和乡镇，需编制专项规划。",
                             new_due_on=add_months(months_ago(2), 6), on=today)
    return made
