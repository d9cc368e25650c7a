"""Who may see and change what. Every view asks this module; nothing else
decides access.

Scopes: the national admin sees everything; a regional admin one Kanwil and
its UPTs; a facility head one UPT; a staff member their own records. Objects
outside a user's scope are answered with 404 (not 403) so that their
existence is not revealed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role, User
from facilities.models import Employee, Facility, RegionalOffice


def visible_regions(user: User) -> QuerySet[RegionalOffice]:
    if user.is_national_admin:
        return RegionalOffice.objects.all()
    if user.role == Role.REGIONAL_ADMIN:
        return RegionalOffice.objects.filter(pk=user.regional_office_id)
    return RegionalOffice.objects.none()


def managed_facilities(user: User) -> QuerySet[Facility]:
    """UPTs whose roster the user manages (and whose data they may see in full)."""
    if user.is_national_admin:
        return Facility.objects.all()
    if user.role == Role.REGIONAL_ADMIN:
        return Facility.objects.filter(regional_office_id=user.regional_office_id)
    if user.role == Role.FACILITY_HEAD:
        return Facility.objects.filter(pk=user.facility_id)
    return Facility.objects.none()


def can_manage_region(user: User, region: RegionalOffice) -> bool:
    return user.is_national_admin or (user.role == Role.REGIONAL_ADMIN and user.regional_office_id == region.pk)


def can_administer_facility(user: User, facility: Facility) -> bool:
    """Create and edit the UPT record itself: the Kanwil's job, not the UPT's."""
    return can_manage_region(user, facility.regional_office)


def can_manage_facility(user: User, facility: Facility) -> bool:
    """Manage the roster and accounts of a UPT."""
    if can_administer_facility(user, facility):
        return True
    return user.role == Role.FACILITY_HEAD and user.facility_id == facility.pk


def can_view_employee(user: User, employee: Employee) -> bool:
    return can_manage_facility(user, employee.facility) or (
        employee.user_id is not None and employee.user_id == user.pk
    )


def can_manage_user(user: User, target: User) -> bool:
    """Reset another user's password (issue a new activation code)."""
    if user.pk == target.pk or target.is_superuser:
        return False
    if user.is_national_admin:
        return True
    if target.role == Role.FACILITY_HEAD:
        return user.role == Role.REGIONAL_ADMIN and target.facility.regional_office_id == user.regional_office_id
    if target.role != Role.STAFF:
        return False
    employee = getattr(target, "employee", None)
    return employee is not None and can_manage_facility(user, employee.facility)


def get_region_for_user(user: User, pk: int) -> RegionalOffice:
    try:
        return visible_regions(user).get(pk=pk)
    except RegionalOffice.DoesNotExist:
        raise Http404 from None


def get_facility_for_user(user: User, pk: int) -> Facility:
    """The UPT, if the user manages it; 404 otherwise."""
    try:
        return managed_facilities(user).select_related("regional_office").get(pk=pk)
    except Facility.DoesNotExist:
        raise Http404 from None


def get_employee_for_user(user: User, pk: int, *, manage: bool = False) -> Employee:
    try:
        employee = Employee.objects.select_related("facility__regional_office", "user").get(pk=pk)
    except Employee.DoesNotExist:
        raise Http404 from None
    allowed = can_manage_facility(user, employee.facility) if manage else can_view_employee(user, employee)
    if not allowed:
        raise Http404
    return employee


# --- Task forces -------------------------------------------------------------
# Membership is the role: a current member of an appointed or inaugurated task
# force acts for that facility's task force; replacing them ends it at once.


def task_force_facility_ids(user: User) -> frozenset[int]:
    """UPTs where the user is a current member of an active task force (cached per request user)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_task_force_facility_ids", None)
    if cached is None:
        from satgas.models import Membership, TaskForce

        cached = frozenset(
            Membership.objects.current()
            .filter(
                employee__user=user,
                employee__is_active=True,
                task_force__state__in=[TaskForce.State.APPOINTED, TaskForce.State.INAUGURATED],
            )
            .values_list("task_force__facility_id", flat=True)
        )
        user._task_force_facility_ids = cached
    return cached


def is_task_force_member(user: User, facility: Facility) -> bool:
    return facility.pk in task_force_facility_ids(user)


# --- Integrity pacts (pledges) -----------------------------------------------


# --- Violation reports ---------------------------------------------------------
