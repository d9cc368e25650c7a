"""Completion: who has signed, per UPT (head), per UPT of a Kanwil, per Kanwil; counted in the database."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from pledges import actions
from tests import factories as base
from tests.pledges import factories


def facility_url(campaign, facility, **params) -> str:
    from urllib.parse import urlencode

    url = reverse("pledges:facility_completion", args=[campaign.pk, facility.pk])
    return f"{url}?{urlencode(params)}" if params else url


@pytest.fixture
def roster(facility, campaign):
    """Five active staff, two of them signed; one inactive who signed but no longer counts."""
    people = [base.EmployeeFactory(facility=facility, name=f"Pegawai {c}") for c in "ABCDE"]
    factories.signature(campaign, people[0])
    factories.signature(campaign, people[1])
    gone = base.EmployeeFactory(facility=facility, name="Pegawai Pindah")
    factories.signature(campaign, gone)
    gone.is_active = False
    gone.save()
    return people


def test_the_head_sees_who_has_and_has_not_signed(client, facility_head, campaign, facility, roster):
    client.force_login(facility_head)
    response = client.get(facility_url(campaign, facility))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["totals"] == {"total": 5, "signed": 2, "unsigned": 3, "rate": 40.0}
    assert "40,0%" in page or "40.0%" in page
    for person in roster:
        assert person.name in page
    assert "Pegawai Pindah" not in page


@pytest.mark.parametrize(
    ("status", "expected"), [("sudah", ["Pegawai A", "Pegawai B"]), ("belum", ["Pegawai C", "Pegawai D", "Pegawai E"])]
)
def test_it_filters_by_status(client, facility_head, campaign, facility, roster, status, expected):
    client.force_login(facility_head)
    rows = client.get(facility_url(campaign, facility, status=status)).context["page_obj"].object_list
    assert [r.name for r in rows] == expected


def test_it_searches_by_name_and_identifier(client, facility_head, campaign, facility, roster):
    client.force_login(facility_head)
    rows = client.get(facility_url(campaign, facility, q="pegawai c")).context["page_obj"].object_list
    assert [r.name for r in rows] == ["Pegawai C"]
    rows = client.get(facility_url(campaign, facility, q=roster[3].identifier[:14])).context["page_obj"].object_list
    assert roster[3].name in [r.name for r in rows]


def test_a_revoked_signature_no_longer_counts(client, facility_head, campaign, facility, roster, regional_admin):
    signature = roster[0].pledge_signatures.get()
    actions.revoke(regional_admin, signature, "Salah orang")
    client.force_login(facility_head)
    assert client.get(facility_url(campaign, facility)).context["totals"]["signed"] == 1


def test_the_list_is_exported_as_xlsx(client, facility_head, campaign, facility, roster):
    from openpyxl import load_workbook

    client.force_login(facility_head)
    response = client.get(reverse("pledges:facility_export", args=[campaign.pk, facility.pk]) + "?status=belum")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [r[1] for r in rows] == ["Pegawai C", "Pegawai D", "Pegawai E"]
    assert all(r[6] == "Belum" for r in rows)
    assert rows[0][2] == roster[2].identifier  # identifiers stay text, all 18 digits


def test_another_facilitys_head_cannot_see_this_list(client, other_facility_head, campaign, facility, roster):
    client.force_login(other_facility_head)
    assert client.get(facility_url(campaign, facility)).status_code == 404
    assert client.get(reverse("pledges:facility_export", args=[campaign.pk, facility.pk])).status_code == 404


def test_staff_cannot_see_the_list(staff_client, campaign, facility):
    assert staff_client.get(facility_url(campaign, facility)).status_code == 404


def test_a_campaign_that_does_not_cover_the_facility_is_not_found(client, facility_head, facility, other_region):
    elsewhere = factories.CampaignFactory(scope="region", regional_office=other_region)
    client.force_login(facility_head)
    assert client.get(facility_url(elsewhere, facility)).status_code == 404


def test_the_facility_page_counts_in_a_fixed_number_of_queries(
    client, facility_head, campaign, facility, django_assert_max_num_queries
):
    for n in range(30):
        person = base.EmployeeFactory(facility=facility)
        if n % 2:
            factories.signature(campaign, person)
    client.force_login(facility_head)
    client.get(facility_url(campaign, facility))  # warm the session
    # session + user + facility + campaign + count + page + totals + exports + batches, whatever the roster size
    with django_assert_max_num_queries(12):
        response = client.get(facility_url(campaign, facility))
    assert response.context["totals"]["signed"] == 15


def test_the_regional_admin_sees_the_rate_per_facility(
    client, regional_admin, campaign, facility, sibling_facility, other_facility, roster, django_assert_max_num_queries
):
    base.EmployeeFactory(facility=sibling_facility)
    for _ in range(3):
        factories.signature(campaign, base.EmployeeFactory(facility=other_facility))
    client.force_login(regional_admin)
    url = reverse("pledges:region_completion", args=[campaign.pk, facility.regional_office_id])
    with django_assert_max_num_queries(8):
        response = client.get(url)
    rows = {r.name: (r.signed, r.total, r.rate) for r in response.context["rows"]}
    assert rows == {facility.name: (2, 5, 40.0), sibling_facility.name: (0, 1, 0.0)}
    assert other_facility.name not in response.content.decode()


def test_a_regional_admin_cannot_open_another_region(client, other_regional_admin, campaign, region):
    client.force_login(other_regional_admin)
    assert client.get(reverse("pledges:region_completion", args=[campaign.pk, region.pk])).status_code == 404


def test_the_national_admin_sees_the_rate_per_region(
    client, national_admin, campaign, facility, other_facility, roster, django_assert_max_num_queries
):
    for n in range(4):
        person = base.EmployeeFactory(facility=other_facility)
        if n == 0:
            factories.signature(campaign, person)
    client.force_login(national_admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("pledges:campaign_detail", args=[campaign.pk]))
    rows = {r.name: (r.signed, r.total) for r in response.context["rows"]}
    assert rows == {facility.regional_office.name: (2, 5), other_facility.regional_office.name: (1, 4)}
    assert response.context["totals"] == {"signed": 3, "total": 9, "rate": 33.3}


def test_the_national_view_respects_a_region_scope(client, national_admin, facility, other_facility, other_region):
    scoped = factories.CampaignFactory(scope="region", regional_office=other_region)
    base.EmployeeFactory(facility=facility)
    base.EmployeeFactory(facility=other_facility)
    client.force_login(national_admin)
    rows = client.get(reverse("pledges:campaign_detail", args=[scoped.pk])).context["rows"]
    assert [r.name for r in rows] == [other_region.name]


@pytest.mark.parametrize(
    ("who", "target"),
    [("regional_admin", "region_completion"), ("facility_head", "facility_completion"), ("staff", "sign")],
)
def test_the_campaign_page_sends_each_role_to_its_level(request, client, campaign, employee, who, target):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("pledges:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 302
    assert f"/pakta/kampanye/{campaign.pk}/" in response.url
    assert reverse(f"pledges:{target}", args=_args(target, campaign, employee)) == response.url


def _args(target, campaign, employee):
    if target == "region_completion":
        return [campaign.pk, employee.facility.regional_office_id]
    if target == "facility_completion":
        return [campaign.pk, employee.facility_id]
    return [campaign.pk]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_export_numbers_rows_and_keeps_signing_times_as_excel_datetimes(
    client, facility_head, campaign, facility, language
):
    """The first column is the row number, "No." in either language (never "Tidak", Django's
    Indonesian for the answer "No"); signing times are datetime cells in WIB, numbers are numbers."""
    import datetime as dt

    from openpyxl import load_workbook

    from core.spreadsheets import DATETIME_FORMAT

    early = base.EmployeeFactory(facility=facility, name="Pegawai A")
    late = base.EmployeeFactory(facility=facility, name="Pegawai B")
    base.EmployeeFactory(facility=facility, name="Pegawai C")
    # 23:30 UTC on 1 October is 06:30 on 2 October in Jakarta.
    factories.signature(campaign, early, signed_at=dt.datetime(2024, 10, 1, 23, 30, 15, tzinfo=dt.UTC))
    factories.signature(campaign, late, signed_at=dt.datetime(2024, 10, 2, 9, 5, tzinfo=dt.UTC))
    client.force_login(facility_head)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    response = client.get(reverse("pledges:facility_export", args=[campaign.pk, facility.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active

    header = [cell.value for cell in sheet[4]]
    assert header[0] == "No."
    assert "Tidak" not in header
    rows = list(sheet.iter_rows(min_row=5))
    assert [row[0].value for row in rows] == [1, 2, 3]
    assert all(row[0].data_type == "n" for row in rows)
    signed = [row[8] for row in rows]
    assert [cell.value for cell in signed] == [
        dt.datetime(2024, 10, 2, 6, 30, 15),
        dt.datetime(2024, 10, 2, 16, 5),
        None,
    ]
    assert all(cell.is_date and cell.number_format == DATETIME_FORMAT for cell in signed[:2])
    assert all(cell.value.tzinfo is None for cell in signed[:2])
