"""Reads of requests for information and 舆情 for the pages and the API: one object's context
(what the person may do, its light and findings, the timeline from the audit trail) and its dict."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhengwu import rules
from zhengwu.audit.selectors import history_for
from zhengwu.org.models import Person, Unit

from . import access, services
from .models import InfoRequest, OpinionEvent

S = InfoRequest.Status


def abilities(person: Person, item: InfoRequest, on: dt.date) -> dict:
    office = access.is_office_staff(person, on)
    return {
        "correct": office and item.status == S.RECEIVED and item.corrections == 0,
        "corrected": office and item.status == S.CORRECTING,
        "consult": office and item.status == S.RECEIVED,
        "consult_end": office and item.status == S.CONSULTING,
        "extend": office and item.status in services.OPEN and item.extended_on is None
        and not services.extension_pending(item),
        "answer": office and item.status == S.RECEIVED,
        "contact": access.sees_applicant_contact(person, on),
    }


def request_row(item: InfoRequest, on: dt.date) -> dict:
    return {"r": item, "light": services.light(item, on),
            "channel": rules.param("info_requests.channels", on).get(item.channel, "")}


def request_context(person: Person, item: InfoRequest, on: dt.date) -> dict:
    return {
        **request_row(item, on), "can": abilities(person, item, on), "today": on,
        "answer_type_label": rules.param("info_requests.answer_types", on).get(item.answer_type, ""),
        "basis_label": rules.param("info_requests.refusal_bases", on).get(item.basis, ""),
        "answer_types": rules.param("info_requests.answer_types", on).items(),
        "bases": rules.param("info_requests.refusal_bases", on).items(),
        "receipt_day": rules.param("info_requests.receipt_day", on).get(item.channel, ""),
        "consultations": list(item.consultations.all()),
        "notices": list(item.notices.all()),
        "pending": services.extension_pending(item),
        "findings": services.deadline_findings(item, on=on),
        "timeline": list(history_for(services.OBJ, str(item.pk)).order_by("seq")[:200]),
        "refusal": None, "refused_action": "", "values": {},
    }


def request_dict(person: Person, item: InfoRequest, on: dt.date) -> dict:
    """The API's view: the applicant's contact only for the office."""
    contact = access.sees_applicant_contact(person, on)
    return {
        "id": item.pk, "applicant": item.applicant,
        **({"applicant_contact": item.applicant_contact} if contact else {}),
        "channel": item.channel, "submitted_on": item.submitted_on, "received_on": item.received_on,
        "content": item.content, "unit": {"id": item.unit_id, "name": item.unit.name} if item.unit_id else None,
        "status": item.status, "status_label": item.get_status_display(), "clock_start": item.clock_start,
        "due_on": item.due_on, "light": services.light(item, on), "corrections": item.corrections,
        "extended": item.extended, "extension_pending": services.extension_pending(item),
        "consultations": [{"party": c.party, "sent_on": c.sent_on, "due_on": c.due_on, "ended_on": c.ended_on,
                           "opinion": c.opinion} for c in item.consultations.all()],
        "answer_type": item.answer_type, "answer_text": item.answer_text, "partial": item.partial,
        "basis": item.basis, "withheld_reason": item.withheld_reason, "answered_on": item.answered_on,
        "escalated_on": item.escalated_on, "correction_due_on": item.correction_due_on,
        "abandoned_on": item.abandoned_on,
        "findings": [v.as_dict() for v in services.deadline_findings(item, on=on)],
    }


def event_context(person: Person, event: OpinionEvent, now: dt.datetime) -> dict:
    on = timezone.localdate(now)
    kinds = rules.param("opinion.response_kinds", on)
    done = {r.kind: r for r in event.responses.select_related("recorded_by")}
    dues = [{"kind": k, "label": kinds.get(k, k), "due": d, "response": done.get(k)}
            for k, d in services.owed(event, on).items()]
    return {
        "e": event, "light": services.opinion_light(event, now), "dues": dues,
        "level_label": rules.param("opinion.levels", on).get(event.level, ""),
        "source_label": rules.param("opinion.sources", on).get(event.source, ""),
        "findings": services.opinion_findings(event, now=now),
        "can_respond": access.may_respond(person, event, on) and any(d["response"] is None for d in dues),
        "open_kinds": [(d["kind"], d["label"]) for d in dues if d["response"] is None],
        "timeline": list(history_for(services.OPINION_OBJ, str(event.pk)).order_by("seq")[:200]),
        "refusal": None, "values": {},
    }


def event_dict(event: OpinionEvent, now: dt.datetime) -> dict:
    on = timezone.localdate(now)
    done = {r.kind: r for r in event.responses.all()}
    return {
        "id": event.pk, "title": event.title, "summary": event.summary, "source": event.source,
        "level": event.level, "found_at": event.found_at,
        "lead_unit": {"id": event.lead_unit_id, "name": event.lead_unit.name},
        "owner": {"id": event.owner_id, "name": str(event.owner)},
        "status": event.status, "status_label": event.get_status_display(),
        "light": services.opinion_light(event, now), "late_flagged_at": event.late_flagged_at,
        "responses": [{"kind": k, "due_at": d, "responded_at": done[k].responded_at if k in done else None,
                       "late": done[k].late if k in done else None, "channel": done[k].channel if k in done else "",
                       "text": done[k].text if k in done else ""}
                      for k, d in services.owed(event, on).items()],
        "findings": [v.as_dict() for v in services.opinion_findings(event, now=now)],
    }


def form_choices(person: Person, on: dt.date) -> dict:
    units = list(Unit.objects.filter(government_id=person.government_id, active=True).order_by("order", "id"))
    people = list(Person.objects.filter(government_id=person.government_id, is_active=True).order_by("id"))
    return {"units": units, "people": people,
            "channels": rules.param("info_requests.channels", on).items(),
            "applicant_kinds": rules.param("info_requests.applicant_kinds", on).items(),
            "levels": rules.param("opinion.levels", on).items(),
            "sources": rules.param("opinion.sources", on).items()}
