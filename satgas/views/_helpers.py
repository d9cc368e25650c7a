"""What every satgas view module shares: paging, the 403 rule, serving private files."""

from __future__ import annotations

import mimetypes

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest

PAGE_SIZE = 50
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def paginate(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def require(allowed: bool) -> None:
    """Inside the user's scope but not theirs to do: 403 (outside the scope the helpers already gave 404)."""
    if not allowed:
        raise PermissionDenied


def private_file(field_file, *, filename: str, content_type: str | None = None) -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = content_type or mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, as_attachment=False, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
