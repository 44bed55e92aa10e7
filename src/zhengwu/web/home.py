"""What the home page (`/`, web.inbox.home) shows above and inside the inbox, by who the person is.

- Everyone: pending work that is not an engine task (zhengwu.workflow.pending: a 来文 waiting in
  the intake queue, an agenda item waiting for the 区长's confirmation), on the 待办 tab; the tab's
  tasks split into 待办 (steps) and 待阅 (传阅).
- A leader (区长, 常务副区长, 副区长 — held or acted for today): today's and this week's 日程 from
  the leaders' calendar (affairs.leave.calendar: meetings chaired or attended, leave, visits …),
  then the agenda items awaiting his confirmation, his 批示 (open steps with a due date, the
  earliest first), what is overdue in his portfolio (分管: the supervision items its units lead, the
  documents of its units with a step past its time limit), the 三重一大
  matters awaiting decision, and 待阅 (传阅 to read, unread notices).
- The office's staff (文书, 秘书 …): the counts 待登记, 待呈批, 待印发, 待归档, each a link to its list.

Every list comes from the domain's selectors and access functions (what the person may see); this
module only gathers them. Read-only: nothing here writes.
"""

from __future__ import annotations

import datetime as dt

from zhengwu.org import selectors as org
from zhengwu.workflow import pending
from zhengwu.workflow.models import Notification, Task

SOON_WORKDAYS = 3  # a 批示 due within this many working days is "due soon"
LEADER_LIST = 6  # rows per leader panel (the full lists are one link away)
NOTICES = 5  # unread notices in the leader's 待阅


def is_leader(person, on: dt.date) -> bool:
    return any(p.code in org.LEADER_CODES for p in org.positions_held(person, on))


def _calendar(person, on: dt.date) -> dict:
    from zhengwu.affairs.leave import calendar as leaders_calendar

    monday, sunday = leaders_calendar.week_of(on)
    government = person.government if person.government_id else org.current_government()
    if government is None:
        return {"today": [], "week": []}
    found = leaders_calendar.entries(government, monday, sunday, [person.pk])
    return {"today": [e for e in found if e.day == on], "week": [e for e in found if e.day > on],
            "monday": monday, "sunday": sunday,
            "url": f"/affairs/leave/calendar/?week={monday.isoformat()}&leader={person.pk}"}


def _instructions(person, on: dt.date, acting: list[int], cal) -> list[dict]:
    """His open steps with a due date (批示, 签发, 审核 …), the earliest first; `soon` when due within
    SOON_WORKDAYS working days or overdue."""
    from zhengwu.workflow import selectors

    rows = []
    tasks = (selectors.todo(person, on=on, acting=acting)
             .filter(kind=Task.Kind.STEP, due_on__isnull=False)[:LEADER_LIST])
    for t in tasks:
        left = selectors.workdays_left(t, on, cal)
        rows.append({"task": t, "title": t.approval.title, "action": t.action, "url": f"/tasks/{t.pk}/",
                     "due_on": t.due_on, "left": left, "overdue": left is not None and left < 0,
                     "overdue_days": -left if (left is not None and left < 0) else None,
                     "soon": left is not None and 0 <= left <= SOON_WORKDAYS})
    return rows


def _overdue_in_portfolio(person, on: dt.date, cal) -> list[dict]:
    """What is overdue in his portfolio (分管), among what he may see, the longest overdue first:
    supervision items past their limit whose lead unit is in his portfolio, and documents of those
    units in approval with a step past its time limit (art. 68: the 批示 of a 来文, the 核稿/签发 of
    a 发文 — whoever holds the step)."""
    from zhengwu.supervision import access as sv_access
    from zhengwu.supervision import selectors as sv
    from zhengwu.supervision.models import ItemUnit

    units = sv_access.portfolio_unit_ids(person, on)
    if not units:
        return []
    items = (sv_access.visible_items(person, on=on)
             .filter(status__in=sv.WITH_UNIT, due_on__lt=on, units__role=ItemUnit.Role.LEAD, units__unit_id__in=units)
             .distinct().prefetch_related("units__unit").order_by("due_on", "id")[:LEADER_LIST])
    rows = []
    for item in items:
        light = sv.light(item, on, cal)
        lead = sv.lead_of(item)
        rows.append({"kind": "supervision", "item": item, "title": item.title, "url": f"/supervision/{item.pk}/",
                     "due_on": item.due_on,
                     "late": -light.days_left if light.days_left is not None else None, "listed": light.listed,
                     "unit": (lead.unit.short_name or lead.unit.name) if lead else ""})
    rows += _overdue_documents(person, on, cal, units)
    rows.sort(key=lambda r: (r["due_on"], r["title"]))
    return rows[:LEADER_LIST]


