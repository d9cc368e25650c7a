"""Fixtures for the pledges tests, on top of tests/conftest.py's organisation and users."""

from __future__ import annotations

import pytest

from tests import factories as base
from tests.pledges import factories


@pytest.fixture
def campaign(db):
    return factories.CampaignFactory()


@pytest.fixture
def closed_campaign(db):
    return factories.CampaignFactory(closed=True)


@pytest.fixture
def signed(campaign, employee):
    """A valid online signature of `employee`."""
    return factories.signature(campaign, employee)


@pytest.fixture
def other_employee(facility):
    """Another staff member of the same UPT, with a login."""
    employee = base.EmployeeFactory(facility=facility, name="Siti Rahmawati, S.H.")
    base.staff_user(employee)
    return employee


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
