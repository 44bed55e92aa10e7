"""The GB/T 9704-2012 layout of rendered official documents (公文).

Pure: renders with `zhengwu.output.gbt9704`, reloads with python-docx and reads the raw
WordprocessingML (zipfile + lxml) where python-docx does not expose a property.
"""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from docx import Document
from docx.shared import Length
from lxml import etree

from zhengwu.output import gbt9704 as g
from zhengwu.output.gbt9704 import (
    Attachment,
    DocumentIncomplete,
    OfficialDocument,
    Paragraph,
    detect_level,
    format_date,
    render_docx,
    render_to,
    validate,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
FANGSONG, KAITI, HEITI, XBS, SONGTI = "仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


BODY = [
    "为进一步规范区政府工作，提高行政效能，现就有关事项通知如下。",
    "一、总体要求",
    "坚持依法行政，不断提高政府执行力和公信力。",
    "（一）加强公文办理。各部门要严格执行公文处理有关规定。",
    "1.规范行文程序。向区政府请示事项，应当一文一事。",
    "（1）明确办理时限。一般公文应在7个工作日内办结。",
]


def make(**changes) -> OfficialDocument:
    fields = dict(
        issuer_mark="白城市洮北区人民政府文件",
        doc_number="白洮政发〔2026〕12号",
        title="白城市洮北区人民政府\n关于进一步规范政府工作的通知",
        main_recipients="各乡（镇）人民政府、街道办事处，区政府各部门",
        body=BODY,
        issuer_signature="白城市洮北区人民政府",
        date=datetime.date(2026, 11, 27),
        note="此件公开发布",
        attachments=[
            ("洮北区政府工作任务分工表", ["一、分工原则", "按照职责分工，各负其责。"]),
            ("洮北区政府会议安排", ["区政府常务会议原则上每月召开2次。"]),
        ],
        cc="区委各部门，区人大常委会办公室，区政协办公室",
        printer="白城市洮北区人民政府办公室",
        print_date=datetime.date(2026, 11, 28),
    )
    fields.update(changes)
    return OfficialDocument(**fields)


class Rendered:
    """A rendered .docx: bytes, the python-docx Document and the parsed XML parts."""

    def __init__(self, data: bytes):
        self.data = data
        self.docx = Document(io.BytesIO(data))
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.document = self.xml("word/document.xml")
        self.body = self.document.find(q("body"))

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))

    def paragraphs(self):
        """Top-level body paragraphs, in order."""
        return self.body.findall(q("p"))

    def para(self, contains: str):
        found = [p for p in self.body.iter(q("p")) if contains in text(p)]
        assert found, f"no paragraph contains {contains!r}"
        return found[0]

    def footer(self, kind: str):
        sect = self.body.find(q("sectPr"))
        ref = next(r for r in sect.findall(q("footerReference")) if r.get(q("type")) == kind)
        rel_id = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        target = self.docx.part.rels[rel_id].target_part.partname.lstrip("/")
        return self.xml(target)


def text(p) -> str:
    """Visible text, with tabs as "\t" and line breaks as "\n"."""
    marks = {q("tab"): "\t", q("br"): "\n"}
    return "".join(
        (e.text or "") if e.tag == q("t") else marks[e.tag]
        for e in p.iter(q("t"), q("tab"), q("br"))
        if e.getparent().tag == q("r")  # not the tab stops in pPr
    )


def runs(element):
    return [r for r in element.iter(q("r"))]


def fonts(run) -> dict:
    rfonts = run.find(f"{q('rPr')}/{q('rFonts')}")
    return {} if rfonts is None else {k.split("}")[1]: v for k, v in rfonts.attrib.items()}


def size_pt(run) -> float:
    return int(run.find(f"{q('rPr')}/{q('sz')}").get(q("val"))) / 2


def ppr(p, tag):
    return p.find(f"{q('pPr')}/{q(tag)}")


def attr(element, name):
    return None if element is None else element.get(q(name))


@pytest.fixture(scope="module")
def down() -> Rendered:
    return Rendered(render_docx(make()))


