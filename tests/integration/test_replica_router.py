"""The replica router (issue 17, zhengwu.web.replica) with a second alias, "replica", pointed at the
same test database, so it runs without a standby (bench/replica.py proves it with a real one):
read-only pages read from the replica, writes go to the primary, a request that wrote reads its
own writes from the primary, and so do the pages that follow it (the pin cookie)."""

import pytest
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from zhengwu.org.models import Government
from zhengwu.web import replica

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup):
    """A "replica" alias to the test database (a copy of default's settings once the test database
    exists), for this module only; module-scoped so it exists before each test's database access
    is set up (which must list it)."""
    default = connections.settings["default"]
    # a mirror of default, as a real replica would be configured: never flushed on its own
    connections.settings[replica.REPLICA] = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    try:
        yield
    finally:
        connections[replica.REPLICA].close()
        del connections[replica.REPLICA]
        del connections.settings[replica.REPLICA]


@pytest.fixture
def replica_alias(settings):
    settings.DATABASE_ROUTERS = ["zhengwu.web.replica.ReplicaRouter"]
    return connections[replica.REPLICA]


def _listing(request):
    return HttpResponse(str(Government.objects.count()))


def _write_then_read(request):
    Government.objects.create(name=f"测试{request.GET.get('n', '')}区人民政府", short_name="测试区")
    return HttpResponse(str(Government.objects.count()))


def serve(view, path, method="get", cookies=None, **marks):
    for k, v in marks.items():
        setattr(view, k, v)
    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies or {})
    mw = replica.ReplicaMiddleware(lambda r: view(r) if mw.process_view(r, view, (), {}) is None else None)
    return mw(request)


def queries(alias):
    return CaptureQueriesContext(connections[alias])


def test_a_register_page_reads_from_the_replica_and_another_page_from_the_primary(replica_alias):
    Government.objects.create(name="甲区人民政府", short_name="甲区")
    with queries("replica") as on_replica, queries("default") as on_primary:
        response = serve(_listing, "/documents/registers/incoming/")
    assert response.content == b"1" and replica.PIN_COOKIE not in response.cookies
    assert len(on_replica) == 1 and len(on_primary) == 0
    with queries("replica") as on_replica, queries("default") as on_primary:
        serve(_listing, "/documents/intake/")  # not a read-only page
    assert len(on_replica) == 0 and len(on_primary) == 1


def test_a_request_that_writes_reads_its_own_write_from_the_primary_and_pins_the_next_pages(replica_alias):
    with queries("replica") as on_replica, queries("default") as on_primary:
        response = serve(_write_then_read, "/search/?n=乙")
    assert response.content == b"1"
    assert len(on_replica) == 0 and len(on_primary) >= 2  # the insert, then the count after it
    assert response.cookies[replica.PIN_COOKIE]["max-age"] > 0
    with queries("replica") as on_replica:
        serve(_listing, "/documents/registers/incoming/", cookies={replica.PIN_COOKIE: "1"})
    assert len(on_replica) == 0  # the page after a write: still the primary


def test_a_post_is_never_served_from_the_replica_and_pins(replica_alias):
    with queries("replica") as on_replica:
        response = serve(_listing, "/documents/registers/incoming/", method="post")
    assert len(on_replica) == 0 and replica.PIN_COOKIE in response.cookies


def test_pages_marked_primary_or_replica_are_read_as_marked(replica_alias):
    with queries("replica") as on_replica:
        serve(_listing, "/public/", primary_reads=True)
    assert len(on_replica) == 0
    with queries("replica") as on_replica:
        serve(_listing, "/some/read-only/page/", primary_reads=False, replica_reads=True)
    assert len(on_replica) == 1


def test_sessions_stay_on_the_primary_and_writes_always_go_there(replica_alias):
    from django.contrib.sessions.models import Session

    router = replica.ReplicaRouter()
    token = replica._state.set(replica._State(replica=True))
    try:
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(Government) == "replica"
        assert router.db_for_write(Session) == "default"
        assert router.db_for_read(Government) == "replica"  # a session write is not the page's write
        assert router.db_for_write(Government) == "default"
        assert router.db_for_read(Government) == "default"  # read-your-writes
    finally:
        replica._state.reset(token)
    assert router.allow_migrate("replica", "org") is False and router.allow_migrate("default", "org")


def test_without_a_replica_everything_reads_from_the_primary(settings, monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: False)
    token = replica._state.set(replica._State(replica=True))
    try:
        assert replica.ReplicaRouter().db_for_read(Government) == "default"
    finally:
        replica._state.reset(token)
