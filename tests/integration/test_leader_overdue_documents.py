"""The leader's desk (web.home): "overdue in your portfolio" lists, beside the supervision items, the
documents of the units in his portfolio (分管) whose approval has a step past its time limit
(art. 68) — whoever holds the step; not before the limit has passed, and not for a leader who is not
in charge of the unit."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.documents import intake, services
from zhengwu.org.models import Person, Unit
from zhengwu.web import home
from zhengwu.workcalendar.selectors import work_calendar

pytestmark = pytest.mark.django_db

ROUTED = dt.date(2026, 10, 12)  # a Monday: the 请示 goes to the leaders
LATER = dt.date(2026, 11, 16)  # well past the 14 working days of an ordinary matter (art. 68)
TITLE = "关于申报2027年中央预算内投资项目的请示"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: LATER)
    return LATER


@pytest.fixture(scope="module")
def demo_today():
    return ROUTED


@pytest.fixture
def gov(org_demo):
    return org_demo


def p(username: str) -> Person:
    return Person.objects.get(username=username)


@pytest.fixture
def routed(gov):
    """A 发改局 请示 (the 区长's portfolio) registered and sent to the leaders on ROUTED."""
    doc = services.document_draft(actor=p("fgj"), unit=Unit.objects.get(short_name="发改局"), direction="incoming",
                                  kind="请示", title=TITLE, main_recipients=["区人民政府"],
                                  body="我局拟申报2027年中央预算内投资项目，特此请示。", on=ROUTED)
    intake.document_submit(actor=p("fgj"), document_id=doc.pk, on=ROUTED)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=ROUTED)
    intake.document_route(actor=p("wenshu"), document_id=doc.pk, on=ROUTED)
    doc.refresh_from_db()
    assert doc.status == "in_approval"
    return doc


def overdue(username: str, on: dt.date) -> list[dict]:
    return home._overdue_in_portfolio(p(username), on, work_calendar())


def test_a_document_of_his_portfolio_past_its_step_limit_is_on_his_overdue_list(routed, client):
    rows = [r for r in overdue("quzhang", LATER) if r["kind"] == "document"]
    assert [r["url"] for r in rows] == [f"/documents/{routed.pk}/"]
    assert rows[0]["late"] > 0 and rows[0]["due_on"] < LATER and rows[0]["unit"] == "发改局"
    client.force_login(p("quzhang"))
    html = client.get("/").content.decode()
    panel = html[html.index('class="panel lh-overdue"'):]
    panel = panel[:panel.index("</section>")]
    assert TITLE in panel and f'href="/documents/{routed.pk}/"' in panel and "公文" in panel


def test_not_before_its_limit_and_not_for_a_leader_not_in_charge(routed):
    assert not [r for r in overdue("quzhang", ROUTED) if r["kind"] == "document"]  # the day it was sent
    assert not [r for r in overdue("fuqu1", LATER) if r["kind"] == "document"]  # 发改局 is not his
