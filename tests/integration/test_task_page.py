"""The 办文 page (/tasks/<id>/): every task shows its object first and the action second — a
document's 正文, attachments, 处理单 summary and history in sentences; a meeting's agenda; a leave
request; minutes; a decision's follow-up; the title alone for an object type nobody registered —
then the opinion, the saved phrases, the handwriting pad (documents), one submit. Who may not see
the task is refused; a refusal shows its message and article; the drawing and the 批示 commit together."""

import base64
import datetime as dt
import re
import struct
import zlib

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Refused
from zhengwu.rulebook.registry import Violation
from zhengwu.workflow import services as wf
from zhengwu.workflow import subjects
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db

URGENT = "关于提前下达农村公路养护资金的请示"  # demo: the 区长's 批示 (串并联), with the 财政局's cost table
TABLE = "农村公路养护资金测算表.xlsx"


def p(username):
    from zhengwu.org.models import Person

    return Person.objects.get(username=username)


def test_every_object_type_the_engine_runs_tasks_on_names_its_fragment():
    from zhengwu.decisions import task_view as dtv
    from zhengwu.documents import task_view as doctv
    from zhengwu.meetings import task_view as mtv

    expected = {"documents.document": (doctv.FRAGMENT, doctv.fragment_context),
                "documents.followup": (doctv.FRAGMENT, doctv.fragment_context),
                "meetings.meeting": (mtv.MEETING_FRAGMENT, mtv.meeting_context),
                "meetings.attendance": (mtv.LEAVE_FRAGMENT, mtv.leave_context),
                "meetings.minutes": (mtv.MINUTES_FRAGMENT, mtv.minutes_context),
                "decisions.followup": (dtv.FRAGMENT, None)}
    for obj_type, (fragment, context) in expected.items():
        found = subjects.get(obj_type)
        assert found is not None and found.fragment == fragment and found.fragment_context is not None, obj_type
        if context is not None:
            assert found.fragment_context is context, obj_type


DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture
def today(monkeypatch):
    from zhengwu import rules

    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


def load_gov() -> int:
    from zhengwu.org import demo
    from zhengwu.org.models import Unit
    from zhengwu.workflow import demo as workflow_demo

    gov = demo.load()
    workflow_demo.load(on=DAY)
    # a matter over an object type nobody registered (the demo has none: its matters are real objects),
    # reviewed by the office, now with the 常务副区长 and the 区长 at once
    stand_in = wf.approval_start(actor=p("czj"), route_id="doc.intake_urgent", obj_type="test.request", obj_id="2",
                                 title="关于拨付冬季供暖补贴资金的请示", urgency="加急",
                                 applicant_unit=Unit.objects.get(short_name="财政局"), context={"major": True}, on=DAY)
    review = stand_in.tasks.get(status="open")
    wf.task_complete(actor=p("bgs-zhuren"), task_id=review.pk, opinion="情况紧急，拟请区长、常务副区长阅示", on=DAY)
    return gov.pk


@pytest.fixture(scope="module")
def gov_id(module_data):
    return module_data(load_gov)


@pytest.fixture
def gov(gov_id, db):
    """The demo organisation and the workflow's demo traffic (saved phrases, a matter of an object
    type nobody registered), loaded once for the module; each test in a savepoint on top
    (tests/conftest.py)."""
    from zhengwu.org.models import Government

    return Government.objects.get(pk=gov_id)


@pytest.fixture
def roads(gov, today):
    """The 财政局's urgent request with its cost table, 串并联: reviewed by the office, now with the
    常务副区长 and the 区长 at once; the 区长 has the 副区长 for 城建 read it."""
    from zhengwu.documents import attachments, intake, services
    from zhengwu.documents.demo import ROADS_TABLE, _roads_table
    from zhengwu.org.models import Unit

    doc = services.document_draft(
        actor=p("czj"), unit=Unit.objects.get(short_name="财政局"), direction="incoming", kind="请示", title=URGENT,
        main_recipients=["区人民政府"], urgency="加急", body="提前下达农村公路养护资金有关情况如下……妥否，请批示。",
        important=True, collective_ref="财政局党组会议纪要〔2026〕5号", facts={"decision_needed_by": "2026-11-06"}, on=DAY)
    attachments.attachment_add(actor=p("czj"), document_id=doc.pk, name=ROADS_TABLE, data=_roads_table(), on=DAY)
    intake.document_submit(actor=p("czj"), document_id=doc.pk, on=DAY)
    intake.document_register(actor=p("wenshu"), document_id=doc.pk, on=DAY)
    intake.document_route(actor=p("wenshu"), document_id=doc.pk, major=True, parallel=True, on=DAY)
    doc.refresh_from_db()
    review = doc.approval.tasks.get(status="open")
    wf.task_complete(actor=review.assignee, task_id=review.pk, opinion="情况紧急，拟请李乙常务副区长、张甲区长同时阅示", on=DAY)
    wf.circulation_send(actor=p("quzhang"), approval_id=doc.approval_id, people=[p("fuqu1")],
                        note="涉及农村公路养护，请王丙同志阅知")
    return doc


