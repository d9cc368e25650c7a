"""Roster import: upload (.csv / .xlsx), row-by-row checks, preview, apply once, cancel."""

from __future__ import annotations

import os
import re
import zipfile
from io import BytesIO
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from facilities import actions
from facilities.models import Employee, Placement, RosterImport
from tests import factories
from tests.facilities.rosterfiles import csv_bytes, upload, xlsx_bytes

BUDI = ["Budi Santoso, S.H.", "PNS", "198012302005011003", "III/c", "Kepala Seksi Pembinaan"]
SRI = ["Sri Wahyuni, A.Md.", "PPPK", "199203152023012001", "VII", "Pengelola Layanan Operasional"]
AGUS = ["Agus Prasetyo", "PPNPN", "3301051204900003", "", "Pengemudi"]
NEW_PNS = ["Dewi Lestari, S.Psi.", "PNS", "199001012015032002", "III/a", "Pembina Kemasyarakatan"]


@pytest.fixture
def head_client(client, facility_head):
    client.force_login(facility_head)
    return client


def import_url(facility) -> str:
    return reverse("facilities:roster_import", args=[facility.pk])


def stage(client, facility, name: str, content: bytes):
    """Upload a file; returns the staged import (following the redirect to the preview)."""
    response = client.post(import_url(facility), {"file": upload(name, content)})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    staged = RosterImport.objects.latest("created_at")
    assert response.url == reverse("facilities:roster_import_preview", args=[facility.pk, staged.pk])
    return staged


def preview(client, facility, staged):
    return client.get(reverse("facilities:roster_import_preview", args=[facility.pk, staged.pk]))


def apply(client, facility, staged, action="apply"):
    return client.post(reverse("facilities:roster_import_preview", args=[facility.pk, staged.pk]), {"action": action})


def counts(response) -> dict[str, int]:
    plan = response.context["plan"]
    return {
        "creates": len(plan.creates),
        "updates": len(plan.updates),
        "unchanged": len(plan.unchanged),
        "errors": len(plan.errors),
    }


def errors(response) -> list[tuple[int, str, str]]:
    return [(row.row, e["column"], e["message"]) for row in response.context["plan"].errors for e in row.errors]


# --- Upload and preview -----------------------------------------------------


def test_the_upload_page_renders(head_client, facility):
    response = head_client.get(import_url(facility))
    assert response.status_code == 200
    assert reverse("facilities:roster_template") in response.content.decode()


def test_a_csv_roster_is_previewed_without_changing_anything(head_client, facility):
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI, AGUS]))
    response = preview(head_client, facility, staged)
    assert response.status_code == 200
    assert counts(response) == {"creates": 3, "updates": 0, "unchanged": 0, "errors": 0}
    assert "Budi Santoso, S.H." in response.content.decode()
    assert not Employee.objects.exists()


def test_an_xlsx_roster_is_previewed(head_client, facility):
    staged = stage(head_client, facility, "pegawai.xlsx", xlsx_bytes([BUDI, SRI, AGUS]))
    assert counts(preview(head_client, facility, staged)) == {"creates": 3, "updates": 0, "unchanged": 0, "errors": 0}


def test_a_semicolon_csv_as_excel_saves_it_in_indonesia_is_read(head_client, facility):
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI, AGUS], delimiter=";"))
    assert counts(preview(head_client, facility, staged))["creates"] == 3


def test_a_cp1252_csv_is_read(head_client, facility):
    content = csv_bytes([["Dédi Kurniawan", *BUDI[1:]]]).decode().encode("cp1252")
    staged = stage(head_client, facility, "pegawai.csv", content)
    assert preview(head_client, facility, staged).context["plan"].creates[0].data["name"] == "Dédi Kurniawan"


def test_applying_creates_the_employees_with_a_placement(head_client, facility, facility_head):
    staged = stage(head_client, facility, "pegawai.xlsx", xlsx_bytes([BUDI, SRI, AGUS]))
    response = apply(head_client, facility, staged)
    assert response.status_code == 302
    assert Employee.objects.filter(facility=facility).count() == 3
    budi = Employee.objects.get(identifier=BUDI[2])
    assert (budi.name, budi.employment_type, budi.rank, budi.position) == (
        "Budi Santoso, S.H.",
        "PNS",
        "III/c",
        "Kepala Seksi Pembinaan",
    )
    assert Placement.objects.filter(facility=facility, end_date__isnull=True).count() == 3
    staged.refresh_from_db()
    assert staged.status == RosterImport.Status.APPLIED
    assert staged.summary == {"created": 3, "updated": 0, "unchanged": 0, "errors": 0}
    event = AuditEvent.objects.get(action="roster.imported")
    assert event.actor == facility_head and event.facility == facility


