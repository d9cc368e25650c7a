from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin Pusat")
    REGIONAL_ADMIN = "regional_admin", _("Admin Kanwil")
    FACILITY_HEAD = "facility_head", _("Kepala UPT")
    STAFF = "staff", _("Pegawai")


class User(AbstractUser):
    """A login. Staff log in with their NIP / NI PPPK / NIK as the username.

    The role carries its scope: a regional admin is tied to one Kanwil, a
    facility head to one UPT. Task force membership is not a role here: it
    comes from the satgas app, so that replacing a member ends their access.
    """

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.STAFF)
    regional_office = models.ForeignKey(
        "facilities.RegionalOffice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admins",
        verbose_name=_("kanwil"),
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heads",
        verbose_name=_("UPT"),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                name="regional_admin_has_region",
                condition=~Q(role="regional_admin") | Q(regional_office__isnull=False),
            ),
            models.CheckConstraint(
                name="facility_head_has_facility",
                condition=~Q(role="facility_head") | Q(facility__isnull=False),
            ),
        ]

    @property
    def display_name(self) -> str:
        employee = getattr(self, "employee", None)
        if employee is not None:
            return employee.name
        return self.get_full_name() or self.username

    @property
    def is_national_admin(self) -> bool:
        return self.role == Role.NATIONAL_ADMIN or self.is_superuser


ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper


def normalize_activation_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch in ACTIVATION_ALPHABET)


def hash_activation_code(code: str) -> str:
    return hashlib.sha256(normalize_activation_code(code).encode()).hexdigest()


class ActivationCodeQuerySet(models.QuerySet):
    def usable(self) -> ActivationCodeQuerySet:
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class ActivationCode(models.Model):
    """A one-time code printed on a slip, with which a user sets their own password.

    Only a hash is stored: the plain code exists on the printed slip alone.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ActivationCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def generate_code() -> str:
        # 12 symbols of a 32-letter alphabet = 60 bits, grouped for typing.
        raw = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(12))
        return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class AuditEvent(models.Model):
    """One audited state change or sensitive read, written by an actions.py function."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    # Indexed through Meta.indexes: on PostgreSQL db_index=True on a CharField adds a LIKE-pattern
    # index too, which no query uses and every audited change would write.
    action = models.CharField(max_length=60, verbose_name=_("tindakan"))
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("UPT"),
    )
    object_type = models.CharField(max_length=60, blank=True, verbose_name=_("jenis objek"))
    object_id = models.CharField(max_length=64, blank=True, verbose_name=_("ID objek"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action"], name="accounts_auditevent_action"),
        ]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class Notification(models.TextChoices):
    """The emails the application sends; each user may turn any of them off (NotificationMute)."""

    REPORT_NEW = "report_new", _("Laporan pelanggaran baru yang perlu ditangani")
    REPORT_MESSAGE = "report_message", _("Pesan atau bukti baru dari pelapor")
    REPORT_DEADLINE = "report_deadline", _("Batas waktu penanganan laporan mendekat atau terlewati")
    CAMPAIGN_OPEN = "campaign_open", _("Kampanye Pakta Integritas dibuka")
    CAMPAIGN_REMINDER = "campaign_reminder", _("Pengingat sebelum kampanye Pakta Integritas ditutup")
    WEEKLY_SUMMARY = "weekly_summary", _("Ringkasan mingguan penandatanganan pakta (Kepala UPT)")


class NotificationMute(models.Model):
    """A notification this user turned off. Everything is on until turned off."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_mutes")
    kind = models.CharField(max_length=30, choices=Notification.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_mute_per_user_and_kind")]

    def __str__(self) -> str:
        return f"{self.user} ✕ {self.kind}"


class SentNotification(models.Model):
    """The ledger that makes sending idempotent: one row per (user, notification, occasion).

    The row is written before the email leaves, under this unique constraint, so a second run of
    the same check (or two at once) finds it and sends nothing; it is removed again if the mail
    server refuses, so that the next run tries again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Notification.choices)
    key = models.CharField(max_length=120)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="one_notification_per_occasion"),
        ]
        indexes = [models.Index(fields=["kind", "key"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} → {self.user_id}"
