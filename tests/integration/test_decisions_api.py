"""/api/v1/decisions: a dossier assembled through the API (create, record procedures, consult,
readiness), permissions against direct access by id (IDOR: the proposing unit sees its own, the
office and the leaders all, others nothing), the export of decisions, and refusals in the one
error shape with nothing changed."""

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.decisions import services
from zhengwu.decisions.models import MajorDecision, ProcedureRecord
from zhengwu.org.models import Person, Unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)
STEPS = [("public_participation", "2026-09-01", "网上征求意见公告"), ("expert_argument", "2026-09-08", "专家论证会纪要"),
         ("risk_assessment", "2026-09-15", "风险评估报告"), ("legality_review", "2026-09-22", "区司法局合法性审查意见书")]
# the 集体讨论决定 (art. 28) is the deciding meeting's own, not recorded before the agenda:
# the deciding meeting's record of the discussion: members spoke, the chair (一把手) last (art. 28, 29)
HELD = [("executive_deputy", False), ("deputy_head", False), ("district_head", True)]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return DAY


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture(scope="module")
def demo_today():
    return DAY  # the module's data is loaded as of the day its tests run on (tests/conftest.py)


def p(username):
    return Person.objects.get(username=username)


def u(short_name):
    return Unit.objects.get(short_name=short_name)


_keys: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fresh_keys():
    _keys.clear()


def bearer(username):
    if username not in _keys:
        _token, _keys[username] = api_token_create(actor=None, person=p(username), name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {_keys[username]}"}


def get(client, username, path, **params):
    return client.get(f"/api/v1/decisions{path}", params, **bearer(username))


def post(client, username, path, data=None, method="post"):
    return getattr(client, method)(f"/api/v1/decisions{path}", data or {}, content_type="application/json",
                                   **bearer(username))


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def assert_error(response, status, field="__any__"):
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"message", "violations", "field"}
    if field != "__any__":
        assert body["field"] == field, body
    return body


def project(**over):
    data = {"title": "城北物流园区基础设施建设项目", "matter_type": "major_project", "amount_yuan": 86_000_000,
            "proposing_unit_id": u("发改局").pk, "submitted_on": "2026-10-20", "research_done": True,
            "unit_collective_discussion_ref": "区发改局局党组会议纪要",
            "evaluations": ["legality", "necessity", "scientific", "feasibility", "controllability"],
            "evaluated_by": "区政府发展研究中心", "affected_unit_ids": [u("财政局").pk]}
    data.update(over)
    return data


