"""Election periods are managed by the national admin."""

import datetime as dt

import pytest

from accounts.models import AuditEvent
from satgas.models import Period


def test_the_national_admin_adds_a_period(login, national_admin):
    response = login(national_admin).post(
        "/satgas/periode/tambah/",
        {"name": "Pilkada 2024", "election_type": "PILKADA", "start_date": "2024-08-27", "end_date": "2025-03-31"},
    )
    assert response.status_code == 302
    period = Period.objects.get(name="Pilkada 2024")
    assert period.start_date == dt.date(2024, 8, 27)
    assert AuditEvent.objects.filter(action="satgas.period_created", object_id=str(period.pk)).exists()
    assert "Pilkada 2024" in login(national_admin).get("/satgas/periode/").content.decode()


def test_the_period_dates_stay_on_one_line_on_a_phone(login, national_admin, period):
    page = login(national_admin).get("/satgas/periode/").content.decode()
    assert '<td class="text-nowrap">28-11-2023</td>' in page
    assert '<td class="text-nowrap">20-10-2024</td>' in page


def test_a_period_cannot_end_before_it_starts_and_keeps_the_input(login, national_admin):
    response = login(national_admin).post(
        "/satgas/periode/tambah/",
        {"name": "Pemilu 2029", "election_type": "PEMILU", "start_date": "2029-02-01", "end_date": "2029-01-01"},
    )
    assert response.status_code == 200
    assert "tidak boleh sebelum tanggal mulai" in response.context["form"].errors["end_date"][0]
    assert response.context["form"]["name"].value() == "Pemilu 2029"
    assert not Period.objects.exists()


def test_a_period_name_is_unique(login, national_admin, period):
    response = login(national_admin).post(
        "/satgas/periode/tambah/",
        {"name": period.name, "election_type": "PEMILU", "start_date": "2024-01-01", "end_date": "2024-12-31"},
    )
    assert "sudah ada" in response.context["form"].errors["name"][0]


def test_the_national_admin_edits_a_period(login, national_admin, period):
    response = login(national_admin).post(
        f"/satgas/periode/{period.pk}/ubah/",
        {"name": period.name, "election_type": "PEMILU", "start_date": "2023-11-28", "end_date": "2024-12-31"},
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.end_date == dt.date(2024, 12, 31)


@pytest.mark.parametrize("who", ["regional_admin", "facility_head", "staff"])
def test_other_roles_cannot_manage_periods(request, client, period, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/satgas/periode/").status_code == 404
    assert client.post("/satgas/periode/tambah/", {"name": "X"}).status_code == 404
    assert client.get(f"/satgas/periode/{period.pk}/ubah/").status_code == 404


@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
def test_the_period_list_is_paginated_newest_first_without_an_unordered_warning(login, national_admin, facility):
    from tests.satgas.factories import TaskForceFactory

    for name, start in [("Pemilu 2019", "2018-09-23"), ("Pilkada 2024", "2024-08-27"), ("Pemilu 2024", "2023-11-28")]:
        period = Period.objects.create(
            name=name,
            election_type="PEMILU",
            start_date=start,
            end_date=dt.date.fromisoformat(start).replace(year=2030),
        )
        # A task force each: the list counts them, and the count's GROUP BY drops the model's default ordering.
        TaskForceFactory(facility=facility, period=period)
    response = login(national_admin).get("/satgas/periode/")
    assert response.status_code == 200
    assert [p.name for p in response.context["page_obj"]] == ["Pilkada 2024", "Pemilu 2024", "Pemilu 2019"]
    assert [p.task_force_count for p in response.context["page_obj"]] == [1, 1, 1]
