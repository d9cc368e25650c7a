"""An anonymous visitor reports with a photo, the task force answers, the visitor reads the answer with the code;
the task force is told of a new report by email."""

from __future__ import annotations

import pytest

from accounts.models import Role, User
from facilities import demo as facilities_demo
from facilities.models import Facility
from reports.models import Evidence, Report
from satgas.models import TaskForce
from tests import factories
from tests.reports import factories as rf
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.browser


@pytest.fixture
def kembangkuning(transactional_db):
    facilities_demo.seed(log=lambda *_: None)
    facility = Facility.objects.get(name="Lapas Kelas IIA Kembangkuning")
    task_force = rf.task_force(facility)
    employee = factories.EmployeeFactory(facility=facility, name="Eka Susanto, Amd.IP., S.H.")
    user = factories.UserFactory(username="satgas.kembangkuning")
    employee.user = user
    employee.save()
    rf.member(task_force, employee, "KETUA")
    return facility


def test_a_visitor_reports_with_a_photo_and_reads_the_task_force_answer_with_the_code(
    page, browser, live_server, browser_login, kembangkuning, tmp_path
):
    photo = tmp_path / "bukti.jpg"
    photo.write_bytes(rf.jpeg_bytes(gps=True, size=(320, 240)))

    # The visitor, without an account, finds the facility and files the report.
    page.goto("/")
    page.click("text=Lapor pelanggaran")
    page.fill("#upt-search", "kembang")
    page.press("#upt-search", "Enter")  # a plain GET search: only the matches come back
    page.wait_for_selector("#id_upt")
    page.select_option("#id_upt", str(kembangkuning.pk))
    page.click("form >> text=Lanjut")
    assert "Lapas Kelas IIA Kembangkuning" in page.inner_text("main")
    page.fill("#id_reported_description", "Petugas jaga pintu utama, berkumis")
    page.select_option("#id_category", "MEDSOS_KAMPANYE")
    page.select_option("#id_election_type", "PILKADA")
    page.fill("#id_occurred_on", "2024-10-01")
    page.fill("#id_occurred_place", "Facebook")
    page.fill("#id_description", "Mengunggah ajakan memilih pasangan calon nomor 2.")
    page.set_input_files("#id_evidence", str(photo))
    page.click("text=Kirim laporan")
    page.wait_for_url("**/lapor/terkirim/")
    code = page.inner_text("#receipt-code").strip()
    assert len(code.replace("-", "")) == 28
    assert Evidence.objects.get().report == Report.objects.get()

    # The chairman of the facility's task force answers.
    browser_login("satgas.kembangkuning")
    page.click("nav >> text=Laporan")
    page.click("#report-table tbody a")
    assert "Petugas jaga pintu utama" in page.inner_text("main")
    page.fill("textarea[name=body]", "Terima kasih. Kapan unggahan itu dibuat?")
    page.click("text=Kirim pesan ke pelapor")
    assert "Kapan unggahan itu dibuat?" in page.inner_text("#message-thread")

    # The visitor, in a fresh browser, reads the answer with the code.
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    visitor = context.new_page()
    try:
        visitor.goto("/lapor/cek/")
        visitor.fill("#id_code", code)
        visitor.click("form >> text=Lihat laporan")
        visitor.wait_for_url("**/lapor/cek/laporan/")
        thread = visitor.inner_text("#message-thread")
        assert "Kapan unggahan itu dibuat?" in thread
        assert "Petugas" in thread and "Eka Susanto" not in thread
        assert code not in visitor.url
    finally:
        context.close()


def test_an_anonymous_report_emails_the_task_force_without_its_text(page, kembangkuning, smtp_server):
    """Filed in the browser, the report reaches the task force's members by email once the queue runs
    (received by the test's own SMTP server), and the email holds no word of the report."""
    chair = User.objects.get(username="satgas.kembangkuning")
    chair.email = "eka.satgas@kembangkuning.test"
    chair.save()
    member = rf.member_user(TaskForce.objects.get(facility=kembangkuning), name="Rina Anggota Satgas")
    member.email = "rina.satgas@kembangkuning.test"
    member.save()
    # The Kanwil (not told while the task force handles the case) and the head have addresses too.
    User.objects.filter(role=Role.REGIONAL_ADMIN, regional_office=kembangkuning.regional_office).update(
        email="kanwil@jateng.test"
    )
    User.objects.filter(role=Role.FACILITY_HEAD, facility=kembangkuning).update(email="kalapas@kembangkuning.test")
    assert User.objects.filter(email__in=["kanwil@jateng.test", "kalapas@kembangkuning.test"]).count() >= 2

    page.goto(f"/lapor/?upt={kembangkuning.pk}")
    page.fill("#id_reported_description", "Petugas registrasi bertato naga di lengan kiri")
    page.select_option("#id_category", "KEGIATAN_KEBERPIHAKAN")
    page.select_option("#id_election_type", "PILKADA")
    page.fill("#id_occurred_on", "2024-10-02")
    page.fill("#id_occurred_place", "Ruang kunjungan blok C")
    page.fill("#id_description", "Membagikan kaos bergambar pasangan calon kepada keluarga warga binaan.")
    page.click("text=Kirim laporan")
    page.wait_for_url("**/lapor/terkirim/")
    code = page.inner_text("#receipt-code").strip()
    report = Report.objects.get()
    assert smtp_server.messages == []  # the request queued the email and did not send it

    run_queued_tasks()
    assert sorted(a for m in smtp_server.messages for a in m.recipients) == [
        "eka.satgas@kembangkuning.test",
        "rina.satgas@kembangkuning.test",
    ]
    for message in smtp_server.messages:
        assert report.reference in message.subject and "Kembangkuning" in message.subject
        assert f"/laporan/{report.pk}/" in message.body
        text = message.subject + message.body
        for secret in ("kaos bergambar", "bertato naga", "Ruang kunjungan", code, code.replace("-", "")):
            assert secret not in text
