"""Who has signed: counted in the database, one aggregate query per table.

Completion counts active employees by their current UPT; an employee has
signed when they hold a valid (not revoked) signature for the campaign,
online or on paper.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import Column, Sheet, xlsx_response
from facilities.models import Facility, RegionalOffice
from pledges.models import Campaign, Signature


def rate(signed: int, total: int) -> float:
    return round(signed * 100 / total, 1) if total else 0.0


def employee_rows(campaign: Campaign, facility: Facility) -> QuerySet:
    """Active staff of the UPT with their valid signature (if any) as annotations."""
    valid = Signature.objects.filter(campaign=campaign, employee=OuterRef("pk"), revoked_at__isnull=True)
    return facility.employees.active().annotate(
        signature_id=Subquery(valid.values("pk")[:1]),
        signature_at=Subquery(valid.values("signed_at")[:1]),
        signature_method=Subquery(valid.values("method")[:1]),
    )


def facility_totals(campaign: Campaign, facility: Facility) -> dict:
    totals = employee_rows(campaign, facility).aggregate(total=Count("pk"), signed=Count("signature_id"))
    totals["unsigned"] = totals["total"] - totals["signed"]
    totals["rate"] = rate(totals["signed"], totals["total"])
    return totals


def _signed_filter(campaign: Campaign, prefix: str) -> Q:
    return Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}pledge_signatures__campaign": campaign,
            f"{prefix}pledge_signatures__revoked_at__isnull": True,
        }
    )


def facilities_of_region(campaign: Campaign, region: RegionalOffice) -> list[Facility]:
    rows = list(
        Facility.objects.filter(regional_office=region, is_active=True)
        .filter(campaign.facility_q())
        .annotate(
            total=Count("employees", filter=Q(employees__is_active=True), distinct=True),
            signed=Count("employees__pledge_signatures", filter=_signed_filter(campaign, "employees__"), distinct=True),
        )
        .order_by("name")
    )
    for row in rows:
        row.rate = rate(row.signed, row.total)
        row.unsigned = row.total - row.signed
    return rows


def regions(campaign: Campaign, queryset: QuerySet[RegionalOffice]) -> list[RegionalOffice]:
    in_scope = campaign.facility_q("facilities__") & Q(facilities__is_active=True)
    rows = list(
        queryset.annotate(
            facility_count=Count("facilities", filter=in_scope, distinct=True),
            total=Count(
                "facilities__employees", filter=in_scope & Q(facilities__employees__is_active=True), distinct=True
            ),
            signed=Count(
                "facilities__employees__pledge_signatures",
                filter=in_scope & _signed_filter(campaign, "facilities__employees__"),
                distinct=True,
            ),
        )
        .filter(facility_count__gt=0)
        .order_by("province")
    )
    for row in rows:
        row.rate = rate(row.signed, row.total)
        row.unsigned = row.total - row.signed
    return rows


def export_response(campaign: Campaign, facility: Facility, rows: QuerySet) -> HttpResponse:
    """The completion list as .xlsx (core/spreadsheets.py), streamed row by row from the database."""
    methods = dict(Signature.Method.choices)
    columns = [
        Column(_("No."), 5),
        Column(_("Nama"), 36),
        # Identifiers are text: Excel must never turn an 18-digit NIP into a float.
        Column(_("NIP / NI PPPK / NIK"), 22, text=True),
        Column(_("Jenis pegawai"), 16),
        Column(_("Golongan"), 10),
        Column(_("Jabatan"), 34),
        Column(_("Status"), 10),
        Column(_("Cara"), 10),
        Column(_("Waktu tanda tangan (WIB)"), 22),
    ]
    lines = (
        [
            number,
            employee.name,
            employee.identifier,
            employee.get_employment_type_display(),
            employee.rank,
            employee.position,
            _("Sudah") if employee.signature_id is not None else _("Belum"),
            methods.get(employee.signature_method, "") if employee.signature_id is not None else "",
            employee.signature_at if employee.signature_id is not None else None,
        ]
        for number, employee in enumerate(rows.iterator(chunk_size=500), start=1)
    )
    preamble = [
        [f"{campaign.name} — {facility.name}"],
        [_("Diunduh %(when)s WIB") % {"when": timezone.localtime().strftime("%d-%m-%Y %H:%M")}],
        [],
    ]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        f"pakta-{campaign.pk}-upt-{facility.pk}-{stamp}.xlsx", Sheet(_("Pakta"), columns, lines, preamble=preamble)
    )
