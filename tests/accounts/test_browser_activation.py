"""In a real browser: the head prints a slip, the staff member activates with it (and is signed in), then logs in
with their NIP."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from tests import factories

pytestmark = pytest.mark.browser

CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b")


def test_staff_activate_their_account_with_the_printed_code(
    page, live_server, browser_login, transactional_db, tmp_path
):
    facility = factories.FacilityFactory(name="Lapas Kelas IIA Kembangkuning")
    employee = factories.EmployeeFactory(facility=facility, name="Budi Santoso, S.H.")
    factories.facility_head(facility, username="kalapas.kembangkuning")

    browser_login("kalapas.kembangkuning")
    page.click("text=Daftar pegawai")
    page.check(f"input[name=employee][value='{employee.pk}']")
    with page.expect_download() as download_info:
        page.click("button[name=issue]")
    slip = tmp_path / "slip.pdf"
    download_info.value.save_as(slip)
    text = "\n".join(p.extract_text() for p in PdfReader(slip).pages)
    assert "Budi Santoso, S.H." in text
    [code] = CODE.findall(text)

    page.context.clear_cookies()
    nip = employee.identifier
    page.goto("/akun/aktivasi/")
    page.fill("input[name=username]", f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
    page.fill("input[name=code]", code.lower())
    page.fill("input[name=password1]", "Kopi-Tubruk-Pagi-7")
    page.fill("input[name=password2]", "Kopi-Tubruk-Pagi-7")
    page.click("form button[type=submit]")
    # Signed in straight away, on their own dashboard.
    page.wait_for_url("**/beranda/")
    assert "Akun Anda aktif dan Anda sudah masuk" in page.content()
    assert "Budi Santoso, S.H." in page.locator("nav.navbar").inner_text()

    # The new password is the one that works from now on.
    page.context.clear_cookies()
    browser_login(nip, "Kopi-Tubruk-Pagi-7")
    assert "Budi Santoso, S.H." in page.content()
