"""Annual document plans (年度发文计划, art. 70): a plan per unit and year made through the services
with audit; a draft linked to a plan item; `in_annual_plan` derived from that link (R70.annual_plan
both ways); counts of planned and unplanned documents per unit (selector, page, API, Excel); and a
unit sees and edits only its own plan while the office sees all (IDOR, web and API)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.documents import facts, intake, issuing, plans, registers, services
from zhengwu.documents.models import Document, DocumentPlan, PlanItem
from zhengwu.errors import Forbidden, Refused
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture(scope="module")
def demo_today():
    return DAY  # the module's data is loaded as of the day its tests run on (tests/conftest.py)


def p(username):
    return Person.objects.get(username=username)


def u(short_name):
    return Unit.objects.get(short_name=short_name)


ITEM = {"title": "关于做好2026年度冬季供暖工作的通知", "kind": "通知", "quarter": 4, "month": None,
        "reason": "年度重点工作安排"}


def office_plan(**extra):
    return plans.plan_create(actor=p("wenshu"), unit=u("区政府办"), year=2026, note="区政府及办公室发文", items=[ITEM],
                             on=DAY, **extra)


def notice(*, plan_item=None, facts_=None, title="关于做好2026年度冬季供暖工作的通知", user="wenshu", unit="区政府办",
           issuing_as="office"):
    return services.document_draft(actor=p(user), unit=u(unit), direction="outgoing", kind="通知",
                                   issuing_as=issuing_as, title=title, main_recipients=["区政府各部门"], body="……",
                                   facts=facts_ or {}, plan_item=plan_item, on=DAY)


def annual_plan_findings(doc):
    return [v for v in intake.precheck(doc, on=DAY, stage="signing") if v.rule_id == "R70.annual_plan"]


# ---- R70.annual_plan: derived from the link, both ways ---------------------------------------------

@pytest.mark.rules("R70.annual_plan")
def test_a_draft_linked_to_a_plan_item_is_in_the_plan_and_one_not_linked_is_warned_citing_art_70(gov):
    plan = office_plan()
    item = plan.items.get()
    planned = notice(plan_item=item)
    assert facts.issuing(planned).in_annual_plan is True
    assert annual_plan_findings(planned) == []

    # the drafter's old flag does not make a document planned: the link alone decides
    unplanned = notice(facts_={"in_annual_plan": True}, title="关于开展临时性专项检查的通知")
    assert facts.issuing(unplanned).in_annual_plan is False
    [v] = annual_plan_findings(unplanned)
    assert (v.article, v.severity, v.field) == (70, "warn", "in_annual_plan")
    assert "年度发文计划" in v.message and v.message.endswith("（《工作规则》第七十条）")

    # linking it afterwards (through the service, audited) clears the warning; unlinking brings it back
    plans.document_plan_link(actor=p("wenshu"), document_id=unplanned.pk, item_id=item.pk, on=DAY)
    unplanned.refresh_from_db()
    assert annual_plan_findings(unplanned) == []
    plans.document_plan_link(actor=p("wenshu"), document_id=unplanned.pk, item_id=None, on=DAY)
    unplanned.refresh_from_db()
    assert [v.rule_id for v in annual_plan_findings(unplanned)] == ["R70.annual_plan"]
    assert AuditEvent.objects.filter(action="documents.document.plan_link", obj_id=str(unplanned.pk)).count() == 2


def test_a_plan_is_made_and_edited_through_the_services_with_audit(gov):
    plan = office_plan()
    assert (plan.unit.short_name, plan.year, plan.items.count()) == ("区政府办", 2026, 1)
    item = plans.plan_item_add(actor=p("bgs-zhuren"), plan_id=plan.pk, title="关于印发2027年区政府工作要点的通知",
                               kind="通知", month=12, reason="区政府全体会议部署", on=DAY)
    assert (item.quarter, item.month, item.period) == (4, 12, "12月")
    item = plans.plan_item_update(actor=p("wenshu"), item_id=item.pk, month=11, on=DAY)
    assert (item.quarter, item.month) == (4, 11)
    plans.plan_item_withdraw(actor=p("wenshu"), item_id=item.pk, reason="并入年度工作要点", on=DAY)
    item.refresh_from_db()
    assert item.withdrawn
    actions = list(AuditEvent.objects.filter(obj_type="documents.plan", obj_id=str(plan.pk))
                   .order_by("seq").values_list("action", "article"))
    assert actions == [("documents.plan.create", 70), ("documents.plan.item_add", 70),
                       ("documents.plan.item_update", 70), ("documents.plan.item_withdraw", 70)]
    with pytest.raises(Refused) as e:  # one plan per unit and year
        office_plan()
    assert (e.value.field, e.value.status) == ("year", 409)


@pytest.mark.parametrize("bad, field", [
    ({"title": ""}, "title"), ({"kind": "简报"}, "kind"), ({"quarter": None, "month": None}, "quarter"),
    ({"quarter": 5}, "quarter"), ({"month": 13}, "month"), ({"quarter": 1, "month": 7}, "month"),
    ({"reason": " "}, "reason"),
])
def test_a_bad_plan_item_is_refused_naming_the_field_and_nothing_is_written(gov, bad, field):
    plan = office_plan()
    before = (PlanItem.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Refused) as e:
        plans.plan_item_add(actor=p("wenshu"), plan_id=plan.pk, on=DAY, **{**ITEM, **bad})
    assert e.value.field == field
    with pytest.raises(Refused) as e:  # a plan made with a bad item is not made at all
        plans.plan_create(actor=p("czj"), unit=u("财政局"), year=2026, items=[ITEM, {**ITEM, **bad}], on=DAY)
    assert e.value.field == f"items[1].{field}"
    assert (PlanItem.objects.count(), AuditEvent.objects.count()) == before
    assert not DocumentPlan.objects.filter(unit=u("财政局")).exists()


def test_a_draft_links_only_to_its_own_units_plan_or_for_government_documents_the_offices(gov):
    office_item = office_plan().items.get()
    finance = plans.plan_create(actor=p("czj"), unit=u("财政局"), year=2026, items=[{**ITEM, "title": "财政局文件"}],
                                on=DAY).items.get()
    with pytest.raises(Refused) as e:  # the office's document cannot count against the 财政局's plan
        notice(plan_item=finance)
    assert e.value.field == "plan_item" and "财政局" in e.value.message
    # a 代拟 government document drafted by the 司法局 may be planned in the office's plan
    doc = notice(plan_item=office_item, user="sfj", unit="司法局", issuing_as="government", title="洮北区某某办法")
    assert doc.plan_item_id == office_item.pk
    with pytest.raises(Refused) as e:  # an incoming document is not part of a document plan
        services.document_draft(actor=p("czj"), unit=u("财政局"), direction="incoming", kind="请示", title="关于X的请示",
                                main_recipients=["区人民政府"], plan_item=finance, on=DAY)
    assert e.value.field == "plan_item"
    with pytest.raises(Refused) as e:  # an item used by a document cannot be withdrawn
        plans.plan_item_withdraw(actor=p("wenshu"), item_id=office_item.pk, reason="x", on=DAY)
    assert e.value.status == 409


def _sign(doc):
    issuing.document_send_for_signing(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    doc.refresh_from_db()
    while doc.status == "in_approval":
        t = doc.approval.tasks.filter(status="open", kind="step").order_by("id").first()
        wf.task_complete(actor=t.assignee, task_id=t.pk, opinion="同意", on=DAY)
        doc.refresh_from_db()
    services.document_number(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    return doc


def test_counts_of_planned_and_unplanned_documents_per_unit_page_api_and_excel(gov, client):
    item = office_plan().items.get()
    planned = _sign(notice(plan_item=item))
    _sign(notice(title="关于开展临时性专项检查的通知"))
    notice(title="还在拟稿的通知")  # a draft does not count yet
    plans.plan_create(actor=p("czj"), unit=u("财政局"), year=2026, items=[{**ITEM, "title": "财政局文件"}], on=DAY)

    rows = {r.unit.short_name: r for r in plans.counts(p("wenshu"), 2026, on=DAY)}
    office = rows["区政府办"]
    assert (office.items, office.items_used, office.planned, office.unplanned, office.total) == (1, 1, 1, 1, 2)
    assert (rows["财政局"].items, rows["财政局"].total) == (1, 0)
    assert plans.counts(p("wenshu"), 2025, on=DAY) == []

    client.force_login(p("wenshu"))
    page = client.get("/documents/plans/?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "区政府办公室" in text and "区财政局" in text

    xlsx = client.get("/documents/plans/?year=2026&format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert values[0][:6] == ["单位", "计划条目数", "已发文的计划条目", "计划内发文", "计划外发文（临时性发文）", "发文合计"]
    assert ["区政府办公室", 1, 1, 1, 1, 2, "50%"] in values

    # the issue register says which documents were planned, on the page and in its Excel export
    out = client.get("/documents/registers/outgoing/?format=xlsx")
    ws = load_workbook(io.BytesIO(out.content)).active
    header = [c.value for c in ws[3]]
    col = header.index("年度发文计划")
    marks = {row[1].value: row[col].value for row in ws.iter_rows(min_row=4)}
    assert marks == {planned.title: "计划内", "关于开展临时性专项检查的通知": "计划外"}
    assert registers.COLUMNS[registers.OUTGOING][-1].label == "年度发文计划"

    _token, key = api_token_create(actor=None, person=p("wenshu"), name="t")
    r = client.get("/api/v1/documents/plans/counts", {"year": 2026}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 200
    got = {row["unit"]["short_name"]: (row["planned"], row["unplanned"]) for row in r.json()["rows"]}
    assert got["区政府办"] == (1, 1)


# ---- IDOR: a unit sees and edits only its own plan; the office sees all -----------------------------

def test_a_unit_sees_and_edits_only_its_own_plan_and_the_office_sees_all_on_the_web(gov, client):
    finance = plans.plan_create(actor=p("czj"), unit=u("财政局"), year=2026, items=[ITEM], on=DAY)
    item = finance.items.get()
    client.force_login(p("jyj"))  # 教育局: not its plan
    assert client.get(f"/documents/plans/{finance.pk}/").status_code == 403
    assert client.post(f"/documents/plans/{finance.pk}/items/", {**ITEM, "month": ""}).status_code == 403
    assert client.post(f"/documents/plans/{finance.pk}/items/{item.pk}/",
                       {**ITEM, "month": "", "title": "改"}).status_code == 403
    assert "区财政局" not in client.get("/documents/plans/?year=2026").content.decode()
    assert client.get("/documents/plans/999999/").status_code == 404
    with pytest.raises(Forbidden):
        plans.plan_item_add(actor=p("jyj"), plan_id=finance.pk, on=DAY, **ITEM)

    client.force_login(p("wenshu"))  # the office sees it, but does not edit another unit's plan
    page = client.get(f"/documents/plans/{finance.pk}/")
    assert page.status_code == 200 and ITEM["title"] in page.content.decode()
    assert client.post(f"/documents/plans/{finance.pk}/items/", {**ITEM, "month": ""}).status_code == 403
    with pytest.raises(Forbidden):
        plans.plan_create(actor=p("wenshu"), unit=u("教育局"), year=2026, on=DAY)

    client.force_login(p("czj-fu"))  # the unit's own people edit it
    r = client.post(f"/documents/plans/{finance.pk}/items/", {**ITEM, "title": "关于预算执行的通知", "quarter": "",
                                                             "month": "3"})
    assert r.status_code == 302
    assert finance.items.filter(title="关于预算执行的通知", quarter=1, month=3).exists()
    assert PlanItem.objects.get(pk=item.pk).title == ITEM["title"]  # untouched by the refused edits


def test_a_unit_sees_and_edits_only_its_own_plan_and_the_office_sees_all_through_the_api(gov, client):
    keys = {}
    for name in ("czj", "jyj", "wenshu"):
        keys[name] = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=None, person=p(name), name='t')[1]}"}
    r = client.post("/api/v1/documents/plans", {"year": 2026, "items": [ITEM]}, content_type="application/json",
                    **keys["czj"])
    assert r.status_code == 201, r.content
    plan_id, item_id = r.json()["id"], r.json()["items"][0]["id"]
    assert r.json()["unit"]["short_name"] == "财政局"

    assert client.get(f"/api/v1/documents/plans/{plan_id}", **keys["jyj"]).status_code == 403
    assert client.get("/api/v1/documents/plans", {"year": 2026}, **keys["jyj"]).json() == []
    assert client.post(f"/api/v1/documents/plans/{plan_id}/items", ITEM, content_type="application/json",
                       **keys["jyj"]).status_code == 403
    assert client.patch(f"/api/v1/documents/plans/{plan_id}/items/{item_id}", {"title": "改"},
                        content_type="application/json", **keys["jyj"]).status_code == 403
    r = client.post("/api/v1/documents/plans", {"year": 2026, "unit_id": u("财政局").pk}, content_type="application/json",
                    **keys["jyj"])
    assert r.status_code == 403

    assert client.get(f"/api/v1/documents/plans/{plan_id}", **keys["wenshu"]).status_code == 200
    assert [x["unit"]["short_name"] for x in client.get("/api/v1/documents/plans", {"year": 2026},
                                                        **keys["wenshu"]).json()] == ["财政局"]
    assert client.patch(f"/api/v1/documents/plans/{plan_id}/items/{item_id}", {"title": "改"},
                        content_type="application/json", **keys["wenshu"]).status_code == 403

    r = client.patch(f"/api/v1/documents/plans/{plan_id}/items/{item_id}", {"month": 10},
                     content_type="application/json", **keys["czj"])
    assert r.status_code == 200 and (r.json()["quarter"], r.json()["month"]) == (4, 10)
    r = client.post(f"/api/v1/documents/plans/{plan_id}/items", {**ITEM, "kind": "简报"},
                    content_type="application/json", **keys["czj"])
    assert r.status_code == 400 and r.json()["field"] == "kind"
    assert PlanItem.objects.filter(plan_id=plan_id).count() == 1
