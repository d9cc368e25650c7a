"""Structured logs (core/logging.py): one line per request with its id, user, status and duration;
the id in the X-Request-ID header, taken from a trusted proxy only; the same id on the lines of the
tasks that request enqueued. The lines are read from the project's configured console handler, so
the settings' LOGGING (filter, formatter) are what is tested."""

from __future__ import annotations

import io
import ipaddress
import json
import logging
import re

import pytest

from core.logging import JsonFormatter, TextFormatter, current_request_id
from tests.tasks import failed_tasks, run_queued_tasks

GENERATED_ID = re.compile(r"[0-9a-f]{16}")


class Lines:
    def __init__(self, stream: io.StringIO):
        self.stream = stream

    def raw(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    def json(self, logger: str | None = None) -> list[dict]:
        entries = [json.loads(line) for line in self.raw() if line.startswith("{")]
        return [entry for entry in entries if logger is None or entry["logger"] == logger]

    def requests(self) -> list[dict]:
        return self.json("netralitas.request")


def _console() -> logging.Handler:
    return next(handler for handler in logging.getLogger().handlers if handler.name == "console")


@pytest.fixture
def log_lines():
    """What the console handler writes, as JSON lines (LOG_FORMAT=json, the production format)."""
    handler = _console()
    stream = io.StringIO()
    previous_stream, previous_formatter = handler.setStream(stream), handler.formatter
    handler.setFormatter(JsonFormatter())
    yield Lines(stream)
    handler.setStream(previous_stream)
    handler.setFormatter(previous_formatter)


@pytest.fixture
def text_lines():
    handler = _console()
    stream = io.StringIO()
    previous_stream, previous_formatter = handler.setStream(stream), handler.formatter
    handler.setFormatter(TextFormatter())
    yield Lines(stream)
    handler.setStream(previous_stream)
    handler.setFormatter(previous_formatter)


@pytest.fixture
def ops_urls(settings):
    settings.ROOT_URLCONF = "tests.ops_app"


def test_the_configured_formats_are_ours():
    from django.conf import settings

    assert isinstance(_console().formatter, JsonFormatter if settings.LOG_FORMAT == "json" else TextFormatter)
    assert any(type(f).__name__ == "ContextFilter" for f in _console().filters)


def test_a_request_writes_exactly_one_line_with_id_user_status_and_duration(client, staff, log_lines):
    client.force_login(staff)
    response = client.get("/beranda/")
    assert response.status_code == 200

    [line] = log_lines.requests()
    assert line["request_id"] == response["X-Request-ID"]
    assert GENERATED_ID.fullmatch(line["request_id"])
    assert line["user_id"] == staff.pk
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["path"] == "/beranda/"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["level"] == "INFO"
    assert line["message"].startswith("GET /beranda/ 200 ")


def test_every_request_gets_its_own_id_and_none_is_left_behind(client, db, log_lines):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert [line["request_id"] for line in log_lines.requests()] == [first["X-Request-ID"], second["X-Request-ID"]]
    assert current_request_id() is None


def test_a_streamed_response_is_logged_once_when_sent_with_its_whole_duration(client, db, ops_urls, log_lines):
    response = client.get("/ops/stream/")
    assert log_lines.requests() == []  # nothing sent yet
    assert b"".join(response.streaming_content) == b"0\n1\n2\n"
    response.close()  # as the WSGI server does once the body is sent
    [line] = log_lines.requests()
    assert (line["path"], line["status"], line["request_id"]) == ("/ops/stream/", 200, response["X-Request-ID"])
    assert line["duration_ms"] >= 300


def test_an_anonymous_request_has_no_user_id(client, db, log_lines):
    client.get("/")
    [line] = log_lines.requests()
    assert line["user_id"] is None
    assert line["status"] == 200


def test_a_redirect_and_a_404_are_logged_with_their_status(client, db, log_lines):
    client.get("/beranda/")
    client.get("/no-such-page/")
    assert [line["status"] for line in log_lines.requests()] == [302, 404]


def test_a_view_that_fails_is_logged_as_an_error_with_status_500(client, staff, ops_urls, log_lines):
    client.raise_request_exception = False
    client.force_login(staff)
    response = client.post("/ops/boom/")
    assert response.status_code == 500
    [line] = log_lines.requests()
    assert line["status"] == 500
    assert line["level"] == "ERROR"
    assert line["user_id"] == staff.pk
    assert line["request_id"] == response["X-Request-ID"]


def test_an_incoming_request_id_is_ignored_from_an_untrusted_address(client, db, settings, log_lines):
    settings.TRUSTED_PROXIES = []
    response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-chosen-id-123")
    assert response["X-Request-ID"] != "proxy-chosen-id-123"
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_an_incoming_request_id_is_kept_from_a_trusted_proxy(client, db, settings, log_lines):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-chosen-id-123", REMOTE_ADDR="10.1.2.3")
    assert response["X-Request-ID"] == "proxy-chosen-id-123"
    assert log_lines.requests()[0]["request_id"] == "proxy-chosen-id-123"
    # The same header from an address outside the proxies' network is not a fact.
    response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-chosen-id-123", REMOTE_ADDR="192.0.2.7")
    assert response["X-Request-ID"] != "proxy-chosen-id-123"


@pytest.mark.parametrize(
    "supplied",
    [
        "short",  # under 8 characters
        "x" * 65,  # over 64
        "id with spaces",
        "abcdefgh\nfake line",
        'abcdefgh"}{"level":"ERROR',
        "abcdéfghij",
        "../../etc/passwd",
    ],
)
def test_a_malformed_request_id_from_a_trusted_proxy_is_replaced(client, db, settings, log_lines, supplied):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    response = client.get("/healthz", HTTP_X_REQUEST_ID=supplied, REMOTE_ADDR="10.1.2.3")
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])
    assert log_lines.requests()[0]["request_id"] == response["X-Request-ID"]


