"""National figures kept between requests (core.snapshots): the national pages read them, a Kanwil's and a
UPT's pages count live, run_periodic recounts them, and a cache that fails costs the count, not the page."""

from __future__ import annotations

import pytest
import redis
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from tests import factories as base
from tests.pledges import factories

pytestmark = pytest.mark.usefixtures("snapshots_on")


@pytest.fixture
def snapshots_on(settings):
    settings.NATIONAL_FIGURES_MAX_AGE = 600


@pytest.fixture
def staff(facility, campaign):
    """Four active staff of the UPT, one signed."""
    people = [base.EmployeeFactory(facility=facility) for _ in range(4)]
    factories.signature(campaign, people[0])
    return people


def _national(client, campaign) -> dict:
    response = client.get(reverse("pledges:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    return response.context["totals"]


def test_the_national_page_shows_when_its_figures_were_counted(client, national_admin, campaign, staff):
    client.force_login(national_admin)
    response = client.get(reverse("pledges:campaign_detail", args=[campaign.pk]))
    assert response.context["totals"] == {"signed": 1, "total": 4, "rate": 25.0}
    assert 'id="completion-counted-at"' in response.content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'id="dashboard-counted-at-{campaign.pk}"' in dashboard


def test_a_signature_shows_at_once_on_the_upt_and_kanwil_pages_and_later_nationally(
    client, national_admin, regional_admin, facility_head, campaign, facility, staff
):
    client.force_login(national_admin)
    assert _national(client, campaign)["signed"] == 1
    factories.signature(campaign, staff[1])

    # The national page reads what it counted a moment ago ...
    assert _national(client, campaign)["signed"] == 1
    # ... the Kanwil's and the UPT's pages count live.
    client.force_login(regional_admin)
    region_page = client.get(reverse("pledges:region_completion", args=[campaign.pk, facility.regional_office_id]))
    assert region_page.context["totals"]["signed"] == 2
    client.force_login(facility_head)
    upt_page = client.get(reverse("pledges:facility_completion", args=[campaign.pk, facility.pk]))
    assert upt_page.context["totals"]["signed"] == 2

    # run_periodic recounts the open campaigns before the figures expire.
    call_command("run_periodic", "--only", "pledges.selectors.recount_national_figures")
    client.force_login(national_admin)
    assert _national(client, campaign)["signed"] == 2


def test_expired_figures_are_counted_again(client, national_admin, campaign, staff):
    client.force_login(national_admin)
    assert _national(client, campaign)["signed"] == 1
    factories.signature(campaign, staff[1])
    cache.clear()  # what expiry does
    assert _national(client, campaign)["signed"] == 2


def test_with_max_age_zero_every_request_counts(client, national_admin, campaign, staff, settings):
    settings.NATIONAL_FIGURES_MAX_AGE = 0
    client.force_login(national_admin)
    assert _national(client, campaign)["signed"] == 1
    factories.signature(campaign, staff[1])
    assert _national(client, campaign)["signed"] == 2


def test_an_unreachable_cache_costs_the_count_not_the_page(client, national_admin, campaign, staff, monkeypatch):
    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("cache down")

    client.force_login(national_admin)
    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    assert _national(client, campaign) == {"signed": 1, "total": 4, "rate": 25.0}


def test_the_kanwil_cards_of_the_national_dashboard_are_kept_too(client, national_admin, facility, staff):
    client.force_login(national_admin)
    first = client.get(reverse("dashboard"))
    cards = {r.pk: r.staff_count for r in first.context["regions"]}
    assert cards[facility.regional_office_id] == 4
    base.EmployeeFactory(facility=facility)
    kept = {r.pk: r.staff_count for r in client.get(reverse("dashboard")).context["regions"]}
    assert kept[facility.regional_office_id] == 4
    cache.clear()
    fresh = {r.pk: r.staff_count for r in client.get(reverse("dashboard")).context["regions"]}
    assert fresh[facility.regional_office_id] == 5


def test_the_periodic_job_says_what_it_did(campaign, settings):
    from pledges.selectors import recount_national_figures

    assert recount_national_figures() == "1 campaign(s) recounted"
    settings.NATIONAL_FIGURES_MAX_AGE = 0
    assert recount_national_figures() == "national figures are counted on every request"
