"""Demo organisation, rosters and logins for `manage.py seed_demo`.

Deterministic (a fixed random seed) and idempotent: running it again finds
the same rows by their natural keys and changes nothing, so the logins and
NIPs listed in the README stay true.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from accounts.models import Role, User
from facilities.models import Employee, Facility, Ministry, Placement, RegionalOffice

DEMO_PASSWORD = "demo-netralitas"

MINISTRY = {
    "name": "Kementerian Imigrasi dan Pemasyarakatan Republik Indonesia",
    "directorate": "Direktorat Jenderal Pemasyarakatan",
    "short_name": "Kemenimipas",
}

# province, city, NIK province+regency code, facilities: (type, class, name, city, staff count)
REGIONS = [
    (
        "Jawa Tengah",
        "Semarang",
        "kanwil.jateng",
        "Dr. Hari Santoso, Bc.IP., S.H., M.H.",
        [
            ("LAPAS", "IIA", "Lapas Kelas IIA Kembangkuning", "Nusakambangan, Cilacap", "3301", 48, "kembangkuning"),
            ("LAPAS", "I", "Lapas Kelas I Semarang", "Kota Semarang", "3374", 8, None),
            ("RUTAN", "I", "Rutan Kelas I Surakarta", "Kota Surakarta", "3372", 6, None),
            ("LAPAS", "IIA", "Lapas Kelas IIA Sragen", "Sragen", "3314", 6, None),
            ("BAPAS", "I", "Bapas Kelas I Semarang", "Kota Semarang", "3374", 5, None),
            ("LPKA", "I", "LPKA Kelas I Kutoarjo", "Purworejo", "3306", 5, None),
        ],
    ),
    (
        "Sumatera Selatan",
        "Palembang",
        "kanwil.sumsel",
        "Ilham Djaya, Bc.IP., S.H., M.H.",
        [
            ("LAPAS", "IIA", "Lapas Kelas IIA Kayu Agung", "Kayu Agung, Ogan Komering Ilir", "1602", 45, "kayuagung"),
            ("LAPAS", "I", "Lapas Kelas I Palembang", "Kota Palembang", "1671", 7, None),
            ("RUTAN", "I", "Rutan Kelas I Palembang", "Kota Palembang", "1671", 6, None),
            ("LAPAS_NARKOTIKA", "IIB", "Lapas Narkotika Kelas IIB Muara Beliti", "Musi Rawas", "1605", 5, None),
            ("BAPAS", "I", "Bapas Kelas I Palembang", "Kota Palembang", "1671", 5, None),
        ],
    ),
    (
        "DKI Jakarta",
        "Jakarta Timur",
        None,
        "",
        [
            ("LAPAS", "I", "Lapas Kelas I Cipinang", "Jakarta Timur", "3175", 6, None),
            ("RUTAN", "I", "Rutan Kelas I Jakarta Pusat (Salemba)", "Jakarta Pusat", "3171", 6, None),
        ],
    ),
]

MALE = [
    "Agus",
    "Budi",
    "Joko",
    "Slamet",
    "Heru",
    "Bambang",
    "Eko",
    "Wahyu",
    "Dedi",
    "Rudi",
    "Andi",
    "Teguh",
    "Sugeng",
    "Arif",
    "Yusuf",
    "Hendra",
    "Rizky",
    "Fajar",
    "Imam",
    "Doni",
    "Irfan",
    "Hadi",
    "Bayu",
    "Ahmad",
]
FEMALE = [
    "Sri",
    "Dewi",
    "Siti",
    "Rina",
    "Endang",
    "Wulan",
    "Yuli",
    "Ratna",
    "Nur",
    "Fitri",
    "Indah",
    "Lestari",
    "Ayu",
    "Maya",
    "Novi",
    "Dian",
    "Tri",
    "Anisa",
    "Desi",
    "Eka",
]
SURNAMES = [
    "Santoso",
    "Wibowo",
    "Prasetyo",
    "Susanto",
    "Hidayat",
    "Saputra",
    "Nugroho",
    "Setiawan",
    "Kurniawan",
    "Rahmawati",
    "Wulandari",
    "Purnomo",
    "Harahap",
    "Siregar",
    "Syahputra",
    "Pratama",
    "Hakim",
    "Lubis",
    "Anggraini",
    "Permata",
    "Firmansyah",
    "Ramadhan",
    "Utami",
    "Maharani",
    "Kusuma",
    "Sembiring",
]
DEGREES = ["", "", "", ", S.H.", ", S.Sos.", ", A.Md.P.", ", S.Kom.", ", S.H., M.H.", ", S.E.", ", Amd.IP., S.H."]

LEADERS = [
    ("PNS", "IV/a", "Kepala Lapas"),
    ("PNS", "III/d", "Kepala Subbagian Tata Usaha"),
    ("PNS", "III/d", "Kepala Kesatuan Pengamanan Lapas"),
    ("PNS", "III/c", "Kepala Seksi Pembinaan Narapidana/Anak Didik"),
    ("PNS", "III/c", "Kepala Seksi Kegiatan Kerja"),
    ("PNS", "III/c", "Kepala Seksi Administrasi Keamanan dan Tata Tertib"),
    ("PNS", "III/b", "Kepala Urusan Kepegawaian dan Keuangan"),
    ("PNS", "III/b", "Kepala Urusan Umum"),
]
STAFF_POSITIONS = [
    ("PNS", ["II/b", "II/c", "II/d", "III/a"], "Petugas Pengamanan"),
    ("PNS", ["II/d", "III/a", "III/b"], "Komandan Jaga"),
    ("PNS", ["III/a", "III/b"], "Pembina Kemasyarakatan"),
    ("PNS", ["III/a", "III/b"], "Analis Hukum"),
    ("PNS", ["II/a", "II/b", "II/c"], "Pengadministrasi Umum"),
    ("CPNS", ["II/a", "III/a"], "Penjaga Tahanan"),
    ("PPPK", ["V", "VII", "IX"], "Pranata Komputer"),
    ("PPPK", ["V", "VII"], "Pengelola Layanan Operasional"),
    ("PPPK", ["IX"], "Perawat Terampil"),
    ("PPNPN", [""], "Pengemudi"),
    ("PPNPN", [""], "Petugas Kebersihan"),
    ("PPNPN", [""], "Juru Masak"),
    ("PPNPN", [""], "Tenaga Administrasi"),
]


def _nip(rng: random.Random, birth: dt.date, female: bool, serial: int) -> str:
    tmt_year = birth.year + rng.randint(21, 30)
    tmt_year = min(tmt_year, 2023)
    return f"{birth:%Y%m%d}{tmt_year:04d}{rng.randint(1, 12):02d}{2 if female else 1}{serial:03d}"


def _ni_pppk(rng: random.Random, birth: dt.date, female: bool, serial: int) -> str:
    return f"{birth:%Y%m%d}{rng.randint(2021, 2024):04d}01{2 if female else 1}{serial:03d}"


def _nik(rng: random.Random, region_code: str, birth: dt.date, female: bool, serial: int) -> str:
    day = birth.day + (40 if female else 0)
    return f"{region_code}{rng.randint(1, 24):02d}{day:02d}{birth:%m}{birth:%y}{serial:04d}"


HEAD_TITLES = {"RUTAN": "Kepala Rutan", "BAPAS": "Kepala Bapas", "LPKA": "Kepala LPKA"}


def _people(rng: random.Random, count: int, region_code: str, facility_type: str) -> list[dict]:
    people = []
    plan = list(LEADERS)
    plan[0] = ("PNS", "IV/a", HEAD_TITLES.get(facility_type, "Kepala Lapas"))
    while len(plan) < count:
        kind, ranks, position = STAFF_POSITIONS[len(plan) % len(STAFF_POSITIONS)]
        plan.append((kind, rng.choice(ranks), position))
    for index, (kind, rank, position) in enumerate(plan[:count]):
        female = rng.random() < 0.35
        first = rng.choice(FEMALE if female else MALE)
        name = f"{first} {rng.choice(SURNAMES)}{rng.choice(DEGREES) if kind != 'PPNPN' else ''}"
        oldest = 1968 if index < len(LEADERS) else 1975
        birth = dt.date(rng.randint(oldest, 2000), rng.randint(1, 12), rng.randint(1, 28))
        serial = index + 1
        if kind in ("PNS", "CPNS"):
            identifier = _nip(rng, birth, female, serial)
        elif kind == "PPPK":
            identifier = _ni_pppk(rng, birth, female, serial)
        else:
            identifier = _nik(rng, region_code, birth, female, serial)
        people.append(
            {"name": name, "employment_type": kind, "identifier": identifier, "rank": rank, "position": position}
        )
    return people


def _user(username: str, role: str, **fields) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults={"role": role, **fields})
    for key, value in {"role": role, **fields}.items():
        setattr(user, key, value)
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def seed(log=print) -> dict:
    ministry, _created = Ministry.objects.get_or_create(name=MINISTRY["name"], defaults=MINISTRY)
    pusat = _user("pusat", Role.NATIONAL_ADMIN, first_name="Admin", last_name="Pusat", is_staff=True, is_superuser=True)
    logins = [("pusat", "Admin Pusat (nasional)")]
    staff_logins = []
    for province, city, admin_username, head_name, facilities in REGIONS:
        region, _created = RegionalOffice.objects.get_or_create(
            province=province,
            defaults={
                "ministry": ministry,
                "name": f"Kanwil Ditjenpas {province}",
                "city": city,
                "head_name": head_name,
            },
        )
        if admin_username:
            _user(
                admin_username, Role.REGIONAL_ADMIN, regional_office=region, first_name="Admin", last_name=region.name
            )
            logins.append((admin_username, f"Admin {region.name}"))
        for kind, klass, name, fcity, code, size, slug in facilities:
            facility, _created = Facility.objects.get_or_create(
                name=name,
                defaults={"regional_office": region, "type": kind, "facility_class": klass, "city": fcity},
            )
            # The same seed for a facility every run gives the same NIPs.
            rng = random.Random(f"netralitas:{name}")
            employees = []
            for person in _people(rng, size, code, kind):
                employee, created = Employee.objects.get_or_create(
                    identifier=person["identifier"], defaults={**person, "facility": facility}
                )
                if created:
                    Placement.objects.create(
                        employee=employee, facility=facility, start_date=dt.date(2023, 1, 2), note="Data awal"
                    )
                employees.append(employee)
            if facility.head_id is None:
                facility.head = employees[0]
                facility.save(update_fields=["head"])
            if slug:
                head_user = _user(f"kalapas.{slug}", Role.FACILITY_HEAD, facility=facility)
                Employee.objects.filter(pk=employees[0].pk).update(user=head_user)
                logins.append((f"kalapas.{slug}", f"Kepala {facility.name}"))
            # One ordinary staff login per facility: the first PNS after the leaders.
            staff = next(
                e
                for e in employees[len(LEADERS) if len(employees) > len(LEADERS) else 1 :]
                if e.employment_type == "PNS"
            )
            staff_user = _user(staff.identifier, Role.STAFF)
            Employee.objects.filter(pk=staff.pk).update(user=staff_user)
            staff_logins.append((staff.identifier, f"{staff.name}, {staff.position}, {facility.name}"))
    log(
        f"  organisation: {RegionalOffice.objects.count()} Kanwil, {Facility.objects.count()} UPT, "
        f"{Employee.objects.count()} pegawai (admin: {pusat.username})"
    )
    return {"logins": logins, "staff_logins": staff_logins}