def test_each_json_line_is_one_json_object(client, staff, log_lines):
    client.force_login(staff)
    client.get("/beranda/")
    client.get("/healthz/%0A%7B%22level%22%3A%22ERROR%22%7D")  # a newline and a forged object in the path
    raw = log_lines.raw()
    assert raw
    for line in raw:
        entry = json.loads(line)
        assert {"time", "level", "logger", "message"} <= set(entry)
    assert log_lines.requests()[1]["path"] == '/healthz/\n{"level":"ERROR"}'


def test_the_text_format_writes_one_line_per_request_with_the_user(client, staff, text_lines):
    client.force_login(staff)
    response = client.get("/beranda/")
    client.get("/no-such-page/%0Aforged")
    first, second = text_lines.raw()
    assert f"[request_id={response['X-Request-ID']}]" in first
    assert " GET /beranda/ 200 " in first
    assert first.endswith(f" user_id={staff.pk}")
    assert "/no-such-page/\\x0aforged 404" in second


def test_a_task_enqueued_by_a_request_logs_with_its_request_id(client, staff, ops_urls, log_lines):
    client.force_login(staff)
    response = client.get("/ops/enqueue/")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]

    assert run_queued_tasks() == 1
    [noted] = log_lines.json("tests.ops_app")
    assert noted["message"] == "noted from-a-request"
    assert noted["request_id"] == request_id
    assert noted["task_id"]
    [finished] = log_lines.json("netralitas.tasks")
    assert finished["request_id"] == request_id
    assert finished["task_id"] == noted["task_id"]
    assert finished["task"] == "note"
    assert finished["outcome"] == "done"
    assert finished["duration_ms"] >= 0
    # `grep <request id>` finds the request and the work it caused.
    assert [entry["logger"] for entry in log_lines.json() if entry.get("request_id") == request_id] == [
        "netralitas.request",
        "tests.ops_app",
        "netralitas.tasks",
    ]


def test_a_failed_task_logs_its_exception_and_outcome(db, log_lines):
    from core.tasks import enqueue
    from tests.ops_app import fail

    enqueue(fail, "x")
    run_queued_tasks()
    [error, finished] = log_lines.json("netralitas.tasks")
    assert error["level"] == "ERROR"
    assert "RuntimeError: task failed on purpose (x)" in error["exception"]
    assert "request_id" not in error  # enqueued outside any request
    assert finished["outcome"] == "failed"
    assert error["task_id"] == finished["task_id"] == str(failed_tasks()[0].id)


def test_task_lines_do_not_keep_the_request_id_of_an_earlier_task(client, staff, ops_urls, log_lines):
    from core.tasks import enqueue
    from tests.ops_app import note

    client.force_login(staff)
    client.get("/ops/enqueue/")
    enqueue(note, "outside")
    run_queued_tasks()
    by_value = {entry["message"]: entry for entry in log_lines.json("tests.ops_app")}
    assert "request_id" in by_value["noted from-a-request"]
    assert "request_id" not in by_value["noted outside"]
