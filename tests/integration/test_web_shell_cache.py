"""The shell's header cached per person under version tokens (zhengwu.web.context.person_context,
zhengwu.org.versions; issue 17): the government, the posts held today and the bell's unread count
come from the cache, and every service that changes one of them bumps a token, so the next page
shows the change — with the local-memory cache of the default settings. A change that bumps no
token (a raw write no service makes) is not shown until the entry ends: the cache is really used,
and the bumps are what keep the header right."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.org import services as org_services
from zhengwu.org import versions
from zhengwu.org.models import Absence, Appointment, Person, Position
from zhengwu.workflow import notices, notify
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 7)  # a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def gov(full_demo):  # loaded once for the module (tests/conftest.py)
    return full_demo


def p(username: str) -> Person:
    return Person.objects.get(username=username)


@pytest.fixture
def as_(client, gov):
    def login(username: str):
        client.force_login(p(username))
        return client
    return login


def page(client, url="/org/") -> str:
    r = client.get(url)
    assert r.status_code == 200
    return r.content.decode()


def who(html: str) -> str:
    """The header's person and posts (_account.html)."""
    return html.split('<div class="who">', 1)[1].split("</div>", 1)[0]


def bell(html: str) -> int:
    """The bell's unread count in the header (0 when it shows none)."""
    part = html.split('id="notifications"', 1)[1].split("</div>", 1)[0]
    if 'class="bell-count"' not in part:
        return 0
    shown = part.split('class="bell-count">', 1)[1].split("<", 1)[0]
    return 100 if shown == "99+" else int(shown)


def unread(username: str) -> int:
    return Notification.objects.filter(person__username=username, read_at__isnull=True).count()


def shell_queries(client, url="/org/") -> list[str]:
    """The queries of a page that read what the header caches (unread count, the person's posts)."""
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return [q["sql"] for q in ctx.captured_queries
            if ('FROM "workflow_notification"' in q["sql"] and "COUNT(*)" in q["sql"])]


# ---- the cache is used -------------------------------------------------------------------------

def test_the_second_page_reads_the_header_from_the_cache(as_):
    client = as_("fuqu2")
    assert shell_queries(client)  # the first page reads the unread count
    assert shell_queries(client) == []  # the second takes it from the cache


def test_a_raw_write_that_bumps_nothing_is_not_shown_until_a_token_changes(as_):
    client = as_("fuqu2")
    before = bell(page(client))
    Notification.objects.create(person=p("fuqu2"), kind="info", title="不经服务写入的通知")  # no service: no bump
    assert bell(page(client)) == before  # the cached header
    versions.people_changed([p("fuqu2").pk])
    assert bell(page(client)) == before + 1


def test_without_a_cache_lifetime_every_page_reads_the_header(as_, settings):
    settings.SHELL_LOCAL_CACHE_SECONDS = 0
    client = as_("fuqu2")
    before = bell(page(client))
    Notification.objects.create(person=p("fuqu2"), kind="info", title="不经服务写入的通知")
    assert bell(page(client)) == before + 1


# ---- notifications: created, read --------------------------------------------------------------

def test_a_notification_sent_shows_on_the_next_page(as_):
    client = as_("fuqu2")
    before = bell(page(client))
    assert before == unread("fuqu2")
    notify.send(person=p("fuqu2"), kind="info", title="会议通知")
    assert bell(page(client)) == before + 1
    notify.send(person=p("fuqu2"), kind="info", title="会议通知", key="shell-cache-test")  # keyed
    assert bell(page(client)) == before + 2
    assert notify.send(person=p("fuqu2"), kind="info", title="会议通知", key="shell-cache-test") is None
    assert bell(page(client)) == before + 2


def test_notifications_sent_together_show_for_each_person(as_, client):
    counts = {}
    for name in ("fuqu2", "jyj"):
        counts[name] = bell(page(as_(name)))
    notify.send_all([notify.build(person=p(n), kind="info", title="会议通知") for n in ("fuqu2", "jyj")]
                    + [notify.build(person=p("jyj"), kind="info", title="会议通知", key="shell-cache-all")])
    assert bell(page(as_("fuqu2"))) == counts["fuqu2"] + 1
    assert bell(page(as_("jyj"))) == counts["jyj"] + 2


def test_mark_all_read_empties_the_bell_on_the_next_page(as_):
    client = as_("fuqu2")
    notify.send(person=p("fuqu2"), kind="info", title="会议通知")
    assert bell(page(client)) > 0
    notices.notifications_mark_read(actor=p("fuqu2"))
    assert bell(page(client)) == 0 == unread("fuqu2")


def test_mark_all_read_through_the_page_empties_the_bell(as_):
    client = as_("fuqu2")
    notify.send(person=p("fuqu2"), kind="info", title="会议通知")
    assert bell(page(client)) > 0
    r = client.post("/notifications/", {})
    assert r.status_code == 302
    assert bell(page(client, r["Location"])) == 0


def test_a_notice_read_by_opening_its_page_leaves_the_bell(as_):
    client = as_("fuqu2")
    notify.send(person=p("fuqu2"), kind="info", title="请阅", link="/org/")
    before = bell(page(client, "/calendar/?year=2026"))
    assert notices.notifications_seen(person=p("fuqu2"), link="/org/") == 1
    assert bell(page(client, "/calendar/?year=2026")) == before - 1 == unread("fuqu2")


