"""The 收文登记簿 and 发文登记簿: which documents they list (registered / numbered, and only those the
person may see), their filters, paging, a query count that does not grow with the rows, and the
.xlsx ledger of exactly the filtered rows."""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from zhengwu import rules
from zhengwu.documents import intake, issuing, registers, services
from zhengwu.documents.models import Document
from zhengwu.errors import Refused
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday: documents are submitted and registered
TODAY = dt.date(2026, 11, 20)  # the day the registers are looked at
INCOMING_URL = "/documents/registers/incoming/"
OUTGOING_URL = "/documents/registers/outgoing/"

DROUGHT = "关于东风乡抗旱应急水源工程资金的请示"
ROADS = "关于东风乡村道维修资金的请示"
LATE = "关于东风乡秋季防火物资的请示"
SCHOOL = "关于第三小学新建教学楼项目立项的请示"
WAITING = "关于东风乡文化广场建设的请示"  # submitted, not registered
DRAFT = "关于东风乡村部修缮的请示"  # a draft
DUTY = "关于做好元旦春节期间值班工作的通知"
PRIVATE = "关于调整区政府领导分工的通知"
UNSIGNED = "关于开展安全生产大检查的通知"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: TODAY)
    return TODAY


def p(username):
    return Person.objects.get(username=username)


def u(short_name):
    return Unit.objects.get(short_name=short_name)


def request(username, unit, title, *, kind="请示", urgency="一般", needed_by="2026-11-20", **extra):
    return services.document_draft(actor=p(username), unit=u(unit), direction="incoming", kind=kind, title=title,
                                   main_recipients=["区人民政府"], urgency=urgency, body="……特此请示。",
                                   facts={"decision_needed_by": needed_by}, on=DAY, **extra)


def submit_and_register(doc, username, on=DAY):
    intake.document_submit(actor=p(username), document_id=doc.pk, on=on)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=on)


def complete_all(doc, on):
    doc.refresh_from_db()
    while doc.status == "in_approval":
        for t in doc.approval.tasks.filter(status="open", kind="step").select_related("assignee"):
            wf.task_complete(actor=t.assignee, task_id=t.pk, opinion="同意", on=on)
        doc.refresh_from_db()


