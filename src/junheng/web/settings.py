"""Django settings. Zero set-up: SQLite in a data directory; PostgreSQL when
``JUNHENG_DATABASE_URL`` is set. Everything is served locally (no CDN)."""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def _data_dir() -> Path:
    if env := os.environ.get("JUNHENG_DATA_DIR"):
        return Path(env)
    if "pytest" in sys.modules:  # a test run never writes into the working directory
        return Path(tempfile.mkdtemp(prefix="junheng-test-"))
    return Path.cwd() / "junheng-data"


DATA_DIR = _data_dir().resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("JUNHENG_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("JUNHENG_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("JUNHENG_ALLOWED_HOSTS", "*").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("JUNHENG_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "ninja",  # its Swagger UI from static files: /api/docs works offline
    "axes",
    "junheng.web.info",
    "junheng.web.ledger",
    "junheng.web.creation",
    "junheng.web.monitoring",
    "junheng.web.planning",
    "junheng.web.survey",
    "junheng.web.ops",
]

MIDDLEWARE = [
    "junheng.web.ops.oplog.RefusalLog",  # outermost: sees every refusal, whoever answered it
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "junheng.web.info.middleware.SessionKeepAlive",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "junheng.web.info.views.errors.ErrorPageMiddleware",
    "junheng.web.info.middleware.HtmxLoginRedirect",
    "junheng.web.info.middleware.SecurityHeaders",
    "axes.middleware.AxesMiddleware",
]
CSRF_FAILURE_VIEW = "junheng.web.info.views.errors.csrf_failure"

ROOT_URLCONF = "junheng.web.urls"
WSGI_APPLICATION = "junheng.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "junheng.web.info.context.role",
                "junheng.web.info.context.year_switch",
            ]
        },
    }
]


def _database() -> dict[str, Any]:
    url = os.environ.get("JUNHENG_DATABASE_URL")
    if url:
        # kept connections are checked before each request, so a restarted or
        # failed-over server costs no failed request
        db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))  # fmt: skip
        if "postgresql" in str(db["ENGINE"]):
            # the information base fits in memory: with the default cost of a random read
            # (4, for spinning disks) PostgreSQL scans every school's record of the year to
            # pick one county's 300 — 6 ms where the index takes 0.7 ms
            opts: dict[str, Any] = db.setdefault("OPTIONS", {})
            opts["options"] = f"-c random_page_cost=1.1 {opts.get('options', '')}".strip()
        return db
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "junheng.sqlite3",
        "OPTIONS": {
            # WAL lets readers go on while one writer commits; IMMEDIATE avoids
            # "database is locked" on upgrade from a read to a write transaction
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]  # fmt: skip

# One language for everyone: no LocaleMiddleware, so neither the browser's Accept-Language nor
# a django_language cookie can switch Django's own strings (yes/no selects, form errors, the
# admin, the change history's kind) to English; LANGUAGES names the one language offered.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_AUTOREFRESH = DEBUG

# Evidence files live outside any served directory and are only handed out by a view
# that checks the user's scope.
EVIDENCE_ROOT = DATA_DIR / "evidence"

# Reports made from the database, shared by every worker process (services/reportcache.py);
# each is keyed by a digest of what it shows, so a file is never served for other data.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "reports": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache" / "reports",
        "TIMEOUT": 7 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("JUNHENG_REPORT_CACHE_FILES", "300"))},
    },
}
EVIDENCE_MAX_BYTES = int(os.environ.get("JUNHENG_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "junheng.web.info.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-less meta tag instead
X_FRAME_OPTIONS = "DENY"

# Sessions: a working day, ended by closing the browser; kept alive while the clerk works.
SESSION_COOKIE_AGE = int(os.environ.get("JUNHENG_SESSION_HOURS", "8")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# kept alive by info.middleware.SessionKeepAlive: one write per 5 minutes, not per request
SESSION_REFRESH_SECONDS = 300

# Login throttling (django-axes): 5 wrong passwords for one user from one address lock that
# pair for 15 minutes.
AUTHENTICATION_BACKENDS = [
    "junheng.web.info.throttle.LoginThrottle",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("JUNHENG_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("JUNHENG_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "info/locked.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("JUNHENG_PROXY_COUNT", "0")) or None

# Structured logs: JSON lines on stderr (every change, every refused access, server errors);
# JUNHENG_LOG_LEVEL=WARNING keeps only refusals and errors.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "junheng.web.ops.oplog.JsonLines"}},
    "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["json"], "level": "WARNING"},
    "loggers": {
        "junheng": {"level": os.environ.get("JUNHENG_LOG_LEVEL", "INFO")},
        "django.request": {"level": "ERROR"},  # refusals are logged by junheng.audit
    },
}

# Production (JUNHENG_PRODUCTION=1, behind an HTTPS reverse proxy): `manage.py check --deploy`
# is clean with these.
if os.environ.get("JUNHENG_PRODUCTION", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probed over plain HTTP on the loopback
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("JUNHENG_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
