"""The per-request memo of the organisation's reads (zhengwu.org.memo, issue 17): within a request
the person's posts held today and those acted for are read once; outside one (services, commands)
every call reads; a write to an organisation table switches the memo off for the rest of the
request, so what the request changed, and what a rollback undid, is read fresh; and nothing carries
over from one request to the next."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.org import memo, selectors, services
from zhengwu.org.models import Person

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)  # a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture
def gov(org_demo):  # loaded once for the module (tests/conftest.py)
    return org_demo


def person(username):
    return Person.objects.get(username=username)


def titles(positions):
    return [p.title for p in positions]


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def test_outside_a_request_every_call_reads(gov):
    head = person("quzhang")
    assert count(lambda: selectors.positions_of(head, DAY)) == 1
    assert count(lambda: selectors.positions_of(head, DAY)) == 1
    assert not memo.active()


def test_within_a_request_the_posts_are_read_once(gov):
    head = person("quzhang")
    with memo.per_request():
        assert memo.active()
        assert count(lambda: selectors.positions_held(head, DAY)) == 4  # posts, leaders, holders, absences
        assert count(lambda: selectors.positions_held(head, DAY)) == 0
        assert count(lambda: selectors.positions_of(person("quzhang"), DAY)) == 1  # the person read, not the posts
        assert count(lambda: selectors.positions_of(head, DAY + dt.timedelta(days=1))) == 1  # another day: read
        assert titles(selectors.positions_of(head, DAY)) == ["区长"]
    assert not memo.active()
    assert count(lambda: selectors.positions_of(head, DAY)) == 1  # the request is over: read again


def test_a_caller_changing_the_list_it_got_does_not_change_the_memo(gov):
    head = person("quzhang")
    with memo.per_request():
        selectors.positions_of(head, DAY).append("something")
        selectors.acted_for_by(head, DAY).append("something")
        assert titles(selectors.positions_of(head, DAY)) == ["区长"]
        assert selectors.acted_for_by(head, DAY) == []


def test_an_appointment_ended_in_the_request_is_read_fresh(gov):
    head = person("quzhang")
    appointment = head.appointments.get()
    with memo.per_request():
        assert titles(selectors.positions_of(head, DAY)) == ["区长"]
        services.appointment_end(actor=None, appointment=appointment, end=DAY)  # an UPDATE, no model save
        assert selectors.positions_of(head, DAY) == []
        assert not memo.active()  # and stays off for the rest of the request
        assert count(lambda: selectors.positions_of(head, DAY)) == 1


def test_an_absence_recorded_in_the_request_changes_who_acts(gov):
    head, deputy = person("quzhang"), person("changwu")
    with memo.per_request():
        assert selectors.acted_for_by(deputy, DAY) == []
        services.absence_create(actor=None, person=head, start=DAY, end=DAY, reason="赴省城开会", designated_by=head)
        assert titles(selectors.acted_for_by(deputy, DAY)) == ["区长"]


def test_a_write_rolled_back_leaves_no_memo_of_what_it_wrote(gov):
    head = person("quzhang")
    appointment = head.appointments.get()
    with memo.per_request():
        with pytest.raises(RuntimeError), transaction.atomic():
            services.appointment_end(actor=None, appointment=appointment, end=DAY)
            assert selectors.positions_of(head, DAY) == []
            raise RuntimeError("rolled back")
        assert titles(selectors.positions_of(head, DAY)) == ["区长"]


def test_a_write_elsewhere_keeps_the_memo(gov):
    head = person("quzhang")
    with memo.per_request():
        selectors.positions_of(head, DAY)
        from zhengwu.workflow import notify

        notify.send(person=head, kind="info", title="会议通知")
        assert memo.active()
        assert count(lambda: selectors.positions_of(head, DAY)) == 0


def who(response) -> str:
    """The header's person and posts (_account.html)."""
    assert response.status_code == 200
    return response.content.decode().split('<div class="who">', 1)[1].split("</div>", 1)[0]


def test_the_next_page_shows_a_post_ended_between_requests(client, gov):
    head = person("quzhang")
    client.force_login(head)
    assert "区长" in who(client.get("/org/"))
    services.appointment_end(actor=None, appointment=head.appointments.get(), end=DAY)
    assert "区长" not in who(client.get("/org/"))