@pytest.mark.rules("R28.procedures", "R30.consultation")
def test_a_department_assembles_its_dossier_through_the_api_until_it_is_ready(client, gov):
    d = ok(post(client, "fgj", "", project()), 201)
    assert (d["status"], d["proposing_unit"]["name"], d["ref"]) == (
        "assembling", "区发展和改革局", f"decisions.major_decision:{d['id']}")
    assert [m["code"] for m in d["missing"]] == [c for c, _, _ in STEPS] + ["consultation"]
    r = ok(get(client, "fgj", f"/{d['id']}/readiness"))
    assert r["ok"] is False
    assert {v["rule_id"] for v in r["violations"] if v["severity"] == "block"} == {"R28.procedures", "R30.consultation"}
    for code, day, evidence in STEPS:
        body = {"step": code, "done_on": day, "evidence": evidence}
        if code == "legality_review":
            body["legality_reviewer"] = "justice_bureau"
        d = ok(post(client, "fgj", f"/{d['id']}/procedures", body))
    assert [m["code"] for m in d["missing"]] == ["consultation"]
    refused = assert_error(post(client, "fgj", f"/{d['id']}/procedures", {
        "step": "collective_decision", "done_on": "2026-10-09", "evidence": "区政府专题会议纪要〔2026〕31号"}), 400, "step")
    assert refused["message"].endswith("（《工作规则》第二十八条）")  # the deciding meeting's own (art. 28)
    d = ok(post(client, "fgj", f"/{d['id']}/consultations", {"unit_id": u("财政局").pk, "asked_on": "2026-10-12"}))
    cid = d["consultations"][0]["id"]
    d = ok(post(client, "fgj", f"/consultations/{cid}/reply", {"reply": "同意", "replied_on": "2026-10-14"}))
    assert d["status"] == "ready" and d["missing"] == []
    assert ok(get(client, "fgj", f"/{d['id']}/readiness"))["ok"] is True
    d = ok(post(client, "fgj", f"/{d['id']}", {"summary": "一期投资8600万元", "version": d["version"]}, method="patch"))
    assert d["summary"] == "一期投资8600万元"


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(client, gov):
    d = ok(post(client, "fgj", "", project()), 201)
    bearer("fgj")
    before = (ProcedureRecord.objects.count(), AuditEvent.objects.count())
    assert_error(post(client, "fgj", f"/{d['id']}/procedures",
                      {"step": "site_visit", "done_on": "2026-10-01", "evidence": "记录"}), 400, "step")
    assert_error(post(client, "fgj", f"/{d['id']}/procedures",
                      {"step": "expert_argument", "done_on": "2026-11-03", "evidence": "纪要"}), 400, "done_on")
    assert_error(post(client, "fgj", f"/{d['id']}/procedures",
                      {"step": "expert_argument", "done_on": "2026-10-01", "evidence": " "}), 400, "evidence")
    assert_error(post(client, "fgj", f"/{d['id']}/procedures", {"step": "expert_argument", "done_on": "2026-10-01"}),
                 422, "evidence")
    assert_error(post(client, "fgj", f"/{d['id']}/consultations",
                      {"unit_id": u("财政局").pk, "asked_on": "2026-10-12", "reply": "同意",
                       "replied_on": "2026-10-01"}), 400, "replied_on")
    assert (ProcedureRecord.objects.count(), AuditEvent.objects.count()) == before
    assert_error(post(client, "fgj", "", project(matter_type="party")), 400, "matter_type")
    assert MajorDecision.objects.count() == 1


def test_idor_only_the_proposing_unit_the_office_and_the_leaders_see_a_dossier(client, gov):
    d = ok(post(client, "fgj", "", project()), 201)
    for who in ("fgj", "wenshu", "bgs-zhuren", "quzhang", "fuqu3"):
        assert ok(get(client, who, f"/{d['id']}"))["id"] == d["id"], who
        assert [i["id"] for i in ok(get(client, who, ""))["items"]] == [d["id"]], who
    for who in ("czj", "jyj", "xhjd"):  # consulted or unrelated units see nothing
        assert_error(get(client, who, f"/{d['id']}"), 403)
        assert_error(get(client, who, f"/{d['id']}/readiness"), 403)
        assert ok(get(client, who, ""))["items"] == []
        assert_error(post(client, who, f"/{d['id']}/procedures",
                          {"step": "expert_argument", "done_on": "2026-10-01", "evidence": "纪要"}), 403)
        assert_error(post(client, who, f"/{d['id']}", {"title": "改名"}, method="patch"), 403)
    assert_error(get(client, "fgj", "/999999"), 404, "dossier_id")
    assert_error(post(client, "czj", "", project()), 403)  # not in 发改局's name
    assert MajorDecision.objects.get(pk=d["id"]).title == "城北物流园区基础设施建设项目"


