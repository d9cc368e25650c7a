"""What the bench scripts share: a throw-away database, the production-like settings, gunicorn with a
trivial view, logged-in sessions, and a small raw-HTTP client. Not a benchmark itself (no main).

The client speaks HTTP/1.0 over a new loopback connection per request (gunicorn's sync workers close
it anyway) and only reads the status line, so its own cost stays small and the same for every page.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def bench_env(db_name: str, redis_url: str, workdir: Path) -> dict[str, str]:
    """The environment of the server (and of the script's own Django): production settings on loopback."""
    return {
        "DATABASE_URL": f"{PG}/{db_name}",
        "CACHE_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


# --- database and Redis --------------------------------------------------------------


def admin_sql(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def recreate_database(name: str) -> None:
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    from django.db import connections

    connections.close_all()
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"')


def flush_redis(url: str) -> None:
    """Empty the bench's own Redis database (FLUSHDB: that database only)."""
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


# --- the WSGI app gunicorn runs: the project plus one trivial view --------------------


def ping(request):
    from django.http import HttpResponse

    return HttpResponse("pong")


def wsgi():
    """gunicorn 'bench._common:wsgi()': the project's app with /bench/ping added in front."""
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench._common"
    # The project's WSGI module, as gunicorn loads it in production (and what it does after start-up).
    from config.wsgi import application

    return application


def __getattr__(name: str):
    # The URLconf gunicorn's workers load (module attribute, built on first use).
    if name == "urlpatterns":
        from django.urls import path

        from config.urls import urlpatterns as project

        return [path("bench/ping", ping), *project]
    raise AttributeError(name)


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2) -> Iterator[int]:
    """gunicorn with `workers` sync workers on a free loopback port; yields the port once /bench/ping answers."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench._common:wsgi()",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        wait_for(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- sessions ------------------------------------------------------------------------


def session_for(user) -> str:
    """A logged-in session as after a password login (sudo mode fresh), stored by the configured
    engine (cached_db on Redis: the database row and the cache entry). Returns the session key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts import sudo

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # as login() stores it
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[sudo.SESSION_KEY] = time.time()
    store.create()
    return store.session_key


# --- HTTP load ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method: str, path: str, *, cookies: dict | None = None, body: bytes = b"", agent: str = "bench") -> bytes:
    lines = [f"{method} {path} HTTP/1.0", "Host: 127.0.0.1", f"User-Agent: {agent}"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def send(port: int, raw: bytes) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(raw)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    status = int(data[9:12]) if data.startswith(b"HTTP/") else 0
    return status, data


def drive(port: int, requests: list[bytes], threads: int) -> tuple[float, Counter]:
    """Send every request once, from `threads` client threads; returns (seconds, status counts)."""
    lock = threading.Lock()
    position = {"i": 0}
    statuses: Counter = Counter()

    def worker() -> None:
        local: Counter = Counter()
        while True:
            with lock:
                i = position["i"]
                position["i"] += 1
            if i >= len(requests):
                break
            status, _data = send(port, requests[i])
            local[status] += 1
        with lock:
            statuses.update(local)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.perf_counter() - start, statuses


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if send(port, request("GET", "/bench/ping"))[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def bench_facility():
    """Migrate the throw-away database and create one Kanwil with one UPT (after django.setup())."""
    from django.core.management import call_command

    from facilities.models import Facility, Ministry, RegionalOffice

    call_command("migrate", verbosity=0)
    ministry = Ministry.objects.first() or Ministry.objects.create(name="Kementerian Bench")
    region = RegionalOffice.objects.create(ministry=ministry, province="Bench", name="Kanwil Bench")
    return Facility.objects.create(
        regional_office=region,
        name="Lapas Bench",
        type=Facility.Type.LAPAS,
        facility_class=Facility.Class.IIA,
        city="Bench",
    )
