"""Who sees a report: the facility's task force and the admins of its region and the nation, nobody else."""

from __future__ import annotations

import pytest

from reports import actions
from reports.models import AccessLog, Report
from tests import factories
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db


def _can_open(client, user, report) -> bool:
    client.force_login(user)
    status = client.get(f"/laporan/{report.pk}/").status_code
    assert status in (200, 404)
    return status == 200


def _listed(client, user, report) -> bool:
    client.force_login(user)
    return report in list(client.get("/laporan/").context["page_obj"])


@pytest.fixture
def routed_report(facility, task_force):
    """A report about a current member of the facility's task force."""
    suspect = factories.EmployeeFactory(facility=facility, name="Eko Anggota Satgas")
    rf.member(task_force, suspect)
    report, _code = actions.submit_report(
        facility=facility,
        reported_employee=suspect,
        reported_description="",
        category="FOTO",
        election_type="PEMILU",
        stage="",
        occurred_on="2024-01-20",
        occurred_place="Instagram",
        description="Foto bersama calon dengan atribut partai.",
    )
    assert Report.objects.with_region_only().get(pk=report.pk).region_only
    return report


def test_the_facility_task_force_sees_the_report(client, task_force_member, report):
    assert _can_open(client, task_force_member, report)
    assert _listed(client, task_force_member, report)


def test_it_hides_a_report_from_another_facilitys_task_force(client, other_task_force_member, report):
    assert not _can_open(client, other_task_force_member, report)
    assert not _listed(client, other_task_force_member, report)


def test_it_hides_a_report_from_a_task_force_of_the_same_region(client, sibling_task_force_member, report):
    assert not _can_open(client, sibling_task_force_member, report)


def test_it_hides_report_about_task_force_member_from_task_force(client, task_force_member, routed_report):
    assert not _can_open(client, task_force_member, routed_report)
    assert not _listed(client, task_force_member, routed_report)


def test_the_reported_member_cannot_see_the_report_about_them(client, routed_report):
    suspect = routed_report.reported_employee
    assert not _can_open(client, factories.staff_user(suspect), routed_report)


def test_a_report_about_a_task_force_member_is_seen_by_the_region(client, regional_admin, routed_report):
    assert _can_open(client, regional_admin, routed_report)
    assert _listed(client, regional_admin, routed_report)


def test_a_report_about_a_task_force_member_is_seen_by_the_nation(client, national_admin, routed_report):
    assert _can_open(client, national_admin, routed_report)


def test_it_hides_a_report_from_a_staff_member_without_membership(client, staff, report):
    assert not _can_open(client, staff, report)
    client.force_login(staff)
    assert client.get("/laporan/").status_code == 404


def test_it_hides_a_report_from_the_facility_head_who_is_not_on_the_task_force(client, facility_head, report):
    assert not _can_open(client, facility_head, report)


def test_a_facility_head_on_the_task_force_sees_ordinary_reports(client, facility, task_force, report):
    head_employee = factories.EmployeeFactory(facility=facility)
    head = factories.facility_head(facility)
    head_employee.user = head
    head_employee.save()
    rf.member(task_force, head_employee, "KETUA")
    assert _can_open(client, head, report)


def test_an_ended_task_force_loses_access(client, task_force, task_force_member, report):
    task_force.state = "ended"
    task_force.save()
    assert not _can_open(client, task_force_member, report)


def test_a_replaced_member_loses_access(client, task_force_member, report):
    import datetime as dt

    task_force_member.employee.task_force_memberships.update(end_date=dt.date(2024, 8, 1))
    assert not _can_open(client, task_force_member, report)


def test_another_region_admin_does_not_see_the_report(client, other_regional_admin, report):
    assert not _can_open(client, other_regional_admin, report)


