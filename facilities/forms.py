from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import EMPTY_LABEL, SEARCH_MAX_LENGTH, BoundedDateField, bounded_formfield
from core.uploads import CheckedFileField
from facilities.models import RANK_CHOICES, Employee, Facility, RegionalOffice

ROSTER_MAX_BYTES = 5 * 1024 * 1024
IDENTIFIER_TYPED_MAX = 30


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = ["regional_office", "name", "type", "facility_class", "city", "address", "head", "is_active"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}
        formfield_callback = bounded_formfield

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regional_office"].queryset = regions
        if regions.count() == 1:
            self.fields["regional_office"].initial = regions.first()
        if self.instance.pk:
            self.fields["head"].queryset = self.instance.employees.active().filter(employment_type__in=["PNS"])
        else:
            del self.fields["head"]


class EmployeeForm(forms.ModelForm):
    rank = forms.ChoiceField(
        label=_("Pangkat/golongan atau golongan PPPK"),
        choices=[("", _("— tidak ada (PPNPN) —"))] + RANK_CHOICES,
        required=False,
    )

    class Meta:
        model = Employee
        fields = ["name", "employment_type", "identifier", "rank", "position"]
        help_texts = {
            "identifier": _("PNS/CPNS: NIP 18 digit · PPPK: NI PPPK 18 digit · PPNPN: NIK 16 digit. Spasi boleh."),
            "name": _("Sesuai SK, dengan gelar. Contoh: Budi Santoso, S.H., M.H."),
        }
        widgets = {"identifier": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}
        formfield_callback = bounded_formfield

    # The record's version (its updated_at) when the form was opened: saving over
    # a newer edit by someone else (another admin, a roster import) is refused.
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, facility: Facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.facility = facility
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()
        # The 18-digit limit applies after clean_identifier strips the spaces
        # and dots people type ("19801230 200501 1 003" is 21 characters).
        identifier = self.fields["identifier"]
        identifier.max_length = IDENTIFIER_TYPED_MAX
        identifier.validators = [v for v in identifier.validators if not isinstance(v, MaxLengthValidator)]
        identifier.widget.attrs["maxlength"] = str(IDENTIFIER_TYPED_MAX)

    def clean_identifier(self) -> str:
        from facilities.identifiers import normalize

        return normalize(self.cleaned_data.get("identifier"))

    def validate_unique(self) -> None:
        # A duplicate identifier is most often someone already on another
        # UPT's roster: name the UPT so the user knows to request a transfer.
        identifier = self.cleaned_data.get("identifier")
        if identifier and "identifier" not in self.errors:
            other = (
                Employee.objects.filter(identifier=identifier).exclude(pk=self.instance.pk).select_related("facility")
            )
            other = other.first()
            if other is not None:
                self.add_error(
                    "identifier",
                    _("Nomor induk ini sudah terdaftar atas nama %(name)s di %(facility)s.")
                    % {"name": other.name, "facility": other.facility.name},
                )
                return
        super().validate_unique()


class TransferForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("UPT tujuan"), queryset=Facility.objects.none(), empty_label=EMPTY_LABEL)
    date = BoundedDateField(
        label=_("Tanggal efektif"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Nomor SK mutasi / keterangan"), max_length=300, required=False)

    def __init__(self, *args, employee: Employee, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.fields["facility"].queryset = facilities.exclude(pk=employee.facility_id).select_related("regional_office")

    def clean_date(self):
        date = self.cleaned_data["date"]
        current = self.employee.placements.filter(end_date__isnull=True).first()
        if current and date < current.start_date:
            raise forms.ValidationError(
                _("Tanggal efektif tidak boleh sebelum penempatan saat ini (%(date)s).")
                % {"date": current.start_date.strftime("%d-%m-%Y")}
            )
        return date


class RosterUploadForm(forms.Form):
    file = CheckedFileField(label=_("Berkas daftar pegawai"), kinds={"xlsx", "csv"}, max_bytes=ROSTER_MAX_BYTES)


class FacilityFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Cari"), max_length=SEARCH_MAX_LENGTH)
    region = forms.ModelChoiceField(
        required=False,
        queryset=RegionalOffice.objects.none(),
        label=_("Kanwil"),
        empty_label=_("Semua Kanwil"),
        widget=forms.Select(attrs={"class": "form-select", "aria-label": _("Kanwil")}),
    )
    type = forms.ChoiceField(
        required=False,
        choices=[("", _("Semua jenis"))] + Facility.Type.choices,
        label=_("Jenis"),
        widget=forms.Select(attrs={"class": "form-select", "aria-label": _("Jenis")}),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
