"""Render an official document (公文) as .docx in the GB/T 9704-2012 《党政机关公文格式》 layout.

Pure Python on top of python-docx (no Django), shared below the domains (zhengwu.output): the
documents app builds an `OfficialDocument`
and calls `render_docx(doc) -> bytes` (or `render_to(doc, path_or_stream)`); `validate(doc)`
lists what is missing first.

The elements are the eighteen of 《党政机关公文处理工作条例》 第九条; where they go and how they
look follows GB/T 9704-2012 (clause numbers below and in the messages refer to that standard).

Page arithmetic (all lengths in twips, 1 mm = 1440/25.4 twips ≈ 56.69 twips)
------------------------------------------------------------------------------
* A4 210 × 297 mm = 11906 × 16838 twips (5.2.1).
* 天头 37 mm → top margin 2098; 订口 28 mm → left margin 1587 (5.2.2);
  版心 156 × 225 mm → right margin 26 mm = 1474, bottom margin 35 mm = 1984.
  Type area: 11906 − 1587 − 1474 = 8845 twips wide (156.0 mm),
  16838 − 2098 − 1984 = 12756 twips high (225.0 mm).
* 22 lines per page (5.2.3): line pitch = ⌊12756 / 22⌋ = 579 twips = 28.95 pt. Every body
  line uses *exact* spacing of 28.95 pt, so any renderer fits exactly 22 lines
  (22 × 579 = 12738 ≤ 12756 < 23 × 579). The section's document grid says the same thing for
  Word/WPS: ``<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/>``.
* 28 characters of 3号 (16 pt) per line (5.2.3). For Word/WPS the grid's character pitch is
  the Normal style's size plus charSpace/4096 pt; it may be at most 8845 / 28 twips =
  15.7946 pt, so charSpace = ⌊(15.7946 − 16) × 4096⌋ = −842 (pitch 15.7944 pt, 28 × pitch =
  442.24 pt ≤ 442.25 pt). Their page-setup dialog then reads "每行28字，每页22行".
  But no paragraph snaps to that grid (Normal has ``w:snapToGrid w:val="0"``): LibreOffice
  cannot squeeze characters into cells narrower than the font and lays a 16 pt character over
  two 15.79 pt cells (14 characters a line). Instead the Normal style tracks text by
  −6 twips (``<w:spacing w:val="-6"/>`` in rPr, −0.3 pt): each character advances 314 twips,
  28 × 314 = 8792 ≤ 8845 < 29 × 314, in Word, WPS and LibreOffice alike (LibreOffice narrows a
  grid page's lines to 28 whole cells of 314.6 twips, hence −6 rather than −5). Runs in other
  sizes reset the tracking to 0.
* One "character" of indentation in the body is therefore 314 twips; indents are written in
  twips and also in hundredths of a character (``w:firstLineChars="200"``), which Word and WPS
  show as "2字符".

Where an element goes (approximations are noted)
------------------------------------------------
* 份号 (6 digits), 密级和保密期限 ("秘密★1年"), 紧急程度: 3号黑体, flush left, one per line at
  the top of the type area, in that order (7.2.1–7.2.3).
* 发文机关标志: red (FF0000) 方正小标宋简体, 26 pt, centred; its line starts 35 mm below the top
  of the type area (80 mm for upward documents), counting the lines above (7.2.4). A mark too
  wide for the type area is condensed (character scale ``w:w``).
* 发文字号: two blank lines below the mark, centred; for upward documents flush left after one
  character, with 签发人 on the same line ending one character from the right ("签发人："
  in 3号仿宋, the names in 3号楷体, two names per line, later lines aligned with the first name,
  the number on the line of the last name) (7.2.5, 7.2.6).
* 版头中的分隔线: the bottom border (red, 1.5 pt) of the paragraph holding 发文字号, 6 pt below
  its line box, which puts it about 4 mm below the glyphs, across the whole type area (7.2.7).
* 标题: two blank lines below the separator, 2号 (22 pt) 方正小标宋简体, centred; a "\\n" in the
  title breaks the line (7.3.1).
* 主送机关: one blank line below the title, flush left, ending with "：" (7.3.2).
* 正文: 3号仿宋_GB2312, justified, first-line indent 2 characters. Structure headings
  "一、" 黑体, "（一）" 楷体_GB2312, "1." and "（1）" 仿宋_GB2312 (7.3.3). When a level-1 or
  level-2 heading continues as text in the same paragraph ("（一）加强领导。各部门……"), only the
  part up to the first "。" takes the heading font.
* 附件说明: one blank line below the body, indented 2 characters, "附件：" then
  "1.<tab>名称" lines whose wrapped lines align with the first character of the name (7.3.4).
* 发文机关署名 / 成文日期 / 印章 (7.3.5): the date in Arabic numerals, "2026年11月27日".
  Sealed: two blank lines are left for the seal (its top within a line of the text above), the
  date ends 4 characters from the right edge and the signature is centred over the date (both
  centred on one centre tab stop). Not sealed: one blank line, the signature right-aligned 2
  characters from the edge, the date on the next line starting 2 characters to the right of the
  signature's first character (or ending 2 characters from the edge when the date is the longer
  one, the signature moving left). No seal image is drawn: the space is left for the stamp.
  The last body paragraph, the 附件说明 and the blank lines are kept with the signature and
  date (``w:keepNext``), so they never stand alone on a page (7.3.5.5); standalone headings and
  the 主送机关 are kept with what follows them.
* 附注: the line after the date, in parentheses, indented 2 characters (7.3.6).
* 附件: each on a new page; "附件1" (just "附件" if there is one) in 3号黑体 flush left on the
  first line, the title centred on the third line in 2号小标宋, a blank line, then paragraphs
  formatted like the body (7.3.7).
* 版记 (7.4): a table without side borders floated to the bottom of the last page's type area
  (so the last rule lies on the type area's lower edge; it moves to a new page when the page
  has no room):
  thick top and bottom rules (0.35 mm ≈ 1 pt), thin rules between rows (0.25 mm ≈ 0.75 pt);
  "抄送：…。" (indented 1 character, wrapped lines aligned after the colon) and
  "印发机关 … 2026年11月27日印发" (印发机关 1 character from the left, the date 1 character from
  the right via a right tab stop), 4号 (14 pt) 仿宋_GB2312. Not done: forcing the 版记 onto an
  even page / leaving blank pages before it.
* 页码 (7.5): "— 1 —" in 4号宋体 with a PAGE field in the footer; odd pages right-aligned one
  character (14 pt) from the edge, even pages left-aligned one character from the edge
  (``w:evenAndOddHeaders``, a default and an even footer). The footer sits so that the dashes
  are about 7 mm below the type area.

Fonts are named, never shipped (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体): the
government PCs' WPS/Word have them. Every run sets ascii, hAnsi, eastAsia and cs fonts
explicitly (python-docx writes only ascii/hAnsi), as do the Normal style and the document
defaults; the font table names a fallback (``w:altName``: 仿宋, 楷体, 宋体) for PCs without the
_GB2312 fonts. Rendering is deterministic: the same document gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Iterable, Union

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from lxml import etree

__all__ = [
    "Attachment",
    "DocumentIncomplete",
    "OfficialDocument",
    "Paragraph",
    "detect_level",
    "format_date",
    "render_docx",
    "render_to",
    "validate",
]

# --- page geometry (twips) --------------------------------------------------------------------

TWIPS_PER_MM = 1440 / 25.4


def _mm(value: float) -> int:
    return round(value * TWIPS_PER_MM)


PAGE_WIDTH = _mm(210)  # 11906
PAGE_HEIGHT = _mm(297)  # 16838
MARGIN_TOP = _mm(37)  # 2098  天头
MARGIN_LEFT = _mm(28)  # 1587  订口
MARGIN_RIGHT = _mm(26)  # 1474
MARGIN_BOTTOM = _mm(35)  # 1984
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8845 ≈ 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 ≈ 225 mm

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
SIZE_2 = 22  # 2号, pt
SIZE_3 = 16  # 3号
SIZE_4 = 14  # 4号
MARK_SIZE = 26  # 发文机关标志, pt

LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE  # 579 twips = 28.95 pt
CHAR_SPACE = math.floor((TEXT_WIDTH / 20 / CHARS_PER_LINE - SIZE_3) * 4096)  # -842 (docGrid)
GRID_PITCH = (SIZE_3 + CHAR_SPACE / 4096) * 20  # ≈ 315.89 twips, Word's grid cell
# Body text is tracked instead of snapped to the grid (see the module doc): a whole number of
# twips ≤ ⌊GRID_PITCH⌋ − 320 = −5; LibreOffice decodes the cell as 314.6 twips and narrows a
# line to 28 whole cells, so −6 (314 twips a character) is what fits 28 everywhere.
CHAR_SPACING = -6  # twips (w:spacing in rPr is in twentieths of a point) = -0.3 pt
CHAR = SIZE_3 * 20 + CHAR_SPACING  # one body character advances 314 twips = 15.7 pt
CHAR_4 = SIZE_4 * 20  # one untracked 4号 character (版记, page numbers) = 280 twips

MARK_TOP = _mm(35)  # type-area top → 发文机关标志 (downward / parallel documents)
MARK_TOP_UPWARD = _mm(80)  # … for upward documents
HEADER_DISTANCE = _mm(15)
FOOTER_LINE = 320  # exact height of the page-number line, twips (16 pt)
# The dashes sit about half an em below the top of their line: put that 7 mm under the type area.
FOOTER_DISTANCE = _mm(35 - 7 + SIZE_4 / 2 / 72 * 25.4) - FOOTER_LINE

RED = "FF0000"
SEPARATOR_SZ = 12  # eighths of a point: 1.5 pt red line under 发文字号
SEPARATOR_SPACE = 6  # points between the number's line and the red line (≈ 4 mm below the glyphs)
RULE_THICK = 8  # 1 pt ≈ 0.35 mm: first and last 版记 rules
RULE_THIN = 6  # 0.75 pt ≈ 0.26 mm: rules between 版记 rows

# --- fonts ----------------------------------------------------------------------------------------

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"

# Font-table entries (charset 86 = GB2312) with the font Word/WPS should use when one is missing.
_FONT_TABLE = {
    XIAOBIAOSONG: ("宋体", "roman"),
    FANGSONG: ("仿宋", "modern"),
    KAITI: ("楷体", "modern"),
    HEITI: ("SimHei", "modern"),
    SONGTI: ("SimSun", "auto"),
}

URGENCIES = ("", "特急", "加急")

# --- the document ---------------------------------------------------------------------------------

_CN_NUM = "一二三四五六七八九十百零〇"
_LEVEL_PATTERNS = (
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (2, re.compile(rf"^（[{_CN_NUM}]+）")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)


def detect_level(text: str) -> int:
    """Structure level of a body paragraph from its numbering prefix (GB/T 9704-2012 7.3.3).

    "一、" → 1, "（一）" → 2, "1." / "1．" → 3, "（1）" / "(1)" → 4, anything else → 0 (text).
    """
    stripped = text.lstrip()
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.match(stripped):
            return level
    return 0


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph. ``level`` None = detect from the prefix; 0 = text; 1–4 = headings."""

    text: str
    level: int | None = None

    def __post_init__(self):
        if self.level is not None and self.level not in (0, 1, 2, 3, 4):
            raise ValueError(f"level：段落层次应为 0–4，收到 {self.level!r}")

    @property
    def resolved_level(self) -> int:
        return detect_level(self.text) if self.level is None else self.level


