"""Agenda items (议题) waiting for a person to confirm them (确定议题, art. 58–62), as pending work
(zhengwu.workflow.pending): the 区长 for a 常务会议 or 区长办公会议 (the book's
`meetings.<type>.agenda_confirmed_by`), the 党组书记 for a 党组会议, the 区长 for a 全体会议 (the
post in `meetings.plenary.agenda_set_by`), the chair of a 专题会议. Only an item whose confirmation
is all that is missing (`selectors.item_readiness`) is waiting on him; an item that does not meet
art. 63 is its proposer's to complete, not his to confirm. Items of meetings the person may see
(access.visible_meetings), whose agenda is still open.
"""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.workflow.pending import Pending, register_pending_source

from . import access, facts, selectors
from .models import AgendaItem, Meeting

OBJ = "meetings.agenda_item"
AGENDA_OPEN = (Meeting.Status.PLANNED, Meeting.Status.PENDING, Meeting.Status.APPROVED)


def _confirmer_codes(meeting_type: str, on: dt.date) -> set[str] | None:
    """The posts that confirm items of this type of meeting; None: the meeting's chair does."""
    for name in (f"meetings.{meeting_type}.agenda_confirmed_by", f"meetings.{meeting_type}.agenda_set_by"):
        if facts.has_param(name, on):
            value = rules.param(name, on)
            if isinstance(value, dict):  # {meetings: [...], positions: [...]}
                value = value.get("positions", [])
            return {value} if isinstance(value, str) else set(value or ())
    return None


def awaiting_confirmation(person, on: dt.date) -> list[selectors.ItemReadiness]:
    """The proposed items ready for `person` to confirm, in meeting order."""
    if person is None or not getattr(person, "is_authenticated", False) or person.government_id is None:
        return []
    codes = set(facts.codes_of(person, on))
    items = (AgendaItem.objects.filter(status=AgendaItem.Status.PROPOSED, meeting__status__in=AGENDA_OPEN,
                                       meeting__in=access.visible_meetings(person, on=on))
             .select_related("meeting", "proposer", "dossier").order_by("meeting__starts_at", "order", "id"))
    found, confirmers = [], {}
    for item in items:
        kind = item.meeting.meeting_type
        if kind not in confirmers:
            confirmers[kind] = _confirmer_codes(kind, on)
        posts = confirmers[kind]
        if (item.meeting.chair_id != person.pk) if posts is None else not (posts & codes):
            continue
        readiness = selectors.item_readiness(item, on)
        if readiness.ready:
            found.append(readiness)
    return found


def confirmation_pending(person, on: dt.date):
    for r in awaiting_confirmation(person, on):
        m = r.item.meeting
        yield Pending(obj_type=OBJ, obj_id=str(r.item.pk), title=r.item.title, action="确定议题",
                      url=f"/meetings/{m.pk}/agenda/#item-{r.item.pk}", detail=m.title,
                      due_on=m.starts_at.date() if m.starts_at else None,
                      since=r.item.proposed_at.date() if r.item.proposed_at else None)


register_pending_source(confirmation_pending, name="meetings.agenda_confirm")
