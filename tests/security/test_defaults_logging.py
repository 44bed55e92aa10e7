"""Logging (issue 12, "Defaults"): an unexpected error of a web page leaves its traceback in
var/log/zhengwu.log (django.request's 500) while the visitor sees no traceback; the log rotates
daily, is kept at least 180 days (the network security law asks six months), and rotating it from
several gunicorn workers loses no day."""

import logging
import os
import time
import uuid

import pytest
from defaults_support import probe, zhengwu
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from zhengwu.security.hardening import DailyLogHandler

BOOM = f"deliberate failure {uuid.uuid4()}"


def boom(request):
    raise RuntimeError(BOOM)


def fine(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", boom), path("fine/", fine)]


def log_file():
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, DailyLogHandler)]
    assert len(handlers) == 1, "settings.LOGGING puts one DailyLogHandler on the root logger"
    handler = handlers[0]
    assert handler.baseFilename == str(settings.LOG_DIR / "zhengwu.log")
    assert str(settings.LOG_DIR).startswith(str(settings.VAR_DIR)) or os.environ.get("ZHENGWU_LOG_DIR")
    handler.flush()
    return handler.baseFilename


def read_log() -> str:
    name = log_file()
    return open(name, encoding="utf-8").read() if os.path.exists(name) else ""


@pytest.mark.urls(__name__)
def test_a_500_leaves_its_traceback_in_the_log_and_not_on_the_page():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert BOOM not in response.content.decode() and "Traceback" not in response.content.decode()
    text = read_log()
    assert BOOM in text and "Traceback (most recent call last)" in text and "django.request" in text
    assert 'raise RuntimeError(BOOM)' in text  # the whole traceback, down to the line that failed


@pytest.mark.urls(__name__)
def test_an_ordinary_request_writes_nothing_to_the_error_log():
    before = read_log()
    assert Client().get("/fine/").content == b"ok"
    assert read_log() == before


def test_logs_are_kept_at_least_180_days_and_a_shorter_retention_is_refused(tmp_path):
    assert settings.LOG_RETENTION_DAYS >= 180
    handler = [h for h in logging.getLogger().handlers if isinstance(h, DailyLogHandler)][0]
    assert handler.backupCount == settings.LOG_RETENTION_DAYS and handler.when == "MIDNIGHT"
    assert probe(tmp_path / "var", ZHENGWU_LOG_RETENTION_DAYS="365")["LOG_RETENTION_DAYS"] == 365
    done = zhengwu(tmp_path / "var", "manage", "check", ZHENGWU_LOG_RETENTION_DAYS="30")
    assert done.returncode != 0 and "ZHENGWU_LOG_RETENTION_DAYS: must be at least 180" in done.stderr


def _record(text):
    return logging.LogRecord("zhengwu.test", logging.ERROR, __file__, 1, text, None, None)


def test_two_workers_rotating_the_same_log_keep_both_days(tmp_path):
    name = str(tmp_path / "zhengwu.log")
    a = DailyLogHandler(name, when="midnight", backupCount=180, encoding="utf-8", delay=True)
    b = DailyLogHandler(name, when="midnight", backupCount=180, encoding="utf-8", delay=True)
    a.emit(_record("day one from a"))
    b.emit(_record("day one from b"))
    midnight_passed = time.time() - 1
    a.rolloverAt = b.rolloverAt = midnight_passed
    a.emit(_record("day two from a"))  # a rotates: zhengwu.log -> zhengwu.log.<day one>
    b.emit(_record("day two from b"))  # b finds the day rotated already: must not replace it
    a.close()
    b.close()
    rotated = [p for p in tmp_path.iterdir() if p.name != "zhengwu.log"]
    assert len(rotated) == 1
    day_one, day_two = rotated[0].read_text(), (tmp_path / "zhengwu.log").read_text()
    assert "day one from a" in day_one and "day one from b" in day_one
    assert "day two from a" in day_two and "day two from b" in day_two
    assert oct(os.stat(name).st_mode & 0o777) == "0o600"
