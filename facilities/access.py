"""Who may see and change the organisation: Kanwil, UPT, rosters, employees and their logins.

Built on the user's scope (accounts.scope): the national admin sees everything;
a regional admin one Kanwil and its UPTs; a facility head one UPT; a staff
member their own record. Objects outside a user's scope are answered with 404
(not 403) so that their existence is not revealed. The domain apps above build
their own rules on these (satgas.access, pledges.access, reports.access).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role, User
from accounts.scope import scope_of
from facilities.models import Employee, Facility, RegionalOffice


def visible_regions(user: User) -> QuerySet[RegionalOffice]:
    scope = scope_of(user)
    if scope.national:
        return RegionalOffice.objects.all()
    if scope.region_id is not None:
        return RegionalOffice.objects.filter(pk=scope.region_id)
    return RegionalOffice.objects.none()


def managed_facilities(user: User) -> QuerySet[Facility]:
    """UPTs whose roster the user manages (and whose data they may see in full)."""
    scope = scope_of(user)
    if scope.national:
        return Facility.objects.all()
    if scope.region_id is not None:
        return Facility.objects.filter(regional_office_id=scope.region_id)
    if scope.facility_id is not None:
        return Facility.objects.filter(pk=scope.facility_id)
    return Facility.objects.none()


def manages(user: User, facility_id: int, region_id: int) -> bool:
    """can_manage_facility on ids alone, for hot paths that load no Facility rows."""
    return scope_of(user).manages(facility_id, region_id)


def can_manage_region(user: User, region: RegionalOffice) -> bool:
    scope = scope_of(user)
    return scope.national or scope.region_id == region.pk


def can_administer_facility(user: User, facility: Facility) -> bool:
    """Create and edit the UPT record itself: the Kanwil's job, not the UPT's."""
    return can_manage_region(user, facility.regional_office)


def can_manage_facility(user: User, facility: Facility) -> bool:
    """Manage the roster and accounts of a UPT."""
    if can_administer_facility(user, facility):
        return True
    return scope_of(user).facility_id == facility.pk


def can_list_facilities(user: User) -> bool:
    """The UPT list and adding a UPT are the admins' (national, Kanwil); a head goes to their roster."""
    scope = scope_of(user)
    return scope.national or scope.region_id is not None


def headed_facility_id(user: User) -> int | None:
    """The UPT a facility head heads (their roster is their home page), else None."""
    return scope_of(user).facility_id


def can_transfer_employee(user: User, employee: Employee) -> bool:
    """Mutasi is the Kanwil's (within its region) or the national admin's (anywhere)."""
    return can_administer_facility(user, employee.facility)


def can_view_employee(user: User, employee: Employee) -> bool:
    return can_manage_facility(user, employee.facility) or (
        employee.user_id is not None and employee.user_id == user.pk
    )


def can_manage_user(user: User, target: User) -> bool:
    """Reset another user's password (issue a new activation code)."""
    if user.pk == target.pk or target.is_superuser:
        return False
    scope = scope_of(user)
    if scope.national:
        return True
    if target.role == Role.FACILITY_HEAD:
        return scope.region_id is not None and target.facility.regional_office_id == scope.region_id
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


def own_employee(user: User) -> Employee | None:
    """The user's own roster record (active or not), or None."""
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "employee", None)


def can_view_recap(user: User) -> bool:
    """The recap (per UPT, or per Kanwil for the nation) is the admins': national and Kanwil."""
    return can_list_facilities(user)


def recap_region(user: User, region_id: int | None) -> RegionalOffice | None:
    """The Kanwil whose UPTs the recap lists: a regional admin's own; for the national admin the one asked
    for (`?kanwil=`), or None for the per-Kanwil rows. A Kanwil outside the user's scope is a 404."""
    scope = scope_of(user)
    if not (scope.national or scope.region_id is not None):
        raise Http404
    if scope.national:
        return get_region_for_user(user, region_id) if region_id is not None else None
    if region_id is not None and region_id != scope.region_id:
        raise Http404
    return get_region_for_user(user, scope.region_id)
