"""The national pages that show completion make the same queries for a small and a larger organisation
(more Kanwil, UPTs, staff, signatures and past campaigns), and show the same figures as the selectors
(issue 13: the completion aggregate runs once per open campaign on the dashboard)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.pledges import factories as pf


def grow(campaign, past, *, regions: int, facilities: int, staff: int, tag: str = "Uji") -> None:
    """More of everything the completion figures count, signed in part in the open and the past campaign."""
    for r in range(regions):
        region = factories.RegionalOfficeFactory(province=f"Provinsi {tag} {r}", name=f"Kanwil {tag} {r}")
        for f in range(facilities):
            upt = factories.FacilityFactory(regional_office=region, name=f"Lapas {tag} {r}-{f}")
            people = factories.EmployeeFactory.create_batch(staff, facility=upt)
            for person in people[::2]:
                pf.signature(campaign, person)
            pf.signature(past, people[-1])


def pages(campaign, region) -> dict[str, str]:
    return {
        "dashboard": reverse("dashboard"),
        "pakta": reverse("pledges:index"),
        "nation": reverse("pledges:campaign_detail", args=[campaign.pk]),
        "region": reverse("pledges:region_completion", args=[campaign.pk, region.pk]),
    }


def queries(client, url) -> int:
    client.get(url)  # warm: sessions, content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["dashboard", "pakta", "nation", "region"])
def test_the_national_pages_make_the_same_queries_at_two_sizes(client, national_admin, facility, region, page):
    campaign = pf.CampaignFactory()
    second = pf.CampaignFactory()  # two open campaigns: the dashboard shows a card for each
    past = pf.CampaignFactory(closed=True)
    pf.signature(campaign, factories.EmployeeFactory(facility=facility))
    client.force_login(national_admin)
    url = pages(campaign, region)[page]
    small = queries(client, url)
    grow(campaign, past, regions=3, facilities=3, staff=3)
    grow(second, past, regions=1, facilities=2, staff=2, tag="Kedua")
    pf.CampaignFactory(closed=True)
    assert queries(client, url) == small


def test_the_nation_page_shows_each_kanwil_figures(client, national_admin, facility, region):
    campaign = pf.CampaignFactory()
    past = pf.CampaignFactory(closed=True)
    pf.signature(campaign, factories.EmployeeFactory(facility=facility))
    factories.EmployeeFactory(facility=facility)
    grow(campaign, past, regions=2, facilities=2, staff=3)
    client.force_login(national_admin)
    response = client.get(pages(campaign, region)["nation"])
    rows = {row.province: (row.facility_count, row.total, row.signed) for row in response.context["rows"]}
    # Each grown UPT: three staff, the first and third signed.
    assert rows == {region.province: (1, 2, 1), "Provinsi Uji 0": (2, 6, 4), "Provinsi Uji 1": (2, 6, 4)}
    assert response.context["totals"] == {"signed": 9, "total": 14, "rate": 64.3}
