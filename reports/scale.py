"""Scale data set, after pledges.scale: violation reports in every state and category, with their timelines.

Each report follows TRANSITIONS from intake, and the clocks (acknowledged,
responded, closed) are set the way reports.actions.transition sets them; a
report about the head or a current task force member is handled by the Kanwil
only (the rule reports.access applies when a report is read).
Receipt codes come from the seeded generator (demo data only: real codes come
from `secrets` and are never kept); two are printed for /lapor/cek/.
"""

from __future__ import annotations

import datetime as dt
import time

from facilities.scale import Scale, bulk
from reports.models import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    RESPONSE_STATES,
    SANCTION_TRACK,
    Category,
    ElectionType,
    ForwardTarget,
    Message,
    Outcome,
    Report,
    ReportEvent,
    Sanction,
    Stage,
    State,
    format_receipt_code,
    hash_receipt_code,
)

# Final state: the paths that lead there (each one allowed by TRANSITIONS), and its share of reports.
PATHS = {
    State.RECEIVED: ([()], 12),
    State.VERIFYING: ([("verifying",)], 12),
    State.INVESTIGATING: ([("verifying", "investigating")], 14),
    State.FORWARDED: ([("verifying", "forwarded"), ("verifying", "investigating", "forwarded")], 10),
    State.CONCLUDED: (
        [("verifying", "investigating", "concluded"), ("verifying", "investigating", "forwarded", "concluded")],
        40,
    ),
    State.REJECTED: ([("rejected",), ("verifying", "rejected"), ("verifying", "investigating", "rejected")], 12),
}
CATEGORY_WEIGHTS = {
    Category.MEDSOS_INTERAKSI: 24,
    Category.MEDSOS_KAMPANYE: 18,
    Category.FOTO: 14,
    Category.APK: 8,
    Category.KAMPANYE_IKUT: 8,
    Category.KEGIATAN_KEBERPIHAKAN: 7,
    Category.DEKLARASI: 5,
    Category.ACARA_PARPOL: 4,
    Category.TIM: 3,
    Category.FASILITAS_ATRIBUT: 3,
    Category.PENDEKATAN: 2,
    Category.PARPOL: 2,
    Category.KEPUTUSAN: 1,
    Category.DUKUNGAN_KTP: 1,
}
PLACES = [
    "Facebook (akun pribadi)",
    "Instagram",
    "TikTok",
    "Grup WhatsApp pegawai",
    "Grup WhatsApp keluarga warga binaan",
    "Ruang kunjungan",
    "Pagar rumah dinas",
    "Posko pemenangan calon",
    "Lapangan kecamatan",
]
WHAT = [
    "Mengunggah ajakan memilih pasangan calon lengkap dengan foto kampanye.",
    "Membagikan video kampanye calon ke grup percakapan.",
    "Memasang baliho calon di pagar rumah dinas.",
    "Hadir berseragam dinas pada acara deklarasi calon.",
    "Berfoto bersama calon dengan pose jari menunjukkan nomor urut.",
    "Membagikan kalender bergambar calon kepada keluarga warga binaan.",
]
DESCRIBED = [
    "Petugas regu jaga pagi, laki-laki, berkacamata",
    "Pegawai bagian registrasi, perempuan",
    "Petugas P2U shift malam",
    "Tidak disebutkan",
]
NOTES = {
    "verifying": "Laporan Anda sedang diverifikasi oleh Satgas.",
    "investigating": "Laporan terverifikasi dan sedang diperiksa.",
    "forwarded": "Laporan diteruskan kepada pihak yang berwenang.",
    "concluded": "Pemeriksaan selesai; hasilnya disampaikan kepada pejabat berwenang.",
    "rejected": "Laporan tidak dapat ditindaklanjuti.",
}
REJECTIONS = [
    "Identitas terlapor dan waktu kejadian tidak dapat ditelusuri.",
    "Kejadian bukan pelanggaran netralitas menurut SKB 2022.",
    "Laporan ganda dari laporan yang sudah ditangani.",
]


def _code(scale: Scale) -> str:
    return format_receipt_code("".join(scale.rng.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH)))


