"""/api/v1/ authentication and the one error shape: bearer tokens (stored as hashes only,
revocable, audited), the logged-in web session (CSRF still enforced on writes), the schema and
the locally served docs."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from zhengwu.api import services
from zhengwu.api.models import ApiToken
from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Forbidden, Refused
from zhengwu.org.models import Person

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/tasks", "/api/v1/tasks/{task_id}", "/api/v1/tasks/{task_id}/complete", "/api/v1/tasks/{task_id}/return",
    "/api/v1/tasks/{task_id}/reassign", "/api/v1/tasks/{task_id}/acknowledge", "/api/v1/precheck",
    "/api/v1/precheck/topics", "/api/v1/calendar/add-workdays", "/api/v1/calendar/is-workday", "/api/v1/org/units",
    "/api/v1/org/leaders", "/api/v1/org/people",
    "/api/v1/documents", "/api/v1/documents/{document_id}", "/api/v1/documents/{document_id}/attachments",
    "/api/v1/documents/{document_id}/attachments/{attachment_id}", "/api/v1/documents/{document_id}/docx",
    "/api/v1/documents/{document_id}/issue", "/api/v1/documents/{document_id}/notify-prepare",
    "/api/v1/documents/{document_id}/number", "/api/v1/documents/{document_id}/precheck",
    "/api/v1/documents/{document_id}/register", "/api/v1/documents/{document_id}/return",
    "/api/v1/documents/{document_id}/route", "/api/v1/documents/{document_id}/send-for-signing",
    "/api/v1/documents/{document_id}/submit",
    "/api/v1/documents/paper",
    "/api/v1/documents/plans", "/api/v1/documents/plans/counts", "/api/v1/documents/plans/{plan_id}",
    "/api/v1/documents/plans/{plan_id}/items", "/api/v1/documents/plans/{plan_id}/items/{item_id}",
    "/api/v1/documents/plans/{plan_id}/items/{item_id}/withdraw", "/api/v1/documents/{document_id}/plan-item",
    "/api/v1/documents/{document_id}/request-approval", "/api/v1/documents/{document_id}/sign-as-unit",
    "/api/v1/documents/{document_id}/countersign-request", "/api/v1/documents/{document_id}/disclosure",
    "/api/v1/documents/{document_id}/archive",
    "/api/v1/unit-reports", "/api/v1/unit-reports/{report_id}/reported",
    "/api/v1/decisions", "/api/v1/decisions/export", "/api/v1/decisions/{dossier_id}",
    "/api/v1/decisions/{dossier_id}/readiness", "/api/v1/decisions/{dossier_id}/procedures",
    "/api/v1/decisions/{dossier_id}/committee-report", "/api/v1/decisions/{dossier_id}/consultations", "/api/v1/decisions/consultations/{consultation_id}/reply",
    "/api/v1/decisions/{dossier_id}/escalations/{body}/submit", "/api/v1/decisions/{dossier_id}/escalations/{body}/result",
    "/api/v1/decisions/{dossier_id}/followups/{step}",
    "/api/v1/meetings", "/api/v1/meetings/{meeting_id}", "/api/v1/meetings/{meeting_id}/submit",
    "/api/v1/meetings/{meeting_id}/cancel", "/api/v1/meetings/{meeting_id}/agenda", "/api/v1/meetings/{meeting_id}/leave",
    "/api/v1/meetings/{meeting_id}/views", "/api/v1/meetings/{meeting_id}/sign-in", "/api/v1/meetings/{meeting_id}/open",
    "/api/v1/meetings/{meeting_id}/close", "/api/v1/meetings/{meeting_id}/minutes",
    "/api/v1/meetings/{meeting_id}/followups", "/api/v1/meetings/rooms", "/api/v1/meetings/rooms/{room_id}/bookings",
    "/api/v1/meetings/followups", "/api/v1/meetings/followups/{followup_id}/issued",
    "/api/v1/meetings/decisions/export", "/api/v1/meetings/items/{item_id}/readiness",
    "/api/v1/meetings/items/{item_id}/confirm", "/api/v1/meetings/items/{item_id}/withdraw",
    "/api/v1/meetings/items/{item_id}/opinions", "/api/v1/meetings/items/{item_id}/decide",
    "/api/v1/meetings/attendances/{attendance_id}/leave-decision", "/api/v1/meetings/minutes/{minutes_id}",
    "/api/v1/meetings/minutes/{minutes_id}/submit", "/api/v1/meetings/minutes/{minutes_id}/review",
    "/api/v1/meetings/minutes/{minutes_id}/sign", "/api/v1/meetings/minutes/{minutes_id}/docx",
    "/api/v1/supervision/items", "/api/v1/supervision/items/{item_id}", "/api/v1/supervision/from-decision",
    "/api/v1/supervision/from-instruction", "/api/v1/supervision/items/{item_id}/{action}",
    "/api/v1/supervision/extensions/{extension_id}/decide", "/api/v1/supervision/reviews/{review_id}/decide",
    "/api/v1/leave/requests", "/api/v1/leave/requests/{request_id}", "/api/v1/leave/requests/{request_id}/decide",
    "/api/v1/leave/requests/{request_id}/cancel", "/api/v1/leave/requests/{request_id}/return",
    "/api/v1/leave/calendar", "/api/v1/leave/events", "/api/v1/leave/events/{event_id}/cancel",
    "/api/v1/org/positions", "/api/v1/org/positions/{position_id}/portfolio",
    "/api/v1/org/appointments", "/api/v1/org/appointments/{appointment_id}/end", "/api/v1/org/absences",
    "/api/v1/org/absences/{absence_id}/cancel",
    "/api/v1/supervision/dashboard", "/api/v1/supervision/performance", "/api/v1/supervision/accountability",
    "/api/v1/supervision/accountability/{proposal_id}", "/api/v1/supervision/accountability/{proposal_id}/decide",
    "/api/v1/proposals", "/api/v1/proposals/report", "/api/v1/proposals/batches", "/api/v1/proposals/{proposal_id}",
    "/api/v1/proposals/{proposal_id}/assign", "/api/v1/proposals/{proposal_id}/send-back",
    "/api/v1/proposals/{proposal_id}/extend", "/api/v1/proposals/{proposal_id}/opinion",
    "/api/v1/proposals/{proposal_id}/contacts", "/api/v1/proposals/{proposal_id}/answer",
    "/api/v1/proposals/{proposal_id}/reply-letter",
    "/api/v1/proposals/{proposal_id}/satisfaction", "/api/v1/proposals/{proposal_id}/publish",
    "/api/v1/proposals/{proposal_id}/withhold",
    "/api/v1/bodies", "/api/v1/bodies/register", "/api/v1/bodies/{body_id}", "/api/v1/bodies/{body_id}/submit",
    "/api/v1/bodies/{body_id}/changes", "/api/v1/bodies/{body_id}/goals", "/api/v1/bodies/{body_id}/abolish",
    "/api/v1/emergencies", "/api/v1/emergencies/{report_id}", "/api/v1/emergencies/{report_id}/written",
    "/api/v1/emergencies/{report_id}/updates", "/api/v1/submissions", "/api/v1/submissions/{submission_id}",
    "/api/v1/submissions/{submission_id}/submit", "/api/v1/submissions/{submission_id}/response",
    "/api/v1/submissions/{submission_id}/feedback",
    "/api/v1/seals", "/api/v1/seals/{seal_id}", "/api/v1/seals/cards", "/api/v1/seals/cards/{card_id}",
    "/api/v1/seals/cards/{card_id}/stamp", "/api/v1/seals/register", "/api/v1/seals/take-outs",
    "/api/v1/seals/take-outs/{take_out_id}", "/api/v1/seals/take-outs/{take_out_id}/{action}",
    "/api/v1/letters", "/api/v1/letters/books", "/api/v1/letters/{letter_id}", "/api/v1/letters/{letter_id}/{action}",
    "/api/v1/invitations", "/api/v1/invitations/{invitation_id}", "/api/v1/visits", "/api/v1/visits/{visit_id}",
    "/api/v1/visits/{visit_id}/leave", "/api/v1/gifts", "/api/v1/gifts/{gift_id}", "/api/v1/gifts/{gift_id}/hand-over",
    "/api/v1/research", "/api/v1/research/{plan_id}", "/api/v1/research/{plan_id}/trips",
    "/api/v1/research/{plan_id}/reports", "/api/v1/speeches", "/api/v1/speeches/{speech_id}",
    "/api/v1/speeches/{speech_id}/deliver",
    "/api/v1/disclosure/records", "/api/v1/disclosure/records/{record_id}",
    "/api/v1/disclosure/records/{record_id}/{action}", "/api/v1/disclosure/report",
    "/api/v1/disclosure/report/publish", "/api/v1/disclosure/challenges",
    "/api/v1/disclosure/challenges/{challenge_id}/result",
    "/api/v1/petitions", "/api/v1/petitions/{petition_id}", "/api/v1/petitions/{petition_id}/route",
    "/api/v1/petitions/{petition_id}/notice", "/api/v1/petitions/{petition_id}/object",
    "/api/v1/petitions/{petition_id}/accept", "/api/v1/petitions/{petition_id}/extension",
    "/api/v1/petitions/{petition_id}/answer", "/api/v1/petitions/{petition_id}/reviews",
    "/api/v1/petitions/{petition_id}/reviews/decide", "/api/v1/consultations",
    "/api/v1/consultations/{consultation_id}", "/api/v1/consultations/{consultation_id}/comments",
    "/api/v1/consultations/{consultation_id}/publish",
    "/api/v1/requests", "/api/v1/requests/{request_id}", "/api/v1/requests/{request_id}/correction",
    "/api/v1/requests/{request_id}/corrected", "/api/v1/requests/{request_id}/consultation",
    "/api/v1/requests/{request_id}/consultation/end", "/api/v1/requests/{request_id}/extension",
    "/api/v1/requests/{request_id}/answer", "/api/v1/opinion", "/api/v1/opinion/{event_id}",
    "/api/v1/opinion/{event_id}/responses",
]
API_TAGS = {"tasks", "precheck", "calendar", "org", "documents", "decisions", "meetings", "unit-reports",
            "supervision", "proposals", "seals", "letters", "leave",
            "bodies", "emergencies", "submissions",
            "invitations", "visits", "gifts", "research", "speeches",
            "disclosure",
            "petitions", "consultations", "requests", "opinion"}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


def p(username):
    return Person.objects.get(username=username)


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "violations", "field"} and body["message"] and body["violations"] == []
    return body


def test_the_schema_lists_every_endpoint_with_a_summary_tags_and_error_responses(client, gov):
    client.force_login(p("fuqu1"))  # the schema is for signed-in users (tests/security/test_defaults_api_docs.py)
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["info"]["title"] == "政务 zhengwu API" and schema["info"]["version"] == "1"
    assert sorted(schema["paths"]) == sorted(PATHS)
    tags = set()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            assert op["summary"], (method, path)
            assert op["tags"] and set(op["tags"]) <= API_TAGS
            tags.update(op["tags"])
            assert {"200", "201"} & set(op["responses"]) and "401" in op["responses"]
            assert op["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert tags == API_TAGS
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_docs_page_is_served_without_a_cdn(client, gov):
    client.force_login(p("fuqu1"))
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/api/v1/openapi.json" in html and "http://" not in html and "https://" not in html
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and asset["Content-Type"].endswith("javascript")
    assert client.get("/api/v1/docs/assets/..%2Fsettings.py").status_code == 404


def test_without_a_token_every_endpoint_answers_401_in_the_error_shape(client, gov):
    for path in ("/api/v1/tasks", "/api/v1/org/units", "/api/v1/calendar/is-workday?date=2026-10-10"):
        body = assert_error_shape(client.get(path), 401)
        assert "Authorization" in body["message"]
    assert_error_shape(client.post("/api/v1/tasks/1/complete", {"opinion": "同意"},
                                   content_type="application/json"), 401)
    assert_error_shape(client.get("/api/v1/tasks", HTTP_AUTHORIZATION="Bearer zw_not-a-token"), 401)
    assert_error_shape(client.get("/api/v1/tasks", HTTP_AUTHORIZATION="Token abc"), 401)
    assert client.get("/api/v1/tasks").headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_path_or_a_wrong_method_gets_the_error_shape(client, gov):
    assert_error_shape(client.get("/api/v1/no/such/thing"), 404)
    _token, key = services.api_token_create(actor=None, person=p("fuqu2"), name="脚本")
    r = client.delete("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert_error_shape(r, 405)
    assert r["Allow"] == "GET"


def test_a_token_is_stored_as_a_hash_only_and_its_creation_is_audited(client, gov):
    before = AuditEvent.objects.count()
    token, key = services.api_token_create(actor=None, person=p("fuqu2"), name="手机客户端")
    assert key.startswith("zw_") and len(key) > 40
    row = ApiToken.objects.get(pk=token.pk)
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(row.prefix) and len(row.prefix) < 16
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    [event] = AuditEvent.objects.filter(seq__gt=0).order_by("-seq")[:1]
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "api.token.create" and key not in str(event.after) and event.after["prefix"] == row.prefix

    assert row.last_used is None
    r = client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 200 and r.json()["box"] == "todo"
    row.refresh_from_db()
    assert row.last_used is not None
    assert AuditEvent.objects.count() == before + 1  # using a token is not an audited change


def test_a_revoked_token_or_an_inactive_person_is_refused(client, gov):
    token, key = services.api_token_create(actor=None, person=p("fuqu2"), name="脚本")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/tasks", **headers).status_code == 200
    services.api_token_revoke(actor=p("fuqu2"), token_id=token.pk)
    assert AuditEvent.objects.filter(action="api.token.revoke", obj_id=str(token.pk)).count() == 1
    assert_error_shape(client.get("/api/v1/tasks", **headers), 401)
    with pytest.raises(Refused) as e:
        services.api_token_revoke(actor=None, token_id=token.pk)
    assert e.value.status == 409

    _t, other = services.api_token_create(actor=None, person=p("fuqu3"), name="脚本")
    Person.objects.filter(username="fuqu3").update(is_active=False)  # test set-up, not a product path
    assert_error_shape(client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {other}"), 401)


def test_tokens_are_made_and_revoked_only_by_their_owner_a_security_administrator_or_the_system(gov):
    before = ApiToken.objects.count()
    with pytest.raises(Forbidden):
        services.api_token_create(actor=p("fuqu1"), person=p("fuqu2"), name="冒用")
    with pytest.raises(Refused) as e:
        services.api_token_create(actor=p("fuqu2"), person=p("fuqu2"), name="  ")
    assert e.value.field == "name"
    assert ApiToken.objects.count() == before
    token, _key = services.api_token_create(actor=p("secadmin"), person=p("fuqu2"), name="由安全管理员创建")
    with pytest.raises(Forbidden):
        services.api_token_revoke(actor=p("fuqu1"), token_id=token.pk)
    assert ApiToken.objects.get(pk=token.pk).revoked is None


def test_the_management_command_prints_a_new_token_once_and_can_list_and_revoke(client, gov):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "fuqu2", "--name", "手机客户端", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert key.startswith("zw_") and "只显示这一次" in err.getvalue()
    assert client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    listing = io.StringIO()
    call_command("api_token", "fuqu2", "--list", stdout=listing)
    prefix = ApiToken.objects.get(person__username="fuqu2").prefix
    assert prefix in listing.getvalue() and key not in listing.getvalue()
    call_command("api_token", "fuqu2", "--revoke", prefix, stdout=io.StringIO())
    assert client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    with pytest.raises(CommandError, match="--name"):
        call_command("api_token", "fuqu2", stdout=io.StringIO())
    with pytest.raises(CommandError, match="username"):
        call_command("api_token", "nobody", "--name", "x", stdout=io.StringIO())


@pytest.mark.rules("R97.unit_kind")
def test_a_logged_in_browser_may_read_and_must_send_the_csrf_token_to_write(gov):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(p("bgs-zhuren"))
    r = browser.get("/api/v1/org/leaders")
    assert r.status_code == 200 and r.json()[0]["position"]["code"] == "district_head"

    before = AuditEvent.objects.count()
    body = assert_error_shape(browser.post("/api/v1/precheck", {"topic": "org.unit", "facts": {}},
                                           content_type="application/json"), 403)
    assert "CSRF" in body["message"]
    assert AuditEvent.objects.count() == before

    browser.get("/api/v1/docs")  # any page that renders the token sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    r = browser.post("/api/v1/precheck", {"topic": "org.unit", "facts": {"name": "区统计局", "kind": "component_dept"}},
                     content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert r.status_code == 200 and r.json()["ok"] is True