def test_the_export_lists_decisions_with_their_follow_up_tasks_for_whoever_may_see_them(client, gov):
    d = services.dossier_create(actor=p("wenshu"), data={"title": "2027年区级财政预算草案", "matter_type": "budget"},
                                on=DAY)
    for code, day, evidence in STEPS:
        services.procedure_record(actor=p("wenshu"), dossier_id=d.pk, step=code, done_on=day, evidence=evidence,
                                  legality_reviewer="legal_adviser" if code == "legality_review" else None, on=DAY)
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type="standing", meeting_id=5, on=DAY)
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="通过", meeting_id=5, decided_on=DAY,
                            speaking_order=HELD)
    body = ok(get(client, "bgs-zhuren", "/export"))
    [item] = body["items"]
    assert (item["ref"], item["outcome"], item["meeting_id"]) == (f"decisions.major_decision:{d.pk}", "通过", 5)
    assert {t["route"] for t in item["tasks"]} == {"decisions.implementation", "decisions.evaluation"}
    assert all(t["ref"].startswith("workflow.task:") and t["due_on"] for t in item["tasks"])
    assert ok(get(client, "jyj", "/export"))["items"] == []
    assert ok(get(client, "bgs-zhuren", "/export", since="2026-12-01"))["items"] == []


@pytest.mark.rules("R76.no_direct_submission")
def test_after_the_decision_through_the_api_a_department_is_refused_the_party_committee(client, gov):
    d = services.dossier_create(actor=p("wenshu"), data={"title": "城区集中供热管网改造工程", "matter_type": "major_project",
                                                         "committee_matter": "major_measures",
                                                         "implementation_lead_id": u("发改局").pk}, on=DAY)
    for code, day, evidence in STEPS:
        services.procedure_record(actor=p("wenshu"), dossier_id=d.pk, step=code, done_on=day, evidence=evidence,
                                  legality_reviewer="legal_adviser" if code == "legality_review" else None, on=DAY)
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=d.pk, meeting_type="standing", meeting_id=5, on=DAY)
    services.dossier_decide(actor=p("quzhang"), dossier_id=d.pk, outcome="原则通过", meeting_id=5, decided_on=DAY,
                            speaking_order=HELD)
    body = assert_error(post(client, "fgj", f"/{d.pk}/escalations/party_committee/submit", {"reference": "发改局报告"}),
                        400)
    assert [v["rule_id"] for v in body["violations"]] == ["R76.no_direct_submission"]
    assert body["violations"][0]["article"] == 76
    r = ok(post(client, "bgs-zhuren", f"/{d.pk}/escalations/party_committee/submit", {"reference": "洮北政报〔2026〕15号"}))
    assert r["escalations"][0]["status"] == "submitted"
    assert_error(post(client, "fgj", f"/{d.pk}/escalations/party_committee/result",
                      {"agreed": True, "result": "同意", "decided_on": "2026-11-02"}), 403)
    r = ok(post(client, "wenshu", f"/{d.pk}/escalations/party_committee/result",
                {"agreed": True, "result": "区委常委会同意", "decided_on": "2026-11-02"}))
    assert r["status"] == "implementing"
    assert_error(post(client, "jyj", f"/{d.pk}/followups/implement", {"note": "x"}), 403)
    r = ok(post(client, "fgj", f"/{d.pk}/followups/implement", {"note": "已开工"}))
    assert "已开工" in r["implementation_note"]


def test_the_list_costs_the_same_number_of_queries_whatever_its_length(client, gov):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bearer("wenshu")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            ok(get(client, "wenshu", ""))
        return len(ctx.captured_queries)

    services.dossier_create(actor=p("fgj"), data=project(), on=DAY)
    count()  # the first call of a token records its first use
    few = count()
    for n in range(5):
        services.dossier_create(actor=p("fgj"), data=project(title=f"项目{n}"), on=DAY)
    assert count() == few


