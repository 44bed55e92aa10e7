"""Django settings. SQLite by default; PostgreSQL when DATABASE_URL is set."""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from csp.constants import NONE, SELF

from zhengwu.security.hardening import SettingError, env_flag, env_int, env_list, private_dir, private_file, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
# src/zhengwu/settings.py -> project root (editable install); var/ holds the database and the audit key.
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = private_dir(Path(os.environ.get("ZHENGWU_VAR", PROJECT_DIR / "var")))  # 0700 when we create it

# Production by default (README "部署 / Deployment" lists every variable). DEBUG only in the
# development mode ZHENGWU_DEBUG=1; the key from ZHENGWU_SECRET_KEY or var/secret.key (made once, 0600).
DEBUG = env_flag("ZHENGWU_DEBUG")
PRODUCTION = env_flag("ZHENGWU_PRODUCTION")  # behind nginx with TLS: the switches below default on
if DEBUG and PRODUCTION:
    raise SettingError("ZHENGWU_DEBUG=1 and ZHENGWU_PRODUCTION=1 cannot be set together")
SECRET_KEY = secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("ZHENGWU_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("ZHENGWU_CSRF_TRUSTED_ORIGINS")  # e.g. https://zhengwu.example.gov.cn

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env_flag("ZHENGWU_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_flag("ZHENGWU_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("ZHENGWU_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("ZHENGWU_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_flag("ZHENGWU_HSTS_PRELOAD", PRODUCTION)
# nginx sets X-Forwarded-Proto; trust it only behind such a proxy (gunicorn bound to 127.0.0.1).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_flag("ZHENGWU_BEHIND_PROXY", PRODUCTION) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "zhengwu.audit",
    "zhengwu.security",
    "django_otp",  # two-factor authentication (zhengwu.security.twofactor)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",  # login failure lockout (zhengwu.security.lockout)
    "zhengwu.workcalendar",
    "zhengwu.org",
    "zhengwu.workflow",
    "zhengwu.documents",
    "zhengwu.decisions",
    "zhengwu.meetings",
    "zhengwu.supervision",
    "zhengwu.proposals",
    "zhengwu.seals",
    "zhengwu.affairs",
    "zhengwu.affairs.leave",
    "zhengwu.affairs.foreign",
    "zhengwu.affairs.bodies",
    "zhengwu.disclosure",
    "zhengwu.disclosure.requests",
    "zhengwu.disclosure.petitions",
    "zhengwu.web",
    "zhengwu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # CONTENT_SECURITY_POLICY below
    "zhengwu.disclosure.public_site.PublicSiteMiddleware",  # /public/: no cookies in or out, GET only
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhengwu.web.middleware.ChosenLanguageMiddleware",
    "zhengwu.web.middleware.OneCalendarPerRequestMiddleware",
    "zhengwu.web.middleware.OneOrgReadPerRequestMiddleware",  # the person's posts read once per request
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhengwu.web.input_guard.InputGuardMiddleware",  # control characters, body size, broken multipart: 400/413
    "django_otp.middleware.OTPMiddleware",
    "zhengwu.security.admins_web.AdministratorMiddleware",  # administrators stay on administration pages (三权分立)
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhengwu.web.middleware.MethodNotAllowedPageMiddleware",  # a page for a GET on a POST-only address
    "zhengwu.security.gate.SessionLifetimeMiddleware",  # idle timeout, absolute lifetime (the policy's)
    "zhengwu.security.gate.GateMiddleware",  # login steps owed: 2FA code, password change, 2FA enrolment
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into zhengwu.security.lockout.lockout_response
]

ROOT_URLCONF = "zhengwu.urls"
WSGI_APPLICATION = "zhengwu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zhengwu.web.context.shell",
            ],
        },
    }
]


def _database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "zhengwu.audit.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "postgres",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "TEST": {"NAME": os.environ.get("ZHENGWU_PG_TEST_NAME", "test_zhengwu")},
        }
    if parsed.scheme == "sqlite":
        return _sqlite(Path(unquote(parsed.path)))
    raise ValueError(f"DATABASE_URL: unsupported scheme {parsed.scheme!r} (use postgresql:// or sqlite://)")


def _sqlite(path: Path) -> dict:
    private_file(path)  # 0600 before SQLite creates it; its -wal/-shm files take the same mode
    return {
        "ENGINE": "zhengwu.audit.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # A file, not the shared in-memory database: concurrency tests need real connections.
        "TEST": {"NAME": str(VAR_DIR / "test-db.sqlite3")},
    }