def test_the_new_staff_appear_on_the_roster(head_client, facility):
    apply(head_client, facility, stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI])))
    html = head_client.get(reverse("facilities:roster", args=[facility.pk])).content.decode()
    assert "Budi Santoso, S.H." in html and "Sri Wahyuni, A.Md." in html


# --- Matching by identifier -------------------------------------------------


def test_rows_are_matched_by_identifier_updating_existing_and_creating_new(head_client, facility):
    existing = factories.EmployeeFactory(
        facility=facility, name="Budi Santoso", identifier=BUDI[2], rank="III/b", position="Analis Hukum"
    )
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI]))
    response = preview(head_client, facility, staged)
    assert counts(response) == {"creates": 1, "updates": 1, "unchanged": 0, "errors": 0}
    _row, employee, fields = response.context["plan"].updates[0]
    assert employee == existing
    assert fields == ["name", "rank", "position"]
    apply(head_client, facility, staged)
    existing.refresh_from_db()
    assert (existing.name, existing.rank, existing.position) == (
        "Budi Santoso, S.H.",
        "III/c",
        "Kepala Seksi Pembinaan",
    )
    assert Employee.objects.count() == 2


def test_identifiers_typed_with_spaces_match_the_stored_ones(head_client, facility):
    factories.EmployeeFactory(facility=facility, name=BUDI[0], identifier=BUDI[2], rank=BUDI[3], position=BUDI[4])
    spaced = [BUDI[0], "PNS", "19801230 200501 1 003", "Penata (III/c)", BUDI[4]]
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([spaced]))
    assert counts(preview(head_client, facility, staged)) == {"creates": 0, "updates": 0, "unchanged": 1, "errors": 0}


def test_a_reimport_creates_no_duplicates_and_counts_unchanged_rows(head_client, facility):
    content = csv_bytes([BUDI, SRI, AGUS])
    apply(head_client, facility, stage(head_client, facility, "pegawai.csv", content))
    staged = stage(head_client, facility, "pegawai.csv", content)
    response = preview(head_client, facility, staged)
    assert counts(response) == {"creates": 0, "updates": 0, "unchanged": 3, "errors": 0}
    assert not response.context["plan"].has_changes
    assert "Tidak ada perubahan yang bisa diterapkan." in response.content.decode()
    apply(head_client, facility, staged)
    assert Employee.objects.count() == 3
    assert Placement.objects.count() == 3


def test_a_reimport_reactivates_an_inactive_employee(head_client, facility):
    employee = factories.EmployeeFactory(
        facility=facility, name=BUDI[0], identifier=BUDI[2], rank=BUDI[3], position=BUDI[4], is_active=False
    )
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI]))
    response = preview(head_client, facility, staged)
    assert response.context["plan"].updates[0][2] == ["is_active"]
    apply(head_client, facility, staged)
    employee.refresh_from_db()
    assert employee.is_active


def summary_counts(html: str) -> dict[str, int]:
    """The four counters at the top of the preview or result page, as shown."""
    found = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    return {key: int(value) for key, value in found.items()}


def test_the_preview_lists_each_update_as_field_label_old_to_new(head_client, facility):
    factories.EmployeeFactory(
        facility=facility, name="Budi Santoso", identifier=BUDI[2], rank="III/b", position="Analis Hukum"
    )
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI]))
    html = preview(head_client, facility, staged).content.decode()
    assert '<h1 class="h3">Pratinjau impor: pegawai.csv</h1>' in html
    assert "Akan diperbarui" in html
    assert "Nama: Budi Santoso → Budi Santoso, S.H." in html
    assert "Pangkat/Golongan: Penata Muda Tingkat I (III/b) → Penata (III/c)" in html
    assert "Jabatan: Analis Hukum → Kepala Seksi Pembinaan" in html
    assert "name, rank, position" not in html
    assert summary_counts(html) == {"created": 1, "updated": 1, "unchanged": 0, "errors": 0}
    # New staff are listed with the type's and the rank's names, not their codes.
    assert "PPPK" in html and "Golongan VII" in html


