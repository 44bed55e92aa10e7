"""A document as .docx in the GB/T 9704-2012 layout (zhengwu.output.gbt9704 does the layout)."""

from __future__ import annotations

from zhengwu import rules
from zhengwu.errors import Refused

from zhengwu.output import gbt9704
from .facts import repeated_salutation
from .models import Document


# The texts an 印发通知 issues (a title ending so is not a 文种 of its own, GB/T 9704 / 条例 art. 8):
# such a document goes out inside "关于印发《…》的通知".
ISSUED_TEXTS = ("办法", "规定", "细则", "规则", "实施方案", "方案", "制度", "规划", "准则", "守则", "章程")
ISSUE_WRAPPER_PREFIXES = ("关于印发", "关于转发", "关于批转")


def needs_issue_notice(doc: Document, on=None) -> bool:
    """A 办法/规定 … (a text that is not itself one of the 15 文种) issued as a document: it goes out
    inside an 印发通知, unless its title already is one ("关于印发《…》的通知")."""
    title = (doc.title or "").strip()
    if doc.direction != "outgoing" or title.startswith(ISSUE_WRAPPER_PREFIXES):
        return False
    kinds = tuple(rules.param("documents.kinds", on or doc.signed_on))
    return title.endswith(ISSUED_TEXTS) and not title.endswith(kinds)


def issue_notice_title(title: str) -> str:
    return f"关于印发《{title.strip()}》的通知"


def issue_notice_body(doc: Document) -> str:
    """The 印发通知's own text: what it issues, by whose decision (集体讨论依据) where recorded."""
    name = f"《{doc.title.strip()}》"
    basis = (doc.collective_ref or "").strip()
    if basis:
        return f"{name}已经{basis}审议通过，现印发给你们，请认真贯彻执行。"
    return f"现将{name}印发给你们，请认真贯彻执行。"


def body_without_salutation(body: str, recipients: list[str]) -> str:
    """The 正文 without a first line that repeats the 主送机关 ("区人民政府：" typed by the drafter):
    the layout prints the 主送 itself, so it would show twice (the pre-check warns about it)."""
    if not repeated_salutation(body, recipients):
        return body
    return "\n".join(body.lstrip().splitlines()[1:])


def official(doc: Document) -> gbt9704.OfficialDocument:
    gov = doc.government
    office = doc.issuing_as == "office"
    unit = doc.issuing_as == "unit"  # a department in its own name (e.g. its normative document, art. 25)
    issuer = doc.unit.name if unit else (f"{gov.name}办公室" if office else gov.name)
    upward = bool(doc.facts.get("upward"))
    masthead = dict(rules.param("documents.masthead", doc.signed_on))  # this government's 红头 (art. 67)
    body = body_without_salutation(doc.body, list(doc.main_recipients or []))
    title, enclosed = doc.title, None
    if needs_issue_notice(doc):
        title, enclosed = issue_notice_title(doc.title), (doc.title, body)
        body = issue_notice_body(doc)
    return gbt9704.OfficialDocument(
        issuer_mark=f"{issuer}文件",
        doc_number=doc.doc_number,
        title=title,
        main_recipients="、".join(doc.main_recipients) + ("：" if doc.main_recipients else ""),
        body=body,
        enclosed=enclosed,
        mark_height_mm=float(masthead.get("height_mm") or 0),
        mark_width_mm=float(masthead.get("width_mm") or 0),
        seal_mm=float(masthead.get("seal_mm") or 42),
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
