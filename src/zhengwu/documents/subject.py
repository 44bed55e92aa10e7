"""The documents app's side of the subject contract (workflow/subjects.py): per route it runs, what
happens when a step is done, when the route ends or is sent back, and who besides the step's post
may hold a step. The engine dispatches by route; nothing here branches on route ids."""

from __future__ import annotations

import datetime as dt

from zhengwu.org import selectors as org
from zhengwu.workflow import subjects
from zhengwu.workflow.authority import Eligible, of_posts
from zhengwu.workflow.resolvers import context_of
from zhengwu.workflow.subjects import RouteContract, Sender, Subject

from . import department, intake, issuing, task_view

from .models import Direction, Document

OBJ = intake.OBJ
OBJ_FOLLOWUP = "documents.followup"


def _load(obj_id):
    return Document.objects.select_related("unit").filter(pk=int(obj_id)).first()


def _summary(doc: Document) -> str:
    """Unit · kind · number · urgency, the kind and urgency in the reader's language (the book's
    glossary, workflow.models.Urgency); the unit's name and the number are content, set apart
    with lang="zh" (HTML, safe)."""
    from django.utils.html import format_html, format_html_join
    from django.utils.text import capfirst

    from zhengwu import rules
    from zhengwu.web.present import book_name
    from zhengwu.web.templatetags.zw_labels import urgency_label

    kind = capfirst(book_name(rules.lib().current, doc.kind)) if doc.kind else ""
    zh = '<span lang="zh">{}</span>'
    parts = ((zh, doc.unit.name if doc.unit_id else ""), ("{}", kind),
             (zh, doc.intake_number or doc.doc_number), ("{}", urgency_label(doc.urgency)))
    return format_html_join(" · ", "{}", ((format_html(fmt, x),) for fmt, x in parts if x))


def _senders(obj_ids) -> dict[str, Sender]:
    """Whom each document comes from: a 来文's unit and the head who signed it off for submission
    (签发人; the clerk who registered it started the approval, but he is not the sender); a draft's
    unit and its drafter (拟稿人). One query for any number of documents."""
    ids = [int(x) for x in obj_ids if str(x).isdigit()]
    found = {}
    for doc in (Document.objects.filter(pk__in=ids).select_related("unit", "signer", "created_by")
                .only("direction", "unit__name", "signer__full_name", "signer__username",
                      "created_by__full_name", "created_by__username")):
        incoming = doc.direction == Direction.INCOMING
        person = doc.signer if incoming else doc.created_by
        found[str(doc.pk)] = Sender(unit=doc.unit.name, person=str(person) if person else "", incoming=incoming)
    return found


def _government(approval, on: dt.date):
    return context_of(approval, on).government


def legality_reviewers(approval, task, on: dt.date) -> Eligible:
    """合法性审查 (art. 25: 由司法部门进行合法性审查): the office records it, or hands it on (转办) to the
    head of the 司法部门 — a unit whose domains hold department.LEGAL_DOMAIN, the same test
    department.procedure_facts applies to who reviewed."""
    gov = _government(approval, on)
    units = [u for u in org.units(gov) if department.LEGAL_DOMAIN in (u.domains or [])]
    posts = [p for p in [org.position_by_code(gov, "office_director")]
             + [org.position_by_code(gov, "unit_head", unit=u) for u in units] if p is not None]
    return of_posts(posts, on, post="、".join(["区政府办公室主任"] + [f"{u.name}主要负责人" for u in units]))


def office_staff(approval, task, on: dt.date) -> Eligible:
    """报区人大常委会备案 (art. 25) is the 区政府办公室's act: its director, or the office's staff he hands it to."""
    office = list(_government(approval, on).positions.filter(unit__kind=org.OFFICE_UNIT_KIND))
    return of_posts(office, on, post="区政府办公室工作人员")


_intake = RouteContract(on_task_done=intake.on_instruction, on_finished=intake.on_answered,
                        on_returned=intake.on_returned)
_signing = RouteContract(on_finished=issuing.on_signing_finished, on_returned=intake.on_returned)

subjects.register(Subject(
    obj_type=OBJ, label="公文", load=_load, title=lambda d: d.title, url=lambda d: f"/documents/{d.pk}/",
    summary=_summary, fragment=task_view.FRAGMENT, fragment_context=task_view.fragment_context,
    handwriting=task_view.attach_handwriting, senders=_senders,
    routes={
        "doc.intake": _intake,
        "doc.intake_urgent": _intake,
        **{route: _signing for route in issuing.ISSUE_ROUTES},
        department.ROUTE: RouteContract(on_finished=department.on_request_finished, on_returned=intake.on_returned,
                                        eligible={"legality_review": legality_reviewers}),
        intake.COUNTERSIGN_ROUTE: RouteContract(on_finished=intake.on_countersigned, on_returned=intake.on_returned),
    }))

subjects.register(Subject(
    obj_type=OBJ_FOLLOWUP, label="规范性文件备案和评估", load=_load, title=lambda d: f"{d.doc_number} {d.title}",
    url=lambda d: f"/documents/{d.pk}/", summary=_summary,
    fragment=task_view.FRAGMENT, fragment_context=task_view.fragment_context,
    routes={"doc.normative_filing": RouteContract(eligible={"file": office_staff}),
            "doc.normative_evaluation": RouteContract()}))
