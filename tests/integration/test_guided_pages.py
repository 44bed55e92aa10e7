"""Guide rather than refuse, and pages that do not mislead (issue 16): an action that cannot succeed
is shown disabled with the reason and article the service would give (its own dry run); a GET on a
POST-only address gets a page saying what to do; a document in approval says so when its edit page
is opened; a dossier counts its problems once; a 列席 head sees no link to a dossier he may not open."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from zhengwu.meetings import services as meeting_services
from zhengwu.meetings.models import AgendaItem, Meeting
from zhengwu.org.models import Person

pytestmark = pytest.mark.django_db

STANDING = "区政府第二十三次常务会议"  # demo: approved, three days ahead, with 列席 heads and a dossier item


@pytest.fixture
def gov(full_demo):
    return full_demo


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def web(username: str) -> Client:
    c = Client()
    c.force_login(p(username))
    return c


def item_block(html: str, item: AgendaItem) -> str:
    return re.search(rf'<article class="mt-item" id="item-{item.pk}">.*?</article>', html, re.S).group(0)


# ---- guided actions ---------------------------------------------------------------------------

@pytest.mark.rules("R63.gating")
def test_confirming_an_item_not_ready_is_a_disabled_button_with_the_services_reason(gov):
    m = Meeting.objects.get(title=STANDING)
    html = web("bgs-zhuren").get(f"/meetings/{m.pk}/agenda/").content.decode()
    not_ready = AgendaItem.objects.get(meeting=m, title="关于农业生产托管服务试点的议题")
    block = item_block(html, not_ready)
    assert re.search(r'<button type="button" disabled[^>]*>确定列入议程</button>', block)
    assert f'action="/meetings/{m.pk}/items/{not_ready.pk}/confirm/"' not in block  # no form to send
    reason = re.search(r'<span class="guided-reason"[^>]*>(.*?)</span>', block, re.S).group(1)
    assert "没有明确意见" in reason and 'href="/rulebook/#a63"' in reason and "第六十三条" in reason
    # the same words as the service's refusal
    try:
        meeting_services.item_confirm(actor=p("quzhang"), item_id=not_ready.pk)
    except Exception as e:  # noqa: BLE001 - Refused
        assert e.message in reason
    else:
        raise AssertionError("confirming an item without a clear proposal should be refused")
    ready = AgendaItem.objects.get(meeting=m, title="关于老旧小区改造2027年度计划的议题")
    block = item_block(html, ready)
    assert re.search(r'<form method="post" action="[^"]*/items/%d/confirm/"' % ready.pk, block)
    assert "disabled" not in block and not re.search(r"\bR\d+\.[a-z_]+", html)  # no rule ids either


@pytest.mark.rules("R60.quorum")
def test_opening_a_meeting_days_early_is_disabled_with_the_day_it_is_set_for(gov):
    m = Meeting.objects.get(title=STANDING)
    html = web("bgs-zhuren").get(f"/meetings/{m.pk}/chair/").content.decode()
    assert re.search(r'<button type="button" disabled id="open-meeting"[^>]*>宣布开会</button>', html)
    reason = re.search(r'<span class="guided-reason" id="open-meeting-why">(.*?)</span>', html, re.S).group(1)
    refusal = meeting_services.meeting_open_refusal(m)
    assert refusal is not None and refusal.message in reason and "会议安排在" in reason
    r = web("bgs-zhuren").post(f"/meetings/{m.pk}/open/")  # sent anyway: the same refusal
    assert r.status_code == 400 and refusal.message in r.content.decode()
    assert Meeting.objects.get(pk=m.pk).status == "approved"
    # on the day, with nobody signed in: the quorum rule, with its article
    on_the_day = m.starts_at
    refusal = meeting_services.meeting_open_refusal(m, at=on_the_day)
    assert refusal is not None and refusal.violations and refusal.violations[0].article == 60


# ---- pages that do not mislead ----------------------------------------------------------------

def test_a_get_on_a_post_only_address_is_a_page_that_says_what_to_do(gov):
    m = Meeting.objects.get(title=STANDING)
    r = web("bgs-zhuren").get(f"/meetings/{m.pk}/open/")
    html = r.content.decode()
    assert r.status_code == 405 and r["Allow"] == "POST"
    assert "不能直接打开" in html and "没有办理任何操作" in html
    assert f'href="/meetings/{m.pk}/"' in html  # back to the meeting
    assert Meeting.objects.get(pk=m.pk).status == "approved"
    r = web("bgs-zhuren").get("/api/v1/meetings/")  # the API keeps its own answers
    assert r.status_code != 405 or not r.content.decode().startswith("<!doctype")


def test_editing_a_document_in_approval_says_it_is_in_approval_not_changed_by_someone(gov):
    from zhengwu.documents.models import Document

    doc = Document.objects.filter(status="in_approval", direction="incoming").order_by("pk").first()
    drafter = doc.created_by if getattr(doc, "created_by_id", None) else None
    username = drafter.username if drafter else "bgs-zhuren"
    r = web(username).get(f"/documents/{doc.pk}/edit/")
    html = r.content.decode()
    assert r.status_code in (403, 409)
    if r.status_code == 409:
        assert "审批中" in html and "不能再修改" in html
        assert "已被他人修改" not in html and "当前环节不能办理" in html
    assert f'href="/documents/{doc.pk}/edit/"' not in html
    detail = web(username).get(f"/documents/{doc.pk}/").content.decode()
    assert f'href="/documents/{doc.pk}/edit/"' not in detail  # no edit link offered during approval


def test_a_dossier_counts_each_problem_once_and_shows_no_rule_ids(gov):
    from zhengwu.decisions.models import MajorDecision
    from zhengwu.decisions import selectors

    d = MajorDecision.objects.get(title="城北物流园区基础设施建设项目")
    html = web("bgs-zhuren").get(f"/decisions/{d.pk}/").content.decode()
    ready = re.search(r'<section class="panel" aria-labelledby="ready-title" id="readiness">.*?</section>', html,
                      re.S).group(0)
    shown = ready.count("✗")
    missing = selectors.missing_steps(d)
    assert shown == len(missing) and f"有{shown}处问题" in ready
    assert not re.search(r"\bR\d+\.[a-z_]+", ready)
    assert "尚缺风险评估、合法性审查" not in ready  # the ✗ list says it; the rule's sentence is not repeated


def test_a_lie_xi_head_sees_no_dossier_link_he_may_not_open_and_the_office_does(gov):
    from zhengwu.decisions.access import visible_dossiers

    m = Meeting.objects.get(title=STANDING)
    item = AgendaItem.objects.filter(meeting=m, dossier__isnull=False).order_by("pk").first()
    link = f'href="/decisions/{item.dossier_id}/"'
    guest = m.attendances.filter(role="attendee").exclude(person__username="fgj").first().person
    assert not visible_dossiers(guest).filter(pk=item.dossier_id).exists()
    r = web(guest.username).get(f"/meetings/{m.pk}/agenda/")
    assert r.status_code == 200 and link not in r.content.decode()
    assert web(guest.username).get(f"/decisions/{item.dossier_id}/").status_code == 403  # indeed not his
    assert link in web("bgs-zhuren").get(f"/meetings/{m.pk}/agenda/").content.decode()


# ---- every error of a form at once, the rules' first ------------------------------------------

@pytest.mark.rules("R67.single_main")
def test_a_request_to_two_recipients_without_a_title_gets_the_rule_and_the_entry_at_once(gov):
    from zhengwu.documents.models import Document

    before = Document.objects.count()
    r = web("jyj").post("/documents/new/", {
        "direction": "incoming", "kind": "请示", "title": "", "main_recipients": "区人民政府\n区财政局",
        "urgency": "一般", "matters_count": "1", "body": "区人民政府：\n有关情况如下……妥否，请批示。", "public": "1"})
    html = r.content.decode()
    assert r.status_code == 400 and Document.objects.count() == before
    refusal = re.search(r'<div class="refusal.*?</div>', html, re.S) or re.search(r'class="violations".*?</ul>', html, re.S)
    told = refusal.group(0)
    assert "不得多头主送" in told and "第六十七条" in told  # the rule, with its article
    assert "标题" in told  # and the entry to correct, in the same answer
    assert told.index("不得多头主送") < told.index("标题")  # the rule first
