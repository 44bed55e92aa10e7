"""The ledger's part of `zhengwu tick` (idempotent: every notification is keyed, 挂牌督办 is set once):
- yellow: the lead unit's responsible head is reminded before the due date (催办);
- red: the lead unit and the 督查指挥中心 are told the item is overdue;
- red for more than `supervision.listed_after_overdue_days` working days: the item is 挂牌督办
  (`listed_on`, audited) and the 分管 leader of the lead unit is told (art. 46, 50);
- a 复核 not decided within `supervision.review_decide_days` (its due date passed): whoever may
  decide it is reminded, once (政府督查工作条例 art. 17).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Conflict
from zhengwu.org import selectors as org
from zhengwu.rulebook import declare, note_exercised
from zhengwu.transitions import transition
from zhengwu.workflow import notify

from . import selectors
from .models import ItemUnit, SupervisionItem

REMINDER = declare("W50.reminder", article=50, kind="reminder", summary="督查事项到期前催办、逾期提醒")
CO_OPINION = declare("W48.co_opinion", article=48, kind="reminder",
                     summary="协办单位交办后限期向牵头单位反馈意见的提醒")
REVIEW_LATE = declare("W50.review_late", article=50, kind="reminder",
                      summary="复核申请逾期未作出复核决定的提醒（《政府督查工作条例》第十七条）")
LISTING = declare("W46.listing", article=46, kind="reminder",
                  summary="逾期督查事项挂牌督办并告知分管区政府领导")


def supervision_tick(on: dt.date) -> str:
    reminded = overdue = listed = 0
    items = selectors.ledger(SupervisionItem.objects.filter(status__in=selectors.WITH_UNIT, due_on__isnull=False)
                             .select_related("government"))
    for item, lt in selectors.with_lights(items, on):
        lead = selectors.lead_of(item)
        if lead is None:
            continue
        with transaction.atomic():
            if lt.colour == selectors.YELLOW:
                if notify.send(person=lead.head, kind="reminder", title=f"督查事项临近期限：{item.title}",
                               msg="supervision.due_soon",
                               params={"title": item.title, "body_msg": "supervision.due_soon",
                                       "number": item.number, "due": item.due_on.isoformat(), "days": lt.days_left},
                               body=f"{item.number}办结期限{item.due_on.isoformat()}，还有{lt.days_left}个工作日",
                               link=f"/supervision/{item.pk}/", key=f"supervision:yellow:{item.pk}:{item.due_on}"):
                    reminded += 1
                    note_exercised(REMINDER)
            elif lt.colour == selectors.RED:
                sent = notify.send(person=lead.head, kind="escalation", title=f"督查事项已逾期：{item.title}",
                                   msg="supervision.overdue",
                                   params={"title": item.title, "body_msg": "supervision.overdue",
                                           "number": item.number, "due": item.due_on.isoformat(),
                                           "days": -lt.days_left},
                                   body=f"{item.number}办结期限{item.due_on.isoformat()}，已逾期{-lt.days_left}个工作日",
                                   link=f"/supervision/{item.pk}/", key=f"supervision:red:{item.pk}:{item.due_on}")
                if sent:
                    overdue += 1
                    note_exercised(REMINDER)
                if lt.listed and item.listed_on is None and _list(item, lead, lt, on):
                    listed += 1
    opinions = _co_opinion_reminders(on)
    reviews = _late_review_reminders(on)
    return (f"{reminded} reminders, {overdue} overdue notices, {listed} items listed for supervision (挂牌督办), "
            f"{opinions} co-unit opinion reminders, {reviews} late review reminders")


def _late_review_reminders(on: dt.date) -> int:
    """A pending 复核 past its due date (`supervision.review_decide_days` after the request): the
    people who may decide it (the center and its 分管 leader, never whoever concluded) are told once."""
    from .models import Review
    from .services import _review_deciders

    sent = 0
    for review in Review.objects.filter(status=Review.Status.PENDING, due_on__lt=on).select_related(
            "item__supervising_unit", "item__government"):
        with transaction.atomic():
            for person in _review_deciders(review.item, on):
                if notify.send(person=person, kind="escalation", title=f"复核逾期未决定：{review.item.title}",
                               msg="supervision.review_overdue", params={"title": review.item.title},
                               body=f"{review.item.number}的复核申请应于{review.due_on.isoformat()}前作出决定，已逾期",
                               link=f"/supervision/{review.item_id}/",
                               key=f"supervision:review-late:{review.pk}:{person.pk}"):
                    sent += 1
                    note_exercised(REVIEW_LATE)
    return sent


def _co_opinion_reminders(on: dt.date) -> int:
    """Co-units that have given no opinion `supervision.co_unit_opinion_days` after 交办 are reminded once."""
    from .models import ProgressReport

    days = int(rules.param("supervision.co_unit_opinion_days", on))
    late = (ItemUnit.objects.filter(role=ItemUnit.Role.CO, item__status__in=selectors.WITH_UNIT,
                                    item__assigned_on__lte=on - dt.timedelta(days=days))
            .select_related("item", "unit", "head"))
    given = set(ProgressReport.objects.filter(kind=ProgressReport.Kind.OPINION, item__in={u.item_id for u in late})
                .values_list("item_id", "unit_id"))
    sent = 0
    for u in late:
        if (u.item_id, u.unit_id) in given:
            continue
        due = u.item.assigned_on + dt.timedelta(days=days)
        with transaction.atomic():
            if notify.send(person=u.head, kind="reminder", title=f"请向牵头单位反馈协办意见：{u.item.title}",
                           msg="supervision.co_opinion_due", params={"title": u.item.title},
                           body=f"{u.item.number}已于{u.item.assigned_on.isoformat()}交办，协办意见应于{due.isoformat()}前反馈",
                           link=f"/supervision/{u.item_id}/", key=f"supervision:co-opinion:{u.item_id}:{u.unit_id}"):
                sent += 1
                note_exercised(CO_OPINION)
    return sent


def _list(item: SupervisionItem, lead: ItemUnit, lt, on: dt.date) -> bool:
    try:
        transition(item, expect=list(selectors.WITH_UNIT), versioned=False, where={"listed_on__isnull": True},
                   listed_on=on)
    except Conflict:
        return False  # another run listed it
    note_exercised(LISTING)
    leader = org.leader_of_unit(lead.unit, on)
    for person in filter(None, {leader, lead.head}):
        notify.send(person=person, kind="escalation", title=f"挂牌督办：{item.title}",
                    msg="supervision.listed", params={"title": item.title},
                    body=f"{lead.unit.name}牵头的{item.number}已逾期{-lt.days_left}个工作日，列为挂牌督办事项",
                    link=f"/supervision/{item.pk}/", key=f"supervision:listed:{item.pk}:{person.pk}")
    audit_append(actor=None, action="supervision.item.list", obj_type="supervision.item", obj_id=str(item.pk),
                 after={"listed_on": on.isoformat(), "overdue_workdays": -lt.days_left,
                        "leader": leader.pk if leader else None},
                 article=rules.article_of(LISTING, on), summary=f"挂牌督办：{item.number} {item.title}")
    return True
