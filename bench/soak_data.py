"""The soak's Django side (`make soak`, bench/soak.py), run as `python -m bench.tool soak-setup|soak-facts`
against the soak's database:

- `setup`: after `zhengwu demo load`, the work N clients need, made through the services as people
  would (every row audited): 请示 submitted by the units, registered and routed by the office (some
  already past the office's review, so the leaders have 批示 waiting), office notices sent for
  signing (some already past the office's review with the 财政局's 会签 waiting: its head is away in
  the demo and his deputy acts for him, so those steps can be handed over, 转办), and some already signed, waiting for their number.
- `facts`: what the invariants of bench/soak_checks.py are checked on, read back from the database.
"""

from __future__ import annotations

import re

INTAKE_UNITS = [("sfj", "司法局"), ("fgj", "发改局"), ("jyj", "教育局"), ("xhjd", "新华街道"), ("dfx", "东风乡")]
TOPICS = ["老旧小区改造", "农村饮水安全", "校舍维修", "社区养老服务", "防汛物资储备", "高标准农田建设", "营商环境优化",
          "公共法律服务", "道路养护", "学校食堂改造"]


def setup(intake: int, issue: int, signed: int) -> dict:
    """`intake` routed 请示 (half already reviewed by the office), `issue` office notices sent for
    signing (one in three with the 财政局's 会签), `signed` more notices signed and waiting for a number."""
    from django.db import transaction

    from zhengwu import rules
    from zhengwu.documents import intake as intake_svc
    from zhengwu.documents import issuing, services
    from zhengwu.org.models import Person, Unit
    from zhengwu.workcalendar.selectors import work_calendar
    from zhengwu.workflow import services as wf
    from zhengwu.workflow.models import Task

    today = rules.today()
    cal = work_calendar()
    p = {x.username: x for x in Person.objects.all()}
    u = {x.short_name: x for x in Unit.objects.all()}

    def step(doc, opinion: str) -> None:
        doc.refresh_from_db()
        task = doc.approval.tasks.filter(status=Task.Status.OPEN, kind=Task.Kind.STEP).order_by("id").first()
        wf.task_complete(actor=task.assignee, task_id=task.pk, opinion=opinion, decision=(task.choices or [""])[0],
                         on=today)

    def notice(i: int, countersign: bool):
        doc = services.document_draft(
            actor=p["wenshu"], unit=u["区政府办"], direction="outgoing", kind="通知", issuing_as="office",
            title=f"关于做好{TOPICS[i % len(TOPICS)]}工作的通知（{i + 1}）",
            main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"],
            body="一、总体要求\n……\n二、主要任务\n……\n三、工作要求\n……", on=today)
        issuing.document_send_for_signing(actor=p["wenshu"], document_id=doc.pk, on=today,
                                          countersign_units=[u["财政局"]] if countersign else [])
        return doc

    made = {"intake": 0, "reviewed": 0, "issue": 0, "countersign": 0, "signed": 0}
    for i in range(intake):
        with transaction.atomic():
            head, unit = INTAKE_UNITS[i % len(INTAKE_UNITS)]
            title = f"关于{unit}{TOPICS[i % len(TOPICS)]}有关事项的请示（{i + 1}）"
            doc = services.document_draft(
                actor=p[head], unit=u[unit], direction="incoming", kind="请示", title=title,
                main_recipients=["区人民政府"], urgency="一般", body=f"{title[2:-3]}有关情况如下……妥否，请批示。",
                important=True, collective_ref=f"{unit}党组会议纪要〔{today.year}〕{i % 40 + 1}号",
                facts={"decision_needed_by": cal.add_workdays(today, 10).isoformat()}, on=today)
            intake_svc.document_submit(actor=p[head], document_id=doc.pk, on=today)
            intake_svc.document_register(actor=p["wenshu"], document_id=doc.pk, on=today)
            intake_svc.document_route(actor=p["wenshu"], document_id=doc.pk, major=i % 5 == 0, on=today)
            made["intake"] += 1
            if i % 2:
                step(doc, "拟请分管副区长阅示")
                made["reviewed"] += 1
    for i in range(issue + signed):
        with transaction.atomic():
            countersign = i < issue and i % 3 == 0
            doc = notice(i, countersign)
            made["countersign"] += countersign
            if countersign:  # past the office director's review: the 会签 waits with the 财政局
                step(doc, "同意")
            if i >= issue:
                for _ in range(3):
                    step(doc, "同意")
                made["signed"] += 1
            else:
                made["issue"] += 1
    return made


NUMBER = re.compile(r"^(?P<series>.+)〔(?P<year>\d{4})〕(?P<n>\d+)号$")


def facts() -> dict:
    """The rows the invariants are checked on (bench/soak_checks.py), as plain JSON."""
    from zhengwu.audit.models import AuditEvent
    from zhengwu.documents.models import Document, NumberCounter
    from zhengwu.org.models import Person
    from zhengwu.workflow.models import Approval, Task

    tasks = {str(t["id"]): t for t in Task.objects.filter(kind=Task.Kind.STEP).values(
        "id", "approval_id", "status", "assignee_id", "completed_by_id", "stage", "version")}
    completions: dict[str, int] = {}
    for after in AuditEvent.objects.filter(action="workflow.task.complete").values_list("after", flat=True):
        key = str((after or {}).get("task"))
        completions[key] = completions.get(key, 0) + 1
    approvals = [{"id": a["id"], "status": a["status"], "stage": a["stage"]}
                 for a in Approval.objects.values("id", "status", "stage")]
    numbers: list[dict] = []
    for field in ("doc_number", "intake_number"):
        for value in Document.objects.exclude(**{field: ""}).values_list(field, flat=True):
            m = NUMBER.match(value)
            numbers.append({"field": field, "value": value, "series": m["series"] if m else None,
                            "year": int(m["year"]) if m else None, "n": int(m["n"]) if m else None})
    counters = [{"series": c.series, "year": c.year, "last": c.last} for c in NumberCounter.objects.all()]
    documents = {str(d["id"]): d for d in Document.objects.filter(direction="outgoing").values(
        "id", "status", "doc_number")}
    return {"tasks": tasks, "people": dict(Person.objects.values_list("username", "id")),
            "completions": completions, "approvals": approvals, "numbers": numbers, "counters": counters,
            "outgoing": documents}
