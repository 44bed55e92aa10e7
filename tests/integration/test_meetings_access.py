"""Who sees which meeting (meetings/access.py): members and invitees their own meetings; the office
and the 区政府领导 all; anyone else nothing — by id too (IDOR)."""

import datetime as dt

import pytest

from zhengwu.errors import Forbidden, NotFound, Refused
from zhengwu.meetings import access, services

from meetings_support import at, item, p, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture
def meetings(gov):
    standing = schedule("standing", invitee_ids=[p("czj").pk])
    topical = schedule("topical", chair="fuqu4", member_ids=[p("sfj").pk], day=dt.date(2026, 11, 5))
    return standing, topical


def seen(username):
    return sorted(m.title for m in access.visible_meetings(p(username)))


def test_members_and_invitees_see_their_meetings_others_nothing(meetings):
    standing, topical = meetings
    assert seen("czj") == [standing.title]  # invited (列席)
    assert seen("sfj") == [topical.title]  # member of the topical meeting
    assert seen("jyj") == [] and seen("dfx") == []
    for who in ("wenshu", "bgs-zhuren", "quzhang", "fuqu2"):  # the office and the leaders see all
        assert seen(who) == sorted([standing.title, topical.title])


def test_direct_access_by_id_is_denied_or_not_found(meetings):
    standing, topical = meetings
    with pytest.raises(Forbidden):
        access.meeting_visible(p("jyj"), standing.pk)
    with pytest.raises(Forbidden):
        access.meeting_visible(p("czj"), topical.pk)
    with pytest.raises(NotFound):
        access.meeting_visible(p("wenshu"), 999999)
    with pytest.raises(Refused) as e:
        access.meeting_visible(p("wenshu"), "1 or 1=1")
    assert e.value.field == "meeting_id"
    it = item(standing)
    with pytest.raises(Forbidden):
        access.item_visible(p("jyj"), it.pk)
    assert access.item_visible(p("czj"), it.pk) == it


def test_only_the_office_arranges_and_only_the_chair_or_office_runs_a_meeting(meetings):
    standing, _topical = meetings
    with pytest.raises(Forbidden):
        access.meeting_for_office(p("fuqu1"), standing.pk)
    with pytest.raises(Forbidden):
        access.meeting_for_chair(p("fuqu1"), standing.pk)
    assert access.meeting_for_chair(p("quzhang"), standing.pk) == standing
    with pytest.raises(Forbidden):  # an invitee cannot cancel it
        services.meeting_cancel(actor=p("czj"), meeting_id=standing.pk, reason="x")


def test_sign_in_by_someone_not_expected_is_forbidden(meetings):
    standing, _ = meetings
    with pytest.raises(Forbidden):
        services.sign_in(actor=p("jyj"), meeting_id=standing.pk, at=at(dt.date(2026, 11, 4), 9))


def test_the_calendar_and_the_agenda_take_a_fixed_number_of_queries(gov, django_assert_max_num_queries):
    from zhengwu.meetings import selectors

    for i in range(6):
        m = schedule("topical", chair="fuqu4", member_ids=[p("sfj").pk], day=dt.date(2026, 11, 9) + dt.timedelta(days=i),
                     title=f"专题会议{i}")
        item(m)
        item(m, title="第二个议题")
    start, end = at(dt.date(2026, 11, 1), 0), at(dt.date(2026, 12, 1), 0)
    for who in ("wenshu", "sfj"):  # the office, a member: access is decided once, not per meeting
        with django_assert_max_num_queries(12):
            assert len(selectors.meetings_between(p(who), start, end)) == 6
    with django_assert_max_num_queries(2):
        assert len(selectors.agenda_readiness(m)) == 2
