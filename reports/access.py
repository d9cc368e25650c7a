"""Who may see and handle violation reports.

Handlers are the task force of the facility concerned and the admins of its
region and the nation; nobody else, facility heads included, sees a report
unless they are also a current member of that task force (satgas.access
decides membership: the one dependency of this app on another domain app).

Decided when the report is read, from the facts of that moment, in SQL (so
that the list, its counts, the export and the case page agree):
- the reported person never sees the report, in any role they hold now or
  later (task force, head, Kanwil, national);
- while the reported person is the facility's head or a current member of its
  active task force, the report is the regional office's alone: the task
  force loses it the moment that becomes true and gets it back when it stops,
  unless the regional office decided otherwise (Report.handling).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from accounts.models import Role, User
from accounts.scope import region_admins, scope_of
from facilities import access as facilities_access
from facilities.models import Employee, Facility
from reports.models import Handling, Report
from satgas import access as satgas_access


def reported_person_is_head() -> Q:
    """The report's reported employee is now its facility's head (Facility.head or a head login of that
    facility). Exists() only: never NULL."""
    head = Facility.objects.filter(pk=OuterRef("facility_id"), head_id=OuterRef("reported_employee_id"))
    head_login = Employee.objects.filter(
        pk=OuterRef("reported_employee_id"), user__role=Role.FACILITY_HEAD, user__facility_id=OuterRef("facility_id")
    )
    return Q(Exists(head)) | Q(Exists(head_login))


def reported_person_in_charge() -> Q:
    """The report's reported employee is now its facility's head (`reported_person_is_head`) or a current
    member of the facility's active task force. Exists() only: never NULL."""
    member = satgas_access.serving_memberships().filter(
        employee_id=OuterRef("reported_employee_id"),
        task_force__facility_id=OuterRef("facility_id"),
    )
    return reported_person_is_head() | Q(Exists(member))


def report_for_region_only() -> Q:
    """Reports the task force may not handle now: the regional office keeps them, or the rule applies."""
    return Q(handling=Handling.REGION) | (~Q(handling=Handling.TASK_FORCE) & reported_person_in_charge())


@dataclass
class ReportedPersonFacts:
    """What the regional office sees on a case about the reported person's place, now and over time."""

    employee: Employee
    is_head: bool
    memberships: list  # the person's task force memberships at the report's facility, oldest first
    in_charge: bool  # head or current member of the active task force: the rule keeps the case at the Kanwil


def reported_person_facts(report: Report) -> ReportedPersonFacts | None:
    """The facts `reported_person_in_charge` reads in SQL, for the case page (one query for memberships)."""
    employee = report.reported_employee
    if employee is None:
        return None
    user = employee.user if employee.user_id is not None else None
    is_head = report.facility.head_id == employee.pk or (
        user is not None and user.role == Role.FACILITY_HEAD and user.facility_id == report.facility_id
    )
    memberships = satgas_access.memberships_at(employee, report.facility_id)
    serving = any(m.is_current and m.task_force.is_active for m in memberships)
    return ReportedPersonFacts(
        employee=employee, is_head=is_head, memberships=memberships, in_charge=is_head or serving
    )


def _about(user: User) -> Exists:
    return Exists(Employee.objects.filter(pk=OuterRef("reported_employee_id"), user_id=user.pk))


def visible_reports(user: User) -> QuerySet[Report]:
    scope = scope_of(user)
    if scope.user_id is None:
        return Report.objects.none()
    if scope.national:
        return Report.objects.exclude(_about(user))
    allowed = Q(pk__in=[])
    if scope.region_id is not None:
        allowed |= Q(facility__regional_office_id=scope.region_id)
    facility_ids = satgas_access.task_force_facility_ids(user)
    if facility_ids:
        allowed |= Q(facility_id__in=facility_ids) & ~report_for_region_only()
    return Report.objects.filter(allowed).exclude(_about(user))


def handlers_by_report(reports: QuerySet[Report]) -> dict[int, set[int]]:
    """Who handles each of these reports now, as active user ids by report id: `visible_reports` read
    the other way, for telling handlers that a case needs them.

    The UPT's task force (its acting members with a login) unless the case is the Kanwil's alone
    (`report_for_region_only`); then, or when nobody on the task force can act on it (no active
    task force, no member with a login), the Kanwil's admins, who see every case of their region, so
    that no report goes unannounced. Never the reported person (`_about`). The national admin sees
    every report but is not the one to act on it, and is not told. Three queries for any number of
    reports.
    """
    rows = list(
        reports.with_region_only()
        .order_by()
        .values_list("pk", "facility_id", "facility__regional_office_id", "region_only", "reported_employee__user_id")
    )
    if not rows:
        return {}
    members: dict[int, set[int]] = defaultdict(set)
    serving = satgas_access.acting_memberships().filter(
        task_force__facility_id__in={row[1] for row in rows}, employee__user__is_active=True
    )
    for facility_id, user_id in serving.values_list("task_force__facility_id", "employee__user_id"):
        members[facility_id].add(user_id)
    admins: dict[int, set[int]] = defaultdict(set)
    for region_id, user_id in (
        region_admins({row[2] for row in rows}).filter(is_active=True).values_list("regional_office_id", "pk")
    ):
        admins[region_id].add(user_id)
    handlers = {}
    for pk, facility_id, region_id, region_only, reported_user_id in rows:
        task_force = set() if region_only else members[facility_id] - {reported_user_id}
        handlers[pk] = task_force or admins[region_id] - {reported_user_id}
    return handlers


