"""Reads for the pages, the API and the tick: a body's page, the bodies to adjust when the leaders'
分工 or posts change (art. 73), the goals missing (art. 74), an emergency report's findings (75)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext

from zhengwu import rules
from zhengwu.org import selectors as org
from zhengwu.org.models import Person
from zhengwu.rulebook.rules.bodies import GoalsFacts

from . import access
from .models import CoordinationBody, EmergencyReport, Member

B = CoordinationBody.Status


def expected_head(body: CoordinationBody, on: dt.date) -> Person | None:
    """Who should lead the body today by its head_code: the 区长, the 分管 leader of its unit (or of
    the unit its office sits in), or the head of that department (art. 73)."""
    if body.head_code == CoordinationBody.Head.DISTRICT_HEAD:
        pos = org.position_by_code(body.government, "district_head")
    elif body.head_code == CoordinationBody.Head.UNIT_LEADER:
        pos = (org.leader_position_of_unit(body.unit) if body.unit_id else None) \
            or org.leader_position_of_unit(body.office_unit)
    elif body.head_code == CoordinationBody.Head.DEPT_HEAD:
        pos = body.office_unit.positions.filter(code="unit_head").first()
    else:
        return None
    return org.holder_of(pos, on) if pos else None


def adjustment_reason(body: CoordinationBody, on: dt.date) -> str:
    """Why the body's head is to be adjusted (art. 73: 工作变动或分工变化), or "" if it need not be."""
    if body.status != B.ESTABLISHED or body.head_id is None:
        return ""
    if not org.positions_held(body.head, on):
        return gettext("%(head)s, the body's head, no longer holds a post") % {"head": body.head}
    expected = expected_head(body, on)
    if expected is not None and expected.pk != body.head_id:
        return gettext("Posts or portfolios changed: it is now for %(expected)s (%(post)s), but the body's head is "
                       "still %(head)s") % {"expected": expected, "post": body.get_head_code_display(), "head": body.head}
    return ""


def bodies_needing_adjustment(government, on: dt.date) -> list[tuple[CoordinationBody, str]]:
    """The bodies led by leaders whose post or 分工 changed, for the office to adjust (art. 73)."""
    qs = CoordinationBody.objects.filter(government=government, status=B.ESTABLISHED, head__isnull=False) \
        .select_related("government", "unit", "office_unit", "head")
    return [(b, why) for b in qs if (why := adjustment_reason(b, on))]


def bodies_led_by(person: Person, on: dt.date | None = None) -> list[CoordinationBody]:
    """The bodies a person leads today (for the office when that person's 分工 changes)."""
    return list(CoordinationBody.objects.filter(status=B.ESTABLISHED, members__person=person,
                                                members__role__in=[Member.Role.HEAD, Member.Role.DEPUTY],
                                                members__until__isnull=True).distinct())


def goals_by_year(body: CoordinationBody, on: dt.date) -> list[tuple[int, object]]:
    """R74.annual_goals for this year's goals (due at the end of last year) and next year's (due at
    the end of this one), as (year, finding)."""
    if body.status != B.ESTABLISHED:
        return []
    have = {g.year: g.submitted_on for g in body.goals.all()}
    out = []
    for year in (on.year, on.year + 1):
        if body.established_on and body.established_on.year >= year:
            continue  # set up during or after the year before: no goals were due for it
        facts = GoalsFacts(body=body.name, year=year, submitted_on=have.get(year))
        out += [(year, v) for v in rules.check("bodies.goals", facts, on=on)]
    return out


def goals_findings(body: CoordinationBody, on: dt.date) -> list:
    return [v for _year, v in goals_by_year(body, on)]


def body_context(person: Person, body: CoordinationBody, on: dt.date) -> dict:
    kinds = rules.param("coordination_body.basis_kinds", on)
    office = access.is_office_staff(person, on)
    body_office = access.in_body_office(person, body, on)
    established = body.status == B.ESTABLISHED
    return {
        "b": body, "basis_label": kinds.get(body.basis_kind, ""),
        "members": list(body.members.filter(until__isnull=True).select_related("person")),
        "changes": list(body.changes.select_related("made_by")),
        "goals": list(body.goals.all()),
        "goals_findings": goals_findings(body, on),
        "setup_findings": rules.check("bodies.setup", _facts(body), on=on, only=["R73.head"]),
        "adjust": adjustment_reason(body, on),
        "goals_years": [on.year, on.year + 1],
        "can": {"submit": body.status == B.DRAFT and body.applicant_unit_id in access.own_unit_ids(person, on),
                "change": established and (office or body_office),
                "goals": established and (office or body_office),
                "abolish": established and office},
    }


def _facts(body):
    from .services import _setup_facts

    return _setup_facts(body)


def report_findings(report: EmergencyReport, on: dt.date) -> list:
    from .services import lateness

    now = timezone.now() if report.status == EmergencyReport.Status.OPEN else None
    return lateness(report, now, on)
