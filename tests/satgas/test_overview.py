"""The regional overview: every facility with its task force state, member count and last activity."""

import datetime as dt

import pytest

from satgas.models import TaskForce
from tests import factories
from tests.satgas.factories import ActivityFactory, PeriodFactory, TaskForceFactory, appointed


@pytest.fixture
def region_with_states(region, facility, sibling_facility, period):
    """Four facilities of the region: inaugurated, appointed, draft and none."""
    inaugurated = appointed(facility, period=period, size=12, state=TaskForce.State.INAUGURATED)
    ActivityFactory(task_force=inaugurated, date=dt.date(2024, 2, 13))
    ActivityFactory(task_force=inaugurated, date=dt.date(2024, 1, 31))
    appointed(sibling_facility, period=period, size=5)
    drafted = factories.FacilityFactory(regional_office=region, name="Rutan Kelas I Surakarta")
    TaskForceFactory(facility=drafted, period=period)
    factories.FacilityFactory(regional_office=region, name="Bapas Kelas I Semarang")
    return region


def _rows(response) -> dict:
    return {f.name: (f.tf_state, f.member_count, f.last_activity) for f in response.context["page_obj"]}


def test_the_regional_admin_sees_every_facility_of_the_region(
    login, regional_admin, region_with_states, other_task_force
):
    response = login(regional_admin).get("/satgas/wilayah/")
    assert response.status_code == 200
    assert _rows(response) == {
        "Lapas Kelas IIA Kembangkuning": ("inaugurated", 12, dt.date(2024, 2, 13)),
        "Lapas Kelas I Semarang": ("appointed", 5, None),
        "Rutan Kelas I Surakarta": ("draft", 0, None),
        "Bapas Kelas I Semarang": (None, 0, None),
    }
    page = response.content.decode()
    assert "Belum dibentuk" in page and "13-02-2024" in page


def test_it_filters_by_state(login, regional_admin, region_with_states):
    client = login(regional_admin)
    assert list(_rows(client.get("/satgas/wilayah/?state=none"))) == ["Bapas Kelas I Semarang"]
    assert list(_rows(client.get("/satgas/wilayah/?state=inaugurated"))) == ["Lapas Kelas IIA Kembangkuning"]
    assert list(_rows(client.get("/satgas/wilayah/?q=Surakarta"))) == ["Rutan Kelas I Surakarta"]


def test_the_state_counts_cover_the_whole_region(login, regional_admin, region_with_states):
    response = login(regional_admin).get("/satgas/wilayah/?state=draft")
    counts = {value: n for value, _label, n in response.context["state_counts"]}
    assert counts == {"none": 1, "draft": 1, "appointed": 1, "inaugurated": 1, "ended": 0}


def test_another_period_shows_its_own_state(login, regional_admin, region_with_states):
    pilkada = PeriodFactory(name="Pilkada 2024", election_type="PILKADA", start_date=dt.date(2024, 8, 27))
    response = login(regional_admin).get(f"/satgas/wilayah/?period={pilkada.pk}")
    assert {state for state, _n, _d in _rows(response).values()} == {None}


def test_the_national_admin_sees_all_regions_grouped(login, national_admin, region_with_states, other_task_force):
    response = login(national_admin).get("/satgas/wilayah/")
    rows = _rows(response)
    assert rows["Lapas Kelas IIA Kayu Agung"][0] == "appointed"
    assert len(rows) == 5
    assert response.context["grouped"] is True
    page = response.content.decode()
    assert page.index("Kanwil Ditjenpas Jawa Tengah") < page.index("Kanwil Ditjenpas Sumatera Selatan")
    regional = login(national_admin).get(f"/satgas/wilayah/?region={other_task_force.facility.regional_office_id}")
    assert list(_rows(regional)) == ["Lapas Kelas IIA Kayu Agung"]


def test_the_regional_admin_cannot_pick_another_region(login, regional_admin, region_with_states, other_task_force):
    response = login(regional_admin).get(f"/satgas/wilayah/?region={other_task_force.facility.regional_office_id}")
    assert "Lapas Kelas IIA Kayu Agung" not in _rows(response)


def test_each_facility_links_to_its_task_force(login, regional_admin, region_with_states):
    response = login(regional_admin).get("/satgas/wilayah/")
    task_force = TaskForce.objects.get(facility__name="Lapas Kelas IIA Kembangkuning")
    assert f'href="/satgas/{task_force.pk}/"' in response.content.decode()
    assert login(regional_admin).get(f"/satgas/{task_force.pk}/").status_code == 200


def test_the_query_count_does_not_grow_with_the_facilities(
    login, regional_admin, region_with_states, period, django_assert_max_num_queries
):
    client = login(regional_admin)
    client.get("/satgas/wilayah/")  # warm up session and content types
    for n in range(20):
        facility = factories.FacilityFactory(regional_office=region_with_states, name=f"Lapas Tambahan {n:02d}")
        appointed(facility, period=period, size=3)
        ActivityFactory(task_force=facility.task_forces.get())
    with django_assert_max_num_queries(12):
        response = client.get("/satgas/wilayah/")
    assert len(response.context["page_obj"]) == 24


@pytest.mark.parametrize("who", ["facility_head", "staff", "ketua"])
def test_the_overview_is_for_admins_only(request, client, task_force, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/satgas/wilayah/").status_code == 404


def test_an_empty_period_list_shows_an_empty_state(login, national_admin):
    response = login(national_admin).get("/satgas/wilayah/")
    assert "Belum ada periode pemilihan" in response.content.decode()


def test_the_dashboard_card_counts_the_period_the_overview_opens_on(login, regional_admin, region_with_states):
    """A later period without task forces (none current) must not make the card read all zeros
    while its "Rekap Satgas" button opens on the period that has them."""
    PeriodFactory(
        name="Pilkada 2024", election_type="PILKADA", start_date=dt.date(2024, 8, 27), end_date=dt.date(2024, 12, 31)
    )
    client = login(regional_admin)
    overview = client.get("/satgas/wilayah/")
    assert overview.context["period"].name == "Pemilu 2024"
    page = client.get("/beranda/").content.decode()
    card = page.split('id="satgas-dashboard"', 1)[1].split("</div></div>", 1)[0]
    assert "Periode Pemilu 2024" in card
    assert ">1</div><div class=\"small text-muted\">dikukuhkan" in card.replace("\n", "")