def test_the_reporter_identity_is_hidden_from_the_task_force(client, task_force_member, regional_admin, facility):
    report = rf.ReportFactory(
        facility=facility, is_anonymous=False, reporter_name="Rahmat Pelapor", reporter_contact="rahmat@contoh.id"
    )
    client.force_login(task_force_member)
    html = client.get(f"/laporan/{report.pk}/").content.decode()
    assert "Rahmat Pelapor" not in html and "rahmat@contoh.id" not in html
    assert "hanya dapat dilihat Kantor Wilayah" in html
    client.force_login(regional_admin)
    html = client.get(f"/laporan/{report.pk}/").content.decode()
    assert "Rahmat Pelapor" in html and "rahmat@contoh.id" in html


def test_the_export_never_carries_the_reporter_identity(client, regional_admin, facility):
    import io

    from openpyxl import load_workbook

    rf.ReportFactory(facility=facility, is_anonymous=False, reporter_name="Rahmat Pelapor")
    client.force_login(regional_admin)
    workbook = load_workbook(io.BytesIO(client.get("/laporan/ekspor.xlsx").content))
    values = " ".join(str(c.value) for row in workbook.active.iter_rows() for c in row)
    assert "Rahmat Pelapor" not in values


def test_evidence_of_a_hidden_report_cannot_be_downloaded(
    client, other_task_force_member, task_force_member, routed_report
):
    evidence = actions._store_evidence(routed_report, [_checked_upload()])[0]
    for user in (other_task_force_member, task_force_member):
        client.force_login(user)
        assert client.get(f"/laporan/{routed_report.pk}/bukti/{evidence.pk}/").status_code == 404
    assert not AccessLog.objects.exists()


def test_evidence_needs_a_login(client, report):
    evidence = actions._store_evidence(report, [_checked_upload()])[0]
    response = client.get(f"/laporan/{report.pk}/bukti/{evidence.pk}/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_evidence_of_another_report_is_not_served_through_this_one(client, task_force_member, report, other_facility):
    foreign = rf.ReportFactory(facility=other_facility)
    evidence = actions._store_evidence(foreign, [_checked_upload()])[0]
    client.force_login(task_force_member)
    assert client.get(f"/laporan/{report.pk}/bukti/{evidence.pk}/").status_code == 404


def test_transitions_and_messages_are_refused_outside_the_scope(client, other_task_force_member, report):
    client.force_login(other_task_force_member)
    assert (
        client.post(f"/laporan/{report.pk}/status/verifying/", {"t-verifying-target": "verifying"}).status_code == 404
    )
    assert client.post(f"/laporan/{report.pk}/pesan/", {"body": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.state == "received" and not report.messages.exists()


def test_the_recap_is_for_admins_only(client, task_force_member, staff):
    for user in (task_force_member, staff):
        client.force_login(user)
        assert client.get("/laporan/rekap/").status_code == 404
        assert client.get("/laporan/rekap.xlsx").status_code == 404


def _checked_upload():
    upload = rf.jpeg_upload()
    upload.kind = "jpeg"
    return upload


def test_a_member_transferred_away_no_longer_handles_the_old_facilitys_reports(
    client, regional_admin, task_force, task_force_member, report, sibling_facility
):
    assert _can_open(client, task_force_member, report)
    # Mutasi through the page; the membership row stays open until the head replaces them.
    client.force_login(regional_admin)
    response = client.post(
        f"/upt/pegawai/{task_force_member.employee.pk}/mutasi/",
        {"facility": sibling_facility.pk, "date": "2024-06-03", "note": "Mutasi"},
    )
    assert response.status_code == 302
    assert task_force.memberships.current().filter(employee__user=task_force_member).exists()
    assert not _can_open(client, task_force_member, report)
    assert client.get("/laporan/").status_code == 404  # no report inbox at all any more
    assert client.get(f"/satgas/{task_force.pk}/").status_code == 404
    response = client.post(f"/laporan/{report.pk}/pesan/", {"body": "Masih bisa?"})
    assert response.status_code == 404
    assert not report.messages.exists()
