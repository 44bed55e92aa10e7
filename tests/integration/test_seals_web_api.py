"""印信 through the web and `/api/v1/seals/…`, `/api/v1/letters/…` on the demo (org demo + the seals
demo): pages, the 用印登记簿 and its Excel export, IDOR (a unit that may not see an object gets
403/404), the wrong person at every door (web task page, API, engine), and refusals citing their
articles."""

from io import BytesIO

import pytest

from zhengwu.api.services import api_token_create
from zhengwu.errors import Forbidden
from zhengwu.org.models import Person, Unit
from zhengwu.seals.models import Letter, Seal, SealCard, SealTakeOut
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task

pytestmark = pytest.mark.django_db
C = SealCard.Status


@pytest.fixture(scope="module")
def _seals_demo(_org_demo_id, module_data):
    from zhengwu.seals import demo

    return module_data(demo.load)


@pytest.fixture
def gov(org_demo, _seals_demo):
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


def api_get(client, username, path):
    return client.get(f"/api/v1{path}", **bearer(username))


def api_post(client, username, path, data=None):
    return client.post(f"/api/v1{path}", data or {}, content_type="application/json", **bearer(username))


def web(client, username):
    client.force_login(p(username))
    return client


def waiting_for(username, obj_type="seals.card"):
    return Task.objects.filter(status=Task.Status.OPEN, kind=Task.Kind.STEP, approval__obj_type=obj_type,
                               assignee=p(username)).select_related("approval").order_by("id")