def _overdue_documents(person, on: dt.date, cal, units) -> list[dict]:
    """Documents of his portfolio's units in approval whose earliest open step is past its due date
    (one query: the earliest due date as a subquery)."""
    from django.db.models import OuterRef, Subquery

    from zhengwu.documents import access as doc_access
    from zhengwu.documents.models import Document

    first_due = (Task.objects.filter(approval_id=OuterRef("approval_id"), status=Task.Status.OPEN,
                                     kind=Task.Kind.STEP, due_on__isnull=False)
                 .order_by("due_on").values("due_on")[:1])
    docs = (doc_access.visible_documents(person, on=on)
            .filter(unit_id__in=units, status=Document.Status.IN_APPROVAL, approval__isnull=False)
            .annotate(step_due=Subquery(first_due)).filter(step_due__lt=on)
            .select_related("unit").order_by("step_due", "id")[:LEADER_LIST])
    return [{"kind": "document", "item": d, "title": d.title, "url": f"/documents/{d.pk}/", "due_on": d.step_due,
             "late": cal.count_workdays(d.step_due, on), "listed": False,
             "unit": d.unit.short_name or d.unit.name} for d in docs]


def _major_decisions(person, on: dt.date) -> list:
    """三重一大 matters ready for, or on, a meeting's agenda: awaiting the collective decision."""
    from zhengwu.decisions import access as dc_access
    from zhengwu.decisions.models import MajorDecision

    S = MajorDecision.Status
    return list(dc_access.visible_dossiers(person, on=on).filter(status__in=(S.READY, S.ON_AGENDA))
                .select_related("proposing_unit").order_by("id")[:LEADER_LIST])


def _to_read(person, rows: list[dict]) -> dict:
    """待阅: the 传阅 on this page of the inbox, and unread notices that are not about a task."""
    notices = list(Notification.objects.filter(person=person, read_at__isnull=True, task__isnull=True)
                   .order_by("-created_at", "-id")[:NOTICES])
    circulations = [r for r in rows if r.get("circulation")]
    return {"circulations": circulations, "notices": notices, "count": len(circulations) + len(notices)}


def leader_context(person, on: dt.date, *, acting: list, cal, rows: list[dict], pending_rows: list) -> dict:
    return {
        "calendar": _calendar(person, on),
        "confirm": [r for r in pending_rows if r.obj_type == "meetings.agenda_item"],
        "instructions": _instructions(person, on, [p.pk for p in acting], cal),
        "overdue": _overdue_in_portfolio(person, on, cal),
        "decisions": _major_decisions(person, on),
        "to_read": _to_read(person, rows),
    }


def desk_counts(person, on: dt.date) -> list[dict] | None:
    """The office clerk's four counts with the links to their lists; None for anyone else."""
    from zhengwu.documents.desk import office_counts

    found = office_counts(person, on)
    if found is None:
        return None
    return [
        {"key": "to_register", "n": found["to_register"], "url": "/documents/intake/#q-sub"},
        {"key": "to_present", "n": found["to_present"], "url": "/documents/intake/#q-reg"},
        {"key": "to_issue", "n": found["to_issue"], "url": "/documents/?tab=outgoing&status=signed"},
        {"key": "to_file", "n": found["to_file"], "url": "/documents/?tab=outgoing&filed=no",
         "parts": [{"key": "in", "n": found["to_file_in"], "url": "/documents/?tab=incoming&filed=no"},
                   {"key": "out", "n": found["to_file_out"], "url": "/documents/?tab=outgoing&filed=no"}]},
    ]


def home_context(person, on: dt.date, *, box: str, page_number: int, rows: list[dict], acting: list, cal) -> dict:
    """The extra context of the home page: pending rows (on the first page of 待办), the 待办/待阅
    split of the tab's rows, the leader's panels and the clerk's counts."""
    pending_rows = pending.pending_for(person, on) if box == "todo" else []
    if box == "todo":
        steps = [r for r in rows if not r.get("circulation")]
        reads = [r for r in rows if r.get("circulation")]
        rows[:] = steps + reads  # 待办 first, then 待阅
        if reads:
            reads[0]["first_read"] = True
    leader = None
    if is_leader(person, on):
        leader = leader_context(person, on, acting=acting, cal=cal, rows=rows, pending_rows=pending_rows)
    return {
        "pending_rows": [r for r in pending_rows if r.kind == pending.TODO] if page_number == 1 else [],
        "leader": leader,
        "desk": desk_counts(person, on),
    }
