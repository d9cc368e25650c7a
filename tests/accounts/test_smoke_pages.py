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


def test_pages_name_a_local_icon_so_browsers_do_not_request_a_missing_favicon_ico(client):
    from django.contrib.staticfiles import finders

    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("img/favicon.svg")
    # The Django admin has no such link; browsers then ask for /favicon.ico.
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/img/favicon.svg"
