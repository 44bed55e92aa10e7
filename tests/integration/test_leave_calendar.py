"""The leaders' calendar (art. 94) on the full demo: the meetings a leader chairs or attends, the
absences (with who acts), the office's activities, and what another section contributes through
`register_calendar_source`; per leader and for the whole leadership, on a phone-sized page."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.affairs.leave import calendar
from zhengwu.meetings.models import Meeting
from zhengwu.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(full_demo):
    return full_demo


def p(username):
    return Person.objects.get(username=username)


@pytest.mark.rules("W94.leaders_calendar")
def test_meetings_absences_and_activities_meet_in_the_calendar(gov):
    today = rules.today()
    ids = [x.pk for x, _ in calendar.leaders(gov, today)]
    meeting = (Meeting.objects.filter(government=gov, chair_id__in=ids, status__in=("approved", "pending", "closed"))
               .order_by("starts_at").first())
    assert meeting is not None
    day = meeting.starts_at.astimezone().date()
    found = calendar.entries(gov, day, day, ids)
    assert any(e.kind == "会议" and e.title == meeting.title and e.leader_id == meeting.chair_id for e in found)
    week = calendar.entries(gov, *calendar.week_of(today), ids)
    kinds = {e.kind for e in week}
    assert {"外出", "活动"} <= kinds
    assert any(e.kind == "外出" and "孙己补位" in e.title for e in week)


def test_another_section_contributes_its_entries(gov, monkeypatch, client):
    today = rules.today()

    def visits(government, start, end, leader_ids):
        yield calendar.Entry(leader_id=p("fuqu4").pk, day=today, title="会见来访的友好城市代表团", kind="外事")
        yield calendar.Entry(leader_id=p("fuqu1").pk, day=today, title="出席某协会年会", kind="活动",
                             arranged_by_office=False)

    monkeypatch.setattr(calendar, "_SOURCES", dict(calendar.sources()))
    calendar.register_calendar_source(visits)
    client.force_login(p("bgs-zhuren"))
    page = client.get("/affairs/leave/calendar/").content.decode()
    assert "会见来访的友好城市代表团" in page and "外事" in page
    assert page.count("未经区政府办公室统一安排（第九十四条）") == 1  # the one the office did not arrange is flagged
    only = client.get(f"/affairs/leave/calendar/?leader={p('quzhang').pk}").content.decode()
    assert "会见来访的友好城市代表团" not in only


def test_the_calendar_page_has_a_week_to_browse_and_is_phone_friendly(gov, client):
    client.force_login(p("quzhang"))
    today = rules.today()
    start, _ = calendar.week_of(today)
    page = client.get("/affairs/leave/calendar/?week=" + (start - dt.timedelta(days=7)).isoformat()).content.decode()
    assert 'class="lv-week"' in page and "leave/leave.css" in page and "style=" not in page
    assert client.get("/affairs/leave/calendar/?week=not-a-date").status_code == 200
