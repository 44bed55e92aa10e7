"""P1: approval-step completions per second through the workflow services, N worker processes
on PostgreSQL (rules, hooks, notifications and the audit chain as in production).

    DATABASE_URL=... python -m bench.p1 DURATION WORKERS

The data set holds several district governments (8 in `make bench`): worker i works in government
i mod G (and, when there are more workers than governments, on the approvals of it whose id ≡ i div G
mod the workers it shares it with), so the workers of different governments append to different
audit chains and never wait on each other's head lock (issue 17). Each completes its approvals' open
steps one after another (the office's review, then the 分管领导's 批示, the 区长's where major), as the
task's assignee, for DURATION seconds after a common start. Prints one JSON line."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import sys
import time


def worker(index: int, workers: int, duration: float, barrier, results) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from zhengwu import rules
    from zhengwu.errors import Refused
    from zhengwu.org.models import Person
    from zhengwu.workcalendar.selectors import work_calendar
    from zhengwu.workflow import services
    from zhengwu.workflow.models import Approval, Task

    govs = sorted(set(Person.objects.filter(government__isnull=False).values_list("government_id", flat=True)))
    gov = govs[index % len(govs)]
    sharing = [w for w in range(workers) if w % len(govs) == index % len(govs)]  # workers in this government
    mine = sharing.index(index)
    ids = [a for n, a in enumerate(Approval.objects.filter(status="running", route_id="doc.intake",
                                                          applicant_unit__government_id=gov)
                                   .order_by("id").values_list("id", flat=True)) if n % len(sharing) == mine]
    people = {p.pk: p for p in Person.objects.filter(government__isnull=False)}
    rules.book()
    work_calendar()
    done = errors = 0
    barrier.wait()
    end = time.monotonic() + duration
    for aid in ids:
        if time.monotonic() >= end:
            break
        while time.monotonic() < end:
            t = (Task.objects.filter(approval_id=aid, status="open", kind="step").order_by("id")
                 .values("id", "assignee_id").first())
            if t is None:
                break
            try:
                services.task_complete(actor=people[t["assignee_id"]], task_id=t["id"], opinion="同意，请按程序办理")
                done += 1
            except Refused:
                errors += 1
                break
    results.put((done, errors, len(ids)))


def main(argv: list[str]) -> int:
    duration = float(argv[0]) if argv else 10.0
    workers = int(argv[1]) if len(argv) > 1 else 8
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(workers + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=worker, args=(i, workers, duration, barrier, results)) for i in range(workers)]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.monotonic()
    got = [results.get() for _ in procs]
    elapsed = time.monotonic() - t0
    for p in procs:
        p.join()
    done = sum(g[0] for g in got)
    print(json.dumps({"completions": done, "errors": sum(g[1] for g in got), "seconds": duration,
                      "wall": round(elapsed, 2), "per_s": done / duration,
                      "approvals_left": sum(g[2] for g in got) - 0}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
