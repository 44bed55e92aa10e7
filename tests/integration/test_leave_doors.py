"""Leave, the leaders' calendar and the office's org writes through every door (web pages, the
inbox's task page, /api/v1/tasks, /api/v1/leave, /api/v1/org, the CLI), on the demo government with
the leave demo: the wrong person is refused (art. 89 for a 副区长's leave, art. 94 for a leader's
activity, the office's grant for the organisation) and the right one goes through."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.affairs.leave import demo as leave_demo
from zhengwu.affairs.leave.models import CalendarEvent, LeaveRequest
from zhengwu.api.services import api_token_create
from zhengwu.cli import main
from zhengwu.org import selectors as org
from zhengwu.org.models import Absence, Appointment, Person, Position, Unit
from zhengwu.workflow.models import Task
from zhengwu.workflow.selectors import todo

pytestmark = pytest.mark.django_db
S = LeaveRequest.Status
_keys: dict[str, str] = {}


@pytest.fixture(scope="module")
def _loaded(module_data):
    from zhengwu.org import demo as org_demo

    def load():
        gov = org_demo.load()
        leave_demo.load()
        return gov.pk
    return module_data(load)


@pytest.fixture
def gov(_loaded, module_transaction, db):
    from zhengwu.org.models import Government

    return Government.objects.get(pk=_loaded)


@pytest.fixture(autouse=True)
def _fresh_tokens():
    _keys.clear()  # each test rolls back the tokens it made


def p(username):
    return Person.objects.get(username=username)


def bearer(username):
    if username not in _keys:
        _token, _keys[username] = api_token_create(actor=None, person=p(username), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {_keys[username]}"}


def api(client, method, username, path, data=None):
    fn = getattr(client, method)
    if method == "get":
        return fn(f"/api/v1{path}", data or {}, **bearer(username))
    return fn(f"/api/v1{path}", data or {}, content_type="application/json", **bearer(username))


def pending():
    return LeaveRequest.objects.get(person__username="fuqu1", status=S.PENDING)


def head_task(leave):
    return Task.objects.get(approval_id=leave.approval_id, step_id="head_agree", status=Task.Status.OPEN)


# ---- the demo --------------------------------------------------------------------------------

@pytest.mark.rules("W94.leaders_calendar")
def test_the_demo_has_an_agreed_leave_with_someone_acting_a_pending_one_a_report_and_this_weeks_calendar(gov, client):
    today = rules.today()
    agreed = LeaveRequest.objects.get(person__username="fuqu3")
    assert agreed.status == S.APPROVED and agreed.absence.substitute == p("fuqu4")
    pos = Position.objects.get(title="副区长（农业农村）")
    assert org.acting_for(pos, today) == p("fuqu4")  # 补位 (art. 15) visible today
    assert head_task(pending()).assignee == p("quzhang")
    assert any(t.approval_id == pending().approval_id for t in todo(p("quzhang")))  # a real 待办
    report = LeaveRequest.objects.get(person__username="czj")
    assert report.kind == LeaveRequest.Kind.UNIT_HEAD and report.status == S.REPORTED
    assert Task.objects.get(approval_id=report.approval_id, status=Task.Status.OPEN).assignee == p("changwu")
    assert CalendarEvent.objects.count() == 5
    client.force_login(p("quzhang"))
    page = client.get("/affairs/leave/calendar/").content.decode()
    assert "到经济开发区调研重点项目建设" in page and "参加全省农业农村工作会议" in page and "孙己补位" in page
    one = client.get(f"/affairs/leave/calendar/?leader={p('changwu').pk}").content.decode()
    assert "接待省财政厅调研组" in one and "到经济开发区调研" not in one
    home = client.get("/affairs/").content.decode()
    assert "/affairs/leave/calendar/" in home and "/affairs/leave/" in home
    client.force_login(p("fuqu4"))
    assert "钱戊" in client.get("/").content.decode() or org.acted_for_by(p("fuqu4"), today)


# ---- O: a 副区长's leave agreed by anyone but the 区长, through every door ------------------------

@pytest.mark.rules("R89.deputy_leave_approver", "leave.deputy_head")
def test_the_wrong_person_is_refused_through_every_door_citing_89(gov, client, capsys):
    leave = pending()
    task = head_task(leave)
    for who in ("changwu", "bgs-zhuren", "fuqu2"):
        r = api(client, "post", who, f"/tasks/{task.pk}/complete", {"decision": "同意"})
        assert r.status_code in (400, 403) and "第八十九条" in r.json()["message"], (who, r.json())
        r = api(client, "post", who, f"/leave/requests/{leave.pk}/decide", {"agree": True})
        assert r.status_code in (400, 403) and "第八十九条" in r.json()["message"], who
        client.force_login(p(who))
        r = client.post(f"/tasks/{task.pk}/", {"op": "complete", "decision": "同意"})
        assert r.status_code in (400, 403) and "第八十九条" in r.content.decode(), who
        r = client.post(f"/affairs/leave/{leave.pk}/decide/", {"agree": "1"})
        assert r.status_code in (400, 403) and "第八十九条" in r.content.decode(), who
        code = main(["task", "complete", str(task.pk), "--as", who, "--decision", "同意"])
        assert code == 2 and "第八十九条" in capsys.readouterr().err
    leave.refresh_from_db()
    assert leave.status == S.PENDING and leave.absence is None
    # the 区长, through his own page
    client.force_login(p("quzhang"))
    page = client.get(f"/affairs/leave/{leave.pk}/").content.decode()
    assert 'name="agree"' in page
    r = client.post(f"/affairs/leave/{leave.pk}/decide/", {"agree": "1", "note": "同意"})
    assert r.status_code == 302
    leave.refresh_from_db()
    assert leave.status == S.APPROVED and leave.absence.substitute == p("fuqu2")


def test_the_district_head_agrees_through_the_api_tasks_door(gov, client):
    leave = pending()
    r = api(client, "post", "quzhang", f"/tasks/{head_task(leave).pk}/complete", {"decision": "不同意", "opinion": "近期有重要会议"})
    assert r.status_code == 200, r.json()
    leave.refresh_from_db()
    assert leave.status == S.REFUSED
    r = api(client, "get", "fuqu1", f"/leave/requests/{leave.pk}")
    assert r.status_code == 200 and r.json()["status_label"] == "区长不同意"


def test_leave_requests_are_seen_by_whom_they_concern(gov, client):
    leave = pending()
    assert api(client, "get", "sfj", f"/leave/requests/{leave.pk}").status_code == 404  # IDOR
    assert api(client, "get", "fuqu1", f"/leave/requests/{leave.pk}").status_code == 200
    assert api(client, "get", "wenshu", f"/leave/requests/{leave.pk}").status_code == 200
    report = LeaveRequest.objects.get(person__username="czj")
    assert api(client, "get", "changwu", f"/leave/requests/{report.pk}").status_code == 200  # his 分工
    assert api(client, "get", "sfj", f"/leave/requests/{report.pk}").status_code == 404
    ids = {x["id"] for x in api(client, "get", "sfj", "/leave/requests").json()["items"]}
    assert leave.pk not in ids and report.pk not in ids
    client.force_login(p("sfj"))
    assert client.get(f"/affairs/leave/{leave.pk}/").status_code == 404
    assert api(client, "post", "sfj", f"/leave/requests/{leave.pk}/cancel", {"reason": "x"}).status_code == 404


def test_a_leave_asked_through_the_api_and_the_web(gov, client):
    start = rules.today() + dt.timedelta(days=20)
    r = api(client, "post", "fuqu1", "/leave/requests", {"start": start.isoformat(), "end": start.isoformat(),
                                                         "destination": "四平市", "reason": "学习考察"})
    assert r.status_code == 201 and r.json()["status"] == "pending"
    late = api(client, "post", "fuqu1", "/leave/requests", {"start": "2020-01-02", "end": "2020-01-02",
                                                            "destination": "四平市", "reason": "补请"})
    assert late.status_code == 400 and late.json()["field"] == "start" and "第八十九条" in late.json()["message"]
    client.force_login(p("sfj"))
    r = client.post("/affairs/leave/", {"start": (start + dt.timedelta(days=3)).isoformat(),
                                        "end": (start + dt.timedelta(days=3)).isoformat(),
                                        "destination": "长春市", "reason": "省司法厅会议"})
    assert r.status_code == 302
    assert LeaveRequest.objects.get(person__username="sfj").status == S.REPORTED


# ---- art. 94: the office arranges a leader's activities -----------------------------------------

@pytest.mark.rules("R94.office_arranged")
def test_only_the_office_arranges_a_leaders_activity(gov, client):
    data = {"leader_id": p("fuqu1").pk, "title": "检查防汛工作", "day": rules.today().isoformat(), "place": "洮儿河堤防",
            "start_time": "09:00", "end_time": "11:00"}
    r = api(client, "post", "czj", "/leave/events", data)
    assert r.status_code == 400 and "第九十四条" in r.json()["message"]
    r = api(client, "post", "wenshu", "/leave/events", data)
    assert r.status_code == 201
    event_id = r.json()["id"]
    cal = api(client, "get", "fuqu1", "/leave/calendar", {"leader_id": p("fuqu1").pk}).json()
    assert any(e["title"] == "检查防汛工作" for e in cal["entries"])
    assert api(client, "get", "czj", "/leave/calendar").status_code == 403
    assert api(client, "post", "fuqu1", f"/leave/events/{event_id}/cancel").status_code == 403
    assert api(client, "post", "wenshu", f"/leave/events/{event_id}/cancel").status_code == 200
    assert api(client, "post", "wenshu", f"/leave/events/{event_id}/cancel").status_code == 409
    client.force_login(p("czj"))
    assert client.get("/affairs/leave/calendar/").status_code == 403
    client.force_login(p("bgs-fuzhuren"))
    r = client.post("/affairs/leave/calendar/", {**data, "title": "出席防汛会商会"})
    assert r.status_code == 302 and CalendarEvent.objects.filter(title="出席防汛会商会").exists()


# ---- the org write API and pages (arts. 10-15, 29) ----------------------------------------------

def test_org_writes_by_the_office_and_refused_to_others(gov, client):
    today = rules.today()
    absence = {"person_id": p("fuqu1").pk, "start": (today + dt.timedelta(days=30)).isoformat(),
               "end": (today + dt.timedelta(days=31)).isoformat(), "reason": "休假",
               "substitute_id": p("fuqu2").pk, "designated_by_id": p("quzhang").pk}
    for who in ("fuqu1", "czj", "quzhang", "dcz"):
        r = api(client, "post", who, "/org/absences", absence)
        assert r.status_code == 403, who
    r = api(client, "post", "wenshu", "/org/absences", absence)
    assert r.status_code == 201 and r.json()["substitute"]["username"] == "fuqu2"
    aid = r.json()["id"]
    assert api(client, "post", "czj", f"/org/absences/{aid}/cancel").status_code == 403
    assert api(client, "post", "wenshu", f"/org/absences/{aid}/cancel").json()["cancelled"] is True
    # art. 15: a 副区长's substitute is arranged by the 区长
    bad = api(client, "post", "wenshu", "/org/absences", {**absence, "designated_by_id": p("changwu").pk})
    assert bad.status_code == 400 and "第十五条" in bad.json()["message"]
    # a person, a post, an appointment, its end
    r = api(client, "post", "wenshu", "/org/people", {"username": "jyj-fu", "full_name": "林亥"})
    assert r.status_code == 201
    person_id = r.json()["id"]
    unit = Unit.objects.get(short_name="教育局")
    r = api(client, "post", "bgs-zhuren", "/org/positions", {"code": "unit_deputy", "title": "教育局副局长",
                                                             "unit_id": unit.pk, "rank": 30})
    assert r.status_code == 201
    pos_id = r.json()["id"]
    r = api(client, "post", "wenshu", "/org/appointments", {"position_id": pos_id, "person_id": person_id,
                                                            "start": today.isoformat()})
    assert r.status_code == 201
    appt = r.json()["id"]
    assert api(client, "post", "fuqu2", f"/org/appointments/{appt}/end", {"end": "2099-01-01"}).status_code == 403
    assert api(client, "post", "wenshu", f"/org/appointments/{appt}/end",
               {"end": (today + dt.timedelta(days=1)).isoformat()}).status_code == 200
    assert api(client, "post", "czj", "/org/people", {"username": "x1", "full_name": "某"}).status_code == 403


@pytest.mark.rules("R12.one_head", "R29.five_not", "R14.dual_duty")
def test_org_writes_apply_the_rules_of_12_14_and_29(gov, client):
    today = rules.today()
    head = Position.objects.get(code="district_head")
    r = api(client, "post", "wenshu", "/org/appointments", {"position_id": head.pk, "person_id": p("fuqu1").pk,
                                                            "start": today.isoformat()})
    assert r.status_code == 400 and "第十二条" in r.json()["message"]
    r = api(client, "put", "wenshu", f"/org/positions/{head.pk}/portfolio", {"domains": ["economy", "finance"]})
    assert r.status_code == 400 and "第二十九条" in r.json()["message"]
    fuqu3 = Position.objects.get(title="副区长（农业农村）")
    nyj = Unit.objects.get(short_name="农业农村局")
    r = api(client, "put", "wenshu", f"/org/positions/{fuqu3.pk}/portfolio",
            {"unit_ids": [nyj.pk], "domains": ["agriculture"], "dual_duties": ["safety"]})
    assert r.status_code == 200 and r.json()["warnings"] and "第十四条" in r.json()["warnings"][0]
    assert api(client, "put", "fuqu3", f"/org/positions/{fuqu3.pk}/portfolio", {"unit_ids": [nyj.pk]}).status_code == 403


def test_org_writes_see_only_their_own_government(gov, client):
    from zhengwu.org import services as org_services

    other = org_services.government_create(actor=None, name="某市某区人民政府", short_name="某区")
    stranger = org_services.person_create(actor=None, government=other, username="stranger", full_name="外人")
    r = api(client, "post", "wenshu", "/org/absences", {"person_id": stranger.pk, "start": "2026-12-01",
                                                        "end": "2026-12-02", "reason": "x"})
    assert r.status_code == 404
    unit = org_services.unit_create(actor=None, government=other, name="某局", kind="component_dept")
    r = api(client, "post", "wenshu", "/org/positions", {"code": "unit_head", "title": "局长", "unit_id": unit.pk})
    assert r.status_code == 404


def test_the_org_page_for_the_office_and_refused_to_others(gov, client):
    today = rules.today()
    client.force_login(p("czj"))
    assert client.get("/affairs/leave/org/").status_code == 403
    assert client.post("/affairs/leave/org/", {"form": "person", "username": "x2", "full_name": "某"}).status_code == 403
    client.force_login(p("fuqu1"))
    page = client.get("/affairs/leave/org/")
    assert page.status_code == 200 and 'name="form"' not in page.content.decode()  # leaders read, do not write
    r = client.post("/affairs/leave/org/", {"form": "person", "username": "x3", "full_name": "某"})
    assert r.status_code == 403 and not Person.objects.filter(username="x3").exists()
    client.force_login(p("wenshu"))
    page = client.get("/affairs/leave/org/").content.decode()
    assert "孙己" in page and 'value="absence"' in page
    r = client.post("/affairs/leave/org/", {"form": "absence", "person_id": p("sfj").pk,
                                            "start": (today + dt.timedelta(days=40)).isoformat(),
                                            "end": (today + dt.timedelta(days=41)).isoformat(), "reason": "休假"})
    assert r.status_code == 302 and Absence.objects.filter(person=p("sfj"), reason="休假").exists()
    r = client.post("/affairs/leave/org/", {"form": "appointment", "position_id": Position.objects.get(code="district_head").pk,
                                            "person_id": p("fuqu1").pk, "start": today.isoformat()})
    assert r.status_code == 400 and "第十二条" in r.content.decode()
    assert not Appointment.objects.filter(person=p("fuqu1"), position__code="district_head").exists()


def test_administrators_act_in_no_leave_and_keep_no_organisation(gov, client):
    from zhengwu.affairs.leave import orgwrite, services
    from zhengwu.errors import Forbidden

    for admin in ("sysadmin", "secadmin", "auditadmin"):
        with pytest.raises(Forbidden):
            orgwrite.absence_create(actor=p(admin), person_id=p("fuqu1").pk, start="2026-12-01", end="2026-12-02",
                                    reason="休假")
        with pytest.raises(Forbidden):
            services.leave_request(actor=p(admin), person_id=p("fuqu1").pk, start="2099-12-01", end="2099-12-02",
                                   destination="长春市", reason="x")
        client.force_login(p(admin))
        assert client.post("/affairs/leave/org/", {"form": "person", "username": "x9", "full_name": "某"}).status_code == 403
    assert not Person.objects.filter(username="x9").exists()
