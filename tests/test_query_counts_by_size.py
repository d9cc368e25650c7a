"""Every main page runs the same number of queries whatever the amount of data (issue 13).

One organisation is built small, every page is requested as the role that uses it and its queries are
counted; then more of everything is added to the same scopes (UPTs in the region, staff, task forces and
members, signatures, paper signatures, reports in every state, activities, a closed past campaign, another
region) and the pages are counted again. A page whose count grows with the data runs a query per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Category, State
from satgas.models import TaskForce
from tests import factories as base
from tests.pledges import factories as pledge_factories
from tests.reports.factories import ReportFactory
from tests.satgas import factories as satgas_factories


@dataclass
class World:
    region: object
    facility: object
    period: object
    campaign: object
    task_force: object
    users: dict
    signature: object
    report: object
    staff_employee: object
    grown: int = 0


def _build() -> World:
    region = base.RegionalOfficeFactory()
    facility = base.FacilityFactory(regional_office=region)
    period = satgas_factories.PeriodFactory()
    campaign = pledge_factories.CampaignFactory(period=period)
    task_force = satgas_factories.appointed(facility, size=4, period=period, state=TaskForce.State.INAUGURATED)
    staff_employee = base.EmployeeFactory(facility=facility)
    reader_employee = base.EmployeeFactory(facility=facility)
    users = {
        "national": base.national_admin(),
        "regional": base.regional_admin(region),
        "head": base.facility_head(facility),
        "satgas": satgas_factories.ketua_login(task_force),
        "staff": base.staff_user(staff_employee),
        "reader": base.staff_user(reader_employee),
    }
    signature = pledge_factories.signature(campaign, staff_employee)
    report = ReportFactory(facility=facility)
    satgas_factories.ActivityFactory(task_force=task_force)
    return World(region, facility, period, campaign, task_force, users, signature, report, staff_employee)


def _report(facility, n: int):
    """A report in one of every state in turn (with what each state requires), of one category in turn."""
    from django.utils import timezone

    from reports.models import ForwardTarget, Outcome

    state = list(State.values)[n % len(State.values)]
    extra = {
        State.FORWARDED: {"forwarded_to": ForwardTarget.values[0]},
        State.CONCLUDED: {"outcome": Outcome.NOT_PROVEN, "closed_at": timezone.now()},
        State.REJECTED: {"rejection_reason": "Bukan pelanggaran netralitas.", "closed_at": timezone.now()},
    }.get(state, {})
    return ReportFactory(facility=facility, state=state, category=Category.values[n % len(Category.values)], **extra)


def _grow(world: World, units: int) -> None:
    """More of everything, in the scopes the pages show."""
    for _ in range(units):
        n = world.grown = world.grown + 1
        # Another UPT of the region, with staff, a task force, signatures, reports and an activity.
        upt = base.FacilityFactory(regional_office=world.region)
        staff = [base.EmployeeFactory(facility=upt) for _ in range(3)]
        task_force = satgas_factories.appointed(upt, size=3, period=world.period)
        for employee in staff[:2]:
            pledge_factories.signature(world.campaign, employee)
        for i in range(2):
            _report(upt, n + i)
        satgas_factories.ActivityFactory(task_force=task_force, date=dt.date(2024, 2, n % 28 + 1))
        # More in the head's own UPT: staff who signed, a member, reports in other states, an activity.
        for _ in range(3):
            pledge_factories.signature(world.campaign, base.EmployeeFactory(facility=world.facility))
        satgas_factories.MembershipFactory(task_force=world.task_force)
        _report(world.facility, n)
        satgas_factories.ActivityFactory(task_force=world.task_force, date=dt.date(2024, 3, n % 28 + 1))
        # A closed campaign of an earlier election, signed in the head's UPT.
        past = pledge_factories.CampaignFactory(period=world.period, closed=True)
        pledge_factories.signature(past, world.staff_employee)
        # Another region, with a UPT, staff and a report.
        other = base.FacilityFactory()
        base.EmployeeFactory(facility=other)
        ReportFactory(facility=other)


def _pages(world: World) -> list[tuple[str, str, str]]:
    c, f, r = world.campaign.pk, world.facility.pk, world.region.pk
    tf = world.task_force.pk
    return [
        ("dashboard", "national", reverse("dashboard")),
        ("dashboard", "regional", reverse("dashboard")),
        ("dashboard", "head", reverse("dashboard")),
        ("dashboard", "satgas", reverse("dashboard")),
        ("dashboard", "staff", reverse("dashboard")),
        ("UPT list", "national", reverse("facilities:facility_list")),
        ("UPT list", "regional", reverse("facilities:facility_list")),
        ("roster", "head", reverse("facilities:roster", args=[f])),
        ("roster search", "head", reverse("facilities:roster", args=[f]) + "?q=Pegawai"),
        ("employee", "head", reverse("facilities:employee_detail", args=[world.staff_employee.pk])),
        ("task forces", "national", reverse("satgas:list")),
        ("task forces", "regional", reverse("satgas:list")),
        ("task forces", "head", reverse("satgas:list")),
        ("task force overview", "national", reverse("satgas:overview")),
        ("task force overview", "regional", reverse("satgas:overview")),
        ("task force", "head", reverse("satgas:detail", args=[tf])),
        ("activities", "satgas", reverse("satgas:activity_list", args=[tf])),
        ("pacts", "national", reverse("pledges:index")),
        ("pacts", "regional", reverse("pledges:index")),
        ("pacts", "staff", reverse("pledges:index")),
        ("completion, nation", "national", reverse("pledges:campaign_detail", args=[c])),
        ("completion, region", "national", reverse("pledges:region_completion", args=[c, r])),
        ("completion, region", "regional", reverse("pledges:region_completion", args=[c, r])),
        ("completion, UPT", "head", reverse("pledges:facility_completion", args=[c, f])),
        ("signing page", "reader", reverse("pledges:sign", args=[c])),
        ("signed pact", "staff", reverse("pledges:signature_detail", args=[world.signature.pk])),
        ("reports", "national", reverse("reports:list")),
        ("reports", "regional", reverse("reports:list")),
        ("reports", "satgas", reverse("reports:list")),
        ("report", "regional", reverse("reports:detail", args=[world.report.pk])),
        ("recap", "national", reverse("facilities:recap")),
        ("recap, a Kanwil", "national", reverse("facilities:recap") + f"?kanwil={r}"),
        ("recap", "regional", reverse("facilities:recap")),
        ("recap .xlsx", "regional", reverse("facilities:recap_export")),
        ("reports .xlsx", "regional", reverse("reports:export")),
        ("report recap .xlsx", "regional", reverse("reports:recap_export")),
        ("completion .xlsx", "head", reverse("pledges:facility_export", args=[c, f])),
        ("roster .xlsx", "head", reverse("facilities:roster_export", args=[f])),
        ("home", "public", reverse("home")),
        ("report form", "public", reverse("reports:intake")),
        ("receipt check", "public", reverse("reports:check")),
        ("verification", "public", reverse("pledges:verify_index")),
    ]


def _count(world: World) -> dict[tuple[str, str], int]:
    clients = {}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    clients["public"] = Client()
    counts = {}
    for name, role, url in _pages(world):
        client = clients[role]
        client.get(url)  # warm: per-process caches, a first session write
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            # Streamed exports run their queries while the body is read.
            _body = b"".join(response) if response.streaming else response.content
        assert response.status_code in (200, 302), (name, role, response.status_code)
        counts[(name, role)] = len(ctx.captured_queries)
    return counts


@pytest.mark.django_db
def test_every_main_page_runs_the_same_queries_for_small_and_larger_data():
    world = _build()
    _grow(world, 1)
    small = _count(world)
    _grow(world, 4)
    larger = _count(world)
    grew = {page: (small[page], larger[page]) for page in small if small[page] != larger[page]}
    assert not grew, f"queries grew with the data (small → larger): {grew}"
