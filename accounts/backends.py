"""The login backend: Django's ModelBackend, with the per-request user load as one prepared query.

Every logged-in request loads its user. Django compiles that query afresh each time: ~1–2 ms of CPU
inside a request on the 2-core machines, more than the rest of a stored-certificate download. Here
it is compiled once per process (config.prepared) and the same row brings the user's employee
record and its UPT (LEFT JOIN), which the signing page, the navigation bar and the staff pages need:
`request.user.employee` and `request.user.employee.facility` then cost no query.
Passwords are checked exactly as by Django's ModelBackend (inherited).
"""

from __future__ import annotations

from django.contrib.auth import backends

from accounts.models import User
from config.prepared import PreparedInstance

_user_with_employee = PreparedInstance(User, "pk", related=("employee", "employee__facility"))


def load_user(pk: int) -> User | None:
    """The user with their employee record (or None) and its UPT, in one query."""
    if not 0 < pk < 2**63:  # the ORM answers an id beyond the column's range with "no such row"
        return None
    return _user_with_employee.get(pk)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        try:
            user = load_user(int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
