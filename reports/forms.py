from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Case, Q, QuerySet, Value, When
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fields import EMPTY_LABEL, BoundedDateField, parse_id, search_text
from core.uploads import MultipleCheckedFileField
from facilities.models import Employee, Facility
from reports.models import (
    Category,
    ElectionType,
    ForwardTarget,
    Handling,
    Outcome,
    Sanction,
    Stage,
    State,
    Track,
    normalize_receipt_code,
)

EVIDENCE_KINDS = {"jpeg", "png", "webp", "pdf", "mp4", "webm"}


def evidence_field(required: bool = False) -> MultipleCheckedFileField:
    max_bytes, max_files = settings.EVIDENCE_MAX_BYTES, settings.EVIDENCE_MAX_FILES
    return MultipleCheckedFileField(
        label=_("Bukti (foto, PDF, atau video pendek)"),
        kinds=EVIDENCE_KINDS,
        max_bytes=max_bytes,
        max_files=max_files,
        required=required,
        help_text=gettext(
            "Foto (JPEG, PNG, WebP), PDF, atau video pendek (MP4, WebM); maksimal %(size)s per berkas, "
            "paling banyak %(n)d berkas. Berkas diperiksa dari isinya."
        )
        % {"size": filesizeformat(max_bytes), "n": max_files},
    )


def facility_label(obj: Facility) -> str:
    return f"{obj.name} ({obj.city})"


class EmployeeChoiceField(forms.ModelChoiceField):
    """Names and positions only: a NIP is never shown to the public."""

    def label_from_instance(self, obj: Employee) -> str:
        return f"{obj.name} — {obj.position}" if obj.position else obj.name


