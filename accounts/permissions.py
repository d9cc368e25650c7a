"""Who may see and change what. Every view asks this module; nothing else
decides access.

Scopes: the national admin sees everything; a regional admin one Kanwil and
its UPTs; a facility head one UPT; a staff member their own records. Objects
outside a user's scope are answered with 404 (not 403) so that their
existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
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
# It acts only while the member works at that facility: after a transfer
# (mutasi) the membership row may still be open until the head replaces them,
# but it no longer opens the old UPT's task force or its reports.


def task_force_facility_ids(user: User) -> frozenset[int]:
    """UPTs where the user is a current member of an active task force (cached per request user)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_task_force_facility_ids", None)
    if cached is None:
        from django.db.models import F

        from satgas.models import Membership, TaskForce

        cached = frozenset(
            Membership.objects.current()
            .filter(
                employee__user=user,
                employee__is_active=True,
                employee__facility_id=F("task_force__facility_id"),
                task_force__state__in=[TaskForce.State.APPOINTED, TaskForce.State.INAUGURATED],
            )
            .values_list("task_force__facility_id", flat=True)
        )
        user._task_force_facility_ids = cached
    return cached


def is_task_force_member(user: User, facility: Facility) -> bool:
    return facility.pk in task_force_facility_ids(user)


def visible_task_forces(user: User) -> QuerySet:
    """Task forces the user may open: their scope's, or their own facility's as a current member."""
    from satgas.models import TaskForce

    if not user.is_authenticated:
        return TaskForce.objects.none()
    if user.is_national_admin:
        return TaskForce.objects.all()
    scope = Q(facility_id__in=task_force_facility_ids(user))
    if user.role == Role.REGIONAL_ADMIN:
        scope |= Q(facility__regional_office_id=user.regional_office_id)
    elif user.role == Role.FACILITY_HEAD:
        scope |= Q(facility_id=user.facility_id)
    return TaskForce.objects.filter(scope)


def get_task_force_for_user(user: User, pk: int):
    from satgas.models import TaskForce

    try:
        return (
            visible_task_forces(user)
            .select_related("facility__regional_office__ministry", "facility__head", "period", "inauguration")
            .get(pk=pk)
        )
    except TaskForce.DoesNotExist:
        raise Http404 from None


def can_view_task_force_overview(user: User) -> bool:
    return user.is_national_admin or user.role == Role.REGIONAL_ADMIN


def can_manage_periods(user: User) -> bool:
    return user.is_national_admin


def can_form_task_force(user: User, facility: Facility) -> bool:
    """Draft and appoint (the SK is the facility head's decree), and change members afterwards."""
    return user.role == Role.FACILITY_HEAD and user.facility_id == facility.pk


def can_manage_task_force(user: User, task_force) -> bool:
    return can_form_task_force(user, task_force.facility)


def can_inaugurate(user: User) -> bool:
    return user.role == Role.REGIONAL_ADMIN and user.regional_office_id is not None


def can_inaugurate_task_force(user: User, task_force) -> bool:
    """Pengukuhan is the Kanwil's: only the regional admin of the facility's region."""
    return can_inaugurate(user) and task_force.facility.regional_office_id == user.regional_office_id


def can_end_task_force(user: User, task_force) -> bool:
    return can_manage_task_force(user, task_force) or can_inaugurate_task_force(user, task_force)


def can_record_activity(user: User, task_force) -> bool:
    """The facility head and the current members record and edit their own active task force's activities."""
    if not task_force.is_active:
        return False
    return can_manage_task_force(user, task_force) or is_task_force_member(user, task_force.facility)


def get_activity_for_user(user: User, pk: int):
    from satgas.models import Activity

    try:
        return Activity.objects.select_related("task_force__facility__regional_office", "task_force__period").get(
            pk=pk, task_force__in=visible_task_forces(user)
        )
    except Activity.DoesNotExist:
        raise Http404 from None


def get_attachment_for_user(user: User, pk: int):
    from satgas.models import Attachment

    try:
        return Attachment.objects.get(pk=pk, activity__task_force__in=visible_task_forces(user))
    except Attachment.DoesNotExist:
        raise Http404 from None


def get_inauguration_for_user(user: User, pk: int):
    """A ceremony is visible to whoever may see one of the task forces it inaugurated."""
    from satgas.models import Inauguration

    inaugurations = Inauguration.objects.filter(task_forces__in=visible_task_forces(user)).distinct()
    try:
        return inaugurations.get(pk=pk)
    except Inauguration.DoesNotExist:
        raise Http404 from None


# --- Integrity pacts (pledges) -----------------------------------------------
# Texts and campaigns are national business; a signature is seen by its signer
# and by whoever manages the UPT it was signed at (head, Kanwil, national).


