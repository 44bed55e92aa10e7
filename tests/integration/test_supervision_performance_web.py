"""Art. 51 and the dashboard on the full demo, through the pages, the API and the CLI: the dashboard
by lead unit, 分管 leader and source for each reader's own items; the performance page, API and
Excel export; the demo's 表扬建议 waiting for the 区长 (a real 待办) that nobody else may decide at
any door; the demo's art. 40 findings; the proposal page's link to its ledger item."""

import io

import pytest
from openpyxl import load_workbook

from zhengwu import rules
from zhengwu.org.models import Person
from zhengwu.proposals.models import Proposal
from zhengwu.supervision import access, selectors
from zhengwu.supervision.models import AccountabilityProposal, ProgressReport, Review, SupervisionItem
from zhengwu.workflow.selectors import todo

from test_supervision_api import _fresh_keys, bearer  # noqa: F401  (the fixture clears the tokens per test)

pytestmark = pytest.mark.django_db
S = SupervisionItem.Status
AUDIT_WAITING = "落实区审计局审计发现“专项资金拨付滞后”问题整改"
REVIEWED = "落实区监委监察建议“工程招投标监管不严”问题整改"
REOPENED = "落实区审计局审计发现“学校食堂经费管理不规范”问题整改"


@pytest.fixture
def gov(full_demo):
    return full_demo


def p(username):
    return Person.objects.get(username=username)


def web(client, username):
    client.force_login(p(username))
    return client


def api_get(client, username, path, **params):
    return client.get(f"/api/v1{path}", params, **bearer(username))


def api_post(client, username, path, data=None):
    return client.post(f"/api/v1{path}", data or {}, content_type="application/json", **bearer(username))


def demo_proposal():
    return AccountabilityProposal.objects.get(unit__short_name="财政局", status="pending")


def test_the_dashboard_by_unit_leader_and_source_for_each_readers_own_items(gov, client):
    board = api_get(client, "quzhang", "/supervision/dashboard").json()
    leaders = {r["name"]: r for r in board["by_leader"]}
    sources = {r["name"]: r for r in board["by_source"]}
    assert any(name.endswith("赵丁") for name in leaders)  # the 教育局's 分管 leader
    assert sources["领导批示"]["overdue"] == 1 and sources["领导批示"]["listed"] == 1
    assert "审计监督发现问题整改" in sources and "监察机关监督发现问题整改" in sources
    for part in ("by_unit", "by_leader", "by_source"):  # every breakdown adds up to the same totals
        assert sum(r["open"] for r in board[part]) == board["total"]["open"]
    # a 副区长 sees his portfolio only: 赵丁 (教育局, 卫健局, 新华街道, 铁东街道)
    mine = api_get(client, "fuqu2", "/supervision/dashboard").json()
    assert {r["name"] for r in mine["by_unit"]} == {"区教育局", "新华街道办事处"}
    assert [r["name"] for r in mine["by_leader"]] == [n for n in leaders if n.endswith("赵丁")]
    # a unit its own
    assert {r["name"] for r in api_get(client, "jyj", "/supervision/dashboard").json()["by_unit"]} == {"区教育局"}
    assert api_get(client, "fuqu1", "/supervision/dashboard").json()["total"]["open"] == 0
    page = web(client, "quzhang").get("/supervision/dashboard/").content.decode()
    assert "按分管领导统计的在办事项" in page and "按来源统计的在办事项" in page and "赵丁" in page
    page = web(client, "jyj").get("/supervision/dashboard/").content.decode()
    assert "区财政局" not in page  # another unit's items are not counted for it


