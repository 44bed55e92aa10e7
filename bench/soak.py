"""`make soak` / `make soak-ci`: N clients for T minutes against gunicorn on PostgreSQL, a worker
killed with SIGKILL half-way, then the invariants (docs/performance.md, "Soak").

    python -m bench.soak [--clients 50] [--minutes 10] [--workers 3] [--seed 1] [--no-kill]

A fresh database (SOAK_DB, default zhengwu_soak, on BENCH_PG) and a temporary ZHENGWU_VAR hold the
full demo (`zhengwu demo load`) plus the work the clients need (bench/soak_data.py). Each client is
a thread with its own `requests` session, signed in as a demo person through the login form (CSRF;
the one-time code where the login asks for one, computed from the person's TOTP device in the soak
database), and loops over a mix weighted by its role: inbox reads, 批示 and reviews (completing
steps), 转办, 编号 and 印发 (the clerk), register exports (.xlsx), sign-out and sign-in again.

Counted, not errors: 409 answers (two clients racing for one task or one number). Retried: GETs
that lost their connection (the killed worker). Unknown: POSTs that lost it — read back from the
database after the run and counted as applied or not. Errors: any 5xx, any other 4xx, a GET that
fails four times. Then the invariants (bench/soak_checks.py): no error, no acknowledged completion
lost, none doubled, approvals consistent with their steps, numbers gapless per series, every
unknown POST reconciled, the killed worker respawned and no other one died (a timeout, a crash),
`zhengwu audit verify --state` passing (the chain, its checkpoints, and documents and approvals
holding their last audited values). Exit 0 when all hold, else 1 naming each one that failed.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

from bench import run as bench
from bench import soak_checks

DB = os.environ.get("SOAK_DB", "zhengwu_soak")
RESULTS = bench.ROOT / "bench" / "soak-results.json"  # the raw figures of the last run (not committed)

# Who the clients are, in the order they are handed out (cycled): the busy people first, the
# office director, the busy 副区长 and the clerk twice (two sessions of one person race for the same
# task or number: the 409s), the 财政局's head, away in the demo, and his deputy acting for him (转办
# of the 会签 between them), one administrator; then the rest of the demo's people and its other
# administrators (people()).
FIRST = ["bgs-zhuren", "fuqu2", "wenshu", "changwu", "quzhang", "czj-fu", "bgs-zhuren", "fuqu2", "wenshu", "fuqu4",
         "fuqu3", "czj", "bgs-fuzhuren", "fuqu1"]
ADMIN_PAGE = "/account/"  # an administrator's own account page (they act in no business: 三权分立)
MIX = {  # action -> weight, per role
    "leader": {"inbox": 30, "approve": 45, "reassign": 3, "export": 7, "signin": 5, "notifications": 10},
    "office": {"inbox": 25, "approve": 45, "reassign": 10, "export": 10, "signin": 5, "notifications": 5},
    "clerk": {"inbox": 15, "number": 45, "approve": 10, "reassign": 10, "export": 15, "signin": 5},
    "unit": {"inbox": 40, "approve": 30, "reassign": 15, "export": 10, "signin": 5},
    "acting": {"inbox": 30, "approve": 25, "reassign": 30, "export": 10, "signin": 5},
    "admin": {"admin": 70, "signin": 30},
}
ROLE = {"quzhang": "leader", "changwu": "leader", "fuqu1": "leader", "fuqu2": "leader", "fuqu3": "leader",
        "fuqu4": "leader", "bgs-zhuren": "office", "bgs-fuzhuren": "office", "wenshu": "clerk", "czj": "acting",
        "czj-fu": "acting"}
CONFLICT_OK = {"complete", "reassign", "number", "issue", "ack"}  # a 409 here is a lost race, counted

TASK_LINK = re.compile(r'href="/tasks/(\d+)/"')
LIST_ITEM = re.compile(r'<li class="item[^"]*">\s*<a class="item-link" href="/documents/(\d+)/">(.*?)</li>', re.S)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
CHOICE = re.compile(r'name="decision" value="([^"]+)"')
SELECT_TO = re.compile(r'<select name="to"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
INPUT = re.compile(r"<input\b([^>]*)>", re.I)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')
OTP_FIELD = re.compile(r"otp|token|code", re.I)


def password() -> str:
    """The demo password, from the product (it is changing: never a copy here); needs django_setup()."""
    from zhengwu.org import demo

    return demo.PASSWORD


def people() -> tuple[list[str], set[str]]:
    """(the demo's usernames in the order clients get them, the administrators among them), from the
    product's demo (needs django_setup())."""
    from zhengwu.org import demo

    admins = [a[0] for a in getattr(demo, "ADMINISTRATORS", [])]
    everyone = [p[0] for p in demo.PEOPLE]
    order = [u for u in FIRST if u in everyone] + admins[:1] + [u for u in everyone if u not in FIRST] + admins[1:]
    return order, set(admins)


def django_setup(db: str) -> None:
    """Django in this process (bench.settings on the soak's database): for the demo password."""
    import django

    os.environ.update(bench.env_for(db))
    django.setup()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Stats:
    """Everything the clients saw, under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.count: Counter = Counter()
        self.conflicts: Counter = Counter()
        self.errors: list[dict] = []
        self.retried_gets = 0
        self.unknown: list[dict] = []
        self.completed: list[dict] = []  # acknowledged completions {task, user}
        self.reassigned: list[dict] = []
        self.numbered: list[int] = []
        self.issued: list[int] = []
        self.events: Counter = Counter()  # sign-ins, codes, idle turns …

    def add(self, attr: str, value) -> None:
        with self.lock:
            getattr(self, attr).append(value)

    def event(self, name: str, n: int = 1) -> None:
        with self.lock:
            self.events[name] += n


class Client(threading.Thread):
    def __init__(self, index: int, username: str, base: str, stats: Stats, otp, stop: threading.Event,
                 seed: int, think: tuple[float, float], admins: set[str] = frozenset()):
        super().__init__(name=f"client-{index}-{username}", daemon=True)
        self.username, self.base, self.stats, self.otp, self.stop = username, base, stats, otp, stop
        self.rng = random.Random(seed * 1000 + index)
        self.think = think
        self.role = "admin" if username in admins else ROLE.get(username, "unit")
        self.session = requests.Session()

    # ---- HTTP with the soak's accounting -------------------------------------------------------
    def call(self, kind: str, method: str, path: str, data: dict | None = None, ok=(200,), unknown: dict | None = None):
        """One request: timed under `kind`; a lost connection retried for a GET, recorded as unknown for
        a POST (returns None); a 409 on a racing action counted; any other unexpected status an error."""
        for attempt in range(4):
            t0 = time.perf_counter()
            try:
                r = self.session.request(method, self.base + path, data=data, allow_redirects=False, timeout=120)
            except requests.RequestException as e:
                if method == "GET" and attempt < 3:
                    with self.stats.lock:
                        self.stats.retried_gets += 1
                    time.sleep(0.2)
                    continue
                if method == "POST":
                    self.stats.add("unknown", {**(unknown or {"op": kind}), "user": self.username,
                                               "error": type(e).__name__})
                    return None
                self.error(kind, method, path, None, f"{type(e).__name__}: {e}")
                return None
            elapsed = time.perf_counter() - t0
            with self.stats.lock:
                self.stats.latency[kind].append(elapsed)
                self.stats.count[kind] += 1
            if r.status_code == 409 and kind in CONFLICT_OK:
                with self.stats.lock:
                    self.stats.conflicts[kind] += 1
            elif r.status_code not in ok:
                self.error(kind, method, path, r.status_code, _gist(r))
            return r
        return None

    def error(self, kind: str, method: str, path: str, status, detail: str) -> None:
        self.stats.add("errors", {"kind": kind, "method": method, "path": path, "status": status,
                                  "user": self.username, "detail": detail[:300], "at": time.strftime("%H:%M:%S")})

    def csrf(self, page) -> str:
        m = CSRF.search(page.text) if page is not None else None
        return m.group(1) if m else self.session.cookies.get("csrftoken", "")

    # ---- sign-in -------------------------------------------------------------------------------
    def login(self) -> bool:
        """The login form (CSRF), then wherever it leads: the one-time code step where asked, until a
        page that asks for nothing (the inbox, or an administrator's landing page)."""
        page = self.call("login", "GET", "/login/")
        if page is None or page.status_code != 200:
            return False
        r = self.call("login", "POST", "/login/", ok=(302,), data={
            "csrfmiddlewaretoken": self.csrf(page), "username": self.username, "password": password(), "next": "/"})
        if r is None or r.status_code != 302:
            return False
        target = r.headers.get("Location", "")
        for _ in range(6):
            r = self.call("login", "GET", target, ok=(200, 302))
            if r is None:
                return False
            if r.status_code == 302:
                target = r.headers.get("Location", "")
                continue
            if 'name="password"' in r.text:
                self.error("login", "GET", target, 200, "sent back to a password form after signing in")
                return False
            form = otp_form(r.text)
            if form is None:  # arrived
                self.stats.event("sign-ins")
                return True
            action, fields, code_field = form
            fields[code_field] = self.otp.code(self.username)
            self.stats.event("one-time codes")
            r = self.call("login_code", "POST", action or target, data=fields, ok=(302,))
            if r is None or r.status_code != 302:
                return False
            target = r.headers.get("Location", "")
        self.error("login", "GET", target, None, "the login did not arrive anywhere after 6 pages")
        return False

    def logout(self) -> None:
        home = self.call("admin" if self.role == "admin" else "inbox", "GET", ADMIN_PAGE if self.role == "admin" else "/")
        self.call("logout", "POST", "/logout/", data={"csrfmiddlewaretoken": self.csrf(home)}, ok=(200, 302))
        self.session.cookies.clear()

    # ---- the actions ---------------------------------------------------------------------------
    def inbox_tasks(self) -> list[int]:
        r = self.call("inbox", "GET", "/?box=todo")
        return list(dict.fromkeys(int(x) for x in TASK_LINK.findall(r.text))) if r is not None and r.ok else []

    def do_inbox(self) -> None:
        self.call("inbox", "GET", "/?box=" + self.rng.choice(["todo", "todo", "done", "mine"]))

    def do_notifications(self) -> None:
        self.call("notifications", "GET", "/notifications/")

    def do_admin(self) -> None:
        self.call("admin", "GET", ADMIN_PAGE)

    def do_export(self) -> None:
        register = self.rng.choice(["incoming", "outgoing"])
        r = self.call("export", "GET", f"/documents/registers/{register}/?format=xlsx")
        if r is not None and r.status_code == 200 and not r.content.startswith(b"PK"):
            self.error("export", "GET", register, 200, "not an .xlsx file")

    def do_approve(self) -> None:
        tasks = self.inbox_tasks()
        if not tasks:
            self.stats.event("idle (empty inbox)")
            return
        tid = self.rng.choice(tasks[:5])  # the top rows: the same ones another session of the person sees
        page = self.call("task_page", "GET", f"/tasks/{tid}/")
        if page is None or page.status_code != 200:
            return
        text = page.text
        if 'value="ack"' in text:  # a 传阅: read it
            r = self.call("ack", "POST", f"/tasks/{tid}/", ok=(302,), unknown={"op": "ack", "id": tid},
                          data={"csrfmiddlewaretoken": self.csrf(page), "op": "ack"})
            if r is not None and r.status_code == 302:
                self.stats.event("circulations read")
            return
        version = VERSION.search(text)
        if not version or 'value="complete"' not in text:
            self.stats.event("task not actionable (already handled)")
            return
        choices = [html.unescape(c) for c in CHOICE.findall(text)]
        data = {"csrfmiddlewaretoken": self.csrf(page), "op": "complete", "version": version.group(1),
                "opinion": self.rng.choice(["同意", "同意，请按程序办理", "请有关单位抓紧落实", "已阅，同意"]),
                "decision": choices[0] if choices else ""}
        r = self.call("complete", "POST", f"/tasks/{tid}/", data=data, ok=(302,),
                      unknown={"op": "complete", "id": tid})
        if r is not None and r.status_code == 302:
            self.stats.add("completed", {"task": tid, "user": self.username})

    def do_reassign(self) -> None:
        tasks = self.inbox_tasks()
        for tid in self.rng.sample(tasks[:15], min(3, len(tasks[:15]))):
            page = self.call("task_page", "GET", f"/tasks/{tid}/")
            if page is None or page.status_code != 200:
                return
            select = SELECT_TO.search(page.text)
            options = OPTION.findall(select.group(1)) if select else []
            version = VERSION.search(page.text)
            if not options or not version:
                continue
            r = self.call("reassign", "POST", f"/tasks/{tid}/", ok=(302,), unknown={"op": "reassign", "id": tid},
                          data={"csrfmiddlewaretoken": self.csrf(page), "op": "reassign", "to": self.rng.choice(options),
                                "version": version.group(1), "note": "请阅办"})
            if r is not None and r.status_code == 302:
                self.stats.add("reassigned", {"task": tid, "user": self.username})
            return
        self.stats.event("no task to hand over")

    def signed_documents(self) -> list[int]:
        """The signed documents on the first pages of the 发文 list (the clerk's way to find them)."""
        for page_no in range(1, 9):
            r = self.call("documents", "GET", f"/documents/?tab=outgoing&page={page_no}")
            if r is None or r.status_code != 200:
                return []
            items = LIST_ITEM.findall(r.text)
            found = [int(doc) for doc, body in items if "doc-status-signed" in body]
            if found or len(items) < 30 or f"page={page_no + 1}" not in r.text:
                return found
        return []

    def do_number(self) -> None:
        docs = self.signed_documents()
        if not docs:
            self.stats.event("idle (nothing to number)")
            return
        doc = self.rng.choice(docs[:5])
        page = self.call("document", "GET", f"/documents/{doc}/")
        if page is None or page.status_code != 200:
            return
        token = self.csrf(page)
        if f'action="/documents/{doc}/number/"' in page.text:
            r = self.call("number", "POST", f"/documents/{doc}/number/", ok=(302,),
                          unknown={"op": "number", "id": doc}, data={"csrfmiddlewaretoken": token})
            if r is None or r.status_code != 302:
                return
            self.stats.add("numbered", doc)
        elif f'action="/documents/{doc}/issue/"' not in page.text:
            self.stats.event("document not actionable (already handled)")
            return
        r = self.call("issue", "POST", f"/documents/{doc}/issue/", ok=(302,), unknown={"op": "issue", "id": doc},
                      data={"csrfmiddlewaretoken": token})
        if r is not None and r.status_code == 302:
            self.stats.add("issued", doc)

    def sign_in(self) -> bool:
        """login(), again after a pause where its connection dropped (the killed worker): at most 3 tries."""
        for attempt in range(3):
            if self.login():
                return True
            if attempt < 2:
                self.session.cookies.clear()
                time.sleep(1)
        self.error("login", "-", "/login/", None, "could not sign in after 3 tries")
        return False

    def do_signin(self) -> None:
        self.logout()
        if not self.sign_in():
            self.stop_me = True

    def run(self) -> None:
        mix = MIX[self.role]
        actions, weights = list(mix), list(mix.values())
        self.stop_me = False
        if not self.sign_in():
            self.stats.event("clients that could not sign in")
            return
        while not self.stop.is_set() and not self.stop_me:
            action = self.rng.choices(actions, weights)[0]
            try:
                getattr(self, f"do_{action}")()
            except Exception as e:  # a bug of the client, not of the server: shown, the run goes on
                self.error(action, "-", "-", None, f"client: {type(e).__name__}: {e}")
            self.stop.wait(self.rng.uniform(*self.think))


def _mb(values: list[float]) -> str:
    return " / ".join(f"{v:.0f}" for v in values) or "?"


def _gist(r) -> str:
    """What an unexpected answer says: the refusal's message where the page has one."""
    text = r.text if "html" in r.headers.get("Content-Type", "") else ""
    m = re.search(r'class="refusal[^"]*"[^>]*>(.*?)</', text, re.S) or re.search(r"<title>(.*?)</title>", text, re.S)
    where = r.headers.get("Location", "")
    return (html.unescape(re.sub(r"\s+", " ", m.group(1))).strip() if m else text[:200]) + (f" → {where}" if where else "")


def otp_form(page: str):
    """(action, fields, name of the code field) of the form on `page` asking for a one-time code, or None."""
    for attrs, body in FORM.findall(page):
        fields, code = {}, None
        for tag in INPUT.findall(body):
            a = dict(ATTR.findall(tag))
            name = a.get("name")
            if not name:
                continue
            if a.get("type", "text") in ("hidden", "submit"):
                fields[name] = html.unescape(a.get("value", ""))
            elif OTP_FIELD.search(name) and name != "csrfmiddlewaretoken":
                code = name
        if code:
            return html.unescape(dict(ATTR.findall(attrs)).get("action", "")), fields, code
    return None


class OneTimeCodes:
    """The current code of a person's TOTP device (django-otp's table in the soak database), one code
    per time step per person: a second sign-in of the same person within the step waits for the next
    (the server refuses a code used before, as it should), so no client ever sends a wrong code."""

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self.given: dict[str, int] = {}  # username -> the last time step a code was handed out for
        self.guard = threading.Lock()

    def code(self, username: str) -> str:
        import psycopg
        from django_otp.oath import totp

        with self.guard:
            lock = self.locks[username]
        with lock, psycopg.connect(self.dsn) as conn:
            row = conn.execute(
                "SELECT d.key, d.step, d.t0, d.digits, d.drift, d.last_t FROM otp_totp_totpdevice d "
                "JOIN org_person p ON p.id = d.user_id WHERE p.username = %s AND d.confirmed "
                "ORDER BY d.id LIMIT 1", (username,)).fetchone()
            if row is None:
                raise RuntimeError(f"{username}: the login asks for a one-time code but the person has no TOTP device")
            key, step, t0, digits, drift, last_t = row
            spent = max(last_t, self.given.get(username, -1))
            # django-otp's counter: (now - t0) // step + drift; a step already used waits for the next
            while int((time.time() - t0) // step) + drift <= spent:
                time.sleep(0.25)
            self.given[username] = int((time.time() - t0) // step) + drift
            return f"{totp(bytes.fromhex(key), step, t0, digits, drift):0{digits}d}"


class Killer(threading.Thread):
    """SIGKILL one gunicorn worker at `at` seconds; then wait for the master to respawn it."""

    def __init__(self, server, at: float, stop: threading.Event):
        super().__init__(name="killer", daemon=True)
        self.server, self.at, self.stop = server, at, stop
        self.killed: int | None = None
        self.respawned: float | None = None

    def run(self) -> None:
        if self.stop.wait(self.at):
            return
        before = self.server.workers()
        if not before:
            return
        self.killed = random.choice(before)
        t0 = time.monotonic()
        os.kill(self.killed, signal.SIGKILL)
        bench.log(f"kill -9 of gunicorn worker {self.killed} (of {len(before)})")
        while time.monotonic() - t0 < 60:
            now = self.server.workers()
            if len(now) >= len(before) and self.killed not in now:
                self.respawned = time.monotonic() - t0
                bench.log(f"the master respawned it in {self.respawned:.1f}s")
                return
            time.sleep(0.2)


class Workers:
    """The gunicorn workers seen during the run: one gone other than the one killed has died (a
    timeout, a crash); and their memory (VmRSS, MB) at the first and the last look."""

    def __init__(self, server):
        self.server = server
        self.seen: set[int] = set()
        self.gone: set[int] = set()
        self.rss_first: list[float] = []
        self.rss_last: list[float] = []

    def look(self) -> None:
        now = set(self.server.workers())
        self.gone |= self.seen - now
        self.seen |= now
        rss = []
        for pid in sorted(now):
            try:
                rss.append(int(re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text()).group(1)) / 1024)
            except (OSError, AttributeError):  # gone meanwhile
                pass
        if not self.rss_first:
            self.rss_first = rss
        self.rss_last = rss or self.rss_last


def sizes(clients: int, minutes: float) -> dict:
    """How much work to prepare: enough that the clients do not run out."""
    return {"intake": max(100, int(0.8 * clients * minutes)), "issue": max(30, int(clients * minutes / 3)),
            "signed": max(20, clients)}


def prepare(db: str, clients: int, minutes: float) -> dict:
    bench.psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    bench.psql(f"CREATE DATABASE {db}")
    bench.migrate(db)
    bench.zhengwu(db, "demo", "load")
    size = sizes(clients, minutes)
    t0 = time.monotonic()
    made = bench.tool(db, "soak-setup", size["intake"], size["issue"], size["signed"])
    made["seconds"] = round(time.monotonic() - t0, 1)
    return made


def check(stats: Stats, facts: dict, killer: Killer | None, workers: Workers,
          audit_ok: tuple[bool, str]) -> tuple[dict, dict]:
    """(problems per invariant, reconciliation counts)."""
    completed = stats.completed
    reconciled, unreconciled = soak_checks.reconcile(stats.unknown, facts["tasks"], facts["outgoing"],
                                                     facts["people"])
    numbered = [f"document {d}: acknowledged as numbered, but it has no number"
                for d in stats.numbered if not facts["outgoing"].get(str(d), {}).get("doc_number")]
    problems = {
        "no errors (5xx, unexpected 4xx, GETs failing after retries)":
            [f"{e['at']} {e['user']} {e['kind']} {e['method']} {e['path']} → {e['status']}: {e['detail']}"
             for e in stats.errors],
        "no acknowledged completion lost": soak_checks.lost_completions(completed, facts["tasks"], facts["people"])
        + numbered,
        "no completion doubled": soak_checks.doubled_completions(completed, facts["completions"]),
        "approvals consistent with their steps":
            soak_checks.approval_inconsistencies(facts["approvals"], facts["tasks"], facts["completions"]),
        "document numbers gapless per series": soak_checks.number_gaps(facts["numbers"], facts["counters"]),
        "POSTs with a lost answer reconciled": unreconciled,
        "the killed worker respawned": [] if killer is None or killer.respawned is not None else
        [f"worker {killer.killed} killed, no new worker within 60 s" if killer.killed else "no worker was killed"],
        "no other worker died (timeouts, crashes)": [f"worker {pid} went away during the run (see gunicorn's log "
                                                     "above: WORKER TIMEOUT?)"
                                                     for pid in sorted(workers.gone - {killer.killed if killer else None})],
        "zhengwu audit verify --state": [] if audit_ok[0] else [audit_ok[1]],
    }
    return problems, reconciled


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=int(os.environ.get("SOAK_CLIENTS", 50)))
    p.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 10)))
    p.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--think", type=float, nargs=2, default=(0.3, 1.5), metavar=("MIN", "MAX"),
                   help="seconds a client pauses between actions (uniform; default 0.3 1.5)")
    p.add_argument("--no-kill", action="store_true", help="do not kill a worker mid-run")
    ns = p.parse_args(argv)
    if ns.clients < 1 or ns.minutes <= 0 or ns.workers < 2:
        print("soak: --clients ≥ 1, --minutes > 0 and --workers ≥ 2 (one is killed)", file=sys.stderr)
        return 2
    if not shutil.which("psql"):
        print("soak: psql is not installed (apt-get install postgresql-client)", file=sys.stderr)
        return 2
    var = Path(tempfile.mkdtemp(prefix="zhengwu-soak-"))
    bench.VAR = var  # the soak's own var/ (secret key, attachments), removed at the end
    load0 = os.getloadavg()
    print(f"soak: {ns.clients} clients, {ns.minutes:g} min, gunicorn -w {ns.workers} on {bench.PG}/{DB}; "
          f"{os.cpu_count()} cores, load average {load0[0]:.1f} {load0[1]:.1f} {load0[2]:.1f}", flush=True)
    server = None
    try:
        made = prepare(DB, ns.clients, ns.minutes)
        print("data: the demo plus " + ", ".join(f"{k} {v}" for k, v in made.items() if k != "seconds")
              + f" (prepared in {made['seconds']}s)", flush=True)
        django_setup(DB)
        server = bench.Server(DB, workers=ns.workers)
        stats, stop = Stats(), threading.Event()
        otp = OneTimeCodes(f"{bench.PG}/{DB}")
        order, admins = people()
        clients = [Client(i, order[i % len(order)], server.base, stats, otp, stop, ns.seed, tuple(ns.think), admins)
                   for i in range(ns.clients)]
        seconds = ns.minutes * 60
        killer = None if ns.no_kill else Killer(server, seconds / 2, stop)
        t0 = time.monotonic()
        for c in clients:
            c.start()
            time.sleep(min(0.1, 5 / ns.clients))  # a ramp of at most 5 s
        if killer:
            killer.start()
        loads, workers, said = [], Workers(server), time.monotonic()
        while time.monotonic() - t0 < seconds:
            time.sleep(min(1.0, max(0.05, seconds - (time.monotonic() - t0))))
            workers.look()
            if time.monotonic() - said >= 15:
                said = time.monotonic()
                loads.append(os.getloadavg()[0])
                with stats.lock:
                    done = sum(stats.count.values())
                bench.log(f"{time.monotonic() - t0:.0f}s: {done} requests, {len(stats.completed)} steps completed, "
                          f"{len(stats.errors)} errors, load {loads[-1]:.1f}")
        stop.set()
        stopped = time.monotonic() - t0
        for c in clients:
            c.join(150)
        wall = time.monotonic() - t0
        bench.log(f"clients told to stop at {stopped:.0f}s; the last finished its action at {wall:.0f}s")
        workers.look()
        if killer:
            killer.join(5)
    finally:
        if server:
            server.stop()
    try:
        bench.zhengwu(DB, "audit", "verify", "--state")
        audit_ok = (True, "")
    except RuntimeError as e:
        audit_ok = (False, str(e))
    facts = bench.tool(DB, "soak-facts")
    problems, reconciled = check(stats, facts, killer, workers, audit_ok)
    shutil.rmtree(var, ignore_errors=True)
    report(stats, wall, ns, made, killer, reconciled, loads, workers)
    failed = [name for name, found in problems.items() if found]
    for name, found in problems.items():
        print(f"invariant {'FAILED' if found else 'ok'}: {name}" + (f" ({len(found)})" if found else ""))
        for line in found[:10]:
            print(f"    {line}")
    print(f"soak: {'FAILED: ' + '; '.join(failed) if failed else 'ok'}")
    return 1 if failed else 0


