"""gunicorn.conf.py: gunicorn loads it with the project's production settings, takes its figures from the
environment, and serves /healthz with it: our JSON request line instead of an access log, gunicorn's own
lines as JSON too."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PYTHON = ROOT / ".venv" / "bin" / "python"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def production_env(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("gunicorn")
    (folder / "static").mkdir()  # as after collectstatic (WhiteNoise warns about a missing one)
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SENTRY_", "EMAIL_", "DJANGO_", "GUNICORN_"))
        and key not in ("DEBUG", "CACHE_URL", "LOG_FORMAT", "WEB_CONCURRENCY", "TRUSTED_PROXIES", "HOST", "PORT")
    }
    env = {
        **clean,
        "DEBUG": "0",
        "SECRET_KEY": "gunicorn-test-" + "x" * 50,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "1",
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    migrate = subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    return env


def gunicorn(env: dict[str, str], *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(GUNICORN), "-c", "gunicorn.conf.py", *args, "config.wsgi"],
        cwd=ROOT,
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=120,
    )


def printed(env: dict[str, str], **extra: str) -> dict[str, str]:
    done = gunicorn(env, "--print-config", **extra)
    assert done.returncode == 0, done.stderr
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in done.stdout.splitlines())
        if value
    }


def test_gunicorn_loads_the_config_and_the_application(production_env):
    done = gunicorn(production_env, "--check-config")
    assert done.returncode == 0, done.stderr


def test_the_defaults(production_env):
    config = printed(production_env)
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["workers"] == str(multiprocessing.cpu_count() * 2 + 1)
    assert config["worker_class"] == "sync"
    assert config["timeout"] == "120"
    assert config["graceful_timeout"] == "120"
    assert config["max_requests"] == "1000"
    assert config["max_requests_jitter"] == "100"
    assert config["accesslog"] == "None"
    assert config["forwarded_allow_ips"] == "['127.0.0.1']"


def test_the_environment_sets_them(production_env):
    config = printed(
        production_env,
        HOST="0.0.0.0",
        PORT="9001",
        WEB_CONCURRENCY="3",
        GUNICORN_TIMEOUT="45",
        TRUSTED_PROXIES="10.0.0.0/8, 127.0.0.1",
    )
    assert config["bind"] == "['0.0.0.0:9001']"
    assert config["workers"] == "3"
    assert (config["timeout"], config["graceful_timeout"]) == ("45", "45")
    assert config["forwarded_allow_ips"] == "['10.0.0.0/8', '127.0.0.1']"
    assert printed(production_env, GUNICORN_BIND="unix:/tmp/netralitas.sock")["bind"] == "['unix:/tmp/netralitas.sock']"
    # No proxies trusted: gunicorn believes no one's X-Forwarded-Proto, as Django then does.
    assert printed(production_env, TRUSTED_PROXIES="")["forwarded_allow_ips"] == "[]"


@pytest.mark.parametrize(("name", "value"), [("WEB_CONCURRENCY", "many"), ("GUNICORN_TIMEOUT", "0")])
def test_a_bad_figure_stops_it(production_env, name, value):
    done = gunicorn(production_env, "--check-config", **{name: value})
    assert done.returncode != 0
    assert name in done.stderr


def test_it_serves_healthz_with_our_request_line_and_no_access_log(production_env, tmp_path):
    port = free_port()
    errors = tmp_path / "gunicorn.err"
    with errors.open("w") as sink:
        server = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env={**production_env, "PORT": str(port), "WEB_CONCURRENCY": "1"},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, errors.read_text()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/healthz",
                headers={"X-Forwarded-Proto": "https", "X-Request-ID": "lb-probe-0001"},
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    body, headers = json.load(response), response.headers
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, errors.read_text()
                time.sleep(0.3)
        assert body["status"] == "ok", body
        # From the trusted proxy (127.0.0.1), its request id is kept.
        assert headers["X-Request-ID"] == "lb-probe-0001"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    lines = errors.read_text().splitlines()
    entries = [json.loads(line) for line in lines]  # every line, gunicorn's included, is JSON
    assert any(entry["logger"] == "gunicorn.error" and "Booting worker" in entry["message"] for entry in entries)
    requests = [entry for entry in entries if entry["logger"] == "netralitas.request"]
    assert [(entry["path"], entry["status"], entry["request_id"]) for entry in requests] == [
        ("/healthz", 200, "lb-probe-0001")
    ]
    assert not any("GET /healthz HTTP/1.1" in line for line in lines)  # no access log line


def test_the_procfile_and_the_documented_commands_run(production_env):
    """Each process line of the Procfile, and the periodic and pruning commands of docs/deployment.md,
    with their options as written (a worker with --batch: it drains the empty queue and exits)."""
    processes = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line)
    assert set(processes) == {"release", "web", "worker", "bulk"}
    assert processes["web"] == "gunicorn -c gunicorn.conf.py config.wsgi"
    commands = [
        processes["release"],
        processes["worker"] + " --batch",
        processes["bulk"] + " --batch",
        "python manage.py run_periodic",
        "python manage.py prune_db_task_results --queue-name=* --min-age-days 14 --failed-min-age-days 30",
    ]
    deployment = (ROOT / "docs" / "deployment.md").read_text()
    for command in commands[1:]:
        assert command.removesuffix(" --batch").removeprefix("python ") in deployment.replace("'*'", "*")
    for command in commands:
        args = command.split()
        assert args[0] == "python"
        done = subprocess.run(
            [str(PYTHON), *args[1:]], cwd=ROOT, env=production_env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (command, done.stderr)
