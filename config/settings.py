"""Netralitas settings.

Everything that differs between machines comes from the environment; the
defaults let a fresh clone run with nothing installed (SQLite, database
cache). A value that cannot be parsed stops start-up with a clear message
instead of silently falling back.
"""

import ipaddress
import math
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int, *, minimum: int = 1) -> int:
    """An integer setting; every count and duration here needs at least 1 unless the call says otherwise."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_float(name: str, default: float) -> float:
    """A positive, finite number setting (timeouts in seconds)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise ImproperlyConfigured(f"{name}={raw!r} must be greater than 0")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Development is the default so that a fresh clone runs with nothing set;
# production sets DEBUG=0 and must then also give a real SECRET_KEY.
DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-netralitas-development-only"
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("DEBUG=0 needs SECRET_KEY set to a random string of 50+ characters")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks",
    "django_tasks_db",
]
LOCAL_APPS = [
    "core",
    "accounts",
    "facilities",
    "satgas",
    "pledges",
    "reports",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: every later middleware's work, and every response, is in the request's log line.
    "core.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.headers.PageCSPMiddleware",
    # Before the session: a NUL byte in the session cookie must not reach the database.
    "core.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.headers.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.ratelimit.UnavailableMiddleware",
    # Last, as django-axes requires: it turns a lock-out into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite out of the box, PostgreSQL in production and CI.
_database_url = os.environ.get("DATABASE_URL")
if _database_url is not None and not _database_url.strip():
    # dj_database_url would only say "Scheme '://' is unknown".
    raise ImproperlyConfigured(
        "DATABASE_URL is set but empty: unset it to use SQLite, or give postgres://user:password@host:port/name"
    )
try:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            # Persistent connections: a new connection per request costs ~6x
            # throughput on the 2-core machines (docs/architecture.md, "Measured choices").
            # 0 closes the connection after each request.
            conn_max_age=env_int("CONN_MAX_AGE", 600, minimum=0),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    # The message names the scheme, never the URL (it may hold a password).
    raise ImproperlyConfigured(f"DATABASE_URL: {exc}") from None
if not DATABASES["default"].get("NAME"):
    raise ImproperlyConfigured("DATABASE_URL names no database (postgres://user:password@host:port/name)")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers, and `make run` has two processes writing (the web server and the
    # worker). A writer waits up to `timeout` seconds for the lock. A transaction that read before it
    # writes cannot wait (SQLite refuses at once to avoid a deadlock: "database is locked", a 503
    # page), so transactions take the write lock when they begin (IMMEDIATE), and WAL lets pages read
    # while the worker writes (tests/core/test_make_run.py logs in while the worker writes).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL;"
    )
else:
    # A second connection to the same database, for the progress of a job whose work is one long
    # transaction (a large roster import): written through it, the progress and heartbeat are seen
    # before that transaction commits (core/jobs.py, BackgroundJob.beats_outside_transaction). In
    # tests it is a mirror of "default". SQLite allows one writer at a time, so there the progress is
    # written with the work and seen at its commit.
    DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
JOB_PROGRESS_DATABASE = "progress" if "progress" in DATABASES else "default"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Cache, client addresses and lock-out: what rate limits stand on ---------------------------


_CACHE_TABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
# Redis socket timeouts in seconds: a Redis that refuses or hangs must cost a request well under a
# second, not redis-py's default of 5 s per call.
CACHE_CONNECT_TIMEOUT = env_float("CACHE_CONNECT_TIMEOUT", 0.5)
CACHE_READ_TIMEOUT = env_float("CACHE_READ_TIMEOUT", 0.5)


def _cache_from_url(url: str) -> dict:
    if not url or url.startswith("db://"):
        table = (url[len("db://") :] if url else "") or "netralitas_cache"
        if not _CACHE_TABLE.fullmatch(table):
            raise ImproperlyConfigured(f"CACHE_URL={url!r}: the table name may only hold letters, digits and _")
        # Rate-limit counters live here; Django's default of 300 entries would cull live ones.
        return {"BACKEND": "core.cache.DatabaseCache", "LOCATION": table, "OPTIONS": {"MAX_ENTRIES": 1_000_000}}
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        for server in re.split("[;,]", url):  # Django's RedisCache takes several servers, as here
            try:
                # Builds the connection object without connecting: the URL and its options are checked now,
                # not at the first request.
                redis.ConnectionPool.from_url(server).make_connection()
            except (ValueError, TypeError) as exc:
                raise ImproperlyConfigured(f"CACHE_URL={url!r} cannot be used: {exc}") from None
        return {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": CACHE_CONNECT_TIMEOUT, "socket_timeout": CACHE_READ_TIMEOUT},
        }
    # Rate limits and lock-outs must hold across workers: a per-process
    # cache (LocMemCache) would silently multiply every limit.
    raise ImproperlyConfigured(f"CACHE_URL={url!r}: use redis://… or db://<table>")


CACHES = {"default": _cache_from_url(env("CACHE_URL"))}


def _networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for item in env_list(name):
        try:
            networks.append(ipaddress.ip_network(item))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an address or a network like 10.0.0.0/8 ({exc})"
            ) from None
    return networks


