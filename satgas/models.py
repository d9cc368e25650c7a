"""Task forces (Satgas Netralitas ASN): one per facility and election period.

A task force moves draft → appointed (the head's decree, SK) → inaugurated
(pengukuhan by the Kanwil) → ended. Memberships are never deleted: a
replacement ends one membership and starts another, so who served when stays
on record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Trim
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import PrivateUploadTo


class ElectionType(models.TextChoices):
    """The kind of election a period is for, and a violation report concerns."""

    PEMILU = "PEMILU", _("Pemilu")
    PILKADA = "PILKADA", _("Pilkada")


class Period(models.Model):
    """An election period, e.g. "Pemilu 2024" or "Pilkada 2024"; managed by the national admin."""

    name = models.CharField(_("nama periode"), max_length=100, unique=True)
    election_type = models.CharField(_("jenis pemilihan"), max_length=10, choices=ElectionType.choices)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("periode pemilihan")
        verbose_name_plural = _("periode pemilihan")
        constraints = [
            models.CheckConstraint(name="period_ends_after_start", condition=Q(end_date__gte=models.F("start_date"))),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.start_date <= timezone.localdate() <= self.end_date

    @classmethod
    def default(cls) -> Period | None:
        """The period pages show when none is chosen: the current one, else the latest with a task force,
        else the latest. The dashboard card and the overview must agree on it."""
        periods = list(cls.objects.all())
        return (
            next((p for p in periods if p.is_current), None)
            or cls.objects.filter(task_forces__isnull=False).order_by("-start_date").first()
            or (periods[0] if periods else None)
        )


class Inauguration(models.Model):
    """One pengukuhan ceremony; a single (often online) ceremony inaugurates many task forces."""

    regional_office = models.ForeignKey(
        "facilities.RegionalOffice", on_delete=models.PROTECT, related_name="inaugurations"
    )
    date = models.DateField(_("tanggal pengukuhan"))
    place = models.CharField(_("tempat"), max_length=200, help_text=_("Contoh: Aula Kanwil, atau daring (Zoom)"))
    official = models.CharField(_("pejabat yang mengukuhkan"), max_length=200)
    photo = models.FileField(_("foto"), upload_to=PrivateUploadTo("satgas/pengukuhan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.place}"


class TaskForce(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draf")
        APPOINTED = "appointed", _("Ditetapkan (SK)")
        INAUGURATED = "inaugurated", _("Dikukuhkan")
        ENDED = "ended", _("Berakhir")

    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="task_forces")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="task_forces")
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.DRAFT)
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    decree_signer = models.CharField(_("penanda tangan SK"), max_length=200, blank=True)
    decree_file = models.FileField(_("pindaian SK (PDF)"), upload_to=PrivateUploadTo("satgas/sk"), blank=True)
    appointed_at = models.DateTimeField(null=True, blank=True)
    inauguration = models.ForeignKey(
        Inauguration, on_delete=models.PROTECT, null=True, blank=True, related_name="task_forces"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["facility__name"]
        verbose_name = _("satgas")
        verbose_name_plural = _("satgas")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "period"],
                name="one_task_force_per_facility_and_period",
                violation_error_message=_("UPT ini sudah mempunyai Satgas untuk periode tersebut."),
            ),
            models.CheckConstraint(
                name="appointed_task_force_has_decree",
                condition=Q(state="draft") | (~Q(decree_number="") & Q(decree_date__isnull=False)),
            ),
            models.CheckConstraint(
                name="inaugurated_task_force_has_inauguration",
                condition=~Q(state="inaugurated") | Q(inauguration__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Satgas {self.facility} — {self.period}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    def check_roster(self, members: Iterable[tuple[object, str]]) -> None:
        """The rules for a whole appointed roster of (employee, role) pairs.

        The database backs "one Ketua", "one Sekretaris" and "a person once";
        "exactly one Ketua" and the maximum size can only be checked here.
        """
        members = list(members)
        errors: list[str] = []
        roles = Counter(role for _employee, role in members)
        ids = Counter(employee.pk for employee, _role in members)
        if roles[Membership.Role.KETUA] == 0:
            errors.append(_("Satgas harus mempunyai tepat satu Ketua; belum ada yang dipilih sebagai Ketua."))
        elif roles[Membership.Role.KETUA] > 1:
            errors.append(
                _("Satgas harus mempunyai tepat satu Ketua; terpilih %(n)d Ketua.")
                % {"n": roles[Membership.Role.KETUA]}
            )
        if roles[Membership.Role.SEKRETARIS] > 1:
            errors.append(
                _("Satgas paling banyak mempunyai satu Sekretaris; terpilih %(n)d Sekretaris.")
                % {"n": roles[Membership.Role.SEKRETARIS]}
            )
        duplicates = [employee.name for employee, _role in members if ids[employee.pk] > 1]
        if duplicates:
            errors.append(
                _("Setiap orang hanya boleh muncul satu kali: %(names)s.")
                % {"names": ", ".join(sorted(set(duplicates)))}
            )
        limit = settings.SATGAS_MAX_MEMBERS
        if len(ids) > limit:
            errors.append(
                _("Anggota Satgas paling banyak %(max)d orang; terpilih %(n)d orang.") % {"max": limit, "n": len(ids)}
            )
        for employee, role in members:
            try:
                Membership(task_force=self, employee=employee, role=role).check_member()
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)


# A task force acts (its members act for it) from its appointment until it ends.
ACTIVE_STATES = (TaskForce.State.APPOINTED, TaskForce.State.INAUGURATED)


class MembershipQuerySet(models.QuerySet):
    def current(self) -> MembershipQuerySet:
        return self.filter(end_date__isnull=True)


class Membership(models.Model):
    class Role(models.TextChoices):
        KETUA = "KETUA", _("Ketua")
        SEKRETARIS = "SEKRETARIS", _("Sekretaris")
        ANGGOTA = "ANGGOTA", _("Anggota")

    task_force = models.ForeignKey(TaskForce, on_delete=models.PROTECT, related_name="memberships")
    employee = models.ForeignKey("facilities.Employee", on_delete=models.PROTECT, related_name="task_force_memberships")
    role = models.CharField(_("peran"), max_length=12, choices=Role.choices)
    start_date = models.DateField(_("mulai"), default=timezone.localdate)
    end_date = models.DateField(_("berakhir"), null=True, blank=True)
    end_reason = models.CharField(_("alasan berakhir"), max_length=300, blank=True)
    decree_reference = models.CharField(_("rujukan SK perubahan"), max_length=100, blank=True)
    replaced_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["task_force", "role", "employee__name"]
        verbose_name = _("anggota satgas")
        verbose_name_plural = _("anggota satgas")
        constraints = [
            models.UniqueConstraint(
                fields=["task_force", "employee"],
                condition=Q(end_date__isnull=True),
                name="member_appears_once_per_task_force",
                violation_error_message=_("Pegawai ini sudah menjadi anggota Satgas."),
            ),
            models.UniqueConstraint(
                fields=["task_force"],
                condition=Q(end_date__isnull=True, role="KETUA"),
                name="one_current_ketua_per_task_force",
                violation_error_message=_("Satgas hanya boleh mempunyai satu Ketua."),
            ),
            models.UniqueConstraint(
                fields=["task_force"],
                condition=Q(end_date__isnull=True, role="SEKRETARIS"),
                name="one_current_sekretaris_per_task_force",
                violation_error_message=_("Satgas hanya boleh mempunyai satu Sekretaris."),
            ),
            models.CheckConstraint(
                name="membership_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.employee.name}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    @property
    def left_facility(self) -> bool:
        """Transferred (mutasi) or deactivated since appointment: the membership no longer gives access
        (satgas.access), but it stays open until the head records the change with a new SK."""
        return not self.employee.is_active or self.employee.facility_id != self.task_force.facility_id

    def check_member(self) -> None:
        """Rules for one member: from the task force's own active roster; PPNPN do not chair."""
        employee = self.employee
        if employee.facility_id != self.task_force.facility_id:
            raise ValidationError(
                _("%(name)s bukan pegawai %(facility)s; anggota Satgas harus pegawai UPT itu sendiri.")
                % {"name": employee.name, "facility": self.task_force.facility.name}
            )
        if not employee.is_active:
            raise ValidationError(
                _("%(name)s tidak aktif dan tidak dapat menjadi anggota Satgas.") % {"name": employee.name}
            )
        if self.role == self.Role.KETUA and employee.employment_type == "PPNPN" and not settings.SATGAS_PPNPN_MAY_CHAIR:
            raise ValidationError(
                _("%(name)s adalah PPNPN: PPNPN boleh menjadi anggota, tetapi tidak boleh menjadi Ketua Satgas.")
                % {"name": employee.name}
            )

    def clean(self) -> None:
        if self.task_force_id and self.employee_id:
            self.check_member()