@pytest.mark.rules("R76.org_rank", "R76.report", "R76.feedback")
def test_article_76_through_the_api_rank_report_and_feedback(client, gov):
    """Art. 76(一)7: org_rank is taken at creation and a 副科级 body's change is kept from the agenda
    unless marked for the 区委; 76(二): the office records the report; 76(四): the office's feedback."""
    assert_error(post(client, "wenshu", "", {"title": "机构调整", "matter_type": "other_major", "org_rank": "副科"}),
                 400, "org_rank")
    d = ok(post(client, "wenshu", "", {"title": "区城市管理综合行政执法局机构调整", "matter_type": "other_major",
                                       "org_rank": "deputy_section"}), 201)
    assert (d["org_rank"], d["report_to_committee"], d["committee_reported_on"]) == ("deputy_section", False, None)
    for code, day, evidence in STEPS:
        services.procedure_record(actor=p("wenshu"), dossier_id=d["id"], step=code, done_on=day, evidence=evidence,
                                  legality_reviewer="legal_adviser" if code == "legality_review" else None, on=DAY)
    body = ok(get(client, "wenshu", f"/{d['id']}/readiness"))
    assert not body["ok"] and [v["rule_id"] for v in body["violations"]] == ["R76.org_rank"]

    r = services.dossier_create(actor=p("wenshu"), data={"title": "2027年城区供暖价格调整方案", "matter_type": "other_major",
                                                         "report_to_committee": True,
                                                         "implementation_lead_id": u("发改局").pk}, on=DAY)
    for code, day, evidence in STEPS:
        services.procedure_record(actor=p("wenshu"), dossier_id=r.pk, step=code, done_on=day, evidence=evidence,
                                  legality_reviewer="legal_adviser" if code == "legality_review" else None, on=DAY)
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=r.pk, meeting_type="standing", meeting_id=5, on=DAY)
    services.dossier_decide(actor=p("quzhang"), dossier_id=r.pk, outcome="通过", meeting_id=5, decided_on=DAY,
                            speaking_order=HELD)
    body = assert_error(post(client, "fgj", f"/{r.pk}/committee-report", {"reference": "发改局报告"}), 400,
                        "submitting_unit")
    assert body["violations"][0]["article"] == 76
    got = ok(post(client, "bgs-zhuren", f"/{r.pk}/committee-report", {"reference": "洮北政报〔2026〕18号"}))
    assert (got["committee_reported_on"], got["committee_report_ref"]) == ("2026-11-02", "洮北政报〔2026〕18号")
    assert_error(post(client, "bgs-zhuren", f"/{r.pk}/committee-report", {"reference": "再报"}), 409)

    c = services.dossier_create(actor=p("wenshu"), data={"title": "城区集中供热管网改造工程", "matter_type": "major_project",
                                                         "committee_matter": "major_measures",
                                                         "implementation_lead_id": u("发改局").pk}, on=DAY)
    for code, day, evidence in STEPS:
        services.procedure_record(actor=p("wenshu"), dossier_id=c.pk, step=code, done_on=day, evidence=evidence,
                                  legality_reviewer="legal_adviser" if code == "legality_review" else None, on=DAY)
    services.dossier_place_on_agenda(actor=p("wenshu"), dossier_id=c.pk, meeting_type="standing", meeting_id=5, on=DAY)
    services.dossier_decide(actor=p("quzhang"), dossier_id=c.pk, outcome="原则通过", meeting_id=5, decided_on=DAY,
                            speaking_order=HELD)
    ok(post(client, "bgs-zhuren", f"/{c.pk}/escalations/party_committee/submit", {"reference": "洮北政报〔2026〕15号"}))
    ok(post(client, "wenshu", f"/{c.pk}/escalations/party_committee/result",
            {"agreed": True, "result": "区委常委会同意", "decided_on": "2026-11-02"}))
    body = assert_error(post(client, "fgj", f"/{c.pk}/followups/feedback", {"note": "已开工"}), 400, "submitting_unit")
    assert [v["rule_id"] for v in body["violations"]] == ["R76.feedback"]  # the office feeds back, not the unit
    got = ok(post(client, "bgs-zhuren", f"/{c.pk}/followups/feedback", {"note": "已开工"}))
    assert "已开工" in got["committee_feedback"] and got["committee_feedback_on"] == "2026-11-02"