# The reverse proxies in front of the application (addresses or networks, comma-separated). The
# client address (core.clientip) is read from X-Forwarded-For only through them; empty: the
# header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXIES = _networks("TRUSTED_PROXIES")

# Sessions: with Redis as the cache, a logged-in request reads its session from Redis instead of
# the database (one query fewer on every request); the database keeps the copy of record, so
# logins survive a Redis restart. With the database cache that would only move the same query.
_SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "core.sessions",
}
_session_engine = env("SESSION_ENGINE") or (
    "cached_db" if CACHES["default"]["BACKEND"].endswith("RedisCache") else "db"
)
if _session_engine not in _SESSION_ENGINES:
    raise ImproperlyConfigured(f"SESSION_ENGINE={_session_engine!r}: use db or cached_db")
SESSION_ENGINE = _SESSION_ENGINES[_session_engine]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that loads the user's own employee record with the user (facilities/auth.py).
    "facilities.auth.StaffBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "facilities.validators.NotDerivedFromIdentifierValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login lock-out (django-axes), stored in the database so it holds across workers; see
# accounts/lockout.py. Per client: AXES_FAILURE_LIMIT failures for one username from one address lock
# that pair, so one attacker cannot lock an office sharing a NAT address out of every account. Per
# account: LOGIN_ACCOUNT_FAILURE_LIMIT failures from all addresses together lock the account for
# browsers that have never logged into it, while a browser that has keeps its own per-client limit.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# A lock lasts the cool-off from the failure that set it: attempts refused during it do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# "1996 1203.2021…" and "199612032021…" are one account: attempts count against the normalised NIP.
AXES_USERNAME_CALLABLE = "accounts.forms.lockout_username"
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Activation codes handed to staff on printed slips.
ACTIVATION_CODE_TTL = timedelta(days=env_int("ACTIVATION_CODE_DAYS", 14))
# Re-authentication window for sensitive actions ("sudo mode").
SUDO_MODE_WINDOW = timedelta(minutes=15)
# Violation reports: days from intake to acknowledge a report and to give a first response.
REPORT_ACK_DAYS = env_int("REPORT_ACK_DAYS", 7)
REPORT_RESPONSE_DAYS = env_int("REPORT_RESPONSE_DAYS", 30)
# The handlers are emailed this many days before each of those deadlines (0: only once it has passed).
REPORT_DEADLINE_WARNING_DAYS = env_int("REPORT_DEADLINE_WARNING_DAYS", 2, minimum=0)

# Task forces: the largest roster an SK may appoint, and whether PPNPN
# (non-ASN staff) may chair one; by default they may only be members.
SATGAS_MAX_MEMBERS = env_int("SATGAS_MAX_MEMBERS", 12)
SATGAS_PPNPN_MAY_CHAIR = env_bool("SATGAS_PPNPN_MAY_CHAIR", False)

# Roster imports: a confirmed import of more rows than this is applied by a background task on the
# bulk queue, with a progress page; a smaller one is applied during the request (facilities.actions).
# 0 sends every import to the queue.
ROSTER_SYNC_MAX_ROWS = env_int("ROSTER_SYNC_MAX_ROWS", 500, minimum=0)

LANGUAGE_CODE = env("LANGUAGE_CODE", "id")
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Uploaded files (decrees, evidence, signed sheets) are private: they live
# outside the web root and are only ever served through permission-checked
# views, so there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


# Upload limits: what one upload may cost the server. An image is refused above
# UPLOAD_MAX_IMAGE_PIXELS (width × height, read from its header before anything
# decodes it). Re-encoding one takes about 4 bytes a pixel, so 32 million (a
# 32 MP camera's photo) keeps a worker under 200 MB (bench/upload_bomb.py).
# Evidence (public, no login) has its own size and count limits.
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 32_000_000)
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
EVIDENCE_MAX_FILES = env_int("EVIDENCE_MAX_FILES", 5)
# The largest request body (bytes) any form of ours needs: the evidence post, plus room for its fields.
# Larger ones are refused (413) before Django spools them to disk (core.middleware.RequestSizeMiddleware);
# set the proxy's own limit (nginx client_max_body_size) to the same value.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", EVIDENCE_MAX_FILES * EVIDENCE_MAX_BYTES + 1024 * 1024)

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp; core.headers.PageCSPMiddleware, pages only).
# Scripts, styles, fonts and images come from this site only, with no inline script or
# style anywhere (tests/accounts/test_csp.py checks every template); no plugins, no base
# URL, forms post here only, no framing. Bootstrap draws form controls with data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


