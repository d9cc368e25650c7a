"""Fixtures for the task force tests: a roster, a period, task forces in each state."""

from __future__ import annotations

import pytest

from satgas.models import TaskForce
from tests import factories
from tests.satgas import factories as satgas_factories


@pytest.fixture
def period(db):
    return satgas_factories.PeriodFactory()


@pytest.fixture
def roster(facility):
    """Fourteen active staff of `facility`: twelve PNS, one PPPK, one PPNPN (last)."""
    people = [factories.EmployeeFactory(facility=facility, name=f"Anggota Uji {i:02d}, S.H.") for i in range(12)]
    people.append(factories.EmployeeFactory(facility=facility, pppk=True, name="Pranata Komputer PPPK"))
    people.append(factories.EmployeeFactory(facility=facility, ppnpn=True, name="Pengemudi PPNPN"))
    return people


@pytest.fixture
def draft(facility, period):
    return satgas_factories.TaskForceFactory(facility=facility, period=period)


@pytest.fixture
def task_force(facility, period):
    """An appointed task force of `facility` (Ketua, Sekretaris, two Anggota)."""
    return satgas_factories.appointed(facility, period=period)


@pytest.fixture
def other_task_force(other_facility, period):
    """An appointed task force of a facility in another region."""
    return satgas_factories.appointed(other_facility, period=period)


@pytest.fixture
def sibling_task_force(sibling_facility, period):
    """An appointed task force of another facility in the same region."""
    return satgas_factories.appointed(sibling_facility, period=period)


@pytest.fixture
def ketua(task_force):
    return satgas_factories.ketua_login(task_force)


@pytest.fixture
def inaugurated(facility, period):
    return satgas_factories.appointed(facility, period=period, state=TaskForce.State.INAUGURATED)
