"""Each role against objects of its own and of another facility or region.

Scopes: the national admin sees everything; a regional admin one Kanwil; a
facility head one UPT; a staff member their own record. Everything outside a
user's scope answers 404, so that its existence is not revealed.

`own` is the user's facility (region `region`), `sibling` another UPT of the
same region, `other` a UPT of another region.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import ActivationCode
from facilities.models import Employee
from tests import factories

ROLES = ["national", "regional", "head", "staff"]
WHERE = ["own", "sibling", "other"]

# role → which facilities it manages (roster, import, export, employees, codes)
MANAGES = {
    "national": {"own", "sibling", "other"},
    "regional": {"own", "sibling"},
    "head": {"own"},
    "staff": set(),
}
# role → which facilities it administers (the UPT record itself, transfers)
ADMINISTERS = {
    "national": {"own", "sibling", "other"},
    "regional": {"own", "sibling"},
    "head": set(),
    "staff": set(),
}


@pytest.fixture
def world(facility, sibling_facility, other_facility):
    facilities = {"own": facility, "sibling": sibling_facility, "other": other_facility}
    employees = {
        where: factories.EmployeeFactory(facility=f, name=f"Pegawai {where}") for where, f in facilities.items()
    }
    # A colleague at the staff member's own UPT, with a login of their own.
    colleague = factories.EmployeeFactory(facility=facility, name="Rekan Kerja")
    me = factories.EmployeeFactory(facility=facility, name="Saya Sendiri")
    users = {
        "national": factories.national_admin(),
        "regional": factories.regional_admin(facility.regional_office),
        "head": factories.facility_head(facility),
        "staff": factories.staff_user(me),
    }
    staff_users = {where: factories.staff_user(e) for where, e in employees.items()}
    return {
        "facilities": facilities,
        "employees": employees,
        "users": users,
        "staff_users": staff_users,
        "colleague": colleague,
        "me": me,
    }


def expected(allowed: bool) -> int:
    return 200 if allowed else 404


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_roster_page(client, world, role, where):
    client.force_login(world["users"][role])
    response = client.get(reverse("facilities:roster", args=[world["facilities"][where].pk]))
    assert response.status_code == expected(where in MANAGES[role])


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_roster_import_page(client, world, role, where):
    client.force_login(world["users"][role])
    response = client.get(reverse("facilities:roster_import", args=[world["facilities"][where].pk]))
    assert response.status_code == expected(where in MANAGES[role])


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_roster_import_upload(client, world, role, where):
    from tests.facilities.rosterfiles import csv_bytes, upload

    client.force_login(world["users"][role])
    content = csv_bytes([["Budi Santoso", "PNS", "198012302005011003", "III/c", ""]])
    response = client.post(
        reverse("facilities:roster_import", args=[world["facilities"][where].pk]), {"file": upload("a.csv", content)}
    )
    assert response.status_code == (302 if where in MANAGES[role] else 404)


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_roster_export(client, world, role, where):
    client.force_login(world["users"][role])
    response = client.get(reverse("facilities:roster_export", args=[world["facilities"][where].pk]))
    assert response.status_code == expected(where in MANAGES[role])


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_employee_create_page(client, world, role, where):
    client.force_login(world["users"][role])
    response = client.get(reverse("facilities:employee_create", args=[world["facilities"][where].pk]))
    assert response.status_code == expected(where in MANAGES[role])


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_employee_detail(client, world, role, where):
    client.force_login(world["users"][role])
    response = client.get(reverse("facilities:employee_detail", args=[world["employees"][where].pk]))
    assert response.status_code == expected(where in MANAGES[role])


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_employee_edit(client, world, role, where):
    client.force_login(world["users"][role])
    employee = world["employees"][where]
    url = reverse("facilities:employee_edit", args=[employee.pk])
    assert client.get(url).status_code == expected(where in MANAGES[role])
    response = client.post(
        url,
        {
            "name": "Diubah",
            "employment_type": "PNS",
            "identifier": employee.identifier,
            "rank": "III/a",
            "position": "",
        },
    )
    assert response.status_code == (302 if where in MANAGES[role] else 404)
    employee.refresh_from_db()
    assert (employee.name == "Diubah") == (where in MANAGES[role])


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_employee_set_active(client, world, role, where):
    client.force_login(world["users"][role])
    employee = world["employees"][where]
    response = client.post(reverse("facilities:employee_set_active", args=[employee.pk]), {"active": "0"})
    assert response.status_code == (302 if where in MANAGES[role] else 404)
    employee.refresh_from_db()
    assert employee.is_active != (where in MANAGES[role])


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_employee_transfer_page(client, world, role, where):
    client.force_login(world["users"][role])
    response = client.get(reverse("facilities:employee_transfer", args=[world["employees"][where].pk]))
    assert response.status_code == expected(where in ADMINISTERS[role])


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_facility_edit(client, world, role, where):
    client.force_login(world["users"][role])
    response = client.get(reverse("facilities:facility_edit", args=[world["facilities"][where].pk]))
    assert response.status_code == expected(where in ADMINISTERS[role])


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_issue_activation_codes(client, world, role, where):
    client.force_login(world["users"][role])
    employee = world["employees"][where]
    url = reverse("facilities:issue_codes", args=[world["facilities"][where].pk])
    response = client.post(url, {"employee": [employee.pk]})
    allowed = where in MANAGES[role]
    assert response.status_code == expected(allowed)
    if allowed:
        assert response["Content-Type"] == "application/pdf"
    assert ActivationCode.objects.filter(user__employee=employee).exists() == allowed


@pytest.mark.parametrize("role", ["regional", "head"])
def test_issuing_codes_ignores_employees_of_another_facility_posted_to_ones_own(client, world, role):
    client.force_login(world["users"][role])
    url = reverse("facilities:issue_codes", args=[world["facilities"]["own"].pk])
    response = client.post(url, {"employee": [world["employees"]["other"].pk]})
    assert response.status_code == 302  # back to the roster: nobody chosen
    assert not ActivationCode.objects.exists()


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_reset_a_staff_password(client, world, role, where):
    client.force_login(world["users"][role])
    target = world["staff_users"][where]
    response = client.post(reverse("facilities:reset_password", args=[target.pk]))
    allowed = where in MANAGES[role]
    assert response.status_code == expected(allowed)
    target.refresh_from_db()
    assert target.has_usable_password() != allowed


@pytest.mark.parametrize("role", ROLES)
def test_facility_list(client, world, role):
    client.force_login(world["users"][role])
    response = client.get(reverse("facilities:facility_list"))
    if role in ("head", "staff"):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    listed = {f.pk for f in response.context["page_obj"].object_list}
    assert listed == {world["facilities"][w].pk for w in MANAGES[role]}


@pytest.mark.parametrize("role", ROLES)
def test_facility_create(client, world, role):
    client.force_login(world["users"][role])
    response = client.get(reverse("facilities:facility_create"))
    assert response.status_code == expected(role in ("national", "regional"))


def test_a_regional_admin_cannot_create_a_facility_in_another_region(client, world, other_region):
    client.force_login(world["users"]["regional"])
    response = client.post(
        reverse("facilities:facility_create"),
        {
            "regional_office": other_region.pk,
            "name": "Lapas Baru",
            "type": "LAPAS",
            "facility_class": "IIB",
            "city": "X",
        },
    )
    assert response.status_code == 200
    assert "regional_office" in response.context["form"].errors


def test_staff_see_their_own_record_but_not_a_colleagues(client, world):
    client.force_login(world["users"]["staff"])
    assert client.get(reverse("facilities:employee_detail", args=[world["me"].pk])).status_code == 200
    assert client.get(reverse("facilities:employee_detail", args=[world["colleague"].pk])).status_code == 404
    assert client.get(reverse("facilities:employee_edit", args=[world["me"].pk])).status_code == 404


def test_staff_cannot_reset_their_own_password_through_the_admin_reset(client, world):
    client.force_login(world["users"]["staff"])
    response = client.post(reverse("facilities:reset_password", args=[world["users"]["staff"].pk]))
    assert response.status_code == 404


def test_the_search_on_another_facilitys_roster_reveals_nothing(client, world):
    client.force_login(world["users"]["head"])
    identifier = world["employees"]["other"].identifier
    response = client.get(reverse("facilities:roster", args=[world["facilities"]["own"].pk]), {"q": identifier})
    assert list(response.context["page_obj"].object_list) == []


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    for url in (
        reverse("facilities:facility_list"),
        reverse("facilities:roster", args=[world["facilities"]["own"].pk]),
        reverse("facilities:employee_detail", args=[world["employees"]["own"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_unknown_objects_are_404_even_for_the_national_admin(client, world):
    client.force_login(world["users"]["national"])
    assert client.get(reverse("facilities:roster", args=[999999])).status_code == 404
    assert client.get(reverse("facilities:employee_detail", args=[999999])).status_code == 404
    assert Employee.objects.count() == 5


# --- Resetting the passwords of admins and heads ------------------------------


def test_a_facility_head_cannot_reset_a_regional_admins_password(client, world):
    client.force_login(world["users"]["head"])
    target = world["users"]["regional"]
    response = client.post(reverse("facilities:reset_password", args=[target.pk]))
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.check_password(factories.PASSWORD)


def test_a_facility_head_cannot_reset_another_facility_heads_password(client, world, sibling_facility):
    client.force_login(world["users"]["head"])
    target = factories.facility_head(sibling_facility)
    assert client.post(reverse("facilities:reset_password", args=[target.pk])).status_code == 404


def test_a_regional_admin_resets_the_password_of_a_head_in_their_region(client, world):
    client.force_login(world["users"]["regional"])
    target = world["users"]["head"]
    response = client.post(reverse("facilities:reset_password", args=[target.pk]))
    assert response.status_code == 200
    target.refresh_from_db()
    assert not target.has_usable_password()


def test_a_regional_admin_cannot_reset_a_head_of_another_region(client, world, other_facility):
    client.force_login(world["users"]["regional"])
    target = factories.facility_head(other_facility)
    assert client.post(reverse("facilities:reset_password", args=[target.pk])).status_code == 404


def test_a_regional_admin_cannot_reset_another_regional_admin(client, world, other_region):
    client.force_login(world["users"]["regional"])
    target = factories.regional_admin(other_region)
    assert client.post(reverse("facilities:reset_password", args=[target.pk])).status_code == 404


def test_nobody_resets_a_superusers_password_through_the_slip(client, world):
    client.force_login(world["users"]["national"])
    target = factories.UserFactory(is_superuser=True, role="national_admin")
    assert client.post(reverse("facilities:reset_password", args=[target.pk])).status_code == 404


def test_the_national_admin_resets_a_regional_admins_password(client, world):
    client.force_login(world["users"]["national"])
    target = world["users"]["regional"]
    assert client.post(reverse("facilities:reset_password", args=[target.pk])).status_code == 200
