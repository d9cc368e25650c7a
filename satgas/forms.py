from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import (
    EMPTY_LABEL,
    SEARCH_MAX_LENGTH,
    BoundedDateField,
    IdMultipleChoiceField,
    bounded_formfield,
)
from core.uploads import CheckedFileField, MultipleCheckedFileField
from facilities.models import Employee, RegionalOffice
from satgas.models import Activity, Membership, Period, TaskForce

DECREE_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_BYTES = 8 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_KINDS = {"pdf", "jpeg", "png", "webp"}
NO_ROLE = ""

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label, **kwargs) -> BoundedDateField:
    return BoundedDateField(label=label, widget=DATE_WIDGET, **kwargs)


class PeriodForm(forms.ModelForm):
    class Meta:
        model = Period
        fields = ["name", "election_type", "start_date", "end_date"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
        help_texts = {"name": _("Contoh: Pemilu 2024, Pilkada 2024")}
        error_messages = {"name": {"unique": _("Periode dengan nama ini sudah ada.")}}
        formfield_callback = bounded_formfield

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return cleaned


class TaskForceCreateForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Periode pemilihan"), queryset=Period.objects.none(), empty_label=EMPTY_LABEL
    )

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.facility = facility
        self.fields["period"].queryset = Period.objects.exclude(task_forces__facility=facility)


