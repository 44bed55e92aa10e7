"""The work calendar page: a year of month grids with holidays (放假) and make-up working days (班),
the years with an official schedule, and a warning for a year whose schedule is not loaded."""

import datetime as dt
import re

import pytest

from zhengwu import rules
from zhengwu.org.models import Person
from zhengwu.workcalendar import selectors as cal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The demo sets 17 passwords; PBKDF2 would spend seconds on them in every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    day = dt.date(2026, 11, 27)
    monkeypatch.setattr(rules, "today", lambda: day)
    return day


@pytest.fixture
def quzhang(client, org_demo):  # the org demo (it seeds the calendar too), loaded once for the module
    client.force_login(Person.objects.get(username="quzhang"))
    return client


def cell(html: str, day: str) -> str:
    m = re.search(r'<td class="([^"]*)" data-date="' + day + r'"[^>]*>(.*?)</td>', html, re.S)
    assert m, f"no cell for {day}"
    return m.group(0)


def classes(html: str, day: str) -> set[str]:
    return set(re.search(r'<td class="([^"]*)"', cell(html, day)).group(1).split())


def test_2026_marks_national_day_as_holiday_and_the_make_up_saturday_as_ban(quzhang):
    html = quzhang.get("/calendar/", {"year": "2026"}).content.decode()
    assert "<h1>2026年工作日历</h1>" in html
    assert len(re.findall(r'data-date="2026-\d\d-\d\d"', html)) == 365
    assert "holiday" in classes(html, "2026-10-01") and "国庆节" in cell(html, "2026-10-01")
    assert "makeup" in classes(html, "2026-10-10") and "班" in cell(html, "2026-10-10")
    assert classes(html, "2026-10-11") == {"weekend"}  # an ordinary Sunday
    assert classes(html, "2026-10-12") == {"workday"}
    assert "today" in classes(html, "2026-11-27")
    assert "尚未载入，以下为按周末推算" not in html
    assert ">248</strong>" in html  # working days in 2026 (NOTES.md)


def test_2027_warns_that_its_official_schedule_is_not_loaded(quzhang):
    assert 2027 not in cal.official_years()
    html = quzhang.get("/calendar/", {"year": "2027"}).content.decode()
    assert "2027年的国务院办公厅放假安排尚未载入，以下为按周末推算" in html
    assert "makeup" not in classes(html, "2027-10-09")  # no make-up days are guessed


def test_the_page_lists_the_years_with_an_official_schedule(quzhang):
    html = quzhang.get("/calendar/").content.decode()
    assert "<h1>2026年工作日历</h1>" in html  # this year by default
    section = html.split('id="years-title"')[1]
    for year in cal.official_years():
        assert f'href="?year={year}"' in section
    assert 'href="?year=2027"' not in section
    assert 'href="?year=2025" rel="prev"' in html and 'href="?year=2027" rel="next"' in html


def test_a_bad_or_unknown_year_does_not_break_the_page(quzhang):
    r = quzhang.get("/calendar/", {"year": "abc"})
    assert r.status_code == 200 and "<h1>2026年工作日历</h1>" in r.content.decode()
    r = quzhang.get("/calendar/", {"year": "1995"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "不在工作日历范围" in html and "data-date=" not in html


def test_the_calendar_in_english_keeps_chinese_holiday_names(quzhang):
    quzhang.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = quzhang.get("/calendar/", {"year": "2027"}).content.decode()
    assert "Work calendar 2027" in html and "has not been loaded" in html
    assert "国庆节" in html and ">Mo</th>" in html
