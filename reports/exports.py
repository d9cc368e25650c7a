"""Excel exports of the handler's report list and of the regional recap (core/spreadsheets.py)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import Column, Sheet, choice_labels, xlsx_response
from reports.models import Report
from reports.selectors import RecapTable


def report_list_response(reports) -> HttpResponse:
    """One row per report, without the reporter's identity (the list is for every handler)."""
    columns = [
        Column(_("Nomor"), 16),
        Column(_("Diterima"), 17),
        Column(_("UPT"), 34),
        Column(_("Terlapor"), 40),
        Column(_("Bentuk pelanggaran"), 50),
        Column(_("Jenis pemilihan"), 14),
        Column(_("Tanggal kejadian"), 14),
        Column(_("Status"), 14),
        Column(_("Terlambat"), 10),
    ]
    categories = choice_labels(Report, "category")
    election_types = choice_labels(Report, "election_type")
    states = choice_labels(Report, "state")
    late = {True: _("Ya"), False: _("Tidak")}
    # Plain values, not model instances: building three objects per report took half the time of an export.
    values = reports.values_list(
        "pk",
        "created_at",
        "facility__name",
        "reported_employee__name",
        "reported_employee__position",
        "reported_description",
        "category",
        "election_type",
        "occurred_on",
        "state",
        "is_overdue",
    )
    rows = (
        [
            Report.reference_of(pk, created_at),
            created_at,
            facility,
            Report.reported_label_of(name, position, description),
            categories.get(category, category),
            election_types.get(election_type, election_type),
            occurred_on,
            states.get(state, state),
            late[bool(is_overdue)],
        ]
        for (
            pk,
            created_at,
            facility,
            name,
            position,
            description,
            category,
            election_type,
            occurred_on,
            state,
            is_overdue,
        ) in values.iterator(chunk_size=2000)
    )
    return xlsx_response(f"laporan-{timezone.localdate():%Y%m%d}.xlsx", Sheet(_("Laporan"), columns, rows))


def recap_response(table: RecapTable) -> HttpResponse:
    columns = [Column(_("Kanwil"), 34), Column(_("UPT"), 40), Column(_("Jumlah")), Column(_("Terbuka"))]
    # The forms of violation by their names (the codes meant nothing to a reader).
    columns += [Column(_("Terlambat"))] + [Column(str(label), 30) for _code, label in table.categories]
    rows = [
        [row["facility__regional_office__name"], row["facility__name"], row["total"], row["open"], row["overdue"]]
        + row["by_category"]
        for row in table.rows
    ]
    totals = table.totals
    rows.append(["", _("Jumlah"), totals["total"], totals["open"], totals["overdue"]] + totals["by_category"])
    return xlsx_response(f"rekap-laporan-{timezone.localdate():%Y%m%d}.xlsx", Sheet(_("Rekap"), columns, rows))
