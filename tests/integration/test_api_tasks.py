"""/api/v1/tasks: the inbox and acting on tasks, through the workflow's access functions and
services — a person sees and acts only on their own tasks (and those they act for), every refusal
has the one error shape, and the inbox costs the same number of queries for 1 task as for 10."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.org import services as org_services
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services
from zhengwu.workflow.models import Approval, Task

pytestmark = pytest.mark.django_db

START = dt.date(2026, 9, 28)  # a Monday before the National Day holiday
TODAY = dt.date(2026, 10, 12)  # the day the tests call the API


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture(scope="module")
def demo_today():
    return TODAY  # the module's data is loaded as of the day its tests run on (tests/conftest.py)


def p(username):
    return Person.objects.get(username=username)


def bearer(username):
    _token, key = api_token_create(actor=None, person=p(username), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def start(n=1, title="关于新建第三小学的请示"):
    return services.approval_start(actor=p("jyj"), route_id="doc.intake_urgent", obj_type="test.request",
                                   obj_id=str(n), title=f"{title}{n}", applicant_unit=Unit.objects.get(short_name="教育局"),
                                   context={"major": True}, on=START)


def open_task(approval, username):
    return approval.tasks.get(status="open", assignee__username=username)


def to_leaders(approval):
    """The office reviews; the matter goes on to the 分管领导 (fuqu2) and the 区长 (quzhang)."""
    review = open_task(approval, "bgs-zhuren")
    services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="呈阅", on=START)
    return open_task(approval, "fuqu2")


def assert_error_shape(response, status, field="__any__"):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "violations", "field"}
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["violations"], list)
    if field != "__any__":
        assert body["field"] == field
    return body


# No "doc.intake_urgent" mark: the test starts the route itself over a stand-in object, and a route
# mark means the code that starts it (documents.intake) ran (tests/conftest.py).
def test_the_inbox_of_a_deputy_head_holds_exactly_their_open_tasks(client, gov):
    a1, a2, a3 = start(1), start(2), start(3)
    t1, t2 = to_leaders(a1), to_leaders(a2)  # a3 stays with the office
    services.task_complete(actor=p("fuqu2"), task_id=t2.pk, opinion="同意", on=START)
    headers = bearer("fuqu2")

    r = client.get("/api/v1/tasks", **headers)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["box"], body["count"]) == ("todo", 1)
    [item] = body["items"]
    assert item["id"] == t1.pk
    assert (item["kind"], item["action"], item["title"], item["route_id"]) == (
        "step", t1.action, "关于新建第三小学的请示1", "doc.intake_urgent")
    assert item["assignee"]["username"] == "fuqu2" and item["status"] == "open" and item["version"] == t1.version
    # due 14 working days after START (art. 68); on Monday 10-12 that is 8 working days away (10-13 … 10-16, 10-19 … 10-22)
    assert item["due_on"] == "2026-10-22" and item["workdays_left"] == 8 and item["overdue"] is False
    assert set(Task.objects.filter(assignee__username="fuqu2", status="open").values_list("pk", flat=True)) == {t1.pk}

    done = client.get("/api/v1/tasks?box=done", **headers).json()
    assert [i["id"] for i in done["items"]] == [t2.pk] and done["items"][0]["opinion"] == "同意"
    assert done["items"][0]["workdays_left"] is None

    mine = client.get("/api/v1/tasks?box=mine", **bearer("jyj")).json()
    assert mine["box"] == "mine" and mine["count"] == 3
    by_id = {a["id"]: a for a in mine["items"]}
    assert [s["assignee"]["username"] for s in by_id[a3.pk]["open_steps"]] == ["bgs-zhuren"]
    assert {s["assignee"]["username"] for s in by_id[a1.pk]["open_steps"]} == {"fuqu2", "quzhang"}
    assert client.get("/api/v1/tasks?box=mine", **headers).json()["count"] == 0


def test_an_overdue_task_says_so_with_negative_working_days(client, gov, monkeypatch):
    task = to_leaders(start())
    monkeypatch.setattr(rules, "today", lambda: dt.date(2026, 10, 26))  # Monday after the 10-22 deadline
    [item] = client.get("/api/v1/tasks", **bearer("fuqu2")).json()["items"]
    assert item["id"] == task.pk and item["overdue"] is True and item["workdays_left"] == -2


def test_completing_a_task_through_the_api_moves_the_route_on(client, gov):
    approval = start()
    review = open_task(approval, "bgs-zhuren")
    r = client.post(f"/api/v1/tasks/{review.pk}/complete", {"opinion": "拟请分管领导和区长阅示", "version": review.version},
                    content_type="application/json", **bearer("bgs-zhuren"))
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "done" and r.json()["opinion"] == "拟请分管领导和区长阅示"
    assert r.json()["completed_by"]["username"] == "bgs-zhuren"
    assert set(approval.tasks.filter(status="open").values_list("assignee__username", flat=True)) == {"fuqu2", "quzhang"}
    assert AuditEvent.objects.filter(action="workflow.task.complete", actor_id=p("bgs-zhuren").pk).count() == 1


def test_completing_someone_elses_task_is_forbidden_and_changes_nothing(client, gov):
    review = open_task(start(), "bgs-zhuren")
    headers = bearer("fuqu3")
    before = AuditEvent.objects.count()
    r = client.post(f"/api/v1/tasks/{review.pk}/complete", {"opinion": "同意"}, content_type="application/json",
                    **headers)
    assert_error_shape(r, 403)
    review.refresh_from_db()
    assert review.status == "open" and review.opinion == "" and review.completed_by is None
    assert AuditEvent.objects.count() == before
    # and they cannot see it either
    assert_error_shape(client.get(f"/api/v1/tasks/{review.pk}", **headers), 403)


def test_an_unknown_task_is_404_and_a_finished_one_is_409(client, gov):
    review = open_task(start(), "bgs-zhuren")
    headers = bearer("bgs-zhuren")
    assert_error_shape(client.get("/api/v1/tasks/999999", **headers), 404, field="task_id")
    assert_error_shape(client.post("/api/v1/tasks/999999/complete", {"opinion": "同意"},
                                   content_type="application/json", **headers), 404, field="task_id")
    services.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="呈阅", on=START)
    before = AuditEvent.objects.count()
    body = assert_error_shape(client.post(f"/api/v1/tasks/{review.pk}/complete", {"opinion": "再次"},
                                          content_type="application/json", **headers), 409, field="task_id")
    assert "已办" in body["message"]
    assert AuditEvent.objects.count() == before


def test_a_stale_version_and_a_missing_opinion_are_refused(client, gov):
    review = open_task(start(), "bgs-zhuren")
    headers = bearer("bgs-zhuren")
    assert_error_shape(client.post(f"/api/v1/tasks/{review.pk}/complete",
                                   {"opinion": "同意", "version": review.version + 1},
                                   content_type="application/json", **headers), 409)
    assert_error_shape(client.post(f"/api/v1/tasks/{review.pk}/complete", {"opinion": "  "},
                                   content_type="application/json", **headers), 400, field="opinion")
    review.refresh_from_db()
    assert review.status == "open"


@pytest.mark.rules("leave.deputy_head")
def test_a_fixed_choice_step_takes_only_its_choices(client, gov):
    from zhengwu.affairs.leave.services import leave_request  # the leave app starts the route (art. 89)

    leave = leave_request(actor=p("fuqu1"), start=START, end=START, destination="长春市", reason="外出请假", on=START)
    task = leave.approval.tasks.get(status="open")
    headers = bearer("quzhang")
    item = client.get(f"/api/v1/tasks/{task.pk}", **headers).json()
    assert item["choices"] == ["同意", "不同意"]
    assert_error_shape(client.post(f"/api/v1/tasks/{task.pk}/complete", {"decision": "可以"},
                                   content_type="application/json", **headers), 400, field="decision")
    r = client.post(f"/api/v1/tasks/{task.pk}/complete", {"decision": "同意"}, content_type="application/json",
                    **headers)
    assert r.status_code == 200 and r.json()["decision"] == "同意"


def test_returning_a_task_ends_the_approval_with_the_reason(client, gov):
    approval = start()
    review = open_task(approval, "bgs-zhuren")
    headers = bearer("bgs-zhuren")
    assert_error_shape(client.post(f"/api/v1/tasks/{review.pk}/return", {"opinion": ""},
                                   content_type="application/json", **headers), 400, field="opinion")
    r = client.post(f"/api/v1/tasks/{review.pk}/return", {"opinion": "请补充论证材料"},
                    content_type="application/json", **headers)
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["decision"]) == ("returned", "退回")
    approval.refresh_from_db()
    assert approval.status == Approval.Status.RETURNED


def test_reassigning_through_the_api_hands_the_task_over(client, gov):
    approval = start()
    review = open_task(approval, "bgs-zhuren")
    headers = bearer("bgs-zhuren")
    assert_error_shape(client.post(f"/api/v1/tasks/{review.pk}/reassign", {"to": "nobody"},
                                   content_type="application/json", **headers), 400, field="to")
    assert_error_shape(client.post(f"/api/v1/tasks/{review.pk}/reassign", {"to": "bgs-zhuren"},
                                   content_type="application/json", **headers), 400, field="to")
    # someone without a claim on the task is told 403, whatever `to` says
    stranger = bearer("fuqu3")
    before = AuditEvent.objects.count()
    assert_error_shape(client.post(f"/api/v1/tasks/{review.pk}/reassign", {"to": "nobody"},
                                   content_type="application/json", **stranger), 403)
    assert AuditEvent.objects.count() == before

    # 转办 only to someone who may hold the step: the deputy director only while acting for the director
    assert_error_shape(client.post(f"/api/v1/tasks/{review.pk}/reassign", {"to": "bgs-fuzhuren"},
                                   content_type="application/json", **headers), 403, field="to")
    assert AuditEvent.objects.count() == before
    today = rules.today()
    org_services.absence_create(actor=None, person=Person.objects.get(username="bgs-zhuren"), start=today, end=today,
                                reason="出差", substitute=Person.objects.get(username="bgs-fuzhuren"))
    r = client.post(f"/api/v1/tasks/{review.pk}/reassign", {"to": "bgs-fuzhuren", "note": "请代为审核"},
                    content_type="application/json", **headers)
    assert r.status_code == 200, r.content
    new = r.json()
    assert new["assignee"]["username"] == "bgs-fuzhuren" and new["status"] == "open" and new["id"] != review.pk
    assert new["note"] == "请代为审核"
    review.refresh_from_db()
    assert review.status == "reassigned"
    inbox = client.get("/api/v1/tasks", **bearer("bgs-fuzhuren")).json()
    assert [i["id"] for i in inbox["items"]] == [new["id"]]
    assert client.get("/api/v1/tasks", **headers).json()["count"] == 0


def test_a_circulated_matter_is_acknowledged_and_a_step_is_not(client, gov):
    approval = start()
    review = open_task(approval, "bgs-zhuren")
    [sent] = services.circulation_send(actor=p("bgs-zhuren"), approval_id=approval.pk, people=[p("fuqu1")],
                                       note="请阅知")
    headers = bearer("fuqu1")
    [item] = client.get("/api/v1/tasks", **headers).json()["items"]
    assert (item["id"], item["kind"], item["action"]) == (sent.pk, "circulation", "阅知")
    assert_error_shape(client.post(f"/api/v1/tasks/{sent.pk}/complete", {"opinion": "阅"},
                                   content_type="application/json", **headers), 400, field="task_id")
    assert_error_shape(client.post(f"/api/v1/tasks/{review.pk}/acknowledge", **bearer("bgs-zhuren")), 400,
                       field="task_id")
    r = client.post(f"/api/v1/tasks/{sent.pk}/acknowledge", **headers)
    assert r.status_code == 200 and r.json()["status"] == "done"
    assert client.get("/api/v1/tasks", **headers).json()["count"] == 0


def test_bad_parameters_get_the_one_error_shape_naming_the_field(client, gov):
    headers = bearer("bgs-zhuren")
    body = assert_error_shape(client.get("/api/v1/tasks?limit=1000", **headers), 422, field="limit")
    assert body["message"].startswith("limit")
    assert_error_shape(client.get("/api/v1/tasks?box=inbox", **headers), 422, field="box")
    assert_error_shape(client.get("/api/v1/tasks/abc", **headers), 422, field="task_id")
    assert_error_shape(client.get(f"/api/v1/tasks/{2 ** 64}", **headers), 422, field="task_id")
    assert_error_shape(client.get(f"/api/v1/tasks?offset={10 ** 30}", **headers), 422, field="offset")
    assert_error_shape(client.post("/api/v1/tasks/1/complete", {"version": "x"}, content_type="application/json",
                                   **headers), 422, field="version")
    assert_error_shape(client.post("/api/v1/tasks/1/reassign", {}, content_type="application/json", **headers),
                       422, field="to")
    body = assert_error_shape(client.post("/api/v1/tasks/1/complete", "{not json", content_type="application/json",
                                          **headers), 400, field="body")
    assert "JSON" in body["message"]


def test_pages_are_limited_and_offset(client, gov):
    for n in range(5):
        start(n)
    headers = bearer("bgs-zhuren")
    first = client.get("/api/v1/tasks?limit=2", **headers).json()
    rest = client.get("/api/v1/tasks?limit=2&offset=2", **headers).json()
    assert first["count"] == rest["count"] == 5
    assert len(first["items"]) == len(rest["items"]) == 2
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in rest["items"]}


def test_the_inbox_costs_the_same_number_of_queries_for_one_task_as_for_ten(client, gov,
                                                                           django_assert_num_queries):
    headers = bearer("bgs-zhuren")
    start(0)
    client.get("/api/v1/tasks", **headers)  # warm up: the token's last_used stamp, the calendar cache
    with CaptureQueriesContext(connection) as one:
        r = client.get("/api/v1/tasks", **headers)
    assert r.json()["count"] == 1
    for n in range(1, 10):
        start(n)
    with django_assert_num_queries(len(one.captured_queries)):
        r = client.get("/api/v1/tasks", **headers)
    assert r.json()["count"] == 10 and len(r.json()["items"]) == 10
    for box in ("done", "mine"):
        with CaptureQueriesContext(connection) as few:
            client.get(f"/api/v1/tasks?box={box}", **headers)
        assert len(few.captured_queries) <= len(one.captured_queries)
