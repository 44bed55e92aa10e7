"""Art. 33 (政务公开): record how and when a public document was disclosed — the channel (one of
disclosure.channels: 政府网站、公报、新闻发布会、新闻媒体) and the date. The only writer of
`Document.disclosure_channel` / `disclosed_on`; the rule R33.disclosure_record decides."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Refused
from zhengwu.org.models import Person
from zhengwu.rulebook.rules.documents import DisclosureFacts
from zhengwu.transitions import set_once

from .models import Document

OBJ = "documents.document"


def channels(on: dt.date | None = None) -> dict[str, str]:
    return dict(rules.param("disclosure.channels", on))


def disclosure_facts(doc: Document, *, channel: str = "", disclosed_on: dt.date | None = None) -> DisclosureFacts:
    return DisclosureFacts(public=doc.public, non_disclosure_reason=doc.non_disclosure_reason, channel=channel,
                           disclosed_on=disclosed_on, issued_on=doc.signed_on)


def document_disclose(*, actor: Person, document_id: int, channel: str, disclosed_on: dt.date | None,
                      on: dt.date | None = None) -> Document:
    """登记公开：an issued public document was disclosed through `channel` on `disclosed_on`
    (not before its 成文日期, the day it was signed). Recorded once."""
    on = on or rules.today()
    from .services import for_numbering_or_issue

    doc = for_numbering_or_issue(actor, document_id, on=on)
    if doc.status != Document.Status.ISSUED:
        raise Refused("公文印发后才能登记公开", field="document_id", status=409)
    if doc.disclosed_on is not None:
        raise Refused(f"该公文已登记公开（{doc.disclosed_on.isoformat()}）", field="document_id", status=409)
    channel = (channel or "").strip()
    if not channel and disclosed_on is None:
        raise Refused(f"登记公开须选择公开形式并填写公开日期{rules.cite('disclosure.channels', on)}", field="channel")
    if disclosed_on is not None and disclosed_on > on:
        raise Refused("公开日期不能晚于今天", field="disclosed_on")
    rules.enforce("documents.disclosure", disclosure_facts(doc, channel=channel, disclosed_on=disclosed_on),
                  on=on, message="登记公开须纠正以下问题")
    with transaction.atomic():
        set_once(doc, where={"disclosed_on__isnull": True}, field="document_id",
                 disclosure_channel=channel, disclosed_on=disclosed_on)
        audit_append(actor=actor, action="documents.document.disclose", obj_type=OBJ, obj_id=str(doc.pk),
                     before={"disclosure_channel": "", "disclosed_on": None},
                     after={"disclosure_channel": channel, "disclosed_on": disclosed_on.isoformat()},
                     article=rules.article_of("R33.disclosure_record", on),
                     summary=f"通过{channels(on)[channel]}公开（{disclosed_on.isoformat()}）")
    return doc


WEBSITE = "website"  # the disclosure.channels key of the 政府网站 (the public site /public/)


def document_released_on_website(*, actor: Person | None, document_id: int, on: dt.date) -> bool:
    """The disclosure queue released the document on the government's web site (zhengwu.disclosure,
    inside its release transaction): the document's own disclosure record is that channel and day,
    written once; False when the unit had already recorded a disclosure (kept as it was)."""
    from zhengwu.errors import Conflict

    doc = Document.objects.filter(pk=document_id).first()
    if doc is None or doc.disclosed_on is not None:
        return False
    try:
        set_once(doc, where={"disclosed_on__isnull": True}, versioned=False, field="document_id",
                 disclosure_channel=WEBSITE, disclosed_on=on)
    except Conflict:
        return False
    audit_append(actor=actor, action="documents.document.disclose", obj_type=OBJ, obj_id=str(doc.pk),
                 before={"disclosure_channel": "", "disclosed_on": None},
                 after={"disclosure_channel": WEBSITE, "disclosed_on": on.isoformat()},
                 article=rules.article_of("R33.disclosure_record", on),
                 summary=f"通过{channels(on).get(WEBSITE, WEBSITE)}公开（{on.isoformat()}，政务公开发布）")
    return True
