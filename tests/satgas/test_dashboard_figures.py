"""The dashboard card and the regional overview count the task forces of a scope the same way.

Both take their figures from satgas.selectors.state_counts; these tests hold the pair together on data
where a second computation would go wrong (as the card once did, counting an empty later period): several
periods, an ended task force, an inactive UPT, a UPT of another region.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from satgas.models import TaskForce
from tests import factories
from tests.satgas.factories import PeriodFactory, TaskForceFactory, appointed

STATES = ["inaugurated", "appointed", "draft", "none"]


def _number(html: str, element_id: str) -> int:
    match = re.search(rf'id="{element_id}">(\d+)<', html)
    assert match, element_id
    return int(match.group(1))


@pytest.fixture
def scene(region, other_region, facility, sibling_facility):
    period = PeriodFactory()
    earlier = PeriodFactory(name="Pemilu 2019", start_date=dt.date(2018, 9, 23), end_date=dt.date(2019, 10, 20))
    appointed(facility, period=period, state=TaskForce.State.INAUGURATED)
    appointed(sibling_facility, period=period)
    TaskForceFactory(facility=factories.FacilityFactory(regional_office=region), period=period)
    ended = appointed(factories.FacilityFactory(regional_office=region), period=period)
    TaskForce.objects.filter(pk=ended.pk).update(state=TaskForce.State.ENDED)
    factories.FacilityFactory(regional_office=region)  # none formed
    closed = factories.FacilityFactory(regional_office=region, is_active=False)
    appointed(closed, period=period)
    appointed(factories.FacilityFactory(regional_office=other_region), period=period)
    TaskForceFactory(facility=facility, period=earlier)  # another period's
    # A later period nobody has formed a task force for yet: not the one either page opens on.
    PeriodFactory(name="Pemilu 2029", start_date=dt.date(2028, 9, 1), end_date=dt.date(2029, 10, 20))
    return period


@pytest.mark.parametrize("who", ["regional_admin", "national_admin"])
def test_the_dashboard_card_and_the_overview_show_the_same_counts(request, client, scene, who):
    client.force_login(request.getfixturevalue(who))
    dashboard = client.get("/beranda/").content.decode()
    overview = client.get("/satgas/wilayah/")
    assert overview.context["period"] == scene  # both open on the same default period
    page = overview.content.decode()
    for state in STATES:
        assert _number(dashboard, f"satgas-count-{state}") == _number(page, f"state-count-{state}"), state


def test_the_counts_are_those_of_the_scope(client, regional_admin, scene):
    client.force_login(regional_admin)
    dashboard = client.get("/beranda/").content.decode()
    assert [_number(dashboard, f"satgas-count-{state}") for state in STATES] == [1, 1, 1, 1]
