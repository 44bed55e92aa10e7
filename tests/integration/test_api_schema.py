"""Fuzz /api/v1/ from its own OpenAPI schema (schemathesis): every answer matches the schema,
and no input makes the server fail (no 5xx).

Operations that document a 400 judge more than the schema can say (a date the calendar does not
cover, facts a topic does not have, an opinion a step requires, a circulation acknowledged as a
step) and answer 400 naming the field; for them the "schema-valid data must be accepted" check is
off. Every other check applies to every operation."""

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core.wsgi import get_wsgi_application  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from zhengwu.api.services import api_token_create  # noqa: E402
from zhengwu.org import demo  # noqa: E402
from zhengwu.org.models import Person, Unit  # noqa: E402
from zhengwu.workflow import services  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def no_connection_closing():
    """As Django's test Client does: a request must not close the test's database connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def load_auth() -> str:
    demo.load()
    office = Person.objects.get(username="bgs-zhuren")
    for n in range(3):  # a few real tasks to act on, besides the ids that do not exist
        services.approval_start(actor=Person.objects.get(username="jyj"), route_id="doc.intake_urgent",
                                obj_type="test.request", obj_id=str(n), title=f"请示{n}", context={"major": True},
                                applicant_unit=Unit.objects.get(short_name="教育局"))
    _token, key = api_token_create(actor=None, person=office, name="fuzz")
    return key


@pytest.fixture(scope="module")
def auth_key(module_data):
    return module_data(load_auth)  # once for the module, each test in a savepoint on top (tests/conftest.py)


@pytest.fixture
def auth(db, settings, no_connection_closing, auth_key):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return {"Authorization": f"Bearer {auth_key}"}


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_keeps_its_schema(case, auth):
    semantic = "400" in case.operation.definition.raw["responses"]
    case.call_and_validate(headers=auth, excluded_checks=[positive_data_acceptance] if semantic else [])
