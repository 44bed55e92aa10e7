"""依申请公开 and 舆情 pages: the office's list with its lights, the unit concerned seeing its own
request without the applicant's contact, others refused; refusals shown with their article; the
extension's task page for the office director only; the 舆情 register with a late response."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.disclosure.requests import services
from zhengwu.disclosure.requests.models import InfoRequest
from zhengwu.workflow.models import Task

from test_info_requests_services import MONDAY, cal, new_event, new_request, p

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: LATER)


LATER = dt.date(2026, 10, 14)  # the 18th working day after MONDAY: two before the answer is due


@pytest.fixture
def gov(org_demo):
    return org_demo


def login(client, username):
    client.force_login(p(username))
    return client


def test_the_office_list_shows_lights_and_filters_overdue(client, gov):
    assert cal().add_workdays(MONDAY, 18) == LATER
    soon = new_request()  # due two working days after LATER: yellow
    late = new_request(received_on=MONDAY - dt.timedelta(days=14), submitted_on=MONDAY - dt.timedelta(days=14),
                       on=MONDAY - dt.timedelta(days=14))
    fresh = new_request(received_on=LATER, submitted_on=LATER, on=LATER)
    paused = new_request(on=LATER)
    services.consultation_start(actor=p("wenshu"), request_id=paused.pk, party="某公司", text="征求意见", on=LATER)
    page = login(client, "bgs-fuzhuren").get("/disclosure/requests/")
    text = page.content.decode()
    assert page.status_code == 200 and "<h1>依申请公开</h1>" in text
    assert text.count("ir-light l-red") == 1 and text.count("ir-light l-yellow") == 1
    assert text.count("ir-light l-green") == 1 and text.count("ir-light l-paused") == 1
    only = client.get("/disclosure/requests/?overdue=1").content.decode()
    assert f"/disclosure/requests/{late.pk}/" in only and f"/disclosure/requests/{soon.pk}/" not in only
    assert f"/disclosure/requests/{fresh.pk}/" not in only
    index = client.get("/disclosure/").content.decode()
    assert "/disclosure/requests/" in index and "/disclosure/requests/opinion/" in index


def test_the_unit_sees_its_request_without_the_contact_and_others_are_refused(client, gov):
    item = new_request(on=LATER)
    page = login(client, "czj").get(f"/disclosure/requests/{item.pk}/").content.decode()
    assert item.content in page and "13900000000" not in page and 'action="/disclosure/requests/' not in page
    assert "13900000000" in login(client, "wenshu").get(f"/disclosure/requests/{item.pk}/").content.decode()
    for who in ("jyj", "quzhang"):
        assert login(client, who).get(f"/disclosure/requests/{item.pk}/").status_code == 403
        assert f"/disclosure/requests/{item.pk}/" not in client.get("/disclosure/requests/").content.decode()
    r = login(client, "czj").post(f"/disclosure/requests/{item.pk}/answer/",
                                  {"answer_type": "disclosed", "text": "提供"})
    assert r.status_code == 403 and InfoRequest.objects.get(pk=item.pk).status == "received"
    assert login(client, "wenshu").get("/disclosure/requests/999999/").status_code == 404


def test_refusals_show_their_article_and_the_answer_is_saved(client, gov):
    item = new_request(on=LATER)
    c = login(client, "wenshu")
    r = c.post(f"/disclosure/requests/{item.pk}/answer/", {"answer_type": "refused", "text": "不予公开"})
    text = r.content.decode()
    assert r.status_code == 400 and "第三十三条" in text and "第十四条" in text
    r = c.post(f"/disclosure/requests/{item.pk}/answer/",
               {"answer_type": "disclosed", "text": "提供招标文件", "partial": "1", "basis": "art15",
                "withheld_reason": "投标报价属商业秘密"})
    assert r.status_code == 302
    page = c.get(f"/disclosure/requests/{item.pk}/").content.decode()
    assert "部分公开" in page and "ir-light l-done" in page


@pytest.mark.rules("info_request.extension")
def test_the_extension_task_page_is_the_directors(client, gov):
    item = new_request(on=LATER)
    r = login(client, "wenshu").post(f"/disclosure/requests/{item.pk}/extend/", {"reason": "需汇总材料"})
    assert r.status_code == 302
    task = Task.objects.get(approval__obj_type=services.OBJ, approval__obj_id=str(item.pk), status="open")
    assert client.post(f"/tasks/{task.pk}/", {"op": "complete", "decision": "同意"}).status_code in (403, 404)
    page = login(client, "bgs-zhuren").get(f"/tasks/{task.pk}/")
    assert page.status_code == 200 and "需汇总材料" in page.content.decode()
    r = client.post(f"/tasks/{task.pk}/", {"op": "complete", "decision": "同意", "opinion": "同意"})
    assert r.status_code in (200, 302)
    assert InfoRequest.objects.get(pk=item.pk).extended


def test_the_opinion_register_flags_a_late_response(client, gov):
    event = new_event(services.clock_now() - dt.timedelta(hours=50))
    page = login(client, "bgs-fuzhuren").get("/disclosure/requests/opinion/").content.decode()
    assert event.title in page and "ir-light l-red" in page
    detail = login(client, "dfx").get(f"/disclosure/requests/opinion/{event.pk}/").content.decode()
    assert "48小时" in detail and "第三十六条" in detail and "登记回应" in detail
    assert login(client, "jyj").get(f"/disclosure/requests/opinion/{event.pk}/").status_code == 403
    r = login(client, "dfx").post(f"/disclosure/requests/opinion/{event.pk}/respond/",
                                  {"kind": "response", "channel": "政府网站", "text": "已回应"})
    assert r.status_code == 302
    assert "ir-light l-late" in client.get(f"/disclosure/requests/opinion/{event.pk}/").content.decode()
