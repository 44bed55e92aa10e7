"""Demo 三重一大 dossiers (through the services, as a person would): a 重大项目投资 of the 发改局
half-way through its procedures, a 大额资金使用 of the 财政局 complete and ready for the 常务会议,
and the government's own 重大项目投资 decided three weeks ago, now tracked (implementation report
due, evaluation reminder). Wire it after the documents demo: `decisions_demo.load()`."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.org.models import Person, Unit

from . import services
from .models import MajorDecision

FIVE = ("legality", "necessity", "scientific", "feasibility", "controllability")


EVIDENCE = {  # what a clerk records as the evidence of each art. 28 procedure (demo placeholders)
    "public_participation": "区政府网站征求意见公告及意见采纳情况说明（卷宗附件1）",
    "expert_argument": "专家论证会纪要及论证意见（卷宗附件2）",
    "risk_assessment": "社会稳定风险评估报告（卷宗附件3）",
    "legality_review": "合法性审查意见书（卷宗附件4）",
    "collective_decision": "区政府专题会议纪要（卷宗附件5）",
}


def load(on: dt.date | None = None) -> list[MajorDecision]:
    today = on or rules.today()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def steps(d, actor, codes, start=90):
        for i, code in enumerate(codes):
            services.procedure_record(actor=p[actor], dossier_id=d.pk, step=code, done_on=ago(start - 12 * i),
                                      evidence=EVIDENCE[code],
                                      legality_reviewer="justice_bureau" if code == "legality_review" else None,
                                      on=today)

    def consult(d, actor, unit, asked, reply=None, replied=None):
        c = services.consultation_ask(actor=p[actor], dossier_id=d.pk, unit_id=u[unit].pk, asked_on=ago(asked),
                                      on=today)
        if reply:
            services.consultation_reply(actor=p[actor], consultation_id=c.pk, reply=reply, replied_on=ago(replied),
                                        on=today)

    # 1. Half-way: two procedures done, a street asked but not yet answered.
    halfway = services.dossier_create(actor=p["fgj"], data={
        "title": "城北物流园区基础设施建设项目", "matter_type": "major_project", "amount_yuan": 86_000_000,
        "summary": "园区道路、给排水和供热管网一期工程，总投资8600万元。", "proposing_unit_id": u["发改局"].pk,
        "research_done": True, "research_ref": "项目可行性研究报告", "committee_matter": "major_measures",
        "affected_unit_ids": [u["财政局"].pk, u["新华街道"].pk]}, on=today)
    steps(halfway, "fgj", ("public_participation", "expert_argument"), start=40)
    consult(halfway, "fgj", "财政局", 20, "原则同意，资金纳入2027年预算统筹安排", 15)
    consult(halfway, "fgj", "新华街道", 10)

    # 2. Complete and ready for the 常务会议.
    ready = services.dossier_create(actor=p["czj"], data={
        "title": "2027年农村公路养护补助资金安排", "matter_type": "large_fund", "amount_yuan": 3_600_000,
        "summary": "对东风乡等乡镇农村公路日常养护给予补助。", "proposing_unit_id": u["财政局"].pk,
        "submitted_on": ago(5).isoformat(), "research_done": True, "research_ref": "农村公路养护情况调研报告",
        "unit_collective_discussion_ref": "区财政局2026年第18次局党组会议纪要", "evaluations": list(FIVE),
        "evaluated_by": "区政府发展研究中心", "affected_unit_ids": [u["东风乡"].pk]}, on=today)
    steps(ready, "czj", ("public_participation", "expert_argument", "risk_assessment", "legality_review",
                         "collective_decision"), start=70)
    consult(ready, "czj", "东风乡", 30, "同意，建议按里程分配", 25)

    # 3. Decided three weeks ago; implementation tracked, evaluation reminded.
    decided = services.dossier_create(actor=p["wenshu"], data={
        "title": "城区集中供热管网改造工程", "matter_type": "major_project", "amount_yuan": 42_000_000,
        "summary": "改造老旧供热管网38公里。", "implementation_lead_id": u["发改局"].pk}, on=ago(60))
    for i, code in enumerate(("public_participation", "expert_argument", "risk_assessment", "legality_review",
                              "collective_decision")):
        services.procedure_record(actor=p["wenshu"], dossier_id=decided.pk, step=code, done_on=ago(120 - 12 * i),
                                  evidence=EVIDENCE[code],
                                  legality_reviewer="legal_adviser" if code == "legality_review" else None,
                                  on=ago(60))
    services.dossier_place_on_agenda(actor=p["wenshu"], dossier_id=decided.pk, meeting_type="standing",
                                     meeting_id=None, on=ago(28))
    services.dossier_decide(actor=p["quzhang"], dossier_id=decided.pk, outcome="原则通过",
                            conditions="分两年实施，2026年完成主干管网", meeting_id=None, decided_on=ago(21))
    for d in (halfway, ready, decided):
        d.refresh_from_db()
    return [halfway, ready, decided]
