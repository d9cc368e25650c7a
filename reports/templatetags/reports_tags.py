from __future__ import annotations

from django import template
from django.db.models import Count, Q

from reports import access
from reports.models import OPEN_STATES, overdue_conditions

register = template.Library()


@register.inclusion_tag("reports/_dashboard_card.html", takes_context=True)
def report_dashboard(context) -> dict:
    """Open and overdue reports in the user's inbox, in one query; nothing for non-handlers."""
    user = context["user"]
    if not access.can_handle_reports(user):
        return {"show": False}
    ack, response = overdue_conditions()
    counts = access.visible_reports(user).aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("pk", filter=Q(state__in=OPEN_STATES) & (ack | response)),
    )
    return {"show": True, "counts": counts, "can_recap": access.can_view_report_recap(user)}


@register.simple_tag(takes_context=True)
def can_handle_reports(context) -> bool:
    return access.can_handle_reports(context["user"])


@register.simple_tag(takes_context=True)
def can_handle_facility_reports(context, facility) -> bool:
    return access.can_handle_facility_reports(context["user"], facility)
