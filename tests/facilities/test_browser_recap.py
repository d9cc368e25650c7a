"""In a real browser: the Kanwil admin opens the recap, sees the charts, filters to overdue reports and
exports the .xlsx; on a 390 px phone the page does not scroll sideways."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests import factories as base
from tests.facilities import recap_world

pytestmark = pytest.mark.browser

# Screenshots for the closing note, when asked for (outside the repository).
SHOTS = os.environ.get("RECAP_SCREENSHOTS", "")


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_kanwil_admin_reads_filters_and_exports_the_recap(page, live_server, browser_login, transactional_db):
    world = recap_world.build()
    recap_world.more_facilities(world.region, 5, world)
    base.regional_admin(world.region, username="kanwil.jateng")

    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login("kanwil.jateng")
    page.click("nav >> text=Rekap")
    page.wait_for_url("**/upt/rekap/")
    assert page.locator("h1").inner_text() == "Rekap Kanwil Ditjenpas Jawa Tengah"
    charts = page.locator("#recap-charts svg[role=img]")
    assert charts.count() == 4
    titles = page.locator("#recap-charts svg title").all_text_contents()
    assert any("Laporan per bentuk pelanggaran" in t for t in titles)
    assert "Memasang spanduk/baliho/alat peraga (bakal) calon" in page.locator("#chart-categories").inner_text()
    assert page.locator("#recap-staff tbody tr").count() == 8
    assert _page_width(page) <= 1366
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "recap-1366.png"), full_page=True)

    page.check("#f-terlambat")
    page.click("#recap-filters button[type=submit]")
    page.wait_for_url("**terlambat=1**")
    rows = page.locator("#recap-staff tbody tr")
    assert rows.count() == 1
    assert world.kayu_agung.name in rows.first.inner_text()

    with page.expect_download() as download_info:
        page.click("#recap-xlsx")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    sheet = [list(r) for r in workbook["Laporan pelanggaran"].iter_rows(values_only=True)]
    names = [r[0] for r in sheet]
    assert world.kayu_agung.name in names and world.banyumas.name not in names
    kayu = next(r for r in sheet if r[0] == world.kayu_agung.name)
    header = next(r for r in sheet if r[0] == "UPT")
    assert kayu[header.index("Terlambat")] == 1

    # The same on a phone: the table scrolls in its own box, never the page.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/upt/rekap/")
    assert page.locator("#recap-charts svg[role=img]").count() == 4
    assert _page_width(page) <= 390
    page.goto("/upt/rekap/?terlambat=1")
    assert page.locator("#recap-staff tbody tr").count() == 1
    assert _page_width(page) <= 390
    if SHOTS:
        page.goto("/upt/rekap/")
        page.screenshot(path=os.path.join(SHOTS, "recap-390.png"), full_page=True)
