"""`make run`: the development web server and one background worker, started and stopped together.

Starts `manage.py runserver <addrport>` and `manage.py db_worker --queue-name=<queues>`, says so,
and stops both on Ctrl-C (or SIGTERM). If either stops on its own (a port already in use, a crash),
the other is stopped too and the command fails: a server without its worker would queue emails and
certificates that never come.

Each child runs in a process group of its own, so that Ctrl-C in the terminal reaches this command
only and the command stops each group as a whole (both commands run their code in an autoreloader's
child process): SIGINT, then SIGTERM after GRACE_SECONDS, then SIGKILL; a second Ctrl-C skips the
wait. Closing the terminal (SIGHUP) stops them the same way, and on Linux a child is sent SIGTERM if
this command dies without stopping it (killed with SIGKILL): nothing keeps running unseen. The worker reloads on code changes like runserver, so a change or Ctrl-C interrupts the task
it is running (a long job is taken back by `run_periodic`, core/jobs.py). Production runs gunicorn
and workers without reloading as separate services, where a worker finishes its task on SIGTERM
(docs/deployment.md).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

GRACE_SECONDS = 10.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _die_with_parent() -> None:
    """In the child, before it runs: SIGTERM when this command's process ends (Linux's PR_SET_PDEATHSIG)."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _child_options() -> dict[str, Any]:
    options: dict[str, Any] = {"process_group": 0}
    if sys.platform.startswith("linux"):
        options["preexec_fn"] = _die_with_parent
    return options


class Command(BaseCommand):
    help = "Run the development web server and a background worker together; Ctrl-C stops both."
    # runserver and db_worker run the checks themselves, in their own processes.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="As for runserver.")
        parser.add_argument(
            "--queues", default="*", help="Queues the worker takes tasks from, comma-separated ('*': all)."
        )

    def handle(self, *args, addrport: str, queues: str, **options) -> None:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = {
            "web server": [*manage, "runserver", addrport],
            "worker": [*manage, "db_worker", f"--queue-name={queues}"],
        }
        signals: list[int] = []

        def remember(signum: int, frame: FrameType | None) -> None:
            signals.append(signum)

        previous = {signum: signal.signal(signum, remember) for signum in STOP_SIGNALS}
        children: dict[str, subprocess.Popen] = {}
        try:
            for name, command in commands.items():
                children[name] = subprocess.Popen(command, **_child_options())
            self._announce(addrport, queues, children)
            stopped = self._wait(children, signals)
            self._stop(children, signals)
        finally:
            for child in children.values():
                if self._alive(child):  # an error above: leave nothing running
                    self._signal(child, signal.SIGKILL)
                child.wait()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if stopped:
            raise CommandError(
                f"The {stopped} stopped (exit code {children[stopped].returncode}); the other was stopped too."
            )
        self._say("Web server and worker stopped.")

    def _announce(self, addrport: str, queues: str, children: dict[str, subprocess.Popen]) -> None:
        host, _, port = addrport.rpartition(":")
        url = f"http://{host or '127.0.0.1'}:{port}/"
        self._say(f"Web server: {url} (manage.py runserver, pid {children['web server'].pid})")
        self._say(
            f"Worker: manage.py db_worker --queue-name={queues} (pid {children['worker'].pid}) runs the "
            "queued tasks: emails, certificates, archives"
        )
        if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
            self._say("Emails are printed here by the worker (EMAIL_URL is not set: console backend).")
        self._say("Ctrl-C stops both.")

    def _wait(self, children: dict[str, subprocess.Popen], signals: list[int]) -> str | None:
        """Until a signal arrives (None) or a child stops on its own (its name)."""
        while not signals:
            for name, child in children.items():
                if child.poll() is not None:
                    return name
            time.sleep(0.2)
        return None

    def _stop(self, children: dict[str, subprocess.Popen], signals: list[int]) -> None:
        self._say("Stopping the web server and the worker…")
        asked = len(signals)
        for step in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            for child in children.values():
                self._signal(child, step)
            deadline = time.monotonic() + GRACE_SECONDS
            while any(self._alive(child) for child in children.values()):
                if len(signals) > asked or time.monotonic() > deadline:  # Ctrl-C again: no more waiting
                    asked = len(signals)
                    break
                time.sleep(0.1)
            else:
                return  # all stopped

    @staticmethod
    def _alive(child: subprocess.Popen) -> bool:
        """Whether anything of the child's process group still runs (an autoreloader's child may outlive it)."""
        child.poll()
        try:
            os.killpg(child.pid, 0)
        except ProcessLookupError:
            return False
        return True

    @staticmethod
    def _signal(child: subprocess.Popen, signum: int) -> None:
        # The whole group: runserver and db_worker each run their code in an autoreloader child.
        try:
            os.killpg(child.pid, signum)
        except ProcessLookupError:
            pass

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()
