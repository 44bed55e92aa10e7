"""Batch actions (zhengwu.web.batch): 批量登记 from the intake queue and 批量传阅 from the documents list.
Each item goes through the single action's service, so a refusal is per item with its reason and the
others go on; Post/Redirect/Get (a refresh shows the result again, it does not act again)."""

import re

import pytest

from zhengwu import rules
from zhengwu.documents import intake, services
from zhengwu.documents.models import Document
from zhengwu.org.models import Person, Unit
from zhengwu.workflow.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(full_demo):
    return full_demo


def p(username):
    return Person.objects.get(username=username)


def submitted(username, unit, title):
    doc = services.document_draft(actor=p(username), unit=Unit.objects.get(short_name=unit), direction="incoming",
                                  kind="请示", title=title, main_recipients=["区人民政府"], body="特此请示。",
                                  on=rules.today())
    intake.document_submit(actor=p(username), document_id=doc.pk, on=rules.today())
    return Document.objects.get(pk=doc.pk)


def in_approval(username, unit, title):
    doc = submitted(username, unit, title)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=rules.today())
    intake.document_route(actor=p("wenshu"), document_id=doc.pk, on=rules.today())
    return Document.objects.get(pk=doc.pk)


def result(client, response):
    assert response.status_code == 302
    assert re.fullmatch(r"/batch/[0-9a-f]+/", response["Location"])
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    done = html.split('class="b-done"', 1)[1].split("</ul>", 1)[0] if 'class="b-done"' in html else ""
    refused = html.split('class="b-refused"', 1)[1].split("</ul>", 1)[0] if 'class="b-refused"' in html else ""
    return html, done, refused


def test_batch_register_each_through_the_service(client, gov):
    a = submitted("dfx", "东风乡", "关于东风乡批量登记甲的请示")
    b = submitted("xhjd", "新华街道", "关于新华街道批量登记乙的请示")
    already = submitted("jyj", "教育局", "关于教育局已登记件的请示")
    intake.document_register(actor=p("wenshu"), document_id=already.pk, on=rules.today())
    client.force_login(p("wenshu"))
    html = client.get("/documents/intake/").content.decode()
    assert 'form="batch-register"' in html and f'value="{a.pk}" form="batch-register"' in html
    r = client.post("/documents/intake/batch-register/", {"doc": [a.pk, b.pk, already.pk]})
    html, done, refused = result(client, r)
    assert a.title in done and b.title in done
    assert already.title in refused and "不能登记" in refused
    for d in (a, b):
        fresh = Document.objects.get(pk=d.pk)
        assert fresh.status == "registered" and fresh.intake_number
        assert fresh.intake_number in done
    # a refresh of the result page shows it again and registers nothing more
    again = client.get(r["Location"]).content.decode()
    assert again.count(a.title) == html.count(a.title)


def test_batch_register_by_a_wrong_person_is_refused_per_item(client, gov):
    a = submitted("dfx", "东风乡", "关于东风乡批量登记丙的请示")
    b = submitted("jyj", "教育局", "关于教育局批量登记丁的请示")
    client.force_login(p("jyj"))  # a unit head, not the office
    r = client.post("/documents/intake/batch-register/", {"doc": [a.pk, b.pk]})
    _html, done, refused = result(client, r)
    assert not done
    assert refused.count("<li>") == 2
    assert a.title not in refused  # a document he may not see is named by number only
    assert b.title in refused
    assert set(Document.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {"submitted"}


@pytest.mark.parametrize("data,field", [({}, "请至少选择"), ({"doc": ["x"]}, "整数")])
def test_batch_register_bad_input(client, gov, data, field):
    client.force_login(p("wenshu"))
    r = client.post("/documents/intake/batch-register/", data, follow=True)
    assert r.status_code == 200 and field in r.content.decode()


def test_batch_circulate_per_item(client, gov):
    a = in_approval("jyj", "教育局", "关于教育局批量传阅戊的请示")
    b = in_approval("dfx", "东风乡", "关于东风乡批量传阅己的请示")
    waiting = submitted("xhjd", "新华街道", "关于新华街道批量传阅未呈批的请示")  # no approval yet
    client.force_login(p("bgs-zhuren"))
    html = client.get("/documents/").content.decode()
    assert 'id="batch-circulate"' in html and f'name="doc" value="{a.pk}"' in html
    assert f'name="doc" value="{waiting.pk}"' not in html  # nothing to circulate: no checkbox
    r = client.post("/documents/batch/circulate/", {"doc": [a.pk, b.pk, waiting.pk], "people": [p("fuqu2").pk],
                                                     "note": "请阅知"})
    _html, done, refused = result(client, r)
    assert a.title in done and b.title in done and waiting.title in refused
    for d in (a, b):
        assert Task.objects.filter(approval_id=d.approval_id, kind="circulation", note="请阅知",
                                   assignee=p("fuqu2")).count() == 1


def test_batch_circulate_by_a_wrong_person_is_refused_per_item(client, gov):
    own = in_approval("jyj", "教育局", "关于教育局批量传阅庚的请示")
    other = in_approval("dfx", "东风乡", "关于东风乡批量传阅辛的请示")
    client.force_login(p("jyj"))  # sees his unit's document, not its approval; not the other unit's at all
    r = client.post("/documents/batch/circulate/", {"doc": [own.pk, other.pk], "people": [p("fuqu2").pk],
                                                     "note": "请阅知"})
    _html, done, refused = result(client, r)
    assert not done
    assert own.title in refused and other.title not in refused and f"公文{other.pk}" in refused
    assert "无权" in refused
    assert not Task.objects.filter(approval_id__in=[own.approval_id, other.approval_id], kind="circulation").exists()


def test_batch_circulate_to_an_administrator_is_refused_for_every_item(client, gov):
    a = in_approval("dfx", "东风乡", "关于东风乡批量传阅壬的请示")
    b = in_approval("xhjd", "新华街道", "关于新华街道批量传阅癸的请示")
    client.force_login(p("bgs-zhuren"))
    r = client.post("/documents/batch/circulate/", {"doc": [a.pk, b.pk], "people": [p("sysadmin").pk], "note": "阅"})
    _html, done, refused = result(client, r)
    assert not done and a.title in refused and b.title in refused
    assert not Task.objects.filter(approval_id__in=[a.approval_id, b.approval_id], kind="circulation").exists()


@pytest.mark.parametrize("data,text", [({"people": [], "note": "阅"}, "传阅"), ({"note": ""}, "传阅"),
                                       ({"people": ["abc"], "note": "阅"}, "abc")])
def test_batch_circulate_bad_input_names_the_problem(client, gov, data, text):
    a = Document.objects.filter(government=gov, approval__isnull=False).first()
    client.force_login(p("bgs-zhuren"))
    data = {"doc": [a.pk], "people": [p("fuqu1").pk], **data}
    r = client.post("/documents/batch/circulate/", data, follow=True)
    assert r.status_code == 200 and text in r.content.decode()


def test_result_page_of_someone_else_is_not_found(client, gov):
    client.force_login(p("wenshu"))
    assert client.get("/batch/0123456789abcdef/").status_code == 404
