"""/api/v1/calendar and /api/v1/org: working days as the rules count them (with a warning for a
year whose official schedule is not loaded), units with their 分管领导, the leaders with their
分工 and who acts today, the people directory."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.api.routers import calendar as calendar_router
from zhengwu.api.services import api_token_create
from zhengwu.org import demo
from zhengwu.org import services as org_services
from zhengwu.org.models import Person

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)  # a Monday inside the demo term


@pytest.fixture(autouse=True)
def fast_passwords(settings):
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


def p(username):
    return Person.objects.get(username=username)


@pytest.fixture
def headers(gov):
    _token, key = api_token_create(actor=None, person=p("wenshu"), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_fourteen_working_days_after_24_september_2026_is_21_october(client, headers):
    # 9-25, 9-28, 9-29, 9-30, then the National Day holiday (10-01 … 10-07), 10-08, 10-09,
    # 10-10 (a Saturday worked, 调休), 10-12 … 10-16, 10-19, 10-20, 10-21
    r = client.get("/api/v1/calendar/add-workdays?date=2026-09-24&n=14", **headers)
    assert r.status_code == 200, r.content
    assert r.json() == {"date": "2026-09-24", "n": 14, "result": "2026-10-21", "unofficial_years": [],
                        "warnings": []}


def test_a_date_in_a_year_without_its_official_schedule_carries_a_warning(client, headers):
    body = client.get("/api/v1/calendar/add-workdays?date=2027-09-24&n=14", **headers).json()
    assert body["unofficial_years"] == [2027]
    [warning] = body["warnings"]
    assert "2027" in warning
    day = client.get("/api/v1/calendar/is-workday?date=2027-03-01", **headers).json()
    assert day["unofficial_years"] == [2027] and "2027" in day["warnings"][0]


def test_is_workday_names_holidays_and_make_up_days(client, headers):
    saturday = client.get("/api/v1/calendar/is-workday?date=2026-10-10", **headers).json()
    assert saturday["workday"] is True and "调休" in saturday["name"]
    holiday = client.get("/api/v1/calendar/is-workday?date=2026-10-01", **headers).json()
    assert holiday["workday"] is False and "国庆" in holiday["name"]
    plain = client.get("/api/v1/calendar/is-workday?date=2026-10-13", **headers).json()
    assert (plain["workday"], plain["name"], plain["warnings"]) == (True, "", [])


@pytest.mark.parametrize("query, status, field", [
    ("add-workdays?date=2026-9-24&n=14", 400, "date"),
    ("add-workdays?date=2026-02-30&n=14", 400, "date"),
    ("add-workdays?date=2026-09-24&n=0", 400, "n"),
    ("add-workdays?date=2026-09-24&n=-3", 400, "n"),
    ("add-workdays?date=2026-09-24&n=abc", 400, "n"),
    ("add-workdays?date=2026-09-24&n=99999", 400, "n"),
    ("add-workdays?date=1900-01-01&n=1", 400, "date"),
    ("add-workdays?n=14", 422, "date"),
    ("is-workday?date=tomorrow", 400, "date"),
    ("is-workday?date=9999-12-31", 400, "date"),
    ("is-workday", 422, "date"),
])
def test_bad_calendar_input_is_refused_naming_the_field(client, headers, query, status, field):
    r = client.get(f"/api/v1/calendar/{query}", **headers)
    assert r.status_code == status, r.content
    body = r.json()
    assert set(body) == {"message", "violations", "field"} and body["field"] == field and body["message"]


def test_an_unexpected_failure_is_500_in_the_error_shape_and_logged(client, headers, monkeypatch, caplog):
    def broken():
        raise RuntimeError("database on fire")

    monkeypatch.setattr(calendar_router, "work_calendar", broken)
    r = client.get("/api/v1/calendar/is-workday?date=2026-10-13", **headers)
    assert r.status_code == 500
    body = r.json()
    assert set(body) == {"message", "violations", "field"} and "fire" not in body["message"]
    assert any("database on fire" in (rec.exc_text or str(rec.exc_info)) for rec in caplog.records
               if rec.name == "zhengwu.api")


def test_units_carry_their_kind_and_the_leader_in_charge(client, headers):
    r = client.get("/api/v1/org/units", **headers)
    assert r.status_code == 200
    units = {u["short_name"]: u for u in r.json()}
    assert len(units) == len(demo.UNITS)
    jyj = units["教育局"]
    assert (jyj["kind"], jyj["kind_label"]) == ("component_dept", "组成部门")
    assert jyj["leader"]["position"]["code"] == "deputy_head" and jyj["leader"]["holder"]["username"] == "fuqu2"
    assert units["审计局"]["leader"]["holder"]["username"] == "quzhang"
    assert units["财政局"]["leader"]["holder"]["username"] == "changwu"


def test_leaders_in_rank_order_with_their_portfolio_and_who_acts_today(client, headers):
    org_services.absence_create(actor=None, person=p("quzhang"), designated_by=p("quzhang"), start=DAY, end=DAY, reason="赴省参加会议")
    r = client.get("/api/v1/org/leaders", **headers)
    assert r.status_code == 200
    leaders = r.json()
    assert [x["holder"]["username"] for x in leaders] == ["quzhang", "changwu", "fuqu1", "fuqu2", "fuqu3", "fuqu4"]
    assert [x["code_label"] for x in leaders[:3]] == ["区长", "常务副区长", "副区长"]
    head = leaders[0]
    assert head["away"] is True and head["acting"]["username"] == "changwu"  # art. 15
    changwu = leaders[1]
    assert changwu["away"] is False and changwu["acting"]["username"] == "changwu"
    assert {u["short_name"] for u in changwu["units"]} >= {"财政局", "人社局"}
    assert {"code": "finance", "label": "财务"} in changwu["domains"]


def test_people_are_found_by_login_or_name_with_their_positions(client, headers):
    body = client.get("/api/v1/org/people?q=fuqu", **headers).json()
    assert body["count"] == 4 and [x["username"] for x in body["items"]] == ["fuqu1", "fuqu2", "fuqu3", "fuqu4"]
    body = client.get("/api/v1/org/people?q=陈子", **headers).json()
    [czj] = body["items"]
    [pos] = czj["positions"]
    assert (czj["username"], pos["code"], pos["unit"]["short_name"]) == ("czj", "unit_head", "财政局")
    page = client.get("/api/v1/org/people?limit=5&offset=5", **headers).json()
    assert page["count"] == Person.objects.filter(is_active=True, government__isnull=False).count()
    assert len(page["items"]) == 5
    assert client.get("/api/v1/org/people?limit=101", **headers).status_code == 422
