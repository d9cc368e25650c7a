"""The Django admin's audit log follows the report access rules: the reported person never finds
there an event about a report they may not open, whatever role they hold later."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent
from reports import actions
from tests import factories
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported_superuser(facility):
    """An employee of the facility who is later made national admin with admin access."""
    employee = factories.EmployeeFactory(facility=facility)
    user = factories.national_admin(username="pusat.baru", is_staff=True, is_superuser=True)
    employee.user = user
    employee.save(update_fields=["user"])
    return user


@pytest.fixture
def case_about(facility, regional_admin, reported_superuser):
    report = rf.ReportFactory(facility=facility, reported_description="petugas regu pagi")
    actions.set_reported_employee(regional_admin, report, reported_superuser.employee)
    actions.add_handler_message(regional_admin, report, "Mohon keterangan tambahan.")
    return report


def _report_events(report):
    return AuditEvent.objects.filter(object_type="reports.report", object_id=str(report.pk))


def test_it_hides_events_of_a_report_about_the_viewer(client, reported_superuser, case_about):
    assert _report_events(case_about).count() == 2
    client.force_login(reported_superuser)

    listing = client.get("/admin/accounts/auditevent/", {"q": "report"})
    assert listing.status_code == 200
    assert "report.reported_employee_set" not in listing.content.decode()
    assert "report.message_sent" not in listing.content.decode()
    for event in _report_events(case_about):
        detail = client.get(f"/admin/accounts/auditevent/{event.pk}/change/", follow=True)
        assert '"employee"' not in detail.content.decode()
        assert f"/admin/accounts/auditevent/{event.pk}/change/" not in detail.redirect_chain[-1][0]


def test_another_national_admin_still_sees_them(client, case_about):
    other = factories.national_admin(username="pusat.lain", is_staff=True, is_superuser=True)
    client.force_login(other)
    listing = client.get("/admin/accounts/auditevent/", {"q": "report"})
    assert "report.reported_employee_set" in listing.content.decode()
    event = _report_events(case_about).get(action="report.reported_employee_set")
    assert client.get(f"/admin/accounts/auditevent/{event.pk}/change/").status_code == 200
