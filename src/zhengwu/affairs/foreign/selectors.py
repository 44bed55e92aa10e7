"""What the pages and the API read: the rows of each list, the research summary per leader with its
findings (art. 93), the choices the forms offer and what the person may do on a record."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.org import selectors as org
from zhengwu.org.models import Person

from . import access, services
from .models import Gift, Invitation, Speech, Visit

DETAIL = {"invitations": "invitation", "visits": "visit", "gifts": "gift", "research": "plan", "speeches": "speech"}
LIMIT = 200


def leaders(government, on: dt.date) -> list[Person]:
    from .tick import leaders as _leaders

    return _leaders(government, on)


def research_rows(person, year: int, on: dt.date) -> list[dict]:
    """Each leader the person may see, with the year's plan, days at the grassroots, reports and the
    findings of art. 93 as of `on` (shortfalls count once the year has ended)."""
    plans = {p.leader_id: p for p in access.visible_plans(person, on=on).filter(year=year)
             .prefetch_related("trips", "reports")}
    people = leaders(person.government, on) if access.sees_all(person, on) else (
        [person] if access.leader_post(person, on) else [])
    rows = []
    for leader in people:
        plan = plans.get(leader.pk)
        facts = services.research_facts(leader, year, plan, on, year_end=year < on.year)
        rows.append({"leader": leader, "plan": plan, "days": facts.grassroots_days, "reports": facts.reports,
                     "findings": rules.check("foreign.research", facts, on=on)})
    return rows


def gift_rows(qs, on: dt.date) -> list[dict]:
    return [{"g": g, "findings": rules.check("foreign.gift", services.gift_facts(g, on), on=on)} for g in qs]


def list_context(person, section: str, on: dt.date) -> dict:
    gov = person.government
    ctx: dict = {"section_url": f"affairs:foreign:{section}"}
    if section == "invitations":
        ctx["rows"] = list(access.visible_invitations(person, on=on).select_related("unit", "leader")[:LIMIT])
        ctx["units"] = sorted({p.unit for p in access.posts(person, on) if p.unit_id}, key=lambda u: u.order)
        ctx["leaders"] = leaders(gov, on)
        ctx["lead_days"] = rules.param("foreign_affairs.invitation_lead_days", on)
        ctx["earliest"] = services._calendar().add_workdays(on, int(ctx["lead_days"]))
    elif section == "visits":
        ctx["rows"] = list(access.visible_visits(person, on=on).select_related("traveller", "post")[:LIMIT])
        ctx["office"] = access.is_office(person, on)
        routes = rules.param("foreign_affairs.visit_routes", on)
        ctx["travellers"] = [(p, pos) for p, pos in org.government_members(gov, on) if pos.code in routes] \
            if ctx["office"] else []
        ctx["limits"] = {"countries": rules.param("foreign_affairs.visit_max_countries", on),
                         "days": rules.param("foreign_affairs.visit_max_days", on),
                         "group": rules.param("foreign_affairs.visit_max_group_size", on),
                         "per_year": rules.param("foreign_affairs.visits_per_year", on)}
    elif section == "gifts":
        ctx["rows"] = gift_rows(access.visible_gifts(person, on=on).select_related("recipient")[:LIMIT], on)
        ctx["threshold"] = rules.param("foreign_affairs.gift_value_threshold", on)
        ctx["months"] = rules.param("foreign_affairs.gift_handover_months", on)
        ctx["custodian"] = rules.param("foreign_affairs.gift_custodian", on)
        ctx["visits"] = list(access.visible_visits(person, on=on).filter(traveller=person)[:20])
    elif section == "research":
        ctx["year"] = on.year
        ctx["rows"] = research_rows(person, on.year, on)
        ctx["last_year"] = research_rows(person, on.year - 1, on) if on.month == 1 else []
        ctx["office"] = access.is_office(person, on)
        ctx["is_leader"] = access.leader_post(person, on) is not None
        ctx["leaders"] = leaders(gov, on) if ctx["office"] else []
        span = rules.param("research.key_topics_per_year", on)
        ctx["topics_span"] = span
        ctx["min_days"] = int(rules.param("research.min_months_per_year", on)) * int(rules.param("research.days_per_month", on))
    elif section == "speeches":
        ctx["rows"] = list(access.visible_speeches(person, on=on).select_related("speaker")[:LIMIT])
        kinds = rules.param("speeches.kinds", on)
        ctx["kinds"] = list(kinds.items())
        ctx["kind_labels"] = kinds
        ctx["office"] = access.is_office(person, on)
        ctx["speakers"] = [(p, pos) for p, pos in org.government_members(gov, on)] if ctx["office"] else []
    return ctx


def detail_context(person, kind: str, obj, on: dt.date) -> dict:
    ctx: dict = {"can": {}}
    if kind == "visit":
        ctx["can"]["leave"] = obj.status == Visit.Status.APPROVED and (
            obj.traveller_id == person.pk or access.is_office(person, on))
        ctx["chain"] = services.chain_facts(obj, obj.approval).steps if obj.approval_id else ()
    elif kind == "gift":
        ctx["can"]["hand_over"] = obj.status != Gift.Status.HANDED and (
            access.is_custodian(person, on) or access.is_office(person, on))
        ctx["findings"] = rules.check("foreign.gift", services.gift_facts(obj, on), on=on)
    elif kind == "plan":
        writer = obj.leader_id == person.pk or access.is_office(person, on)
        ctx["can"]["write"] = writer
        ctx["trips"] = list(obj.trips.all())
        ctx["reports"] = list(obj.reports.all())
        facts = services.research_facts(obj.leader, obj.year, obj, on, year_end=obj.year < on.year)
        ctx["days"] = facts.grassroots_days
        ctx["findings"] = rules.check("foreign.research", facts, on=on)
        ctx["open_topics"] = [t for t in obj.topics if t not in {r.topic for r in ctx["reports"]}]
    elif kind == "speech":
        ctx["kind_label"] = rules.param("speeches.kinds", on).get(obj.kind, "")
        ctx["can"]["deliver"] = obj.status in (Speech.Status.APPROVED, Speech.Status.NOT_REQUIRED) and (
            obj.speaker_id == person.pk or access.is_office(person, on))
    elif kind == "invitation":
        ctx["filed"] = obj.status == Invitation.Status.FILED
    return ctx


