"""Bench-only settings: the product's settings plus the trivial "ok" view (bench/urls.py), never
used by the product itself (gunicorn is started with DJANGO_SETTINGS_MODULE=bench.settings)."""

from zhengwu.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
