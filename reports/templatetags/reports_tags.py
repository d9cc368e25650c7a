from __future__ import annotations

from functools import cached_property

from django import template

from reports import access, selectors

register = template.Library()


@register.inclusion_tag("reports/_dashboard_card.html", takes_context=True)
def report_dashboard(context) -> dict:
    """Open and overdue reports in the user's inbox, in one query; nothing for non-handlers."""
    user = context["user"]
    if not access.can_handle_reports(user):
        return {"show": False}
    counts = selectors.counts(access.visible_reports(user))
    return {"show": True, "counts": counts, "can_recap": access.can_view_report_recap(user)}


@register.inclusion_tag("reports/_dashboard_facility_counts.html", takes_context=True)
def facility_report_counts(context) -> dict:
    """A Kepala UPT's card: their UPT's reports per state, counts only (reports.access decides which)."""
    user = context["user"]
    if not access.can_see_facility_report_counts(user):
        return {"show": False}
    states = selectors.state_counts(access.facility_report_count_scope(user))
    return {"show": True, "states": states, "total": sum(s.count for s in states)}


class ReportsNav:
    """What reports.access allows the user to open from the navigation, asked only when a template reads it."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def inbox(self) -> bool:
        return access.can_handle_reports(self.user)

    @cached_property
    def file(self) -> bool:
        return access.can_file_from_inside(self.user)


@register.simple_tag(takes_context=True)
def reports_nav(context) -> ReportsNav:
    return ReportsNav(context.get("user"))


@register.simple_tag(takes_context=True)
def can_handle_facility_reports(context, facility) -> bool:
    return access.can_handle_facility_reports(context["user"], facility)
