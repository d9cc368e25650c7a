"""Completion as .xlsx (core/spreadsheets.py): one UPT's list, streamed row by row from the database, and a
Kanwil's table of UPTs (pledges.selectors.region_completion, the figures of its page)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import Column, Sheet, choice_labels, downloaded_line, row_number_column, xlsx_response
from facilities.models import Employee, Facility, RegionalOffice
from pledges.models import Campaign, Signature


def completion_response(campaign: Campaign, facility: Facility, rows: QuerySet) -> HttpResponse:
    """`rows` come from selectors.employee_rows (filtered as on the page)."""
    methods = dict(Signature.Method.choices)
    columns = [
        row_number_column(),
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
    types = choice_labels(Employee, "employment_type")
    status = {True: _("Sudah"), False: _("Belum")}
    # Plain values: an Employee per row only to read a few fields cost more than writing its cells.
    values = rows.values_list(
        "name", "identifier", "employment_type", "rank", "position", "signature_id", "signature_method", "signature_at"
    )
    lines = (
        [
            number,
            name,
            identifier,
            types.get(kind, kind),
            rank,
            position,
            status[signature_id is not None],
            methods.get(method, "") if signature_id is not None else "",
            signed_at if signature_id is not None else None,
        ]
        for number, (name, identifier, kind, rank, position, signature_id, method, signed_at) in enumerate(
            values.iterator(chunk_size=500), start=1
        )
    )
    preamble = [
        [f"{campaign.name} — {facility.name}"],
        downloaded_line(),
        [],
    ]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        f"pakta-{campaign.pk}-upt-{facility.pk}-{stamp}.xlsx", Sheet(_("Pakta"), columns, lines, preamble=preamble)
    )


def region_completion_response(campaign: Campaign, region: RegionalOffice, rows: list, totals: dict) -> HttpResponse:
    """`rows` and `totals` come from selectors.region_completion, as on the region's page; the rate is a
    number (percent, one decimal), the last line the region's totals."""
    columns = [
        row_number_column(),
        Column(_("UPT"), 42),
        Column(_("Pegawai aktif"), 14),
        Column(_("Sudah"), 10),
        Column(_("Belum"), 10),
        Column(_("Tingkat (%)"), 12),
    ]
    lines = [[number, row.name, row.total, row.signed, row.unsigned, row.rate] for number, row in enumerate(rows, 1)]
    lines.append(
        [None, _("Jumlah"), totals["total"], totals["signed"], totals["total"] - totals["signed"], totals["rate"]]
    )
    preamble = [
        [f"{campaign.name} — {region.name}"],
        downloaded_line(),
        [],
    ]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        f"pakta-{campaign.pk}-kanwil-{region.pk}-{stamp}.xlsx",
        Sheet(_("Pakta per UPT"), columns, lines, preamble=preamble),
    )
