"""NIP, NI PPPK and NIK rules (docs/domain.md §2): each way an identifier can
be wrong has its own Indonesian message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from facilities.identifiers import validate_ni_pppk, validate_nik, validate_nip

VALID_NIP = "198012302005011003"  # born 1980-12-30, TMT CPNS 2005-01, male, serial 003
VALID_NI_PPPK = "199203152023012001"  # born 1992-03-15, PPPK 2023, 1 agreement, female, serial 001
VALID_NIK = "3301051204900003"  # Cilacap, born 12-04-1990, male, serial 0003


def message(validator, value) -> str:
    with pytest.raises(ValidationError) as exc:
        validator(value)
    return " ".join(exc.value.messages)


def next_year() -> int:
    return timezone.localdate().year + 1


# --- NIP ----------------------------------------------------------------------


def test_it_accepts_a_valid_nip():
    assert validate_nip(VALID_NIP) == VALID_NIP


def test_it_strips_spaces_from_a_nip_as_printed():
    assert validate_nip("19801230 200501 1 003") == VALID_NIP


def test_it_strips_dots_and_dashes_from_a_nip():
    assert validate_nip("19801230.200501.1.003") == VALID_NIP
    assert validate_nip("19801230-200501-1-003") == VALID_NIP


def test_it_requires_a_nip():
    assert message(validate_nip, "") == "NIP wajib diisi."


def test_it_rejects_nip_with_17_digits():
    assert message(validate_nip, VALID_NIP[:-1]) == "NIP harus 18 digit, tertulis 17 digit."


def test_it_rejects_nip_with_19_digits():
    assert message(validate_nip, VALID_NIP + "1") == "NIP harus 18 digit, tertulis 19 digit."


def test_it_rejects_nip_with_letters():
    assert message(validate_nip, "19801230200501100O") == (
        "NIP hanya boleh berisi angka (tertulis: 19801230200501100O)."
    )


def test_it_rejects_nip_with_month_13_in_birth_date():
    assert message(validate_nip, "198013302005011003") == (
        "NIP: digit 1–8 (19801330) bukan tanggal lahir yang valid (format TTTTBBHH)."
    )


def test_it_rejects_nip_with_february_30_as_birth_date():
    assert message(validate_nip, "198002302005011003") == (
        "NIP: digit 1–8 (19800230) bukan tanggal lahir yang valid (format TTTTBBHH)."
    )


def test_it_rejects_nip_with_birth_date_in_the_future():
    year = next_year()
    assert message(validate_nip, f"{year}01012005011003") == (f"NIP: tanggal lahir {year}-01-01 ada di masa depan.")


def test_it_rejects_nip_with_implausibly_old_birth_year():
    assert message(validate_nip, "192001011950011003") == (
        "NIP: tahun lahir 1920 tidak masuk akal untuk pegawai aktif."
    )


def test_it_rejects_nip_with_tmt_month_00():
    assert message(validate_nip, "198012302005001003") == (
        "NIP: digit 13–14 adalah bulan TMT CPNS dan harus 01–12, tertulis 00."
    )


def test_it_rejects_nip_with_tmt_month_13():
    assert message(validate_nip, "198012302005131003") == (
        "NIP: digit 13–14 adalah bulan TMT CPNS dan harus 01–12, tertulis 13."
    )


def test_it_rejects_nip_with_tmt_in_the_future():
    year = next_year()
    assert message(validate_nip, f"19801230{year}011003") == f"NIP: TMT CPNS {year}-01 (digit 9–14) ada di masa depan."


def test_it_accepts_nip_with_tmt_this_month():
    today = timezone.localdate()
    assert validate_nip(f"19801230{today:%Y%m}1003")


def test_it_rejects_nip_with_tmt_before_age_18():
    assert message(validate_nip, "199005052005011003") == (
        "NIP: TMT CPNS 2005-01 terlalu dekat dengan tanggal lahir 1990-05-05 (usia minimal 18 tahun)."
    )


@pytest.mark.parametrize(
    "nip",
    [
        "199003012008031001",  # born 1 March 1990, TMT March 2008: 18 on the first of the month
        "199002282008031001",  # turned 18 the day before the TMT
        "199001152008021001",  # TMT month after the birthday month
        "198802292006031001",  # born 29 February: 18 on 1 March 2006
    ],
)
def test_it_accepts_a_nip_whose_holder_is_18_on_the_first_of_the_tmt_month(nip):
    assert validate_nip(nip) == nip


@pytest.mark.parametrize(
    ("nip", "tmt", "birth"),
    [
        ("199003022008031001", "2008-03", "1990-03-02"),  # 18 one day after the TMT
        ("199012312008121001", "2008-12", "1990-12-31"),  # same year count, birthday not reached yet
        ("199006152008051001", "2008-05", "1990-06-15"),  # birthday month still ahead
        ("198802292006021001", "2006-02", "1988-02-29"),  # no 29 February in 2006: 18 only on 1 March
    ],
)
def test_it_rejects_a_nip_whose_holder_is_not_yet_18_at_the_tmt(nip, tmt, birth):
    assert message(validate_nip, nip) == (
        f"NIP: TMT CPNS {tmt} terlalu dekat dengan tanggal lahir {birth} (usia minimal 18 tahun)."
    )


def test_an_employee_form_refuses_a_nip_of_someone_not_yet_18_at_the_tmt(client, facility_head, facility):
    from django.urls import reverse

    client.force_login(facility_head)
    response = client.post(
        reverse("facilities:employee_create", args=[facility.pk]),
        {"name": "Calon Muda", "employment_type": "PNS", "identifier": "19901231 200812 1 001", "rank": "II/a"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["identifier"] == [
        "NIP: TMT CPNS 2008-12 terlalu dekat dengan tanggal lahir 1990-12-31 (usia minimal 18 tahun)."
    ]


def test_it_rejects_nip_with_tmt_before_birth():
    assert "terlalu dekat dengan tanggal lahir" in message(validate_nip, "198012301975011003")


@pytest.mark.parametrize("digit", ["0", "3", "9"])
def test_it_rejects_nip_with_gender_digit_other_than_1_or_2(digit):
    assert message(validate_nip, f"19801230200501{digit}003") == (
        f"NIP: digit ke-15 adalah kode jenis kelamin dan harus 1 (pria) atau 2 (wanita), tertulis {digit}."
    )


def test_it_accepts_nip_of_a_woman():
    assert validate_nip("198012302005012003")


def test_it_rejects_nip_with_serial_000():
    assert message(validate_nip, "198012302005011000") == "NIP: nomor urut (digit 16–18) tidak boleh 000."


def test_it_accepts_nip_with_serial_999():
    assert validate_nip("198012302005011999")


# --- NI PPPK ------------------------------------------------------------------


def test_it_accepts_a_valid_ni_pppk():
    assert validate_ni_pppk(VALID_NI_PPPK) == VALID_NI_PPPK


def test_it_strips_spaces_from_an_ni_pppk():
    assert validate_ni_pppk("19920315 2023 01 2 001") == VALID_NI_PPPK


def test_it_does_not_check_ni_pppk_digits_13_14_as_a_month():
    # Digits 13–14 count work agreements, not a month: 13 is fine.
    assert validate_ni_pppk("199203152023132001")


def test_it_rejects_ni_pppk_with_00_agreements():
    assert message(validate_ni_pppk, "199203152023002001") == (
        "NI PPPK: digit 13–14 adalah jumlah perjanjian kerja dan minimal 01, tertulis 00."
    )


def test_it_rejects_ni_pppk_appointed_in_a_future_year():
    year = next_year()
    assert message(validate_ni_pppk, f"19920315{year}012001") == (
        f"NI PPPK: tahun pengangkatan {year} (digit 9–12) ada di masa depan."
    )


def test_it_rejects_ni_pppk_appointed_before_age_18():
    assert message(validate_ni_pppk, "201001012023012001") == (
        "NI PPPK: tahun pengangkatan 2023 terlalu dekat dengan tahun lahir 2010 (usia minimal 18 tahun)."
    )


def test_it_rejects_ni_pppk_with_invalid_birth_date():
    assert message(validate_ni_pppk, "199202302023012001") == (
        "NI PPPK: digit 1–8 (19920230) bukan tanggal lahir yang valid (format TTTTBBHH)."
    )


def test_it_rejects_ni_pppk_with_birth_date_in_the_future():
    year = next_year()
    assert message(validate_ni_pppk, f"{year}03152023012001") == (
        f"NI PPPK: tanggal lahir {year}-03-15 ada di masa depan."
    )


def test_it_rejects_ni_pppk_with_gender_digit_3():
    assert message(validate_ni_pppk, "199203152023013001") == (
        "NI PPPK: digit ke-15 adalah kode jenis kelamin dan harus 1 (pria) atau 2 (wanita), tertulis 3."
    )


def test_it_rejects_ni_pppk_with_serial_000():
    assert message(validate_ni_pppk, "199203152023012000") == "NI PPPK: nomor urut (digit 16–18) tidak boleh 000."


def test_it_rejects_ni_pppk_with_16_digits():
    assert message(validate_ni_pppk, VALID_NI_PPPK[:16]) == "NI PPPK harus 18 digit, tertulis 16 digit."


def test_it_rejects_ni_pppk_with_letters():
    assert message(validate_ni_pppk, "1992O3152023012001") == (
        "NI PPPK hanya boleh berisi angka (tertulis: 1992O3152023012001)."
    )


# --- NIK ----------------------------------------------------------------------


def test_it_accepts_a_valid_nik():
    assert validate_nik(VALID_NIK) == VALID_NIK


def test_it_strips_spaces_and_dots_from_a_nik():
    assert validate_nik("3301.0512 0490 0003") == VALID_NIK


def test_it_rejects_nik_with_18_digits():
    assert message(validate_nik, VALID_NIK + "12") == "NIK harus 16 digit, tertulis 18 digit."


def test_it_rejects_nik_with_letters():
    assert message(validate_nik, "33010512O4900003") == "NIK hanya boleh berisi angka (tertulis: 33010512O4900003)."


@pytest.mark.parametrize("code", ["00", "10", "20", "30", "37", "41", "54", "99"])
def test_it_rejects_nik_with_unknown_province_code(code):
    assert message(validate_nik, f"{code}01051204900003") == (f"NIK: kode provinsi {code} (digit 1–2) tidak dikenal.")


@pytest.mark.parametrize("code", ["11", "21", "31", "36", "53", "65", "76", "82", "91"])
def test_it_accepts_nik_with_known_province_code(code):
    assert validate_nik(f"{code}01051204900003")


def test_it_rejects_nik_with_regency_00():
    assert message(validate_nik, "3300051204900003") == (
        "NIK: kode kabupaten/kota (digit 3–4) dan kecamatan (digit 5–6) tidak boleh 00."
    )


def test_it_rejects_nik_with_district_00():
    assert message(validate_nik, "3301001204900003") == (
        "NIK: kode kabupaten/kota (digit 3–4) dan kecamatan (digit 5–6) tidak boleh 00."
    )


@pytest.mark.parametrize(
    "date_digits",
    [
        "320490",  # day 32
        "001290",  # day 00
        "121390",  # month 13
        "120090",  # month 00
        "300290",  # 30 February
        "720190",  # a woman's day 32 (72 - 40)
        "400190",  # day 40 is neither a man's nor a woman's day
    ],
)
def test_it_rejects_nik_with_invalid_birth_date(date_digits):
    assert message(validate_nik, f"330105{date_digits}0003") == (
        f"NIK: digit 7–12 ({date_digits}) bukan tanggal lahir yang valid (HHBBTT; tanggal +40 untuk perempuan)."
    )


def test_it_accepts_nik_of_a_woman_with_day_plus_40():
    assert validate_nik("3301055204900003")  # 52 = 12 + 40


def test_it_accepts_nik_of_a_woman_born_on_the_31st():
    assert validate_nik("3301057101900003")  # 71 = 31 + 40


def test_it_accepts_nik_of_a_woman_born_on_the_1st():
    assert validate_nik("3301054101900003")  # 41 = 1 + 40


def test_it_rejects_nik_with_serial_0000():
    assert (
        message(validate_nik, "3301051204900000") == "NIK: nomor urut (digit 13–16) dimulai dari 0001, tertulis 0000."
    )


def test_it_accepts_nik_of_a_29_february_in_a_leap_year():
    # 29-02-00 is a real date only if the two-digit year is read as 2000, not 1900.
    year2 = dt.date(2000, 1, 1).strftime("%y")
    assert validate_nik(f"33010529 02{year2}0003".replace(" ", ""))