def can_manage_pacts(user: User) -> bool:
    """Write pact texts and open signing campaigns."""
    return user.is_authenticated and user.is_national_admin


def visible_campaigns(user: User):
    """Campaigns a user may follow: those covering a UPT they manage or work at."""
    from pledges.models import Campaign

    if user.is_national_admin:
        return Campaign.objects.all()
    facilities = managed_facilities(user)
    employee = getattr(user, "employee", None)
    if employee is not None and employee.is_active:
        facilities = facilities | Facility.objects.filter(pk=employee.facility_id)
    return Campaign.objects.filter(
        Q(scope=Campaign.Scope.ALL)
        | Q(scope=Campaign.Scope.REGION, regional_office__in=facilities.values("regional_office_id"))
        | Q(scope=Campaign.Scope.FACILITIES, facilities__in=facilities)
    ).distinct()


def get_campaign_for_user(user: User, pk: int):
    from pledges.models import Campaign

    try:
        return visible_campaigns(user).select_related("period", "text", "regional_office").get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def _manages(user: User, facility_id: int, region_id: int) -> bool:
    """can_manage_facility on ids alone, for hot paths that load no Facility rows."""
    if user.is_national_admin:
        return True
    if user.role == Role.REGIONAL_ADMIN:
        return user.regional_office_id == region_id
    if user.role == Role.FACILITY_HEAD:
        return user.facility_id == facility_id
    return False


def can_view_signature(user: User, signature) -> bool:
    """The signer, and the managers of the UPT where it was signed or where the signer now works."""
    if signature.employee.user_id is not None and signature.employee.user_id == user.pk:
        return True
    return _manages(user, signature.facility_id, signature.facility.regional_office_id) or _manages(
        user, signature.employee.facility_id, signature.employee.facility.regional_office_id
    )


def can_revoke_signature(user: User, signature) -> bool:
    """Revoking is an admin's act (Kanwil or national), never the signer's or the UPT head's."""
    return can_administer_facility(user, signature.facility)


def get_signature_for_user(user: User, pk: int, *, lean: bool = False):
    """The signature if the user may see it; 404 otherwise.

    `lean` loads only what the access check and the stored-file download need
    (the download is the hot path: one narrow query).
    """
    from pledges.models import Signature

    queryset = Signature.objects.select_related(
        "employee__facility__regional_office", "facility__regional_office", "campaign__period", "text"
    )
    if lean:
        queryset = Signature.objects.select_related("employee__facility", "facility").only(
            "certificate",
            "certificate_sha256",
            "signer_identifier",
            "campaign_id",
            "verification_code",
            "facility__regional_office_id",
            "employee__user_id",
            "employee__facility__regional_office_id",
        )
    try:
        signature = queryset.get(pk=pk)
    except Signature.DoesNotExist:
        raise Http404 from None
    if not can_view_signature(user, signature):
        raise Http404
    return signature


def get_signable_campaign(user: User, employee: Employee | None, pk: int):
    """A campaign the user signs as `employee` (their own record): it must cover their UPT; 404 otherwise."""
    from pledges.models import Campaign

    if employee is None or not employee.is_active or employee.user_id != user.pk:
        raise Http404
    try:
        campaign = Campaign.objects.select_related("text").get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None
    if not campaign.covers(employee.facility):
        raise Http404
    return campaign


# --- Violation reports ---------------------------------------------------------
# Handlers are the task force of the facility concerned and the admins of its
# region and the nation; nobody else, facility heads included, sees a report
# unless they are also a current member of that task force.
#
# Decided when the report is read, from the facts of that moment, in SQL (so
# that the list, its counts, the export and the case page agree):
# - the reported person never sees the report, in any role they hold now or
#   later (task force, head, Kanwil, national);
# - while the reported person is the facility's head or a current member of its
#   active task force, the report is the regional office's alone: the task
#   force loses it the moment that becomes true and gets it back when it stops,
#   unless the regional office decided otherwise (Report.handling).


def reported_person_in_charge() -> Q:
    """The report's reported employee is now its facility's head (Facility.head or a head login of that
    facility) or a current member of the facility's active task force. Exists() only: never NULL."""
    from satgas.models import Membership, TaskForce

    head = Facility.objects.filter(pk=OuterRef("facility_id"), head_id=OuterRef("reported_employee_id"))
    head_login = Employee.objects.filter(
        pk=OuterRef("reported_employee_id"), user__role=Role.FACILITY_HEAD, user__facility_id=OuterRef("facility_id")
    )
    member = Membership.objects.current().filter(
        employee_id=OuterRef("reported_employee_id"),
        task_force__facility_id=OuterRef("facility_id"),
        task_force__state__in=[TaskForce.State.APPOINTED, TaskForce.State.INAUGURATED],
    )
    return Q(Exists(head)) | Q(Exists(head_login)) | Q(Exists(member))


