"""Task forces (Satgas Netralitas ASN): one per facility and election period.

A task force moves draft → appointed (the head's decree, SK) → inaugurated
(pengukuhan by the Kanwil) → ended. Memberships are never deleted: a
replacement ends one membership and starts another, so who served when stays
on record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.uploads import PrivateUploadTo


class Period(models.Model):
    """An election period, e.g. "Pemilu 2024" or "Pilkada 2024"; managed by the national admin."""

    class ElectionType(models.TextChoices):
        PEMILU = "PEMILU", _("Pemilu")
        PILKADA = "PILKADA", _("Pilkada")

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
        return self.state in (self.State.APPOINTED, self.State.INAUGURATED)


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
