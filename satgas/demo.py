"""Demo task forces for `manage.py seed_demo`, after facilities.demo.

Deterministic and idempotent: periods and task forces are found by their
natural keys, members are chosen by position in the seeded roster, and a
step that has already happened (appointment, inauguration, an activity) is
not repeated. The changes go through satgas.actions like real ones.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import Role, User
from facilities.demo import DEMO_PASSWORD
from facilities.models import Employee, Facility
from satgas import actions
from satgas.models import Activity, ElectionType, Membership, Period, TaskForce

PERIODS = [
    ("Pemilu 2024", ElectionType.PEMILU, dt.date(2023, 11, 28), dt.date(2024, 10, 20)),
    ("Pilkada 2024", ElectionType.PILKADA, dt.date(2024, 8, 27), dt.date(2025, 3, 31)),
]
KETUA_USERNAME = "satgas.kembangkuning"
KEMBANGKUNING = "Lapas Kelas IIA Kembangkuning"


def _decree_pdf(title: str) -> ContentFile:
    """A one-page stand-in for the scanned SK (a real, parseable PDF)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    upload = ContentFile(buffer.getvalue(), name="sk.pdf")
    upload.kind = "pdf"
    return upload


def _login(username: str, **fields) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults={"role": Role.STAFF, **fields})
    for key, value in {"role": Role.STAFF, **fields}.items():
        setattr(user, key, value)
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _roster(facility: Facility) -> list[Employee]:
    # Seed order (the roster's creation order) is deterministic; names are not unique.
    return list(facility.employees.active().order_by("pk"))


def _pick(roster: list[Employee], size: int) -> list[tuple[Employee, str]]:
    """Ketua: the first leader after the head without another login; Sekretaris: the next; the rest Anggota."""
    ketua = next(
        e for e in roster[1:] if e.employment_type == "PNS" and (e.user_id is None or e.user.username == KETUA_USERNAME)
    )
    others = [e for e in roster[1:] if e.pk != ketua.pk]
    sekretaris = next(e for e in others if e.employment_type == "PNS")
    anggota = [e for e in others if e.pk != sekretaris.pk][: size - 2]
    return [(ketua, Membership.Role.KETUA), (sekretaris, Membership.Role.SEKRETARIS)] + [
        (e, Membership.Role.ANGGOTA) for e in anggota
    ]


def _task_force(actor: User, facility: Facility, period: Period) -> TaskForce:
    existing = TaskForce.objects.filter(facility=facility, period=period).first()
    return existing or actions.create_task_force(actor, facility, period)


def _appoint(actor: User, task_force: TaskForce, members, number: str, date: dt.date) -> TaskForce:
    if task_force.state != TaskForce.State.DRAFT:
        return task_force
    signer = task_force.facility.head.name if task_force.facility.head else ""
    return actions.appoint(
        actor,
        task_force,
        members,
        decree_number=number,
        decree_date=date,
        decree_signer=signer,
        decree_file=_decree_pdf(number),
    )


def _head(facility: Facility) -> User:
    """The facility head's login, or a stand-in actor for facilities without one in the demo."""
    head = User.objects.filter(role=Role.FACILITY_HEAD, facility=facility).first()
    return head or User.objects.get(username="pusat")


