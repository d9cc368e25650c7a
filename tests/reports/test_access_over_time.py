"""Access to a report is decided when it is read, from the facts of that moment.

The reported person never sees the report, whatever role they come to hold;
while they are a current member of the facility's active task force or its
head, the task force loses the report to the regional office, and gets it
back when that stops being true or when the regional office decides so.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEvent, Role
from reports import actions
from reports.models import Report
from tests import factories
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()
CHANGE = {"date": TODAY, "reason": "SK perubahan", "decree_reference": "W.13-SK-UBAH"}


def _status(client, user, report) -> int:
    client.force_login(user)
    return client.get(f"/laporan/{report.pk}/").status_code


def _sees(client, user, report) -> bool:
    status = _status(client, user, report)
    assert status in (200, 404)
    return status == 200


def _listed(client, user, report) -> bool:
    client.force_login(user)
    response = client.get("/laporan/")
    return response.status_code == 200 and report in list(response.context["page_obj"])


def _exported(client, user, report) -> bool:
    client.force_login(user)
    response = client.get("/laporan/ekspor.xlsx")
    if response.status_code != 200:
        return False
    cells = [
        str(c) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True) for c in row
    ]
    return report.reference in cells


def _checked_upload():
    upload = rf.jpeg_upload()
    upload.kind = "jpeg"
    return upload


@pytest.fixture
def ketua(task_force):
    return rf.member_user(task_force, role="KETUA", name="Kurnia Ketua Satgas")


@pytest.fixture
def suspect(facility):
    """An employee with a login, not on the task force when the report comes in."""
    employee = factories.EmployeeFactory(facility=facility, name="Sutrisno Terlapor", position="Kepala Regu")
    factories.staff_user(employee)
    return employee


@pytest.fixture
def report_about_suspect(facility, suspect):
    report = rf.ReportFactory(facility=facility, reported_employee=suspect, reported_description="")
    actions._store_evidence(report, [_checked_upload()])
    return report


def _appoint(client, facility_head, task_force, employee, role="ANGGOTA"):
    client.force_login(facility_head)
    response = client.post(
        f"/satgas/{task_force.pk}/anggota/tambah/", {**CHANGE, "employee": employee.pk, "role": role}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return task_force.memberships.current().get(employee=employee)


def _replace(client, facility_head, membership, successor):
    client.force_login(facility_head)
    response = client.post(
        f"/satgas/{membership.task_force_id}/anggota/{membership.pk}/ganti/", {**CHANGE, "employee": successor.pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _assert_shut_out(client, user, report):
    """Not on the case page, the list, the export, the evidence, the dashboard; no step goes through."""
    before = Report.objects.filter(pk=report.pk).values().get()
    client.force_login(user)
    assert client.get(f"/laporan/{report.pk}/").status_code == 404
    for evidence in report.evidence.all():
        assert client.get(f"/laporan/{report.pk}/bukti/{evidence.pk}/").status_code == 404
    assert (
        client.post(f"/laporan/{report.pk}/status/rejected/", {"t-rejected-rejection_reason": "x"}).status_code == 404
    )
    assert client.post(f"/laporan/{report.pk}/pesan/", {"body": "Saya tahu."}).status_code == 404
    assert client.post(f"/laporan/{report.pk}/terlapor/", {"reported_employee": ""}).status_code == 404
    assert not _listed(client, user, report)
    assert not _exported(client, user, report)
    # The dashboard counts what the list shows, nothing more.
    inbox = client.get("/laporan/")
    dashboard = client.get("/beranda/").content.decode()
    if inbox.status_code == 404:
        assert "reports-open-count" not in dashboard
    else:
        open_listed = sum(1 for listed in inbox.context["page_obj"] if listed.is_open)
        assert int(re.search(r'id="reports-open-count">(\d+)<', dashboard).group(1)) == open_listed
    assert Report.objects.filter(pk=report.pk).values().get() == before
    assert not report.messages.exists()


# --- The reported person --------------------------------------------------------------


def test_the_reported_person_appointed_to_the_task_force_later_never_sees_the_report(
    client, facility_head, task_force, ketua, suspect, report_about_suspect
):
    _appoint(client, facility_head, task_force, suspect)
    _assert_shut_out(client, suspect.user, report_about_suspect)


def test_the_reported_person_made_facility_head_and_ketua_never_sees_the_report(
    client, facility, task_force, ketua, suspect, report_about_suspect
):
    suspect.user.role, suspect.user.facility = Role.FACILITY_HEAD, facility
    suspect.user.save()
    membership = task_force.memberships.current().get(employee__user=ketua)
    _replace(client, suspect.user, membership, suspect)  # the new head makes themselves Ketua
    assert task_force.memberships.current().filter(employee=suspect, role="KETUA").exists()
    _assert_shut_out(client, suspect.user, report_about_suspect)


@pytest.mark.parametrize("role", [Role.REGIONAL_ADMIN, Role.NATIONAL_ADMIN])
def test_the_reported_person_promoted_to_an_admin_never_sees_the_report(
    client, region, facility, suspect, report_about_suspect, role
):
    suspect.user.role = role
    suspect.user.regional_office = region if role == Role.REGIONAL_ADMIN else None
    suspect.user.save()
    other = rf.ReportFactory(facility=facility)
    assert _sees(client, suspect.user, other)  # the admin still handles the others
    _assert_shut_out(client, suspect.user, report_about_suspect)
    # Nor do the recap's counts reveal it.
    response = client.get("/laporan/rekap/", follow=True)
    assert response.status_code == 200
    assert response.context["table"].totals.values["total"] == 1


# --- The task force loses and regains the case ----------------------------------------


def test_the_task_force_loses_the_case_when_the_reported_person_joins_and_regains_it_when_replaced(
    client, facility, facility_head, task_force, ketua, task_force_member, regional_admin, suspect, report_about_suspect
):
    report = report_about_suspect
    assert _sees(client, task_force_member, report)
    membership = _appoint(client, facility_head, task_force, suspect)
    # The same request-free facts decide at once: list, case page, export, dashboard.
    for user in (task_force_member, ketua):
        assert not _sees(client, user, report)
        assert not _listed(client, user, report)
        assert not _exported(client, user, report)
    assert _sees(client, regional_admin, report) and _listed(client, regional_admin, report)

    _replace(client, facility_head, membership, factories.EmployeeFactory(facility=facility))
    assert _sees(client, task_force_member, report) and _listed(client, task_force_member, report)
    _assert_shut_out(client, suspect.user, report)  # no longer a member, still the reported person


def test_the_task_force_loses_the_case_when_the_reported_person_is_made_facility_head(
    client, facility, task_force, task_force_member, regional_admin, suspect, report_about_suspect
):
    report = report_about_suspect
    assert _sees(client, task_force_member, report)
    client.force_login(regional_admin)
    response = client.post(
        f"/upt/{facility.pk}/ubah/",
        {
            "regional_office": facility.regional_office_id,
            "name": facility.name,
            "type": facility.type,
            "facility_class": facility.facility_class,
            "city": facility.city,
            "head": suspect.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.head == suspect
    assert not _sees(client, task_force_member, report)
    assert _sees(client, regional_admin, report)
    facility.head = None
    facility.save()
    assert _sees(client, task_force_member, report)


def test_a_facility_head_login_counts_as_the_head(client, facility, task_force_member, suspect, report_about_suspect):
    suspect.user.role, suspect.user.facility = Role.FACILITY_HEAD, facility
    suspect.user.save()
    assert not _sees(client, task_force_member, report_about_suspect)


def test_the_regional_office_lets_the_task_force_handle_the_case_and_can_take_it_back(
    client, facility_head, task_force, ketua, task_force_member, regional_admin, suspect, report_about_suspect
):
    report = report_about_suspect
    _appoint(client, facility_head, task_force, suspect)
    assert not _sees(client, task_force_member, report)

    client.force_login(regional_admin)
    page = client.get(f"/laporan/{report.pk}/").content.decode()
    assert f'action="/laporan/{report.pk}/penanganan/"' in page
    response = client.post(
        f"/laporan/{report.pk}/penanganan/",
        {"handling": "task_force", "reason": "Terlapor dibebastugaskan dari Satgas."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.handling, report.handling_decided_by) == ("task_force", regional_admin)
    event = AuditEvent.objects.get(action="report.handling_set")
    assert (event.actor, event.object_id, event.data["handling"]) == (regional_admin, str(report.pk), "task_force")
    assert "Terlapor dibebastugaskan dari Satgas." in client.get(f"/laporan/{report.pk}/").content.decode()

    assert _sees(client, task_force_member, report) and _listed(client, task_force_member, report)
    _assert_shut_out(client, suspect.user, report)  # the decision never opens it to the reported person

    client.force_login(regional_admin)
    assert client.post(f"/laporan/{report.pk}/penanganan/", {"handling": "rule", "reason": ""}).status_code == 302
    assert not _sees(client, task_force_member, report)


def test_the_regional_office_may_keep_any_case_to_itself(client, task_force_member, regional_admin, report):
    assert _sees(client, task_force_member, report)
    client.force_login(regional_admin)
    response = client.post(f"/laporan/{report.pk}/penanganan/", {"handling": "region", "reason": "Kasus sensitif."})
    assert response.status_code == 302
    assert not _sees(client, task_force_member, report)
    assert _sees(client, regional_admin, report)


def test_a_decision_other_than_the_rule_needs_a_reason_and_keeps_what_was_typed(client, regional_admin, report):
    client.force_login(regional_admin)
    response = client.post(f"/laporan/{report.pk}/penanganan/", {"handling": "task_force", "reason": "  "})
    assert response.status_code == 400
    assert "Tuliskan alasan" in response.content.decode()
    response = client.post(f"/laporan/{report.pk}/penanganan/", {"handling": "bogus", "reason": "Alasan saya"})
    assert response.status_code == 400
    assert "Alasan saya" in response.content.decode()
    report.refresh_from_db()
    assert report.handling == "rule"
    assert not AuditEvent.objects.filter(action="report.handling_set").exists()


def test_only_the_regional_office_decides_the_handling(
    client, task_force_member, facility_head, other_regional_admin, national_admin, report
):
    for user in (task_force_member, facility_head, other_regional_admin):
        client.force_login(user)
        response = client.post(f"/laporan/{report.pk}/penanganan/", {"handling": "region", "reason": "x"})
        assert response.status_code == 404
    client.force_login(task_force_member)
    assert "/penanganan/" not in client.get(f"/laporan/{report.pk}/").content.decode()
    report.refresh_from_db()
    assert report.handling == "rule"
    client.force_login(national_admin)
    assert client.post(f"/laporan/{report.pk}/penanganan/", {"handling": "region", "reason": "x"}).status_code == 302


def test_the_regional_office_sees_when_the_reported_person_joined_and_left_the_task_force(
    client, facility, facility_head, task_force, ketua, task_force_member, regional_admin, suspect, report_about_suspect
):
    report = report_about_suspect
    membership = _appoint(client, facility_head, task_force, suspect)
    client.force_login(regional_admin)
    section = client.get(f"/laporan/{report.pk}/").content.decode().split('id="reported-person-facts"', 1)[1]
    section = section.split("</section>", 1)[0]
    assert "anggota Satgas" in section and timezone.localdate().strftime("%d-%m-%Y") in section
    assert "hanya ditangani Kantor Wilayah" in section

    _replace(client, facility_head, membership, factories.EmployeeFactory(facility=facility))
    client.force_login(regional_admin)
    section = client.get(f"/laporan/{report.pk}/").content.decode().split('id="reported-person-facts"', 1)[1]
    section = section.split("</section>", 1)[0]
    assert "berhenti" in section
    assert "hanya ditangani Kantor Wilayah" not in section
    # The task force sees none of this.
    client.force_login(task_force_member)
    assert 'id="reported-person-facts"' not in client.get(f"/laporan/{report.pk}/").content.decode()


def test_appointing_a_reported_person_reveals_nothing_to_the_facility_head(
    client, facility, facility_head, task_force, ketua, suspect, report_about_suspect
):
    """Regression guard: the head's pages read the same for a reported and an unreported employee."""
    innocent = factories.EmployeeFactory(facility=facility, name="Indah Pegawai Biasa")

    def appoint(employee) -> str:
        client.force_login(facility_head)
        response = client.post(
            f"/satgas/{task_force.pk}/anggota/tambah/",
            {**CHANGE, "employee": employee.pk, "role": "ANGGOTA"},
            follow=True,
        )
        assert response.status_code == 200
        return response.content.decode().replace(employee.name, "NAMA")

    def lapor_lines(page: str) -> list[str]:
        return [line.strip() for line in page.splitlines() if "lapor" in line.lower()]

    page_innocent, page_suspect = appoint(innocent), appoint(suspect)
    assert lapor_lines(page_suspect) == lapor_lines(page_innocent)
    assert "dilaporkan" not in page_suspect.lower() and "terlapor" not in page_suspect.lower()


