"""The UPT records themselves: list, search, create and edit by the Kanwil; activating staff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from facilities.models import Facility
from tests import factories


@pytest.fixture
def kanwil(client, regional_admin):
    client.force_login(regional_admin)
    return client


def facility_data(region, **fields):
    return {
        "regional_office": region.pk,
        "name": "Rutan Kelas IIB Cilacap",
        "type": "RUTAN",
        "facility_class": "IIB",
        "city": "Cilacap",
        "address": "Jl. Jenderal Sudirman",
        "is_active": "on",
        **fields,
    }


def test_a_regional_admin_adds_a_facility_to_their_region(kanwil, region, regional_admin):
    response = kanwil.post(reverse("facilities:facility_create"), facility_data(region))
    facility = Facility.objects.get(name="Rutan Kelas IIB Cilacap")
    assert response.status_code == 302
    assert response.url == reverse("facilities:roster", args=[facility.pk])
    assert facility.regional_office == region
    event = AuditEvent.objects.get(action="facility.created")
    assert event.actor == regional_admin and event.facility == facility


def test_facility_names_are_unique(kanwil, region, facility):
    response = kanwil.post(reverse("facilities:facility_create"), facility_data(region, name=facility.name))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_a_regional_admin_edits_a_facility_and_picks_its_head(kanwil, region, facility, employee):
    response = kanwil.post(
        reverse("facilities:facility_edit", args=[facility.pk]),
        facility_data(region, name=facility.name, facility_class="I", head=employee.pk),
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.facility_class, facility.head) == ("I", employee)
    assert AuditEvent.objects.filter(action="facility.updated", facility=facility).exists()


def test_the_head_must_work_at_the_facility(kanwil, region, facility, sibling_facility):
    outsider = factories.EmployeeFactory(facility=sibling_facility)
    response = kanwil.post(
        reverse("facilities:facility_edit", args=[facility.pk]),
        facility_data(region, name=facility.name, head=outsider.pk),
    )
    assert response.status_code == 200
    assert "head" in response.context["form"].errors


def test_the_facility_list_searches_by_name_and_city(kanwil, facility, sibling_facility):
    sibling_facility.city = "Kota Semarang"
    sibling_facility.save()
    url = reverse("facilities:facility_list")
    assert [f.pk for f in kanwil.get(url, {"q": "semarang"}).context["page_obj"]] == [sibling_facility.pk]
    assert [f.pk for f in kanwil.get(url, {"q": "kembangkuning"}).context["page_obj"]] == [facility.pk]


def test_the_facility_list_counts_active_staff(kanwil, facility):
    factories.EmployeeFactory.create_batch(3, facility=facility)
    factories.EmployeeFactory(facility=facility, is_active=False)
    listed = {f.pk: f.staff_count for f in kanwil.get(reverse("facilities:facility_list")).context["page_obj"]}
    assert listed[facility.pk] == 3


def test_the_national_admin_filters_the_list_by_region(client, national_admin, facility, other_facility):
    client.force_login(national_admin)
    response = client.get(reverse("facilities:facility_list"), {"region": other_facility.regional_office.pk})
    assert [f.pk for f in response.context["page_obj"]] == [other_facility.pk]

    page = response.content.decode()
    assert '<select name="region" class="form-select" aria-label="Kanwil"' in page
    assert '<select name="type" class="form-select" aria-label="Jenis"' in page


def test_deactivating_an_employee_hides_them_from_the_roster_and_ends_their_login(
    client, facility_head, facility, staff, employee
):
    client.force_login(facility_head)
    response = client.post(reverse("facilities:employee_set_active", args=[employee.pk]), {"active": "0"})
    assert response.status_code == 302
    employee.refresh_from_db()
    staff.refresh_from_db()
    assert not employee.is_active and not staff.is_active
    roster = reverse("facilities:roster", args=[facility.pk])
    assert list(client.get(roster).context["page_obj"]) == []
    assert list(client.get(roster, {"nonaktif": "1"}).context["page_obj"]) == [employee]
    assert AuditEvent.objects.filter(action="employee.deactivated", object_id=str(employee.pk)).exists()


def test_the_dashboard_of_a_regional_admin_counts_their_region_only(kanwil, facility, other_facility):
    factories.EmployeeFactory.create_batch(2, facility=facility)
    factories.EmployeeFactory.create_batch(5, facility=other_facility)
    regions = list(kanwil.get(reverse("dashboard")).context["regions"])
    assert [(r.pk, r.facility_count, r.staff_count) for r in regions] == [(facility.regional_office.pk, 1, 2)]


def test_a_facility_head_cannot_end_an_admins_login_by_deactivating_their_roster_record(
    client, facility_head, employee, regional_admin
):
    employee.user = regional_admin
    employee.save()
    client.force_login(facility_head)
    client.post(reverse("facilities:employee_set_active", args=[employee.pk]), {"active": "0"})
    employee.refresh_from_db()
    regional_admin.refresh_from_db()
    assert not employee.is_active
    assert regional_admin.is_active


def test_a_regional_admin_deactivating_a_heads_record_ends_the_heads_login(
    client, regional_admin, facility, employee, facility_head
):
    employee.user = facility_head
    employee.save()
    client.force_login(regional_admin)
    client.post(reverse("facilities:employee_set_active", args=[employee.pk]), {"active": "0"})
    facility_head.refresh_from_db()
    assert not facility_head.is_active


def test_the_national_list_counts_the_staff_of_each_page_in_a_constant_number_of_queries(
    client, national_admin, region, other_region, django_assert_num_queries
):
    """The UPTs are paginated first and only the page's UPTs have their staff counted (issue 13): the same
    queries for one UPT as for two pages of them, and the right count on the second page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.http import PAGE_SIZE

    client.force_login(national_admin)
    url = reverse("facilities:facility_list")
    first = factories.FacilityFactory(regional_office=region, name="Lapas Awal")
    factories.EmployeeFactory.create_batch(2, facility=first)
    with CaptureQueriesContext(connection) as small:
        assert [f.staff_count for f in client.get(url).context["page_obj"]] == [2]
    facilities = [
        factories.FacilityFactory(regional_office=other_region, name=f"Rutan Uji {n:03d}") for n in range(PAGE_SIZE + 4)
    ]
    last = facilities[-1]
    factories.EmployeeFactory.create_batch(3, facility=last)
    factories.EmployeeFactory(facility=last, is_active=False)
    with django_assert_num_queries(len(small)):
        response = client.get(url, {"page": 2})
    listed = {f.pk: f.staff_count for f in response.context["page_obj"]}
    assert len(listed) == 5 and listed[last.pk] == 3
    assert set(listed.values()) == {0, 3}
