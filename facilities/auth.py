"""The login backend: Django's ModelBackend, loading a user's own employee record with the user.

Many pages a member of staff opens need their own employee record and UPT (signing the pact, their
pacts, the dashboard); the user row is read on every request anyway, so both come in that one query
(LEFT JOINs on unique keys) instead of a second query in the view. It is the record as it is at this
request: a transfer or a deactivation counts at once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from facilities.models import Employee

# The user's employee record as loaded with the user (None: they have none).
_LOADED = "own_employee_record"


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("employee__facility").get(pk=user_id)
        except model.DoesNotExist:
            return None
        try:
            employee = user.employee
        except Employee.DoesNotExist:
            employee = None
        setattr(user, _LOADED, employee)
        return user if self.user_can_authenticate(user) else None


def own_employee(user) -> Employee | None:
    """The user's own active employee record with its UPT, or None. No query when StaffBackend
    loaded the user; one query for a user loaded otherwise (a session of another backend)."""
    if not hasattr(user, _LOADED):
        setattr(user, _LOADED, Employee.objects.select_related("facility").filter(user_id=user.pk).first())
    employee = getattr(user, _LOADED)
    return employee if employee is not None and employee.is_active else None
