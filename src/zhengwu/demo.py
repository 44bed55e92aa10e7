"""`zhengwu demo load|reset|accounts`: the demo government, then demo traffic for each module."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from zhengwu.errors import CommandError
from zhengwu.org import demo as org_demo
from zhengwu.org.models import Government


def load():
    from zhengwu.decisions import demo as decisions_demo
    from zhengwu.proposals import demo as proposals_demo
    from zhengwu.documents import demo as documents_demo
    from zhengwu.meetings import demo as meetings_demo
    from zhengwu.supervision import demo as supervision_demo
    from zhengwu.workflow import demo as workflow_demo
    from zhengwu.seals import demo as seals_demo
    from zhengwu.affairs.leave import demo as leave_demo
    from zhengwu.affairs.foreign import demo as foreign_demo
    from zhengwu.affairs.bodies import demo as bodies_demo
    from zhengwu.disclosure import demo as disclosure_demo
    from zhengwu.disclosure.petitions import demo as petitions_demo
    from zhengwu.disclosure.requests import demo as requests_demo

    with transaction.atomic():
        gov = org_demo.load()
        workflow_demo.load()
        documents_demo.load()
        decisions_demo.load()
        proposals_demo.load()  # 建议提案: the 区人大 and 区政协 session batches in every state
        meetings_demo.load()  # puts the decisions demo's dossiers on the next 常务会议
        supervision_demo.load()  # ledger items from the meetings' decisions and a 批示 above
        seals_demo.load()  # 印信: seals, seal-use cards in every state, a letter book with stubs
        leave_demo.load()  # a 副区长's approved leave with the substitution visible
        foreign_demo.load()  # an invitation, a visit, a gift, a speech, research plans
        bodies_demo.load()  # coordination bodies, a late emergency report
        disclosure_demo.load()  # the disclosure queue and a published catalogue
        requests_demo.load()  # requests for information in every state, a 舆情 answered late
        petitions_demo.load()  # 信访 cases in every state, a public consultation
    return gov


def reset() -> None:
    """`zhengwu demo reset` (`make demo-reset`): empty the database, migrate it and load the demo again.
    Refused unless the database holds nothing but the demo: a government the demo did not load (a real
    installation) is never wiped. The audit key stays; the checkpoint file of the old trail is set
    aside (its checkpoints name events that no longer exist), so `zhengwu audit verify` passes after."""
    import datetime as dt

    from django.conf import settings
    from django.db import DatabaseError, connection

    from zhengwu.audit.cli import run_init

    try:
        real = list(Government.objects.filter(demo=False).values_list("name", flat=True))
    except DatabaseError:  # not migrated yet: nothing to keep
        real = []
    if real:
        raise CommandError(f"demo reset: the database holds {'、'.join(real)}, which the demo did not load; "
                           "nothing was changed (演示数据以外的数据不会被清除)")
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        connection.close()
    else:
        raise CommandError(f"demo reset: unsupported database {connection.vendor}")
    checkpoints = Path(settings.AUDIT_CHECKPOINT_FILE)
    if checkpoints.exists():
        aside = checkpoints.with_name(f"{checkpoints.name}.before-reset-{dt.datetime.now():%Y%m%d%H%M%S}")
        checkpoints.rename(aside)
        print(f"demo reset: the old trail's checkpoints kept as {aside}")
    run_init(migrate=True)
    gov = load()
    print(f"demo: reset and loaded {gov.name}")


def run(ns) -> int:
    if getattr(ns, "scale", None) is not None:
        # The benchmark's data generator writes rows in bulk as the services would; it is not part of
        # the installed package (bench/datagen, run from a checkout).
        raise CommandError(f"scale: the benchmark's data generator moved out of the package: from the "
                           f"checkout's root run `.venv/bin/python -m bench.datagen {ns.scale} --seed {ns.seed}`")
    if ns.cmd is None:
        raise CommandError("demo: choose load or accounts")
    if ns.cmd == "load":
        if Government.objects.exists():
            if ns.if_empty:
                print("demo: a government is already loaded; nothing to do")
                return 0
            raise CommandError("a government already exists; the demo loads into an empty database")
        gov = load()
        print(f"demo: loaded {gov.name}")
        return 0
    if ns.cmd == "reset":
        if not ns.yes:
            raise CommandError("demo reset empties the database and loads the demo again: add --yes")
        reset()
        return 0
    if ns.cmd == "accounts":
        from zhengwu.security import demo_identity

        print(org_demo.accounts_text() + demo_identity.accounts_text())
        return 0
    raise CommandError(f"unknown demo command {ns.cmd}")
