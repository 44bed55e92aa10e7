"""归档 (立卷归档): a handled document — an answered 来文, an issued 发文 — is filed, once.

The 工作规则 has no article of its own on filing: art. 67 binds the government's documents to the
《党政机关公文处理工作条例》, whose art. 27 says the documents to be kept are collected complete and
filed by the body that handled them (主办机关归档), and makes the 区政府办公室 the one that handles the
documents sent to and issued by the 区政府 (按规定程序统一办理). So the refusals and the audit cite
art. 67 (declared W67.archive) and:
- the 区政府办公室 files the 区政府's and its own documents and every 来文 it handled;
- a department files the documents it issued in its own name (the same split as 编号 and 印发).

One guard for every door (the web page and its batch, the API): `document_archive` checks who may
file, then the state, then writes with one conditional update on the expected status and on
"not filed yet" (zhengwu.transitions), audited in the same transaction; `archive_refusal` is its dry
run for the page's guided button. Filing changes no status (answered / issued stay as they are):
`archived_on` and `archived_by` record it, and the office's 待归档 count
(documents.desk.office_counts) leaves the document out from then on.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Forbidden, Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Person
from zhengwu.rulebook import Violation, declare, note_exercised
from zhengwu.transitions import transition

from . import access
from .intake import OBJ
from .models import Direction, Document

Status = Document.Status

ARCHIVE = declare("W67.archive", article=67, kind="permission",
                  summary="公文办毕由区政府办公室立卷归档（部门以本部门名义发文的由本部门归档）")

# the state a document is handled in, by direction: only then is it filed
HANDLED = {Direction.INCOMING: Status.ANSWERED, Direction.OUTGOING: Status.ISSUED}


def _cited(refusal: Refused, en: str, on: dt.date) -> Refused:
    """The refusal with its finding under W67.archive (art. 67), so the page shows the article beside
    the reason and an English reader reads it in English."""
    book = rules.book(on)
    art = rules.article_of(ARCHIVE, on)
    refusal.violations = [Violation(rule_id=ARCHIVE, article=art, severity="block",
                                    message=f"{refusal.message}{book.cite(art)}", field="document_id",
                                    message_en=f"{en}{book.cite_en(art)}")]
    refusal.message = refusal.violations[0].message
    return refusal


def _may_file(actor: Person, doc: Document, on: dt.date) -> None:
    """Who files it (W67.archive): the department its own-name documents, the office all the others."""
    if doc.direction == Direction.OUTGOING and doc.issuing_as == "unit":
        if not any(p.unit_id == doc.unit_id for p in org.positions_of(actor, on)):
            raise _cited(Forbidden("以本部门名义印发的公文由本部门归档"),
                         "A document a department issued in its own name is filed by that department", on)
        return
    if not access.is_office_staff(actor, on):
        raise _cited(Forbidden("区政府的公文和收文由区政府办公室归档"),
                     "The government's documents and the documents it receives are filed by the government office",
                     on)


def _archive_checks(doc: Document, on: dt.date) -> None:
    """What 归档 checks on the document (after the actor's remit); raises the first refusal."""
    if doc.archived_on is not None:
        day = doc.archived_on.isoformat()
        raise _cited(Refused(f"该公文已于{day}归档", field="document_id", status=409),
                     f"This document was filed on {day}", on)
    if doc.status != HANDLED[doc.direction]:
        if doc.direction == Direction.INCOMING:
            zh, en = "答复", "A document received is filed once it is answered"
        else:
            zh, en = "印发", "A document is filed once it is issued"
        raise _cited(Refused(f"该公文{doc.get_status_display()}，{zh}后才能归档", field="document_id", status=409),
                     en, on)


def archive_refusal(*, actor: Person, doc: Document, on: dt.date | None = None) -> Refused | None:
    """A dry run of document_archive for the page (nothing written): the refusal 归档 now would
    meet — the same checks, who first — or None."""
    on = on or rules.today()
    try:
        _may_file(actor, doc, on)
        _archive_checks(doc, on)
    except Refused as e:
        return e
    return None


def _lost(now: Document | None) -> str:
    if now is not None and now.archived_on is not None:
        return f"该公文已于{now.archived_on.isoformat()}由{now.archived_by}归档"
    return "该公文已被他人修改，请刷新后查看"


def document_archive(*, actor: Person, document_id, on: dt.date | None = None) -> Document:
    """归档: file a handled document, once. Of two clerks filing it at the same moment one wins;
    the other is told who filed it and when."""
    on = on or rules.today()
    doc = access.document_visible(actor, document_id, on=on)
    _may_file(actor, doc, on)
    _archive_checks(doc, on)
    with transaction.atomic():
        transition(doc, expect=[HANDLED[doc.direction]], where={"archived_on__isnull": True},
                   archived_on=on, archived_by=actor, message=_lost, field="document_id")
        note_exercised(ARCHIVE)
        audit_append(actor=actor, action="documents.document.archive", obj_type=OBJ, obj_id=str(doc.pk),
                     before={"archived_on": None}, after={"archived_on": on.isoformat(), "status": doc.status},
                     article=rules.article_of(ARCHIVE, on),
                     summary=f"归档{doc.doc_number or doc.intake_number}")
    return doc
