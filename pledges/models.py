"""Integrity pacts (Pakta Integritas): texts, campaigns, signatures, certificates.

A pact text is never changed once written: editing makes a new version, so
a signature always points at exactly the words that were signed. A
signature is never edited either; revoking it keeps the row (with reason,
time and who) and frees the employee to sign again, which the partial
unique constraint allows because it ignores revoked rows.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.jobs import BackgroundJob
from core.uploads import PrivateUploadTo


class PactText(models.Model):
    """One version of a pact text. Rows are written once and never updated."""

    key = models.SlugField(_("kode teks"), max_length=50, help_text=_("Sama untuk semua versi satu teks."))
    version = models.PositiveIntegerField(_("versi"), default=1)
    title = models.CharField(_("judul"), max_length=200, default="PAKTA INTEGRITAS")
    intro = models.TextField(
        _("kalimat pernyataan"),
        help_text=_("Kalimat sebelum butir-butir, contoh: dengan ini menyatakan bahwa saya:"),
    )
    clauses = models.TextField(_("butir pernyataan"), help_text=_("Satu butir per baris."))
    closing = models.TextField(_("kalimat penutup"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("dibuat"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("teks pakta")
        verbose_name_plural = _("teks pakta")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="pact_text_version_unique"),
            models.CheckConstraint(name="pact_text_has_clauses", condition=~Q(clauses="")),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.key} v{self.version})"

    @property
    def clause_list(self) -> list[str]:
        return [line.strip() for line in self.clauses.splitlines() if line.strip()]

    def content(self) -> dict:
        """The words of this version, as signed (part of every fingerprint)."""
        return {
            "key": self.key,
            "version": self.version,
            "title": self.title,
            "intro": self.intro,
            "clauses": self.clause_list,
            "closing": self.closing,
        }


class CampaignQuerySet(models.QuerySet):
    def covering(self, facility) -> CampaignQuerySet:
        """Campaigns whose scope includes this UPT."""
        return self.filter(
            Q(scope=Campaign.Scope.ALL)
            | Q(scope=Campaign.Scope.REGION, regional_office_id=facility.regional_office_id)
            | Q(scope=Campaign.Scope.FACILITIES, facilities=facility)
        ).distinct()

    def open_at(self, moment=None) -> CampaignQuerySet:
        moment = moment or timezone.now()
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class Campaign(models.Model):
    """A signing round: one text, one election period, a scope, a window."""

    class Scope(models.TextChoices):
        ALL = "all", _("Semua Kanwil")
        REGION = "region", _("Satu Kanwil")
        FACILITIES = "facilities", _("UPT tertentu")

    name = models.CharField(_("nama kampanye"), max_length=200)
    period = models.ForeignKey(
        "satgas.Period", on_delete=models.PROTECT, related_name="pledge_campaigns", verbose_name=_("periode")
    )
    text = models.ForeignKey(PactText, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("teks"))
    scope = models.CharField(_("cakupan"), max_length=12, choices=Scope.choices, default=Scope.ALL)
    regional_office = models.ForeignKey(
        "facilities.RegionalOffice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledge_campaigns",
        verbose_name=_("kanwil"),
    )
    facilities = models.ManyToManyField(
        "facilities.Facility", blank=True, related_name="pledge_campaigns", verbose_name=_("UPT")
    )
    opens_at = models.DateTimeField(_("dibuka"))
    closes_at = models.DateTimeField(_("ditutup"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("dibuat"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("kampanye penandatanganan")
        verbose_name_plural = _("kampanye penandatanganan")
        constraints = [
            models.CheckConstraint(
                name="campaign_closes_after_opening", condition=Q(closes_at__gt=models.F("opens_at"))
            ),
            # A window typed as 0001-01-01 in Jakarta was stored as a BC timestamp that Python
            # cannot read back, which broke /pakta/ for everyone in scope. The forms allow
            # 2000–2100 local time; the database keeps the bound in UTC.
            models.CheckConstraint(
                name="campaign_window_in_sensible_years",
                condition=Q(opens_at__gte=datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC))
                & Q(closes_at__lt=datetime.datetime(2101, 1, 1, tzinfo=datetime.UTC)),
            ),
            models.CheckConstraint(
                name="campaign_region_scope_has_region",
                condition=~Q(scope="region") | Q(regional_office__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at

    @property
    def status(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now >= self.closes_at:
            return "closed"
        return "open"

    def facility_q(self, prefix: str = "") -> Q:
        """A Q selecting the UPTs in scope; `prefix` reaches Facility from another model."""
        if self.scope == self.Scope.ALL:
            return Q()
        if self.scope == self.Scope.REGION:
            return Q(**{f"{prefix}regional_office_id": self.regional_office_id})
        return Q(**{f"{prefix}pk__in": self.facilities.values("pk")})

    def covers(self, facility) -> bool:
        if self.scope == self.Scope.ALL:
            return True
        if self.scope == self.Scope.REGION:
            return facility.regional_office_id == self.regional_office_id
        return self.facilities.filter(pk=facility.pk).exists()


def new_verification_code() -> str:
    # 24 random bytes = 192 bits, URL-safe (32 characters); never derived from the NIP.
    return secrets.token_urlsafe(24)


class PaperBatch(models.Model):
    """Signatures given on paper at a briefing (apel), recorded in bulk with the scanned sheet."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="paper_batches", verbose_name=_("kampanye")
    )
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.PROTECT, related_name="pledge_paper_batches", verbose_name=_("UPT")
    )
    signed_on = models.DateField(_("tanggal penandatanganan"))
    place = models.CharField(_("tempat / acara"), max_length=200, blank=True)
    scan = models.FileField(_("pindaian lembar bertanda tangan (PDF)"), upload_to=PrivateUploadTo("pakta/kertas"))
    scan_sha256 = models.CharField(max_length=64, verbose_name=_("sidik SHA-256 pindaian"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("dicatat oleh")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("dibuat"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("penandatanganan kertas")
        verbose_name_plural = _("penandatanganan kertas")

    def __str__(self) -> str:
        return f"{self.facility} {self.signed_on:%d-%m-%Y}"


# A worker renders a new signature's certificate within seconds (bench/pledges.py measures it under
# load). While this long has not passed, the signature page says "being prepared" and reloads
# itself; after it (a queue far behind, or a signature older than the queue) the page offers the
# download, which renders the certificate on demand.
CERTIFICATE_WAIT = datetime.timedelta(seconds=30)


class Signature(models.Model):
    class CertificateState(models.TextChoices):
        READY = "ready"
        PREPARING = "preparing"
        ON_DEMAND = "on_demand"
        NOT_ISSUED = "not_issued"

    class Method(models.TextChoices):
        ONLINE = "online", _("Daring")
        PAPER = "paper", _("Kertas")

    # Every index here is written by each signing (the hot path, docs/benchmarks.md); an index no
    # query uses is left out: campaign_id leads the (campaign, facility) index, and text, recorded_by
    # and revoked_by are only looked up when a text or a user is deleted (never, in practice: texts in
    # use are protected, users are deactivated), which may then scan.
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("kampanye"), db_index=False
    )
    employee = models.ForeignKey(
        "facilities.Employee", on_delete=models.PROTECT, related_name="pledge_signatures", verbose_name=_("pegawai")
    )
    text = models.ForeignKey(
        PactText, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("teks"), db_index=False
    )
    method = models.CharField(_("cara"), max_length=10, choices=Method.choices, default=Method.ONLINE)
    signed_at = models.DateTimeField(_("waktu tanda tangan"))
    # Who signed, as they were at that moment (names and positions change later).
    signer_name = models.CharField(max_length=200, verbose_name=_("nama penanda tangan"))
    signer_identifier = models.CharField(max_length=18, verbose_name=_("nomor induk penanda tangan"))
    signer_identifier_label = models.CharField(max_length=10, verbose_name=_("jenis nomor induk"))
    signer_rank = models.CharField(max_length=60, blank=True, verbose_name=_("pangkat/golongan"))
    signer_position = models.CharField(max_length=200, blank=True, verbose_name=_("jabatan"))
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.PROTECT, related_name="pledge_signatures", verbose_name=_("UPT")
    )
    facility_name = models.CharField(max_length=200, verbose_name=_("nama UPT"))
    typed_name = models.CharField(max_length=200, blank=True, verbose_name=_("nama yang diketik"))
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("alamat IP"))
    user_agent = models.CharField(max_length=400, blank=True, verbose_name=_("peramban (user agent)"))
    fingerprint = models.CharField(_("sidik SHA-256"), max_length=64)
    # Unique through Meta.constraints, not unique=True: on PostgreSQL a unique or indexed CharField
    # also gets a second, LIKE-pattern index that no query here uses.
    verification_code = models.CharField(max_length=64, default=new_verification_code, verbose_name=_("kode verifikasi"))
    paper_batch = models.ForeignKey(
        PaperBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("penandatanganan kertas"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
        db_index=False,
    )
    certificate = models.FileField(
        upload_to=PrivateUploadTo("pakta/sertifikat"), blank=True, verbose_name=_("sertifikat")
    )
    # Indexed through Meta.indexes (no LIKE-pattern index), for the check of an uploaded certificate.
    certificate_sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("sidik SHA-256 sertifikat"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dicabut pada"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicabut oleh"),
        db_index=False,
    )
    revocation_reason = models.TextField(_("alasan pencabutan"), blank=True)

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("tanda tangan pakta")
        verbose_name_plural = _("tanda tangan pakta")
        indexes = [
            models.Index(fields=["campaign", "facility"]),
            models.Index(fields=["certificate_sha256"], name="pledges_signature_cert_sha256"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["verification_code"], name="pledges_signature_verification_code_unique"),
            models.UniqueConstraint(
                fields=["campaign", "employee"],
                condition=Q(revoked_at__isnull=True),
                name="one_valid_signature_per_employee_and_campaign",
                violation_error_message=_("Pegawai ini sudah menandatangani pakta kampanye ini."),
            ),
            models.CheckConstraint(
                name="revoked_signature_has_reason",
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
            ),
            models.CheckConstraint(
                name="paper_signature_has_batch",
                condition=~Q(method="paper") | Q(paper_batch__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} — {self.campaign}"

    def get_absolute_url(self) -> str:
        return reverse("pledges:signature_detail", args=[self.pk])

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def is_paper(self) -> bool:
        return self.method == self.Method.PAPER

    def certificate_state(self, now: datetime.datetime | None = None) -> str:
        if self.certificate:
            return self.CertificateState.READY
        if not self.is_valid:
            return self.CertificateState.NOT_ISSUED  # revoked before it was made (pledges.actions._issue)
        # Its render was queued with the signature (online) or with its paper batch.
        queued_at = self.paper_batch.created_at if self.paper_batch_id else self.signed_at
        if (now or timezone.now()) - queued_at < CERTIFICATE_WAIT:
            return self.CertificateState.PREPARING
        return self.CertificateState.ON_DEMAND

    def verification_path(self) -> str:
        return reverse("pledges:verify", args=[self.verification_code])

    def verification_url(self) -> str:
        return settings.SITE_URL + self.verification_path()

    def signed_content(self) -> dict:
        return {
            "campaign": self.campaign_id,
            "text": self.text.content(),
            "signer": {
                "name": self.signer_name,
                "identifier": self.signer_identifier,
                "rank": self.signer_rank,
                "position": self.signer_position,
                "facility": self.facility_name,
            },
            "method": self.method,
            "signed_at": self.signed_at.astimezone(datetime.UTC).isoformat(),
            "code": self.verification_code,
        }

    def compute_fingerprint(self) -> str:
        canonical = json.dumps(self.signed_content(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class BatchExport(BackgroundJob):
    """All signed pacts of one UPT for one campaign as one PDF, made by a queued task (pledges/tasks.py).

    State, progress, attempts and heartbeats are core.jobs.BackgroundJob's; a worker that dies
    mid-archive is taken back there. At most one archive per UPT and campaign is unfinished at a
    time: asking again while one is under way returns it (pledges.actions.request_batch_export).
    """

    task_path = "pledges.tasks.build_archive"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="batch_exports")
    facility = models.ForeignKey("facilities.Facility", on_delete=models.CASCADE, related_name="pledge_exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    file = models.FileField(upload_to=PrivateUploadTo("pakta/cetak"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "facility"],
                condition=Q(status__in=[BackgroundJob.Status.PENDING, BackgroundJob.Status.RUNNING]),
                name="one_unfinished_archive_per_upt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} — {self.campaign} ({self.get_status_display()})"
