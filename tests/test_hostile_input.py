"""Hostile input gets a clear answer (a form error, a 400, a 404) and never a 500.

The first part replays the 500s found by hand (issue 9, finding 10), one test each, through the
real entry points. The second part is property-based (hypothesis): every public form and every
public GET parameter, then the main logged-in forms and list filters, are driven with hostile
values (Unicode digits, NUL and other control characters, huge numbers, very long strings, path
separators, dates far out of range, lists where a scalar is expected) and must answer without a
500 and without a stack trace.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests import factories
from tests.facilities.rosterfiles import HEADER, csv_bytes, upload

# --- The 500s found by hand ------------------------------------------------------


@pytest.fixture
def campaign_form_data(db):
    from tests.pledges import factories as pf

    text = pf.PactTextFactory()
    period = pf.PeriodFactory()
    return {
        "name": "Pakta Pilkada",
        "period": period.pk,
        "text": text.pk,
        "scope": "all",
        "opens_at": "2024-01-01T08:00",
        "closes_at": "2024-02-01T08:00",
    }


def test_a_campaign_opening_in_year_one_is_refused_and_the_pact_page_still_opens(
    client, national_admin, facility_head, campaign_form_data
):
    from pledges.models import Campaign

    client.force_login(national_admin)
    response = client.post("/pakta/kampanye/baru/", {**campaign_form_data, "opens_at": "0001-01-01T00:00"})
    assert response.status_code == 200
    assert not Campaign.objects.exists()
    assert response.context["form"].errors["opens_at"]
    # The typed value stays in the field, the message says what is accepted.
    assert 'value="0001-01-01T00:00"' in response.content.decode()
    assert "2000" in response.context["form"].errors["opens_at"][0]
    for user in (national_admin, facility_head):
        client.force_login(user)
        assert client.get("/pakta/").status_code == 200


def test_the_database_refuses_a_campaign_window_outside_sensible_years(db):
    from tests.pledges import factories as pf

    far_past = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        pf.CampaignFactory(opens_at=far_past)
    far_future = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        pf.CampaignFactory(closes_at=far_future)


def test_unicode_digits_in_the_public_report_form_pick_no_upt(client, facility):
    for raw in ("²", "١", "٣٤", "𝟗"):
        response = client.get("/lapor/", {"upt": raw})
        assert response.status_code == 200
        assert "reports/intake_facility.html" in [t.name for t in response.templates]
        response = client.post("/lapor/", {"facility": raw})
        assert response.status_code == 200


def test_unicode_digits_in_staff_picks_are_ignored(client, facility, facility_head, employee):
    client.force_login(facility_head)
    response = client.post(f"/upt/{facility.pk}/kode-aktivasi/", {"employee": ["²", "1²"]})
    assert response.status_code == 302
    assert response.url == f"/upt/{facility.pk}/"


def test_unicode_digits_in_paper_signing_picks_are_ignored(client, facility, facility_head, employee):
    from tests.pledges import factories as pf

    campaign = pf.CampaignFactory()
    client.force_login(facility_head)
    url = f"/pakta/kampanye/{campaign.pk}/upt/{facility.pk}/kertas/"
    response = client.post(url, {"employee": ["²", str(employee.pk)], "signed_on": "2024-01-02", "place": "Apel"})
    assert response.status_code == 200
    assert response.context["chosen"] == {employee.pk}


def test_a_verification_code_with_a_slash_is_an_invalid_code(client):
    response = client.get("/verifikasi/", {"code": "a/b"})
    assert response.status_code == 200
    errors = response.context["code_form"].errors["code"]
    assert errors and "a/b" in errors[0]


@pytest.mark.parametrize(
    "request_args",
    [
        pytest.param(("get", "/lapor/", {"q": "Lapas\x00"}), id="search"),
        pytest.param(("get", "/lapor/\x00/", {}), id="path"),
        pytest.param(("get", "/verifikasi/abc%00def/", {}), id="path-escaped"),
        pytest.param(("post", "/lapor/cek/", {"code": "ABCD\x00"}), id="post"),
        pytest.param(("post", "/akun/aktivasi/", {"username\x00": "x"}), id="post-key"),
    ],
)
def test_a_nul_byte_in_a_request_is_a_400(client, facility, request_args):
    method, url, data = request_args
    response = getattr(client, method)(url, data)
    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.content.decode()


def test_a_nul_byte_in_a_cookie_or_a_header_is_a_400(client, db):
    client.cookies["sessionid"] = "abcdefgh\x00ijk"
    assert client.get("/lapor/").status_code == 400
    del client.cookies["sessionid"]
    assert client.get("/lapor/", HTTP_USER_AGENT="Mozilla\x00").status_code == 400
    assert client.get("/lapor/").status_code == 200


def test_facility_search_with_a_nul_byte_is_a_400_on_every_search_box(client, facility, facility_head):
    client.force_login(facility_head)
    assert client.get(f"/upt/{facility.pk}/", {"q": "\x00"}).status_code == 400


def test_a_roster_csv_field_over_the_csv_module_limit_is_a_row_error(client, facility, facility_head):
    client.force_login(facility_head)
    huge = "A" * 140_000
    content = csv_bytes(
        [
            [huge, "PNS", factories.make_nip(7), "III/a", "Petugas"],
            ["Siti Aminah", "PPNPN", "3301051204900003", "", "Pengemudi"],
        ]
    )
    response = client.post(f"/upt/{facility.pk}/pegawai/impor/", {"file": upload("pegawai.csv", content)})
    assert response.status_code == 302
    preview = client.get(response.url)
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert [row.row for row in plan.errors] == [2]
    assert plan.errors[0].errors == [{"column": HEADER[0], "message": "Nama lebih dari 200 karakter."}]
    assert [row.data["name"] for row in plan.creates] == ["Siti Aminah"]


def test_a_lone_carriage_return_in_a_roster_csv_cell_is_not_a_500(client, facility, facility_head):
    client.force_login(facility_head)
    # Old Mac line ends: csv.Error "new-line character seen in unquoted field" before the fix.
    content = "\r".join([",".join(HEADER), "Budi Santoso,PPNPN,3301051204900003,,Pengemudi", ""]).encode()
    response = client.post(f"/upt/{facility.pk}/pegawai/impor/", {"file": upload("pegawai.csv", content)})
    assert response.status_code == 302
    plan = client.get(response.url).context["plan"]
    assert [row.data["name"] for row in plan.creates] == ["Budi Santoso"]


def test_a_roster_csv_the_csv_module_cannot_parse_is_a_file_error_naming_the_row(facility):
    from facilities import roster

    content = csv_bytes([["Budi", "PPNPN", "3301051204900003", "", ""], ["A" * (roster.CSV_FIELD_MAX_CHARS + 1)]])
    with pytest.raises(roster.RosterFileError, match="Baris 3"):
        roster.read(content, "csv")


def test_a_roster_that_is_not_text_in_any_known_encoding_is_a_file_error(facility):
    from facilities import roster

    with pytest.raises(roster.RosterFileError):
        roster.read(b"Nama,Jenis Pegawai,NIP\n\x81\x8d\x8f,PNS,1\n", "csv")


def test_a_huge_facility_id_in_a_campaign_is_a_form_error(client, national_admin, campaign_form_data):
    from pledges.models import Campaign

    client.force_login(national_admin)
    for raw in ("1e23", "9" * 30, str(10**23), "²", "-1", "1.5", " 1"):
        response = client.post(
            "/pakta/kampanye/baru/", {**campaign_form_data, "scope": "facilities", "facilities": [raw]}
        )
        assert response.status_code == 200, raw
        assert response.context["form"].errors["facilities"], raw
    assert not Campaign.objects.exists()


def test_a_nip_with_a_unicode_digit_or_a_year_zero_tmt_is_a_form_error(client, facility, facility_head):
    client.force_login(facility_head)
    url = f"/upt/{facility.pk}/pegawai/tambah/"
    for identifier in ("19900101201501²001", "199001010000011001", "١٩٩٠٠١٠١٢٠١٥٠١١٠٠١"):
        response = client.post(url, {"name": "Budi", "employment_type": "PNS", "identifier": identifier})
        assert response.status_code == 200, identifier
        assert response.context["form"].errors["identifier"], identifier


@pytest.mark.parametrize(
    ("url_name", "field"),
    [
        ("reports:intake", "occurred_on"),
        ("satgas:period_create", "start_date"),
    ],
)
def test_dates_out_of_sensible_years_are_refused_with_the_typed_value(client, national_admin, facility, url_name, field):
    """Spot checks of the shared date field; the property tests below cover every form."""
    from django.urls import reverse

    client.force_login(national_admin)
    url = reverse(url_name)
    data = {field: "0001-01-01"}
    if url_name == "reports:intake":
        data["facility"] = facility.pk
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    errors = response.context["form"].errors[field]
    assert errors and "0001-01-01" in errors[0]
    assert 'value="0001-01-01"' in response.content.decode()


def test_today_is_within_the_sensible_years():
    from core.fields import MAX_YEAR, MIN_YEAR

    assert MIN_YEAR <= timezone.localdate().year <= MAX_YEAR


# --- Settings ----------------------------------------------------------------------


def test_an_empty_database_url_names_the_variable():
    from tests.accounts.test_deploy_settings import manage

    result = manage("check", DATABASE_URL="")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL is set but empty" in result.stderr
    assert "Scheme" not in result.stderr


def test_a_database_url_with_an_unknown_scheme_names_the_variable_and_hides_the_password():
    from tests.accounts.test_deploy_settings import manage

    result = manage("check", DATABASE_URL="postgress://app:rahasia@db/netralitas")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL" in result.stderr
    assert "rahasia" not in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("CONN_MAX_AGE", "-1"), ("REPORT_ACK_DAYS", "-7"), ("SATGAS_MAX_MEMBERS", "0"), ("ACTIVATION_CODE_DAYS", "0")],
)
def test_integers_that_make_no_sense_stop_start_up(name, value):
    from tests.accounts.test_deploy_settings import manage

    result = manage("check", **{name: value})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name}={value!r}" in result.stderr


# --- Every form field is bounded ------------------------------------------------------

PROJECT_APPS = ("core", "accounts", "facilities", "satgas", "pledges", "reports", "config")


def project_forms() -> list[type]:
    """Every form class of the project, and the forms its views take from Django."""
    import importlib

    from django import forms

    from accounts import views as account_views

    for module in ("accounts.forms", "accounts.sudo", "facilities.forms", "satgas.forms", "pledges.forms"):
        importlib.import_module(module)
    importlib.import_module("reports.forms")
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PROJECT_APPS:
                found.add(sub)
    found.add(account_views.PasswordChangeView.form_class)
    found.add(account_views.LoginView.authentication_form)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_every_free_text_field_has_a_max_length():
    from django import forms

    unbounded = [
        f"{form.__module__}.{form.__qualname__}.{name}"
        for form in project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert not unbounded, f"free-text fields without max_length: {unbounded}"


def test_every_date_field_is_bounded_to_sensible_years():
    from django import forms

    from core.fields import BoundedDateField, BoundedDateTimeField

    loose = [
        f"{form.__module__}.{form.__qualname__}.{name}"
        for form in project_forms()
        for name, field in form.base_fields.items()
        if (isinstance(field, forms.DateTimeField) and not isinstance(field, BoundedDateTimeField))
        or (isinstance(field, forms.DateField) and not isinstance(field, BoundedDateField))
    ]
    assert not loose, f"date fields without the year bounds: {loose}"
