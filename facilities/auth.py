"""The login backend: Django's ModelBackend, loading a user's own employee record with the user.

Many pages a member of staff opens need their own employee record and UPT (signing the pact, their
pacts, the dashboard, the report form); the user row is read on every request anyway, so both come in
that one query (LEFT JOINs on unique keys) and `facilities.access.own_employee(user)` then reads them
without a query. It is the record as it is at this request: a transfer or a deactivation counts at once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("employee__facility").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
