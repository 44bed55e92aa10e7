"""Shared helper of the proposals tests: the 答复函 through the documents flow (art. 39) — the lead
unit drafts it from the proposal, its 主要负责人 signs it in the unit's own name, the unit numbers it."""

from __future__ import annotations

import datetime as dt

from zhengwu.documents import department
from zhengwu.documents import services as documents
from zhengwu.org.models import Person
from zhengwu.proposals import services


def signed_letter(item, head: Person, on: dt.date, *, body: str = "经研究，现答复如下：已列入明年计划。",
                  drafter: Person | None = None):
    """Draft (by `drafter`, default the head), sign as the unit (the head) and number the round's letter."""
    doc = services.reply_draft(actor=drafter or head, proposal_id=item.pk, body=body, on=on)
    department.document_sign_as_unit(actor=head, document_id=doc.pk, on=on)
    return documents.document_number(actor=head, document_id=doc.pk, on=on)
