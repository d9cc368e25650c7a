"""Roster files (.xlsx / .csv): reading, checking row by row, and planning the changes.

Reading and checking never touch the database; `plan()` compares the checked
rows with the employees already stored, so the preview and the apply step
see the same decisions.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import Column, Sheet, choice_labels, xlsx_response
from facilities.identifiers import normalize
from facilities.models import IDENTIFIER_RULES, Employee, EmploymentType, Facility

MAX_ROWS = 5000
# The csv module refuses a cell over 128 KB with an exception. A cell can be no larger than the
# uploaded file (5 MB at most, facilities.forms.ROSTER_MAX_BYTES), so the file's size limit is
# the bound that matters; a long cell then gets its row error ("Nama lebih dari 200 karakter").
# The limit is the process's, and this is the only CSV reader of the project.
CSV_FIELD_MAX_CHARS = 8 * 1024 * 1024
if csv.field_size_limit() < CSV_FIELD_MAX_CHARS:
    csv.field_size_limit(CSV_FIELD_MAX_CHARS)

# Column key → header shown in the template, and the headers accepted for it.
COLUMNS = {
    "name": ("Nama", {"nama", "nama lengkap", "nama pegawai", "nama dengan gelar"}),
    "employment_type": ("Jenis Pegawai", {"jenis pegawai", "jenis", "status kepegawaian", "status pegawai"}),
    "identifier": (
        "NIP/NI PPPK/NIK",
        {"nip/ni pppk/nik", "nip", "nik", "ni pppk", "nomor induk", "nip/nik", "nip / ni pppk / nik"},
    ),
    "rank": ("Pangkat/Golongan", {"pangkat/golongan", "golongan", "pangkat", "gol", "pangkat / golongan"}),
    "position": ("Jabatan", {"jabatan", "jabatan pegawai"}),
}
REQUIRED = ("name", "employment_type", "identifier")
TYPE_ALIASES = {
    "pns": EmploymentType.PNS,
    "cpns": EmploymentType.CPNS,
    "pppk": EmploymentType.PPPK,
    "pppk paruh waktu": EmploymentType.PPPK_PW,
    "pppk pw": EmploymentType.PPPK_PW,
    "ppnpn": EmploymentType.PPNPN,
    "non asn": EmploymentType.PPNPN,
    "non-asn": EmploymentType.PPNPN,
    "honorer": EmploymentType.PPNPN,
    "ppnpn / non-asn": EmploymentType.PPNPN,
}
UPDATABLE = ("name", "employment_type", "rank", "position")


class RosterFileError(Exception):
    """The file as a whole cannot be read (no header, wrong columns, too many rows)."""


@dataclass
class RowResult:
    row: int
    data: dict
    errors: list[dict] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append({"column": column, "message": message})


def _read_rows(content: bytes, kind: str) -> list[list[str]]:
    if kind == "xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:
            raise RosterFileError(_("Berkas Excel tidak dapat dibaca; simpan ulang sebagai .xlsx.")) from None
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        workbook.close()
        return rows
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterFileError(_("Berkas CSV tidak dapat dibaca sebagai teks; simpan ulang sebagai CSV UTF-8."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # newline="": line breaks inside quoted cells stay part of the cell, as the csv module expects.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise RosterFileError(
            _("Baris %(row)d berkas CSV tidak dapat dibaca (%(error)s); simpan ulang berkas dari Excel sebagai CSV.")
            % {"row": reader.line_num, "error": exc}
        ) from None
    return rows


# Excel keeps numbers to 15 significant digits: an 18-digit NIP or a
# 16-digit NIK typed as a number has already lost its last digits when it
# reaches us (a NIK may even still look valid), and Excel shows it (and saves
# it to CSV) in scientific notation, "1.98012E+17". We refuse any number of
# 16+ digits and any scientific notation rather than guess, and say how to
# fix the sheet.
_EXCEL_EXACT_BELOW = 10**15
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$")


def _excel_scientific(value: float) -> str:
    """How Excel's General format shows a long number: 1.98012E+17."""
    return f"{float(value):.5E}"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if abs(value) >= _EXCEL_EXACT_BELOW:
            return _excel_scientific(value)
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int):
        return str(value) if abs(value) < _EXCEL_EXACT_BELOW else _excel_scientific(value)
    return str(value).strip()


def _header_map(header: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for index, title in enumerate(header):
        key = " ".join((title or "").lower().replace("_", " ").split())
        for column, (_label, aliases) in COLUMNS.items():
            if key in aliases and column not in mapping:
                mapping[column] = index
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in mapping]
    if missing:
        raise RosterFileError(
            _("Kolom wajib tidak ditemukan di baris pertama: %(cols)s. Gunakan berkas templat.")
            % {"cols": ", ".join(missing)}
        )
    return mapping


