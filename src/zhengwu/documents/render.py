"""A document as .docx in the GB/T 9704-2012 layout (zhengwu.output.gbt9704 does the layout)."""

from __future__ import annotations

from zhengwu.errors import Refused

from zhengwu.output import gbt9704
from .models import Document


def official(doc: Document) -> gbt9704.OfficialDocument:
    gov = doc.government
    office = doc.issuing_as == "office"
    unit = doc.issuing_as == "unit"  # a department in its own name (e.g. its normative document, art. 25)
    issuer = doc.unit.name if unit else (f"{gov.name}办公室" if office else gov.name)
    upward = bool(doc.facts.get("upward"))
    return gbt9704.OfficialDocument(
        issuer_mark=f"{issuer}文件",
        doc_number=doc.doc_number,
        title=doc.title,
        main_recipients="、".join(doc.main_recipients) + ("：" if doc.main_recipients else ""),
        body=doc.body,
        issuer_signature=issuer,
        date=doc.signed_on,
        urgency=doc.urgency if doc.urgency in ("加急", "特急") else ("特急" if doc.urgency == "特急重要" else ""),
        upward=upward,
        signers=(str(doc.signer),) if (upward and doc.signer_id) else (),
        note=doc.note,
        cc="、".join(doc.cc),
        printer=doc.unit.name if unit else f"{gov.name}办公室",
        print_date=doc.signed_on,
    )


def render_docx(doc: Document) -> bytes:
    if doc.classified:
        raise Refused("涉密公文不在本系统生成正文", field="classification")
    if not doc.doc_number or doc.signed_on is None:
        raise Refused("公文签发并编号后才能生成版式文件", field="doc_number")
    try:
        return gbt9704.render_docx(official(doc))
    except gbt9704.DocumentIncomplete as e:
        raise Refused(str(e), field=getattr(e, "field", None)) from None
