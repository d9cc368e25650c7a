"""The navigation bar, breadcrumbs and buttons offer each role what the apps' access modules allow.

Templates do not decide access themselves: every role-dependent link is a flag computed by an app's access
module (facilities_nav, satgas_nav, pledges_nav, reports_nav, or the view's context). The link sets below
are the ones each role had when the templates still tested roles, so a change here is a change of behaviour.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.pledges.factories import CampaignFactory
from tests.satgas import factories as satgas_factories

ROLE_TESTS = re.compile(r"user\.(is_national_admin|is_regional_admin|is_facility_head|role\b)|\bRole\.")


def _navbar_links(html: str) -> set[str]:
    start = html.index('<nav class="navbar')
    navbar = html[start : html.index("</nav>", start)]
    return {href for href in re.findall(r'href="([^"]+)"', navbar) if href != "#"}


def _breadcrumb_links(html: str) -> set[str]:
    start = html.index('<ol class="breadcrumb')
    return set(re.findall(r'href="([^"]+)"', html[start : html.index("</ol>", start)]))


def _get(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def world(facility, employee):
    task_force = satgas_factories.appointed(facility)
    member = satgas_factories.ketua_login(task_force)
    return {
        "national": factories.national_admin(username="pusat"),
        "regional": factories.regional_admin(facility.regional_office, username="kanwil"),
        "head": factories.facility_head(facility, username="kalapas"),
        "staff": factories.staff_user(employee),
        "member": member,
        "no_record": factories.UserFactory(username="tanpa.pegawai"),
        "task_force": task_force,
        "employee": employee,
        "facility": facility,
    }


def _expected(who: str, world: dict) -> set[str]:
    always = {reverse("dashboard"), reverse("accounts:password_change"), reverse("accounts:notifications")}
    own = {
        "national": set(),
        "regional": {
            reverse("facilities:facility_list"),
            reverse("facilities:recap"),
            reverse("satgas:overview"),
            reverse("pledges:index"),
        },
        "head": {
            reverse("facilities:roster", args=[world["facility"].pk]),
            reverse("satgas:list"),
            reverse("pledges:index"),
        },
        "staff": {
            reverse("pledges:index"),
            reverse("reports:intake"),
            reverse("facilities:employee_detail", args=[world["employee"].pk]),
        },
        "member": {
            reverse("satgas:list"),
            reverse("pledges:index"),
            reverse("reports:list"),
            reverse("reports:intake"),
            reverse("facilities:employee_detail", args=[world["member"].employee.pk]),
        },
        "no_record": {reverse("pledges:index")},
    }[who]
    if who == "national":
        own = {
            reverse("facilities:facility_list"),
            reverse("facilities:recap"),
            reverse("satgas:overview"),
            reverse("pledges:index"),
            reverse("pledges:text_list"),
            reverse("pledges:verify_index"),
            reverse("reports:list"),
            reverse("admin:index"),
        }
    if who == "regional":
        own |= {reverse("reports:list")}
    return always | own


@pytest.mark.parametrize("who", ["national", "regional", "head", "staff", "member", "no_record"])
def test_the_navigation_bar_by_role(client, world, who):
    assert _navbar_links(_get(client, world[who], reverse("dashboard"))) == _expected(who, world)


def test_a_visitor_gets_the_public_entries(client, db):
    html = client.get(reverse("reports:check")).content.decode()
    assert _navbar_links(html) == {
        "/",
        reverse("pledges:verify_index"),
        reverse("reports:intake"),
        reverse("reports:check"),
        reverse("accounts:login"),
    }


@pytest.mark.parametrize(("who", "listed"), [("national", True), ("regional", True), ("head", False)])
def test_the_roster_pages_link_the_upt_list_for_admins_only(client, world, who, listed):
    upt_list = reverse("facilities:facility_list")
    for url in (
        reverse("facilities:roster", args=[world["facility"].pk]),
        reverse("facilities:employee_detail", args=[world["employee"].pk]),
        reverse("facilities:employee_create", args=[world["facility"].pk]),
    ):
        assert (upt_list in _breadcrumb_links(_get(client, world[who], url))) is listed, url


@pytest.mark.parametrize(("who", "offered"), [("national", True), ("regional", True), ("head", False)])
def test_the_transfer_button_is_offered_to_those_who_may_transfer(client, world, who, offered):
    transfer = reverse("facilities:employee_transfer", args=[world["employee"].pk])
    html = _get(client, world[who], reverse("facilities:employee_detail", args=[world["employee"].pk]))
    assert (f'href="{transfer}"' in html) is offered
    client.force_login(world[who])
    assert client.get(transfer).status_code == (200 if offered else 404)


@pytest.mark.parametrize(
    ("who", "crumb"), [("national", "satgas:overview"), ("regional", "satgas:overview"), ("head", "satgas:list")]
)
def test_the_task_force_breadcrumb_starts_where_the_role_works(client, world, who, crumb):
    html = _get(client, world[who], reverse("satgas:detail", args=[world["task_force"].pk]))
    assert reverse(crumb) in _breadcrumb_links(html)


@pytest.mark.parametrize(("who", "offered"), [("national", True), ("regional", False)])
def test_the_period_button_is_the_national_admins(client, world, who, offered):
    period_list = reverse("satgas:period_list")
    for url in (reverse("satgas:overview"), reverse("dashboard")):
        assert (f'href="{period_list}"' in _get(client, world[who], url)) is offered, url


@pytest.mark.parametrize(("who", "offered"), [("national", True), ("regional", False), ("head", False)])
def test_the_completion_pages_link_the_campaign_for_the_national_admin(client, world, who, offered):
    campaign = CampaignFactory()
    facility = world["facility"]
    link = reverse("pledges:campaign_detail", args=[campaign.pk])
    page = reverse("pledges:facility_completion", args=[campaign.pk, facility.pk])
    assert (link in _breadcrumb_links(_get(client, world[who], page))) is offered
    if who != "head":
        page = reverse("pledges:region_completion", args=[campaign.pk, facility.regional_office_id])
        assert (link in _breadcrumb_links(_get(client, world[who], page))) is offered


def test_no_template_tests_a_role():
    """Role checks in templates are how rules leak out of the access modules: the flags come from the apps."""
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [
        Path(settings.BASE_DIR) / app / "templates"
        for app in ("accounts", "facilities", "satgas", "pledges", "reports")
    ]
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for root in roots
        for path in sorted(root.rglob("*.html"))
        for match in ROLE_TESTS.finditer(path.read_text())
    ]
    assert offenders == []