@pytest.fixture(scope="module")
def up() -> Rendered:
    return Rendered(render_docx(make(
        upward=True, doc_number="白洮政报〔2026〕3号", signers=["张三", "李四明", "王五"],
        attachments=[("洮北区政府工作任务分工表", ["按照职责分工，各负其责。"])])))


# --- page ------------------------------------------------------------------------------------------


def test_page_is_a4_with_the_standard_margins(down):
    section = down.docx.sections[0]
    for value, mm in ((section.page_width, 210), (section.page_height, 297), (section.top_margin, 37),
                      (section.left_margin, 28), (section.right_margin, 26), (section.bottom_margin, 35)):
        assert abs(value.mm - mm) <= 0.5, (value.mm, mm)


def test_type_area_is_156_by_225_mm(down):
    section = down.docx.sections[0]
    width = Length(section.page_width - section.left_margin - section.right_margin)
    height = Length(section.page_height - section.top_margin - section.bottom_margin)
    assert abs(width.mm - 156) <= 0.5 and abs(height.mm - 225) <= 0.5


def test_document_grid_declares_22_lines_of_28_characters(down):
    grid = down.body.find(f"{q('sectPr')}/{q('docGrid')}")
    assert grid.get(q("type")) == "linesAndChars"
    assert grid.get(q("linePitch")) == "579" and grid.get(q("charSpace")) == "-842"
    # 22 lines of 579 twips fit in the 12756-twip type area, 23 do not
    assert 22 * 579 <= g.TEXT_HEIGHT < 23 * 579
    # Word's character pitch: Normal size 16 pt + charSpace/4096 pt; 28 fit in 8845 twips, 29 do not
    pitch = (16 + -842 / 4096) * 20
    assert 28 * pitch <= g.TEXT_WIDTH < 29 * pitch


def test_body_lines_are_exactly_28_95_pt(down):
    p = down.para("为进一步规范区政府工作")
    spacing = ppr(p, "spacing")
    assert spacing.get(q("lineRule")) == "exact" and spacing.get(q("line")) == "579"


def test_normal_style_tracks_text_so_28_characters_fit_without_snapping(down):
    styles = down.xml("word/styles.xml")
    normal = next(s for s in styles.findall(q("style")) if s.get(q("styleId")) == "Normal")
    assert attr(normal.find(f"{q('pPr')}/{q('snapToGrid')}"), "val") == "0"
    tracking = int(normal.find(f"{q('rPr')}/{q('spacing')}").get(q("val")))
    advance = 320 + tracking  # a 16 pt character in twips, tracked
    assert 28 * advance <= g.TEXT_WIDTH < 29 * advance
    assert fonts(normal)["eastAsia"] == FANGSONG
    assert normal.find(f"{q('rPr')}/{q('sz')}").get(q("val")) == "32"


def test_document_defaults_name_the_east_asian_font_not_the_theme(down):
    styles = down.xml("word/styles.xml")
    rfonts = styles.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}/{q('rFonts')}")
    assert rfonts.get(q("eastAsia")) == FANGSONG
    assert not any("Theme" in k or "theme" in k for k in rfonts.attrib)


def test_every_run_names_its_east_asian_font(down, up):
    for rendered in (down, up):
        parts = [rendered.document, rendered.footer("default"), rendered.footer("even")]
        all_runs = [r for part in parts for r in runs(part)]
        assert len(all_runs) > 30
        for r in all_runs:
            f = fonts(r)
            assert f.get("eastAsia") and f.get("ascii") and f.get("hAnsi"), etree.tostring(r, encoding="unicode")


# --- 版头 ------------------------------------------------------------------------------------------


def test_issuer_mark_is_red_xiaobiaosong_centred(down):
    p = down.para("白城市洮北区人民政府文件")
    assert attr(ppr(p, "jc"), "val") == "center"
    (r,) = runs(p)
    assert fonts(r)["eastAsia"] == XBS and fonts(r)["ascii"] == XBS
    assert r.find(f"{q('rPr')}/{q('color')}").get(q("val")) == "FF0000"
    assert size_pt(r) == 26


