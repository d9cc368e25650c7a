"""Organisation (ministry, Kanwil, UPT) and the staff who work there.

Organisation names are rows, not code: the ministry was split in 2024 and
the regional offices renamed in 2025, and they will be renamed again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import is_ascii_digits
from core.jobs import BackgroundJob
from facilities import identifiers

models.CharField.register_lookup(Length)


class Ministry(models.Model):
    name = models.CharField(_("nama kementerian"), max_length=200)
    directorate = models.CharField(_("direktorat jenderal"), max_length=200, blank=True)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("kementerian")
        verbose_name_plural = _("kementerian")

    def __str__(self) -> str:
        return self.name


class RegionalOffice(models.Model):
    """A Kantor Wilayah, one per province."""

    ministry = models.ForeignKey(
        Ministry, on_delete=models.PROTECT, related_name="regional_offices", verbose_name=_("kementerian")
    )
    province = models.CharField(_("provinsi"), max_length=100, unique=True)
    name = models.CharField(_("nama kanwil"), max_length=200, help_text=_("Contoh: Kanwil Ditjenpas Jawa Tengah"))
    city = models.CharField(_("kota"), max_length=100, blank=True)
    address = models.TextField(_("alamat"), blank=True)
    head_name = models.CharField(_("nama Kepala Kanwil"), max_length=200, blank=True)
    head_title = models.CharField(_("jabatan kepala"), max_length=200, blank=True, default="Kepala Kantor Wilayah")

    class Meta:
        ordering = ["province"]
        verbose_name = _("kantor wilayah")
        verbose_name_plural = _("kantor wilayah")

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    """A UPT Pemasyarakatan (Lapas, Rutan, LPKA, Bapas, Rupbasan)."""

    class Type(models.TextChoices):
        LAPAS = "LAPAS", _("Lapas")
        LAPAS_NARKOTIKA = "LAPAS_NARKOTIKA", _("Lapas Narkotika")
        LPP = "LPP", _("Lapas Perempuan")
        RUTAN = "RUTAN", _("Rutan")
        LPKA = "LPKA", _("LPKA")
        BAPAS = "BAPAS", _("Bapas")
        RUPBASAN = "RUPBASAN", _("Rupbasan")

    class Class(models.TextChoices):
        I = "I", _("Kelas I")  # noqa: E741 (the class is really called "I")
        IIA = "IIA", _("Kelas IIA")
        IIB = "IIB", _("Kelas IIB")
        II = "II", _("Kelas II")
        III = "III", _("Kelas III")

    regional_office = models.ForeignKey(
        RegionalOffice, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("kanwil")
    )
    name = models.CharField(
        _("nama UPT"), max_length=200, unique=True, help_text=_("Nama resmi, contoh: Lapas Kelas IIA Kayu Agung")
    )
    type = models.CharField(_("jenis UPT"), max_length=20, choices=Type.choices)
    facility_class = models.CharField(_("kelas"), max_length=4, choices=Class.choices)
    city = models.CharField(_("kota/kabupaten"), max_length=100)
    address = models.TextField(_("alamat"), blank=True)
    head = models.ForeignKey(
        "Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kepala UPT"),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["regional_office__province", "name"]
        verbose_name = _("UPT")
        verbose_name_plural = _("UPT")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.head_id and self.head.facility_id != self.pk:
            raise ValidationError({"head": _("Kepala UPT harus pegawai UPT ini.")})


class EmploymentType(models.TextChoices):
    PNS = "PNS", _("PNS")
    CPNS = "CPNS", _("CPNS")
    PPPK = "PPPK", _("PPPK")
    PPPK_PW = "PPPK_PW", _("PPPK Paruh Waktu")
    PPNPN = "PPNPN", _("PPNPN / Non-ASN")


# Which identifier each employment type carries, and how to check it.
IDENTIFIER_RULES = {
    EmploymentType.PNS: ("NIP", identifiers.validate_nip),
    EmploymentType.CPNS: ("NIP", identifiers.validate_nip),
    EmploymentType.PPPK: ("NI PPPK", identifiers.validate_ni_pppk),
    EmploymentType.PPPK_PW: ("NI PPPK", identifiers.validate_ni_pppk),
    EmploymentType.PPNPN: ("NIK", identifiers.validate_nik),
}

GOLONGAN = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]
PANGKAT_BY_GOLONGAN = dict(GOLONGAN)
PPPK_GRADES = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
]
RANK_CHOICES = [(g, f"{p} ({g})") for g, p in GOLONGAN] + [(g, f"PPPK Golongan {g}") for g in PPPK_GRADES]


def normalize_rank(value: str) -> str:
    """'iii/a', 'III a', 'Penata Muda (III/a)' → 'III/a'; PPPK grades upper-cased."""
    raw = (value or "").strip()
    if not raw:
        return ""
    if "(" in raw and raw.endswith(")"):
        raw = raw[raw.rindex("(") + 1 : -1]
    raw = raw.replace(" ", "/").replace("-", "/").replace("//", "/")
    if "/" in raw:
        roman, letter = raw.split("/", 1)
        return f"{roman.upper()}/{letter.lower()}"
    upper = raw.upper()
    for prefix in ("GOLONGAN/", "GOL/", "GOL."):
        upper = upper.removeprefix(prefix)
    return upper


class EmployeeQuerySet(models.QuerySet):
    def active(self) -> EmployeeQuerySet:
        return self.filter(is_active=True)

    def search(self, query: str) -> EmployeeQuerySet:
        query = (query or "").strip()
        if not query:
            return self
        digits = identifiers.normalize(query)
        if is_ascii_digits(digits):
            return self.filter(identifier__startswith=digits)
        return self.filter(Q(name__icontains=query) | Q(position__icontains=query))


class Employee(models.Model):
    name = models.CharField(_("nama lengkap dengan gelar"), max_length=200)
    employment_type = models.CharField(_("jenis pegawai"), max_length=10, choices=EmploymentType.choices)
    identifier = models.CharField(
        _("NIP / NI PPPK / NIK"),
        max_length=18,
        unique=True,
        error_messages={"unique": _("Nomor induk ini sudah terdaftar.")},
    )
    rank = models.CharField(_("pangkat/golongan atau golongan PPPK"), max_length=10, blank=True)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="employees", verbose_name=_("UPT"))
    is_active = models.BooleanField(_("aktif"), default=True)
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name=_("akun"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        indexes = [models.Index(fields=["facility", "is_active", "name"])]
        constraints = [
            models.CheckConstraint(
                name="employee_identifier_length_matches_type",
                condition=(
                    Q(employment_type="PPNPN", identifier__length=16)
                    | (~Q(employment_type="PPNPN") & Q(identifier__length=18))
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"

    @property
    def identifier_label(self) -> str:
        return IDENTIFIER_RULES[self.employment_type][0]

    @property
    def rank_display(self) -> str:
        if self.rank in PANGKAT_BY_GOLONGAN:
            return f"{PANGKAT_BY_GOLONGAN[self.rank]} ({self.rank})"
        if self.rank:
            return f"Golongan {self.rank}"
        return ""

    def clean(self) -> None:
        errors: dict[str, list] = {}
        self.identifier = identifiers.normalize(self.identifier)
        self.rank = normalize_rank(self.rank)
        rule = IDENTIFIER_RULES.get(self.employment_type)
        if rule:
            try:
                rule[1](self.identifier)
            except ValidationError as exc:
                errors["identifier"] = exc.messages
            errors.update(self._rank_errors())
        if errors:
            raise ValidationError(errors)

    def _rank_errors(self) -> dict[str, str]:
        if self.employment_type in (EmploymentType.PNS, EmploymentType.CPNS):
            if self.rank not in PANGKAT_BY_GOLONGAN:
                return {"rank": _("PNS/CPNS wajib mempunyai golongan I/a sampai IV/e (contoh: III/b).")}
        elif self.employment_type in (EmploymentType.PPPK, EmploymentType.PPPK_PW):
            if self.rank and self.rank not in PPPK_GRADES:
                return {"rank": _("Golongan PPPK harus I sampai XVII (contoh: IX).")}
        elif self.rank:
            return {"rank": _("PPNPN tidak mempunyai pangkat/golongan; kosongkan kolom ini.")}
        return {}


class Placement(models.Model):
    """Where an employee served and when: a transfer (mutasi) closes one and opens the next."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="placements")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="placements")
    start_date = models.DateField(_("mulai"), default=timezone.localdate)
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(end_date__isnull=True),
                name="one_current_placement_per_employee",
            ),
            models.CheckConstraint(
                name="placement_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} @ {self.facility.name}"


class RosterImport(models.Model):
    """An uploaded roster waiting for its preview to be confirmed.

    The checked rows are kept (not the file), so the apply step works from
    exactly what the preview showed; it is applied at most once. A confirmed
    import of more than ROSTER_SYNC_MAX_ROWS rows is queued (its RosterApply
    job) and applied in the background, still in one transaction.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu konfirmasi")
        QUEUED = "queued", _("Sedang diterapkan")
        APPLIED = "applied", _("Diterapkan")
        CANCELLED = "cancelled", _("Dibatalkan")

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="roster_imports")
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    # What the apply step did, row by row (facilities.roster.outcome): the result page shows it,
    # with each update's old → new values as they were when it was applied.
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.facility})"

    @property
    def applies_in_background(self) -> bool:
        """Large imports go to the queue: the request would otherwise hold the rows' locks for seconds."""
        return len(self.rows) > settings.ROSTER_SYNC_MAX_ROWS


class RosterApply(BackgroundJob):
    """Applying a confirmed large import in the background: progress, heartbeat, retry (core/jobs.py).

    A job of its own rather than RosterImport extending BackgroundJob: the import's status is the
    preview's (waiting for confirmation, applied, cancelled) and most imports never need a job. One
    per import: the one-to-one is the database's guarantee that a double-clicked confirm queues one.
    The work is one transaction (facilities.actions.apply_queued_roster_import), so its beats go
    through the progress connection.
    """

    task_path = "facilities.tasks.apply_roster_import_job"
    beats_outside_transaction = True

    roster_import = models.OneToOneField(RosterImport, on_delete=models.CASCADE, related_name="apply_job")
    requested_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.roster_import} ({self.get_status_display()})"