def page(client, task) -> str:
    response = client.get(f"/tasks/{task.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def as_(client, username):
    client.force_login(p(username))
    return client


def png_data_url(ink: bool = True, w: int = 60, h: int = 30) -> str:
    """A small RGBA PNG: a dark stroke across it, or blank."""
    rows = b""
    for y in range(h):
        row = bytearray(b"\x00")
        for x in range(w):
            row += bytes((20, 23, 26, 255)) if ink and abs(y - h // 2) <= 1 else bytes((0, 0, 0, 0))
        rows += bytes(row)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode()


def head_task() -> Task:
    return Task.objects.get(approval__title=URGENT, approval__obj_type="documents.document",
                            status="open", assignee__username="quzhang")


# ---- a document ---------------------------------------------------------------------------------

def test_a_document_task_shows_the_text_the_attachments_and_the_history_before_the_action(client, roads):
    task = head_task()
    html = page(as_(client, "quzhang"), task)
    doc_id = int(task.approval.obj_id)
    assert "提前下达农村公路养护资金有关情况如下" in html  # the 正文
    assert TABLE in html and re.search(rf'href="/documents/{doc_id}/attachments/\d+/"', html)  # the attachment
    # a sentence: who, when, what was done and said
    assert re.search(r'<span class="sentence-who">周庚</span> <time[^>]*>\d\d-\d\d \d\d:\d\d</time> '
                     r'<span class="sentence-text">审核：情况紧急', html)
    assert re.search(r'郑壬</span> <time[^>]*>[^<]*</time> <span class="sentence-text">收文登记：白洮政收〔', html)
    told = re.search(r'<ol class="sentences">.*?</ol>', html, re.S).group(0)
    assert TABLE in told and "SHA-256" not in told and not re.search(r"[0-9a-f]{12,}", told)  # no digest
    assert "白洮政收〔" in html and "区财政局" in html and "加急" in html  # the 处理单 summary
    assert re.search(r"剩\d+个工作日", html)
    assert "李乙（批示）" in html  # who else is still to act
    assert f'href="/documents/{doc_id}/"' in html  # the document's own page
    # the object first, then the action: phrases, the handwriting pad, one submit
    assert html.index('id="doc-body"') < html.index('class="action-form"')
    assert html.index("data-phrases") > html.index('id="doc-body"')
    assert "data-sigpad" in html and "web/sigpad.js" in html
    assert html.count('name="op" value="complete"') == 1


def test_someone_who_may_not_see_the_task_is_refused_and_sees_nothing_of_it(client, roads):
    task = head_task()
    response = as_(client, "jyj").get(f"/tasks/{task.pk}/")  # the 教育局's head
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权查看他人的待办" in html and "有关情况如下" not in html and TABLE not in html


def test_the_instruction_with_a_drawing_is_kept_with_the_task_and_the_clerk_is_told(client, roads):
    task = head_task()
    response = as_(client, "quzhang").post(f"/tasks/{task.pk}/", {
        "op": "complete", "opinion": "同意，请财政局抓紧下达", "version": task.version, "signature": png_data_url()})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.opinion, task.completed_by.username) == ("done", "同意，请财政局抓紧下达", "quzhang")
    from zhengwu.documents.models import Signature

    sig = Signature.objects.get(task=task)
    assert sig.person.username == "quzhang"
    assert AuditEvent.objects.filter(action="documents.signature.add", obj_id=task.approval.obj_id).count() == 1
    assert Notification.objects.filter(person__username="wenshu", title__startswith="张甲已批示").exists()
    assert not Notification.objects.filter(task=task, person__username="quzhang", read_at__isnull=True).exists()


def test_a_blank_drawing_is_refused_on_the_page_and_nothing_is_written(client, roads):
    task = head_task()
    events = AuditEvent.objects.count()
    response = as_(client, "quzhang").post(f"/tasks/{task.pk}/", {
        "op": "complete", "opinion": "同意", "version": task.version, "signature": png_data_url(ink=False)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "手写签批是空白的" in html and 'class="sigpad invalid"' in html
    assert "有关情况如下" in html  # the object is still shown
    task.refresh_from_db()
    assert task.status == "open" and AuditEvent.objects.count() == events


def test_a_refusal_on_the_page_shows_its_message_and_article(client, roads, monkeypatch):
    task = head_task()
    message = "只有区长可以办理该环节（《工作规则》第六十八条）"

    def refuse(**kwargs):
        raise Refused(message, violations=[Violation("R68.instruct", 68, "block", message),
                                           Violation("R15.step_holder", 15, "block", "补位须有记录（《工作规则》第十五条）")],
                      field="task_id")

    monkeypatch.setattr(wf, "task_complete", refuse)
    response = as_(client, "quzhang").post(f"/tasks/{task.pk}/", {"op": "complete", "opinion": "同意"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "第十五条" in html and 'href="/rulebook/#a15"' in html


def test_a_reader_of_a_circulated_document_sees_it_and_acknowledges(client, roads):
    reading = Task.objects.get(approval__title=URGENT, approval__obj_type="documents.document", kind="circulation",
                               assignee__username="fuqu1")
    html = page(as_(client, "fuqu1"), reading)
    assert "有关情况如下" in html and TABLE in html and 'value="ack"' in html
    assert "data-sigpad" not in html  # nothing to sign on a circulation


# ---- other objects ---------------------------------------------------------------------------

def test_a_leave_request_shows_who_asks_why_and_the_meeting(client, gov):
    from zhengwu.meetings import services as meetings

    from meetings_support import DAY as PREP, approve, at, schedule

    m = approve(schedule("standing"))
    meetings.leave_request(actor=p("fuqu3"), meeting_id=m.pk, reason="赴省农业农村厅汇报高标准农田建设",
                           at=at(PREP, 15))
    task = Task.objects.get(approval__obj_type="meetings.attendance", status="open")
    html = page(as_(client, task.assignee.username), task)
    assert 'id="leave-request"' in html and "钱戊" in html and "赴省农业农村厅汇报高标准农田建设" in html
    assert m.title in html and f'href="/meetings/{m.pk}/"' in html
    assert "data-sigpad" not in html  # the pad is for documents
    assert as_(client, "jyj").get(f"/tasks/{task.pk}/").status_code == 403


def test_a_decisions_follow_up_shows_the_decided_matter(client, gov):
    from zhengwu.decisions import followups, services as decisions
    from zhengwu.org.models import Unit

    dossier = decisions.dossier_create(actor=p("fgj"), data={
        "title": "城北物流园区基础设施建设项目", "matter_type": "major_project", "amount_yuan": 86_000_000,
        "proposing_unit_id": Unit.objects.get(short_name="发改局").pk, "summary": "建设园区道路、给排水和供热管网。"},
        on=DAY)
    followups.start(p("wenshu"), dossier, followups.IMPLEMENTATION_ROUTE, DAY)
    task = Task.objects.get(approval__obj_type="decisions.followup", status="open")
    html = page(as_(client, task.assignee.username), task)
    assert 'class="object-fragment task-followup"' in html and "建设园区道路、给排水和供热管网。" in html
    assert f'href="/decisions/{dossier.pk}/"' in html


def test_an_object_type_nobody_registered_shows_its_title_and_history(client, gov):
    task = Task.objects.get(approval__obj_type="test.request", step_id="head_instruct", assignee__username="quzhang")
    assert subjects.get("test.request") is None
    html = page(as_(client, "quzhang"), task)
    assert 'id="object-title">关于拨付冬季供暖补贴资金的请示</h2>' in html
    assert re.search(r'周庚</span> <time[^>]*>[^<]*</time> <span class="sentence-text">审核：情况紧急', html)
    assert 'value="complete"' in html and "data-sigpad" not in html


def test_minutes_in_review_show_their_text_to_the_reviewer(client, gov):
    from zhengwu.meetings import services as meetings

    from meetings_support import MEETING_DAY, held

    minutes = meetings.minutes_draft(actor=p("wenshu"), meeting_id=held("standing").pk, number="〔2026〕23号",
                                     body="一、关于2027年城区供热价格调整方案\n会议原则同意，由住建局牵头落实。")
    minutes = meetings.minutes_submit(actor=p("wenshu"), minutes_id=minutes.pk, on=MEETING_DAY)
    task = Task.objects.get(approval_id=minutes.approval_id, status="open")
    html = page(as_(client, task.assignee.username), task)
    assert 'id="minutes-body"' in html and "会议原则同意，由住建局牵头落实。" in html
    assert "关于2027年城区供热价格调整方案的议题" in html  # the meeting's decision
    assert as_(client, "jyj").get(f"/tasks/{task.pk}/").status_code == 403


def test_a_meeting_submitted_for_approval_shows_its_agenda(client, gov):
    from zhengwu.meetings import services as meetings

    from meetings_support import DAY as PREP, item, schedule

    m = schedule("standing")
    item(m, title="关于城区供热价格调整的议题")
    meetings.meeting_submit(actor=p("wenshu"), meeting_id=m.pk, on=PREP)
    m.refresh_from_db()
    task = Task.objects.get(approval_id=m.approval_id, status="open")
    html = page(as_(client, task.assignee.username), task)
    assert 'id="task-agenda"' in html and "关于城区供热价格调整的议题" in html and m.title in html


def test_a_drawing_is_not_kept_when_the_step_is_refused(client, roads):
    from zhengwu.documents.models import Signature

    task = head_task()
    events = AuditEvent.objects.count()
    response = as_(client, "quzhang").post(f"/tasks/{task.pk}/", {
        "op": "complete", "opinion": "同意", "version": task.version + 1, "signature": png_data_url()})  # stale
    assert response.status_code == 409 and "请刷新后再办理" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "open" and not Signature.objects.exists() and AuditEvent.objects.count() == events


def test_a_drawing_alone_is_recorded_as_a_handwritten_instruction(client, roads):
    from zhengwu.documents.models import Signature

    task = head_task()
    response = as_(client, "quzhang").post(f"/tasks/{task.pk}/", {
        "op": "complete", "opinion": "", "version": task.version, "signature": png_data_url()})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.opinion) == ("done", "（见手写签批）") and Signature.objects.filter(task=task).exists()
