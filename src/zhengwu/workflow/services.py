"""The only writers of the approval engine. Every approval in the rules runs through these:
start a route, complete / return / reassign a task, re-sign an opinion, circulate (传阅), nudge
(催办). Concurrency: the approval row is locked (PostgreSQL) or the IMMEDIATE transaction holds
the write lock (SQLite), and each task moves with a conditional update on (status, version) — so
of two people acting on one task at the same moment exactly one wins and the other is told."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Conflict, Refused
from zhengwu.textcheck import refuse_bad_text
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import RouteDef, StepDef, note_started
from zhengwu.security.admins import refuse_business, refuse_receiver

from . import access, authority, notify, selectors, subjects
from .models import Approval, SavedPhrase, Task, Urgency
from .resolvers import Target, context_of, resolve

OBJ = "workflow.approval"


def _workcal():
    from zhengwu.workcalendar.selectors import work_calendar

    return work_calendar()


def step_limit(step: StepDef, urgency: str, on: dt.date) -> tuple[int, bool] | None:
    """A step's time limit: (number, in calendar days?) — a number of working days, or a rulebook
    parameter (possibly keyed by urgency) whose unit says 工作日 (working days) or 日 (calendar days)."""
    if step.limit is None:
        return None
    if isinstance(step.limit, int):
        return step.limit, False
    value = rules.param(step.limit, on)
    if isinstance(value, dict):
        if urgency not in value:
            raise Refused(f"紧急程度“{urgency}”没有规定办理时限", field="urgency")
        value = value[urgency]
    unit = rules.book(on).parameters[step.limit].unit
    return int(value), unit in ("日", "天", "自然日")


def due_date(step: StepDef, urgency: str, on: dt.date) -> dt.date | None:
    """When a step opened on `on` is due: N working days after (counting from the next day), or N
    calendar days after where the rulebook counts in 日."""
    found = step_limit(step, urgency, on)
    if not found:
        return None
    n, calendar_days = found
    return on + dt.timedelta(days=n) if calendar_days else _workcal().add_workdays(on, n)


def _office_fallback(approval: Approval, on: dt.date):
    ctx = context_of(approval, on)
    return resolve("position:office_director", ctx)


def _open_stage(approval: Approval, route: RouteDef, index: int, on: dt.date) -> list[Task]:
    """Create the tasks of stage `index` (one per resolved person, in parallel where the stage is)."""
    stage = route.stages[index]
    ctx = context_of(approval, on)
    created, notes = [], []
    for step in stage.steps:
        if step.when and not approval.context.get(step.when):
            continue
        targets = resolve(step.resolver, ctx)
        if step.own:  # the holder's own act (e.g. 由区长签署): it waits for the holder, no substitute
            targets = [Target(person=h, position=t.position, note=t.note) for t in targets
                       if t.position is not None and (h := org.holder_of(t.position, on)) is not None]
        note, fallback = "", False
        if not targets:
            if step.optional:
                continue
            # Nobody holds or acts for the post today: the office (the hub, art. 16) arranges it.
            targets = _office_fallback(approval, on)
            note, fallback = "该环节无人在岗或补位，请办公室转办", True
            if not targets:
                raise Refused(f"环节“{step.label or step.action}”无人可办理，且办公室主任空缺", field="route")
        due = due_date(step, approval.urgency, on)
        cap = approval.context.get("due_on")  # an overall limit (e.g. art. 68: the whole approval)
        if cap:
            cap = dt.date.fromisoformat(cap)
            due = min(due, cap) if due else cap
        for t in targets:
            task = Task.objects.create(
                approval=approval, kind=Task.Kind.STEP, step_id=step.id, stage=index, action=step.action,
                position=t.position, assignee=t.person, note=note or t.note, choices=list(step.choices),
                due_on=due, opened_on=on, fallback=fallback)
            created.append(task)
            notes.append(notify.build(person=t.person, kind="task", task=task,
                                      title=f"新待办（{task.action}）：{approval.title}", msg="workflow.task",
                                      params={"action": task.action, "title": approval.title,
                                              **({"body_msg": "workflow.due", "due": due.isoformat()} if due else {})},
                                      body=f"请于{due.isoformat()}前办理" if due else ""))
    notify.send_all(notes)
    return created


# The engine's own modules: a route's starter is the first module on the stack outside them.
ENGINE_MODULES = (__name__, "zhengwu.workflow.subjects")


def approval_start(*, actor: Person, route_id: str, obj_type: str, obj_id: str, title: str,
                   urgency: str = Urgency.NORMAL, applicant_unit: Unit | None = None,
                   context: dict | None = None, on: dt.date | None = None) -> Approval:
    """Start the route `route_id` of the rulebook in force over an object; open its first stage."""
    refuse_business(actor)  # no administrator account acts in the business (三权分立)
    on = on or rules.today()
    book = rules.book(on)
    route = book.route(route_id) if route_id in book.routes else None
    if route is None:
        raise Refused(f"工作规则中没有审批流程“{route_id}”", field="route_id")
    if urgency not in Urgency.values:
        raise Refused(f"紧急程度须为{'、'.join(Urgency.values)}之一", field="urgency")
    if not (title or "").strip():
        raise Refused("标题不能为空", field="title")
    refuse_bad_text(title, "title", "标题", single_line=True)
    note_started(route.id, engine=ENGINE_MODULES)
    with transaction.atomic():
        if Approval.objects.filter(obj_type=obj_type, obj_id=obj_id, route_id=route_id,
                                   status=Approval.Status.RUNNING).exists():
            raise Refused("该事项已在审批中", field="obj_id")
        approval = Approval.objects.create(
            route_id=route.id, rulebook_id=book.id, obj_type=obj_type, obj_id=str(obj_id), title=title.strip(),
            urgency=urgency, originator=actor, applicant_unit=applicant_unit, context=context or {},
            started_on=on)
        tasks = _open_stage(approval, route, 0, on)
        audit_append(actor=actor, action="workflow.approval.start", obj_type=OBJ, obj_id=str(approval.pk),
                     after={"route": route.id, "title": approval.title, "urgency": urgency,
                            "object": f"{obj_type}:{obj_id}", "tasks": [t.assignee_id for t in tasks]},
                     article=route.article, summary=f"发起{route.title}：{approval.title}")
    return approval


def approval_cancel(*, actor: Person, approval_id: int, reason: str, on: dt.date | None = None) -> Approval | None:
    """Withdraw a running approval (e.g. its meeting was cancelled): its open tasks are cancelled and
    the approval ends as cancelled, in the caller's transaction. The caller (a domain service) has
    already checked that `actor` may withdraw the object; domains never write the engine's tables.
    Returns None when the approval is not running (nothing to withdraw)."""
    refuse_business(actor)  # no administrator account acts in the business (三权分立)
    on = on or rules.today()
    reason = (reason or "").strip()
    if not reason:
        raise Refused("请说明撤销理由", field="reason")
    with transaction.atomic():
        approval = _lock(approval_id)
        won = Approval.objects.filter(pk=approval.pk, status=Approval.Status.RUNNING).update(
            status=Approval.Status.CANCELLED, finished_at=timezone.now(), finished_on=on, version=F("version") + 1)
        if not won:
            return None
        cancelled = list(approval.tasks.filter(status=Task.Status.OPEN).values_list("pk", flat=True))
        Task.objects.filter(pk__in=cancelled, status=Task.Status.OPEN).update(
            status=Task.Status.CANCELLED, version=F("version") + 1)
        approval.status = Approval.Status.CANCELLED
        audit_append(actor=actor, action="workflow.approval.cancel", obj_type=OBJ, obj_id=str(approval.pk),
                     before={"status": "running"}, after={"status": "cancelled", "tasks": cancelled, "reason": reason},
                     summary=f"撤销{approval.title}：{reason[:60]}")
        subjects.dispatch(approval, "on_cancelled", actor, on)
    return approval


def _claim(task: Task, *, status: str, actor: Person, **fields) -> None:
    """Move an open task with a conditional update; raise Conflict if someone got there first."""
    won = Task.objects.filter(pk=task.pk, status=Task.Status.OPEN, version=task.version).update(
        status=status, version=F("version") + 1, **fields)
    if not won:
        fresh = Task.objects.select_related("completed_by").get(pk=task.pk)
        who = fresh.completed_by or "他人"
        raise Conflict(f"该待办已由{who}办理（{fresh.get_status_display()}），请刷新后查看", field="task_id")
    # the conditional update won: the row now holds exactly these values (no re-read)
    task.status = status
    task.version += 1
    for name, value in fields.items():
        setattr(task, name, value)


def _lock(approval_id: int) -> Approval:
    return (Approval.objects.select_for_update(of=("self",))
            .select_related("applicant_unit__government", "originator__government").get(pk=approval_id))


def _advance(approval: Approval, on: dt.date, actor: Person) -> None:
    """If the current stage is finished, open the next one or finish the approval."""
    if approval.tasks.filter(kind=Task.Kind.STEP, stage=approval.stage, status=Task.Status.OPEN).exists():
        return
    route = selectors.route_def(approval)
    nxt = approval.stage + 1
    while nxt < len(route.stages):
        if not any(not step.when or approval.context.get(step.when) for step in route.stages[nxt].steps):
            nxt += 1  # none of its steps applies (e.g. 报区长 for a matter that is not major): no write
            continue
        Approval.objects.filter(pk=approval.pk).update(stage=nxt, version=F("version") + 1)
        approval.stage = nxt
        if _open_stage(approval, route, nxt, on):
            return
        nxt += 1
    Approval.objects.filter(pk=approval.pk).update(status=Approval.Status.APPROVED, finished_at=timezone.now(),
                                                   finished_on=on, version=F("version") + 1)
    approval.status = Approval.Status.APPROVED
    notify.send(person=approval.originator, kind="info", title=f"已办结：{approval.title}", approval=approval,
                msg="workflow.finished", params={"title": approval.title})
    audit_append(actor=actor, action="workflow.approval.finish", obj_type=OBJ, obj_id=str(approval.pk),
                 after={"status": "approved"}, article=route.article, summary=f"办结：{approval.title}")
    subjects.dispatch(approval, "on_finished", actor, on)


def _auto_circulate(approval: Approval, task: Task, actor: Person, on: dt.date) -> None:
    step = selectors.route_def(approval).step(task.step_id)
    if not step.circulate_to:
        return
    ctx = context_of(approval, on)
    people = {t.person for spec in step.circulate_to for t in resolve(spec, ctx)} - {actor}
    if people:
        _circulate(approval=approval, actor=actor, people=people, note=f"{step.action}后按流程传阅")


def task_complete(*, actor: Person, task_id: int, opinion: str = "", decision: str = "",
                  version: int | None = None, on: dt.date | None = None) -> Task:
    """Complete a step with the person's opinion (意见); the route moves on when the stage is done."""
    refuse_business(actor)  # no administrator account acts in the business (三权分立)
    on = on or rules.today()
    task = access.task_for_action(actor, task_id, on=on)
    if task.kind != Task.Kind.STEP:
        raise Refused("传阅件请点“已阅”", field="task_id")
    opinion = (opinion or "").strip()
    if task.choices and decision not in task.choices:
        raise Refused(f"请选择意见：{'／'.join(task.choices)}", field="decision")
    if not task.choices and not opinion and not decision:
        raise Refused("请填写办理意见", field="opinion")
    if version is not None and version != task.version:
        raise Conflict("该待办已被他人修改，请刷新后再办理")
    with transaction.atomic():
        approval = _lock(task.approval_id)
        task.approval = approval
        # every door (inbox, API, domain page, CLI) ends here: who may hold the step, then the domain's guards
        stands = authority.check(approval, task, actor, on, door="complete")
        authority.guards(approval, task, actor, decision, opinion, on)
        _claim(task, status=Task.Status.DONE, actor=actor, opinion=opinion, decision=decision,
               completed_at=timezone.now(), completed_by_id=actor.pk, done_on=on, completed_as=stands)
        notify.mark_task_handled(task, actor)
        audit_append(actor=actor, action="workflow.task.complete", obj_type=OBJ, obj_id=str(approval.pk),
                     before={"task": task.pk, "status": "open"},
                     after={"task": task.pk, "step": task.step_id, "decision": decision, "opinion": opinion,
                            "for": task.assignee_id, "as": stands,
                            "position": task.position.title if task.position_id else ""},
                     summary=f"{actor}{task.action}：{decision or opinion[:40]}")
        _auto_circulate(approval, task, actor, on)
        if subjects.dispatch(approval, "on_task_done", task, actor, on):
            # a domain may end the route on an answer (approval_cancel from on_task_done): then nothing opens
            approval.refresh_from_db(fields=["status"])
        if approval.status == Approval.Status.RUNNING:
            _advance(approval, on, actor)
    return task


