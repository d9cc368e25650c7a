"""Scale data set, after facilities.scale: periods, ~one task force per UPT in every state, members, activities.

The rules satgas.actions enforces hold here too: members are active staff of
the task force's own UPT, one current Ketua (a PNS) and at most one
Sekretaris, at most SATGAS_MAX_MEMBERS, an appointed task force has its SK
(number, date, signer, the scanned file) and an inaugurated one its ceremony,
not before the SK; an ended one has every membership closed.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.files.storage import default_storage

from facilities.models import Employee
from facilities.scale import Scale, bulk, give_logins
from satgas.demo import PERIODS, _decree_pdf
from satgas.models import Activity, ElectionType, Inauguration, Membership, Period, TaskForce

# Share of UPTs per state; the ended ones belong to the previous period (its term is over).
STATES = [
    (TaskForce.State.DRAFT, 10),
    (TaskForce.State.APPOINTED, 20),
    (TaskForce.State.INAUGURATED, 62),
    (TaskForce.State.ENDED, 8),
]
TOPICS = {
    Activity.Kind.APEL: [
        "Apel sosialisasi netralitas ASN dan ikrar netralitas",
        "Apel pagi: penegasan larangan politik praktis bagi ASN dan PPNPN",
    ],
    Activity.Kind.EDUKASI: [
        "Edukasi larangan kampanye di media sosial bagi ASN dan PPNPN",
        "Pelatihan pengenalan bentuk pelanggaran netralitas (SKB 2022)",
        "Sosialisasi saluran pelaporan pelanggaran netralitas",
    ],
    Activity.Kind.MONITORING: [
        "Pemantauan persiapan TPS khusus di dalam UPT",
        "Pemantauan akun media sosial pegawai",
        "Pemantauan alat peraga kampanye di sekitar rumah dinas",
    ],
}
PLACES = ["Aula UPT", "Lapangan upacara", "Ruang rapat Kepala UPT", "Blok hunian dan lokasi TPS", "Daring (Zoom)"]


def current_period_dates(today: dt.date) -> tuple[str, dt.date, dt.date]:
    """The election period under way: named after the next Pemilu (every five years from 2024)."""
    year = today.year + 1
    while (year - 2024) % 5:
        year += 1
    return f"Pemilu {year}", today - dt.timedelta(days=150), dt.date(year, 10, 20)


def periods(scale: Scale) -> tuple[Period, Period]:
    name, start, end = current_period_dates(scale.today)
    rows = [(name, ElectionType.PEMILU, start, end), *PERIODS]
    made = bulk(Period, [Period(name=n, election_type=k, start_date=s, end_date=e) for n, k, s, e in rows])
    scale.extras["periods"] = made
    return made[0], next(p for p in made if p.name == "Pilkada 2024")


def _pick(scale: Scale, roster: list[Employee]) -> list[tuple[Employee, str]]:
    """Ketua and Sekretaris from the PNS after the head, the rest any staff; 3 to 12 people."""
    rng = scale.rng
    pns = [e for e in roster[1:] if e.employment_type == "PNS"]
    ketua = pns[0]
    members = [(ketua, Membership.Role.KETUA)]
    if len(pns) > 1:
        members.append((pns[1], Membership.Role.SEKRETARIS))
    taken = {e.pk for e, _role in members}
    others = [e for e in roster[1:] if e.pk not in taken]
    size = min(settings.SATGAS_MAX_MEMBERS, len(roster) - 1, rng.randint(7, 12))
    members += [(e, Membership.Role.ANGGOTA) for e in rng.sample(others, k=max(0, size - len(members)))]
    return members


def _decree_number(scale: Scale, facility, serial: int, day: dt.date) -> str:
    region = scale.region_codes[facility.regional_office_id]
    return f"W.{region}.PAS.PAS.{serial}-KP.05.02-{scale.rng.randint(1, 40):02d} Tahun {day.year}"


def build(scale: Scale) -> None:
    started = time.perf_counter()
    rng = scale.rng
    current, previous = periods(scale)
    # One stand-in scan shared by every SK (a real, parseable one-page PDF).
    scan = _decree_pdf("SK Satgas Netralitas (data skala)")
    decree_file = default_storage.save(TaskForce._meta.get_field("decree_file").generate_filename(None, "sk.pdf"), scan)

    states = [state for state, _w in STATES]
    weights = [w for _state, w in STATES]
    task_forces, rosters, plans = [], {}, {}
    latest_decree = scale.today - dt.timedelta(days=20)
    for serial, facility in enumerate(scale.facility_list, start=1):
        state = rng.choices(states, weights)[0]
        roster = scale.rosters[facility.pk]
        head = roster[0]
        period = previous if state == TaskForce.State.ENDED else current
        task_force = TaskForce(facility=facility, period=period, state=state)
        if state == TaskForce.State.DRAFT:
            first_day = max(current.start_date, latest_decree - dt.timedelta(days=30))
            task_force.created_at = scale.at(first_day)
            members = _pick(scale, roster) if rng.random() < 0.5 else []
            start = scale.today
        else:
            first_day = period.start_date + dt.timedelta(days=10)
            last_day = min(latest_decree, period.end_date - dt.timedelta(days=60))
            decree_date = first_day + dt.timedelta(days=rng.randint(0, max(0, (last_day - first_day).days)))
            task_force.decree_number = _decree_number(scale, facility, serial, decree_date)
            task_force.decree_date = decree_date
            task_force.decree_signer = head.name
            task_force.decree_file = decree_file
            task_force.created_at = scale.at(decree_date - dt.timedelta(days=rng.randint(3, 20)))
            task_force.appointed_at = scale.at(decree_date, 10)
            members = _pick(scale, roster)
            start = decree_date
        task_forces.append(task_force)
        rosters[facility.pk] = roster
        plans[facility.pk] = (members, start)

    # Pengukuhan: the Kanwil inaugurates its appointed task forces in a few (often online) ceremonies.
    inaugurations, ceremony_of = [], {}
    for region in scale.regions:
        waiting = [
            tf
            for tf in task_forces
            if tf.facility.regional_office_id == region.pk and tf.state in ("inaugurated", "ended")
        ]
        for period in {tf.period_id for tf in waiting}:
            group = sorted((tf for tf in waiting if tf.period_id == period), key=lambda tf: tf.decree_date)
            for start in range(0, len(group), 8):
                chunk = group[start : start + 8]
                day = min(chunk[-1].decree_date + dt.timedelta(days=rng.randint(3, 14)), scale.today)
                online = rng.random() < 0.6
                ceremony = Inauguration(
                    regional_office=region,
                    date=day,
                    place=f"Daring (Zoom), {region.name}" if online else f"Aula {region.name}",
                    official=region.head_name or "Kepala Kantor Wilayah",
                    recorded_by=scale.region_admins[region.pk],
                    created_at=scale.at(day, 14),
                )
                inaugurations.append(ceremony)
                for tf in chunk:
                    ceremony_of[id(tf)] = ceremony
    bulk(Inauguration, inaugurations)
    ended_on = previous.end_date
    for tf in task_forces:
        tf.inauguration = ceremony_of.get(id(tf))
        if tf.state == TaskForce.State.ENDED:
            tf.ended_at = scale.at(ended_on + dt.timedelta(days=1))
    bulk(TaskForce, task_forces)

    # Members; one in ten active task forces replaced an Anggota by an amending SK since.
    memberships, replaced = [], []
    for tf in task_forces:
        members, start = plans[tf.facility_id]
        ended = tf.state == TaskForce.State.ENDED
        for employee, role in members:
            membership = Membership(task_force=tf, employee=employee, role=role, start_date=start)
            if ended:
                membership.end_date = ended_on
                membership.end_reason = "Masa tugas Satgas berakhir"
            memberships.append(membership)
        chosen = {employee.pk for employee, _role in members}
        spare = [e for e in rosters[tf.facility_id][1:] if e.pk not in chosen]
        anggota = [m for m in memberships[-len(members) :] if m.role == Membership.Role.ANGGOTA] if members else []
        if tf.is_active and spare and anggota and rng.random() < 0.1 and (scale.today - start).days > 14:
            old = rng.choice(anggota)
            day = start + dt.timedelta(days=rng.randint(7, (scale.today - start).days - 1))
            old.end_date = day
            old.end_reason = rng.choice(["Mutasi ke UPT lain", "Tugas belajar", "Sakit berkepanjangan"])
            old.decree_reference = f"{tf.decree_number} (perubahan)"
            successor = Membership(
                task_force=tf,
                employee=rng.choice(spare),
                role=old.role,
                start_date=day,
                decree_reference=old.decree_reference,
            )
            replaced.append((old, successor))
    successors = bulk(Membership, [new for _old, new in replaced])
    for old, new in replaced:
        old.replaced_by = new
    bulk(Membership, memberships)
    active = [tf for tf in task_forces if tf.is_active]
    current = [m for m in memberships + successors if m.end_date is None and m.task_force.is_active]
    give_logins(scale, [m.employee for m in current])
    ketua_of = {m.task_force.facility_id: m.employee for m in current if m.role == Membership.Role.KETUA}
    for tf in task_forces:
        if tf.state == TaskForce.State.INAUGURATED:
            ketua = ketua_of[tf.facility_id]
            scale.add_login("satgas", ketua.identifier, f"Ketua Satgas {tf.facility.name} ({ketua.name})")
    scale.extras.update(
        task_forces=task_forces,
        ketua_of=ketua_of,
        # Who, if reported, keeps a case from the UPT's own task force (reports.access, at read time).
        active_members={(m.task_force.facility_id, m.employee.pk) for m in current},
    )

    # Activities of every task force that has worked (appointed, inaugurated, ended).
    activities, participants = [], []
    for tf in task_forces:
        if tf.state == TaskForce.State.DRAFT:
            continue
        roster = rosters[tf.facility_id]
        last = min(scale.today, tf.period.end_date) if tf.state != "ended" else ended_on
        recorder = ketua_of.get(tf.facility_id)
        recorded_by = scale.users_by_id.get(recorder.user_id) if recorder else None
        for _n in range(rng.randint(1, 5)):
            span = max(0, (last - tf.decree_date).days)
            day = tf.decree_date + dt.timedelta(days=rng.randint(0, span))
            kind = rng.choice(list(TOPICS))
            activity = Activity(
                task_force=tf,
                date=day,
                kind=kind,
                topic=rng.choice(TOPICS[kind]),
                place=rng.choice(PLACES),
                recorded_by=recorded_by or scale.head_users[tf.facility_id],
                created_at=scale.at(day, 16),
            )
            if kind == Activity.Kind.APEL:
                activity.participant_count = max(1, len(roster) - rng.randint(0, 10))
                chosen = []
            else:
                chosen = rng.sample(roster, k=min(len(roster), rng.randint(4, 15)))
            activities.append(activity)
            participants.append(chosen)
    bulk(Activity, activities)
    through = Activity.participants.through
    bulk(
        through,
        [
            through(activity_id=activity.pk, employee_id=employee.pk)
            for activity, chosen in zip(activities, participants, strict=True)
            for employee in chosen
        ],
    )
    by_state = {state: sum(1 for tf in task_forces if tf.state == state) for state in states}
    scale.counts.update(
        {
            "Satgas": len(task_forces),
            "anggota Satgas (aktif)": len(current),
            "pengukuhan": len(inaugurations),
            "kegiatan": len(activities),
        }
    )
    summary = ", ".join(f"{state} {count}" for state, count in by_state.items())
    scale.step(
        f"satgas: {len(task_forces)} Satgas ({summary}), {len(memberships) + len(successors)} keanggotaan "
        f"({len(active)} Satgas aktif), {len(inaugurations)} pengukuhan, {len(activities)} kegiatan",
        started,
    )
