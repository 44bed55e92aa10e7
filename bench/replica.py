"""`make bench-replica`: prove the replica path (issue 17, docs/scaling.md) on a real streaming standby.

Sets up, on this machine, a second PostgreSQL cluster streaming from the local one
(`pg_basebackup -R` into a temporary directory, started with `pg_ctl` as the postgres user on a
free port), points zhengwu at both (DATABASE_URL the primary, DATABASE_REPLICA_URL the standby)
and checks, through the real router and middleware:

1. a read-only page (a register) reads from the standby (`pg_is_in_recovery()` on its connection);
2. with the standby's replay paused (so it lags deterministically, no timing), a write goes to the
   primary, the standby does not have it yet, and the request that wrote reads it back from the
   primary (read-your-writes); the page after it (the pin cookie) reads from the primary too;
3. a page not marked read-only reads from the primary;
4. once replay resumes and catches up (pg_last_wal_replay_lsn() ≥ the primary's LSN), the
   register read from the standby shows the row.

Then stops the standby and removes its directory. Needs root (to run pg_ctl as postgres) and a
primary that allows replication connections from 127.0.0.1 (wal_level replica, max_wal_senders).
Prints one JSON line; exit 0 when every check held.

    BENCH_PG=postgresql://postgres@127.0.0.1:5432 python -m bench.replica
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DB = "zw_bench_replica"


def pg_bin(name: str) -> str:
    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):  # Debian: the real binaries
        if (d / name).exists():
            return str(d / name)
    found = shutil.which(name)
    if found:
        return found
    raise SystemExit(f"bench.replica: {name} not found (apt-get install postgresql)")


def psql(url: str, sql: str) -> str:
    out = subprocess.run(["psql", url, "-qAtX", "-c", sql], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"psql {url}: {out.stderr.strip()}")
    return out.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*cmd: str) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    out = subprocess.run([*prefix, *cmd], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"{' '.join(cmd[:1])}: {out.stderr.strip()[-2000:]}")


HBA_LINE = "host replication postgres 127.0.0.1/32 trust  # zhengwu bench.replica: the local standby"


def allow_local_replication() -> None:
    """The local primary must accept a replication connection from 127.0.0.1 (pg_hba.conf's "all"
    does not cover replication): add the line once and reload, as root on a bench machine."""
    rules = psql(f"{PG}/postgres", "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) "
                                   "AND type IN ('host', 'local')")
    if rules != "0":
        return
    hba = Path(psql(f"{PG}/postgres", "SHOW hba_file"))
    if not os.access(hba, os.W_OK):
        raise SystemExit(f"bench.replica: add to {hba}: {HBA_LINE}")
    with open(hba, "a", encoding="utf-8") as f:
        f.write("\n" + HBA_LINE + "\n")
    psql(f"{PG}/postgres", "SELECT pg_reload_conf()")
    print(f"bench.replica: allowed local replication connections ({hba})", file=sys.stderr)


def start_standby(tmp: Path, port: int) -> Path:
    allow_local_replication()
    data = tmp / "standby"
    p = urlparse(PG)
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    as_postgres(pg_bin("pg_basebackup"), "-h", p.hostname or "127.0.0.1", "-p", str(p.port or 5432),
                "-U", p.username or "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast")
    # Debian keeps a cluster's configuration in /etc, so the copy has none: a minimal one
    same = "".join(f"{k} = {psql(f'{PG}/postgres', f'SHOW {k}')}\n" for k in (
        "max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
        "max_locks_per_transaction"))  # a standby needs at least the primary's values
    for name, text in (("postgresql.conf", f"hot_standby = on\nshared_buffers = 32MB\n{same}"),
                       ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n")):
        if not (data / name).exists():
            (data / name).write_text(text, encoding="utf-8")
            if os.geteuid() == 0:
                shutil.chown(data / name, "postgres", "postgres")
    try:
        as_postgres(pg_bin("pg_ctl"), "-D", str(data), "-l", str(tmp / "standby.log"), "-w", "-t", "900",
                    "-o", f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c hot_standby=on", "start")
    except RuntimeError as e:
        log = (tmp / "standby.log").read_text(errors="replace")[-2000:] if (tmp / "standby.log").exists() else ""
        raise RuntimeError(f"{e}\n{log}") from None
    return data


def stop_standby(data: Path) -> None:
    as_postgres(pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")


def wait_replayed(primary: str, standby: str) -> None:
    """Until the standby has replayed everything the primary has written (no sleep-based guess:
    the LSNs are compared; psql's own round trips pace the loop)."""
    target = psql(primary, "SELECT pg_current_wal_lsn()")
    for _ in range(100000):
        if psql(standby, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") == "t":
            return
    raise RuntimeError("the standby did not catch up")


def checks(primary_url: str, standby_url: str) -> dict:
    os.environ.update(DATABASE_URL=primary_url, DATABASE_REPLICA_URL=standby_url,
                      DJANGO_SETTINGS_MODULE="zhengwu.settings", ZHENGWU_DEBUG="0")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections, router, transaction
    from django.http import HttpResponse
    from django.test import RequestFactory

    from zhengwu.org.models import Government
    from zhengwu.web import replica

    assert "zhengwu.web.replica.ReplicaRouter" in settings.DATABASE_ROUTERS
    rf = RequestFactory()
    seen: dict = {}

    def in_recovery(alias: str) -> bool:
        with connections[alias].cursor() as cur:
            cur.execute("SELECT pg_is_in_recovery()")
            return cur.fetchone()[0]

    def register(request):
        alias = router.db_for_read(Government)
        seen["alias"], seen["standby"] = alias, in_recovery(alias)
        seen["names"] = sorted(Government.objects.values_list("short_name", flat=True))
        return HttpResponse("ok")

    def add(request):
        with transaction.atomic():
            Government.objects.create(name="副本验证区人民政府", short_name="副本验证区")
        alias = router.db_for_read(Government)
        seen["alias"], seen["standby"] = alias, in_recovery(alias)
        seen["names"] = sorted(Government.objects.values_list("short_name", flat=True))
        return HttpResponse("ok")

    def serve(view, path, cookies=None):
        request = rf.get(path)
        request.COOKIES.update(cookies or {})
        mw = replica.ReplicaMiddleware(lambda r: view(r) if mw.process_view(r, view, (), {}) is None else None)
        return mw(request)

    out: dict = {}
    serve(register, "/documents/registers/incoming/")
    out["register_reads_standby"] = seen["alias"] == "replica" and seen["standby"] is True
    psql(standby_url, "SELECT pg_wal_replay_pause()")
    try:
        response = serve(add, "/documents/registers/incoming/")
        out["write_then_read_on_primary"] = seen["alias"] == "default" and not seen["standby"] \
            and "副本验证区" in seen["names"]
        pinned = {replica.PIN_COOKIE: "1"} if replica.PIN_COOKIE in response.cookies else {}
        serve(register, "/documents/registers/incoming/", cookies=pinned)
        out["next_page_pinned_to_primary"] = bool(pinned) and seen["alias"] == "default" and "副本验证区" in seen["names"]
        out["standby_lags_while_paused"] = psql(
            standby_url, "SELECT count(*) FROM org_government WHERE short_name = '副本验证区'") == "0"
        serve(register, "/documents/intake/")
        out["other_page_reads_primary"] = seen["alias"] == "default" and not seen["standby"]
    finally:
        psql(standby_url, "SELECT pg_wal_replay_resume()")
    wait_replayed(primary_url, standby_url)
    serve(register, "/documents/registers/incoming/")
    out["standby_caught_up_and_serves_it"] = seen["alias"] == "replica" and "副本验证区" in seen["names"]
    connections.close_all()
    return out


def main() -> int:
    primary_db = f"{PG}/{DB}"
    psql(f"{PG}/postgres", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    psql(f"{PG}/postgres", f"CREATE DATABASE {DB}")
    env = {**os.environ, "DATABASE_URL": primary_db, "DJANGO_SETTINGS_MODULE": "zhengwu.settings"}
    env.pop("DATABASE_REPLICA_URL", None)
    subprocess.run([sys.executable, "-m", "django", "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    tmp = Path(tempfile.mkdtemp(prefix="zw-standby-"))
    port = free_port()
    data = None
    try:
        data = start_standby(tmp, port)
        standby_db = f"postgresql://postgres@127.0.0.1:{port}/{DB}"
        result = checks(primary_db, standby_db)
    finally:
        if data is not None:
            stop_standby(data)
        shutil.rmtree(tmp, ignore_errors=True)
        psql(f"{PG}/postgres", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    ok = all(result.values())
    print(json.dumps({"replica": result, "ok": ok}, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
