"""Roster export (.xlsx), the import template, and the roster page itself."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from facilities.models import Employee, RosterImport
from tests import factories
from tests.facilities.rosterfiles import HEADER, upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def head_client(client, facility_head):
    client.force_login(facility_head)
    return client


def sheet_rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(BytesIO(content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def mixed_roster(facility):
    return [
        factories.EmployeeFactory(facility=facility, name="Budi Santoso, S.H.", rank="III/c", position="Kepala Seksi"),
        factories.EmployeeFactory(facility=facility, employment_type="CPNS", rank="II/a", position=""),
        factories.EmployeeFactory(facility=facility, pppk=True, name="Sri Wahyuni, A.Md."),
        factories.EmployeeFactory(facility=facility, pppk=True, employment_type="PPPK_PW", rank=""),
        factories.EmployeeFactory(facility=facility, ppnpn=True, name="Agus Prasetyo", position="Pengemudi"),
    ]


def test_the_export_is_an_xlsx_of_the_active_staff(head_client, facility, other_facility):
    people = mixed_roster(facility)
    factories.EmployeeFactory(facility=facility, name="Sudah Nonaktif", is_active=False)
    factories.EmployeeFactory(facility=other_facility, name="Pegawai UPT Lain")
    response = head_client.get(reverse("facilities:roster_export", args=[facility.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith(f'attachment; filename="pegawai-{facility.pk}-')
    rows = sheet_rows(response.content)
    assert list(rows[0][:5]) == HEADER
    names = {row[0] for row in rows[1:]}
    assert names == {p.name for p in people}
    budi = next(row for row in rows if row[0] == "Budi Santoso, S.H.")
    assert budi[1:5] == ("PNS", people[0].identifier, "III/c", "Kepala Seksi")
    assert isinstance(budi[2], str)  # identifiers stay text, never numbers


def test_an_export_reimported_leaves_everything_unchanged(head_client, facility):
    mixed_roster(facility)
    exported = head_client.get(reverse("facilities:roster_export", args=[facility.pk])).content
    response = head_client.post(
        reverse("facilities:roster_import", args=[facility.pk]), {"file": upload("ekspor.xlsx", exported)}
    )
    assert response.status_code == 302
    staged = RosterImport.objects.get()
    plan = head_client.get(response.url).context["plan"]
    assert plan.errors == []
    assert (len(plan.creates), len(plan.updates), len(plan.unchanged)) == (0, 0, 5)
    assert Employee.objects.count() == 5
    assert staged.status == RosterImport.Status.PENDING


def test_the_template_has_the_expected_columns(head_client):
    response = head_client.get(reverse("facilities:roster_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="templat-daftar-pegawai.xlsx"' in response["Content-Disposition"]
    rows = sheet_rows(response.content)
    assert list(rows[0]) == HEADER
    workbook = load_workbook(BytesIO(response.content))
    # The whole identifier column is formatted as text, so are the rows people type in later.
    assert workbook.worksheets[0].column_dimensions["C"].number_format == "@"


def test_the_template_examples_import_cleanly(head_client, facility):
    content = head_client.get(reverse("facilities:roster_template")).content
    response = head_client.post(
        reverse("facilities:roster_import", args=[facility.pk]), {"file": upload("templat.xlsx", content)}
    )
    plan = head_client.get(response.url).context["plan"]
    assert plan.errors == []
    assert len(plan.creates) == 3


def test_the_template_needs_a_login(client):
    response = client.get(reverse("facilities:roster_template"))
    assert response.status_code == 302
    assert "/akun/masuk/" in response.url


def roster_queries(client, facility, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(reverse("facilities:roster", args=[facility.pk]))
    assert response.status_code == 200
    return response


# Today the page needs 8 queries; the limit leaves room for the sections
# other apps add to it, not for one query per employee.
def test_the_roster_page_runs_a_constant_number_of_queries(
    head_client, facility, other_facility, django_assert_max_num_queries
):
    for n in range(40):
        employee = factories.EmployeeFactory(facility=facility)
        if n % 3 == 0:
            user = factories.staff_user(employee)
            if n % 2 == 0:
                user.email = f"pegawai{n}@example.test"
                user.save(update_fields=["email"])
    factories.EmployeeFactory.create_batch(5, facility=facility, ppnpn=True)
    # Not counted as unreachable: a login that is off, a former employee, another UPT's staff.
    login_off = factories.staff_user(factories.EmployeeFactory(facility=facility))
    login_off.is_active = False
    login_off.save(update_fields=["is_active"])
    factories.staff_user(factories.EmployeeFactory(facility=facility, is_active=False))
    factories.staff_user(factories.EmployeeFactory(facility=other_facility))
    response = roster_queries(head_client, facility, django_assert_max_num_queries, 12)
    assert response.content.decode().count('name="employee"') == 46
    assert response.context["counts"] == {"total": 46, "asn": 41, "with_account": 15, "without_email": 7}
    assert "7 pegawai belum punya alamat email — tidak menerima notifikasi" in response.content.decode()


def test_the_roster_page_says_nothing_when_every_login_has_an_email(head_client, facility):
    user = factories.staff_user(factories.EmployeeFactory(facility=facility))
    user.email = "budi@example.test"
    user.save(update_fields=["email"])
    response = head_client.get(reverse("facilities:roster", args=[facility.pk]))
    assert response.context["counts"]["without_email"] == 0
    assert 'id="roster-without-email"' not in response.content.decode()


def test_the_roster_query_count_does_not_grow_with_the_staff(head_client, facility):
    url = reverse("facilities:roster", args=[facility.pk])
    factories.staff_user(factories.EmployeeFactory(facility=facility))
    with CaptureQueriesContext(connection) as small:
        head_client.get(url)
    for _ in range(30):
        factories.staff_user(factories.EmployeeFactory(facility=facility))
    with CaptureQueriesContext(connection) as large:
        head_client.get(url)
    assert len(large) == len(small)
    assert User.objects.count() == 32


def test_the_roster_search_finds_by_name_and_by_nip_typed_with_spaces(head_client, facility):
    budi = factories.EmployeeFactory(facility=facility, name="Budi Santoso", identifier="198012302005011003")
    factories.EmployeeFactory(facility=facility, name="Joko Susanto")
    url = reverse("facilities:roster", args=[facility.pk])
    by_name = head_client.get(url, {"q": "budi"}).context["page_obj"].object_list
    assert list(by_name) == [budi]
    by_nip = head_client.get(url, {"q": "19801230 200501"}).context["page_obj"].object_list
    assert list(by_nip) == [budi]


def test_the_roster_is_paginated(head_client, facility):
    factories.EmployeeFactory.create_batch(55, facility=facility)
    url = reverse("facilities:roster", args=[facility.pk])
    assert len(head_client.get(url).context["page_obj"].object_list) == 50
    assert len(head_client.get(url, {"page": 2}).context["page_obj"].object_list) == 5


def test_an_empty_roster_shows_the_empty_state(head_client, facility):
    html = head_client.get(reverse("facilities:roster", args=[facility.pk])).content.decode()
    assert "Daftar pegawai masih kosong" in html


def test_text_that_looks_like_a_formula_is_exported_as_text(head_client, facility):
    # Names and positions are typed by people; "=HYPERLINK(…)" or a DDE
    # payload must not become a live formula in the exported workbook.
    payload = '=HYPERLINK("http://evil.example/","klik")'
    factories.EmployeeFactory(facility=facility, name=payload, position="=1+2")
    content = head_client.get(reverse("facilities:roster_export", args=[facility.pk])).content
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    assert (sheet["A2"].value, sheet["A2"].data_type) == (payload, "s")
    assert (sheet["E2"].value, sheet["E2"].data_type) == ("=1+2", "s")


def test_the_roster_filters_by_employment_type(head_client, facility):
    pppk = factories.EmployeeFactory(facility=facility, pppk=True)
    factories.EmployeeFactory(facility=facility)
    response = head_client.get(reverse("facilities:roster", args=[facility.pk]), {"jenis": "PPPK"})
    assert list(response.context["page_obj"].object_list) == [pppk]


def test_the_facility_list_query_count_does_not_grow_with_facilities(client, national_admin, region):
    client.force_login(national_admin)
    url = reverse("facilities:facility_list")
    factories.EmployeeFactory(facility=factories.FacilityFactory(regional_office=region))
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(10):
        facility = factories.FacilityFactory(regional_office=region)
        facility.head = factories.EmployeeFactory(facility=facility)
        facility.save()
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["page_obj"]) == 11
    assert len(large) == len(small)
