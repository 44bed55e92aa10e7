"""The restore drill (issue 12, backup and restore), on the database the suite runs on.

Each instance is a real installation driven through the console script in subprocesses: its own
ZHENGWU_VAR (SQLite file, audit key, checkpoints, attachments) and, when the suite runs on
PostgreSQL (DATABASE_URL), its own database `zhengwu_drill_<random>` on that server, created and
dropped here. The source instance is set up once for the module: init/migrate, the demo (which
stores an attachment through the documents service), a checkpoint, then two archives (with and
without the key). Each test restores into a fresh, empty target.

Both ways: the drill restores and everything verifies (chain, checkpoint, attachments, the same
data); a restore into a non-empty instance, of a tampered archive, without the key, with the
wrong key, or over a different key file is refused (exit 2) and writes nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

PG_URL = os.environ.get("DATABASE_URL", "")
ON_PG = urlparse(PG_URL).scheme in ("postgres", "postgresql")


def _pg_admin():
    import psycopg

    u = urlparse(PG_URL)
    return psycopg.connect(host=u.hostname or "127.0.0.1", port=u.port or 5432, user=u.username or "postgres",
                           password=u.password or None, dbname="postgres", autocommit=True)


class Instance:
    """One installation: a var directory and (on PostgreSQL) a database of its own."""

    def __init__(self, root: Path, label: str):
        self.var = root / label
        self.var.mkdir(parents=True)
        self.db = f"zhengwu_drill_{label}_{secrets.token_hex(4)}" if ON_PG else None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENGWU_", "DATABASE_URL", "PG"))}
        self.env["ZHENGWU_VAR"] = str(self.var)
        if ON_PG:
            u = urlparse(PG_URL)
            self.env["DATABASE_URL"] = u._replace(path=f"/{self.db}").geturl()
            with _pg_admin() as con:
                con.execute(f'CREATE DATABASE "{self.db}"')

    def run(self, *args: str, ok: bool | None = True) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "zhengwu.cli", *args], env=self.env, capture_output=True,
                              text=True, timeout=300)
        if ok is True:
            assert done.returncode == 0, f"zhengwu {' '.join(args)}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done

    def wipe(self) -> None:
        """Gone: the database dropped (and an empty one made, as a new server would have), the
        var files deleted."""
        if ON_PG:
            with _pg_admin() as con:
                con.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
                con.execute(f'CREATE DATABASE "{self.db}"')
        shutil.rmtree(self.var)
        self.var.mkdir()

    def drop(self) -> None:
        if ON_PG:
            with _pg_admin() as con:
                con.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')

    def attachments(self) -> dict[str, str]:
        """stored file name -> SHA-256 of its content, for every attachment file."""
        root = self.var / "attachments"
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.glob("??/*") if p.is_file()}

    def has_tables(self) -> bool:
        if ON_PG:
            import psycopg

            u = urlparse(self.env["DATABASE_URL"])
            with psycopg.connect(host=u.hostname, port=u.port, user=u.username, password=u.password or None,
                                 dbname=self.db) as con:
                return con.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] > 0
        path = self.var / "zhengwu.sqlite3"  # settings may create it empty (0600) before SQLite does
        if not path.exists():
            return False
        con = sqlite3.connect(path)
        try:
            return con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
        finally:
            con.close()


def _has_command(instance: Instance, name: str) -> bool:
    return name in instance.run("--help").stdout


@pytest.fixture(scope="module")
def drill_root(tmp_path_factory):
    return tmp_path_factory.mktemp("backup-drill")


@pytest.fixture(scope="module")
def instances(drill_root):
    made: list[Instance] = []

    def make(label: str) -> Instance:
        inst = Instance(drill_root, label)
        made.append(inst)
        return inst

    yield make
    for inst in made:
        inst.drop()


@pytest.fixture(scope="module")
def source(instances, drill_root):
    """A live instance with the demo in it, backed up twice (with and without the key)."""
    src = instances("source")
    if _has_command(src, "init"):
        src.run("init")  # the schema, and the audit key made explicitly
    else:  # pragma: no cover - before `zhengwu init` existed
        src.run("manage", "migrate", "--noinput", "-v", "0")
    src.run("demo", "load")
    if "checkpoint" in src.run("audit", "--help").stdout:
        src.run("audit", "checkpoint")
    files = src.attachments()
    assert files, "the demo stores at least one attachment through the documents service"
    full, nokey = drill_root / "full.tar.gz", drill_root / "nokey.tar.gz"
    src.run("backup", "create", "--out", str(full))
    src.run("backup", "create", "--out", str(nokey), "--without-key")
    return {"instance": src, "full": full, "nokey": nokey, "files": files,
            "key": (src.var / "audit.key").read_bytes(), "checkpoints": (src.var / "audit-checkpoints.log").read_bytes(),
            "inbox": src.run("inbox", "quzhang", "--box", "todo").stdout}


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}


def _rewrite(archive: Path, out: Path, change) -> Path:
    """A copy of the archive with `change(name, data) -> data` applied to each member."""
    with tarfile.open(archive) as tar, tarfile.open(out, "w:gz") as new:
        for m in tar:
            data = change(m.name, tar.extractfile(m).read())
            info = tarfile.TarInfo(m.name)
            info.size, info.mode = len(data), m.mode
            new.addfile(info, io.BytesIO(data))
    return out


# ==== the archive =================================================================================

def test_the_archive_is_private_and_holds_everything_with_a_manifest(source):
    full = source["full"]
    assert full.stat().st_mode & 0o777 == 0o600
    members = _members(full)
    manifest = json.loads(members["manifest.json"])
    db_member = "database/zhengwu.pgdump" if ON_PG else "database/zhengwu.sqlite3"
    assert manifest["database"] == {"vendor": "postgresql" if ON_PG else "sqlite", "member": db_member,
                                    "name": manifest["database"]["name"]}
    assert members["audit.key"] == source["key"]
    for name in source["files"]:
        assert members[f"attachments/{name[:2]}/{name}"]
    assert members["audit-checkpoints.log"] == source["checkpoints"]
    assert set(manifest["members"]) == set(members) - {"manifest.json"}
    for name, entry in manifest["members"].items():
        assert entry == {"sha256": hashlib.sha256(members[name]).hexdigest(), "size": len(members[name])}
    assert manifest["audit"]["last_seq"] == manifest["audit"]["events"] > 0
    # one head per chain (issue 17: the platform's, 0, and each government's): "id:hash,…"
    heads = manifest["audit"]["last_hash"].split(",")
    assert heads and all(len(h.split(":")[1]) == 64 for h in heads)
    assert manifest["audit_key"]["included"] is True and manifest["app_version"] and manifest["created_at"]
    nokey = _members(source["nokey"])
    assert "audit.key" not in nokey
    assert json.loads(nokey["manifest.json"])["audit_key"]["fingerprint"] == manifest["audit_key"]["fingerprint"]
    ok = source["instance"].run("backup", "verify", str(full))
    assert "valid" in ok.stdout


def test_a_backup_never_overwrites_a_file(source):
    src = source["instance"]
    before = source["full"].read_bytes()
    done = src.run("backup", "create", "--out", str(source["full"]), ok=None)
    assert done.returncode == 2 and "already exists" in done.stderr
    assert source["full"].read_bytes() == before


# ==== the drill ===================================================================================

def test_restore_drill_brings_back_a_verifiable_instance(source, instances):
    target = instances("target")
    target.wipe()
    done = target.run("backup", "restore", str(source["full"]))
    assert "restore complete and checked" in done.stdout
    assert "audit chain intact" in done.stdout
    verified = target.run("audit", "verify")
    assert "audit chain intact" in verified.stdout
    assert target.attachments() == source["files"]
    assert all(sha == name for name, sha in target.attachments().items())
    assert (target.var / "audit.key").read_bytes() == source["key"]
    assert (target.var / "audit.key").stat().st_mode & 0o777 == 0o600
    if not ON_PG:
        assert (target.var / "zhengwu.sqlite3").stat().st_mode & 0o777 == 0o600
    assert target.run("inbox", "quzhang", "--box", "todo").stdout == source["inbox"]
    # The restored instance goes on: an audited write chains onto the restored trail (sequences,
    # key and head restored), and the append-only triggers are still there.
    target.run("manage", "api_token", "quzhang", "--name", "after-restore")
    target.run("audit", "verify")
    probe = ("from django.db import IntegrityError, connection\n"
             "try:\n"
             "    connection.cursor().execute(\"UPDATE audit_auditevent SET summary = 'x' WHERE seq = 1\")\n"
             "    print('ALTERED')\n"
             "except IntegrityError as e:\n"
             "    print('REFUSED', e)\n")
    out = target.run("manage", "shell", "-c", probe).stdout
    assert "REFUSED audit trail is append-only" in out and "ALTERED" not in out
    # ... and it is no longer empty: a second restore is refused, and changes nothing.
    again = target.run("backup", "restore", str(source["full"]), ok=None)
    assert again.returncode == 2, again.stdout + again.stderr
    assert "not empty" in again.stderr and "audit_auditevent" in again.stderr
    target.run("audit", "verify")


def test_restore_into_a_non_empty_instance_is_refused(source):
    src = source["instance"]
    done = src.run("backup", "restore", str(source["full"]), ok=None)
    assert done.returncode == 2
    assert "empty instance only" in done.stderr and "nothing restored" in done.stderr
    src.run("audit", "verify")
    assert src.attachments() == source["files"]


def test_restore_after_init_refuses_its_new_key_then_restores_into_the_migrated_instance(source, instances):
    """A new server set up with `zhengwu init` (schema migrated, a new audit key): the restore
    refuses to replace that key and writes nothing; with the key moved away it restores into the
    migrated, empty database."""
    target = instances("initialised")
    target.wipe()
    if _has_command(target, "init"):
        target.run("init")
    else:  # pragma: no cover - before `zhengwu init` existed
        target.run("manage", "migrate", "--noinput", "-v", "0")
        (target.var / "audit.key").write_bytes(secrets.token_bytes(32))
    other = (target.var / "audit.key").read_bytes()
    assert other != source["key"]
    done = target.run("backup", "restore", str(source["full"]), ok=None)
    assert done.returncode == 2 and "audit key file" in done.stderr and "nothing restored" in done.stderr
    assert (target.var / "audit.key").read_bytes() == other
    assert not (target.var / "attachments").exists()
    assert "intact: 0 events" in target.run("audit", "verify").stdout

    (target.var / "audit.key").unlink()
    done = target.run("backup", "restore", str(source["full"]))
    assert "restore complete and checked" in done.stdout
    target.run("audit", "verify")
    assert target.attachments() == source["files"]


def test_a_tampered_member_fails_verify_and_restore(source, instances, drill_root):
    [attachment] = [f"attachments/{n[:2]}/{n}" for n in sorted(source["files"])][:1]

    def flip(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name == attachment else data

    tampered = _rewrite(source["full"], drill_root / "tampered.tar.gz", flip)
    src = source["instance"]
    done = src.run("backup", "verify", str(tampered), ok=None)
    assert done.returncode == 1
    assert f"{attachment}: its SHA-256 does not match the manifest" in done.stderr
    db_member = "database/zhengwu.pgdump" if ON_PG else "database/zhengwu.sqlite3"
    dump = _rewrite(source["full"], drill_root / "tampered-db.tar.gz",
                    lambda name, data: data + b"\0" if name == db_member else data)
    done = src.run("backup", "verify", str(dump), ok=None)
    assert done.returncode == 1 and f"{db_member}: its SHA-256 does not match the manifest" in done.stderr
    # an untampered rewrite verifies: the check is about the bytes, not the packaging
    same = _rewrite(source["full"], drill_root / "same.tar.gz", lambda name, data: data)
    src.run("backup", "verify", str(same))

    target = instances("tampered")
    target.wipe()
    done = target.run("backup", "restore", str(tampered), ok=None)
    assert done.returncode == 2 and "fails verification" in done.stderr and attachment in done.stderr
    assert not target.has_tables() and not (target.var / "audit.key").exists()


def test_restore_without_the_key_is_refused_and_works_with_it(source, instances, drill_root):
    target = instances("nokey")
    target.wipe()
    done = target.run("backup", "restore", str(source["nokey"]), ok=None)
    assert done.returncode == 2 and "--key" in done.stderr and "nothing restored" in done.stderr
    assert not target.has_tables() and not (target.var / "attachments").exists()
    assert not (target.var / "audit.key").exists()

    wrong = drill_root / "wrong.key"
    wrong.write_bytes(secrets.token_bytes(32))
    done = target.run("backup", "restore", str(source["nokey"]), "--key", str(wrong), ok=None)
    assert done.returncode == 2 and "not the key this backup was made with" in done.stderr
    assert not target.has_tables()

    custody = drill_root / "custody.key"
    custody.write_bytes(source["key"])
    target.run("backup", "restore", str(source["nokey"]), "--key", str(custody))
    target.run("audit", "verify")
    assert target.attachments() == source["files"]
    assert (target.var / "audit.key").read_bytes() == source["key"]


# ==== hostile or broken archives (in process: refused before any database is touched) ============

def _archive(path: Path, members: list[tuple[str, bytes | None]], *, manifest: dict | None | bool = True) -> Path:
    """A gzip'd tar of `members` (data None: a symlink), with a manifest listing them (True), the
    given manifest, or none (None)."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        if manifest is not None:
            if manifest is True:
                manifest = {"format": "zhengwu-backup/1", "app_version": "0", "created_at": "2026-01-01T00:00:00+00:00",
                            "database": {"vendor": "sqlite", "member": "database/zhengwu.sqlite3", "name": "x"},
                            "audit": {"last_seq": 0, "last_hash": "", "events": 0},
                            "audit_key": {"included": False, "source": None, "fingerprint": None},
                            "attachments": {"files": 0, "corrupt": []},
                            "members": {n: {"sha256": hashlib.sha256(d or b"").hexdigest(), "size": len(d or b"")}
                                        for n, d in members}}
            data = json.dumps(manifest).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


