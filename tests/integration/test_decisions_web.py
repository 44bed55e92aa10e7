"""The 三重一大 pages: the list, a dossier's procedure checklist and readiness (each missing
procedure with its article), recording a procedure and a consultation reply, refusals shown
naming the field with nothing written, and direct URL access (IDOR)."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.decisions import services
from zhengwu.decisions.models import Consultation, MajorDecision, ProcedureRecord
from zhengwu.org.models import Person, Unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)
# the deciding meeting's record of the discussion: members spoke, the chair (一把手) last (art. 28, 29)
HELD = [("executive_deputy", False), ("deputy_head", False), ("district_head", True)]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)


@pytest.fixture(scope="module")
def demo_today():
    return DAY  # the org demo is loaded once for the module, as of DAY (tests/conftest.py)


@pytest.fixture
def dossier(org_demo):
    return services.dossier_create(actor=p("fgj"), data={
        "title": "城北物流园区基础设施建设项目", "matter_type": "major_project", "amount_yuan": 86_000_000,
        "proposing_unit_id": u("发改局").pk, "research_done": True, "unit_collective_discussion_ref": "局党组会议纪要",
        "evaluations": ["legality", "necessity", "scientific", "feasibility", "controllability"],
        "evaluated_by": "区政府发展研究中心", "affected_unit_ids": [u("新华街道").pk]}, on=DAY)


def p(username):
    return Person.objects.get(username=username)


def u(short_name):
    return Unit.objects.get(short_name=short_name)


def login(client, username):
    client.force_login(p(username))
    return client


def test_the_list_shows_the_units_own_dossiers_and_the_office_all(client, dossier):
    page = login(client, "fgj").get("/decisions/").content.decode()
    assert "城北物流园区基础设施建设项目" in page
    assert "城北物流园区基础设施建设项目" in login(client, "wenshu").get("/decisions/").content.decode()
    assert "城北物流园区基础设施建设项目" not in login(client, "jyj").get("/decisions/").content.decode()


def test_the_detail_shows_the_checklist_with_each_missing_procedure_and_its_article(client, dossier):
    r = login(client, "fgj").get(f"/decisions/{dossier.pk}/")
    assert r.status_code == 200
    page = r.content.decode()
    for label in ("公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论决定"):
        assert label in page
    assert "第二十八条" in page and "第三十条" in page
    assert "新华街道办事处" in page


def test_recording_a_procedure_and_a_reply_through_the_forms(client, dossier):
    login(client, "fgj")
    r = client.post(f"/decisions/{dossier.pk}/procedures/", {"step": "expert_argument", "done_on": "2026-10-08",
                                                              "evidence": "专家论证会纪要"})
    assert r.status_code == 302
    assert ProcedureRecord.objects.get(dossier=dossier).step == "expert_argument"
    r = client.post(f"/decisions/{dossier.pk}/consultations/", {"unit_id": u("新华街道").pk, "asked_on": "2026-10-12"})
    assert r.status_code == 302
    c = Consultation.objects.get(dossier=dossier)
    r = client.post(f"/decisions/{dossier.pk}/consultations/{c.pk}/reply/", {"reply": "同意", "replied_on": "2026-10-14"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert (c.reply, c.replied_on) == ("同意", dt.date(2026, 10, 14))
    page = client.get(f"/decisions/{dossier.pk}/").content.decode()
    assert "专家论证会纪要" in page and "同意" in page


@pytest.mark.parametrize("form, field", [
    ({"step": "site_visit", "done_on": "2026-10-08", "evidence": "记录"}, "step"),
    ({"step": "expert_argument", "done_on": "2026-11-20", "evidence": "纪要"}, "done_on"),
    ({"step": "expert_argument", "done_on": "2026-10-08", "evidence": ""}, "evidence"),
])
def test_a_bad_procedure_form_is_refused_on_the_page_and_writes_nothing(client, dossier, form, field):
    r = login(client, "fgj").post(f"/decisions/{dossier.pk}/procedures/", form)
    assert r.status_code == 400
    assert r.context["refusal"].field == field
    assert 'role="alert"' in r.content.decode()
    assert ProcedureRecord.objects.count() == 0


def test_direct_url_access_by_another_unit_is_refused(client, dossier):
    login(client, "czj")
    assert client.get(f"/decisions/{dossier.pk}/").status_code == 403
    r = client.post(f"/decisions/{dossier.pk}/procedures/", {"step": "expert_argument", "done_on": "2026-10-08",
                                                              "evidence": "纪要"})
    assert r.status_code == 403
    assert ProcedureRecord.objects.count() == 0
    assert client.get("/decisions/999999/").status_code == 404


def test_a_department_opens_a_dossier_from_the_form_and_a_bad_one_is_refused(client, org_demo):
    login(client, "fgj")
    assert client.get("/decisions/new/").status_code == 200
    r = client.post("/decisions/new/", {"title": "", "matter_type": "major_project", "proposing_unit_id": u("发改局").pk})
    assert r.status_code == 400 and r.context["refusal"].field == "title"
    assert MajorDecision.objects.count() == 0
    r = client.post("/decisions/new/", {"title": "城南供热管网改造", "matter_type": "major_project",
                                        "proposing_unit_id": u("发改局").pk, "amount_yuan": "1200000"})
    assert r.status_code == 302
    assert MajorDecision.objects.get().proposing_unit.short_name == "发改局"


def test_the_form_takes_the_bodys_rank_and_the_report_to_the_party_committee_art_76(client, org_demo):
    login(client, "fgj")
    page = client.get("/decisions/new/").content.decode()
    assert 'name="org_rank"' in page and "副科级" in page and 'name="report_to_committee"' in page
    r = client.post("/decisions/new/", {"title": "机构调整", "matter_type": "other_major", "org_rank": "副科",
                                        "proposing_unit_id": u("发改局").pk})
    assert r.status_code == 400 and r.context["refusal"].field == "org_rank"
    assert MajorDecision.objects.count() == 0
    r = client.post("/decisions/new/", {"title": "区发改局内设机构调整", "matter_type": "other_major",
                                        "org_rank": "deputy_section", "report_to_committee": "on",
                                        "proposing_unit_id": u("发改局").pk})
    assert r.status_code == 302
    d = MajorDecision.objects.get()
    assert (d.org_rank, d.report_to_committee) == ("deputy_section", True)


def test_the_office_records_the_party_committees_decision_on_the_page(client, dossier):
    services.dossier_update(actor=p("fgj"), data={"committee_matter": "major_measures"}, dossier_id=dossier.pk, on=DAY)
    for code in ("public_participation", "expert_argument", "risk_assessment", "legality_review"):
        services.procedure_record(actor=p("fgj"), dossier_id=dossier.pk, step=code, done_on="2026-10-01",
                                  evidence="材料", legality_reviewer="justice_bureau" if code == "legality_review" else None,
                                  on=DAY)
    c = services.consultation_ask(actor=p("fgj"), dossier_id=dossier.pk, unit_id=u("新华街道").pk, asked_on="2026-10-02",
                                  on=DAY)
    services.consultation_reply(actor=p("fgj"), consultation_id=c.pk, reply="同意", replied_on="2026-10-03", on=DAY)
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=dossier.pk, meeting_type="standing", meeting_id=1,
                                     on=DAY)
    services.dossier_decide(actor=p("quzhang"), dossier_id=dossier.pk, outcome="通过", meeting_id=1, decided_on=DAY,
                            speaking_order=HELD)
    services.escalation_submit(actor=p("bgs-zhuren"), dossier_id=dossier.pk, body="party_committee",
                               reference="洮北政报〔2026〕15号", on=DAY)
    login(client, "wenshu")
    assert "party_committee/result/" in client.get(f"/decisions/{dossier.pk}/").content.decode()
    r = client.post(f"/decisions/{dossier.pk}/escalations/party_committee/result/",
                    {"agreed": "yes", "result": "", "decided_on": "2026-11-02"})
    assert r.status_code == 400 and r.context["refusal"].field == "result"
    r = client.post(f"/decisions/{dossier.pk}/escalations/party_committee/result/",
                    {"agreed": "yes", "result": "区委常委会同意", "decided_on": "2026-11-02"})
    assert r.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "implementing"
    login(client, "fgj")  # a department sees no such form and is refused if it posts
    r = client.post(f"/decisions/{dossier.pk}/escalations/party_committee/result/",
                    {"agreed": "yes", "result": "同意", "decided_on": "2026-11-02"})
    assert r.status_code == 403
