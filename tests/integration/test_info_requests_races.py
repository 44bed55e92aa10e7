"""Single-shot actions on requests for information under load (see test_single_shot_races.py for the
pattern): an answer sent from many clients at once is sent once (one answer, one notice, one audit
event), and an extension asked from many clients at once starts one approval for the director.
Real threads; run on PostgreSQL too."""

from __future__ import annotations

import pytest

from zhengwu import rules
from zhengwu.disclosure.requests import access, services
from zhengwu.disclosure.requests.models import InfoRequest, RequestNotice
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.workflow.models import Approval

from test_single_shot_races import audited, one_winner, race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gov():
    return demo.load()


def p(username):
    return Person.objects.get(username=username)


def registered():
    return services.request_register(actor=p("wenshu"), applicant="刘某", channel="in_person",
                                     content="2025年区本级政府采购项目清单",
                                     unit_id=Unit.objects.get(short_name="财政局").pk, on=rules.today())


def test_an_answer_sent_from_many_clients_at_once_is_sent_once(monkeypatch, gov):
    item = registered()
    outcomes = race(monkeypatch, access, "request_for_office",  # every caller has read the request
                    lambda: services.request_answer(actor=p("wenshu"), request_id=item.pk, answer_type="already_public",
                                                    text="已在政府网站政府采购栏目公开"))
    one_winner(outcomes, field="request_id", says="该申请已")
    assert InfoRequest.objects.get(pk=item.pk).status == "answered"
    assert RequestNotice.objects.filter(request=item, kind="answer").count() == 1
    assert audited("info_requests.request.answer", item.pk) == 1


@pytest.mark.rules("info_request.extension")
def test_an_extension_asked_from_many_clients_at_once_starts_one_approval(monkeypatch, gov):
    item = registered()
    outcomes = race(monkeypatch, access, "request_for_office",
                    lambda: services.extension_request(actor=p("wenshu"), request_id=item.pk, reason="需汇总材料"))
    one_winner(outcomes, field="request_id", says="已在审批中")
    assert Approval.objects.filter(obj_type=services.OBJ, obj_id=str(item.pk)).count() == 1
    assert audited("info_requests.request.extension_request", item.pk) == 1
