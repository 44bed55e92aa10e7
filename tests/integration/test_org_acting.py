"""Who acts for a post (补位, art. 15) in one query when its holder is there: `acting_for` reads the
holder and whether they are away together, and `acting_for_code` finds the post by its code too.
Both give what the step-by-step definition gives (position_by_code, holder_of, absence_on, the
chain of substitutes) for every post, with nobody away, the 区长 away, a chain, and a loop."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu import rules
from zhengwu.org import selectors, services
from zhengwu.org.models import Appointment, Person, Position

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def person(username):
    return Person.objects.get(username=username)


def by_definition(position, on):
    """acting_for as art. 15 reads, one step at a time (the reference)."""
    person_ = selectors.holder_of(position, on)
    seen, pos = set(), position
    while person_ is not None and person_.pk not in seen:
        seen.add(person_.pk)
        away = selectors.absence_on(person_, on)
        if away is None:
            return person_
        if pos.code == "district_head":
            if away.designated_by_id != person_.pk:  # no 委托 recorded: he keeps his own work
                return person_
            pos = selectors.position_by_code(position.government,
                                             rules.param("substitution.district_head_acting", on))
            person_ = selectors.holder_of(pos, on) if pos else None
        else:
            person_ = away.substitute
            if person_ is not None:
                held = selectors.positions_of(person_, on)
                pos = held[0] if held else pos
    return None


@pytest.fixture
def gov(org_demo):  # the demo, loaded once for the module (tests/conftest.py)
    return selectors.current_government()


def away(username, substitute=None, on=DAY):
    services.absence_create(actor=None, person=person(username), start=on, end=on, reason="休假",
                            substitute=person(substitute) if substitute else None,
                            designated_by=person("quzhang") if substitute or username == "quzhang" else None)


def check_every_post(gov, on=DAY):
    for pos in Position.objects.filter(government=gov).select_related("unit"):
        expected = by_definition(pos, on)
        assert selectors.acting_for(pos, on) == expected, pos
        assert selectors.acting_for_code(gov, pos.code, on, unit=pos.unit if pos.unit_id else None) == \
            by_definition(selectors.position_by_code(gov, pos.code, unit=pos.unit if pos.unit_id else None), on), pos


def test_nobody_away(gov):
    check_every_post(gov)
    assert selectors.acting_for_code(gov, "clerk", DAY) == person("wenshu")
    assert selectors.acting_for_code(gov, "no_such_post", DAY) is None


def test_the_district_head_away_and_a_chain_of_substitutes(gov):
    away("quzhang")
    away("fuqu1", substitute="fuqu2")
    away("fuqu2", substitute="fuqu4")
    check_every_post(gov)
    assert selectors.acting_for_code(gov, "district_head", DAY) == person("changwu")
    head = selectors.position_by_code(gov, "district_head")
    assert selectors.acting_for(head, DAY) == person("changwu")
    assert selectors.acting_for(selectors.positions_of(person("fuqu1"), DAY)[0], DAY) == person("fuqu4")


def test_the_district_head_away_without_his_entrustment_keeps_his_own_work(gov):
    services.absence_create(actor=None, person=person("quzhang"), start=DAY, end=DAY, reason="休假")
    check_every_post(gov)
    assert selectors.acting_for_code(gov, "district_head", DAY) == person("quzhang")


def test_a_loop_and_a_substitute_missing_yield_nobody(gov):
    away("fuqu1", substitute="fuqu2")
    away("fuqu2", substitute="fuqu1")
    away("fuqu3")
    check_every_post(gov)
    assert selectors.acting_for(selectors.positions_of(person("fuqu1"), DAY)[0], DAY) is None
    assert selectors.acting_for(selectors.positions_of(person("fuqu3"), DAY)[0], DAY) is None


def test_a_post_nobody_holds_today(gov):
    clerk = selectors.position_by_code(gov, "clerk")
    Appointment.objects.filter(position=clerk).update(end=DAY)  # left the post today (end is exclusive)
    assert selectors.acting_for(clerk, DAY) is None and selectors.acting_for_code(gov, "clerk", DAY) is None
    assert selectors.acting_for_code(gov, "clerk", DAY - dt.timedelta(days=1)) == person("wenshu")


def test_one_query_when_the_holder_is_there(gov):
    head = selectors.position_by_code(gov, "district_head")
    with CaptureQueriesContext(connection) as ctx:
        acting = selectors.acting_for(head, DAY)
    assert len(ctx) == 1 and acting.username == "quzhang"
    with CaptureQueriesContext(connection) as ctx:
        acting = selectors.acting_for_code(gov, "clerk", DAY)
    assert len(ctx) == 1 and acting.username == "wenshu"
