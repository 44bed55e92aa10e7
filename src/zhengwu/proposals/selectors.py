"""Reads of 建议提案 for the pages and the API: one item's context (who may do what, its deadline
and publication findings, the timeline from the audit trail) and its plain dict."""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.audit.selectors import history_for
from zhengwu.org.models import Person, Unit

from . import access, services
from .models import Proposal

S = Proposal.Status


def abilities(person: Person, item: Proposal, on: dt.date) -> dict:
    """What the person may do on the item now (the services check the same again)."""
    office = access.is_office_staff(person, on)
    lead = access.in_lead_unit(person, item, on)
    co = access.co_unit_of(person, item, on) if item.status in services.OPEN else None
    open_ = item.status in services.OPEN
    answered = item.answered_on is not None and not open_
    return {
        "assign": office and item.status in (S.REGISTERED, S.SENT_BACK),
        "extend": office and item.status == S.ASSIGNED,
        "satisfaction": office and item.status == S.ANSWERED,
        "publish": office and answered and item.published_on is None and not item.publish_withheld_reason,
        "send_back": lead and item.status == S.ASSIGNED and item.round == 1,
        "contact": lead and open_,
        # art. 39: the answer is a 答复函 drafted here and signed by the unit's head in the documents flow
        "reply_draft": lead and open_ and item.letter_id is None,
        "answer": lead and open_ and services.letter_state(item) == "ready",
        "opinion": co is not None and co.opinion_on is None,
        "sees_contacts": office or lead,
    }


def ledger_item(person: Person, item: Proposal, on: dt.date):
    """The supervision ledger item a "列入计划" answer made (art. 39), when the person may see it."""
    from zhengwu.supervision import access as ledger_access

    return ledger_access.visible_items(person, on=on).filter(proposal_id=item.pk).first()


def detail_context(person: Person, item: Proposal, on: dt.date) -> dict:
    can = abilities(person, item, on)
    units = list(Unit.objects.filter(government_id=item.government_id, active=True).order_by("order", "id")) \
        if can["assign"] else []
    answers = list(item.answers.select_related("signed_by"))
    outcomes = rules.param("proposals.outcomes", on)
    satisfaction = rules.param("proposals.satisfaction", on)
    return {
        "p": item, "can": can, "today": on, "units": units,
        "body_label": services.body_label(item, on),
        "period_label": rules.param("proposals.periods", on).get(item.batch.period, ""),
        "proposers": list(item.proposers.all()),
        "co_units": list(item.co_units.select_related("unit", "opinion_by")),
        "contacts": list(item.contacts.select_related("proposer", "recorded_by")),
        "answers": [{"a": a, "outcome": outcomes.get(a.outcome, ""), "satisfaction": satisfaction.get(a.satisfaction, ""),
                     "public": services.public_text(item, a)} for a in answers],
        "overdue": services.is_overdue(item, on),
        "deadline_findings": services.deadline_findings(item, on=on),
        "publication_findings": services.publication_findings(item, on=on),
        "timeline": list(history_for(services.OBJ, str(item.pk)).order_by("seq")[:200]),
        "outcomes": outcomes.items(), "ways": rules.param("proposals.contact_ways", on).items(),
        "satisfactions": satisfaction.items(),
        "contacted": item.contacts.filter(round=item.round).exists(),
        "ledger_item": ledger_item(person, item, on),
        "letter": item.letter, "letter_state": services.letter_state(item),
        "refusal": None, "refused_action": "", "values": {},
    }


def letter_dict(doc) -> dict | None:
    """The round's 答复函 as the API shows it (the document itself is read through the documents API)."""
    if doc is None:
        return None
    return {"id": doc.pk, "title": doc.title, "status": doc.status, "status_label": doc.get_status_display(),
            "doc_number": doc.doc_number, "signer": str(doc.signer) if doc.signer_id else "", "signed_on": doc.signed_on}


