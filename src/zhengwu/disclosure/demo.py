"""Demo disclosure (through the services). Wired in zhengwu.demo, after the documents and meetings
demos, whose issued documents and signed-off minutes are already in the queue (the signals).

- a published catalogue: three office notices issued over the last weeks and released in time, the
  plenary meeting's decision released, a standing meeting's decision released;
- a notice issued as 依申请公开 (not in the queue, never on the public site);
- waiting in the queue: today's 寒潮 notice (green), the 司法局's normative 行政执法公示办法 overdue
  (red, escalated by the tick; its 政策解读 still missing), the 发改局's important decision approved
  and ready to release;
- one important decision (城区道路维修改造资金) waiting for the leader's 审定 (a real 待办 of route
  disclosure.release, after the office director's 审核).
"""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.org.models import Person, Unit

from . import services
from .models import Record


def _complete(record: Record, opinion: str, on: dt.date) -> None:
    from zhengwu.workflow import services as wf

    record.refresh_from_db()
    task = record.approval.tasks.filter(status="open", kind="step").order_by("id").first()
    wf.task_complete(actor=task.assignee, task_id=task.pk, decision=task.choices[0] if task.choices else "",
                     opinion=opinion, on=on)


def _issue_notices(p, u, cal, today) -> list:
    """Office notices issued in the past through the documents' services (as its demo does)."""
    from zhengwu.documents import issuing
    from zhengwu.documents import services as docs
    from zhengwu.workflow import services as wf

    def step(doc, opinion, when):
        doc.refresh_from_db()
        task = doc.approval.tasks.filter(status="open", kind="step").order_by("id").first()
        wf.task_complete(actor=task.assignee, task_id=task.pk, opinion=opinion, on=when)

    made = []
    for days_ago, title, body, public in (
        (45, "关于做好2026年秋冬季森林草原防灭火工作的通知",
         "一、压实防火责任\n各乡镇、街道和有关部门要严格落实森林草原防灭火责任制。\n二、加强火源管控\n严禁野外用火，做好巡查看护。", True),
        (35, "关于开展2026年度安全生产大检查的通知",
         "一、检查范围\n全区各类生产经营单位。\n二、检查内容\n安全生产责任落实、隐患排查治理等情况。", True),
        (25, "关于做好2026年冬季城区供热保障工作的通知",
         "一、按时供热\n各供热企业要确保11月1日前正式供热。\n二、畅通诉求渠道\n供热服务热线24小时受理群众诉求。", True),
        (20, "关于调整区政府办公室内部机构职责分工的通知",
         "一、综合科负责文电处理和会务保障。\n二、督查科负责督查督办工作。", False),
    ):
        when = cal.add_workdays(today, -days_ago)
        doc = docs.document_draft(
            actor=p["wenshu"], unit=u["区政府办"], direction="outgoing", kind="通知", issuing_as="office", title=title,
            main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"], body=body, public=public,
            non_disclosure_reason="" if public else "内部事务信息，不属于主动公开范围", on=when)
        issuing.document_send_for_signing(actor=p["wenshu"], document_id=doc.pk, on=when)
        for _ in range(3):
            step(doc, "同意", when)
        docs.document_number(actor=p["wenshu"], document_id=doc.pk, on=when)
        issuing.document_issue(actor=p["wenshu"], document_id=doc.pk, on=when)
        made.append((doc, when))
    return made


def load() -> None:
    from zhengwu.workcalendar.selectors import work_calendar

    cal = work_calendar()
    today = rules.today()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}
    office = p["bgs-zhuren"]  # 区政府办公室主任: 政务公开 is the office's work
    if "wenshu" not in p or "区政府办" not in u:
        return

    def record_of(kind, source_id) -> Record | None:
        return Record.objects.filter(kind=kind, source_id=source_id).first()

    # a published catalogue: notices reviewed and released within their 20 working days
    for doc, when in _issue_notices(p, u, cal, today):
        record = record_of(Record.Kind.DOCUMENT, doc.pk)
        if record is None or record.category != Record.Category.PROACTIVE:
            continue
        on = cal.add_workdays(when, 3)
        services.record_review(actor=office, record_id=record.pk, passed=True, note="不涉及国家秘密和工作秘密", on=on)
        services.record_release(actor=office, record_id=record.pk, on=on)

    decisions = {r.title: r for r in Record.objects.filter(kind=Record.Kind.DECISION, status=Record.Status.QUEUED)}

    def reviewed(words: str) -> Record | None:
        """The decision whose title holds `words`, past its 保密审查 two working days after sign-off."""
        record = next((r for t, r in decisions.items() if words in t), None)
        if record is not None:
            on = min(cal.add_workdays(record.formed_on, 2), today)
            services.record_review(actor=office, record_id=record.pk, passed=True, note="经审查可以公开", on=on)
            record.refresh_from_db()
        return record

    # the meetings' decisions (art. 35): the plenary's and an ordinary standing meeting's are released
    for words in ("全体会议", "供热价格"):
        if (record := reviewed(words)) is not None:
            services.record_release(actor=office, record_id=record.pk, on=record.reviewed_on)
    # important information (art. 37): one approved by the leader, ready to release; one waiting for
    # the 分管领导's 审定 after the office director's 审核 (a real 待办)
    for words, opinions in (("供热管网", ("同意发布", "同意发布")), ("道路维修", ("审核同意，报请分管领导审定",))):
        if (record := reviewed(words)) is not None:
            services.record_request_approval(actor=office, record_id=record.pk, on=today)
            for opinion in opinions:
                _complete(record, opinion, today)
    # the 司法局's normative document stays overdue in the queue, without its 政策解读 (tick escalates)


def load_report() -> None:
    """Last year's annual report, published by the office in March (条例 art. 49), with the register
    of reviews and lawsuits about disclosure: one from last year decided (维持), one pending now.
    Loaded after the requests' demo (src/zhengwu/demo.py)."""
    p = {x.username: x for x in Person.objects.all()}
    if "bgs-zhuren" not in p:
        return
    office, today = p["bgs-zhuren"], rules.today()
    last = today.year - 1
    c = services.challenge_register(actor=office, kind="review", filed_on=dt.date(last, 9, 8),
                                    subject="申请人不服区财政局政府信息公开答复", on=today)
    services.challenge_decide(actor=office, challenge_id=c.pk, result="upheld", decided_on=dt.date(last, 11, 3),
                              note="复议机关维持原答复", on=today)
    from zhengwu.disclosure.requests.models import InfoRequest

    refused = InfoRequest.objects.filter(answer_type="refused").order_by("pk").first()
    services.challenge_register(actor=office, kind="lawsuit", filed_on=today, subject="申请人不服不予公开答复提起诉讼",
                                request_id=refused.pk if refused else None, on=today)
    published = dt.date(today.year, 3, 20)
    if today >= published:
        services.report_publish(actor=office, year=last, on=published,
                                foreword=f"{last}年，区政府坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。")