def read(content: bytes, kind: str) -> list[RowResult]:
    """Parse and check every row. Row numbers are the spreadsheet's (header = 1)."""
    rows = _read_rows(content, kind)
    if not rows:
        raise RosterFileError(_("Berkas kosong."))
    mapping = _header_map(rows[0])
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise RosterFileError(
            _("Berkas berisi lebih dari %(n)d baris; pecah menjadi beberapa berkas.") % {"n": MAX_ROWS}
        )
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(body, start=2):
        values = {column: (raw[i] if i < len(raw) else "") for column, i in mapping.items()}
        if not any(v.strip() for v in values.values() if v):
            continue  # blank line
        result = _check_row(number, values)
        identifier = result.data.get("identifier")
        if identifier and not any(e["column"] == COLUMNS["identifier"][0] for e in result.errors):
            if identifier in seen:
                result.error(
                    COLUMNS["identifier"][0],
                    _("Nomor induk sama dengan baris %(row)d di berkas ini.") % {"row": seen[identifier]},
                )
            else:
                seen[identifier] = number
        results.append(result)
    return results


def _check_row(number: int, values: dict[str, str]) -> RowResult:
    from facilities.models import normalize_rank

    result = RowResult(row=number, data={})
    name = " ".join((values.get("name") or "").split())
    if not name:
        result.error(COLUMNS["name"][0], _("Nama wajib diisi."))
    elif len(name) > 200:
        result.error(COLUMNS["name"][0], _("Nama lebih dari 200 karakter."))
    result.data["name"] = name

    raw_type = " ".join((values.get("employment_type") or "").lower().split())
    employment_type = TYPE_ALIASES.get(raw_type)
    if employment_type is None:
        result.error(
            COLUMNS["employment_type"][0],
            _("Jenis pegawai '%(value)s' tidak dikenal; isi PNS, CPNS, PPPK, PPPK Paruh Waktu, atau PPNPN.")
            % {"value": values.get("employment_type") or ""},
        )
    result.data["employment_type"] = str(employment_type or "")

    raw_identifier = (values.get("identifier") or "").strip()
    if _SCIENTIFIC.match("".join(raw_identifier.split())):
        result.error(
            COLUMNS["identifier"][0],
            _(
                "Nomor induk tersimpan sebagai angka dalam notasi ilmiah (tertulis: %(value)s), sehingga "
                "digit-digitnya sudah hilang dan tidak dapat dipulihkan. Format kolom NIP/NI PPPK/NIK "
                "sebagai Teks, lalu ketik ulang nomor induknya."
            )
            % {"value": raw_identifier},
        )
        result.data["identifier"] = ""
    else:
        identifier = normalize(raw_identifier)
        result.data["identifier"] = identifier
        if employment_type is not None:
            try:
                IDENTIFIER_RULES[employment_type][1](identifier)
            except ValidationError as exc:
                result.error(COLUMNS["identifier"][0], " ".join(exc.messages))
        elif not identifier:
            result.error(COLUMNS["identifier"][0], _("Nomor induk wajib diisi."))

    position = " ".join((values.get("position") or "").split())
    if len(position) > 200:
        result.error(COLUMNS["position"][0], _("Jabatan lebih dari 200 karakter."))
    result.data["position"] = position

    result.data["rank"] = normalize_rank(values.get("rank") or "")
    if employment_type is not None:
        probe = Employee(employment_type=employment_type, rank=result.data["rank"])
        for message in probe._rank_errors().values():
            result.error(COLUMNS["rank"][0], str(message))
    return result


@dataclass
class Plan:
    creates: list[RowResult]
    updates: list[tuple[RowResult, Employee, list[str]]]
    unchanged: list[RowResult]
    errors: list[RowResult]

    @property
    def has_changes(self) -> bool:
        return bool(self.creates or self.updates)


def plan(
    facility: Facility, rows: list[RowResult], *, may_name: Callable[[Facility], bool] = lambda other: False
) -> Plan:
    """Decide, per checked row, whether it creates, updates or leaves an employee alone.

    A row whose identifier is already on another UPT's roster is refused; the message names that UPT only
    when `may_name(it)` (the viewer manages it): otherwise a file of identifiers would tell anyone who may
    import where each person works, anywhere in the country. What is stored with an applied import never
    names it (heads read it too)."""
    good = [r for r in rows if not r.errors]
    existing = {
        e.identifier: e
        for e in Employee.objects.filter(identifier__in=[r.data["identifier"] for r in good]).select_related("facility")
    }
    result = Plan(creates=[], updates=[], unchanged=[], errors=[r for r in rows if r.errors])
    for row in good:
        employee = existing.get(row.data["identifier"])
        if employee is None:
            result.creates.append(row)
        elif employee.facility_id != facility.pk:
            if may_name(employee.facility):
                message = _("Pegawai ini terdaftar di %(facility)s; pindahkan lewat menu mutasi, bukan impor.") % {
                    "facility": employee.facility.name
                }
            else:
                message = _("Pegawai ini sudah terdaftar di UPT lain; pemindahan lewat menu mutasi, bukan impor.")
            row.error(COLUMNS["identifier"][0], message)
            result.errors.append(row)
        else:
            changed = [f for f in UPDATABLE if getattr(employee, f) != row.data[f]]
            if not employee.is_active:
                changed.append("is_active")
            if changed:
                result.updates.append((row, employee, changed))
            else:
                result.unchanged.append(row)
    result.errors.sort(key=lambda r: r.row)
    return result


