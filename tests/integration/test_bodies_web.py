"""The pages of coordination bodies, emergency reports and submissions: the refusals shown with their
article, the wrong person refused through the web and through the task page, nothing seen that one
may not see, Chinese text and no inline styles."""

import pytest

from zhengwu import rules
from zhengwu.affairs.bodies import services
from zhengwu.affairs.bodies.models import CoordinationBody, EmergencyReport, Submission
from zhengwu.org.models import Person
from zhengwu.workflow.models import Task

from test_bodies_services import DAY, BASIS, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def gov(org_demo):
    return org_demo


def as_(client, username):
    client.force_login(Person.objects.get(username=username))
    return client


FORM = {"action": "propose", "name": "区教育督导委员会", "purpose": "统筹协调全区教育督导工作"}


@pytest.mark.rules("R72.basis", "coordination_body.setup")
def test_the_setup_form_refuses_without_basis_and_the_wrong_person_cannot_approve_on_the_task_page(gov, client):
    c = as_(client, "jyj")
    r = c.post("/affairs/bodies/", FORM)
    assert r.status_code == 400
    page = r.content.decode()
    assert "第七十二条" in page and "区教育督导委员会" in page  # the form keeps what was typed
    r = c.post("/affairs/bodies/", {**FORM, **BASIS, "head_id": Person.objects.get(username="fuqu2").pk})
    assert r.status_code == 302
    body = CoordinationBody.objects.get(name="区教育督导委员会")
    detail = c.get(f"/affairs/bodies/{body.pk}/").content.decode()
    assert "报批" in detail and "教育督导条例" in detail
    assert c.post(f"/affairs/bodies/{body.pk}/submit/").status_code == 302
    body.refresh_from_db()
    review = Task.objects.get(approval_id=body.approval_id, status=Task.Status.OPEN)
    # the applicant cannot review its own request on the task page; the office can
    assert c.post(f"/tasks/{review.pk}/", {"op": "complete", "opinion": "x"}).status_code in (403, 404)
    assert as_(client, "bgs-zhuren").post(f"/tasks/{review.pk}/", {"op": "complete", "opinion": "依据充分"}).status_code == 302
    leader = Task.objects.get(approval_id=body.approval_id, status=Task.Status.OPEN)
    page = as_(client, "fuqu2").get(f"/tasks/{leader.pk}/").content.decode()
    assert "教育督导条例" in page
    r = as_(client, "fuqu1").post(f"/tasks/{leader.pk}/", {"op": "complete", "decision": "同意", "opinion": "同意"})
    assert r.status_code in (403, 404)
    assert Task.objects.get(pk=leader.pk).status == Task.Status.OPEN
    # and through the CLI: the wrong 副区长 is refused (exit 2), the right one completes it
    from zhengwu.cli import main

    assert main(["task", "complete", str(leader.pk), "--as", "fuqu1", "--decision", "同意", "--opinion", "同意"]) == 2
    assert main(["task", "complete", str(leader.pk), "--as", "fuqu2", "--decision", "同意", "--opinion", "同意"]) == 0
    assert Task.objects.get(approval_id=body.approval_id, status=Task.Status.OPEN).assignee.username == "quzhang"
    # strangers see nothing of it
    assert as_(client, "czj").get(f"/affairs/bodies/{body.pk}/").status_code == 404


@pytest.mark.rules("R74.annual_goals")
def test_a_body_missing_goals_is_marked_and_only_the_office_abolishes_it(gov, client):
    body = register()
    page = as_(client, "bgs-fuzhuren").get("/affairs/bodies/").content.decode()
    assert "未报送年度工作目标" in page
    assert "第七十四条" in client.get(f"/affairs/bodies/{body.pk}/").content.decode()
    assert as_(client, "fuqu3").post(f"/affairs/bodies/{body.pk}/abolish/",
                                     {"reason": "完成", "document_ref": "X"}).status_code == 403
    r = as_(client, "bgs-fuzhuren").post(f"/affairs/bodies/{body.pk}/goals/", {"year": "2026", "goals": "全年目标"})
    assert r.status_code == 302
    assert "未报送年度工作目标" not in client.get("/affairs/bodies/").content.decode()


@pytest.mark.rules("R75.on_time")
def test_a_late_report_from_the_form_is_kept_and_flagged(gov, client):
    c = as_(client, "xhjd")
    r = c.post("/affairs/bodies/emergencies/", {"event_kind": "fire", "level": "major", "title": "商住楼火情",
                                                 "content": "底商起火", "occurred_at": "2026-11-16T08:10",
                                                 "phoned_at": "2026-11-16T08:55", "written_at": "2026-11-16T10:05"})
    assert r.status_code == 302
    report = EmergencyReport.objects.get()
    assert report.late
    page = c.get(f"/affairs/bodies/emergencies/{report.pk}/").content.decode()
    assert "迟报" in page and "第七十五条" in page
    assert as_(client, "dfx").get(f"/affairs/bodies/emergencies/{report.pk}/").status_code == 404
    assert client.post(f"/affairs/bodies/emergencies/{report.pk}/update/",
                       {"kind": "followup", "content": "x"}).status_code == 404


@pytest.mark.rules("R77.by_government")
def test_a_department_cannot_submit_to_the_congress_from_the_page(gov, client):
    c = as_(client, "fgj")
    assert c.post("/affairs/bodies/submissions/", {"body_kind": "people_congress:work_report", "title": "工作报告",
                                                   "content": "报告全文"}).status_code == 302
    item = Submission.objects.get()
    r = c.post(f"/affairs/bodies/submissions/{item.pk}/submit/")
    assert r.status_code == 400 and "第七十七条" in r.content.decode()
    assert as_(client, "bgs-fuzhuren").post(f"/affairs/bodies/submissions/{item.pk}/submit/").status_code == 302
    assert as_(client, "jyj").get(f"/affairs/bodies/submissions/{item.pk}/").status_code == 404


def test_the_pages_are_in_chinese(gov, client):
    c = as_(client, "bgs-fuzhuren")
    for path, text in [("/affairs/bodies/", "申请设置议事协调机构"), ("/affairs/bodies/emergencies/", "报告重大情况"),
                       ("/affairs/bodies/submissions/", "起草报送事项"), ("/affairs/", "重大情况报告")]:
        page = c.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert text in page, path
        assert "style=" not in page.split("<body", 1)[1] if "<body" in page else True
