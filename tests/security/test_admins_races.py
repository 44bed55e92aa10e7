"""三权分立 under load: several grants of different administrator kinds to one person at the same
moment leave him exactly one kind and one audit event; every other caller is told, naming the field.

Real threads with their own connections (as tests/integration/test_single_shot_races.py). Every
caller passes the pre-checks before any of them writes (a barrier after `_check_role_change`), so
only the row lock the grant takes before reading the person's roles can keep them apart."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Refused
from zhengwu.org import demo
from zhengwu.org import services as org_services
from zhengwu.org.models import Person
from zhengwu.security import admins, roles

CALLERS = 8
pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_grants_of_two_kinds_leave_one(monkeypatch):
    gov = demo.load()
    target = org_services.person_create(actor=None, government=gov, username="xinguanli", full_name="新管理员")
    barrier = threading.Barrier(CALLERS, timeout=60)
    original = admins._check_role_change

    def gated(*args, **kwargs):
        original(*args, **kwargs)
        barrier.wait()

    monkeypatch.setattr(admins, "_check_role_change", gated)
    outcomes: list = [None] * CALLERS

    def run(i):
        kind = (roles.AUDIT, roles.SYSTEM)[i % 2]
        try:
            person = Person.objects.get(pk=target.pk)
            outcomes[i] = ("ok", admins.role_grant(actor=None, person=person, role=kind))
        except Refused as e:
            outcomes[i] = ("refused", e)
        except Exception as e:  # noqa: BLE001 — reported below
            outcomes[i] = ("error", e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CALLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    errors = [o for o in outcomes if o is None or o[0] == "error"]
    assert not errors, errors[:3]
    won = [o for o in outcomes if o[0] == "ok"]
    lost = [o[1] for o in outcomes if o[0] == "refused"]
    assert len(won) == 1 and len(lost) == CALLERS - 1
    assert all(e.field == "role" for e in lost), [e.message for e in lost]
    assert len(roles.kinds_of(Person.objects.get(pk=target.pk))) == 1
    assert AuditEvent.objects.filter(action="security.role.grant", obj_id=str(target.pk)).count() == 1
