"""Two signing requests for the same person at the same moment give exactly one signature."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from pledges.models import Signature
from tests import factories as base
from tests.pledges import factories


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers")
def test_two_concurrent_requests_make_one_signature(transactional_db):
    facility = base.FacilityFactory()
    employee = base.EmployeeFactory(facility=facility)
    user = base.staff_user(employee)
    campaign = factories.CampaignFactory()
    url = reverse("pledges:sign", args=[campaign.pk])
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(user)
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def submit(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = clients[index].post(url, {"consent": "on", "typed_name": employee.name})
        except Exception as exc:  # surfaced below
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert all(not isinstance(r, Exception) for r in results), results
    assert [r.status_code for r in results] == [302, 302]
    signature = Signature.objects.get(campaign=campaign, employee=employee)
    detail = reverse("pledges:signature_detail", args=[signature.pk])
    assert sorted(r.url for r in results) == [f"{detail}?baru=1", f"{detail}?sudah=1"]