def test_pages_render_for_the_office_and_the_log_exports(gov, client):
    c = web(client, "bgs-zhuren")
    page = c.get("/seals/").content.decode()
    assert "白城市洮北区人民政府" in page and "白城市洮北区财政局" in page and "刘某" in page
    assert "印章登记簿" in page and "填写用印审批单" in page  # the app's own catalogue
    stamped = SealCard.objects.filter(status=C.STAMPED).first()
    for url in ("/seals/log/", f"/seals/cards/{stamped.pk}/", f"/seals/{stamped.seal_id}/",
                f"/seals/take-outs/{SealTakeOut.objects.first().pk}/", f"/seals/letters/{Letter.objects.first().pk}/"):
        assert c.get(url).status_code == 200, url
    x = c.get("/seals/log.xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(x.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == [stamped.content] and rows[0][4] == stamped.copies


def test_a_unit_that_may_not_see_gets_403_on_the_web_and_the_api(gov, client):
    card = SealCard.objects.filter(seal__kind=Seal.Kind.GOVERNMENT, unit__short_name="财政局").first()
    letter = Letter.objects.first()
    take_out = SealTakeOut.objects.first()
    dept_seal = Seal.objects.get(kind=Seal.Kind.DEPARTMENT)
    c = web(client, "jyj")  # the 教育局: none of these is its
    assert card.content not in c.get("/seals/").content.decode()
    for url in (f"/seals/cards/{card.pk}/", f"/seals/letters/{letter.pk}/", f"/seals/take-outs/{take_out.pk}/",
                f"/seals/{dept_seal.pk}/"):
        assert c.get(url).status_code == 403, url
    assert c.get("/seals/cards/999999/").status_code == 404
    for path in (f"/seals/cards/{card.pk}", f"/letters/{letter.pk}", f"/seals/take-outs/{take_out.pk}",
                 f"/seals/{dept_seal.pk}"):
        assert api_get(client, "jyj", path).status_code == 403, path
    assert api_get(client, "jyj", "/seals/cards/999999").status_code == 404
    assert api_get(client, "jyj", "/seals/cards").json()["count"] == 0
    assert api_get(client, "jyj", "/letters").json() == []
    assert {s["kind"] for s in api_get(client, "jyj", "/seals").json()} == {"government"}  # the 区政府公章 only
    # the 财政局 sees its own; the office everything
    assert api_get(client, "czj-fu", f"/seals/cards/{card.pk}").status_code == 200
    assert api_get(client, "bgs-zhuren", "/seals/cards").json()["count"] == SealCard.objects.count()


@pytest.mark.rules("seal.government")
def test_the_wrong_person_is_refused_at_every_door_and_the_right_one_signs(gov, client, capsys):
    task = waiting_for("changwu").first()  # the 分管副区长's step of a 区政府公章 card
    card = SealCard.objects.get(pk=int(task.approval.obj_id))
    body = {"op": "complete", "decision": "同意", "opinion": "同意"}
    assert web(client, "quzhang").post(f"/tasks/{task.pk}/", body).status_code in (403, 404)
    r = api_post(client, "quzhang", f"/tasks/{task.pk}/complete", {"decision": "同意"})
    assert r.status_code == 403 and r.json()["violations"][0]["article"] == 83
    with pytest.raises(Forbidden):
        wf.task_complete(actor=p("fuqu1"), task_id=task.pk, decision="同意")
    from zhengwu.cli import main

    assert main(["task", "complete", str(task.pk), "--as", "quzhang", "--decision", "同意"]) == 2
    assert "（《工作规则》第八十三条）" in capsys.readouterr().err
    assert Task.objects.get(pk=task.pk).status == Task.Status.OPEN
    # the card cannot be stamped around the chain either
    r = api_post(client, "wenshu", f"/seals/cards/{card.pk}/stamp")
    assert r.status_code == 400 and any(v["rule_id"] == "R83.approval_chain" and v["article"] == 83
                                        for v in r.json()["violations"])
    assert api_post(client, "changwu", f"/tasks/{task.pk}/complete", {"decision": "同意"}).status_code == 200
    head = Task.objects.get(approval=task.approval, status=Task.Status.OPEN)
    assert head.assignee == p("quzhang")
    assert web(client, "quzhang").post(f"/tasks/{head.pk}/", body).status_code == 302
    assert SealCard.objects.get(pk=card.pk).status == C.APPROVED


def test_stamping_through_the_web_by_the_custodian_only(gov, client):
    card = SealCard.objects.get(status=C.APPROVED)
    r = web(client, "bgs-fuzhuren").post(f"/seals/cards/{card.pk}/stamp/")
    assert r.status_code == 400 and "不准委托他人代管" in r.content.decode()
    assert web(client, "wenshu").post(f"/seals/cards/{card.pk}/stamp/").status_code == 302
    assert SealCard.objects.get(pk=card.pk).status == C.STAMPED
    r = web(client, "wenshu").post(f"/seals/cards/{card.pk}/stamp/")
    assert r.status_code == 409
    assert card.content in web(client, "bgs-zhuren").get("/seals/log/").content.decode()


@pytest.mark.rules("R83.card_fields", "seal.government")
def test_a_card_without_copies_is_refused_on_the_web_and_the_api_art_83(gov, client):
    seal = Seal.objects.get(kind=Seal.Kind.GOVERNMENT)
    fgj = Unit.objects.get(short_name="发改局")
    form = {"seal_id": seal.pk, "unit_id": fgj.pk, "use_date": "2026-12-01", "content": "发改局情况说明",
            "user_id": p("fgj").pk}
    before = SealCard.objects.count()
    r = web(client, "fgj").post("/seals/cards/new/", {**form, "copies": ""})
    assert r.status_code == 400 and "第八十三条" in r.content.decode()
    r = api_post(client, "fgj", "/seals/cards", {**form, "copies": None})
    assert r.status_code == 400 and r.json()["violations"][0]["rule_id"] == "R83.card_fields"
    assert r.json()["violations"][0]["field"] == "copies" and r.json()["violations"][0]["article"] == 83
    assert SealCard.objects.count() == before
    r = api_post(client, "fgj", "/seals/cards", {**form, "copies": 3})
    assert r.status_code == 201 and r.json()["status"] == "pending"
    assert waiting_for("fgj").filter(approval__obj_id=str(r.json()["id"])).exists()  # its 局长 first
    r = web(client, "fgj").post("/seals/cards/new/", {**form, "copies": "1"})
    assert r.status_code == 302


@pytest.mark.rules("R83.take_out", "seal.take_out")
def test_a_seal_taken_out_through_the_api_art_83(gov, client):
    seal = Seal.objects.get(kind=Seal.Kind.DEPARTMENT)
    r = api_post(client, "czj-fu", "/seals/take-outs", {"seal_id": seal.pk, "purpose": "赴银行", "user_id": p("czj-ke").pk})
    assert r.status_code == 400 and r.json()["violations"][0]["article"] == 83  # the custodian alone
    r = api_post(client, "czj-fu", "/seals/take-outs", {"seal_id": seal.pk, "purpose": "赴银行办理预留印鉴",
                                                        "user_id": p("czj-fu").pk})
    assert r.status_code == 201
    t = r.json()["id"]
    r = api_post(client, "czj-ke", f"/seals/take-outs/{t}/check-out")
    assert r.status_code == 400 and r.json()["violations"][0]["field"] == "approval"
    assert api_get(client, "jyj", f"/seals/take-outs/{t}").status_code == 403
    task = waiting_for("bgs-zhuren", "seals.take_out").get(approval_id=SealTakeOut.objects.get(pk=t).approval_id)
    assert api_post(client, "bgs-zhuren", f"/tasks/{task.pk}/complete", {"decision": "同意"}).status_code == 200
    r = api_post(client, "czj-ke", f"/seals/take-outs/{t}/check-out")
    assert r.status_code == 200 and r.json()["status"] == "out"
    assert api_post(client, "czj-fu", f"/seals/take-outs/{t}/return").json()["status"] == "back"


@pytest.mark.rules("R84.blank", "letter.blank", "R84.serving_staff")
def test_letters_through_the_api_art_84(gov, client):
    book = api_get(client, "czj-ke", "/letters/books").json()[0]
    r = api_post(client, "czj-ke", "/letters", {"book_id": book["id"], "blank": True, "reason": "临行前确定",
                                                "valid_until": "2099-01-01", "bearer_id": p("czj-fu").pk})
    assert r.status_code == 201 and r.json()["route_id"] == "letter.blank"
    lid = r.json()["id"]
    Letter.objects.filter(pk=lid).update(status="approved", approved_steps=["deputy_approve"])
    r = api_post(client, "czj-ke", f"/letters/{lid}/issue")
    assert r.status_code == 400 and r.json()["violations"][0]["rule_id"] == "R84.blank"
    assert r.json()["violations"][0]["article"] == 84
    retired = Letter.objects.get(route_id="letter.non_staff")
    Letter.objects.filter(pk=retired.pk).update(status="approved", approved_steps=["deputy_approve"])
    r = api_post(client, "czj-ke", f"/letters/{retired.pk}/issue")
    assert r.status_code == 400 and r.json()["violations"][0]["rule_id"] == "R84.serving_staff"
    assert api_post(client, "jyj", f"/letters/{retired.pk}/issue").status_code == 403
    issued = Letter.objects.filter(status="issued").first()
    r = api_post(client, "czj-ke", f"/letters/{issued.pk}/return", {"note": "未使用"})
    assert r.status_code == 200 and r.json()["status"] == "returned_unused"


def test_every_seals_todo_opens_on_the_task_page_with_its_object(gov, client):
    tasks = Task.objects.filter(status=Task.Status.OPEN, kind=Task.Kind.STEP, approval__obj_type__startswith="seals.")
    assert {t.approval.obj_type for t in tasks} == {"seals.card", "seals.take_out", "seals.letter"}
    for task in tasks.select_related("assignee", "approval"):
        page = web(client, task.assignee.username).get(f"/tasks/{task.pk}/")
        assert page.status_code == 200, task
        assert "object-fragment task-seal-" in page.content.decode()
    home = web(client, "changwu").get("/").content.decode()
    assert "白城市洮北区人民政府公章使用审批卡" in home
