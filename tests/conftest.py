"""Suite-wide test setup.

`@pytest.mark.rules("R12.one_head", ...)` declares which rule / route / register ids a test
exercises; `zhengwu rules coverage` reads these marks, and the fixture below fails the test if a
declared id was not actually exercised while it ran — so the coverage report cannot lie.

Demo data, loaded once per module (which fixture to use in a new test file)
----------------------------------------------------------------------------
Loading the demo costs far more than most tests (the org demo ~0.6 s, the full demo with its
traffic 7–12 s), so a module loads it once, inside a transaction that stays open for the module
and is rolled back after its last test; each test runs in a savepoint on top of it (the ordinary
`db` rollback), so it sees the data exactly as loaded and whatever it writes is gone afterwards.

- the demo government only (org, calendar):  `org_demo` — e.g.
      @pytest.fixture
      def gov(org_demo):
          return org_demo
- the demo government with every module's traffic (`zhengwu.demo.load()`): `full_demo`; to
  load it as of a fixed day (the demo lays its traffic out around `rules.today()`), override
  `demo_today` in the module:
      @pytest.fixture(scope="module")
      def demo_today():
          return DAY
  (`demo_today` also applies to `org_demo` and `module_data`; keep freezing `rules.today` per
  test as before — the module fixture freezes it only while loading.)
- anything else worth building once per module: a module-scoped fixture that passes a function
  to `module_data` (see test_documents_registers.py `ledger`, test_api_schema.py `auth_key`);
  return ids or plain values, not model instances (tests would share, and could alter, the same
  Python object), and hand each test fresh objects from a function-scoped fixture.
Both demo fixtures hand each test a fresh `Government` from the database. A module uses one of
them (the full demo contains the org demo). Within a file, the tests that use none run first, on
the empty database, as before. These fixtures are for ordinary (non-transactional) tests: a test
with `transactional_db`, `live_server` or `django_db(transaction=True)` (threads, browser)
commits for real, so it loads its own data; the suite refuses the combination.
"""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import override_settings

from zhengwu.rulebook import coverage, registry


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The demo creates many logins; the production hasher (PBKDF2) would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request with the language cookie (an English page test) leaves its language active in the
    thread; every test starts again in the default language, whatever ran before it."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache_for_each_test():
    """The process's local-memory cache holds the shell's header per person (zhengwu.web.context)
    under version tokens bumped by the services; a test's rows are rolled back after it, the cache
    is not, and the next test's person with the same id must not get the last one's header."""
    from django.core.cache import cache

    cache.clear()


IDENTITY_ENFORCED_IN = ("tests/security/test_identity_", "tests/e2e/")


@pytest.fixture(autouse=True)
def _identity_enforcement(request, settings):
    """Identity (zhengwu.security, docs/security.md): two-factor authentication, the forced password
    change and the login lockout are on in tests/security/test_identity_*.py and in the browser tests (whose `log_in`
    enters the TOTP code), off for the other tests, which log in with `force_login` or `client.login`
    (no request: django-axes refuses it) as leaders who would otherwise owe a second factor."""
    path = str(request.node.path).replace("\\", "/")
    if not any(part in path for part in IDENTITY_ENFORCED_IN):
        settings.SECURITY_ENFORCE_2FA = False
        settings.SECURITY_ENFORCE_PASSWORD_CHANGE = False
        settings.SECURITY_AUDIT_LOGINS = False  # they log in between counting audit events and acting
        settings.AXES_ENABLED = False
    from zhengwu.security import policy

    policy.forget()  # the policy's per-process cache never carries a rolled-back test's values
    yield
    policy.forget()


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


# --- The audit key and checkpoint file of the test run ---------------------------------------------
# The product never creates the audit key on use (`zhengwu init` does), so the suite makes its own,
# once, in the test var dir (beside test-db.sqlite3); the developer's var/audit.key is never read or
# created by tests. Checkpoints (written after real COMMITs: transactional and live_server tests) go
# to a test file too, emptied whenever the flush empties the database. Subprocesses get both via
# the environment.
_TEST_CHECKPOINTS: list = []


@pytest.fixture(scope="session", autouse=True)
def _audit_key_for_tests():
    import os

    from django.conf import settings
    from django.test.utils import override_settings

    from zhengwu.audit import hashing

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # `make test` runs workers side by side: one pair each
    key_file = settings.VAR_DIR / f"test-audit{worker and '-' + worker}.key"
    checkpoint_file = settings.VAR_DIR / f"test-audit-checkpoints{worker and '-' + worker}.log"
    hashing.load_key(key_file, create=True)
    checkpoint_file.unlink(missing_ok=True)
    _TEST_CHECKPOINTS.append(checkpoint_file)
    os.environ["ZHENGWU_AUDIT_KEY_FILE"], os.environ["ZHENGWU_AUDIT_CHECKPOINT_FILE"] = str(key_file), str(checkpoint_file)
    with override_settings(AUDIT_KEY_FILE=key_file, AUDIT_CHECKPOINT_FILE=checkpoint_file):
        yield


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
            for path in _TEST_CHECKPOINTS:
                path.unlink(missing_ok=True)  # the chain they vouched for was just flushed

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


