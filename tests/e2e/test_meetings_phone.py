"""A member's agenda on a phone: 孙丙 (fuqu2) opens the approved 常务会议 on the morning of the
meeting, reads the agenda and its materials, taps 签到 — the sign-in is recorded at that moment."""

import datetime as dt

import pytest

from e2e_support import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2026, 11, 2)
MEETING_DAY = dt.date(2026, 11, 5)
TITLE = "区政府第九十九次常务会议"
ITEM = "关于2027年城区供热价格调整方案的议题"


@pytest.fixture
def approved_meeting(demo_site, monkeypatch):
    from zoneinfo import ZoneInfo

    from zhengwu import rules
    from zhengwu.meetings import services
    from zhengwu.meetings import views_support as vs
    from zhengwu.org.models import Person
    from zhengwu.workflow import services as wf
    from zhengwu.workflow.models import Task

    tz = ZoneInfo("Asia/Shanghai")
    p = lambda name: Person.objects.get(username=name)  # noqa: E731
    m = services.meeting_schedule(actor=p("wenshu"), meeting_type="standing", title=TITLE,
                                  starts_at=dt.datetime(2026, 11, 5, 15, tzinfo=tz),
                                  ends_at=dt.datetime(2026, 11, 5, 17, 30, tzinfo=tz), chair_id=p("quzhang").pk,
                                  place="区政府第三会议室", on=DAY)
    it = services.item_propose(actor=p("fuqu1"), meeting_id=m.pk, title=ITEM, materials=["调价方案（送审稿）"],
                               has_substantive_content=True, has_clear_proposal=True, prior_procedure_complete=True,
                               concerns_whole_district=True, on=DAY)
    services.item_confirm(actor=p("quzhang"), item_id=it.pk, on=DAY)
    services.meeting_submit(actor=p("wenshu"), meeting_id=m.pk, on=DAY)
    m.refresh_from_db()
    for who, kw in (("bgs-zhuren", {"opinion": "拟同意"}), ("quzhang", {"decision": "同意"})):
        task = Task.objects.get(approval_id=m.approval_id, status="open", kind="step", assignee__username=who)
        wf.task_complete(actor=p(who), task_id=task.pk, on=DAY, **kw)
    moment = dt.datetime(2026, 11, 5, 14, 40, tzinfo=tz)  # the afternoon of the meeting
    monkeypatch.setattr(rules, "today", lambda: MEETING_DAY)
    monkeypatch.setattr(vs, "now", lambda: moment)
    m.refresh_from_db()
    assert m.status == "approved"
    return m, moment


def test_a_member_reads_the_agenda_and_signs_in_on_a_phone(demo_site, phone, approved_meeting):
    from playwright.sync_api import expect

    from zhengwu.meetings.models import Attendance

    meeting, moment = approved_meeting
    page = phone
    log_in(page, demo_site, "fuqu2")
    page.goto(f"{demo_site}/meetings/{meeting.pk}/phone/")
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.locator(".mt-agenda")).to_contain_text(ITEM)
    expect(page.locator(".mt-agenda")).to_contain_text("调价方案（送审稿）")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone

    button = page.locator("#sign-in")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box["height"] >= 40 and box["width"] >= 300  # a thumb-sized target across the screen
    button.tap()
    page.wait_for_url(f"{demo_site}/meetings/{meeting.pk}/phone/")
    expect(page.locator("#my-status")).to_contain_text("出席")
    expect(page.locator("#sign-in")).to_have_count(0)
    att = Attendance.objects.get(meeting=meeting, person__username="fuqu2")
    assert (att.status, att.signed_in_at) == ("present", moment)