def test_upward_mark_starts_45_mm_lower_than_downward(down, up):
    def before(rendered):
        return int(ppr(rendered.para("白城市洮北区人民政府文件"), "spacing").get(q("before")))

    assert abs((before(up) - before(down)) / g.TWIPS_PER_MM - 45) < 0.1
    # downward: 35 mm less the ink offset (a couple of millimetres) below the type area's top
    assert 30 < before(down) / g.TWIPS_PER_MM < 35


def test_long_mark_is_condensed_to_fit_the_type_area():
    long_mark = Rendered(render_docx(make(issuer_mark="白城市洮北区人民政府办公室白城市洮北区财政局文件")))
    (r,) = runs(long_mark.para("财政局文件"))
    scale = int(r.find(f"{q('rPr')}/{q('w')}").get(q("val")))
    assert scale < 100 and 23 * 26 * 20 * scale / 100 <= g.TEXT_WIDTH


def test_short_mark_is_not_condensed(down):
    (r,) = runs(down.para("白城市洮北区人民政府文件"))
    assert r.find(f"{q('rPr')}/{q('w')}") is None


def test_downward_number_is_centred_with_hexagonal_brackets(down):
    p = down.para("白洮政发")
    assert "〔2026〕" in text(p) and text(p) == "白洮政发〔2026〕12号"
    assert attr(ppr(p, "jc"), "val") == "center"


def test_red_separator_runs_under_the_number_across_the_type_area(down, up):
    for rendered, number in ((down, "白洮政发"), (up, "白洮政报")):
        p = rendered.para(number)
        bottom = p.find(f"{q('pPr')}/{q('pBdr')}/{q('bottom')}")
        assert bottom.get(q("color")) == "FF0000" and bottom.get(q("val")) == "single"
        assert ppr(p, "ind") is None  # full width: no indents
    reds = [b for b in down.body.iter(q("bottom")) if b.get(q("color")) == "FF0000"]
    assert len(reds) == 1


def test_signers_printed_for_upward_documents_only(down, up):
    assert "签发人" not in "".join(text(p) for p in down.paragraphs())
    signed = [text(p) for p in up.paragraphs() if "签发人" in text(p) or "王五" in text(p)]
    assert signed[0].startswith("\t\t签发人：张三\t李四明")
    # the number shares the line of the last signer
    assert signed[-1] == "\t白洮政报〔2026〕3号\t\t王五"


def test_signers_ignored_on_a_downward_document():
    rendered = Rendered(render_docx(make(signers=["张三"])))
    assert "签发人" not in "".join(text(p) for p in rendered.paragraphs())
    assert "张三" not in "".join(text(p) for p in rendered.paragraphs())


def test_signer_label_is_fangsong_and_names_are_kaiti(up):
    p = up.para("签发人：")
    by_text = {("".join(t.text for t in r.iter(q("t")))): fonts(r)["eastAsia"] for r in runs(p)}
    assert by_text["张三"] == KAITI and by_text["李四明"] == KAITI
    assert next(v for k, v in by_text.items() if "签发人" in k) == FANGSONG
    assert all(size_pt(r) == 16 for r in runs(p))


def test_copy_number_classification_and_urgency_lines_in_heiti():
    rendered = Rendered(render_docx(make(copy_number="12", classification="秘密", period="1年", urgency="特急")))
    first = [text(p) for p in rendered.paragraphs()[:3]]
    assert first == ["000012", "秘密★1年", "特急"]
    for p in rendered.paragraphs()[:3]:
        assert all(fonts(r)["eastAsia"] == HEITI for r in runs(p))


# --- 主体 ------------------------------------------------------------------------------------------


