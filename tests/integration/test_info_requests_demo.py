"""The requests and 舆情 demo: requests in every state (one extended, one paused for a third party,
one waiting for the director's agreement — his real 待办 —, one overdue that tick escalates,
answered ones on time and late), a 舆情 answered late and flagged, one answered on time; every
notification and task it leaves points at a real object its person may open."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.disclosure.requests import services
from zhengwu.disclosure.requests.models import InfoRequest, OpinionEvent
from zhengwu.disclosure.requests.tick import requests_tick
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture(scope="module")
def demo_today():
    return DAY


def test_the_demo_has_requests_in_every_state_and_every_light(full_demo):
    items = list(InfoRequest.objects.all())
    assert {r.status for r in items} == set(InfoRequest.Status.values)
    lights = {services.light(r, DAY) for r in items}
    assert lights == {"green", "yellow", "red", "paused", "done", "late", "abandoned"}
    assert any(r.extended for r in items) and any(services.extension_pending(r) for r in items)
    assert any(r.corrected_on for r in items) and any(r.partial for r in items)
    assert InfoRequest.objects.filter(status="consulting", consultations__ended_on__isnull=True).exists()
    # 视为放弃申请 (条例 第三十条): the notice's period passed without a correction
    gone = InfoRequest.objects.get(status="abandoned")
    assert gone.correction_due_on < gone.abandoned_on


@pytest.mark.rules("R33.answer_deadline", "W33.request_overdue", "R36.response_clock", "W36.response_late")
def test_tick_escalates_the_overdue_request_and_flags_the_late_opinion(full_demo, client):
    overdue = [r for r in InfoRequest.objects.all() if services.deadline_findings(r, on=DAY)]
    assert len(overdue) == 1
    result = requests_tick(on=DAY)
    assert result.escalations == 1 and result.opinions >= 1
    again = requests_tick(on=DAY)
    assert (again.escalations, again.opinions) == (0, 0)
    late = OpinionEvent.objects.get(title="网传东风乡夜间施工扰民")
    assert late.late_flagged_at is not None and late.responses.get().late
    on_time = OpinionEvent.objects.get(title="某小区燃气泄漏")
    assert on_time.status == "responded" and on_time.late_flagged_at is None
    for note in Notification.objects.filter(link__startswith="/disclosure/requests/").select_related("person"):
        client.force_login(note.person)
        assert client.get(note.link).status_code == 200, (note.person.username, note.title)


def test_the_directors_todo_is_a_real_extension_he_may_open(full_demo, client):
    [task] = Task.objects.filter(approval__obj_type=services.OBJ, status="open")
    assert task.assignee.username == "bgs-zhuren"
    item = InfoRequest.objects.get(pk=int(task.approval.obj_id))
    assert services.extension_pending(item) and not item.extended
    client.force_login(task.assignee)
    page = client.get(f"/tasks/{task.pk}/")
    assert page.status_code == 200 and item.extension_reason in page.content.decode()
    assert client.get("/disclosure/requests/").status_code == 200
    assert client.get("/disclosure/requests/opinion/").status_code == 200
