"""The handler's case page: details, timeline with internal notes, messages, the steps on offer."""

from __future__ import annotations

import pytest

from reports import actions
from reports.models import State
from tests import factories
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db


def test_handlers_see_the_full_timeline_with_names_and_internal_notes(
    client, task_force_member, regional_admin, report
):
    actions.transition(
        task_force_member, report, State.VERIFYING, public_note="Diverifikasi.", internal_note="CATATAN-DALAM"
    )
    client.force_login(regional_admin)
    html = client.get(f"/laporan/{report.pk}/").content.decode()
    assert "CATATAN-DALAM" in html and "Diverifikasi." in html
    assert task_force_member.display_name in html


def test_only_the_allowed_next_steps_are_offered(client, task_force_member, report):
    client.force_login(task_force_member)
    forms = client.get(f"/laporan/{report.pk}/").context["transition_forms"]
    assert [f.target_state for f in forms] == ["verifying", "rejected"]
    actions.transition(task_force_member, report, State.VERIFYING)
    forms = client.get(f"/laporan/{report.pk}/").context["transition_forms"]
    assert [f.target_state for f in forms] == ["investigating", "forwarded", "rejected"]


def test_the_conclusion_form_lists_the_sanctions_from_the_domain(client, regional_admin, report):
    actions.transition(regional_admin, report, State.VERIFYING)
    actions.transition(regional_admin, report, State.INVESTIGATING)
    client.force_login(regional_admin)
    html = client.get(f"/laporan/{report.pk}/").content.decode()
    assert "pemotongan tunjangan kinerja 25% selama 9 bulan" in html
    assert "pernyataan secara terbuka" in html
    assert "pemberhentian dengan hormat tidak atas permintaan sendiri" in html


def test_the_reporter_message_shows_on_the_case(client, task_force_member, report_and_code):
    report, code = report_and_code
    client.post("/lapor/cek/", {"code": code})
    client.post("/lapor/cek/pesan/", {"body": "Tangkapan layar menyusul."})
    client.force_login(task_force_member)
    html = client.get(f"/laporan/{report.pk}/").content.decode()
    assert "Tangkapan layar menyusul." in html and "Pelapor" in html


def test_the_case_shows_its_evidence_with_size_and_hash(client, task_force_member, report):
    upload = rf.jpeg_upload()
    upload.kind = "jpeg"
    evidence = actions._store_evidence(report, [upload])[0]
    client.force_login(task_force_member)
    html = client.get(f"/laporan/{report.pk}/").content.decode()
    assert f"/laporan/{report.pk}/bukti/{evidence.pk}/" in html
    assert evidence.sha256[:14] in html


def test_the_case_page_is_not_cached(client, task_force_member, report):
    client.force_login(task_force_member)
    assert client.get(f"/laporan/{report.pk}/")["Cache-Control"] == "private, no-store"


def test_a_report_for_the_region_only_is_marked_for_the_region(client, regional_admin, facility):
    head = factories.EmployeeFactory(facility=facility)
    facility.head = head
    facility.save()
    report = rf.ReportFactory(facility=facility, reported_employee=head)
    client.force_login(regional_admin)
    assert "hanya ditangani Kantor Wilayah" in client.get(f"/laporan/{report.pk}/").content.decode()
    list_row = client.get("/laporan/").content.decode().split(report.reference, 1)[1].split("</td>", 1)[0]
    assert "Hanya untuk Kanwil" in list_row


def test_an_inactive_facility_is_not_offered_for_intake(client, facility, sibling_facility):
    sibling_facility.is_active = False
    sibling_facility.save()
    html = client.get("/lapor/", {"q": "lapas kelas"}).content.decode()  # both names match the search
    assert facility.name in html and sibling_facility.name not in html
    response = client.get("/lapor/", {"upt": sibling_facility.pk})
    assert response.templates[0].name == "reports/intake_facility.html"
