"""Notifications clear when the person opens the object they are about (issue 16), on a meeting's
page and a supervision item's page as on a document's: the person's own unread notices linked to the
page and those about the tasks of the object's approvals are read; notices about another object,
and other people's notices about this one, stay unread; a page the person may not open marks nothing."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.meetings.models import Meeting
from zhengwu.supervision.models import SupervisionItem
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def gov(full_demo):
    return full_demo


def note(person, link: str = "", task: Task | None = None) -> Notification:
    return Notification.objects.create(person=person, kind="info", title="请阅", link=link, task=task)


def unread(n: Notification) -> bool:
    n.refresh_from_db()
    return n.read_at is None


def _opened(client, person, url: str, mine: list[Notification], others: list[Notification]) -> None:
    assert all(unread(n) for n in mine + others)
    client.force_login(person)
    assert client.get(url).status_code == 200
    assert not any(unread(n) for n in mine)
    assert all(unread(n) for n in others)


def test_opening_a_meeting_reads_the_persons_notices_about_it_and_no_others(gov, client):
    task = (Task.objects.filter(approval__obj_type="meetings.meeting", assignee__isnull=False)
            .select_related("assignee", "approval").order_by("id").first())
    assert task is not None, "the demo has a meeting whose arrangement went for approval"
    person, meeting_id = task.assignee, int(task.approval.obj_id)
    other = Meeting.objects.exclude(pk=meeting_id).order_by("id").first()
    someone_else = Task.objects.exclude(assignee=person).filter(assignee__isnull=False).first().assignee
    mine = [note(person, link=f"/meetings/{meeting_id}/"), note(person, task=task)]
    others = [note(person, link=f"/meetings/{other.pk}/"), note(someone_else, link=f"/meetings/{meeting_id}/"),
              note(person, link="/meetings/")]
    _opened(client, person, f"/meetings/{meeting_id}/", mine, others)


def test_opening_a_supervision_item_reads_the_persons_notices_about_it_and_no_others(gov, client):
    task = (Task.objects.filter(approval__obj_type="supervision.item", assignee__isnull=False)
            .select_related("assignee", "approval").order_by("id").first())
    assert task is not None, "the demo has a supervision item that went for approval"
    person, item_id = task.assignee, int(task.approval.obj_id)
    other = SupervisionItem.objects.exclude(pk=item_id).order_by("id").first()
    someone_else = Task.objects.exclude(assignee=person).filter(assignee__isnull=False).first().assignee
    mine = [note(person, link=f"/supervision/{item_id}/"), note(person, task=task)]
    others = [note(person, link=f"/supervision/{other.pk}/"), note(someone_else, link=f"/supervision/{item_id}/")]
    _opened(client, person, f"/supervision/{item_id}/", mine, others)


def test_a_page_the_person_may_not_open_marks_nothing(gov, client):
    from zhengwu.org.models import Person
    from zhengwu.supervision import access as sv_access

    item = SupervisionItem.objects.order_by("id").first()
    outsider = next(p for p in Person.objects.filter(government=item.government, is_active=True).order_by("id")
                    if not sv_access.visible_items(p, on=DAY).filter(pk=item.pk).exists())
    n = note(outsider, link=f"/supervision/{item.pk}/")
    client.force_login(outsider)
    assert client.get(f"/supervision/{item.pk}/").status_code in (403, 404)
    assert unread(n)
