"""Plain facts about a document for the pure rules (zhengwu.rulebook.rules.documents).

What the model holds is read from it; what only the drafter can say (会签, 事项数, 越级 …) lives in
`Document.facts` (a dict filled by the compose form), under the facts' own field names."""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from zhengwu.org import selectors as org
from zhengwu.org.models import Person
from zhengwu.rulebook.rules.documents import (
    ClassificationFacts,
    DisclosureFacts,
    FormatFacts,
    IssuingFacts,
    NormativeFacts,
    SigningFacts,
    SubmissionFacts,
    repeated_salutation,
)

from .models import Direction, Document

REVIEW_ROLES = {"deputy_director_review": "office_deputy_director", "director_review": "office_director",
                "leader_review": "unit_leader"}


OFFICE_APPROVED = "office_approved"  # art. 70: set by intake.briefing_approve only, never typed by the unit


def validate(raw: dict) -> dict:
    """Check `Document.facts` when it is written, so a bad value is refused naming its field
    (facts.<name>) instead of failing later at submission. Returns the cleaned dict."""
    import typing

    from zhengwu.errors import Refused
    from zhengwu.rulebook.facts import FactsError, _coerce

    if not isinstance(raw, dict):
        raise Refused("facts: 须为对象", field="facts")
    hints = {}
    for cls in (SubmissionFacts, IssuingFacts, SigningFacts):
        hints.update(typing.get_type_hints(cls))
    hints.pop("kind", None)
    extra = {"decision_needed_by": str, "cc": list, "normative": dict, "head_signs_kind": str, "upward": bool}
    out = {}
    for key, value in raw.items():
        field = f"facts.{key}"
        if key in extra:
            if not isinstance(value, extra[key]):
                raise Refused(f"{field}: 类型不正确", field=field)
            if key == "decision_needed_by":
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise Refused(f"{field}: 须为日期 YYYY-MM-DD", field=field) from None
            if key == "normative":
                nhints = typing.get_type_hints(NormativeFacts)
                for nk, nv in value.items():
                    if nk not in nhints or nk == "issuer":
                        raise Refused(f"{field}.{nk}: 未知字段", field=f"{field}.{nk}")
                    try:
                        _coerce(nv, nhints[nk], f"{field}.{nk}")
                    except FactsError as e:
                        raise Refused(str(e), field=e.field) from None
            out[key] = value
            continue
        if key == OFFICE_APPROVED:
            raise Refused(f"{field}: 简报由区政府办公室核准，报送单位不能自行填写", field=field)
        if key not in hints:
            raise Refused(f"{field}: 未知字段", field=field)
        try:
            _coerce(value, hints[key], field)
        except FactsError as e:
            raise Refused(str(e), field=e.field) from None
        out[key] = value
    return out


def _signer_role(doc: Document, signer: Person | None, on: dt.date) -> str:
    if signer is None:
        return ""
    for p in org.positions_of(signer, on):
        if p.unit_id == doc.unit_id and p.code in ("unit_head", "unit_deputy"):
            return p.code
    return "other"


def submission(doc: Document, *, on: dt.date, signer: Person | None = None) -> SubmissionFacts:
    from zhengwu.workcalendar.selectors import work_calendar

    f = doc.facts
    needed = f.get("decision_needed_by")
    needed = dt.date.fromisoformat(needed) if needed else None
    between = work_calendar().count_workdays(on, needed) if needed and needed >= on else (0 if needed else None)
    cc = f.get("cc") or [[name, "same"] for name in doc.cc]
    return SubmissionFacts(
        kind=doc.kind, unit=doc.unit.name, signer_role=_signer_role(doc, signer, on),
        signer_authorised=bool(f.get("signer_authorised")), main_recipients=tuple(doc.main_recipients),
        cc=tuple((str(n), str(r)) for n, r in cc),
        addressed_to_leader_personally=bool(f.get("addressed_to_leader_personally")),
        exception=str(f.get("exception", "")), skips_level=bool(f.get("skips_level")),
        matters_count=int(f.get("matters_count", 1)), within_unit_powers=bool(f.get("within_unit_powers")),
        important=doc.important, collective_ref=doc.collective_ref,
        asks_government_issue=bool(f.get("asks_government_issue")), site_verified=bool(f.get("site_verified")),
        touches_other_units=tuple(f.get("touches_other_units", ())),
        consulted_in_writing=tuple(f.get("consulted_in_writing", ())), head_negotiated=bool(f.get("head_negotiated")),
        countersigned_by=tuple(f.get("countersigned_by", ())), disagreement=bool(f.get("disagreement")),
        reasons_listed=bool(f.get("reasons_listed")), proposal=bool(f.get("proposal")),
        urgency=doc.urgency, urgency_reason=doc.urgency_reason, emergency_event=bool(f.get("emergency_event")),
        submitted_on=on, decision_needed_by=needed if needed and needed >= on else None,
        working_days_between=between if needed and needed >= on else None,
        is_briefing=bool(f.get("is_briefing")), office_approved=bool(f.get(OFFICE_APPROVED)))


