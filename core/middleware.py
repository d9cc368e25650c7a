from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

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


class RequestSizeMiddleware:
    """A body larger than settings.REQUEST_MAX_BYTES is a 413 before anything reads it.

    Django spools uploaded files to disk while it parses a form, before any view, rate limit or
    upload check runs, so an anonymous post of any size would otherwise fill the disk. The declared
    length is enough: Django reads no more than CONTENT_LENGTH from the body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django itself reads an unparseable length as an empty body
        if length > settings.REQUEST_MAX_BYTES:
            from django.template.loader import render_to_string

            logger.warning("refused a %d-byte request body: %s %r", length, request.method, request.path)
            response = HttpResponse(render_to_string("413.html"), status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """A NUL byte anywhere a view could read it is a 400, before any view or the session runs.

    PostgreSQL refuses NUL in text ("A string literal cannot contain NUL"), which made a 500 of
    a search, a receipt code, a verification code in the path or a session cookie. No form of
    ours, no browser and no code or identifier has a reason to send one, so it is refused rather
    than stripped: stripping would quietly act on something other than what was sent.
    Checked: the path, query and form fields (names and values), cookies and request headers
    (the user agent is stored with a signature and by django-axes). Uploaded file names need no
    check: Django's multipart parser already drops non-printable characters from them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = self._nul_in(request)
        if where is not None:
            from django.template.loader import render_to_string

            logger.warning("refused a request with a NUL byte in its %s: %s %r", where, request.method, request.path)
            return HttpResponseBadRequest(render_to_string("400.html"))
        return self.get_response(request)

    @staticmethod
    def _nul_in(request: HttpRequest) -> str | None:
        def any_nul(pairs) -> bool:
            return any("\x00" in key or "\x00" in value for key, value in pairs)

        if "\x00" in request.path or "\x00" in request.path_info:
            return "path"
        if any_nul((k, v) for k, values in request.GET.lists() for v in values):
            return "query"
        if any_nul(request.COOKIES.items()):
            return "cookies"
        if any_nul((k, v) for k, v in request.META.items() if k.startswith("HTTP_") and isinstance(v, str)):
            return "headers"
        if request.method == "POST" and any_nul((k, v) for k, values in request.POST.lists() for v in values):
            return "form"
        return None
