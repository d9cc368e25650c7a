"""gunicorn's settings for production: `gunicorn -c gunicorn.conf.py config.wsgi` (docs/deployment.md).

Everything that differs between machines comes from the environment, like the Django settings:

| variable | default | |
| --- | --- | --- |
| `HOST`, `PORT` | `127.0.0.1`, `8000` | where gunicorn listens (behind nginx on the same host) |
| `GUNICORN_BIND` | from HOST and PORT | anything gunicorn's --bind takes instead, e.g. `unix:/run/netralitas/web.sock` |
| `WEB_CONCURRENCY` | 2 × cores + 1 | sync worker processes |
| `GUNICORN_TIMEOUT` | 120 | seconds one request may take before its worker is killed |
| `TRUSTED_PROXIES` | none | the proxies whose X-Forwarded-Proto gunicorn believes (the same setting as Django's) |
| `LOG_FORMAT` | `json` | gunicorn's own lines (start, worker timeouts) in the project's format |
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a whole number") from None
    if value < 1:
        raise SystemExit(f"{name}={raw!r} must be at least 1")
    return value


bind = [os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]

# Sync workers: every request holds one process (database, PDF and spreadsheet work is CPU or
# blocking I/O); 2 × cores + 1 keeps the cores busy while some wait on PostgreSQL. Each worker
# holds about 70 MB after its first page and up to 200 MB during a hostile upload
# (bench/upload_bomb.py).
worker_class = "sync"
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)

# Longer than the longest request we serve on purpose: the national reports export (10,000 rows,
# streamed) took p50 24 s, p95 36 s on the 2-core machine at load average 9.4 (bench/pages.py
# --pages export), five evidence photos at the pixel limit about 17 s (bench/upload_bomb.py). 120 s
# leaves room for three times as many reports; docs/deployment.md, "Timeouts". A worker busy for
# longer is killed (nginx answers 502); nginx's proxy_read_timeout gets the same value.
timeout = _int("GUNICORN_TIMEOUT", 120)
# On a deploy or restart (SIGTERM, SIGHUP) a worker finishes the request in hand, up to as long.
graceful_timeout = timeout
# Restart each worker after about 1,000 requests (jittered, so that they do not all restart at
# once): whatever a long-lived process accumulates (WeasyPrint and Pillow caches, fragmentation)
# is given back.
max_requests = 1000
max_requests_jitter = 100
# Behind nginx, which keeps the client connections; sync workers close theirs after each response.
keepalive = 2

# Our request line (core/logging.py: id, user, status, duration) replaces the access log.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# X-Forwarded-Proto and the like are believed from the proxies Django trusts, and no one else.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "").replace(" ", "")

# The control socket (gunicornc) would need a writable $HOME; systemd's service user has none.
control_socket_disable = True

if os.environ.get("LOG_FORMAT", "json") == "json":
    # gunicorn's own lines (booting a worker, WORKER TIMEOUT) as JSON objects, like the application's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
            "gunicorn.access": {"handlers": [], "propagate": False},
        },
    }