def normative(doc: Document) -> NormativeFacts:
    n = dict(doc.facts.get("normative", {}))
    issuer = "department" if (doc.direction == Direction.OUTGOING and doc.issuing_as == "unit") else "government"
    if issuer == "department":
        # art. 25: a department's own normative document — the written request, legality review,
        # the 分管领导's review and the 区长's approval are what happened on its approval route,
        # never what the drafter typed
        from .department import procedure_facts

        n.update(procedure_facts(doc))
    n.setdefault("collective_decision_ref", doc.collective_ref)
    n["skipped_steps"] = tuple(tuple(x) for x in n.get("skipped_steps", ()))
    known = NormativeFacts.__dataclass_fields__
    return NormativeFacts(issuer=issuer, **{k: v for k, v in n.items() if k in known and k != "issuer"})


def signing(doc: Document, *, reviews_done=(), signer_role: str = "", referred_to_head: bool = False) -> SigningFacts:
    f = doc.facts
    return SigningFacts(issuing_as=doc.issuing_as, kind=doc.kind, is_regulation=bool(f.get("is_regulation")),
                        upward_to=str(f.get("upward_to", "")), is_motion_to_npc=bool(f.get("is_motion_to_npc")),
                        is_personnel=bool(f.get("is_personnel")), reviews_done=tuple(reviews_done),
                        signer_role=signer_role, referred_to_head=referred_to_head)


def issuing(doc: Document) -> IssuingFacts:
    """Art. 70. `in_annual_plan` is derived from the document's link to an item of an annual
    document plan (plans.py), never from what the drafter typed: an old `facts.in_annual_plan`
    is still accepted on input (older API clients send it) but the link alone decides."""
    f = doc.facts
    issuer = doc.issuing_as if doc.issuing_as in ("government", "office") else "department"
    known = IssuingFacts.__dataclass_fields__
    given = {k: f[k] for k in known if k in f and k not in ("issuer", "in_annual_plan")}
    return IssuingFacts(issuer=issuer, in_annual_plan=doc.plan_item_id is not None, **given)


def format_facts(body: str, main_recipients) -> FormatFacts:
    first = next((ln.strip() for ln in (body or "").splitlines() if ln.strip()), "")
    return FormatFacts(main_recipients=tuple(str(n) for n in (main_recipients or ())), first_line=first)


def for_document(doc: Document, *, on: dt.date, signer: Person | None = None,
                 stage: str = "submission") -> Iterator[tuple[str, object]]:
    """(topic, facts) pairs for every rule that applies to the document at this stage."""
    yield "documents.classification", ClassificationFacts(classification=doc.classification,
                                                          has_body=bool(doc.body.strip()),
                                                          attachments_count=doc.attachments.count())
    yield "documents.disclosure", DisclosureFacts(public=doc.public, non_disclosure_reason=doc.non_disclosure_reason)
    yield "documents.format", format_facts(doc.body, doc.main_recipients)
    if doc.is_normative:
        yield "documents.normative", normative(doc)
    if stage == "submission":
        yield "documents.submission", submission(doc, on=on, signer=signer)
    elif stage in ("signing", "issuing"):
        yield "documents.issuing", issuing(doc)
