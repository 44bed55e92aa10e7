"""印信's single-shot actions under load (see test_single_shot_races.py for the pattern): a card
stamped from many clients at once is stamped once; a letter issued from many clients at once takes
one stub number (the counter stays gapless); a seal checked out from many clients at once goes out
once. Real threads; run on PostgreSQL too."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu import rules
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.seals import access, services
from zhengwu.seals.models import Letter, LetterCounter, SealCard, SealTakeOut
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task

from test_single_shot_races import audited, one_winner, race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gov():
    return demo.load()


def p(username):
    return Person.objects.get(username=username)


def sign_all(approval_id):
    while (task := Task.objects.filter(approval_id=approval_id, status="open", kind="step").first()) is not None:
        wf.task_complete(actor=task.assignee, task_id=task.pk, decision=rules.choice_for(task.choices, True))


def test_a_card_stamped_from_many_clients_at_once_is_stamped_once(monkeypatch, gov):
    seal = services.seal_register(actor=p("bgs-zhuren"), unit_id=Unit.objects.get(kind="gov_office").pk,
                                  kind="government", name="白城市洮北区人民政府", custodian_id=p("wenshu").pk,
                                  cut_on="2022-01-10")
    card = services.card_create(actor=p("czj-fu"), seal_id=seal.pk, use_date=rules.today(), content="情况说明",
                                copies=2, user_id=p("czj-fu").pk)
    sign_all(card.approval_id)
    outcomes = race(monkeypatch, access, "card_visible",
                    lambda: services.card_stamp(actor=p("wenshu"), card_id=card.pk))
    one_winner(outcomes, field="card_id", says="不能再用印")
    assert SealCard.objects.get(pk=card.pk).status == SealCard.Status.STAMPED
    assert audited("seals.card.stamp", card.pk) == 1


def test_a_letter_issued_from_many_clients_at_once_takes_one_stub_number(monkeypatch, gov):
    book = services.letter_book_create(actor=p("bgs-zhuren"), unit_id=Unit.objects.get(short_name="财政局").pk,
                                       custodian_id=p("czj-ke").pk)
    letter = services.letter_request(actor=p("czj-ke"), book_id=book.pk, bearer_id=p("czj-fu").pk,
                                     addressee="白城市财政局", matter="联系资金清算",
                                     valid_until=rules.today() + dt.timedelta(days=10))
    sign_all(letter.approval_id)
    outcomes = race(monkeypatch, access, "letter_visible",
                    lambda: services.letter_issue(actor=p("czj-ke"), letter_id=letter.pk))
    one_winner(outcomes, field="letter_id", says="不能开具")
    assert Letter.objects.get(pk=letter.pk).seq == 1
    assert LetterCounter.objects.get(book=book).last == 1  # the losers' numbers were given back
    assert audited("seals.letter.issue", letter.pk) == 1


def test_a_seal_checked_out_from_many_clients_at_once_goes_out_once(monkeypatch, gov):
    seal = services.seal_register(actor=p("bgs-zhuren"), unit_id=Unit.objects.get(kind="gov_office").pk,
                                  kind="government", name="白城市洮北区人民政府", custodian_id=p("wenshu").pk,
                                  cut_on="2022-01-10")
    t = services.take_out_request(actor=p("bgs-fuzhuren"), seal_id=seal.pk, user_id=p("bgs-fuzhuren").pk,
                                  purpose="赴市里加盖公章")
    sign_all(t.approval_id)
    outcomes = race(monkeypatch, access, "take_out_visible",
                    lambda: services.take_out_check_out(actor=p("wenshu"), take_out_id=t.pk))
    one_winner(outcomes, field="take_out_id", says="")
    assert SealTakeOut.objects.get(pk=t.pk).status == SealTakeOut.Status.OUT
    assert audited("seals.take_out.check_out", t.pk) == 1
