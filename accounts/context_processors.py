from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.models import Role


def navigation(request: HttpRequest) -> dict:
    """Role flags for the navigation bar, computed only when a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"Role": Role}

    def own_employee():
        return getattr(user, "employee", None)

    return {"Role": Role, "own_employee": SimpleLazyObject(own_employee)}
