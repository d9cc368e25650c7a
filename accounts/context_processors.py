from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """What accounts decides in the navigation bar: the Django admin link is the national admin's.

    The other entries come from each app's own template tag (facilities_nav, satgas_nav, …)."""
    user = getattr(request, "user", None)
    return {"can_open_admin": user is not None and user.is_authenticated and user.is_national_admin}