def office_notice(title, *, sign=True, issue=False, **extra):
    doc = services.document_draft(actor=p("wenshu"), unit=u("区政府办"), direction="outgoing", kind="通知",
                                  issuing_as="office", title=title, main_recipients=["区政府各部门"], body="……",
                                  facts={"in_annual_plan": True}, on=DAY, **extra)
    if sign:
        issuing.document_send_for_signing(actor=p("wenshu"), document_id=doc.pk, on=DAY)
        complete_all(doc, DAY)
        services.document_number(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    if issue:
        issuing.document_issue(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    doc.refresh_from_db()
    return doc


def make_ledger():
    """收文: 1 in approval and past its limit, 2 answered in time, 3 answered late, 4 registered
    (教育局), plus one submitted and one draft; 发文: one signed and numbered, one issued and not
    disclosed, one draft."""
    demo.load()
    drought = request("dfx", "东风乡", DROUGHT, urgency="加急", needed_by="2026-11-10")
    submit_and_register(drought, "dfx")
    intake.document_route(actor=p("wenshu"), document_id=drought.pk, on=DAY)  # limit 2026-11-11
    roads = request("dfx", "东风乡", ROADS)
    submit_and_register(roads, "dfx")
    intake.document_route(actor=p("wenshu"), document_id=roads.pk, on=DAY)
    complete_all(roads, DAY)  # answered the same day
    late = request("dfx", "东风乡", LATE, kind="请示")
    submit_and_register(late, "dfx")
    intake.document_route(actor=p("wenshu"), document_id=late.pk, on=DAY)
    complete_all(late, dt.date(2026, 11, 30))  # answered after its limit
    school = request("jyj", "教育局", SCHOOL, needed_by="2026-11-25")
    submit_and_register(school, "jyj")
    waiting = request("dfx", "东风乡", WAITING)
    intake.document_submit(actor=p("dfx"), document_id=waiting.pk, on=DAY)
    request("dfx", "东风乡", DRAFT)
    office_notice(DUTY)
    office_notice(PRIVATE, issue=True, public=False, non_disclosure_reason="内部事务")
    office_notice(UNSIGNED, sign=False)
    return {d.title: d for d in Document.objects.all()}


@pytest.fixture(scope="module")
def demo_today():
    return TODAY  # the ledger is loaded once for the module, as of TODAY (tests/conftest.py)


@pytest.fixture(scope="module")
def ledger_loaded(module_data):
    module_data(make_ledger)


@pytest.fixture
def ledger(ledger_loaded, db):
    """The ledger of `make_ledger`, loaded once for the module; each test in a savepoint on top."""
    return {d.title: d for d in Document.objects.all()}


def titles(qs):
    return [d.title for d in qs]


def rows(register, username, **params):
    filters = registers.parse_filters(register, params, unit_ids=Unit.objects.values_list("pk", flat=True),
                                      kinds=rules.param("documents.kinds", TODAY))
    return registers.rows(register, p(username), filters, on=TODAY)


def html_rows(response) -> list[str]:
    html = response.content.decode()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return re.findall(r"<tr[^>]*>.*?</tr>", body, flags=re.S)


# ---- what the registers list -------------------------------------------------------------------

def test_the_intake_register_lists_registered_documents_newest_number_first(ledger):
    found = list(rows("incoming", "wenshu"))
    assert titles(found) == [SCHOOL, LATE, ROADS, DROUGHT]  # not the submitted one, not the draft
    assert [d.intake_number for d in found] == [f"白洮政收〔2026〕{n}号" for n in (4, 3, 2, 1)]
    by_title = {d.title: d for d in found}
    assert by_title[DROUGHT].status == "in_approval" and by_title[DROUGHT].decision_needed_by == dt.date(2026, 11, 11)
    assert by_title[ROADS].status == "answered" and by_title[ROADS].answered_on == DAY
    assert [d.title for d in found if d.overdue] == [LATE, DROUGHT]


def test_the_issue_register_lists_numbered_documents(ledger):
    found = list(rows("outgoing", "wenshu"))
    assert titles(found) == [PRIVATE, DUTY]  # newest number first; the unsigned draft is not there
    assert [d.doc_number for d in found] == ["白洮政办发〔2026〕2号", "白洮政办发〔2026〕1号"]
    assert {d.signer.username for d in found} == {"changwu"}
    assert [d.status for d in found] == ["issued", "signed"]


def test_only_documents_the_person_may_see(ledger):
    assert titles(rows("incoming", "fuqu2")) == [SCHOOL]  # 教育局 is in 赵丁's 分工, 东风乡 is not
    assert titles(rows("incoming", "fuqu3")) == [LATE, ROADS, DROUGHT]  # 东风乡 is in 钱戊's
    assert titles(rows("incoming", "dfx")) == [LATE, ROADS, DROUGHT]  # its own
    assert titles(rows("incoming", "jyj")) == [SCHOOL]
    assert titles(rows("outgoing", "jyj")) == []
    assert titles(rows("outgoing", "changwu")) == [PRIVATE, DUTY]  # he signed them (tasks)


# ---- filters ---------------------------------------------------------------------------------------

def test_the_filters(ledger):
    assert titles(rows("incoming", "wenshu", year="2026")) == [SCHOOL, LATE, ROADS, DROUGHT]
    assert titles(rows("incoming", "wenshu", year="2025")) == []
    assert titles(rows("incoming", "wenshu", unit=str(u("教育局").pk))) == [SCHOOL]
    assert titles(rows("incoming", "wenshu", status="answered")) == [LATE, ROADS]
    assert titles(rows("incoming", "wenshu", urgency="加急")) == [DROUGHT]
    assert titles(rows("incoming", "wenshu", kind="请示", urgency="一般")) == [SCHOOL, LATE, ROADS]
    assert titles(rows("incoming", "wenshu", kind="报告")) == []
    assert titles(rows("incoming", "wenshu", **{"from": "2026-11-02", "to": "2026-11-02"})) == [SCHOOL, LATE, ROADS,
                                                                                                DROUGHT]
    assert titles(rows("incoming", "wenshu", **{"from": "2026-11-03"})) == []
    assert titles(rows("incoming", "wenshu", overdue="1")) == [LATE, DROUGHT]
    assert titles(rows("incoming", "wenshu", overdue="1", unit=str(u("教育局").pk))) == []
    assert titles(rows("outgoing", "wenshu", public="0")) == [PRIVATE]
    assert titles(rows("outgoing", "wenshu", public="1", status="signed")) == [DUTY]
    assert titles(rows("outgoing", "wenshu", **{"to": "2026-11-01"})) == []


@pytest.mark.parametrize("register, params, field", [
    ("incoming", {"year": "今年"}, "year"),
    ("incoming", {"year": "1899"}, "year"),
    ("incoming", {"unit": "999999"}, "unit"),
    ("incoming", {"unit": "x"}, "unit"),
    ("incoming", {"status": "signed"}, "status"),  # a 发文 status
    ("outgoing", {"status": "answered"}, "status"),
    ("incoming", {"urgency": "很急"}, "urgency"),
    ("incoming", {"kind": "便条"}, "kind"),
    ("incoming", {"from": "2026-13-01"}, "from"),
    ("incoming", {"from": "2026-11-10", "to": "2026-11-01"}, "to"),
    ("outgoing", {"overdue": "1"}, "overdue"),
    ("incoming", {"public": "1"}, "public"),
    ("outgoing", {"public": "maybe"}, "public"),
])
def test_a_bad_filter_is_refused_naming_it(ledger, register, params, field):
    with pytest.raises(Refused) as e:
        rows(register, "wenshu", **params)
    assert e.value.field == field


# ---- the pages -------------------------------------------------------------------------------------

def test_the_intake_page_shows_the_columns_and_links_filters_to_the_export(client, ledger):
    client.force_login(p("wenshu"))
    r = client.get(INCOMING_URL, {"overdue": "1"})
    assert r.status_code == 200
    found = html_rows(r)
    assert len(found) == 2
    assert "白洮政收〔2026〕3号" in found[0] and LATE in found[0] and "东风乡" in found[0]
    assert "2026-11-30" in found[0]  # answered late
    assert 'class="table-wrap"' in r.content.decode()  # scrolls sideways on a phone
    assert 'href="?overdue=1&amp;format=xlsx"' in r.content.decode()


def test_the_pages_show_only_what_the_person_may_see(client, ledger):
    client.force_login(p("fuqu2"))
    html = client.get(INCOMING_URL).content.decode()
    assert SCHOOL in html and DROUGHT not in html and ROADS not in html
    client.force_login(p("fuqu3"))
    html = client.get(INCOMING_URL).content.decode()
    assert DROUGHT in html and SCHOOL not in html


def test_a_bad_filter_on_the_page_is_a_400_naming_the_field(client, ledger):
    client.force_login(p("wenshu"))
    r = client.get(INCOMING_URL, {"year": "今年"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "年度须为整数" in html and 'name="year"' in html and 'aria-invalid="true"' in html
    assert client.get(INCOMING_URL, {"format": "pdf"}).status_code == 400
    assert client.get(OUTGOING_URL, {"from": "2026-02-30", "format": "xlsx"}).status_code == 400


def test_the_pages_need_a_login(client, ledger):
    for url in (INCOMING_URL, OUTGOING_URL, INCOMING_URL + "?format=xlsx"):
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"]


def clone(doc: Document, n: int, field: str, series: str) -> list[Document]:
    """n copies of a registered / numbered document with the next numbers (test data only)."""
    copies = []
    for i in range(n):
        data = {f.attname: getattr(doc, f.attname) for f in Document._meta.concrete_fields if f.attname != "id"}
        data[field] = f"{series}〔2026〕{100 + i}号"
        data["title"] = f"{doc.title}（{i}）"
        copies.append(Document(**data))
    return Document.objects.bulk_create(copies)


def test_fifty_rows_a_page_and_the_pager_keeps_the_filters(client, ledger):
    drought = ledger[DROUGHT]
    drought.refresh_from_db()
    clone(drought, 50, "intake_number", "白洮政收")
    client.force_login(p("wenshu"))
    first = client.get(INCOMING_URL, {"unit": str(u("东风乡").pk)})
    assert len(html_rows(first)) == 50
    html = first.content.decode()
    assert f'href="?unit={u("东风乡").pk}&amp;page=2"' in html
    second = client.get(INCOMING_URL, {"unit": str(u("东风乡").pk), "page": "2"})
    assert len(html_rows(second)) == 3  # 53 of 东风乡 in all


@pytest.mark.parametrize("url, fmt", [(INCOMING_URL, ""), (INCOMING_URL, "xlsx"), (OUTGOING_URL, ""),
                                      (OUTGOING_URL, "xlsx")])
def test_the_same_number_of_queries_for_one_row_or_twenty(client, url, fmt, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the page rendered each time (zhengwu.web.pagecache would serve it again)
    demo.load()
    if url == INCOMING_URL:
        doc = request("dfx", "东风乡", DROUGHT)
        submit_and_register(doc, "dfx")
        field, series = "intake_number", "白洮政收"
    else:
        doc = office_notice(DUTY)
        field, series = "doc_number", "白洮政办发"
    doc.refresh_from_db()
    client.force_login(p("fuqu3") if url == INCOMING_URL else p("changwu"))  # a scoped (not office) view
    params = {"format": fmt} if fmt else {}

    def count():
        client.get(url, params)  # warm caches (rulebook, session)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url, params)
        assert r.status_code == 200
        if fmt:
            n = load_workbook(io.BytesIO(r.content)).active.max_row - 3
        else:
            n = len(html_rows(r))
        return len(ctx.captured_queries), n

    queries_one, n_one = count()
    clone(doc, 19, field, series)
    queries_twenty, n_twenty = count()
    assert (n_one, n_twenty) == (1, 20)
    assert queries_one == queries_twenty


# ---- the Excel ledger ------------------------------------------------------------------------------

def test_the_intake_export_is_a_ledger_of_exactly_the_filtered_rows(client, ledger):
    client.force_login(p("wenshu"))
    r = client.get(INCOMING_URL, {"year": "2026", "unit": str(u("东风乡").pk), "format": "xlsx"})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=UTF-8''" in r["Content-Disposition"] and ".xlsx" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "白城市洮北区人民政府收文登记簿（2026年）"
    assert "A1:J1" in {str(m) for m in ws.merged_cells.ranges}
    assert "单位：东风乡人民政府" in ws["A2"].value
    assert [c.value for c in ws[3]] == ["收文号", "来文单位", "标题", "文种", "紧急程度", "报送日期", "登记日期", "办理时限",
                                        "状态", "答复日期"]
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["C"].width == 50 and ws.column_dimensions["A"].width == 22
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [row[2] for row in data] == [LATE, ROADS, DROUGHT]  # not 教育局's
    drought = data[2]
    assert drought[0] == "白洮政收〔2026〕1号" and drought[1] == "东风乡人民政府" and drought[4] == "加急"
    assert drought[5] == dt.datetime(2026, 11, 2) and drought[7] == dt.datetime(2026, 11, 11)  # real dates
    assert drought[6] == dt.datetime(2026, 11, 2)  # 登记日期
    assert ws.cell(row=6, column=6).number_format == "yyyy-mm-dd"
    assert ws.cell(row=6, column=7).number_format == "yyyy-mm-dd"
    assert drought[8] == "审批中" and drought[9] is None
    assert data[1][9] == dt.datetime(2026, 11, 2)  # ROADS answered
    assert ws.cell(row=6, column=8).font.color.rgb.endswith("B8322A")  # overdue limit in red
    assert not ws.cell(row=5, column=8).font.b  # ROADS was answered in time


def test_the_issue_export_and_its_permission_scope(client, ledger):
    client.force_login(p("wenshu"))
    ws = load_workbook(io.BytesIO(client.get(OUTGOING_URL, {"format": "xlsx"}).content)).active
    assert ws["A1"].value == "白城市洮北区人民政府发文登记簿"
    assert [c.value for c in ws[3]] == ["发文字号", "标题", "拟稿单位", "签发人", "签发日期", "状态", "公开属性",
                                        "年度发文计划"]
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert data == [
        ["白洮政办发〔2026〕2号", PRIVATE, "区政府办公室", "李乙", dt.datetime(2026, 11, 2), "已印发", "不予公开（内部事务）",
         "计划外"],
        ["白洮政办发〔2026〕1号", DUTY, "区政府办公室", "李乙", dt.datetime(2026, 11, 2), "已签发", "主动公开", "计划外"],
    ]
    client.force_login(p("jyj"))
    ws = load_workbook(io.BytesIO(client.get(OUTGOING_URL, {"format": "xlsx"}).content)).active
    assert ws.max_row == 3  # title, filters, header: nothing jyj may not see
    client.force_login(p("fuqu2"))
    ws = load_workbook(io.BytesIO(client.get(INCOMING_URL, {"format": "xlsx"}).content)).active
    assert [row[2].value for row in ws.iter_rows(min_row=4)] == [SCHOOL]


# ---- 登记日期: set on registration, shown, filtered, exported, backfilled --------------------------------

def test_the_registration_day_is_recorded_shown_filtered_and_exported(client, ledger):
    late_reg = request("dfx", "东风乡", "关于东风乡冬季供暖的请示", needed_by="2026-11-30")
    intake.document_submit(actor=p("dfx"), document_id=late_reg.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=late_reg.pk, on=dt.date(2026, 11, 4))  # two days later
    late_reg.refresh_from_db()
    assert (late_reg.submitted_on, late_reg.registered_on) == (DAY, dt.date(2026, 11, 4))
    assert Document.objects.get(title=DROUGHT).registered_on == DAY
    assert Document.objects.get(title=WAITING).registered_on is None  # submitted, not registered

    assert titles(rows(registers.INCOMING, "wenshu", reg_from="2026-11-03")) == [late_reg.title]
    assert late_reg.title not in titles(rows(registers.INCOMING, "wenshu", reg_to="2026-11-03"))
    assert len(titles(rows(registers.INCOMING, "wenshu", reg_from="2026-11-02", reg_to="2026-11-02"))) == 4
    for params, field in (({"reg_from": "11/03"}, "reg_from"), ({"reg_from": "2026-11-05", "reg_to": "2026-11-01"},
                                                                 "reg_to")):
        with pytest.raises(Refused) as e:
            rows(registers.INCOMING, "wenshu", **params)
        assert e.value.field == field
    with pytest.raises(Refused) as e:
        rows(registers.OUTGOING, "wenshu", reg_from="2026-11-01")
    assert e.value.field == "reg_from"

    client.force_login(p("wenshu"))
    page = client.get(INCOMING_URL, {"reg_from": "2026-11-03"}).content.decode()
    assert late_reg.title in page and DROUGHT not in page and 'name="reg_from"' in page
    assert '<td class="date registered">2026-11-04</td>' in page
    bad = client.get(INCOMING_URL, {"reg_to": "x"})
    assert bad.status_code == 400
    ws = load_workbook(io.BytesIO(client.get(INCOMING_URL, {"reg_from": "2026-11-03", "format": "xlsx"}).content)).active
    assert "登记日期：2026-11-03至…" in ws["A2"].value
    header = [c.value for c in ws[3]]
    [row] = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert row[header.index("登记日期")] == dt.datetime(2026, 11, 4)


def test_the_migration_backfills_the_registration_day_from_the_audit_trail_or_the_submission(ledger):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("zhengwu.documents.migrations.0005_registered_on").backfill
    drought = Document.objects.get(title=DROUGHT)
    Document.objects.exclude(intake_number="").update(registered_on=None)
    backfill(apps, None)
    drought.refresh_from_db()
    # the audit trail's day of registration (wall-clock, local time): today in this test run
    from django.utils import timezone

    assert drought.registered_on in (timezone.localdate() - dt.timedelta(days=1), timezone.localdate())
    assert drought.registered_on != DAY  # not the submission day: the trail wins where it exists
    assert Document.objects.exclude(intake_number="").filter(registered_on__isnull=True).count() == 0
    assert Document.objects.get(title=WAITING).registered_on is None


def test_registration_stores_the_register_key_and_the_register_reads_it_year_then_sequence(ledger):
    """The 收文登记簿 is ordered by the stored key (year × 1 000 000 + sequence), not the number's text:
    〔2026〕10号 comes before 〔2026〕9号, and both before last year's 〔2025〕12号."""
    import importlib

    from django.apps import apps

    from zhengwu.documents.numbering import register_key

    registered = Document.objects.exclude(intake_number="")
    assert sorted(registered.values_list("intake_key", flat=True)) == [register_key(2026, n) for n in (1, 2, 3, 4)]
    renumber = {DROUGHT: "白洮政收〔2025〕12号", ROADS: "白洮政收〔2026〕9号", LATE: "白洮政收〔2026〕10号",
                SCHOOL: "白洮政收〔2026〕2号"}
    for title, number in renumber.items():
        Document.objects.filter(title=title).update(intake_number=number, intake_key=None)
    backfill = importlib.import_module("zhengwu.documents.migrations.0006_register_key").backfill
    backfill(apps, None)
    assert [d.intake_number for d in rows("incoming", "wenshu")] == [
        "白洮政收〔2026〕10号", "白洮政收〔2026〕9号", "白洮政收〔2026〕2号", "白洮政收〔2025〕12号"]
    assert Document.objects.get(title=LATE).intake_key == 2026_000_010