SHA = hashlib.sha256(b"file").hexdigest()


@pytest.mark.parametrize("members, manifest, problem", [
    ([("../outside", b"x")], True, "../outside: not a member a zhengwu backup has"),
    ([("/etc/cron.d/x", b"x")], True, "/etc/cron.d/x: not a member a zhengwu backup has"),
    ([(f"attachments/{SHA[:2]}/{SHA}", None)], True, f"attachments/{SHA[:2]}/{SHA}: not a regular file"),
    ([("audit.key", b"k" * 32)], None, "manifest.json: missing from the archive"),
    ([("audit.key", b"k" * 32)], {"format": "something else"}, "manifest.json: not a zhengwu backup manifest"),
    ([(f"attachments/{SHA[:2]}/{SHA}", b"not the file")], True,
     f"attachments/{SHA[:2]}/{SHA}: its content does not match its SHA-256 name"),
    ([("audit.key", b"k" * 32)], True,
     "database/zhengwu.sqlite3: the database dump is not in the manifest"),
])
def test_a_hostile_or_incomplete_archive_fails_verify_naming_the_member(tmp_path, members, manifest, problem):
    from zhengwu.backup import services

    result = services.verify(_archive(tmp_path / "a.tar.gz", members, manifest=manifest))
    assert not result.ok
    assert any(p.startswith(problem) for p in result.problems), result.problems


