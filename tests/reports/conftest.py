"""Fixtures for violation reports: task forces of the facility and of others, handlers of every kind."""

from __future__ import annotations

import pytest

from tests import factories
from tests.reports import factories as rf


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    # Rate-limit counters live in the database cache, which the test
    # transaction rolls back; cleared here as well for clarity.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def task_force(facility):
    return rf.task_force(facility)


@pytest.fixture
def task_force_member(task_force):
    """A staff login on the active task force of `facility`."""
    return rf.member_user(task_force, name="Agus Satgas, S.H.")


@pytest.fixture
def other_task_force_member(other_facility):
    return rf.member_user(rf.task_force(other_facility), name="Budi Satgas Lain")


@pytest.fixture
def sibling_task_force_member(sibling_facility):
    return rf.member_user(rf.task_force(sibling_facility), name="Citra Satgas Tetangga")


@pytest.fixture
def report(facility):
    return rf.ReportFactory(facility=facility)


@pytest.fixture
def report_and_code(facility):
    return rf.report_with_code(facility=facility)


@pytest.fixture
def roster_employee(facility):
    return factories.EmployeeFactory(facility=facility, name="Dedi Terlapor", position="Komandan Jaga")


@pytest.fixture
def intake_data(facility):
    """A complete, valid intake POST (anonymous, free-text description)."""
    return {
        "facility": facility.pk,
        "reported_employee": "",
        "reported_description": "Petugas jaga pagi, berkacamata",
        "category": "MEDSOS_KAMPANYE",
        "election_type": "PILKADA",
        "stage": "",
        "occurred_on": "2024-10-01",
        "occurred_place": "Grup WhatsApp pegawai",
        "description": "Membagikan ajakan memilih pasangan calon nomor 2 di grup kantor.",
        "is_anonymous": "on",
        "reporter_name": "",
        "reporter_contact": "",
        "website": "",
    }
