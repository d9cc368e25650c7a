"""`manage.py seed_scale` at a tiny size: counts, valid identifiers, the domain rules, refusals, working logins."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Min
from django.utils import timezone

from accounts.models import Role, User
from facilities.demo import DEMO_PASSWORD
from facilities.models import IDENTIFIER_RULES, Employee, Facility, Placement, RegionalOffice
from facilities.scale import provinces
from pledges.models import Campaign, Signature
from reports import access as report_access
from reports.models import TRANSITIONS, Report, State
from satgas.models import Membership, Period, TaskForce
from tests import factories

SIZE = ["--staff", "300", "--reports", "120"]


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", *SIZE, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True  # a development database: no --force needed
    return seed()


def test_it_builds_the_national_shape_at_the_size_asked(seeded):
    assert sorted(RegionalOffice.objects.values_list("province", flat=True)) == sorted(p for p, _c, _t in provinces())
    assert RegionalOffice.objects.count() == 38
    assert Facility.objects.count() == 38  # one UPT per Kanwil at this size
    assert Employee.objects.count() == 300
    kinds = Counter(Employee.objects.values_list("employment_type", flat=True))
    assert kinds["PNS"] > 150 and kinds["PPPK"] > 0 and kinds["PPNPN"] > 0
    assert TaskForce.objects.count() == Facility.objects.count()
    assert set(TaskForce.objects.values_list("state", flat=True)) == set(TaskForce.State.values)
    campaign = Campaign.objects.get()
    assert campaign.is_open() and campaign.scope == Campaign.Scope.ALL
    active = Employee.objects.filter(is_active=True).count()
    signed = Signature.objects.filter(campaign=campaign).count()
    assert 0.75 * active < signed < 0.95 * active
    assert set(Signature.objects.values_list("method", flat=True)) == {"online", "paper"}
    assert Report.objects.count() == 120
    assert set(Report.objects.values_list("state", flat=True)) == set(State.values)
    assert "Scale data ready" in seeded


def test_every_employee_passes_full_validation_and_has_one_current_placement(seeded):
    for employee in Employee.objects.select_related("facility"):
        employee.full_clean()
        IDENTIFIER_RULES[employee.employment_type][1](employee.identifier)
    current = Counter(Placement.objects.filter(end_date__isnull=True).values_list("employee_id", "facility_id"))
    assert set(current) == set(Employee.objects.values_list("pk", "facility_id"))
    for placement in Placement.objects.filter(end_date__isnull=False):
        placement.full_clean()
    for facility in Facility.objects.select_related("head"):
        facility.full_clean()
        assert facility.head.facility_id == facility.pk


def test_task_forces_follow_the_appointment_rules(seeded):
    for task_force in TaskForce.objects.select_related("facility", "inauguration", "period"):
        task_force.full_clean()
        current = list(task_force.memberships.current().select_related("employee", "task_force__facility"))
        for membership in task_force.memberships.all():
            membership.full_clean()
        if task_force.is_active:
            task_force.check_roster([(m.employee, m.role) for m in current])
            assert task_force.decree_file and task_force.decree_number and task_force.decree_date
        if task_force.state == TaskForce.State.INAUGURATED:
            assert task_force.inauguration.date >= task_force.decree_date
            assert task_force.inauguration.regional_office_id == task_force.facility.regional_office_id
        if task_force.state == TaskForce.State.ENDED:
            assert not current and task_force.ended_at
        if task_force.state != TaskForce.State.ENDED:
            assert task_force.period == Period.default()
    for membership in Membership.objects.filter(end_date__isnull=False, replaced_by__isnull=False):
        assert (
            membership.replaced_by.role == membership.role and membership.replaced_by.start_date == membership.end_date
        )
    for activity in TaskForce.objects.first().activities.all():
        assert all(p.facility_id == activity.task_force.facility_id for p in activity.participants.all())


def test_signatures_carry_what_signing_computes(seeded):
    signatures = Signature.objects.select_related("employee__facility", "text", "paper_batch", "recorded_by")
    for signature in signatures:
        employee = signature.employee
        assert signature.fingerprint == signature.compute_fingerprint()
        assert (signature.signer_name, signature.signer_identifier, signature.facility_id) == (
            employee.name,
            employee.identifier,
            employee.facility_id,
        )
        assert signature.signer_rank == employee.rank_display
        assert signature.signer_identifier_label == employee.identifier_label
        assert employee.is_active
        if signature.method == "online":
            assert employee.user is not None and signature.recorded_by == employee.user
        else:
            assert signature.paper_batch.facility_id == signature.facility_id
            assert timezone.localtime(signature.signed_at).date() == signature.paper_batch.signed_on
    assert len({s.verification_code for s in signatures}) == len(signatures)


def test_reports_follow_their_transitions_and_routing(seeded):
    for report in Report.objects.select_related("facility", "reported_employee"):
        report.full_clean()
        steps = list(report.events.order_by("created_at", "id"))
        assert steps[0].to_state == State.RECEIVED and steps[-1].to_state == report.state
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_state == before.to_state and after.to_state in TRANSITIONS[before.to_state]
        assert (report.acknowledged_at is None) == (len(steps) == 1)
        # Whoever handled a step may open the case now: no task force member handled one the rule keeps
        # from the task force.
        for actor in {step.actor for step in steps if step.actor is not None}:
            assert report_access.visible_reports(actor).filter(pk=report.pk).exists()


def test_the_logins_of_every_role_exist(seeded):
    assert User.objects.get(username="pusat").is_national_admin
    regional = User.objects.filter(role=Role.REGIONAL_ADMIN)
    assert regional.count() == 38 and not regional.filter(regional_office__isnull=True).exists()
    for facility in Facility.objects.select_related("head__user"):
        assert facility.head.user.role == Role.FACILITY_HEAD and facility.head.user.facility_id == facility.pk
    for membership in Membership.objects.current().filter(task_force__state__in=["appointed", "inaugurated"]):
        assert membership.employee.user is not None
    staff = User.objects.filter(role=Role.STAFF)
    assert staff.count() > 100
    assert all(u.username == u.employee.identifier for u in staff.select_related("employee"))


def test_the_national_admins_pages_answer_200(seeded, client):
    response = client.post("/akun/masuk/", {"username": "pusat", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == "/beranda/"
    campaign = Campaign.objects.get()
    facility = Facility.objects.order_by("pk").first()
    region = facility.regional_office
    task_force = TaskForce.objects.filter(state="inaugurated").first()
    pages = [
        "/beranda/",
        "/upt/",
        f"/upt/{facility.pk}/",
        f"/upt/{facility.pk}/pegawai/ekspor.xlsx",
        f"/upt/pegawai/{facility.head_id}/",
        "/satgas/",
        "/satgas/wilayah/",
        f"/satgas/{task_force.pk}/",
        "/pakta/",
        f"/pakta/kampanye/{campaign.pk}/",
        f"/pakta/kampanye/{campaign.pk}/kanwil/{region.pk}/",
        f"/pakta/kampanye/{campaign.pk}/upt/{facility.pk}/",
        f"/pakta/kampanye/{campaign.pk}/upt/{facility.pk}/ekspor.xlsx",
        f"/pakta/tanda-tangan/{Signature.objects.first().pk}/",
        "/laporan/",
        f"/laporan/{Report.objects.first().pk}/",
        "/upt/rekap/",
        "/upt/rekap.xlsx",
        "/upt/rekap.pdf",
        "/laporan/ekspor.xlsx",
        "/laporan/rekap.xlsx",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_past_campaigns_are_closed_and_signed_by_staff_already_in_service(db, settings):
    settings.DEBUG = True
    seed("--past-campaigns", "2")
    current = Campaign.objects.get(opens_at__lte=timezone.now(), closes_at__gt=timezone.now())
    past = Campaign.objects.exclude(pk=current.pk)
    assert past.count() == 2 and not any(c.is_open() for c in past)
    assert {c.period.name for c in past} == {"Pilkada 2024", "Pemilu 2024"}
    for campaign in past:
        signatures = Signature.objects.filter(campaign=campaign)
        assert signatures.count() > 200
        first_day = signatures.annotate(first=Min("employee__placements__start_date"))
        assert not first_day.filter(first__gte=timezone.localtime(campaign.opens_at).date()).exists()


def test_it_refuses_a_database_that_holds_data(db, settings):
    settings.DEBUG = True
    factories.FacilityFactory(name="Lapas Kelas IIA Yang Sudah Ada")
    with pytest.raises(CommandError, match="already holds data"):
        seed()
    assert Employee.objects.count() == 0 and Facility.objects.count() == 1


def test_it_refuses_debug_0_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=0"):
        seed()
    assert not Facility.objects.exists()
    seed("--force")
    assert Facility.objects.count() == 38


def test_force_empties_the_database_first(transactional_db, settings):
    # Committed rows, as in a real run: flush (TRUNCATE) refuses rows with FK checks pending in a transaction.
    settings.DEBUG = True
    factories.FacilityFactory(name="Lapas Kelas IIA Yang Sudah Ada")
    out = seed("--force")
    assert "Emptying" in out
    assert not Facility.objects.filter(name="Lapas Kelas IIA Yang Sudah Ada").exists()
    assert Facility.objects.count() == 38 and Employee.objects.count() == 300


def test_the_same_seed_on_the_same_day_gives_the_same_data(transactional_db, settings, monkeypatch):
    settings.DEBUG = True
    today = timezone.localdate()

    def run(hour: int) -> tuple:
        moment = timezone.make_aware(dt.datetime.combine(today, dt.time(hour)))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        call_command("seed_scale", "--staff", "600", "--force", stdout=io.StringIO())
        return (
            list(Employee.objects.order_by("identifier").values_list("identifier", "name", "user__username")),
            list(Signature.objects.order_by("employee__identifier").values_list("employee__identifier", "method")),
            list(Report.objects.order_by("receipt_hash").values_list("receipt_hash", "state", "category")),
        )

    # Morning and evening of one day: the data must not depend on the time of the run.
    assert run(8) == run(20)


def test_sizes_below_six_staff_per_upt_are_refused(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="at least 228 staff"):
        call_command("seed_scale", "--staff", "100", stdout=io.StringIO())
