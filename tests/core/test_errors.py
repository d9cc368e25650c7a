"""The error reporter (core/errors.py), tested against a real HTTP server that takes Sentry envelopes
as sentry.io would (POST /api/<project>/envelope/): SENTRY_DSN alone turns it on, a view's exception
and a failed task arrive with the request and task ids and the user's id, and nothing else about the
user, no cookie, no body, no query string, no local variable."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured

from core.errors import init_sentry
from tests.tasks import run_queued_tasks

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": "x" * 60,
    "PYTHONPATH": str(ROOT),
}


class Envelope:
    def __init__(self, path: str, raw: bytes):
        self.path = path
        self.raw = raw.decode()
        lines = self.raw.split("\n")
        self.header = json.loads(lines[0])
        self.items: list[tuple[dict, dict | str]] = []
        index = 1
        while index < len(lines) and lines[index]:
            item_header = json.loads(lines[index])
            payload = lines[index + 1]
            try:
                payload = json.loads(payload)
            except ValueError:
                pass
            self.items.append((item_header, payload))
            index += 2

    def events(self) -> list[dict]:
        return [payload for header, payload in self.items if header.get("type") == "event"]


class SentryServer:
    def __init__(self):
        self.envelopes: list[Envelope] = []
        received = self.envelopes

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                encoding = self.headers.get("Content-Encoding")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "br":
                    import brotli

                    body = brotli.decompress(body)
                received.append(Envelope(self.path, body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.dsn = f"http://publickey@127.0.0.1:{self.server.server_address[1]}/42"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def events(self) -> list[dict]:
        return [event for envelope in self.envelopes for event in envelope.events()]


@pytest.fixture
def sentry_server():
    server = SentryServer()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def reporting(sentry_server):
    """The SDK initialised in this process as the settings do it, sending to the test server."""
    init_sentry(sentry_server.dsn, environment="test")
    yield sentry_server
    client = sentry_sdk.get_client()
    client.close(timeout=2)
    sentry_sdk.get_global_scope().set_client(None)


def _through_wsgi(request) -> tuple[str, dict[str, str]]:
    """Answer a RequestFactory request with Django's WSGI handler, as gunicorn does (the test client
    has its own handler, which Sentry's WSGI layer, where the request's URL and headers come from,
    does not wrap). Returns the status line and the response headers."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    # As the test client does: the test's transaction must survive the end of the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(request.environ, start_response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"]


def test_a_view_exception_arrives_with_the_user_id_only(client, rf, settings, reporting, staff):
    settings.ROOT_URLCONF = "tests.ops_app"
    settings.TRUSTED_PROXIES = []
    staff.email = "pegawai.rahasia@example.org"
    staff.save()
    client.force_login(staff)
    session_key = client.cookies["sessionid"].value
    request = rf.post(
        "/ops/boom/?q=Nama+Terlapor",
        {"isi": "isi laporan yang rahasia", "email": "pelapor@example.org"},
        HTTP_COOKIE=f"sessionid={session_key}; csrftoken=csrf-cookie-value-abc",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
        HTTP_USER_AGENT="Mozilla/5.0 test",
        REMOTE_ADDR="203.0.113.9",
    )
    status, headers = _through_wsgi(request)
    assert status.startswith("500 ")
    sentry_sdk.flush(timeout=5)

    assert {envelope.path for envelope in reporting.envelopes} == {"/api/42/envelope/"}
    [event] = reporting.events()  # the request's own log line at ERROR is not a second event
    exception = event["exception"]["values"][-1]  # the last of the chain is the one raised
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "view failed on purpose (27)"
    assert any(frame["function"] == "boom" for frame in exception["stacktrace"]["frames"])
    assert event["user"] == {"id": str(staff.pk)}
    assert event["tags"]["request_id"] == headers["X-Request-ID"]
    assert event["request"]["method"] == "POST"
    assert event["request"]["url"] == "http://testserver/ops/boom/"
    assert set(event["request"]) == {"method", "url", "headers"}
    assert event["request"]["headers"]["User-Agent"] == "Mozilla/5.0 test"
    assert {key.lower() for key in event["request"]["headers"]} <= {
        "host",
        "content-type",
        "content-length",
        "user-agent",
    }
    # Nothing personal anywhere in what was sent.
    for secret in (
        session_key,
        "csrf-cookie-value-abc",
        "pegawai.rahasia@example.org",
        "pelapor@example.org",
        "isi laporan",
        "Nama",
        "198.51.100.23",
        "203.0.113.9",
        staff.username,
    ):
        assert all(secret not in envelope.raw for envelope in reporting.envelopes), secret
    assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])


def test_a_failed_task_arrives_with_its_task_id(db, reporting):
    from core.tasks import enqueue
    from tests.ops_app import fail

    result = enqueue(fail, "reported")
    run_queued_tasks()
    sentry_sdk.flush(timeout=5)
    [event] = reporting.events()
    assert event["tags"]["task_id"] == str(result.id)
    assert "request_id" not in event["tags"]
    assert "user" not in event
    assert event["logger"] == "netralitas.tasks"
    assert event["exception"]["values"][-1]["value"] == "task failed on purpose (reported)"


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("SENTRY_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sentry_dsn_alone_turns_reporting_on(sentry_server):
    done = _python(
        "import django, logging, sentry_sdk\n"
        "django.setup()\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    logging.getLogger('netralitas.tasks').exception('reported by the settings alone')\n"
        "sentry_sdk.flush(timeout=5)\n",
        SENTRY_DSN=sentry_server.dsn,
    )
    assert done.returncode == 0, done.stderr
    [event] = sentry_server.events()
    assert event["environment"] == "production"
    assert event["exception"]["values"][0]["type"] == "ZeroDivisionError"


def test_no_sentry_dsn_sends_nothing(sentry_server):
    done = _python(
        "import django, logging, sentry_sdk\n"
        "django.setup()\n"
        "logging.getLogger('netralitas.tasks').error('not reported')\n"
        "assert not sentry_sdk.get_client().is_active()\n"
    )
    assert done.returncode == 0, done.stderr
    assert sentry_server.envelopes == []


@pytest.mark.parametrize(
    "dsn", ["nonsense", "ftp://key@sentry.example.org/1", "https://sentry.example.org/1", "https://key@sentry/"]
)
def test_an_unusable_dsn_stops_start_up(dsn):
    done = _python("import django\ndjango.setup()\n", SENTRY_DSN=dsn)
    assert done.returncode != 0
    assert "ImproperlyConfigured: SENTRY_DSN cannot be used" in done.stderr
    assert "key@" not in done.stderr.splitlines()[-1]


@pytest.mark.parametrize("rate", ["2", "-0.1", "nan", "half"])
def test_an_unusable_sample_rate_stops_start_up(sentry_server, rate):
    done = _python("import django\ndjango.setup()\n", SENTRY_DSN=sentry_server.dsn, SENTRY_TRACES_SAMPLE_RATE=rate)
    assert done.returncode != 0
    assert "ImproperlyConfigured: SENTRY_TRACES_SAMPLE_RATE" in done.stderr


def test_init_sentry_refuses_a_bad_dsn_without_starting():
    with pytest.raises(ImproperlyConfigured):
        init_sentry("http://127.0.0.1/1", environment="test")
    assert not sentry_sdk.get_client().is_active()