DATABASES = {
    "default": _database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else _sqlite(VAR_DIR / "zhengwu.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replicas (issue 17, docs/scaling.md): with DATABASE_REPLICA_URL set, the read-only pages
# (zhengwu.web.replica) read from the "replica" alias; writes and read-your-writes stay on default.
if os.environ.get("DATABASE_REPLICA_URL") and "default" in DATABASES:
    DATABASES["replica"] = {**_database_from_url(os.environ["DATABASE_REPLICA_URL"]), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["zhengwu.web.replica.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
                      "zhengwu.web.replica.ReplicaMiddleware")
REPLICA_PIN_SECONDS = int(os.environ.get("ZHENGWU_REPLICA_PIN_SECONDS", "10"))  # read-your-writes window

# Caches (issue 17): local memory per process by default; Redis, shared by every worker, with
# REDIS_URL (needs the `redis` package). Sessions are read from it (zhengwu.web.sessions).
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"], "KEY_PREFIX": "zhengwu"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhengwu"}}
SESSION_ENGINE = "zhengwu.web.sessions"
# The busiest pages kept whole while their data version is unchanged (zhengwu.web.pagecache); 0: off
PAGE_CACHE_SECONDS = int(os.environ.get("ZHENGWU_PAGE_CACHE_SECONDS", "300"))
# with the local-memory cache, sessions come from the database (0) unless one process serves all
SESSION_LOCAL_CACHE_SECONDS = int(os.environ.get("ZHENGWU_SESSION_LOCAL_CACHE_SECONDS", "0"))

AUTH_USER_MODEL = "org.Person"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhengwu.security.passwords.PolicyPasswordValidator"},  # length, 3 of 4 classes, no login name
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# A request body (files of a multipart upload aside, which keep the rulebook's attachments.max_bytes)
# larger than this is answered 413 (zhengwu.web.input_guard); the largest legitimate one, a
# document's 200,000-character body as JSON, stays under it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# ZHENGWU_STATIC_ROOT: where `collectstatic` puts the files for nginx (outside the private var/)
STATIC_ROOT = Path(os.environ.get("ZHENGWU_STATIC_ROOT") or VAR_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STATICFILES_DIRS = [PACKAGE_DIR / "web" / "static"]
WHITENOISE_USE_FINDERS = True

# Content-Security-Policy (django-csp): scripts and styles only from our own static files — no
# inline <script>, no on…= handlers, no <style> blocks or style="" attributes in templates (put
# them in static/*.js and *.css; data-* attributes carry values). data: images are pico.css's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Errors with their tracebacks (django.request's 500s included) and warnings (django.security) go
# to var/log/zhengwu.log, rotated at midnight and kept ZHENGWU_LOG_RETENTION_DAYS (at least 180:
# the network security law asks six months); errors also to stderr (journald under systemd).
LOG_DIR = private_dir(Path(os.environ.get("ZHENGWU_LOG_DIR") or VAR_DIR / "log"))
LOG_RETENTION_DAYS = env_int("ZHENGWU_LOG_RETENTION_DAYS", 190, minimum=180)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"full": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}},
    "handlers": {
        "file": {
            "class": "zhengwu.security.hardening.DailyLogHandler", "level": "WARNING", "formatter": "full",
            "filename": str(LOG_DIR / "zhengwu.log"), "when": "midnight", "backupCount": LOG_RETENTION_DAYS,
            "encoding": "utf-8", "delay": True,
        },
        "stderr": {"class": "logging.StreamHandler", "level": "ERROR", "formatter": "full",
                   "filters": ["require_debug_false"]},  # with DEBUG, Django's own console handler prints
    },
    "root": {"handlers": ["file", "stderr"], "level": "WARNING"},
}

# E-mail notifications: written to var/mail/ by default (set ZHENGWU_EMAIL_BACKEND and EMAIL_* for SMTP).
EMAIL_BACKEND = os.environ.get("ZHENGWU_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("ZHENGWU_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ZHENGWU_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = "zhengwu@localhost"

# Audit trail (留痕): the chain key lives outside the database.
AUDIT_KEY_FILE = Path(os.environ.get("ZHENGWU_AUDIT_KEY_FILE", VAR_DIR / "audit.key"))
# Signed checkpoints of the chain head, appended after each commit (zhengwu.audit.checkpoints): the
# anchor outside the database that reveals events cut off the end of the chain.
AUDIT_CHECKPOINT_FILE = Path(os.environ.get("ZHENGWU_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoints.log"))
AUDIT_CHECKPOINT_FSYNC = os.environ.get("ZHENGWU_AUDIT_CHECKPOINT_FSYNC", "0") == "1"  # ~4 ms per commit; see docs/security.md
AUDIT_HASH_CHAIN = os.environ.get("ZHENGWU_AUDIT_HASH_CHAIN", "1") == "1"  # off only for benchmark P6

# Which rulebooks are loaded (directory of <id>.yaml); a county adopts its own by pointing here.
RULEBOOK_DIRS = [PACKAGE_DIR / "rulebook" / "books"]

# Identity (zhengwu.security, docs/security.md "Identity"). The limits are the security policy's
# (policy.py defaults, editable by a security administrator); these settings only point at them.
SECURITY_ENFORCE_2FA = True  # off only in the old tests (tests/conftest.py); no switch in production
SECURITY_ENFORCE_PASSWORD_CHANGE = True  # initial and expired passwords; off only in the old tests
SECURITY_AUDIT_LOGINS = True  # security.login / security.logout events; off only in the old tests
AXES_FAILURE_LIMIT = "zhengwu.security.policy.axes_failure_limit"
AXES_COOLOFF_TIME = "zhengwu.security.policy.axes_cooloff"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # per account and address
AXES_LOCKOUT_CALLABLE = "zhengwu.security.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # attempts during a lockout do not extend it
AXES_ENABLE_ADMIN = False  # unlock only through zhengwu.security.lockout.unlock (audited)
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # logins and logouts are in the audit trail (security.login, security.logout)
OTP_TOTP_ISSUER = "政务 zhengwu"