# --- A handler links the reported employee ----------------------------------------------


def test_a_handler_links_the_reported_employee_during_verification(
    client, facility, task_force_member, roster_employee, report
):
    client.force_login(task_force_member)
    page = client.get(f"/laporan/{report.pk}/").content.decode()
    assert f'action="/laporan/{report.pk}/terlapor/"' in page
    assert "Dedi Terlapor" in page  # the facility's roster, for handlers only
    response = client.post(f"/laporan/{report.pk}/terlapor/", {"reported_employee": roster_employee.pk})
    assert response.status_code == 302 and response["Location"] == f"/laporan/{report.pk}/"
    report.refresh_from_db()
    assert report.reported_employee == roster_employee
    event = AuditEvent.objects.get(action="report.reported_employee_set")
    assert (event.actor, event.data["employee"], event.data["previous"]) == (
        task_force_member,
        roster_employee.pk,
        None,
    )
    # The linked employee, given a login, never sees it.
    _assert_shut_out(client, factories.staff_user(roster_employee), report)


def test_linking_a_task_force_member_hands_the_case_to_the_region(
    client, task_force_member, ketua, regional_admin, report
):
    client.force_login(task_force_member)
    response = client.post(f"/laporan/{report.pk}/terlapor/", {"reported_employee": ketua.employee.pk})
    assert response.status_code == 302 and response["Location"] == "/laporan/"
    assert not _sees(client, task_force_member, report)
    _assert_shut_out(client, ketua, report)
    assert _sees(client, regional_admin, report)


