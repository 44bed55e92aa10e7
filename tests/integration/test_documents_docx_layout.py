"""The .docx of a document as the district prints it (documents/render.py on the GB/T 9704 layout):
the 红头 at the government's own size (the rulebook's documents.masthead, not a constant), the
seal's place marked, a 办法 issued inside "关于印发《…》的通知", and a salutation the drafter typed
printed once. Read back with python-docx."""

import datetime as dt
import io

import pytest
from docx import Document as Docx

from zhengwu import rules
from zhengwu.documents import compose, render
from zhengwu.documents.models import Document
from zhengwu.org.models import Unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 4)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


@pytest.fixture
def gov(org_demo):
    return org_demo


def issued(gov, **kw) -> Document:
    """An unsaved document as it stands once signed and numbered (render reads nothing else)."""
    fields = dict(government=gov, unit=Unit.objects.get(short_name="司法局"), direction="outgoing", kind="通知",
                  issuing_as="government", title="洮北区行政执法公示办法", is_normative=True,
                  main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"],
                  body="第一条 为规范行政执法公示工作，制定本办法。\n第二条 本办法自印发之日起施行。",
                  doc_number="白洮政发〔2026〕3号", signed_on=DAY, cc=["区人大常委会办公室"],
                  collective_ref="区政府第二十三次常务会议")
    fields.update(kw)
    return Document(**fields)


def live(doc: Document) -> dict:
    """The fields of the compose form's live pre-check (compose.precheck_facts)."""
    return {**{k: getattr(doc, k) for k in compose._MODEL_FIELDS}, "unit": doc.unit}


def read(doc: Document):
    return Docx(io.BytesIO(render.render_docx(doc)))


def texts(d) -> list[str]:
    return [p.text for p in d.paragraphs]


def test_the_masthead_is_the_governments_size_from_the_rulebook(gov):
    d = read(issued(gov, title="关于做好2026年冬季供暖工作的通知", is_normative=False))
    mark = next(p for p in d.paragraphs if p.text == f"{gov.name}文件")
    (run,) = mark.runs
    masthead = rules.param("documents.masthead", DAY)
    expected = round(masthead["height_mm"] / 25.4 * 72 * 2) / 2
    assert run.font.size.pt == expected and expected > 60  # a full-size 红头, not 26 pt
    scale = int(run._r.rPr.find(f"{W}w").get(f"{W}val"))
    width_mm = len(mark.text) * expected * scale / 100 / 72 * 25.4
    assert scale < 100 and width_mm <= masthead["width_mm"] + 0.5  # condensed to the width set
    assert str(run.font.color.rgb) == "FF0000"
    anchor = d.element.body.find(f".//{WP}anchor")
    assert anchor.find(f"{WP}docPr").get("name") == "印章位置"
    assert abs(int(anchor.find(f"{WP}extent").get("cx")) / 36000 - masthead["seal_mm"]) < 0.1


def test_a_banfa_goes_out_inside_its_issuing_notice(gov):
    doc = issued(gov)
    assert render.needs_issue_notice(doc)
    d = read(doc)
    t = texts(d)
    title = "关于印发《洮北区行政执法公示办法》的通知"
    assert title in t and "洮北区行政执法公示办法" in t
    notice_body = next(x for x in t if x.startswith("《洮北区行政执法公示办法》已经"))
    assert "区政府第二十三次常务会议审议通过" in notice_body and "印发给你们" in notice_body
    date_at = t.index("\t2026年11月4日")
    enclosed_at = t.index("洮北区行政执法公示办法")
    assert t.index(title) < t.index(notice_body) < date_at < enclosed_at < t.index("第一条 为规范行政执法公示工作，制定本办法。")
    assert d.paragraphs[enclosed_at].paragraph_format.page_break_before
    assert d.core_properties.title == title


def test_a_notice_or_an_already_wrapped_title_is_not_wrapped_again(gov):
    for title in ("关于做好2026年冬季供暖工作的通知", "关于印发《洮北区行政执法公示办法》的通知"):
        doc = issued(gov, title=title)
        assert not render.needs_issue_notice(doc)
        assert title in texts(read(doc)) and not any(x.startswith("关于印发《关于") for x in texts(read(doc)))


@pytest.mark.rules("R67.salutation")
def test_a_salutation_typed_in_the_body_is_printed_once_and_the_precheck_warns(gov):
    doc = issued(gov, title="关于做好2026年冬季供暖工作的通知", is_normative=False, main_recipients=["区政府各部门"],
                 body="区政府各部门：\n为做好今冬供暖工作，现通知如下。")
    t = texts(read(doc))
    assert t.count("区政府各部门：") == 1
    found = [v for v in compose.precheck_facts(live(doc), on=DAY) if v.rule_id == "R67.salutation"]
    assert len(found) == 1 and found[0].severity == "warn" and found[0].field == "body"
    assert found[0].message.endswith("（《工作规则》第六十七条）")
    clean = issued(gov, title="关于做好2026年冬季供暖工作的通知", is_normative=False, main_recipients=["区政府各部门"],
                   body="为做好今冬供暖工作，现通知如下。")
    assert not [v for v in compose.precheck_facts(live(clean), on=DAY) if v.rule_id == "R67.salutation"]
