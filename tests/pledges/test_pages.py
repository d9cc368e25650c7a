"""The pledges sections on shared pages: navigation, dashboard, roster link, employee page, overview."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.pledges import factories


def test_staff_dashboard_offers_to_sign_an_open_campaign(staff_client, campaign):
    page = staff_client.get("/beranda/").content.decode()
    assert reverse("pledges:sign", args=[campaign.pk]) in page
    assert 'href="/pakta/"' in page


def test_the_offer_disappears_once_signed(staff_client, campaign, signed):
    page = staff_client.get("/beranda/").content.decode()
    assert reverse("pledges:sign", args=[campaign.pk]) not in page


def test_a_closed_campaign_is_not_offered(staff_client, closed_campaign):
    page = staff_client.get("/beranda/").content.decode()
    assert reverse("pledges:sign", args=[closed_campaign.pk]) not in page


@pytest.mark.parametrize(
    ("who", "link"),
    [
        ("facility_head", "pledges:facility_completion"),
        ("regional_admin", "pledges:region_completion"),
        ("national_admin", "pledges:campaign_detail"),
    ],
)
def test_managers_see_a_completion_summary(request, client, campaign, signed, facility, who, link):
    client.force_login(request.getfixturevalue(who))
    page = client.get("/beranda/").content.decode()
    assert campaign.name in page
    assert "1 dari 1 pegawai" in page
    prefix = reverse("pledges:campaign_detail", args=[campaign.pk])
    assert prefix in page


def test_the_roster_links_to_the_facilitys_completion(client, facility_head, campaign, facility):
    client.force_login(facility_head)
    page = client.get(reverse("facilities:roster", args=[facility.pk])).content.decode()
    assert reverse("pledges:facility_completion", args=[campaign.pk, facility.pk]) in page


def test_the_employee_page_lists_their_pacts(client, facility_head, signed, employee):
    client.force_login(facility_head)
    page = client.get(reverse("facilities:employee_detail", args=[employee.pk])).content.decode()
    assert reverse("pledges:signature_detail", args=[signed.pk]) in page
    assert signed.campaign.name in page


def test_the_overview_lists_my_pacts_and_open_campaigns(staff_client, campaign, closed_campaign, employee):
    old = factories.signature(closed_campaign, employee)
    page = staff_client.get(reverse("pledges:index")).content.decode()
    assert reverse("pledges:sign", args=[campaign.pk]) in page
    assert reverse("pledges:signature_detail", args=[old.pk]) in page


def test_the_signature_page_shows_the_signer_their_pact(staff_client, signed):
    page = staff_client.get(reverse("pledges:signature_detail", args=[signed.pk])).content.decode()
    assert signed.fingerprint in page
    assert reverse("pledges:verify", args=[signed.verification_code]) in page
    assert "Cabut pakta" not in page


@pytest.mark.parametrize("who", ["national_admin", "regional_admin", "facility_head", "staff"])
def test_the_overview_renders_for_every_role(request, client, campaign, employee, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("pledges:index"))
    assert response.status_code == 200
    if who != "staff":
        assert campaign.name in response.content.decode()


@pytest.mark.parametrize(
    ("who", "present", "absent"),
    [
        ("national_admin", ["/pakta/teks/", "/pakta/"], []),
        ("regional_admin", ["/pakta/"], ["/pakta/teks/"]),
        ("staff", ["/pakta/"], ["/pakta/teks/"]),
    ],
)
def test_the_navigation_offers_pacts_by_role(request, client, employee, who, present, absent):
    client.force_login(request.getfixturevalue(who))
    nav = client.get("/beranda/").content.decode().split("</nav>")[0]
    for href in present:
        assert f'href="{href}"' in nav
    for href in absent:
        assert f'href="{href}"' not in nav