def test_a_member_not_in_the_manifest_fails_verify(tmp_path):
    from zhengwu.backup import services

    path = tmp_path / "a.tar.gz"
    listed = _archive(tmp_path / "listed.tar.gz", [("database/zhengwu.sqlite3", b"")])
    manifest = json.loads(_members(listed)["manifest.json"])
    _archive(path, [("database/zhengwu.sqlite3", b""), ("audit.key", b"k" * 32)], manifest=manifest)
    result = services.verify(path)
    assert "audit.key: in the archive but not listed in the manifest" in result.problems


def test_a_file_that_is_no_archive_fails_verify_and_a_missing_one_is_bad_input(tmp_path):
    from zhengwu.backup import services
    from zhengwu.errors import CommandError

    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"\x1f\x8b not really gzip")
    result = services.verify(junk)
    assert not result.ok and result.problems[0].startswith("the archive is unreadable")
    with pytest.raises(CommandError, match="does not exist"):
        services.verify(tmp_path / "missing.tar.gz")


def test_restore_of_a_hostile_archive_writes_nothing(tmp_path, settings):
    from zhengwu.backup import services
    from zhengwu.errors import CommandError

    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    archive = _archive(tmp_path / "a.tar.gz", [("../../escaped", b"x"), ("database/zhengwu.sqlite3", b"")])
    with pytest.raises(CommandError, match=r"fails verification, nothing restored: \.\./\.\./escaped"):
        services.restore(archive)
    assert not (tmp_path / "escaped").exists() and not (tmp_path.parent / "escaped").exists()
    assert list(settings.VAR_DIR.iterdir()) == []