# --- Background work ---------------------------------------------------------------------------
# Tasks are rows in the project's database (django-tasks with django-tasks-db): any number of
# `manage.py db_worker` processes, on any host that reaches the database, share them. The code uses
# the django_tasks API only, so Django 6's built-in django.tasks is an import change (core/tasks.py).
# The queues are core.tasks.QUEUES ("bulk" for long jobs); the backend refuses a task on any other.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "bulk"]}}
# A running job writes a heartbeat at least this often (seconds) ...
JOB_HEARTBEAT_SECONDS = env_float("JOB_HEARTBEAT_SECONDS", 5.0)
# ... and one silent for longer than this lost its worker (killed, out of memory, host gone): it is
# queued again, or failed with a reason after JOB_MAX_ATTEMPTS (core/jobs.py).
JOB_STALE_AFTER_SECONDS = env_float("JOB_STALE_AFTER_SECONDS", 90.0)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 2)
# /healthz says "degraded" (still 200) when the oldest task ready to run has waited longer than this
# (seconds: no worker runs, or too few), a long job has been stale this much longer than
# JOB_STALE_AFTER_SECONDS (run_periodic is not running), or more than HEALTHZ_QUEUE_MAX_FAILED tasks
# failed in the last hour (expected failures are retried inside tasks: each one is a bug or a lost
# worker). core/views.py.
HEALTHZ_QUEUE_MAX_AGE_SECONDS = env_int("HEALTHZ_QUEUE_MAX_AGE_SECONDS", 300)
HEALTHZ_QUEUE_MAX_FAILED = env_int("HEALTHZ_QUEUE_MAX_FAILED", 0, minimum=0)
# What `manage.py run_periodic` runs (cron or a systemd timer, every few minutes), in this order;
# each is idempotent, so a second run in the same minute does and sends nothing twice.
PERIODIC_JOBS = [
    "core.jobs.reap_stale_jobs",
    "reports.notifications.check_deadlines",
    "pledges.notifications.announce_open_campaigns",
    "pledges.notifications.remind_before_close",
    "pledges.notifications.send_weekly_summaries",
    "pledges.selectors.recount_national_figures",
]
# Staff who have not signed a pact campaign get one reminder this many days before it closes
# (pledges/notifications.py).
CAMPAIGN_REMINDER_DAYS = env_int("CAMPAIGN_REMINDER_DAYS", 3)
# The national pages (a national admin's dashboard, a campaign per Kanwil, the recap per Kanwil) show figures
# counted at most this many seconds ago, kept in the cache (core/snapshots.py; run_periodic recounts the
# heaviest before they expire); a UPT's and a Kanwil's pages always count live. 0: count on every request.
NATIONAL_FIGURES_MAX_AGE = env_int("NATIONAL_FIGURES_MAX_AGE", 600, minimum=0)


# --- Email -------------------------------------------------------------------------------------


def _email_from_url(url: str) -> dict:
    """EMAIL_URL: smtp://user:password@host:587 (STARTTLS with ?tls=1), smtps://… (TLS from the
    first byte, port 465), console: (print to the terminal) or locmem: (tests)."""
    from urllib.parse import parse_qs, unquote, urlsplit

    if not url or url in ("console:", "console://"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url in ("locmem:", "locmem://"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL: use smtp://user:password@host:port, smtps://… or console:")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL: the port must be a number") from None
    use_tls = query.get("tls", "0").lower() in ("1", "true", "yes", "on")
    if use_tls and parts.scheme == "smtps":
        raise ImproperlyConfigured("EMAIL_URL: smtps:// already uses TLS; ?tls=1 is for STARTTLS on smtp://")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": parts.scheme == "smtps",
    }


globals().update(_email_from_url(env("EMAIL_URL")))
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "Netralitas <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Netralitas] "


# --- Logs and error reports --------------------------------------------------------------------
# One line per request (id, user, status, duration) and per task, as JSON by default; the same
# request id follows the tasks that request enqueued (core/logging.py). LOG_FORMAT=text reads
# better in a terminal, and is the default with DEBUG.
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text")
LOG_LEVEL = env("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.logging.ContextFilter"}},
    "formatters": {
        "json": {"()": "core.logging.JsonFormatter"},
        "text": {"()": "core.logging.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Named here so that Django's own console handler is removed: its records reach the root
        # handler once, in our format, instead of twice with DEBUG.
        "django": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # core.logging writes the request line itself, with the id; Django's own would repeat it.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # WeasyPrint's per-page layout messages are noise at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Errors go to Sentry (or a compatible service such as GlitchTip) when SENTRY_DSN is set; nothing
# personal is sent (no cookies, bodies, query strings or local variables), only the user's id
# (core/errors.py). A DSN the SDK cannot use stops start-up.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    from core.errors import init_sentry

    _traces = env("SENTRY_TRACES_SAMPLE_RATE", "0")
    try:
        SENTRY_TRACES_SAMPLE_RATE = float(_traces)
    except ValueError:
        raise ImproperlyConfigured(f"SENTRY_TRACES_SAMPLE_RATE={_traces!r} is not a number") from None
    if not 0 <= SENTRY_TRACES_SAMPLE_RATE <= 1:
        raise ImproperlyConfigured(f"SENTRY_TRACES_SAMPLE_RATE={_traces!r} must be between 0 and 1")
    init_sentry(
        SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
        release=env("SENTRY_RELEASE") or None,
    )