def as_dict(person: Person, item: Proposal, on: dt.date) -> dict:
    """The API's view of one item: contacts only for the office and the lead unit."""
    can = abilities(person, item, on)
    outcomes = rules.param("proposals.outcomes", on)
    return {
        "id": item.pk, "number": item.number, "title": item.title, "content": item.content,
        "body": item.batch.body, "body_label": services.body_label(item, on),
        "batch": {"id": item.batch_id, "session": item.batch.session, "period": item.batch.period, "year": item.batch.year},
        "status": item.status, "status_label": item.get_status_display(), "round": item.round,
        "lead_unit": {"id": item.lead_unit_id, "name": item.lead_unit.name} if item.lead_unit_id else None,
        "co_units": [{"id": c.unit_id, "name": c.unit.name, "due_on": c.due_on, "opinion": c.opinion,
                      "opinion_on": c.opinion_on} for c in item.co_units.select_related("unit")],
        "assigned_on": item.assigned_on, "due_on": item.due_on, "extended": item.extended,
        "overdue": services.is_overdue(item, on),
        "proposers": [{"id": p.id, "name": p.name, "group": p.group, "leading": p.leading,
                       **({"contact": p.contact} if can["sees_contacts"] else {})} for p in item.proposers.all()],
        "contacts": [{"way": c.way, "contacted_on": c.contacted_on, "round": c.round, "note": c.note}
                     for c in item.contacts.all()],
        "answers": [{"round": a.round, "outcome": a.outcome, "outcome_label": outcomes.get(a.outcome, ""),
                     "answered_on": a.answered_on, "signed_by": str(a.signed_by), "satisfaction": a.satisfaction,
                     "text": a.text if can["sees_contacts"] else services.public_text(item, a),
                     "doc_number": a.letter.doc_number if a.letter_id else ""}
                    for a in item.answers.select_related("signed_by", "letter")],
        "answered_on": item.answered_on, "published_on": item.published_on,
        "publish_withheld_reason": item.publish_withheld_reason, "escalated_on": item.escalated_on,
        "findings": [v.as_dict() for v in services.deadline_findings(item, on=on)
                     + services.publication_findings(item, on=on)],
        "letter": letter_dict(item.letter),
        "ledger_item": ({"id": ledger.pk, "number": ledger.number, "status": ledger.status,
                         "status_label": ledger.get_status_display()}
                        if (ledger := ledger_item(person, item, on)) is not None else None),
    }


def year_report(person: Person, year: int, on: dt.date) -> list[dict]:
    """The year's handling report (办理情况报告) per source, over the items the person may see: how
    many were assigned and answered, on time, by outcome, the proposers' views, and publication."""
    outcomes = rules.param("proposals.outcomes", on)
    satisfaction = rules.param("proposals.satisfaction", on)
    rows = []
    for body, label in rules.param("proposals.bodies", on).items():
        items = list(access.visible_proposals(person, on=on).filter(batch__year=year, batch__body=body)
                     .prefetch_related("answers"))
        firsts = [a for p in items for a in p.answers.all() if a.round == 1]
        latest = [max(p.answers.all(), key=lambda a: a.round) for p in items if p.answers.all()]
        on_time = sum(1 for a in firsts if a.due_on is None or a.answered_on <= a.due_on)
        answered = [p for p in items if p.answered_on is not None and p.status not in services.OPEN]
        rows.append({
            "body": body, "label": label, "total": len(items),
            "assigned": sum(1 for p in items if p.assigned_on is not None),
            "answered": len(firsts), "on_time": on_time,
            "on_time_rate": round(100 * on_time / len(firsts)) if firsts else None,
            "overdue": sum(1 for p in items if services.is_overdue(p, on)),
            "outcomes": [{"code": c, "label": lab, "count": sum(1 for a in latest if a.outcome == c)}
                         for c, lab in outcomes.items()],
            "satisfaction": [{"code": c, "label": lab, "count": sum(1 for a in firsts if a.satisfaction == c)}
                             for c, lab in satisfaction.items()],
            "reopened": sum(1 for p in items if p.round > 1),
            "published": sum(1 for p in answered if p.published_on is not None),
            "withheld": sum(1 for p in answered if p.publish_withheld_reason),
            "unpublished_late": sum(1 for p in answered if services.publication_findings(p, on=on)),
        })
    return rows