@dataclass(frozen=True)
class Attachment:
    """An attachment (附件) printed after the body: its title and paragraphs."""

    title: str
    paragraphs: tuple[Paragraph, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "paragraphs", _paragraphs(self.paragraphs))


def _paragraphs(value) -> tuple[Paragraph, ...]:
    """Accept a string (one paragraph per line) or an iterable of str / Paragraph."""
    if isinstance(value, str):
        value = value.splitlines()
    out = []
    for item in value or ():
        para = item if isinstance(item, Paragraph) else Paragraph(str(item))
        if para.text.strip():
            out.append(Paragraph(para.text.strip(), para.level))
    return tuple(out)


def _strings(value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    return tuple(s.strip() for s in (value or ()) if str(s).strip())


@dataclass(frozen=True)
class OfficialDocument:
    """The eighteen format elements of a 公文 (《党政机关公文处理工作条例》第九条).

    Lists given for ``body``, ``signers``, ``attachments_note`` and ``attachments`` are stored
    as tuples; ``attachments`` takes `Attachment`s or ``(title, paragraphs)`` pairs. When
    ``attachments_note`` is empty it is taken from the attachments' titles.
    """

    issuer_mark: str = ""  # 发文机关标志, e.g. "白城市洮北区人民政府文件"
    doc_number: str = ""  # 发文字号, e.g. "白洮政发〔2026〕12号"
    title: str = ""  # 标题 ("\n" breaks the line)
    body: tuple[Paragraph, ...] = ()  # 正文
    issuer_signature: str = ""  # 发文机关署名
    date: _dt.date | None = None  # 成文日期
    main_recipients: str = ""  # 主送机关
    copy_number: str = ""  # 份号
    classification: str = ""  # 密级 (the renderer prints what it is given)
    period: str = ""  # 保密期限, e.g. "1年"
    urgency: str = ""  # 紧急程度: "", "特急", "加急"
    upward: bool = False  # 上行文: prints 签发人, mark at 80 mm
    signers: tuple[str, ...] = ()  # 签发人 (upward documents only)
    attachments_note: tuple[str, ...] = ()  # 附件说明: attachment titles
    sealed: bool = True  # 印章: leave room for the seal
    note: str = ""  # 附注
    attachments: tuple[Attachment, ...] = ()  # 附件
    cc: str = ""  # 抄送机关
    printer: str = ""  # 印发机关
    print_date: _dt.date | None = None  # 印发日期 (defaults to the 成文日期)
    # 发文机关标志 size, set per government (the standard sets none): the height of a character
    # (its em) in mm — 0 = MARK_SIZE pt — and the width in mm the whole mark is condensed to
    # (0 = only as much as the type area needs; a "narrow" government sets less than 156)
    mark_height_mm: float = 0
    mark_width_mm: float = 0
    seal_mm: float = 42  # diameter of the seal whose place is marked on the signature block (7.3.5)
    enclosed: Attachment | None = None  # the text an 印发通知 issues (办法、规定 …), after the signature

    def __post_init__(self):
        object.__setattr__(self, "body", _paragraphs(self.body))
        object.__setattr__(self, "signers", _strings(self.signers))
        object.__setattr__(self, "attachments_note", _strings(self.attachments_note))
        attachments = []
        for item in self.attachments or ():
            if not isinstance(item, Attachment):
                title, paragraphs = item
                item = Attachment(str(title), paragraphs)
            attachments.append(item)
        object.__setattr__(self, "attachments", tuple(attachments))
        if self.enclosed is not None and not isinstance(self.enclosed, Attachment):
            title, paragraphs = self.enclosed
            object.__setattr__(self, "enclosed", Attachment(str(title), paragraphs))

    @property
    def mark_size(self) -> float:
        """发文机关标志 font size in points (half-point steps, as Word stores it)."""
        if not self.mark_height_mm:
            return MARK_SIZE
        return round(self.mark_height_mm / 25.4 * 72 * 2) / 2

    @property
    def attachment_titles(self) -> tuple[str, ...]:
        return self.attachments_note or tuple(a.title for a in self.attachments)


# --- validation -----------------------------------------------------------------------------------


class DocumentIncomplete(ValueError):
    """Raised by `render_docx` when `validate` finds problems; ``field`` names the first."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.field = problems[0][0]
        self.problems = [message for _, message in problems]
        super().__init__(self.problems[0])


_REQUIRED = (
    ("issuer_mark", "发文机关标志", "7.2.4"),
    ("doc_number", "发文字号", "7.2.5"),
    ("title", "标题", "7.3.1"),
    ("body", "正文", "7.3.3"),
    ("issuer_signature", "发文机关署名", "7.3.5"),
    ("date", "成文日期", "7.3.5"),
)
_CITE = "（GB/T 9704-2012 {}）"


def _problems(doc: OfficialDocument) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def add(name: str, message: str, clause: str | None) -> None:
        found.append((name, f"{name}：{message}" + (_CITE.format(clause) if clause else "")))

    for name, label, clause in _REQUIRED:
        value = getattr(doc, name)
        if not (value.strip() if isinstance(value, str) else value):
            add(name, f"缺少{label}", clause)
    if doc.date is not None and not isinstance(doc.date, _dt.date):
        add("date", "成文日期应为日期", "7.3.5.4")
    if doc.print_date is not None:
        if not isinstance(doc.print_date, _dt.date):
            add("print_date", "印发日期应为日期", "7.4.3")
        elif isinstance(doc.date, _dt.date) and _as_date(doc.print_date) < _as_date(doc.date):
            add("print_date", "印发日期不得早于成文日期", None)
    if doc.upward and not doc.signers:
        add("signers", "上行文应当标注签发人", "7.2.6")
    if doc.urgency not in URGENCIES:
        add("urgency", "紧急程度应为“特急”或“加急”", "7.2.3")
    if doc.copy_number and not (str(doc.copy_number).isdigit() and len(str(doc.copy_number)) <= 6):
        add("copy_number", "份号应为不超过6位的阿拉伯数字", "7.2.1")
    if doc.period.strip() and not doc.classification.strip():
        add("classification", "标注保密期限时应当标注密级", "7.2.2")
    if doc.attachments_note and doc.attachments:
        if [_clean_title(t) for t in doc.attachments_note] != [_clean_title(a.title) for a in doc.attachments]:
            add("attachments_note", "附件说明应当与附件的顺序号和标题一致", "7.3.7")
    for i, att in enumerate(doc.attachments, 1):
        if not att.title.strip():
            add("attachments", f"附件{i}缺少标题", "7.3.7")
    if not (0 <= doc.mark_height_mm <= 40):
        add("mark_height_mm", "发文机关标志的字高应在0–40毫米之间", "7.2.4")
    if not (0 <= doc.mark_width_mm <= TEXT_WIDTH / TWIPS_PER_MM + 0.5):
        add("mark_width_mm", "发文机关标志的宽度不得超过版心宽度156毫米", "7.2.4")
    if doc.enclosed is not None and not doc.enclosed.title.strip():
        add("enclosed", "印发的文件缺少标题", None)
    return found


def validate(doc: OfficialDocument) -> list[str]:
    """What keeps `doc` from being rendered, as messages starting with the field name."""
    return [message for _, message in _problems(doc)]


# --- text helpers ---------------------------------------------------------------------------------


def _as_date(value: _dt.date) -> _dt.date:
    return value.date() if isinstance(value, _dt.datetime) else value


def format_date(value: _dt.date) -> str:
    """成文日期 in Arabic numerals, full year, no leading zeros: "2026年11月27日" (7.3.5.4)."""
    return f"{value.year}年{value.month}月{value.day}日"


def _width(text: str) -> float:
    """Width in full-width characters: CJK and ambiguous ones count 1, Latin/digits ½."""
    return sum(0.5 if unicodedata.east_asian_width(ch) in ("Na", "H", "N") else 1.0 for ch in text)


_TRAILING_PUNCT = "。，、；：.,;:！!？?"


def _clean_title(title: str) -> str:
    return title.strip().rstrip(_TRAILING_PUNCT).strip()


# --- low-level OOXML ------------------------------------------------------------------------------

_PPR_SEQ = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
_RPR_SEQ = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)


def _el(tag: str, **attrs) -> etree._Element:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _put(parent, child, seq) -> etree._Element:
    """Insert `child` into `parent` in schema order, replacing an element with the same tag."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    name = next(t for t in seq if qn(t) == tag)
    successors = {qn(t) for t in seq[seq.index(name) + 1:]}
    for i, existing in enumerate(parent):
        if existing.tag in successors:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _set_fonts(rpr, font: str) -> None:
    _put(rpr, _el("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font), _RPR_SEQ)


def _style_run(run, font: str, size: float, *, color: str | None = None, scale: int | None = None) -> None:
    rpr = run._element.get_or_add_rPr()
    _set_fonts(rpr, font)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    if scale and scale != 100:
        _put(rpr, _el("w:w", val=scale), _RPR_SEQ)
    if size != SIZE_3:  # the Normal style's -0.25 pt tracking is for 3号 body text only
        _put(rpr, _el("w:spacing", val=0), _RPR_SEQ)
    half_points = round(size * 2)
    _put(rpr, _el("w:sz", val=half_points), _RPR_SEQ)
    _put(rpr, _el("w:szCs", val=half_points), _RPR_SEQ)


def _chars(n: float) -> int:
    return round(n * CHAR)


class _Writer:
    """Appends formatted paragraphs to a python-docx container (document body, cell, footer)."""

    def __init__(self, container):
        self.container = container

    def para(self, *, align=None, first: float = 0, left: float = 0, right: float = 0,
             unit: float = CHAR, line: int = LINE_PITCH, before: int = 0,
             page_break: bool = False, keep_next: bool = False, tabs=(), autospace: bool = True):
        """A paragraph; indents in characters of `unit` twips (negative `first` = hanging)."""
        p = self.container.add_paragraph()
        fmt = p.paragraph_format
        if align is not None:
            fmt.alignment = align
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(line)
        fmt.space_before = Twips(before)
        fmt.space_after = Twips(0)
        if page_break:
            fmt.page_break_before = True
        if keep_next:
            fmt.keep_with_next = True
        for kind, pos in tabs:
            fmt.tab_stops.add_tab_stop(Twips(round(pos)), kind)
        ppr = p._p.get_or_add_pPr()
        if not autospace:
            _put(ppr, _el("w:autoSpaceDE", val=0), _PPR_SEQ)
            _put(ppr, _el("w:autoSpaceDN", val=0), _PPR_SEQ)
        if first or left or right:
            attrs = {}
            on_grid = unit == CHAR  # body characters: also in hundredths of a character
            if left:
                attrs["left"] = round(left * unit)
                if on_grid:
                    attrs["leftChars"] = round(left * 100)
            if right:
                attrs["right"] = round(right * unit)
                if on_grid:
                    attrs["rightChars"] = round(right * 100)
            if first > 0:
                attrs["firstLine"] = round(first * unit)
                if on_grid:
                    attrs["firstLineChars"] = round(first * 100)
            elif first < 0:
                attrs["hanging"] = round(-first * unit)
                if on_grid:
                    attrs["hangingChars"] = round(-first * 100)
            _put(ppr, _el("w:ind", **attrs), _PPR_SEQ)
        return p

    @staticmethod
    def run(p, text: str, font: str = FANGSONG, size: float = SIZE_3, **kw):
        r = p.add_run(text)
        _style_run(r, font, size, **kw)
        return r

    def blank(self, n: int = 1, *, keep_next: bool = False) -> None:
        for _ in range(n):
            self.para(keep_next=keep_next)


def _border(tag: str, sz: int, color: str = "000000", space: int = 0):
    return _el(tag, val="single", sz=sz, space=space, color=color)


# --- document setup ------------------------------------------------------------------------------


def _setup_styles(d) -> None:
    styles = d.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, FANGSONG)
    _put(rpr, _el("w:sz", val=SIZE_3 * 2), _RPR_SEQ)
    _put(rpr, _el("w:szCs", val=SIZE_3 * 2), _RPR_SEQ)
    _put(rpr, _el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"), _RPR_SEQ)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _put(ppr, _el("w:spacing", before=0, after=0, line=LINE_PITCH, lineRule="exact"), _PPR_SEQ)

    normal = d.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    _set_fonts(normal.element.get_or_add_rPr(), FANGSONG)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_PITCH)
    fmt.space_before = Twips(0)
    fmt.space_after = Twips(0)
    fmt.widow_control = False
    # No paragraph snaps to the grid; 3号 text is tracked by -0.25 pt instead (see module doc).
    _put(normal.element.get_or_add_pPr(), _el("w:snapToGrid", val=0), _PPR_SEQ)
    _put(normal.element.get_or_add_rPr(), _el("w:spacing", val=CHAR_SPACING), _RPR_SEQ)


def _setup_section(d) -> None:
    section = d.sections[0]
    section.page_width = Twips(PAGE_WIDTH)
    section.page_height = Twips(PAGE_HEIGHT)
    section.top_margin = Twips(MARGIN_TOP)
    section.bottom_margin = Twips(MARGIN_BOTTOM)
    section.left_margin = Twips(MARGIN_LEFT)
    section.right_margin = Twips(MARGIN_RIGHT)
    section.gutter = Twips(0)
    section.header_distance = Twips(HEADER_DISTANCE)
    section.footer_distance = Twips(FOOTER_DISTANCE)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    settings = d.settings
    settings.odd_and_even_pages_header_footer = True
    lang = settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")

    _page_number_footer(section.footer, odd=True)
    _page_number_footer(section.even_page_footer, odd=False)


def _page_number_footer(footer, *, odd: bool) -> None:
    """"— 7 —" in 4号宋体: odd pages right, even pages left, one character from the edge (7.5)."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    fmt = p.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(FOOTER_LINE)
    fmt.space_before = fmt.space_after = Twips(0)
    if odd:
        fmt.right_indent = Twips(CHAR_4)
    else:
        fmt.left_indent = Twips(CHAR_4)

    def run(text: str = ""):
        return _Writer.run(p, text, SONGTI, SIZE_4)

    run("— ")
    run()._element.append(_el("w:fldChar", fldCharType="begin"))
    instr = _el("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    run()._element.append(instr)
    run()._element.append(_el("w:fldChar", fldCharType="separate"))
    run("1")
    run()._element.append(_el("w:fldChar", fldCharType="end"))
    run(" —")


# --- the parts of a document ---------------------------------------------------------------------


def _head(w: _Writer, doc: OfficialDocument) -> None:
    """份号, 密级, 紧急程度, 发文机关标志, 发文字号 (+签发人), red separator (版头, 7.2)."""
    lines = []
    if doc.copy_number:
        lines.append(str(doc.copy_number).zfill(6))
    if doc.classification.strip():
        period = doc.period.strip()
        lines.append(doc.classification.strip() + (f"★{period}" if period else ""))
    if doc.urgency:
        lines.append(doc.urgency)
    for text in lines:
        w.run(w.para(), text, HEITI)

    top = MARK_TOP_UPWARD if doc.upward else MARK_TOP
    mark = doc.issuer_mark.strip()
    size = doc.mark_size
    natural = _width(mark) * size * 20
    # condensed horizontally (character scale) to the government's width, never wider than the type area
    target = min(TEXT_WIDTH, _mm(doc.mark_width_mm)) if doc.mark_width_mm else TEXT_WIDTH
    scale = max(1, min(100, math.floor(target / natural * 100))) if natural else 100
    line = round(size * 20 * 1.3)
    # The glyphs sit about in the middle of their exact-height line; their ink starts ~6 % of an
    # em below the em box: start the line that much higher so the ink is at 35 (80) mm.
    ink = (line - size * 20) / 2 + 0.06 * size * 20
    p = w.para(align=WD_ALIGN_PARAGRAPH.CENTER, line=line,
               before=max(0, round(top - len(lines) * LINE_PITCH - ink)))
    w.run(p, mark, XIAOBIAOSONG, size, color=RED, scale=scale)
    w.blank(2)

    if doc.upward:
        p = _upward_number(w, doc)
    else:
        p = w.para(align=WD_ALIGN_PARAGRAPH.CENTER)
        w.run(p, doc.doc_number.strip())
    borders = _el("w:pBdr")
    borders.append(_border("w:bottom", SEPARATOR_SZ, RED, SEPARATOR_SPACE))
    _put(p._p.get_or_add_pPr(), borders, _PPR_SEQ)


def _upward_number(w: _Writer, doc: OfficialDocument):
    """发文字号 left (one character in), 签发人 right (one character from the edge) (7.2.6).

    Tabs rather than indents keep the paragraph (and its red bottom border) full width.
    """
    names = list(doc.signers)
    rows = [names[i:i + 2] for i in range(0, len(names), 2)]
    name_w = max(_width(n) for n in names)
    label_w = _width("签发人：")
    block = label_w + name_w + (1 + name_w if len(names) > 1 else 0)
    start = CHARS_PER_LINE - 1 - block  # where "签发人：" begins, in characters
    col1 = start + label_w
    col2 = col1 + name_w + 1
    tabs = [(WD_TAB_ALIGNMENT.LEFT, _chars(x)) for x in (1, start, col1, col2)]
    p = None
    for i, row in enumerate(rows):
        last = i == len(rows) - 1
        p = w.para(tabs=tabs)
        lead = "\t" + (doc.doc_number.strip() if last else "")  # first stop: one character in
        if i == 0:
            w.run(p, lead + "\t签发人：")
        else:
            w.run(p, lead + "\t\t")
        w.run(p, row[0], KAITI)
        if len(row) > 1:
            w.run(p, "\t")
            w.run(p, row[1], KAITI)
    return p


def _title(w: _Writer, doc: OfficialDocument, *, before_lines: int = 2) -> None:
    w.blank(before_lines)
    p = w.para(align=WD_ALIGN_PARAGRAPH.CENTER)
    r = w.run(p, "", XIAOBIAOSONG, SIZE_2)
    for i, line in enumerate(l.strip() for l in doc.title.strip().splitlines() if l.strip()):
        if i:
            r.add_break()
        r.add_text(line)


_HEADING_FONTS = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}


_SENTENCE_END = "。！？；：.!?;:"


def _body(w: _Writer, paragraphs: Iterable[Paragraph]):
    """Body paragraphs: 2-character first-line indent, justified; heading fonts by level (7.3.3).

    A heading standing alone on its line is kept with the paragraph after it. Returns the last
    paragraph written (or None).
    """
    p = None
    for para in paragraphs:
        level = para.resolved_level
        text = para.text
        alone = level > 0 and not any(ch in _SENTENCE_END for ch in text.rstrip(_SENTENCE_END))
        p = w.para(align=WD_ALIGN_PARAGRAPH.JUSTIFY, first=2, keep_next=alone)
        if level in (1, 2):
            head, sep, rest = text.partition("。")
            if sep and rest.strip():
                w.run(p, head + sep, _HEADING_FONTS[level])
                w.run(p, rest)
                continue
            w.run(p, text, _HEADING_FONTS[level])
        else:
            w.run(p, text, _HEADING_FONTS.get(level, FANGSONG))
    return p


def _attachments_note(w: _Writer, titles: tuple[str, ...]) -> None:
    """"附件：1. 名称" lines; wrapped lines align with the first character of the name (7.3.4)."""
    if not titles:
        return
    w.blank(keep_next=True)
    label = 2 + _width("附件：")  # where the numbers start, in characters
    if len(titles) == 1:
        p = w.para(align=WD_ALIGN_PARAGRAPH.JUSTIFY, left=label, first=-(label - 2), keep_next=True)
        w.run(p, "附件：" + _clean_title(titles[0]))
        return
    number_w = 1.5 if len(titles) < 10 else 2  # "1." / "10." plus a little air
    left = label + number_w
    for i, title in enumerate(titles, 1):
        hang = left - 2 if i == 1 else number_w
        p = w.para(align=WD_ALIGN_PARAGRAPH.JUSTIFY, left=left, first=-hang, keep_next=True,
                   tabs=[(WD_TAB_ALIGNMENT.LEFT, _chars(left))])
        w.run(p, ("附件：" if i == 1 else "") + f"{i}.\t" + _clean_title(title))


def _signature(w: _Writer, doc: OfficialDocument) -> None:
    """发文机关署名 and 成文日期, leaving room for the seal when sealed (7.3.5).

    Sealed: the date ends 4 characters from the right edge and the signature is centred over it;
    both are centred on one centre tab stop, so the centring holds whatever width a renderer
    gives the digits. Not sealed: the signature ends 2 characters from the edge and the date
    starts 2 characters to the right of the signature's first character (left tab stop).
    The text before is kept with them (no page with only a signature, 7.3.5.5); automatic
    spacing between Chinese and digits is off so the date is as wide as computed. Sealed, the
    seal's place is marked (`_seal_mark`).
    """
    signature = doc.issuer_signature.strip()
    date_text = format_date(_as_date(doc.date))
    sig_w, date_w = _width(signature), _width(date_text)
    note = doc.note.strip()

    def line(text: str, keep_next: bool, *, tab=None, right: float = 0):
        kind = WD_ALIGN_PARAGRAPH.RIGHT if tab is None else None
        p = w.para(align=kind, right=right, keep_next=keep_next, autospace=False,
                   tabs=[tab] if tab else ())
        w.run(p, text if tab is None else "\t" + text)

    if doc.sealed:
        w.blank(2, keep_next=True)
        centre = min(TEXT_WIDTH - _chars(4 + date_w / 2), TEXT_WIDTH - _chars(sig_w / 2))
        tab = (WD_TAB_ALIGNMENT.CENTER, centre)
        line(signature, True, tab=tab)
        _seal_mark(w.container.paragraphs[-1], centre, doc.seal_mm)
        line(date_text, bool(note), tab=tab)
    else:
        w.blank(keep_next=True)
        if date_w + 2 <= sig_w:
            line(signature, True, right=2)
            line(date_text, bool(note), tab=(WD_TAB_ALIGNMENT.LEFT, TEXT_WIDTH - _chars(2 + sig_w - 2)))
        else:  # the date is the longer: it ends 2 characters from the edge, the signature moves left
            line(signature, True, right=2 + date_w + 2 - sig_w)
            line(date_text, bool(note), right=2)
    if note:
        if not note.startswith(("（", "(")):
            note = f"（{note}）"
        p = w.para(align=WD_ALIGN_PARAGRAPH.JUSTIFY, first=2)
        w.run(p, note)


_SEAL_XML = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:rPr>
<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/></w:rPr><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="1" locked="1"
 layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="margin"><wp:posOffset>{x}</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV>
<wp:extent cx="{d}" cy="{d}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>
<wp:docPr id="1" name="{name}" descr="{descr}"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{d}" cy="{d}"/></a:xfrm>
<a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom><a:noFill/>
<a:ln w="6350"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill><a:prstDash val="dash"/></a:ln></wps:spPr>
<wps:bodyPr/>
</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"""
SEAL_NAME = "印章位置"
SEAL_DESCR = "印章端正、居中下压发文机关署名和成文日期，使发文机关署名和成文日期居印章中心偏下位置（GB/T 9704-2012 7.3.5.1）"
SEAL_COLOR = "A6A6A6"  # a light dashed circle: where the stamp goes, not a seal
EMU_PER_TWIP = 635


def _seal_mark(p, centre: float, diameter_mm: float) -> None:
    """Mark the seal's place (7.3.5.1) on the signature's paragraph: a light dashed circle the size
    of the government's seal, behind the text, named and described "印章位置" (no text inside), centred on the signature and date, its centre a
    quarter line below the top of the signature so both lie below the centre (居印章中心偏下)."""
    d = _mm(diameter_mm)
    x = round(centre - d / 2)
    y = round(LINE_PITCH / 4 - d / 2)  # from the top of the signature's line
    xml = _SEAL_XML.format(x=x * EMU_PER_TWIP, y=y * EMU_PER_TWIP, d=d * EMU_PER_TWIP, name=SEAL_NAME,
                           descr=SEAL_DESCR, color=SEAL_COLOR, font=FANGSONG)
    p._p.append(etree.fromstring(xml))


def _enclosed_pages(w: _Writer, doc: OfficialDocument) -> None:
    """The text an 印发通知 issues (办法、规定 …): on a new page after the notice's signature, its
    title centred in 2号小标宋 on the first line, a blank line, then paragraphs formatted like the
    body. Not an attachment: no "附件" label and no 附件说明."""
    enclosed = doc.enclosed
    if enclosed is None:
        return
    p = w.para(align=WD_ALIGN_PARAGRAPH.CENTER, page_break=True)
    r = w.run(p, "", XIAOBIAOSONG, SIZE_2)
    for j, line in enumerate(l.strip() for l in enclosed.title.strip().splitlines() if l.strip()):
        if j:
            r.add_break()
        r.add_text(_clean_title(line))
    if enclosed.paragraphs:
        w.blank()
        _body(w, enclosed.paragraphs)


def _attachment_pages(w: _Writer, doc: OfficialDocument) -> None:
    """Each attachment on a new page: "附件N" top left in 黑体, title on line 3 (7.3.7)."""
    many = len(doc.attachments) > 1
    for i, att in enumerate(doc.attachments, 1):
        p = w.para(page_break=True)
        w.run(p, f"附件{i}" if many else "附件", HEITI)
        w.blank()
        p = w.para(align=WD_ALIGN_PARAGRAPH.CENTER)
        r = w.run(p, "", XIAOBIAOSONG, SIZE_2)
        for j, line in enumerate(l.strip() for l in att.title.strip().splitlines() if l.strip()):
            if j:
                r.add_break()
            r.add_text(_clean_title(line))
        if att.paragraphs:
            w.blank()
            _body(w, att.paragraphs)


def _imprint(d, w: _Writer, doc: OfficialDocument) -> None:
    """版记: 抄送 and 印发 rows between rules, floated to the bottom of the last page (7.4)."""
    rows = []
    cc = doc.cc.strip()
    if cc:
        if cc.startswith("抄送"):
            cc = cc[2:].lstrip("：: ")
        rows.append("cc")
    if doc.printer.strip():
        rows.append("printer")
    if not rows:
        return
    # Never alone on a page: the paragraph before (the date, the 附注 or the last line of the last
    # attachment) is kept with it — and, through their keepNext, the signature and the body's last
    # lines — and the table's own rows are kept together.
    previous = d.element.body.findall(qn("w:p"))
    if previous:
        _put(previous[-1].get_or_add_pPr(), _el("w:keepNext"), _PPR_SEQ)
    table = d.add_table(rows=len(rows), cols=1)
    tbl = table._tbl
    tblpr = tbl.tblPr
    for child in list(tblpr):
        tblpr.remove(child)
    # Anchored to the page's left edge at the left margin (the same place as "margin, centred"):
    # LibreOffice only turns a full-width floating table into a frame when it is page-anchored.
    tblpr.append(_el("w:tblpPr", vertAnchor="margin", horzAnchor="page", tblpX=MARGIN_LEFT,
                     tblpYSpec="bottom", leftFromText=0, rightFromText=0, topFromText=0, bottomFromText=0))
    tblpr.append(_el("w:tblOverlap", val="never"))
    tblpr.append(_el("w:tblW", w=TEXT_WIDTH, type="dxa"))
    tblpr.append(_el("w:jc", val="center"))
    borders = _el("w:tblBorders")
    borders.append(_border("w:top", RULE_THICK))
    borders.append(_el("w:left", val="nil"))
    borders.append(_border("w:bottom", RULE_THICK))
    borders.append(_el("w:right", val="nil"))
    borders.append(_border("w:insideH", RULE_THIN))
    borders.append(_el("w:insideV", val="nil"))
    tblpr.append(borders)
    tblpr.append(_el("w:tblLayout", type="fixed"))
    margins = _el("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margins.append(_el(f"w:{side}", w=0, type="dxa"))
    tblpr.append(margins)
    tblpr.append(_el("w:tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0,
                     noHBand=1, noVBand=1))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col in tbl.tblGrid.findall(qn("w:gridCol")):
        col.set(qn("w:w"), str(TEXT_WIDTH))

    for i, (row, kind) in enumerate(zip(table.rows, rows)):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(_el("w:cantSplit"))
        cell = row.cells[0]
        cell.width = Twips(TEXT_WIDTH)
        cw = _Writer(cell)
        cell._tc.remove(cell.paragraphs[0]._p)
        if kind == "cc":
            cc_text = cc.rstrip(_TRAILING_PUNCT) + "。"
            label = _width("抄送：")
            p = cw.para(left=1 + label, right=1, first=-label, unit=CHAR_4,
                        align=WD_ALIGN_PARAGRAPH.JUSTIFY, keep_next=i < len(rows) - 1)
            cw.run(p, "抄送：" + cc_text, size=SIZE_4)
        else:
            when = format_date(_as_date(doc.print_date or doc.date)) + "印发"
            p = cw.para(left=1, unit=CHAR_4, keep_next=i < len(rows) - 1,
                        tabs=[(WD_TAB_ALIGNMENT.RIGHT, TEXT_WIDTH - CHAR_4)])
            cw.run(p, doc.printer.strip() + "\t" + when, size=SIZE_4)

    # A document may not end with a table: a one-point paragraph closes it without taking a line.
    end = w.para(line=20)
    end_rpr = end._p.get_or_add_pPr()
    mark = _el("w:rPr")
    mark.append(_el("w:sz", val=2))
    mark.append(_el("w:szCs", val=2))
    _put(end_rpr, mark, _PPR_SEQ)


def _build(doc: OfficialDocument):
    d = Document()
    body = d.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _setup_styles(d)
    _setup_section(d)
    w = _Writer(d)
    _head(w, doc)
    _title(w, doc)
    w.blank()
    recipients = doc.main_recipients.strip()
    if recipients:
        p = w.para(align=WD_ALIGN_PARAGRAPH.JUSTIFY, keep_next=True)
        w.run(p, recipients.rstrip(_TRAILING_PUNCT) + "：")
    last = _body(w, doc.body)
    if last is not None:
        last.paragraph_format.keep_with_next = True
    _attachments_note(w, doc.attachment_titles)
    _signature(w, doc)
    _enclosed_pages(w, doc)
    _attachment_pages(w, doc)
    _imprint(d, w, doc)

    moment = _dt.datetime.combine(_as_date(doc.date), _dt.time())
    props = d.core_properties
    props.title = doc.title.replace("\n", "")
    props.author = doc.printer.strip() or doc.issuer_signature.strip()
    props.comments = ""
    props.last_modified_by = ""
    props.created = props.modified = moment
    props.revision = 1
    return d


# --- output ---------------------------------------------------------------------------------------


def _font_table(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, (alt, family) in _FONT_TABLE.items():
        if name in present:
            continue
        font = _el("w:font", name=name)
        font.append(_el("w:altName", val=alt))
        font.append(_el("w:charset", val="86"))
        font.append(_el("w:family", val=family))
        font.append(_el("w:pitch", val="variable"))
        root.append(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _finish(raw: bytes, when: _dt.date) -> bytes:
    """Add the fonts to the font table and fix the zip timestamps (same input → same bytes)."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/fontTable.xml":
                data = _font_table(data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=stamp), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes; raises `DocumentIncomplete` (a ValueError) naming the field."""
    problems = _problems(doc)
    if problems:
        raise DocumentIncomplete(problems)
    raw = io.BytesIO()
    _build(doc).save(raw)
    return _finish(raw.getvalue(), _as_date(doc.date))


def render_to(doc: OfficialDocument, target: Union[str, os.PathLike, IO[bytes]]) -> None:
    """Write the .docx to a path or a binary stream."""
    data = render_docx(doc)
    if hasattr(target, "write"):
        target.write(data)
    else:
        with open(target, "wb") as fh:
            fh.write(data)
