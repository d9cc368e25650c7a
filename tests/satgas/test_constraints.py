"""The database backs the roster rules even when the forms and actions are bypassed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from satgas.models import Membership, TaskForce
from tests import factories


def test_it_rejects_a_second_current_ketua_written_through_the_orm(task_force):
    other = factories.EmployeeFactory(facility=task_force.facility)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(task_force=task_force, employee=other, role=Membership.Role.KETUA)


def test_it_rejects_a_second_current_sekretaris_written_through_the_orm(task_force):
    other = factories.EmployeeFactory(facility=task_force.facility)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(task_force=task_force, employee=other, role=Membership.Role.SEKRETARIS)


def test_it_rejects_the_same_person_twice_in_one_task_force(task_force):
    member = task_force.memberships.current().get(role=Membership.Role.SEKRETARIS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(task_force=task_force, employee=member.employee, role=Membership.Role.ANGGOTA)


def test_an_ended_ketua_makes_room_for_a_new_one(task_force):
    old = task_force.memberships.current().get(role=Membership.Role.KETUA)
    old.end_date = dt.date(2024, 3, 1)
    old.save()
    new = Membership.objects.create(
        task_force=task_force,
        employee=factories.EmployeeFactory(facility=task_force.facility),
        role=Membership.Role.KETUA,
        start_date=dt.date(2024, 3, 1),
    )
    assert task_force.memberships.current().get(role=Membership.Role.KETUA) == new
    assert task_force.memberships.count() == 5


def test_it_rejects_a_second_task_force_for_the_same_facility_and_period(task_force):
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskForce.objects.create(facility=task_force.facility, period=task_force.period)


def test_it_rejects_an_appointed_task_force_without_a_decree(facility, period):
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskForce.objects.create(facility=facility, period=period, state=TaskForce.State.APPOINTED)


def test_it_rejects_an_inaugurated_task_force_without_an_inauguration(facility, period):
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskForce.objects.create(
            facility=facility,
            period=period,
            state=TaskForce.State.INAUGURATED,
            decree_number="1",
            decree_date=dt.date(2024, 1, 1),
        )


def test_a_membership_cannot_end_before_it_starts(task_force):
    member = task_force.memberships.current().filter(role=Membership.Role.ANGGOTA).first()
    member.end_date = member.start_date - dt.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        member.save()


def test_the_model_refuses_a_member_from_another_facility(draft, other_facility):
    stranger = factories.EmployeeFactory(facility=other_facility, name="Orang Luar")
    membership = Membership(task_force=draft, employee=stranger, role=Membership.Role.ANGGOTA)
    with pytest.raises(ValidationError, match="Orang Luar bukan pegawai"):
        membership.full_clean()


def test_the_model_refuses_a_ppnpn_ketua(draft):
    driver = factories.EmployeeFactory(facility=draft.facility, ppnpn=True, name="Pengemudi")
    with pytest.raises(ValidationError, match="PPNPN boleh menjadi anggota, tetapi tidak boleh menjadi Ketua"):
        Membership(task_force=draft, employee=driver, role=Membership.Role.KETUA).full_clean()


def test_the_roster_check_names_every_broken_rule(draft, settings):
    settings.SATGAS_MAX_MEMBERS = 2
    people = [factories.EmployeeFactory(facility=draft.facility) for _ in range(3)]
    members = [(people[0], "SEKRETARIS"), (people[1], "SEKRETARIS"), (people[2], "ANGGOTA"), (people[2], "ANGGOTA")]
    with pytest.raises(ValidationError) as caught:
        draft.check_roster(members)
    text = " ".join(caught.value.messages)
    assert "belum ada yang dipilih sebagai Ketua" in text
    assert "paling banyak mempunyai satu Sekretaris; terpilih 2" in text
    assert f"hanya boleh muncul satu kali: {people[2].name}" in text
    assert "paling banyak 2 orang; terpilih 3 orang" in text
