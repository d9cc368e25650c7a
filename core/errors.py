"""The error reporter: Sentry's SDK (or a Sentry-compatible service such as GlitchTip), on by SENTRY_DSN.

`init_sentry()` is called by the settings when SENTRY_DSN is set, and by nothing else. What leaves
the server is the exception, its stack (file, line, function; no local variables), the request's
method, URL path and a few harmless headers, the request id and task id (so an event leads to its
log lines, core/logging.py) and the user's id. Never cookies, the request body, the query string
(search terms and receipt codes travel there), the client's address or anything about the user but
the id: a stack frame's variables or a form could hold a report's content or a reporter's identity.

Exceptions in views are reported by the Django integration; a failed task by the error line
core/tasks.py logs for it (the logging integration reports ERROR lines that carry an exception).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

# Request headers worth having in a report; the rest are dropped (cookies, forwarded addresses,
# authorization and whatever a proxy adds).
_KEPT_HEADERS = {"host", "user-agent", "accept", "accept-language", "content-type", "content-length", "referer"}


def _scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    from core.logging import current_user_id, request_id_var, task_id_var

    request = event.get("request")
    if isinstance(request, dict):
        headers = request.get("headers") or {}
        event["request"] = {
            "method": request.get("method"),
            # Sentry's URL has no query string; keep it that way even if a later SDK adds one.
            "url": (request.get("url") or "").split("?", 1)[0],
            "headers": {key: value for key, value in headers.items() if key.lower() in _KEPT_HEADERS},
        }
    user_id = current_user_id()
    if user_id is not None:
        event["user"] = {"id": str(user_id)}
    else:
        event.pop("user", None)
    tags = event.setdefault("tags", {})
    for key, var in (("request_id", request_id_var), ("task_id", task_id_var)):
        if var.get():
            tags[key] = var.get()
    return event


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float = 0.0, release: str | None = None) -> None:
    """Start reporting errors to `dsn`; a DSN the SDK cannot use stops start-up."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import ignore_logger
    from sentry_sdk.utils import BadDsn

    try:
        sentry_sdk.init(
            dsn=dsn,
            integrations=[DjangoIntegration()],
            environment=environment,
            release=release,
            data_collection={
                "user_info": False,  # the id alone is added by _scrub
                "cookies": {"mode": "off"},
                "http_headers": {"request": {"mode": "allowlist", "terms": sorted(_KEPT_HEADERS)}},
                "http_bodies": [],
                "url_query_params": {"mode": "off"},
                "database_query_data": False,
                "queues": False,
                "stack_frame_variables": False,
                "graphql": {"document": False, "variables": False},
                "gen_ai": {"inputs": False, "outputs": False},
            },
            max_request_body_size="never",
            traces_sample_rate=traces_sample_rate,
            before_send=_scrub,
        )
    except BadDsn as exc:
        # The message names what is wrong (scheme, key, project), never the DSN's key.
        raise ImproperlyConfigured(f"SENTRY_DSN cannot be used: {exc}") from None
    # The request line of a 500 is logged at ERROR; the exception itself is the report, the line
    # would be a second event without a stack.
    ignore_logger("netralitas.request")