def test_the_result_page_shows_what_was_applied_and_keeps_showing_it(head_client, facility):
    budi = factories.EmployeeFactory(
        facility=facility, name=BUDI[0], identifier=BUDI[2], rank="III/c", position=BUDI[4]
    )
    promoted = [BUDI[0], "PNS", BUDI[2], "III/d", BUDI[4]]
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([promoted, SRI, AGUS, NEW_PNS]))
    response = apply(head_client, facility, staged)
    assert response.status_code == 302
    assert response.url == reverse("facilities:roster_import_preview", args=[facility.pk, staged.pk])
    budi.refresh_from_db()
    assert budi.rank == "III/d"
    for _load in range(2):  # the page right after applying, and any later visit
        html = head_client.get(response.url).content.decode()
        assert '<h1 class="h3">Hasil impor: pegawai.csv</h1>' in html
        assert "Pratinjau" not in html
        assert summary_counts(html) == {"created": 3, "updated": 1, "unchanged": 0, "errors": 0}
        assert "ditambahkan" in html and "Pegawai ditambahkan" in html
        assert "Pangkat/Golongan: Penata (III/c) → Penata Tingkat I (III/d)" in html
        assert "Terapkan perubahan" not in html
    assert "Impor diterapkan: 3 ditambahkan, 1 diperbarui, 0 tetap, 0 baris bermasalah dilewati." not in html
    # The roster changing later does not change the recorded result.
    Employee.objects.filter(identifier=BUDI[2]).update(rank="IV/a")
    html = head_client.get(response.url).content.decode()
    assert "Pangkat/Golongan: Penata (III/c) → Penata Tingkat I (III/d)" in html
    assert summary_counts(html) == {"created": 3, "updated": 1, "unchanged": 0, "errors": 0}


def test_the_result_page_lists_skipped_rows_and_a_reactivation(head_client, facility):
    factories.EmployeeFactory(
        facility=facility, name=BUDI[0], identifier=BUDI[2], rank=BUDI[3], position=BUDI[4], is_active=False
    )
    staged = stage(
        head_client, facility, "pegawai.csv", csv_bytes([BUDI, ["Tanpa Nomor", "PNS", "12345", "III/a", ""]])
    )
    html = preview(head_client, facility, staged).content.decode()
    assert "Status: Tidak aktif → Aktif" in html
    apply(head_client, facility, staged)
    html = preview(head_client, facility, staged).content.decode()
    assert summary_counts(html) == {"created": 0, "updated": 1, "unchanged": 0, "errors": 1}
    assert "Status: Tidak aktif → Aktif" in html
    assert "Baris bermasalah (dilewati)" in html and "Tanpa Nomor" in html


def test_the_first_response_after_applying_says_the_applied_counts(head_client, facility):
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI]))
    response = head_client.post(
        reverse("facilities:roster_import_preview", args=[facility.pk, staged.pk]), {"action": "apply"}, follow=True
    )
    html = response.content.decode()
    assert "Impor diterapkan: 2 ditambahkan, 0 diperbarui, 0 tetap, 0 baris bermasalah dilewati." in html
    assert summary_counts(html) == {"created": 2, "updated": 0, "unchanged": 0, "errors": 0}
    assert "Hasil impor" in html


def test_an_import_applied_before_outcomes_were_kept_shows_its_recorded_counts(head_client, facility):
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI]))
    apply(head_client, facility, staged)
    RosterImport.objects.filter(pk=staged.pk).update(outcome={})
    html = preview(head_client, facility, staged).content.decode()
    assert "Hasil impor" in html
    assert summary_counts(html) == {"created": 2, "updated": 0, "unchanged": 0, "errors": 0}


# --- Row errors -------------------------------------------------------------


