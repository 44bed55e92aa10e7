"""A department's own normative document (部门规范性文件, art. 25) and a department's documents in its
own name.

Art. 25: 部门制定规范性文件,应事先书面请示区政府,按规定进行合法性审查,经区政府分管领导审核,报区长批准.
The department's written request starts the route `doc.normative_department` of the rulebook:
the 区政府办公室 reviews the request, the 司法部门 reviews its legality (the office registers the
opinion, or hands the step to the 司法局 to give it itself), the 分管领导 reviews, the 区长
approves. What happened on that route — never what the drafter typed — becomes the facts of rule
R25.department_procedure (`procedure_facts`), which is enforced before the department's head can
sign the document in the department's own name. Then it is numbered in the department's own
series, issued, and gets the filing and evaluation reminders like the government's normative
documents (issuing.document_issue)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Forbidden, Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Person
from zhengwu.transitions import transition
from zhengwu.rulebook import starts
from zhengwu.workflow import services as wf
from zhengwu.workflow.selectors import route_article
from zhengwu.workflow.models import Approval, Task

from . import access
from .models import Direction, Document

ROUTE, = starts("doc.normative_department")  # for `rules coverage`
OBJ = "documents.document"
Status = Document.Status
PROCEDURE_KEYS = ("prior_written_request", "legality_review_by", "legality_reviewer_is_justice", "leader_reviewed",
                  "head_approved")
LEGAL_DOMAIN = "legal"  # the unit embodying 司法行政和法治 (org.domains) is the 司法部门


def is_department_document(doc: Document) -> bool:
    return doc.direction == Direction.OUTGOING and doc.issuing_as == "unit"


def _latest_request(doc: Document) -> Approval | None:
    if doc.pk is None:
        return None
    return (Approval.objects.filter(obj_type=OBJ, obj_id=str(doc.pk), route_id=ROUTE)
            .order_by("-started_at", "-id").first())


def procedure_facts(doc: Document) -> dict:
    """The art. 25 procedure of a department's normative document as it actually happened on its
    latest `doc.normative_department` approval (the facts R25.department_procedure reads)."""
    out = {"prior_written_request": False, "legality_review_by": "", "legality_reviewer_is_justice": False,
           "leader_reviewed": False, "head_approved": False}
    approval = _latest_request(doc)
    if approval is None or approval.status == Approval.Status.RETURNED:
        return out
    out["prior_written_request"] = True  # the request was made in writing through the office (art. 67)
    done = {t.step_id: t for t in approval.tasks.filter(kind=Task.Kind.STEP, status=Task.Status.DONE)
            .select_related("completed_by")}
    legal = done.get("legality_review")
    if legal is not None and rules.approves(legal.decision, legal.done_on):
        reviewer = legal.completed_by
        unit = next((p.unit for p in org.positions_of(reviewer, legal.done_on or rules.today())
                     if p.unit_id and LEGAL_DOMAIN in (p.unit.domains or [])), None) if reviewer else None
        justice = rules.param("documents.normative_legality_reviewer", legal.done_on or rules.today())
        # the step is the 司法部门's review: given by the 司法局 itself, or its opinion registered by the office
        out["legality_review_by"] = unit.name if unit else f"{justice}（{reviewer}登记）"
        out["legality_reviewer_is_justice"] = True
    out["leader_reviewed"] = "leader_review" in done
    head = done.get("head_approve")
    out["head_approved"] = head is not None and rules.approves(head.decision, head.done_on)
    return out


def _blocking(doc: Document, on: dt.date, *, stage: str, skip: tuple[str, ...] = ()) -> None:
    from .intake import precheck

    found = [v for v in precheck(doc, on=on, stage=stage) if v.rule_id not in skip]
    blocks = [v for v in found if v.blocks]
    if blocks:
        raise Refused(f"须纠正{len(blocks)}处问题：{blocks[0].message}", violations=found, field=blocks[0].field)


def document_request_approval(*, actor: Person, document_id, on: dt.date | None = None) -> Document:
    """事先书面请示区政府: the department asks the 区政府 in writing to approve its own normative
    document; the route doc.normative_department starts (office review, legality review, the
    分管领导, the 区长)."""
    on = on or rules.today()
    doc = access.document_for_unit_action(actor, document_id, on=on)
    if not (is_department_document(doc) and doc.is_normative):
        raise Refused(f"只有以本部门名义制定的规范性文件需要事先书面请示区政府{rules.cite(ROUTE, on)}",
                      field="document_id")
    if doc.status not in (Status.DRAFT, Status.RETURNED):
        raise Refused(f"该公文{doc.get_status_display()}，不能再报请审批", field="document_id", status=409)
    # everything else must hold already; the procedure itself is what this route performs
    _blocking(doc, on, stage="signing", skip=("R25.department_procedure",))
    with transaction.atomic():
        approval = wf.approval_start(actor=actor, route_id=ROUTE, obj_type=OBJ, obj_id=str(doc.pk),
                                     title=f"关于制定《{doc.title}》的请示", urgency=doc.urgency,
                                     applicant_unit=doc.unit, on=on)
        transition(doc, expect=[Status.DRAFT, Status.RETURNED], to=Status.IN_APPROVAL, approval=approval,
                   field="document_id")
        audit_append(actor=actor, action="documents.document.route", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"status": doc.status, "route": ROUTE}, article=rules.article_of(ROUTE, on),
                     summary=f"事先书面请示区政府：制定部门规范性文件《{doc.title}》")
    return doc


def on_request_finished(approval: Approval, actor: Person, on: dt.date) -> None:
    """The route ended: approved when the legality review passed and the 区长 approved; otherwise
    the document goes back to the department with what was missing."""
    doc = Document.objects.get(pk=int(approval.obj_id))
    f = procedure_facts(doc)
    ok = all(f[k] for k in ("prior_written_request", "legality_review_by", "leader_reviewed", "head_approved"))
    status = Status.APPROVED if ok else Status.RETURNED
    transition(doc, expect=[Status.IN_APPROVAL], to=status, versioned=False)
    why = "" if ok else ("合法性审查未通过" if not f["legality_review_by"] else "区长未批准")
    audit_append(actor=actor, action="documents.document.answer", obj_type=OBJ, obj_id=str(doc.pk),
                 after={"status": status, **f, **({"reasons": why} if why else {})},
                 article=route_article(approval),
                 summary="区政府批准制定部门规范性文件" if ok else f"部门规范性文件未获批准：{why}")
    from zhengwu.workflow import notify

    notify.send(person=doc.created_by, kind="info", link=f"/documents/{doc.pk}/",
                title=(f"区长已批准：{doc.title}，可由本部门签发" if ok else f"未获批准（{why}）：{doc.title}"))


def _unit_sign_checks(actor: Person, doc: Document, on: dt.date) -> tuple:
    """What 部门签发 checks (after the actor's remit over the unit), in its order; raises the first
    refusal; the statuses it may be signed from."""
    if not is_department_document(doc):
        raise Refused("只有以本部门名义发的文由本部门负责人签发；区政府、区政府办公室的文请送核稿签发", field="document_id")
    allowed = (Status.APPROVED, Status.DRAFT, Status.RETURNED) if doc.is_normative else (Status.DRAFT, Status.RETURNED)
    if doc.status not in allowed:
        raise Refused(f"该公文{doc.get_status_display()}，不能签发", field="document_id", status=409)
    head = org.unit_head(doc.unit, on)
    if head is None or head.pk != actor.pk:
        raise Forbidden(f"以{doc.unit.name}名义发文由其主要负责人签发")
    _blocking(doc, on, stage="signing")
    return allowed


def unit_sign_refusal(*, actor: Person, doc: Document, on: dt.date | None = None) -> Refused | None:
    """A dry run of document_sign_as_unit for the page (nothing written): the refusal 部门签发 now
    would meet — the same checks — or None."""
    try:
        _unit_sign_checks(actor, doc, on or rules.today())
    except Refused as e:
        return e
    return None


def document_sign_as_unit(*, actor: Person, document_id, on: dt.date | None = None) -> Document:
    """部门签发: the department's head signs a document in the department's own name. A normative
    one only after the art. 25 procedure (R25.department_procedure, from what happened)."""
    on = on or rules.today()
    doc = access.document_for_unit_action(actor, document_id, on=on)
    allowed = _unit_sign_checks(actor, doc, on)
    with transaction.atomic():
        transition(doc, expect=allowed, to=Status.SIGNED, signer=actor, signed_on=on, field="document_id")
        audit_append(actor=actor, action="documents.document.sign", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"status": "signed", "signer": actor.pk, **({"procedure": procedure_facts(doc)}
                                                                       if doc.is_normative else {})},
                     article=rules.article_of("R25.department_procedure" if doc.is_normative else "R70.own_remit", on),
                     summary=f"{actor}以{doc.unit.name}名义签发")
    return doc
