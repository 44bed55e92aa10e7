"""The organisation pages: leaders in rank order with their 分工, units by kind, today's absences and
who acts (补位), the ECharts tree's data, unit and person pages with their audit history."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.audit import selectors as audit
from zhengwu.org import selectors, services
from zhengwu.org.models import Person, Portfolio, Unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)  # a Monday inside the demo term


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The demo sets 17 passwords; PBKDF2 would spend seconds on them in every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture(scope="module")
def demo_today():
    return DAY  # the module's data is loaded as of the day its tests run on (tests/conftest.py)


@pytest.fixture
def quzhang(client, gov):
    client.force_login(Person.objects.get(username="quzhang"))
    return client


def person(username):
    return Person.objects.get(username=username)


def chart_data(html: str) -> dict:
    m = re.search(r'<script id="org-chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "the chart's json_script block is missing"
    return json.loads(m.group(1))


def leaves(node: dict) -> list[dict]:
    kids = node.get("children") or []
    if not kids:
        return [node]
    return [leaf for k in kids for leaf in leaves(k)]


def test_the_org_page_shows_the_government_term_and_leaders_in_rank_order(quzhang):
    html = quzhang.get("/org/").content.decode()
    assert "白城市洮北区人民政府" in html
    assert "第1届：2022-01-10 至 2027-01-10" in html
    leaders = html.split('id="leaders-title"')[1].split('id="chart-title"')[0]
    names = ["张甲", "李乙", "王丙", "赵丁", "钱戊", "孙己"]
    positions = [leaders.index(f">{n}</a>") for n in names]
    assert positions == sorted(positions)
    assert "周庚" not in leaders  # the office director is no leader with a portfolio
    changwu = leaders.split(">李乙</a>")[1].split('class="leader"')[0]
    for label in ("财务", "人事", "行政审批"):  # domain labels from the rulebook's org.domain_labels
        assert f">{label}</span>" in changwu
    assert "财政局" in changwu and "finance" not in changwu


def test_a_new_deputy_without_a_portfolio_is_listed_too(quzhang, gov):
    pos = services.position_create(actor=None, government=gov, code="deputy_head", title="副区长（新任）", rank=7)
    newcomer = services.person_create(actor=None, government=gov, username="fuqu5", full_name="李新")
    services.appointment_create(actor=None, position=pos, person=newcomer, start=DAY)
    html = quzhang.get("/org/").content.decode()
    leaders = html.split('id="leaders-title"')[1].split('id="chart-title"')[0]
    assert leaders.index(">孙己</a>") < leaders.index(">李新</a>")
    assert "李新" in chart_data(html)["tree"]["children"][-1]["name"]


def test_units_are_grouped_by_kind_with_their_leader(quzhang, gov):
    html = quzhang.get("/org/").content.decode()
    section = html.split('id="units-title"')[1]
    kinds = rules.param("org.unit_kinds", DAY)
    for code in set(gov.units.values_list("kind", flat=True)):
        assert kinds[code] in section
    for unit in gov.units.all():
        assert f'href="/org/units/{unit.pk}/">{unit.name}</a>' in section
    assert section.index("组成部门") < section.index("乡镇")  # the rulebook's order of kinds


def test_the_chart_data_holds_every_unit_of_every_leader_portfolio(quzhang, gov):
    data = chart_data(quzhang.get("/org/").content.decode())
    root = data["tree"]
    assert root["name"].startswith("区长") and "张甲" in root["name"]
    deputies = [c for c in root["children"] if c.get("kind") == "position"]
    assert [d["name"].split("\n")[1] for d in deputies] == ["李乙", "王丙", "赵丁", "钱戊", "孙己"]
    in_portfolios = set(Portfolio.objects.filter(position__code__in=selectors.LEADER_CODES)
                        .values_list("units__pk", flat=True)) - {None}
    charted = {leaf["unit_id"] for leaf in leaves(root) if "unit_id" in leaf}
    assert charted == in_portfolios and len(charted) == 21
    finance = next(leaf for leaf in leaves(root) if leaf.get("full_name") == "区财政局")
    assert finance["url"] == f"/org/units/{Unit.objects.get(name='区财政局').pk}/" and finance["color"]


def test_absent_leaders_are_listed_with_who_acts(quzhang):
    html = quzhang.get("/org/").content.decode()
    assert "今日无区政府领导外出" in html
    services.absence_create(actor=None, person=person("fuqu1"), start=DAY, end=DAY + dt.timedelta(days=2),
                            reason="赴省里学习", substitute=person("fuqu2"), designated_by=person("quzhang"))
    services.absence_create(actor=None, person=person("quzhang"), designated_by=person("quzhang"), start=DAY, end=DAY, reason="赴市里开会")
    html = quzhang.get("/org/").content.decode()
    notice = html.split('id="abs-title"')[1].split("</section>")[0]
    assert "赴省里学习" in notice and "赴市里开会" in notice
    # 副区长 away -> the designated substitute; 区长 away -> the 常务副区长 (art. 15)
    assert re.search(r"王丙</a>：(?:<span lang=.zh.>)?赴省里学习.*?补位 <a [^>]*><strong>赵丁</strong>", notice, re.S)
    assert re.search(r"张甲</a>：(?:<span lang=.zh.>)?赴市里开会.*?补位 <a [^>]*><strong>李乙</strong>", notice, re.S)


def test_the_unit_page_shows_its_details_and_history_from_the_audit_trail(quzhang):
    unit = Unit.objects.get(name="区财政局")
    html = quzhang.get(f"/org/units/{unit.pk}/").content.decode()
    assert "<h1>区财政局</h1>" in html and "组成部门" in html
    assert "常务副区长" in html and ">李乙</a>" in html  # the leader in charge
    assert ">陈子</a>" in html and ">褚丑</a>" in html  # holders of the unit's positions
    events = list(audit.history_for("org.unit", str(unit.pk)))
    assert events and html.count('<li class="event sentence"') == len(events)
    history = html.split('id="history-title"')[1]
    assert "新增单位" in history and "区财政局" in history  # the event in words (the trail in sentences)
    assert 'href="/rulebook/#a97">第九十七条</a>' in html  # the article the event cites


def test_the_person_page_shows_positions_and_the_history_of_their_portfolio(quzhang):
    changwu = person("changwu")
    position = selectors.positions_of(changwu, DAY)[0]
    services.portfolio_set(actor=person("quzhang"), position=position,
                           units=list(position.portfolio.units.exclude(short_name="政数局")),
                           domains=["finance", "personnel"])
    html = quzhang.get(f"/org/people/{changwu.pk}/").content.decode()
    assert "<h1>李乙</h1>" in html and "常务副区长" in html
    assert "调整分工" in html and "新增人员" in html
    assert '<span class="sentence-who">张甲</span>' in html and "quzhang" not in html  # the actor, by name only
    history = html.split('id="history-title"')[1]
    assert history.index("调整分工") < history.index("新增人员")  # newest first


def test_unknown_objects_are_404(quzhang):
    assert quzhang.get("/org/units/999999/").status_code == 404
    assert quzhang.get("/org/people/999999/").status_code == 404


def test_the_org_page_costs_the_same_queries_however_many_units(quzhang, gov, django_assert_max_num_queries):
    def measure():
        with CaptureQueriesContext(connection) as ctx:
            assert quzhang.get("/org/").status_code == 200
        return len(ctx.captured_queries)

    before = measure()
    deputy = Portfolio.objects.get(position__title="副区长（农业农村）")
    new = [services.unit_create(actor=None, government=gov, name=f"测试乡{i}", kind="town") for i in range(20)]
    services.portfolio_set(actor=None, position=deputy.position, units=[*deputy.units.all(), *new],
                           domains=deputy.domains)
    after = measure()
    assert after == before, (before, after)
    data = chart_data(quzhang.get("/org/").content.decode())
    assert {u.pk for u in new} <= {leaf.get("unit_id") for leaf in leaves(data["tree"])}
    with django_assert_max_num_queries(15):  # session, user, shell 2, org 11 (6 of them: one absence per leader)
        quzhang.get("/org/")
