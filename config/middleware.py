from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
