"""Response headers that hold for the whole site: no caching of what a login shows, and the CSP."""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse

from core.http import no_store


class PrivatePagesMiddleware:
    """Every response to a logged-in user is `Cache-Control: private, no-store`.

    Staff share office PCs: after logging out, neither the back button nor the disk cache
    may bring back a report case, a roster or a certificate. A view that sets its own
    Cache-Control (the downloads, the public follow-up pages) keeps it. Anonymous pages
    are left alone. Must come after AuthenticationMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            no_store(response)
        return response


class PageCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, for pages only: PDFs are left without the page policy.

    Chrome shows an inline PDF in a page of its own making, which `object-src 'none'` and
    `style-src 'self'` would leave blank (crbug.com/271452); the policy guards HTML, and a
    PDF is not HTML. A view that sets its own Content-Security-Policy (e.g. `sandbox` on
    an uploaded file) keeps it, as django-csp never overwrites the header.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        return super().process_response(request, response)