def task_return(*, actor: Person, task_id: int, opinion: str, version: int | None = None,
                on: dt.date | None = None) -> Task:
    """Send the matter back to the originator with reasons (退回); the approval ends as returned."""
    refuse_business(actor)  # no administrator account acts in the business (三权分立)
    on = on or rules.today()
    task = access.task_for_action(actor, task_id, on=on)
    opinion = (opinion or "").strip()
    if not opinion:
        raise Refused("退回须写明理由", field="opinion")
    if task.kind != Task.Kind.STEP:
        raise Refused("传阅件不能退回", field="task_id")
    if version is not None and version != task.version:
        raise Conflict("该待办已被他人修改，请刷新后再办理")
    with transaction.atomic():
        approval = _lock(task.approval_id)
        task.approval = approval
        stands = authority.check(approval, task, actor, on, door="complete")
        _claim(task, status=Task.Status.RETURNED, actor=actor, opinion=opinion, decision="退回",
               completed_at=timezone.now(), completed_by_id=actor.pk, done_on=on, completed_as=stands)
        notify.mark_task_handled(task, actor)
        approval.tasks.filter(status=Task.Status.OPEN, kind=Task.Kind.STEP).update(
            status=Task.Status.CANCELLED, version=F("version") + 1)
        Approval.objects.filter(pk=approval.pk).update(status=Approval.Status.RETURNED, finished_at=timezone.now(),
                                                       finished_on=on, version=F("version") + 1)
        notify.send(person=approval.originator, kind="info", title=f"已退回：{approval.title}", body=opinion,
                    approval=approval, msg="workflow.returned", params={"title": approval.title})
        audit_append(actor=actor, action="workflow.task.return", obj_type=OBJ, obj_id=str(approval.pk),
                     before={"task": task.pk, "status": "open"},
                     after={"task": task.pk, "opinion": opinion, "status": Approval.Status.RETURNED},
                     summary=f"{actor}退回：{opinion[:40]}")
        subjects.dispatch(approval, "on_returned", task, actor, on)
    return task