def test_title_is_2hao_xiaobiaosong_centred_after_a_blank_line(down):
    p = down.para("关于进一步规范政府工作的通知")
    assert attr(ppr(p, "jc"), "val") == "center"
    for r in runs(p):
        assert size_pt(r) == 22 and fonts(r)["eastAsia"] == XBS
    assert p.find(f".//{q('br')}") is not None  # "\n" breaks the title
    paragraphs = down.paragraphs()
    i = paragraphs.index(p)
    assert text(paragraphs[i - 1]) == "" and text(paragraphs[i - 2]) == ""


def test_recipients_flush_left_ending_with_colon(down):
    p = down.para("各乡（镇）人民政府")
    assert text(p) == "各乡（镇）人民政府、街道办事处，区政府各部门："
    assert ppr(p, "ind") is None
    assert all(fonts(r)["eastAsia"] == FANGSONG and size_pt(r) == 16 for r in runs(p))


def test_every_run_of_a_plain_body_is_16pt_fangsong():
    plain = [f"第{i}段，按照有关规定执行。" for i in range(1, 9)]
    rendered = Rendered(render_docx(make(body=plain, attachments=[], note="")))
    body = [p for p in rendered.paragraphs() if text(p).startswith("第")]
    assert len(body) == 8
    for p in body:
        assert attr(ppr(p, "ind"), "firstLineChars") == "200"
        assert attr(ppr(p, "jc"), "val") == "both"
        for r in runs(p):
            assert size_pt(r) == 16
            assert fonts(r)["eastAsia"] == FANGSONG and fonts(r)["ascii"] == FANGSONG


def test_body_paragraphs_are_indented_two_characters(down):
    ind = ppr(down.para("坚持依法行政"), "ind")
    assert ind.get(q("firstLineChars")) == "200" and int(ind.get(q("firstLine"))) == 2 * g.CHAR


@pytest.mark.parametrize(
    ("start", "font"),
    [("一、总体要求", HEITI), ("（一）加强公文办理。", KAITI), ("1.规范行文程序", FANGSONG),
     ("（1）明确办理时限", FANGSONG), ("坚持依法行政", FANGSONG)],
)
def test_heading_levels_take_their_fonts(down, start, font):
    (first, *_rest) = runs(down.para(start))
    assert fonts(first)["eastAsia"] == font and size_pt(first) == 16


def test_run_in_heading_keeps_only_its_heading_in_the_heading_font(down):
    head, rest = runs(down.para("（一）加强公文办理"))
    assert "".join(t.text for t in head.iter(q("t"))) == "（一）加强公文办理。"
    assert fonts(head)["eastAsia"] == KAITI and fonts(rest)["eastAsia"] == FANGSONG


def test_explicit_level_overrides_the_prefix():
    rendered = Rendered(render_docx(make(body=[Paragraph("总体要求", level=1), Paragraph("一、不是标题", level=0)])))
    assert fonts(runs(rendered.para("总体要求"))[0])["eastAsia"] == HEITI
    assert fonts(runs(rendered.para("一、不是标题"))[0])["eastAsia"] == FANGSONG


def test_standalone_heading_is_kept_with_the_next_paragraph(down):
    assert ppr(down.para("一、总体要求"), "keepNext") is not None
    assert ppr(down.para("坚持依法行政"), "keepNext") is None


@pytest.mark.parametrize(
    ("text_", "level"),
    [("一、总体要求", 1), ("十二、其他", 1), ("（三）工作措施", 2), ("1.规范程序", 3), ("2．规范程序", 3),
     ("（1）时限", 4), ("(2)时限", 4), ("3.5亿元已拨付", 0), ("各部门要高度重视", 0), ("2026年工作", 0)],
)
def test_detect_level(text_, level):
    assert detect_level(text_) == level


def test_invalid_paragraph_level_is_refused():
    with pytest.raises(ValueError, match="level"):
        Paragraph("x", level=5)


def test_attachment_note_numbers_the_titles(down):
    first, second = down.para("附件：1."), down.para("2.\t洮北区政府会议安排")
    assert text(first) == "附件：1.\t洮北区政府工作任务分工表"
    # the second title's number lines up under the first's
    assert int(ppr(first, "ind").get(q("left"))) == int(ppr(second, "ind").get(q("left")))
    assert int(ppr(first, "ind").get(q("hanging"))) - int(ppr(second, "ind").get(q("hanging"))) == round(3 * g.CHAR)