class AppointmentForm(forms.Form):
    """The SK and the roster: one role select per active employee of the facility."""

    decree_number = forms.CharField(label=_("Nomor SK"), max_length=100, required=False)
    decree_date = _date_field(_("Tanggal SK"), required=False)
    decree_signer = forms.CharField(
        label=_("Penanda tangan SK"), max_length=200, required=False, help_text=_("Nama Kepala UPT yang menandatangani")
    )
    decree_file = CheckedFileField(
        label=_("Pindaian SK (PDF)"), kinds={"pdf"}, max_bytes=DECREE_MAX_BYTES, required=False
    )

    def __init__(self, *args, task_force: TaskForce, employees, appoint: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.task_force = task_force
        self.appoint = appoint
        self.employees = list(employees)
        current = {m.employee_id: m.role for m in task_force.memberships.current()}
        choices = [(NO_ROLE, "—")] + list(Membership.Role.choices)
        for employee in self.employees:
            self.fields[self.role_field(employee)] = forms.ChoiceField(
                label=employee.name,
                choices=choices,
                required=False,
                initial=current.get(employee.pk, NO_ROLE),
                widget=forms.Select(
                    attrs={
                        "class": "form-select form-select-sm",
                        "data-role-select": "1",
                        "aria-label": _("Peran %(name)s") % {"name": employee.name},
                    }
                ),
            )
        if task_force.decree_file:
            self.fields["decree_file"].help_text = _("Sudah diunggah; pilih berkas lain hanya untuk menggantinya.")

    @staticmethod
    def role_field(employee: Employee) -> str:
        return f"role_{employee.pk}"

    def rows(self):
        """(employee, bound role field) for the roster table."""
        return [(employee, self[self.role_field(employee)]) for employee in self.employees]

    def clean(self):
        cleaned = super().clean()
        members = []
        for employee in self.employees:
            role = cleaned.get(self.role_field(employee))
            if role:
                members.append((employee, role))
        cleaned["members"] = members
        if self.appoint:
            if not cleaned.get("decree_number"):
                self.add_error("decree_number", _("Nomor SK wajib diisi untuk menetapkan Satgas."))
            if not cleaned.get("decree_date"):
                if "decree_date" not in self.errors:
                    self.add_error("decree_date", _("Tanggal SK wajib diisi untuk menetapkan Satgas."))
            elif cleaned["decree_date"] > timezone.localdate():
                self.add_error("decree_date", _("Tanggal SK tidak boleh di masa depan."))
            if not cleaned.get("decree_file") and not self.task_force.decree_file and "decree_file" not in self.errors:
                self.add_error("decree_file", _("Unggah pindaian SK (PDF) untuk menetapkan Satgas."))
            try:
                self.task_force.check_roster(members)
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        elif len(members) > settings.SATGAS_MAX_MEMBERS:
            self.add_error(
                None,
                _("Anggota Satgas paling banyak %(max)d orang; terpilih %(n)d orang.")
                % {"max": settings.SATGAS_MAX_MEMBERS, "n": len(members)},
            )
        return cleaned


class InaugurationForm(forms.Form):
    task_forces = IdMultipleChoiceField(
        label=_("Satgas yang dikukuhkan"),
        queryset=TaskForce.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    date = _date_field(_("Tanggal pengukuhan"), initial=timezone.localdate)
    place = forms.CharField(label=_("Tempat"), max_length=200, help_text=_("Contoh: Aula Kanwil, atau daring (Zoom)"))
    official = forms.CharField(
        label=_("Pejabat yang mengukuhkan"), max_length=200, help_text=_("Contoh: Kepala Kantor Wilayah")
    )
    photo = CheckedFileField(
        label=_("Foto (opsional)"), kinds={"jpeg", "png", "webp"}, max_bytes=PHOTO_MAX_BYTES, required=False
    )

    def __init__(self, *args, task_forces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task_forces"].queryset = task_forces
        self.fields["task_forces"].error_messages["required"] = _("Pilih minimal satu Satgas yang dikukuhkan.")

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Tanggal pengukuhan tidak boleh di masa depan."))
        return date


class _ChangeForm(forms.Form):
    date = _date_field(_("Tanggal efektif"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Alasan"), max_length=300, help_text=_("Contoh: mutasi, pensiun, tugas belajar"))
    decree_reference = forms.CharField(
        label=_("Nomor SK perubahan"), max_length=100, help_text=_("SK Kepala UPT yang mengubah susunan Satgas")
    )

    def __init__(self, *args, membership: Membership | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Tanggal efektif tidak boleh di masa depan."))
        if self.membership is not None and date < self.membership.start_date:
            raise forms.ValidationError(
                _("Tanggal efektif tidak boleh sebelum anggota ini mulai menjabat (%(date)s).")
                % {"date": self.membership.start_date.strftime("%d-%m-%Y")}
            )
        return date


class RemoveMemberForm(_ChangeForm):
    pass


class ReplaceMemberForm(_ChangeForm):
    employee = forms.ModelChoiceField(label=_("Pengganti"), queryset=Employee.objects.none(), empty_label=EMPTY_LABEL)
    field_order = ["employee", "date", "reason", "decree_reference"]

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = candidates
        self.fields["employee"].label_from_instance = lambda e: f"{e.name} — {e.identifier} ({e.position or '-'})"


class AddMemberForm(_ChangeForm):
    employee = forms.ModelChoiceField(label=_("Pegawai"), queryset=Employee.objects.none(), empty_label=EMPTY_LABEL)
    role = forms.ChoiceField(
        label=_("Peran"), choices=[c for c in Membership.Role.choices if c[0] != Membership.Role.KETUA]
    )
    reason = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
    field_order = ["employee", "role", "date", "decree_reference", "reason"]

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = candidates
        self.fields["employee"].label_from_instance = lambda e: f"{e.name} — {e.identifier} ({e.position or '-'})"


class EndTaskForceForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=300, initial=_("Masa tugas berakhir"), help_text=_("Contoh: masa tugas berakhir")
    )


class ActivityForm(forms.ModelForm):
    participants = IdMultipleChoiceField(
        label=_("Peserta dari daftar pegawai"),
        queryset=Employee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    attachments = MultipleCheckedFileField(
        label=_("Lampiran (foto atau PDF)"), kinds=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES, required=False
    )

    class Meta:
        model = Activity
        fields = ["date", "kind", "kind_other", "topic", "place", "participants", "participant_count", "notes"]
        widgets = {"date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = bounded_formfield

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        # Active staff, plus (when editing) earlier participants who have since been deactivated.
        earlier = self.instance.participants.values("pk") if self.instance.pk else Employee.objects.none().values("pk")
        self.fields["participants"].queryset = facility.employees.filter(
            Q(is_active=True) | Q(pk__in=earlier)
        ).order_by("name")
        self.fields["participants"].label_from_instance = lambda e: f"{e.name} ({e.position or '-'})"
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(
                _("Tanggal kegiatan tidak boleh di masa depan; catat kegiatan yang sudah terlaksana.")
            )
        return date

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Activity.Kind.LAINNYA:
            if not cleaned.get("kind_other") and "kind_other" not in self.errors:
                self.add_error("kind_other", _("Tuliskan jenis kegiatannya bila memilih Lainnya."))
        elif "kind" in cleaned:
            # Typed before another kind was chosen: it describes nothing now.
            cleaned["kind_other"] = ""
        if not cleaned.get("participants") and not cleaned.get("participant_count"):
            if "participant_count" not in self.errors:
                self.add_error("participant_count", _("Pilih peserta dari daftar pegawai atau isi jumlah peserta."))
        return cleaned


class OverviewFilterForm(forms.Form):
    STATE_CHOICES = [("", _("Semua status")), ("none", _("Belum dibentuk"))] + [
        (value, label) for value, label in TaskForce.State.choices
    ]

    period = forms.ModelChoiceField(label=_("Periode"), queryset=Period.objects.all(), required=False, empty_label=None)
    region = forms.ModelChoiceField(
        label=_("Kanwil"), queryset=RegionalOffice.objects.none(), required=False, empty_label=_("Semua Kanwil")
    )
    state = forms.ChoiceField(label=_("Status"), choices=STATE_CHOICES, required=False)
    q = forms.CharField(label=_("Cari"), required=False, max_length=SEARCH_MAX_LENGTH)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        for name in ("period", "region", "state"):
            self.fields[name].widget.attrs["class"] = "form-select"


class TaskForceFilterForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Periode"), queryset=Period.objects.all(), required=False, empty_label=_("Semua periode")
    )
    state = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua status"))] + list(TaskForce.State.choices), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
            field.widget.attrs["aria-label"] = field.label
