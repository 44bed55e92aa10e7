"""The 三重一大 dossier on a phone: the 发改局's head opens the half-way 重大项目投资, sees which
procedures are missing (with the article), records the risk assessment from the form, and the
checklist ticks it — nothing wider than the phone."""

import datetime as dt

import pytest

from e2e_support import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



@pytest.fixture
def decisions_site(live_server):
    from zhengwu.decisions import demo as decisions_demo
    from zhengwu.org import demo as org_demo

    org_demo.load()
    decisions_demo.load()
    return live_server.url


def test_a_department_head_records_a_procedure_on_a_phone(decisions_site, phone):
    from playwright.sync_api import expect

    from zhengwu import rules
    from zhengwu.decisions.models import MajorDecision

    page = phone
    d = MajorDecision.objects.get(title="城北物流园区基础设施建设项目")
    log_in(page, decisions_site, "fgj")
    page.goto(f"{decisions_site}/decisions/")
    page.get_by_text("城北物流园区基础设施建设项目").click()
    expect(page.locator("h1")).to_contain_text("城北物流园区基础设施建设项目")
    expect(page.locator("#readiness")).to_contain_text("风险评估")
    expect(page.locator("#readiness")).to_contain_text("第二十八条")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone

    page.get_by_text("登记决策程序").click()
    page.select_option("select[name=step]", "risk_assessment")
    page.fill("input[name=done_on]", (rules.today() - dt.timedelta(days=3)).isoformat())
    page.fill("input[name=evidence]", "社会风险评估报告（第三方）")
    page.locator("form[action$='/procedures/'] button[type=submit]").click()
    expect(page.locator(".dz-check .ok", has_text="风险评估")).to_contain_text("社会风险评估报告")
    assert d.procedures.filter(step="risk_assessment").exists()
