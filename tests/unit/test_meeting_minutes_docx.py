"""The 纪要 .docx (meetings/minutes_docx.py) on the GB/T 9704 page: pure, no database."""

import datetime as dt
import io
import zipfile

import pytest

from zhengwu.errors import Refused
from zhengwu.meetings.minutes_docx import MinutesDocument, render

DOC = MinutesDocument(
    mark="白城市洮北区人民政府常务会议纪要", number="〔2026〕23号", issuer="白城市洮北区人民政府办公室",
    date=dt.date(2026, 11, 4), title="区政府第二十三次常务会议纪要",
    body=("2026年11月4日，区长张甲主持召开区政府第二十三次常务会议。", "一、关于城区供热价格调整方案",
          "会议原则同意……"),
    present=("张甲（区长）", "李乙（常务副区长）"), on_leave=("孙己（副区长）",), attending=("蒋卯（发改局局长）",))


def xml_of(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def test_the_minutes_format_mark_number_lists_and_imprint():
    xml = xml_of(render(DOC))
    assert xml.index("白城市洮北区人民政府常务会议纪要") < xml.index("〔2026〕23号") < xml.index("区政府第二十三次常务会议纪要")
    assert 'w:color w:val="FF0000"' in xml and "方正小标宋简体" in xml  # red mark, 小标宋
    for label in ("出席：", "请假：", "列席："):
        assert label in xml
    assert xml.index("出席：") < xml.index("请假：") < xml.index("列席：")
    assert "黑体" in xml and "2026年11月4日印发" in xml  # the label in 黑体; the 版记
    assert "一、关于城区供热价格调整方案" in xml


def test_the_same_minutes_give_the_same_bytes():
    assert render(DOC) == render(DOC)


def test_minutes_without_a_body_are_refused_naming_the_field():
    with pytest.raises(Refused) as e:
        render(MinutesDocument(mark="纪要", number="", issuer="办公室", date=dt.date(2026, 11, 4), title="t", body=()))
    assert e.value.field == "body"


def test_every_paragraph_of_the_minutes_body_is_indented_two_characters():
    from docx import Document

    d = Document(io.BytesIO(render(DOC)))
    body = [p for p in d.paragraphs if p.text in DOC.body]
    assert len(body) == len(DOC.body)
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for p in body:
        ind = p._p.pPr.find(f"{W}ind")
        assert ind is not None and ind.get(f"{W}firstLineChars") == "200", p.text


def test_attendee_lines_read_without_nested_brackets():
    from zhengwu.meetings.minutes_docx import attendee_label

    assert attendee_label("王丙", "副区长（城建、应急）", "deputy_head") == "王丙（副区长，分管城建、应急）"
    assert attendee_label("李乙", "常务副区长（分管财政）", "executive_deputy") == "李乙（常务副区长，分管财政）"
    assert attendee_label("张甲", "区长", "district_head") == "张甲（区长）"
    assert attendee_label("蒋卯", "发改局局长", "unit_head") == "蒋卯（发改局局长）"
    assert attendee_label("赵六", "区长助理（正科级）", "") == "赵六（区长助理，正科级）"
    assert attendee_label("钱七", "") == "钱七"
    for label in (attendee_label("王丙", "副区长（城建、应急）", "deputy_head"),):
        assert label.count("（") == 1 and label.count("）") == 1
    data = render(MinutesDocument(**{**DOC.__dict__, "present": ("王丙（副区长，分管城建、应急）",)}))
    assert "出席：" in xml_of(data) and "王丙（副区长，分管城建、应急）" in xml_of(data)