@pytest.mark.rules("W51.performance")
def test_the_performance_page_api_and_export_show_the_yearly_scores(gov, client):
    year = demo_proposal().year
    rows = {r["unit"]: r for r in api_get(client, "dcz", "/supervision/performance", year=year).json()["rows"]}
    jyj = rows["区教育局"]
    assert jyj["reopened"] == 1 and jyj["first_pass"] == 0 and jyj["verified"] == 1  # the demo's re-opened finding
    assert rows["区财政局"]["first_pass_rate"] == 100.0
    assert api_get(client, "dcz", "/supervision/performance", year=1999).status_code == 422
    # each reads the scores of the items it may see
    assert {r["unit"] for r in api_get(client, "jyj", "/supervision/performance", year=year).json()["rows"]} == {"区教育局"}
    page = web(client, "dcz").get(f"/supervision/performance/?year={year}").content.decode()
    assert "区教育局" in page and "核查一次通过率" in page and "提出表扬或问责建议" in page
    assert "提出表扬或问责建议" not in web(client, "quzhang").get("/supervision/performance/").content.decode()
    r = web(client, "dcz").get(f"/supervision/performance.xlsx?year={year}")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    table = [[c.value for c in row] for row in ws.iter_rows()]
    assert table[0][:3] == ["牵头单位", "督查事项", "申请办结"]
    assert any(row[0] == "区教育局" and row[8] == 1 for row in table[1:])


@pytest.mark.rules("R51.head_decides", "supervision.accountability")
def test_the_district_heads_real_todo_and_nobody_else_decides_at_any_door(gov, client, capsys):
    from zhengwu.cli import main

    proposal = demo_proposal()
    [task] = [t for t in todo(p("quzhang")) if t.approval.obj_type == "supervision.accountability"]
    assert int(task.approval.obj_id) == proposal.pk and task.action == "审批"
    # the 办文 page shows the proposal
    page = web(client, "quzhang").get(f"/tasks/{task.pk}/").content.decode()
    assert "区财政局" in page and "表扬建议" in page
    # web: the center and the office see the proposal but may not decide it (art. 51)
    for who in ("dcz", "bgs-zhuren"):
        c = web(client, who)
        assert c.get(f"/supervision/accountability/{proposal.pk}/").status_code == 200
        r = c.post(f"/supervision/accountability/{proposal.pk}/decide/", {"approve": "1", "opinion": "同意"})
        assert r.status_code == 403 and "第五十一条" in r.content.decode(), who
        r = c.post(f"/tasks/{task.pk}/", {"op": "complete", "decision": "同意", "opinion": "同意"})
        assert r.status_code in (403, 404), who
    # a unit and a 副区长 do not even see it (IDOR)
    for who in ("czj", "fuqu1"):
        assert web(client, who).get(f"/supervision/accountability/{proposal.pk}/").status_code == 403
        assert api_get(client, who, f"/supervision/accountability/{proposal.pk}").status_code == 403
    # API: the 常务副区长 and the center, through the task door and the proposal's own door
    for who in ("changwu", "dcz"):
        r = api_post(client, who, f"/tasks/{task.pk}/complete", {"decision": "同意", "opinion": "同意"})
        assert r.status_code == 403 and "第五十一条" in r.json()["message"], (who, r.content)
    r = api_post(client, "dcz", f"/supervision/accountability/{proposal.pk}/decide", {"approve": True})
    assert r.status_code == 403 and "第五十一条" in r.json()["message"]
    assert api_post(client, "czj", f"/supervision/accountability/{proposal.pk}/decide",
                    {"approve": True}).status_code == 403
    # CLI
    assert main(["task", "complete", str(task.pk), "--as", "changwu", "--decision", "同意", "--opinion", "同意"]) == 2
    capsys.readouterr()
    assert AccountabilityProposal.objects.get(pk=proposal.pk).status == "pending"
    # the 区长 decides on the proposal's page
    c = web(client, "quzhang")
    assert "区长审批" in c.get(f"/supervision/accountability/{proposal.pk}/").content.decode()
    r = c.post(f"/supervision/accountability/{proposal.pk}/decide/", {"approve": "1", "opinion": "同意通报表扬"})
    assert r.status_code == 302
    got = api_get(client, "quzhang", f"/supervision/accountability/{proposal.pk}").json()
    assert (got["status"], got["decided_by"]["username"], got["opinion"]) == ("approved", "quzhang", "同意通报表扬")


