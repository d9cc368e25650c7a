from __future__ import annotations

from django.http import HttpRequest

from accounts.scope import scope_of


def navigation(request: HttpRequest) -> dict:
    """What accounts decides in the navigation bar: the Django admin link is the national admin's.

    The other entries come from each app's own template tag (facilities_nav, satgas_nav, …)."""
    return {"can_open_admin": scope_of(getattr(request, "user", None)).national}
