"""Minutes (纪要) as .docx in the 纪要 format of GB/T 9704-2012 (clause 10.2), built with the page
setup, styles and writers of zhengwu.output.gbt9704 so that a 纪要 and a 公文 share one layout:

- 纪要标志 "白城市洮北区人民政府常务会议纪要" in red 小标宋, centred, 35 mm below the type area's top;
- the number (第N期 / 〔2026〕N号) centred, then the issuer and the date on one line above the red
  separator (the usual practice for 纪要: "区政府办公室 …… 2026年11月4日");
- the title (2号小标宋) and the body (3号仿宋, headings by level);
- one blank line, then "出席：" / "请假：" / "列席：" in 3号黑体 two characters in, the names in
  3号仿宋, wrapped lines aligned after the colon (10.2);
- the 版记: 抄送 and 印发 (7.4).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT

from zhengwu.output import gbt9704 as g
from zhengwu.errors import Refused


@dataclass(frozen=True)
class MinutesDocument:
    mark: str  # 纪要标志, e.g. 白城市洮北区人民政府常务会议纪要
    number: str  # e.g. 〔2026〕11号
    issuer: str  # 区政府办公室
    date: dt.date  # signed on
    title: str
    body: tuple[str, ...]
    present: tuple[str, ...] = ()  # 出席
    on_leave: tuple[str, ...] = ()  # 请假
    attending: tuple[str, ...] = ()  # 列席
    cc: str = ""
    printer: str = ""
    extra: dict = field(default_factory=dict)


def _names(w: g._Writer, label: str, names: tuple[str, ...]) -> None:
    if not names:
        return
    label_w = g._width(label + "：")
    p = w.para(align=WD_ALIGN_PARAGRAPH.JUSTIFY, left=2 + label_w, first=-label_w)
    w.run(p, label + "：", g.HEITI)
    w.run(p, "、".join(names))


def _build(doc: MinutesDocument):
    from docx import Document

    from docx.oxml.ns import qn

    d = Document()
    body = d.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    g._setup_styles(d)
    g._setup_section(d)
    w = g._Writer(d)
    line = round(g.MARK_SIZE * 20 * 1.3)
    p = w.para(align=WD_ALIGN_PARAGRAPH.CENTER, line=line, before=max(0, g.MARK_TOP - line // 4))
    natural = g._width(doc.mark) * g.MARK_SIZE * 20
    scale = min(100, int(g.TEXT_WIDTH / natural * 100)) if natural else 100
    w.run(p, doc.mark, g.XIAOBIAOSONG, g.MARK_SIZE, color=g.RED, scale=scale)
    w.blank(1)
    if doc.number:
        w.run(w.para(align=WD_ALIGN_PARAGRAPH.CENTER), doc.number)
    p = w.para(tabs=[(WD_TAB_ALIGNMENT.LEFT, g._chars(1)), (WD_TAB_ALIGNMENT.RIGHT, g.TEXT_WIDTH - g._chars(1))])
    w.run(p, f"\t{doc.issuer}\t{g.format_date(doc.date)}")
    borders = g._el("w:pBdr")
    borders.append(g._border("w:bottom", g.SEPARATOR_SZ, g.RED, g.SEPARATOR_SPACE))
    g._put(p._p.get_or_add_pPr(), borders, g._PPR_SEQ)
    g._title(w, g.OfficialDocument(title=doc.title), before_lines=1)
    w.blank()
    g._body(w, g._paragraphs(doc.body))
    if doc.present or doc.on_leave or doc.attending:
        w.blank()
    _names(w, "出席", doc.present)
    _names(w, "请假", doc.on_leave)
    _names(w, "列席", doc.attending)
    official = g.OfficialDocument(issuer_mark=doc.mark, doc_number=doc.number or "-", title=doc.title,
                                  body=doc.body, issuer_signature=doc.issuer, date=doc.date, cc=doc.cc,
                                  printer=doc.printer or doc.issuer, print_date=doc.date, sealed=False)
    g._imprint(d, w, official)
    props = d.core_properties
    props.title = doc.title
    props.author = doc.issuer
    props.comments = props.last_modified_by = ""
    props.created = props.modified = dt.datetime.combine(doc.date, dt.time())
    props.revision = 1
    return d


def render(doc: MinutesDocument) -> bytes:
    missing = [name for name in ("mark", "issuer", "title") if not getattr(doc, name).strip()]
    if not doc.body:
        missing.append("body")
    if missing:
        raise Refused(f"纪要缺少{missing[0]}", field=missing[0])
    raw = io.BytesIO()
    _build(doc).save(raw)
    return g._finish(raw.getvalue(), doc.date)


LEADER_PORTFOLIO_CODES = ("executive_deputy", "deputy_head")  # whose bracket names their 分管 areas
_BRACKETS = (("（", "）"), ("(", ")"))


def attendee_label(name: str, title: str = "", code: str = "") -> str:
    """"王丙（副区长，分管城建、应急）": the name, then the post in one pair of brackets — a post
    title that carries its own bracket ("副区长（城建、应急）") is unfolded, never nested; a
    deputy head's bracket names the areas they are in charge of (分管)."""
    name, title = name.strip(), (title or "").strip()
    if not title:
        return name
    for left, right in _BRACKETS:
        if title.endswith(right) and left in title:
            base, _, inner = title[:-1].partition(left)
            base, inner = base.strip(), inner.strip().replace(left, "").replace(right, "")
            if inner and code in LEADER_PORTFOLIO_CODES and not inner.startswith(("分管", "负责", "协助", "兼")):
                inner = f"分管{inner}"
            title = f"{base}，{inner}" if base and inner else (base or inner)
            break
    title = title.replace("（", "，").replace("）", "").replace("(", "，").replace(")", "")
    return f"{name}（{title}）"


def minutes_document(minutes) -> MinutesDocument:
    from zhengwu import rules

    from .models import Attendance

    meeting = minutes.meeting
    gov = meeting.government
    types = rules.param("meetings.types", minutes.signed_on)
    kind = types.get(meeting.meeting_type, "会议").removeprefix("区政府")
    atts = list(meeting.attendances.select_related("person").order_by("role", "order", "id"))

    def label(a):
        return attendee_label(str(a.person), a.position_title, a.position_code)

    return MinutesDocument(
        mark=f"{gov.name}{kind}纪要", number=minutes.number, issuer=f"{gov.name}办公室",
        date=minutes.signed_on, title=minutes.title, body=tuple(minutes.body.splitlines()),
        present=tuple(label(a) for a in atts if a.role == Attendance.Role.MEMBER and a.signed_in_at),
        on_leave=tuple(label(a) for a in atts if a.status == Attendance.Status.ON_LEAVE),
        attending=tuple(label(a) for a in atts if a.role != Attendance.Role.MEMBER and a.signed_in_at),  # 参加, 列席
        printer=f"{gov.name}办公室")


def render_minutes_docx(minutes) -> bytes:
    """The signed minutes as .docx (refused before they are signed)."""
    if minutes.status != "signed" or minutes.signed_on is None:
        raise Refused("纪要签发后才能生成版式文件", field="minutes_id")
    return render(minutes_document(minutes))
