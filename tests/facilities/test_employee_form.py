"""Adding and editing an employee through the views: identifier and rank rules,
with the typed values kept on the page when something is wrong."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from facilities.models import Employee, Placement
from tests import factories


@pytest.fixture
def head_client(client, facility_head):
    client.force_login(facility_head)
    return client


def create_url(facility) -> str:
    return reverse("facilities:employee_create", args=[facility.pk])


def post(client, facility, **fields):
    data = {
        "name": "Budi Santoso, S.H.",
        "employment_type": "PNS",
        "identifier": "198012302005011003",
        "rank": "III/c",
        "position": "Kepala Seksi Pembinaan",
        **fields,
    }
    return client.post(create_url(facility), data)


def test_the_form_renders_for_the_facility_head(head_client, facility):
    response = head_client.get(create_url(facility))
    assert response.status_code == 200
    assert 'name="identifier"' in response.content.decode()


def test_it_creates_a_pns_with_a_valid_nip_typed_with_spaces(head_client, facility):
    response = post(head_client, facility, identifier="19801230 200501 1 003")
    assert response.status_code == 302
    assert response.url == reverse("facilities:roster", args=[facility.pk])
    employee = Employee.objects.get(identifier="198012302005011003")
    assert employee.facility == facility
    assert employee.rank == "III/c"
    assert Placement.objects.filter(employee=employee, facility=facility, end_date__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="employee.created", object_id=str(employee.pk)).exists()


def test_it_rejects_nip_with_month_13_and_keeps_the_typed_values(head_client, facility):
    response = post(head_client, facility, identifier="19801230 200513 1 003", position="Analis Hukum")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["identifier"] == ["NIP: digit 13–14 adalah bulan TMT CPNS dan harus 01–12, tertulis 13."]
    html = response.content.decode()
    assert "NIP: digit 13–14 adalah bulan TMT CPNS dan harus 01–12, tertulis 13." in html
    assert 'value="19801230 200513 1 003"' in html
    assert 'value="Budi Santoso, S.H."' in html
    assert 'value="Analis Hukum"' in html
    assert not Employee.objects.exists()


def test_it_rejects_nip_with_serial_000_in_the_form(head_client, facility):
    response = post(head_client, facility, identifier="198012302005011000")
    assert response.context["form"].errors["identifier"] == ["NIP: nomor urut (digit 16–18) tidak boleh 000."]


def test_it_checks_a_pppk_identifier_by_the_ni_pppk_rules(head_client, facility):
    response = post(head_client, facility, employment_type="PPPK", identifier="199203152023002001", rank="VII")
    assert response.context["form"].errors["identifier"] == [
        "NI PPPK: digit 13–14 adalah jumlah perjanjian kerja dan minimal 01, tertulis 00."
    ]


def test_it_checks_a_ppnpn_identifier_by_the_nik_rules(head_client, facility):
    response = post(head_client, facility, employment_type="PPNPN", identifier="1001051204900003", rank="")
    assert response.context["form"].errors["identifier"] == ["NIK: kode provinsi 10 (digit 1–2) tidak dikenal."]


def test_it_refuses_a_nip_for_a_ppnpn(head_client, facility):
    response = post(head_client, facility, employment_type="PPNPN", rank="")
    assert response.context["form"].errors["identifier"] == ["NIK harus 16 digit, tertulis 18 digit."]


def test_it_creates_a_ppnpn_with_a_womans_nik(head_client, facility):
    response = post(
        head_client, facility, name="Sri Wahyuni", employment_type="PPNPN", identifier="3301055204900003", rank=""
    )
    assert response.status_code == 302
    assert Employee.objects.get(identifier="3301055204900003").employment_type == "PPNPN"


def test_a_pns_needs_a_golongan(head_client, facility):
    response = post(head_client, facility, rank="")
    assert response.status_code == 200
    assert response.context["form"].errors["rank"] == [
        "PNS/CPNS wajib mempunyai golongan I/a sampai IV/e (contoh: III/b)."
    ]
    assert not Employee.objects.exists()


def test_a_cpns_needs_a_golongan(head_client, facility):
    response = post(head_client, facility, employment_type="CPNS", rank="")
    assert "rank" in response.context["form"].errors


def test_a_pns_cannot_have_a_pppk_grade(head_client, facility):
    response = post(head_client, facility, rank="VII")
    assert response.context["form"].errors["rank"] == [
        "PNS/CPNS wajib mempunyai golongan I/a sampai IV/e (contoh: III/b)."
    ]


def test_a_ppnpn_must_not_have_a_golongan(head_client, facility):
    response = post(head_client, facility, employment_type="PPNPN", identifier="3301051204900003", rank="II/a")
    assert response.status_code == 200
    assert response.context["form"].errors["rank"] == ["PPNPN tidak mempunyai pangkat/golongan; kosongkan kolom ini."]
    assert not Employee.objects.exists()


def test_a_pppk_cannot_have_a_pns_golongan(head_client, facility):
    response = post(head_client, facility, employment_type="PPPK", identifier="199203152023012001", rank="III/a")
    assert response.context["form"].errors["rank"] == ["Golongan PPPK harus I sampai XVII (contoh: IX)."]


def test_a_pppk_may_have_no_grade(head_client, facility):
    response = post(head_client, facility, employment_type="PPPK", identifier="199203152023012001", rank="")
    assert response.status_code == 302


def test_it_names_the_facility_that_already_has_the_identifier(head_client, facility, other_facility):
    factories.EmployeeFactory(facility=other_facility, name="Joko Susanto", identifier="198012302005011003")
    response = post(head_client, facility)
    assert response.context["form"].errors["identifier"] == [
        "Nomor induk ini sudah terdaftar atas nama Joko Susanto di Lapas Kelas IIA Kayu Agung."
    ]
    assert Employee.objects.count() == 1


def test_editing_an_employee_keeps_its_identifier_rules(head_client, employee):
    url = reverse("facilities:employee_edit", args=[employee.pk])
    data = {
        "name": employee.name,
        "employment_type": "PNS",
        "identifier": employee.identifier[:14] + "3" + employee.identifier[15:],
        "rank": "III/a",
        "position": "",
    }
    response = head_client.post(url, data)
    assert response.status_code == 200
    assert "digit ke-15 adalah kode jenis kelamin" in response.context["form"].errors["identifier"][0]


def test_editing_an_employee_saves_and_audits(head_client, employee):
    url = reverse("facilities:employee_edit", args=[employee.pk])
    data = {
        "name": "Nama Baru, S.H.",
        "employment_type": "PNS",
        "identifier": employee.identifier,
        "rank": "III/b",
        "position": "Analis Hukum",
    }
    response = head_client.post(url, data)
    assert response.status_code == 302
    employee.refresh_from_db()
    assert (employee.name, employee.rank, employee.position) == ("Nama Baru, S.H.", "III/b", "Analis Hukum")
    assert AuditEvent.objects.filter(action="employee.updated", object_id=str(employee.pk)).exists()
    assert AuditEvent.objects.get(action="employee.updated").data["fields"] == ["name", "rank", "position"]


def _edit_data(employee, name: str) -> dict:
    return {"name": name, "employment_type": "PNS", "identifier": employee.identifier, "rank": "III/b", "position": ""}


def test_an_edit_opened_before_someone_elses_save_is_refused_and_kept(head_client, regional_admin, employee):
    url = reverse("facilities:employee_edit", args=[employee.pk])
    opened = head_client.get(url).context["form"]["loaded_version"].value()
    assert opened

    # Meanwhile the Kanwil corrects the same record.
    other = Client()
    other.force_login(regional_admin)
    data = _edit_data(employee, "Koreksi Kanwil, S.H.")
    data["loaded_version"] = other.get(url).context["form"]["loaded_version"].value()
    assert other.post(url, data).status_code == 302

    stale = _edit_data(employee, "Koreksi Kepala, S.H.")
    stale["loaded_version"] = opened
    response = head_client.post(url, stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "diubah orang lain" in page and 'value="Koreksi Kepala, S.H."' in page
    employee.refresh_from_db()
    assert employee.name == "Koreksi Kanwil, S.H."
    assert AuditEvent.objects.filter(action="employee.updated").count() == 1

    # Submitting again, now knowing of the other edit, saves.
    stale["loaded_version"] = response.context["form"]["loaded_version"].value()
    assert stale["loaded_version"] != opened
    assert head_client.post(url, stale).status_code == 302
    employee.refresh_from_db()
    assert employee.name == "Koreksi Kepala, S.H."


def test_a_roster_import_after_the_form_opened_also_counts_as_a_newer_edit(head_client, employee):
    url = reverse("facilities:employee_edit", args=[employee.pk])
    opened = head_client.get(url).context["form"]["loaded_version"].value()
    Employee.objects.filter(pk=employee.pk).update(position="Dari impor", updated_at=timezone.now())
    data = _edit_data(employee, "Nama Baru, S.H.")
    data["loaded_version"] = opened
    assert head_client.post(url, data).status_code == 200
    employee.refresh_from_db()
    assert employee.position == "Dari impor"