def task_reassign(*, actor: Person, task_id: int, to: Person, note: str = "", version: int | None = None,
                  on: dt.date | None = None) -> Task:
    """Hand an open task to someone else (转办): by its assignee, the person acting, or the office."""
    refuse_business(actor)  # no administrator account acts in the business (三权分立)
    refuse_receiver(to)
    on = on or rules.today()
    task = access.task_for_reassign(actor, task_id, on=on)
    if to is None or not to.is_active:
        raise Refused("请选择转办对象", field="to")
    if to.pk == task.assignee_id:
        raise Refused("转办对象与当前办理人相同", field="to")
    if version is not None and version != task.version:
        raise Conflict("该待办已被他人修改，请刷新后再办理")
    with transaction.atomic():
        approval = _lock(task.approval_id)
        task.approval = approval
        # 转办 goes only to someone eligible to hold the step (its post's holder, or who acts for it)
        authority.check(approval, task, to, on, door="reassign")
        position = task.position
        if task.fallback:  # handed on by the office to whoever now holds one of the step's posts
            position = authority.post_of(approval, task, to, on) or position
        _claim(task, status=Task.Status.REASSIGNED, actor=actor, completed_at=timezone.now(),
               completed_by_id=actor.pk, opinion=(note or "").strip(), done_on=on)
        notify.mark_task_handled(task, actor)
        new = Task.objects.create(
            approval=approval, kind=task.kind, step_id=task.step_id, stage=task.stage, action=task.action,
            position=position, assignee=to, sender=actor, note=(note or "").strip()[:200],
            choices=task.choices, due_on=task.due_on, opened_on=on)
        notify.send(person=to, kind="task", task=new, title=f"转办待办（{new.action}）：{approval.title}", body=note,
                    msg="workflow.reassigned", params={"action": new.action, "title": approval.title})
        audit_append(actor=actor, action="workflow.task.reassign", obj_type=OBJ, obj_id=str(approval.pk),
                     before={"task": task.pk, "assignee": task.assignee_id},
                     after={"task": new.pk, "assignee": to.pk, "note": note}, summary=f"{actor}转办给{to}")
    return new


