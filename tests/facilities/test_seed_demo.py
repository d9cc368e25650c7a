"""`manage.py seed_demo`: idempotent, the README's logins, realistic rosters with valid identifiers."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from facilities.demo import DEMO_PASSWORD
from facilities.models import Employee, Facility, Placement, RegionalOffice

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def readme_logins() -> list[str]:
    """The logins in the README's "Demo logins" table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\|\s*`([^`]+)`\s*\|", section, flags=re.MULTILINE)


def counts() -> dict[str, int]:
    return {
        "regions": RegionalOffice.objects.count(),
        "facilities": Facility.objects.count(),
        "employees": Employee.objects.count(),
        "placements": Placement.objects.count(),
        "users": User.objects.count(),
    }


@pytest.fixture
def seeded(db):
    # pytest-django runs tests with DEBUG off, where seed_demo needs --force.
    call_command("seed_demo", force=True, stdout=io.StringIO())


def test_seed_demo_runs_twice_with_the_same_result(seeded):
    first = counts()
    identifiers = set(Employee.objects.values_list("identifier", flat=True))
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert counts() == first
    assert set(Employee.objects.values_list("identifier", flat=True)) == identifiers


def test_the_readme_lists_the_required_logins():
    logins = readme_logins()
    for username in ("pusat", "kanwil.jateng", "kanwil.sumsel", "kalapas.kembangkuning", "kalapas.kayuagung"):
        assert username in logins
    assert sum(1 for login in logins if login.isdigit()) >= 2


def test_every_login_in_the_readme_works_with_the_demo_password(seeded, client):
    for username in readme_logins():
        response = client.post("/akun/masuk/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert response.url == "/beranda/"
        assert client.get("/beranda/").status_code == 200, username
        client.post("/akun/keluar/")


def test_the_logins_have_their_roles_and_scopes(seeded):
    assert User.objects.get(username="pusat").is_national_admin
    jateng = User.objects.get(username="kanwil.jateng")
    assert (jateng.role, jateng.regional_office.province) == (Role.REGIONAL_ADMIN, "Jawa Tengah")
    sumsel = User.objects.get(username="kanwil.sumsel")
    assert (sumsel.role, sumsel.regional_office.province) == (Role.REGIONAL_ADMIN, "Sumatera Selatan")
    head = User.objects.get(username="kalapas.kembangkuning")
    assert (head.role, head.facility.name) == (Role.FACILITY_HEAD, "Lapas Kelas IIA Kembangkuning")
    head = User.objects.get(username="kalapas.kayuagung")
    assert (head.role, head.facility.name) == (Role.FACILITY_HEAD, "Lapas Kelas IIA Kayu Agung")


def test_the_staff_logins_in_the_readme_are_employees_of_the_two_lapas(seeded):
    staff = [login for login in readme_logins() if login.isdigit()]
    facilities = {Employee.objects.get(identifier=nip, user__username=nip).facility.name for nip in staff}
    assert facilities >= {"Lapas Kelas IIA Kembangkuning", "Lapas Kelas IIA Kayu Agung"}


def test_every_facility_has_a_staff_login(seeded):
    for facility in Facility.objects.all():
        assert facility.employees.filter(user__role=Role.STAFF).exists(), facility.name


@pytest.mark.parametrize(
    "province, name",
    [
        ("Jawa Tengah", "Lapas Kelas IIA Kembangkuning"),
        ("Sumatera Selatan", "Lapas Kelas IIA Kayu Agung"),
    ],
)
def test_the_two_lapas_have_40_plus_staff_of_each_kind(seeded, province, name):
    facility = Facility.objects.get(name=name)
    assert facility.regional_office.province == province
    assert facility.regional_office.name == f"Kanwil Ditjenpas {province}"
    staff = facility.employees.active()
    assert staff.count() >= 40
    kinds = set(staff.values_list("employment_type", flat=True))
    assert {"PNS", "PPPK", "PPNPN"} <= kinds
    assert facility.head is not None and facility.head.facility == facility


def test_there_are_at_least_two_regions_with_several_facilities(seeded):
    for province in ("Jawa Tengah", "Sumatera Selatan"):
        assert Facility.objects.filter(regional_office__province=province).count() >= 3


def test_kembangkuning_is_in_nusakambangan_cilacap(seeded):
    facility = Facility.objects.get(name="Lapas Kelas IIA Kembangkuning")
    assert "Nusakambangan" in facility.city and "Cilacap" in facility.city
    assert (facility.type, facility.facility_class) == (Facility.Type.LAPAS, Facility.Class.IIA)


def test_every_seeded_employee_passes_full_validation(seeded):
    for employee in Employee.objects.select_related("facility"):
        employee.full_clean()


def test_every_seeded_employee_has_one_current_placement_at_their_facility(seeded):
    for employee in Employee.objects.all():
        current = employee.placements.filter(end_date__isnull=True)
        assert [p.facility_id for p in current] == [employee.facility_id]


# --- Never in production by accident ---------------------------------------------------


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=0"):
        call_command("seed_demo", stdout=io.StringIO())
    assert set(counts().values()) == {0}


def test_seed_demo_runs_with_debug_off_when_forced(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert User.objects.get(username="pusat").check_password(DEMO_PASSWORD)


def test_seed_demo_runs_with_debug_on_as_make_run_does(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.filter(username="kalapas.kembangkuning").exists()


def test_manage_py_seed_demo_in_production_exits_non_zero_with_a_clear_message(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_", "DEBUG", "SECRET_KEY"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="production-" + "k" * 60,
        # An empty database: the command must stop before it touches one.
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DEBUG=0" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