def test_a_handled_tasks_notices_leave_the_bell(as_):
    note = (Notification.objects.filter(read_at__isnull=True, task__status=Task.Status.OPEN,
                                        task__assignee_id__isnull=False)
            .select_related("task", "person").order_by("id").first())
    assert note is not None, "the demo leaves someone a notice about an open task"
    client = as_(note.person.username)
    before = bell(page(client))
    assert notify.mark_task_handled(note.task, note.person) >= 1
    assert bell(page(client)) < before
    assert bell(page(client)) == unread(note.person.username)


# ---- the organisation: posts, absences, names ----------------------------------------------------

def test_a_post_ended_and_a_post_given_show_on_the_next_page(as_):
    client = as_("fuqu2")
    held = who(page(client))
    appointment = Appointment.objects.filter(person__username="fuqu2", end__isnull=True).select_related("position").first()
    title = appointment.position.title
    assert title in held
    org_services.appointment_end(actor=None, appointment=appointment, end=DAY)  # an UPDATE: no signal
    assert title not in who(page(client))
    org_services.appointment_create(actor=None, position=appointment.position, person=p("fuqu2"), start=DAY)
    assert title in who(page(client))


def test_a_post_renamed_shows_on_the_next_page(as_):
    client = as_("fuqu2")
    position = Position.objects.filter(appointments__person__username="fuqu2").first()
    assert position.title in who(page(client))
    position.title = "副区长（常务以外）"
    position.save()
    assert "副区长（常务以外）" in who(page(client))


def brand(html: str) -> str:
    """The government's name in the header."""
    return html.split('<span class="brand-text">', 1)[1].split("</strong>", 1)[0]


def test_the_government_renamed_shows_on_the_next_page(as_, gov):
    client = as_("fuqu2")
    assert gov.name in brand(page(client))
    gov.name = "示范区人民政府（更名）"
    gov.save()
    assert "示范区人民政府（更名）" in brand(page(client))


def test_an_absence_recorded_cancelled_and_shortened_bumps_the_organisations_token(gov):
    head = p("quzhang")
    seen = [versions.tokens(head.pk)[0]]
    absence, _notes = org_services.absence_create(actor=None, person=head, start=DAY, end=DAY + dt.timedelta(days=2),
                                          reason="赴省城开会", designated_by=head)
    seen.append(versions.tokens(head.pk)[0])
    org_services.absence_shorten(actor=None, absence=absence, end=DAY + dt.timedelta(days=1))
    seen.append(versions.tokens(head.pk)[0])
    org_services.absence_cancel(actor=None, absence=Absence.objects.get(pk=absence.pk))
    seen.append(versions.tokens(head.pk)[0])
    assert len(set(seen)) == 4


def test_a_person_saved_bumps_their_token_only(gov):
    mine, theirs = p("fuqu2"), p("jyj")
    before = versions.tokens(mine.pk), versions.tokens(theirs.pk)
    mine.full_name = "孙己（改名）"
    mine.save()
    assert versions.tokens(mine.pk)[1] != before[0][1]
    assert versions.tokens(theirs.pk) == before[1]


def test_whom_a_person_acts_for_shows_on_the_next_home_page(as_):
    # the home page reads it for the request (org.memo), not from the cached header: never stale
    client = as_("changwu")
    assert "今日补位" not in page(client, "/")
    head = p("quzhang")
    org_services.absence_create(actor=None, person=head, start=DAY, end=DAY, reason="赴省城开会", designated_by=head)
    assert "今日补位" in page(client, "/")


def test_a_post_that_begins_tomorrow_shows_tomorrow(as_, monkeypatch):
    client = as_("fuqu2")
    position = Position.objects.filter(government__people__username="fuqu2", code="clerk").first()
    assert position is not None and position.title not in who(page(client))
    Appointment.objects.bulk_create([Appointment(position=position, person=p("fuqu2"), start=DAY + dt.timedelta(days=1))])
    assert position.title not in who(page(client))  # no signal, and not held today
    monkeypatch.setattr(rules, "today", lambda: DAY + dt.timedelta(days=1))
    assert position.title in who(page(client))  # another day: the header is read again


# ---- what is not cached --------------------------------------------------------------------------

def test_a_header_read_from_the_replica_is_not_kept(gov, monkeypatch):
    from django.core.cache import cache

    from zhengwu.web import context, replica

    person, key = p("fuqu2"), f"zw:shell:e:{p('fuqu2').pk}"
    monkeypatch.setattr(replica, "configured", lambda: True)
    token = replica._state.set(replica._State(replica=True))  # a replica read (the router is not installed here)
    try:
        assert context.person_context(person, DAY)["shell_positions"]
    finally:
        replica._state.reset(token)
    assert cache.get(key) is None  # the standby may lag behind the bump that preceded this page
    context.person_context(person, DAY)
    assert cache.get(key) is not None


# ---- a token is bumped again when the change commits ------------------------------------------------

def test_a_bump_in_a_transaction_is_repeated_when_it_commits(gov, django_capture_on_commit_callbacks):
    from django.db import transaction

    pk = p("fuqu2").pk
    first = versions.tokens(pk)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            versions.people_changed([pk])
            versions.organisation_changed()
            during = versions.tokens(pk)
    after = versions.tokens(pk)
    assert first[0] != during[0] != after[0] and first[1] != during[1] != after[1]
