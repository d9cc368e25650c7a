"""Violation reports (laporan pelanggaran netralitas): intake, receipt codes, case handling.

A report is filed by anyone, without an account; the reporter follows it up
with a receipt code of which only a SHA-256 hash is kept. Nothing that
identifies the reporter's device (IP address, user agent) is stored, and no
user account is linked to a report even when a logged-in employee files it.

Clocks run from intake: a report is *acknowledged* by the first handler step
(any state change or a message to the reporter) and *answered* by the first
substantive step (investigation, forwarding, conclusion or rejection).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import BooleanField, Case, DateTimeField, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import PrivateUploadTo
from satgas.models import ElectionType  # the kind of election, as the task force periods name it

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols, no 0/O, 1/I
RECEIPT_LENGTH = 28  # 28 × 5 bits = 140 bits


def generate_receipt_code() -> str:
    """A fresh receipt code, e.g. ``K7QM-…`` in seven groups of four (140 random bits)."""
    return format_receipt_code("".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH)))


def normalize_receipt_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch in RECEIPT_ALPHABET)


def format_receipt_code(code: str) -> str:
    raw = normalize_receipt_code(code)
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def hash_receipt_code(code: str) -> str:
    # The code carries 140 random bits, so a plain hash cannot be brute-forced.
    return hashlib.sha256(normalize_receipt_code(code).encode()).hexdigest()


class Category(models.TextChoices):
    """Forms of violation (SKB 2022 annex), docs/domain.md §5."""

    APK = "APK", _("Memasang spanduk/baliho/alat peraga (bakal) calon")
    MEDSOS_KAMPANYE = "MEDSOS_KAMPANYE", _("Berkampanye untuk calon di media sosial/daring")
    MEDSOS_INTERAKSI = (
        "MEDSOS_INTERAKSI",
        _("Mengunggah, mengomentari, membagikan, menyukai, atau bergabung/mengikuti grup/akun kampanye calon"),
    )
    FOTO = "FOTO", _("Mengunggah foto bersama calon, tim kampanye beratribut partai, atau alat peraga kampanye")
    PENDEKATAN = (
        "PENDEKATAN",
        _("Mendekati partai politik/masyarakat sebagai bakal calon tanpa cuti di luar tanggungan negara"),
    )
    DEKLARASI = "DEKLARASI", _("Menghadiri deklarasi/kampanye dan memberikan dukungan aktif")
    KAMPANYE_IKUT = (
        "KAMPANYE_IKUT",
        _("Mengikuti kampanye, sosialisasi, atau pengenalan calon; kampanye pasangan calon"),
    )
    PARPOL = "PARPOL", _("Menjadi anggota atau pengurus partai politik")
    TIM = "TIM", _("Menjadi tim ahli/tim pemenangan atau panitia kampanye")
    KEGIATAN_KEBERPIHAKAN = (
        "KEGIATAN_KEBERPIHAKAN",
        _("Pertemuan, ajakan, imbauan, seruan, atau pemberian barang yang berpihak kepada calon"),
    )
    FASILITAS_ATRIBUT = (
        "FASILITAS_ATRIBUT",
        _("Berkampanye dengan atribut PNS atau fasilitas negara; mengerahkan PNS lain"),
    )
    KEPUTUSAN = "KEPUTUSAN", _("Membuat keputusan yang menguntungkan atau merugikan calon")
    DUKUNGAN_KTP = "DUKUNGAN_KTP", _("Memberikan surat dukungan disertai fotokopi KTP")
    ACARA_PARPOL = "ACARA_PARPOL", _("Menghadiri acara partai politik atau penyerahan dukungan partai")


class Stage(models.TextChoices):
    BEFORE = "BEFORE", _("Sebelum penetapan calon (bakal calon)")
    AFTER = "AFTER", _("Sesudah penetapan calon")


class State(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    VERIFYING = "verifying", _("Diverifikasi")
    INVESTIGATING = "investigating", _("Diperiksa")
    FORWARDED = "forwarded", _("Diteruskan")
    CONCLUDED = "concluded", _("Selesai")
    REJECTED = "rejected", _("Ditolak")


OPEN_STATES = (State.RECEIVED, State.VERIFYING, State.INVESTIGATING, State.FORWARDED)
# Where each state may go next; concluded and rejected are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.RECEIVED: (State.VERIFYING, State.REJECTED),
    State.VERIFYING: (State.INVESTIGATING, State.FORWARDED, State.REJECTED),
    State.INVESTIGATING: (State.FORWARDED, State.CONCLUDED, State.REJECTED),
    State.FORWARDED: (State.CONCLUDED, State.REJECTED),
    State.CONCLUDED: (),
    State.REJECTED: (),
}
# The first step into one of these answers the reporter (the 30-day clock).
RESPONSE_STATES = (State.INVESTIGATING, State.FORWARDED, State.CONCLUDED, State.REJECTED)


class Handling(models.TextChoices):
    """The regional office's decision on who handles a case (the rule unless it decided otherwise)."""

    RULE = "rule", _("Ikuti aturan: hanya Kanwil selama terlapor anggota Satgas atau kepala UPT")
    TASK_FORCE = "task_force", _("Satgas UPT boleh menangani")
    REGION = "region", _("Hanya Kanwil")


