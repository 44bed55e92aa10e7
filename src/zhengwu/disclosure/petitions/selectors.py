"""Reading the 信访 register: the clock a case is on now and its light (calendar days, art. 43).

- 登记 / 异议: the routing period (petitions.route_days from 登记);
- 已转送 not yet noticed: the notice period (petitions.notice_days from 登记);
- 办理中: the handling period (petitions.handle_days from 受理, + an approved extension);
- 复查中 / 复核中: the answer period of the pending request.
Green while more than petitions.yellow_days calendar days are left, yellow then, red once passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from zhengwu import rules
from zhengwu.rulebook import declare, note_exercised

from .models import Petition

S = Petition.Status
LIGHTS = declare("W43.lights", article=43, kind="register",
                 summary="信访事项红黄绿灯（转送交办、书面告知、办理、复查复核期限，按日历日）")
GREEN, YELLOW, RED = "green", "yellow", "red"
OPEN = (S.REGISTERED, S.ROUTED, S.OBJECTED, S.HANDLING, S.REVIEW, S.RECHECK)


@dataclass(frozen=True)
class Light:
    colour: str  # green / yellow / red / "" (no clock running)
    due_on: dt.date | None
    clock: str  # what is due
    days_left: int | None


def clock(p: Petition) -> tuple[str, dt.date | None]:
    """What is due next and by when; the label is shown before the date, in the reader's language."""
    if p.status in (S.REGISTERED, S.OBJECTED):
        return pgettext_lazy("petition clock", "route by"), p.route_due_on
    if p.status == S.ROUTED and p.noticed_on is None:
        return pgettext_lazy("petition clock", "written notice by"), p.notice_due_on
    if p.status == S.HANDLING:
        return pgettext_lazy("petition clock", "handle by"), p.due_on
    if p.status in (S.REVIEW, S.RECHECK):
        review = next((r for r in p.reviews.all() if r.decided_on is None), None)
        what = (pgettext_lazy("petition clock", "review opinion by") if p.status == S.REVIEW
                else pgettext_lazy("petition clock", "re-examination opinion by"))
        return what, review.due_on if review else None
    return "", None


def light(p: Petition, on: dt.date | None = None) -> Light:
    on = on or rules.today()
    what, due = clock(p)
    if due is None:
        return Light("", None, what, None)
    note_exercised(LIGHTS)
    left = (due - on).days
    if left < 0:
        colour = RED
    elif left <= int(rules.param("petitions.yellow_days", on)):
        colour = YELLOW
    else:
        colour = GREEN
    return Light(colour, due, what, left)


def with_lights(qs, on: dt.date | None = None) -> list[tuple[Petition, Light]]:
    on = on or rules.today()
    return [(p, light(p, on)) for p in qs.select_related("unit").prefetch_related("reviews")]


def counts(rows) -> dict:
    out = {GREEN: 0, YELLOW: 0, RED: 0}
    for _p, lt in rows:
        if lt.colour:
            out[lt.colour] += 1
    return out
