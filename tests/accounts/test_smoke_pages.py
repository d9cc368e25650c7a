"""Every main page renders for the role it is meant for."""

import pytest

from tests import factories


@pytest.mark.parametrize("role", ["national", "regional", "head", "staff"])
def test_dashboard_renders_for_each_role(client, facility, employee, role):
    user = {
        "national": lambda: factories.national_admin(),
        "regional": lambda: factories.regional_admin(facility.regional_office),
        "head": lambda: factories.facility_head(facility),
        "staff": lambda: factories.staff_user(employee),
    }[role]()
    client.force_login(user)
    response = client.get("/beranda/")
    assert response.status_code == 200
    assert user.display_name in response.content.decode()
