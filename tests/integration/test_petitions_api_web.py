"""`/api/v1/petitions`, `/api/v1/consultations` and the pages under /disclosure/petitions/ on the
petitions demo (every state): who sees what (IDOR: a unit sees the cases routed to it, the 信访 office
— the 区政府办公室 — and the 区长 all, a 副区长 those of his 分工), the wrong person refused at the web
and API doors, refusals shown with their article, lights on the office's list."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.disclosure.petitions.models import Consultation, LeaderRecord, Petition
from zhengwu.org.models import Person, Unit
from zhengwu.workflow.models import Task

pytestmark = pytest.mark.django_db
S = Petition.Status


@pytest.fixture(scope="module")
def _petitions_demo(_org_demo_id, module_data):
    from zhengwu.disclosure.petitions import demo

    module_data(demo.load)
    return _org_demo_id


@pytest.fixture
def gov(_petitions_demo, org_demo):
    return org_demo


_keys: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fresh_keys():
    _keys.clear()


def p(username):
    return Person.objects.get(username=username)


def bearer(username):
    if username not in _keys:
        _token, _keys[username] = api_token_create(actor=None, person=p(username), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {_keys[username]}"}


def get(client, username, path, **params):
    return client.get(f"/api/v1{path}", params, **bearer(username))


def post(client, username, path, data=None):
    return client.post(f"/api/v1{path}", data or {}, content_type="application/json", **bearer(username))


def seen(client, username) -> set[str]:
    r = get(client, username, "/petitions", limit=100)
    assert r.status_code == 200, r.content.decode()
    return {i["subject"] for i in r.json()["items"]}


def case(subject) -> Petition:
    return Petition.objects.get(subject=subject)


def test_the_demo_has_every_state(gov):
    states = set(Petition.objects.values_list("status", flat=True))
    assert {S.REGISTERED, S.ROUTED, S.OBJECTED, S.HANDLING, S.ANSWERED, S.REVIEW} <= states
    assert Petition.objects.filter(extension_status="approved").exists()
    assert Petition.objects.filter(status=S.HANDLING, overdue_flagged_on__isnull=False).exists()  # > 60 days
    assert LeaderRecord.objects.filter(kind="reception").exists() and LeaderRecord.objects.filter(kind="case").exists()
    assert {c.status for c in Consultation.objects.all()} == {"open", "published"}
    # the 待办 is a real extension waiting for the 财政局 head
    task = Task.objects.get(approval__obj_type="petitions.petition", status=Task.Status.OPEN)
    assert task.assignee.username == "czj" and case("反映拖欠工程款问题").extension_status == "pending"



def test_the_extension_step_on_the_task_page(gov, client):
    task = Task.objects.get(approval__obj_type="petitions.petition", status=Task.Status.OPEN)
    page = login(client, "czj").get(f"/tasks/{task.pk}/")
    assert page.status_code == 200 and "需审计局出具工程结算审计报告" in page.content.decode()
    assert login(client, "xhjd").get(f"/tasks/{task.pk}/").status_code in (403, 404)


def test_each_sees_what_is_theirs(gov, client):
    everything = set(Petition.objects.values_list("subject", flat=True))
    assert seen(client, "bgs-fuzhuren") == everything == seen(client, "quzhang") == seen(client, "wenshu")
    street = {s for s in everything if Petition.objects.get(subject=s).unit_id == Unit.objects.get(short_name="新华街道").pk}
    assert seen(client, "xhjd") == street
    assert seen(client, "jyj") == {"反映校外培训机构退费难"}  # it objected; nothing else is its
    assert seen(client, "fuqu3") >= {"反映土地承包经营权流转纠纷"}  # 东风乡 is in his 分工
    assert "反映棚户区改造回迁安置延期" not in seen(client, "fuqu3")
    assert seen(client, "czj") == {"请求兑现惠农补贴资金", "反映拖欠工程款问题"}
    assert seen(client, "dcz") == {"反映棚户区改造回迁安置延期"}  # the hard case only


def test_idor_a_case_of_another_unit_is_not_found(gov, client):
    other = case("反映土地承包经营权流转纠纷")  # at the 东风乡
    assert get(client, "xhjd", f"/petitions/{other.pk}").status_code == 404
    assert get(client, "dfx", f"/petitions/{other.pk}").status_code == 200
    r = post(client, "xhjd", f"/petitions/{other.pk}/answer", {"facts": "x", "basis": "x", "conclusion": "x",
                                                                 "review_right": "x"})
    assert r.status_code == 404
    assert get(client, "jyj", "/petitions/999999").status_code == 404
    # the 副区长 in charge sees it but does not act for the unit
    r = post(client, "fuqu3", f"/petitions/{other.pk}/answer", {"facts": "x", "basis": "x", "conclusion": "x",
                                                                  "review_right": "x"})
    assert r.status_code == 403
    assert Petition.objects.get(pk=other.pk).status == S.HANDLING
    # only the office routes
    fresh = case("反映小区门口占道经营问题")
    assert post(client, "xhjd", f"/petitions/{fresh.pk}/route", {"unit_id": 1, "basis": "locality"}).status_code \
        == 404
    assert client.get("/api/v1/petitions").status_code == 401


@pytest.mark.rules("R43.opinion_content")
def test_the_unit_answers_through_the_api_with_every_part(gov, client):
    c = case("反映土地承包经营权流转纠纷")
    r = post(client, "dfx", f"/petitions/{c.pk}/answer", {"facts": "经查属实", "basis": "", "conclusion": "返还土地",
                                                            "review_right": "30日内可请求复查"})
    assert r.status_code == 400 and r.json()["violations"][0]["field"] == "basis"
    assert r.json()["violations"][0]["article"] == 43
    r = post(client, "dfx", f"/petitions/{c.pk}/answer", {"facts": "经查属实", "basis": "《农村土地承包法》",
                                                            "conclusion": "返还土地", "review_right": "30日内可请求复查"})
    assert r.status_code == 200 and r.json()["status"] == "answered"
    assert post(client, "dfx", f"/petitions/{c.pk}/answer", {"facts": "x", "basis": "x", "conclusion": "x",
                                                              "review_right": "x"}).status_code == 409


@pytest.mark.rules("R42.comment_window")
def test_a_consultation_shorter_than_30_days_is_refused_through_the_api(gov, client):
    today = rules.today()
    data = {"title": "城区绿化规划", "text": "征求意见稿", "unit_id": Unit.objects.get(short_name="住建局").pk,
            "opens_on": today.isoformat(), "closes_on": (today + dt.timedelta(days=20)).isoformat()}
    r = post(client, "bgs-fuzhuren", "/consultations", data)
    assert r.status_code == 400 and r.json()["violations"][0]["article"] == 42
    assert post(client, "jyj", "/consultations", {**data, "closes_on": (today + dt.timedelta(days=40)).isoformat()}) \
        .status_code == 403
    r = post(client, "bgs-fuzhuren", "/consultations", {**data, "closes_on": (today + dt.timedelta(days=40)).isoformat()})
    assert r.status_code == 201
    assert {c["title"] for c in get(client, "jyj", "/consultations").json()} >= {"城区绿化规划"}


# ---- pages --------------------------------------------------------------------------------------

def login(client, username):
    client.force_login(p(username))
    return client


@pytest.mark.rules("W43.lights")
def test_the_office_list_shows_lights_and_the_pages_render(gov, client):
    c = login(client, "bgs-fuzhuren")
    page = c.get("/disclosure/petitions/").content.decode()
    assert "反映棚户区改造回迁安置延期" in page and "pt-red" in page and "pt-green" in page
    for p_ in Petition.objects.all():
        assert c.get(f"/disclosure/petitions/cases/{p_.pk}/").status_code == 200
    for path in ("/disclosure/petitions/leaders/", f"/disclosure/petitions/leaders/{p('fuqu2').pk}/",
                 "/disclosure/petitions/consultations/", "/disclosure/"):
        assert c.get(path).status_code == 200, path
    for cons in Consultation.objects.all():
        assert c.get(f"/disclosure/petitions/consultations/{cons.pk}/").status_code == 200
    assert "新华街道群众来访接待室" in c.get(f"/disclosure/petitions/leaders/{p('fuqu2').pk}/").content.decode()


def test_wrong_person_on_the_pages(gov, client):
    other = case("反映土地承包经营权流转纠纷")
    c = login(client, "xhjd")
    assert c.get(f"/disclosure/petitions/cases/{other.pk}/").status_code == 404
    assert c.post(f"/disclosure/petitions/cases/{other.pk}/answer/", {"facts": "x"}).status_code == 404
    fresh = case("反映小区门口占道经营问题")
    assert c.post("/disclosure/petitions/register/", {"kind": "claim"}).status_code == 403
    c = login(client, "fuqu3")
    assert c.post(f"/disclosure/petitions/cases/{other.pk}/accept/").status_code == 403
    assert Petition.objects.get(pk=fresh.pk).status == S.REGISTERED


@pytest.mark.rules("R43.objection_in_time")
def test_a_refusal_is_shown_on_the_page_with_its_article(gov, client):
    c = case("小区排水管网堵塞")  # routed to the 新华街道 3 days ago
    r = login(client, "xhjd").post(f"/disclosure/petitions/cases/{c.pk}/object/", {"reason": ""})
    assert r.status_code == 400
    assert "第四十三条" in r.content.decode() and Petition.objects.get(pk=c.pk).status == S.ROUTED