def test_the_custody_key_is_taken_as_the_file_or_its_hex_and_must_match_the_fingerprint(tmp_path, monkeypatch):
    from zhengwu.backup import services
    from zhengwu.errors import CommandError

    monkeypatch.delenv("ZHENGWU_AUDIT_KEY", raising=False)

    key = secrets.token_bytes(32)
    manifest = {"audit_key": {"included": False, "fingerprint": services.key_fingerprint(key)}}
    raw, hexed, wrong = tmp_path / "raw.key", tmp_path / "hex.key", tmp_path / "wrong.key"
    raw.write_bytes(key)
    hexed.write_text(key.hex() + "\n")
    wrong.write_bytes(secrets.token_bytes(32))
    assert services._restore_key(manifest, services.Scan(), raw) == (key, True)
    assert services._restore_key(manifest, services.Scan(), hexed) == (key, True)
    with pytest.raises(CommandError, match="not the key this backup was made with"):
        services._restore_key(manifest, services.Scan(), wrong)
    with pytest.raises(CommandError, match="--key FILE"):
        services._restore_key(manifest, services.Scan(), None)


def test_a_backup_taken_while_the_app_writes_restores_to_a_verifiable_chain(source, instances, drill_root):
    """Audited writes go on during the backup: the dump, the chain head in the manifest and the
    checkpoint file still agree (the head is read in the dump's snapshot; the checkpoints are
    copied before the dump), so the restored chain and its checkpoint verify."""
    src = source["instance"]
    stop = drill_root / "stop-writing"
    writer_code = (
        "import os, time\n"
        "from pathlib import Path\n"
        "from zhengwu.api.services import api_token_create\n"
        "from zhengwu.org.models import Person\n"
        "p = Person.objects.get(username='quzhang')\n"
        "stop, n, t0 = Path(os.environ['DRILL_STOP']), 0, time.time()\n"
        "while not stop.exists() and time.time() - t0 < 120:\n"
        "    api_token_create(actor=None, person=p, name=f'load {n}')\n"
        "    n += 1\n"
        "    if n == 5:\n"
        "        print('writing', flush=True)\n"
        "print(n, flush=True)\n")
    writer = subprocess.Popen([sys.executable, "-m", "zhengwu.cli", "manage", "shell", "-c", writer_code],
                              env={**src.env, "DRILL_STOP": str(stop)}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        for line in writer.stdout:  # the shell may announce its automatic imports first
            if line.strip() == "writing":
                break
        else:
            pytest.fail(f"the writer did not start: {writer.stderr.read()}")
        live = drill_root / "live.tar.gz"
        src.run("backup", "create", "--out", str(live))
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=180)
    assert writer.returncode == 0, err
    written = int(out.strip().splitlines()[-1])
    before = json.loads(_members(source["full"])["manifest.json"])["audit"]["events"]
    captured = json.loads(_members(live)["manifest.json"])["audit"]["events"]
    assert before + 5 <= captured <= before + written
    src.run("audit", "verify")

    target = instances("live")
    target.wipe()
    done = target.run("backup", "restore", str(live))
    assert "audit chain intact" in done.stdout
    target.run("audit", "verify")


