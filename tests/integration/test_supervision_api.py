"""`/api/v1/supervision/`: list, detail, create and actions on the full demo, with IDOR tests (a unit
sees only its items, the 区长 all, a 副区长 his portfolio) and the rules refused with their articles."""

import pytest

from zhengwu.api.services import api_token_create
from zhengwu.org.models import Person, Unit
from zhengwu.supervision.models import SupervisionItem

pytestmark = pytest.mark.django_db
S = SupervisionItem.Status


@pytest.fixture
def gov(full_demo):
    return full_demo


_keys: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fresh_keys():
    _keys.clear()


def p(username):
    return Person.objects.get(username=username)


def u(short):
    return Unit.objects.get(short_name=short)


def bearer(username):
    if username not in _keys:
        _token, _keys[username] = api_token_create(actor=None, person=p(username), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {_keys[username]}"}


def get(client, username, path, **params):
    return client.get(f"/api/v1/supervision{path}", params, **bearer(username))


def post(client, username, path, data=None):
    return client.post(f"/api/v1/supervision{path}", data or {}, content_type="application/json", **bearer(username))


def ids(client, username, **params):
    r = get(client, username, "/items", limit=100, **params)
    assert r.status_code == 200, r.content.decode()
    return {i["title"] for i in r.json()["items"]}


def test_each_sees_what_is_theirs(gov, client):
    everything = set(SupervisionItem.objects.values_list("title", flat=True))
    assert ids(client, "quzhang") == everything == ids(client, "dcz")
    jyj = ids(client, "jyj")
    canteen = "落实区审计局审计发现“学校食堂经费管理不规范”问题整改"
    assert jyj == {"关于组织开展中小学生研学实践活动的请示", canteen}  # 教育局 leads these (the draft is not yet its)
    fuqu2 = ids(client, "fuqu2")  # 赵丁: 教育局, 卫健局, 新华街道, 铁东街道
    assert fuqu2 == {"关于组织开展中小学生研学实践活动的请示", "落实市政府关于老旧小区改造的督查要求", canteen}
    assert ids(client, "fuqu1") == set()
    assert ids(client, "czj") >= {"关于2027年城区供热价格调整方案的议题"}  # a co-unit sees it too
    listed = ids(client, "dcz", light="listed")
    assert listed == {"关于组织开展中小学生研学实践活动的请示"}


def test_detail_and_actions_are_refused_to_others_idor(gov, client):
    item = SupervisionItem.objects.get(title="关于组织开展中小学生研学实践活动的请示")
    assert get(client, "jyj", f"/items/{item.pk}").json()["listed"] is True
    for who in ("fgj", "fuqu1", "dfx"):
        r = get(client, who, f"/items/{item.pk}")
        assert r.status_code == 403 and set(r.json()) == {"message", "violations", "field"}
        assert post(client, who, f"/items/{item.pk}/report", {"text": "篡改"}).status_code == 403
    assert post(client, "fuqu2", f"/items/{item.pk}/report", {"text": "x"}).status_code == 403  # reads only
    assert get(client, "jyj", "/items/999999").status_code == 404
    r = post(client, "jyj", f"/items/{item.pk}/report", {"text": "已制定安全预案", "evidence": "预案文本"})
    assert r.status_code == 200 and r.json()["status"] == S.IN_PROGRESS
    r = post(client, "jyj", f"/items/{item.pk}/extension", {"new_due_on": "2027-03-01", "reason": "补充"})
    assert r.status_code == 400 and r.json()["violations"][0]["article"] == 50
    assert post(client, "jyj", f"/items/{item.pk}/close").status_code in (400, 403)
    assert post(client, "jyj", f"/items/{item.pk}/frobnicate").status_code == 422
    assert post(client, "jyj", f"/items/{item.pk}/report", {"text": "x", "bogus": 1}).status_code == 422


@pytest.mark.rules("R48.one_lead")
def test_create_refuses_two_leads_and_non_center_through_the_api(gov, client):
    data = {"title": "推进城区停车场建设", "basis": "区长办公会议议定", "source": "meeting_decision",
            "lead_unit_ids": [u("财政局").pk, u("发改局").pk], "co_unit_ids": []}
    r = post(client, "dcz", "/items", data)
    assert r.status_code == 400
    assert [(v["rule_id"], v["article"]) for v in r.json()["violations"]] == [("R48.one_lead", 48)]
    assert post(client, "czj", "/items", {**data, "lead_unit_ids": [u("财政局").pk]}).status_code == 403
    r = post(client, "dcz", "/items", {**data, "lead_unit_ids": [u("财政局").pk], "co_unit_ids": [u("发改局").pk]})
    assert r.status_code == 201, r.content.decode()
    body = r.json()
    assert body["status"] == "draft" and [x["role"] for x in body["units"]] == ["co", "lead"] or body["units"]
    assert post(client, "dcz", f"/items/{body['id']}/assign").json()["status"] == S.ASSIGNED
    assert post(client, "fgj", f"/items/{body['id']}/sign").status_code == 403  # the co-unit
    assert post(client, "czj", f"/items/{body['id']}/sign").json()["status"] == S.SIGNED


def test_extension_decided_by_the_center_only(gov, client):
    item = SupervisionItem.objects.get(title="落实市政府关于老旧小区改造的督查要求")
    ext = item.extensions.get()
    assert post(client, "xhjd", f"/extensions/{ext.pk}/decide", {"approve": True}).status_code == 403
    r = post(client, "dcz", f"/extensions/{ext.pk}/decide", {"approve": True})
    assert r.status_code == 200 and r.json()["due_on"] == ext.new_due_on.isoformat()
    assert post(client, "dcz", f"/extensions/{ext.pk}/decide", {"approve": True}).status_code == 409


@pytest.mark.rules("R40.rectification_report")
def test_an_audit_finding_closes_only_after_the_rectification_report_api_and_web_art_40(gov, client):
    data = {"title": "整改区级预算执行审计发现的问题", "basis": "区审计局审计报告指出的问题", "source": "audit_finding",
            "lead_unit_ids": [u("财政局").pk], "co_unit_ids": []}
    r = post(client, "dcz", "/items", data)
    assert r.status_code == 201, r.content.decode()
    i = r.json()["id"]
    post(client, "dcz", f"/items/{i}/assign")
    post(client, "czj", f"/items/{i}/sign")
    assert post(client, "czj", f"/items/{i}/closure", {"text": "已整改"}).status_code == 200
    assert post(client, "dcz", f"/items/{i}/verify", {"passed": True, "note": "属实"}).json()["status"] == S.VERIFIED
    r = post(client, "dcz", f"/items/{i}/close")
    assert r.status_code == 400
    assert [(v["rule_id"], v["article"]) for v in r.json()["violations"]] == [("R40.rectification_report", 40)]
    assert post(client, "fgj", f"/items/{i}/rectification-report", {"text": "x"}).status_code in (403, 404)
    r = post(client, "czj", f"/items/{i}/rectification-report", {"text": ""})
    assert r.status_code == 400 and r.json()["field"] == "text"
    client.force_login(p("czj"))
    page = client.get(f"/supervision/{i}/").content.decode()
    assert f"/supervision/{i}/rectification-report/" in page and "向区政府报送整改报告" in page
    r = client.post(f"/supervision/{i}/rectification-report/", {"text": "问题已整改到位", "evidence": "整改台账"})
    assert r.status_code == 302
    body = get(client, "czj", f"/items/{i}").json()
    assert [x["kind"] for x in body["reports"]] == ["completion", "rectify"]
    assert post(client, "dcz", f"/items/{i}/close").json()["status"] == S.CLOSED


@pytest.mark.rules("R50.review")
def test_a_review_asked_and_decided_through_the_api_and_the_item_page(gov, client):
    data = {"title": "推进老旧小区改造", "basis": "区长批示", "source": "higher_instruction",
            "lead_unit_ids": [u("财政局").pk], "co_unit_ids": []}
    i = post(client, "dcz", "/items", data).json()["id"]
    post(client, "dcz", f"/items/{i}/assign")
    post(client, "czj", f"/items/{i}/sign")
    post(client, "czj", f"/items/{i}/closure", {"text": "已完成"})
    assert post(client, "dcz", f"/items/{i}/verify", {"passed": False, "note": "未完成"}).json()["status"] == S.IN_PROGRESS
    assert post(client, "czj", f"/items/{i}/review", {"reason": ""}).json()["field"] == "reason"
    client.force_login(p("czj"))
    page = client.get(f"/supervision/{i}/").content.decode()
    assert f"/supervision/{i}/review/" in page
    assert client.post(f"/supervision/{i}/review/", {"reason": "已全部完成，附验收单"}).status_code == 302
    review = SupervisionItem.objects.get(pk=i).reviews.get()
    r = post(client, "dcz", f"/reviews/{review.pk}/decide", {"overturn": True, "note": "同意"})
    assert r.status_code == 400 and r.json()["violations"][0]["rule_id"] == "R50.review"  # dcz concluded
    assert post(client, "czj", f"/reviews/{review.pk}/decide", {"overturn": True, "note": "x"}).status_code == 403
    client.force_login(p("changwu"))
    page = client.get(f"/supervision/{i}/").content.decode()
    assert f"/supervision/{i}/reviews/{review.pk}/decide/" in page
    r = client.post(f"/supervision/{i}/reviews/{review.pk}/decide/", {"overturn": "1", "note": "验收单属实"})
    assert r.status_code == 302
    assert get(client, "czj", f"/items/{i}").json()["status"] == S.VERIFIED
