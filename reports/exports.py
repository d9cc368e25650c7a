"""Excel exports of the handler's report list and of the regional recap."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from reports.recap import RecapTable


def _workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _bold_header(sheet) -> None:
    from openpyxl.styles import Font

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def report_list_workbook(reports) -> bytes:
    """One row per report, without the reporter's identity (the list is for every handler)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Laporan")
    sheet.append(
        [
            _("Nomor"),
            _("Diterima"),
            _("UPT"),
            _("Terlapor"),
            _("Bentuk pelanggaran"),
            _("Jenis pemilihan"),
            _("Tanggal kejadian"),
            _("Status"),
            _("Terlambat"),
        ]
    )
    _bold_header(sheet)
    for report in reports:
        sheet.append(
            [
                report.reference,
                timezone.localtime(report.created_at).strftime("%Y-%m-%d %H:%M"),
                report.facility.name,
                report.reported_label,
                report.get_category_display(),
                report.get_election_type_display(),
                report.occurred_on,
                report.get_state_display(),
                _("Ya") if report.is_overdue else _("Tidak"),
            ]
        )
    for column, width in zip("ABCDEFGHI", (16, 17, 34, 40, 50, 14, 14, 14, 10), strict=True):
        sheet.column_dimensions[column].width = width
    return _workbook_bytes(workbook)


def recap_workbook(table: RecapTable) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rekap")
    sheet.append(
        [_("Kanwil"), _("UPT"), _("Jumlah"), _("Terbuka"), _("Terlambat")] + [code for code, _label in table.categories]
    )
    _bold_header(sheet)
    for row in table.rows:
        sheet.append(
            [row["facility__regional_office__name"], row["facility__name"], row["total"], row["open"], row["overdue"]]
            + row["by_category"]
        )
    totals = table.totals
    sheet.append(["", _("Jumlah"), totals["total"], totals["open"], totals["overdue"]] + totals["by_category"])
    legend = workbook.create_sheet(_("Keterangan"))
    legend.append([_("Kode"), _("Bentuk pelanggaran")])
    for code, label in table.categories:
        legend.append([code, str(label)])
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 40
    legend.column_dimensions["B"].width = 90
    return _workbook_bytes(workbook)
