"""Every meetings page renders for the demo's meetings (past ones of each type with minutes and
decisions, an upcoming 常务会议 with items in every readiness state) for the office, the 区长 and
a member; an outsider sees none of them."""

import pytest

from zhengwu.meetings.models import Meeting

pytestmark = pytest.mark.django_db

PAGES = ("", "agenda/", "phone/", "minutes/")


@pytest.fixture
def demo_meetings():
    from zhengwu import demo

    demo.load()
    meetings = list(Meeting.objects.all())
    if not meetings:
        pytest.skip("the demo has no meetings yet")
    return meetings


def test_every_page_of_every_demo_meeting_renders(client, demo_meetings):
    from zhengwu.org.models import Person

    for username in ("wenshu", "quzhang"):
        client.force_login(Person.objects.get(username=username))
        assert client.get("/meetings/").status_code == 200
        assert client.get("/meetings/followups/").status_code == 200
        for m in demo_meetings:
            for page in PAGES:
                r = client.get(f"/meetings/{m.pk}/{page}")
                assert r.status_code == 200, (username, m.title, page, r.status_code)
            runs = username == "wenshu" or m.chair_id == Person.objects.get(username=username).pk
            assert client.get(f"/meetings/{m.pk}/chair/").status_code == (200 if runs else 403)
    client.force_login(Person.objects.get(username="jyj"))
    hidden = [m for m in demo_meetings if not m.attendances.filter(person__username="jyj").exists()]
    for m in hidden:
        assert client.get(f"/meetings/{m.pk}/").status_code == 403
