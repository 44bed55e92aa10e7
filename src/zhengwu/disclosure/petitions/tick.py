"""The 信访 register's part of `zhengwu tick` (idempotent: notifications are keyed, the flag is set once):
- a case not routed within petitions.route_days, or routed but its petitioner not told within
  petitions.notice_days: the 信访 office is told (R43.route_in_time / R43.notice_in_time);
- a case in handling past its due date (60 days, + an approved extension): flagged (`overdue_flagged_on`,
  audited, citing art. 43) and escalated to the unit's head and its 分管 leader, the office told;
- a 复查/复核 not answered in time: the office is reminded.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.disclosure.models import as_stored
from zhengwu.errors import Conflict
from zhengwu.org import selectors as org
from zhengwu.rulebook import declare, note_exercised
from zhengwu.rulebook.rules.petitions import HandlingFacts
from zhengwu.transitions import transition
from zhengwu.workflow import notify

from . import services
from .models import Petition, PetitionReview

S = Petition.Status
ROUTING_LATE = declare("W43.routing_late", article=43, kind="reminder",
                       summary="信访事项逾期未转送交办或未书面告知信访人的提醒")
OVERDUE = declare("W43.overdue", article=43, kind="reminder",
                  summary="信访事项超过办理期限未办结的标记和督办（承办单位负责人、分管区政府领导）")
REVIEW_LATE = declare("W43.review_late", article=43, kind="reminder", summary="复查、复核逾期未答复的提醒")


def petitions_tick(on: dt.date) -> str:
    routing = _routing_late(on)
    flagged = 0
    for p in Petition.objects.filter(status=S.HANDLING, due_on__lt=on, overdue_flagged_on__isnull=True) \
            .select_related("unit"):
        if _flag(p, on):
            flagged += 1
    reviews = _reviews_late(on)
    return f"{routing} routing/notice reminders, {flagged} overdue petitions flagged, {reviews} late review reminders"


def _routing_late(on: dt.date) -> int:
    sent = 0
    late = Petition.objects.filter(status__in=[S.REGISTERED, S.OBJECTED], route_due_on__lt=on) | \
        Petition.objects.filter(noticed_on__isnull=True, notice_due_on__lt=on,
                                status__in=[S.REGISTERED, S.ROUTED, S.OBJECTED, S.HANDLING])
    for p in late.distinct():
        what = "转送交办" if p.status in (S.REGISTERED, S.OBJECTED) else "书面告知信访人"
        with transaction.atomic():
            for person in services._office_people(p.government_id, on):
                if notify.send(person=person, kind="escalation", title=f"信访事项逾期未{what}：{p.subject}",
                               body=f"{p.number}登记于{p.received_on.isoformat()}", link=f"/disclosure/petitions/cases/{p.pk}/",
                               key=f"petitions:late:{what}:{p.pk}:{person.pk}"):
                    sent += 1
                    note_exercised(ROUTING_LATE)
    return sent


def _flag(p: Petition, on: dt.date) -> bool:
    found = rules.check("petitions.handling", HandlingFacts(as_of=on, due_on=p.due_on, answered_on=p.answered_on,
                                                            extended=p.extension_status == "approved"), on=on)
    if not found:
        return False
    with transaction.atomic():
        try:
            transition(p, expect=[S.HANDLING], where={"overdue_flagged_on__isnull": True}, versioned=False,
                       overdue_flagged_on=on, field="petition_id")
        except Conflict:
            return False
        people = [org.unit_head(p.unit, on), org.leader_of_unit(p.unit, on), *services._office_people(p.government_id, on)]
        for person in org.distinct_people(*people):
            notify.send(person=person, kind="escalation", title=f"信访事项逾期未办结：{p.subject}",
                        msg="petitions.overdue", params={"title": p.subject},
                        body=found[0].message, link=f"/disclosure/petitions/cases/{p.pk}/",
                        key=f"petitions:overdue:{p.pk}:{p.due_on}:{person.pk}")
        audit_append(actor=None, action="petitions.petition.overdue", obj_type=services.OBJ, obj_id=str(p.pk),
                     article=found[0].article, summary=f"信访事项逾期未办结，督办：{p.number} {p.subject}",
                     after={"due_on": p.due_on.isoformat(), "flagged_on": on.isoformat()})
        note_exercised(OVERDUE)
    return True


def _reviews_late(on: dt.date) -> int:
    sent = 0
    for review in PetitionReview.objects.filter(decided_on__isnull=True, due_on__lt=on).select_related("petition"):
        p = review.petition
        with transaction.atomic():
            for person in services._office_people(p.government_id, on):
                if notify.send(person=person, kind="escalation",
                               title=f"{as_stored(review.get_level_display)}逾期未答复：{p.subject}",
                               body=f"应于{review.due_on.isoformat()}前答复", link=f"/disclosure/petitions/cases/{p.pk}/",
                               key=f"petitions:review-late:{review.pk}:{person.pk}"):
                    sent += 1
                    note_exercised(REVIEW_LATE)
    return sent
