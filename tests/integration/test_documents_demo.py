"""The demo is a living office: after `zhengwu demo load` every demo account with a role has at least
one open item from documents in its inbox (待办, zhengwu.workflow.selectors.todo); the annual plans
count planned and unplanned documents; a department's normative document is mid-procedure."""

import pytest

from zhengwu.documents import department, plans
from zhengwu.documents.models import Document
from zhengwu.org.models import Person
from zhengwu.workflow.selectors import todo

pytestmark = pytest.mark.django_db

# dcz (督查指挥中心) works on the ledger: its 待办 are 核查 tasks (tests/integration/test_supervision_web.py)
ROLE_ACCOUNTS = ("quzhang", "changwu", "fuqu1", "fuqu2", "fuqu3", "fuqu4", "bgs-zhuren", "bgs-fuzhuren", "wenshu",
                 "czj", "czj-fu", "sfj", "fgj", "jyj", "xhjd", "dfx")


@pytest.fixture
def gov(full_demo):
    return full_demo  # loaded once for the module (tests/conftest.py)


def test_every_demo_account_with_a_role_has_an_open_documents_item_in_its_inbox(gov):
    empty = {}
    for username in ROLE_ACCOUNTS:
        person = Person.objects.get(username=username)
        items = [t for t in todo(person) if t.approval.obj_type.startswith("documents.")]
        if not items:
            empty[username] = [t.approval.title for t in todo(person)]
    assert empty == {}


def test_the_demo_has_annual_plans_with_unplanned_documents_and_a_department_document_mid_procedure(gov):
    wenshu = Person.objects.get(username="wenshu")
    year = Document.objects.filter(title="关于做好寒潮天气防范应对工作的通知").get().signed_on.year
    rows = {r.unit.short_name: r for r in plans.counts(wenshu, year)}
    assert rows["区政府办"].planned >= 3 and rows["区政府办"].unplanned >= 2
    assert rows["区政府办"].items >= 4 and "教育局" in rows and "财政局" in rows

    training = Document.objects.get(title="洮北区校外培训机构管理办法")
    assert (training.issuing_as, training.is_normative, training.status) == ("unit", True, "in_approval")
    assert training.approval.route_id == department.ROUTE
    done = department.procedure_facts(training)
    assert done["prior_written_request"] and not done["head_approved"]
    [legality] = training.approval.tasks.filter(status="open")
    assert (legality.step_id, legality.assignee.username) == ("legality_review", "sfj")
