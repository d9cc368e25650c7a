"""The satgas entries in the navigation, dashboard, roster page and employee page."""

import pytest

from satgas.models import Membership
from tests import factories


def _html(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "href"),
    [("national_admin", "/satgas/wilayah/"), ("regional_admin", "/satgas/wilayah/"), ("facility_head", "/satgas/")],
)
def test_the_navigation_links_by_role(request, client, task_force, who, href):
    page = _html(client, request.getfixturevalue(who), "/beranda/")
    assert f'class="nav-link" href="{href}"' in page


def test_a_staff_member_outside_the_task_force_gets_no_satgas_link(client, staff, task_force):
    page = _html(client, staff, "/beranda/")
    assert 'href="/satgas/"' not in page
    assert 'id="satgas-dashboard"' not in page


def test_the_dashboard_shows_a_members_role(client, ketua, task_force):
    page = _html(client, ketua, "/beranda/")
    assert 'id="satgas-dashboard"' in page
    assert "Ketua Satgas" in page and f"/satgas/{task_force.pk}/kegiatan/tambah/" in page


def test_the_dashboard_counts_states_for_the_region(client, regional_admin, task_force, sibling_facility):
    page = _html(client, regional_admin, "/beranda/")
    assert 'id="satgas-dashboard"' in page
    assert "menunggu pengukuhan" in page


def test_the_roster_page_links_to_the_facilitys_task_force(client, facility_head, task_force, facility):
    page = _html(client, facility_head, f"/upt/{facility.pk}/")
    assert f'href="/satgas/upt/{facility.pk}/"' in page
    response = client.get(f"/satgas/upt/{facility.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/satgas/{task_force.pk}/"


def test_the_facility_link_offers_to_form_a_task_force_when_there_is_none(client, facility_head, facility):
    client.force_login(facility_head)
    response = client.get(f"/satgas/upt/{facility.pk}/")
    assert response["Location"] == "/satgas/baru/"


def test_the_employee_page_lists_task_force_roles(client, facility_head, task_force):
    ketua = task_force.memberships.current().get(role=Membership.Role.KETUA)
    page = _html(client, facility_head, f"/upt/pegawai/{ketua.employee.pk}/")
    section = page[page.index('id="employee-task-force-roles"') :]
    assert "Ketua" in section and task_force.period.name in section


def test_an_employee_without_roles_shows_no_section(client, facility_head, facility):
    employee = factories.EmployeeFactory(facility=facility)
    page = _html(client, facility_head, f"/upt/pegawai/{employee.pk}/")
    assert "employee-task-force-roles" not in page


def test_the_facility_link_sends_an_admin_to_the_overview_when_there_is_none(client, regional_admin, facility):
    client.force_login(regional_admin)
    response = client.get(f"/satgas/upt/{facility.pk}/")
    assert response["Location"] == "/satgas/wilayah/?q=Lapas+Kelas+IIA+Kembangkuning"


def test_the_facility_link_is_404_outside_the_scope(client, other_regional_admin, facility):
    client.force_login(other_regional_admin)
    assert client.get(f"/satgas/upt/{facility.pk}/").status_code == 404