# --- Data loaded once per module, each test in a savepoint on top -------------------------------
# See the module docstring for which fixture to use. The module transaction is an atomic block
# marked as a TestCase's (`_from_testcase`), like the ones pytest-django's `db` opens per test:
# to the audit wrapper (zhengwu.audit.pending) the outermost block a service opens inside them is
# still "the service's transaction", so its events are chained when that block ends, as at a
# COMMIT outside tests; to Django, durable blocks may nest inside it.

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as _fast_password_hashing
_module_atomics: list = []  # the open module transaction (at most one), for the guard below
_module_exercised: set[str] = set()  # rule/route ids exercised while loading it (_module_data_traced)
_module_starts: list[tuple[str, str]] = []  # the routes it started, with the module that started each


def _is_transactional(item) -> bool:
    """As pytest-django decides it: such a test gets a TransactionTestCase (real commits, flush)."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names or "django_db_reset_sequences" in names


def _close_module_transaction() -> None:
    while _module_atomics:
        atomic = _module_atomics.pop()
        transaction.set_rollback(True, using=atomic.using)
        atomic.__exit__(None, None, None)


def _uses_db(item) -> bool:
    return item.get_closest_marker("django_db") is not None or "db" in getattr(item, "fixturenames", ())


def _uses_module_data(item) -> bool:
    return "module_transaction" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """pytest-django runs the ordinary database tests first, then the transactional ones, then
    those without a database. Within each file's share of each group, the tests that do not use the
    module's data run before those that do, so that no test sees data it did not ask for, whatever
    its place in the file."""
    runs, last = [], None
    for item in items:
        here = (item.nodeid.split("::", 1)[0], _is_transactional(item), _uses_db(item))
        if here != last:
            runs.append(here)
            last = here
        item.stash[_run_key] = len(runs)
    items.sort(key=lambda item: (item.stash[_run_key], _uses_module_data(item)))


_run_key = pytest.StashKey[int]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that does not use the module's data does not run on top of it: should one come after
    tests that hold it open (pytest-django runs transactional tests after all the others, and a
    TransactionTestCase must start on the empty database), the data is rolled back first. A
    transactional test may not ask for module data at all."""
    uses = _uses_module_data(item)
    if uses and _is_transactional(item):
        pytest.fail("a transactional test (threads, live_server, transaction=True) commits for real: "
                    "load its data in the test, not through org_demo/full_demo/module_data", pytrace=False)
    if _module_atomics and not uses:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _close_module_transaction()


def _still_open(module_transaction) -> None:
    if module_transaction not in _module_atomics:
        raise RuntimeError("the module's data was rolled back before this test (a test that does not "
                           "use it ran in between: keep the tests of a file in their collected order)")


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction open for the whole module (rolled back after its last test); module-scoped
    fixtures write their data in it (through `module_data`)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
        atomic._from_testcase = True  # as django.test.TestCase._enter_atomics
        atomic.__enter__()
    _module_atomics.append(atomic)
    _module_exercised.clear()
    _module_starts.clear()
    yield atomic
    if _module_atomics and _module_atomics[-1] is atomic:
        with django_db_blocker.unblock():
            _close_module_transaction()


@pytest.fixture(scope="module")
def demo_today():
    """The day the module's shared data is loaded as of (`rules.today()` frozen while loading);
    None: the real today. Override in a module whose tests freeze `rules.today`."""
    return None


@pytest.fixture(scope="module")
def module_data(module_transaction, django_db_blocker, demo_today):
    """`module_data(fn)`: run `fn()` once in the module transaction and return its result —
    with the database unblocked, the fast password hasher, `rules.today()` frozen at `demo_today`,
    and inside its own atomic block (so its audit events are chained when it ends, as at commit).
    The rule and route ids it exercises count for every test of the module that uses the data
    (`@pytest.mark.rules`, see `_module_data_traced`), as when each test loaded the data itself."""

    def run(fn):
        _still_open(module_transaction)
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), \
                pytest.MonkeyPatch.context() as mp:
            if demo_today is not None:
                from zhengwu import rules

                mp.setattr(rules, "today", lambda: demo_today)
            registry.trace_start()
            try:
                with transaction.atomic():
                    return fn()
            finally:
                _module_starts.extend(registry.traced_starts())
                _module_exercised.update(registry.trace_stop())

    return run


@pytest.fixture(autouse=True)
def _module_data_traced(request, _rules_exercised):
    """For `@pytest.mark.rules`: a test using the module's data is credited with the rule and route
    ids its loading exercised (and the route starts it made), as when each test loaded it itself."""
    if _uses_module_data(request.node) and registry._TRACE is not None:
        for rid in _module_exercised:
            registry.note_exercised(rid)
        registry._STARTS.extend(_module_starts)


@pytest.fixture(scope="module")
def _org_demo_id(module_data) -> int:
    from zhengwu.org import demo

    return module_data(lambda: demo.load().pk)


@pytest.fixture(scope="module")
def _full_demo_id(module_data) -> int:
    from zhengwu import demo

    return module_data(lambda: demo.load().pk)


def _government(pk):
    from zhengwu.org.models import Government

    return Government.objects.get(pk=pk)


@pytest.fixture
def org_demo(_org_demo_id, module_transaction, db):
    """The demo government (`zhengwu.org.demo.load()`), loaded once for the module; each test gets
    a fresh `Government` and runs in a savepoint on top."""
    _still_open(module_transaction)
    return _government(_org_demo_id)


@pytest.fixture
def full_demo(_full_demo_id, module_transaction, db):
    """The demo government with every module's traffic (`zhengwu.demo.load()`), loaded once for
    the module (as of `demo_today`); each test gets a fresh `Government`, in a savepoint on top."""
    _still_open(module_transaction)
    return _government(_full_demo_id)