def task_resign(*, actor: Person, task_id: int, opinion: str, decision: str = "") -> Task:
    """Re-sign (重新签署): replace one's own opinion on a finished step while the approval runs.
    The earlier opinion stays in the audit trail."""
    refuse_business(actor)  # no administrator account acts in the business (三权分立)
    task = access.task_for_resign(actor, task_id)
    opinion = (opinion or "").strip()
    if task.choices and decision not in task.choices:
        raise Refused(f"请选择意见：{'／'.join(task.choices)}", field="decision")
    if not opinion and not decision:
        raise Refused("请填写办理意见", field="opinion")
    with transaction.atomic():
        before = {"task": task.pk, "opinion": task.opinion, "decision": task.decision}
        won = Task.objects.filter(pk=task.pk, version=task.version).update(
            opinion=opinion, decision=decision or task.decision, version=F("version") + 1,
            completed_at=timezone.now())
        if not won:
            raise Conflict("意见已被修改，请刷新后再签署")
        task.refresh_from_db()
        audit_append(actor=actor, action="workflow.task.resign", obj_type=OBJ, obj_id=str(task.approval_id),
                     before=before, after={"task": task.pk, "opinion": task.opinion, "decision": task.decision},
                     summary=f"{actor}重新签署意见")
    return task


def _circulate(*, approval: Approval, actor: Person, people: Iterable[Person], note: str) -> list[Task]:
    created = []
    already = set(approval.tasks.filter(kind=Task.Kind.CIRCULATION, status=Task.Status.OPEN)
                  .values_list("assignee_id", flat=True))
    for person in sorted(people, key=lambda p: p.pk):
        if person.pk in already:
            continue
        task = Task.objects.create(approval=approval, kind=Task.Kind.CIRCULATION, step_id="circulation",
                                   stage=approval.stage, action="阅知", assignee=person, sender=actor, note=note,
                                   opened_on=rules.today())
        created.append(task)
    notify.send_all(notify.build(person=t.assignee, kind="circulation", task=t, title=f"（传阅）{approval.title}",
                                 body=note, msg="workflow.circulation", params={"title": approval.title})
                    for t in created)
    if created:
        audit_append(actor=actor, action="workflow.circulation.send", obj_type=OBJ, obj_id=str(approval.pk),
                     after={"to": [t.assignee_id for t in created], "note": note},
                     summary=f"{actor}传阅给{'、'.join(str(t.assignee) for t in created)}")
    return created


