"""The inbox (待办 / 已办 / 我发起的), a task's page (the 办文 page: its object first — from the
subject contract, through web.taskobject — then the action form with saved phrases and, where the
object's domain keeps drawings, the handwriting pad), an approval's page (公文处理单, 传阅 readers,
催办, history) and the notifications.

Views fetch through the access functions (one per object, STYLE 7), read through the selectors
and change state only through the workflow services. A `Refused` is shown with its message and
violations (`_refusal.html`), with the status the exception carries: 400 bad input (the form is
shown again with the field marked), 403 not allowed, 404 unknown, 409 changed meanwhile.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods

from zhengwu import rules
from zhengwu.audit import selectors as audit
from zhengwu.errors import Forbidden, NotFound, Refused
from zhengwu.web.pagecache import cached_page
from zhengwu.org import selectors as org
from zhengwu.org.models import Appointment, Person
from zhengwu.workflow import access, authority, notices, selectors, services
from zhengwu.workflow.models import Approval, Task
from zhengwu.web import home as homepage
from zhengwu.web import taskobject
from zhengwu.web.present import refused_page

PAGE_SIZE = selectors.PAGE  # 50 rows a page
BOXES = ("todo", "done", "mine")
PROMINENT_URGENCIES = ("特急", "特急重要")


# ---- small helpers ----------------------------------------------------------------------------

def _today() -> dt.date:
    return rules.today()


def _work_calendar():
    from zhengwu.workcalendar.selectors import work_calendar

    return work_calendar()


def _deadline(task: Task, today: dt.date, cal) -> dict:
    """Due date, working days left, overdue flag: what a row and a task page show."""
    overdue = selectors.is_overdue(task, today)
    left = selectors.workdays_left(task, today, cal)
    return {"due_on": task.due_on, "left": left, "overdue": overdue,
            "overdue_days": -left if (overdue and left is not None) else None,
            "due_today": left == 0 and not overdue, "soon": left is not None and 0 <= left <= 1}


def _urgency(value: str) -> dict:
    from zhengwu.web.templatetags.zw_labels import urgency_label

    return {"label": urgency_label(value), "prominent": value in PROMINENT_URGENCIES, "urgent": value == "加急",
            "normal": value == "一般"}


def _int_or_none(raw, field: str, label: str):
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Refused(f"{label}须为整数", field=field) from None


def _government(user):
    return user.government if user.government_id else org.current_government()


def _people_choices(gov, today: dt.date, exclude: set[int] = frozenset()) -> list[dict]:
    """The people of the government for a picker: those with a position first, in rank order,
    with their titles; then the others. Two queries, whatever the number of people."""
    if gov is None:
        return []
    appts = (Appointment.objects.filter(position__government=gov, person__is_active=True, start__lte=today)
             .filter(Q(end__isnull=True) | Q(end__gt=today))
             .select_related("person", "position").order_by("position__rank", "position__id"))
    seen: dict[int, dict] = {}
    for a in appts:
        entry = seen.setdefault(a.person_id, {"person": a.person, "titles": []})
        entry["titles"].append(a.position.title)
    rest = gov.people.filter(is_active=True).exclude(pk__in=list(seen)).order_by("username")
    people = list(seen.values()) + [{"person": p, "titles": []} for p in rest]
    return [e for e in people if e["person"].pk not in exclude]


def _eligible_choices(approval: Approval, task: Task, today: dt.date) -> list[dict]:
    """For 转办: only the people who may hold the step (its post's holder, whoever acts for it under
    art. 15, or whom the domain names), not the whole government."""
    if task.kind != Task.Kind.STEP:
        return _people_choices(_government(task.assignee), today, exclude={task.assignee_id})
    allowed = authority.eligible(approval, task, today).people - {task.assignee_id}
    return [e for e in _people_choices(_government(task.assignee), today) if e["person"].pk in allowed]


# ---- the inbox (home) -------------------------------------------------------------------------

def _acting_holders(acting_positions: list, today: dt.date) -> dict[int, Person]:
    """position id -> the person who holds it (and is away), for the 代…办理 marker."""
    holders = {}
    for pos in acting_positions:
        holder = org.holder_of(pos, today)
        if holder is not None:
            holders[pos.pk] = holder
    return holders


def _todo_row(task: Task, me: Person, today, cal, holders: dict) -> dict:
    on_behalf = None
    if task.assignee_id != me.pk:
        on_behalf = task.assignee
    elif task.position_id in holders and holders[task.position_id].pk != me.pk:
        on_behalf = holders[task.position_id]
    a = task.approval
    return {
        "task": task, "approval": a, "url": reverse("task", args=[task.pk]), "title": a.title,
        "action": task.action, "circulation": task.kind == Task.Kind.CIRCULATION,
        "urgency": _urgency(a.urgency), "from_unit": a.applicant_unit, "originator": a.originator,
        "sender": task.sender, "note": task.note, "deadline": _deadline(task, today, cal),
        "on_behalf": on_behalf, "received": task.created_at,
    }


def _done_row(task: Task, me: Person) -> dict:
    a = task.approval
    return {
        "task": task, "approval": a, "url": reverse("task", args=[task.pk]), "title": a.title,
        "action": task.action, "circulation": task.kind == Task.Kind.CIRCULATION,
        "urgency": _urgency(a.urgency), "from_unit": a.applicant_unit, "originator": a.originator,
        "status": task.get_status_display(), "status_code": task.status, "decision": task.decision,
        "opinion": task.opinion, "completed_at": task.completed_at,
        "on_behalf": task.assignee if task.assignee_id != me.pk else None,
    }


def _mine_row(approval: Approval, today, cal) -> dict:
    current = []
    for t in getattr(approval, "open_steps", []):
        current.append({"task": t, "assignee": t.assignee, "action": t.action, "deadline": _deadline(t, today, cal)})
    timed = [c["deadline"] for c in current if c["deadline"]["due_on"] is not None]
    return {
        "approval": approval, "url": reverse("approval", args=[approval.pk]), "title": approval.title,
        "urgency": _urgency(approval.urgency), "status": approval.get_status_display(),
        "status_code": approval.status, "started_on": approval.started_on, "current": current,
        "deadline": min(timed, key=lambda d: d["due_on"]) if timed else None,  # the one due first
        "overdue": any(c["deadline"]["overdue"] for c in current),
    }


def _inbox_columns(box: str):
    """The inbox's columns per tab (zhengwu.web.tables): what a clerk reads in a row — the title,
    whom it comes from, the step, the time limit, the state — each sortable where the database
    can order it (a started approval's current steps and their limits are judged per row)."""
    from zhengwu.web.tables import Column

    ctx = "inbox"
    if box == "mine":
        return (Column("title", pgettext_lazy(ctx, "Title"), order=("title",), css="title"),
                Column("step", pgettext_lazy(ctx, "Current step")),
                Column("due", pgettext_lazy(ctx, "Time limit"), css="nowrap"),
                Column("status", pgettext_lazy(ctx, "Status"), order=("status",), css="nowrap"),
                Column("started", pgettext_lazy(ctx, "Started"), order=("started_at",), css="nowrap num"))
    title = Column("title", pgettext_lazy(ctx, "Title"), order=("approval__title",), css="title")
    source = Column("from", pgettext_lazy(ctx, "From unit / originator"), order=("approval__applicant_unit__name",))
    step = Column("step", pgettext_lazy(ctx, "Current step"), order=("action",), css="nowrap")
    if box == "done":
        return (title, source, step, Column("status", pgettext_lazy(ctx, "Status"), order=("status",)),
                Column("handled", pgettext_lazy(ctx, "Handled"), order=("completed_at",), css="nowrap num"))
    return (title, source, step, Column("due", pgettext_lazy(ctx, "Time limit"), order=("due_on",), css="nowrap"),
            Column("received", pgettext_lazy(ctx, "Received"), order=("created_at",), css="nowrap num"))


@login_required
@cached_page
def home(request):
    """The inbox: 待办 / 已办 / 我发起的, 50 to a page; today and the person's positions beside."""
    me = request.user
    today = _today()
    cal = _work_calendar()
    box = request.GET.get("box", "todo")
    if box not in BOXES:
        box = "todo"
    acting = org.acted_for_by(me, today)

    from zhengwu.web.tables import Table

    # a column header sorts (in the database, before paging); without one, the tab's own order
    table = Table(request, _inbox_columns(box), keep=("box",), page_size=PAGE_SIZE)
    qs = table.apply(selectors.box(me, box, on=today, acting=[p.pk for p in acting]), tiebreak=("id",))
    if box == "mine":
        qs = qs.select_related("originator").prefetch_related(Prefetch(
            "tasks", to_attr="open_steps",
            queryset=Task.objects.filter(status=Task.Status.OPEN, kind=Task.Kind.STEP)
            .select_related("assignee").order_by("stage", "id")))
    elif box == "done":
        qs = qs.select_related("approval__applicant_unit")
    paginator = Paginator(qs, PAGE_SIZE)
    overdue_count = 0
    if box == "todo":  # the tab's total and every overdue task (not only this page's) in one query
        counted = qs.order_by().aggregate(total=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
        paginator.count, overdue_count = counted["total"], counted["overdue"]  # count: a cached_property
    page = paginator.get_page(request.GET.get("page"))

    if box == "todo":
        holders = _acting_holders(acting, today)
        rows = [_todo_row(t, me, today, cal, holders) for t in page.object_list]
    elif box == "done":
        rows = [_done_row(t, me) for t in page.object_list]
    else:
        rows = [_mine_row(a, today, cal) for a in page.object_list]
    if box != "mine":  # a row names whom the matter comes from (a 来文's 签发人), not the clerk who routed it
        senders = taskobject.senders_of([r["approval"] for r in rows])
        for r in rows:
            sender = senders.get(r["approval"].pk)
            if sender is not None and sender.person:
                r["originator"] = sender.person

    # pending work beside the tasks, the 待办/待阅 split, a leader's panels, the clerk's counts (web.home)
    extra = homepage.home_context(me, today, box=box, page_number=page.number, rows=rows, acting=acting, cal=cal)
    workday = cal.is_workday(today)
    groups = [{"read": False, "rows": rows}]
    if box == "todo":  # 待办, then 待阅 under its own heading (the split web.home made)
        groups = [{"read": False, "rows": [r for r in rows if not r["circulation"]]},
                  {"read": True, "rows": [r for r in rows if r["circulation"]]}]
    return render(request, "home.html", {
        **extra,
        "box": box, "page": page, "rows": rows, "total": page.paginator.count,
        "table": table, "groups": [g for g in groups if g["rows"]],
        "pager_query": f"box={box}&" + (f"sort={table.sort}&" if table.sort else ""),
        "today": today, "workday": workday, "holiday_name": cal.name_of(today) if hasattr(cal, "name_of") else "",
        "calendar_available": True, "acting_for": acting,
        "overdue_count": overdue_count,
        "tabs": [("todo", _("To do")), ("done", _("Done")), ("mine", _("Started by me"))],
    })


# ---- the 公文处理单: every step's opinion in route order, by rank within a stage ---------------

def _sheet(approval: Approval, route, today, cal, nudges: dict | None = None) -> tuple[list[dict], list[Task]]:
    """(step rows, circulation tasks) of an approval, from selectors.approval_tasks."""
    tasks = selectors.approval_tasks(approval)
    rows = []
    for t in tasks:
        if t.kind != Task.Kind.STEP:
            continue
        who = t.completed_by or t.assignee
        parallel = bool(route and t.stage < len(route.stages) and route.stages[t.stage].parallel)
        rows.append({
            "task": t, "stage": t.stage + 1, "label": selectors.step_label(route, t.step_id) or t.action, "parallel": parallel,
            "position": t.position, "person": who, "action": t.action, "decision": t.decision,
            "opinion": t.opinion, "at": t.completed_at, "status": t.get_status_display(), "status_code": t.status,
            "on_behalf": t.assignee if (t.completed_by_id and t.completed_by_id != t.assignee_id) else None,
            "sender": t.sender, "note": t.note, "open": t.status == Task.Status.OPEN,
            "deadline": _deadline(t, today, cal), "nudges": (nudges or {}).get(t.pk, []),
        })
    circulations = [t for t in tasks if t.kind == Task.Kind.CIRCULATION]
    return rows, circulations


def _reader_rows(circulations: list[Task], me: Person, *, office: bool | None = None) -> list[dict]:
    """Circulation tasks as rows; `cancellable` (the sender's or, with office=True, any unread one)
    only when `office` is given, i.e. on the approval page where the cancel form is."""
    rows = []
    for t in circulations:
        cancellable = (office is not None and t.status == Task.Status.OPEN
                       and (office or t.sender_id == me.pk))  # as services.circulation_cancel filters
        rows.append({"task": t, "person": t.assignee, "sender": t.sender, "note": t.note,
                     "status_code": t.status, "status": t.get_status_display(), "at": t.completed_at,
                     "cancellable": cancellable})
    return rows


def _header(approval: Approval, route) -> dict:
    return {"approval": approval, "route": route, "route_title": route.title if route else approval.route_id,
            "article": route.article if route else None, "urgency": _urgency(approval.urgency),
            "sender": taskobject.senders_of([approval]).get(approval.pk)}


# ---- a task's page ------------------------------------------------------------------------------

def _try(fn, *args, **kwargs):
    """An access function's answer as a value: the object, or None when it refuses."""
    try:
        return fn(*args, **kwargs)
    except Refused:
        return None


def _task_context(request, task: Task, *, form: dict | None = None, refusal: Refused | None = None) -> dict:
    me = request.user
    today = _today()
    cal = _work_calendar()
    approval = task.approval
    route = selectors.route_of(approval)
    rows, circulations = _sheet(approval, route, today, cal)
    actionable = _try(access.task_for_action, me, task.pk, on=today) is not None
    reassignable = task.kind == Task.Kind.STEP and _try(access.task_for_reassign, me, task.pk, on=today) is not None
    resignable = _try(access.task_for_resign, me, task.pk) is not None
    on_behalf = None
    if actionable and task.assignee_id != me.pk:
        on_behalf = task.assignee
    elif actionable and task.position_id:
        holders = _acting_holders([p for p in org.acted_for_by(me, today) if p.pk == task.position_id], today)
        on_behalf = holders.get(task.position_id)
    form = form or {}
    step_history = taskobject.step_sentences([r["task"] for r in rows] + circulations)
    part = taskobject.object_part(request, task, me, extra={"step_history": step_history})
    return {
        **_header(approval, route), "task": task, "rows": rows, "circulations": _reader_rows(circulations, me),
        "object": part, "step_history": step_history,
        # the handwriting pad: where the object's domain keeps drawings, on a step one may act on now
        "pad": actionable and task.kind == Task.Kind.STEP and not part.refusal
        and taskobject.handwriting_for(approval.obj_type) is not None,
        "step_label": selectors.step_label(route, task.step_id), "deadline": _deadline(task, today, cal),
        "circulation": task.kind == Task.Kind.CIRCULATION, "on_behalf": on_behalf,
        "actionable": actionable, "reassignable": reassignable, "resignable": resignable,
        "phrases": list(me.saved_phrases.all()) if (actionable or resignable) else [],
        "people": _eligible_choices(approval, task, today) if reassignable else [],
        "can_see_approval": _try(access.approval_visible, me, approval.pk, on=today) is not None,
        "form": form, "refusal": refusal, "error_field": refusal.field if refusal else None,
        "op": form.get("op"),
    }


def _done_message(op: str, title: str, to: str = "") -> str:
    if op == "complete":
        return _("Done: %(title)s") % {"title": title}
    if op == "return":
        return _("Returned: %(title)s") % {"title": title}
    if op == "reassign":
        return _("Handed over to %(to)s: %(title)s") % {"to": to, "title": title}
    if op == "ack":
        return _("Read: %(title)s") % {"title": title}
    return _("Opinion signed again: %(title)s") % {"title": title}


def _attach_handwriting(me, task: Task, drawing: str) -> None:
    """Keep the drawing through the object's domain (inside the caller's transaction)."""
    attach = taskobject.handwriting_for(task.approval.obj_type)
    if attach is None or task.kind != Task.Kind.STEP:
        raise Refused("该事项不支持手写签批，请用文字填写意见", field="signature")
    attach(actor=me, task_id=task.pk, data_url=drawing, on=_today())


@login_required
@require_http_methods(["GET", "POST"])
def task_page(request, pk: int):
    me = request.user
    try:
        task = access.task_visible(me, pk)
    except Forbidden as e:
        if request.method == "POST":  # acting on a step that is not theirs: the engine's answer, citing the article
            try:
                (access.task_for_reassign if request.POST.get("op") == "reassign" else access.task_for_action)(me, pk)
            except Refused as why:
                return refused_page(request, why)
        return refused_page(request, e)
    except Refused as e:
        return refused_page(request, e)
    if request.method == "GET":
        notices.notifications_seen(person=me, task=task)  # opened: its notices are read (the bell too)
        return render(request, "tasks/task.html", _task_context(request, task))

    post = request.POST
    op = post.get("op", "")
    opinion = post.get("opinion", "")
    if not opinion.strip() and post.get("phrase", "").strip():
        opinion = post["phrase"].strip()  # a saved phrase chosen without JS
    form = {"op": op, "opinion": opinion, "decision": post.get("decision", ""),
            "note": post.get("note", ""), "to": post.get("to", ""), "version": post.get("version", "")}
    try:
        version = _int_or_none(form["version"], "version", "版本号")
        drawing = (post.get("signature") or "").strip() if op in ("complete", "return") else ""
        if op in ("complete", "return"):
            with transaction.atomic():  # the drawing and the step commit together, or neither
                if drawing:
                    _attach_handwriting(me, task, drawing)
                if op == "complete":
                    opinion = form["opinion"]
                    if drawing and not opinion.strip() and not task.choices:
                        opinion = taskobject.HANDWRITTEN_OPINION
                    done = services.task_complete(actor=me, task_id=task.pk, opinion=opinion,
                                                  decision=form["decision"], version=version)
                else:
                    done = services.task_return(actor=me, task_id=task.pk, opinion=form["opinion"], version=version)
        elif op == "reassign":
            to_id = _int_or_none(form["to"], "to", "转办对象")
            gov = _government(me)
            to = org.person_get(gov, to_id) if (gov is not None and to_id is not None) else None
            done = services.task_reassign(actor=me, task_id=task.pk, to=to, note=form["note"], version=version)
        elif op == "resign":
            done = services.task_resign(actor=me, task_id=task.pk, opinion=form["opinion"], decision=form["decision"])
        elif op == "ack":
            done = services.circulation_ack(actor=me, task_id=task.pk)
        else:
            raise Refused("请选择办理方式", field="op")
    except (Forbidden, NotFound) as e:
        return refused_page(request, e)
    except Refused as e:
        task = access.task_visible(me, task.pk)  # fresh state (another person may have acted)
        return render(request, "tasks/task.html", _task_context(request, task, form=form, refusal=e),
                      status=e.status)
    messages.success(request, _done_message(op, task.approval.title, str(done.assignee) if op == "reassign" else ""))
    if op == "resign":
        return redirect("task", pk=task.pk)
    return redirect(reverse("home") + "?box=todo")


# ---- an approval's page ---------------------------------------------------------------------------

def _nudges_by_task(events) -> dict[int, list]:
    found: dict[int, list] = {}
    for ev in events:
        if ev.action == "workflow.task.nudge" and isinstance(ev.after, dict):
            tid = ev.after.get("task")
            if isinstance(tid, int):
                found.setdefault(tid, []).append(ev)
    return found


def _approval_context(request, approval: Approval, *, form: dict | None = None,
                      refusal: Refused | None = None) -> dict:
    me = request.user
    today = _today()
    cal = _work_calendar()
    route = selectors.route_of(approval)
    events = list(audit.history_for("workflow.approval", str(approval.pk)))
    rows, circulations = _sheet(approval, route, today, cal, nudges=_nudges_by_task(events))
    office = access.is_office(me, today)
    for row in rows:
        # The one access function decides who may nudge (the originator, the office).
        row["may_nudge"] = row["open"] and (_try(access.task_for_nudge, me, row["task"].pk) is not None)
    readers = _reader_rows(circulations, me, office=office)
    form = form or {}
    chosen = {str(x) for x in form.get("people", [])}
    return {
        **_header(approval, route), "rows": rows, "readers": readers,
        "read_count": sum(1 for r in readers if r["status_code"] == Task.Status.DONE),
        "unread_count": sum(1 for r in readers if r["status_code"] == Task.Status.OPEN),
        "cancellable": [r for r in readers if r["cancellable"]],
        "events": events, "may_nudge_any": any(r["may_nudge"] for r in rows),
        "people": _people_choices(_government(me), today, exclude={me.pk}), "chosen": chosen,
        "form": form, "refusal": refusal, "error_field": refusal.field if refusal else None, "op": form.get("op"),
        "running": approval.status == Approval.Status.RUNNING,
    }


@login_required
@require_http_methods(["GET", "POST"])
def approval_page(request, pk: int):
    me = request.user
    try:
        approval = access.approval_visible(me, pk)
    except Refused as e:
        return refused_page(request, e)
    if request.method == "GET":
        notices.notifications_seen(person=me, approval=approval)  # opened: its notices are read (the bell too)
        return render(request, "tasks/approval.html", _approval_context(request, approval))

    post = request.POST
    op = post.get("op", "")
    form = {"op": op, "note": post.get("note", ""), "people": post.getlist("people"), "tasks": post.getlist("task")}
    try:
        if op == "nudge":
            task_id = _int_or_none(post.get("task"), "task_id", "待办编号")
            if task_id is None:
                raise Refused("请选择要催办的待办", field="task_id")
            if access.task_for_nudge(me, task_id).approval_id != approval.pk:
                raise NotFound(f"待办{task_id}不属于该审批", field="task_id")
            task = services.task_nudge(actor=me, task_id=task_id, note=post.get("nudge_note", ""))
            messages.success(request, _("Nudged %(person)s; the nudge is recorded in the history.")
                             % {"person": task.assignee})
        elif op == "circulate":
            gov = _government(me)
            ids = [_int_or_none(x, "people", "传阅对象") for x in form["people"]]
            people = [p for p in (org.person_get(gov, i) for i in ids if i is not None) if p is not None] if gov else []
            if len(people) != len([i for i in ids if i is not None]):
                raise Refused("传阅对象不存在", field="people")
            sent = services.circulation_send(actor=me, approval_id=approval.pk, people=people, note=form["note"])
            if sent:
                messages.success(request, _("Circulated to %(people)s") % {"people": "、".join(str(t.assignee) for t in sent)})
            else:
                messages.info(request, _("Everyone chosen already has it to read; nothing sent again."))
        elif op == "cancel_circulation":
            ids = [_int_or_none(x, "task_ids", "传阅编号") for x in form["tasks"]]
            n = services.circulation_cancel(actor=me, approval_id=approval.pk,
                                            task_ids=[i for i in ids if i is not None] or None)
            if n:
                messages.success(request, _("Cancelled %(n)s unread circulation(s)") % {"n": n})
            else:
                messages.info(request, _("No unread circulation to cancel."))
        else:
            raise Refused("请选择办理方式", field="op")
    except (Forbidden, NotFound) as e:
        if e.status == 404 and e.field == "approval_id":
            return refused_page(request, e)
        return render(request, "tasks/approval.html", _approval_context(request, approval, form=form, refusal=e),
                      status=e.status)
    except Refused as e:
        return render(request, "tasks/approval.html", _approval_context(request, approval, form=form, refusal=e),
                      status=e.status)
    return redirect("approval", pk=approval.pk)


# ---- notifications ------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def notifications_page(request):
    me = request.user
    if request.method == "POST":
        ids = request.POST.getlist("id") or None
        try:
            n = notices.notifications_mark_read(actor=me, ids=ids)
        except Refused as e:
            page = Paginator(selectors.notifications(me), PAGE_SIZE).get_page(request.GET.get("page"))
            return render(request, "notifications/list.html", {"page": page, "refusal": e}, status=e.status)
        if n:
            messages.success(request, _("Marked %(n)s notification(s) read") % {"n": n})
        target = reverse("notifications")
        back = request.POST.get("page", "")
        if back.isdigit() and back != "1":
            target += "?page=" + back
        return redirect(target)
    page = Paginator(selectors.notifications(me), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})
