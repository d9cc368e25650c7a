"""Organisation figures: staff and UPT counts shown on the dashboard, the UPT list and the roster page."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from accounts.notify import without_email
from facilities.models import Employee, EmploymentType, Facility, RegionalOffice


def region_summaries(regions: QuerySet[RegionalOffice]) -> QuerySet[RegionalOffice]:
    """Each Kanwil with its number of UPTs (`facility_count`) and of active staff (`staff_count`)."""
    return regions.annotate(
        facility_count=Count("facilities", distinct=True),
        staff_count=Count("facilities__employees", filter=Q(facilities__employees__is_active=True)),
    )


def with_staff_count(facilities: QuerySet[Facility]) -> QuerySet[Facility]:
    """Each UPT with its number of active staff (`staff_count`)."""
    return facilities.annotate(staff_count=Count("employees", filter=Q(employees__is_active=True)))


def roster_counts(facility: Facility) -> dict[str, int]:
    """The UPT's active staff: all, ASN (PNS and PPPK), those with a login, and those whose login
    no email reaches (accounts.notify skips them, so they get no notifications); one query."""
    return facility.employees.active().aggregate(
        total=Count("pk"),
        asn=Count("pk", filter=~Q(employment_type=EmploymentType.PPNPN)),
        with_account=Count("pk", filter=Q(user__isnull=False)),
        without_email=Count("pk", filter=Q(user__in=without_email(User.objects.all()))),
    )


def staff_counts(facilities: QuerySet[Facility]) -> dict[int, int]:
    """Active staff per UPT (the recap's "staff counted"), one grouped query; UPTs without staff absent."""
    rows = (
        Employee.objects.filter(facility__in=facilities, is_active=True)
        .order_by()
        .values("facility_id")
        .annotate(n=Count("pk"))
    )
    return {row["facility_id"]: row["n"] for row in rows}
