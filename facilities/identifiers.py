"""Validation of staff identifiers: NIP (PNS/CPNS), NI PPPK and NIK (PPNPN).

The layouts are in docs/domain.md §2. Each way an identifier can be wrong
gets its own Indonesian message, because the people fixing a roster need to
know which digits to look at.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fields import is_ascii_digits

# Minimum age at first appointment; an earlier date is a typo, not a prodigy.
MIN_APPOINTMENT_AGE = 18

# Province codes (Kemendagri) that can open a NIK.
NIK_PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82}
    | set(range(91, 98))
)

_SEPARATORS = re.compile(r"[\s.\-]")


def normalize(value: object) -> str:
    """Strip the spaces, dots and dashes people type into identifiers."""
    if value is None:
        return ""
    return _SEPARATORS.sub("", str(value))


def _today() -> dt.date:
    return timezone.localdate()


def _parse_date(digits: str, *, label: str) -> dt.date:
    try:
        return dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(
            _("%(label)s: digit 1–8 (%(digits)s) bukan tanggal lahir yang valid (format TTTTBBHH).")
            % {"label": label, "digits": digits},
            code="birth_date",
        ) from None


def _age_on(birth: dt.date, day: dt.date) -> int:
    """Age in whole years on `day` (someone born on 29 February turns a year older on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _check_digits(value: str, length: int, label: str) -> None:
    if not value:
        raise ValidationError(_("%(label)s wajib diisi.") % {"label": label}, code="required")
    # ASCII digits only: "²" and "١" pass str.isdigit() but not int().
    if not is_ascii_digits(value):
        raise ValidationError(
            _("%(label)s hanya boleh berisi angka (tertulis: %(value)s).") % {"label": label, "value": value},
            code="not_digits",
        )
    if len(value) != length:
        raise ValidationError(
            _("%(label)s harus %(length)d digit, tertulis %(count)d digit.")
            % {"label": label, "length": length, "count": len(value)},
            code="length",
        )


def _check_birth(birth: dt.date, label: str) -> None:
    today = _today()
    if birth > today:
        raise ValidationError(
            _("%(label)s: tanggal lahir %(date)s ada di masa depan.") % {"label": label, "date": birth.isoformat()},
            code="birth_future",
        )
    if birth.year < 1930:
        raise ValidationError(
            _("%(label)s: tahun lahir %(year)d tidak masuk akal untuk pegawai aktif.")
            % {"label": label, "year": birth.year},
            code="birth_too_old",
        )


def _check_gender(digit: str, position: int, label: str) -> None:
    if digit not in ("1", "2"):
        raise ValidationError(
            _(
                "%(label)s: digit ke-%(pos)d adalah kode jenis kelamin dan harus 1 (pria) atau 2 (wanita), tertulis %(digit)s."
            )
            % {"label": label, "pos": position, "digit": digit},
            code="gender",
        )


def _check_serial(serial: str, start: int, label: str) -> None:
    if int(serial) == 0:
        raise ValidationError(
            _("%(label)s: nomor urut (digit %(start)d–%(end)d) tidak boleh %(serial)s.")
            % {"label": label, "start": start, "end": start + len(serial) - 1, "serial": serial},
            code="serial",
        )


def validate_nip(value: str) -> str:
    """NIP PNS/CPNS: birth date (8) + TMT CPNS YYYYMM (6) + gender (1) + serial (3)."""
    label = "NIP"
    value = normalize(value)
    _check_digits(value, 18, label)
    birth = _parse_date(value[0:8], label=label)
    _check_birth(birth, label)
    year, month = int(value[8:12]), int(value[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("NIP: digit 13–14 adalah bulan TMT CPNS dan harus 01–12, tertulis %(month)s.") % {"month": value[12:14]},
            code="tmt_month",
        )
    today = _today()
    if (year, month) > (today.year, today.month):
        raise ValidationError(
            _("NIP: TMT CPNS %(tmt)s (digit 9–14) ada di masa depan.") % {"tmt": f"{year:04d}-{month:02d}"},
            code="tmt_future",
        )
    # A TMT year before the birth year (0000 included, which is no date at all) is the same typo.
    if year < birth.year or _age_on(birth, dt.date(year, month, 1)) < MIN_APPOINTMENT_AGE:
        # The TMT has no day: it is taken as the first of its month.
        raise ValidationError(
            _("NIP: TMT CPNS %(tmt)s terlalu dekat dengan tanggal lahir %(birth)s (usia minimal %(age)d tahun).")
            % {"tmt": f"{year:04d}-{month:02d}", "birth": birth.isoformat(), "age": MIN_APPOINTMENT_AGE},
            code="tmt_before_adult",
        )
    _check_gender(value[14], 15, label)
    _check_serial(value[15:18], 16, label)
    return value


def validate_ni_pppk(value: str) -> str:
    """NI PPPK: birth date (8) + year first appointed (4) + agreements (2) + gender (1) + serial (3)."""
    label = "NI PPPK"
    value = normalize(value)
    _check_digits(value, 18, label)
    birth = _parse_date(value[0:8], label=label)
    _check_birth(birth, label)
    year = int(value[8:12])
    if year > _today().year:
        raise ValidationError(
            _("NI PPPK: tahun pengangkatan %(year)d (digit 9–12) ada di masa depan.") % {"year": year},
            code="appointed_future",
        )
    if year - birth.year < MIN_APPOINTMENT_AGE:
        raise ValidationError(
            _(
                "NI PPPK: tahun pengangkatan %(year)d terlalu dekat dengan tahun lahir %(birth)d (usia minimal %(age)d tahun)."
            )
            % {"year": year, "birth": birth.year, "age": MIN_APPOINTMENT_AGE},
            code="appointed_before_adult",
        )
    if int(value[12:14]) == 0:
        raise ValidationError(
            _("NI PPPK: digit 13–14 adalah jumlah perjanjian kerja dan minimal 01, tertulis 00."),
            code="agreements",
        )
    _check_gender(value[14], 15, label)
    _check_serial(value[15:18], 16, label)
    return value


def validate_nik(value: str) -> str:
    """NIK: province (2) + regency (2) + district (2) + DDMMYY, women +40 (6) + serial (4)."""
    label = "NIK"
    value = normalize(value)
    _check_digits(value, 16, label)
    province = int(value[0:2])
    if province not in NIK_PROVINCE_CODES:
        raise ValidationError(
            _("NIK: kode provinsi %(code)s (digit 1–2) tidak dikenal.") % {"code": value[0:2]},
            code="province",
        )
    if int(value[2:4]) == 0 or int(value[4:6]) == 0:
        raise ValidationError(
            _("NIK: kode kabupaten/kota (digit 3–4) dan kecamatan (digit 5–6) tidak boleh 00."),
            code="region",
        )
    day, month, year2 = int(value[6:8]), int(value[8:10]), int(value[10:12])
    if day > 40:
        day -= 40
    # Two-digit years: a staff member is at least 15, so a year that would put
    # the birth date in the last 15 years belongs to the previous century.
    today = _today()
    century = 2000 if 2000 + year2 <= today.year - 15 else 1900
    try:
        dt.date(century + year2, month, day)
    except ValueError:
        raise ValidationError(
            _("NIK: digit 7–12 (%(digits)s) bukan tanggal lahir yang valid (HHBBTT; tanggal +40 untuk perempuan).")
            % {"digits": value[6:12]},
            code="birth_date",
        ) from None
    if int(value[12:16]) == 0:
        raise ValidationError(_("NIK: nomor urut (digit 13–16) dimulai dari 0001, tertulis 0000."), code="serial")
    return value


def birth_date_from(identifier: str, employment_type: str) -> dt.date | None:
    """Birth date encoded in an identifier, used to reject passwords built from it."""
    value = normalize(identifier)
    try:
        if employment_type == "PPNPN" and len(value) == 16:
            day = int(value[6:8])
            day = day - 40 if day > 40 else day
            year2 = int(value[10:12])
            century = 2000 if 2000 + year2 <= _today().year - 15 else 1900
            return dt.date(century + year2, int(value[8:10]), day)
        if len(value) == 18:
            return dt.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None
    return None
