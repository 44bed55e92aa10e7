"""The meetings pages: the calendar (with its pinned query count), the schedule form with its
refusals on the field, a meeting's overview, the agenda builder's readiness (a dossier's missing
procedures with their article), the member's phone view (sign-in, leave), the chair's screen
(quorum at opening, 末位表态), the minutes' signing chain and .docx, the follow-ups' working days;
and direct URL access by someone who is neither expected, office nor leader (IDOR)."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.decisions import services as dservices
from zhengwu.meetings import services
from zhengwu.meetings import views_support as vs
from zhengwu.meetings.models import AgendaItem, Attendance, Meeting, Minutes, Opinion

from meetings_support import DAY, MEETING_DAY, approve, at, held, item, p, schedule, sign_in

pytestmark = pytest.mark.django_db

OUTSIDER = "jyj"  # 教育局: neither member, invitee, office nor leader


@pytest.fixture
def clock(monkeypatch):
    """Today is DAY for the pages; the moment they act at can be moved (sign-in on the day)."""
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


@pytest.fixture
def room(gov):
    return services.room_create(actor=p("wenshu"), name="第一会议室", capacity=30)


@pytest.fixture
def meeting(gov, room):
    m = schedule("standing", room_id=room.pk)
    plain = item(m, title="关于2027年城区供热价格调整方案的议题")
    major = item(m, title="关于城北物流园区基础设施建设项目投资的议题", proposer="changwu", matter_type="major_project")
    for it in (plain, major):
        services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    return approve(m)


def login(client, username):
    client.force_login(p(username))
    return client


def text(r) -> str:
    return r.content.decode()


# ---- the calendar --------------------------------------------------------------------------

def test_the_calendar_shows_the_month_upcoming_and_room_bookings(client, meeting):
    r = login(client, "wenshu").get("/meetings/?month=2026-11")
    assert r.status_code == 200
    page = text(r)
    assert "区政府第二十三次常务会议" in page and "第一会议室" in page and "2026-11" in page
    # filter by type
    assert "区政府第二十三次常务会议" not in text(client.get("/meetings/?month=2026-11&type=topical"))
    # a member sees it, an outsider does not
    assert "区政府第二十三次常务会议" in text(login(client, "fuqu2").get("/meetings/?month=2026-11"))
    assert "区政府第二十三次常务会议" not in text(login(client, OUTSIDER).get("/meetings/?month=2026-11"))


def test_the_calendar_query_count_does_not_grow_with_meetings(client, gov, django_assert_max_num_queries):
    login(client, "wenshu")
    schedule("topical", chair="fuqu1", member_ids=[p("czj").pk], title="专题会议0", start=8, end=9)
    client.get("/meetings/?month=2026-11")  # warm the caches (rulebook, calendar)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/meetings/?month=2026-11").status_code == 200
    for n in range(1, 8):
        day = MEETING_DAY + dt.timedelta(days=7 * (n % 3))
        schedule("topical", day=day, chair="fuqu1", member_ids=[p("czj").pk], title=f"专题会议{n}",
                 start=8 + n, end=9 + n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get("/meetings/?month=2026-11"))
    assert "专题会议7" in page


# ---- scheduling ----------------------------------------------------------------------------

def test_the_schedule_form_prefills_the_members_from_the_rulebook(client, gov):
    page = text(login(client, "wenshu").get("/meetings/new/?meeting_type=standing"))
    assert 'id="prefilled-members"' in page
    partial = text(client.get("/meetings/new/members/?meeting_type=standing&starts_at=2026-11-04T09:00",
                              HTTP_HX_REQUEST="true"))
    assert str(p("changwu")) in partial and "member_ids" not in partial
    partial = text(client.get("/meetings/new/members/?meeting_type=topical&starts_at=2026-11-04T09:00"))
    assert 'name="member_ids"' in partial  # the topical meeting's members are chosen
    assert login(client, OUTSIDER).get("/meetings/new/").status_code == 403


def test_scheduling_through_the_form(client, gov, room):
    r = login(client, "wenshu").post("/meetings/new/", {
        "meeting_type": "standing", "title": "区政府第二十四次常务会议", "starts_at": "2026-11-05T09:00",
        "ends_at": "2026-11-05T11:00", "room_id": room.pk, "chair_id": p("quzhang").pk,
        "invitee_ids": [p("czj").pk]})
    assert r.status_code == 302
    m = Meeting.objects.get(title="区政府第二十四次常务会议")
    assert r["Location"] == f"/meetings/{m.pk}/"
    assert m.attendances.filter(person=p("czj"), role="attendee").exists()
    assert m.attendances.filter(role="member").count() >= 4


def test_a_double_booked_room_is_refused_on_the_field_and_nothing_is_written(client, meeting, room):
    n, events = Meeting.objects.count(), AuditEvent.objects.count()
    r = login(client, "wenshu").post("/meetings/new/", {
        "meeting_type": "topical", "title": "撞车的专题会议", "starts_at": "2026-11-04T10:00",
        "ends_at": "2026-11-04T12:00", "room_id": room.pk, "chair_id": p("fuqu1").pk, "member_ids": [p("czj").pk]})
    assert r.status_code == 400
    page = text(r)
    assert 'id="err-room_id"' in page and "不能重复预订" in page
    assert (Meeting.objects.count(), AuditEvent.objects.count()) == (n, events)


def test_a_leader_already_at_another_meeting_is_refused_on_the_field(client, meeting):
    r = login(client, "wenshu").post("/meetings/new/", {
        "meeting_type": "topical", "title": "撞车的专题会议", "starts_at": "2026-11-04T10:00",
        "ends_at": "2026-11-04T12:00", "chair_id": p("fuqu1").pk, "member_ids": [p("czj").pk]})
    assert r.status_code == 400
    assert 'id="err-chair_id"' in text(r) and "不能同时安排" in text(r)
    assert not Meeting.objects.filter(title="撞车的专题会议").exists()


def test_an_unknown_member_is_refused_naming_the_field(client, gov):
    r = login(client, "wenshu").post("/meetings/new/", {
        "meeting_type": "topical", "title": "专题会议", "starts_at": "2026-11-04T10:00",
        "ends_at": "2026-11-04T12:00", "chair_id": p("fuqu1").pk, "member_ids": ["999999"]})
    assert r.status_code == 400 and 'id="err-member_ids"' in text(r)
    assert not Meeting.objects.filter(title="专题会议").exists()


# ---- overview and IDOR ---------------------------------------------------------------------

def test_the_overview_shows_approval_attendance_and_agenda(client, meeting):
    page = text(login(client, "fuqu2").get(f"/meetings/{meeting.pk}/"))
    assert "关于城北物流园区基础设施建设项目投资的议题" in page and str(p("changwu")) in page
    assert str(p("bgs-zhuren")) in page  # reviewed by the office director


@pytest.mark.parametrize("path", ["", "agenda/", "phone/", "chair/", "minutes/", "minutes/docx/"])
def test_an_outsider_gets_403_and_an_unknown_id_404(client, meeting, path):
    login(client, OUTSIDER)
    assert client.get(f"/meetings/{meeting.pk}/{path}").status_code == 403
    assert client.get(f"/meetings/99999/{path}").status_code == 404


def test_an_outsider_cannot_act_by_direct_url(client, meeting):
    login(client, OUTSIDER)
    it = meeting.items.first()
    for path, data in ((f"/meetings/{meeting.pk}/sign-in/", {}), (f"/meetings/{meeting.pk}/leave/", {"reason": "x"}),
                       (f"/meetings/{meeting.pk}/open/", {}),
                       (f"/meetings/{meeting.pk}/items/{it.pk}/opinions/", {"speaker_id": p("fuqu1").pk, "text": "x"}),
                       (f"/meetings/{meeting.pk}/items/{it.pk}/withdraw/", {"reason": "x"}),
                       (f"/meetings/{meeting.pk}/minutes/save/", {"body": "x"})):
        assert client.post(path, data).status_code == 403, path
    assert not Opinion.objects.exists()


# ---- the agenda builder --------------------------------------------------------------------

@pytest.mark.rules("R28.procedures")
def test_the_agenda_builder_shows_the_missing_procedures_of_a_dossier_with_their_article(client, gov):
    m = schedule("standing")
    d = dservices.dossier_create(actor=p("wenshu"), data={
        "title": "城北物流园区基础设施建设项目", "matter_type": "major_project", "amount_yuan": 86_000_000}, on=DAY)
    it = services.item_propose(actor=p("changwu"), meeting_id=m.pk, dossier_id=d.pk, has_substantive_content=True,
                               has_clear_proposal=True, concerns_whole_district=True, on=DAY)
    page = text(login(client, "wenshu").get(f"/meetings/{m.pk}/agenda/"))
    for label in ("公众参与", "专家论证", "风险评估", "合法性审查"):
        assert label in page
    assert "第二十八条" in page
    # the 区长 tries to confirm it: refused, citing the article, and it stays proposed
    r = login(client, "quzhang").post(f"/meetings/{m.pk}/items/{it.pk}/confirm/")
    assert r.status_code == 400 and "第二十八条" in text(r)
    assert AgendaItem.objects.get(pk=it.pk).status == "proposed"


@pytest.mark.rules("R63.gating")
def test_an_item_without_a_clear_proposal_is_shown_not_ready_then_confirmed_once_fixed(client, gov):
    m = schedule("standing")
    it = item(m, has_clear_proposal=False)
    page = text(login(client, "quzhang").get(f"/meetings/{m.pk}/agenda/"))
    assert "第六十三条" in page and "s-incomplete" in page
    r = client.post(f"/meetings/{m.pk}/items/{it.pk}/confirm/")
    assert r.status_code == 400 and "第六十三条" in text(r)
    services.item_update(actor=p("fuqu1"), item_id=it.pk, has_clear_proposal=True)
    assert client.post(f"/meetings/{m.pk}/items/{it.pk}/confirm/").status_code == 302
    assert AgendaItem.objects.get(pk=it.pk).status == "confirmed"


def test_proposing_and_withdrawing_through_the_builder(client, gov):
    m = schedule("standing")
    r = login(client, "fuqu1").post(f"/meetings/{m.pk}/agenda/propose/", {
        "title": "关于城区停车收费调整的议题", "summary": "拟按区域分档", "materials": "方案\n说明",
        "has_substantive_content": "on", "has_clear_proposal": "on", "prior_procedure_complete": "on",
        "concerns_whole_district": "on"})
    assert r.status_code == 302
    it = AgendaItem.objects.get(title="关于城区停车收费调整的议题")
    assert it.materials == ["方案", "说明"] and it.proposer == p("fuqu1")
    r = client.post(f"/meetings/{m.pk}/agenda/propose/", {"title": ""})
    assert r.status_code == 400 and 'id="err-title"' in text(r)
    assert client.post(f"/meetings/{m.pk}/items/{it.pk}/withdraw/", {"reason": "另行研究"}).status_code == 302
    assert AgendaItem.objects.get(pk=it.pk).status == "withdrawn"


# ---- the member's phone view ---------------------------------------------------------------

def test_a_member_signs_in_on_the_day_from_the_phone_view(client, meeting, clock):
    login(client, "fuqu2")
    page = text(client.get(f"/meetings/{meeting.pk}/phone/"))
    assert "关于2027年城区供热价格调整方案的议题" in page and 'id="sign-in"' not in page  # not the day yet
    clock(at(MEETING_DAY, 8, 45))
    assert 'id="sign-in"' in text(client.get(f"/meetings/{meeting.pk}/phone/"))
    assert client.post(f"/meetings/{meeting.pk}/sign-in/").status_code == 302
    att = Attendance.objects.get(meeting=meeting, person=p("fuqu2"))
    assert att.status == "present" and att.signed_in_at == at(MEETING_DAY, 8, 45)
    r = client.post(f"/meetings/{meeting.pk}/sign-in/")  # twice: refused, shown on the page
    assert r.status_code == 400 and "已签到" in text(r)


@pytest.mark.rules("R64.leave")
def test_leave_is_asked_of_the_chair_with_views_and_too_late_is_refused(client, meeting, clock):
    login(client, "fuqu3")
    r = client.post(f"/meetings/{meeting.pk}/leave/", {"reason": "赴省厅汇报", "views": "同意供热方案"})
    assert r.status_code == 302
    att = Attendance.objects.get(meeting=meeting, person=p("fuqu3"))
    assert (att.status, att.leave_requested_from, att.written_views) == ("leave_requested", "district_head",
                                                                         "同意供热方案")
    # the chair answers on the overview
    page = text(login(client, "quzhang").get(f"/meetings/{meeting.pk}/"))
    assert "赴省厅汇报" in page
    assert client.post(f"/meetings/{meeting.pk}/leaves/{att.pk}/", {"approve": "yes"}).status_code == 302
    assert Attendance.objects.get(pk=att.pk).status == "on_leave"
    # once the meeting has begun it is too late, citing art. 64
    clock(at(MEETING_DAY, 9, 30))
    r = login(client, "fuqu4").post(f"/meetings/{meeting.pk}/leave/", {"reason": "临时有事"})
    assert r.status_code == 400 and "第六十四条" in text(r)
    assert Attendance.objects.get(meeting=meeting, person=p("fuqu4")).status == "expected"


# ---- the chair's screen --------------------------------------------------------------------

@pytest.mark.rules("R60.quorum")
def test_opening_short_of_the_quorum_is_refused_citing_art_60(client, meeting, clock):
    clock(at(MEETING_DAY, 8, 50))
    sign_in(meeting, ["quzhang"])
    r = login(client, "quzhang").post(f"/meetings/{meeting.pk}/open/")
    assert r.status_code == 400 and "第六十条" in text(r)
    assert Meeting.objects.get(pk=meeting.pk).status == "approved"
    sign_in(meeting, ["changwu", "fuqu1", "fuqu2"])
    assert client.post(f"/meetings/{meeting.pk}/open/").status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == "open"


@pytest.mark.rules("R29.last_speaker")
def test_the_chair_speaks_last_on_a_major_item_art_29(client, meeting, clock):
    clock(at(MEETING_DAY, 9))
    sign_in(meeting, ["quzhang", "changwu", "fuqu1", "fuqu2"])
    services.meeting_open(actor=p("quzhang"), meeting_id=meeting.pk, at=at(MEETING_DAY, 9))
    _plain, major = meeting.items.order_by("order")
    login(client, "quzhang")
    url = f"/meetings/{meeting.pk}/items/{major.pk}/opinions/"
    page = text(client.get(f"/meetings/{meeting.pk}/chair/"))
    chair_button = page[page.index(f'id="item-{major.pk}"'):].split('class="chair-opinion"')[1][:40]
    assert "disabled" in chair_button  # the chair's button waits for the others
    # a premature attempt: refused citing art. 29, nothing recorded
    r = client.post(url, {"speaker_id": p("quzhang").pk, "text": "同意"})
    assert r.status_code == 400 and "第二十九条" in text(r)  # the rule's id is no longer shown (issue 16)
    assert not Opinion.objects.filter(item=major).exists()
    # through HTMX the item's panel comes back with the refusal (200, for htmx to swap it)
    r = client.post(url, {"speaker_id": p("quzhang").pk, "text": "同意"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "第二十九条" in text(r) and f'id="item-{major.pk}"' in text(r)
    for who in ("changwu", "fuqu1", "fuqu2"):
        assert client.post(url, {"speaker_id": p(who).pk, "text": "同意"}, HTTP_HX_REQUEST="true").status_code == 200
    page = text(client.get(f"/meetings/{meeting.pk}/chair/"))
    assert "disabled" not in page[page.index(f'id="item-{major.pk}"'):].split('class="chair-opinion"')[1][:40]
    assert client.post(url, {"speaker_id": p("quzhang").pk, "text": "同意，抓紧实施"}).status_code == 302
    assert [o.speaker.username for o in Opinion.objects.filter(item=major).order_by("order")] == [
        "changwu", "fuqu1", "fuqu2", "quzhang"]
    r = client.post(f"/meetings/{meeting.pk}/items/{major.pk}/decide/", {"outcome": "原则通过", "conditions": "控制投资"})
    assert r.status_code == 302
    major.refresh_from_db()
    assert (major.status, major.outcome, major.conditions) == ("decided", "原则通过", "控制投资")
    # an opinion after the decision: refused, nothing written
    r = client.post(url, {"speaker_id": p("fuqu1").pk, "text": "补充"})
    assert r.status_code == 400 and Opinion.objects.filter(item=major).count() == 4


def test_only_the_chair_or_the_office_opens_the_chair_screen(client, meeting):
    assert login(client, "fuqu2").get(f"/meetings/{meeting.pk}/chair/").status_code == 403
    assert login(client, "quzhang").get(f"/meetings/{meeting.pk}/chair/").status_code == 200
    assert login(client, "wenshu").get(f"/meetings/{meeting.pk}/chair/").status_code == 200


# ---- minutes -------------------------------------------------------------------------------

@pytest.mark.rules("R60.minutes")
def test_the_minutes_editor_and_its_signing_chain_art_60(client, gov, clock):
    m = held("standing")
    clock(at(MEETING_DAY, 14))
    login(client, "wenshu")
    r = client.post(f"/meetings/{m.pk}/minutes/save/", {"title": "区政府第二十三次常务会议纪要", "number": "〔2026〕23号",
                                                       "body": "一、会议原则同意供热价格调整方案。"})
    assert r.status_code == 302
    minutes = Minutes.objects.get(meeting=m)
    assert minutes.status == "draft"
    assert client.post(f"/meetings/{m.pk}/minutes/save/", {"body": "一、会议同意。\n二、由住建局落实。",
                                                          "op": "submit"}).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == "in_review"
    page = text(client.get(f"/meetings/{m.pk}/minutes/"))
    assert str(p("bgs-zhuren")) in page[page.index('id="next-actor"'):][:400]
    # a signer without authority: refused citing art. 60, nothing changes
    r = login(client, "changwu").post(f"/meetings/{m.pk}/minutes/review/")
    assert r.status_code == 400 and "第六十条" in text(r)
    assert Minutes.objects.get(pk=minutes.pk).reviewed_by_id is None
    assert login(client, "bgs-zhuren").post(f"/meetings/{m.pk}/minutes/review/").status_code == 302
    r = login(client, "changwu").post(f"/meetings/{m.pk}/minutes/sign/")
    assert r.status_code == 400 and "第六十条" in text(r)
    assert login(client, "quzhang").post(f"/meetings/{m.pk}/minutes/sign/").status_code == 302
    assert Minutes.objects.get(pk=minutes.pk).status == "signed"
    r = client.get(f"/meetings/{m.pk}/minutes/docx/")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert "wordprocessingml" in r["Content-Type"]


# ---- follow-ups ----------------------------------------------------------------------------

@pytest.mark.rules("R63.issue_within")
def test_follow_ups_show_the_working_days_left_against_the_limit(client, gov, clock):
    m = held("standing")
    it = m.items.get()
    clock(at(MEETING_DAY, 15))
    login(client, "wenshu")
    r = client.post(f"/meetings/{m.pk}/followups/", {"title": "关于调整城区供热价格的通知", "item_id": it.pk})
    assert r.status_code == 302
    page = text(client.get("/meetings/followups/"))
    assert "关于调整城区供热价格的通知" in page and "7" in page
    assert "2026-11-13" in page  # 7 working days after Wed 4 November
    # too late: recorded with the art. 63 warning
    clock(at(dt.date(2026, 11, 20), 10))
    f = m.followups.get()
    r = client.post(f"/meetings/followups/{f.pk}/issued/", {"issued_on": "2026-11-19"})
    assert r.status_code == 302
    f.refresh_from_db()
    assert f.issued_on == dt.date(2026, 11, 19)
    assert login(client, OUTSIDER).get("/meetings/followups/").status_code == 200
    assert "关于调整城区供热价格的通知" not in text(client.get("/meetings/followups/"))


def test_the_pages_are_in_english_on_request(client, meeting):
    login(client, "quzhang")
    client.post("/i18n/setlang/", {"language": "en", "next": "/meetings/"})
    page = text(client.get("/meetings/?month=2026-11"))
    assert '<html lang="en"' in page and "Upcoming" in page
    assert "Agenda builder" in text(client.get(f"/meetings/{meeting.pk}/agenda/"))
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/meetings/"})
    assert "即将召开" in text(client.get("/meetings/?month=2026-11"))


def test_only_the_office_schedules(client, gov):
    r = login(client, "fuqu1").post("/meetings/new/", {
        "meeting_type": "topical", "title": "自行安排", "starts_at": "2026-11-04T10:00",
        "ends_at": "2026-11-04T12:00", "chair_id": p("fuqu1").pk, "member_ids": [p("czj").pk]})
    assert r.status_code == 403 and not Meeting.objects.filter(title="自行安排").exists()


@pytest.mark.rules("R58.agenda")
def test_the_office_records_a_plenary_item_confirmed_by_the_standing_meeting_art_58(client, gov):
    m = schedule("plenary")
    it = item(m, proposer="changwu")
    login(client, "wenshu")
    assert "by_meeting_ref" in text(client.get(f"/meetings/{m.pk}/agenda/"))
    r = client.post(f"/meetings/{m.pk}/items/{it.pk}/confirm/", {"by_meeting": "head_office", "by_meeting_ref": "第3次"})
    assert r.status_code == 400 and "第五十八条" in text(r)
    assert AgendaItem.objects.get(pk=it.pk).status == "proposed"
    r = client.post(f"/meetings/{m.pk}/items/{it.pk}/confirm/", {"by_meeting": "standing",
                                                                "by_meeting_ref": "区政府第22次常务会议"})
    assert r.status_code == 302
    it.refresh_from_db()
    assert (it.status, it.confirmed_by_meeting) == ("confirmed", "standing")


@pytest.mark.rules("R58.quorum")
def test_a_plenary_meeting_at_exactly_half_is_refused_citing_art_58(client, gov, clock):
    m = schedule("plenary")
    it = item(m, proposer="changwu")
    services.item_confirm(actor=p("wenshu"), item_id=it.pk, by_meeting="standing", by_meeting_ref="第22次", on=DAY)
    m = approve(m)
    members = [a.person.username for a in m.attendances.filter(role="member").select_related("person")]
    assert len(members) % 2 == 0
    clock(at(MEETING_DAY, 8, 55))
    sign_in(m, members[:len(members) // 2])
    r = login(client, "quzhang").post(f"/meetings/{m.pk}/open/")
    assert r.status_code == 400 and "第五十八条" in text(r)
    assert Meeting.objects.get(pk=m.pk).status == "approved"
    sign_in(m, members[len(members) // 2:len(members) // 2 + 1])
    assert client.post(f"/meetings/{m.pk}/open/").status_code == 302
    assert Meeting.objects.get(pk=m.pk).status == "open"