class ForwardTarget(models.TextChoices):
    REGIONAL_OFFICE = "REGIONAL_OFFICE", _("Kantor Wilayah")
    PPK = "PPK", _("Pejabat Pembina Kepegawaian (PPK) / pejabat berwenang")
    BAWASLU = "BAWASLU", _("Bawaslu")


class Outcome(models.TextChoices):
    PROVEN = "PROVEN", _("Terbukti")
    NOT_PROVEN = "NOT_PROVEN", _("Tidak terbukti")


class Track(models.TextChoices):
    ETIK = "ETIK", _("Etik (sanksi moral, PP 42/2004)")
    DISIPLIN = "DISIPLIN", _("Disiplin (PP 94/2021)")
    PDTH = "PDTH", _("Pemberhentian tidak dengan hormat (UU 20/2023)")


class Sanction(models.TextChoices):
    """Recommended sanctions, docs/domain.md §5. Officials pick one; it is never derived."""

    MORAL_TERTUTUP = "MORAL_TERTUTUP", _("Sanksi moral: pernyataan secara tertutup")
    MORAL_TERBUKA = "MORAL_TERBUKA", _("Sanksi moral: pernyataan secara terbuka")
    RINGAN_LISAN = "RINGAN_LISAN", _("Hukdis ringan: teguran lisan")
    RINGAN_TERTULIS = "RINGAN_TERTULIS", _("Hukdis ringan: teguran tertulis")
    RINGAN_TIDAK_PUAS = "RINGAN_TIDAK_PUAS", _("Hukdis ringan: pernyataan tidak puas secara tertulis")
    # "25% s" is not a format directive (xgettext would flag it python-format).
    # xgettext:no-python-format
    SEDANG_TUKIN_6 = "SEDANG_TUKIN_6", _("Hukdis sedang: pemotongan tunjangan kinerja 25% selama 6 bulan")
    # xgettext:no-python-format
    SEDANG_TUKIN_9 = "SEDANG_TUKIN_9", _("Hukdis sedang: pemotongan tunjangan kinerja 25% selama 9 bulan")
    # xgettext:no-python-format
    SEDANG_TUKIN_12 = "SEDANG_TUKIN_12", _("Hukdis sedang: pemotongan tunjangan kinerja 25% selama 12 bulan")
    BERAT_TURUN_JABATAN = (
        "BERAT_TURUN_JABATAN",
        _("Hukdis berat: penurunan jabatan setingkat lebih rendah selama 12 bulan"),
    )
    BERAT_PELAKSANA = "BERAT_PELAKSANA", _("Hukdis berat: pembebasan dari jabatan menjadi pelaksana selama 12 bulan")
    BERAT_PEMBERHENTIAN = (
        "BERAT_PEMBERHENTIAN",
        _("Hukdis berat: pemberhentian dengan hormat tidak atas permintaan sendiri"),
    )
    PDTH = "PDTH", _("Pemberhentian tidak dengan hormat (keanggotaan partai politik)")