def test_single_attachment_note_has_no_number(up):
    assert text(up.para("附件：")) == "附件：洮北区政府工作任务分工表"


def test_sealed_signature_is_centred_over_a_date_four_characters_from_the_edge(down):
    sig = next(p for p in down.paragraphs() if text(p) == "\t白城市洮北区人民政府")
    date = next(p for p in down.paragraphs() if text(p) == "\t2026年11月27日")
    tabs = [ppr(p, "tabs").find(q("tab")) for p in (sig, date)]
    assert {t.get(q("val")) for t in tabs} == {"center"}
    assert tabs[0].get(q("pos")) == tabs[1].get(q("pos"))
    centre = int(tabs[0].get(q("pos")))
    date_width = 7 * g.CHAR  # "2026年11月27日": four half-width pairs of digits + 3 characters
    assert abs((g.TEXT_WIDTH - centre) - (4 * g.CHAR + date_width / 2)) <= 2
    assert ppr(sig, "keepNext") is not None


def test_unsealed_signature_is_two_characters_from_the_edge_and_the_date_two_to_the_right():
    rendered = Rendered(render_docx(make(sealed=False)))
    sig = next(p for p in rendered.paragraphs() if text(p) == "白城市洮北区人民政府")
    assert attr(ppr(sig, "jc"), "val") == "right"
    assert int(ppr(sig, "ind").get(q("right"))) == 2 * g.CHAR
    date = next(p for p in rendered.paragraphs() if text(p) == "\t2026年11月27日")
    start = int(ppr(date, "tabs").find(q("tab")).get(q("pos")))
    sig_start = g.TEXT_WIDTH - 2 * g.CHAR - 10 * g.CHAR
    assert start - sig_start == 2 * g.CHAR


def test_date_is_in_arabic_numerals_without_leading_zeros():
    assert format_date(datetime.date(2026, 1, 5)) == "2026年1月5日"
    rendered = Rendered(render_docx(make(date=datetime.date(2026, 1, 5), print_date=None)))
    assert any(text(p) == "\t2026年1月5日" for p in rendered.paragraphs())


def test_note_in_parentheses_indented_two_characters(down):
    p = down.para("此件公开发布")
    assert text(p) == "（此件公开发布）"
    assert attr(ppr(p, "ind"), "firstLineChars") == "200"


def test_attachments_start_on_new_pages_with_their_marker(down):
    for marker, title in (("附件1", "洮北区政府工作任务分工表"), ("附件2", "洮北区政府会议安排")):
        p = next(p for p in down.paragraphs() if text(p) == marker)
        assert ppr(p, "pageBreakBefore") is not None
        assert ppr(p, "jc") is None and ppr(p, "ind") is None  # flush left
        assert all(fonts(r)["eastAsia"] == HEITI and size_pt(r) == 16 for r in runs(p))
        paragraphs = down.paragraphs()
        i = paragraphs.index(p)
        assert text(paragraphs[i + 1]) == "" and text(paragraphs[i + 2]) == title  # title on line 3
        assert all(size_pt(r) == 22 for r in runs(paragraphs[i + 2]))
    # attachments come after the signature block
    texts = [text(p) for p in down.paragraphs()]
    assert texts.index("附件1") > texts.index("（此件公开发布）")


def test_single_attachment_marker_has_no_number(up):
    assert any(text(p) == "附件" and ppr(p, "pageBreakBefore") is not None for p in up.paragraphs())


def test_attachments_note_defaults_to_the_attachment_titles():
    doc = make()
    assert doc.attachment_titles == ("洮北区政府工作任务分工表", "洮北区政府会议安排")


# --- 版记 ------------------------------------------------------------------------------------------


