"""Who has signed: counted in the database, one aggregate query per table.

Completion counts active employees by their current UPT; an employee has
signed when they hold a valid (not revoked) signature for the campaign,
online or on paper.
"""

from __future__ import annotations

import io

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_workbook(campaign: Campaign, facility: Facility, rows: QuerySet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Pakta")[:31]
    sheet.append([f"{campaign.name} — {facility.name}"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([_("Diunduh %(when)s WIB") % {"when": timezone.localtime().strftime("%d-%m-%Y %H:%M")}])
    sheet.append([])
    headers = [
        _("No"),
        _("Nama"),
        _("NIP / NI PPPK / NIK"),
        _("Jenis pegawai"),
        _("Golongan"),
        _("Jabatan"),
        _("Status"),
        _("Cara"),
        _("Waktu tanda tangan (WIB)"),
    ]
    sheet.append(headers)
    fill = PatternFill("solid", fgColor="DDE7F3")
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.fill = fill
    methods = dict(Signature.Method.choices)
    for number, employee in enumerate(rows.iterator(chunk_size=500), start=1):
        signed = employee.signature_id is not None
        when = timezone.localtime(employee.signature_at) if signed else None
        sheet.append(
            [
                number,
                employee.name,
                employee.identifier,
                employee.get_employment_type_display(),
                employee.rank,
                employee.position,
                _("Sudah") if signed else _("Belum"),
                str(methods.get(employee.signature_method, "")) if signed else "",
                when.strftime("%d-%m-%Y %H:%M") if when else "",
            ]
        )
        # Identifiers are text: Excel must never turn an 18-digit NIP into a float.
        sheet.cell(row=sheet.max_row, column=3).number_format = "@"
    for index, width in enumerate([5, 36, 22, 16, 10, 34, 10, 10, 22], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A5"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