def test_bad_rows_are_reported_with_row_column_and_reason_and_good_rows_kept(head_client, facility):
    rows = [
        BUDI,
        ["Joko Susanto", "PNS", "198012302005131004", "II/b", "Petugas Pengamanan"],  # row 3: TMT month 13
        SRI,
        ["", "PNS", "198501042007011014", "II/c", ""],  # row 5: no name
        ["Rina Lestari", "Honorer Lepas", "3301055204900004", "", ""],  # row 6: unknown type
        ["Eko Wibowo", "PPNPN", "3301051204900005", "II/a", "Pengemudi"],  # row 7: PPNPN with a golongan
        AGUS,
    ]
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes(rows))
    response = preview(head_client, facility, staged)
    assert counts(response) == {"creates": 3, "updates": 0, "unchanged": 0, "errors": 4}
    assert errors(response) == [
        (3, "NIP/NI PPPK/NIK", "NIP: digit 13–14 adalah bulan TMT CPNS dan harus 01–12, tertulis 13."),
        (5, "Nama", "Nama wajib diisi."),
        (
            6,
            "Jenis Pegawai",
            "Jenis pegawai 'Honorer Lepas' tidak dikenal; isi PNS, CPNS, PPPK, PPPK Paruh Waktu, atau PPNPN.",
        ),
        (7, "Pangkat/Golongan", "PPNPN tidak mempunyai pangkat/golongan; kosongkan kolom ini."),
    ]
    table = response.content.decode().split('id="import-errors"')[1].split("</table>")[0]
    assert "<td>3</td><td>NIP/NI PPPK/NIK</td>" in table
    apply(head_client, facility, staged)
    assert set(Employee.objects.values_list("identifier", flat=True)) == {BUDI[2], SRI[2], AGUS[2]}
    staged.refresh_from_db()
    assert staged.summary == {"created": 3, "updated": 0, "unchanged": 0, "errors": 4}


def test_a_row_can_have_several_errors(head_client, facility):
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([["Budi", "PNS", "198012302005011000", "", ""]]))
    assert errors(preview(head_client, facility, staged)) == [
        (2, "NIP/NI PPPK/NIK", "NIP: nomor urut (digit 16–18) tidak boleh 000."),
        (2, "Pangkat/Golongan", "PNS/CPNS wajib mempunyai golongan I/a sampai IV/e (contoh: III/b)."),
    ]


def test_blank_lines_are_skipped_and_row_numbers_stay_those_of_the_sheet(head_client, facility):
    rows = [BUDI, ["", "", "", "", ""], ["Joko", "PNS", "12345", "II/a", ""]]
    staged = stage(head_client, facility, "pegawai.xlsx", xlsx_bytes(rows))
    assert errors(preview(head_client, facility, staged)) == [
        (4, "NIP/NI PPPK/NIK", "NIP harus 18 digit, tertulis 5 digit.")
    ]


def test_a_duplicate_identifier_inside_the_file_is_an_error_on_the_second_row(head_client, facility):
    rows = [BUDI, SRI, ["Budi Santoso", "PNS", "19801230 200501 1 003", "III/c", ""]]
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes(rows))
    response = preview(head_client, facility, staged)
    assert errors(response) == [(4, "NIP/NI PPPK/NIK", "Nomor induk sama dengan baris 2 di berkas ini.")]
    assert counts(response)["creates"] == 2


ELSEWHERE = "Pegawai ini sudah terdaftar di UPT lain; pemindahan lewat menu mutasi, bukan impor."


def test_an_identifier_already_at_another_facility_is_refused(head_client, facility, other_facility):
    elsewhere = factories.EmployeeFactory(facility=other_facility, identifier=BUDI[2])
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI]))
    response = preview(head_client, facility, staged)
    # The head may not know where the person works: a file of identifiers must not map the country's staff.
    assert errors(response) == [(2, "NIP/NI PPPK/NIK", ELSEWHERE)]
    assert "Kayu Agung" not in response.content.decode()
    apply(head_client, facility, staged)
    elsewhere.refresh_from_db()
    assert elsewhere.facility == other_facility
    assert Employee.objects.filter(facility=facility).count() == 1
    staged.refresh_from_db()
    assert "Kayu Agung" not in str(staged.outcome)  # what is kept for the result page names no UPT either


