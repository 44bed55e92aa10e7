"""Two bookings of one room for the same hour at the same moment: exactly one wins, the other is
refused naming the room. Real threads with their own connections (SQLite IMMEDIATE transactions,
PostgreSQL row lock on the room)."""

import threading

import pytest
from django.db import connection

from zhengwu.errors import Refused
from zhengwu.meetings import services
from zhengwu.meetings.models import Meeting
from zhengwu.org import demo

from meetings_support import MEETING_DAY, at, p, u


def test_exactly_one_of_two_simultaneous_bookings_of_a_room_wins(transactional_db, monkeypatch):
    demo.load()
    room = services.room_create(actor=p("wenshu"), name="第一会议室", capacity=30)
    barrier = threading.Barrier(2, timeout=30)
    original = services._room

    def gated(*args, **kwargs):
        found = original(*args, **kwargs)
        barrier.wait()  # both have checked their input before either books
        return found

    monkeypatch.setattr(services, "_room", gated)

    def book(username, unit, title):
        return lambda: services.meeting_schedule(
            actor=p(username), meeting_type="", title=title, starts_at=at(MEETING_DAY, 9), ends_at=at(MEETING_DAY, 11),
            chair_id=p(username).pk, member_ids=[p(username).pk], room_id=room.pk, is_department_meeting=True,
            organizing_unit_id=u(unit).pk)

    outcomes = [None, None]

    def run(i, fn):
        try:
            outcomes[i] = ("ok", fn())
        except Refused as e:
            outcomes[i] = ("refused", e)
        finally:
            connection.close()

    calls = [book("czj", "财政局", "全区预算编制工作会议"), book("sfj", "司法局", "全区普法工作会议")]
    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(o[0] for o in outcomes) == ["ok", "refused"], outcomes
    refused = next(o[1] for o in outcomes if o[0] == "refused")
    assert refused.field == "room_id" and "不能重复预订" in refused.message
    assert Meeting.objects.filter(room=room).count() == 1