@transaction.atomic
def seed(log=print) -> dict:
    periods = {}
    for name, kind, start, end in PERIODS:
        period, _created = Period.objects.get_or_create(
            name=name, defaults={"election_type": kind, "start_date": start, "end_date": end}
        )
        periods[name] = period
    pemilu = periods["Pemilu 2024"]
    kanwil = User.objects.get(username="kanwil.jateng")

    # Lapas Kembangkuning: 12 members, inaugurated online together with Lapas Sragen (as Kanwil Jateng did in 2024).
    kembangkuning = Facility.objects.get(name=KEMBANGKUNING)
    roster = _roster(kembangkuning)
    members = _pick(roster, 12)
    ketua = members[0][0]
    head_user = _head(kembangkuning)
    big = _task_force(head_user, kembangkuning, pemilu)
    big = _appoint(head_user, big, members, "W.13.PAS.PAS.11-KP.05.02-17 Tahun 2024", dt.date(2024, 1, 15))
    ketua_user = _login(KETUA_USERNAME, first_name="Ketua Satgas", last_name="Kembangkuning")
    Employee.objects.filter(user=ketua_user).exclude(pk=ketua.pk).update(user=None)
    Employee.objects.filter(pk=ketua.pk).update(user=ketua_user)

    sragen = Facility.objects.get(name="Lapas Kelas IIA Sragen")
    sragen_roster = _roster(sragen)
    small = _task_force(_head(sragen), sragen, pemilu)
    small = _appoint(
        _head(sragen),
        small,
        _pick(sragen_roster, len(sragen_roster)),
        "W.13.PAS.PAS.19-KP.05.02-04 Tahun 2024",
        dt.date(2024, 1, 22),
    )
    waiting = [tf for tf in (big, small) if tf.state == TaskForce.State.APPOINTED]
    if waiting:
        actions.inaugurate(
            kanwil,
            kembangkuning.regional_office,
            waiting,
            date=dt.date(2024, 1, 29),
            place="Daring (Zoom), Kanwil Ditjenpas Jawa Tengah",
            official=kembangkuning.regional_office.head_name or "Kepala Kantor Wilayah",
        )

    member_employees = [e for e, _role in members]
    activities = [
        (
            dt.date(2024, 1, 31),
            Activity.Kind.APEL,
            "Apel sosialisasi netralitas ASN dan ikrar netralitas",
            "Lapangan upacara",
            [],
            96,
        ),
        (
            dt.date(2024, 2, 5),
            Activity.Kind.EDUKASI,
            "Edukasi larangan kampanye di media sosial bagi ASN dan PPNPN",
            "Aula Lapas",
            roster[12:30],
            None,
        ),
        (
            dt.date(2024, 2, 13),
            Activity.Kind.MONITORING,
            "Pemantauan persiapan TPS khusus di dalam Lapas",
            "Blok hunian dan lokasi TPS",
            member_employees[:6],
            None,
        ),
        (
            dt.date(2024, 2, 14),
            Activity.Kind.LAINNYA,
            "Koordinasi pengamanan pemungutan suara dengan KPU dan Bawaslu",
            "Ruang rapat Kalapas",
            member_employees[:4],
            None,
        ),
    ]
    other_kinds = {Activity.Kind.LAINNYA: "Rapat koordinasi"}
    for date, kind, topic, place, participants, count in activities:
        if big.activities.filter(date=date, kind=kind, topic=topic).exists():
            continue
        actions.record_activity(
            ketua_user,
            big,
            Activity(
                date=date,
                kind=kind,
                kind_other=other_kinds.get(kind, ""),
                topic=topic,
                place=place,
                participant_count=count,
            ),
            participants,
        )

    # Elsewhere in Jawa Tengah: a draft for Semarang; in Sumatera Selatan one appointed, awaiting inauguration.
    semarang = Facility.objects.get(name="Lapas Kelas I Semarang")
    _task_force(_head(semarang), semarang, pemilu)
    kayuagung = Facility.objects.get(name="Lapas Kelas IIA Kayu Agung")
    kayuagung_tf = _task_force(_head(kayuagung), kayuagung, pemilu)
    _appoint(
        _head(kayuagung),
        kayuagung_tf,
        _pick(_roster(kayuagung), 9),
        "W.6.PAS.PAS.7-KP.05.02-02 Tahun 2024",
        dt.date(2024, 1, 18),
    )

    log(
        f"  satgas: {Period.objects.count()} periode, {TaskForce.objects.count()} Satgas, "
        f"{Membership.objects.current().count()} anggota aktif, {Activity.objects.count()} kegiatan"
    )
    return {"logins": [(KETUA_USERNAME, f"Ketua Satgas {kembangkuning.name} ({ketua.name})")]}
