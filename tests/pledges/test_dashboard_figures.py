"""The dashboard card and the completion pages show a campaign's completion from one computation.

Each level (UPT head, Kanwil, national) sees on the card the signed, total and rate that the page the card
links to shows; both come from pledges.selectors.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from pledges.models import Signature
from tests import factories
from tests.pledges import factories as pf


def _figures(html: str, totals_id: str, rate_id: str) -> tuple[int, int, str]:
    totals = re.search(rf'id="{totals_id}">\s*(\d+) dari (\d+)', html)
    rate = re.search(rf'id="{rate_id}">([\d.,]+)%', html)
    assert totals and rate, (totals_id, rate_id)
    return int(totals.group(1)), int(totals.group(2)), rate.group(1)


@pytest.fixture
def scene(facility, sibling_facility, other_facility):
    campaign = pf.CampaignFactory()
    for where, staff, signers in ((facility, 5, 2), (sibling_facility, 4, 3), (other_facility, 3, 1)):
        people = [factories.EmployeeFactory(facility=where) for _ in range(staff)]
        for person in people[:signers]:
            pf.signature(campaign, person)
    revoked = pf.signature(campaign, factories.EmployeeFactory(facility=facility))
    Signature.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now(), revocation_reason="Salah orang")
    factories.EmployeeFactory(facility=facility, is_active=False)
    return campaign


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("facility_head", lambda c, f: f"/pakta/kampanye/{c.pk}/upt/{f.pk}/"),
        ("regional_admin", lambda c, f: f"/pakta/kampanye/{c.pk}/kanwil/{f.regional_office_id}/"),
        ("national_admin", lambda c, f: f"/pakta/kampanye/{c.pk}/"),
    ],
)
def test_the_dashboard_card_shows_the_figures_of_the_page_it_links_to(request, client, scene, facility, who, page):
    campaign = scene
    client.force_login(request.getfixturevalue(who))
    dashboard = client.get("/beranda/").content.decode()
    url = page(campaign, facility)
    assert f'href="{url}"' in dashboard
    on_card = _figures(dashboard, f"dashboard-totals-{campaign.pk}", f"dashboard-rate-{campaign.pk}")
    on_page = _figures(client.get(url).content.decode(), "completion-totals", "completion-rate")
    assert on_card == on_page
    assert on_card[1] > 0