def test_imprint_has_cc_and_printer_lines_in_4hao_fangsong(down):
    (table,) = down.body.findall(q("tbl"))
    rows = [text(tr) for tr in table.findall(q("tr"))]
    assert rows == ["抄送：区委各部门，区人大常委会办公室，区政协办公室。",
                    "白城市洮北区人民政府办公室\t2026年11月28日印发"]
    for r in runs(table):
        assert size_pt(r) == 14 and fonts(r)["eastAsia"] == FANGSONG


def test_imprint_rules_first_and_last_thicker_than_between(down):
    borders = down.body.find(f"{q('tbl')}/{q('tblPr')}/{q('tblBorders')}")
    size = {side: int(borders.find(q(side)).get(q("sz"))) for side in ("top", "bottom", "insideH")}
    assert size["top"] == size["bottom"] == 8 and size["insideH"] == 6  # ≈ 0.35 mm vs 0.25 mm
    assert borders.find(q("left")).get(q("val")) == "nil" and borders.find(q("insideV")).get(q("val")) == "nil"


def test_imprint_floats_to_the_bottom_of_the_type_area(down):
    position = down.body.find(f"{q('tbl')}/{q('tblPr')}/{q('tblpPr')}")
    assert position.get(q("tblpYSpec")) == "bottom" and position.get(q("vertAnchor")) == "margin"
    assert int(position.get(q("tblpX"))) == g.MARGIN_LEFT
    # the document still ends with a paragraph, not the table
    assert down.body[-2].tag == q("p")


def test_printer_left_and_print_date_right_one_character_in(down):
    (table,) = down.body.findall(q("tbl"))
    p = table.findall(q("tr"))[1].find(f".//{q('p')}")
    assert int(ppr(p, "ind").get(q("left"))) == 280
    tab = ppr(p, "tabs").find(q("tab"))
    assert tab.get(q("val")) == "right" and int(tab.get(q("pos"))) == g.TEXT_WIDTH - 280


def test_print_date_defaults_to_the_date():
    rendered = Rendered(render_docx(make(print_date=None, cc="")))
    (table,) = rendered.body.findall(q("tbl"))
    assert [text(tr) for tr in table.findall(q("tr"))] == ["白城市洮北区人民政府办公室\t2026年11月27日印发"]


def test_no_imprint_without_cc_or_printer():
    rendered = Rendered(render_docx(make(cc="", printer="")))
    assert rendered.body.findall(q("tbl")) == []


# --- 页码 ------------------------------------------------------------------------------------------


def test_odd_and_even_pages_have_their_own_footers(down):
    settings = down.xml("word/settings.xml")
    assert settings.find(q("evenAndOddHeaders")) is not None
    kinds = {r.get(q("type")) for r in down.body.find(q("sectPr")).findall(q("footerReference"))}
    assert {"default", "even"} <= kinds


@pytest.mark.parametrize(("kind", "align", "side"), [("default", "right", "right"), ("even", "left", "left")])
def test_page_number_is_a_page_field_between_dashes_in_4hao_songti(down, kind, align, side):
    footer = down.footer(kind)
    (p,) = footer.findall(q("p"))
    assert attr(ppr(p, "jc"), "val") == align
    assert int(ppr(p, "ind").get(q(side))) == 280  # one 4号 character from the edge
    assert "PAGE" in "".join(t.text for t in p.iter(q("instrText")))
    assert [f.get(q("fldCharType")) for f in p.iter(q("fldChar"))] == ["begin", "separate", "end"]
    shown = text(p)
    assert shown.startswith("—") and shown.endswith("—")
    for r in runs(p):
        assert size_pt(r) == 14 and fonts(r)["eastAsia"] == SONGTI


# --- validation and output ---------------------------------------------------------------------------


def test_complete_document_validates():
    assert validate(make()) == []


def test_validate_lists_every_missing_required_field_by_name():
    problems = validate(OfficialDocument())
    for name in ("issuer_mark", "doc_number", "title", "body", "issuer_signature", "date"):
        assert any(m.startswith(f"{name}：") for m in problems), name
    assert len(problems) == 6
    assert "GB/T 9704-2012 7.2.5" in next(m for m in problems if m.startswith("doc_number"))


