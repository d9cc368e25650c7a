"""The dashboard's Kanwil card counts the UPTs and active staff that the UPT list of that Kanwil shows.

Both come from facilities.selectors (region_summaries on the card, with_staff_count on the list).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def scene(region, facility, sibling_facility, other_facility):
    factories.EmployeeFactory.create_batch(3, facility=facility)
    factories.EmployeeFactory.create_batch(2, facility=sibling_facility)
    factories.EmployeeFactory(facility=sibling_facility, is_active=False)
    closed = factories.FacilityFactory(regional_office=region, is_active=False)
    factories.EmployeeFactory(facility=closed)
    factories.EmployeeFactory.create_batch(4, facility=other_facility)


@pytest.mark.parametrize("who", ["regional_admin", "national_admin"])
def test_the_region_card_counts_what_the_upt_list_shows(request, client, scene, region, who):
    client.force_login(request.getfixturevalue(who))
    cards = {card.pk: card for card in client.get(reverse("dashboard")).context["regions"]}
    listed = list(client.get(reverse("facilities:facility_list"), {"region": region.pk}).context["page_obj"])
    assert cards[region.pk].facility_count == len(listed) == 3
    assert cards[region.pk].staff_count == sum(f.staff_count for f in listed) == 6
