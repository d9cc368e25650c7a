"""Which audit events of violation reports a user may not see: those of a case the user may not open
(accounts.audit.events_visible_to applies it, e.g. in the Django admin's audit log)."""

from __future__ import annotations

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from accounts import permissions


def hidden_report_events(user) -> Q:
    if not user.is_authenticated:
        return Q(object_type="reports.report")
    visible = permissions.visible_reports(user).annotate(key=Cast("pk", CharField())).values("key")
    return Q(object_type="reports.report") & ~Q(object_id__in=visible)
