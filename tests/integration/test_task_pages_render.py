"""Every open task of the full demo opens its 办文 page for whoever holds it, and a person it is not
for gets a refusal, never a server error. (`make soak` found a follow-up's page answering 500 when the
dossier had no proposing unit: a template filter's argument that did not resolve.)"""

import pytest

from zhengwu.org.models import Person
from zhengwu.workflow.models import Task


@pytest.fixture
def open_tasks(full_demo):
    return list(Task.objects.filter(status=Task.Status.OPEN).select_related("assignee").order_by("id"))


def test_every_open_task_page_renders_for_its_assignee(client, open_tasks):
    assert open_tasks
    failed = []
    for task in open_tasks:
        client.force_login(task.assignee)
        r = client.get(f"/tasks/{task.pk}/")
        if r.status_code != 200:
            failed.append((task.pk, task.step_id, task.assignee.username, r.status_code))
    assert failed == []


def test_a_task_page_of_someone_else_is_refused_not_an_error(client, open_tasks):
    stranger = Person.objects.get(username="dfx")  # a town's head: none of these tasks are his
    client.force_login(stranger)
    for task in open_tasks:
        if task.assignee_id == stranger.pk or task.approval.originator_id == stranger.pk:
            continue
        assert client.get(f"/tasks/{task.pk}/").status_code in (403, 404), task.step_id
