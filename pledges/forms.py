from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import BoundedDateField, IdMultipleChoiceField, bounded_formfield, echo
from core.uploads import CheckedFileField
from facilities.models import Facility, RegionalOffice
from pledges.models import Campaign, PactText

SCAN_MAX_BYTES = 20 * 1024 * 1024
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024


class PactTextForm(forms.ModelForm):
    class Meta:
        model = PactText
        fields = ["title", "intro", "clauses", "closing"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 2}),
            "clauses": forms.Textarea(attrs={"rows": 8}),
            "closing": forms.Textarea(attrs={"rows": 3}),
        }
        formfield_callback = bounded_formfield


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


# Online pacts began long after 2000; the bound also keeps a window clear of the database's
# constraint, which is in UTC (1900-01-01 00:00 in Jakarta is still 1899 there).
CAMPAIGN_FIRST_YEAR = 2000


class CampaignForm(forms.ModelForm):
    facilities = IdMultipleChoiceField(
        label=_("UPT (untuk cakupan UPT tertentu)"),
        queryset=Facility.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Campaign
        fields = ["name", "period", "text", "scope", "regional_office", "facilities", "opens_at", "closes_at"]
        widgets = {"opens_at": DateTimeLocalInput(), "closes_at": DateTimeLocalInput()}
        formfield_callback = bounded_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilities"].queryset = Facility.objects.filter(is_active=True).select_related("regional_office")
        self.fields["regional_office"].queryset = RegionalOffice.objects.all()
        self.fields["regional_office"].required = False
        # Offer the newest version of each text.
        latest = PactText.objects.order_by("key", "-version").distinct("key") if _supports_distinct_on() else None
        if latest is not None:
            self.fields["text"].queryset = PactText.objects.filter(pk__in=latest.values("pk"))
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            self.fields[name].min_year = CAMPAIGN_FIRST_YEAR

    def clean(self) -> dict:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Waktu penutupan harus sesudah waktu pembukaan."))
        scope = cleaned.get("scope")
        if scope == Campaign.Scope.REGION and not cleaned.get("regional_office"):
            self.add_error("regional_office", _("Pilih Kanwil untuk cakupan 'Satu Kanwil'."))
        if scope == Campaign.Scope.FACILITIES and not cleaned.get("facilities"):
            self.add_error("facilities", _("Pilih minimal satu UPT."))
        return cleaned


def _supports_distinct_on() -> bool:
    from django.db import connection

    return connection.features.can_distinct_on_fields


class SignForm(forms.Form):
    consent = forms.BooleanField(
        label=_("Saya telah membaca dan memahami pakta integritas ini dan menyatakan sanggup melaksanakannya."),
        required=True,
        error_messages={"required": _("Centang pernyataan ini untuk menandatangani.")},
    )
    typed_name = forms.CharField(
        label=_("Ketik nama lengkap Anda"),
        max_length=200,
        help_text=_("Sama dengan nama pada data pegawai (huruf besar/kecil dan spasi tidak berpengaruh)."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, employee, **kwargs):
        self.employee = employee
        super().__init__(*args, **kwargs)

    def clean_typed_name(self) -> str:
        from pledges.actions import name_matches

        typed = self.cleaned_data["typed_name"]
        if not name_matches(typed, self.employee.name):
            raise forms.ValidationError(
                _("Nama yang diketik tidak sama dengan nama Anda pada data pegawai: “%(name)s”.")
                % {"name": self.employee.name}
            )
        return typed


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Contoh: salah orang, data pegawai keliru, atau permintaan pegawai karena kesalahan."),
    )


class PaperBatchForm(forms.Form):
    signed_on = BoundedDateField(
        label=_("Tanggal penandatanganan"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(
        label=_("Tempat / acara"),
        max_length=200,
        required=False,
        help_text=_("Contoh: Apel pagi, lapangan Lapas"),
    )
    scan = CheckedFileField(label=_("Pindaian lembar bertanda tangan"), kinds={"pdf"}, max_bytes=SCAN_MAX_BYTES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()


# Codes are secrets.token_urlsafe(): letters, digits, "-" and "_". Anything else (a "/", a "?")
# could not even be put in the verification URL.
_VERIFICATION_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")


class VerifyCodeForm(forms.Form):
    code = forms.CharField(label=_("Kode verifikasi"), max_length=64)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not _VERIFICATION_CODE.fullmatch(code):
            raise forms.ValidationError(
                _("Kode verifikasi “%(code)s” tidak valid: kode hanya berisi huruf, angka, tanda - dan _."),
                code="invalid",
                params={"code": echo(code)},
            )
        return code


class VerifyFileForm(forms.Form):
    certificate = CheckedFileField(
        label=_("Berkas PDF sertifikat pakta"), kinds={"pdf"}, max_bytes=CERTIFICATE_MAX_BYTES
    )