def circulation_send(*, actor: Person, approval_id: int, people: Iterable[Person], note: str) -> list[Task]:
    """Send the matter to chosen people to read and acknowledge (传阅), with a note on its purpose."""
    refuse_business(actor)  # no administrator account acts in the business (三权分立)
    people = list(people)
    for person in people:
        refuse_receiver(person)
    approval = access.approval_visible(actor, approval_id)
    if not people:
        raise Refused("请选择传阅对象", field="people")
    if not (note or "").strip():
        raise Refused("请说明传阅目的", field="note")
    with transaction.atomic():
        return _circulate(approval=approval, actor=actor, people=people, note=note.strip()[:200])


def circulation_ack(*, actor: Person, task_id: int) -> Task:
    refuse_business(actor)  # no administrator account acts in the business (三权分立)
    task = access.task_for_action(actor, task_id)
    if task.kind != Task.Kind.CIRCULATION:
        raise Refused("这不是传阅件", field="task_id")
    with transaction.atomic():
        _claim(task, status=Task.Status.DONE, actor=actor, completed_at=timezone.now(), completed_by_id=actor.pk)
        notify.mark_task_handled(task, actor)
        audit_append(actor=actor, action="workflow.circulation.ack", obj_type=OBJ, obj_id=str(task.approval_id),
                     after={"task": task.pk}, summary=f"{actor}已阅")
    return task


