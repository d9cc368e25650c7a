"""core.xlsx, the streaming writer behind every .xlsx download: what openpyxl (and so Excel) reads back."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

from openpyxl import load_workbook

from core import spreadsheets, xlsx
from core.spreadsheets import Column, Sheet


def _book(*sheets: Sheet, read_only: bool = False):
    return load_workbook(io.BytesIO(spreadsheets.write_xlsx(sheets)), read_only=read_only)


def test_it_writes_each_kind_of_value_as_that_kind():
    when = dt.datetime(2026, 12, 4, 15, 30, 45)
    row = ["Lapas & Rutan <Kelas I> \"A\" 'B'", 42, 3.5, Decimal("1.25"), True, False, dt.date(2024, 2, 29), when, None]
    sheet = _book(Sheet("Isi", [Column(f"K{i}") for i in range(9)], [row])).active
    values = [cell.value for cell in sheet[2]]
    assert values[:6] == ["Lapas & Rutan <Kelas I> \"A\" 'B'", 42, 3.5, 1.25, True, False]
    assert values[6] == dt.datetime(2024, 2, 29)
    assert values[7] == when
    assert sheet["A2"].data_type == "s" and sheet["B2"].data_type == "n" and sheet["E2"].data_type == "b"
    assert sheet["G2"].number_format == "dd-mm-yyyy" and sheet["H2"].number_format == "dd-mm-yyyy hh:mm"
    assert sheet.max_column == 9 and sheet["I2"].value is None


def test_text_keeps_its_spaces_line_breaks_and_unicode():
    texts = ["  dua spasi di depan", "baris satu\nbaris dua", "Ñandú — 漢字 🙂", "tab\tdi tengah", "x" * 40_000]
    sheet = _book(Sheet("Teks", [Column("T")], [[t] for t in texts])).active
    read = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert read[:4] == texts[:4]
    assert read[4] == "x" * 32767  # Excel's limit per cell


def test_styles_widths_text_columns_and_the_frozen_header():
    columns = [Column("NIP", 22, text=True), Column("Nama", 40), Column("Jumlah")]
    spec = Sheet("Pegawai", columns, [["199001012015031001", '=HYPERLINK("x")', 3]], preamble=[["Judul"], ["b"]])
    sheet = _book(spec).active
    assert sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["A"].width == 22 and sheet.column_dimensions["B"].width == 40
    assert sheet["A1"].font.b and not sheet["A2"].font.b  # the first preamble line only
    assert all(cell.font.b for cell in sheet[3])  # the header
    assert sheet["A4"].number_format == "@" and sheet["A4"].value == "199001012015031001"
    assert sheet["B4"].data_type == "s" and sheet["B4"].quotePrefix and not sheet["A4"].quotePrefix
    assert sheet["C4"].value == 3 and not sheet["C4"].font.b


def test_sheet_titles_are_cleaned_and_kept_apart():
    book = _book(
        Sheet('Rekap & "Laporan": 2026/27', [Column("A")], [["1"]]),
        Sheet("Satgas", [Column("A")], [["2"]]),
        Sheet("satgas", [Column("A")], [["3"]]),
        Sheet("P" * 40, [Column("A")], []),
    )
    assert book.sheetnames == ['Rekap & "Laporan"- 2026-27', "Satgas", "satgas 2", "P" * 31]
    assert [ws["A2"].value for ws in book.worksheets[:3]] == ["1", "2", "3"]


def test_every_part_is_well_formed_xml_and_the_read_only_reader_agrees():
    content = spreadsheets.write_xlsx([Sheet("A", [Column("x")], [[n] for n in range(30)])])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            ElementTree.fromstring(archive.read(name))
    streamed = load_workbook(io.BytesIO(content), read_only=True).active
    assert [row[0] for row in streamed.iter_rows(min_row=2, values_only=True)] == list(range(30))


def test_rows_are_read_one_at_a_time_and_memory_stays_flat():
    """50,000 rows of nine cells from a generator: the writer never holds them (peak well under what the
    rows themselves would take as a list)."""
    produced = 0

    def rows():
        nonlocal produced
        for n in range(50_000):
            produced += 1
            yield [
                f"LP/2026/{n:05d}",
                dt.datetime(2026, 5, 1, 10, 30),
                "Lapas Kelas IIA",
                "Budi",
                "Medsos",
                n,
                n * 1.5,
                True,
                None,
            ]

    tracemalloc.start()
    content = spreadsheets.write_xlsx([Sheet("Laporan", [Column(str(i)) for i in range(9)], rows())])
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert produced == 50_000
    assert peak < len(content) + 4_000_000, (peak, len(content))
    last = load_workbook(io.BytesIO(content), read_only=True).active
    assert last.max_row in (None, 50_001)


def test_column_letters_and_serial_dates():
    assert [xlsx.column_letter(i) for i in (0, 25, 26, 51, 701, 702)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA"]
    assert xlsx.serial(dt.date(1900, 3, 1)) == "61"
    assert xlsx.serial(dt.datetime(2026, 1, 1, 12, 0)) == repr(46023 + 0.5)


def test_formula_like_and_error_like_text_stays_text_and_empty_text_cells_keep_their_format():
    hostile = ["=1+1", "\uff1dSUM(A1)", "  @cmd", "\tx", "#N/A", "#DIV/0!", "-5", "carriage\r\nreturn"]
    columns = [Column(f"K{i}") for i in range(len(hostile))] + [Column("NIP", 22, text=True)]
    sheet = _book(Sheet("Isi", columns, [[*hostile, None]])).active
    row = sheet[2]
    assert [cell.value for cell in row[: len(hostile)]] == hostile
    assert all(cell.data_type == "s" for cell in row[: len(hostile)])
    assert [bool(cell.quotePrefix) for cell in row[: len(hostile)]] == [
        True,
        True,
        True,
        True,
        False,
        False,
        True,
        False,
    ]
    nip = row[len(hostile)]
    assert nip.value is None and nip.number_format == "@"


def test_illegal_xml_characters_are_dropped_and_the_header_row_is_bold_text():
    sheet = _book(Sheet("Isi", [Column("=Judul")], [["a\x00b\x1fc\x0b"]])).active
    assert sheet["A2"].value == "abc"
    assert sheet["A1"].value == "=Judul" and sheet["A1"].data_type == "s" and sheet["A1"].font.b
    assert sheet["A1"].quotePrefix
