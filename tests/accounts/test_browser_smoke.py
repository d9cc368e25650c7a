import pytest

from tests import factories

pytestmark = pytest.mark.browser


def test_facility_head_logs_in_and_sees_roster(page, browser_login, transactional_db):
    facility = factories.FacilityFactory(name="Lapas Kelas IIA Kembangkuning")
    factories.EmployeeFactory(facility=facility, name="Budi Santoso, S.H.")
    factories.facility_head(facility, username="kalapas.kembangkuning")
    browser_login("kalapas.kembangkuning")
    page.click("text=Daftar pegawai")
    assert page.locator("#roster-table").inner_text().count("Budi Santoso") == 1
