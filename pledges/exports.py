"""The completion list of one UPT as .xlsx (core/spreadsheets.py), streamed row by row from the database."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.spreadsheets import Column, Sheet, choice_labels, xlsx_response
from facilities.models import Employee, Facility
from pledges.models import Campaign, Signature


def completion_response(campaign: Campaign, facility: Facility, rows: QuerySet) -> HttpResponse:
    """`rows` come from selectors.employee_rows (filtered as on the page)."""
    methods = dict(Signature.Method.choices)
    columns = [
        # "No." alone is ambiguous to translators and catalogues: Django's Indonesian one turns
        # "No" into "Tidak". The context says it is the row number.
        Column(pgettext("row number", "No."), 5),
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
    lines = (
        [
            number,
            employee.name,
            employee.identifier,
            types.get(employee.employment_type, employee.employment_type),
            employee.rank,
            employee.position,
            status[employee.signature_id is not None],
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
