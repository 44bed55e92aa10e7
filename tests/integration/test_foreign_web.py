"""The pages of foreign affairs, research and speeches (/affairs/foreign/…) on the full demo: every
section renders with the demo's records, the demo's 待办 are real, forms refuse citing the article
(an invitation 5 working days ahead, a congratulatory inscription), and the wrong person is refused
through the pages and the task page."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.affairs.foreign.models import Gift, Invitation, ResearchPlan, Speech, Visit
from zhengwu.affairs.foreign.tick import foreign_tick
from zhengwu.org.models import Person, Unit
from zhengwu.workcalendar.selectors import work_calendar
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task
from zhengwu.workflow.selectors import todo

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture(scope="module")
def demo_today():
    return DAY


@pytest.fixture
def gov(full_demo, monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return full_demo


def p(username):
    return Person.objects.get(username=username)


def client_for(client, username):
    client.force_login(p(username))
    return client


def open_tasks(username, obj_type):
    return [t for t in todo(p(username), on=DAY) if t.approval.obj_type == obj_type]


def test_every_section_renders_on_a_phone_friendly_page_with_the_demo(gov, client):
    c = client_for(client, "quzhang")
    index = c.get("/affairs/").content.decode()
    for url in ("/affairs/foreign/invitations/", "/affairs/foreign/visits/", "/affairs/foreign/gifts/",
                "/affairs/foreign/research/", "/affairs/foreign/speeches/"):
        assert url in index
        r = c.get(url)
        assert r.status_code == 200, url
        assert 'name="viewport"' in r.content.decode()
    assert "日本友好城市财政代表团来访座谈" in c.get("/affairs/foreign/invitations/").content.decode()
    assert "青瓷花瓶" in c.get("/affairs/foreign/gifts/").content.decode()
    research = c.get("/affairs/foreign/research/").content.decode()
    assert "老旧小区改造" in research and "义务教育均衡发展" in research
    for obj in (Invitation.objects.first(), Visit.objects.first(), Gift.objects.first(), Speech.objects.first()):
        kind = {Invitation: "invitations", Visit: "visits", Gift: "gifts", Speech: "speeches"}[type(obj)]
        assert c.get(f"/affairs/foreign/{kind}/{obj.pk}/").status_code == 200
    plan = ResearchPlan.objects.first()
    assert c.get(f"/affairs/foreign/research/{plan.pk}/").status_code == 200


def test_the_demo_todos_are_backed_by_real_records(gov):
    [head] = open_tasks("quzhang", "foreign.visit")
    visit = Visit.objects.get(pk=int(head.approval.obj_id))
    assert head.step_id == "head_approve" and visit.traveller.username == "czj"
    office = {t.step_id for t in todo(p("bgs-zhuren"), on=DAY) if t.approval.obj_type.startswith("foreign.")}
    assert {"office_file", "secretary_agree", "city_approve"} <= office
    assert Speech.objects.filter(status=Speech.Status.APPROVED).exists()
    assert Gift.objects.filter(status=Gift.Status.DUE, due_on__lt=DAY).exists()
    assert foreign_tick(DAY).startswith("1 late gifts")


@pytest.mark.rules("R79.lead_time")
def test_an_invitation_5_working_days_ahead_is_refused_on_the_page_and_7_is_filed(gov, client):
    c = client_for(client, "czj")
    data = {"unit_id": Unit.objects.get(short_name="财政局").pk, "leader_id": p("quzhang").pk, "title": "韩国客商来访",
            "foreign_party": "韩国某商会", "text": "请区长会见。",
            "event_on": work_calendar().add_workdays(DAY, 5).isoformat()}
    r = c.post("/affairs/foreign/invitations/new/", data)
    assert r.status_code == 400
    assert "（《工作规则》第七十九条）" in r.content.decode()
    assert not Invitation.objects.filter(title="韩国客商来访").exists()
    r = c.post("/affairs/foreign/invitations/new/", {**data, "event_on": work_calendar().add_workdays(DAY, 7).isoformat()})
    assert r.status_code == 302
    assert Invitation.objects.get(title="韩国客商来访").working_days_ahead == 7


@pytest.mark.rules("R96.no_inscriptions")
def test_a_congratulatory_inscription_is_refused_on_the_page(gov, client):
    c = client_for(client, "quzhang")
    r = c.post("/affairs/foreign/speeches/new/", {"kind": "inscription", "title": "为某商会成立题词", "occasion": "成立大会",
                                                  "text": "……"})
    assert r.status_code == 400 and "（《工作规则》第九十六条）" in r.content.decode()
    assert not Speech.objects.filter(title="为某商会成立题词").exists()


@pytest.mark.rules("R80.chain")
def test_the_wrong_person_is_refused_through_the_pages_and_the_task_page(gov, client):
    [head] = open_tasks("quzhang", "foreign.visit")
    visit = Visit.objects.get(pk=int(head.approval.obj_id))
    c = client_for(client, "jyj")
    assert c.get(f"/affairs/foreign/visits/{visit.pk}/").status_code == 403
    assert c.post(f"/affairs/foreign/visits/{visit.pk}/leave/").status_code == 403
    # the 分管副区长 who agreed cannot give the 区长's approval through the task page
    c = client_for(client, "changwu")
    r = c.post(f"/tasks/{head.pk}/", {"op": "complete", "decision": "批准", "opinion": "同意"})
    assert r.status_code in (403, 404)
    assert Task.objects.get(pk=head.pk).status == Task.Status.OPEN
    # the traveller cannot leave before the chain is complete (art. 80)
    r = client_for(client, "czj").post(f"/affairs/foreign/visits/{visit.pk}/leave/")
    assert r.status_code == 400 and "（《工作规则》第八十条）" in r.content.decode()
    # the 区长 sees the visit on his task page and approves there
    c = client_for(client, "quzhang")
    page = c.get(f"/tasks/{head.pk}/")
    assert page.status_code == 200 and "考察友好城市地方财政预算绩效管理" in page.content.decode()
    r = c.post(f"/tasks/{head.pk}/", {"op": "complete", "decision": "批准", "opinion": "同意"})
    assert r.status_code in (200, 302)
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.APPROVED
    # gifts: the recipient does not record his own handover; the office does
    gift = Gift.objects.get(description="青瓷花瓶")
    assert client_for(client, "czj").post(f"/affairs/foreign/gifts/{gift.pk}/hand-over/", {}).status_code == 403
    assert client_for(client, "bgs-zhuren").post(f"/affairs/foreign/gifts/{gift.pk}/hand-over/", {}).status_code == 302
    assert Gift.objects.get(pk=gift.pk).status == Gift.Status.HANDED
    # research: another leader cannot write in a leader's plan, nor a department head read it
    plan = ResearchPlan.objects.get(leader__username="fuqu2")
    assert client_for(client, "fuqu1").post(f"/affairs/foreign/research/{plan.pk}/trip/",
                                            {"starts_on": "2026-05-01", "ends_on": "2026-05-02",
                                             "place": "x"}).status_code == 403
    assert client_for(client, "czj").get(f"/affairs/foreign/research/{plan.pk}/").status_code == 403


@pytest.mark.rules("R93.grassroots")
def test_the_research_page_shows_the_year_end_shortfall(gov, client, monkeypatch):
    end = dt.date(2026, 12, 31)
    monkeypatch.setattr(rules, "today", lambda: end)
    page = client_for(client, "bgs-zhuren").get("/affairs/foreign/research/").content.decode()
    assert "到基层调研5天" in page and "（《工作规则》第九十三条）" in page


@pytest.mark.rules("R80.chain")
def test_the_wrong_person_is_refused_through_the_cli_citing_article_80(gov, capsys):
    from zhengwu.cli import main

    [head] = open_tasks("quzhang", "foreign.visit")
    code = main(["task", "complete", str(head.pk), "--as", "changwu", "--decision", "批准"])
    _out, err = capsys.readouterr()
    assert code == 2 and "（《工作规则》第八十条）" in err
    assert Task.objects.get(pk=head.pk).status == Task.Status.OPEN


def test_visits_invitations_and_research_show_on_the_leaders_calendar(gov):
    from zhengwu.affairs.leave import calendar

    inv = Invitation.objects.get(title="日本友好城市财政代表团来访座谈")
    found = calendar.entries(gov, inv.event_on, inv.event_on, [p("quzhang").pk])
    assert any(e.kind == "外事" and inv.title in e.title for e in found)
    plan = ResearchPlan.objects.get(leader__username="fuqu1")
    trip = plan.trips.order_by("starts_on").first()
    found = calendar.entries(gov, trip.starts_on, trip.starts_on, [p("fuqu1").pk])
    assert any(e.kind == "调研" and e.place == trip.place for e in found)
    [task] = [t for t in todo(p("bgs-zhuren"), on=DAY) if t.step_id == "secretary_agree"]
    visit = Visit.objects.get(pk=int(task.approval.obj_id))
    day = [visit.departs_on, visit.departs_on, [visit.traveller_id]]
    assert not any(e.kind == "出访" for e in calendar.entries(gov, *day))  # not approved yet
    for step, decision in (("secretary_agree", "同意"), ("city_approve", "批准")):
        [t] = [t for t in todo(p("bgs-zhuren"), on=DAY) if t.step_id == step and t.approval.obj_type == "foreign.visit"]
        wf.task_complete(actor=p("bgs-zhuren"), task_id=t.pk, decision=decision, opinion="已登记上级意见", on=DAY)
    assert [e.title for e in calendar.entries(gov, *day) if e.kind == "出访"] == ["出访韩国"]


def test_bad_input_through_the_pages_is_refused_naming_it_never_a_500(gov, client):
    big = "9" * 25
    c = client_for(client, "czj")
    for kind in ("invitations", "visits", "gifts", "research", "speeches"):
        assert c.get(f"/affairs/foreign/{kind}/{big}/").status_code == 404, kind
    assert c.post("/affairs/foreign/nonsense/new/", {}).status_code == 404
    for data in ({"countries": "日本", "departs_on": "2026-13-01", "returns_on": "2026-11-24", "group_size": "3",
                  "purpose": "x"},
                 {"countries": "日本", "departs_on": "2026-11-20", "returns_on": "2026-11-24", "group_size": "abc",
                  "purpose": "x"},
                 {"countries": "", "departs_on": "2026-11-20", "returns_on": "2026-11-24", "group_size": "3",
                  "purpose": "x"},
                 {"countries": "日本", "departs_on": "2026-11-20", "returns_on": "2026-11-24", "group_size": "3",
                  "purpose": "x", "traveller_id": big}):
        r = c.post("/affairs/foreign/visits/new/", data)
        assert r.status_code in (400, 403), (data, r.status_code)
    r = c.post("/affairs/foreign/gifts/new/", {"description": "x\x0by", "giver": "g", "value": "5",
                                               "received_on": "2026-10-01"})
    assert r.status_code == 400
    r = c.post("/affairs/foreign/gifts/new/", {"description": "花瓶", "giver": "g", "value": "-5",
                                               "received_on": "2026-10-01"})
    assert r.status_code == 400 and "价值" in r.content.decode()
    assert not Visit.objects.filter(traveller__username="czj", created_by__username="czj",
                                    purpose="x").exists()
