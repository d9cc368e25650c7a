"""A certificate is rendered once, whoever asks for it at the same moment: two downloads, or a
download and the queued task (the row lock in pledges.actions._issue decides)."""

from __future__ import annotations

import hashlib
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from pledges import certificates
from pledges.models import Signature
from tests import factories as base
from tests.accounts.test_ratelimit import simultaneously
from tests.pledges import factories
from tests.tasks import failed_tasks, queued, run_queued_tasks

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers")


@pytest.fixture
def slow_renders(monkeypatch):
    """Counts renders and makes each last long enough for the other request to arrive meanwhile."""
    real = certificates.render_certificate
    calls: list[int] = []

    def render(signature):
        calls.append(signature.pk)
        time.sleep(0.5)
        return real(signature)

    monkeypatch.setattr(certificates, "render_certificate", render)
    return calls


def _signed_online(user, employee) -> Signature:
    client = Client()
    client.force_login(user)
    campaign = factories.CampaignFactory()
    response = client.post(reverse("pledges:sign", args=[campaign.pk]), {"consent": "on", "typed_name": employee.name})
    assert response.status_code == 302
    return Signature.objects.get(campaign=campaign, employee=employee)


def _download(user, signature) -> bytes:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("pledges:certificate", args=[signature.pk]))
    assert response.status_code == 200
    return b"".join(response)


def _one_certificate(signature: Signature) -> str:
    signature.refresh_from_db()
    assert signature.certificate
    assert AuditEvent.objects.filter(action="pledge.certificate_issued", object_id=str(signature.pk)).count() == 1
    return signature.certificate_sha256


def test_two_downloads_at_once_render_one_certificate(transactional_db, slow_renders):
    employee = base.EmployeeFactory()
    user = base.staff_user(employee)
    signature = _signed_online(user, employee)

    pdfs = simultaneously(2, lambda: _download(user, signature))

    assert slow_renders == [signature.pk]
    sha = _one_certificate(signature)
    assert [hashlib.sha256(pdf).hexdigest() for pdf in pdfs] == [sha, sha]


def test_a_download_while_the_worker_renders_waits_for_its_file(transactional_db, slow_renders):
    employee = base.EmployeeFactory()
    user = base.staff_user(employee)
    signature = _signed_online(user, employee)
    assert len(queued("render_certificate")) == 1
    jobs = iter([run_queued_tasks, lambda: _download(user, signature)])
    lock = threading.Lock()

    def next_job():
        with lock:
            job = next(jobs)
        return job()

    results = simultaneously(2, next_job)

    assert slow_renders == [signature.pk]
    assert not failed_tasks()
    sha = _one_certificate(signature)
    [pdf] = [r for r in results if isinstance(r, bytes)]
    assert hashlib.sha256(pdf).hexdigest() == sha
