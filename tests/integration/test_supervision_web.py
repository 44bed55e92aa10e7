"""The ledger's pages on the full demo: items taken from a real demo 常务会议 decision and a real demo
批示, the 督查指挥中心 reading meetings and dossiers without acting on them, the ledger, dashboard,
export and item pages, each action only for the right person, and dcz's real 待办."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.decisions.models import MajorDecision
from zhengwu.meetings.models import AgendaItem, Meeting
from zhengwu.org.models import Person
from zhengwu.supervision import services
from zhengwu.supervision.models import SupervisionItem
from zhengwu.workflow.models import Task
from zhengwu.workflow.selectors import todo

pytestmark = pytest.mark.django_db
S = SupervisionItem.Status


@pytest.fixture
def gov(full_demo):
    return full_demo


def p(username):
    return Person.objects.get(username=username)


def client_for(client, username):
    client.force_login(p(username))
    return client


@pytest.mark.rules("R49.source")
def test_a_standing_meeting_decision_becomes_a_ledger_item_from_its_page_button(gov, client):
    standing = AgendaItem.objects.get(title="关于城区道路维修改造资金安排的议题")
    assert standing.meeting.meeting_type == "standing" and standing.status == "decided"
    c = client_for(client, "dcz")
    page = c.get(f"/meetings/{standing.meeting_id}/")
    assert page.status_code == 200  # the center reads the meeting
    assert f"/supervision/sources/#decision-{standing.pk}" in page.content.decode()  # no lead unit named yet
    assert f"/supervision/from-decision/{standing.pk}/" in c.get("/supervision/sources/").content.decode()
    lead = Person.objects.get(username="czj").appointments.get().position.unit
    r = c.post(f"/supervision/from-decision/{standing.pk}/", {"lead_unit": lead.pk})
    assert r.status_code == 302
    item = SupervisionItem.objects.get(meeting_item=standing)
    assert (item.source, item.status, item.dossier_id) == ("meeting_decision", S.DRAFT, standing.dossier_id)
    assert "区政府第二十二次常务会议" in item.source_title and "年底前完工" in item.basis
    assert c.post(f"/supervision/from-decision/{standing.pk}/", {"lead_unit": lead.pk}).status_code == 409  # once


def test_an_undecided_item_is_refused_and_a_unit_cannot_take_decisions(gov, client):
    pending = AgendaItem.objects.exclude(status="decided").first()
    with pytest.raises(Exception) as e:
        services.item_from_meeting_decision(actor=p("dcz"), agenda_item_id=pending.pk, lead_unit=p("czj").appointments.get().position.unit_id)
    assert getattr(e.value, "field", None) == "agenda_item_id"
    decided = AgendaItem.objects.filter(status="decided").exclude(pk__in=SupervisionItem.objects.filter(
        meeting_item__isnull=False).values("meeting_item_id")).first()
    c = client_for(client, "czj")
    assert c.post(f"/supervision/from-decision/{decided.pk}/", {}).status_code == 403
    assert not SupervisionItem.objects.filter(meeting_item=decided).exists()


def test_a_leaders_instruction_becomes_a_ledger_item(gov, client):
    from zhengwu.workflow import services as wf

    # the demo's 研学 批示 is already on the ledger (supervision/demo.py); 孙己 now writes his on the 司法局's request
    waiting = Task.objects.get(approval__obj_type="documents.document", status="open", step_id="leader_instruct",
                               approval__title="关于开展法治政府建设示范创建的请示")
    wf.task_complete(actor=waiting.assignee, task_id=waiting.pk, opinion="同意。请司法局牵头制定创建方案，年底前报区政府。",
                     on=rules.today())
    task = Task.objects.get(pk=waiting.pk)
    c = client_for(client, "dcz")
    page = c.get("/supervision/sources/")
    assert page.status_code == 200 and f"/supervision/from-instruction/{task.pk}/" in page.content.decode()
    assert c.post(f"/supervision/from-instruction/{task.pk}/", {}).status_code == 302
    item = SupervisionItem.objects.get(instruction=task)
    assert item.source == "instruction" and "批示" in item.basis and item.source_url.startswith("/documents/")
    open_step = Task.objects.filter(approval__obj_type="documents.document", status="open").first()
    with pytest.raises(Exception) as e:  # a step not yet done is no 批示
        services.item_from_instruction(actor=p("dcz"), task_id=open_step.pk)
    assert getattr(e.value, "field", None) == "task_id"
    assert client_for(client, "jyj").get("/supervision/sources/").status_code == 403


def test_the_center_reads_dossiers_but_cannot_act_on_meetings(gov, client):
    c = client_for(client, "dcz")
    dossier = MajorDecision.objects.first()
    assert c.get(f"/decisions/{dossier.pk}/").status_code == 200
    meeting = Meeting.objects.filter(meeting_type="standing").first()
    assert c.get(f"/meetings/{meeting.pk}/").status_code == 200
    from zhengwu.meetings import access as meetings_access
    from zhengwu.errors import Forbidden

    with pytest.raises(Forbidden):
        meetings_access.meeting_for_office(p("dcz"), meeting.pk)
    with pytest.raises(Forbidden):
        meetings_access.meeting_for_chair(p("dcz"), meeting.pk)


def test_the_ledger_dashboard_and_export_show_the_demo_with_lights(gov, client):
    c = client_for(client, "dcz")
    page = c.get("/supervision/").content.decode()
    assert "关于组织开展中小学生研学实践活动的请示" in page and "l-listed" in page and "l-yellow" in page
    assert "l-green" in page
    red = c.get("/supervision/?light=listed").content.decode()
    assert "研学" in red and "供热" not in red
    board = c.get("/supervision/dashboard/")
    assert board.status_code == 200 and "sv-chart-data" in board.content.decode()
    assert "<script>" not in board.content.decode().replace('<script id="sv-chart-data" type="application/json">', "")
    x = c.get("/supervision/export.xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(x.content)).active
    titles = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert "关于组织开展中小学生研学实践活动的请示" in titles
    # a unit sees only its own
    mine = client_for(client, "jyj").get("/supervision/").content.decode()
    assert "研学" in mine and "供热" not in mine


def test_the_center_director_has_real_work_and_verifies_from_the_inbox(gov, client):
    tasks = [t for t in todo(p("dcz")) if t.approval.obj_type == "supervision.item"]
    assert tasks and tasks[0].action == "核查"
    item = SupervisionItem.objects.get(pk=int(tasks[0].approval.obj_id))
    assert item.status == S.CLOSURE_ASKED
    # the lead unit cannot verify its own completion, neither on the item page nor through the inbox
    c = client_for(client, "sfj")
    assert c.post(f"/supervision/{item.pk}/verify/", {"passed": "1", "note": "自查"}).status_code == 403
    assert c.post(f"/tasks/{tasks[0].pk}/", {"op": "complete", "decision": "通过", "opinion": "x"}).status_code in (403, 404)
    assert SupervisionItem.objects.get(pk=item.pk).status == S.CLOSURE_ASKED
    c = client_for(client, "dcz")
    assert c.post(f"/supervision/{item.pk}/close/").status_code == 400  # not verified yet (art. 50)
    assert c.post(f"/supervision/{item.pk}/verify/", {"passed": "1", "note": "核查属实"}).status_code == 302
    assert c.post(f"/supervision/{item.pk}/close/").status_code == 302
    assert SupervisionItem.objects.get(pk=item.pk).status == S.CLOSED
    page = c.get(f"/supervision/{item.pk}/").content.decode()
    assert "核查通过" in page or "已销号" in page


def test_actions_only_for_the_right_person_on_the_item_page(gov, client):
    item = SupervisionItem.objects.get(title="关于组织开展中小学生研学实践活动的请示")
    for who in ("czj", "fgj"):  # other units do not even see it
        assert client_for(client, who).get(f"/supervision/{item.pk}/").status_code == 403
    c = client_for(client, "fuqu2")  # 教育局 is in 赵丁's 分工: he reads it, acts on nothing
    page = c.get(f"/supervision/{item.pk}/").content.decode()
    assert "挂牌督办" in page and f"/supervision/{item.pk}/report/" not in page
    assert c.post(f"/supervision/{item.pk}/report/", {"text": "x"}).status_code == 403
    c = client_for(client, "jyj")
    page = c.get(f"/supervision/{item.pk}/").content.decode()
    assert f"/supervision/{item.pk}/report/" in page and f"/supervision/{item.pk}/close/" not in page
    r = c.post(f"/supervision/{item.pk}/extension/", {"new_due_on": "2027-01-30", "reason": "补充"})
    assert r.status_code == 400 and "第五十条" in r.content.decode()  # overdue: no extension
    assert c.post(f"/supervision/{item.pk}/report/", {"text": ""}).status_code == 400
    assert c.post(f"/supervision/{item.pk}/report/", {"text": "已制定安全预案", "evidence": "预案"}).status_code == 302
    assert c.post(f"/supervision/{item.pk}/nonsense/").status_code == 404
    assert client_for(client, "jyj").get("/supervision/new/").status_code == 403


def test_the_leader_approves_supervision_in_the_government_name_from_his_inbox(gov, client):
    item = SupervisionItem.objects.get(title="全区安全生产大检查专项督查")
    [task] = [t for t in todo(p("changwu")) if t.approval.obj_type == "supervision.item"]
    c = client_for(client, "dcz")
    r = c.post(f"/supervision/{item.pk}/assign/")
    assert r.status_code == 400 and "第五十条" in r.content.decode()
    from zhengwu.workflow import services as wf

    wf.task_complete(actor=p("changwu"), task_id=task.pk, decision="同意", opinion="同意", on=rules.today())
    assert c.post(f"/supervision/{item.pk}/assign/").status_code == 302
    item.refresh_from_db()
    assert item.status == S.ASSIGNED and item.due_on > rules.today() - dt.timedelta(days=1)


@pytest.mark.rules("supervision.verification", "R45.mechanism")
def test_the_verification_step_through_the_cli_refuses_the_lead_unit_and_takes_the_director(gov, capsys):
    from zhengwu.cli import main

    item = SupervisionItem.objects.get(title="落实市委巡察反馈“行政执法公示不到位”问题整改")
    # a fresh completion by the lead unit starts the 核查 step (the demo's one is there already)
    services.item_verify(actor=p("dcz"), item_id=item.pk, passed=False, note="佐证不足，请补充抽查记录")
    assert SupervisionItem.objects.get(pk=item.pk).status == S.IN_PROGRESS
    services.item_request_closure(actor=p("sfj"), item_id=item.pk, text="已补充抽查记录", evidence="抽查记录",
                                  mechanism="每季度抽查执法公示情况并通报")
    task = Task.objects.get(approval__obj_type="supervision.item", approval__obj_id=str(item.pk), status="open")
    assert task.assignee.username == "dcz" and task.action == "核查"
    assert main(["task", "complete", str(task.pk), "--as", "sfj", "--decision", "通过", "--opinion", "自查"]) == 2
    assert SupervisionItem.objects.get(pk=item.pk).status == S.CLOSURE_ASKED
    assert main(["task", "complete", str(task.pk), "--as", "dcz", "--decision", "通过", "--opinion", "核查属实"]) == 0
    capsys.readouterr()
    item.refresh_from_db()
    assert (item.status, item.verified_by.username, item.verify_note) == (S.VERIFIED, "dcz", "核查属实")


def test_the_ledger_page_and_the_api_list_take_no_query_per_item(gov, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhengwu.api.services import api_token_create
    from zhengwu.org.models import Unit

    c = client_for(client, "dcz")
    _t, key = api_token_create(actor=None, person=p("dcz"), name="测试")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def count():
        found = []
        for url, extra in (("/supervision/", {}), ("/supervision/dashboard/", {}),
                           ("/api/v1/supervision/items?limit=100", auth)):
            c.get(url, **extra)  # warm
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url, **extra).status_code == 200
            found.append(len(ctx))
        return found

    before = count()
    finance = Unit.objects.get(short_name="财政局")
    for n in range(6):
        item = services.item_create(actor=p("dcz"), title=f"测试事项{n}", basis="依据", source="annual_report",
                                    lead_units=[finance.pk], co_units=[Unit.objects.get(short_name="发改局").pk])
        services.item_assign(actor=p("dcz"), item_id=item.pk)
    assert count() == before


def test_the_ledger_in_english(gov, client):
    c = client_for(client, "dcz")
    c.post("/i18n/setlang/", {"language": "en", "next": "/supervision/"})
    page = c.get("/supervision/").content.decode()
    assert "Supervision ledger" in page and "Lead unit" in page and "督查台账</h1>" not in page and "牵头单位" not in page
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/supervision/"})
    assert "督查台账</h1>" in c.get("/supervision/").content.decode()


def test_the_approving_leader_sees_the_draft_on_his_task_page_and_nobody_else_does(gov, client):
    item = SupervisionItem.objects.get(title="全区安全生产大检查专项督查")
    [task] = [t for t in todo(p("changwu")) if t.approval.obj_type == "supervision.item"]
    page = client_for(client, "changwu").get(f"/tasks/{task.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert item.number in body and item.basis[:10] in body and "区发展和改革局" in body
    assert client_for(client, "changwu").get(f"/supervision/{item.pk}/").status_code == 200
    for who in ("fgj", "fuqu1"):  # the lead unit does not see a draft; another leader has no step in it
        assert client_for(client, who).get(f"/supervision/{item.pk}/").status_code == 403
    dcz_task = [t for t in todo(p("dcz")) if t.approval.obj_type == "supervision.item"][0]
    page = client_for(client, "dcz").get(f"/tasks/{dcz_task.pk}/").content.decode()
    assert "各执法机关已按办法公示执法信息" in page  # the completion report he verifies
