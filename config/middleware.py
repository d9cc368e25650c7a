from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)


class DefaultLanguageMiddleware:
    """Bahasa Indonesia unless the user picked another language.

    Many government PCs run an English browser; their Accept-Language header
    must not switch the interface away from Indonesian. A choice made with
    the language switcher (stored in the language cookie) still wins.
    Must come before django.middleware.locale.LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database that restarts gives a plain 503 page, never a stack trace.

    Every state change runs in one transaction (actions.py), so nothing is half-written;
    the broken connection is dropped so the next request reconnects.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import connections
        from django.db.utils import InterfaceError, OperationalError
        from django.template.loader import render_to_string

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
