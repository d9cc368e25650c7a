"""Who may see and change task forces, their periods, activities and inaugurations.

Membership is the role: a current member of an appointed or inaugurated task
force acts for that facility's task force; replacing them ends it at once. It
acts only while the member works at that facility: after a transfer (mutasi)
the membership row may still be open until the head replaces them, but it no
longer opens the old UPT's task force or its reports (reports.access asks
this module who serves where).

Built on the user's scope (accounts.scope) and the organisation's rules
(facilities.access); objects outside a user's reach are answered with 404.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.scope import scope_of
from facilities.models import Facility
from satgas.models import ACTIVE_STATES, Activity, Attachment, Inauguration, Membership, TaskForce


def serving_memberships() -> QuerySet[Membership]:
    """Open memberships of appointed or inaugurated task forces (the member acts for it)."""
    return Membership.objects.current().filter(task_force__state__in=ACTIVE_STATES)


def acting_memberships() -> QuerySet[Membership]:
    """Serving memberships whose member still works at the task force's UPT: the ones that act for it
    (a transferred member's open row does not). Who acts where is read from here only, both ways:
    a user's UPTs (`task_force_facility_ids`) and a UPT's acting members (reports' notifications)."""
    return serving_memberships().filter(
        employee__is_active=True,
        employee__facility_id=F("task_force__facility_id"),
    )


def task_force_facility_ids(user: User) -> frozenset[int]:
    """UPTs where the user is a current member of an active task force (cached per request user)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_task_force_facility_ids", None)
    if cached is None:
        # No ordering: Membership's default one joins the UPT and the employee's name only to sort a set.
        cached = frozenset(
            acting_memberships()
            .filter(employee__user=user)
            .order_by()
            .values_list("task_force__facility_id", flat=True)
        )
        user._task_force_facility_ids = cached
    return cached


def memberships_at(employee, facility_id: int) -> list[Membership]:
    """Every task force membership of an employee at one UPT, oldest first, with its period (one query)."""
    return list(
        Membership.objects.filter(employee=employee, task_force__facility_id=facility_id)
        .select_related("task_force__period")
        .order_by("start_date", "pk")
    )


def is_task_force_member(user: User, facility: Facility) -> bool:
    return facility.pk in task_force_facility_ids(user)


def visible_task_forces(user: User) -> QuerySet[TaskForce]:
    """Task forces the user may open: their scope's, or their own facility's as a current member."""
    scope = scope_of(user)
    if scope.user_id is None:
        return TaskForce.objects.none()
    if scope.national:
        return TaskForce.objects.all()
    allowed = Q(facility_id__in=task_force_facility_ids(user))
    if scope.region_id is not None:
        allowed |= Q(facility__regional_office_id=scope.region_id)
    elif scope.facility_id is not None:
        allowed |= Q(facility_id=scope.facility_id)
    return TaskForce.objects.filter(allowed)


def get_task_force_for_user(user: User, pk: int) -> TaskForce:
    try:
        return (
            visible_task_forces(user)
            .select_related("facility__regional_office__ministry", "facility__head", "period", "inauguration")
            .get(pk=pk)
        )
    except TaskForce.DoesNotExist:
        raise Http404 from None


def can_view_task_force_overview(user: User) -> bool:
    scope = scope_of(user)
    return scope.national or scope.region_id is not None


def can_manage_periods(user: User) -> bool:
    return scope_of(user).national


def can_form_task_force(user: User, facility: Facility) -> bool:
    """Draft and appoint (the SK is the facility head's decree), and change members afterwards."""
    return scope_of(user).facility_id == facility.pk


def can_form_own_task_force(user: User) -> bool:
    """Whether the user heads a UPT, and so may form its task force."""
    return scope_of(user).facility_id is not None


def can_manage_task_force(user: User, task_force: TaskForce) -> bool:
    return can_form_task_force(user, task_force.facility)


def can_inaugurate(user: User) -> bool:
    return scope_of(user).region_id is not None


def can_inaugurate_task_force(user: User, task_force: TaskForce) -> bool:
    """Pengukuhan is the Kanwil's: only the regional admin of the facility's region."""
    return can_inaugurate(user) and task_force.facility.regional_office_id == scope_of(user).region_id


def can_end_task_force(user: User, task_force: TaskForce) -> bool:
    return can_manage_task_force(user, task_force) or can_inaugurate_task_force(user, task_force)


def can_record_activity(user: User, task_force: TaskForce) -> bool:
    """The facility head and the current members record and edit their own active task force's activities."""
    if not task_force.is_active:
        return False
    return can_manage_task_force(user, task_force) or is_task_force_member(user, task_force.facility)


def get_activity_for_user(user: User, pk: int) -> Activity:
    try:
        return Activity.objects.select_related("task_force__facility__regional_office", "task_force__period").get(
            pk=pk, task_force__in=visible_task_forces(user)
        )
    except Activity.DoesNotExist:
        raise Http404 from None


def get_attachment_for_user(user: User, pk: int) -> Attachment:
    try:
        return Attachment.objects.get(pk=pk, activity__task_force__in=visible_task_forces(user))
    except Attachment.DoesNotExist:
        raise Http404 from None


def get_inauguration_for_user(user: User, pk: int) -> Inauguration:
    """A ceremony is visible to whoever may see one of the task forces it inaugurated."""
    inaugurations = Inauguration.objects.filter(task_forces__in=visible_task_forces(user)).distinct()
    try:
        return inaugurations.get(pk=pk)
    except Inauguration.DoesNotExist:
        raise Http404 from None