def test_bad_input_is_named_and_writes_nothing(tmp_path, settings):
    from django.db import connection

    from zhengwu.backup import services
    from zhengwu.errors import CommandError

    with pytest.raises(CommandError, match="out: the directory .*nowhere does not exist"):
        services.create(tmp_path / "nowhere" / "b.tar.gz")
    taken = tmp_path / "taken.tar.gz"
    taken.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="already exists"):
        services.create(taken)
    assert taken.read_bytes() == b"keep me"
    # an archive of the other database vendor is refused before anything is written
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    member = services.DB_MEMBERS[other]
    manifest = {"format": "zhengwu-backup/1", "app_version": "0", "created_at": "2026-01-01T00:00:00+00:00",
                "database": {"vendor": other, "member": member, "name": "x"},
                "audit": {"last_seq": 0, "last_hash": "", "events": 0},
                "audit_key": {"included": False, "source": None, "fingerprint": None},
                "attachments": {"files": 0, "corrupt": []},
                "members": {member: {"sha256": hashlib.sha256(b"").hexdigest(), "size": 0}}}
    archive = _archive(tmp_path / "other.tar.gz", [(member, b"")], manifest=manifest)
    with pytest.raises(CommandError, match=f"holds a {other} database and this instance uses {connection.vendor}"):
        services.restore(archive)
    assert list(settings.VAR_DIR.iterdir()) == []