class Activity(models.Model):
    """Something the task force did: a briefing, a training session, a monitoring visit."""

    class Kind(models.TextChoices):
        APEL = "APEL", _("Apel sosialisasi")
        EDUKASI = "EDUKASI", _("Edukasi / pelatihan")
        MONITORING = "MONITORING", _("Pemantauan (monitoring)")
        # Anything else (a coordination meeting, a visit by the Kanwil): described in kind_other.
        LAINNYA = "LAINNYA", _("Lainnya")

    task_force = models.ForeignKey(TaskForce, on_delete=models.PROTECT, related_name="activities")
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis kegiatan"), max_length=12, choices=Kind.choices)
    kind_other = models.CharField(
        _("jenis kegiatan lainnya"),
        max_length=100,
        blank=True,
        help_text=_("Wajib bila jenis kegiatan Lainnya. Contoh: Rapat koordinasi Satgas."),
    )
    topic = models.CharField(_("topik"), max_length=200)
    place = models.CharField(_("tempat"), max_length=200)
    participants = models.ManyToManyField(
        "facilities.Employee", blank=True, related_name="task_force_activities", verbose_name=_("peserta")
    )
    participant_count = models.PositiveIntegerField(
        _("jumlah peserta"), null=True, blank=True, help_text=_("Isi bila peserta tidak dipilih satu per satu.")
    )
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("kegiatan satgas")
        verbose_name_plural = _("kegiatan satgas")
        indexes = [models.Index(fields=["task_force", "-date"])]
        constraints = [
            # "Lainnya" says nothing on a list or in a report: it comes with its own name, and only
            # it does (a description left over from an earlier choice would mislabel an apel).
            models.CheckConstraint(
                name="activity_other_kind_is_described",
                condition=(Q(kind="LAINNYA") & ~Q(Exact(Trim("kind_other"), Value(""))))
                | (~Q(kind="LAINNYA") & Q(kind_other="")),
                violation_error_message=_("Tuliskan jenis kegiatannya bila memilih Lainnya."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.kind_label}: {self.topic}"

    @property
    def kind_label(self) -> str:
        """What lists, pages and exports call the kind: the description for "Lainnya"."""
        if self.kind == self.Kind.LAINNYA and self.kind_other:
            return self.kind_other
        return self.get_kind_display()


class Attachment(models.Model):
    """A photo or PDF of an activity; stored privately, served by a permission-checked view."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=PrivateUploadTo("satgas/kegiatan"))
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_image(self) -> bool:
        return self.kind in ("jpeg", "png", "webp")
