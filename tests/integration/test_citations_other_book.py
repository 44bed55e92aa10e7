"""Services cite a route, rule or parameter by id and the book in force supplies the article and
the wording (issue 11 item 5): under another county's book, which numbers its articles differently
(tests/fixtures/books/other/other-2020.yaml), the same services cite that book's articles in its
own name, without any change to the apps."""

import datetime as dt
from pathlib import Path

import pytest
import yaml

from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.documents import intake, services
from zhengwu.errors import Refused
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook.loader import BOOKS_DIR

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday
OTHER = Path(__file__).resolve().parents[1] / "fixtures" / "books" / "other" / "other-2020.yaml"


def p(username):
    return Person.objects.get(username=username)


@pytest.fixture
def gov():
    return demo.load()


@pytest.fixture
def other_county(gov, tmp_path, settings):
    """The 2020 book with the other county's name and article numbers (values unchanged), as the
    only book in force: what a county does when it adopts zhengwu with its own numbering."""
    data = yaml.safe_load((BOOKS_DIR / "taobei-2020.yaml").read_text(encoding="utf-8"))
    other = yaml.safe_load(OTHER.read_text(encoding="utf-8"))
    data["short_title"] = other["short_title"]
    for route_id, route in other["routes"].items():
        data["routes"][route_id]["article"] = route["article"]
    for name, param in other["parameters"].items():
        data["parameters"][name]["article"] = param["article"]
    (tmp_path / "county.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    settings.RULEBOOK_DIRS = [tmp_path]
    return rules.lib().current


def registered(urgency):
    doc = services.document_draft(
        actor=p("dfx"), unit=Unit.objects.get(short_name="东风乡"), direction="incoming", kind="请示",
        title="关于东风乡抗旱应急水源工程资金的请示", main_recipients=["区人民政府"], urgency=urgency,
        body="东风乡今年旱情严重……特此请示。", important=True, collective_ref="东风乡党委会纪要〔2026〕9号",
        urgency_reason="旱情紧急" if urgency != "一般" else "", facts={"decision_needed_by": "2026-11-20"}, on=DAY)
    intake.document_submit(actor=p("dfx"), document_id=doc.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    return doc


def test_under_the_2020_book_the_parallel_route_is_cited_as_article_68(gov):
    doc = registered("一般")
    with pytest.raises(Refused) as e:
        intake.document_route(actor=p("wenshu"), document_id=doc.pk, parallel=True, on=DAY)
    assert e.value.field == "parallel" and e.value.message.endswith("（《工作规则》第六十八条）")


def test_another_countys_book_changes_the_citations_without_touching_the_apps(other_county):
    assert other_county.short_title == "本县规则" and other_county.route("doc.intake_urgent").article == 45
    doc = registered("一般")
    with pytest.raises(Refused) as e:  # only urgent documents go 串并联
        intake.document_route(actor=p("wenshu"), document_id=doc.pk, parallel=True, on=DAY)
    assert e.value.field == "parallel" and e.value.message.endswith("（《本县规则》第四十五条）")
    assert "工作规则" not in e.value.message and "六十八" not in e.value.message

    urgent = registered("加急")
    intake.document_route(actor=p("wenshu"), document_id=urgent.pk, parallel=True, on=DAY)
    ev = AuditEvent.objects.filter(action="documents.document.route", obj_id=str(urgent.pk)).get()
    assert ev.article == 45  # the audit trail cites the route's article from the book in force
    assert rules.cite("meetings.standing.chairs", DAY) == "（《本县规则》第四十条）"
