"""The soak's invariants (bench/soak.py), as pure functions over plain rows: each returns the list of
problems it finds, empty when the invariant holds. No Django here: tests/unit/test_soak_checks.py
checks each one both ways in milliseconds.

Rows come from bench.soak_data.facts() (the database after the run) and from what the clients saw
(the completions and numbers the server acknowledged, the POSTs whose answer was lost)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

DONE, OPEN, REASSIGNED = "done", "open", "reassigned"
FINISHED = ("approved", "returned", "cancelled")


def number_gaps(numbers: Iterable[dict], counters: Iterable[dict] = ()) -> list[str]:
    """Gapless and unique per series and year: the numbers of each (register field, series, year)
    are exactly 1..max, and the series' counter (where given) stands at that max. A number that
    does not parse (series None) is a problem too."""
    problems = []
    by: dict[tuple, list[int]] = defaultdict(list)
    for row in numbers:
        if row.get("series") is None or row.get("n") is None:
            problems.append(f"number {row.get('value')!r} does not parse as 〔year〕n号")
            continue
        by[(row.get("field", ""), row["series"], row["year"])].append(row["n"])
    top: dict[tuple, int] = {}
    for (field, series, year), ns in sorted(by.items()):
        doubled = sorted(n for n, c in Counter(ns).items() if c > 1)
        if doubled:
            problems.append(f"{series}〔{year}〕: numbers given twice: {doubled[:10]}")
        missing = sorted(set(range(1, max(ns) + 1)) - set(ns))
        if missing:
            problems.append(f"{series}〔{year}〕: gaps (numbers never given): {missing[:10]}"
                            + (f" and {len(missing) - 10} more" if len(missing) > 10 else ""))
        top[(series, year)] = max(top.get((series, year), 0), max(ns))
    for c in counters:
        used = top.get((c["series"], c["year"]), 0)
        if c["last"] != used:
            problems.append(f"{c['series']}〔{c['year']}〕: the counter stands at {c['last']} but the highest "
                            f"number given is {used}")
    return problems


def doubled_completions(acked: Iterable[dict], audit_completions: dict[str, int]) -> list[str]:
    """No task completed twice: at most one acknowledged completion per task among the clients, at
    most one `workflow.task.complete` audit event per task."""
    problems = []
    per_task = Counter(str(a["task"]) for a in acked)
    for task, n in sorted(per_task.items()):
        if n > 1:
            problems.append(f"task {task}: the server acknowledged {n} completions")
    for task, n in sorted(audit_completions.items()):
        if n > 1:
            problems.append(f"task {task}: {n} completion events in the audit trail")
    return problems


def lost_completions(acked: Iterable[dict], tasks: dict[str, dict], people: dict[str, int]) -> list[str]:
    """Every completion the server acknowledged is in the database: the task is done, by that person."""
    problems = []
    for a in acked:
        task = tasks.get(str(a["task"]))
        if task is None:
            problems.append(f"task {a['task']} (completed by {a['user']}): not in the database")
        elif task["status"] != DONE or task["completed_by_id"] != people.get(a["user"]):
            problems.append(f"task {a['task']}: acknowledged as completed by {a['user']}, but the database has "
                            f"status {task['status']} by person {task['completed_by_id']}")
    return problems


def approval_inconsistencies(approvals: Iterable[dict], tasks: dict[str, dict],
                             audit_completions: dict[str, int]) -> list[str]:
    """Approvals' outcomes agree with their steps: a running approval has an open step, a finished one
    none; every done step has exactly one completion event and no event names a step that is not done."""
    problems = []
    open_steps: Counter = Counter()
    for t in tasks.values():
        if t["status"] == OPEN:
            open_steps[t["approval_id"]] += 1
    for a in approvals:
        n = open_steps.get(a["id"], 0)
        if a["status"] == "running" and n == 0:
            problems.append(f"approval {a['id']}: running with no open step")
        elif a["status"] in FINISHED and n:
            problems.append(f"approval {a['id']}: {a['status']} with {n} open step(s)")
    for key, t in tasks.items():
        events = audit_completions.get(key, 0)
        if t["status"] == DONE and events != 1:
            problems.append(f"task {key}: done with {events} completion events")
    for key, n in audit_completions.items():
        if key in tasks and tasks[key]["status"] != DONE:
            problems.append(f"task {key}: {n} completion event(s) but status {tasks[key]['status']}")
        elif key not in tasks:
            problems.append(f"task {key}: a completion event for a step that does not exist")
    return problems


def reconcile(unknown: Iterable[dict], tasks: dict[str, dict], outgoing: dict[str, dict],
              people: dict[str, int]) -> tuple[dict, list[str]]:
    """POSTs whose answer was lost (a worker killed mid-request): read back whether each took effect.
    Returns ({"applied": n, "not_applied": m, "not_checked": k}, problems) — a problem being state that
    is neither; sign-in, sign-out and a 传阅's "read" leave nothing the invariants depend on (not checked)."""
    counts = {"applied": 0, "not_applied": 0, "not_checked": 0}
    problems = []
    for u in unknown:
        if u["op"] in ("complete", "reassign"):
            task = tasks.get(str(u["id"]))
            if task is None:
                problems.append(f"{u['op']} of task {u['id']} by {u['user']}: the task is not in the database")
                continue
            status = DONE if u["op"] == "complete" else REASSIGNED
            applied = task["status"] == status and task["completed_by_id"] == people.get(u["user"])
        elif u["op"] in ("number", "issue"):
            doc = outgoing.get(str(u["id"]))
            if doc is None:
                problems.append(f"{u['op']} of document {u['id']}: not in the database")
                continue
            applied = bool(doc["doc_number"]) if u["op"] == "number" else doc["status"] == "issued"
        else:
            counts["not_checked"] += 1
            continue
        counts["applied" if applied else "not_applied"] += 1
    return counts, problems