def report(stats: Stats, wall: float, ns, made: dict, killer: Killer | None, reconciled: dict, loads: list,
           workers: Workers) -> None:
    total = sum(stats.count.values())
    print("figures:")
    print(f"  {total} requests in {wall:.0f}s (until the last client finished): {total / wall:.1f} requests/s; "
          f"load average during the run "
          f"{min(loads, default=0):.1f}–{max(loads, default=0):.1f} on {os.cpu_count()} cores")
    print(f"  {'kind':<14}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'409':>6}")
    for kind in sorted(stats.latency, key=lambda k: -len(stats.latency[k])):
        v = stats.latency[kind]
        print(f"  {kind:<14}{len(v):>7}{percentile(v, .5) * 1000:>9.0f}{percentile(v, .95) * 1000:>9.0f}"
              f"{percentile(v, .99) * 1000:>9.0f}{stats.conflicts.get(kind, 0):>6}")
    print(f"  steps completed (批示, reviews, 签发, 会签): {len(stats.completed)}; handed over (转办): "
          f"{len(stats.reassigned)}; numbers issued (编号): {len(stats.numbered)}; documents issued (印发): "
          f"{len(stats.issued)}")
    print(f"  conflicts (409, a race lost): {sum(stats.conflicts.values())}; errors: {len(stats.errors)}")
    if killer:
        print(f"  worker killed: {killer.killed}; respawned after "
              f"{'%.1fs' % killer.respawned if killer.respawned is not None else 'never'}; GETs retried after a "
              f"dropped connection: {stats.retried_gets}; POSTs whose answer was lost: {len(stats.unknown)} "
              f"(read back: {reconciled['applied']} applied, {reconciled['not_applied']} not; "
              f"{reconciled['not_checked']} sign-in/out or 传阅 read, nothing to check)")
    print(f"  gunicorn workers' memory (VmRSS): {_mb(workers.rss_first)} MB at the start, {_mb(workers.rss_last)} MB "
          "at the end")
    print("  " + "; ".join(f"{k}: {v}" for k, v in sorted(stats.events.items())))
    RESULTS.write_text(json.dumps({
        "clients": ns.clients, "minutes": ns.minutes, "workers": ns.workers, "wall": wall, "requests": total,
        "rps": total / wall, "data": made, "conflicts": dict(stats.conflicts), "errors": stats.errors[:50],
        "latency_ms": {k: {"n": len(v), "p50": percentile(v, .5) * 1000, "p95": percentile(v, .95) * 1000,
                           "p99": percentile(v, .99) * 1000, "mean": statistics.fmean(v) * 1000}
                       for k, v in stats.latency.items()},
        "completed": len(stats.completed), "reassigned": len(stats.reassigned), "numbered": len(stats.numbered),
        "issued": len(stats.issued), "retried_gets": stats.retried_gets, "unknown": stats.unknown,
        "reconciled": reconciled, "events": dict(stats.events), "loads": loads,
        "killed": killer.killed if killer else None, "respawned_s": killer.respawned if killer else None,
        "worker_rss_mb": {"start": workers.rss_first, "end": workers.rss_last},
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