# What an update changes, as the preview and the result list it: "Pangkat/Golongan: Penata (III/c) → …".
FIELD_LABELS = {
    "name": gettext_lazy("Nama"),
    "employment_type": gettext_lazy("Jenis pegawai"),
    "rank": gettext_lazy("Pangkat/Golongan"),
    "position": gettext_lazy("Jabatan"),
    "is_active": gettext_lazy("Status"),
}


def value_display(field_name: str, value: object) -> str:
    """A stored value as people read it: the employment type's label, the pangkat with its golongan."""
    if field_name == "is_active":
        return _("Aktif") if value else _("Tidak aktif")
    if field_name == "employment_type":
        return str(EmploymentType(value).label) if value in EmploymentType.values else str(value or "")
    if field_name == "rank":
        return Employee(rank=str(value or "")).rank_display
    return str(value or "")


def outcome(plan: Plan) -> dict:
    """The plan as plain data (JSON): what the preview shows, and what the apply step stores.

    Old values are read from the employees as they are before the apply writes anything, so the
    stored outcome still says "old → new" after the roster has changed.
    """
    return {
        "created": [{"row": row.row, **row.data} for row in plan.creates],
        "updated": [
            {
                "row": row.row,
                "name": row.data["name"],
                "identifier": row.data["identifier"],
                "changes": [
                    {
                        "field": name,
                        "old": getattr(employee, name),
                        "new": True if name == "is_active" else row.data[name],
                    }
                    for name in fields
                ],
            }
            for row, employee, fields in plan.updates
        ],
        "unchanged": len(plan.unchanged),
        "errors": [{"row": row.row, "name": row.data.get("name", ""), "errors": row.errors} for row in plan.errors],
    }


@dataclass
class Outcome:
    """An outcome ready for the template: counts, and every value in its human form."""

    created: list[dict]
    updated: list[dict]
    unchanged: int
    errors: list[dict]
    created_count: int
    updated_count: int
    errors_count: int

    @property
    def has_changes(self) -> bool:
        return bool(self.created_count or self.updated_count)


def outcome_display(data: dict, summary: dict | None = None) -> Outcome:
    """`outcome()` data for the page. An import applied before outcomes were kept has only its
    `summary`: its counts are shown, without the rows."""
    if not data:
        summary = summary or {}
        counts = [summary.get(key, 0) for key in ("unchanged", "created", "updated", "errors")]
        return Outcome([], [], counts[0], [], counts[1], counts[2], counts[3])
    created = [
        {
            **item,
            "employment_type": value_display("employment_type", item["employment_type"]),
            "rank": value_display("rank", item["rank"]),
        }
        for item in data["created"]
    ]
    updated = [
        {
            **item,
            "changes": [
                {
                    "label": FIELD_LABELS.get(change["field"], change["field"]),
                    "old": value_display(change["field"], change["old"]),
                    "new": value_display(change["field"], change["new"]),
                }
                for change in item["changes"]
            ],
        }
        for item in data["updated"]
    ]
    errors = data["errors"]
    return Outcome(created, updated, data["unchanged"], errors, len(created), len(updated), len(errors))


# Widths of the roster columns (COLUMNS order); the identifier column is text.
_WIDTHS = {"name": 34, "employment_type": 18, "identifier": 24, "rank": 18, "position": 36}


def _roster_columns() -> list[Column]:
    return [Column(label, _WIDTHS[key], text=key == "identifier") for key, (label, _aliases) in COLUMNS.items()]


def template_response() -> HttpResponse:
    """An .xlsx with the expected columns, the identifier column formatted as text, and example rows."""
    examples = [
        ["Budi Santoso, S.H.", "PNS", "198012302005011003", "III/c", "Kepala Seksi Pembinaan"],
        ["Sri Wahyuni, A.Md.", "PPPK", "199203152023012001", "VII", "Pengelola Layanan Operasional"],
        ["Agus Prasetyo", "PPNPN", "3301051204900003", "", "Pengemudi"],
    ]
    return xlsx_response("templat-daftar-pegawai.xlsx", Sheet("Pegawai", _roster_columns(), examples))


def export_response(facility: Facility, employees) -> HttpResponse:
    """The active roster in the template's columns (so it imports back unchanged), plus status and UPT."""
    columns = [*_roster_columns(), Column("Status", 12), Column("UPT", 34)]
    types = choice_labels(Employee, "employment_type")
    status = {True: _("Aktif"), False: _("Tidak aktif")}
    # Plain values: an Employee per row only to read six fields cost more than writing its cells.
    values = employees.values_list("name", "employment_type", "identifier", "rank", "position", "is_active")
    rows = (
        [name, types.get(kind, kind), identifier, rank, position, status[is_active], facility.name]
        for name, kind, identifier, rank, position, is_active in values.iterator(chunk_size=1000)
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(f"pegawai-{facility.pk}-{stamp}.xlsx", Sheet("Pegawai", columns, rows))