def test_the_regional_admin_is_told_which_of_their_upts_holds_the_identifier(
    client, regional_admin, facility, sibling_facility, other_facility
):
    factories.EmployeeFactory(facility=sibling_facility, identifier=BUDI[2])
    factories.EmployeeFactory(facility=other_facility, identifier=SRI[2])
    client.force_login(regional_admin)
    staged = stage(client, facility, "pegawai.csv", csv_bytes([BUDI, SRI]))
    assert errors(preview(client, facility, staged)) == [
        (
            2,
            "NIP/NI PPPK/NIK",
            f"Pegawai ini terdaftar di {sibling_facility.name}; pindahkan lewat menu mutasi, bukan impor.",
        ),
        (3, "NIP/NI PPPK/NIK", ELSEWHERE),  # another Kanwil's UPT: not theirs to know
    ]


def test_an_identifier_moved_elsewhere_between_preview_and_apply_is_not_taken_over(
    head_client, facility, sibling_facility
):
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI]))
    factories.EmployeeFactory(facility=sibling_facility, identifier=BUDI[2])
    apply(head_client, facility, staged)
    assert Employee.objects.get(identifier=BUDI[2]).facility == sibling_facility
    assert Employee.objects.filter(facility=facility).count() == 1


def scientific(written: str) -> str:
    return (
        f"Nomor induk tersimpan sebagai angka dalam notasi ilmiah (tertulis: {written}), sehingga "
        "digit-digitnya sudah hilang dan tidak dapat dipulihkan. Format kolom NIP/NI PPPK/NIK "
        "sebagai Teks, lalu ketik ulang nomor induknya."
    )


@pytest.mark.parametrize("number", [198012302005011003, float(198012302005011003)])
def test_an_18_digit_nip_stored_as_an_excel_number_is_refused(head_client, facility, number):
    staged = stage(head_client, facility, "pegawai.xlsx", xlsx_bytes([[BUDI[0], "PNS", number, "III/c", ""], SRI]))
    response = preview(head_client, facility, staged)
    # Shown as Excel shows the cell, so the user recognises it.
    assert errors(response) == [(2, "NIP/NI PPPK/NIK", scientific("1.98012E+17"))]
    assert counts(response)["creates"] == 1


def test_a_16_digit_nik_stored_as_an_excel_number_is_refused_not_imported_with_a_wrong_serial(head_client, facility):
    # Excel keeps 15 significant digits: NIK 3301051204900012 typed as a
    # number is saved as 3301051204900010, a valid-looking but wrong NIK.
    staged = stage(head_client, facility, "pegawai.xlsx", xlsx_bytes([["Agus", "PPNPN", 3301051204900010.0, "", ""]]))
    response = preview(head_client, facility, staged)
    assert [e[2] for e in errors(response)] == [scientific("3.30105E+15")]


@pytest.mark.parametrize("written", ["1.98012E+17", "198012E+17", "1,98012E+17", "1.98012e+17", " 1.98012E17 "])
def test_a_nip_in_scientific_notation_from_an_excel_csv_is_refused(head_client, facility, written):
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([[BUDI[0], "PNS", written, "III/c", ""], SRI]))
    response = preview(head_client, facility, staged)
    assert errors(response) == [(2, "NIP/NI PPPK/NIK", scientific(written.strip()))]
    assert counts(response)["creates"] == 1
    apply(head_client, facility, staged)
    assert list(Employee.objects.values_list("identifier", flat=True)) == [SRI[2]]


def test_a_nip_with_a_letter_is_not_mistaken_for_scientific_notation(head_client, facility):
    staged = stage(
        head_client, facility, "pegawai.csv", csv_bytes([[BUDI[0], "PNS", "19801230200501100E", "III/c", ""]])
    )
    [(_row, _column, reason)] = errors(preview(head_client, facility, staged))
    assert reason == "NIP hanya boleh berisi angka (tertulis: 19801230200501100E)."


# --- Whole-file problems ----------------------------------------------------


def post_file(client, facility, name, content):
    response = client.post(import_url(facility), {"file": upload(name, content)})
    assert response.status_code == 200
    assert not RosterImport.objects.exists()
    return response.context["form"].errors["file"]


def test_a_file_without_the_required_columns_is_refused(head_client, facility):
    assert post_file(head_client, facility, "pegawai.csv", csv_bytes([["a", "b"]], header=["Nama", "Alamat"])) == [
        "Kolom wajib tidak ditemukan di baris pertama: Jenis Pegawai, NIP/NI PPPK/NIK. Gunakan berkas templat."
    ]


