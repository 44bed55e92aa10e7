"""Drafting and issuing (发文, art. 25, 69–70): 拟稿 (by the office, or 代拟 by a department) →
核稿 and 会签 → 签发 by the 区长 (government documents) or the 常务副区长 (office documents) →
编号 → 印发. Normative documents: prerequisites before signing; after issuing, the filing
(备案) with the 区人大常委会 and the post-implementation evaluation are tracked as tasks, so the
engine's reminders and escalations apply to them too."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Refused
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import declare, starts
from zhengwu.transitions import transition
from zhengwu.workflow import services as wf
from zhengwu.workflow.selectors import route_article
from zhengwu.workflow.models import Approval, Task

from . import access, facts
from .intake import OBJ
from .models import Direction, Document

Status = Document.Status

ISSUE_ROUTES = set(starts("doc.issue_government", "doc.issue_office", "doc.issue_office_by_head", "doc.signed_by_head"))
starts("doc.normative_filing", "doc.normative_evaluation")  # _start_follow_up; for `rules coverage`
FILING = declare("W25.filing", article=25, kind="reminder", summary="规范性文件印发后报区人大常委会备案的提醒与督办")
EVALUATION = declare("W25.post_evaluation", article=25, kind="reminder", summary="规范性文件实施后评估提醒")


def route_for(doc: Document, *, referred_to_head: bool = False) -> str:
    """Which signing route art. 69 prescribes for the document."""
    f = doc.facts
    if f.get("head_signs_kind") or f.get("is_regulation") or f.get("upward_to") or f.get("is_motion_to_npc") \
            or f.get("is_personnel"):
        return "doc.signed_by_head"  # 规章, 上报省市政府和区委的公文, 议案, 任免: 由区长签署
    if doc.issuing_as == "government":
        return "doc.issue_government"
    if doc.issuing_as == "office":
        return "doc.issue_office_by_head" if referred_to_head else "doc.issue_office"
    if doc.issuing_as == "unit":
        raise Refused("以本部门名义发文由本部门主要负责人签发，不送区政府核稿签发；部门制定规范性文件须先事先书面请示区政府"
                      f"{rules.cite('doc.normative_department')}", field="issuing_as")
    raise Refused("请先确定发文名义（区政府或区政府办公室）", field="issuing_as")


def _signing_checks(doc: Document, on: dt.date, *, referred_to_head: bool = False) -> None:
    """What 送签 checks on the document (after the actor's remit), in its order; raises the first refusal."""
    if doc.direction != Direction.OUTGOING:
        raise Refused("只有发文需要送签", field="document_id")
    if doc.status not in (Status.DRAFT, Status.RETURNED):
        raise Refused(f"该公文{doc.get_status_display()}，不能送签", field="document_id", status=409)
    if referred_to_head and doc.issuing_as != "office":
        raise Refused("只有以区政府办公室名义发文，才由区政府分管领导报请区长签发；以区政府名义发文本由区长签发"
                      f"{rules.cite('doc.issue_office_by_head', on)}", field="referred_to_head")
    from .intake import precheck

    found = precheck(doc, on=on, stage="signing")
    blocks = [v for v in found if v.blocks]
    if blocks:
        raise Refused(f"送签前须纠正{len(blocks)}处问题", violations=found, field=blocks[0].field)
    route_for(doc, referred_to_head=referred_to_head)  # no route without the issuing name (区政府 or 办公室)


def signing_refusal(*, doc: Document, on: dt.date | None = None) -> Refused | None:
    """A dry run of document_send_for_signing for the page (nothing written): the refusal 送签 now
    would meet — the same checks — or None."""
    try:
        _signing_checks(doc, on or rules.today())
    except Refused as e:
        return e
    return None


def document_send_for_signing(*, actor: Person, document_id: int, referred_to_head: bool = False,
                              countersign_units: list[Unit] | None = None, on: dt.date | None = None) -> Document:
    """送核稿、会签、签发: start the art. 69 route for an outgoing document."""
    on = on or rules.today()
    doc = access.document_visible(actor, document_id, on=on)
    if not (access.is_office_staff(actor, on) or doc.created_by_id == actor.pk):
        raise Refused("只有拟稿人或区政府办公室可以送签", field="document_id", status=403)
    _signing_checks(doc, on, referred_to_head=referred_to_head)
    route_id = route_for(doc, referred_to_head=referred_to_head)
    units = countersign_units or []
    with transaction.atomic():
        approval = wf.approval_start(actor=actor, route_id=route_id, obj_type=OBJ, obj_id=str(doc.pk),
                                     title=doc.title, urgency=doc.urgency, applicant_unit=doc.unit,
                                     context={"countersign": bool(units),
                                              "countersign_unit_ids": [u.pk for u in units]}, on=on)
        transition(doc, expect=[Status.DRAFT, Status.RETURNED], to=Status.IN_APPROVAL, approval=approval,
                   field="document_id")
        audit_append(actor=actor, action="documents.document.route", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"status": doc.status, "route": route_id, "countersign": [u.pk for u in units]},
                     article=rules.article_of(route_id, on),
                     summary=f"送核稿签发（{rules.book(on).route(route_id).title}）")
    return doc


