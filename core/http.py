"""The HTTP helpers every app's views share: the refusal, the page of a list, no caching."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponseBase

PAGE_SIZE = 50


def require(allowed: bool) -> None:
    """404 unless `allowed`: a page or action the user may not use looks like one that does not exist.

    Objects outside the user's scope already answer 404 through the access helpers; this covers the
    rest (a role without the right, an object in scope that is not theirs to change), so that a
    refusal never tells apart "exists but not yours" from "does not exist".
    """
    if not allowed:
        raise Http404


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The page named by ?page=; a missing, non-numeric or out-of-range value gives the first or last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def no_store(response: HttpResponseBase) -> HttpResponseBase:
    """Neither the browser nor a proxy may keep the response (shared office PCs, receipts, case files)."""
    response["Cache-Control"] = "private, no-store"
    return response
