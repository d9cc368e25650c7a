"""Structured logs: one line per request and per task, tied together by a request id.

`RequestLogMiddleware` gives every request an id (or keeps the one a trusted proxy sent in
X-Request-ID), returns it in the X-Request-ID header and writes one line when the response leaves:
method, path, status, duration and user id. Tasks enqueued during the request carry the id along
(core/tasks.py), so `grep <id>` finds the request and the background work it caused. The id lives in
a context variable, which `ContextFilter` copies onto every record written meanwhile, by any logger.

LOG_FORMAT=json writes one JSON object per line (production: a log shipper parses it); text writes
the same fields as key=value for a terminal.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from core.clientip import from_trusted_proxy

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
task_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)
# The request being answered, for the error reporter's user id (core/errors.py).
request_var: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("request", default=None)

request_logger = logging.getLogger("netralitas.request")

# What a proxy may hand us as an id: short and printable, so that it cannot forge log lines.
_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# The attributes every LogRecord has; anything else on a record was passed in `extra`.
_RECORD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "task_id"}
# Extras the request and task lines already spell out in their message; the text format leaves them
# out so that a terminal line reads "GET /beranda/ 200 12.3ms user_id=5", JSON keeps them as fields.
_IN_MESSAGE = {"method", "path", "status", "duration_ms", "task", "outcome"}


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def current_request_id() -> str | None:
    return request_id_var.get()


def _incoming_id(request: HttpRequest) -> str | None:
    """The proxy's id, taken only from a trusted proxy (anyone else could choose ids to confuse a search)."""
    supplied = request.META.get("HTTP_X_REQUEST_ID", "")
    if not supplied or not _INCOMING_ID.fullmatch(supplied):
        return None
    return supplied if from_trusted_proxy(request) else None


def current_user_id() -> int | None:
    """The id of the user of the request being answered, if the request already loaded it."""
    request = request_var.get()
    return _user_id(request) if request is not None else None


def _user_id(request: HttpRequest) -> int | None:
    # Only if the view already looked at the user: asking now would cost a public page a session query.
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _incoming_id(request) or new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        request_token = request_var.set(request)
        started = time.perf_counter()
        response = None
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if response.streaming:
                # An export or a stored file is written while the server sends it: its line, with the
                # whole duration, is written when the server closes the response.
                response._resource_closers.append(lambda: _log_request(request, request_id, started, response))
            return response
        finally:
            if response is None or not response.streaming:
                _log_request(request, request_id, started, response)
            request_var.reset(request_token)
            request_id_var.reset(token)


def _log_request(request: HttpRequest, request_id: str, started: float, response: HttpResponse | None) -> None:
    # No response: the exception went past every handler that turns one into a 500 page.
    status = response.status_code if response is not None else 500
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    token = request_id_var.set(request_id)
    try:
        request_logger.log(
            logging.ERROR if status >= 500 else logging.INFO,
            "%s %s %s %.1fms",
            request.method,
            request.path,
            status,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": _user_id(request),
            },
        )
    finally:
        request_id_var.reset(token)


class ContextFilter(logging.Filter):
    """Copies the current request and task ids onto each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.task_id = task_id_var.get()
        return True


def _extras(record: logging.LogRecord) -> dict:
    return {key: value for key, value in vars(record).items() if key not in _RECORD_ATTRS and not key.startswith("_")}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "task_id"):
            if getattr(record, key, None):
                entry[key] = getattr(record, key)
        entry.update(_extras(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# Control characters (a "%0A" in a requested path arrives as a newline) would let a client write a
# line of its own into a text log; JSON escapes them already.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _one_line(text: str) -> str:
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ids = " ".join(
            f"{key}={getattr(record, key)}" for key in ("request_id", "task_id") if getattr(record, key, None)
        )
        line = f"{self.formatTime(record, '%Y-%m-%d %H:%M:%S')} {record.levelname} {record.name}"
        if ids:
            line += f" [{ids}]"
        line += f" {_one_line(record.getMessage())}"
        for key, value in _extras(record).items():
            if key not in _IN_MESSAGE and value is not None:
                line += f" {key}={_one_line(str(value))}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line
