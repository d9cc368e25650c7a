"""In a real browser: a facility head imports a roster file with one bad row."""

from __future__ import annotations

import pytest

from facilities.models import Employee
from tests import factories
from tests.facilities.rosterfiles import csv_bytes

pytestmark = pytest.mark.browser

ROWS = [
    ["Budi Santoso, S.H.", "PNS", "19801230 200501 1 003", "III/c", "Kepala Seksi Pembinaan"],
    ["Joko Susanto", "PNS", "198012302005131004", "II/b", "Petugas Pengamanan"],  # TMT month 13
    ["Sri Wahyuni, A.Md.", "PPPK", "199203152023012001", "VII", "Pengelola Layanan Operasional"],
    ["Agus Prasetyo", "PPNPN", "3301051204900003", "", "Pengemudi"],
]


def test_facility_head_imports_a_roster_and_sees_the_bad_row(
    page, live_server, browser_login, transactional_db, tmp_path
):
    facility = factories.FacilityFactory(name="Lapas Kelas IIA Kembangkuning")
    factories.EmployeeFactory(facility=facility, name="Heru Wibowo, S.H.")
    factories.facility_head(facility, username="kalapas.kembangkuning")
    roster_file = tmp_path / "daftar-pegawai.csv"
    roster_file.write_bytes(csv_bytes(ROWS))

    browser_login("kalapas.kembangkuning")
    page.click("text=Daftar pegawai")
    assert "Heru Wibowo, S.H." in page.locator("#roster-table").inner_text()

    page.click("text=Impor pegawai")
    page.set_input_files("input[name=file]", str(roster_file))
    page.click("text=Periksa dan pratinjau")
    page.wait_for_url("**/pegawai/impor/*/")

    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1
    cells = errors.first.locator("td").all_inner_texts()
    assert cells == [
        "3",
        "NIP/NI PPPK/NIK",
        "NIP: digit 13–14 adalah bulan TMT CPNS dan harus 01–12, tertulis 13.",
        "Joko Susanto",
    ]
    summary = page.locator("#import-summary").inner_text()
    assert "3\npegawai baru" in summary and "1\nbaris bermasalah" in summary
    assert not Employee.objects.filter(facility=facility, name="Budi Santoso, S.H.").exists()

    page.click("button:has-text('Terapkan perubahan')")
    page.wait_for_selector("text=Impor diterapkan")
    # The page is now the result, with what was applied (not a fresh comparison with the updated roster).
    assert page.locator("h1").inner_text() == "Hasil impor: daftar-pegawai.csv"
    summary = page.locator("#import-summary").inner_text()
    assert "3\nditambahkan" in summary and "0\ntidak berubah" in summary
    assert "1\nbaris bermasalah dilewati" in summary
    page.reload()
    assert "3\nditambahkan" in page.locator("#import-summary").inner_text()
    page.click("text=Kembali ke daftar pegawai")
    roster = page.locator("#roster-table").inner_text()
    for name in ("Budi Santoso, S.H.", "Sri Wahyuni, A.Md.", "Agus Prasetyo", "Heru Wibowo, S.H."):
        assert name in roster
    assert "Joko Susanto" not in roster
    assert "198012302005011003" in roster
    assert Employee.objects.filter(facility=facility).count() == 4