SANCTION_TRACK = {
    Sanction.MORAL_TERTUTUP: Track.ETIK,
    Sanction.MORAL_TERBUKA: Track.ETIK,
    Sanction.RINGAN_LISAN: Track.DISIPLIN,
    Sanction.RINGAN_TERTULIS: Track.DISIPLIN,
    Sanction.RINGAN_TIDAK_PUAS: Track.DISIPLIN,
    Sanction.SEDANG_TUKIN_6: Track.DISIPLIN,
    Sanction.SEDANG_TUKIN_9: Track.DISIPLIN,
    Sanction.SEDANG_TUKIN_12: Track.DISIPLIN,
    Sanction.BERAT_TURUN_JABATAN: Track.DISIPLIN,
    Sanction.BERAT_PELAKSANA: Track.DISIPLIN,
    Sanction.BERAT_PEMBERHENTIAN: Track.DISIPLIN,
    Sanction.PDTH: Track.PDTH,
}


def overdue_conditions(now: dt.datetime | None = None) -> tuple[Q, Q]:
    """(acknowledgement overdue, response overdue) as database conditions."""
    now = now or timezone.now()
    ack = Q(acknowledged_at__isnull=True, created_at__lt=now - dt.timedelta(days=settings.REPORT_ACK_DAYS))
    response = Q(responded_at__isnull=True, created_at__lt=now - dt.timedelta(days=settings.REPORT_RESPONSE_DAYS))
    return ack, response


def nearing_conditions(now: dt.datetime | None = None) -> tuple[Q, Q]:
    """(acknowledgement due, response due) within settings.REPORT_DEADLINE_WARNING_DAYS and not yet
    past: the complement, in time, of `overdue_conditions` (0 days: never)."""
    now = now or timezone.now()
    warning = dt.timedelta(days=settings.REPORT_DEADLINE_WARNING_DAYS)
    ack_limit = now - dt.timedelta(days=settings.REPORT_ACK_DAYS)
    response_limit = now - dt.timedelta(days=settings.REPORT_RESPONSE_DAYS)
    ack = Q(acknowledged_at__isnull=True, created_at__gte=ack_limit, created_at__lt=ack_limit + warning)
    response = Q(responded_at__isnull=True, created_at__gte=response_limit, created_at__lt=response_limit + warning)
    return ack, response


def overdue_condition(now: dt.datetime | None = None) -> Q:
    """Open and past a deadline: what "overdue" counts and filters everywhere (the list, its export, the
    dashboard card, the recap). A closed case is never overdue."""
    ack, response = overdue_conditions(now)
    return Q(state__in=OPEN_STATES) & (ack | response)


def _next_due_expression() -> Case:
    """The deadline an open case must meet next (the first response, then the answer), as SQL, so that the
    list can sort by it; null for a closed case or one that met both (Report.next_due in Python)."""

    def due(days: int) -> ExpressionWrapper:
        return ExpressionWrapper(F("created_at") + Value(dt.timedelta(days=days)), output_field=DateTimeField())

    return Case(
        When(state__in=OPEN_STATES, acknowledged_at__isnull=True, then=due(settings.REPORT_ACK_DAYS)),
        When(state__in=OPEN_STATES, responded_at__isnull=True, then=due(settings.REPORT_RESPONSE_DAYS)),
        default=None,
        output_field=DateTimeField(),
    )


class ReportQuerySet(models.QuerySet):
    def with_overdue(self) -> ReportQuerySet:
        ack, response = overdue_conditions()
        return self.annotate(
            ack_overdue=ExpressionWrapper(ack, output_field=BooleanField()),
            response_overdue=ExpressionWrapper(response, output_field=BooleanField()),
            is_overdue=ExpressionWrapper(overdue_condition(), output_field=BooleanField()),
            next_due_at=_next_due_expression(),
        )

    def with_region_only(self) -> ReportQuerySet:
        """`region_only`: the task force may not handle the report now (reports.access decides)."""
        from reports.access import report_for_region_only

        return self.annotate(region_only=ExpressionWrapper(report_for_region_only(), output_field=BooleanField()))

    def overdue(self) -> ReportQuerySet:
        return self.filter(overdue_condition())


