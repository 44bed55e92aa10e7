"""Backup and restore: one archive holding everything an instance needs to come back.

The archive is a gzip'd tar, mode 0600, with these members (all regular files):

    audit.key                   the audit chain's HMAC key (absent with --without-key)
    audit-checkpoints.log       the audit checkpoint file, when there is one
    database/zhengwu.sqlite3    SQLite: a copy made with the online backup API (consistent while
                                the app runs)
    database/zhengwu.pgdump     PostgreSQL: `pg_dump --format=custom` of the configured database,
                                taken in the snapshot the chain head was read in
    attachments/<sha[:2]>/<sha> the content-addressed attachment store (VAR_DIR/attachments)
    manifest.json               every other member's SHA-256 and size, the app version, the
                                database vendor, the time, the audit chain head (last seq and
                                hash, number of events) and the key's fingerprint

Order of capture: the key, then the checkpoint file, then the database, then the attachments. So
every checkpoint names an event that is in the dump, and every attachment row in the dump has its
file (files are stored before their row is committed and never deleted).

`verify` checks every member against the manifest and that the dump is readable. `restore` goes
into an empty instance only, refuses without the audit key, writes the files first and the
database last (so a failed restore can simply be run again), then verifies the audit chain and
re-hashes the attachments.

Errors are `CommandError` naming the problem (the CLI exits 2); nothing is written when one is
raised before the restore starts writing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Callable

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

import zhengwu
from zhengwu.audit import hashing
from zhengwu.errors import CommandError

FORMAT = "zhengwu-backup/1"
MANIFEST = "manifest.json"
KEY_MEMBER = "audit.key"
CHECKPOINT_MEMBER = "audit-checkpoints.log"
DB_MEMBERS = {"sqlite": "database/zhengwu.sqlite3", "postgresql": "database/zhengwu.pgdump"}
ATTACHMENT_MEMBER = re.compile(r"attachments/([0-9a-f]{2})/([0-9a-f]{64})")
_SHA = re.compile(r"[0-9a-f]{64}")
CHUNK = 1 << 20
MANIFEST_MAX_BYTES = 64 << 20
FINGERPRINT_LABEL = b"zhengwu backup: audit key fingerprint v1"
# Rows that `migrate` itself writes: not business data (an empty instance has them).
NOT_BUSINESS = {"contenttypes.contenttype", "auth.permission"}


# ==== where things are ==========================================================================

def key_file() -> Path:
    return Path(settings.AUDIT_KEY_FILE)


def checkpoint_file() -> Path:
    return Path(getattr(settings, "AUDIT_CHECKPOINT_FILE", Path(settings.VAR_DIR) / "audit-checkpoints.log"))


def attachments_root() -> Path:
    from zhengwu.documents.attachments import storage_root

    return storage_root()


def _vendor() -> str:
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in DB_MEMBERS:
        raise CommandError(f"database: vendor {vendor!r} is not supported (SQLite or PostgreSQL)")
    return vendor


def key_fingerprint(key: bytes) -> str:
    """Identifies a key without revealing it (an HMAC of a fixed label under the key)."""
    return hmac.new(key, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def _env_key() -> bytes | None:
    if not os.environ.get(hashing.ENV_KEY, "").strip():
        return None
    try:
        return hashing.load_key(key_file(), create=False)
    except hashing.AuditKeyError as e:
        raise CommandError(f"audit key: {e}") from None


def _current_key() -> tuple[bytes | None, str]:
    """The key the instance uses now and where it comes from ("env" or "file")."""
    env = _env_key()
    if env is not None:
        return env, "env"
    try:
        return hashing.load_key(key_file(), create=False), "file"
    except hashing.AuditKeyError as e:
        raise CommandError(f"audit key: {e}") from None


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


# ==== PostgreSQL client programs ================================================================

def _pg_program(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if not found:
        raise CommandError(f"database: {name} not found; install the PostgreSQL client (postgresql-client)")
    return found


def _pg_env() -> dict[str, str]:
    """The connection settings of DATABASES['default'] as libpq environment variables (the
    password never appears on a command line)."""
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                     ("PGDATABASE", "NAME")):
        value = str(db.get(key) or "")
        if value:
            env[var] = value
    options = db.get("OPTIONS") or {}
    for var, key in (("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert"), ("PGSSLCERT", "sslcert"),
                     ("PGSSLKEY", "sslkey"), ("PGPASSFILE", "passfile")):
        if options.get(key):
            env[var] = str(options[key])
    env["PGAPPNAME"] = "zhengwu-backup"
    return env


def _conninfo_dbname() -> str:
    name = str(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])
    return "dbname='" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _run(cmd: list[str], *, what: str) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(cmd, env=_pg_env(), capture_output=True, text=True, check=False)
    except OSError as e:
        raise CommandError(f"database: {what} could not be run: {e}") from None
    if done.returncode != 0:
        tail = " / ".join(line for line in done.stderr.strip().splitlines()[-5:] if line.strip())
        raise CommandError(f"database: {what} failed (exit {done.returncode}): {tail or 'no message'}")
    return done


# ==== create ====================================================================================

@dataclass
class Created:
    path: Path
    size: int
    manifest: dict
    warnings: list[str] = field(default_factory=list)


class _HashingReader:
    """Hands tarfile the bytes of a file while hashing them."""

    def __init__(self, fh: BinaryIO):
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.digest.update(data)
        return data


def _archive_path(out: Path | str | None) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = f"zhengwu-backup-{stamp}.tar.gz"
    if out is None:
        folder = Path(settings.VAR_DIR) / "backups"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = folder / name
    else:
        out = Path(out)
        target = out / name if out.is_dir() else out
    if not target.parent.is_dir():
        raise CommandError(f"out: the directory {target.parent} does not exist")
    if target.exists():
        raise CommandError(f"out: {target} already exists; a backup never overwrites a file")
    return target


def _dump_sqlite(dest: Path) -> None:
    source = Path(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])
    if not source.is_file():
        raise CommandError(f"database: the SQLite file {source} does not exist (run `zhengwu manage migrate`)")
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)  # all pages in one step: one consistent snapshot, even while the app writes
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file (no -wal beside it)
        finally:
            dst.close()
    except sqlite3.Error as e:
        raise CommandError(f"database: the SQLite backup of {source} failed: {e}") from None
    finally:
        src.close()
    os.chmod(dest, 0o600)


def _sqlite_head(path: Path) -> dict:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "audit_chainhead" not in tables:
            return {"last_seq": 0, "last_hash": "", "events": 0}
        # every chain's head (one per government, issue 17): the places summed, the hashes listed
        row = con.execute("SELECT sum(last_seq), group_concat(id || ':' || last_hash, ',') "
                          "FROM (SELECT id, last_seq, last_hash FROM audit_chainhead ORDER BY id)").fetchone()
        events = con.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]
    finally:
        con.close()
    return {"last_seq": (row[0] or 0) if row else 0, "last_hash": (row[1] or "") if row else "", "events": events}


def _dump_postgresql(dest: Path) -> dict:
    """pg_dump in the snapshot the chain head is read in: the manifest's head is the dump's."""
    program = _pg_program("pg_dump")
    connection = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic(using=DEFAULT_DB_ALIAS), connection.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot = cur.fetchone()[0]
        cur.execute("SELECT to_regclass('audit_chainhead') IS NOT NULL")
        if cur.fetchone()[0]:
            cur.execute("SELECT sum(last_seq), string_agg(id || ':' || last_hash, ',' ORDER BY id) FROM audit_chainhead")
            row = cur.fetchone()
            cur.execute("SELECT count(*) FROM audit_auditevent")
            head = {"last_seq": int(row[0] or 0), "last_hash": row[1] or "",
                    "events": cur.fetchone()[0]}
        else:
            head = {"last_seq": 0, "last_hash": "", "events": 0}
        _run([program, "--format=custom", f"--snapshot={snapshot}", f"--file={dest}"], what="pg_dump")
    os.chmod(dest, 0o600)
    return head


def create(out: Path | str | None = None, *, with_key: bool = True) -> Created:
    """Write one archive (mode 0600; never overwrites) and return where, with its manifest."""
    vendor = _vendor()
    key, key_source = _current_key()
    if key is None and with_key:
        raise CommandError(f"audit key: there is none ({key_file()} does not exist and {hashing.ENV_KEY} is not "
                           f"set), so the backup could not be verified after a restore; create it first "
                           f"(`zhengwu init`), or back up with --without-key")
    target = _archive_path(out)
    warnings: list[str] = []
    members: dict[str, dict] = {}
    partial = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, tempfile.TemporaryDirectory(prefix=".zhengwu-backup-",
                                                                      dir=target.parent) as work:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:

                def add(name: str, fh: BinaryIO, size: int) -> str:
                    info = tarfile.TarInfo(name)
                    info.size, info.mode, info.mtime = size, 0o600, int(dt.datetime.now().timestamp())
                    reader = _HashingReader(fh)
                    tar.addfile(info, reader)
                    members[name] = {"sha256": reader.digest.hexdigest(), "size": size}
                    return members[name]["sha256"]

                def add_path(name: str, path: Path) -> str:
                    with open(path, "rb") as fh:
                        return add(name, fh, os.fstat(fh.fileno()).st_size)

                def add_bytes(name: str, data: bytes) -> str:
                    import io

                    return add(name, io.BytesIO(data), len(data))

                # 1. the key
                if with_key:
                    add_bytes(KEY_MEMBER, key)
                # 2. the checkpoint file, before the database: every checkpoint names an event in the dump
                checkpoints = checkpoint_file()
                if checkpoints.is_file():
                    add_bytes(CHECKPOINT_MEMBER, checkpoints.read_bytes())
                # 3. the database
                dump = Path(work) / Path(DB_MEMBERS[vendor]).name
                if vendor == "sqlite":
                    _dump_sqlite(dump)
                    head = _sqlite_head(dump)
                else:
                    try:
                        head = _dump_postgresql(dump)
                    except DatabaseError as e:
                        raise CommandError(f"database: cannot read {_db_label()} ({_first_line(e)})") from None
                add_path(DB_MEMBERS[vendor], dump)
                dump.unlink()
                # 4. the attachments, after the database: every row in the dump has its file
                root = attachments_root()
                corrupt = []
                files = sorted(p for p in root.glob("??/*") if p.is_file() and _SHA.fullmatch(p.name)
                               and p.parent.name == p.name[:2]) if root.is_dir() else []
                for path in files:
                    name = f"attachments/{path.parent.name}/{path.name}"
                    if add_path(name, path) != path.name:
                        corrupt.append(name)
                        warnings.append(f"{name}: the stored file no longer matches its SHA-256 (it is backed up "
                                        f"as it is, and listed in the manifest as corrupt)")
                # 5. the manifest
                manifest = {
                    "format": FORMAT,
                    "app_version": zhengwu.__version__,
                    "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "database": {"vendor": vendor, "member": DB_MEMBERS[vendor],
                                 "name": Path(str(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])).name},
                    "audit": head,
                    "audit_key": {"included": with_key, "source": key_source if key else None,
                                  "fingerprint": key_fingerprint(key) if key else None},
                    "attachments": {"files": len(files), "corrupt": corrupt},
                    "members": dict(sorted(members.items())),
                }
                add_bytes(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
            raw.flush()
            os.fsync(raw.fileno())
        try:
            os.link(partial, target)  # fails if the name was taken meanwhile: never overwrite
        except FileExistsError:
            raise CommandError(f"out: {target} already exists; a backup never overwrites a file") from None
        _fsync_dir(target.parent)
    finally:
        partial.unlink(missing_ok=True)
    check = verify(target)  # read back what was written: a backup is only kept once it verifies
    if not check.ok:
        target.unlink(missing_ok=True)
        raise CommandError(f"out: the archive written to {target} does not verify, so it was removed: "
                           + "; ".join(check.problems[:3]))
    return Created(target, target.stat().st_size, manifest, warnings)


# ==== reading an archive ========================================================================

@dataclass
class Scan:
    manifest: dict | None = None
    problems: list[str] = field(default_factory=list)  # each names the member at fault
    warnings: list[str] = field(default_factory=list)
    found: dict[str, dict] = field(default_factory=dict)  # member -> {"sha256", "size"} as read
    extracted: dict[str, Path] = field(default_factory=dict)


def _allowed_member(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or str(path) != name:
        return False
    return (name in (MANIFEST, KEY_MEMBER, CHECKPOINT_MEMBER) or name in DB_MEMBERS.values()
            or ATTACHMENT_MEMBER.fullmatch(name) is not None)


def _check_manifest(data: bytes, scan: Scan) -> None:
    try:
        manifest = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        scan.problems.append(f"{MANIFEST}: not valid JSON ({e})")
        return
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        scan.problems.append(f"{MANIFEST}: not a zhengwu backup manifest (format {FORMAT} expected)")
        return
    members, database = manifest.get("members"), manifest.get("database")
    if not isinstance(members, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("sha256"), str) and isinstance(v.get("size"), int)
            for v in members.values()):
        scan.problems.append(f"{MANIFEST}: its member list is malformed")
        return
    if not isinstance(database, dict) or DB_MEMBERS.get(database.get("vendor")) != database.get("member"):
        scan.problems.append(f"{MANIFEST}: its database entry is malformed")
        return
    if not isinstance(manifest.get("audit"), dict) or not isinstance(manifest.get("audit_key"), dict):
        scan.problems.append(f"{MANIFEST}: its audit entries are malformed")
        return
    scan.manifest = manifest


def _scan(archive: Path, *, extract_to: Path | None = None,
          extract: Callable[[str], bool] = lambda name: False) -> Scan:
    """Read the whole archive once: hash every member, compare with the manifest, extract the
    members `extract` selects (only well-formed names, only regular files)."""
    archive = Path(archive)
    if not archive.is_file():
        raise CommandError(f"archive: {archive} does not exist or is not a file")
    scan = Scan()
    manifest_bytes = None
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                name = member.name
                if not _allowed_member(name):
                    scan.problems.append(f"{name}: not a member a zhengwu backup has (refused)")
                    continue
                if not member.isreg():
                    scan.problems.append(f"{name}: not a regular file (links and devices are refused)")
                    continue
                if name in scan.found:
                    scan.problems.append(f"{name}: appears twice in the archive")
                    continue
                if name == MANIFEST and member.size > MANIFEST_MAX_BYTES:
                    scan.problems.append(f"{name}: too large ({member.size} bytes)")
                    continue
                fh = tar.extractfile(member)
                digest, size = hashlib.sha256(), 0
                out = None
                if extract_to is not None and extract(name) and name != MANIFEST:
                    dest = extract_to / name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    out = open(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
                    scan.extracted[name] = dest
                chunks = []
                try:
                    for chunk in iter(lambda: fh.read(CHUNK), b""):
                        digest.update(chunk)
                        size += len(chunk)
                        if out is not None:
                            out.write(chunk)
                        if name == MANIFEST:
                            chunks.append(chunk)
                finally:
                    if out is not None:
                        out.close()
                scan.found[name] = {"sha256": digest.hexdigest(), "size": size}
                if name == MANIFEST:
                    manifest_bytes = b"".join(chunks)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as e:
        scan.problems.append(f"the archive is unreadable (damaged or not a zhengwu backup): {e}")
        return scan
    if manifest_bytes is None:
        scan.problems.append(f"{MANIFEST}: missing from the archive")
        return scan
    _check_manifest(manifest_bytes, scan)
    if scan.manifest is None:
        return scan
    listed = scan.manifest["members"]
    corrupt = set((scan.manifest.get("attachments") or {}).get("corrupt") or ())
    for name, want in listed.items():
        got = scan.found.get(name)
        if got is None:
            scan.problems.append(f"{name}: listed in the manifest but missing from the archive")
        elif got["sha256"] != want["sha256"] or got["size"] != want["size"]:
            scan.problems.append(f"{name}: its SHA-256 does not match the manifest (the member was altered)")
        else:
            match = ATTACHMENT_MEMBER.fullmatch(name)
            if match and got["sha256"] != match.group(2):
                if name in corrupt:
                    scan.warnings.append(f"{name}: was already corrupt when backed up (its content does not "
                                         f"match its SHA-256)")
                else:
                    scan.problems.append(f"{name}: its content does not match its SHA-256 name")
    for name in scan.found:
        if name != MANIFEST and name not in listed:
            scan.problems.append(f"{name}: in the archive but not listed in the manifest")
    if scan.manifest["database"]["member"] not in listed:
        scan.problems.append(f"{scan.manifest['database']['member']}: the database dump is not in the manifest")
    return scan


def _check_dump(manifest: dict, path: Path) -> list[str]:
    """The dump is readable: SQLite integrity_check (and its chain head is the manifest's);
    PostgreSQL pg_restore --list."""
    member = manifest["database"]["member"]
    if manifest["database"]["vendor"] == "sqlite":
        try:
            con = sqlite3.connect(path)
            try:
                result = [r[0] for r in con.execute("PRAGMA integrity_check")]
            finally:
                con.close()
            if result != ["ok"]:
                return [f"{member}: the SQLite integrity check fails ({'; '.join(result[:3])})"]
            head = _sqlite_head(path)
        except sqlite3.Error as e:
            return [f"{member}: not a readable SQLite database ({e})"]
        want = manifest["audit"]
        if (head["last_seq"], head["last_hash"]) != (want.get("last_seq"), want.get("last_hash")):
            return [f"{member}: its audit chain head (#{head['last_seq']}) is not the one in the manifest "
                    f"(#{want.get('last_seq')})"]
        return []
    try:
        _run([_pg_program("pg_restore"), "--list", str(path)], what="pg_restore --list")
    except CommandError as e:
        return [f"{member}: not a readable PostgreSQL dump ({e})"]
    return []


@dataclass
class Verified:
    ok: bool
    manifest: dict | None
    members: int
    problems: list[str]
    warnings: list[str]


def verify(archive: Path | str) -> Verified:
    """Every member's hash matches the manifest, nothing unlisted, the database dump is readable."""
    with tempfile.TemporaryDirectory(prefix="zhengwu-verify-") as tmp:
        scan = _scan(Path(archive), extract_to=Path(tmp), extract=lambda name: name.startswith("database/"))
        problems = list(scan.problems)
        if scan.manifest is not None:
            member = scan.manifest["database"]["member"]
            if member in scan.extracted and not any(p.startswith(f"{member}:") for p in problems):
                problems += _check_dump(scan.manifest, scan.extracted[member])
    return Verified(not problems, scan.manifest, len(scan.found), problems, scan.warnings)


# ==== restore ===================================================================================

@dataclass
class Restored:
    ok: bool
    lines: list[str]
    problems: list[str]


def _restore_key(manifest: dict, scan: Scan, key_path: Path | None) -> tuple[bytes, bool]:
    """The key the restored chain is verified with, and whether to write it to the key file.
    Refuses a key that is not the one the backup was made with."""
    fingerprint = manifest["audit_key"].get("fingerprint")
    given = None
    if key_path is not None:
        key_path = Path(key_path)
        try:
            given = key_path.read_bytes()
        except OSError as e:
            raise CommandError(f"key: {key_path} cannot be read ({e.strerror})") from None
        try:  # the key file's bytes, or the same written out in hex (as ZHENGWU_AUDIT_KEY holds it)
            as_hex = bytes.fromhex(given.decode("ascii").strip())
        except (UnicodeDecodeError, ValueError):
            as_hex = None
        if as_hex and fingerprint and key_fingerprint(given) != fingerprint \
                and key_fingerprint(as_hex) == fingerprint:
            given = as_hex
        if len(given) < hashing.MIN_KEY_BYTES:
            raise CommandError(f"key: {key_path} is too short to be an audit key ({len(given)} bytes)")
    archived = scan.extracted[KEY_MEMBER].read_bytes() if KEY_MEMBER in scan.extracted else None
    env = _env_key()
    for label, key in (("--key", given), ("the archive", archived), (hashing.ENV_KEY, env)):
        if key is not None and fingerprint and key_fingerprint(key) != fingerprint:
            raise CommandError(f"key: the audit key from {label} is not the key this backup was made with; "
                               f"nothing restored")
    key = given or archived or env
    if key is None:
        raise CommandError("key: the archive holds no audit key (it was made with --without-key) and none was "
                           "given: pass --key FILE (the audit.key kept in custody). Without it the audit chain "
                           "could never be verified again; nothing restored")
    return key, env is None


def _same_content(path: Path, data_path: Path | None = None, data: bytes | None = None) -> bool:
    if data is not None:
        return path.read_bytes() == data
    return _sha256_file(path) == _sha256_file(data_path)


def _file_conflicts(scan: Scan, key: bytes, write_key: bool) -> tuple[list[str], dict[Path, Path | bytes]]:
    """What the restore writes (destination -> source file or bytes), and the files in the way
    (existing with different content)."""
    conflicts: list[str] = []
    plan: dict[Path, Path | bytes] = {}
    if write_key:
        dest = key_file()
        if dest.exists():
            if not dest.is_file() or not _same_content(dest, data=key):
                conflicts.append(f"the audit key file {dest} exists with a different key (if this new instance "
                                 f"is empty, move that file away and run the restore again)")
        else:
            plan[dest] = key
    dest = checkpoint_file()
    source = scan.extracted.get(CHECKPOINT_MEMBER)
    existing = dest.exists() and (not dest.is_file() or dest.stat().st_size > 0)
    if source is None:
        if existing:
            conflicts.append(f"the audit checkpoint file {dest} exists, and the backup has none")
    elif existing:
        if not dest.is_file() or not _same_content(dest, source):
            conflicts.append(f"the audit checkpoint file {dest} exists with different content")
    else:
        plan[dest] = source
    root = attachments_root()
    for name, path in scan.extracted.items():
        match = ATTACHMENT_MEMBER.fullmatch(name)
        if not match:
            continue
        dest = root / match.group(1) / match.group(2)
        if dest.exists():
            if not dest.is_file() or not _same_content(dest, path):
                conflicts.append(f"the attachment file {dest} exists with different content")
        else:
            plan[dest] = path
    return conflicts, plan


def database_rows() -> list[str]:
    """The tables of the configured database that hold business rows (any row but those
    `migrate` writes), as "table (N rows)"; [] for an empty or unmigrated database."""
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite" and not Path(str(db["NAME"])).exists():
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    found = []
    try:
        tables = set(connection.introspection.table_names())
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if not meta.managed or meta.proxy or meta.label_lower in NOT_BUSINESS or meta.db_table not in tables:
                continue
            manager = model._base_manager.using(DEFAULT_DB_ALIAS)
            if manager.exists():
                found.append(f"{meta.db_table} ({manager.count()} rows)")
    except DatabaseError as e:
        raise CommandError(f"database: cannot read the target database {_db_label()} ({_first_line(e)}); "
                           f"create it empty first") from None
    return found


def _db_label() -> str:
    return str(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def _write_file(dest: Path, source: Path | bytes, mode: int) -> None:
    """Put `source` (bytes, or a file extracted from the archive, which is moved when it is on the
    same filesystem) at `dest` atomically, with `mode`, durably."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(source, Path) and source.stat().st_dev == dest.parent.stat().st_dev:
        with open(source, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(source, mode)
        os.replace(source, dest)
        _fsync_dir(dest.parent)
        return
    tmp = dest.with_name(f".{dest.name}.restore-{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(source, bytes):
                out.write(source)
            else:
                with open(source, "rb") as fh:
                    shutil.copyfileobj(fh, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _restore_sqlite(dump: Path) -> None:
    target = Path(str(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"]))
    connections.close_all()
    if target.exists():  # empty (checked); fold its WAL in so no stale -wal is applied to the new file
        con = sqlite3.connect(target)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    _write_file(target, dump, 0o600)


def _restore_postgresql(dump: Path) -> None:
    """pg_restore --clean --if-exists in one transaction: an empty database (migrated or not) gets
    the dump's schema and rows, the audit table's append-only triggers included (they are in the
    dump and are created after the rows are loaded)."""
    program = _pg_program("pg_restore")
    connections.close_all()
    _run([program, "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
          "--exit-on-error", f"--dbname={_conninfo_dbname()}", str(dump)], what="pg_restore")


def _after_restore(manifest: dict, restored_files: list[str]) -> tuple[list[str], list[str]]:
    """Verify what was restored: the audit chain (and its head is the manifest's), the triggers,
    every attachment row's file."""
    from zhengwu.audit import triggers
    from zhengwu.audit.models import ChainHead
    from zhengwu.audit.selectors import verify_chain
    from zhengwu.documents.attachments import stored_path
    from zhengwu.documents.models import Attachment

    connections.close_all()
    lines, problems = [], []
    connection = connections[DEFAULT_DB_ALIAS]
    if triggers.TABLE in connection.introspection.table_names():
        if triggers.install(connection):
            lines.append("audit triggers: were missing from the restored database and have been re-created")
        else:
            lines.append("audit triggers: in place (the audit trail stays append-only)")
    result = verify_chain()
    if result.ok:
        lines.append(f"audit chain intact: {result.checked} events ({result.algo})")
    else:
        problems.append(f"audit chain broken at event #{result.first_bad_seq}: {result.reason}")
    heads = list(ChainHead.objects.order_by("id").values_list("id", "last_seq", "last_hash"))
    head = (sum(s for _i, s, _h in heads), ",".join(f"{i}:{h}" for i, _s, h in heads))
    want = manifest["audit"]
    if tuple(head) != (want.get("last_seq", 0), want.get("last_hash", "")):
        problems.append(f"audit chain head is #{head[0]}, the backup's was #{want.get('last_seq')}")
    bad = 0
    rows = 0
    for att in Attachment.objects.order_by("pk").iterator():
        rows += 1
        path = stored_path(att.sha256)
        if not path.is_file():
            bad += 1
            problems.append(f"attachment {att.pk}: its file {path} is missing")
            continue
        digest, size = _sha256_file(path)
        if (digest, size) != (att.sha256, att.size):
            bad += 1
            problems.append(f"attachment {att.pk}: its file {path} does not match its recorded SHA-256")
    if not bad:
        lines.append(f"attachments: {rows} recorded, all files present and matching their SHA-256 "
                     f"({len(restored_files)} files restored)")
    return lines, problems


def restore(archive: Path | str, *, key: Path | str | None = None) -> Restored:
    """Restore the archive into this (empty) instance; see the module docstring."""
    vendor = _vendor()
    archive = Path(archive)
    var = Path(settings.VAR_DIR)
    with tempfile.TemporaryDirectory(prefix=".zhengwu-restore-", dir=var) as tmp:
        scan = _scan(archive, extract_to=Path(tmp), extract=lambda name: True)
        if scan.problems:
            raise CommandError(f"archive: {archive} fails verification, nothing restored: "
                               + "; ".join(scan.problems[:5]))
        manifest = scan.manifest
        if manifest["database"]["vendor"] != vendor:
            raise CommandError(f"archive: it holds a {manifest['database']['vendor']} database and this instance "
                               f"uses {vendor}; nothing restored")
        dump = scan.extracted[manifest["database"]["member"]]
        bad_dump = _check_dump(manifest, dump)
        if bad_dump:
            raise CommandError(f"archive: {bad_dump[0]}; nothing restored")
        the_key, write_key = _restore_key(manifest, scan, Path(key) if key is not None else None)
        conflicts, plan = _file_conflicts(scan, the_key, write_key)
        rows = database_rows()
        if rows:
            conflicts.insert(0, "the database is not empty: " + ", ".join(rows[:8])
                             + (f" and {len(rows) - 8} more tables" if len(rows) > 8 else ""))
        if conflicts:
            raise CommandError("restore goes into an empty instance only; nothing restored: " + "; ".join(conflicts))
        # Files first, the database last: if anything fails, running the restore again finds the
        # files it wrote identical (allowed) and the database still empty.
        for dest, source in plan.items():
            mode = 0o440 if dest.parent.parent == attachments_root() else 0o600
            _write_file(dest, source, mode)
        if vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
    restored = [n for n in scan.extracted if ATTACHMENT_MEMBER.fullmatch(n)]
    lines = [f"restored {archive.name}: {vendor} database of {manifest['created_at']}, "
             f"{manifest['audit'].get('events', 0)} audit events, {len(restored)} attachment files"
             + ("" if write_key else f" (audit key from {hashing.ENV_KEY})")]
    if manifest.get("app_version") != zhengwu.__version__:
        lines.append(f"note: the backup was made by zhengwu {manifest.get('app_version')}, this is "
                     f"{zhengwu.__version__}: run `zhengwu manage migrate`")
    more, problems = _after_restore(manifest, restored)
    return Restored(not problems, lines + more, problems)