def report_handlers(report: Report) -> set[int]:
    """The user ids who handle one report now (`handlers_by_report`)."""
    return handlers_by_report(Report.objects.filter(pk=report.pk)).get(report.pk, set())


def can_handle_reports(user: User) -> bool:
    """Whether the user has a report inbox at all (not whether it holds anything)."""
    scope = scope_of(user)
    if scope.user_id is None:
        return False
    return scope.national or scope.region_id is not None or bool(satgas_access.task_force_facility_ids(user))


def can_handle_facility_reports(user: User, facility: Facility) -> bool:
    return facilities_access.can_manage_region(user, facility.regional_office) or satgas_access.is_task_force_member(
        user, facility
    )


def report_filter_facilities(user: User) -> QuerySet[Facility]:
    """UPTs a handler may filter their report list by."""
    scope = scope_of(user)
    if scope.national or scope.region_id is not None:
        return facilities_access.managed_facilities(user)
    return Facility.objects.filter(pk__in=satgas_access.task_force_facility_ids(user))


def get_report_for_user(user: User, pk: int) -> Report:
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


def can_see_reporter_identity(user: User, report: Report) -> bool:
    """The reporter's name and contact, when given, are for the regional office (and the nation) only."""
    return facilities_access.can_manage_region(user, report.facility.regional_office)


def can_view_report_recap(user: User) -> bool:
    scope = scope_of(user)
    return scope.national or scope.region_id is not None


def report_recap_scope(user: User) -> QuerySet[Report]:
    """Reports counted in the recap: the admin's own case list. A count per UPT that included a report
    about the admin would tell them, next to their list, that one is hidden from them."""
    scope = scope_of(user)
    if scope.national:
        return Report.objects.exclude(_about(user))
    if scope.region_id is not None:
        return Report.objects.filter(facility__regional_office_id=scope.region_id).exclude(_about(user))
    return Report.objects.none()


def can_see_facility_report_counts(user: User) -> bool:
    """A Kepala UPT sees how many reports about their UPT are in each state (the dashboard), nothing more."""
    return scope_of(user).facility_id is not None


def facility_report_count_scope(user: User) -> QuerySet[Report]:
    """Reports a Kepala UPT sees counted by state (docs/domain.md §6), never opened: their UPT's reports
    that its task force may see now (not `report_for_region_only`), less any that names the head
    (`reported_person_is_head`, even where the Kanwil let the task force handle it) or the user (`_about`).

    A report the UPT's handlers may not see is left out of the count as well as out of their inbox, so
    that the figure cannot tell the head that a report about them, or about the task force, exists.
    """
    scope = scope_of(user)
    if scope.facility_id is None:
        return Report.objects.none()
    return (
        Report.objects.filter(facility_id=scope.facility_id)
        .exclude(report_for_region_only())
        .exclude(reported_person_is_head())
        .exclude(_about(user))
    )


def can_decide_report_handling(user: User, report: Report) -> bool:
    """Who handles a case (the rule, the task force, or the Kanwil alone) is the regional office's call."""
    return facilities_access.can_manage_region(user, report.facility.regional_office)


def can_pick_reported_from_roster(user: User, facility: Facility) -> bool:
    """Staff filing from inside the app may pick the reported person from their own UPT's roster; the
    public form lists no one."""
    employee = facilities_access.own_employee(user)
    return employee is not None and employee.is_active and employee.facility_id == facility.pk


def can_file_from_inside(user: User) -> bool:
    """Whether the navigation offers a logged-in user the report form: anyone with a roster record."""
    return facilities_access.own_employee(user) is not None


def hidden_audit_events(user: User) -> Q:
    """Audit events of cases the user may not open (accounts.audit.events_visible_to applies it, e.g. in
    the Django admin's audit log, where a superuser who is the reported person must find nothing)."""
    if not user.is_authenticated:
        return Q(object_type="reports.report")
    visible = visible_reports(user).annotate(key=Cast("pk", CharField())).values("key")
    return Q(object_type="reports.report") & ~Q(object_id__in=visible)
