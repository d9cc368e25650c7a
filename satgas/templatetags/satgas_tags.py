"""Template tags for the satgas extension points (navigation, dashboard, employee page)."""

from __future__ import annotations

from functools import cached_property

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from facilities import access as facilities_access
from satgas import access, selectors
from satgas.models import Membership, Period, TaskForce

register = template.Library()

_BADGE_CLASSES = {
    TaskForce.State.DRAFT: "text-bg-secondary",
    TaskForce.State.APPOINTED: "text-bg-info",
    TaskForce.State.INAUGURATED: "text-bg-success",
    TaskForce.State.ENDED: "text-bg-dark",
}


@register.simple_tag
def state_badge(state: str | None):
    """A task force state as a badge; no state: not formed. The lists' per-row form of
    satgas/_state_badge.html (an include per row cost the national overview a fifth of its time)."""
    if not state:
        return format_html('<span class="badge text-bg-light border">{}</span>', _("Belum dibentuk"))
    label = TaskForce.State(state).label if state in TaskForce.State.values else state
    return format_html('<span class="badge {}">{}</span>', _BADGE_CLASSES.get(state, "text-bg-dark"), label)


class SatgasNav:
    """What satgas.access allows the user to open from the navigation, asked only when a template reads it."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def overview(self) -> bool:
        return access.can_view_task_force_overview(self.user)

    @cached_property
    def periods(self) -> bool:
        return access.can_manage_periods(self.user)

    @cached_property
    def head(self) -> bool:
        return access.can_form_own_task_force(self.user)

    @cached_property
    def member(self) -> bool:
        # Only someone with a roster record can serve; asking that first spares the membership query.
        return facilities_access.own_employee(self.user) is not None and bool(
            access.task_force_facility_ids(self.user)
        )


@register.simple_tag(takes_context=True)
def satgas_nav(context) -> SatgasNav:
    return SatgasNav(context.get("user"))


@register.simple_tag
def employee_task_force_roles(employee) -> list[Membership]:
    """Every task force membership of an employee, current first, with its history."""
    if employee is None:
        return []
    return list(
        Membership.objects.filter(employee=employee)
        .select_related("task_force__facility", "task_force__period")
        .order_by("-start_date", "-pk")
    )


@register.inclusion_tag("satgas/_dashboard_card.html", takes_context=True)
def satgas_dashboard(context) -> dict:
    user = context.get("user")
    data: dict = {"user": user, "show": False}
    if user is None or not user.is_authenticated:
        return data
    if access.can_view_task_force_overview(user):
        period = Period.default()
        data.update(show=True, mode="overview", period=period)
        if period is not None:
            facilities = facilities_access.managed_facilities(user).filter(is_active=True)
            data["counts"] = selectors.state_counts(facilities, period)
        data["can_inaugurate"] = access.can_inaugurate(user)
        data["can_manage_periods"] = access.can_manage_periods(user)
        return data
    if access.can_form_own_task_force(user):
        task_forces = list(
            selectors.with_member_count(access.visible_task_forces(user).filter(facility_id=user.facility_id))
            .select_related("period")
            .order_by("-period__start_date")[:3]
        )
        data.update(show=True, mode="head", task_forces=task_forces)
        return data
    if access.task_force_facility_ids(user):
        memberships = list(
            access.serving_memberships()
            .filter(employee__user=user)
            .select_related("task_force__facility", "task_force__period")
        )
        data.update(show=True, mode="member", memberships=memberships)
    return data
