"""Django-side helpers of the benchmark, run as subprocesses (each against the database named by
DATABASE_URL): `python -m bench.tool generate|sessions|p4|counts|soak-setup|soak-facts ...`. Prints one JSON line last."""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def generate(scale: int, seed: int, backlog: int = 0) -> dict:
    from bench.datagen import generate as gen

    return gen(scale, seed, backlog=backlog)


def sessions() -> dict:
    """Logged-in sessions for district 1's busiest 副区长 (most open tasks) and its clerk (文书)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count, Q

    from zhengwu.org.models import Person

    deputies = (Person.objects.filter(username__startswith="d001-", appointments__position__code="deputy_head")
                .annotate(n=Count("tasks", filter=Q(tasks__status="open"))).order_by("-n", "username"))
    deputy = deputies.first()
    clerk = Person.objects.get(username="d001-wenshu")

    import time

    from zhengwu.security import gate

    def cookie(person) -> str:
        """A session past every login step (two-factor verified, password current), as after a
        real login: without the gate's keys the leaders' pages redirect to the two-factor page."""
        s = SessionStore()
        now = time.time()
        s[gate.LOGIN_AT] = s[gate.SEEN_AT] = now
        s[gate.GATE], s[gate.REASON] = [], None
        s[SESSION_KEY] = str(person.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = person.get_session_auth_hash()
        s.create()
        return s.session_key

    return {"deputy": {"user": deputy.username, "open_tasks": deputy.n, "cookie": cookie(deputy)},
            "office": {"user": clerk.username, "cookie": cookie(clerk)}}


def counts() -> dict:
    from zhengwu.audit.models import AuditEvent
    from zhengwu.documents.models import Document
    from zhengwu.org.models import Government, Person
    from zhengwu.workflow.models import Approval, Notification, Task

    return {m.__name__: m.objects.count() for m in (Government, Person, Document, Approval, Task, Notification,
                                                    AuditEvent)}


def p4(n_inputs: int = 2000, min_seconds: float = 2.0) -> dict:
    """add_workdays (the product's WorkCalendar) vs holidays' get_nth_working_day (CN), same inputs."""
    import datetime as dt

    import holidays

    from zhengwu.workcalendar.selectors import work_calendar

    rng = random.Random(4)
    base = dt.date(2025, 1, 1)
    inputs = [(base + dt.timedelta(days=rng.randrange(700)), rng.randint(1, 20)) for _ in range(n_inputs)]
    cal = work_calendar()
    cn = holidays.CN(years=range(2024, 2029))
    for d, n in inputs[:50]:  # warm both (and fill the holidays cache for every year used)
        cal.add_workdays(d, n)
        cn.get_nth_working_day(d, n)

    def rate(fn, seconds: float) -> float:
        calls, t0 = 0, time.perf_counter()
        while True:
            for d, n in inputs:
                fn(d, n)
            calls += len(inputs)
            elapsed = time.perf_counter() - t0
            if elapsed >= seconds:
                return calls / elapsed

    # Short alternating rounds, the ratio taken per round and the median reported: a change in
    # the machine's load between the two measurements would otherwise decide the ratio.
    rounds = 7
    pairs = [(rate(cal.add_workdays, min_seconds / rounds), rate(cn.get_nth_working_day, min_seconds / rounds))
             for _ in range(rounds)]
    ours = statistics.median(p[0] for p in pairs)
    theirs = statistics.median(p[1] for p in pairs)
    ratio = statistics.median(p[0] / p[1] for p in pairs)
    agree = sum(cal.add_workdays(d, n) == cn.get_nth_working_day(d, n) for d, n in inputs)
    return {"add_workdays_per_s": ours, "holidays_per_s": theirs, "ratio": ratio,
            "round_ratios": [round(p[0] / p[1], 1) for p in pairs], "same_answer": agree, "inputs": len(inputs)}


def main(argv: list[str]) -> int:
    _setup()
    cmd, args = argv[0], argv[1:]
    if cmd == "generate":
        out = generate(*(int(a) for a in args))
    elif cmd == "sessions":
        out = sessions()
    elif cmd == "counts":
        out = counts()
    elif cmd == "soak-setup":  # bench/soak.py: the work its clients need (bench/soak_data.py)
        from bench import soak_data

        out = soak_data.setup(*(int(a) for a in args))
    elif cmd == "soak-facts":
        from bench import soak_data

        out = soak_data.facts()
    elif cmd == "p4":
        out = p4(*(float(a) if "." in a else int(a) for a in args))
    else:
        raise SystemExit(f"unknown command {cmd}")
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