def test_linking_needs_an_open_case_and_an_active_employee_of_the_facility(
    client, regional_admin, facility, other_facility, report
):
    client.force_login(regional_admin)
    stranger = factories.EmployeeFactory(facility=other_facility, name="Orang Lain")
    retired = factories.EmployeeFactory(facility=facility, name="Sudah Pensiun", is_active=False)
    for employee in (stranger, retired):
        response = client.post(f"/laporan/{report.pk}/terlapor/", {"reported_employee": employee.pk})
        assert response.status_code == 400
    actions.transition(regional_admin, report, "rejected", rejection_reason="Tidak lengkap.")
    colleague = factories.EmployeeFactory(facility=facility)
    response = client.post(f"/laporan/{report.pk}/terlapor/", {"reported_employee": colleague.pk})
    assert response.status_code == 400
    assert "sudah ditutup" in response.content.decode()
    report.refresh_from_db()
    assert report.reported_employee is None
    assert not AuditEvent.objects.filter(action="report.reported_employee_set").exists()


def test_a_link_is_cleared_only_when_a_description_remains(client, regional_admin, facility, roster_employee):
    bare = rf.ReportFactory(facility=facility, reported_employee=roster_employee, reported_description="")
    client.force_login(regional_admin)
    response = client.post(f"/laporan/{bare.pk}/terlapor/", {"reported_employee": ""})
    assert response.status_code == 400
    bare.refresh_from_db()
    assert bare.reported_employee == roster_employee
    described = rf.ReportFactory(facility=facility, reported_employee=roster_employee)
    assert client.post(f"/laporan/{described.pk}/terlapor/", {"reported_employee": ""}).status_code == 302
    described.refresh_from_db()
    assert described.reported_employee is None


# --- In SQL, not per row ----------------------------------------------------------------


def test_the_task_force_list_runs_the_same_queries_however_many_reports_are_about_members(
    client, facility, task_force, task_force_member
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/laporan/").status_code == 200
        return len(queries)

    rf.ReportFactory(facility=facility)
    client.force_login(task_force_member)
    client.get("/laporan/")
    few = count()
    for _ in range(6):
        member = factories.EmployeeFactory(facility=facility)
        rf.member(task_force, member)
        rf.ReportFactory(facility=facility, reported_employee=member)
        rf.ReportFactory(facility=facility, reported_employee=factories.EmployeeFactory(facility=facility))
    assert count() == few
    assert len(client.get("/laporan/").context["page_obj"]) == 7


def test_a_membership_that_ended_before_the_report_does_not_hide_it(client, task_force, task_force_member, facility):
    former = factories.EmployeeFactory(facility=facility)
    membership = rf.member(task_force, former)
    membership.end_date = dt.date(2024, 7, 1)
    membership.save()
    report = rf.ReportFactory(facility=facility, reported_employee=former)
    assert _sees(client, task_force_member, report)
