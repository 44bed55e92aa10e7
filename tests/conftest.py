"""Suite-wide test setup.

`@pytest.mark.rules("R12.one_head", ...)` declares which rule / route / register ids a test
exercises; `zhengwu rules coverage` reads these marks, and the fixture below fails the test if a
declared id was not actually exercised while it ran — so the coverage report cannot lie.
"""

import pytest
from django.db import connections

from zhengwu.rulebook import coverage, registry


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The demo creates many logins; the production hasher (PBKDF2) would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _rules_exercised(request):
    marker = request.node.get_closest_marker("rules")
    if marker is None:
        yield
        return
    registry.trace_start()
    try:
        yield
    finally:
        seen = registry.trace_stop()
    missing = [rid for rid in marker.args if rid not in seen]
    if missing:
        pytest.fail(f"test is marked as exercising {missing} but never ran them (ran: {sorted(seen)})")
    # Routes: `rules coverage` credits a route because a module declares `starts(route)`. Keep that
    # honest both ways: product code may start only the routes its module declares, and a test
    # marked with a declared route must have run the declaring module's code that starts it (not
    # a start from the test itself or from the demo data).
    problems = coverage.start_problems(marker.args, registry.traced_starts())
    if problems:
        pytest.fail("; ".join(problems))



# --- Audit triggers vs. the flush after transactional tests --------------------------------------
# audit_auditevent is append-only: database triggers refuse UPDATE, DELETE and (PostgreSQL)
# TRUNCATE, and the product has no way around them. A transactional test
# (django_db(transaction=True), transactional_db, live_server) ends with Django flushing every
# table — DELETE on SQLite, TRUNCATE on PostgreSQL — which those triggers refuse.
# So around exactly that flush, and nowhere else, the triggers are dropped and the ones that were
# there are put back. Test bodies always run with the triggers as the migrations left them (if a
# migration failed to create them, this does not create them either). Non-transactional tests
# roll back and need nothing.
# It lives here (not in integration/) because e2e live_server tests flush too.


def drop_audit_triggers(connection) -> set[str]:
    """Drop our triggers on `connection`; return the names that were there."""
    from zhengwu.audit import triggers

    present = triggers.installed(connection) if triggers.TABLE in connection.introspection.table_names() else set()
    with connection.cursor() as cur:
        for name in present:
            on = f" ON {triggers.TABLE}" if connection.vendor == "postgresql" else ""
            cur.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
    return present


def restore_audit_triggers(connection, dropped: set[str]) -> None:
    """Put back the triggers `drop_audit_triggers` dropped (the product's own definitions)."""
    from zhengwu.audit import triggers

    if dropped:
        triggers.install(connection)


@pytest.fixture(scope="session", autouse=True)
def _audit_triggers_allow_test_flush():
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        dropped = {
            alias: drop_audit_triggers(connections[alias]) for alias in self._databases_names(include_mirrors=False)
        }
        try:
            original(self)  # the flush
        finally:
            for alias, names in dropped.items():
                restore_audit_triggers(connections[alias], names)

    TransactionTestCase._fixture_teardown = _fixture_teardown
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture
def audit_triggers_dropped():
    """For tamper tests: `with audit_triggers_dropped(): <alter the trail>` — the triggers are put
    back afterwards (in a non-transactional test the rollback would restore them anyway)."""
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def dropped():
        names = drop_audit_triggers(connection)
        assert names, "the audit triggers were not installed to begin with"
        try:
            yield
        finally:
            restore_audit_triggers(connection, names)

    return dropped