def test_random_bytes_renamed_xlsx_are_refused(head_client, facility):
    message = post_file(head_client, facility, "pegawai.xlsx", os.urandom(4096) + b"\x00")[0]
    assert "bukan CSV, Excel (.xlsx) yang sah" in message


def test_an_executable_renamed_csv_is_refused(head_client, facility):
    executable = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode"
    )
    message = post_file(head_client, facility, "pegawai.csv", executable)[0]
    assert "bukan CSV, Excel (.xlsx) yang sah" in message


def test_an_elf_binary_renamed_xlsx_is_refused(head_client, facility):
    message = post_file(head_client, facility, "pegawai.xlsx", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)[0]
    assert "bukan CSV, Excel (.xlsx) yang sah" in message


def test_a_zip_that_is_not_a_workbook_is_refused(head_client, facility):
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ" + b"\x00" * 100)
    message = post_file(head_client, facility, "pegawai.xlsx", out.getvalue())[0]
    assert "bukan CSV, Excel (.xlsx) yang sah" in message


def test_a_broken_workbook_is_refused_with_a_message(head_client, facility):
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", b"not xml")
    assert post_file(head_client, facility, "pegawai.xlsx", out.getvalue()) == [
        "Berkas Excel tidak dapat dibaca; simpan ulang sebagai .xlsx."
    ]


def test_an_oversize_file_is_refused(head_client, facility):
    content = csv_bytes([BUDI]) + b"#" * (5 * 1024 * 1024)
    message = post_file(head_client, facility, "pegawai.csv", content)[0]
    assert message.startswith("Berkas pegawai.csv terlalu besar")


def test_an_empty_file_is_refused(head_client, facility):
    response = head_client.post(import_url(facility), {"file": upload("pegawai.csv", b"")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not RosterImport.objects.exists()


def test_a_file_with_too_many_rows_is_refused(head_client, facility, settings):
    with mock.patch("facilities.roster.MAX_ROWS", 3):
        message = post_file(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI, AGUS, BUDI]))
    assert message == ["Berkas berisi lebih dari 3 baris; pecah menjadi beberapa berkas."]


# --- Apply: atomic, once; cancel --------------------------------------------


def test_a_second_apply_post_changes_nothing(head_client, facility):
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI]))
    apply(head_client, facility, staged)
    Employee.objects.filter(identifier=BUDI[2]).update(name="Diubah setelah impor")
    response = apply(head_client, facility, staged)
    assert response.status_code == 200  # the applied preview, nothing more
    assert Employee.objects.count() == 2
    assert Employee.objects.get(identifier=BUDI[2]).name == "Diubah setelah impor"
    assert AuditEvent.objects.filter(action="roster.imported").count() == 1


def test_the_apply_action_refuses_an_import_already_applied(facility, facility_head):
    staged = actions.stage_roster_import(facility_head, facility, "pegawai.csv", csv_bytes([BUDI]), "csv")
    actions.apply_roster_import(facility_head, staged)
    with pytest.raises(ValidationError) as exc:
        actions.apply_roster_import(facility_head, staged)
    assert exc.value.messages == ["Impor ini sudah diterapkan atau dibatalkan."]
    assert Employee.objects.count() == 1


def test_the_apply_step_is_atomic(head_client, facility):
    existing = factories.EmployeeFactory(facility=facility, name="Nama Lama", identifier=BUDI[2], rank="III/c")
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI, AGUS]))
    with mock.patch("facilities.actions.audit.record", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            apply(head_client, facility, staged)
    existing.refresh_from_db()
    assert existing.name == "Nama Lama"
    assert Employee.objects.count() == 1
    assert Placement.objects.count() == 1
    staged.refresh_from_db()
    assert staged.status == RosterImport.Status.PENDING


def test_cancel_changes_nothing_and_closes_the_import(head_client, facility):
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI, SRI]))
    response = apply(head_client, facility, staged, action="cancel")
    assert response.status_code == 302
    assert response.url == reverse("facilities:roster", args=[facility.pk])
    staged.refresh_from_db()
    assert staged.status == RosterImport.Status.CANCELLED
    apply(head_client, facility, staged)
    assert not Employee.objects.exists()


