"""The demo's coordination bodies, emergency report and submission: two bodies (one with its goals,
one flagged for missing them, art. 74), a setup waiting for the 分管副区长 (a real 待办, art. 71), a
late emergency report (art. 75); the pages show them on a phone-sized list."""

import pytest

from zhengwu import rules
from zhengwu.affairs.bodies import selectors
from zhengwu.affairs.bodies.models import CoordinationBody, EmergencyReport, Submission
from zhengwu.affairs.bodies.tick import bodies_tick
from zhengwu.org.models import Person
from zhengwu.workflow.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(full_demo):
    return full_demo


def who(username):
    return Person.objects.get(username=username)


def test_two_bodies_one_flagged_for_missing_goals_citing_74(gov):
    today = rules.today()
    safety = CoordinationBody.objects.get(name="区安全生产委员会")
    flood = CoordinationBody.objects.get(name="区防汛抗旱指挥部")
    assert safety.unit.short_name == "区安委会" and safety.head == who("fuqu1")
    assert selectors.goals_findings(safety, today) == [] or today.month == 1
    found = [v for v in selectors.goals_findings(flood, today) if v.blocks]
    assert [(v.rule_id, v.article) for v in found] == [("R74.annual_goals", 74)]
    from zhengwu.workflow.models import Notification

    assert Notification.objects.filter(person=who("bgs-zhuren"), title__contains="区防汛抗旱指挥部").exists()
    assert bodies_tick(today).startswith("0 bodies without annual goals")  # flagged once, by the demo's tick


def test_a_setup_waits_for_the_deputy_head_in_charge(gov):
    body = CoordinationBody.objects.get(name="区教育督导委员会")
    assert body.status == CoordinationBody.Status.PENDING
    task = Task.objects.get(approval_id=body.approval_id, status=Task.Status.OPEN)
    assert (task.step_id, task.assignee.username) == ("leader_approve", "fuqu2")


def test_a_late_emergency_report_and_an_answered_economic_report(gov):
    fire = EmergencyReport.objects.get(title="新华街道某商住楼火情")
    assert fire.late and "第七十五条" in fire.late_note and fire.updates.count() == 1
    assert Submission.objects.get(kind="economy").status == Submission.Status.ANSWERED


def test_the_pages_show_them(gov, client):
    client.force_login(who("bgs-zhuren"))
    page = client.get("/affairs/bodies/").content.decode()
    assert "区防汛抗旱指挥部" in page and "区教育督导委员会" in page
    assert "新华街道某商住楼火情" in client.get("/affairs/bodies/emergencies/").content.decode()
    assert "经济运行" in client.get("/affairs/bodies/submissions/").content.decode()
    index = client.get("/affairs/").content.decode()
    assert "/affairs/bodies/emergencies/" in index
    client.force_login(who("fuqu2"))
    task = Task.objects.get(assignee=who("fuqu2"), status=Task.Status.OPEN,
                            approval__obj_type="bodies.body")
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "教育督导条例" in page