def on_signing_finished(approval: Approval, actor: Person, on: dt.date) -> None:
    """The last step (签发/签署) done: the document is signed by the person who did it, in the post
    they held or acted for that day (authority is recorded from the person who acts, not from the
    task's post) — after checking art. 69 on what actually happened (the reviews done, in order,
    and the signer's post)."""
    from zhengwu.org import selectors as org

    doc = Document.objects.get(pk=int(approval.obj_id))
    done = approval.tasks.filter(status=Task.Status.DONE, kind=Task.Kind.STEP).order_by("completed_at", "id")
    reviews = [facts.REVIEW_ROLES[t.step_id] for t in done if t.step_id in facts.REVIEW_ROLES]
    sign_task = done.select_related("position").last()
    signer = sign_task.completed_by if sign_task and sign_task.completed_by_id else actor
    if sign_task and sign_task.position_id and sign_task.completed_as:
        position, acting = sign_task.position, sign_task.completed_as == "acting"
    else:  # not eligible for the step's post: the post the person holds themselves (R69 then refuses)
        held = org.positions_of(signer, on)
        position, acting = (held[0] if held else None), False
    role = position.code if position else ""
    rules.enforce("documents.signing", facts.signing(doc, reviews_done=reviews, signer_role=role,
                                                    referred_to_head=approval.route_id == "doc.issue_office_by_head"),
                  on=on)
    transition(doc, expect=[Status.IN_APPROVAL], to=Status.SIGNED, versioned=False, signer=signer, signed_on=on,
               signer_position=position.title if position else "", signer_acting=acting)
    audit_append(actor=signer, action="documents.document.sign", obj_type=OBJ, obj_id=str(doc.pk),
                 after={"status": "signed", "signer": signer.pk, "position": role, "acting": acting},
                 article=route_article(approval),
                 summary=f"{signer}{'（代' + position.title + '）' if acting and position else ''}签发")


def _issue_checks(doc: Document, on: dt.date) -> None:
    """What 印发 checks on the document (after the actor's remit), in its order; raises the first refusal."""
    if doc.status != Status.SIGNED:
        raise Refused("公文签发后才能印发", field="document_id", status=409)
    if not doc.doc_number:
        raise Refused("请先编发文字号", field="doc_number")
    from .intake import precheck

    found = precheck(doc, on=on, stage="issuing")
    blocks = [v for v in found if v.blocks]
    if blocks:
        raise Refused(f"印发前须纠正{len(blocks)}处问题", violations=found, field=blocks[0].field)


def issue_refusal(*, doc: Document, on: dt.date | None = None) -> Refused | None:
    """A dry run of document_issue for the page (nothing written): the refusal 印发 now would meet —
    the same checks — or None."""
    try:
        _issue_checks(doc, on or rules.today())
    except Refused as e:
        return e
    return None


def document_issue(*, actor: Person, document_id: int, on: dt.date | None = None) -> Document:
    """印发: a signed and numbered document goes out. Normative documents get their evaluation task,
    and those the 区政府 makes (documents.normative_filing_issuers) the filing with the 区人大常委会
    (art. 25); a department's own is not filed by the government."""
    on = on or rules.today()
    from .services import for_numbering_or_issue

    doc = for_numbering_or_issue(actor, document_id, on=on)
    _issue_checks(doc, on)
    with transaction.atomic():
        transition(doc, expect=[Status.SIGNED], to=Status.ISSUED, field="document_id")
        audit_append(actor=actor, action="documents.document.issue", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"status": "issued", "doc_number": doc.doc_number, "public": doc.public},
                     article=rules.article_of("R70.own_remit", on),
                     summary=f"印发{doc.doc_number}")
        if doc.is_normative:
            if doc.issuing_as in rules.param("documents.normative_filing_issuers", on):  # the 区政府's own
                _start_follow_up(actor, doc, "doc.normative_filing", FILING, on)
            _start_follow_up(actor, doc, "doc.normative_evaluation", EVALUATION, on)
        from .signals import document_issued

        document_issued.send(sender=Document, actor=actor, document=doc, on=on)
    return doc


def _start_follow_up(actor: Person, doc: Document, route_id: str, item: str, on: dt.date) -> Approval:
    from zhengwu.rulebook import note_exercised

    note_exercised(item)
    return wf.approval_start(actor=actor, route_id=route_id, obj_type="documents.followup", obj_id=str(doc.pk),
                             title=f"{doc.doc_number} {doc.title}", urgency="一般", applicant_unit=doc.unit, on=on)


def followups(doc: Document) -> list[Task]:
    return list(Task.objects.filter(approval__obj_type="documents.followup", approval__obj_id=str(doc.pk))
                .select_related("approval", "assignee").order_by("id"))