def test_cancelling_is_an_audited_action(head_client, facility_head, facility):
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([BUDI]))
    apply(head_client, facility, staged, action="cancel")
    event = AuditEvent.objects.get(action="roster.import_cancelled")
    assert (event.actor, event.facility, event.object_type, event.object_id) == (
        facility_head,
        facility,
        "facilities.rosterimport",
        str(staged.pk),
    )
    assert event.data == {"filename": "pegawai.csv"}


def test_the_cancel_action_refuses_an_import_already_applied(facility, facility_head):
    staged = actions.stage_roster_import(facility_head, facility, "pegawai.csv", csv_bytes([BUDI]), "csv")
    actions.apply_roster_import(facility_head, staged)
    with pytest.raises(ValidationError) as exc:
        actions.cancel_roster_import(facility_head, staged)
    assert exc.value.messages == ["Impor ini sudah diterapkan atau dibatalkan."]
    staged.refresh_from_db()
    assert staged.status == RosterImport.Status.APPLIED
    assert not AuditEvent.objects.filter(action="roster.import_cancelled").exists()


def test_an_import_of_another_facility_is_not_found(head_client, facility, sibling_facility, regional_admin):
    staged = actions.stage_roster_import(regional_admin, sibling_facility, "x.csv", csv_bytes([BUDI]), "csv")
    url = reverse("facilities:roster_import_preview", args=[facility.pk, staged.pk])
    assert head_client.get(url).status_code == 404
    assert head_client.post(url, {"action": "apply"}).status_code == 404
    other_url = reverse("facilities:roster_import_preview", args=[sibling_facility.pk, staged.pk])
    assert head_client.post(other_url, {"action": "apply"}).status_code == 404
    assert not Employee.objects.exists()


# --- What a real sheet looks like -----------------------------------------------


def test_header_aliases_and_column_order_do_not_matter(head_client, facility):
    header = ["Jabatan", "NIP", "Nama Lengkap", "Gol", "Status Kepegawaian"]
    rows = [["Pengemudi", "3301051204900003", "Agus Prasetyo", "", "Non-ASN"]]
    staged = stage(head_client, facility, "pegawai.xlsx", xlsx_bytes(rows, header=header))
    [row] = preview(head_client, facility, staged).context["plan"].creates
    assert row.data == {
        "name": "Agus Prasetyo",
        "employment_type": "PPNPN",
        "identifier": "3301051204900003",
        "position": "Pengemudi",
        "rank": "",
    }


@pytest.mark.parametrize(
    "typed, stored",
    [("iii/a", "III/a"), ("III a", "III/a"), ("Penata Muda (III/a)", "III/a"), ("iv-b", "IV/b")],
)
def test_golongan_written_in_the_usual_ways_is_normalised(head_client, facility, typed, stored):
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes([[BUDI[0], "PNS", BUDI[2], typed, ""]]))
    [row] = preview(head_client, facility, staged).context["plan"].creates
    assert row.data["rank"] == stored


def test_pppk_paruh_waktu_is_recognised(head_client, facility):
    rows = [["Sri Wahyuni", "PPPK Paruh Waktu", "199203152025012001", "", "Juru Masak"]]
    staged = stage(head_client, facility, "pegawai.csv", csv_bytes(rows))
    [row] = preview(head_client, facility, staged).context["plan"].creates
    assert row.data["employment_type"] == "PPPK_PW"


def test_markup_in_a_roster_file_is_shown_as_text(head_client, facility):
    rows = [["<script>alert(1)</script>", "PNS", "198012302005131004", "II/b", ""]]
    staged = stage(head_client, facility, "<b>pegawai</b>.csv", csv_bytes(rows))
    html = preview(head_client, facility, staged).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>pegawai</b>" not in html


def test_two_simultaneous_applies_apply_once(transactional_db, facility, facility_head):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    staged = actions.stage_roster_import(facility_head, facility, "pegawai.csv", csv_bytes([BUDI, SRI, AGUS]), "csv")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def apply_in_thread():
        try:
            barrier.wait()
            actions.apply_roster_import(facility_head, RosterImport.objects.get(pk=staged.pk))
            outcomes.append("applied")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["applied", "refused"]
    assert Employee.objects.count() == 3
    assert AuditEvent.objects.filter(action="roster.imported").count() == 1
