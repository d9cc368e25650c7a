"""What every satgas view module shares: paging and the 403 rule (files are served by core.files)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def require(allowed: bool) -> None:
    """Inside the user's scope but not theirs to do: 403 (outside the scope the helpers already gave 404)."""
    if not allowed:
        raise PermissionDenied