class FacilityPickForm(forms.Form):
    """Step one of the intake: which UPT, among the first matches of a search (never every UPT). A GET
    form, so it works without JavaScript; the view checks the chosen id against the active UPTs."""

    q = forms.CharField(label=_("Cari UPT"), required=False, max_length=100)
    upt = forms.ChoiceField(label=_("UPT tempat terlapor bekerja"))

    def __init__(self, *args, facilities: list[Facility], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upt"].choices = [(f.pk, facility_label(f)) for f in facilities]
        self.fields["upt"].widget.attrs.update(
            {"size": min(max(len(facilities), 2), 10), "class": "form-select", "required": True}
        )


class ReportForm(forms.Form):
    facility = forms.ModelChoiceField(queryset=Facility.objects.none(), widget=forms.HiddenInput)
    reported_employee = EmployeeChoiceField(
        label=_("Pegawai yang dilaporkan"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=_("— tidak tahu namanya / tidak ada di daftar —"),
    )
    reported_description = forms.CharField(
        label=_("Ciri-ciri terlapor"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib jika nama terlapor tidak dipilih: jabatan, ciri-ciri, atau keterangan lain."),
    )
    category = forms.ChoiceField(label=_("Bentuk pelanggaran"), choices=[("", EMPTY_LABEL)] + Category.choices)
    election_type = forms.ChoiceField(label=_("Jenis pemilihan"), choices=ElectionType.choices)
    stage = forms.ChoiceField(label=_("Tahapan"), choices=[("", _("Tidak tahu"))] + Stage.choices, required=False)
    occurred_on = BoundedDateField(label=_("Tanggal kejadian"), widget=forms.DateInput(attrs={"type": "date"}))
    occurred_place = forms.CharField(
        label=_("Tempat kejadian"),
        max_length=300,
        help_text=_("Contoh: Facebook, grup WhatsApp, aula kantor, alamat acara"),
    )
    description = forms.CharField(
        label=_("Apa yang terjadi"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    is_anonymous = forms.BooleanField(label=_("Saya melapor secara anonim (tanpa nama)"), required=False, initial=True)
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=200, required=False)
    reporter_contact = forms.CharField(label=_("Kontak pelapor (telepon atau surel)"), max_length=200, required=False)
    # Honeypot: hidden from people by the .honeypot class; bots fill it in.
    website = forms.CharField(label=_("Jangan isi kolom ini"), required=False, max_length=200)

    def __init__(self, *args, facility: Facility, roster: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.facility_obj = facility
        self.fields["facility"].queryset = Facility.objects.filter(pk=facility.pk)
        self.fields["facility"].initial = facility.pk
        if roster:
            # Staff of this UPT filing from inside the app (reports.access.can_pick_reported_from_roster).
            self.fields["reported_employee"].queryset = facility.employees.active().order_by("name")
        else:
            # The public form lists no one: the person is described in words.
            del self.fields["reported_employee"]
            description = self.fields["reported_description"]
            description.label = _("Siapa yang dilaporkan")
            description.help_text = _("Nama (jika Anda tahu), jabatan atau bagian, dan ciri-ciri terlapor.")
        self.fields["evidence"] = evidence_field()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal kejadian tidak boleh di masa depan."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("reported_employee") and not (data.get("reported_description") or "").strip():
            self.add_error(
                "reported_description",
                _("Pilih pegawai yang dilaporkan atau tuliskan ciri-cirinya.")
                if "reported_employee" in self.fields
                else _("Tuliskan siapa yang dilaporkan: nama, jabatan, atau ciri-cirinya."),
            )
        if not data.get("is_anonymous") and not (data.get("reporter_name") or "").strip():
            self.add_error("reporter_name", _("Isi nama Anda, atau centang pilihan melapor secara anonim."))
        return data

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode tanda terima"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = normalize_receipt_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Kode tanda terima tidak valid."))
        return code


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Pesan"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"] = evidence_field(required=True)


class TransitionForm(forms.Form):
    """The fields one step needs; one form per allowed target state on the case page."""

    target = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)
    forwarded_to = forms.ChoiceField(label=_("Diteruskan kepada"), choices=ForwardTarget.choices)
    outcome = forms.ChoiceField(label=_("Hasil pemeriksaan"), choices=Outcome.choices, widget=forms.RadioSelect)
    track = forms.ChoiceField(label=_("Jalur"), choices=[("", EMPTY_LABEL)] + Track.choices, required=False)
    sanction = forms.ChoiceField(
        label=_("Rekomendasi sanksi"),
        choices=[("", EMPTY_LABEL)] + Sanction.choices,
        required=False,
        help_text=_("Dipilih oleh pejabat yang berwenang; wajib jika terbukti, kosong jika tidak terbukti."),
    )
    rejection_reason = forms.CharField(
        label=_("Alasan penolakan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    public_note = forms.CharField(
        label=_("Catatan untuk pelapor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dilihat pelapor melalui kode tanda terima, tanpa nama petugas."),
    )
    internal_note = forms.CharField(
        label=_("Catatan internal"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Hanya untuk petugas."),
    )

    FIELDS_BY_TARGET = {
        State.FORWARDED: ("forwarded_to",),
        State.CONCLUDED: ("outcome", "track", "sanction"),
        State.REJECTED: ("rejection_reason",),
    }

    def __init__(self, *args, target: str, **kwargs):
        super().__init__(*args, prefix=f"t-{target}", **kwargs)
        self.target_state = target
        self.fields["target"].initial = target
        keep = set(self.FIELDS_BY_TARGET.get(target, ())) | {"target", "public_note", "internal_note"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    @property
    def label(self) -> str:
        return State(self.target_state).label


class ReportedEmployeeForm(forms.Form):
    """A handler names the reported employee from the facility's roster (names and positions only)."""

    reported_employee = EmployeeChoiceField(
        label=_("Pegawai yang dilaporkan"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=_("— belum diketahui (hanya ciri-ciri) —"),
        help_text=_("Jika terlapor anggota Satgas atau kepala UPT, laporan beralih ke Kantor Wilayah saat itu juga."),
    )

    def __init__(self, *args, facility: Facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_employee"].queryset = facility.employees.active().order_by("name")


class HandlingForm(forms.Form):
    handling = forms.ChoiceField(label=_("Keputusan penanganan"), choices=Handling.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib jika tidak mengikuti aturan. Dilihat Kantor Wilayah dan Admin Pusat."),
    )

    def clean(self):
        data = super().clean()
        if data.get("handling") not in (None, Handling.RULE) and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Tuliskan alasan keputusan ini."))
        return data


def _matching(q: str) -> Q:
    return Q(name__icontains=q) | Q(city__icontains=q)


class ReportFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), choices=[("", _("Semua status"))] + State.choices, required=False)
    category = forms.ChoiceField(
        label=_("Bentuk pelanggaran"), choices=[("", _("Semua bentuk"))] + Category.choices, required=False
    )
    # The UPT is searched by name or town (a national user may filter by any of ~700): the text filters the
    # list by every matching UPT, and `upt` picks one among the first matches (issue 13).
    upt_q = forms.CharField(label=_("UPT"), required=False, max_length=100)
    upt = forms.ModelChoiceField(
        label=_("Pilih UPT"),
        queryset=Facility.objects.none(),
        required=False,
        empty_label=_("Semua UPT"),
        error_messages={"invalid_choice": _("UPT ini tidak dapat dipilih. Cari nama UPT atau kota, lalu pilih lagi.")},
    )
    date_from = BoundedDateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("Hanya yang terlambat"), required=False)

    UPT_MATCHES = 20

    def __init__(self, *args, facilities: QuerySet[Facility], **kwargs):
        super().__init__(*args, **kwargs)
        self.facilities = facilities
        self.fields["upt"].queryset = facilities
        self.fields["upt_q"].widget.input_type = "search"
        self.fields["upt_q"].widget.attrs["placeholder"] = _("Nama UPT atau kota")
        # The select lists only the first matches of the search and the chosen UPT (one query, none
        # without either): never every UPT the user may filter by.
        q = search_text(self.data.get("upt_q")) if self.is_bound else ""
        chosen = parse_id(self.data.get("upt")) if self.is_bound else None
        options: list[Facility] = []
        if q or chosen is not None:
            wanted = (_matching(q) if q else Q(pk__in=[])) | Q(pk=chosen or 0)
            chosen_first = Case(When(pk=chosen or 0, then=Value(0)), default=Value(1))
            options = list(facilities.filter(wanted).order_by(chosen_first, "name")[: self.UPT_MATCHES + 1])
        if len(options) > self.UPT_MATCHES:
            options = sorted(options[: self.UPT_MATCHES], key=lambda f: f.name)
            self.fields["upt"].help_text = _(
                "Hanya %(n)d UPT pertama yang cocok yang ditampilkan; perjelas pencarian."
            ) % {"n": self.UPT_MATCHES}
        else:
            options.sort(key=lambda f: f.name)
        self.upt_options = options
        self.fields["upt"].widget.choices = [("", _("Semua UPT yang cocok") if q else _("Semua UPT"))] + [
            (f.pk, f.name) for f in options
        ]

    def apply(self, reports):
        if not self.is_valid():
            return reports
        data = self.cleaned_data
        if data["state"]:
            reports = reports.filter(state=data["state"])
        if data["category"]:
            reports = reports.filter(category=data["category"])
        if data["upt"]:
            reports = reports.filter(facility=data["upt"])
        elif data["upt_q"]:
            reports = reports.filter(facility__in=self.facilities.filter(_matching(search_text(data["upt_q"]))))
        if data["date_from"]:
            reports = reports.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            reports = reports.filter(created_at__date__lte=data["date_to"])
        if data["overdue"]:
            reports = reports.overdue()
        return reports