@pytest.mark.parametrize("name", ["issuer_mark", "doc_number", "title", "body", "issuer_signature", "date"])
def test_render_refuses_naming_the_missing_field(name):
    empty = None if name == "date" else ([] if name == "body" else "  ")
    with pytest.raises(ValueError, match=f"^{name}：") as raised:
        render_docx(make(**{name: empty}))
    assert isinstance(raised.value, DocumentIncomplete) and raised.value.field == name


def test_blank_body_paragraphs_do_not_count_as_a_body():
    assert any(m.startswith("body：") for m in validate(make(body=["", "   "])))


def test_upward_document_needs_signers():
    assert any(m.startswith("signers：") for m in validate(make(upward=True)))
    assert validate(make(upward=True, signers=["张三"])) == []


@pytest.mark.parametrize(("changes", "field"), [
    ({"urgency": "急件"}, "urgency"),
    ({"copy_number": "1234567"}, "copy_number"),
    ({"period": "1年"}, "classification"),
    ({"print_date": datetime.date(2026, 11, 1)}, "print_date"),
    ({"date": "2026-11-27"}, "date"),
    ({"attachments_note": ["别的附件", "洮北区政府会议安排"]}, "attachments_note"),
])
def test_inconsistent_elements_are_refused(changes, field):
    assert [m.split("：")[0] for m in validate(make(**changes))] == [field]


@pytest.mark.parametrize("urgency", ["", "特急", "加急"])
def test_standard_urgencies_are_accepted(urgency):
    assert validate(make(urgency=urgency)) == []


def test_rendering_is_deterministic():
    assert render_docx(make()) == render_docx(make())


def test_render_to_writes_a_path_or_a_stream(tmp_path):
    path = tmp_path / "通知.docx"
    render_to(make(), path)
    stream = io.BytesIO()
    render_to(make(), stream)
    assert path.read_bytes() == stream.getvalue() == render_docx(make())


def test_font_table_names_fallbacks_for_the_gb2312_fonts(down):
    table = down.xml("word/fontTable.xml")
    alt = {f.get(q("name")): attr(f.find(q("altName")), "val") for f in table.findall(q("font"))}
    assert alt[FANGSONG] == "仿宋" and alt[KAITI] == "楷体" and XBS in alt


def test_core_properties_carry_the_title_and_date(down):
    props = down.docx.core_properties
    assert props.title == "白城市洮北区人民政府关于进一步规范政府工作的通知"
    assert props.created.replace(tzinfo=None) == datetime.datetime(2026, 11, 27)


def test_attachment_pairs_and_objects_are_equivalent():
    pair = make(attachments=[("甲", ["一段。"])])
    obj = make(attachments=[Attachment("甲", (Paragraph("一段。"),))])
    assert pair == obj and render_docx(pair) == render_docx(obj)


# --- the government's masthead size, the seal's place, the 印发通知, the 版记 kept with text ----------

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def test_masthead_takes_the_governments_height_and_is_condensed_to_its_width():
    wide = Rendered(render_docx(make(mark_height_mm=22, mark_width_mm=156)))
    (r,) = runs(wide.para("白城市洮北区人民政府文件"))
    assert size_pt(r) == 62.5  # 22 mm ≈ 62.36 pt, in Word's half points
    scale = int(r.find(f"{q('rPr')}/{q('w')}").get(q("val")))
    width = 12 * 62.5 * 20 * scale / 100  # twelve full-width characters, condensed
    assert 50 < scale < 65 and g.TEXT_WIDTH - 62.5 * 20 * 12 / 100 <= width <= g.TEXT_WIDTH
    narrow = Rendered(render_docx(make(mark_height_mm=22, mark_width_mm=120)))
    (n,) = runs(narrow.para("白城市洮北区人民政府文件"))
    narrow_scale = int(n.find(f"{q('rPr')}/{q('w')}").get(q("val")))
    assert narrow_scale < scale and 12 * 62.5 * 20 * narrow_scale / 100 <= g._mm(120)
    # still 35 mm from the type area's top to the ink, whatever the size
    before = int(ppr(wide.para("白城市洮北区人民政府文件"), "spacing").get(q("before")))
    line = round(62.5 * 20 * 1.3)
    ink = (line - 62.5 * 20) / 2 + 0.06 * 62.5 * 20
    assert abs((before + ink) / g.TWIPS_PER_MM - 35) < 0.1


