"""Organisation figures: staff and UPT counts shown on the dashboard, the UPT list and the roster page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.notify import without_email
from core import snapshots
from facilities.models import Employee, EmploymentType, Facility, RegionalOffice


def region_summaries(regions: QuerySet[RegionalOffice]) -> QuerySet[RegionalOffice]:
    """Each Kanwil with its number of UPTs (`facility_count`) and of active staff (`staff_count`)."""
    # Each figure in its own subquery per Kanwil: no COUNT(DISTINCT) over the join of every UPT with every
    # employee (issue 13).
    return regions.annotate(
        facility_count=_count(Facility.objects.filter(regional_office=OuterRef("pk")), "regional_office"),
        staff_count=_count(
            Employee.objects.filter(is_active=True, facility__regional_office=OuterRef("pk")),
            "facility__regional_office",
        ),
    )


def national_region_summaries() -> tuple[list[RegionalOffice], dt.datetime]:
    """Every Kanwil's summary for the national dashboard, counted at most NATIONAL_FIGURES_MAX_AGE seconds ago
    (core.snapshots): counting 60,000 staff per Kanwil costs ~20 ms. A Kanwil's own dashboard counts live."""
    return snapshots.national(
        "facilities.region_summaries", lambda: list(region_summaries(RegionalOffice.objects.all()))
    )


def _count(rows: QuerySet, group: str) -> Coalesce:
    """The number of `rows` (correlated to the outer row through `group`), 0 when there are none."""
    return Coalesce(
        Subquery(rows.order_by().values(group).annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()
    )


def with_staff_count(facilities: Iterable[Facility]) -> list[Facility]:
    """The given UPTs (a page of a list) as a list, each with its number of active staff (`staff_count`):
    one query over those UPTs' staff only, so paginate first and count the page."""
    facilities = list(facilities)
    counts = (
        dict(
            Employee.objects.filter(facility__in=[f.pk for f in facilities], is_active=True)
            .order_by()
            .values("facility")
            .annotate(n=Count("pk"))
            .values_list("facility", "n")
        )
        if facilities
        else {}
    )
    for facility in facilities:
        facility.staff_count = counts.get(facility.pk, 0)
    return facilities


def roster_counts(facility: Facility) -> dict[str, int]:
    """The UPT's active staff: all, ASN (PNS and PPPK), those with a login, and those whose login
    no email reaches (accounts.notify skips them, so they get no notifications); one query."""
    return facility.employees.active().aggregate(
        total=Count("pk"),
        asn=Count("pk", filter=~Q(employment_type=EmploymentType.PPNPN)),
        with_account=Count("pk", filter=Q(user__isnull=False)),
        # The rule over this UPT's logins only: over every user PostgreSQL hashes the whole user table first.
        without_email=Count("pk", filter=Q(user__in=without_email(User.objects.filter(employee__facility=facility)))),
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