def report_for_region_only() -> Q:
    """Reports the task force may not handle now: the regional office keeps them, or the rule applies."""
    from reports.models import Handling

    return Q(handling=Handling.REGION) | (~Q(handling=Handling.TASK_FORCE) & reported_person_in_charge())


@dataclass
class ReportedPersonFacts:
    """What the regional office sees on a case about the reported person's place, now and over time."""

    employee: Employee
    is_head: bool
    memberships: list  # the person's task force memberships at the report's facility, oldest first
    in_charge: bool  # head or current member of the active task force: the rule keeps the case at the Kanwil


def reported_person_facts(report) -> ReportedPersonFacts | None:
    """The facts `reported_person_in_charge` reads in SQL, for the case page (one query for memberships)."""
    from satgas.models import Membership

    employee = report.reported_employee
    if employee is None:
        return None
    user = employee.user if employee.user_id is not None else None
    is_head = report.facility.head_id == employee.pk or (
        user is not None and user.role == Role.FACILITY_HEAD and user.facility_id == report.facility_id
    )
    memberships = list(
        Membership.objects.filter(employee=employee, task_force__facility_id=report.facility_id)
        .select_related("task_force__period")
        .order_by("start_date", "pk")
    )
    serving = any(m.is_current and m.task_force.is_active for m in memberships)
    return ReportedPersonFacts(
        employee=employee, is_head=is_head, memberships=memberships, in_charge=is_head or serving
    )


def _about(user: User) -> Exists:
    return Exists(Employee.objects.filter(pk=OuterRef("reported_employee_id"), user_id=user.pk))


def visible_reports(user: User) -> QuerySet:
    from reports.models import Report

    if not user.is_authenticated:
        return Report.objects.none()
    if user.is_national_admin:
        return Report.objects.exclude(_about(user))
    scope = Q(pk__in=[])
    if user.role == Role.REGIONAL_ADMIN:
        scope |= Q(facility__regional_office_id=user.regional_office_id)
    facility_ids = task_force_facility_ids(user)
    if facility_ids:
        scope |= Q(facility_id__in=facility_ids) & ~report_for_region_only()
    return Report.objects.filter(scope).exclude(_about(user))


def can_handle_reports(user: User) -> bool:
    """Whether the user has a report inbox at all (not whether it holds anything)."""
    if not user.is_authenticated:
        return False
    return user.is_national_admin or user.role == Role.REGIONAL_ADMIN or bool(task_force_facility_ids(user))


def can_handle_facility_reports(user: User, facility: Facility) -> bool:
    return can_manage_region(user, facility.regional_office) or is_task_force_member(user, facility)


def report_filter_facilities(user: User) -> QuerySet[Facility]:
    """UPTs a handler may filter their report list by."""
    if user.is_national_admin:
        return Facility.objects.all()
    if user.role == Role.REGIONAL_ADMIN:
        return Facility.objects.filter(regional_office_id=user.regional_office_id)
    return Facility.objects.filter(pk__in=task_force_facility_ids(user))


def get_report_for_user(user: User, pk: int):
    from reports.models import Report

    try:
        return (
            visible_reports(user)
            .select_related("facility__regional_office", "reported_employee__user", "handling_decided_by")
            .with_overdue()
            .with_region_only()
            .get(pk=pk)
        )
    except Report.DoesNotExist:
        raise Http404 from None


def can_see_reporter_identity(user: User, report) -> bool:
    """The reporter's name and contact, when given, are for the regional office (and the nation) only."""
    return can_manage_region(user, report.facility.regional_office)


def can_view_report_recap(user: User) -> bool:
    return user.is_authenticated and (user.is_national_admin or user.role == Role.REGIONAL_ADMIN)


def report_recap_scope(user: User) -> QuerySet:
    """Reports counted in the recap: the admin's own case list. A count per UPT that included a report
    about the admin would tell them, next to their list, that one is hidden from them."""
    from reports.models import Report

    if user.is_national_admin:
        return Report.objects.exclude(_about(user))
    if user.is_authenticated and user.role == Role.REGIONAL_ADMIN:
        return Report.objects.filter(facility__regional_office_id=user.regional_office_id).exclude(_about(user))
    return Report.objects.none()


def can_decide_report_handling(user: User, report) -> bool:
    """Who handles a case (the rule, the task force, or the Kanwil alone) is the regional office's call."""
    return can_manage_region(user, report.facility.regional_office)


def can_pick_reported_from_roster(user: User, facility: Facility) -> bool:
    """Staff filing from inside the app may pick the reported person from their own UPT's roster; the
    public form lists no one."""
    if not user.is_authenticated:
        return False
    employee = getattr(user, "employee", None)
    return employee is not None and employee.is_active and employee.facility_id == facility.pk