def test_the_center_proposes_through_the_api_and_the_page(gov, client):
    year = demo_proposal().year
    jyj = Person.objects.get(username="jyj")
    unit_id = next(iter(access.own_unit_ids(jyj)))
    r = api_post(client, "jyj", "/supervision/accountability",
                 {"unit_id": unit_id, "year": year, "kind": "accountability", "reasons": "核查不通过"})
    assert r.status_code == 403
    r = api_post(client, "dcz", "/supervision/accountability",
                 {"unit_id": unit_id, "year": year, "kind": "accountability", "reasons": " "})
    assert r.status_code == 400 and "第五十一条" in r.json()["message"]
    r = api_post(client, "dcz", "/supervision/accountability",
                 {"unit_id": unit_id, "year": year, "kind": "accountability", "reasons": "审计整改核查一次未通过"})
    assert r.status_code == 201 and r.json()["status"] == "pending"
    r = web(client, "dcz").post("/supervision/accountability/new/", {"unit_id": unit_id, "year": year,
                                                                      "kind": "praise", "reasons": ""})
    assert r.status_code == 400 and "第五十一条" in r.content.decode()
    r = web(client, "dcz").post("/supervision/accountability/new/", {"unit_id": unit_id, "year": year,
                                                                      "kind": "praise", "reasons": "整改到位"})
    assert r.status_code == 302
    assert web(client, "jyj").post("/supervision/accountability/new/", {"unit_id": unit_id, "year": year,
                                                                         "kind": "praise", "reasons": "x"}).status_code == 403


def test_the_demos_oversight_findings_rectification_review_and_reopened_item(gov, client):
    waiting = SupervisionItem.objects.get(title=AUDIT_WAITING)
    assert waiting.source == "audit_finding" and waiting.status == S.IN_PROGRESS
    assert not waiting.reports.filter(kind=ProgressReport.Kind.RECTIFICATION).exists()  # its 整改报告 is still due
    page = web(client, "czj").get(f"/supervision/{waiting.pk}/").content.decode()
    assert f"/supervision/{waiting.pk}/rectification-report/" in page
    reviewed = SupervisionItem.objects.get(title=REVIEWED)
    [review] = Review.objects.filter(item=reviewed)
    assert review.status == "pending" and reviewed.concluded_passed is False
    page = web(client, "changwu").get(f"/supervision/{reviewed.pk}/").content.decode()
    assert f"/supervision/{reviewed.pk}/reviews/{review.pk}/decide/" in page  # the center's 分管 leader decides
    reopened = SupervisionItem.objects.get(title=REOPENED)
    assert reopened.status == S.CLOSED
    page = web(client, "jyj").get(f"/supervision/{reopened.pk}/").content.decode()
    assert "整改后再次申请办结" in page and "第2次核查" in page  # the loop on the timeline
    history = selectors.verification_history([reopened.pk])[reopened.pk]
    assert [passed for _day, passed, _o in history] == [False, True]


def test_the_proposal_page_links_its_ledger_item(gov, client):
    item = SupervisionItem.objects.get(source="proposal")
    proposal = Proposal.objects.get(pk=item.proposal_id)
    page = web(client, "bgs-zhuren").get(f"/proposals/{proposal.pk}/").content.decode()
    assert f'href="/supervision/{item.pk}/"' in page and item.number in page
    assert item.status == S.DRAFT  # the center has not yet 交办 it: the lead unit does not see it yet
    lead = item.units.get(role="lead").head.username
    assert f'href="/supervision/{item.pk}/"' not in web(client, lead).get(f"/proposals/{proposal.pk}/").content.decode()
    assert api_get(client, lead, f"/proposals/{proposal.pk}").json()["ledger_item"] is None
    got = api_get(client, "bgs-zhuren", f"/proposals/{proposal.pk}").json()["ledger_item"]
    assert (got["id"], got["number"]) == (item.pk, item.number)
    assert rules.article_of("supervision.from_proposal_outcomes") == 39
