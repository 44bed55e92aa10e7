"""/api/v1/meetings: a meeting run end to end through the API (schedule, agenda with readiness,
approval, sign-in, quorum, opinions with the chair last, decision, minutes' signing chain and
.docx, follow-up with its working days, export), refusals in the one error shape with nothing
changed, rooms and bookings, and direct access by id from someone who is neither expected,
office nor leader (IDOR)."""

import json

import pytest

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.meetings import services
from zhengwu.meetings import views_support as vs
from zhengwu.meetings.models import AgendaItem, Attendance, Meeting, Minutes, Opinion

from meetings_support import DAY, MEETING_DAY, approve, at, held, item, p, schedule

pytestmark = pytest.mark.django_db

OUTSIDER = "jyj"
BASE = "/api/v1/meetings"


@pytest.fixture
def clock(monkeypatch):
    state = {"now": at(DAY, 10)}
    monkeypatch.setattr(rules, "today", lambda: state["now"].date())
    monkeypatch.setattr(vs, "now", lambda: state["now"])

    def move(moment):
        state["now"] = moment
    return move


@pytest.fixture
def gov(clock, org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture(scope="module")
def demo_today():
    return DAY  # the module's data is loaded as of the day its tests run on (tests/conftest.py)


_keys: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fresh_keys():
    _keys.clear()


def bearer(username):
    if username not in _keys:
        _token, _keys[username] = api_token_create(actor=None, person=p(username), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {_keys[username]}"}


def get(client, username, path, **params):
    return client.get(f"{BASE}{path}", params, **bearer(username))


def post(client, username, path, data=None):
    return client.post(f"{BASE}{path}", json.dumps(data or {}), content_type="application/json", **bearer(username))


def is_error(r, status, field=None):
    body = r.json()
    assert r.status_code == status, body
    assert set(body) == {"message", "violations", "field"}
    if field is not None:
        assert body["field"] == field, body
    return body


@pytest.fixture
def room(gov, client):
    r = post(client, "wenshu", "/rooms", {"name": "第一会议室", "capacity": 30})
    assert r.status_code == 201
    return r.json()


@pytest.fixture
def meeting(gov, room):
    m = schedule("standing", room_id=room["id"])
    plain = item(m, title="关于2027年城区供热价格调整方案的议题")
    major = item(m, title="关于城北物流园区基础设施建设项目投资的议题", proposer="changwu", matter_type="major_project")
    for it in (plain, major):
        services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    return approve(m)


@pytest.mark.rules("R60.quorum", "R29.last_speaker", "R60.minutes")
def test_a_standing_meeting_through_the_api(client, gov, room, clock):
    r = post(client, "wenshu", "", {"meeting_type": "standing", "title": "区政府第二十四次常务会议",
                                    "starts_at": "2026-11-04T09:00:00+08:00", "ends_at": "2026-11-04T11:00:00+08:00",
                                    "chair_id": p("quzhang").pk, "room_id": room["id"], "invitee_ids": [p("czj").pk]})
    assert r.status_code == 201, r.json()
    m = r.json()
    assert m["type_label"] == "区政府常务会议" and m["room"]["name"] == "第一会议室"
    assert {a["person"]["username"] for a in m["attendees"]} == {"czj"}
    mid = m["id"]
    # the agenda: a 三重一大 item proposed by the 常务副区长, then confirmed by the 区长
    r = post(client, "changwu", f"/{mid}/agenda", {"title": "关于城北物流园区基础设施建设项目投资的议题",
                                                   "matter_type": "major_project", "has_substantive_content": True,
                                                   "has_clear_proposal": True, "prior_procedure_complete": True,
                                                   "concerns_whole_district": True, "materials": ["可行性研究报告"]})
    assert r.status_code == 201, r.json()
    assert r.json()["state"] == "ready"
    iid = r.json()["item_id"]
    assert get(client, "wenshu", f"/{mid}/agenda").json()["items"][0]["item_id"] == iid
    assert post(client, "quzhang", f"/items/{iid}/confirm").status_code == 200
    # approval (art. 65)
    assert post(client, "wenshu", f"/{mid}/submit").json()["status"] == "pending"
    meeting = approve_pending(Meeting.objects.get(pk=mid))
    assert meeting.status == "approved"
    # on the day: too few signed in, the opening is refused citing art. 60
    clock(at(MEETING_DAY, 8, 50))
    assert post(client, "quzhang", f"/{mid}/sign-in").status_code == 200
    body = is_error(post(client, "quzhang", f"/{mid}/open"), 400)
    assert body["message"].endswith("（《工作规则》第六十条）")
    assert {v["rule_id"] for v in body["violations"]} == {"R60.quorum"}
    for who in ("changwu", "fuqu1", "fuqu2"):
        assert post(client, who, f"/{mid}/sign-in").status_code == 200
    clock(at(MEETING_DAY, 9))
    assert post(client, "quzhang", f"/{mid}/open").json()["status"] == "open"
    # the chair first: refused (R29.last_speaker, art. 29); then the others, then the chair
    body = is_error(post(client, "quzhang", f"/items/{iid}/opinions", {"speaker_id": p("quzhang").pk, "text": "同意"}),
                    400, "speaking_order")
    assert body["violations"][0]["rule_id"] == "R29.last_speaker" and body["violations"][0]["article"] == 29
    for who in ("changwu", "fuqu1", "fuqu2", "quzhang"):
        assert post(client, "quzhang", f"/items/{iid}/opinions", {"speaker_id": p(who).pk, "text": "同意"}).status_code == 200
    r = post(client, "quzhang", f"/items/{iid}/decide", {"outcome": "原则通过", "conditions": "严控投资"})
    decided = r.json()["items"][0]
    assert (decided["outcome"], [o["speaker"]["username"] for o in decided["opinions"]]) == (
        "原则通过", ["changwu", "fuqu1", "fuqu2", "quzhang"])
    # an opinion after the decision changes nothing
    n = Opinion.objects.count()
    is_error(post(client, "quzhang", f"/items/{iid}/opinions", {"speaker_id": p("fuqu3").pk, "text": "补充"}), 400)
    assert Opinion.objects.count() == n
    clock(at(MEETING_DAY, 11))
    assert post(client, "quzhang", f"/{mid}/close").json()["status"] == "closed"
    # minutes: drafted by the office, reviewed by the 办公室主任, signed by the 区长
    r = post(client, "wenshu", f"/{mid}/minutes", {"body": "一、会议原则同意城北物流园区项目。", "number": "〔2026〕24号"})
    assert r.status_code == 201
    mn = r.json()
    assert post(client, "wenshu", f"/minutes/{mn['id']}/submit").json()["next_actors"][0]["username"] == "bgs-zhuren"
    body = is_error(post(client, "changwu", f"/minutes/{mn['id']}/sign"), 400, "reviewed_by")
    assert body["message"].endswith("（《工作规则》第六十条）")
    assert post(client, "bgs-zhuren", f"/minutes/{mn['id']}/review").json()["next_step"] == "sign"
    body = is_error(post(client, "changwu", f"/minutes/{mn['id']}/sign"), 400, "signed_by")  # without authority
    assert Minutes.objects.get(pk=mn["id"]).signed_by_id is None
    signed = post(client, "quzhang", f"/minutes/{mn['id']}/sign").json()
    assert signed["status"] == "signed" and signed["docx_url"]
    r = client.get(signed["docx_url"], **bearer("fuqu1"))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    # the follow-up document, against its 7 working days
    r = post(client, "wenshu", f"/{mid}/followups", {"title": "关于城北物流园区项目的批复", "item_id": iid})
    assert r.status_code == 201
    f = r.json()
    assert (f["due_on"], f["working_days_limit"], f["working_days_left"]) == ("2026-11-13", 7, 7)
    export = get(client, "wenshu", "/decisions/export").json()
    assert any(i["ref"] == f"meetings.item:{iid}" and i["followups"][0]["ref"] == f["ref"] for i in export["items"])
    assert get(client, OUTSIDER, "/decisions/export").json()["count"] == 0


def approve_pending(meeting):
    from meetings_support import open_task
    from zhengwu.workflow import services as wf

    wf.task_complete(actor=p("bgs-zhuren"), task_id=open_task(meeting.approval_id, "bgs-zhuren").pk, opinion="拟同意",
                     on=DAY)
    wf.task_complete(actor=p("quzhang"), task_id=open_task(meeting.approval_id, "quzhang").pk, decision="同意", on=DAY)
    meeting.refresh_from_db()
    return meeting


def test_the_list_shows_only_what_one_may_see(client, meeting, django_assert_max_num_queries):
    items = get(client, "wenshu", "", start="2026-11-01", end="2026-11-30").json()
    assert [m["title"] for m in items["items"]] == ["区政府第二十三次常务会议"]
    assert get(client, "fuqu2", "").json()["count"] == 1
    assert get(client, OUTSIDER, "").json()["count"] == 0
    assert get(client, "wenshu", "", meeting_type="topical").json()["count"] == 0
    bearer("wenshu")
    with django_assert_max_num_queries(12) as few:
        get(client, "wenshu", "")
    for n in range(5):
        schedule("topical", chair="fuqu1", member_ids=[p("czj").pk], title=f"专题会议{n}", start=13 + n, end=14 + n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get(client, "wenshu", "").json()["count"] == 6


def test_idor_an_outsider_gets_403_and_an_unknown_id_404(client, meeting):
    it = meeting.items.first()
    for path in (f"/{meeting.pk}", f"/{meeting.pk}/agenda", f"/items/{it.pk}/readiness"):
        is_error(get(client, OUTSIDER, path), 403)
    for path in ("/999999", "/999999/agenda", "/items/999999/readiness", "/minutes/999999/docx"):
        is_error(get(client, OUTSIDER, path), 404)
    for path, data in ((f"/{meeting.pk}/sign-in", {}), (f"/{meeting.pk}/leave", {"reason": "有事"}),
                       (f"/{meeting.pk}/open", {}), (f"/items/{it.pk}/opinions", {"speaker_id": p("fuqu1").pk,
                                                                                 "text": "x"}),
                       (f"/items/{it.pk}/confirm", {}), (f"/{meeting.pk}/minutes", {"body": "x"})):
        is_error(post(client, OUTSIDER, path, data), 403)
    # a member sees it but may not run it
    is_error(post(client, "fuqu2", f"/{meeting.pk}/open"), 403)
    assert Meeting.objects.get(pk=meeting.pk).status == "approved"


def test_a_double_booked_room_and_an_unknown_member_are_refused_naming_the_field(client, meeting, room):
    n, events = Meeting.objects.count(), AuditEvent.objects.count()
    body = is_error(post(client, "wenshu", "", {
        "meeting_type": "topical", "title": "撞车", "starts_at": "2026-11-04T10:00:00+08:00",
        "ends_at": "2026-11-04T12:00:00+08:00", "chair_id": p("fuqu4").pk, "room_id": room["id"],
        "member_ids": [p("czj").pk]}), 400, "room_id")
    assert "不能重复预订" in body["message"]
    is_error(post(client, "wenshu", "", {
        "meeting_type": "topical", "title": "未知人员", "starts_at": "2026-11-05T10:00:00+08:00",
        "ends_at": "2026-11-05T12:00:00+08:00", "chair_id": p("fuqu4").pk, "member_ids": [999999]}), 400, "member_ids")
    is_error(post(client, "wenshu", "", {
        "meeting_type": "topical", "title": "无时区", "starts_at": "2026-11-05T10:00:00",
        "ends_at": "2026-11-05T12:00:00+08:00", "chair_id": p("fuqu4").pk}), 422, "starts_at")
    assert "oops" in is_error(post(client, "wenshu", "", {"meeting_type": "topical", "oops": 1}), 422)["message"]
    assert (Meeting.objects.count(), AuditEvent.objects.count()) == (n, events)
    bookings = get(client, "fuqu2", f"/rooms/{room['id']}/bookings", date="2026-11-04").json()
    assert [b["title"] for b in bookings["bookings"]] == ["区政府第二十三次常务会议"]
    assert get(client, OUTSIDER, f"/rooms/{room['id']}/bookings", date="2026-11-04").json()["bookings"][0][
        "title"] == "已预订"


@pytest.mark.rules("R64.leave")
def test_leave_with_views_goes_to_the_chair(client, meeting, clock):
    r = post(client, "fuqu3", f"/{meeting.pk}/leave", {"reason": "赴省厅汇报", "views": "同意"})
    att = next(a for a in r.json()["members"] if a["person"]["username"] == "fuqu3")
    assert (att["status"], att["written_views"]) == ("leave_requested", "同意")
    is_error(post(client, "changwu", f"/attendances/{att['id']}/leave-decision", {"approve": True}), 403)
    r = post(client, "quzhang", f"/attendances/{att['id']}/leave-decision", {"approve": True})
    assert next(a for a in r.json()["members"] if a["person"]["username"] == "fuqu3")["status"] == "on_leave"
    clock(at(MEETING_DAY, 9, 30))
    body = is_error(post(client, "fuqu4", f"/{meeting.pk}/leave", {"reason": "临时有事"}), 400)
    assert body["message"].endswith("（《工作规则》第六十四条）")
    assert Attendance.objects.get(meeting=meeting, person=p("fuqu4")).status == "expected"


@pytest.mark.rules("R28.procedures")
def test_readiness_names_each_missing_procedure_with_its_article(client, gov):
    from zhengwu.decisions import services as dservices

    m = schedule("standing")
    d = dservices.dossier_create(actor=p("wenshu"), data={
        "title": "城北物流园区基础设施建设项目", "matter_type": "major_project", "amount_yuan": 86_000_000}, on=DAY)
    r = post(client, "changwu", f"/{m.pk}/agenda", {"dossier_id": d.pk, "has_substantive_content": True,
                                                    "has_clear_proposal": True, "concerns_whole_district": True})
    assert r.status_code == 201
    body = r.json()
    assert body["state"] == "incomplete" and not body["ready"]
    assert {s["article"] for s in body["missing"]} == {28} and len(body["missing"]) >= 4
    assert any(v["rule_id"] == "R28.procedures" for v in body["violations"])
    is_error(post(client, "quzhang", f"/items/{body['item_id']}/confirm"), 400)
    assert AgendaItem.objects.get(pk=body["item_id"]).status == "proposed"


@pytest.mark.rules("R63.issue_within")
def test_follow_ups_list_and_a_late_issue_warns_art_63(client, gov, clock):
    m = held("standing")
    it = m.items.get()
    clock(at(MEETING_DAY, 15))
    f = post(client, "wenshu", f"/{m.pk}/followups", {"title": "关于调整城区供热价格的通知", "item_id": it.pk}).json()
    clock(at(MEETING_DAY.replace(day=20), 10))
    rows = get(client, "wenshu", "/followups", open_only=True).json()
    assert rows["items"][0]["overdue"] and rows["items"][0]["working_days_used"] == 12
    r = post(client, "wenshu", f"/followups/{f['id']}/issued", {"issued_on": "2026-11-19"})
    assert r.status_code == 200
    assert r.json()["warnings"][0]["article"] == 63
    assert get(client, OUTSIDER, "/followups").json()["count"] == 0
    is_error(post(client, OUTSIDER, f"/followups/{f['id']}/issued", {"issued_on": "2026-11-19"}), 403)


def test_the_schema_lists_the_meetings_endpoints(client, gov):
    paths = client.get("/api/v1/openapi.json", **bearer("wenshu")).json()["paths"]  # token holders only
    for path in ("/api/v1/meetings", "/api/v1/meetings/{meeting_id}/open", "/api/v1/meetings/items/{item_id}/opinions",
                 "/api/v1/meetings/minutes/{minutes_id}/sign", "/api/v1/meetings/decisions/export",
                 "/api/v1/meetings/rooms/{room_id}/bookings", "/api/v1/meetings/followups"):
        assert path in paths
