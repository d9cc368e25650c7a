"""Mutasi: one employee record moves with its placement history; the old UPT no longer lists them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from facilities.models import Employee, Placement
from tests import factories


def transfer(client, employee, facility, date="2025-07-01", note="SK PAS-123.KP.04.01 Tahun 2025"):
    return client.post(
        reverse("facilities:employee_transfer", args=[employee.pk]),
        {"facility": facility.pk, "date": date, "note": note},
    )


@pytest.fixture
def kanwil(client, regional_admin):
    client.force_login(regional_admin)
    return client


def test_a_transfer_keeps_one_record_and_extends_its_history(kanwil, employee, facility, sibling_facility):
    response = transfer(kanwil, employee, sibling_facility)
    assert response.status_code == 302
    assert response.url == reverse("facilities:employee_detail", args=[employee.pk])
    assert Employee.objects.count() == 1
    employee.refresh_from_db()
    assert employee.facility == sibling_facility
    history = list(employee.placements.order_by("start_date"))
    assert [(p.facility, p.start_date, p.end_date) for p in history] == [
        (facility, dt.date(2023, 1, 2), dt.date(2025, 7, 1)),
        (sibling_facility, dt.date(2025, 7, 1), None),
    ]
    assert history[1].note == "SK PAS-123.KP.04.01 Tahun 2025"
    event = AuditEvent.objects.get(action="employee.transferred")
    assert event.facility == facility and event.data["to"] == sibling_facility.pk


def test_the_old_roster_no_longer_lists_a_transferred_employee(kanwil, employee, facility, sibling_facility):
    transfer(kanwil, employee, sibling_facility)
    kanwil.get(reverse("facilities:employee_detail", args=[employee.pk]))  # shows the success message
    old = kanwil.get(reverse("facilities:roster", args=[facility.pk]), {"nonaktif": "1"})
    assert list(old.context["page_obj"].object_list) == []
    assert employee.name not in old.content.decode()
    assert old.context["counts"]["total"] == 0
    new = kanwil.get(reverse("facilities:roster", args=[sibling_facility.pk]))
    assert list(new.context["page_obj"].object_list) == [employee]


def test_the_history_shows_both_facilities(kanwil, employee, facility, sibling_facility):
    transfer(kanwil, employee, sibling_facility)
    html = kanwil.get(reverse("facilities:employee_detail", args=[employee.pk])).content.decode()
    assert facility.name in html and sibling_facility.name in html
    assert "01-07-2025" in html


def test_the_old_head_loses_sight_of_the_employee_and_the_new_head_gains_it(
    client, kanwil, employee, facility, sibling_facility
):
    transfer(kanwil, employee, sibling_facility)
    old_head = factories.facility_head(facility)
    new_head = factories.facility_head(sibling_facility)
    url = reverse("facilities:employee_detail", args=[employee.pk])
    client.force_login(old_head)
    assert client.get(url).status_code == 404
    client.force_login(new_head)
    assert client.get(url).status_code == 200


def test_the_staff_members_own_login_survives_a_transfer(kanwil, client, staff, employee, sibling_facility):
    transfer(kanwil, employee, sibling_facility)
    client.force_login(staff)
    assert client.get(reverse("facilities:employee_detail", args=[employee.pk])).status_code == 200


def test_a_transferred_head_of_facility_is_no_longer_its_head(kanwil, employee, facility, sibling_facility):
    facility.head = employee
    facility.save()
    transfer(kanwil, employee, sibling_facility)
    facility.refresh_from_db()
    assert facility.head is None


def test_a_second_transfer_closes_the_second_placement(kanwil, employee, facility, sibling_facility):
    transfer(kanwil, employee, sibling_facility, date="2024-03-01")
    transfer(kanwil, employee, facility, date="2025-03-01")
    placements = list(employee.placements.order_by("start_date").values_list("facility", "end_date"))
    assert placements == [
        (facility.pk, dt.date(2024, 3, 1)),
        (sibling_facility.pk, dt.date(2025, 3, 1)),
        (facility.pk, None),
    ]
    assert Placement.objects.filter(employee=employee, end_date__isnull=True).count() == 1


def test_a_transfer_cannot_predate_the_current_placement(kanwil, employee, sibling_facility):
    response = transfer(kanwil, employee, sibling_facility, date="2022-12-31")
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "Tanggal efektif tidak boleh sebelum penempatan saat ini (02-01-2023)."
    ]
    employee.refresh_from_db()
    assert employee.facility != sibling_facility


def test_the_current_facility_is_not_offered_as_a_target(kanwil, employee, facility):
    response = transfer(kanwil, employee, facility)
    assert response.status_code == 200
    assert "facility" in response.context["form"].errors
    assert employee.placements.count() == 1


def test_a_regional_admin_cannot_transfer_into_another_region(kanwil, employee, other_facility):
    response = transfer(kanwil, employee, other_facility)
    assert response.status_code == 200
    assert "facility" in response.context["form"].errors
    employee.refresh_from_db()
    assert employee.facility != other_facility


def test_the_national_admin_transfers_across_regions(client, national_admin, employee, other_facility):
    client.force_login(national_admin)
    assert transfer(client, employee, other_facility).status_code == 302
    employee.refresh_from_db()
    assert employee.facility == other_facility


def test_a_facility_head_cannot_transfer(client, facility_head, employee, sibling_facility):
    client.force_login(facility_head)
    assert transfer(client, employee, sibling_facility).status_code == 404
    employee.refresh_from_db()
    assert employee.placements.count() == 1


def test_a_transferred_facility_head_no_longer_manages_the_old_facility(
    client, kanwil, employee, facility, sibling_facility
):
    head = factories.facility_head(facility)
    employee.user = head
    employee.save()
    facility.head = employee
    facility.save()
    transfer(kanwil, employee, sibling_facility)
    client.force_login(head)
    assert client.get(reverse("facilities:roster", args=[facility.pk])).status_code == 404
    assert client.get(reverse("facilities:roster", args=[sibling_facility.pk])).status_code == 404
    assert client.get(reverse("facilities:employee_detail", args=[employee.pk])).status_code == 200  # their own record
    head.refresh_from_db()
    assert (head.role, head.facility) == ("staff", None)
