"""In Chromium: the Kembangkuning head appoints 12 members with an SK, the Kanwil inaugurates, the overview shows it."""

import pytest

from facilities import demo as facilities_demo
from facilities.models import Facility
from satgas.models import TaskForce
from tests.satgas.factories import PeriodFactory, pdf_bytes

pytestmark = pytest.mark.browser

PASSWORD = facilities_demo.DEMO_PASSWORD


def test_appoint_inaugurate_and_see_it_in_the_overview(page, browser_login, transactional_db, tmp_path):
    facilities_demo.seed(log=lambda *_: None)
    PeriodFactory(name="Pemilu 2024")
    facility = Facility.objects.get(name="Lapas Kelas IIA Kembangkuning")
    roster = list(facility.employees.active().exclude(pk=facility.head_id).order_by("pk"))
    ketua = next(e for e in roster if e.employment_type == "PNS")
    others = [e for e in roster if e.pk != ketua.pk]
    sekretaris, anggota = others[0], others[1:11]
    sk = tmp_path / "sk-satgas.pdf"
    sk.write_bytes(pdf_bytes("SK Satgas Kembangkuning"))
    page.on("dialog", lambda dialog: dialog.accept())

    # The facility head forms the task force.
    browser_login("kalapas.kembangkuning", PASSWORD)
    page.click("nav >> text=Satgas")
    page.click("text=Bentuk Satgas")
    page.select_option("#id_period", label="Pemilu 2024")
    page.click("button:has-text('Buat draf')")
    page.wait_for_url("**/penetapan/")
    page.fill("#id_decree_number", "W.13.PAS.PAS.11-KP.05.02-17 Tahun 2024")
    page.fill("#id_decree_date", "2024-01-15")
    page.set_input_files("#id_decree_file", str(sk))

    # The roster is searchable: typing a name leaves only matching rows visible.
    search = page.locator("[data-roster-filter]")
    token = ketua.name.split(",")[0].lower()
    unmatched = next(e for e in anggota if token not in f"{e.name} {e.identifier} {e.position}".lower())
    search.fill(token)
    assert page.locator(f"#id_role_{ketua.pk}").is_visible()
    assert not page.locator(f"#id_role_{unmatched.pk}").is_visible()
    page.select_option(f"#id_role_{ketua.pk}", "KETUA")
    search.fill("")
    page.select_option(f"#id_role_{sekretaris.pk}", "SEKRETARIS")
    for employee in anggota:
        page.select_option(f"#id_role_{employee.pk}", "ANGGOTA")
    assert page.locator("[data-selected-count]").inner_text() == "12"
    page.click("button:has-text('Tetapkan Satgas')")
    page.wait_for_url("**/satgas/*/")
    assert "Ditetapkan (SK)" in page.locator("#task-force-state").inner_text()
    assert page.locator("#member-table tbody tr").count() == 12
    task_force = TaskForce.objects.get(facility=facility)
    assert task_force.state == TaskForce.State.APPOINTED and task_force.decree_file

    # The Kanwil Jawa Tengah admin inaugurates it.
    page.context.clear_cookies()
    browser_login("kanwil.jateng", PASSWORD)
    page.click("nav >> text=Satgas")
    page.click("a:has-text('Catat pengukuhan')")
    page.check(f"input[name=task_forces][value='{task_force.pk}']")
    page.fill("#id_place", "Daring (Zoom)")
    page.fill("#id_official", "Kepala Kantor Wilayah")
    page.click("button:has-text('Kukuhkan')")
    page.wait_for_url("**/satgas/wilayah/")

    # The regional overview shows it inaugurated with its 12 members.
    row = page.locator("tr[data-facility='Lapas Kelas IIA Kembangkuning']")
    assert "Dikukuhkan" in row.inner_text()
    assert "12" in row.locator("td").nth(3).inner_text()
    task_force.refresh_from_db()
    assert task_force.state == TaskForce.State.INAUGURATED


def test_an_activity_of_another_kind_asks_for_its_name(page, browser_login, transactional_db):
    from satgas.models import Activity
    from tests import factories
    from tests.satgas.factories import appointed, ketua_login

    task_force = appointed(factories.FacilityFactory(name="Lapas Kelas IIA Kembangkuning"))
    ketua = ketua_login(task_force)
    browser_login(ketua.username, factories.PASSWORD)
    page.goto(f"/satgas/{task_force.pk}/kegiatan/tambah/")
    described = page.locator("#id_kind_other")
    assert not described.is_visible()  # only with "Lainnya"
    page.select_option("#id_kind", "LAINNYA")
    assert described.is_visible()
    page.fill("#id_topic", "Koordinasi pengawasan TPS khusus")
    page.fill("#id_place", "Ruang rapat")
    page.fill("#id_participant_count", "8")
    page.click("#activity-form button[type=submit]")
    # Refused without the name; what was typed is still there, the field still shown.
    assert "Tuliskan jenis kegiatannya bila memilih Lainnya." in page.content()
    assert described.is_visible()
    assert page.input_value("#id_topic") == "Koordinasi pengawasan TPS khusus"
    described.fill("Rapat koordinasi Satgas")
    page.click("#activity-form button[type=submit]")
    page.wait_for_url("**/satgas/kegiatan/*/")
    assert page.locator("#activity-kind").inner_text().startswith("Rapat koordinasi Satgas")
    assert Activity.objects.get().kind_other == "Rapat koordinasi Satgas"
