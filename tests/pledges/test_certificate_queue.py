"""Certificates are rendered by the queue: signing renders nothing, a worker stores the file, the page
says "being prepared" until then, and a download that comes first renders it on demand, once."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import AuditEvent
from pledges import actions
from pledges.models import CERTIFICATE_WAIT, PaperBatch, Signature
from pledges.tasks import ONLINE_PRIORITY, PAPER_PRIORITY
from tests import factories as base
from tests.pledges import factories
from tests.pledges.test_paper_signing import post as post_paper
from tests.pledges.test_sign import post_sign
from tests.tasks import failed_tasks, queued, run_queued_tasks

PREPARING = "Sertifikat sedang disiapkan"
REFRESH = '<meta http-equiv="refresh" content="2">'


def issued_events() -> int:
    return AuditEvent.objects.filter(action="pledge.certificate_issued").count()


def detail(client, signature) -> str:
    response = client.get(reverse("pledges:signature_detail", args=[signature.pk]))
    assert response.status_code == 200
    return response.content.decode()


def download(client, signature):
    return client.get(reverse("pledges:certificate", args=[signature.pk]))


def test_signing_queues_the_certificate_and_renders_nothing(staff_client, campaign, employee, monkeypatch):
    from pledges import certificates

    def must_not_render(*args, **kwargs):
        raise AssertionError("the signing request rendered a certificate")

    monkeypatch.setattr(certificates, "render_certificate", must_not_render)
    response = post_sign(staff_client, campaign, employee)
    assert response.status_code == 302
    signature = Signature.objects.get(campaign=campaign, employee=employee)
    assert not signature.certificate and not signature.certificate_sha256
    assert issued_events() == 0
    [task] = queued("render_certificate")
    assert task.args_kwargs["args"] == [signature.pk]
    assert (task.queue_name, task.priority) == ("default", ONLINE_PRIORITY)


def test_the_page_says_preparing_until_the_queue_has_stored_it(staff_client, campaign, employee):
    response = post_sign(staff_client, campaign, employee)
    signature = Signature.objects.get(campaign=campaign, employee=employee)
    page = staff_client.get(response.url).content.decode()
    assert PREPARING in page and REFRESH in page
    assert 'id="download-certificate"' not in page
    assert "Terima kasih" in page

    assert run_queued_tasks() == 1
    assert not failed_tasks()
    signature.refresh_from_db()
    assert signature.certificate
    with signature.certificate.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == signature.certificate_sha256
    assert issued_events() == 1

    page = staff_client.get(response.url).content.decode()
    assert PREPARING not in page and REFRESH not in page
    assert 'id="download-certificate"' in page
    assert signature.certificate_sha256 in page
    # The download now serves the stored file; nothing is rendered again.
    pdf = b"".join(download(staff_client, signature))
    assert hashlib.sha256(pdf).hexdigest() == signature.certificate_sha256
    assert issued_events() == 1


def test_a_download_before_the_worker_renders_it_and_the_task_then_renders_nothing(staff_client, campaign, employee):
    post_sign(staff_client, campaign, employee)
    signature = Signature.objects.get(campaign=campaign, employee=employee)
    pdf = b"".join(download(staff_client, signature))
    assert pdf.startswith(b"%PDF-")
    signature.refresh_from_db()
    assert hashlib.sha256(pdf).hexdigest() == signature.certificate_sha256

    [task] = queued("render_certificate")
    assert run_queued_tasks() == 1
    task.refresh_from_db()
    assert task.return_value == "stored"
    assert issued_events() == 1
    signature.refresh_from_db()
    assert hashlib.sha256(pdf).hexdigest() == signature.certificate_sha256


def test_a_queue_far_behind_offers_the_download_which_renders_it_on_demand(staff_client, campaign, employee):
    """Past the wait (or for a signature older than the queue) the page stops reloading."""
    signature = factories.signature(campaign, employee, signed_at=timezone.now() - CERTIFICATE_WAIT)
    page = detail(staff_client, signature)
    assert PREPARING not in page and REFRESH not in page
    assert 'id="download-certificate"' in page
    assert download(staff_client, signature).status_code == 200
    assert issued_events() == 1


def test_a_double_submit_queues_one_render(staff_client, campaign, employee):
    post_sign(staff_client, campaign, employee)
    post_sign(staff_client, campaign, employee)
    assert len(queued("render_certificate")) == 1
    assert run_queued_tasks() == 1
    assert issued_events() == 1


def test_a_refused_double_submit_queues_nothing(campaign, employee, staff):
    existing = factories.signature(campaign, employee)
    signature, created = actions.sign(
        staff, campaign, employee, typed_name=employee.name, consent=True, ip_address=None, user_agent=""
    )
    assert (signature.pk, created) == (existing.pk, False)
    assert queued() == []


def test_the_render_is_queued_in_the_signing_transaction(campaign, employee, staff):
    """A signature whose transaction rolls back leaves no task behind to render it."""
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.sign(staff, campaign, employee, typed_name=employee.name, consent=True, ip_address=None, user_agent="")
        assert len(queued("render_certificate")) == 1
        raise RuntimeError("the caller's transaction fails")
    assert not Signature.objects.exists()
    assert queued() == []


def test_a_paper_batch_queues_one_render_per_person_behind_online_signers(
    client, facility_head, campaign, facility, employee, staff
):
    people = [base.EmployeeFactory(facility=facility) for _ in range(3)]
    client.force_login(facility_head)
    assert post_paper(client, campaign, facility, people).status_code == 302
    batch = PaperBatch.objects.get()
    signatures = list(batch.signatures.all())
    paper_tasks = queued("render_certificate")
    assert sorted(t.args_kwargs["args"][0] for t in paper_tasks) == sorted(s.pk for s in signatures)
    assert {t.priority for t in paper_tasks} == {PAPER_PRIORITY}
    assert not any(s.certificate for s in signatures)
    assert PREPARING in detail(client, signatures[0])

    # An online signer queued after the batch is rendered first.
    signer = base.staff_user(base.EmployeeFactory(facility=facility))
    online_client = Client()
    online_client.force_login(signer)
    post_sign(online_client, campaign, signer.employee)
    online = Signature.objects.get(employee=signer.employee)
    # The task db_worker takes next (its own query: the ready tasks in the table's order).
    assert DBTaskResult.objects.ready().first().args_kwargs["args"] == [online.pk]

    assert run_queued_tasks() == 4
    assert not Signature.objects.filter(campaign=campaign, certificate="").exists()
    assert issued_events() == 4
    assert 'id="download-certificate"' in detail(client, signatures[0])


def test_a_paper_batch_long_ago_is_past_the_wait(client, facility_head, campaign, facility):
    person = base.EmployeeFactory(facility=facility)
    client.force_login(facility_head)
    post_paper(client, campaign, facility, [person])
    PaperBatch.objects.update(created_at=timezone.now() - CERTIFICATE_WAIT - dt.timedelta(seconds=1))
    signature = Signature.objects.get(employee=person)
    assert 'id="download-certificate"' in detail(client, signature)


def test_a_pact_revoked_before_its_certificate_was_made_gets_none(
    staff_client, client, campaign, employee, regional_admin
):
    post_sign(staff_client, campaign, employee)
    signature = Signature.objects.get(campaign=campaign, employee=employee)
    actions.revoke(regional_admin, signature, "Salah orang")
    assert queued("render_certificate")  # revoking queues nothing and cancels nothing ...
    assert run_queued_tasks() == 1
    signature.refresh_from_db()
    assert not signature.certificate  # ... the worker finds it revoked and renders nothing
    assert issued_events() == 0
    assert not failed_tasks()

    page = detail(staff_client, signature)
    assert "Sertifikat tidak diterbitkan" in page
    assert PREPARING not in page and REFRESH not in page and 'id="download-certificate"' not in page
    response = download(staff_client, signature)
    assert response.status_code == 302
    assert response.url == signature.get_absolute_url()
    assert issued_events() == 0


def test_a_certificate_issued_before_revocation_stays_as_issued(staff_client, campaign, employee, regional_admin):
    post_sign(staff_client, campaign, employee)
    run_queued_tasks()
    signature = Signature.objects.get(campaign=campaign, employee=employee)
    sha = signature.certificate_sha256
    actions.revoke(regional_admin, signature, "Salah orang")
    assert queued() == []  # revocation renders nothing
    pdf = b"".join(download(staff_client, signature))
    assert hashlib.sha256(pdf).hexdigest() == sha
    assert 'id="download-certificate"' in detail(staff_client, signature)
    assert issued_events() == 1