def build(scale: Scale) -> None:
    started = time.perf_counter()
    rng = scale.rng
    finals = list(PATHS)
    final_weights = [PATHS[s][1] for s in finals]
    categories, category_weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    facilities = scale.facility_list
    weights = [len(scale.rosters[f.pk]) for f in facilities]
    members = scale.extras.get("active_members", set())
    ketua_of = scale.extras.get("ketua_of", {})
    active_tf = {tf.facility_id for tf in scale.extras.get("task_forces", []) if tf.is_active}
    reports, timelines, codes = [], [], []
    for _n in range(scale.reports):
        facility = rng.choices(facilities, weights)[0]
        roster = scale.rosters[facility.pk]
        final = rng.choices(finals, final_weights)[0]
        path = rng.choice(PATHS[final][0])
        # Open cases are recent; closed ones spread over the last year and a bit.
        age = rng.randint(1, 90) if final not in (State.CONCLUDED, State.REJECTED) else rng.randint(40, 420)
        intake = scale.now - dt.timedelta(days=age, minutes=rng.randint(0, 1440))
        employee = rng.choice(roster) if rng.random() < 0.6 else None
        anonymous = rng.random() < 0.75
        code = _code(scale)
        report = Report(
            facility=facility,
            reported_employee=employee,
            reported_description="" if employee else rng.choice(DESCRIBED),
            category=rng.choices(categories, category_weights)[0],
            election_type=rng.choice(ElectionType.values),
            stage=rng.choice([*Stage.values, ""]),
            occurred_on=(intake - dt.timedelta(days=rng.randint(0, 10))).date(),
            occurred_place=rng.choice(PLACES),
            description=rng.choice(WHAT),
            is_anonymous=anonymous,
            reporter_name="" if anonymous else "Warga (nama disamarkan)",
            reporter_contact=""
            if anonymous
            else f"08{rng.randint(11, 99)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            receipt_hash=hash_receipt_code(code),
            created_at=intake,
        )
        region_only = employee is not None and (employee is roster[0] or (facility.pk, employee.pk) in members)
        region_admin = scale.region_admins[facility.regional_office_id]
        ketua = ketua_of.get(facility.pk)
        handler = region_admin
        if not region_only and facility.pk in active_tf and ketua and rng.random() < 0.5:
            handler = scale.users_by_id[ketua.user_id]
        events = [ReportEvent(report=report, created_at=intake, to_state=State.RECEIVED)]
        state, when = State.RECEIVED, intake
        room = max(1, (scale.now - intake).days // (len(path) + 1))
        for to_state in path:
            when = when + dt.timedelta(days=rng.randint(1, max(1, min(room, 12))), minutes=rng.randint(0, 600))
            when = min(when, scale.now - dt.timedelta(minutes=5))
            events.append(
                ReportEvent(
                    report=report,
                    created_at=when,
                    actor=handler,
                    from_state=state,
                    to_state=to_state,
                    public_note=NOTES[to_state] if rng.random() < 0.6 else "",
                )
            )
            report.acknowledged_at = report.acknowledged_at or when
            if to_state in RESPONSE_STATES:
                report.responded_at = report.responded_at or when
            if to_state == State.FORWARDED:
                report.forwarded_to = rng.choice(ForwardTarget.values)
            if to_state == State.CONCLUDED:
                report.outcome = Outcome.PROVEN if rng.random() < 0.55 else Outcome.NOT_PROVEN
                if report.outcome == Outcome.PROVEN:
                    report.sanction = rng.choice(Sanction.values)
                    report.track = SANCTION_TRACK[report.sanction]
                report.closed_at = when
            if to_state == State.REJECTED:
                report.rejection_reason = rng.choice(REJECTIONS)
                report.closed_at = when
            state = to_state
        report.state = state
        reports.append(report)
        timelines.append((events, handler))
        if len(codes) < 2 and state in (State.VERIFYING, State.CONCLUDED):
            codes.append((code, report))
    bulk(Report, reports)

    events, messages = [], []
    for report, (timeline, handler) in zip(reports, timelines, strict=True):
        for event in timeline:
            event.report_id = report.pk
        events += timeline
        if len(timeline) > 1 and rng.random() < 0.15:
            when = timeline[1].created_at
            for n in range(rng.randint(1, 3)):
                when = min(when + dt.timedelta(hours=rng.randint(2, 72)), scale.now)
                from_reporter = n % 2 == 1
                messages.append(
                    Message(
                        report_id=report.pk,
                        created_at=when,
                        from_reporter=from_reporter,
                        author=None if from_reporter else handler,
                        body="Mohon dikirimkan tangkapan layar unggahan tersebut."
                        if not from_reporter
                        else "Baik, tangkapan layar saya unggah sebagai bukti tambahan.",
                    )
                )
    bulk(ReportEvent, events)
    bulk(Message, messages)
    scale.extras["receipt_codes"] = codes
    scale.counts.update({"laporan": len(reports), "langkah laporan": len(events), "pesan": len(messages)})
    by_state = {s: sum(1 for r in reports if r.state == s) for s in finals}
    summary = ", ".join(f"{s} {n}" for s, n in by_state.items())
    scale.step(f"laporan: {len(reports)} ({summary}), {len(events)} langkah, {len(messages)} pesan", started)
