"""The recap's .xlsx and PDF give the page's figures for the same filters (facilities.recap_views)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from django.utils.formats import number_format
from openpyxl import load_workbook

from facilities import recap
from tests import factories as base
from tests.facilities import recap_world
from tests.pdfcheck import check_pdf
from tests.xlsxread import recap_sheets


@pytest.fixture
def world(db):
    return recap_world.build()


def _pdf_cell(column: recap.RecapColumn, value) -> str:
    if value is None:
        return "–"
    if column.kind == recap.PERCENT:
        return number_format(value, 1)
    if column.kind == recap.FLAG and isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if column.kind == recap.LABEL and isinstance(value, dict):
        return recap.format_value(column, value)
    return str(value)


@pytest.mark.parametrize(
    ("who", "params"),
    [
        ("regional", {}),
        ("regional", {"terlambat": "1", "urut": "-total"}),
        ("regional", {"satgas": "none"}),
        ("national", {}),
        ("national", {"kanwil": "region"}),
    ],
)
def test_page_xlsx_and_pdf_agree(client, world, who, params):
    user = base.national_admin() if who == "national" else base.regional_admin(world.region)
    client.force_login(user)
    if params.get("kanwil") == "region":
        params = {**params, "kanwil": world.region.pk}
    page = client.get("/upt/rekap/", params)
    assert page.status_code == 200
    table = page.context["table"]
    assert table.rows
    sheets = recap_sheets(client.get("/upt/rekap.xlsx", params))
    pdf_response = client.get("/upt/rekap.pdf", params)
    assert pdf_response["Content-Type"] == "application/pdf"
    pdf = check_pdf(pdf_response.content, margin_mm=12)
    assert world.region.name in pdf.pages[0] or who == "national"  # the Kanwil's letterhead
    text = pdf.text
    for block in table.blocks:
        sheet = sheets[str(block.title)]
        assert set(sheet) == {r.name for r in table.rows} | {"Jumlah"}
        for row in [*table.rows, table.totals]:
            line = sheet[row.name or "Jumlah"]
            shown = []
            for column in block.columns:
                value = row.values.get(column.key)
                cell = line[str(column.label)]
                if column.kind == recap.FLAG and isinstance(value, bool):
                    assert cell == ("Ya" if value else "Tidak")
                elif column.kind == recap.LABEL and isinstance(value, dict):
                    assert cell == recap.format_value(column, value)
                elif column.kind == recap.DATE and value is not None:
                    assert cell.date() == value  # a date cell (openpyxl reads it as a datetime)
                else:
                    assert cell == value, (block.key, column.key, row.name)
                    if column.kind in (recap.INT, recap.PERCENT) and value is not None:
                        assert isinstance(cell, int | float)  # numbers as numbers
                shown.append(_pdf_cell(column, value))
            # The PDF's row: the block's figures in the table's order.
            numbers = " ".join(s for s, c in zip(shown, block.columns, strict=True) if c.kind in (recap.INT,))
            assert numbers in text, (block.key, row.name, numbers)


def test_the_xlsx_has_human_labels_and_the_chosen_period(client, world):
    client.force_login(base.regional_admin(world.region))
    response = client.get("/upt/rekap.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert [s.title for s in workbook.worksheets] == ["Pegawai", "Satgas", "Pakta integritas", "Laporan pelanggaran"]
    reports = [list(r) for r in workbook["Laporan pelanggaran"].iter_rows(values_only=True)]
    assert any("Pilkada Uji" in (r[1] or "") for r in reports[:4] if len(r) > 1)
    header = next(r for r in reports if r[0] == "UPT")
    assert "Diterima" in header and "Terlambat" in header and not any("state_" in str(h) for h in header)
    satgas = [list(r) for r in workbook["Satgas"].iter_rows(values_only=True)]
    kayu = next(r for r in satgas if r[0] == world.kayu_agung.name)
    assert "Dikukuhkan" in kayu and "Ya" in kayu
    header = next(r for r in satgas if r[0] == "UPT")
    assert kayu[header.index("Kegiatan terakhir")] == dt.datetime.combine(timezone.localdate(), dt.time())
    assert workbook["Satgas"]["B4"].value.date() == timezone.localdate()  # the date it was made, as a date


def test_markup_typed_into_names_is_printed_as_text_in_the_pdf(client, world):
    """UPT and Kanwil names are typed by people: in the PDF they are text, never markup that would fetch a
    file or a URL, restyle the page or hide the rows after it; the page shows them escaped too."""
    hostile = '<img src="file:///etc/passwd"><b style="display:none">Rutan</b>'
    world.banyumas.name = hostile
    world.banyumas.save(update_fields=["name"])
    world.region.name = "Kanwil <script>alert(1)</script>"
    world.region.save(update_fields=["name"])
    client.force_login(base.regional_admin(world.region))
    page = client.get("/upt/rekap/").content.decode()
    assert hostile not in page and "<script>alert(1)" not in page
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in page
    response = client.get("/upt/rekap.pdf")
    assert response.status_code == 200
    text = " ".join(check_pdf(response.content, margin_mm=12).text.split())
    assert '<img src="file:///etc/passwd"><b' in text
    assert "Kanwil <script>alert(1)</script>" in text
    assert "root:" not in text
    # The row after the hostile name is still printed.
    assert world.cilacap.name in text
