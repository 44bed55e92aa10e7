"""The API's documentation and OpenAPI schema are for the API's users (issue 12, "Defaults"):
anonymous visitors get the login page (docs) or a 401 in the error shape (schema); a logged-in
person or a valid API token gets them."""

import pytest

from zhengwu.api.services import api_token_create
from zhengwu.org.models import Person


@pytest.fixture
def gov(org_demo):
    return org_demo


def test_anonymous_visitors_get_neither_the_docs_nor_the_schema(client, gov):
    page = client.get("/api/v1/docs")
    assert page.status_code == 302 and page["Location"].startswith("/login/?next=/api/v1/docs")
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 401
    body = schema.json()
    assert set(body) == {"message", "violations", "field"} and "登录" in body["message"]
    assert "paths" not in body
    bad = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer zw_not-a-token")
    assert bad.status_code == 401 and "paths" not in bad.json()


def test_a_logged_in_person_reads_the_docs_and_the_schema(client, gov):
    client.force_login(Person.objects.get(username="fuqu1"))
    assert client.get("/api/v1/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "/api/v1/tasks" in schema.json()["paths"]


def test_an_api_token_reads_the_schema(client, gov):
    _token, key = api_token_create(actor=None, person=Person.objects.get(username="wenshu"), name="codegen")
    schema = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert schema.status_code == 200 and "/api/v1/tasks" in schema.json()["paths"]
