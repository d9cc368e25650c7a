"""Demo violation reports for `manage.py seed_demo`, after facilities and satgas.

Idempotent: the demo reports are recognised by the hash of the first fixed
demo receipt code; if it is present nothing is added. Deterministic: the
content and the receipt codes come from fixed data and a seeded generator.
The codes are printed so that /lapor/cek/ can be tried. They are demo-only:
real reports always get a fresh code from `secrets` that is never stored.
Dates are relative to the day of seeding, so that the deadline flags show.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from facilities.models import Employee, Facility
from reports.models import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    RESPONSE_STATES,
    Message,
    Report,
    ReportEvent,
    format_receipt_code,
    hash_receipt_code,
)

KEMBANGKUNING = "Lapas Kelas IIA Kembangkuning"
KAYUAGUNG = "Lapas Kelas IIA Kayu Agung"

# facility, roster index of the reported employee (None: free text), category, election type,
# days ago, reporter (None: anonymous), steps: (state, days after intake, public note, internal note, extra fields)
DEMO_REPORTS = [
    {
        "facility": KEMBANGKUNING,
        "employee": None,
        "description_of_person": "Petugas regu jaga pagi di pos P2U, laki-laki, berkacamata",
        "category": "MEDSOS_KAMPANYE",
        "election_type": "PILKADA",
        "place": "Facebook (akun pribadi)",
        "what": "Mengunggah ajakan memilih pasangan calon bupati nomor urut 2 lengkap dengan foto kampanye.",
        "days_ago": 2,
        "steps": [],
    },
    {
        "facility": KEMBANGKUNING,
        "employee": 12,
        "category": "APK",
        "election_type": "PILKADA",
        "place": "Pagar rumah dinas, kompleks perumahan pegawai",
        "what": "Memasang baliho calon bupati di pagar rumah dinas selama dua minggu.",
        "days_ago": 12,
        "steps": [
            ("verifying", 3, "Laporan Anda sedang diverifikasi oleh Satgas.", "Cek lokasi rumah dinas blok C.", {}),
        ],
        "messages": [
            (4, False, "Terima kasih atas laporannya. Apakah Anda memiliki foto baliho tersebut?"),
            (5, True, "Ada, akan saya unggah sebagai bukti tambahan."),
        ],
    },
    {
        "facility": KEMBANGKUNING,
        "employee": 20,
        "category": "KEGIATAN_KEBERPIHAKAN",
        "election_type": "PILKADA",
        "place": "Ruang kunjungan",
        "what": "Membagikan kalender bergambar calon kepada keluarga warga binaan saat jam kunjungan.",
        "days_ago": 20,
        "steps": [
            ("verifying", 2, "", "", {}),
            ("investigating", 9, "Laporan terverifikasi dan sedang diperiksa.", "Panggil saksi petugas kunjungan.", {}),
        ],
    },
    {
        "facility": KEMBANGKUNING,
        "employee": 25,
        "category": "FOTO",
        "election_type": "PEMILU",
        "place": "Instagram",
        "what": "Mengunggah foto bersama calon anggota legislatif dengan atribut partai.",
        "days_ago": 75,
        "steps": [
            ("verifying", 1, "", "", {}),
            ("investigating", 6, "Laporan sedang diperiksa.", "", {}),
            (
                "concluded",
                30,
                "Pemeriksaan selesai: pelanggaran terbukti dan rekomendasi sanksi disampaikan kepada pejabat berwenang.",
                "Terlapor mengakui; unggahan sudah dihapus.",
                {"outcome": "PROVEN", "track": "ETIK", "sanction": "MORAL_TERBUKA"},
            ),
        ],
    },
    {
        "facility": KAYUAGUNG,
        "employee": 15,
        "category": "TIM",
        "election_type": "PILKADA",
        "place": "Posko pemenangan, Jl. Lintas Timur",
        "what": "Terlihat beberapa kali menjadi panitia acara tim pemenangan calon bupati.",
        "days_ago": 25,
        "reporter": ("Warga Kayu Agung (nama disamarkan)", "0812-0000-0000"),
        "steps": [
            ("verifying", 2, "", "", {}),
            ("investigating", 8, "Laporan sedang diperiksa.", "", {}),
            (
                "forwarded",
                15,
                "Laporan diteruskan kepada Bawaslu.",
                "Surat pengantar ke Bawaslu Kab. OKI.",
                {"forwarded_to": "BAWASLU"},
            ),
        ],
    },
    {
        "facility": KAYUAGUNG,
        "employee": None,
        "description_of_person": "Pegawai bagian registrasi, perempuan",
        "category": "MEDSOS_INTERAKSI",
        "election_type": "PILKADA",
        "place": "Grup WhatsApp keluarga warga binaan",
        "what": "Membagikan video kampanye calon gubernur ke grup WhatsApp keluarga warga binaan.",
        "days_ago": 11,
        "steps": [],
    },
    {
        "facility": KAYUAGUNG,
        "employee": None,
        "description_of_person": "Tidak disebutkan",
        "category": "ACARA_PARPOL",
        "election_type": "PEMILU",
        "place": "Tidak disebutkan",
        "what": "Ada pegawai ikut acara partai.",
        "days_ago": 40,
        "steps": [
            (
                "rejected",
                4,
                "Laporan tidak dapat ditindaklanjuti karena tidak menyebut siapa, kapan, dan di mana.",
                "",
                {"rejection_reason": "Identitas terlapor dan waktu kejadian tidak dapat ditelusuri."},
            ),
        ],
    },
]


def _codes() -> list[str]:
    rng = random.Random("netralitas:reports-demo")
    return [
        format_receipt_code("".join(rng.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))) for _ in DEMO_REPORTS
    ]


def _handler(facility: Facility) -> User | None:
    return User.objects.filter(role="regional_admin", regional_office=facility.regional_office).order_by("pk").first()


@transaction.atomic
def seed(log=print) -> dict:
    codes = _codes()
    if Report.objects.filter(receipt_hash=hash_receipt_code(codes[0])).exists():
        log(f"  reports: demo reports already present ({Report.objects.count()} in total)")
        _log_codes(
            log,
            Report.objects.select_related("facility").filter(receipt_hash__in=[hash_receipt_code(c) for c in codes]),
            codes,
        )
        return {"report_codes": codes}
    facilities = {f.name: f for f in Facility.objects.filter(name__in=[KEMBANGKUNING, KAYUAGUNG])}
    if len(facilities) < 2:
        log("  reports: skipped (demo facilities missing)")
        return {}
    now = timezone.now()
    created = []
    for spec, code in zip(DEMO_REPORTS, codes, strict=True):
        facility = facilities[spec["facility"]]
        employee = None
        if spec["employee"] is not None:
            roster = list(Employee.objects.filter(facility=facility, is_active=True).order_by("pk"))
            employee = roster[spec["employee"] % len(roster)]
        intake = now - dt.timedelta(days=spec["days_ago"], hours=3)
        reporter = spec.get("reporter")
        report = Report.objects.create(
            facility=facility,
            reported_employee=employee,
            reported_description=spec.get("description_of_person", ""),
            category=spec["category"],
            election_type=spec["election_type"],
            occurred_on=(intake - dt.timedelta(days=1)).date(),
            occurred_place=spec["place"],
            description=spec["what"],
            is_anonymous=reporter is None,
            reporter_name=reporter[0] if reporter else "",
            reporter_contact=reporter[1] if reporter else "",
            receipt_hash=hash_receipt_code(code),
            created_at=intake,
        )
        ReportEvent.objects.create(report=report, created_at=intake, to_state="received")
        actor = _handler(facility)
        state = "received"
        for to_state, after, public_note, internal_note, extra in spec["steps"]:
            when = intake + dt.timedelta(days=after)
            ReportEvent.objects.create(
                report=report,
                created_at=when,
                actor=actor,
                from_state=state,
                to_state=to_state,
                public_note=public_note,
                internal_note=internal_note,
            )
            report.acknowledged_at = report.acknowledged_at or when
            if to_state in RESPONSE_STATES:
                report.responded_at = report.responded_at or when
            if to_state in ("concluded", "rejected"):
                report.closed_at = when
            for key, value in extra.items():
                setattr(report, key, value)
            report.state = state = to_state
        report.save()
        for after, from_reporter, body in spec.get("messages", []):
            Message.objects.create(
                report=report,
                created_at=intake + dt.timedelta(days=after),
                from_reporter=from_reporter,
                author=None if from_reporter else actor,
                body=body,
            )
        created.append((report, code))
    log(f"  reports: {len(created)} demo reports")
    _log_codes(log, [report for report, _ in created], codes)
    return {"report_codes": codes}


def _log_codes(log, reports, codes: list[str]) -> None:
    # Printed on every run so that `make run` always shows how to try /lapor/cek/.
    by_hash = {report.receipt_hash: report for report in reports}
    log("  reports: demo-only receipt codes for /lapor/cek/:")
    for code in codes:
        report = by_hash.get(hash_receipt_code(code))
        if report is not None:
            log(f"    {code}  {report.facility.name}, {report.get_state_display()}")