def test_masthead_size_out_of_range_is_named():
    with pytest.raises(DocumentIncomplete) as e:
        render_docx(make(mark_height_mm=80))
    assert e.value.field == "mark_height_mm"
    with pytest.raises(DocumentIncomplete) as e:
        render_docx(make(mark_width_mm=200))
    assert e.value.field == "mark_width_mm"


def test_the_seal_position_is_marked_on_the_signature_centred_over_signature_and_date(down):
    sig = next(p for p in down.paragraphs() if text(p) == "\t白城市洮北区人民政府")
    anchor = sig.find(f".//{{{WP}}}anchor")
    assert anchor is not None and anchor.get("behindDoc") == "1"
    assert anchor.find(f"{{{WP}}}docPr").get("name") == "印章位置"
    d = int(anchor.find(f"{{{WP}}}extent").get("cx"))
    assert abs(d / 635 / g.TWIPS_PER_MM - 42) < 0.1
    centre_tab = int(ppr(sig, "tabs").find(q("tab")).get(q("pos")))
    x = int(anchor.find(f"{{{WP}}}positionH/{{{WP}}}posOffset").text) / 635
    assert abs(x + d / 635 / 2 - centre_tab) < 2  # centred on the signature and date
    y = int(anchor.find(f"{{{WP}}}positionV/{{{WP}}}posOffset").text) / 635
    centre = y + d / 635 / 2  # from the top of the signature line: the signature and date lie below it
    assert 0 < centre < g.LINE_PITCH and y + d / 635 > 2 * g.LINE_PITCH  # and it presses on both
    unsealed = Rendered(render_docx(make(sealed=False)))
    assert unsealed.body.find(f".//{{{WP}}}anchor") is None


def test_an_issued_text_follows_its_notice_on_a_new_page_without_an_attachment_label():
    doc = make(title="关于印发《洮北区行政执法公示办法》的通知", body=["现将《洮北区行政执法公示办法》印发给你们，请认真贯彻执行。"],
               attachments=[], enclosed=("洮北区行政执法公示办法", ["第一条 为规范行政执法公示工作，制定本办法。",
                                                            "第二条 本办法自印发之日起施行。"]))
    rendered = Rendered(render_docx(doc))
    texts = [text(p) for p in rendered.paragraphs()]
    date_at = texts.index("\t2026年11月27日")
    title_at = texts.index("洮北区行政执法公示办法")
    assert date_at < title_at < texts.index("第一条 为规范行政执法公示工作，制定本办法。")
    title = rendered.paragraphs()[title_at]
    assert ppr(title, "pageBreakBefore") is not None and attr(ppr(title, "jc"), "val") == "center"
    assert size_pt(runs(title)[0]) == 22 and fonts(runs(title)[0])["eastAsia"] == XBS
    assert not any(t.startswith("附件") for t in texts)


def test_the_imprint_is_kept_with_the_text_before_it(down):
    body = list(down.body)
    (table,) = down.body.findall(q("tbl"))
    before = body[body.index(table) - 1]
    assert ppr(before, "keepNext") is not None
    rows = table.findall(q("tr"))
    assert all(tr.find(f"{q('trPr')}/{q('cantSplit')}") is not None for tr in rows)
    assert ppr(rows[0].find(f".//{q('p')}"), "keepNext") is not None
    # without attachments the chain reaches back from the date through the signature to the body
    plain = Rendered(render_docx(make(attachments=[], note="")))
    paras = plain.paragraphs()
    date_at = next(i for i, p in enumerate(paras) if text(p) == "\t2026年11月27日")
    assert all(ppr(p, "keepNext") is not None for p in paras[date_at - 4:date_at + 1])