def circulation_cancel(*, actor: Person, approval_id: int, task_ids: Iterable[int] | None = None) -> int:
    """Cancel unread circulations in bulk (by their sender or the office). Approval opinions are untouched."""
    refuse_business(actor)  # no administrator account acts in the business (三权分立)
    approval = access.approval_visible(actor, approval_id)
    qs = approval.tasks.filter(kind=Task.Kind.CIRCULATION, status=Task.Status.OPEN)
    if not access.is_office(actor):
        qs = qs.filter(sender=actor)
    if task_ids is not None:
        qs = qs.filter(pk__in=list(task_ids))
    with transaction.atomic():
        ids = list(qs.values_list("pk", flat=True))
        n = Task.objects.filter(pk__in=ids, status=Task.Status.OPEN).update(
            status=Task.Status.CANCELLED, version=F("version") + 1)
        if n:
            audit_append(actor=actor, action="workflow.circulation.cancel", obj_type=OBJ, obj_id=str(approval.pk),
                         after={"tasks": ids}, summary=f"{actor}撤销传阅{n}件")
    return n


def task_nudge(*, actor: Person, task_id: int, note: str = "") -> Task:
    """催办: the originator, or the office, nudges the current assignee; each nudge is recorded."""
    refuse_business(actor)  # no administrator account acts in the business (三权分立)
    task = access.task_for_nudge(actor, task_id)
    with transaction.atomic():
        notify.send(person=task.assignee, kind="nudge", task=task, title=f"催办：{task.approval.title}",
                    body=(note or "请尽快办理").strip(), msg="workflow.reminder", params={"title": task.approval.title})
        audit_append(actor=actor, action="workflow.task.nudge", obj_type=OBJ, obj_id=str(task.approval_id),
                     after={"task": task.pk, "to": task.assignee_id, "note": note}, article=rules.article_of("W68.reminder"),
                     summary=f"{actor}催办{task.assignee}")
    return task


def phrase_add(*, actor: Person, text: str) -> SavedPhrase:
    refuse_business(actor)  # no administrator account acts in the business (三权分立)
    text = (text or "").strip()
    if not text:
        raise Refused("常用意见不能为空", field="text")
    if len(text) > 200:
        raise Refused("常用意见不能超过200字", field="text")
    if SavedPhrase.objects.filter(person=actor, text=text).exists():
        raise Refused("该常用意见已存在", field="text")
    with transaction.atomic():
        phrase = SavedPhrase.objects.create(person=actor, text=text, order=actor.saved_phrases.count())
        audit_append(actor=actor, action="workflow.phrase.add", obj_type="workflow.savedphrase",
                     obj_id=str(phrase.pk), after={"text": text})
    return phrase


def phrase_delete(*, actor: Person, phrase_id: int) -> None:
    phrase = SavedPhrase.objects.filter(pk=phrase_id, person=actor).first()
    if phrase is None:
        raise Refused("常用意见不存在", field="phrase_id", )
    with transaction.atomic():
        audit_append(actor=actor, action="workflow.phrase.delete", obj_type="workflow.savedphrase",
                     obj_id=str(phrase.pk), before={"text": phrase.text})
        phrase.delete()
