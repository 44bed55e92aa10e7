"""Helpers of tests/security/test_defaults_*.py: settings are read once, at import, so the default
(production) mode and the environment switches are tested in a fresh Python process with its own
environment and its own var/ directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ZHENGWU = Path(sys.executable).with_name("zhengwu")

# The documented production environment (README, "部署 / Deployment").
PRODUCTION = {"ZHENGWU_PRODUCTION": "1", "ZHENGWU_ALLOWED_HOSTS": "zhengwu.example.gov.cn",
              "ZHENGWU_CSRF_TRUSTED_ORIGINS": "https://zhengwu.example.gov.cn"}

# Runs in the child: requests through Django's test client (no server, no database tables needed
# for a 404 or a redirect), prints what the tests look at as JSON.
PROBE = r"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwu.settings")
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()  # keeps DEBUG as configured; lets the client's host "testserver" in
out = {"DEBUG": settings.DEBUG, "SECRET_KEY": settings.SECRET_KEY}
for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY",
             "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
             "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER",
             "CSRF_TRUSTED_ORIGINS", "ALLOWED_HOSTS", "X_FRAME_OPTIONS", "LOG_RETENTION_DAYS"):
    out[name] = getattr(settings, name)
c = Client()
def answer(r):
    return {"status": r.status_code, "headers": dict(r.headers), "body": r.content.decode(errors="replace")[:4000]}
out["404"] = answer(c.get("/no-such-page/"))
out["https_404"] = answer(c.get("/no-such-page/", secure=True))
out["proxied_404"] = answer(c.get("/no-such-page/", HTTP_X_FORWARDED_PROTO="https"))
print(json.dumps(out, default=str))
"""


def child_env(var: Path, **extra: str) -> dict:
    """This process's environment without any ZHENGWU_* switch or database URL, plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ZHENGWU_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({"ZHENGWU_VAR": str(var), "DJANGO_SETTINGS_MODULE": "zhengwu.settings", **extra})
    return env


def run(args: list[str], var: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=child_env(var, **extra), cwd=ROOT, capture_output=True, text=True, timeout=120)


def zhengwu(var: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return run([str(ZHENGWU), *args], var, **extra)


def python(var: Path, code: str, **extra: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", code], var, **extra)


def probe(var: Path, **extra: str) -> dict:
    done = python(var, PROBE, **extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