class Report(models.Model):
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.PROTECT, related_name="reports", verbose_name=_("UPT")
    )
    reported_employee = models.ForeignKey(
        "facilities.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pegawai yang dilaporkan"),
    )
    reported_description = models.TextField(
        _("ciri-ciri terlapor"),
        blank=True,
        help_text=_("Jika nama terlapor tidak diketahui: jabatan, ciri-ciri, atau keterangan lain."),
    )
    category = models.CharField(_("bentuk pelanggaran"), max_length=24, choices=Category.choices)
    election_type = models.CharField(_("jenis pemilihan"), max_length=10, choices=ElectionType.choices)
    stage = models.CharField(_("tahapan"), max_length=10, choices=Stage.choices, blank=True)
    occurred_on = models.DateField(_("tanggal kejadian"))
    occurred_place = models.CharField(_("tempat kejadian"), max_length=300)
    description = models.TextField(_("uraian kejadian"))
    is_anonymous = models.BooleanField(_("anonim"), default=True)
    reporter_name = models.CharField(_("nama pelapor"), max_length=200, blank=True)
    reporter_contact = models.CharField(_("kontak pelapor"), max_length=200, blank=True)
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Who handles the case is decided when it is read (reports.access), from the reported
    # person's current place; the regional office may override that rule, and its decision is kept here.
    handling = models.CharField(_("penanganan"), max_length=12, choices=Handling.choices, default=Handling.RULE)
    handling_reason = models.TextField(_("alasan keputusan penanganan"), blank=True)
    handling_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handling_decided_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("status"), max_length=16, choices=State.choices, default=State.RECEIVED)
    forwarded_to = models.CharField(_("diteruskan kepada"), max_length=20, choices=ForwardTarget.choices, blank=True)
    outcome = models.CharField(_("hasil"), max_length=12, choices=Outcome.choices, blank=True)
    track = models.CharField(_("jalur"), max_length=10, choices=Track.choices, blank=True)
    sanction = models.CharField(_("rekomendasi sanksi"), max_length=24, choices=Sanction.choices, blank=True)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    created_at = models.DateTimeField(_("diterima"), default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("laporan pelanggaran")
        verbose_name_plural = _("laporan pelanggaran")
        indexes = [models.Index(fields=["facility", "state", "created_at"])]
        constraints = [
            models.CheckConstraint(
                name="report_names_someone",
                condition=Q(reported_employee__isnull=False) | ~Q(reported_description=""),
                violation_error_message=_("Pilih pegawai yang dilaporkan atau tuliskan ciri-cirinya."),
            ),
            models.CheckConstraint(
                name="anonymous_report_has_no_identity",
                condition=Q(is_anonymous=False) | (Q(reporter_name="") & Q(reporter_contact="")),
            ),
            models.CheckConstraint(
                name="report_state_valid",
                condition=Q(state__in=State.values),
            ),
            models.CheckConstraint(
                name="forwarded_report_has_target",
                condition=~Q(state=State.FORWARDED) | ~Q(forwarded_to=""),
            ),
            models.CheckConstraint(
                name="concluded_report_has_outcome",
                condition=~Q(state=State.CONCLUDED) | (~Q(outcome="") & Q(closed_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="proven_report_has_sanction",
                condition=~Q(outcome=Outcome.PROVEN) | (~Q(sanction="") & ~Q(track="")),
            ),
            models.CheckConstraint(
                name="unproven_report_has_no_sanction",
                condition=~Q(outcome=Outcome.NOT_PROVEN) | (Q(sanction="") & Q(track="")),
            ),
            models.CheckConstraint(
                name="report_handling_valid",
                condition=Q(handling__in=Handling.values),
            ),
            models.CheckConstraint(
                name="handling_decision_has_reason",
                condition=Q(handling=Handling.RULE) | ~Q(handling_reason=""),
                violation_error_message=_("Tuliskan alasan keputusan ini."),
            ),
            models.CheckConstraint(
                name="rejected_report_has_reason",
                condition=~Q(state=State.REJECTED) | (~Q(rejection_reason="") & Q(closed_at__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.facility}"

    # The list shows these on every row. Django's get_FOO_display() rebuilds the whole choices dict
    # on each call, casting every lazy label to hash it (a tenth of the list's time at 25 rows); the
    # enum's own label is one lookup.
    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category in Category.values else self.category

    @property
    def state_label(self) -> str:
        return State(self.state).label if self.state in State.values else self.state

    @property
    def reference(self) -> str:
        """The case number handlers quote; not secret and useless without a login."""
        return self.reference_of(self.pk, self.created_at)

    @staticmethod
    def reference_of(pk: int, created_at: dt.datetime) -> str:
        return f"LP-{created_at.year}-{pk:05d}"  # .year: strftime cost as much as the rest of the row

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def ack_due(self) -> dt.datetime:
        return self.created_at + dt.timedelta(days=settings.REPORT_ACK_DAYS)

    @property
    def response_due(self) -> dt.datetime:
        return self.created_at + dt.timedelta(days=settings.REPORT_RESPONSE_DAYS)

    @property
    def next_due_is_ack(self) -> bool:
        """Whether the next deadline (`next_due_at` from `with_overdue`) is the first response's."""
        return self.acknowledged_at is None

    @property
    def reported_label(self) -> str:
        if self.reported_employee_id:
            employee = self.reported_employee
            return self.reported_label_of(employee.name, employee.position, self.reported_description)
        return self.reported_description

    @staticmethod
    def reported_label_of(name: str | None, position: str | None, description: str) -> str:
        """The reported person as lists show them: the employee's name and position, else the description."""
        if name is None:
            return description
        return f"{name} — {position}" if position else name


class ReportEvent(models.Model):
    """One step on the timeline. The reporter sees the state and the public note, never the actor or internal note."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices)
    public_note = models.TextField(_("catatan untuk pelapor"), blank=True)
    internal_note = models.TextField(_("catatan internal"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_state or '-'} → {self.to_state}"


class Message(models.Model):
    """Reporter ↔ handlers. A handler's message shows to the reporter as from "Petugas", without a name."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    created_at = models.DateTimeField(default=timezone.now)
    from_reporter = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("pesan"))

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="reporter_message_has_no_author", condition=Q(from_reporter=False) | Q(author__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Evidence(models.Model):
    """An evidence file, metadata stripped, under MEDIA_ROOT; served only by a permission-checked view."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=PrivateUploadTo("reports/evidence"), max_length=200)
    kind = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.kind} ({self.size} B)"


# The occasions on which the handlers hear of a case's clocks (reports.notifications.check_deadlines).
DEADLINE_OCCASIONS = ("ack:near", "ack:past", "response:near", "response:past")


class DeadlineNotice(models.Model):
    """When the handlers' email about a clock of a case was last queued. The ledger
    (accounts.SentNotification) says who got it; this row keeps the periodic check from queueing it
    again, every few minutes, while that sending is still waiting or being retried."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    occasion = models.CharField(max_length=16)
    queued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "occasion"], name="one_deadline_notice_per_occasion"),
            models.CheckConstraint(name="deadline_notice_occasion_valid", condition=Q(occasion__in=DEADLINE_OCCASIONS)),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.occasion} {self.queued_at:%Y-%m-%d %H:%M}"


class AccessLog(models.Model):
    class Action(models.TextChoices):
        OPENED = "opened", _("membuka laporan")
        DOWNLOADED = "downloaded", _("mengunduh bukti")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=12, choices=Action.choices)
    evidence = models.ForeignKey(Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.report_id}"


class FollowupSession(AbstractBaseSession):
    """The reporter's own session (reports.followup): a receipt code waiting to be shown once, or the
    report a receipt code opened. Its own table and cookie, never a user: the login session and this
    one are not linked anywhere on the server."""

    class Meta:
        verbose_name = _("sesi tindak lanjut laporan")
        verbose_name_plural = _("sesi tindak lanjut laporan")

    @classmethod
    def get_session_store_class(cls):
        from reports.followup import FollowupStore

        return FollowupStore
