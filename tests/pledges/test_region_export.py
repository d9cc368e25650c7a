"""A Kanwil's completion table as .xlsx: the page's figures (pledges.selectors.region_completion), numbers as
numbers, "No." as the first heading in both languages, the region's totals, and the page's access rule."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as base
from tests.pledges import factories
from tests.xlsxread import read_sheet, values


@pytest.fixture
def scene(campaign, facility, sibling_facility, other_facility):
    """Kembangkuning: 5 active staff, 2 signed; its sibling: 3 staff, 1 signed; another region's UPT: 2 signed."""
    people = [base.EmployeeFactory(facility=facility, name=f"Pegawai {c}") for c in "ABCDE"]
    factories.signature(campaign, people[0])
    factories.signature(campaign, people[1])
    siblings = [base.EmployeeFactory(facility=sibling_facility) for _ in range(3)]
    factories.signature(campaign, siblings[0])
    for _ in range(2):
        factories.signature(campaign, base.EmployeeFactory(facility=other_facility))


def urls(campaign, region) -> tuple[str, str]:
    args = [campaign.pk, region.pk]
    return reverse("pledges:region_completion", args=args), reverse("pledges:region_export", args=args)


def test_the_xlsx_has_the_pages_figures_and_totals(client, regional_admin, campaign, region, scene, other_facility):
    client.force_login(regional_admin)
    page_url, export_url = urls(campaign, region)
    page = client.get(page_url)
    response = client.get(export_url)
    assert f"pakta-{campaign.pk}-kanwil-{region.pk}-" in response["Content-Disposition"]
    header, rows = read_sheet(response)
    assert header == ["No.", "UPT", "Pegawai aktif", "Sudah", "Belum", "Tingkat (%)"]
    *body, total = values(rows)
    assert body == [
        [n, row.name, row.total, row.signed, row.unsigned, row.rate]
        for n, row in enumerate(page.context["rows"], start=1)
    ]
    totals = page.context["totals"]
    assert total == [
        None,
        "Jumlah",
        totals["total"],
        totals["signed"],
        totals["total"] - totals["signed"],
        totals["rate"],
    ]
    # The figures themselves, so that a page and an export wrong in the same way would not pass.
    assert {row[1]: row[2:] for row in body} == {
        "Lapas Kelas IIA Kembangkuning": [5, 2, 3, 40.0],
        "Lapas Kelas I Semarang": [3, 1, 2, 33.3],
    }
    assert total[2:] == [8, 3, 5, 37.5]
    assert other_facility.name not in {row[1] for row in body}
    assert all(cell.data_type == "n" for row in rows for cell in row[2:6])


def test_another_regions_admin_and_staff_get_404(client, other_regional_admin, staff, campaign, region, scene):
    page_url, export_url = urls(campaign, region)
    for user in (other_regional_admin, staff):
        client.force_login(user)
        assert client.get(page_url).status_code == 404
        assert client.get(export_url).status_code == 404


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_first_heading_is_the_row_number_in_either_language(
    client, regional_admin, campaign, region, scene, language
):
    client.force_login(regional_admin)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    header, _rows = read_sheet(client.get(urls(campaign, region)[1]))
    assert header[0] == "No."
    assert "Tidak" not in header


def test_the_page_links_the_export(client, regional_admin, campaign, region, scene):
    client.force_login(regional_admin)
    page_url, export_url = urls(campaign, region)
    html = client.get(page_url).content.decode()
    assert f'id="region-export" href="{export_url}"' in html


def test_the_xlsx_costs_the_same_queries_for_few_and_many_upts(client, regional_admin, campaign, region, scene):
    client.force_login(regional_admin)
    page_url, export_url = urls(campaign, region)
    client.get(page_url)
    with CaptureQueriesContext(connection) as few:
        client.get(export_url)
    for n in range(5):
        upt = base.FacilityFactory(regional_office=region, name=f"Rutan Uji {n}")
        factories.signature(campaign, base.EmployeeFactory(facility=upt))
    with CaptureQueriesContext(connection) as many:
        response = client.get(export_url)
    assert len(many) == len(few)
    assert len(read_sheet(response)[1]) == 2 + 5 + 1
