"""`make run` (core/management/commands/serve_with_worker.py): on a fresh SQLite database it migrates,
loads the demo data, serves, runs queued tasks in its worker (while the web server writes to the same
database), says so, and Ctrl-C stops every process it started."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SENTRY_", "EMAIL_", "DJANGO_")) and key not in ("DEBUG", "CACHE_URL", "LOG_FORMAT")
    }
    return {**env, "DATABASE_URL": f"sqlite:///{database}", "PYTHONUNBUFFERED": "1"}


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def kill_all(pids: set[int]) -> None:
    """After a failure: nothing the test started may outlive it (the children have process groups of
    their own, so killing the first process's group is not enough)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for_health(port: int, process: subprocess.Popen, output: Path, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, output.read_text()[-3000:]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return json.load(response)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"/healthz never answered:\n{output.read_text()[-3000:]}")


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def task_statuses(env: dict[str, str]) -> dict[str, int]:
    out = manage(
        env,
        "shell",
        "-c",
        "import json\n"
        "from collections import Counter\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "print(json.dumps(Counter(DBTaskResult.objects.values_list('status', flat=True))))",
    )
    return json.loads(out.strip().splitlines()[-1])


def log_in_and_out(port: int, rounds: int, statuses: list[int]) -> None:
    """Logins (sessions, the lock-out records) write to the database the worker is writing to."""
    base = f"http://127.0.0.1:{port}"
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for attempt in range(rounds):
        page = opener.open(f"{base}/akun/masuk/", timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        password = "demo-netralitas" if attempt % 2 else "wrong password"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "pusat", "password": password})
        request = urllib.request.Request(f"{base}/akun/masuk/", data=data.encode(), headers={"Referer": base})
        try:
            statuses.append(opener.open(request, timeout=60).status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)


@pytest.mark.skipif(not shutil.which("make") or not Path("/proc").is_dir(), reason="needs make and Linux /proc")
def test_make_run_serves_runs_tasks_and_stops_both_on_ctrl_c(tmp_path):
    port = free_port()
    env = environment(tmp_path / "fresh.sqlite3")
    output = tmp_path / "make-run.out"
    with output.open("w") as sink:
        # -o: never reinstall the virtualenv from inside a test (make test has just installed it).
        make = subprocess.Popen(
            ["make", "-o", ".venv/.installed", "run", "HOST=127.0.0.1", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives it
        )
    started: set[int] = set()
    try:
        health = wait_for_health(port, make, output)
        assert health["status"] == "ok"
        assert health["queue"]["state"] == "ok"
        said = output.read_text()
        assert "Password for every login: demo-netralitas" in said  # the demo logins, as before
        assert f"Web server: http://127.0.0.1:{port}/" in said
        assert "Worker: manage.py db_worker --queue-name=*" in said
        assert "Emails are printed here by the worker" in said
        assert "Ctrl-C stops both." in said

        # The demo data queues its own tasks (certificates of the demo signatures); ours come on top.
        seeded = sum(task_statuses(env).values())
        # Tasks queued from another process, while the web server writes: all run, nothing is locked out.
        manage(
            env,
            "shell",
            "-c",
            "from core.tasks import enqueue\n"
            "from tests.ops_app import note, write\n"
            "for i in range(60): enqueue(write, str(i))\n"
            "enqueue(note, 'from make run')",
        )
        statuses: list[int] = []
        clients = [threading.Thread(target=log_in_and_out, args=(port, 6, statuses)) for _ in range(3)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        assert statuses == [200] * 18
        deadline = time.monotonic() + 120
        expected = {"SUCCESSFUL": seeded + 61}
        while (counts := task_statuses(env)) != expected and time.monotonic() < deadline:
            assert "FAILED" not in counts, counts
            time.sleep(1)
        assert counts == expected
        said = output.read_text()
        assert "noted from make run" in said
        assert "database is locked" not in said
        assert " 500 " not in said

        started = descendants(make.pid)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode() for pid in started]
        assert sum("manage.py runserver" in command for command in commands) == 2  # autoreloader and server
        assert sum("manage.py db_worker" in command for command in commands) == 2

        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C in the terminal
        make.wait(timeout=60)
    finally:
        if make.poll() is None:
            kill_all(descendants(make.pid) | started | {make.pid})
            make.wait()
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in started if running(pid)], output.read_text()[-2000:]
    assert "Web server and worker stopped." in output.read_text()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0  # nothing listens any more


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> dict[str, str]:
    env = environment(tmp_path_factory.mktemp("serve") / "db.sqlite3")
    manage(env, "migrate", "--noinput", "-v0")
    return env


def serve(env: dict[str, str], port: int, output: Path) -> subprocess.Popen:
    with output.open("w") as sink:
        return subprocess.Popen(
            [str(PYTHON), "manage.py", "serve_with_worker", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("signum", "returncode"),
    [
        (signal.SIGTERM, 0),  # systemd, kill: the command only, not its group
        (signal.SIGHUP, 0),  # the terminal was closed
        (signal.SIGKILL, -signal.SIGKILL),  # no chance to stop them: the children are told by the kernel
    ],
)
def test_a_signal_to_the_command_alone_stops_both(migrated, tmp_path, signum, returncode):
    port = free_port()
    output = tmp_path / "serve.out"
    command = serve(migrated, port, output)
    started: set[int] = set()
    try:
        wait_for_health(port, command, output)
        started = descendants(command.pid)
        assert len(started) == 4
        command.send_signal(signum)
        assert command.wait(timeout=60) == returncode
        deadline = time.monotonic() + 20
        while any(running(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in started if running(pid)], output.read_text()[-2000:]
    finally:
        kill_all(started | descendants(command.pid))
        if command.poll() is None:
            command.kill()
            command.wait()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")
def test_a_web_server_that_cannot_start_stops_the_worker_too(migrated, tmp_path):
    output = tmp_path / "serve.out"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = serve(migrated, port, output)
        started: set[int] = set()
        try:
            time.sleep(1)
            started = descendants(command.pid)
            returncode = command.wait(timeout=120)
        finally:
            if command.poll() is None:
                kill_all(started | descendants(command.pid))
                command.kill()
                command.wait()
    said = output.read_text()
    assert returncode == 1, said
    assert "The web server stopped (exit code 1); the other was stopped too." in said
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in started if running(pid)]


def test_children_that_ignore_ctrl_c_are_terminated_then_killed(monkeypatch):
    """The escalation: SIGINT, then SIGTERM after the grace period, then SIGKILL after another."""
    import sys

    from core.management.commands import serve_with_worker

    monkeypatch.setattr(serve_with_worker, "GRACE_SECONDS", 1.0)
    ignores_int = (
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint('up', flush=True)\ntime.sleep(60)"
    )
    ignores_both = ignores_int.replace("print(", "signal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint(")
    children = {
        name: subprocess.Popen([sys.executable, "-c", code], process_group=0, stdout=subprocess.PIPE)
        for name, code in (("web server", ignores_int), ("worker", ignores_both))
    }
    try:
        for child in children.values():
            assert child.stdout.readline() == b"up\n"  # its handlers are in place
        command = serve_with_worker.Command()
        started = time.monotonic()
        command._stop(children, signals=[signal.SIGINT])
        elapsed = time.monotonic() - started
        assert children["web server"].wait(timeout=5) == -signal.SIGTERM
        assert children["worker"].wait(timeout=5) == -signal.SIGKILL
        assert 2.0 <= elapsed < 5.0  # one grace period for SIGINT, one for SIGTERM, then SIGKILL at once
    finally:
        for child in children.values():
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()
