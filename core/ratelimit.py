"""Fixed-window rate limits on the shared cache, counted before the work they guard.

The cache is shared by every worker and host (database cache or Redis), so a limit holds however
many processes serve the site, and an attempt is counted atomically before the work it guards
(`core.cache`: `take`), so simultaneous requests cannot all slip under the limit. An attempt that
should not count after all (a report that was not filed, a receipt code that was right) is given
back with `refund`.

Client addresses come from `core.clientip` (trusted proxies) and are hashed before they become
cache keys: nothing that identifies a reporter is written anywhere, and the counters expire with
their window.

When the cache cannot be reached the limit cannot be checked, and the request is refused (fail
closed) with a 503 page and Retry-After: `Unavailable`, turned into that page by `UnavailableMiddleware`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from core.cache import UNAVAILABLE
from core.clientip import client_network

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class Unavailable(Exception):
    """The cache that holds the counters cannot be reached."""


def client_fingerprint(request: HttpRequest) -> str:
    address = client_network(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def _key(scope: str, ident: str) -> str:
    return f"rl:{scope}:{ident}"


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True when the limit is already reached (the attempt is then not counted)."""
    try:
        return not cache.take(_key(scope, ident), limit, window)
    except UNAVAILABLE as exc:
        raise Unavailable(scope) from exc


def refund(scope: str, ident: str) -> None:
    """Give back an attempt counted by `hit` that turned out not to count."""
    try:
        cache.give_back(_key(scope, ident))
    except UNAVAILABLE:
        # Failing here only leaves the client one attempt short until the window ends.
        logger.warning("rate limit %s: the attempt could not be given back (cache unavailable)", scope)


def hit_client(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    return hit(scope, client_fingerprint(request), limit=limit, window=window)


def refund_client(request: HttpRequest, scope: str) -> None:
    refund(scope, client_fingerprint(request))


class UnavailableMiddleware:
    """A limit that cannot be checked refuses the request with a 503 page, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Unavailable):
            return None
        logger.warning("rate limit %s not checked, request refused: cache unavailable", exception)
        response = HttpResponse(render_to_string("ratelimit_unavailable.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
