"""File permissions (issue 12, "Defaults"): what the application creates under var/ is for the
service account only — var/ and var/log/ 0700, the SQLite database with its -wal/-shm files, the
secret key and the log 0600 — whatever the umask; a directory the administrator made keeps its mode."""

import json
import os
import stat

import pytest
from defaults_support import python

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

# In the child: open the database (WAL, as configured), write, log an error, report the modes while
# the connection is still open (SQLite removes -wal/-shm when the last connection closes).
WRITE_AND_STAT = r"""
import json, logging, os, stat
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwu.settings")
import django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as c:
    c.execute("CREATE TABLE probe (x integer)")
    c.execute("INSERT INTO probe VALUES (1)")
logging.getLogger("zhengwu.probe").error("probe error")
var = settings.VAR_DIR
names = ["", "zhengwu.sqlite3", "zhengwu.sqlite3-wal", "zhengwu.sqlite3-shm", "secret.key", "log", "log/zhengwu.log"]
print(json.dumps({n or ".": oct(stat.S_IMODE(os.stat(var / n).st_mode)) for n in names}))
"""


def modes(var, **env) -> dict:
    done = python(var, WRITE_AND_STAT, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_what_the_application_creates_is_for_its_own_account_only(tmp_path):
    var = tmp_path / "fresh" / "var"
    old = os.umask(0o022)  # the usual umask: without our care the files would be world-readable
    try:
        found = modes(var)
    finally:
        os.umask(old)
    assert found == {".": "0o700", "zhengwu.sqlite3": "0o600", "zhengwu.sqlite3-wal": "0o600",
                     "zhengwu.sqlite3-shm": "0o600", "secret.key": "0o600", "log": "0o700",
                     "log/zhengwu.log": "0o600"}


def test_an_existing_directory_keeps_its_mode_but_a_readable_database_is_tightened(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    os.chmod(var, 0o750)  # the administrator's choice (e.g. a backup group may enter)
    (var / "zhengwu.sqlite3").touch()
    os.chmod(var / "zhengwu.sqlite3", 0o644)  # left by an older version
    found = modes(var)
    assert found["."] == "0o750"
    assert found["zhengwu.sqlite3"] == found["zhengwu.sqlite3-wal"] == "0o600"
    assert stat.S_IMODE((var / "zhengwu.sqlite3").stat().st_mode) == 0o600
