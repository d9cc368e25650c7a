"""The national recap (one row per Kanwil) is counted at most NATIONAL_FIGURES_MAX_AGE seconds ago
(core.snapshots), for each admin on their own: what one admin may not see never reaches another's page.
A Kanwil's recap counts live."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests import factories as base
from tests.facilities import recap_world
from tests.reports import factories as rf
from tests.xlsxread import recap_sheets

URL = "/upt/rekap/"


@pytest.fixture
def world(db, settings):
    settings.NATIONAL_FIGURES_MAX_AGE = 600
    return recap_world.build()


def _jateng(client, world, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200
    return {row.name: row.values for row in response.context["table"].rows}[world.region.name]


def test_a_new_report_shows_at_once_in_the_kanwil_and_after_a_recount_nationally(client, world):
    client.force_login(base.national_admin())
    assert _jateng(client, world)["total"] == 3
    rf.ReportFactory(facility=world.cilacap)

    national = client.get(URL)
    assert 'id="recap-counted-at"' in national.content.decode()
    assert {row.name: row.values for row in national.context["table"].rows}[world.region.name]["total"] == 3
    # Sorting the same rows reads the same count.
    assert _jateng(client, world, urut="-total")["total"] == 3
    # The Kanwil's own rows count live, also for the national admin.
    drilled = client.get(URL, {"kanwil": world.region.pk})
    assert 'id="recap-counted-at"' not in drilled.content.decode()
    assert sum(row.values["total"] or 0 for row in drilled.context["table"].rows) == 4
    cache.clear()
    assert _jateng(client, world)["total"] == 4


def test_each_national_admin_has_their_own_count(client, world):
    """A report about an admin is left out of their recap (reports.access.report_recap_scope); the count
    another admin's request kept must not show it to them."""
    named = base.national_admin(username="pusat.dua")
    employee = base.EmployeeFactory(facility=world.cilacap)
    employee.user = named
    employee.save()
    rf.ReportFactory(facility=world.cilacap, reported_employee=employee)

    client.force_login(base.national_admin())
    assert _jateng(client, world)["total"] == 4
    client.force_login(named)
    assert _jateng(client, world)["total"] == 3


def test_the_page_and_its_xlsx_read_the_same_count(client, world):
    client.force_login(base.national_admin())
    assert _jateng(client, world)["total"] == 3
    rf.ReportFactory(facility=world.cilacap)
    sheets = recap_sheets(client.get("/upt/rekap.xlsx"))
    assert sheets["Laporan pelanggaran"][world.region.name]["Laporan"] == 3
