"""The national scale data set for `manage.py seed_scale`: organisation, rosters and logins.

38 Kanwil (one per province, real names and NIK province codes), about 700
UPT named after real regencies and cities, and the staff with valid NIP /
NI PPPK / NIK (checked with facilities.identifiers while they are made).
Rows go in with bulk_create in batches: no per-row save(), no audit events.
The other apps' scale.py modules build on the `Scale` made here, in
LOCAL_APPS order, reusing the objects kept on it instead of reading them back.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Role, User
from facilities import identifiers
from facilities.demo import DEGREES, DEMO_PASSWORD, FEMALE, LEADERS, MALE, MINISTRY, STAFF_POSITIONS, SURNAMES
from facilities.models import Employee, EmploymentType, Facility, Ministry, Placement, RegionalOffice

BATCH = 5000
NATIONAL_STAFF = 60_000
NATIONAL_FACILITIES = 700
# Sizes of the other apps' parts that the command's options need (facilities imports no domain app).
NATIONAL_REPORTS = 10_000
MIN_STAFF_PER_FACILITY = 6
LOGIN_SHARE = 0.65  # active staff with an account of their own (the rest sign on paper or not at all)

# Province | Kemendagri code | capital (the Kanwil's seat) first, then other regencies and cities.
PROVINCES_TEXT = """
Aceh|11|Banda Aceh, Lhokseumawe, Langsa, Sabang, Aceh Besar, Pidie, Bireuen, Aceh Utara, Aceh Timur, Aceh Tamiang, Takengon, Meulaboh, Nagan Raya, Tapaktuan, Singkil, Subulussalam, Blangkejeren, Bener Meriah, Simeulue
Sumatera Utara|12|Medan, Binjai, Tebing Tinggi, Pematangsiantar, Tanjungbalai, Sibolga, Padangsidimpuan, Gunungsitoli, Lubuk Pakam, Stabat, Sei Rampah, Kisaran, Rantauprapat, Kabanjahe, Sidikalang, Tarutung, Pandan, Panyabungan, Balige, Lima Puluh, Pangururan, Dolok Sanggul, Salak, Labuhan Ruku, Hinai, Tanjung Gusta
Sumatera Barat|13|Padang, Bukittinggi, Payakumbuh, Padang Panjang, Solok, Sawahlunto, Pariaman, Lubuk Basung, Batusangkar, Lubuk Sikaping, Simpang Ampek, Painan, Muaro Sijunjung, Pulau Punjung, Tuapejat, Muaro
Riau|14|Pekanbaru, Dumai, Bengkalis, Bangkinang, Pasir Pangaraian, Bagansiapiapi, Siak Sri Indrapura, Pangkalan Kerinci, Rengat, Tembilahan, Teluk Kuantan, Selatpanjang
Jambi|15|Jambi, Sungai Penuh, Sengeti, Muara Bulian, Muara Tebo, Muara Bungo, Bangko, Sarolangun, Siulak, Kuala Tungkal, Muara Sabak
Sumatera Selatan|16|Palembang, Prabumulih, Lubuklinggau, Pagar Alam, Kayu Agung, Baturaja, Indralaya, Muara Enim, Lahat, Muara Beliti, Sekayu, Pangkalan Balai, Tebing Tinggi Empat Lawang, Talang Ubi, Rupit, Martapura OKU, Muaradua
Bengkulu|17|Bengkulu, Curup, Arga Makmur, Manna, Kepahiang, Mukomuko, Bintuhan, Tais, Tubei
Lampung|18|Bandar Lampung, Metro, Kalianda, Gunung Sugih, Kotabumi, Sukadana, Liwa, Kota Agung, Blambangan Umpu, Menggala, Gedong Tataan, Pringsewu, Mesuji, Krui
Kepulauan Bangka Belitung|19|Pangkalpinang, Sungailiat, Muntok, Koba, Toboali, Tanjung Pandan, Manggar
Kepulauan Riau|21|Tanjungpinang, Batam, Bintan, Tanjung Balai Karimun, Daik Lingga, Ranai, Tarempa
DKI Jakarta|31|Jakarta Timur, Jakarta Pusat, Jakarta Selatan, Jakarta Barat, Jakarta Utara, Cipinang, Salemba, Pondok Bambu
Jawa Barat|32|Bandung, Bekasi, Bogor, Depok, Cimahi, Cirebon, Sukabumi, Tasikmalaya, Banjar, Garut, Cianjur, Karawang, Purwakarta, Subang, Sumedang, Indramayu, Majalengka, Kuningan, Ciamis, Pangandaran, Cibinong, Gunung Sindur, Sukamiskin, Cikarang, Soreang, Ngamprah, Jelekong, Warungkiara
Jawa Tengah|33|Semarang, Surakarta, Magelang, Salatiga, Pekalongan, Tegal, Cilacap, Purwokerto, Purbalingga, Banjarnegara, Kebumen, Purworejo, Wonosobo, Boyolali, Klaten, Sukoharjo, Wonogiri, Karanganyar, Sragen, Purwodadi, Blora, Rembang, Pati, Kudus, Jepara, Demak, Kendal, Batang, Pemalang, Brebes, Temanggung, Ambarawa, Kutoarjo
DI Yogyakarta|34|Yogyakarta, Sleman, Bantul, Wonosari, Wates, Pakem
Jawa Timur|35|Surabaya, Malang, Kediri, Blitar, Madiun, Mojokerto, Pasuruan, Probolinggo, Batu, Sidoarjo, Gresik, Lamongan, Tuban, Bojonegoro, Ngawi, Magetan, Ponorogo, Pacitan, Trenggalek, Tulungagung, Nganjuk, Jombang, Lumajang, Jember, Bondowoso, Situbondo, Banyuwangi, Bangkalan, Sampang, Pamekasan, Sumenep, Porong, Lowokwaru, Kraksaan
Banten|36|Serang, Tangerang, Cilegon, Tangerang Selatan, Pandeglang, Rangkasbitung, Tigaraksa
Bali|51|Denpasar, Kerobokan, Gianyar, Tabanan, Amlapura, Bangli, Semarapura, Singaraja, Negara
Nusa Tenggara Barat|52|Mataram, Bima, Gerung, Praya, Selong, Sumbawa Besar, Taliwang, Dompu, Tanjung
Nusa Tenggara Timur|53|Kupang, Atambua, Soe, Kefamenanu, Ende, Maumere, Ruteng, Bajawa, Waingapu, Waikabubak, Kalabahi, Larantuka, Labuan Bajo, Ba'a, Lewoleba
Kalimantan Barat|61|Pontianak, Singkawang, Ketapang, Sanggau, Sintang, Putussibau, Mempawah, Sambas, Bengkayang, Ngabang, Sekadau, Nanga Pinoh, Sukadana, Sungai Raya
Kalimantan Tengah|62|Palangka Raya, Sampit, Pangkalan Bun, Kuala Kapuas, Muara Teweh, Buntok, Kuala Kurun, Kasongan, Tamiang Layang, Nanga Bulik, Sukamara, Pulang Pisau, Puruk Cahu, Kuala Pembuang
Kalimantan Selatan|63|Banjarmasin, Banjarbaru, Martapura, Kotabaru, Barabai, Kandangan, Amuntai, Tanjung Tabalong, Rantau, Pelaihari, Marabahan, Batulicin, Paringin
Kalimantan Timur|64|Samarinda, Balikpapan, Bontang, Tenggarong, Tanah Grogot, Sangatta, Tanjung Redeb, Sendawar, Penajam
Kalimantan Utara|65|Tanjung Selor, Tarakan, Nunukan, Malinau, Tideng Pale
Sulawesi Utara|71|Manado, Bitung, Tomohon, Kotamobagu, Tondano, Amurang, Airmadidi, Tahuna, Melonguane, Boroko
Sulawesi Tengah|72|Palu, Poso, Luwuk, Tolitoli, Donggala, Parigi, Ampana, Buol, Kolonedale, Bungku, Banggai
Sulawesi Selatan|73|Makassar, Parepare, Palopo, Maros, Sungguminasa, Takalar, Jeneponto, Bantaeng, Bulukumba, Sinjai, Watampone, Watansoppeng, Sengkang, Sidenreng, Pinrang, Enrekang, Barru, Pangkajene, Belopa, Masamba, Malili, Makale, Rantepao, Benteng Selayar
Sulawesi Tenggara|74|Kendari, Baubau, Raha, Kolaka, Unaaha, Andoolo, Wangi-Wangi, Pasarwajo, Lasusua, Rumbia
Gorontalo|75|Gorontalo, Limboto, Marisa, Tilamuta, Suwawa, Kwandang
Sulawesi Barat|76|Mamuju, Polewali, Majene, Mamasa, Pasangkayu
Maluku|81|Ambon, Tual, Masohi, Saumlaki, Dobo, Namlea, Piru, Langgur, Bula
Maluku Utara|82|Ternate, Tidore, Sofifi, Tobelo, Labuha, Sanana, Weda, Jailolo, Maba
Papua|91|Jayapura, Biak, Serui, Sarmi, Sentani, Waropen
Papua Barat|92|Manokwari, Fakfak, Kaimana, Bintuni, Wasior
Papua Selatan|93|Merauke, Tanah Merah, Kepi, Agats
Papua Tengah|94|Nabire, Timika, Enarotali, Mulia
Papua Pegunungan|95|Wamena, Oksibil, Tiom, Karubaga
Papua Barat Daya|96|Sorong, Teminabuan, Waisai, Aimas
"""


def provinces() -> list[tuple[str, int, list[str]]]:
    rows = []
    for line in PROVINCES_TEXT.strip().splitlines():
        name, code, cities = line.split("|")
        rows.append((name, int(code), [city.strip() for city in cities.split(",")]))
    return rows


# (type, class, name prefix, head's title, typical active staff)
CAPITAL_BIG = [
    ("LAPAS", "I", "Lapas Kelas I", "Kepala Lapas", 300),
    ("RUTAN", "I", "Rutan Kelas I", "Kepala Rutan", 220),
    ("BAPAS", "I", "Bapas Kelas I", "Kepala Bapas", 70),
    ("LPKA", "I", "LPKA Kelas I", "Kepala LPKA", 90),
    ("LPP", "IIA", "Lapas Perempuan Kelas IIA", "Kepala Lapas", 110),
    ("LAPAS_NARKOTIKA", "IIA", "Lapas Narkotika Kelas IIA", "Kepala Lapas", 170),
]
CAPITAL_SMALL = [
    ("LAPAS", "IIA", "Lapas Kelas IIA", "Kepala Lapas", 180),
    ("RUTAN", "IIA", "Rutan Kelas IIA", "Kepala Rutan", 140),
    ("BAPAS", "II", "Bapas Kelas II", "Kepala Bapas", 40),
    ("LPKA", "II", "LPKA Kelas II", "Kepala LPKA", 60),
    ("LPP", "III", "Lapas Perempuan Kelas III", "Kepala Lapas", 60),
]
LAPAS_IIB = ("LAPAS", "IIB", "Lapas Kelas IIB", "Kepala Lapas", 110)
LAPAS_IIA = ("LAPAS", "IIA", "Lapas Kelas IIA", "Kepala Lapas", 180)
RUTAN_IIB = ("RUTAN", "IIB", "Rutan Kelas IIB", "Kepala Rutan", 80)
BAPAS_II = ("BAPAS", "II", "Bapas Kelas II", "Kepala Bapas", 40)
# A branch of a Rutan has no class of its own; it is filed as the lowest one.
CABANG_RUTAN = ("RUTAN", "III", "Cabang Rutan", "Kepala Cabang Rutan", 30)
STREETS = ["Jl. Pemuda", "Jl. Sudirman", "Jl. Diponegoro", "Jl. Veteran", "Jl. Pahlawan", "Jl. Merdeka", "Jl. Lapas"]


def facility_plan(cities: list[str]) -> list[tuple[str, tuple]]:
    """A province's UPTs in the order a smaller data set keeps them: the capital's first, then one per town."""
    capital, towns = cities[0], cities[1:]
    big = len(cities) >= 12
    capital_kinds = CAPITAL_BIG if big else CAPITAL_SMALL
    plan = [(capital, capital_kinds[0]), (capital, capital_kinds[1])]
    plan += [(town, LAPAS_IIB if i % 3 != 1 else RUTAN_IIB) for i, town in enumerate(towns)]
    plan += [(capital, kind) for kind in capital_kinds[2:]]
    plan += [(town, RUTAN_IIB if i % 3 != 1 else LAPAS_IIA) for i, town in enumerate(towns)]
    plan += [(town, BAPAS_II) for town in towns[::4]]
    plan += [(town, CABANG_RUTAN) for town in towns]
    return plan


@dataclass
class Scale:
    """Sizes, the seeded generator and what each app's builder made, for the next one."""

    staff: int
    facilities: int
    reports: int
    past_campaigns: int = 0
    seed: int = 13
    log: Callable[[str], None] = print
    rng: random.Random = field(init=False)
    now: dt.datetime = field(init=False)
    today: dt.date = field(init=False)
    password: str = field(init=False)
    national_admin: User | None = None
    regions: list[RegionalOffice] = field(default_factory=list)
    region_admins: dict[int, User] = field(default_factory=dict)
    region_codes: dict[int, int] = field(default_factory=dict)
    facility_list: list[Facility] = field(default_factory=list)
    rosters: dict[int, list[Employee]] = field(default_factory=dict)  # active staff, head first
    head_users: dict[int, User] = field(default_factory=dict)
    users_by_id: dict[int, User] = field(default_factory=dict)
    appointed_on: dict[int, dt.date] = field(default_factory=dict)  # employee pk → first day in the service
    logins: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    extras: dict[str, object] = field(default_factory=dict)  # handed from one app's builder to the next
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"netralitas:scale:{self.seed}")
        self.now = timezone.now()
        self.today = timezone.localdate()
        # Hashed once: the hasher is deliberately slow, and every login shares the known demo password.
        self.password = make_password(DEMO_PASSWORD)

    def at(self, day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def step(self, label: str, started: float) -> None:
        self.log(f"  {label} ({time.perf_counter() - started:.1f} s)")

    def add_login(self, kind: str, username: str, who: str) -> None:
        self.logins.setdefault(kind, []).append((username, who))


def bulk(model, objects: Iterable, batch: int = BATCH) -> list:
    """bulk_create in batches; PostgreSQL hands the primary keys back onto the objects."""
    objects = list(objects)
    for start in range(0, len(objects), batch):
        model.objects.bulk_create(objects[start : start + batch], batch_size=batch)
    return objects


def give_logins(scale: Scale, employees: Iterable[Employee]) -> list[User]:
    """A staff login (username = identifier, the demo password) for each employee without one."""
    employees = [e for e in employees if e.user_id is None]
    users = bulk(User, [User(username=e.identifier, role=Role.STAFF, password=scale.password) for e in employees])
    for employee, user in zip(employees, users, strict=True):
        employee.user_id = user.pk
        scale.users_by_id[user.pk] = user
    ids = [e.pk for e in employees]
    for start in range(0, len(ids), BATCH):
        # One UPDATE per batch; each employee finds its new login by its identifier.
        Employee.objects.filter(pk__in=ids[start : start + BATCH]).update(
            user_id=Subquery(User.objects.filter(username=OuterRef("identifier")).values("pk")[:1])
        )
    return users


# --- identifiers ----------------------------------------------------------------


def _birth(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    return dt.date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


class Identifiers:
    """Valid, unique NIP / NI PPPK / NIK: generated to the rules, then checked by the validators."""

    def __init__(self, rng: random.Random, today: dt.date):
        self.rng = rng
        self.today = today
        self.taken: set[str] = set()

    def _unique(self, make: Callable[[int], str], validate: Callable[[str], str]) -> str:
        for _attempt in range(50):
            value = make(self.rng.randint(1, 999))
            if value not in self.taken:
                validate(value)
                self.taken.add(value)
                return value
        raise RuntimeError("no free identifier after 50 attempts")

    def nip(self, birth: dt.date, female: bool, *, recent: bool = False) -> tuple[str, dt.date]:
        """NIP and the TMT CPNS it encodes (a CPNS was appointed within the last year)."""
        this_year = self.today.year
        if recent:
            tmt = max(dt.date(this_year - 1, self.rng.randint(1, 12), 1), dt.date(birth.year + 19, 1, 1))
            tmt = min(tmt, self.today.replace(day=1))
        else:
            year = min(birth.year + self.rng.randint(20, 32), this_year - 2)
            tmt = dt.date(year, self.rng.randint(1, 12), 1)
        gender = 2 if female else 1
        value = self._unique(lambda s: f"{birth:%Y%m%d}{tmt:%Y%m}{gender}{s:03d}", identifiers.validate_nip)
        return value, tmt

    def ni_pppk(self, birth: dt.date, female: bool) -> tuple[str, dt.date]:
        year = self.rng.randint(max(2019, birth.year + 18), self.today.year - 1)
        agreements = self.rng.choice([1, 1, 1, 2])
        gender = 2 if female else 1
        value = self._unique(
            lambda s: f"{birth:%Y%m%d}{year}{agreements:02d}{gender}{s:03d}", identifiers.validate_ni_pppk
        )
        return value, dt.date(year, self.rng.choice([1, 4, 7]), 1)

    def nik(self, province_code: int, birth: dt.date, female: bool) -> tuple[str, dt.date]:
        day = birth.day + (40 if female else 0)
        regency, district = self.rng.randint(1, 20), self.rng.randint(1, 30)
        value = self._unique(
            lambda s: f"{province_code}{regency:02d}{district:02d}{day:02d}{birth:%m%y}{s:04d}",
            identifiers.validate_nik,
        )
        start = max(dt.date(birth.year + 18, 7, 1), dt.date(self.today.year - self.rng.randint(1, 15), 1, 2))
        return value, min(start, self.today - dt.timedelta(days=30))


# --- people ------------------------------------------------------------------------

TYPE_MIX = [
    (EmploymentType.PNS, 70),
    (EmploymentType.CPNS, 4),
    (EmploymentType.PPPK, 13),
    (EmploymentType.PPPK_PW, 3),
    (EmploymentType.PPNPN, 10),
]
POSITIONS = {
    kind: [(ranks, position) for k, ranks, position in STAFF_POSITIONS if k == kind] for kind in ("PNS", "CPNS", "PPPK")
}
POSITIONS["PPPK_PW"] = POSITIONS["PPPK"]
POSITIONS["PPNPN"] = [([""], position) for k, _ranks, position in STAFF_POSITIONS if k == "PPNPN"]


def _name(rng: random.Random, female: bool, kind: str) -> str:
    first = rng.choice(FEMALE if female else MALE)
    middle = f" {rng.choice(FEMALE if female else MALE)}" if rng.random() < 0.3 else ""
    degree = rng.choice(DEGREES) if kind != "PPNPN" else ""
    return f"{first}{middle} {rng.choice(SURNAMES)}{degree}"


def _employee(scale: Scale, ids: Identifiers, facility: Facility, code: int, plan: tuple) -> tuple[Employee, dt.date]:
    kind, rank, position, oldest, youngest = plan
    rng = scale.rng
    female = rng.random() < 0.35
    if kind == "CPNS":
        birth = _birth(rng, max(oldest, scale.today.year - 35), scale.today.year - 21)
        identifier, start = ids.nip(birth, female, recent=True)
    elif kind == "PNS":
        birth = _birth(rng, oldest, min(youngest, scale.today.year - 24))
        identifier, start = ids.nip(birth, female)
    elif kind in ("PPPK", "PPPK_PW"):
        birth = _birth(rng, max(oldest, 1970), scale.today.year - 22)
        identifier, start = ids.ni_pppk(birth, female)
    else:
        birth = _birth(rng, max(oldest, 1970), scale.today.year - 20)
        identifier, start = ids.nik(code, birth, female)
    employee = Employee(
        name=_name(rng, female, kind),
        employment_type=kind,
        identifier=identifier,
        rank=rank,
        position=position,
        facility=facility,
    )
    return employee, start


def _plans(rng: random.Random, size: int, head_title: str, today: dt.date) -> list[tuple]:
    """(type, rank, position, oldest birth year, youngest birth year) for each post, the head first."""
    leaders = max(2, min(len(LEADERS), size // 12))
    plans = [("PNS", "IV/a" if size >= 100 else "III/d", head_title, 1966, 1978)]
    plans += [("PNS", rank, position, 1967, 1986) for _kind, rank, position in LEADERS[1:leaders]]
    kinds = [kind for kind, _weight in TYPE_MIX]
    weights = [weight for _kind, weight in TYPE_MIX]
    while len(plans) < size:
        kind = rng.choices(kinds, weights)[0]
        ranks, position = rng.choice(POSITIONS[kind])
        plans.append((str(kind), rng.choice(ranks), position, 1967, today.year - 22))
    return plans


def _share(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split `total` by `weights` (largest remainder), each part at least `minimum`."""
    parts = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    whole = sum(weights)
    raw = [rest * w / whole for w in weights]
    parts = [p + int(r) for p, r in zip(parts, raw, strict=True)]
    order = sorted(range(len(weights)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


# --- the builder ---------------------------------------------------------------------


def _organisation(scale: Scale) -> list[tuple[Facility, str, int]]:
    rng = scale.rng
    ministry = Ministry.objects.create(**MINISTRY)
    rows = provinces()
    regions = bulk(
        RegionalOffice,
        [
            RegionalOffice(
                ministry=ministry,
                province=name,
                name=f"Kanwil Ditjenpas {name}",
                city=cities[0],
                address=f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}, {cities[0]}",
                head_name=f"{_name(rng, rng.random() < 0.2, 'PNS')}",
            )
            for name, _code, cities in rows
        ],
    )
    scale.regions = regions
    counts = _share(scale.facilities, [len(cities) for _name_, _code, cities in rows], 1)
    facilities, planned, names = [], [], set()
    for region, (_province, code, cities), count in zip(regions, rows, counts, strict=True):
        scale.region_codes[region.pk] = code
        for city, (kind, klass, prefix, head_title, typical) in facility_plan(cities):
            if count == 0:
                break
            name = f"{prefix} {city}"
            if name in names:
                continue
            names.add(name)
            count -= 1
            facility = Facility(
                regional_office=region,
                name=name,
                type=kind,
                facility_class=klass,
                city=city,
                address=f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}, {city}",
            )
            facilities.append(facility)
            planned.append((facility, head_title, code, typical * rng.uniform(0.8, 1.2)))
        if count:
            raise ValueError(f"{region.province}: {count} more UPT than the plan has names for")
    bulk(Facility, facilities)
    scale.facility_list = facilities
    sizes = _share(scale.staff, [p[3] for p in planned], MIN_STAFF_PER_FACILITY)
    return [(facility, title, code, size) for (facility, title, code, _w), size in zip(planned, sizes, strict=True)]


def _admins(scale: Scale) -> None:
    national = User(username="pusat", role=Role.NATIONAL_ADMIN, is_staff=True, first_name="Admin", last_name="Pusat")
    admins = [
        User(
            username=f"kanwil.{slugify(region.province)}",
            role=Role.REGIONAL_ADMIN,
            regional_office=region,
            first_name="Admin",
            last_name=region.name,
        )
        for region in scale.regions
    ]
    for user in [national, *admins]:
        user.password = scale.password
    bulk(User, [national, *admins])
    scale.national_admin = national
    scale.add_login("admin", national.username, "Admin Pusat (nasional)")
    for region, admin in zip(scale.regions, admins, strict=True):
        scale.region_admins[region.pk] = admin
        scale.add_login("admin", admin.username, f"Admin {region.name}")


def build(scale: Scale) -> None:
    started = time.perf_counter()
    planned = _organisation(scale)
    _admins(scale)
    scale.step(f"organisation: {len(scale.regions)} Kanwil, {len(scale.facility_list)} UPT", started)

    started = time.perf_counter()
    rng = scale.rng
    ids = Identifiers(rng, scale.today)
    employees, starts, inactive = [], [], []
    heads: list[tuple[Facility, Employee]] = []
    for facility, head_title, code, size in planned:
        roster = []
        for index, plan in enumerate(_plans(rng, size, head_title, scale.today)):
            employee, start = _employee(scale, ids, facility, code, plan)
            roster.append(employee)
            employees.append(employee)
            starts.append(start)
            if index == 0:
                heads.append((facility, employee))
        # A few retired or dismissed staff stay on the roster, inactive, without a login.
        for employee in rng.sample(roster[3:], k=len(roster[3:]) // 70):
            employee.is_active = False
            inactive.append(employee)
        scale.rosters[facility.pk] = [e for e in roster if e.is_active]

    # Logins: every head (a facility_head account), one named staff login per UPT, and most others.
    head_users = [
        User(username=f"kepala.{slugify(facility.name)}", role=Role.FACILITY_HEAD, facility=facility)
        for facility, _employee in heads
    ]
    staff_users = {}
    for facility in scale.facility_list:
        roster = scale.rosters[facility.pk]
        # The named login is an ordinary member of staff: the last PNS on the roster, not a leader.
        named = next((e for e in reversed(roster[1:]) if e.employment_type == "PNS"), roster[-1])
        for employee in roster[1:]:
            if employee is named or rng.random() < LOGIN_SHARE:
                staff_users[employee.identifier] = User(username=employee.identifier, role=Role.STAFF)
        scale.add_login("staff", named.identifier, f"{named.name}, {named.position}, {facility.name}")
    users = head_users + list(staff_users.values())
    for user in users:
        user.password = scale.password
    bulk(User, users)
    for user in users:
        scale.users_by_id[user.pk] = user
    for (facility, employee), user in zip(heads, head_users, strict=True):
        employee.user_id = user.pk
        scale.head_users[facility.pk] = user
        scale.add_login("head", user.username, f"Kepala {facility.name} ({employee.name})")
    for employee in employees:
        user = staff_users.get(employee.identifier)
        if user is not None:
            employee.user_id = user.pk
    bulk(Employee, employees)
    for facility, employee in heads:
        facility.head = employee
    Facility.objects.bulk_update([f for f, _e in heads], ["head"], batch_size=1000)

    # Placements: the current one since the TMT; one in eight moved here from another UPT of the region.
    by_region: dict[int, list[Facility]] = {}
    for facility in scale.facility_list:
        by_region.setdefault(facility.regional_office_id, []).append(facility)
    placements = []
    for employee, start in zip(employees, starts, strict=True):
        scale.appointed_on[employee.pk] = start
        here = start
        siblings = by_region[employee.facility.regional_office_id]
        if len(siblings) > 1 and rng.random() < 0.125 and (scale.today - start).days > 3 * 365:
            before = rng.choice([f for f in siblings if f.pk != employee.facility_id])
            here = start + dt.timedelta(days=rng.randint(730, (scale.today - start).days - 60))
            placements.append(
                Placement(
                    employee=employee,
                    facility=before,
                    start_date=start,
                    end_date=here - dt.timedelta(days=1),
                    note="Mutasi",
                )
            )
        placements.append(Placement(employee=employee, facility=employee.facility, start_date=here, note="Data awal"))
    bulk(Placement, placements)
    scale.counts.update(
        {
            "Kanwil": len(scale.regions),
            "UPT": len(scale.facility_list),
            "pegawai": len(employees),
            "pegawai nonaktif": len(inactive),
            "penempatan": len(placements),
        }
    )
    kinds = {kind: sum(1 for e in employees if e.employment_type == kind) for kind, _w in TYPE_MIX}
    mix = ", ".join(f"{kind} {count}" for kind, count in kinds.items())
    scale.step(f"staff: {len(employees)} ({mix}), {len(users) + len(scale.regions) + 1} logins", started)
