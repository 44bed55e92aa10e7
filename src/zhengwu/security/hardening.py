"""Production by default: the helpers settings.py uses at import time (nothing here needs Django set up).

- `env_flag`: a documented 0/1 switch from the environment; anything else is a clear error.
- `private_dir` / `private_file`: the var/ directory (0700) and the files that hold secrets or
  personal data (the SQLite database and its -wal/-shm, key files: 0600).
- `secret_key`: ZHENGWU_SECRET_KEY, else var/secret.key, generated once (atomically, 0600).
- `DailyLogHandler`: the error log, rotated daily and kept for months (the network security law
  asks six), safe with several gunicorn workers writing to the same file.
"""

from __future__ import annotations

import logging.handlers
import os
import secrets
import stat
import time
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


class SettingError(ImproperlyConfigured):
    """A ZHENGWU_* environment variable holds a value the settings cannot use (the message names it)."""


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise SettingError(f"{name}: expected 1 or 0, got {os.environ[name]!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name}: expected a whole number, got {value!r}") from None
    if number < minimum:
        raise SettingError(f"{name}: must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) readable by the service account only (0700). A directory
    that already exists keeps its mode: the administrator who made it chose it."""
    path = Path(path)
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
    return path


def private_file(path: Path) -> Path:
    """Make sure `path` exists and is 0600: created empty if missing (SQLite opens an empty file as
    a new database, and gives its -wal and -shm files the database's mode); an existing file of ours
    that others can read is tightened, and so are its -wal/-shm/-journal companions."""
    path = Path(path)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.chmod(path, 0o600)
    except FileExistsError:
        pass
    except FileNotFoundError:  # its directory is missing: the database layer will say so
        return path
    for companion in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        try:
            st = companion.stat()
        except FileNotFoundError:
            continue
        if st.st_mode & 0o077 and st.st_uid == os.geteuid():
            os.chmod(companion, stat.S_IMODE(st.st_mode) & 0o600)
    return path


def read_or_create_key(path: Path, nbytes: int = 50) -> str:
    """The text key in `path`; created once (0600) when missing. Two processes starting together
    agree: the key is written to a temporary file and linked into place, and the loser reads the winner's."""
    path = Path(path)
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(nbytes) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # fails if another process got there first: then use theirs
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise SettingError(f"{path}: the key file is empty; delete it to have a new key generated")
    return key


def secret_key(var_dir: Path) -> str:
    """Django's SECRET_KEY: ZHENGWU_SECRET_KEY, else var/secret.key (ZHENGWU_SECRET_KEY_FILE), made once."""
    key = os.environ.get("ZHENGWU_SECRET_KEY", "").strip()
    if key:
        return key
    return read_or_create_key(Path(os.environ.get("ZHENGWU_SECRET_KEY_FILE") or Path(var_dir) / "secret.key"))


class DailyLogHandler(logging.handlers.TimedRotatingFileHandler):
    """TimedRotatingFileHandler (daily, `backupCount` days kept) made safe for several processes
    (gunicorn workers) writing the same file: a worker that finds the day's file already rotated
    by another just reopens the new one — the stock handler would delete the other's rotated file
    and lose that day. Files are created 0600 (tracebacks may quote personal data)."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)

    def doRollover(self):
        if self.stream:
            self.stream.close()
            self.stream = None
        now = int(time.time())
        stamp = time.gmtime if self.utc else time.localtime
        rotated = self.rotation_filename(
            self.baseFilename + "." + time.strftime(self.suffix, stamp(self.rolloverAt - self.interval)))
        if not os.path.exists(rotated):
            try:
                os.rename(self.baseFilename, rotated)
            except FileNotFoundError:
                pass
        if self.backupCount > 0:
            for old in self.getFilesToDelete():
                try:
                    os.remove(old)
                except FileNotFoundError:
                    pass
        if not self.delay:
            self.stream = self._open()
        rollover = self.computeRollover(now)
        while rollover <= now:
            rollover += self.interval
        self.rolloverAt = rollover
